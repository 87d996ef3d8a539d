"""Checks (檢核): every total of every table against every other, as findings. This module runs the catalogue.

The rules live one family to a module beside this one: ``inputs`` (a
template book's inputs), ``narrative`` (預算總說明), ``readback`` (schedule
sheets read back), ``coverage`` (what a hand-made book leaves unread),
``detail``, ``summary``, ``analysis``, ``budgets``, ``staff``, ``trips``,
``vehicles``, ``transfers``, ``funding``, ``whitepaper`` and ``cost_shares``
(each table's 勾稽 on a template book and its rules as printed), with
``common`` holding what they share.

Pure: ``check_book`` works on a BudgetBook and, optionally, the grids of
schedule sheets read back from the workbook; ``check_sheets`` on grids;
``check_printed`` on tables read by ``printed``. Opening a file is
``xlbudget.app.check``'s job. Check lists are tuples; extend them by building
a new tuple (``BOOK_CHECKS + (my_check,)``) and passing it in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable, Mapping

from xlbudget.core.records import plain
from xlbudget.core.findings import Finding, Severity, in_reading_order, make_finding, unique_findings
from xlbudget.core.model import BudgetBook, CellRef
from xlbudget.forms.inputs import SHEET_NARRATIVE
from xlbudget.readers.grid import Grid
from xlbudget.rules.analysis import check_capital, check_function_econ, check_level1
from xlbudget.rules.blame import (confirmed_totals, crossing_figures, explain_subtotals, followed_slips,
                                  told_the_slip)
from xlbudget.rules.blanks import blank_totals
from xlbudget.rules.budgets import check_agency_budget, check_revenue_sources
from xlbudget.rules.common import PrintedCheck, finding, uncached_texts
from xlbudget.rules.consistency import CONSISTENCY_CHECKS, check_people  # noqa: F401  (the catalogue lists them)
from xlbudget.rules.cost_shares import check_cost_shares_printed
from xlbudget.rules.coverage import (check_amount_columns, check_carry_rows, check_lines_without_plan, check_page_numbers,
                                     check_split_halves, check_unheaded_columns, check_table_scale, check_unplaced_rows,
                                     check_unreadable_figures, check_unreadable_tables, check_untitled_pages,
                                     heading_years, hidden_figures, missing_amount_column)
from xlbudget.rules.detail import check_detail, check_matched_printed
from xlbudget.rules.factors import unconfirmed_factors
from xlbudget.rules.funding import check_funding_printed
from xlbudget.rules.inputs import (check_duplicates, check_matched_revenue, check_prior_codes, check_prior_finals,
                                   check_project_lines, check_whole_thousands)
from xlbudget.rules.names import names_differing
from xlbudget.rules.narrative import check_narrative
from xlbudget.rules.printed_narrative import check_printed_contract_note, check_printed_narrative, check_printed_notes
from xlbudget.rules.readback import compare_schedules, compare_sentences, left_behind, stale_tables
from xlbudget.rules.staff import check_contract, check_staff_costs, check_staffing
from xlbudget.rules.summary import check_summary
from xlbudget.rules.transfers import check_transfers_printed
from xlbudget.rules.trips import check_trips
from xlbudget.rules.vehicles import check_vehicles
from xlbudget.rules.whitepaper import check_whitepaper_printed

# annotations only: a template book's checks (build, convert) never import the printed-table readers
if TYPE_CHECKING:
    from xlbudget.readers.printed_model import SheetGrid

BookCheck = Callable[[BudgetBook], Iterable[Finding]]


# the inputs' own checks, then the 勾稽 between input sheets and the 預算總說明's figures
BOOK_CHECKS: tuple[BookCheck, ...] = (check_whole_thousands, check_duplicates, check_matched_revenue,
                                      check_prior_codes, check_prior_finals, check_people, check_narrative,
                                      check_project_lines)
# what an 歲出明細 range alone is held to (XLB_CHECK): the checks of its own lines, none needing a sheet a range
# cannot hold (歲入明細's 收支併列, 以前年度, 人事費…: field report 7 §2.1, matched-without-revenue on a right range)
RANGE_CHECKS: tuple[BookCheck, ...] = (check_whole_thousands, check_duplicates)


def check_inputs(book: BudgetBook, figures: dict | None = None,
                 checks: tuple[BookCheck, ...] = BOOK_CHECKS) -> list[Finding]:
    """The checks of a template book's inputs (``checks``: BOOK_CHECKS), the one list build, convert and the add-in's
    buttons report beside the tables they write and check runs first (check_book): the officer who builds is told
    every finding check would tell him of the book built (field report 10 §3.1). ``figures``: the book's
    derive.narrative.book_figures when the caller has them (check_narrative derives them otherwise)."""
    return [f for check in checks
            for f in (check_narrative(book, figures) if check is check_narrative and figures is not None
                      else check(book))]


def check_book(book: BudgetBook, tables_read_back: Mapping[str, Grid] | None = None,
               checks: tuple[BookCheck, ...] = BOOK_CHECKS, records: Mapping[str, str | None] | None = None,
               merges: Mapping[str, tuple] | None = None) -> list[Finding]:
    """Check a template book: its inputs, and any schedule sheets present against what the inputs derive.

    Findings from reading the inputs (inputs.read_book) are not repeated here;
    ``check_sheets`` adds them. ``records``: each table sheet's record of what the last build wrote there
    (forms.overwrite.RECORD_NAME's text), ``merges`` its merged ranges where the reader gives them: figures that
    build wrote and the inputs no longer give are said once more, first, as tables-stale (readback.stale_tables).
    """
    findings = check_inputs(book, checks=checks)
    if tables_read_back:
        texts: list[Finding] | None = [] if records else None  # words build wrote: stale when the inputs' differ
        read_back = compare_schedules(book, tables_read_back, texts=texts)
        stale = stale_tables(read_back + texts, tables_read_back, records, merges, tables_read_back) if records else None
        findings += read_back if stale is None else [stale, *read_back]
        if SHEET_NARRATIVE in tables_read_back:
            findings += compare_sentences(book, tables_read_back[SHEET_NARRATIVE])
    return findings


@plain
class CheckReport:
    """What a check found: the kind of book (template / printed), the findings, and which tables were read."""

    kind: str  # "template" (our input sheets) or "printed" (hand-made printed tables)
    findings: list[Finding]  # in_reading_order, by the book's sheets
    tables: tuple[str, ...] = ()
    sheets: tuple[str, ...] = ()  # the book's sheets, tabs left to right: the order of ``findings``
    narrative: tuple[str, ...] = ()  # a hand-made book's 預算總說明 sheets, read and checked (none: it has none)

    def count(self, severity: Severity) -> int:
        """Number of findings of one severity."""
        return sum(f.severity == severity for f in self.findings)

    @property
    def errors(self) -> int:
        """Number of errors."""
        return self.count(Severity.ERROR)


def finding_record(f: Finding) -> dict:
    """A finding as a JSON record: rule, severity, sheet, cell (A1), expected, actual, message, related."""
    return {"rule": f.rule, "severity": f.severity.value,
            "sheet": f.cell.sheet if f.cell else None, "cell": f.cell.cell if f.cell else None,
            "expected": f.expected, "actual": f.actual, "message": f.message,
            "related": [str(c) for c in f.related]}


def sort_findings(findings: Iterable[Finding], sheet_order: Iterable[str] = ()) -> list[Finding]:
    """Each finding once (``unique_findings``), in ``in_reading_order`` (``sheet_order``: the book's sheets)."""
    return in_reading_order(unique_findings(findings), sheet_order)


def check_sheets(sheets: Mapping[str, SheetGrid], inputs: Mapping[str, Grid] | None = None,
                 file: str | None = None, checks: tuple[BookCheck, ...] = BOOK_CHECKS,
                 records: Mapping[str, str | None] | None = None) -> CheckReport:
    """Check a whole book given as grids: a template book when ``inputs`` holds our input sheets, else printed.

    ``sheets`` are every sheet from A1 (formula cells already replaced by
    their cached values or ``grid.Uncached``); ``inputs`` the input sheets
    as ``xlsxfile.input_grids`` / an xlwings reader gives them; ``records`` each table sheet's record of the last
    build (forms.overwrite.RECORD_NAME's text; check_book). Raises
    InputError when the inputs cannot be read, or when a book without input
    sheets has no printed table xlbudget recognises.
    """
    from xlbudget.forms.inputs import INPUT_SHEETS
    from xlbudget.readers.inputs import read_book
    from xlbudget.derive.book import derive_all

    if not inputs or not is_template_book(inputs):
        return check_printed_sheets(sheets, file)
    book, reading = read_book(dict(inputs), file)
    titles = {t.sheet_name for t in derive_all(book)}  # every schedule this book has, people and trips too
    schedules = {name: sg.grid for name, sg in sheets.items() if name in titles and name not in INPUT_SHEETS}
    read_back = dict(schedules)
    if SHEET_NARRATIVE in sheets:  # its figure sentences (column D) are derived cells too
        read_back[SHEET_NARRATIVE] = sheets[SHEET_NARRATIVE].grid
    findings = reading + check_book(book, read_back, checks, records, {n: sheets[n].merges for n in schedules})
    findings += hidden_figures(schedules)  # a table row hidden on its sheet prints not, its figures still summed
    # a table sheet the last build wrote that the inputs no longer give: last build's figures, read by no rule
    findings += [make_finding("table-sheet-left-behind", CellRef(name, "A1", file), sheet=name)
                 for name in left_behind(records or {}, titles) if name in sheets]
    return CheckReport("template", sort_findings(findings, sheets), tuple(schedules), tuple(sheets))


def check_printed_sheets(sheets: Mapping[str, SheetGrid], file: str | None = None) -> CheckReport:
    """Check a hand-made book: find its printed tables and run the printed rules."""
    from xlbudget.core.errors import InputError
    from xlbudget.readers.inputs import error_values, long_texts
    from xlbudget.readers.printed import no_tables, read_tables
    from xlbudget.rules.scaled import scaled_figures

    tables, unreadable = read_tables(list(sheets.values()))
    if not tables:
        raise InputError(no_tables(list(sheets.values()), sheets)
                         + [make_finding("title-without-table", u.cell, table=u.title, reason=u.reason)
                            for u in unreadable if u.title], file)
    from xlbudget.core.titles import printed_heading

    findings = list(check_unreadable_tables(unreadable)) + check_printed(tables)
    findings += hidden_figures({name: sg.grid for name, sg in sheets.items()},  # Excel prints no hidden row
                               (fig.cell for t in tables for row in t.rows + t.unjoined
                                for fig in row.figures.values() if fig.value), findings)
    findings += heading_years(tables, {name: sg.grid for name, sg in sheets.items()})  # a sheet of last year's book
    findings += scaled_figures(tables, {name: sg.grid for name, sg in sheets.items()})  # #,##0, read as shown
    findings += names_differing(tables, {name: sg.grid for name, sg in sheets.items()})  # 「計晝」 for 「計畫」
    year = printed_heading(sg.grid.rows[:12] for sg in sheets.values())[1]  # 112年度 is 上年度 of a 113 book
    narrative, narrative_sheets = check_printed_narrative(sheets.values(), tables, year)
    findings += narrative
    named = {f.cell for f in findings}  # an uncalculated figure is named already, as unverifiable
    findings += [f for sg in sheets.values() for f in uncached_texts(sg.grid, named, sg.sheet in narrative_sheets)]
    findings += [f for sg in sheets.values() for f in long_texts(sg.grid)]  # past Excel's 32,767 characters
    errors = [f for sg in sheets.values() for f in error_values(sg.grid)]  # #REF! in a 說明 (field L11)
    if errors:  # named as an error value, not also as the figure it leaves unverifiable
        cells = {f.cell for f in errors}
        findings = [f for f in findings if f.cell not in cells] + errors
    return CheckReport("printed", sort_findings(findings, sheets), tuple(dict.fromkeys(t.title for t in tables)),
                       tuple(sheets), narrative_sheets)


def is_template_book(sheet_names) -> bool:
    """A book with our input sheets (基本資料 or 歲出明細, names matched as keys) is checked as a template book.

    Either one is enough: a template whose other sheet is missing is told so,
    never checked as a hand-made printed book with 0 findings.
    """
    from xlbudget.forms.inputs import SHEET_AGENCY, SHEET_EXPENSES
    from xlbudget.readers.grid import input_sheet_names

    found = input_sheet_names(sheet_names)
    return SHEET_AGENCY in found or SHEET_EXPENSES in found


def check_printed(tables, checks: tuple | None = None) -> list[Finding]:
    """The printed rules on tables read from a hand-made book (see printed.find_tables).

    A subtotal that disagrees with its parts only because of a part (or the
    subtotal itself) already named by another finding is not reported again:
    the officer is sent to the wrong figure, not to every total above it.
    Two rules that hold one cell to the same figure (各項費用彙計表 合計 D8 against 100000 and against 1000) tell it
    once: same rule, cell, 應為 and 實為 (field report 10 §4.1).
    """
    run = PRINTED_CHECKS if checks is None else checks
    tables, blanks = blank_totals(tables)  # a total left blank is named, and read by no other rule, never as 0
    findings = blanks + _run_printed(run, tables)
    findings = unconfirmed_factors(findings, tables)  # a 預算數 confirmed by totals another rule finds wrong is not
    blamed = crossing_figures(explain_subtotals(findings), tables)
    recheck = lambda changed: _run_printed(run, changed)  # noqa: E731
    blamed = confirmed_totals(blamed, findings, tables, recheck)
    blamed = followed_slips(blamed, findings, tables, recheck)  # what a figure found wrong explains is not told
    return _once(told_the_slip(blamed))


def _run_printed(run, tables) -> list[Finding]:
    """The findings of the checks ``run`` on ``tables``: those that say what was read (coverage: unreadable figures,
    unheaded columns, a table without the column its rules sum…) on every table, the others on the tables that can
    be summed: a table said unreadable for want of its amount column (coverage.missing_amount_column) is held to no
    rule, which would take that column for 0s and tell right cells «應為» what they are not."""
    summed = [t for t in tables if missing_amount_column(t) is None]
    return [f for check in run for f in check(tables if check in _READ_CHECKS or len(summed) == len(tables) else summed)]


def _once(findings: list[Finding]) -> list[Finding]:
    """Each finding with figures once by rule, cell, 應為 and 實為, whatever its wording (unique_findings goes by
    message); findings without figures are left to unique_findings."""
    seen, kept = set(), []
    for f in findings:
        key = (f.rule, f.cell, repr(f.expected), repr(f.actual))
        if f.cell is not None and f.expected is not None and f.actual is not None:
            if key in seen:
                continue
            seen.add(key)
        kept.append(f)
    return kept


# what was read and what was not: on every table, one that cannot be summed too
_READ_CHECKS = (check_unreadable_figures, check_unplaced_rows, check_page_numbers, check_carry_rows,
                check_lines_without_plan, check_amount_columns, check_unheaded_columns, check_untitled_pages,
                check_table_scale, check_split_halves)

PRINTED_CHECKS: tuple[PrintedCheck, ...] = (
    check_unreadable_figures, check_unplaced_rows, check_page_numbers, check_carry_rows, check_lines_without_plan,
    check_amount_columns, check_unheaded_columns, check_untitled_pages, check_table_scale, check_detail,
    check_summary, check_level1,
    check_capital, check_agency_budget, check_revenue_sources, check_function_econ, check_matched_printed, check_split_halves,
    check_staff_costs, check_contract, check_staffing, check_trips, check_vehicles, check_transfers_printed,
    check_funding_printed, check_whitepaper_printed, check_cost_shares_printed, check_printed_notes,
    check_printed_contract_note,
)
