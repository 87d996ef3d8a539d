"""The book as published, as a workbook: 目次, 預算總說明 and the tables, each page set up to print.

Built from a workbook holding the built tables (openpyxl): the input and the officer's own sheets are dropped,
the 明細表 is cut into one sheet per 工作計畫, a wide table prints across pages (forms.layout.column_pages), and every page but the
目次's carries its page number. app.publish renders it and writes the 目次 page ranges back.
"""

from __future__ import annotations

import re
import unicodedata
from copy import copy
from dataclasses import dataclass, field

from openpyxl.styles import Alignment, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xlbudget.adapters.printing import FONT_NAME, write_layout, write_table
from xlbudget.core.errors import XlbudgetError
from xlbudget.core.formulas import keep_text
from xlbudget.core.findings import make_finding
from xlbudget.core.keys import city_of, compact_key
from xlbudget.core.model import Agency, BudgetBook, CellRef
from xlbudget.core.tables import BANNER, GROUP, ITEM, LABEL, TEXT, TOTAL, Column, Row, Table
from xlbudget.core.titles import CONTENTS
from xlbudget.derive.book import CONTENTS_SEPARATOR
from xlbudget.derive.schedules import DETAIL, INDENT, REVENUE_DETAIL, taipei_layout
from xlbudget.forms.layout import (KIND_AGENCY, KIND_TITLE, KIND_YEAR, MARGIN_BOTTOM, MARGIN_FOOTER, MARGIN_HEADER,
                                   MARGIN_SIDE, MARGIN_TOP, ROW_HEIGHT, TITLE_SIZES, SheetLayout, layout_table,
                                   page_body, page_shape, title_height)
from xlbudget.forms.wrapping import NARROWEST, Wrapping, line_starts, printed_lines
from xlbudget.forms.inputs import ACCOUNTANT_KEY, HEAD_KEY, PAGE_FORMAT_KEY, SHEET_AGENCY, STAGE_KEY, stage_typed
from xlbudget.core.records import record

NARRATIVE_TITLE = "預算總說明"
DEFAULT_PAGE_FORMAT = "第 N 頁"
# tables printed one 工作計畫 (歲入 科目) at a time, each from a new page, its heading line repeated on every page;
# the value names the sheets they are printed from
PAGE_PER_BANNER = {DETAIL: "明細表", REVENUE_DETAIL: "歲入明細表"}
# Neither LibreOffice nor Excel splits a row over two pages: a row taller than what a page holds below its repeated
# rows is cut at the page foot, its text lost without a word. A row taller than this share of that room (or than
# the 409 pt Excel lets a row be) prints its text over as many rows as it needs, each at most the smaller share:
# a row that does not fit the rest of a page leaves that rest blank, so a piece is a few lines (a seventh of a
# page), cut where a line ends, and the pieces of a text read as one cell.
_ROOM_SHARE, _PIECE_SHARE = 0.3, 0.15
_TEXT_SIZE, _BANNER_SIZE, _NARRATIVE_SIZE = 10, 11, 11  # points: a table's rows, its plan lines, 總說明 prose
_PAD = 3  # points a wrapped row has beyond its lines
_MAX_ROW_HEIGHT = 409.0


def page_footer(agency: Agency) -> str:
    """The footer code of the page number in the style 基本資料 頁碼格式 sets (N = the page number)."""
    style = agency.get(PAGE_FORMAT_KEY, DEFAULT_PAGE_FORMAT).strip() or DEFAULT_PAGE_FORMAT
    if "N" not in style:
        raise XlbudgetError(f"基本資料「{PAGE_FORMAT_KEY}」為「{style}」，應含 N 代表頁碼的位置，"
                            "例如「第 N 頁」或「02004 - N」")
    return style.replace("&", "&&").replace("N", "&P")  # no font-size code: its digits would run into 02004


def page_range(first: int, last: int) -> str:
    """第01頁至第05頁, as the seed's 目次 prints it."""
    return f"第{first:02d}頁至第{last:02d}頁"


def contents_pages(agency: Agency, first: int, last: int) -> str:
    """A 目次 line's pages. 第01頁至第05頁 (page_range) as the seed prints them; where 基本資料 頁碼格式 numbers the
    pages in another form (臺中 02004 - N), the line's first page in that form, as the footers print it and the 臺中
    115 目次 writes it («02004-1頁», field report 8 §3.1: 「第01頁至第04頁」 beside footers 「02004 - 1」). The 臺北市
    版式 keeps 第 N 頁 (臺北市工務局新建工程處 116 目次: 「第 1 頁」 beside footers 07-152-1)."""
    style = agency.get(PAGE_FORMAT_KEY, DEFAULT_PAGE_FORMAT).strip() or DEFAULT_PAGE_FORMAT
    if style.startswith("第") or "N" not in style or taipei_layout(agency):
        return page_range(first, last)
    return style.replace("N", str(first)) + ("" if style.endswith("頁") else "頁")


@dataclass
class Entry:
    """One 目次 line: the sheets it covers (in print order) and the title that opens it."""

    label: str  # the 目次 line as printed (甲、預算總說明, 1. 歲入來源別預算表 …)
    title: str  # the title printed on its first page
    sheets: list[str]


def _set_page(ws: Worksheet, footer: str | None) -> None:
    ws.page_margins.left = ws.page_margins.right = MARGIN_SIDE
    ws.page_margins.top = MARGIN_TOP
    ws.page_margins.bottom = MARGIN_BOTTOM
    ws.page_margins.footer = MARGIN_FOOTER  # below the bottom margin: the footer is drawn
    ws.page_margins.header = MARGIN_HEADER
    ws.oddFooter.center.text = footer
    ws.oddHeader.center.text = None
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


def _narrative_sheet(wb: Workbook, book: BudgetBook, printed: list["Printed"], wrap: Wrapping) -> Worksheet:
    """預算總說明: the officer's 總說明 paragraphs as prose under the agency, title and year."""
    ws = wb.create_sheet(NARRATIVE_TITLE)
    width = 72  # fits a portrait A4 whether a column unit prints 5.25 pt or 7 pt wide
    ws.column_dimensions["A"].width = width
    head = [(book.agency.name, KIND_AGENCY), (NARRATIVE_TITLE, KIND_TITLE), (f"中華民國{book.agency.year}年度", KIND_YEAR)]
    for r, (text, kind) in enumerate(head, start=1):
        size = TITLE_SIZES[kind]
        cell = keep_text(ws.cell(r, 1, text))
        cell.font = Font(name=FONT_NAME, size=size, bold=kind != KIND_YEAR)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        # as the tables' title block: a 機關名稱 too long for the line wraps (layout.title_height)
        ws.row_dimensions[r].height = max(size * 1.8, title_height(text, width, size, wrap) or 0)
    heading = re.compile(r"^([壹貳參肆伍陸柒捌玖拾]+、|[一二三四五六七八九十]+、)")
    room = (page_body(False) - ROW_HEIGHT
            - sum(ws.row_dimensions[r].height for r in range(1, len(head) + 1)))
    r = len(head) + 1
    for para in book.narrative:
        text = para.text.strip()
        is_heading = bool(heading.match(text)) and len(text) < 40
        size = _NARRATIVE_SIZE + 1 if is_heading else _NARRATIVE_SIZE
        most, piece = (_most_lines(room, wrap.line_height(size), 2 * _PAD, share)
                       for share in (_ROOM_SHARE, _PIECE_SHARE))
        parts = _pieces(text, wrap.room(width), size, most, piece)  # a long paragraph runs on over rows
        for n, part in enumerate(parts, start=1):
            r += 1
            cell = keep_text(ws.cell(r, 1, part))
            cell.font = Font(name=FONT_NAME, size=size, bold=is_heading)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            lines = printed_lines(part, wrap.room(width), size)
            # space below a paragraph, none inside one (between the rows its text runs on over)
            ws.row_dimensions[r].height = wrap.line_height(size) * lines + (2 * _PAD if n == len(parts) else _PAD)
            if _read_back(part, wrap.room(width), size):
                printed.append(Printed(str(para.cell) if para.cell else f"{NARRATIVE_TITLE}!A{r}", part, lines))
    ws.print_title_rows = f"1:{len(head)}"
    ws.page_setup.orientation = "portrait"
    ws.print_options.horizontalCentered = True
    ws.sheet_view.showGridLines = False
    return ws


COVER = "封面"
_COVER_WIDTH = 72  # as the 預算總說明's: fits a portrait A4 whether a column unit prints 5.25 pt or 7 pt wide


SIGN_LINE = "＿" * 8  # a line to sign on when 基本資料 names nobody


def budget_stage(agency: Agency) -> str:
    """基本資料 預算階段 as the 封面 prints it: 預算案, 法定預算, or "" when not given; anything else is refused,
    naming its cell (a cover saying the wrong stage is a wrong book). A 預算類別 naming its stage (「單位法定預算」)
    gives it where 預算階段 is not typed (readers.inputs.read_agency)."""
    typed = agency.get(STAGE_KEY).strip()
    if not typed:
        return ""
    stage = stage_typed(typed)
    if stage is None:
        where = agency.cells.get(STAGE_KEY) if agency.cells else None
        raise XlbudgetError(f"{where or '基本資料'} 「{STAGE_KEY}」為「{typed}」，應為「預算案」或「法定預算」"
                            "（封面依此印出本書是預算案或法定預算；不確定請留空）")
    return stage


def cover_lines(agency: Agency) -> tuple[list[tuple[str, float, bool, str, float]], list[tuple[str, str]]]:
    """The 封面's lines, as the seed's cover prints them (機關編號 / 02-018 / 中華民國 113 年度 / 高雄市總預算 /
    高雄市政府資訊中心單位預算 / 高雄市政府資訊中心 編), each (text, size, bold, alignment, space above it in points);
    and each line it leaves out, with why: 〇〇市總預算 where 主管機關 and 機關名稱 name no 縣市, or the book is no
    單位預算 (a 特別預算's cover names its own 總預算, which 基本資料 does not hold). 基本資料 預算階段 prints above
    機關編號 (臺北's 「預算案」) and makes the 總預算 line 「高雄市總預算案」 for a 預算案; the 主辦會計人員 and 機關長官
    lines print at the foot as 新北's cover prints them, their names from 基本資料, else a line to sign on."""
    stage = budget_stage(agency)
    lines = [(stage, 14, True, "right", 0)] if stage else []
    lines += [("機關編號", 14, False, "right", 0), (agency.code, 14, False, "right", 0),
              (f"中華民國 {agency.year} 年度", 20, False, "center", 150)]
    missing = []
    city = city_of(agency.authority, agency.name)
    if not city:
        missing.append(("〇〇市總預算", f"主管機關「{agency.authority}」及機關名稱「{agency.name}」均未以縣市開頭"))
    elif agency.kind != "單位預算":
        missing.append((f"{city}總預算", f"預算類別為{agency.kind}"))
    else:
        lines.append((f"{city}總預算{'案' if stage == '預算案' else ''}", 26, True, "center", 40))
    lines += [(f"{agency.name}{agency.kind}", 26, True, "center", 30 if city else 40),
              (f"{agency.name} 編", 18, False, "center", 200)]
    lines += [(f"{ACCOUNTANT_KEY}　{agency.get(ACCOUNTANT_KEY).strip() or SIGN_LINE}", 14, False, "left", 60),
              (f"{HEAD_KEY}　{agency.get(HEAD_KEY).strip() or SIGN_LINE}", 14, False, "right", 20)]
    return lines, missing


def _cover_sheet(wb: Workbook, agency: Agency, wrap: Wrapping) -> list[tuple[str, str]]:
    """封面 (the first page, unnumbered) from 基本資料; returns the lines it leaves out (cover_lines)."""
    ws = wb.create_sheet(COVER, 0)
    ws.column_dimensions["A"].width = _COVER_WIDTH
    lines, missing = cover_lines(agency)
    # a 機關名稱 too long for the line wraps, whole (layout.title_height); the space between the lines gives way so
    # that the cover stays one page
    heights = [max(size * 1.8, title_height(text, _COVER_WIDTH, size, wrap) or 0) for text, size, *_ in lines]
    room = page_body(False) - 2 * ROW_HEIGHT
    spaces = sum(line[4] for line in lines)
    shrink = min(1.0, max(0.0, room - sum(heights)) / spaces)
    r = 0
    for (text, size, bold, align, space), height in zip(lines, heights):
        if space:
            r += 1
            ws.row_dimensions[r].height = max(space * shrink, 1)
        r += 1
        cell = keep_text(ws.cell(r, 1, text))
        cell.font = Font(name=FONT_NAME, size=size, bold=bold)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        ws.row_dimensions[r].height = height
    ws.page_setup.orientation = "portrait"
    ws.print_options.horizontalCentered = True
    ws.sheet_view.showGridLines = False
    return missing


def _basic_cell(wb: Workbook, key: str) -> CellRef:
    """The 基本資料 cell holding ``key``'s 內容 (B of its row; A1 of 基本資料 when the book has no such row)."""
    if SHEET_AGENCY in wb.sheetnames:
        for row in wb[SHEET_AGENCY].iter_rows(max_col=1):
            if compact_key(row[0].value) == key:
                return CellRef(SHEET_AGENCY, f"B{row[0].row}")
    return CellRef(SHEET_AGENCY, "A1")


def _inside_narrative(ws: Worksheet, table: Table) -> None:
    """A table of 預算總說明 (員額編制表) printed under its heading, as the seed does: the page title reads
    預算總說明 and the table's own title stands above it on the left."""
    ws.cell(2, 1).value = NARRATIVE_TITLE
    heading = keep_text(ws.cell(4, 1, table.title))
    heading.font = Font(name=FONT_NAME, size=12, bold=True)
    heading.alignment = Alignment(horizontal="left", vertical="bottom")
    ws.row_dimensions[4].height = 20


def _most_lines(room: float, line: float, padding: float, share: float = _ROOM_SHARE) -> int:
    """The most text lines one row may print: within ``share`` of a page's ``room`` (points) and Excel's row
    height limit, a row being ``line`` points a line plus ``padding``."""
    return max(3, int((min(room * share, _MAX_ROW_HEIGHT) - padding) // line))


def _pieces(text: str, room: float, size: float, most: int, piece: int) -> list[str]:
    """``text`` as it prints at ``size`` pt in a column ``room`` points wide: whole within ``most`` lines, else
    cut into pieces of ``piece`` lines (the last of at most that), every character kept in order. A cut falls
    where a printed line ends, so the pieces, printed one under the other, read as the text does in one cell."""
    if len(line_starts(text, room, size)) <= most:
        return [text]
    pieces = []
    while len(starts := line_starts(text, room, size)) > piece:
        cut = _between_tokens(text, starts, piece, most)
        if cut == len(text):  # a run whole to the text's end
            break
        # a cut at a newline: the piece ends there and the next row starts a new line anyway
        pieces.append(text[:cut].removesuffix("\n"))
        text = text[cut:]
    return pieces + [text]


def _in_run(text: str, at: int) -> bool:
    """Whether ``text[at]`` is a character of a run of ASCII (a web address, a word, a number)."""
    return 0 <= at < len(text) and "!" <= text[at] <= "~"


def _between_tokens(text: str, starts: list[int], piece: int, most: int) -> int:
    """Where the first piece of ``text`` ends: where its line ``piece`` starts, unless that falls inside a run of
    ASCII, which two rows would print in two parts with the rows' spacing between them (field report 6 §6:
    «…NzA1MjM4OTkNz» / blank / «A1MjM4…»). Then before the run; or, for a run that opens the piece, after it (at
    the next line start) when the piece then prints over at most ``most`` + ``piece`` lines (under half a page's
    room, ``_ROOM_SHARE`` + ``_PIECE_SHARE``); else (a longer run) where line ``piece`` starts all the same."""
    cut = starts[piece]
    if not (_in_run(text, cut - 1) and _in_run(text, cut)):
        return cut
    first = cut
    while _in_run(text, first - 1):
        first -= 1
    if first > 0:
        return first
    last = cut
    while _in_run(text, last):
        last += 1
    after = next((s for s in starts if s >= last), len(text))
    return after if sum(s < after for s in starts) <= most + piece else cut


def _page_room(table: Table, agency: Agency) -> float:
    """Points a page of ``table`` holds below the rows printed above every page's rows (title, header and a
    plan's heading line), the page turned as printing.page_setup turns it (forms.layout.page_shape)."""
    opening = table.rows[:1] if table.rows and table.rows[0].style == BANNER else ()
    layout = layout_table(Table(table.title, table.unit, table.columns, tuple(opening), table.subtitle), agency)
    landscape = page_shape(layout)[1]
    return (page_body(landscape)
            - sum(layout.heights.get(r, 20) for r in range(1, len(layout.values) + 1)))


@dataclass
class Flowed:
    """A table as it prints, long texts run on over rows: ``origins[i]`` is the row ``table.rows[i]`` prints
    (a piece of), ``continued`` the indices of the rows that carry on the row above."""

    table: Table
    origins: list[Row]
    continued: set[int]


def flowed(table: Table, agency: Agency, wrap: Wrapping = NARROWEST) -> Flowed:
    """``table`` with each row whose text is too long for a page printed over as many rows as it needs: the
    row's figures on its first, its text running on below (a text column's next piece, or a banner's)."""
    room = _page_room(table, agency)
    total_width = sum(c.width for c in table.columns)
    texts = [c for c in table.columns if c.kind != "amount"]
    shares = (_ROOM_SHARE, _PIECE_SHARE)
    lines = [_most_lines(room, wrap.line_height(_TEXT_SIZE), _PAD, share) for share in shares]
    banner_lines = [_most_lines(room, wrap.line_height(_BANNER_SIZE), _PAD, share) for share in shares]
    rows: list[Row] = []
    origins: list[Row] = []
    continued: set[int] = set()
    for row in table.rows:
        if row.style == BANNER:
            pieces = _pieces(row.name, wrap.room(total_width), _BANNER_SIZE, *banner_lines)
            parts = [row] + [Row(row.code, piece, {}, BANNER, row.level) for piece in pieces[1:]]
            if len(pieces) > 1:
                parts[0] = Row(row.code, pieces[0], row.cells, BANNER, row.level)
        else:
            cut = {c.key: _pieces(v, wrap.room(c.width), _TEXT_SIZE, *lines)
                   for c in texts if isinstance(v := row.cells.get(c.key), str)}
            count = max(map(len, cut.values()), default=1)
            parts = [row]
            if count > 1:
                parts = [Row(row.code, row.name, {**row.cells, **{k: p[0] for k, p in cut.items()}}, row.style,
                             row.level)]
                parts += [Row(row.code, row.name, {k: p[n] for k, p in cut.items() if n < len(p)},
                              TOTAL if row.style == TOTAL else ITEM, row.level) for n in range(1, count)]
        continued.update(range(len(rows) + 1, len(rows) + len(parts)))
        rows += parts
        origins += [row] * len(parts)
    printed = Table(table.title, table.unit, table.columns, tuple(rows), table.subtitle, table.notes)
    return Flowed(printed, origins, continued)


def _join_continued(ws: Worksheet, layout_rows: dict[int, int], continued: set[int]) -> None:
    """No rule between a row and the rows its text runs on to: one row's text reads as one cell."""
    for r, index in layout_rows.items():
        if index not in continued:
            continue
        for c in range(1, ws.max_column + 1):
            for cell, side in ((ws.cell(r - 1, c), "bottom"), (ws.cell(r, c), "top")):
                border = copy(cell.border)
                setattr(border, side, Side())
                cell.border = border


@record
class Printed:
    """A text the published book must show whole: where the officer typed it (or where it prints) and the text
    of one printed row (a piece of it when it runs on over rows)."""

    where: str
    text: str
    lines: int = 0  # the lines it prints over (0: not known); where the PDF's text may break it


class Sources:
    """Where the officer typed each text a table prints: 歲出明細 / 歲入明細 說明 cells, 說明提要 by 編號."""

    def __init__(self, book: BudgetBook):
        self._items = {(i.plan_code, i.note): i.cells for i in reversed(book.expenses)}
        self._revenues = {(i.code, i.note): i.cells for i in reversed(book.revenues)}

    def where(self, sheet: str, r: int, column: int, table: Table, row: Row) -> str:
        """The officer's cell of ``row``'s text in ``column`` (1-based), else the published sheet's cell."""
        printed = f"{sheet}!{get_column_letter(column)}{r}"
        if row.style == BANNER:
            return f"說明提要（編號 {row.code}）" if "說明：" in row.name[:8] else printed
        key = table.columns[column - 1].key
        cells = None
        if table.title == DETAIL and key == "說明":
            cells = self._items.get((row.code.split("/")[0], row.cells.get(key)))
        elif table.title == REVENUE_DETAIL and key == "說明及收入依據":
            cells = self._revenues.get((row.code, row.cells.get(key)))
        try:
            return str(cells["說明"]) if cells else printed
        except KeyError:
            return printed


def _read_back(text: str, room: float, size: float) -> bool:
    """Whether the PDF is read back for ``text``: every text printing over more than one line, a piece of a long
    one as much as a whole one. Not a text on one line (its row is as high as the renderer makes it), nor one
    whose first line holds fewer than the six characters app.publish looks for first (a 單位 of 臺、月、張 in
    its narrow column: its lines print among the other columns' and the check cannot follow them)."""
    starts = line_starts(text, room, size)
    return len(starts) > 1 and len(re.sub(r"\s+", "", text[:starts[1]])) >= 6


def printed_texts(sheet: str, flow: Flowed, agency: Agency, sources: Sources,
                  wrap: Wrapping = NARROWEST) -> list[Printed]:
    """Each text of a table printing over more than one line on ``sheet``, named by where the officer typed
    it."""
    layout = layout_table(flow.table, agency)
    found = []
    for r, index in layout.data_rows.items():
        row = flow.table.rows[index]
        if row.style == BANNER:
            texts = [(1, row.name, layout.ncols, _BANNER_SIZE)]
        else:
            texts = [(c, v, c, _TEXT_SIZE) for c in layout.wrap_columns
                     if isinstance(v := layout.values[r - 1][c - 1], str)]
        found += [Printed(sources.where(sheet, r, c, flow.table, flow.origins[index]), text,
                          printed_lines(text, wrap.room(sum(layout.widths[c - 1:last])), size))
                  for c, text, last, size in texts
                  if _read_back(text, wrap.room(sum(layout.widths[c - 1:last])), size)]
    return found


def squeezed(text: str) -> str:
    """``text`` as a PDF's text is compared with it: compatibility forms folded (NFKC), whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


CONTINUED = "（續）"  # after the label a row's continuation prints at the top of a page (參與國際展會（續）)


@dataclass
class Carry:
    """A row of a table whose text runs on over rows below it (``flowed``): where each of those rows prints in the
    PDF tells which of them opens a page, and such a row prints the row's label (column A) followed by
    ``CONTINUED``, as a 明細表's continuation page repeats its plan line (a 派員出國計畫 trip's 計畫內容 run onto
    the next page printed there without its 計畫名稱: a text of no trip).

    ``parts`` holds, for the row and each row its text runs on over, (sheet row, its first characters as the PDF
    prints them, how many characters from there on at least that row prints, the row's height with the label and
    without it)."""

    sheet: str
    title: str  # the table's title, squeezed: its pages are searched from the first printing it
    label: str
    parts: list[tuple[int, str, int, float | None, float | None]]


def _carries(ws: Worksheet, title: str, layout: SheetLayout, continued: set[int], wrap: Wrapping) -> list[Carry]:
    """A Carry for each row of ``ws`` whose text runs on over the rows below it and that prints a label (column A)
    its continuation rows do not."""
    carries: list[Carry] = []
    current: Carry | None = None
    room_a = wrap.room(layout.widths[0])
    for r, index in layout.data_rows.items():
        values = layout.values[r - 1]
        label = values[0].strip() if isinstance(values[0], str) else ""
        if index not in continued:
            current = Carry(ws.title, squeezed(title), label, []) if label else None
        if current is None or (index in continued and label):
            continue  # no label to carry, or the label itself runs on (its own piece prints there)
        texts = [(v, wrap.room(layout.widths[c - 1])) for c in layout.wrap_columns if c > 1
                 and isinstance(v := values[c - 1], str) and squeezed(v)]
        if not texts:
            continue
        # the column printing the most on its first line: its first characters mark where the row prints
        first, text = max(((squeezed(v[: (line_starts(v, room, _TEXT_SIZE) + [len(v)])[1:2][0]]), v)
                           for v, room in texts), key=lambda pair: len(pair[0]))
        if index not in continued:
            carries.append(current)
        lines = printed_lines(f"{current.label}{CONTINUED}", room_a, _TEXT_SIZE)
        height = ws.row_dimensions[r].height
        labelled = max(height or 0, wrap.line_height(_TEXT_SIZE) * lines + _PAD) if lines > 1 else height
        current.parts.append((r, first[:8], len(squeezed(text)), height, labelled))
    return [c for c in carries if len(c.parts) > 1]


def _flow_sheet(wb: Workbook, table: Table, agency: Agency, sources: Sources, printed: list[Printed],
                wrap: Wrapping, carries: list[Carry]) -> Table:
    """A built table's sheet, written again when a text of it is too long for a page (see ``flowed``), its
    rows as high as their texts print; a Carry of each row its text runs on from is added to ``carries``."""
    flow = flowed(table, agency, wrap)
    name = table.sheet_name
    layout = layout_table(flow.table, agency)
    if flow.continued:
        index = wb.sheetnames.index(name)
        wb.remove(wb[name])
        ws = wb.create_sheet(name, index)
        write_table(ws, flow.table, agency)
        _join_continued(ws, layout.data_rows, flow.continued)
    _fit_rows(wb[name], layout, wrap)
    if flow.continued:
        carries += _carries(wb[name], table.title, layout, flow.continued, wrap)
    printed += printed_texts(name, flow, agency, sources, wrap)
    return flow.table


def _fit_rows(ws: Worksheet, layout: SheetLayout, wrap: Wrapping) -> None:
    """Each table row of ``ws`` as high as its texts print (``layout`` sized them for any spreadsheet, more
    generously): a plan line at 11 pt across all columns, a row's wrapped cells at 10 pt in their column."""
    banner_room = wrap.room(sum(layout.widths))
    rooms = [(c - 1, wrap.room(layout.widths[c - 1])) for c in layout.wrap_columns]
    for r in layout.data_rows:
        values = layout.values[r - 1]
        if layout.kinds.get(r) == BANNER:
            lines, size = printed_lines(str(values[0] or ""), banner_room, _BANNER_SIZE), _BANNER_SIZE
        else:
            lines = max((printed_lines(v, room, _TEXT_SIZE) for i, room in rooms
                         if isinstance(v := values[i], str) and v), default=1)
            size = _TEXT_SIZE
        ws.row_dimensions[r].height = wrap.line_height(size) * lines + _PAD if lines > 1 else None


def _plan_tables(table: Table) -> list[Table]:
    """The 明細表 cut into one table per 工作計畫 (each starts a page and repeats its plan line)."""
    parts: list[list] = []
    seen: set[str] = set()
    for row in table.rows:
        if row.style == BANNER and row.code not in seen:
            seen.add(row.code)
            parts.append([])
        if not parts:
            parts.append([])
        parts[-1].append(row)
    return [Table(table.title, table.unit, table.columns, tuple(rows), table.subtitle, table.notes) for rows in parts]


@dataclass
class Flow:
    """A sheet whose rows run over pages: what marks its pages, and each row as it prints.

    ``rows`` holds (sheet row, the row's printed text up to its last text column with
    whitespace removed, whether it is a heading that must not end a page); ``continued`` the sheet
    rows that carry a long text on from the row above (their text starts as their first printed line).
    """

    sheet: str
    marker: str
    rows: list[tuple[int, str, bool]]
    names: dict[int, str] = field(default_factory=dict)  # sheet row → how a message names it (and its input cell)
    continued: set[int] = field(default_factory=set)


def _printed(value: object, amount: bool) -> str:
    if value is None:
        return ""
    if amount and isinstance(value, (int, float)):
        return f"{value:,.0f}" if value else "-"
    return re.sub(r"\s+", "", str(value))


def _write_plan_sheet(wb: Workbook, name: str, table: Table, agency: Agency, sources: Sources,
                      printed: list[Printed], wrap: Wrapping) -> Flow:
    ws = wb.create_sheet(name)
    flow = flowed(table, agency, wrap)
    table, continued = flow.table, flow.continued
    layout = layout_table(table, agency)
    write_layout(ws, layout)
    _join_continued(ws, layout.data_rows, continued)
    _fit_rows(ws, layout, wrap)
    printed += printed_texts(name, flow, agency, sources, wrap)
    plan_line = layout.header_rows[1] + 1
    marker = ""
    if layout.kinds.get(plan_line) == BANNER:
        ws.print_title_rows = f"1:{plan_line}"  # continuation pages say which 工作計畫 they belong to
        # the plan line up to its code (the rest may wrap differently on the page)
        line = re.sub(r"\s+", "", str(layout.values[plan_line - 1][0]))
        marker = line[: re.search(r"\d{11}", line).end()] if re.search(r"\d{11}", line) else line
    amount = set(layout.amount_columns)
    last_text = max((c for c in layout.wrap_columns if c > 1), default=layout.ncols + 1)
    rows = []
    names: dict[int, str] = {}
    continuing: set[int] = set()
    for r, index in layout.data_rows.items():
        row = table.rows[index]
        if row.style == BANNER:
            continue
        cells = layout.values[r - 1][: last_text - 1]
        text = "".join(_printed(v, c in amount) for c, v in enumerate(cells, start=1))
        if index in continued:  # a long text running on: its line starts as its piece does
            piece = str(layout.values[r - 1][last_text - 1] or "")
            # its first printed line (the renderer's holds at least as much); a piece is cut where a line ends,
            # so the same words open other pieces too (如後附分年資金需求表。): as much of it as the line holds
            starts = line_starts(piece, wrap.room(layout.widths[last_text - 1]), _TEXT_SIZE) + [len(piece)]
            # a heading's text running on is the heading's (a 計畫項目 and its 說明): a page ending in it ends on a heading
            rows.append((r, (text + _printed(piece[:starts[1]], False))[:24], flow.origins[index].style in (GROUP, TOTAL)))
            continuing.add(r)
            continue
        if row.style == GROUP and not _printed(cells[0] if cells else None, False) and last_text <= layout.ncols:
            # a 計畫項目 line prints no label, only its amount and its name in 說明: the name's start marks it
            # (its amount alone, 30,000,000, is also how a 說明 line such as 「30,000,000元，除…」 starts)
            text += _printed(layout.values[r - 1][last_text - 1], False)[:6]
        rows.append((r, text, row.style in (GROUP, TOTAL)))
        label = _printed(cells[0] if cells else None, False) or _printed(layout.values[r - 1][last_text - 1], False)
        typed = sources.where(name, r, last_text, table, flow.origins[index]) if last_text <= layout.ncols else ""
        names[r] = f"{name}!A{r}「{label[:20]}」" + (f"（{typed}）" if typed and not typed.startswith(name) else "")
    return Flow(name, marker, rows, names, continuing)


def _break_headers(ws: Worksheet, table: Table, agency: Agency, wrap: Wrapping) -> None:
    """The header rows of a table's sheet broken into lines where the renderer (``wrap``) wraps them: a built
    sheet's are broken for the narrowest (Excel's), which would print 購買商｜品及勞｜務支出 where LibreOffice
    holds 購買商品及｜勞務支出."""
    layout = layout_table(Table(table.title, table.unit, table.columns, (), table.subtitle), agency, wrap)
    first, last = layout.header_rows
    for r in range(first, last + 1):
        texts = [(c, v) for c, v in enumerate(layout.values[r - 1], start=1) if isinstance(v, str)]
        for c, text in texts:
            keep_text(ws.cell(r, c, text))  # a plan named 「=…」 stays text
        ws.row_dimensions[r].height = 15 * max((text.count("\n") + 1 for _, text in texts), default=1)


def published_workbook(wb: Workbook, book: BudgetBook, tables: tuple[Table, ...],
                       wrap: Wrapping = NARROWEST) -> "Publication":
    """Turn a built workbook into the book as published, in place.

    Only 目次, 預算總說明 and the tables stay (input sheets, 說明, 檢核結果, 執行紀錄 and the
    officer's own sheets are dropped); the 明細表 is cut into one sheet per 工作計畫; every
    page but the 目次's carries the page number, counted from the 預算總說明's first page. Rows are
    as high as their texts print where the renderer wraps text as ``wrap`` says.
    """
    footer = page_footer(book.agency)
    authority = _basic_cell(wb, "主管機關")  # before the input sheets go: where the 封面's 縣市 comes from
    keep = {t.sheet_name for t in tables[1:]}
    for ws in list(wb.worksheets):
        if ws.title not in keep:
            wb.remove(ws)
    for chart in list(getattr(wb, "chartsheets", [])):
        wb.remove(chart)
    order: list[str] = []
    entries: list[Entry] = []
    flows: list[Flow] = []
    narrative = []
    printed: list[Printed] = []
    carries: list[Carry] = []
    sources = Sources(book)
    if book.narrative:
        _narrative_sheet(wb, book, printed, wrap)
        narrative = [NARRATIVE_TITLE]
    by_title = {t.title: t for t in tables[1:]}
    section = ""
    for row in tables[0].rows:
        label = str(row.cells.get("目次") or "").strip()
        if row.code == "":  # a section heading (甲、乙、丙); 甲 is the 預算總說明 itself
            section = label
            entries.append(Entry(label, NARRATIVE_TITLE if narrative and label.startswith("甲") else "",
                                 list(narrative) if label.startswith("甲") else []))
            order += entries[-1].sheets
            continue
        table = by_title[row.code]
        names = [table.sheet_name]
        if table.title in PAGE_PER_BANNER:
            wb.remove(wb[table.sheet_name])
            names = []
            for n, part in enumerate(_plan_tables(table), start=1):
                names.append(f"{PAGE_PER_BANNER[table.title]}{n:02d}")
                flows.append(_write_plan_sheet(wb, names[-1], part, book.agency, sources, printed, wrap))
        else:
            table = _flow_sheet(wb, table, book.agency, sources, printed, wrap, carries)
        for name in names:
            _break_headers(wb[name], table, book.agency, wrap)
        order += names
        if section.startswith("甲"):  # as the seed prints 員額編制表: inside 預算總說明, within its range
            for name in names:
                _inside_narrative(wb[name], table)
            entries[-1].sheets += names
            entries[-1].title = NARRATIVE_TITLE
        elif not label[:1].isdigit() and entries and entries[-1].title:  # a family's next table: same line
            entries[-1].sheets += names
            entries[-1].label = entries[-1].label.split(CONTENTS_SEPARATOR)[0]
        else:
            entries.append(Entry(label, table.title, names))
    write_contents(wb, book.agency, entries, {})
    uncovered = [make_finding("cover-line-missing", authority, line=line, why=why)
                 for line, why in _cover_sheet(wb, book.agency, wrap)]
    wb._sheets = [wb[COVER], wb[CONTENTS]] + [wb[name] for name in order]
    wb.active = 0
    for ws in wb.worksheets:
        _set_page(ws, None if ws.title in (COVER, CONTENTS) else footer)
    if len(wb.worksheets) > 2:  # the 封面 and the 目次 are unnumbered: the book's page 1 is the 預算總說明's first
        wb.worksheets[2].page_setup.firstPageNumber = 1
        wb.worksheets[2].page_setup.useFirstPageNumber = True
    return Publication(wb, entries, flows, printed, uncovered, carries)


@dataclass
class Publication:
    """The workbook to render, its 目次 lines and the sheets whose rows run over pages."""

    workbook: Workbook
    entries: list[Entry]
    flows: list[Flow]
    texts: list[Printed] = field(default_factory=list)  # every text the PDF must show whole
    uncovered: list = field(default_factory=list)  # a cover-line-missing finding for each 封面 line left out
    carries: list[Carry] = field(default_factory=list)  # rows whose text runs on, to label where a page opens


CONTENTS_COLUMNS = (Column("目次", ("目次",), LABEL, 56), Column("頁次", ("頁次",), TEXT, 22))


def write_contents(wb: Workbook, agency: Agency, entries: list[Entry], ranges: dict[str, tuple[int, int]]) -> None:
    """(Re)write the 目次 sheet in ``wb`` (first, or where it was: after the 封面): each line with its pages
    (contents_pages) once ``ranges`` are known."""
    rows = []
    n = 0
    for e in entries:
        if e.label.startswith("甲") and not e.sheets:
            continue  # no 總說明 text and no 員額編制表: nothing of 甲 to print
        pages = contents_pages(agency, *ranges[e.label]) if e.label in ranges else ""
        if e.title and not e.label.startswith("甲"):
            n += 1
            rows.append(Row(e.title, e.title, {"目次": f"{INDENT}{e.label}", "頁次": pages}, ITEM, 1))
        else:
            n = 0
            rows.append(Row("", e.label, {"目次": e.label, "頁次": pages}, GROUP))
    at = 0  # the 目次 first, or where it was (after the 封面)
    if CONTENTS in wb.sheetnames:
        at = wb.sheetnames.index(CONTENTS)
        wb.remove(wb[CONTENTS])
    ws = wb.create_sheet(CONTENTS, at)
    write_table(ws, Table(CONTENTS, "", CONTENTS_COLUMNS, tuple(rows)), agency)
    written = {row.cells["頁次"] for row in rows} - {""}
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 2).value in written:
            ws.cell(r, 2).alignment = Alignment(horizontal="center", vertical="top")
    ws.freeze_panes = None
    _set_page(ws, None)
