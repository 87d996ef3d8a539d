"""Printed tables read back from sheets: find each table by its title and header words.

Pure: works on ``SheetGrid`` (a Grid of cell values plus merged ranges), so an
openpyxl file, an xlwings book or a test can hand the same grids in. Tables
are found by printed_pages and their rows read by printed_rows; the records
(printed_model) remember every figure's cell.
"""

from __future__ import annotations

from dataclasses import replace

from xlbudget.core.keys import compact_key
from xlbudget.core.titles import UNHEADED
from xlbudget.readers.grid import shown_values

from xlbudget.readers.printed_model import PrintedRow, PrintedTable, SheetGrid, UnreadableTable
from xlbudget.readers.printed_pages import (column_roles, continued_table, first_figure, has_figures, split_titles,
                                            table_sections, title_of, title_ref)
from xlbudget.readers.printed_rows import column_key, column_key_name, join_halves, read_section

__all__ = ["find_tables", "read_tables", "SheetGrid"]


def find_tables(sheets) -> list[PrintedTable]:
    """Every printed table xlbudget recognises on ``sheets`` (SheetGrids), continuation pages joined."""
    return read_tables(sheets)[0]


def read_tables(sheets) -> tuple[list[PrintedTable], list[UnreadableTable]]:
    """Every printed table xlbudget recognises on ``sheets`` (SheetGrids), and the titles it could not read.

    A table is found by its title (anywhere on the sheet) and the header row
    that follows; the header may span several rows and merged cells. Pages
    of one table (title and header repeated) are joined in sheet order. A
    table printed in two column halves (its title split between them, the
    second half beside, below, or on a later sheet) is joined row by row.
    A page whose title is recognised but whose header is not, or under whose
    header no figure is read, is an UnreadableTable naming its title cell.
    A sheet printing figures under no title (「工作表2」) is read, after the
    others, as the next page of the table whose header or columns it carries
    on (printed_pages.continued_table; the table lists it in ``untitled``);
    when none fits, it is an UnreadableTable with no title, at its first figure.
    A figure whose number format scales what it shows (Grid.scaled: ``#,##0,`` shows 43,769,499 as 43,769) is read
    as shown (grid.shown_values): a table is read as it prints.
    """
    sheets = [replace(sg, grid=shown_values(sg.grid)) if sg.grid.scaled else sg for sg in sheets]
    halves = split_titles(sheets)
    found: dict[str, dict] = {}
    unreadable: list[UnreadableTable] = []
    headers: dict[str, list[str]] = {}
    untitled: list[tuple[SheetGrid, str]] = []  # (sheet printing no title, the table the sheet before ended with)
    headed: list[tuple[str, str, SheetGrid, int]] = []  # (agency line, title, sheet, title row) of each titled page
    after = ""
    for sg in sheets:
        mine = {r: th for (sheet, r), th in halves.items() if sheet == sg.sheet}
        sections, cannot = table_sections(sg, mine, headers)
        unreadable += cannot
        headed += [(_agency_line(sg, sec.top), sec.title, sg, sec.top) for sec in sections
                   if not sec.untitled and sec.half != "right" and sec.top > 0]
        if not sections and not cannot and not mine and not title_of([sg.sheet]) \
                and not any(title_of(row) for row in sg.grid.rows):
            if has_figures(sg.grid.rows, 0, len(sg.grid.rows)):
                untitled.append((sg, after))
            continue
        after = sections[-1].title if sections and not sections[-1].half else ""
        for sec in sections:
            _add_section(found, unreadable, sg, sec)
    for sg, after in untitled:
        lengths = {title: {len(r.code) for r in e["rows"] if r.code} for title, e in found.items()}
        title = continued_table(sg, {t: k for t, k in headers.items() if t in found}, after, lengths)
        sections = table_sections(sg, None, headers, title)[0] if title else []
        if not sections:
            unreadable.append(UnreadableTable("", first_figure(sg), "沒有可辨識的表名"))
        for sec in sections:
            _add_section(found, unreadable, sg, sec)
    _refuse_two_agencies(headed)
    tables = [PrintedTable(title, e["unit"], e["sheet"], tuple(e["columns"]), tuple(e["rows"]),
                           tuple(e["headings"]), tuple(e["unjoined"]), tuple(e["names"].items()), e["title_cell"],
                           tuple(e["untitled"]), tuple(e["pages"]), tuple(e["carries"]), tuple(e["heads"].items()))
              for title, e in found.items()]
    return tables, unreadable


def _agency_line(sg: SheetGrid, top: int) -> str:
    """The agency a page heads its title with: the nearest line with text in the three above the title row (its
    texts joined), "" when there is none or it is not an agency's name (one names its 縣市, 政府, 議會, 公所: not a
    中華民國 year, a unit, a table's words, a page number, «（續）»)."""
    for r in range(top - 1, max(top - 4, -1), -1):
        texts = [compact_key(v) for v in sg.grid.rows[r] if isinstance(v, str) and compact_key(v)]
        if texts:
            line = "".join(dict.fromkeys(texts))  # a name over each half of a table printed in two: once
            if any(word in line for word in ("中華民國", "單位", "表", "頁", "續")) or not 4 <= len(line) <= 40 \
                    or not any(word in line for word in ("市", "縣", "政府", "議會", "公所", "國立")):
                return ""  # a running header («（續）», a page number) is no agency: its pages are one book's
            return line
    return ""


def _refuse_two_agencies(headed: list[tuple[str, str, SheetGrid, int]]) -> None:
    """Raise two-agencies when the same table is printed under two agency lines (甲局's 歲出機關別預算表 and 乙局's
    「歲出機關別預算表 (2)」: a 主管機關's books, each agency's, in one workbook), naming each agency's sheets: they
    would be read as pages of one table and every right 合計 blamed. One agency line on every page, or an agency
    line printed over other tables only, is one book."""
    from xlbudget.core.errors import InputError
    from xlbudget.core.findings import make_finding
    from xlbudget.core.keys import agency_key

    under: dict[str, dict[str, list]] = {}  # agency key → title → [(sheet, title row)]
    names: dict[str, str] = {}
    for line, title, sg, top in headed:
        if line:
            names.setdefault(agency_key(line), line)
            under.setdefault(agency_key(line), {}).setdefault(title, []).append((sg, top))
    if len(under) < 2 or not any(set(a) & set(b) for a in under.values() for b in under.values() if a is not b):
        return
    sheets = {key: list(dict.fromkeys(sg.sheet for pages in titles.values() for sg, _ in pages))
              for key, titles in under.items()}
    firsts = [next(iter(titles.values()))[0] for titles in under.values()]
    cells = [title_ref(sg, top) for sg, top in firsts]
    listed = "；".join(f"{names[key]}：{'、'.join(found[:6])}" + (f" 等 {len(found)} 張" if len(found) > 6 else "")
                      for key, found in sheets.items())
    raise InputError([make_finding("two-agencies", cells[1], related=(cells[0], *cells[2:]), count="兩三四五六七八九"[len(under) - 2]
                                   if len(under) < 10 else f" {len(under)} ", agencies=listed)], cells[0].file)


def _add_section(found: dict[str, dict], unreadable: list[UnreadableTable], sg: SheetGrid, sec) -> None:
    """Read one section's rows into its table's entry of ``found`` (a page, a column half, a continuation).

    A page carries on the 工作計畫 of the page before (the plan line a printed book prints once, a PDF converter's
    page without it): its lines before its own plan line are that plan's, unless they open with a 合計 when that
    plan has one already (a new plan whose line was lost: its lines are in no plan, named by the checks)."""
    before = found[sec.title]["context"] if sec.title in found else ""
    rows, headings, context, pages, carries = read_section(sg, sec, before)
    if before and sec.title in found:
        rows = _lost_plan_line(rows, found[sec.title]["rows"], before)
    if not any(row.figures for row in rows) and has_figures(sg.grid.rows, sec.start, sec.end):
        amounts = [sec.header[c] for c in column_roles(sec.header, sec.half != "right")[3]]
        unreadable.append(UnreadableTable(sec.title, title_ref(sg, sec.top),
                                          f"表頭下讀不到任何金額（金額欄：{'、'.join(amounts)}）"))
        return
    entry = found.setdefault(sec.title, {"unit": sec.unit, "sheet": sec.sheet, "columns": [], "rows": [],
                                         "headings": [], "unjoined": [], "left": None, "names": {},
                                         "title_cell": title_ref(sg, sec.top), "untitled": [], "pages": [],
                                         "first_keys": set(), "context": "",
                                         "carries": [], "heads": {}})
    entry["context"] = context
    entry["pages"] += pages
    if sec.untitled:
        entry["untitled"].append(rows[0].label_cell if rows else title_ref(sg, sec.start))
    for key in sec.header:
        k = column_key(key)
        if key and k not in entry["columns"]:
            entry["columns"].append(k)
        if key and k != key:
            entry["names"].setdefault(k, column_key_name(key))
    raw = sg.grid.rows
    for c, key in enumerate(sec.header if sec.head >= 0 else ()):
        if key and column_key(key) not in entry["heads"]:
            texts = tuple((compact_key(raw[r][c]), sg.grid.ref(r, c)) for r in range(sec.head, sec.start)
                          if c < len(raw[r]) and compact_key(raw[r][c]))
            if UNHEADED in key:  # a heading left blank: the blank cell under its group word, else in the header's
                # fullest row (where the other columns print their names)
                r = next((r + 1 for r in range(sec.start - 2, sec.head - 1, -1)
                          if c < len(raw[r]) and compact_key(raw[r][c])), None)
                texts = (("", sg.grid.ref(r if r is not None else _fullest_row(raw, sec.head, sec.start), c)),)
            entry["heads"][column_key(key)] = texts
    start = sg.grid.top + sec.start
    entry["carries"] += [(len(entry["rows"]) + n, row) for n, row in carries]
    if sec.half == "right" and entry["left"] is None:
        entry["unjoined"] += rows  # a second half whose first half was not found
        return
    if sec.half == "right":
        first, left_start = entry["left"]
        joined, unmatched = join_halves(entry["rows"][first:], left_start, rows, start)
        entry["rows"][first:] = joined
        entry["unjoined"] += unmatched
        entry["left"] = None
        return
    if sec.half == "left":
        entry["left"] = (len(entry["rows"]), start)
    keys = {k for row in rows for k in row.figures}
    if not entry["rows"]:
        entry["first_keys"] = keys
    elif keys and entry["first_keys"] and not keys & entry["first_keys"] and not sec.half:
        # a page of other columns (a 彙計表's plans printed over pages, the labels repeated on each): its lines are
        # the lines of the pages before, joined by label; when none is, it is read as a page of lines of its own
        joined, unmatched = join_halves(entry["rows"], None, rows, start)
        if len(unmatched) < len(rows):
            entry["rows"] = joined
            entry["unjoined"] += unmatched
            return
    entry["rows"] += rows
    entry["headings"] += headings


def _fullest_row(raw: list[list[object]], first: int, stop: int) -> int:
    """The header row printing the most column names (where a blank heading is missed: 新北 彙計表's names, not
    the codes above them)."""
    return max(range(first, stop), key=lambda r: sum(1 for v in raw[r] if compact_key(v)))


def _lost_plan_line(rows: list[PrintedRow], earlier: list[PrintedRow], plan: str) -> list[PrintedRow]:
    """A page's ``rows`` with the lines that open a new plan whose plan line was lost taken out of ``plan`` (the
    plan of the page before): from a 合計 line printed before the page's own plan line, when ``plan`` has its 合計
    already, they are in no plan (context "")."""
    if not any(r.context == plan and r.label.startswith("合計") for r in earlier):
        return rows
    out, lost = [], False
    for row in rows:
        if row.context != plan:
            lost = False  # the page's own plan line: its lines are that plan's
        elif row.label.startswith("合計"):
            lost = True
        out.append(replace(row, context="") if lost and row.context == plan else row)
    return out


def no_tables(sheets, names) -> list:
    """Why a book in which no table was recognised (read_tables found none) cannot be read: a fund's book when a
    sheet prints a table of a 附屬單位預算 (core.titles.FUND_TITLES: fund-book, at the first such title, the others
    related), else no-tables naming its sheets (``names``)."""
    from xlbudget.core.findings import make_finding

    found = fund_tables(sheets)
    if found:
        return [make_finding("fund-book", found[0][0], related=tuple(c for c, _ in found[1:]),
                             what="本書印有基金的表：" + "、".join(f"{c.sheet}!{c.cell}「{t}」" for c, t in found))]
    return [make_finding("no-tables", None, sheets="、".join(names))]


def fund_tables(sheets) -> list:
    """(cell, title as printed) of each fund table (FUND_TITLES) ``sheets`` (SheetGrids) print: a title among a
    sheet's first 12 rows, punctuation and spaces aside (「基金來源、用途及餘絀預計表」), else the sheet's name."""
    import re

    from xlbudget.core.titles import FUND_TITLES

    def bare(text) -> str:
        return re.sub(r"[\s\u3000、，,．.（）()]+", "", str(text))

    found = []
    for sg in sheets:
        grid = sg.grid
        hit = next(((grid.ref(r, c), value.strip()) for r, row in enumerate(grid.rows[:12])
                    for c, value in enumerate(row) if isinstance(value, str) and bare(value) in FUND_TITLES), None)
        if hit is None and any(title in bare(grid.sheet) for title in FUND_TITLES):
            hit = (grid.ref(0, 0), grid.sheet)
        if hit is not None:
            found.append(hit)
    return found
