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
from xlbudget.core.formulas import keep_text
from xlbudget.adapters.printing import apply_page
from xlbudget.forms.pages import RESULTS_PAGE
from xlbudget.forms.results import OWN_SHEETS, RESULT_SHEET, RESULTS_WIDTHS, STATE_SHEET, results_sheet, severity_name

AUTHOR = "xlbudget"
FILLS = {  # light fills that keep black figures readable on screen and on paper
    Severity.ERROR: "FFFFC7CE",
    Severity.WARNING: "FFFFEB9C",
    Severity.INFO: "FFDDEBF7",
    Severity.UNVERIFIABLE: "FFD9D9D9",
}
_SEPARATOR = "\n──── xlbudget 檢核 ────\n"
_STATE_HEADER = ("工作表", "儲存格", "原填色", "原註解", "原註解作者", "本程式填色")


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
    inserted or deleted rows or columns moved them ((sheet, recorded, now)), and marks found nowhere ((sheet,
    recorded): neither our fill nor our note at the address, and no mark of ours that moved from it)."""

    restored: int = 0
    moved: list[tuple[str, str, str]] = field(default_factory=list)
    lost: list[tuple[str, str]] = field(default_factory=list)


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


def clear_marks(wb: Workbook) -> Cleared:
    """Remove xlbudget's fills, notes, 檢核結果 sheet and state; restore the officer's originals.

    Returns what was cleared (``Cleared``): a mark moved by rows or columns the officer inserted or deleted is
    found by its note and fill (``moved_marks``), one found nowhere is named. A cell whose fill or note the
    officer changed after it was marked keeps the officer's version.
    """
    cleared = Cleared()
    if STATE_SHEET in wb.sheetnames:
        state = wb[STATE_SHEET]
        records, missing = [], []
        for row in state.iter_rows(min_row=2, values_only=True):
            if not row or not row[0] or row[0] not in wb.sheetnames:
                continue
            sheet, coordinate, fill_state, note, author, our_rgb = (list(row) + [None] * 6)[:6]
            cell = _anchor(wb[sheet], coordinate)
            records.append((sheet, cell.coordinate))
            ours, noted = bool(our_rgb) and _ours(cell.fill, our_rgb), cell.comment is not None \
                and cell.comment.author == AUTHOR
            if ours and noted:
                cell.fill = _fill(fill_state) if fill_state else PatternFill()
            if noted:
                cell.comment = Comment(note, author or "") if note else None
            if our_rgb and not noted:  # no note of ours here: moved (an officer's own fill of our colour may
                # have come here with his line), gone, or our note removed by the officer (``ours``: the fill
                # restored here if no mark of ours moved)
                missing.append((sheet, cell.row, cell.column, our_rgb, fill_state, note, author, ours))
            else:
                cleared.restored += 1
        recorded = set(records)
        found = [(ws.title, c.row, c.column, rgb) for ws in wb.worksheets if ws.title not in OWN_SHEETS
                 for c in ws._cells.values() if c.comment is not None and c.comment.author == AUTHOR
                 and (ws.title, c.coordinate) not in recorded
                 for rgb in [next((v for v in FILLS.values() if _ours(c.fill, v)), None)] if rgb]
        matched = moved_marks([m[:4] for m in missing], found, [m[-1] for m in missing])
        for i, (sheet, row, col, _, fill_state, note, author, ours) in enumerate(missing):
            was = wb[sheet].cell(row, col).coordinate
            if i not in matched and ours:  # our fill, its note removed by the officer: cleared here
                wb[sheet][was].fill = _fill(fill_state) if fill_state else PatternFill()
                cleared.restored += 1
                continue
            if i not in matched:
                cleared.lost.append((sheet, was))
                continue
            cell = wb[sheet].cell(found[matched[i]][1], found[matched[i]][2])
            cell.fill = _fill(fill_state) if fill_state else PatternFill()
            cell.comment = Comment(note, author or "") if note else None
            cleared.moved.append((sheet, was, cell.coordinate))
        wb.remove(state)
    # notes of ours the state does not know (a state sheet deleted by hand)
    for ws in wb.worksheets:
        for cell in [c for c in ws._cells.values() if c.comment is not None and c.comment.author == AUTHOR]:
            text = cell.comment.text
            cell.comment = Comment(text.split(_SEPARATOR)[0], "") if _SEPARATOR in text else None
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
        for cell in marked_cells(f):  # a joint finding marks its related cells alike
            if cell.sheet in wb.sheetnames:
                by_cell[cell.sheet, cell.cell].append(f)
    state = wb.create_sheet(STATE_SHEET)
    state.append(_STATE_HEADER)
    for (sheet, coordinate), found in by_cell.items():
        cell = _anchor(wb[sheet], coordinate)
        worst = min((f.severity for f in found), key=severity_rank)
        rgb = FILLS[worst]
        fill_state = _fill_state(cell.fill)
        original = cell.comment
        state.append((sheet, cell.coordinate, fill_state, original.text if original else None,
                      original.author if original else None, rgb if fill_state else None))
        if fill_state:
            cell.fill = PatternFill("solid", fgColor=rgb, bgColor=rgb)
        text = _note_text(found)
        if original is not None:
            text = original.text + _SEPARATOR + text
        note = Comment(text, AUTHOR)
        note.width, note.height = 360, min(80 + 70 * len(found), 400)
        cell.comment = note
    state.sheet_state = "veryHidden"
    _keep_text(state)
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
