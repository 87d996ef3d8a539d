"""Checks (檢核): every total of every table against every other, as findings.

Pure where it matters: ``check_book`` works on a BudgetBook and, optionally,
the grids of schedule sheets read back from the workbook; ``check_printed``
works on tables read by ``printed``. Check lists are tuples; extend them by
building a new tuple (``BOOK_CHECKS + (my_check,)``) and passing it in.
``check_workbook`` is the one entry point that takes an openpyxl workbook;
it imports the adapter only when called.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from xlbudget.derive.narrative import check_narrative
from xlbudget.derive.personnel import check_people
from xlbudget.core import codes
from xlbudget.core.amounts import to_thousands
from xlbudget.core.findings import Finding, Severity, item_product_finding, make_finding
from xlbudget.forms.results import RESULT_SHEET  # written by the adapters; never read as a budget table
from xlbudget.readers.inputs import SHEET_NARRATIVE, Grid
from xlbudget.core.keys import compact_key
from xlbudget.forms.layout import layout_table
from xlbudget.core.model import BudgetBook, CellRef
from xlbudget.readers.printed import Figure, SheetGrid, read_figure
from xlbudget.derive.schedules import derive_all
from xlbudget.core.tables import AMOUNT, BANNER, LABEL, TEXT

BookCheck = Callable[[BudgetBook], Iterable[Finding]]

STATE_SHEET = "xlbudget標示紀錄"  # very hidden: which fills and notes are ours
OWN_SHEETS = (RESULT_SHEET, STATE_SHEET)


def fmt(value: object) -> str:
    """A figure as a message shows it: 1,234 for numbers, （空白） for nothing."""
    if value is None or value == "":
        return "（空白）"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def finding(rule: str, cell: CellRef | None, expected=None, actual=None, related=(), **fields) -> Finding:
    """make_finding with the {exp}/{act} fields every check template uses."""
    return make_finding(rule, cell, expected=expected, actual=actual, related=tuple(related),
                        exp=fmt(expected), act=fmt(actual), **fields)


def unverifiable(figure: Figure) -> Finding:
    """A figure the checks could not read."""
    return finding("figure-unverifiable", figure.cell, actual=None, raw=str(figure.raw), reason=figure.problem)


# ----------------------------------------------------------------- checks on the inputs

def check_whole_thousands(book: BudgetBook) -> Iterable[Finding]:
    """Each 工作計畫 × 一級用途別 total is a whole thousand 元 (RULES.md)."""
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for item in book.expenses:
        groups[item.plan_code, codes.level1_of(item.object_code)].append(item)
    for (plan, l1), items in sorted(groups.items()):
        total = sum(i.amount for i in items)
        if total % 1000:
            cells = [i.cells["預算數"] for i in items if "預算數" in i.cells]
            yield make_finding("not-whole-thousand", cells[-1] if cells else None, expected=None, actual=total,
                               related=tuple(cells[:-1]), plan=plan, code=l1)


def check_duplicates(book: BudgetBook) -> Iterable[Finding]:
    """Two line items alike in plan, branch, code, quantity, price, amount and 說明."""
    seen: dict[tuple, CellRef | None] = {}
    for item in book.expenses:
        key = (item.plan_code, item.branch, item.object_code, item.unit, str(item.quantity), item.unit_price,
               item.amount, item.note)
        cell = item.cells.get("預算數")
        if key in seen:
            other = seen[key]
            yield finding("duplicate-item", cell, related=(other,) if other else (), other=str(other or ""))
        else:
            seen[key] = cell


def check_prior_codes(book: BudgetBook) -> Iterable[Finding]:
    """以前年度: a 歲出 line whose code is not this agency's (3rd–7th digits) is most likely a typo."""
    from xlbudget.derive.schedules import is_revenue

    agency_digits = {i.plan_code[2:7] for i in book.expenses}
    for line in book.prior:
        if is_revenue(line, book) or line.code[2:7] in agency_digits:
            continue
        yield finding("prior-year-unknown-code", line.cells.get("科目編號"), expected="、".join(sorted(agency_digits)),
                      actual=line.code, code=line.code)


def check_prior_finals(book: BudgetBook) -> Iterable[Finding]:
    """以前年度: a line with 上年度預算數 but an empty 前年度決算數 (as next-year leaves them) is named, as info."""
    for line in book.prior:
        cell = line.cells.get("前年度決算數")
        if line.prior_final is None and line.last_budget is not None and cell is not None:
            yield finding("prior-final-empty", cell, code=line.code, name=line.name)


def check_matched_revenue(book: BudgetBook) -> Iterable[Finding]:
    """收支併列 in 歲出 = the 收支併列 (補助收入) lines of 歲入, when the book has 歲入.

    收支併列 that 轉帳收支 names as another agency's revenue (a 歲入 科目 this book does not budget) is left out:
    臺中 115 一般行政 3025 收支併列 446,000 元 is 臺中市環境保護基金's, 歲入 12173500210 of 環境保護局
    (轉帳收支對照表 02004-48), not this book's 歲入; transfer-vs-matched ties it to its plan instead."""
    if not book.revenues:
        return
    budgeted = {r.code for r in book.revenues}
    elsewhere = sum(t.amount for t in book.transfers if t.revenue_code not in budgeted)
    spent = sum(i.matched for i in book.expenses) - elsewhere
    matched = [r for r in book.revenues if r.matched]
    received = sum(r.amount for r in matched)
    if spent != received:
        cells = [r.cells["預算數"] for r in matched if "預算數" in r.cells]
        related = [i.cells["收支併列數"] for i in book.expenses if i.matched and "收支併列數" in i.cells]
        target = cells[0] if cells else (related[0] if related else None)
        yield finding("matched-revenue-mismatch", target, expected=spent, actual=received,
                      related=tuple(cells[1:]) + tuple(related))


# people, trips and the narrative (personnel.py, narrative.py) are 勾稽 of the same kind
BOOK_CHECKS: tuple[BookCheck, ...] = (check_whole_thousands, check_duplicates, check_matched_revenue,
                                      check_prior_codes, check_prior_finals, check_people, check_narrative)


# ----------------------------------------------------------------- schedule sheets read back

_AMOUNT_IN_HEADING = re.compile(r"預算金額[：:]?\s*([\d,，]+)\s*千元")
_FUNDING = re.compile(r"(市款|收支併列)\s*([\d,，]+)\s*元")


def funding_parts(text: object) -> dict[str, int] | None:
    """'市款175,007,000元，收支併列57,019,000元' → {'市款': …, '收支併列': …}; None when no such note."""
    parts = {k: int(v.replace(",", "").replace("，", "")) for k, v in _FUNDING.findall(str(text or ""))}
    return parts or None


def _heading_amount(text: object) -> int | None:
    m = _AMOUNT_IN_HEADING.search(str(text or ""))
    return int(m.group(1).replace(",", "").replace("，", "")) if m else None


def _value(grid: Grid, r: int, c: int) -> object:
    """Value at sheet row r, column c (1-based) of a grid that starts at A1."""
    rr, cc = r - grid.top, c - grid.left
    if 0 <= rr < len(grid.rows) and 0 <= cc < len(grid.rows[rr]):
        return grid.rows[rr][cc]
    return None


def _prior_related(book: BudgetBook, code: str, key: str) -> tuple[CellRef, ...]:
    source = {"上年度預算數": ("上年度預算數",), "前年度決算數": ("前年度決算數",),
              "本年度與上年度比較": ("上年度預算數",)}.get(key, ())
    return tuple(p.cells[k] for p in book.prior if p.code == code for k in source if k in p.cells)


def compare_schedules(book: BudgetBook, tables_read_back: Mapping[str, Grid]) -> list[Finding]:
    """Each schedule sheet read back, cell by cell, against what the inputs derive.

    ``tables_read_back`` maps sheet names (table titles) to grids from A1.
    Positions come from ``layout.layout_table``, as xlbudget wrote them. An
    officer's typed-over figure is named by its schedule cell; 說明 text is
    not compared, except the 市款／收支併列 figures in it.
    """
    findings: list[Finding] = []
    for table in derive_all(book):
        grid = tables_read_back.get(table.title[:31])
        if grid is None:
            continue
        layout = layout_table(table, book.agency)
        kinds = [c.kind for c in table.columns]
        for r in sorted(layout.data_rows):
            row = table.rows[layout.data_rows[r]]
            expected_row = layout.values[r - 1]
            if row.style == BANNER:
                exp = _heading_amount(expected_row[0])
                if exp is not None:
                    act = _heading_amount(_value(grid, r, 1))
                    if act != exp:
                        findings.append(finding("schedule-cell-mismatch", grid.ref(r - grid.top, 0), exp, act,
                                                table=table.title))
                continue
            changed = False
            for c, kind in enumerate(kinds, start=1):
                if kind == LABEL and compact_key(expected_row[c - 1]) != compact_key(_value(grid, r, c)):
                    findings.append(finding("schedule-rows-changed", grid.ref(r - grid.top, c - 1),
                                            expected_row[c - 1], _value(grid, r, c), table=table.title))
                    changed = True
                    break
            if changed:
                break
            for c, kind in enumerate(kinds, start=1):
                exp = expected_row[c - 1]
                raw = _value(grid, r, c)
                if kind == AMOUNT and type(raw) is int and raw == (exp or 0):
                    continue  # the common case, without building a cell reference
                cell = grid.ref(r - grid.top, c - 1)
                if kind == AMOUNT:
                    fig = read_figure(raw, cell)
                    if not fig.readable:
                        findings.append(unverifiable(fig))
                    elif (fig.value or 0) != (exp or 0):
                        findings.append(finding("schedule-cell-mismatch", cell, exp, fig.value, table=table.title,
                                                related=_prior_related(book, row.code, table.columns[c - 1].key)))
                elif kind == TEXT and funding_parts(exp) is not None:
                    if funding_parts(exp) != funding_parts(raw):
                        findings.append(finding("schedule-cell-mismatch", cell, exp, raw, table=table.title))
    return findings


def compare_sentences(book: BudgetBook, grid: Grid) -> list[Finding]:
    """總說明's figure sentences (column D, written by build) read back against what the inputs derive.

    Only a sheet that carries our header in D1 was built; a sentence changed,
    emptied or missing is named by its cell. Lines below the sentences are not ours.
    """
    from xlbudget.derive.narrative import NARRATIVE_COLUMN, NARRATIVE_HEADER, standard_sentences

    if compact_key(_value(grid, 1, NARRATIVE_COLUMN)) != compact_key(NARRATIVE_HEADER):
        return []
    findings = []
    for r, sentence in enumerate(standard_sentences(book), start=2):
        typed = _value(grid, r, NARRATIVE_COLUMN)
        if compact_key(typed) != compact_key(sentence):
            findings.append(finding("narrative-sentence-changed", grid.ref(r - grid.top, NARRATIVE_COLUMN - grid.left),
                                    sentence, typed))
    return findings


def check_book(book: BudgetBook, tables_read_back: Mapping[str, Grid] | None = None,
               checks: tuple[BookCheck, ...] = BOOK_CHECKS) -> list[Finding]:
    """Check a template book: its inputs, and any schedule sheets present against what the inputs derive.

    Findings from reading the inputs (inputs.read_book) are not repeated here;
    ``check_workbook`` adds them.
    """
    findings = [f for check in checks for f in check(book)]
    if tables_read_back:
        findings += compare_schedules(book, tables_read_back)
        if SHEET_NARRATIVE in tables_read_back:
            findings += compare_sentences(book, tables_read_back[SHEET_NARRATIVE])
    return findings


# ----------------------------------------------------------------- reports

@dataclass
class CheckReport:
    """What a check found: the kind of book (template / printed), the findings, and which tables were read."""

    kind: str  # "template" (our input sheets) or "printed" (hand-made printed tables)
    findings: list[Finding]
    tables: tuple[str, ...] = ()

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


def _sort_key(order: dict[str, int]):
    def key(f: Finding):
        if f.cell is None:
            return (-1, 0, 0, f.rule)
        m = re.match(r"([A-Z]+)(\d+)", f.cell.cell)
        col = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(m.group(1)))) if m else 0
        return (order.get(f.cell.sheet, 999), int(m.group(2)) if m else 0, col, f.rule)
    return key


def sort_findings(findings: Iterable[Finding], sheet_order: Iterable[str] = ()) -> list[Finding]:
    """Findings in sheet order, then row, then column; duplicates (same rule and cell) dropped."""
    order = {name: i for i, name in enumerate(sheet_order)}
    seen, unique = set(), []
    for f in findings:
        key = (f.rule, f.cell, f.message)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return sorted(unique, key=_sort_key(order))


def check_sheets(sheets: Mapping[str, SheetGrid], inputs: Mapping[str, Grid] | None = None,
                 file: str | None = None, checks: tuple[BookCheck, ...] = BOOK_CHECKS) -> CheckReport:
    """Check a whole book given as grids: a template book when ``inputs`` holds our input sheets, else printed.

    ``sheets`` are every sheet from A1 (formula cells already replaced by
    their cached values or ``printed.Uncached``); ``inputs`` the input sheets
    as ``xlsxfile.input_grids`` / an xlwings reader gives them. Raises
    InputError when the inputs cannot be read, or when a book without input
    sheets has no printed table xlbudget recognises.
    """
    from xlbudget.readers.inputs import INPUT_SHEETS, read_book
    from xlbudget.derive.schedules import derive_all

    if not inputs or not is_template_book(inputs):
        return check_printed_sheets(sheets, file)
    book, reading = read_book(dict(inputs), file)
    titles = {t.title[:31] for t in derive_all(book)}  # every schedule this book has, people and trips too
    schedules = {name: sg.grid for name, sg in sheets.items() if name in titles and name not in INPUT_SHEETS}
    read_back = dict(schedules)
    if SHEET_NARRATIVE in sheets:  # its figure sentences (column D) are derived cells too
        read_back[SHEET_NARRATIVE] = sheets[SHEET_NARRATIVE].grid
    findings = reading + check_book(book, read_back, checks)
    return CheckReport("template", sort_findings(findings, sheets), tuple(schedules))


def check_printed_sheets(sheets: Mapping[str, SheetGrid], file: str | None = None) -> CheckReport:
    """Check a hand-made book: find its printed tables and run the printed rules."""
    from xlbudget.core.errors import InputError
    from xlbudget.readers.printed import read_tables

    tables, unreadable = read_tables(list(sheets.values()))
    if not tables:
        raise InputError([f"找不到輸入工作表（基本資料、歲出明細），也找不到可辨識的預算表（依表名及欄名）；"
                          f"工作表：{'、'.join(sheets)}"]
                         + [f"{u.cell} 是「{u.title}」的表名，但{u.reason}" for u in unreadable], file)
    findings = list(check_unreadable_tables(unreadable)) + check_printed(tables)
    return CheckReport("printed", sort_findings(findings, sheets), tuple(dict.fromkeys(t.title for t in tables)))


def check_workbook(wb, values_wb=None, file: str | None = None,
                   checks: tuple[BookCheck, ...] = BOOK_CHECKS) -> CheckReport:
    """Check an openpyxl workbook, template or hand-made; formulas are read by their cached values.

    ``values_wb`` is the same file opened with data_only=True (needed only
    when the book holds formulas). Raises InputError (zh-TW, naming the file,
    sheet and cell) when the book cannot be read.
    """
    from xlbudget.adapters.xlsxfile import input_grids, workbook_sheets

    sheets = {name: sg for name, sg in workbook_sheets(wb, values_wb, file).items() if name not in OWN_SHEETS}
    grids = input_grids(wb, file, values_wb)  # formulas by cached value; none → named by read_book
    if not is_template_book(grids):
        return check_printed_sheets(sheets, file)
    return check_sheets(sheets, grids, file, checks)


def is_template_book(sheet_names) -> bool:
    """A book with our input sheets (基本資料 or 歲出明細, names matched as keys) is checked as a template book.

    Either one is enough: a template whose other sheet is missing is told so,
    never checked as a hand-made printed book with 0 findings.
    """
    from xlbudget.readers.inputs import SHEET_AGENCY, SHEET_EXPENSES, input_sheet_names

    found = input_sheet_names(sheet_names)
    return SHEET_AGENCY in found or SHEET_EXPENSES in found


def check_printed(tables, checks: tuple | None = None) -> list[Finding]:
    """The printed rules on tables read from a hand-made book (see printed.find_tables).

    A subtotal that disagrees with its parts only because of a part (or the
    subtotal itself) already named by another finding is not reported again:
    the officer is sent to the wrong figure, not to every total above it.
    """
    findings = [f for check in (PRINTED_CHECKS if checks is None else checks) for f in check(tables)]
    return explain_subtotals(findings)


def _delta(f: Finding) -> int | None:
    if isinstance(f.expected, int) and isinstance(f.actual, int):
        return f.actual - f.expected
    return None


def explain_subtotals(findings: list[Finding]) -> list[Finding]:
    """Drop subtotal-mismatch findings fully explained by findings on their parts or on the subtotal itself.

    Deeper subtotals are judged first (reverse document order), so a wrong
    part explains its subtotal, and that subtotal's kept finding explains
    the total above it.
    """
    kept = list(findings)
    for f in reversed(findings):
        if f.rule != "subtotal-mismatch" or _delta(f) is None:
            continue
        others = [g for g in kept if g is not f and g.rule != "rounding-difference" and _delta(g) is not None]
        own = [g for g in others if g.cell == f.cell and _delta(g) == _delta(f)]
        pinned, any_part = 0, False
        for c in dict.fromkeys(f.related):
            g = next((g for g in others if g.cell == c), None)
            if g is not None:
                pinned += _delta(g)
                any_part = True
        if own or (any_part and pinned == -_delta(f)):
            kept.remove(f)
    return kept


def check_ods(path) -> CheckReport:
    """Check an .ods book (read through python-calamine, the same grids as every other reader)."""
    from pathlib import Path

    from python_calamine import CalamineWorkbook

    from xlbudget.adapters.fastread import _mark_ods_errors, ods_extras, read_grids
    from xlbudget.readers.inputs import Grid
    from xlbudget.readers.printed import SheetGrid

    name = Path(path).name
    inputs = read_grids(path)
    extras = ods_extras(Path(path), merges=True)  # error values and merged cells, which calamine does not give
    sheets = {}
    book = CalamineWorkbook.from_path(str(path))
    for sheet in book.sheets_metadata:
        data = book.get_sheet_by_name(sheet.name)
        rows = [list(r) for r in data.to_python()]
        top, left = data.start if rows else (0, 0)
        rows = [[""] * left + r for r in ([[]] * top + rows)]  # from A1, as workbook_sheets gives them
        errors, merges = extras.get(sheet.name, ({}, []))
        _mark_ods_errors(errors, rows, 0, 0)
        sheets[sheet.name] = SheetGrid(Grid(sheet.name, rows, 1, 1, name), tuple(merges))
    sheets = {n: sg for n, sg in sheets.items() if n not in OWN_SHEETS}
    if not is_template_book(inputs):
        return check_printed_sheets(sheets, name)
    return check_sheets(sheets, inputs, name)


def check_file(path) -> tuple[CheckReport, object]:
    """Open ``path`` (never writing to it) and check it; returns the report and the openpyxl workbook."""
    from pathlib import Path

    from xlbudget.adapters.xlsxfile import has_formulas, is_ods, open_workbook

    if Path(path).is_file() and Path(path).stat().st_size and is_ods(path):
        return check_ods(path), None
    wb = open_workbook(path)
    values_wb = open_workbook(path, data_only=True) if has_formulas(wb) else None
    return check_workbook(wb, values_wb, Path(path).name), wb



# ----------------------------------------------------------------- rules on printed tables

from xlbudget.readers.printed import (AGENCY_BUDGET as P_AGENCY, CAPITAL as P_CAPITAL, DETAIL as P_DETAIL,  # noqa: E402
                      FUNCTION_ECON as P_FUNCTION, LEVEL1 as P_LEVEL1, REVENUE_DETAIL as P_REV_DETAIL,
                      REVENUE_SOURCES as P_REV_SOURCES, SUMMARY as P_SUMMARY, TAIPEI_AGENCY_BUDGET as P_TAIPEI_AGENCY,
                      TAIPEI_REVENUE as P_TAIPEI_REVENUE, PLAN_CODE as P_PLAN_CODE, PrintedRow, PrintedTable)

PrintedCheck = Callable[[list], Iterable[Finding]]


def _table(tables, title: str) -> PrintedTable | None:
    return next((t for t in tables if t.title == title), None)


def _v(row: PrintedRow, key: str) -> int:
    fig = row.figures.get(key)
    return fig.value or 0 if fig is not None else 0


def _readable(rows_keys) -> bool:
    return all(r.figures[k].readable for r, k in rows_keys if k in r.figures)


def _cell(row: PrintedRow, key: str) -> CellRef | None:
    fig = row.figures.get(key)
    return fig.cell if fig is not None else None


def _sum_finding(table: PrintedTable, total: PrintedRow, key: str, parts: list[tuple[PrintedRow, str]],
                 column: str = "", exact: bool = False) -> Finding | None:
    """total[key] = Σ parts; in a 千元 table a difference of up to half a 千元 per part is 尾差."""
    if not _readable([(total, key), *parts]):
        return None
    present = [(r, k) for r, k in parts if k in r.figures]
    if key not in total.figures and not present:
        return None
    expected = sum(_v(r, k) for r, k in present)
    actual = _v(total, key)
    diff = actual - expected
    if diff == 0:
        return None
    cell = _cell(total, key) or total.label_cell
    related = tuple(r.figures[k].cell for r, k in present)
    label = total.label or "合計"
    if table.unit == "千元" and not exact and 2 * abs(diff) <= len(present):
        return finding("rounding-difference", cell, expected, actual, related, label=label, column=column,
                       diff=f"{abs(diff):,}")
    return finding("subtotal-mismatch", cell, expected, actual, related, label=label, column=column)


def _tree_sums(table: PrintedTable, rows: list[PrintedRow], level: Callable[[PrintedRow], int | None],
               keys: Iterable[str]) -> list[Finding]:
    """Each row whose level is L equals the sum of the rows of the next deeper level beneath it."""
    found = []
    levelled = [(r, level(r)) for r in rows]
    levelled = [(r, lv) for r, lv in levelled if lv is not None]
    for i, (row, lv) in enumerate(levelled):
        children, child_level = [], None
        for other, olv in levelled[i + 1:]:
            if olv <= lv:
                break
            if child_level is None or olv < child_level:
                child_level, children = olv, []
            if olv == child_level:
                children.append(other)
        if not children:
            continue
        for key in keys:
            f = _sum_finding(table, row, key, [(c, key) for c in children], _column_name(key))
            if f:
                found.append(f)
    return found


def _column_name(key: str) -> str:
    return f"「{key}」欄" if key and not key.isdigit() else (f"{key} 欄" if key else "")


def _amount_keys(table: PrintedTable) -> list[str]:
    return list(dict.fromkeys(k for r in table.rows for k in r.figures))


def check_unreadable_tables(unreadable) -> Iterable[Finding]:
    """A title xlbudget recognises whose table it cannot read is a warning at the title: never skipped silently."""
    for u in unreadable:
        yield finding("table-unreadable", u.cell, sheet=u.cell.sheet, table=u.title, reason=u.reason)


def check_unreadable_figures(tables) -> Iterable[Finding]:
    """Every printed figure that cannot be read is unverifiable (and the sums it is part of are skipped)."""
    for table in tables:
        for row in table.rows:
            for fig in row.figures.values():
                if not fig.readable:
                    yield unverifiable(fig)


def check_unplaced_rows(tables) -> Iterable[Finding]:
    """A row with figures that no sum can place (no code, no 款項目節, not a total): a warning, never ignored."""
    levels = ((P_DETAIL, _detail_level), (P_REV_DETAIL, _detail_level), (P_SUMMARY, _summary_level),
              (P_LEVEL1, _plan_level), (P_CAPITAL, _plan_level), (P_AGENCY, _budget_level),
              (P_TAIPEI_AGENCY, _budget_level), (P_REV_SOURCES, _budget_level), (P_TAIPEI_REVENUE, _budget_level))
    for title, level in levels:
        table = _table(tables, title)
        if table is None:
            continue
        for row in table.rows:
            if row.figures and level(row) is None:
                cell = row.label_cell if row.label else next(iter(row.figures.values())).cell
                yield finding("row-unplaced", cell, table=title, label=row.label or "（空白）")


def check_amount_columns(tables) -> Iterable[Finding]:
    """A table without the amount column its rules sum (明細表 預算數, 機關別 本年度預算數, …) is not checked:
    a warning at its title naming the columns read, never a silent pass."""
    def has(key):
        return lambda keys: key in keys

    def budget(keys):
        return CURRENT in keys or SPLIT_TOTAL in keys

    def summary(keys):
        return any(k.startswith("合計") or re.fullmatch(P_PLAN_CODE, k) for k in keys)

    needed = {P_DETAIL: ("預算數", has("預算數")), P_REV_DETAIL: ("預算數", has("預算數")), P_SUMMARY: ("合計", summary),
              P_LEVEL1: ("合計", has("合計")), P_CAPITAL: ("合計", has("合計")), P_AGENCY: (CURRENT, budget),
              P_TAIPEI_AGENCY: (CURRENT, budget), P_REV_SOURCES: (CURRENT, budget), P_TAIPEI_REVENUE: (CURRENT, budget)}
    for table in tables:
        if table.title not in needed:
            continue
        word, present = needed[table.title]
        keys = _amount_keys(table)
        if keys and not present(keys):
            yield finding("table-unreadable", table.title_cell, sheet=table.sheet, table=table.title,
                          reason=f"表頭沒有「{word}」欄（讀到的金額欄：{'、'.join(keys)}），無法加總")


# -- 歲出計畫說明提要與各項費用明細表 / 歲入項目說明提要與預算明細表 (元)

def _detail_level(row: PrintedRow) -> int | None:
    if row.label.startswith("合計"):
        return 0
    if len(row.code) == 2 and row.name:
        return 1
    if len(row.code) == 4:
        return 2 if row.code.endswith("000") else 3
    if len(row.code) == 6:
        return 2 if row.code.endswith("00000") else 3
    if not row.label and ("預算數" in row.figures):
        return 4
    if len(row.code) == 11:  # 歲入明細表: an item labelled with its 科目
        return 4
    if row.label and not row.code and not row.label.startswith(("小計", "總計")):
        # a 分支計畫 whose number cannot be split from a name that starts with digits (01115年度人行道改善工程,
        # see keys.branch_key), or typed without a number: the only other labelled line a 明細表 prints
        return 1
    return None


def _item_product(table: PrintedTable, row: PrintedRow) -> Finding | None:
    quantity = row.texts.get("數量")
    price, amount = row.figures.get("單價"), row.figures.get("預算數")
    if quantity is None or price is None or amount is None or not (price.readable and amount.readable):
        return None
    from xlbudget.core.amounts import NotANumber, parse_quantity
    try:
        q = parse_quantity(quantity[0])
    except NotANumber:
        return None
    return item_product_finding(q, price.value, amount.value, amount.cell, quantity[1], price.cell, quantity[0])


def check_detail(tables) -> Iterable[Finding]:
    """明細表: items (數量×單價) → 二級 → 一級 → 分支計畫 → 合計, 市款／收支併列 notes, 預算金額, 千元 whole."""
    table_codes = codes.object_codes()
    for title in (P_DETAIL, P_REV_DETAIL):
        table = _table(tables, title)
        if table is None:
            continue
        blocks: dict[str, list[PrintedRow]] = defaultdict(list)
        for row in table.rows:
            blocks[row.context].append(row)
        for plan, rows in blocks.items():
            yield from _tree_sums(table, rows, _detail_level, ["預算數"])
            for row in rows:
                f = _item_product(table, row)
                if f:
                    yield f
            if title == P_DETAIL:
                yield from _funding_notes(table, rows)
                yield from _detail_codes(rows, table_codes)
                yield from _whole_thousands(plan, rows)
        for plan, text, cell in table.headings:
            stated = _heading_amount(text)
            total = next((r for r in blocks.get(plan, []) if r.label.startswith("合計")), None)
            if stated is None or total is None or not _readable([(total, "預算數")]):
                continue
            if stated != to_thousands(_v(total, "預算數")):
                yield finding("plan-heading-mismatch", cell, to_thousands(_v(total, "預算數")), stated,
                              (_cell(total, "預算數"),) if _cell(total, "預算數") else (), plan=plan)


def _funding_notes(table: PrintedTable, rows: list[PrintedRow]) -> Iterable[Finding]:
    noted = []
    for row in rows:
        text = row.texts.get("說明")
        parts = funding_parts(text[0]) if text else None
        lv = _detail_level(row)
        if parts is None or lv is None or lv > 2:
            continue
        noted.append((row, lv, parts, text[1]))
        if "預算數" in row.figures and row.figures["預算數"].readable and sum(parts.values()) != _v(row, "預算數"):
            yield finding("funding-note-mismatch", text[1], _v(row, "預算數"), sum(parts.values()),
                          (_cell(row, "預算數"),), label=row.label, what="市款＋收支併列")
    for i, (row, lv, parts, cell) in enumerate(noted):
        children, child_level = [], None
        for other, olv, oparts, ocell in noted[i + 1:]:
            if olv <= lv:
                break
            if child_level is None or olv < child_level:
                child_level, children = olv, []
            if olv == child_level:
                children.append((oparts, ocell))
        if not children:
            continue
        for key in ("市款", "收支併列"):
            expected = sum(p.get(key, 0) for p, _ in children)
            if parts.get(key, 0) != expected:
                yield finding("funding-note-mismatch", cell, expected, parts.get(key, 0),
                              tuple(c for _, c in children), label=row.label, what=key)


def _detail_codes(rows: list[PrintedRow], table_codes) -> Iterable[Finding]:
    for row in rows:
        if len(row.code) not in (4, 6) or _detail_level(row) not in (2, 3):
            continue
        code = row.code[:4]
        entry = table_codes.get(code)
        if entry is None:
            yield make_finding("unknown-object-code", row.label_cell, actual=code, code=code)
        elif row.name and row.name not in entry.names:
            yield make_finding("object-name-mismatch", row.label_cell, expected=entry.name, actual=row.name,
                               code=code)


def _whole_thousands(plan: str, rows: list[PrintedRow]) -> Iterable[Finding]:
    by_l1: dict[str, list[PrintedRow]] = defaultdict(list)
    for row in rows:
        if _detail_level(row) == 2:
            by_l1[row.code[:4]].append(row)
    for l1, l1_rows in by_l1.items():
        if not _readable([(r, "預算數") for r in l1_rows]):
            continue
        total = sum(_v(r, "預算數") for r in l1_rows)
        if total % 1000:
            cells = [_cell(r, "預算數") for r in l1_rows if _cell(r, "預算數")]
            yield make_finding("not-whole-thousand", cells[-1] if cells else None, actual=total,
                               related=tuple(cells[:-1]), plan=plan, code=l1)


def _detail_totals(tables) -> tuple[dict[str, int], dict[tuple[str, str], int], dict[str, dict[str, int]]] | None:
    """From the 明細表 (元): plan totals, (plan, 二級 or 一級 code) totals, and 市款／收支併列 per plan."""
    table = _table(tables, P_DETAIL)
    if table is None:
        return None
    plans: dict[str, int] = {}
    by_code: dict[tuple[str, str], int] = defaultdict(int)
    funding: dict[str, dict[str, int]] = {}
    # a 二級 line that disagrees with its own items is not a source to judge other tables by
    suspect = {(row.context, row.code[:4]) for row in table.rows
               if _detail_level(row) == 3 and _item_product(table, row) is not None}
    rows = list(table.rows)
    for i, row in enumerate(rows):
        if _detail_level(row) != 3:
            continue
        items = []
        for other in rows[i + 1:]:
            if _detail_level(other) != 4:
                break
            items.append(other)
        if items and sum(_v(o, "預算數") for o in items) != _v(row, "預算數") \
                or any(_item_product(table, o) is not None for o in items):
            suspect.add((row.context, row.code[:4]))
    for row in table.rows:
        lv = _detail_level(row)
        if lv == 0 and row.context not in plans:
            if not _readable([(row, "預算數")]):
                return None
            plans[row.context] = _v(row, "預算數")
            text = row.texts.get("說明")
            funding[row.context] = (funding_parts(text[0]) if text else None) or {}
        elif lv == 3:
            if not _readable([(row, "預算數")]):
                return None
            if (row.context, row.code[:4]) in suspect:
                by_code[row.context, row.code[:4]] = None  # type: ignore[assignment]
            elif by_code.get((row.context, row.code[:4]), 0) is not None:
                by_code[row.context, row.code[:4]] += _v(row, "預算數")
    return plans, dict(by_code), funding


# -- 各項費用彙計表

def _summary_level(row: PrintedRow) -> int | None:
    if row.label.startswith("合計"):
        return 0
    if len(row.code) in (6, 4):
        return 1 if row.code[1:4] == "000" else 2
    return None


def check_summary(tables) -> Iterable[Finding]:
    """各項費用彙計表: row 合計 = Σ plans; 一級 = Σ 二級; 合計 = Σ 一級; each cell = rounded 明細表 figure."""
    table = _table(tables, P_SUMMARY)
    if table is None:
        return
    keys = _amount_keys(table)
    plan_keys = [k for k in keys if re.fullmatch(P_PLAN_CODE, k)]
    total_key = next((k for k in keys if k.startswith("合計")), None)
    rows = [r for r in table.rows if _summary_level(r) is not None]
    if total_key:
        for row in rows:
            f = _sum_finding(table, row, total_key, [(row, k) for k in plan_keys], "合計欄")
            if f:
                yield f
    yield from _tree_sums(table, rows, _summary_level, keys)
    yield from _summary_codes(rows)
    detail = _detail_totals(tables)
    if detail is None:
        return
    plans, by_code, _ = detail
    for row in rows:
        lv = _summary_level(row)
        for key in plan_keys + ([total_key] if total_key else []):
            if lv == 0:
                yuan = plans.get(key) if key in plan_keys else sum(plans.values())
            else:
                code = row.code[:4]
                members = plan_keys if key == total_key else [key]
                parts = [v for (p, c), v in by_code.items() if p in members and
                         (c[0] == code[0] if lv == 1 else c == code)]
                yuan = None if None in parts else sum(parts)
            if yuan is None or not _readable([(row, key)]):
                continue
            expected = to_thousands(yuan) if table.unit == "千元" else yuan
            if _v(row, key) != expected:
                cell = _cell(row, key) or row.label_cell
                if table.unit == "千元":
                    yield finding("thousand-rounding-mismatch", cell, expected, _v(row, key), table=table.title,
                                  what=f"{row.label} {_column_name(key)}", yuan=f"{yuan:,}")
                else:
                    yield finding("cross-table-mismatch", cell, expected, _v(row, key), table=table.title,
                                  what=f"{row.label} {_column_name(key)}", other=P_DETAIL)


def _summary_codes(rows: list[PrintedRow]) -> Iterable[Finding]:
    table_codes = codes.object_codes()
    for row in rows:
        if len(row.code) != 6:
            continue
        code = row.code[:4]
        entry = table_codes.get(code)
        if entry is None or not row.code.endswith("00"):
            yield make_finding("unknown-object-code", row.label_cell, actual=row.code, code=row.code)
        elif row.name and row.name not in entry.names:
            yield make_finding("object-name-mismatch", row.label_cell, expected=entry.name, actual=row.name,
                               code=code)


# -- 歲出一級用途別科目分析表, 資本支出分析表, 歲出機關別預算表: rows keyed by 11-digit codes

def _plan_level(row: PrintedRow) -> int | None:
    if row.label.startswith(("合計", "總計")):
        return 0
    if len(row.code) == 10:
        return 1  # 主管 (0002000000)
    if len(row.code) == 11:
        if row.code.endswith("0000000"):
            return 1
        if row.code.endswith("0000"):
            return 2
        return 3 if row.code.endswith("00") else 4
    return None


def _group_sums(table: PrintedTable, row: PrintedRow, group: str, total_key: str) -> Finding | None:
    parts = [k for k in row.figures if k.startswith(group + "/") and k != total_key]
    if total_key not in row.figures and not parts:
        return None
    return _sum_finding(table, row, total_key, [(row, k) for k in parts], _column_name(total_key))


def check_level1(tables) -> Iterable[Finding]:
    """一級用途別科目分析表: 小計 = Σ 一級; 合計 = 經常 + 資本; rows by plan; 經資門 per code; vs 彙計表."""
    table = _table(tables, P_LEVEL1)
    if table is None:
        return
    keys = _amount_keys(table)
    rows = [r for r in table.rows if _plan_level(r) is not None]
    for row in rows:
        for group in ("經常支出", "資本支出"):
            f = _group_sums(table, row, group, f"{group}/小計")
            if f:
                yield f
        f = _sum_finding(table, row, "合計", [(row, "經常支出/小計"), (row, "資本支出/小計")], "「合計」欄")
        if f:
            yield f
        for key, basis in (("資本支出/人事費", "經常"), ("資本支出/債務費", "經常"), ("經常支出/設備及投資", "資本")):
            if _v(row, key):
                name = key.split("/")[1]
                yield finding("basis-column-not-allowed", _cell(row, key), None, _v(row, key), name=name,
                              expected=basis, actual=key.split("/")[0][:2])
    yield from _tree_sums(table, rows, _plan_level, keys)
    summary = _table(tables, P_SUMMARY)
    if summary is not None and summary.unit == table.unit:
        total_row = next((r for r in summary.rows if r.label.startswith("合計")), None)
        for row in rows:
            if total_row is None or len(row.code) != 11 or row.code.endswith("00"):
                continue
            if row.code in total_row.figures and _readable([(row, "合計"), (total_row, row.code)]) \
                    and _v(row, "合計") != _v(total_row, row.code):
                yield finding("cross-table-mismatch", _cell(row, "合計") or row.label_cell, _v(total_row, row.code),
                              _v(row, "合計"), (_cell(total_row, row.code),), table=table.title,
                              what=f"{row.label} 合計", other=P_SUMMARY)
        by_code = {r.code[:4]: r for r in summary.rows if len(r.code) == 6 and r.code[1:] == "00000"}
        for row in rows:
            if len(row.code) != 11 or row.code.endswith("00"):
                continue
            for l1, srow in by_code.items():
                name = _object_name(l1)
                cur, cap = f"經常支出/{name}", f"資本支出/{name}"
                if row.code not in srow.figures and cur not in row.figures and cap not in row.figures:
                    continue
                if not _readable([(row, cur), (row, cap), (srow, row.code)]):
                    continue
                both = _v(row, cur) and _v(row, cap)
                diff = _v(row, cur) + _v(row, cap) - _v(srow, row.code)
                if abs(diff) > (1 if both else 0):
                    key = cur if (cur in row.figures or cap not in row.figures) else cap
                    yield finding("cross-table-mismatch", _cell(row, key) or row.label_cell,
                                  _v(srow, row.code) - (_v(row, cap) if key == cur else _v(row, cur)), _v(row, key),
                                  tuple(c for c in (_cell(srow, row.code),) if c), table=table.title,
                                  what=f"{row.label} {name}", other=P_SUMMARY)
        if total_row is not None and rows and rows[0].label.startswith("合計"):
            total_key = next((k for k in total_row.figures if k.startswith("合計")), None)
            if total_key and _readable([(rows[0], "合計"), (total_row, total_key)]) \
                    and _v(rows[0], "合計") != _v(total_row, total_key):
                yield finding("cross-table-mismatch", _cell(rows[0], "合計"), _v(total_row, total_key),
                              _v(rows[0], "合計"), (_cell(total_row, total_key),), table=table.title,
                              what="合計", other=P_SUMMARY)


def _object_name(code: str) -> str:
    entry = codes.object_codes().get(code)
    return entry.name if entry else code


def check_capital(tables) -> Iterable[Finding]:
    """資本支出分析表: 合計 = Σ columns; rows by plan; 合計 = 一級用途別科目分析表 資本支出小計."""
    table = _table(tables, P_CAPITAL)
    if table is None:
        return
    keys = _amount_keys(table)
    rows = [r for r in table.rows if _plan_level(r) is not None]
    for row in rows:
        parts = [(row, k) for k in row.figures if k != "合計"]
        f = _sum_finding(table, row, "合計", parts, "「合計」欄")
        if f:
            yield f
    yield from _tree_sums(table, rows, _plan_level, keys)
    level1 = _table(tables, P_LEVEL1)
    if level1 is None:
        return
    by_code = {(r.code or r.label[:2]): r for r in level1.rows if _plan_level(r) is not None}
    for row in rows:
        other = by_code.get(row.code or row.label[:2])
        if other is None or not _readable([(row, "合計"), (other, "資本支出/小計")]):
            continue
        if _v(row, "合計") != _v(other, "資本支出/小計"):
            yield finding("cross-table-mismatch", _cell(row, "合計") or row.label_cell, _v(other, "資本支出/小計"),
                          _v(row, "合計"), tuple(c for c in (_cell(other, "資本支出/小計"),) if c),
                          table=table.title, what=f"{row.label} 合計", other=f"{P_LEVEL1}」資本支出小計「")


# 本年度預算數 as printed: one column, or (臺北市) 合計 / 經常門 / 資本門
CURRENT, SPLIT_TOTAL, SPLIT_CURRENT, SPLIT_CAPITAL = (
    "本年度預算數", "本年度預算數/合計", "本年度預算數/經常門", "本年度預算數/資本門")
PRIOR_KEYS = ("上年度預算數", "前年度決算數", "本年度與上年度比較")


def _current_key(table: PrintedTable) -> str:
    """The key of 本年度預算數 (its 合計 when the table splits it by 經資門)."""
    return SPLIT_TOTAL if SPLIT_TOTAL in table.columns else CURRENT


def _budget_keys(table: PrintedTable) -> tuple[str, ...]:
    split = (SPLIT_CURRENT, SPLIT_CAPITAL) if _current_key(table) == SPLIT_TOTAL else ()
    return (_current_key(table),) + split + PRIOR_KEYS


def _comparisons(table: PrintedTable) -> Iterable[Finding]:
    current = _current_key(table)
    for row in table.rows:
        keys = (current, "上年度預算數", "本年度與上年度比較")
        if "本年度與上年度比較" not in row.figures or not _readable([(row, k) for k in keys]):
            continue
        expected = _v(row, current) - _v(row, "上年度預算數")
        if _v(row, "本年度與上年度比較") != expected:
            yield finding("comparison-mismatch", _cell(row, "本年度與上年度比較"), expected,
                          _v(row, "本年度與上年度比較"),
                          tuple(c for c in (_cell(row, current), _cell(row, "上年度預算數")) if c))


def _basis_splits(table: PrintedTable) -> Iterable[Finding]:
    """本年度預算數 合計 = 經常門 + 資本門 on every row (臺北市 歲出預算表 / 歲入預算表); 千元 尾差 allowed."""
    if _current_key(table) != SPLIT_TOTAL:
        return
    for row in table.rows:
        f = _sum_finding(table, row, SPLIT_TOTAL, [(row, SPLIT_CURRENT), (row, SPLIT_CAPITAL)],
                         "「本年度預算數 合計」欄")
        if f:
            yield f


def _budget_level(row: PrintedRow) -> int | None:
    for i, number in enumerate(row.numbers):
        if number:
            return i + 1
    if row.label.startswith(("合計", "總計")) or row.label.endswith("合計"):
        return 0
    if not row.label and row.figures:  # the seed prints its total rows without a label
        return 0
    return None


def _whole_agency_rows(table: PrintedTable) -> set[int]:
    """The 主管 (款) and 機關 (項) lines that stand for the whole book: a level printed once.

    The seed prints one 主管 and one 機關; 新北's 統籌支撥科目 prints one 款 and five 項, each a part.
    """
    by_level: dict[int, list[PrintedRow]] = defaultdict(list)
    for row in table.rows:
        if _budget_level(row) in (1, 2) and row.figures:
            by_level[_budget_level(row)].append(row)
    return {id(rows[0]) for rows in by_level.values() if len(rows) == 1}


def _in_unit(value: int, unit: str, target: str) -> int:
    """A figure of a table in ``unit`` as a table in ``target`` prints it (元 → 千元 rounds half away from zero)."""
    return to_thousands(value) if (unit, target) == ("元", "千元") else value


def _versus_summary(table: PrintedTable, summary: PrintedTable | None) -> Iterable[Finding]:
    """本年度 per 工作計畫 = 彙計表 column total; 主管 and 機關 lines = 彙計表 合計 (a 元 彙計表 rounded to 千元)."""
    if summary is None or (summary.unit != table.unit and (summary.unit, table.unit) != ("元", "千元")):
        return
    total_row = next((r for r in summary.rows if r.label.startswith("合計")), None)
    if total_row is None:
        return
    current = _current_key(table)
    total_key = next((k for k in total_row.figures if k.startswith("合計")), None)
    whole = _whole_agency_rows(table)
    for row in table.rows:
        key = row.code if row.code in total_row.figures else (total_key if id(row) in whole else None)
        if key is None or not _readable([(row, current), (total_row, key)]):
            continue
        expected = _in_unit(_v(total_row, key), summary.unit, table.unit)
        if _v(row, current) == expected:
            continue
        cell, what = _cell(row, current) or row.label_cell, f"{row.label or '合計'} 本年度預算數"
        if summary.unit != table.unit:
            yield finding("thousand-rounding-mismatch", cell, expected, _v(row, current), (_cell(total_row, key),),
                          table=table.title, what=what, yuan=f"{_v(total_row, key):,}")
        else:
            yield finding("cross-table-mismatch", cell, expected, _v(row, current), (_cell(total_row, key),),
                          table=table.title, what=what, other=P_SUMMARY)


def _versus_level1(table: PrintedTable, level1: PrintedTable | None, with_total: bool) -> Iterable[Finding]:
    """經常門 / 資本門 (and 合計 when ``with_total``) = 一級用途別科目分析表 經常支出小計 / 資本支出小計 / 合計.

    Plans are matched by code; the 主管 and 機關 lines by the analysis table's 合計 row.
    """
    if level1 is None or level1.unit != table.unit:
        return
    pairs = [(SPLIT_CURRENT, "經常支出/小計"), (SPLIT_CAPITAL, "資本支出/小計")] \
        if _current_key(table) == SPLIT_TOTAL else []
    if with_total:
        pairs.insert(0, (_current_key(table), "合計"))
    by_code = {r.code: r for r in level1.rows if len(r.code) == 11}
    whole = _whole_agency_rows(table)
    l1_total = next((r for r in level1.rows if r.label.startswith(("合計", "總計"))), None)
    for row in table.rows:
        other = by_code.get(row.code) if row.code else None
        if other is None and id(row) in whole:
            other = l1_total
        if other is None:
            continue
        for key, other_key in pairs:
            if not _readable([(row, key), (other, other_key)]) or (key not in row.figures
                                                                   and other_key not in other.figures):
                continue
            if _v(row, key) != _v(other, other_key):
                yield finding("cross-table-mismatch", _cell(row, key) or row.label_cell, _v(other, other_key),
                              _v(row, key), tuple(c for c in (_cell(other, other_key),) if c), table=table.title,
                              what=f"{row.label} {_column_name(key)}（對照{other_key.replace('/', '')}）",
                              other=P_LEVEL1)


def check_agency_budget(tables) -> Iterable[Finding]:
    """歲出機關別預算表 / 歲出預算表: 比較 = 本年度 − 上年度; 合計 = 經常門 + 資本門; 款 → 項 → 目 → 節 sums;
    本年度 per plan = 彙計表; 經常門 / 資本門 = 一級用途別科目分析表."""
    summary, level1 = _table(tables, P_SUMMARY), _table(tables, P_LEVEL1)
    for title in (P_AGENCY, P_TAIPEI_AGENCY):
        table = _table(tables, title)
        if table is None:
            continue
        yield from _comparisons(table)
        yield from _basis_splits(table)
        yield from _tree_sums(table, list(table.rows), _budget_level, _budget_keys(table))
        yield from _versus_summary(table, summary)
        # 合計 against the analysis table only when no 彙計表 speaks for it: one wrong figure, one finding
        yield from _versus_level1(table, level1, with_total=summary is None)


def check_revenue_sources(tables) -> Iterable[Finding]:
    """歲入來源別預算表 / 歲入預算表: 比較 = 本年度 − 上年度; 合計 = 經常門 + 資本門; 款 → 項 → 目 → 節 sums;
    合計 = Σ 款."""
    for title in (P_REV_SOURCES, P_TAIPEI_REVENUE):
        table = _table(tables, title)
        if table is None:
            continue
        yield from _comparisons(table)
        yield from _basis_splits(table)
        keys = _budget_keys(table)
        rows = [r for r in table.rows if _budget_level(r) is not None]
        first_total = next((r for r in rows if _budget_level(r) == 0), None)
        body = [r for r in rows if _budget_level(r) != 0]
        if first_total is not None:
            yield from _tree_sums(table, [first_total] + body, _budget_level, keys)
            by_basis = [r for r in rows if _budget_level(r) == 0 and r is not first_total]
            for key in keys if by_basis else ():
                f = _sum_finding(table, first_total, key, [(r, key) for r in by_basis], _column_name(key))
                if f:
                    yield f
        else:
            yield from _tree_sums(table, body, _budget_level, keys)


def check_split_halves(tables) -> Iterable[Finding]:
    """A line of a table's second column half (its second page) that matches no line of the first half."""
    for table in tables:
        for row in table.unjoined:
            cell = next(iter(row.figures.values())).cell if row.figures else row.label_cell
            yield make_finding("half-row-unmatched", cell, table=table.title)


def check_function_econ(tables) -> Iterable[Finding]:
    """職能及經濟性綜合分類表: 經常/資本支出合計 = Σ columns; 總計 = both; 總計 row = Σ 職能; 總計 = 彙計表 合計."""
    table = _table(tables, P_FUNCTION)
    if table is None:
        return
    keys = _amount_keys(table)
    for row in table.rows:
        for group in ("經常支出", "資本支出"):
            f = _group_sums(table, row, group, f"{group}/{group}合計")
            if f:
                yield f
        f = _sum_finding(table, row, "總計", [(row, "經常支出/經常支出合計"), (row, "資本支出/資本支出合計")],
                         "「總計」欄")
        if f:
            yield f
    level = lambda r: 0 if r.label.startswith(("總計", "合計")) else (1 if len(r.code) == 2 else None)  # noqa: E731
    yield from _tree_sums(table, list(table.rows), level, keys)
    total = next((r for r in table.rows if level(r) == 0), None)
    level1 = _table(tables, P_LEVEL1)
    summary = _table(tables, P_SUMMARY)
    pairs = []
    if level1 is not None:
        l1_total = next((r for r in level1.rows if r.label.startswith("合計")), None)
        if l1_total is not None:
            pairs += [("經常支出/經常支出合計", l1_total, "經常支出/小計", P_LEVEL1),
                      ("資本支出/資本支出合計", l1_total, "資本支出/小計", P_LEVEL1),
                      ("總計", l1_total, "合計", P_LEVEL1)]
    elif summary is not None and summary.unit == table.unit:
        s_total = next((r for r in summary.rows if r.label.startswith("合計")), None)
        key = next((k for k in (s_total.figures if s_total else {}) if k.startswith("合計")), None)
        if key:
            pairs.append(("總計", s_total, key, P_SUMMARY))
    for key, other_row, other_key, other in pairs:
        if total is None or not _readable([(total, key), (other_row, other_key)]):
            continue
        if _v(total, key) != _v(other_row, other_key):
            yield finding("cross-table-mismatch", _cell(total, key) or total.label_cell, _v(other_row, other_key),
                          _v(total, key), tuple(c for c in (_cell(other_row, other_key),) if c),
                          table=table.title, what=f"總計 {_column_name(key)}", other=other)


def check_matched_printed(tables) -> Iterable[Finding]:
    """收支併列 in the 明細表 notes (元) = 歲入項目說明提要與預算明細表 補助收入 (09…) items."""
    detail = _detail_totals(tables)
    revenue = _table(tables, P_REV_DETAIL)
    if detail is None or revenue is None:
        return
    spent = sum(parts.get("收支併列", 0) for parts in detail[2].values())
    totals = [r for r in revenue.rows if r.label.startswith("合計") and r.context.startswith("09")]
    if not totals or not _readable([(r, "預算數") for r in totals]):
        return
    received = sum(_v(r, "預算數") for r in totals)
    if spent != received:
        yield finding("matched-revenue-mismatch", _cell(totals[0], "預算數"), spent, received,
                      tuple(_cell(r, "預算數") for r in totals[1:]))




# -- people and trips: 人事費彙計表 (人事費分析表), 約聘僱人員費用分析表, 員額編制表, 派員出國計畫預算總表 / 類別表

from xlbudget.readers.inputs import PAY_COMPONENTS  # noqa: E402
from xlbudget.derive.personnel import FORMAL_CLASSES  # noqa: E402
from xlbudget.readers.printed import (CONTRACT as P_CONTRACT, STAFF_ANALYSIS as P_STAFF_ANALYSIS,  # noqa: E402
                      STAFF_COSTS as P_STAFF_COSTS, STAFFING as P_STAFFING, TRIPS_BY_KIND as P_TRIPS_BY_KIND,
                      TRIPS_SUMMARY as P_TRIPS_SUMMARY)

HEADCOUNT, PAY_TOTAL = "預算員額", "全年度人事費/合計"
FORMAL = "正式員額"
# 人事費彙計表 column → 各項費用彙計表 二級 line (1005 民意代表待遇 … 1055 保險); the total → 1000 人事費
PAY_CODES = {name: code for name, code in PAY_COMPONENTS}


def _is_total(row: PrintedRow) -> bool:
    return row.label.startswith(("合計", "總計"))


def _class_parts(rows: list[PrintedRow]) -> tuple[list[PrintedRow], list[PrintedRow]]:
    """(the rows a 合計 adds up, the formal classes 正式員額 adds up); 正式員額 stands for its classes."""
    body = [r for r in rows if not _is_total(r)]
    formal_row = any(r.label == FORMAL for r in body)
    formal = [r for r in body if r.label in FORMAL_CLASSES]
    top = [r for r in body if not (formal_row and r.label in FORMAL_CLASSES)]
    return top, formal


def _staff_block(table: PrintedTable, rows: list[PrintedRow]) -> Iterable[Finding]:
    """One 人事費 table (or one plan of 人事費分析表): row 合計 = Σ components; 合計 / 正式員額 rows = Σ classes."""
    components = [k for k in table.columns if k.startswith("全年度人事費/") and k != PAY_TOTAL]
    for row in rows:
        f = _sum_finding(table, row, PAY_TOTAL, [(row, k) for k in components], "「合計」欄")
        if f:
            yield f
    top, formal = _class_parts(rows)
    total = next((r for r in rows if _is_total(r)), None)
    formal_row = next((r for r in rows if r.label == FORMAL), None)
    for key in [HEADCOUNT] + components + [PAY_TOTAL]:
        if total is not None:
            f = _sum_finding(table, total, key, [(r, key) for r in top], _column_name(key.split("/")[-1]))
            if f:
                yield f
        if formal_row is not None and formal:
            f = _sum_finding(table, formal_row, key, [(r, key) for r in formal], _column_name(key.split("/")[-1]))
            if f:
                yield f


def _versus_summary_line(table: PrintedTable, row: PrintedRow, key: str, summary: PrintedTable,
                         code: str, column: str, what: str) -> Finding | None:
    """A 元 figure of ``table`` against the 彙計表 line ``code`` in ``column`` (rounded when that is in 千元).

    A line the 彙計表 leaves blank counts as 0, a 彙計表 without the line is not judged.
    """
    srow = next((r for r in summary.rows if len(r.code) in (4, 6) and r.code[:4] == code), None)
    if srow is None or not _readable([(row, key), (srow, column)]):
        return None
    if key not in row.figures and column not in srow.figures:
        return None
    expected = _in_unit(_v(row, key), table.unit, summary.unit)
    if _v(srow, column) == expected:
        return None
    cell = _cell(srow, column) or srow.label_cell
    related = tuple(c for c in (_cell(row, key),) if c)
    if summary.unit != table.unit:
        return finding("thousand-rounding-mismatch", cell, expected, _v(srow, column), related, table=P_SUMMARY,
                       what=what, yuan=f"{_v(row, key):,}")
    return finding("cross-table-mismatch", cell, expected, _v(srow, column), related, table=P_SUMMARY, what=what,
                   other=table.title)


def _plan_column(summary: PrintedTable, plan: str) -> str | None:
    """The 彙計表 column of a plan named as printed (0132010100-行政支出-一般行政-行政管理, 一般行政-行政管理):
    its code when it prints one, else the one column whose header name is the plan's last part."""
    m = re.search(P_PLAN_CODE, plan)
    if m and m.group(0) in summary.columns:
        return m.group(0)
    name = compact_key(plan).split("-")[-1]
    keys = [k for k, n in summary.column_names if n == name]
    return keys[0] if len(keys) == 1 else None


def _staff_versus_summary(table: PrintedTable, rows: list[PrintedRow], summary: PrintedTable | None,
                          column: str | None) -> Iterable[Finding]:
    """Each component's 合計 row = the 彙計表 二級 line (1015 … 1055) and the total = 1000 人事費, in ``column``."""
    total = next((r for r in rows if _is_total(r)), None)
    if summary is None or total is None or column is None:
        return
    label = "合計欄" if column.startswith("合計") else f"{column} 欄"
    for key in [k for k in table.columns if k.startswith("全年度人事費/")]:
        name = key.split("/")[-1]
        code = "1000" if key == PAY_TOTAL else PAY_CODES.get(name)
        if code is None:
            continue
        f = _versus_summary_line(table, total, key, summary, code, column,
                                 f"{code}{'人事費' if code == '1000' else name} {label}")
        if f:
            yield f


def check_staff_costs(tables) -> Iterable[Finding]:
    """人事費彙計表 (and 臺中's 人事費分析表 per plan): row 合計 = Σ components; 合計 = Σ classes with 正式員額
    standing for its classes; 預算員額 likewise; columns = 各項費用彙計表 1015 … 1055 and 1000 (千元 rounded)."""
    summary = _table(tables, P_SUMMARY)
    total_key = next((k for k in (summary.columns if summary else ()) if k.startswith("合計")), None)
    table = _table(tables, P_STAFF_COSTS)
    if table is not None:
        yield from _staff_block(table, list(table.rows))
        yield from _staff_versus_summary(table, list(table.rows), summary, total_key)
    analysis = _table(tables, P_STAFF_ANALYSIS)
    if analysis is not None:
        blocks: dict[str, list[PrintedRow]] = defaultdict(list)
        for row in analysis.rows:
            blocks[row.context].append(row)
        for plan, rows in blocks.items():
            yield from _staff_block(analysis, rows)
            if summary is not None:
                yield from _staff_versus_summary(analysis, rows, summary, _plan_column(summary, plan))


_PERSON_MONTHS = re.compile(r"^(\d+)\s*[xX×*＊]\s*(\d+)$")


def _contract_levels(table: PrintedTable) -> list[tuple[PrintedRow, int]]:
    """約聘僱人員費用分析表: 合計 0, 款 1 … 節 4, a name line without number below 節 5, groups (人*月) 6."""
    out, last = [], 0
    for row in table.rows:
        months = [k for k in row.texts if "人*月" in k or "人＊月" in k]
        if "全年度預算數" not in row.figures:
            continue
        if months:
            out.append((row, 6))
        elif any(row.numbers):
            last = next(i + 1 for i, n in enumerate(row.numbers) if n)
            out.append((row, last))
        elif _is_total(row) or not out:
            out.append((row, 0))
        else:
            out.append((row, min(last + 1, 5)))
    return out


def _persons(text: str) -> int | None:
    m = _PERSON_MONTHS.match(compact_key(text))
    return int(m.group(1)) if m else None


def check_contract(tables) -> Iterable[Finding]:
    """約聘僱人員費用分析表: 合計 → 款 → 項 → 目 → 節 → groups; 合計 = 人事費彙計表 約聘僱人員 合計;
    Σ persons of the 人*月 groups (3x12 → 3) = that row's 預算員額."""
    table = _table(tables, P_CONTRACT)
    if table is None:
        return
    levelled = _contract_levels(table)
    level = dict((id(r), lv) for r, lv in levelled)
    yield from _tree_sums(table, [r for r, _ in levelled], lambda r: level.get(id(r)), ["全年度預算數"])
    staff = _table(tables, P_STAFF_COSTS)
    staff_row = next((r for r in staff.rows if r.label == "約聘僱人員"), None) if staff else None
    total = next((r for r, lv in levelled if lv == 0), None)
    if staff_row is not None and total is not None and _readable([(total, "全年度預算數"), (staff_row, PAY_TOTAL)]) \
            and _v(total, "全年度預算數") != _v(staff_row, PAY_TOTAL):
        yield finding("contract-total-mismatch", _cell(total, "全年度預算數"), _v(staff_row, PAY_TOTAL),
                      _v(total, "全年度預算數"), tuple(c for c in (_cell(staff_row, PAY_TOTAL),) if c))
    persons, cells = 0, []
    for row, lv in levelled:
        if lv != 6:
            continue
        for key, (text, cell) in row.texts.items():
            if "人*月" not in key and "人＊月" not in key:
                continue
            n = _persons(text)
            if n is None:
                yield make_finding("person-months-unreadable", cell, actual=text, raw=text)
                persons = None  # type: ignore[assignment]
                break
            persons += n
            cells.append(cell)
        if persons is None:
            break
    if staff_row is not None and persons is not None and cells and _readable([(staff_row, HEADCOUNT)]) \
            and _v(staff_row, HEADCOUNT) != persons:
        yield finding("headcount-mismatch", _cell(staff_row, HEADCOUNT) or staff_row.label_cell, persons,
                      _v(staff_row, HEADCOUNT), tuple(cells), category="約聘僱人員",
                      source=f"{P_CONTRACT}各組人數（人*月之人數）")


STAFFING_KEYS = ("法定編制員額", "本年度預算員額", "上年度預算員額", "與上年度預算員額比較增減")


def check_staffing(tables) -> Iterable[Finding]:
    """員額編制表: 比較增減 = 本年度 − 上年度; a printed 合計 row = Σ rows; 本年度預算員額 = 人事費彙計表 預算員額."""
    table = _table(tables, P_STAFFING)
    if table is None:
        return
    cur, prior, change = "本年度預算員額", "上年度預算員額", "與上年度預算員額比較增減"
    for row in table.rows:
        if change in row.figures and _readable([(row, k) for k in (cur, prior, change)]) \
                and _v(row, change) != _v(row, cur) - _v(row, prior):
            yield finding("comparison-mismatch", _cell(row, change), _v(row, cur) - _v(row, prior), _v(row, change),
                          tuple(c for c in (_cell(row, cur), _cell(row, prior)) if c))
    total = next((r for r in table.rows if _is_total(r)), None)
    if total is not None:
        body = [r for r in table.rows if not _is_total(r)]
        for key in STAFFING_KEYS:
            f = _sum_finding(table, total, key, [(r, key) for r in body], _column_name(key))
            if f:
                yield f
    staff = _table(tables, P_STAFF_COSTS)
    by_class = {r.label: r for r in staff.rows} if staff else {}
    for row in table.rows:
        other = by_class.get(row.label)
        if other is None or _is_total(row) or HEADCOUNT not in other.figures \
                or not _readable([(row, cur), (other, HEADCOUNT)]):
            continue
        if _v(other, HEADCOUNT) != _v(row, cur):
            yield finding("headcount-mismatch", _cell(other, HEADCOUNT), _v(row, cur), _v(other, HEADCOUNT),
                          tuple(c for c in (_cell(row, cur),) if c), category=row.label,
                          source=f"{P_STAFFING}本年度預算員額")


def _trip_key(table: PrintedTable, name: str) -> str:
    return next((k for k in table.columns if k.split("/")[-1] == name), name)


def check_trips(tables) -> Iterable[Finding]:
    """派員出國計畫: 類別表 交通費 + 生活費 + 辦公費 = 合計 (尾差 allowed); 總表 合計 = Σ 類別; 總表 本年度 per
    類別 = Σ 類別表; Σ 類別表 合計 = 彙計表 2078 國外旅費, per 工作計畫 where 歸屬預算科目 names it."""
    kinds = _table(tables, P_TRIPS_BY_KIND)
    summary_t = _table(tables, P_TRIPS_SUMMARY)
    trips = []
    if kinds is not None:
        total_key = _trip_key(kinds, "合計")
        parts = [_trip_key(kinds, n) for n in ("交通費", "生活費", "辦公費")]
        trips = [r for r in kinds.rows if total_key in r.figures]
        for row in trips:
            f = _sum_finding(kinds, row, total_key, [(row, k) for k in parts], "「旅費預算 合計」欄")
            if f:
                yield f
    if summary_t is not None:
        total = next((r for r in summary_t.rows if _is_total(r)), None)
        body = [r for r in summary_t.rows if not _is_total(r)]
        for key in [k for k in summary_t.columns if k in summary_t.columns and any(k in r.figures for r in summary_t.rows)]:
            if total is not None:
                f = _sum_finding(summary_t, total, key, [(r, key) for r in body], _column_name(key),
                                 exact="項數" in key)
                if f:
                    yield f
        if kinds is not None:
            total_key = _trip_key(kinds, "合計")
            for row in body:
                mine = [r for r in trips if compact_key(r.context) == row.label]
                checks = [("本年度預算數", sum(_v(r, total_key) for r in mine), [(r, total_key) for r in mine]),
                          ("本年度計畫項數", len(mine), [])]
                for key, expected, related in checks:
                    if key not in row.figures and not mine:
                        continue
                    if not _readable([(row, key), *related]) or _v(row, key) == expected:
                        continue
                    yield finding("cross-table-mismatch", _cell(row, key) or row.label_cell, expected, _v(row, key),
                                  tuple(r.figures[k].cell for r, k in related), table=P_TRIPS_SUMMARY,
                                  what=f"{row.label} {key}", other=f"{P_TRIPS_BY_KIND}（{row.label}）")
    summary = _table(tables, P_SUMMARY)
    if kinds is None or summary is None:
        return
    yield from _trips_versus_travel(kinds, trips, summary)


def _trips_versus_travel(kinds: PrintedTable, trips: list[PrintedRow], summary: PrintedTable) -> Iterable[Finding]:
    travel = next((r for r in summary.rows if len(r.code) in (4, 6) and r.code[:4] == "2078"), None)
    total_key = _trip_key(kinds, "合計")
    column_total = next((k for k in summary.columns if k.startswith("合計")), None)
    plan_of = {}
    for row in trips:
        text = next((t for k, (t, _) in row.texts.items() if "歸屬預算科目" in k), "")
        plan_of[id(row)] = _plan_column(summary, text) if text else None
    groups: dict[str, list[PrintedRow]] = defaultdict(list)
    if all(plan_of[id(r)] for r in trips):
        for row in trips:
            groups[plan_of[id(row)]].append(row)
        if travel is not None:  # a plan printing 國外旅費 with no trip at all
            for key in travel.figures:
                if re.fullmatch(P_PLAN_CODE, key) and key not in groups:
                    groups[key] = []
    if column_total:
        groups[column_total] = list(trips)
    for column, rows in groups.items():
        if not _readable([(r, total_key) for r in rows]) or (travel is not None and not _readable([(travel, column)])):
            continue
        expected = sum(_v(r, total_key) for r in rows)  # 千元
        actual = _in_unit(_v(travel, column), summary.unit, "千元") if travel is not None else 0
        diff = actual - expected
        if diff == 0:
            continue
        cell = (_cell(travel, column) or travel.label_cell) if travel is not None else \
            (rows[0].figures[total_key].cell if rows else None)
        related = tuple(r.figures[total_key].cell for r in rows)
        what = f"207800國外旅費 {_column_name(column) if not column.startswith('合計') else '合計欄'}"
        if summary.unit == "千元" and 2 * abs(diff) <= max(len(rows), 1) and rows:
            yield finding("rounding-difference", cell, expected, actual, related, label="207800國外旅費",
                          column=f"（對照{P_TRIPS_BY_KIND}）", diff=f"{abs(diff):,}")
        else:
            yield finding("cross-table-mismatch", cell, expected, actual, related, table=P_SUMMARY, what=what,
                          other=f"{P_TRIPS_BY_KIND}（旅費預算合計）")


# ----------------------------------------------------------------- 公務車輛明細表 (issue 14)

from xlbudget.readers.printed import VEHICLES as P_VEHICLES  # noqa: E402


def _vehicle_cost_code(key: str) -> str | None:
    """The 明細表 二級 code a cost column of 公務車輛明細表 is budgeted under (vehicles.COSTS), or None."""
    if "油料" in key:
        return "2051" if "金額" in key else None
    if any(w in key for w in ("牌照稅", "燃料使用費", "公路使用", "檢驗")):
        return "2024"
    if "保險" in key:
        return "2027"
    if "養護費" in key:
        return "2066"
    return None


def _vehicle_fuel(row: PrintedRow, table: PrintedTable) -> Finding | None:
    """油料費 金額 = 數量 × 單價, rounded to the 元."""
    from decimal import Decimal, InvalidOperation

    from xlbudget.derive.vehicles import fuel_amount

    amount_key = next((k for k in table.columns if "油料" in k and "金額" in k), None)
    litres_key = next((k for k in table.columns if "油料" in k and "數量" in k), None)
    price = next(((t, c) for k, (t, c) in row.texts.items() if "油料" in k and "單價" in k), None)
    if not amount_key or not litres_key or price is None or amount_key not in row.figures \
            or litres_key not in row.figures or not _readable([(row, amount_key), (row, litres_key)]):
        return None
    try:
        unit_price = Decimal(compact_key(price[0]).replace(",", ""))
    except InvalidOperation:
        return None
    expected = fuel_amount(Decimal(_v(row, litres_key)), unit_price)
    if expected == _v(row, amount_key):
        return None
    return make_finding("vehicle-fuel-mismatch", _cell(row, amount_key), expected=expected,
                        actual=_v(row, amount_key), related=(_cell(row, litres_key), price[1]),
                        litres=f"{_v(row, litres_key):,}", price=price[0])


def _pointing_items(detail: PrintedTable) -> dict[tuple[str, str], list[PrintedRow]]:
    """明細表 items whose 說明 (continued on the rows below) says 詳公務車輛明細表, by (plan, 二級 code)."""
    from xlbudget.derive.vehicles import points_here

    out: dict[tuple[str, str], list[PrintedRow]] = defaultdict(list)
    code, item, note = "", None, ""

    def flush():
        if item is not None and code and points_here(note):
            out[item.context, code].append(item)

    for row in detail.rows:
        level = _detail_level(row)
        if level is None and not row.figures and "說明" in row.texts:
            note += row.texts["說明"][0]  # the 說明 of the item above, wrapped onto this row
            continue
        flush()
        item, note = None, ""
        if level in (0, 1, 2, 3):
            code = row.code[:4] if level == 3 else ""
        elif level == 4:
            item, note = row, row.texts.get("說明", ("", None))[0]
    flush()
    return out


def _vehicle_plan(label: str, detail: PrintedTable | None) -> str | None:
    """The 工作計畫 a plan line of 公務車輛明細表 names (一般行政　行政管理), found in the 明細表's headings."""
    if detail is None:
        return None
    wanted = label.replace("-", "").replace("－", "")
    found = {plan for plan, text, _ in detail.headings if wanted and wanted in compact_key(text).replace("-", "")
             .replace("－", "")}
    return found.pop() if len(found) == 1 else None


def check_vehicles(tables) -> Iterable[Finding]:
    """公務車輛明細表: 油料費 金額 = 數量 × 單價; each plan line = Σ its vehicles; 合計 = Σ plan lines; and per plan
    and 二級 code, the cost columns = the 明細表 items saying 詳公務車輛明細表 (臺中 115: 2051 = 122,388)."""
    table = _table(tables, P_VEHICLES)
    if table is None:
        return
    costs = [k for k in table.columns if _vehicle_cost_code(k)]
    groups: list[tuple[PrintedRow, list[PrintedRow]]] = []
    loose, total = [], None
    for row in table.rows:
        # 臺中 prints 合計 under 車輛種類, as it does 現有車輛 and 本年度新增車輛
        if row.label.startswith(("合計", "總計")) or any(compact_key(t) in ("合計", "總計") for t, _ in row.texts.values()):
            total = row
            continue
        if row.label:
            groups.append((row, []))
        elif groups:
            groups[-1][1].append(row)
        else:
            loose.append(row)
        if not row.label:
            f = _vehicle_fuel(row, table)
            if f:
                yield f
    for group, vehicles in groups:
        if not vehicles:
            continue
        for key in costs:
            f = _sum_finding(table, group, key, [(v, key) for v in vehicles], _column_name(key))
            if f:
                yield f
    if total is not None:
        parts = [g for g, _ in groups] + loose
        for key in costs:
            f = _sum_finding(table, total, key, [(r, key) for r in parts], _column_name(key))
            if f:
                yield f
    detail = _table(tables, P_DETAIL)
    plans = {id(g): _vehicle_plan(g.label, detail) for g, _ in groups}
    if detail is None or not groups or not all(plans.values()) or loose:
        return  # a plan line the 明細表 does not name: the tie cannot be made
    ours: dict[tuple[str, str], list[tuple[PrintedRow, str]]] = defaultdict(list)
    for group, _ in groups:
        for key in costs:
            if key in group.figures:
                ours[plans[id(group)], _vehicle_cost_code(key)].append((group, key))
    theirs = _pointing_items(detail)
    for plan, code in sorted(set(ours) | set(theirs)):
        mine, items = ours.get((plan, code), []), theirs.get((plan, code), [])
        if not _readable(mine + [(i, "預算數") for i in items]):
            continue
        actual, expected = sum(_v(r, k) for r, k in mine), sum(_v(i, "預算數") for i in items)
        if actual == expected:
            continue
        cells = [r.figures[k].cell for r, k in mine] + [i.figures["預算數"].cell for i in items if "預算數" in i.figures]
        columns = "、".join(dict.fromkeys(k.replace("/", " ") for _, k in mine)) or _object_name(code)
        yield make_finding("vehicles-vs-items", cells[0] if cells else None, expected=expected, actual=actual,
                           related=tuple(cells[1:]), plan=plan, code=code, columns=columns)


# ----------------------------------------------------------------- 轉帳收支對照表 (issue 14)

from xlbudget.readers.printed import TRANSFERS as P_TRANSFERS  # noqa: E402

_OUT, _IN = "歲出/預算數", "歲入/預算數"
_LEVEL_KEYS = ("款", "項", "目", "節")


def _transfer_out_level(row: PrintedRow) -> int | None:
    """歲出 side: 總計 0, 款 1 … 節 4 (by the 款/項/目/節 number printed)."""
    if row.label.startswith(("總計", "合計")):
        return 0
    return next((i + 1 for i, n in enumerate(row.numbers) if n), None) if _OUT in row.figures else None


def _transfer_in_level(row: PrintedRow) -> int | None:
    """歲入 side: 總計 0, 款 1 … 節 4, by its number or else by its 來源別科目編號 (12173500200 is a 目)."""
    if _IN not in row.figures:
        return None
    name = compact_key(row.texts.get("名稱及編號", ("", None))[0])
    if name.startswith(("總計", "合計")) or (not name and row.label.startswith(("總計", "合計"))):
        return 0
    numbered = next((i + 1 for i, k in enumerate(_LEVEL_KEYS) if compact_key(row.texts.get(k, ("", None))[0])), None)
    if numbered:
        return numbered
    m = re.match(r"^(\d{11})", name)
    if not m:
        return None
    return 1 + [lv == m.group(1) for lv in codes.revenue_levels(m.group(1))].index(True)


def check_transfers_printed(tables) -> Iterable[Finding]:
    """轉帳收支對照表: 歲出 總計 = 歲入 總計; each side's 款 → 項 → 目 → 節 sums; each 工作計畫 line = the
    收支併列 its 明細表 合計 states (臺中 115: 446 千元 = 收支併列446,000元); each 歲入 節 line this book budgets =
    its 歲入來源別預算表 line."""
    table = _table(tables, P_TRANSFERS)
    if table is None:
        return
    rows = list(table.rows)
    yield from _tree_sums(table, rows, _transfer_out_level, [_OUT])
    yield from _tree_sums(table, rows, _transfer_in_level, [_IN])
    total = next((r for r in rows if _transfer_out_level(r) == 0), None)
    if total is not None and _OUT in total.figures and _IN in total.figures and _readable(
            [(total, _OUT), (total, _IN)]) and _v(total, _OUT) != _v(total, _IN):
        yield finding("transfer-sides-mismatch", _cell(total, _OUT), _v(total, _IN), _v(total, _OUT),
                      (_cell(total, _IN),))
    detail = _table(tables, P_DETAIL)
    if detail is not None:
        for row in rows:
            if _transfer_out_level(row) != 4 or not re.fullmatch(P_PLAN_CODE, row.code) \
                    or not _readable([(row, _OUT)]):
                continue
            at = next((n for n, r in enumerate(detail.rows) if r.context == row.code and r.label.startswith("合計")),
                      None)
            if at is None:
                continue
            text, cell = detail.rows[at].texts.get("說明", ("", None))
            for more in detail.rows[at + 1:]:  # the note wrapped onto the rows below (收支併列 / 446,000元)
                if more.figures or more.label or "說明" not in more.texts:
                    break
                text += more.texts["說明"][0]
            parts = funding_parts(compact_key(text))
            if parts is None:
                continue  # no 市款／收支併列 note printed: nothing to tie to
            matched = parts.get("收支併列", 0)
            if to_thousands(matched) != _v(row, _OUT):
                yield make_finding("transfer-vs-matched", _cell(row, _OUT), expected=to_thousands(matched),
                                   actual=_v(row, _OUT), related=(cell,) if cell else (), plan=row.code)
    sources = _table(tables, P_REV_SOURCES) or _table(tables, P_TAIPEI_REVENUE)
    if sources is not None:
        key = _current_key(sources)
        by_code = {r.code: r for r in sources.rows if r.code}
        for row in rows:
            name = compact_key(row.texts.get("名稱及編號", ("", None))[0])
            m = re.match(r"^(\d{11})", name)
            other = by_code.get(m.group(1)) if m and _transfer_in_level(row) == 4 else None
            if other is None or not _readable([(row, _IN), (other, key)]):
                continue
            if _in_unit(_v(other, key), sources.unit, "千元") != _v(row, _IN):
                yield make_finding("transfer-vs-revenue", _cell(row, _IN),
                                   expected=_in_unit(_v(other, key), sources.unit, "千元"), actual=_v(row, _IN),
                                   related=tuple(c for c in (_cell(other, key),) if c), code=m.group(1))


# ----------------------------------------------------------------- 分年資金需求表 (issue 14)

from xlbudget.derive.funding import TITLES as P_FUNDING_TITLES  # noqa: E402


def check_funding_printed(tables) -> Iterable[Finding]:
    """繼續性／新興計畫分年資金需求表: each line's 以前年度預算數 + each year = 全程計畫總金額; 總計 = Σ the
    業務計畫 lines (unindented) column by column; a project's 本年度 (the first year column) = the 明細表 分支計畫
    lines naming it (和興路44巷… 40,000,000)."""
    for title in P_FUNDING_TITLES.values():
        table = _table(tables, title)
        if table is None:
            continue
        total_key = next((k for k in table.columns if "全程計畫總金額" in k), None)
        if total_key is None:
            continue
        parts = [k for k in table.columns if k != total_key and ("以前年度" in k or "年度" in k.split("/")[-1])]
        for row in table.rows:
            keys = [(row, total_key)] + [(row, k) for k in parts]
            if total_key not in row.figures or not _readable(keys):
                continue
            expected = sum(_v(row, k) for k in parts)
            if expected != _v(row, total_key):
                yield make_finding("funding-years-mismatch", _cell(row, total_key), expected=expected,
                                   actual=_v(row, total_key), name=row.name or row.label,
                                   related=tuple(row.figures[k].cell for k in parts if k in row.figures))
        total = next((r for r in table.rows if r.label.startswith(("總計", "合計"))), None)
        top = [r for r in table.rows if r is not total and r.indent == 0 and r.label]
        if total is not None and top:
            for key in [total_key] + parts:
                f = _sum_finding(table, total, key, [(r, key) for r in top], _column_name(key))
                if f:
                    yield f
        detail = _table(tables, P_DETAIL)
        this_year = next((k for k in parts if "以前年度" not in k), None)
        if detail is None or this_year is None:
            continue
        for row in table.rows:
            if row is total or row.indent == 0 or this_year not in row.figures:
                continue
            branches = _branch_lines(detail, row.label)
            if not branches or not _readable([(row, this_year)] + [(r, "預算數") for r in branches]):
                continue  # a group line (道路工程) or a project no 分支計畫 names: nothing to tie to
            expected = sum(_v(r, "預算數") for r in branches)
            if expected != _v(row, this_year):
                yield make_finding("funding-vs-items", _cell(row, this_year), expected=expected,
                                   actual=_v(row, this_year), name=row.label, plan=branches[0].context,
                                   related=tuple(r.figures["預算數"].cell for r in branches))


def _branch_lines(detail: PrintedTable, name: str) -> list[PrintedRow]:
    """The printed 明細表 分支計畫 lines naming a project (08和興路44巷… for 和興路44巷…): exactly, or else — the
    project's name wrapped over lines, only its first printed beside the figures — the one branch it begins."""
    from xlbudget.derive.funding import names_project

    if not name:
        return []
    lines = [r for r in detail.rows if r.label and "預算數" in r.figures and _detail_level(r) == 1]
    exact = [r for r in lines if names_project(r.label, name)]
    if exact or len(name) < 4:
        return exact
    starts = [r for r in lines if r.label.startswith(name) or (r.label[:2].isdigit() and r.label[2:].startswith(name))]
    return starts if len({r.label for r in starts}) == 1 else []


# ----------------------------------------------------------------- 市政白皮書計畫項目預算編列情形表 (issue 14)

from xlbudget.readers.printed import WHITEPAPER as P_WHITEPAPER, WHITEPAPER_PRINTED as P_WHITEPAPER_PRINTED  # noqa: E402


def check_whitepaper_printed(tables) -> Iterable[Finding]:
    """Each 計畫項目's 本年度預算案數 = the printed 明細表 分支計畫 lines naming the project (08和興路… is 和興路…);
    a project no 分支計畫 names is left unchecked."""
    table = _table(tables, P_WHITEPAPER) or _table(tables, P_WHITEPAPER_PRINTED)
    detail = _table(tables, P_DETAIL)
    if table is None or detail is None:
        return
    amount_key = next((k for k in table.columns if "預算" in k), None)
    for row in table.rows:
        name = next((t for k, (t, _) in row.texts.items() if "計畫項目" in k), "")
        if not name or amount_key not in row.figures:
            continue
        branches = _branch_lines(detail, name)
        if not branches or not _readable([(row, amount_key)] + [(r, "預算數") for r in branches]):
            continue
        expected = sum(_v(r, "預算數") for r in branches)
        if expected != _v(row, amount_key):
            yield make_finding("whitepaper-vs-items", _cell(row, amount_key), expected=expected,
                               actual=_v(row, amount_key), name=name,
                               related=tuple(r.figures["預算數"].cell for r in branches))


# ----------------------------------------------------------------- 各項費用分攤表 (issue 14)

from xlbudget.readers.printed import COST_SHARES as P_COST_SHARES  # noqa: E402


def check_cost_shares_printed(tables) -> Iterable[Finding]:
    """各項費用分攤表: 本年度 合計 = 施工費用 + 工程管理費 + 委外費用 on every line; a project line = Σ its parties,
    column by column; each party's 分攤比率 = its 總經費 ÷ the project's, in % to two places (52.32)."""
    from decimal import Decimal, InvalidOperation

    from xlbudget.derive.cost_shares import share_ratio

    table = _table(tables, P_COST_SHARES)
    if table is None:
        return
    whole_key = next((k for k in table.columns if k.endswith("總經費")), None)
    total_key = next((k for k in table.columns if "本年度" in k and k.endswith("合計")), None)
    parts = [k for k in table.columns if "設備及投資" in k]
    if whole_key is None:
        return
    groups: list[tuple[PrintedRow, list[PrintedRow]]] = []
    for row in table.rows:
        if whole_key not in row.figures:
            continue
        if row.label:
            groups.append((row, []))
        elif groups:
            groups[-1][1].append(row)
        if total_key and parts:
            f = _sum_finding(table, row, total_key, [(row, k) for k in parts], _column_name(total_key))
            if f:
                yield f
    for project, parties in groups:
        if not parties:
            continue
        for key in [whole_key] + ([total_key] if total_key else []) + parts:
            f = _sum_finding(table, project, key, [(r, key) for r in parties], _column_name(key))
            if f:
                yield f
        if not _readable([(project, whole_key)] + [(r, whole_key) for r in parties]):
            continue
        for party in parties:
            text, cell = next(((t, c) for k, (t, c) in party.texts.items() if "比率" in k), ("", None))
            try:
                typed = Decimal(text.replace("%", "").strip())
            except InvalidOperation:
                continue
            expected = share_ratio(_v(party, whole_key), _v(project, whole_key))
            if typed != expected:
                partner = next((t for k, (t, _) in party.texts.items() if "合辦" in k), "")
                yield make_finding("cost-share-ratio-mismatch", cell, expected=str(expected), actual=text,
                                   partner=partner, part=_v(party, whole_key), whole=_v(project, whole_key),
                                   related=(_cell(party, whole_key), _cell(project, whole_key)))


PRINTED_CHECKS: tuple[PrintedCheck, ...] = (
    check_unreadable_figures, check_unplaced_rows, check_amount_columns, check_detail, check_summary, check_level1,
    check_capital, check_agency_budget, check_revenue_sources, check_function_econ, check_matched_printed, check_split_halves,
    check_staff_costs, check_contract, check_staffing, check_trips, check_vehicles, check_transfers_printed,
    check_funding_printed, check_whitepaper_printed, check_cost_shares_printed,
)
