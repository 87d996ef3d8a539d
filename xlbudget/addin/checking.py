"""What the 檢核 button and XLB_CHECK show: the findings of reading and of the checks, each once."""

from __future__ import annotations

from xlbudget.core.errors import InputError
from xlbudget.core.findings import Finding, unique_findings
from xlbudget.core.model import BudgetBook
from xlbudget.readers.grid import Grid


def all_findings(book: BudgetBook, read_findings: list[Finding],
                 tables_read_back: dict[str, Grid] | None = None) -> list[Finding]:
    """Reading's findings, then the checks' (``rules.checks.check_book``), each once (``unique_findings``).

    ``tables_read_back`` are the schedule sheets present in the live book, so the
    checks can compare them with what the inputs derive.
    """
    from xlbudget.rules.checks import check_book  # imported when a check runs, not when Excel loads the add-in

    return unique_findings(list(read_findings) + check_book(book, tables_read_back))


def cell_problems(exc: InputError) -> list[Finding]:
    """An InputError's problems that name a cell (each with its own rule id), so 檢核 can mark them."""
    return [f for f in exc.findings if f.cell is not None]
