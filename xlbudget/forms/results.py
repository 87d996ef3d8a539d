"""The 檢核結果 sheet as data: one layout, one order, written by both adapters (openpyxl file, xlwings book).

Rows: title, counts, blank, header, one row per finding (``core.findings.in_reading_order``: most severe first,
then sheets in book order, row, column), then the counts per rule and the list of figures that could not be
verified. The adapters only style what this lays out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import field

from xlbudget.core.patterns import lazy
from xlbudget.core.records import plain
from xlbudget.core.errors import shown_text
from xlbudget.core.findings import RULES, Finding, Severity, in_reading_order, marked_cells, shown_figures
from xlbudget.core.model import CellRef

RESULT_SHEET = "檢核結果"  # never read as a budget table
STATE_SHEET = "xlbudget標示紀錄"  # very hidden: which fills and notes the check marked (never read as a table)
OWN_SHEETS = (RESULT_SHEET, STATE_SHEET)
RESULTS_HEADERS = ("序號", "嚴重度", "規則", "規則名稱", "位置", "應為", "實為", "說明", "一併標示")
RESULTS_WIDTHS = (6, 9, 26, 24, 34, 14, 14, 70, 30)  # column widths, in characters
# keyed by Severity value, so a severity added later still gets a name and a rank
SEVERITY_NAMES = {"error": "錯誤", "warning": "警告", "info": "提示", "unverifiable": "無法驗證"}
NOTE = "（重新檢核會更新本表；「清除標示」會移除本表與各格標示）"


RESULTS_TITLE = "xlbudget 檢核結果"  # the first cell of every 檢核結果 xlbudget writes: how it knows its own


def foreign_results(texts: dict[tuple[int, int], str] | None, file: str) -> Finding | None:
    """results-sheet-not-ours when the book's 檢核結果 (``texts``: its text cells, {(row, column): text}; None when
    the book has none) holds text and its first cell is not xlbudget's title (field report 6 §2.2: the 主計室
    reviewer's own remarks, replaced by --mark and the 檢核 button without a word). The one rule of both doors
    (check --mark/--clear, the 檢核 and 清除標示 buttons): such a sheet is never written, emptied nor removed."""
    return foreign_sheet(RESULT_SHEET, texts, file, lambda cells: cells.get((1, 1), "").strip().startswith(RESULTS_TITLE))


def foreign_sheet(sheet: str, texts: dict[tuple[int, int], str] | None, file: str, ours,
                  kept: str = "未寫入該工作表") -> Finding | None:
    """The one way xlbudget knows a sheet it writes by name is its own (field report 6 §2.2, 9 §3.2): a finding when
    the book's ``sheet`` (``texts``: its cells, {(row, column): text}; None when the book has none) holds anything
    and ``ours(texts)`` (xlbudget's own first cells: 檢核結果's title, 執行紀錄's time stamp, 匯出資料's field names)
    says xlbudget did not write it: results-sheet-not-ours for 檢核結果, sheet-not-ours for another (``kept``: what
    was done instead). Such a sheet is never written, emptied nor removed."""
    from xlbudget.core.findings import make_finding

    if not texts or ours(texts):
        return None
    first = str(texts.get((1, 1), "")).strip()
    shown = first if len(first) <= 30 else first[:30] + "…"
    if sheet == RESULT_SHEET:
        return make_finding("results-sheet-not-ours", CellRef(RESULT_SHEET, "A1", file), name=shown_text(file),
                            first=shown_text(shown))
    return make_finding("sheet-not-ours", CellRef(sheet, "A1", file), name=shown_text(file), sheet=sheet,
                        first=shown_text(shown), kept=kept)


def _value(severity) -> str:
    return getattr(severity, "value", str(severity))


# each Severity's name by the member itself: Enum's ``value`` is a property read through its descriptor, twice a
# finding in _value (convert counts every book's findings: 43 of a 77-item bench book; issue 13)
_NAMED = {s: SEVERITY_NAMES.get(s.value, s.value) for s in Severity}


def severity_name(severity) -> str:
    """錯誤 / 警告 / 提示 / 無法驗證."""
    if severity.__class__ is Severity:
        return _NAMED[severity]
    return SEVERITY_NAMES.get(_value(severity), _value(severity))


def severity_counts(findings) -> Counter:
    """How many findings of each severity, keyed by its name (錯誤 / 警告 / 提示 / 無法驗證)."""
    return Counter([severity_name(f.severity) for f in findings])


def count_summary(counts) -> str:
    """The counts as every report words them (the CLI, the add-in's 執行紀錄, 檢核結果's heading):
    「錯誤 3、警告 1、提示 0」, then 「、無法驗證 N」 when there are any. ``counts`` as ``severity_counts`` gives."""
    always = [SEVERITY_NAMES[s] for s in ("error", "warning", "info")]
    names = always + [n for n in dict.fromkeys([*SEVERITY_NAMES.values(), *counts]) if n not in always and counts.get(n)]
    return "、".join(f"{name} {counts.get(name, 0)}" for name in names)


def shown_value(value: object) -> object:
    """A finding's figure as a cell shows it: a number or text as it is, anything else (a Decimal 單價) as its text."""
    if value is None or isinstance(value, (int, float, str)):
        return value
    return str(value)


def _where(cell: CellRef | None) -> str:
    return f"{cell.sheet}!{cell.cell}" if cell else ""


def finding_rows(findings: list[Finding], sheet_order=()) -> list[list[object]]:
    """Rows under RESULTS_HEADERS: 序號, 嚴重度, 規則, 規則名稱, 位置 (工作表!A1), 應為, 實為, 說明, 一併標示.

    In ``core.findings.in_reading_order`` (``sheet_order``: the book's sheets, tabs left to right). A joint
    finding (數量×單價 ≠ 預算數) shows no 應為/實為 and lists the other cells it marks.
    """
    return [_finding_row(n, f) for n, f in enumerate(in_reading_order(findings, sheet_order), start=1)]


def _finding_row(n: int, f: Finding) -> list[object]:
    """Finding number ``n``'s row of finding_rows."""
    rule = RULES.get(f.rule)
    expected, actual = shown_figures(f)
    together = "、".join(_where(c) for c in marked_cells(f)[1:])
    return [n, severity_name(f.severity), f.rule, rule.title if rule else "", _where(f.cell),
            shown_value(expected), shown_value(actual), f.message, together or None]


@plain
class ResultsSheet:
    """The grid (every row as wide as RESULTS_HEADERS) and what the adapters style in it (0-based row indexes)."""

    rows: list[list[object]]
    bold_rows: list[int] = field(default_factory=list)
    findings: list[tuple[int, Finding]] = field(default_factory=list)  # row of each finding
    links: list[tuple[int, CellRef]] = field(default_factory=list)  # row whose 位置 (column E) links to a cell


def results_sheet(findings: list[Finding], file: str | None = None, sheet_order=()) -> ResultsSheet:
    """The whole 檢核結果 sheet: title, counts, blank row, header, findings, counts per rule, unverifiable list.

    ``sheet_order`` is the book's sheets, tabs left to right: findings are in ``core.findings.in_reading_order``.
    """
    width = len(RESULTS_HEADERS)
    out = ResultsSheet([])

    def add(row: list[object], bold: bool = False) -> int:
        # a file name in Big5 bytes on Linux (in the title, or a message) shown with replacement characters: never
        # text the sheet cannot be written with (field report 5 §4.1)
        row = [shown_text(v) if isinstance(v, str) else v for v in row]
        out.rows.append(row + [None] * (width - len(row)))
        if bold:
            out.bold_rows.append(len(out.rows) - 1)
        return len(out.rows) - 1

    add([f"{RESULTS_TITLE}{('：' + file) if file else ''}"], bold=True)
    add([count_summary(severity_counts(findings)) + NOTE])
    add([])
    add(list(RESULTS_HEADERS), bold=True)
    for n, f in enumerate(in_reading_order(findings, sheet_order), start=1):  # ordered once: finding_rows' rows
        r = add(_finding_row(n, f))
        out.findings.append((r, f))
        if f.cell is not None:
            out.links.append((r, f.cell))
    add([])
    add(["各規則件數"], bold=True)
    add([None, "嚴重度", "規則", "規則名稱", "件數"], bold=True)
    for rule_id, n in sorted(Counter(f.rule for f in findings).items()):
        rule = RULES.get(rule_id)
        add([None, severity_name(rule.severity) if rule else "", rule_id, rule.title if rule else "", n])
    unverifiable = [f for f in findings if _value(f.severity) == Severity.UNVERIFIABLE.value]
    add([])
    add([f"無法驗證的數字（{len(unverifiable)}）"], bold=True)
    for f in in_reading_order(unverifiable, sheet_order):
        r = add([None, None, None, None, _where(f.cell), None, None, f.message])
        if f.cell is not None:
            out.links.append((r, f.cell))
    return out


_LISTED = lazy(r"^\$?[A-Z]{1,3}\$?\d+$")


def listed_cells(rows) -> list[tuple[str, str, Severity]]:
    """(sheet, A1, severity) of every cell a 檢核結果 (``rows``: its values row by row) lists under 位置 and 一併標示,
    as results_sheet lays them out (a sheet name quoted or not): the cells the 檢核 button coloured."""
    levels = {name: Severity(value) for value, name in SEVERITY_NAMES.items()}
    rows = [list(r or ()) for r in rows]
    for h, header in enumerate(rows[:10]):
        names = [str(v or "").strip() for v in header]
        if "位置" not in names:
            continue
        where = [names.index("位置")] + ([names.index("一併標示")] if "一併標示" in names else [])
        level = names.index("嚴重度") if "嚴重度" in names else None
        found = []
        for row in rows[h + 1:]:
            severity = levels.get(str(row[level] or "").strip(), Severity.UNVERIFIABLE) \
                if level is not None and level < len(row) else Severity.UNVERIFIABLE
            for c in where:
                for ref in str(row[c] or "").split("、") if c < len(row) else ():
                    sheet, _, cell = ref.strip().rpartition("!")
                    if sheet.startswith("'") and sheet.endswith("'"):
                        sheet = sheet[1:-1].replace("''", "'")
                    if sheet and _LISTED.match(cell):
                        found.append((sheet, cell.replace("$", ""), severity))
        return found
    return []
