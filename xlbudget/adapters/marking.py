"""Leave the findings in the workbook (openpyxl adapter): fills, cell notes and a 檢核結果 sheet.

Only xlbudget's own marks are ever replaced or removed. Every cell we mark is
recorded in a very-hidden sheet with the officer's original fill and note, so
that a re-run or ``clear_marks`` restores exactly what was there; a fill or
note the officer changed after we marked the cell is left as the officer's.
Our notes carry the author ``xlbudget``.
"""

from __future__ import annotations

import json
from copy import copy
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Protocol

from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.colors import Color
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.workbook.workbook import Workbook

from xlbudget.core.amounts import format_figure
from xlbudget.core.errors import shown_text
from xlbudget.core.findings import (RULES, Finding, Severity, is_joint, marked_cells, severity_rank, shown_figures,
                                    unique_findings)
from xlbudget.core.formulas import Formula, keep_text
from xlbudget.core.model import cell_position
from xlbudget.core.patterns import lazy
from xlbudget.core.records import record
from xlbudget.adapters.printing import apply_page
from xlbudget.forms.pages import RESULTS_PAGE
from xlbudget.forms.results import (OWN_SHEETS, RESULT_SHEET, RESULTS_WIDTHS, STATE_SHEET, listed_cells, results_sheet,
                                    severity_name)

AUTHOR = "xlbudget"
FILLS = {  # light fills that keep black figures readable on screen and on paper
    Severity.ERROR: "FFFFC7CE",
    Severity.WARNING: "FFFFEB9C",
    Severity.INFO: "FFDDEBF7",
    Severity.UNVERIFIABLE: "FFD9D9D9",
}
_SEPARATOR = "\n──── xlbudget 檢核 ────\n"
# 目前位置: a reference to the cell, which Excel moves with it; 本程式註解: the note we wrote, to tell the officer's
# words written into it since
_STATE_HEADER = ("工作表", "儲存格", "原填色", "原註解", "原註解作者", "本程式填色", "目前位置", "本程式註解")


def _color_state(color: Color | None) -> dict | None:
    if color is None:
        return None
    return {"type": color.type, "value": color.value, "tint": color.tint}


def _color(state: dict | None) -> Color | None:
    if not state:
        return None
    kind = state["type"]
    value = state["value"]
    if kind == "auto":
        return Color(auto=bool(value), tint=state["tint"])
    return Color(**{kind: value}, tint=state["tint"])


def _fill_state(fill) -> str:
    """A PatternFill as JSON, so it survives a save; '' for fills we do not touch (gradients)."""
    fill = copy(fill)  # a loaded cell's fill is a StyleProxy around the PatternFill
    if not isinstance(fill, PatternFill):
        return ""
    return json.dumps({"patternType": fill.patternType, "fg": _color_state(fill.fgColor),
                       "bg": _color_state(fill.bgColor)})


def _fill(state: str) -> PatternFill:
    data = json.loads(state)
    return PatternFill(patternType=data["patternType"], fgColor=_color(data["fg"]), bgColor=_color(data["bg"]))


def fill_color(state: str) -> tuple[bool, str | None]:
    """A state's fill (``_fill_state``'s JSON; "" none) as the one colour a live Excel takes through xlwings: (True,
    "#RRGGBB"), (True, None) for no fill; (False, None) for a fill no single colour gives back (a theme colour, a
    pattern)."""
    data = json.loads(state) if state else {"patternType": None}
    if data.get("patternType") in (None, "none"):
        return True, None
    fg = data.get("fg") or {}
    if data["patternType"] == "solid" and fg.get("type") == "rgb" and fg.get("value"):
        return True, "#" + str(fg["value"])[-6:].upper()
    if data["patternType"] == "solid" and fg.get("type") == "indexed" and 0 <= int(fg.get("value", -1)) < 64:
        from openpyxl.styles.colors import COLOR_INDEX

        return True, "#" + COLOR_INDEX[int(fg["value"])][-6:]
    return False, None


def _anchor(ws, coordinate: str):
    """The cell to mark: a merged range's top-left cell stands for the whole range."""
    cell = ws[coordinate]
    if isinstance(cell, MergedCell):
        for rng in ws.merged_cells.ranges:
            if coordinate in rng:
                return ws.cell(rng.min_row, rng.min_col)
    return cell


def _ours(fill, rgb: str) -> bool:
    fill = copy(fill)
    return isinstance(fill, PatternFill) and fill.patternType == "solid" and fill.fgColor is not None \
        and fill.fgColor.type == "rgb" and fill.fgColor.rgb == rgb


def _note_text(findings: list[Finding]) -> str:
    parts = []
    for f in findings:
        rule = RULES.get(f.rule)
        lines = [f"【{severity_name(f.severity)}】{rule.title if rule else f.rule}（{f.rule}）", f.message]
        expected, actual = shown_figures(f)
        if expected is not None or actual is not None:
            lines.append(f"應為：{format_figure(expected)}；實為：{format_figure(actual)}")
        if is_joint(f):
            lines.append("一併標示：" + "、".join(f"{c.sheet}!{c.cell}" for c in marked_cells(f)))
        elif f.related:
            lines.append("對照：" + "、".join(f"{c.sheet}!{c.cell}" for c in f.related[:6])
                         + ("…" if len(f.related) > 6 else ""))
        if rule and rule.advice:
            lines.append(f"處理：{rule.advice}")
        parts.append("\n".join(lines))
    return shown_text("\n\n".join(parts))  # a file name in Big5 bytes: replacement characters (field report 5 §4.1)


@dataclass
class Cleared:
    """What clearing the marks did: cells restored at their recorded address, marks found where the officer's
    inserted or deleted rows or columns (or a sheet's new name) moved them ((sheet, recorded, now): ``now`` a cell,
    or sheet!cell on a renamed sheet), marks found nowhere ((sheet, recorded): neither our fill nor our note at the
    address, and no mark of ours that moved from it), and notes of ours the officer wrote in ((sheet, cell): his
    words kept as his note)."""

    restored: int = 0
    moved: list[tuple[str, str, str]] = field(default_factory=list)
    lost: list[tuple[str, str]] = field(default_factory=list)
    edited: list[tuple[str, str]] = field(default_factory=list)
    changed: bool = False  # anything of ours found (a fill, a note, 檢核結果 or the state): a book never marked is not


def cleared_lines(cleared: Cleared) -> list[str]:
    """What removing the last marks says besides «已清除» (check --clear, check --mark, the 檢核 and 清除標示 buttons):
    the marks found where they moved, those found nowhere, the notes of ours the officer wrote in."""
    lines = []
    if cleared.moved:
        lines.append(f"上次的 {len(cleared.moved)} 個標示已隨插入或刪除的列／欄移動，已在新位置清除："
                     + "、".join(f"{s}!{was}→{now}" for s, was, now in cleared.moved))
    if cleared.lost:
        lines.append(f"找不到上次標示的 {len(cleared.lost)} 個儲存格（原位已無 xlbudget 的填色與註解；工作表插入或刪除了列或欄？）："
                     + "、".join(f"{s}!{was}" for s, was in cleared.lost)
                     + "；別處若仍有 xlbudget 的填色（紅、黃、藍、灰），請自行清除")
    if cleared.edited:
        lines.append(f"{len(cleared.edited)} 個 xlbudget 註解在標示後有人加寫了文字，已保留加寫的文字（及原有的註解）作為註解："
                     + "、".join(f"{s}!{c}" for s, c in cleared.edited))
    return lines


@record
class Record:
    """One cell a check marked, as the state sheet (STATE_SHEET) records it: where, the officer's fill (as
    ``_fill_state`` gives it; "" for one we left alone) and note, our colour (None: not filled by us), where the
    state's reference to the cell says it is now (``now``: Excel moves a reference with its cell, through inserted
    rows and columns and a renamed sheet; None for a state written before, or a reference to no sheet of the
    book), whether that reference says the cell was deleted, and the note text we wrote (None before)."""

    sheet: str
    cell: str
    fill: str
    note: str | None
    author: str | None
    rgb: str | None
    now: tuple[str, str] | None = None
    deleted: bool = False
    written: str | None = None
    plain: bool = False  # a fill with no note: the 檢核 button's, never matched to a moved mark of ours


@record
class Restore:
    """What clearing puts back in one cell: ``fill`` (a ``_fill_state``; "" no fill) unless None (left as it is),
    and, when ``renote``, the note ``note`` by ``author`` (``note`` None: no note)."""

    sheet: str
    cell: str
    fill: str | None
    renote: bool
    note: str | None = None
    author: str | None = None


class MarkLook(Protocol):
    """A book as clearing the marks sees it; each clearer's own (openpyxl, splicemark, xlwings)."""

    sheets: set[str]  # the sheets a mark can be on (OWN_SHEETS left out)

    def anchor(self, sheet: str, cell: str) -> str:
        """The cell that stands for ``cell`` (a merged range's top-left cell)."""

    def fill(self, sheet: str, cell: str) -> str | None:
        """The colour of FILLS the cell is solidly filled with, or None."""

    def note(self, sheet: str, cell: str) -> tuple[str, str] | None:
        """The cell's note, (text, author), or None."""

    def our_notes(self) -> list[tuple[str, str]]:
        """Every cell holding a note of xlbudget's, as (sheet, cell)."""


_STATE_CELL = lazy(r"^\$?([A-Z]{1,3})\$?(\d+)$")
# a reference to one cell, as Excel (quoted sheet name) or LibreOffice (quoted only where needed) writes it back
_REFERENCE = lazy(r"^=\s*(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)\s*$")


def reference(sheet: str, cell: str) -> Formula:
    """The state's reference to a marked cell (='歲出明細'!F24), which Excel keeps pointing at the cell."""
    return Formula("='" + sheet.replace("'", "''") + "'!" + cell)


def state_records(rows, sheets) -> list[Record]:
    """The state sheet's records (``rows``: its cell values row by row, header first; a reference as its formula
    text), for clearing: a row naming no sheet or no cell is left out. ``sheets``: the book's sheet names."""
    records = []
    for row in list(rows)[1:]:
        sheet, cell, fill, note, author, rgb, ref, written = (list(row or ()) + [None] * 8)[:8]
        if not sheet or sheet in OWN_SHEETS or not isinstance(cell, str) or not _STATE_CELL.match(cell):
            continue
        now, deleted = None, False
        if isinstance(ref, str) and ref.startswith("=") and "#REF!" in ref.upper():
            deleted = True  # Excel's reference to a deleted row, column or sheet
        elif isinstance(ref, str) and (m := _REFERENCE.match(ref)):
            target = m[1].replace("''", "'") if m[1] is not None else m[2].strip()
            now = (target, m[3] + m[4]) if target in sheets else None
        records.append(Record(str(sheet), cell.replace("$", ""), fill or "", note or None, author, rgb or None, now,
                              deleted, written if isinstance(written, str) else None))
    return records


def button_records(rows, sheets, recorded: set[tuple[str, str]]) -> list[Record]:
    """The 檢核 button's marks (a fill by severity on each cell its 檢核結果 lists: no note, no state) as Records of
    clear_plan whose original is no fill: ``rows``, 檢核結果's values (forms.results.listed_cells); ``sheets``, the
    book's; the cells the state ``recorded`` (check --mark's own 檢核結果 lists them) left out. A cell listed twice is
    filled by its worst severity."""
    worst: dict[tuple[str, str], Severity] = {}
    for sheet, cell, severity in listed_cells(rows):
        key = (sheet, cell)
        if sheet in sheets and sheet not in OWN_SHEETS and key not in recorded \
                and (key not in worst or severity_rank(severity) < severity_rank(worst[key])):
            worst[key] = severity
    return [Record(sheet, cell, "", None, None, FILLS[severity], plain=True)
            for (sheet, cell), severity in worst.items()]


def _where(sheet: str, now_sheet: str, cell: str) -> str:
    return cell if now_sheet == sheet else f"{now_sheet}!{cell}"


def _officers_words(text: str, record: Record) -> str | None:
    """The note ``text`` of ours the officer wrote in, less what we wrote: our findings (when he left them as they
    were) and the separator; the rest is his."""
    ours = record.written.split(_SEPARATOR)[-1]
    if ours and ours in text:
        text = text.replace(ours, "", 1)
    return "\n".join(part.strip("\n") for part in text.split(_SEPARATOR) if part.strip("\n")) or None


def _restored(record: Record, sheet: str, cell: str, ours: bool, text: str, cleared: Cleared) -> Restore:
    """A cell holding the note of ours ``text`` back as the officer had it: the fill when ``ours``; his note and
    author, or what he has written in our note since (kept, named in ``cleared.edited``)."""
    fill = record.fill if ours else None
    if record.written is None or text == record.written:
        return Restore(sheet, cell, fill, True, record.note, record.author)
    kept = _officers_words(text, record)
    if (kept or "") == (record.note or "").strip("\n"):
        return Restore(sheet, cell, fill, True, record.note, record.author)
    cleared.edited.append((sheet, cell))
    return Restore(sheet, cell, fill, True, kept, record.author or "")


def _our_note(note: tuple[str, str] | None, record: Record) -> str | None:
    """The text of the note ``note`` when it is the one we wrote for ``record``: by AUTHOR, or our very text under
    another author (LibreOffice saves a note's author blank)."""
    if note is None:
        return None
    text, author = note
    return text if author == AUTHOR or (record.written is not None and text == record.written) else None


def clear_plan(records: list[Record], look: MarkLook) -> tuple[list[Restore], Cleared]:
    """What clearing the marks ``records`` of a book (``look``) puts back where, and what it found: the one way of
    finding xlbudget's marks, for every clearer (this module's clear_marks, splicemark's, the 清除標示 button's).

    A record's cell is where the state's reference says (Excel moved it), else its recorded address; it is our
    mark there only with our note (field report 6 §3.2; an officer's own red moved onto it is his). Our note and
    fill at no record's cell are a mark moved where the state's reference could not follow (a state written before
    it had one): matched by ``moved_marks``. Every other note of ours (its state deleted by hand) goes, the
    officer's text before ours kept. A cell merged since into a recorded cell is restored with it.
    """
    cleared = Cleared()
    restores: list[Restore] = []
    handled: set[tuple[str, str]] = set()
    missing = []  # (record, sheet, cell, ours): no note of ours where the record says
    placed = []  # (record, sheet, its cell, the cell standing for it)
    for record in records:
        sheet, cell = record.now or (record.sheet, record.cell)
        if record.deleted or sheet not in look.sheets:
            cleared.lost.append((record.sheet, record.cell))
        else:
            placed.append((record, sheet, cell, look.anchor(sheet, cell)))
    # a cell merged since into another stands after the records of cells standing for themselves
    for record, sheet, _, cell in sorted(placed, key=lambda p: p[2] != p[3]):
        if (sheet, cell) in handled:  # merged since into a cell already restored
            cleared.restored += 1
            continue
        handled.add((sheet, cell))
        ours = bool(record.rgb) and look.fill(sheet, cell) == record.rgb
        text = _our_note(look.note(sheet, cell), record)
        if text is not None:
            restores.append(_restored(record, sheet, cell, ours, text, cleared))
            if (sheet, cell) == (record.sheet, record.cell):
                cleared.restored += 1
            else:
                cleared.moved.append((record.sheet, record.cell, _where(record.sheet, sheet, cell)))
        elif record.rgb:  # moved where the reference could not follow, gone, or our note removed by the officer
            missing.append((record, sheet, cell, ours))
        else:
            cleared.restored += 1
    noted = look.our_notes()
    found = [(s, c, rgb) for s, c in noted if (s, c) not in handled for rgb in [look.fill(s, c)] if rgb]
    matched = moved_marks([(s, *cell_position(c), "" if r.plain else r.rgb) for r, s, c, _ in missing],
                          [(s, *cell_position(c), rgb) for s, c, rgb in found], [m[-1] for m in missing])
    for i, (record, sheet, cell, ours) in enumerate(missing):
        if i in matched:
            now_sheet, now, _ = found[matched[i]]
            handled.add((now_sheet, now))
            restores.append(_restored(record, now_sheet, now, True, look.note(now_sheet, now)[0], cleared))
            cleared.moved.append((record.sheet, record.cell, _where(record.sheet, now_sheet, now)))
        elif ours:  # our fill, its note removed by the officer: cleared here
            restores.append(Restore(sheet, cell, record.fill, False))
            cleared.restored += 1
        else:
            cleared.lost.append((record.sheet, record.cell))
    for sheet, cell in noted:  # notes of ours no record knows (a state sheet deleted by hand)
        if (sheet, cell) not in handled:
            text = look.note(sheet, cell)[0]
            restores.append(Restore(sheet, cell, None, True, text.split(_SEPARATOR)[0] if _SEPARATOR in text
                                    else None, ""))
    return restores, cleared


def moved_marks(missing: list[tuple[str, int, int, str]], found: list[tuple[str, int, int, str]],
                filled: list[bool] | None = None) -> dict[int, int]:
    """Where marks went that are no longer at their recorded cell (field report 6 §3.2: the officer inserted a line,
    and --clear left the red fills, saying «已清除»). ``missing``: (sheet, row, column, our fill) of each such record;
    ``found``: (sheet, row, column, fill) of each cell holding xlbudget's note (AUTHOR) and one of FILLS at no
    recorded address. A record is matched to the nearest such cell of its sheet and fill in its column (rows
    inserted or deleted) or its row (columns), each cell once; {index in missing: index in found}. The one rule of
    both clearers (this module's clear_marks, splicemark's). ``filled[i]``: record i still holds our fill without
    our note (an officer's own fill of our colour moved there, or our note removed by him): such records take only
    the cells the others leave, so a note removed in place never takes the mark a line's insertion moved."""
    taken: set[int] = set()
    matched = {}
    for i in sorted(range(len(missing)), key=lambda i: bool(filled and filled[i])):
        sheet, row, col, rgb = missing[i]
        near = [(abs(r - row) + abs(c - col), j) for j, (s, r, c, fill) in enumerate(found)
                if j not in taken and s == sheet and fill == rgb and (r == row or c == col)]
        if near:
            matched[i] = min(near)[1]
            taken.add(matched[i])
    return matched


class _Look:
    """An openpyxl workbook as clear_plan sees it (MarkLook)."""

    def __init__(self, wb: Workbook):
        self.wb = wb
        self.sheets = {ws.title for ws in wb.worksheets if ws.title not in OWN_SHEETS}

    def anchor(self, sheet: str, cell: str) -> str:
        return _anchor(self.wb[sheet], cell).coordinate

    def fill(self, sheet: str, cell: str) -> str | None:
        fill = self.wb[sheet][cell].fill
        return next((rgb for rgb in FILLS.values() if _ours(fill, rgb)), None)

    def note(self, sheet: str, cell: str) -> tuple[str, str] | None:
        comment = self.wb[sheet][cell].comment
        return (comment.text, comment.author) if comment is not None else None

    def our_notes(self) -> list[tuple[str, str]]:
        return [(ws.title, c.coordinate) for ws in self.wb.worksheets if ws.title not in OWN_SHEETS
                for c in list(ws._cells.values()) if c.comment is not None and c.comment.author == AUTHOR]


def clear_marks(wb: Workbook) -> Cleared:
    """Remove xlbudget's fills, notes, 檢核結果 sheet and state; restore the officer's originals.

    Returns what was cleared (``Cleared``): where each mark is found is clear_plan's one rule (moved by rows or
    columns the officer inserted or deleted, or with its renamed sheet; found nowhere, named). A cell whose fill or
    note the officer changed after it was marked keeps the officer's version.
    """
    rows = list(wb[STATE_SHEET].iter_rows(values_only=True)) if STATE_SHEET in wb.sheetnames else []
    records = state_records(rows, wb.sheetnames)
    if RESULT_SHEET in wb.sheetnames:  # the 檢核 button's marks, listed on its 檢核結果
        records += button_records(wb[RESULT_SHEET].iter_rows(values_only=True), wb.sheetnames,
                                  {(r.sheet, r.cell) for r in records})
    restores, cleared = clear_plan(records, _Look(wb))
    cleared.changed = bool(restores) or any(n in wb.sheetnames for n in OWN_SHEETS)
    for r in restores:
        cell = wb[r.sheet][r.cell]
        if r.fill is not None:
            cell.fill = _fill(r.fill) if r.fill else PatternFill()
        if r.renote:
            cell.comment = Comment(r.note, r.author or "") if r.note else None
    if STATE_SHEET in wb.sheetnames:
        wb.remove(wb[STATE_SHEET])
    if RESULT_SHEET in wb.sheetnames:
        wb.remove(wb[RESULT_SHEET])
    return cleared


def mark_workbook(wb: Workbook, findings: list[Finding], file: str | None = None) -> int:
    """Mark each finding's cell (fill by severity, a note: rule, expected, actual, what to do) and write 檢核結果.

    Replaces only xlbudget's earlier marks (``clear_marks`` first); values and
    formulas are never changed. Returns the number of cells marked.
    """
    clear_marks(wb)
    findings = unique_findings(findings)  # each once on 檢核結果 and in the notes, as check lists them
    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        for cell in marked_cells(f):  # a joint finding marks its related cells alike; a merged range once
            if cell.sheet in wb.sheetnames:
                by_cell[cell.sheet, _anchor(wb[cell.sheet], cell.cell).coordinate].append(f)
    state = wb.create_sheet(STATE_SHEET)
    state.append(_STATE_HEADER)
    marked = []
    for (sheet, coordinate), found in by_cell.items():
        cell = wb[sheet][coordinate]
        worst = min((f.severity for f in found), key=severity_rank)
        rgb = FILLS[worst]
        fill_state = _fill_state(cell.fill)
        original = cell.comment
        text = _note_text(found)
        if original is not None:
            text = original.text + _SEPARATOR + text
        state.append((sheet, cell.coordinate, fill_state, original.text if original else None,
                      original.author if original else None, rgb if fill_state else None, None, text))
        marked.append((sheet, cell.coordinate))
        if fill_state:
            cell.fill = PatternFill("solid", fgColor=rgb, bgColor=rgb)
        note = Comment(text, AUTHOR)
        note.width, note.height = 360, min(80 + 70 * len(found), 400)
        cell.comment = note
    state.sheet_state = "veryHidden"
    _keep_text(state)
    for r, (sheet, coordinate) in enumerate(marked, start=2):  # written after keep_text: they stay formulas
        state.cell(r, 7).value = reference(sheet, coordinate)
    _write_results(wb, findings, file)
    return len(by_cell)


def _keep_text(ws) -> None:
    """Every text of a sheet we wrote whole stays text (an officer's note or typed name may start with '=')."""
    for row in ws.iter_rows():
        for cell in row:
            keep_text(cell)


def _write_results(wb: Workbook, findings: list[Finding], file: str | None) -> None:
    """The 檢核結果 sheet as results.results_sheet lays it out, styled: fills, links to the cells, widths."""
    layout = results_sheet(findings, file, wb.sheetnames)  # the tabs' order, before 檢核結果 is put first
    ws = wb.create_sheet(RESULT_SHEET, 0)
    for row in layout.rows:
        ws.append(row)
    bold = Font(bold=True)
    for r in layout.bold_rows:
        for c, value in enumerate(layout.rows[r], start=1):
            if value is not None:
                ws.cell(r + 1, c).font = bold
    ws["A1"].font = Font(bold=True, size=14)
    for r, f in layout.findings:
        ws.cell(r + 1, 2).fill = PatternFill("solid", fgColor=FILLS[f.severity], bgColor=FILLS[f.severity])
        for c in (6, 7):
            ws.cell(r + 1, c).number_format = "#,##0"
        ws.cell(r + 1, 8).alignment = Alignment(wrap_text=True, vertical="top")
    link = Font(color="0563C1", underline="single")
    for r, cell in layout.links:
        if cell.sheet in wb.sheetnames:
            target = ws.cell(r + 1, 5)
            quoted = cell.sheet.replace("'", "''")
            target.hyperlink = Hyperlink(ref=target.coordinate, location=f"'{quoted}'!{cell.cell}",
                                         display=target.value)
            target.font = link
    for col, width in zip("ABCDEFGHI", RESULTS_WIDTHS):
        ws.column_dimensions[col].width = width
    _keep_text(ws)
    apply_page(ws, RESULTS_PAGE)
    wb.active = wb.sheetnames.index(RESULT_SHEET)
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet.title == RESULT_SHEET
