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
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Mapping

from . import codes
from .amounts import to_thousands
from .findings import Finding, Severity, make_finding
from .inputs import Grid
from .layout import layout_table
from .model import BudgetBook, CellRef
from .printed import Figure, SheetGrid, norm, read_figure
from .schedules import derive_all
from .tables import AMOUNT, BANNER, LABEL, TEXT

BookCheck = Callable[[BudgetBook], Iterable[Finding]]

RESULT_SHEET = "檢核結果"  # written by marking; never read as a budget table
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


def check_matched_revenue(book: BudgetBook) -> Iterable[Finding]:
    """收支併列 in 歲出 = the 收支併列 (補助收入) lines of 歲入, when the book has 歲入."""
    if not book.revenues:
        return
    spent = sum(i.matched for i in book.expenses)
    matched = [r for r in book.revenues if r.matched]
    received = sum(r.amount for r in matched)
    if spent != received:
        cells = [r.cells["預算數"] for r in matched if "預算數" in r.cells]
        related = [i.cells["收支併列數"] for i in book.expenses if i.matched and "收支併列數" in i.cells]
        target = cells[0] if cells else (related[0] if related else None)
        yield finding("matched-revenue-mismatch", target, expected=spent, actual=received,
                      related=tuple(cells[1:]) + tuple(related))


BOOK_CHECKS: tuple[BookCheck, ...] = (check_whole_thousands, check_duplicates, check_matched_revenue)


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
                if kind == LABEL and norm(expected_row[c - 1]) != norm(_value(grid, r, c)):
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


def check_book(book: BudgetBook, tables_read_back: Mapping[str, Grid] | None = None,
               checks: tuple[BookCheck, ...] = BOOK_CHECKS) -> list[Finding]:
    """Check a template book: its inputs, and any schedule sheets present against what the inputs derive.

    Findings from reading the inputs (inputs.read_book) are not repeated here;
    ``check_workbook`` adds them.
    """
    findings = [f for check in checks for f in check(book)]
    if tables_read_back:
        findings += compare_schedules(book, tables_read_back)
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


def _with_item_cells(findings: list[Finding], book: BudgetBook) -> list[Finding]:
    """Reading findings on an item's 預算數 also name its 數量 and 單價 cells (what it was compared with)."""
    by_cell = {i.cells["預算數"]: i.cells for i in (*book.expenses, *book.revenues) if "預算數" in i.cells}
    out = []
    for f in findings:
        cells = by_cell.get(f.cell) if f.rule == "item-product-mismatch" and not f.related else None
        if cells:
            f = replace(f, related=tuple(cells[k] for k in ("數量", "單價") if k in cells))
        out.append(f)
    return out


def check_sheets(sheets: Mapping[str, SheetGrid], inputs: Mapping[str, Grid] | None = None,
                 file: str | None = None, checks: tuple[BookCheck, ...] = BOOK_CHECKS) -> CheckReport:
    """Check a whole book given as grids: a template book when ``inputs`` holds our input sheets, else printed.

    ``sheets`` are every sheet from A1 (formula cells already replaced by
    their cached values or ``printed.Uncached``); ``inputs`` the input sheets
    as ``xlsxfile.input_grids`` / an xlwings reader gives them. Raises
    InputError when the inputs cannot be read, or when a book without input
    sheets has no printed table xlbudget recognises.
    """
    from .inputs import INPUT_SHEETS, SHEET_AGENCY, SHEET_EXPENSES, read_book
    from .schedules import TABLE_ORDER

    if not inputs or not (SHEET_AGENCY in inputs and SHEET_EXPENSES in inputs):
        return check_printed_sheets(sheets, file)
    book, reading = read_book(dict(inputs), file)
    reading = _with_item_cells(reading, book)
    titles = {t[:31] for t in TABLE_ORDER}
    schedules = {name: sg.grid for name, sg in sheets.items() if name in titles and name not in INPUT_SHEETS}
    findings = reading + check_book(book, schedules, checks)
    return CheckReport("template", sort_findings(findings, sheets), tuple(schedules))


def check_printed_sheets(sheets: Mapping[str, SheetGrid], file: str | None = None) -> CheckReport:
    """Check a hand-made book: find its printed tables and run the printed rules."""
    from .errors import InputError
    from .printed import find_tables

    tables = find_tables(list(sheets.values()))
    if not tables:
        raise InputError([f"找不到輸入工作表（基本資料、歲出明細），也找不到可辨識的預算表（依表名及欄名）；"
                          f"工作表：{'、'.join(sheets)}"], file)
    findings = check_printed(tables)
    return CheckReport("printed", sort_findings(findings, sheets), tuple(dict.fromkeys(t.title for t in tables)))


def check_workbook(wb, values_wb=None, file: str | None = None,
                   checks: tuple[BookCheck, ...] = BOOK_CHECKS) -> CheckReport:
    """Check an openpyxl workbook, template or hand-made; formulas are read by their cached values.

    ``values_wb`` is the same file opened with data_only=True (needed only
    when the book holds formulas). Raises InputError (zh-TW, naming the file,
    sheet and cell) when the book cannot be read.
    """
    from .errors import InputError
    from .inputs import SHEET_AGENCY, SHEET_EXPENSES
    from .xlsxfile import input_grids, workbook_sheets

    sheets = {name: sg for name, sg in workbook_sheets(wb, values_wb, file).items() if name not in OWN_SHEETS}
    if not (SHEET_AGENCY in wb.sheetnames and SHEET_EXPENSES in wb.sheetnames):
        return check_printed_sheets(sheets, file)
    grids = input_grids(wb, file)
    missing = []
    for name, g in grids.items():
        cached_ws = values_wb[name] if values_wb is not None else None
        for r, row in enumerate(g.rows):
            for c, v in enumerate(row):
                if isinstance(v, str) and v.startswith("="):
                    cached = cached_ws.cell(g.top + r, g.left + c).value if cached_ws is not None else None
                    row[c] = cached
                    if cached is None:
                        missing.append(f"{g.ref(r, c)} 公式沒有計算結果（快取值）；請在 Excel 開啟並儲存後再試")
    if missing:
        raise InputError(missing, file)
    return check_sheets(sheets, grids, file, checks)


def check_printed(tables) -> list[Finding]:
    """The printed rules on tables read from a hand-made book (see printed.find_tables)."""
    return [f for check in PRINTED_CHECKS for f in check(tables)]


PRINTED_CHECKS: tuple = ()


def check_file(path) -> tuple[CheckReport, object]:
    """Open ``path`` (never writing to it) and check it; returns the report and the openpyxl workbook."""
    from pathlib import Path

    from .xlsxfile import has_formulas, open_workbook

    wb = open_workbook(path)
    values_wb = open_workbook(path, data_only=True) if has_formulas(wb) else None
    return check_workbook(wb, values_wb, Path(path).name), wb
