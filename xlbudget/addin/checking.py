"""What the 檢核 button and XLB_CHECK show: the findings of reading and of the checks, each once."""

from __future__ import annotations

from xlbudget.core.errors import InputError
from xlbudget.core.findings import Finding, make_finding, unique_findings
from xlbudget.core.model import BudgetBook
from xlbudget.readers.grid import Grid


def all_findings(book: BudgetBook, read_findings: list[Finding],
                 tables_read_back: dict[str, Grid] | None = None,
                 records: dict[str, str | None] | None = None) -> list[Finding]:
    """Reading's findings, then the checks' (``rules.checks.check_book``), each once (``unique_findings``).

    ``tables_read_back`` are the schedule sheets present in the live book, so the
    checks can compare them with what the inputs derive; ``records`` each one's record of the last build
    (forms.overwrite.RECORD_NAME's text), so tables not made again since the inputs changed are said so first
    (tables-stale), as check says it; their rows, columns or sheets Excel prints not (coverage.hidden_figures), as
    check says it too.
    """
    from xlbudget.forms.inputs import INPUT_SHEETS
    from xlbudget.rules.checks import check_book  # imported when a check runs, not when Excel loads the add-in
    from xlbudget.rules.coverage import hidden_figures

    tables = {n: g for n, g in (tables_read_back or {}).items() if n not in INPUT_SHEETS}  # not 總說明
    # a table row, column or sheet Excel prints not, its figures still summed: named as check_sheets names them
    return unique_findings(list(read_findings) + check_book(book, tables_read_back, records=records)
                           + hidden_figures(tables))


def range_findings(book: BudgetBook, read_findings: list[Finding]) -> list[Finding]:
    """XLB_CHECK's: reading's findings and the checks an 歲出明細 range alone can be held to (``RANGE_CHECKS``), each
    once; where its lines have 收支併列, one 提示 that the tie to 歲入明細 was not checked, at the first such cell."""
    from xlbudget.rules.checks import RANGE_CHECKS, check_book

    found = list(read_findings) + check_book(book, checks=RANGE_CHECKS)
    matched = [i for i in book.expenses if i.matched]
    if matched:
        total = sum(i.matched for i in matched)
        found.append(make_finding("range-matched-unchecked", matched[0].cells.get("收支併列數"), expected=total,
                                  exp=f"{total:,}"))
    return unique_findings(found)


def cell_problems(exc: InputError) -> list[Finding]:
    """An InputError's problems that name a cell (each with its own rule id), so 檢核 can mark them."""
    return [f for f in exc.findings if f.cell is not None]
