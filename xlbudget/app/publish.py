"""The book as published: 目次, 預算總說明 and the tables as one PDF, with the 目次 page ranges as printed.

The book on disk is only read: app.publication turns the built tables into the workbook to print, a renderer
(LibreOffice through adapters.pdf for ``xlbudget pdf``, Excel itself for the 輸出PDF button) makes the PDF, and
its pages are read back: a heading left at a page foot moves to the next page, the page where each title prints
goes into the 目次, and the book is rendered again until the two renderings agree.
"""

from __future__ import annotations

import re
import shutil
from bisect import bisect_left
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.pagebreak import Break

from xlbudget.adapters.atomic import write_atomic
from xlbudget.adapters.pdf import BY_PAGES, RenderError, find_soffice, page_lines, page_texts, pages_of, render, \
    render_timeout, require_cjk_font, require_cjk_text, wrapping
from xlbudget.app.publication import CONTINUED, PAGE_PER_BANNER, Carry, Entry, Flow, Printed, _plan_tables, \
    page_range, published_workbook, squeezed, write_contents
from xlbudget.core.model import BudgetBook
from xlbudget.core.titles import CONTENTS
from xlbudget.core.tables import Table
from xlbudget.forms.layout import ROW_HEIGHT, fit_percent, page_body, page_width
from xlbudget.forms.wrapping import NARROWEST, Wrapping

MAX_RENDERS = 6
NARRATIVE_CHARS = 2_000  # of 總說明 text a page prints, about (the example's 5,256 print on its 3 pages, 員額編制表 too)


def pages_about(book: BudgetBook, tables: tuple[Table, ...]) -> int:
    """About how many pages the book prints, before it is rendered (for a rendering's time limit and what its
    timeout says): the 目次, the 總說明's text, and each table from a page of its own, each 工作計畫 of a 明細表 too,
    pdf.pages_of its rows. Field report 12 §3.6: the tables' rows alone (pages_of of them all) said «約 13 頁» of the
    example's 23. Texts wrapping over lines are not counted: a book of many long 說明 prints more."""
    narrative = sum(len(p.text) for p in book.narrative)
    return 1 + -(-narrative // NARRATIVE_CHARS) + sum(
        pages_of(len(part.rows) - 1) for t in tables[1:]
        for part in (_plan_tables(t) if t.title in PAGE_PER_BANNER else [t]))


def page_ends(flows: list[Flow], pages: list[str]) -> list[tuple[Flow, int, int]]:
    """(flow, index in ``flow.rows`` of the first row the page prints about, of the last) for each page and each flow
    it prints (the first: the row after the previous page's last).

    A page's last row is the lowest text line that starts like one of its sheet's rows, or, below that row, like
    one of the rows its long text runs on over (a piece's words may open another text's piece as well: only the
    pieces of the row found are looked for).
    """
    ends = []
    cursor: dict[str, int] = {}  # per sheet, the row that ended the previous page: pages print rows in order
    for text in pages:
        lines = [re.sub(r"\s+", "", line) for line in text.splitlines() if line.strip()]
        squeezed = "".join(lines)
        for flow in flows:
            if not flow.marker or flow.marker not in squeezed:
                continue
            last = None
            for at in range(len(lines) - 1, -1, -1):
                # two rows may print alike (3015公共建設及設施費10,000,000 under two projects): the first one
                # at or after the previous page's last row
                last = next((i for i, (r, sig, _) in enumerate(flow.rows) if i >= cursor.get(flow.sheet, 0)
                             and sig and r not in flow.continued and lines[at].startswith(sig)), None)
                if last is not None:
                    run = last + 1  # the rows its text runs on over
                    while run < len(flow.rows) and flow.rows[run][0] in flow.continued:
                        run += 1
                    last = max((i for line in lines[at + 1:] for i in range(last + 1, run)
                                if line.startswith(flow.rows[i][1])), default=last)
                    break
            if last is not None:
                first = cursor[flow.sheet] + 1 if flow.sheet in cursor else 0
                cursor[flow.sheet] = last
                ends.append((flow, first, last))
    return ends


def _chain_start(flow: Flow, first: int) -> int:
    """The index of the first of the headings right above row ``first`` (``first`` itself when there is none)."""
    while first > 0 and flow.rows[first - 1][2] and flow.rows[first - 1][0] == flow.rows[first][0] - 1:
        first -= 1
    return first


def find_orphans(flows: list[Flow], pages: list[str]) -> list[tuple[str, int]]:
    """(sheet, row) of each heading that ends a page (with the headings right above it): break before it."""
    found = []
    for flow, top, last in page_ends(flows, pages):
        if not flow.rows[last][2] or last == len(flow.rows) - 1:
            continue
        first = _chain_start(flow, last)
        # a chain from the plan's 合計 down is the plan's first page, a chain opening its page fills it: nothing to move
        if first > top:
            found.append((flow.sheet, flow.rows[first][0]))
    return found


def find_widows(flows: list[Flow], pages: list[str]) -> list[tuple[str, int]]:
    """(sheet, row) before which to break so that a 工作計畫's last line item never prints alone on its last page
    (a widow): the item before it goes over with it, with the headings right above that item. The printed books end
    a plan with a few lines on its page, never one (臺中 115 02004-27: 2072 國內旅費, its item, 2081 運費, its item).
    A page ending on a heading is find_orphans'."""
    found = []
    for flow, top, last in page_ends(flows, pages):
        items = [i for i, (r, _, heading) in enumerate(flow.rows) if r not in flow.continued and not heading]
        if len(items) < 2 or items[-1] + _pieces_after(flow, items[-1]) != len(flow.rows) - 1:
            continue  # the plan does not end on a line item
        if last != items[-1] - 1 or flow.rows[last][2]:
            continue  # the last page holds more than the last item, or the page ends on a heading (find_orphans)
        first = _chain_start(flow, items[-2])
        if first > top:  # from the plan's 合計 down, or from the top of its page: the whole page would go over
            found.append((flow.sheet, flow.rows[first][0]))
    return found


def _pieces_after(flow: Flow, index: int) -> int:
    """How many rows carry row ``index``'s text on below it."""
    n = 0
    while index + 1 + n < len(flow.rows) and flow.rows[index + 1 + n][0] in flow.continued:
        n += 1
    return n


# points of a page a row model may be short of what the renderer finds: a page of ours is never planned fuller than
# this below its room (LibreOffice's fit-to-width zoom is a whole percent, which its rounding may put one lower)
_PAGE_SLACK = 3.0


def print_scale(ws, wrap: Wrapping) -> float:
    """The share of its size ``ws`` prints at: its scale, or, fitted to the page width, the whole percent at which
    its columns (``wrap.unit`` points a width unit) fit between the side margins, as LibreOffice finds it."""
    if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage \
            and ws.page_setup.fitToWidth == 1:
        room = page_width(ws.page_setup.orientation == "landscape", ws.page_margins.left, ws.page_margins.right)
        units = sum(d.width * ((d.max or d.min or 1) - (d.min or 1) + 1) for d in ws.column_dimensions.values()
                    if d.width)
        return fit_percent(room, units, wrap.unit) / 100 if units else 1.0
    return (ws.page_setup.scale or 100) / 100


def page_room(ws, wrap: Wrapping) -> tuple[float, int]:
    """Points of ``ws``'s own rows a printed page holds below its repeated rows, and the last repeated row: the
    paper's height between the top and bottom margins (the footer prints within the bottom one) at
    ``print_scale``."""
    body = page_body(ws.page_setup.orientation == "landscape", ws.page_margins.top, ws.page_margins.bottom) \
        / print_scale(ws, wrap)
    titles = ws.print_title_rows
    last = int(titles.split(":")[-1].replace("$", "")) if titles else 0
    return body - sum(row_height(ws, r) for r in range(1, last + 1)), last


def row_height(ws, r: int) -> float:
    """Points row ``r`` of ``ws`` prints: its own height, else the sheet's default (15, openpyxl's: LibreOffice
    prints a row of no height at it, measured)."""
    height = ws.row_dimensions[r].height if r in ws.row_dimensions else None
    return height if height is not None else (ws.sheet_format.defaultRowHeight or ROW_HEIGHT)


def _page_starts(heights: list[float], room: float, heading: Callable[[int], bool] = lambda i: False) -> list[int]:
    """The index of the first row of each page, rows of ``heights`` filling pages of ``room`` points in order: a page
    ends where the next row would not fit, or higher, after its last row that is not a ``heading`` (a page of
    headings alone ends where it is full)."""
    starts = [0]
    while True:
        top, used, end = starts[-1], 0.0, starts[-1]
        while end < len(heights) and used + heights[end] <= room:
            used += heights[end]
            end += 1
        if end >= len(heights):
            return starts
        cut = end
        while cut - 1 > top and heading(cut - 1):
            cut -= 1
        starts.append(max(cut if cut - 1 > top or not heading(top) else end, top + 1))


def plan_breaks(wb: Workbook, flows: list[Flow], carries: list[Carry], wrap: Wrapping) -> list[tuple[str, int]]:
    """Break the sheets whose rows run over pages before rendering, where their pages end by their rows' heights
    (``page_room``, less ``_PAGE_SLACK``); returns the (sheet, row) each page after a first starts at. The
    renderings after only check (find_orphans, find_widows).

    A 明細表's 工作計畫 (``flows``): a page full to its room ends there, or higher, after its last line item (never
    on a heading: the headings above the next item go over with it), and the plan's last page prints two line
    items at least (the item before its last goes over too, with its headings). A table printed across pages at a
    scale (各項費用彙計表 of many plans): LibreOffice counts such a table's pages down by another height than it
    prints them by, and a 30-plan book's 各項費用彙計表 printed its 66 rows on 2 pages a column page, counted 3, and
    put 4 blank, unnumbered pages after it (counted in the page numbers: 70, blank ×4, 75); its pages are broken
    here, as many rows on each as the pages it needs hold evenly (its rows carried on a page as high as with their
    label, Carry)."""
    made = []
    flowing = {flow.sheet for flow in flows}
    for flow in flows:
        ws = wb[flow.sheet]
        room, last_title = page_room(ws, wrap)
        index = {r: i for i, (r, _, _) in enumerate(flow.rows)}
        headings = {r for r, _, is_heading in flow.rows if is_heading}
        rows = list(range(last_title + 1, ws.max_row + 1))
        starts = _page_starts([row_height(ws, r) for r in rows], room - _PAGE_SLACK, lambda i: rows[i] in headings)
        items = [i for i, r in enumerate(rows) if r in index and r not in headings and r not in flow.continued]
        if len(starts) > 1 and len(items) >= 2 and sum(i >= starts[-1] for i in items) < 2:
            first = _chain_start(flow, index[rows[items[-2]]])  # the item before the last, with its headings
            cut = rows.index(flow.rows[first][0])
            if cut > starts[-2]:
                starts[-1] = cut
        made += _break(ws, rows, starts)
    labelled = {(c.sheet, r): height for c in carries for r, _, _, _, height in c.parts if height}
    for ws in wb.worksheets:
        if ws.title in flowing or not ws.col_breaks.brk:
            continue
        room, last_title = page_room(ws, wrap)
        rows = list(range(last_title + 1, ws.max_row + 1))
        heights = [max(row_height(ws, r), labelled.get((ws.title, r), 0)) for r in rows]
        starts = _page_starts(heights, room - _PAGE_SLACK)
        if len(starts) > 1:  # as many rows on each page as on the others, about: not a last page of two rows
            even = _page_starts(heights, min(room - _PAGE_SLACK, sum(heights) / len(starts) + max(heights)))
            starts = even if len(even) == len(starts) else starts
        made += _break(ws, rows, starts)
    return made


def _break(ws, rows: list[int], starts: list[int]) -> list[tuple[str, int]]:
    """Break ``ws`` before each of ``rows`` that ``starts`` (indices in it) names but the first."""
    for start in starts[1:]:
        ws.row_breaks.append(Break(id=rows[start] - 1))
    return [(ws.title, rows[start]) for start in starts[1:]]


def carry_labels(wb: Workbook, carries: list[Carry], pages: list[str]) -> list[tuple[str, int]]:
    """Label each row that opens a page with the label of the row whose text it runs on (Carry), and take the label
    off a row that no longer does; returns the (sheet, row) changed (none: the labels are where the pages open).

    A row opens a page when it prints on another page than the row before it: where each row prints is found in
    the pages' text in order, each from where the row before it printed its text to."""
    whole = ""
    starts = []
    for text in pages:
        starts.append(len(whole))
        whole += squeezed(text)
    changed = []
    for carry in carries:
        # from the first page printing the table's title alone on a line (the 目次 prints it inside longer lines)
        first = next((at for at, text in zip(starts, pages)
                      if any(squeezed(line) == carry.title for line in text.splitlines())), None)
        if first is None:
            continue
        cursor, page = first, None
        ws = wb[carry.sheet]
        for n, (r, mark, length, height, labelled) in enumerate(carry.parts):
            at = whole.find(mark, cursor) if mark else -1
            if at < 0:
                break  # not found as printed: left as it is (its text is checked whole by unprinted)
            on = bisect_left(starts, at + 1) - 1
            opens = n > 0 and page is not None and on != page
            want = f"{carry.label}{CONTINUED}" if opens else None
            cell = ws.cell(r, 1)
            if n > 0 and cell.value != want:
                cell.value = want
                ws.row_dimensions[r].height = labelled if opens else height
                changed.append((carry.sheet, r))
            page, cursor = on, at + max(len(mark), length - 10)
    return changed


def locate(entries: list[Entry], pages: list[set[str]]) -> dict[str, tuple[int, int]]:
    """Printed page range of each entry: from the first page, after the previous entry's start,
    that prints its title, to the page before the next entry starts. Page 1 is the page after the 目次."""
    entries = [e for e in entries if e.sheets]
    titles = [re.sub(r"\s+", "", e.title) for e in entries]
    # the 目次 prints titles only inside longer lines; the first page printing a title line alone is page 1
    contents_pages = next((i for i, lines in enumerate(pages) if titles and titles[0] in lines), 1)
    starts = []
    cursor = contents_pages
    for e, title in zip(entries, titles):
        found = next((i for i in range(cursor, len(pages)) if title in pages[i]), None)
        if found is None:
            raise RenderError(f"PDF 中找不到「{e.title}」的標題，無法編製目次頁碼")
        starts.append(found)
        cursor = found + 1
    ends = [s - 1 for s in starts[1:]] + [len(pages) - 1]
    return {e.label: (s - contents_pages + 1, t - contents_pages + 1) for e, s, t in zip(entries, starts, ends)}


def _unsettled(flows: list[Flow], moved: list[tuple[str, int]], before: dict, after: dict) -> str:
    """What kept moving in the last rendering: the rows that still ended a page, else the 目次 lines whose
    pages changed."""
    names = {(f.sheet, r): f.names.get(r, f"{f.sheet}!A{r}") for f in flows for r, _, _ in f.rows}
    if moved:
        rows = [names.get(key, f"{key[0]}!A{key[1]}") for key in moved]
        return _named(rows[:3], max(0, len(rows) - 3)) + " 每次重排仍落在頁尾（其下一列高過一頁？）"
    changed = [f"{label} {page_range(*before[label]) if label in before else '無'}→{page_range(*pages)}"
               for label, pages in after.items() if before.get(label) != pages]
    return "、".join(changed) or "頁次仍變動"


_GAP = 160  # characters other columns may print between two lines of a text (its row's other wrapped cells)


def _shows(text: str, whole: str, lines: int = 0) -> bool:
    """Whether ``whole`` (a PDF's squeezed text) shows ``text`` (squeezed): from where its first characters
    print, each next character right after the one before, or, where a printed line ends, within a line's worth
    of others (a wrapped line prints beside other columns). A text of ``lines`` lines may jump that way at most
    ``lines`` − 1 times (0: any number): so a piece the PDF lost is not pieced together from others like it."""
    most = lines - 1 if lines else len(text)
    head = text[:6]
    reach: dict[int, int] = {}  # where the text may go on from → the fewest jumps that got there
    at = whole.find(head)
    while at >= 0:
        reach[at + len(head)] = 0
        at = whole.find(head, at + 1)
    for char in text[len(head):]:
        found = {start + 1: jumps for start, jumps in reach.items() if whole.startswith(char, start)}
        for level in sorted(set(reach.values())):  # the fewest jumps first: a place found again costs no less
            if level >= most:
                break
            limit = -1
            for start in sorted(s for s, jumps in reach.items() if jumps == level):
                # in order: each window searched from where the one before it ended (a text of one character
                # repeated would search the same stretch once for every place)
                at = whole.find(char, max(start + 1, limit), start + _GAP + 1)
                while at >= 0:
                    found.setdefault(at + 1, level + 1)
                    at = whole.find(char, at + 1, start + _GAP + 1)
                limit = max(limit, start + _GAP + 1)
        if not found:
            return False
        reach = dict(sorted(found.items())[:5000])  # a text of one character repeated: enough places to go on from
    return bool(reach)


def unprinted(texts: list[Printed], pages: list[str]) -> list[Printed]:
    """The texts the PDF does not show whole: cut off where a row ran past its page (or its cell).

    A text printed in one run (no other column's words between its lines: most of them) is shown whole, as
    ``_shows`` would find it along its first place without a jump; only the others are followed line by line, each
    different text once. Field report 12 §2.2: one 400-character 說明 on 168 lines of a 2,037-line book, its 4 pieces'
    first 6 characters printed at 1,848 places, was followed from each of them for each line: 128 s of CPU.
    """
    whole = squeezed("".join(pages))
    shown: dict[tuple[str, int], bool] = {}
    cut = []
    for t in texts:
        key = (squeezed(t.text), t.lines)
        if key not in shown:
            shown[key] = key[0] in whole or _shows(key[0], whole, t.lines)
        if not shown[key]:
            cut.append(t)
    return cut


_HASHES = "###"  # what LibreOffice and Excel print for a figure wider than its column


def hashed_figures(wb: Workbook, entries: list[Entry], ranges: dict[str, tuple[int, int]],
                   pages: list[str]) -> list[str]:
    """Each figure a page prints as ### (wider than its column: forms.layout.fit_figures should have widened it),
    as 「第 N 頁 表名 工作表!儲存格（數字）」: the figures of the row whose label opens the line that are not on it; the
    line itself where none is found. A ### the book's own text holds (typed in a 說明) is none."""
    if not any(_HASHES in text for text in pages):
        return []
    first = len(pages) - max((last for _, last in ranges.values()), default=len(pages))  # the 目次's pages
    typed = any(_HASHES in cell.value for ws in wb.worksheets for row in ws.iter_rows() for cell in row
                if isinstance(cell.value, str))
    found = []
    for at, text in enumerate(pages):
        if _HASHES not in text:
            continue
        page = at - first + 1
        entry = next((e for e in entries if e.label in ranges and ranges[e.label][0] <= page <= ranges[e.label][1]),
                     None)
        sheets = [wb[name] for name in entry.sheets if name in wb.sheetnames] if entry else []
        for line in (re.sub(r"\s+", "", line) for line in text.splitlines() if _HASHES in line):
            cells = [f"{ws.title}!{cell.coordinate}（{cell.value:,}）" for ws in sheets for row in ws.iter_rows()
                     if (label := next((re.sub(r"\s+", "", c.value) for c in row if isinstance(c.value, str)
                                        and c.value.strip()), None)) and line.startswith(label)
                     for cell in _unshown(ws, row, line)]
            if cells or not typed:
                found.append(f"第 {page} 頁{'「' + entry.title + '」' if entry else ''} "
                             + ("、".join(dict.fromkeys(cells)) if cells else f"「{line[:40]}」"))
    return found


def _unshown(ws, row, line: str) -> list:
    """The figures of ``row`` a printed ``line`` does not show, of the columns printed beside those it shows (a table
    printed across pages shows only a page's columns on a line)."""
    breaks = sorted(b.id for b in ws.col_breaks.brk)
    figures = [cell for cell in row if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)]
    shown = {bisect_left(breaks, cell.column) for cell in figures if f"{cell.value:,}" in line}
    return [cell for cell in figures if f"{cell.value:,}" not in line
            and (not shown or bisect_left(breaks, cell.column) in shown)]


def cover_pages(pages: list[str]) -> int:
    """How many pages print before the 目次 (the 封面's): those before the first page with a line 目次."""
    return next((i for i, lines in enumerate(page_lines(pages)) if CONTENTS in lines), 0)


PAPERS = {1: "Letter", 5: "Legal", 8: "A3", 9: "A4", 11: "A5", 12: "B4", 13: "B5"}  # Excel's paper size codes


def not_used(wb: Workbook, tables: tuple[Table, ...]) -> list:
    """What of the officer's book (``wb`` as read, before build rewrites its table sheets) the published book does
    not use, one info finding each: a table sheet's own print settings (paper other than A4, print area, hidden
    rows, columns or sheet: ``pdf-settings-unused``), and each sheet of his own that is not printed
    (``pdf-sheet-unprinted``). Field report 12 §2.1: an A3, a print area, a hidden row and an appendix sheet of his
    were left out of the PDF and nothing said so."""
    from openpyxl.utils import get_column_letter

    from xlbudget.core.titles import CONTENTS
    from xlbudget.app.template import CODES_SHEET, LAYOUT
    from xlbudget.core.findings import make_finding, rows_named
    from xlbudget.core.model import CellRef
    from xlbudget.forms.inputs import SHEET_HELP
    from xlbudget.forms.overwrite import RECORD_NAME
    from xlbudget.forms.results import OWN_SHEETS
    from xlbudget.readers.grid import input_sheet_names

    names = {t.sheet_name for t in tables}
    ours = {CONTENTS, SHEET_HELP, CODES_SHEET, *LAYOUT, *OWN_SHEETS, *input_sheet_names(wb.sheetnames).values()}
    said = []
    for ws in wb.worksheets + wb.chartsheets:
        # a chart sheet is never a table's, even under a table's name (it has no cells nor print settings of one)
        table = ws not in wb.chartsheets and (ws.title in names or RECORD_NAME in getattr(ws, "defined_names", {}))
        if not table:
            if ws.title not in ours and ws.sheet_state == "visible":
                said.append(make_finding("pdf-sheet-unprinted", CellRef(ws.title, "A1"), sheet=ws.title))
            continue
        what = []
        if ws.page_setup.paperSize not in (None, 9):
            what.append(f"紙張 {PAPERS.get(int(ws.page_setup.paperSize), f'（代碼 {ws.page_setup.paperSize}）')}")
        if ws.print_area:
            what.append("列印範圍 " + ",".join(a.split("!")[-1].replace("$", "") for a in ws.print_area.split(",")))
        hidden = sorted(r for r, d in ws.row_dimensions.items() if d.hidden)
        if hidden:
            what.append("隱藏的" + rows_named([CellRef(ws.title, f"A{r}") for r in hidden], ws.title))
        columns = sorted({c for d in ws.column_dimensions.values() if d.hidden and d.min
                          for c in range(d.min, (d.max or d.min) + 1)})
        if columns:
            what.append("隱藏的 " + "、".join(get_column_letter(c) for c in columns) + " 欄")
        if ws.sheet_state != "visible":
            what.append("工作表隱藏")
        if what:
            said.append(make_finding("pdf-settings-unused", CellRef(ws.title, "A1"), what="、".join(what)))
    return said


def _named(rows: list[str], more: int) -> str:
    return "、".join(rows) + (f" 等 {len(rows) + more} 處" if more else "")


@dataclass
class PublishResult:
    """What ``xlbudget pdf`` wrote: the PDF, its page count and each 目次 entry's printed pages."""

    output: Path
    pages: int
    ranges: dict[str, tuple[int, int]]
    findings: list
    cover: int = 0  # the 封面's pages, before the 目次's

    @property
    def errors(self) -> int:
        """How many error findings the published book has, each once as they are listed: the PDF is written
        (a draft to read) but not fit to publish, so ``pdf`` exits 1 as check does and the 輸出PDF button says so."""
        from xlbudget.core.findings import error_count

        return error_count(self.findings)


def publish_file(source: str | Path, output: str | Path | None = None, soffice: str | None = None,
                 timeout: float | None = BY_PAGES, progress: Callable[[str], None] | None = None) -> PublishResult:
    """Write the book ``source`` as published to ``output`` (default: beside it, .pdf); ``source`` is only read.
    Each rendering may take ``timeout`` seconds (None: no limit; by default as many as the book's pages need,
    pdf.render_timeout). ``progress`` is told each step (publish_book)."""
    from xlbudget.app.pipeline import build_workbook, load_input_book
    from xlbudget.derive.book import derive_all

    source = Path(source)
    target = Path(output) if output else source.with_suffix(".pdf")
    soffice = soffice or find_soffice()
    require_cjk_font()  # before anything is read or rendered: Chinese printed as boxes is no book
    loaded = load_input_book(source, "pdf")  # an .ods: our template filled with its values
    unused = not_used(loaded.workbook, derive_all(loaded.book))  # his settings and sheets, before build replaces them
    # the tables as the inputs derive them (a built book's sheets are rewritten the same way)
    tables, findings = build_workbook(loaded.workbook, loaded.book)
    from dataclasses import replace

    from xlbudget.app.stale import PUBLISHED_FROM_INPUTS, stale_on_disk
    from xlbudget.readers.grid import private_use_texts  # 造字, printed as boxes: LibreOffice has not the agency's font

    # a book edited after build: the PDF is right, the book's own table sheets (sent with it, perhaps) are not; said
    # first, as check, export and compare say it (field report 8 §2.5: pdf said nothing)
    stale = stale_on_disk(source, loaded.book, tables)
    said = ([replace(stale, message=f"{stale.message}。{PUBLISHED_FROM_INPUTS}")] if stale is not None else []) \
        + list(loaded.findings) + list(findings) + unused + private_use_texts(loaded.grids)
    pages = pages_about(loaded.book, tables)
    limit = render_timeout(pages) if timeout == BY_PAGES else timeout
    return publish_book(loaded.book, loaded.workbook, tables, target,
                        lambda xlsx, work: render(xlsx, soffice, work, timeout=limit, pages=pages, book=source.name),
                        said, wrapping(), progress=progress)


def publish_book(book: BudgetBook, wb: Workbook, tables: tuple[Table, ...], target: Path,
                 render_pdf: Callable[[Path, Path], Path], findings: list | None = None,
                 wrap: Wrapping = NARROWEST, progress: Callable[[str], None] | None = None) -> PublishResult:
    """Publish a workbook holding the built tables (``wb`` is changed: use a copy) to the PDF ``target``.

    ``render_pdf(xlsx, workdir) -> pdf`` renders the whole workbook: LibreOffice for
    ``xlbudget pdf``, Excel itself for the 輸出PDF button; ``wrap`` is how it wraps text (the narrowest
    column unit where it is not known: Excel's). The book is rendered, each
    heading that ends a page is moved to the next, the 目次 ranges are written where the
    titles print, and it is rendered again until nothing moves (two renderings when
    nothing has to). ``progress`` (a line at a time) is told each rendering as it starts and the pages it gave:
    a 2,000-line book renders for minutes, and said nothing until the end (field report 12 §2.2).
    """
    say = progress or (lambda line: None)
    publication = published_workbook(wb, book, tables, wrap)
    wb, entries = publication.workbook, publication.entries
    plan_breaks(wb, publication.flows, publication.carries, wrap)  # pages ended before rendering; renderings check
    shown: dict[str, tuple[int, int]] = {}
    target = Path(target)
    with tempfile.TemporaryDirectory(prefix="xlbudget-pdf-") as tmp:
        work = Path(tmp)
        xlsx = work / "book.xlsx"
        moved: list[tuple[str, int]] = []
        relabelled = 0  # of them, rows opening a page labelled (or no longer) with the row they run on from
        widowed = 0  # of them, a plan's last item's page given the item before it too
        before: dict[str, tuple[int, int]] = {}
        for n in range(1, MAX_RENDERS + 1):
            wb.save(xlsx)
            headings = len(moved) - relabelled - widowed
            again = "、".join(([f"頁尾標題 {headings} 處移到下一頁"] if headings else [])
                             + ([f"計畫末頁僅一列 {widowed} 處，併上一列移到下一頁"] if widowed else [])
                             + ([f"續頁首列 {relabelled} 處補印名稱"] if relabelled else [])) \
                or "目次頁次已寫入，核對是否一致"
            say(f"排版中：第 {n} 次…" if n == 1 else f"排版中：第 {n} 次（{again}）…")
            pdf = render_pdf(xlsx, work)
            texts = page_texts(pdf)
            say(f"　第 {n} 次排版完成，共 {len(texts)} 頁")
            require_cjk_text(texts)
            ranges = locate(entries, page_lines(texts))
            orphans = find_orphans(publication.flows, texts)
            widows = find_widows(publication.flows, texts)
            for sheet, row in orphans + widows:
                wb[sheet].row_breaks.append(Break(id=row - 1))
            labelled = carry_labels(wb, publication.carries, texts)
            if not orphans and not widows and not labelled and ranges == shown:
                break
            moved, relabelled, widowed = orphans + widows + labelled, len(labelled), len(widows)
            before, shown = shown, ranges
            write_contents(wb, book.agency, entries, ranges)
        else:
            raise RenderError(f"目次頁碼與 PDF 實際頁次無法一致（重排 {MAX_RENDERS} 次仍變動）：" + _unsettled(
                publication.flows, moved, before, shown))
        hashed = hashed_figures(wb, entries, ranges, texts)
        if hashed:
            raise RenderError("PDF 有數字寬過欄位、印成 ###：" + _named(hashed[:3], len(hashed) - 3 if len(hashed) > 3 else 0)
                              + "；請回報此問題（欄寬應依數字加寬）")
        cut = unprinted(publication.texts, texts)
        if cut:
            raise RenderError("PDF 未印出全文（文字在頁尾或儲存格內被截斷）：" + _named(
                [f"{t.where}「{t.text[:12]}…{t.text[-8:]}」" for t in cut[:3]], len(cut) - 3 if len(cut) > 3 else 0))
        write_atomic(target, lambda partial: shutil.copyfile(pdf, partial))
    return PublishResult(target, len(texts), ranges, list(findings or []) + publication.uncovered,
                         cover_pages(texts))
