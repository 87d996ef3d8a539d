"""Finding printed tables on a sheet: titles (whole, or split over two pages), units, header rows, column roles.

Pure: works on ``SheetGrid``. The titles are the one title table of
core/titles; the header words each table opens with, and the words of its
label, text and number columns, are here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xlbudget.core.codes import PLAN_CODE
from xlbudget.core.keys import compact_key
from xlbudget.core.model import CellRef
from xlbudget.core.patterns import lazy
from xlbudget.core.titles import (AGENCY_BUDGET, CAPITAL, CONTRACT, COST_SHARES, DETAIL, FUNCTION_ECON, FUNDING_TITLES,
                                  LEVEL1, PLAN_LINE, REVENUE_DETAIL, REVENUE_SOURCES, STAFF_ANALYSIS, STAFF_COSTS,
                                  STAFFING, SUMMARY, TAIPEI_AGENCY_BUDGET, TAIPEI_REVENUE, TRANSFERS, TRIPS_BY_KIND,
                                  TRIPS_SUMMARY, UNHEADED, VEHICLES, WHITEPAPER, WHITEPAPER_PRINTED)
from xlbudget.readers.grid import column_letter
from xlbudget.readers.printed_model import SheetGrid, UnreadableTable

# title → (unit when the sheet does not say, words one of which opens the header)
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    DETAIL: ("元", ("分支計畫及用途別科目",)),
    SUMMARY: ("千元", ("工作計畫名稱及編號", "第一、二級用途別科目名稱及編號")),
    LEVEL1: ("千元", ("名稱及編號",)),
    CAPITAL: ("千元", ("名稱及編號",)),
    AGENCY_BUDGET: ("千元", ("科目", "本年度預算數")),
    REVENUE_SOURCES: ("千元", ("科目", "本年度預算數")),
    TAIPEI_AGENCY_BUDGET: ("千元", ("科目", "本年度預算數")),
    TAIPEI_REVENUE: ("千元", ("科目", "本年度預算數")),
    FUNCTION_ECON: ("千元", ("職能別分類",)),
    REVENUE_DETAIL: ("元", ("科目名稱及編號",)),
    STAFF_COSTS: ("元", ("類別",)),
    STAFF_ANALYSIS: ("元", ("類別",)),
    CONTRACT: ("元", ("科目",)),
    STAFFING: ("人", ("類別",)),
    TRIPS_SUMMARY: ("千元", ("類別",)),
    TRIPS_BY_KIND: ("千元", ("計畫名稱",)),
    VEHICLES: ("元", ("業務計畫",)),
    TRANSFERS: ("千元", ("歲出",)),
    **{title: ("元", ("計畫項目",)) for title in FUNDING_TITLES.values()},
    WHITEPAPER: ("元", ("綱要",)),
    WHITEPAPER_PRINTED: ("元", ("綱要",)),  # 臺北 prints the title without 表
    COST_SHARES: ("元", ("科目名稱",)),
}
# words a title may carry after it (派員出國計畫預算類別表—開會、進修、研究、實習 names its 類別)
_TITLE_TAIL = {TRIPS_BY_KIND: 16, STAFF_ANALYSIS: 24}  # xlbudget titles each plan's 人事費分析表—工作計畫
# 類別表: a line naming the 類別 of the trips below it (一、考察)
KIND_LINE = lazy(r"^[一二三四五六七八九十]+[、.．]\s*(.+)$")
# text columns of the people and trip tables: 人*月, 人天, and the trip's words
_TEXT_WORDS = ("人*月", "人＊月", "人天", "擬前往", "擬拜會", "計畫內容", "前往期間", "歸屬預算科目", "有/無", "如有")
# text columns of 公務車輛明細表 (油料費 單價 prints decimals: 31.0), 市政白皮書 (類別 beside 綱要) and
# 各項費用分攤表 (合辦單位, 分攤方式, 分攤比率 52.32)
_VEHICLE_TEXT_WORDS = ("車輛種類", "購置年月", "排氣量", "政策項目", "計畫項目", "合辦", "分攤")
# tables whose first columns are 款/項/目/節 and 名稱及編號 (five label columns)
BUDGET_TITLES = (AGENCY_BUDGET, REVENUE_SOURCES, TAIPEI_AGENCY_BUDGET, TAIPEI_REVENUE)
_TEXT_HEADERS = ("單位", "數量", "說明", "說明及收入依據", "備註")
_NUMBER_HEADERS = ("款", "項", "目", "節")
# a page or serial number column an officer puts before a table's label (field report 18 §2.2): no label, no figures
_SERIAL_HEADERS = ("頁次", "序號")
_LABEL_HEADERS = ("名稱及編號", "分支計畫及用途別科目", "工作計畫名稱及編號", "職能別分類", "科目名稱及編號")
LABEL_CODE = lazy(r"^(" + PLAN_CODE + r"|\d{10}|\d{6}|\d{4}|\d{2})(?!\d)\s*(.*)$")
# 單位：新臺幣千元 as typed: 新台幣 or none, 仟元, a colon or none ((單位:千元), 金額單位：元)
UNIT = lazy(r"單位(?:[：:]\s*(?:新[臺台]幣)?|\s*新[臺台]幣)\s*([千仟]?元)")
# any unit line over a table, money or not (員額編制表's 「單位：人」); never a header word (明細表's 「單位」 column)
_ANY_UNIT = lazy(r"^[（(]?(?:金額)?單位[：:]")


def _filled(sg: SheetGrid) -> list[list[object]]:
    """Rows with every merged range's value copied into each of its cells (for reading headers)."""
    rows = [list(r) for r in sg.grid.rows]
    for r0, c0, r1, c1 in sg.merges:
        if r0 - 1 >= len(rows) or c0 - 1 >= len(rows[r0 - 1]):
            continue
        value = rows[r0 - 1][c0 - 1]
        for r in range(r0, min(r1, len(rows)) + 1):
            for c in range(c0, c1 + 1):
                while len(rows[r - 1]) < c:
                    rows[r - 1].append(None)
                rows[r - 1][c - 1] = value
    return rows


def title_of(row: list[object]) -> str | None:
    """The table title a row prints: in one cell, or split over the row's cells (two pages typed side by side)."""
    texts = [compact_key(v) for v in row if isinstance(v, str) and compact_key(v)]
    for text in texts + ["".join(texts)] * (len(texts) > 1):
        for title in TABLES:
            if text == title or (text.startswith(title) and len(text) <= len(title) + _TITLE_TAIL.get(title, 8)):
                return title
    return None


# A title printed over two pages: its first part above the first column half, the rest above the second
# (seed: 「歲出按職能及經」 … 「濟性綜合分類表」). Parts shorter than this are too common to mean anything.
_MIN_PART = 3


def _lone_text(row: list[object]) -> str:
    """The row's only text (whitespace removed), or "" when it has none or several."""
    texts = [compact_key(v) for v in row if v not in (None, "") and compact_key(v)]
    return texts[0] if len(texts) == 1 and isinstance(next(v for v in row if v not in (None, "") and compact_key(v)),
                                                     str) else ""


def split_titles(sheets) -> dict[tuple[str, int], tuple[str, str]]:
    """Rows printing half a title: (sheet, row index) → (title, "left" | "right").

    A left part is a lone text that begins a title; it counts only when a
    later lone text (further down, or on a later sheet) is exactly the rest.
    """
    parts: dict[tuple[str, int], tuple[str, str]] = {}
    open_left: list[tuple[str, str, tuple[str, int]]] = []  # (title, the rest of it, where the part is)
    for sg in sheets:
        for r, row in enumerate(sg.grid.rows):
            text = _lone_text(row)
            if len(text) < _MIN_PART or is_banner(row):
                continue
            match = next(((t, key) for t, rest, key in open_left if text == rest), None)
            if match is not None:
                title, key = match
                parts[key] = (title, "left")
                parts[sg.sheet, r] = (title, "right")
                open_left = [o for o in open_left if o[0] != title]
                continue
            for title in TABLES:
                if text != title and title.startswith(text) and len(title) - len(text) >= _MIN_PART:
                    open_left = [o for o in open_left if o[0] != title] + [(title, title[len(text):], (sg.sheet, r))]
    return parts


def _is_figure(v: object) -> bool:
    """Whether a cell prints what looks like a figure: a number, or number text (1,234, (1,234), △1,234). Ten
    digits or more with no thousands comma may be a plan code (32020180101, typed as text or as a number) and is
    no figure here: a header's code line. Text with a thousands comma is a figure however long (「3,500,000,000」)."""
    if isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) < 10 ** 9 and len(str(int(v))) < 10:
        return True
    return isinstance(v, str) and bool(re.fullmatch(r"[\d,，()（）△▲\-]+", compact_key(v))) \
        and (len(re.sub(r"\D", "", v)) < 10 or bool(re.search(r"\d[,，]\d{3}", v))) and bool(re.search(r"\d", v))


def _prints_amount(row: list[object], keys: list[str], first_is_label: bool) -> bool:
    """Whether a row under a header's key words prints a figure in one of its amount columns (``keys``): a number
    of any size, as a table's first line does (市政白皮書's 3,500,000,000 元 has a plan code's ten digits, and was
    read as a header line, its row dropped: field report 13 F4). A plan code over a column is printed above the
    key words (臺北, 臺中, 新北's 彙計表), never under them in an amount column."""
    return any(c < len(row) and (_is_figure(row[c]) or isinstance(row[c], (int, float)) and not isinstance(row[c], bool)
                                 or isinstance(row[c], str) and compact_key(row[c]).isdigit())
               for c in column_roles(keys, first_is_label)[3])


def _is_data_row(row: list[object], label_cols: int) -> bool:
    label = "".join(compact_key(v) for v in row[:max(label_cols, 1)] if v is not None)
    if label.startswith(("合計", "總計")):
        return True
    return any(_is_figure(v) for v in row[label_cols:])


@dataclass
class Section:
    """A printed table found on one sheet: its title and unit, its header's keys, and the rows it spans."""

    title: str
    unit: str
    sheet: str
    header: list[str]  # key per column (0-based), "" where nothing
    start: int  # index of the first data row in the sheet's rows
    end: int  # one past the last
    top: int = 0  # index of the title row
    half: str = ""  # "left" / "right": the first / second column half of a table printed over two pages
    context: str = ""  # 人事費分析表: the 工作計畫 line printed between title and header
    untitled: bool = False  # read as the continuation of the table the sheet before ended with (no title here)
    head: int = -1  # index of the header's first row (-1: a page read with the header of the page before)


def _header_keys(rows: list[list[object]], first: int, last: int, width: int) -> list[str]:
    block = _spread_group_words([[_header_word(rows[r][c]) if c < len(rows[r]) else "" for c in range(width)]
                                 for r in range(first, last + 1)])
    keys = []
    for c in range(width):
        parts: list[str] = []
        for row in block:
            text = row[c]
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        keys.append("/".join(parts))
    return keys


def _header_word(value: object) -> str:
    """A header cell's word; "" for a unit line typed among the header's rows (「單位：新臺幣千元」 under 合計: the 合計
    column was read as 「合計/單位:新臺幣千元」, held to no rule; table_sections reads the unit from it)."""
    text = compact_key(value)
    return "" if text and _is_unit_line(text) else text


def _is_unit_line(text: str) -> bool:
    """Whether a cell's text (compact) is a unit line and nothing else: 單位：新臺幣千元, (單位:元), 金額單位：元,
    單位：新臺幣千元、%, 單位：人 (never 「預算數(單位:元)」, a heading). Str methods and the module's two unit patterns:
    a new module pattern would be one more in data/pattern-code.json."""
    start = _ANY_UNIT.match(text)
    if start is None:
        return False
    money = UNIT.search(text)
    if money is not None:
        return text[money.end():].rstrip(")）") in ("", "、%", ",%", "，%")
    rest = text[start.end():].rstrip(")）")
    return 0 < len(rest) <= 4 and not any(ch.isdigit() for ch in rest)


def _spread_group_words(block: list[list[str]]) -> list[list[str]]:
    """A group word over sub-words whose merge was lost (a PDF converter leaves 經常支出 in the first cell of
    C5:H5, the rest blank): spread it right over the blank cells that have words below them, as the printed
    merge spanned (field report 5 §2.2). A word with nothing below it (合計 over two rows) is a column of its
    own and spreads nowhere; a merged header was filled already (_filled), so its cells are not blank. The label
    column spreads nowhere, nor does a row of one word (a year line 「中華民國113」 cut short above the header), nor a
    code (臺中's 彙計表 prints each plan code over its own name, and 合計 beside the last under a blank)."""
    for i, row in enumerate(block[:-1]):
        def below(c: int) -> bool:
            return any(lower[c] for lower in block[i + 1:])
        if sum(1 for text in row if text) < 2:
            continue
        for c in range(1, len(row)):
            if row[c] and not row[c][:1].isdigit() and below(c):
                k = c + 1
                while k < len(row) and not row[k] and below(k):
                    row[k] = row[c]
                    k += 1
    return block


def _is_text_header(key: str) -> bool:
    last = key.split("/")[-1] if key else ""
    return last in _TEXT_HEADERS or last.startswith("說明") or any(w in key for w in _TEXT_WORDS) \
        or any(w in key for w in _VEHICLE_TEXT_WORDS) or ("油料" in key and "單價" in key) or key == "類別"


def text_key(key: str) -> str:
    """The key of a text column: its last header word, or the whole header for the people and trip words."""
    return key.replace("/", "") if any(w in key for w in _TEXT_WORDS + ("油料",)) else key.split("/")[-1]


def _is_note_line(row, keys: list[str]) -> bool:
    """A line with text under 說明 only: a note running on from the previous page, not a header row."""
    filled = [c for c, v in enumerate(row) if v not in (None, "") and compact_key(v)]
    return bool(filled) and all(c < len(keys) and _is_text_header(keys[c]) for c in filled)


def _label_under_closed_header(sg: SheetGrid, row: list[object], first: int, r: int, label_cols: int) -> bool:
    """Whether ``row`` (index ``r``) prints text in its label columns alone below a header (from index ``first``)
    whose label cell is merged down to a row above it: the table's first line, never a header row — a section
    (現有車輛) or a plan line whose figures were left blank (公務車輛明細表's 一般行政　行政管理: read as the header's, its
    vehicles were «under no plan line»). A header not merged so keeps its rows as before."""
    filled = [c for c, v in enumerate(row) if v not in (None, "") and compact_key(v)]
    if not filled or filled[-1] >= max(label_cols, 1):
        return False
    top, left, here = sg.grid.top + first, sg.grid.left, sg.grid.top + r
    return any(r1 <= top <= r2 < here and r1 < r2 and c1 <= left <= c2 for r1, c1, r2, c2 in sg.merges)


_YEAR_DIGITS = "0123456789〇○零一二三四五六七八九十百"


def is_year_line(text: str) -> bool:
    """Whether a cell's text (compact) is the 中華民國N年度 line under a table's title: 中華民國113年度, with its
    subtitle or unit after it (中華民國113年度經資門併計), as 民國 numerals (中華民國一百一十三年度), or cut from its
    year by a converter (「中華民國」 | 113 | 年度, 「中華民國113」). Never a line's 說明 opening with the country's
    name (「中華民國資訊安全學會團體會員年費」): read as a year line, the whole line was skipped, its figures unread
    (field23, session 36). Str methods: a new module pattern would be one more in data/pattern-code.json."""
    if not text.startswith("中華民國"):
        return False
    rest = text[4:].lstrip(_YEAR_DIGITS)
    return not rest or rest.startswith("年度")


def _is_unit_or_year(row) -> bool:
    return any(UNIT.search(compact_key(v)) or _ANY_UNIT.match(compact_key(v)) or "年度" in compact_key(v)
               for v in row if v)


# header words a table may open with besides its own: code and name typed in columns of their own
# (編號 | 名稱), or 科目 / 項目 / 用途別科目 in place of 名稱及編號
_LABEL_WORDS = ("編號", "名稱", "代碼", "代號", "科目", "項目", "科目名稱", "科目編號", "科目代號", "名稱及代碼",
                "用途別科目", "用途別科目名稱", "用途別科目編號", "計畫編號", "計畫名稱", "工作計畫", "工作計畫名稱",
                "工作計畫編號", "業務計畫")
# a sheet listing the tables (目次) names their titles without printing them
_CONTENTS = ("目次", "目錄")


def _opens_header(row, words: tuple[str, ...]) -> bool:
    """Whether a row can open a table's header: one of the table's own words, or code / name words alone."""
    if is_heading(row) or is_banner(row):
        return False
    texts = [compact_key(v) for v in row if isinstance(v, str)]
    return any(t.startswith(w) for t in texts for w in words) or any(t in _LABEL_WORDS for t in texts)


def has_figures(raw: list[list[object]], first: int, stop: int) -> bool:
    """Whether rows ``first``..``stop`` print anything that looks like a figure (a table is there to read). A year
    or unit line is none (中華民國 | 116 | 年度), but a line naming a year and printing an amount is one
    (「115年度人行道改善工程」 350,000,000: read as a year line, a 市政白皮書 whose header was not recognised was
    skipped without a word)."""
    return any(_is_data_row(raw[r], 1) and not is_page_number(raw[r])
               and (not _is_unit_or_year(raw[r]) or _prints_more_than_a_year(raw[r])) for r in range(first, stop))


def _prints_more_than_a_year(row: list[object]) -> bool:
    """Whether a row prints a figure of more than four digits (no 民國 or 西元 year)."""
    return any(_is_figure(v) and len(re.sub(r"\D", "", str(v).split(".")[0])) > 4 for v in row)


def first_figure(sg: SheetGrid) -> CellRef:
    """The first cell that prints a figure on a sheet (has_figures' first data row), or A1."""
    raw = sg.grid.rows
    for r in range(len(raw)):
        if has_figures(raw, r, r + 1):
            c = next((c for c, v in enumerate(raw[r][1:], 1) if _is_figure(v)), 0)
            return sg.grid.ref(r, c)
    return sg.grid.ref(0, 0)


def title_ref(sg: SheetGrid, r: int) -> CellRef:
    """The cell printing a table's title (A1 of a sheet named after its table: row -1)."""
    if r < 0:
        return sg.grid.ref(0, 0)
    row = sg.grid.rows[r]
    c = next((c for c, v in enumerate(row) if isinstance(v, str) and compact_key(v)), 0)
    return sg.grid.ref(r, c)


def _repeats_header(row: list[object], keys: list[str]) -> bool:
    """Whether a row prints words of a table's header (``keys``) and nothing else (two at least)."""
    words = {part for key in keys for part in key.split("/") if part}
    texts = [compact_key(v) for v in row if v not in (None, "") and compact_key(v)]
    return len(texts) >= 2 and all(t in words for t in texts)


def _other_header(rows: list[list[object]], raw: list[list[object]], first: int, stop: int, label_cols: int,
                  words: tuple[str, ...], keys: list[str]) -> tuple[int, str] | None:
    """The index of the first row under a table's lines (``first``..``stop``) that opens another table's header,
    with a word of that header the table's own (``keys``) does not print, and that word; None when there is none.
    A table printed under another on one sheet, its title in a text box or the page header (no cell holds it), was
    read as more of the table above: its header's words as figures that are not, its lines folded into the first
    table's, every right figure blamed (field report 18 §2.1). Such a row prints no figure, two words at least,
    one of them the table's own (名稱及編號, 合計) and one in its label column; the table's own header repeated (a page
    carried on) is no other table."""
    own = {part for key in keys for part in key.split("/") if part}
    width = max((len(row) for row in rows), default=0)
    lines = False
    for x in range(first, stop):
        row = raw[x]
        if _is_data_row(row, label_cols) or is_heading(row):
            lines = True
            continue
        texts = [compact_key(v) for v in row if isinstance(v, str) and compact_key(v)]
        label = next((compact_key(v) for v in row[:max(label_cols, 1)] if isinstance(v, str) and compact_key(v)), "")
        if not lines or len(texts) < 2 or not label or not own & set(texts) or not _opens_header(row, words):
            continue
        y = x + 1
        while y < stop and not _is_data_row(raw[y], label_cols) and not is_heading(raw[y]):
            y += 1
        new = [word for key in _header_keys(rows, x, y - 1, width) for word in key.split("/") if word and word not in own]
        if new:
            return x, new[0]
    return None


def continued_table(sg: SheetGrid, headers: dict[str, list[str]], after: str,
                    code_lengths: dict[str, set[int]]) -> str | None:
    """The table a sheet printing no title carries on (an officer split a long table onto 「工作表2」), or None.

    A table fits when the sheet repeats its header row (``headers``: each
    table's header keys as read), or when the sheet's figures stand in its
    amount and text columns only, filling more than half its amount columns,
    beside labels printing codes as long as its own (``code_lengths``). Of
    several that fit, the one the sheet before ended with (``after``); else
    the only one.
    """
    raw = sg.grid.rows
    data = [r for r in range(len(raw)) if _is_data_row(raw[r], 1) and not is_page_number(raw[r])
            and not _is_unit_or_year(raw[r])]
    if not data:
        return None
    fits = []
    for title, keys in headers.items():
        if any(_repeats_header(raw[r], keys) for r in range(data[0])):
            fits.append(title)
            continue
        labels, numbers, texts, amounts = column_roles(keys)
        lengths = {len(m.group(1)) for r in data for c in labels if c < len(raw[r])
                   for m in [LABEL_CODE.match(compact_key(raw[r][c]))] if m}
        used = {c for r in data for c, v in enumerate(raw[r]) if c not in labels and _is_figure(v)}
        if lengths and lengths <= code_lengths.get(title, set()) and used <= set(amounts + texts + numbers) \
                and 2 * len(used & set(amounts)) > len(amounts):
            fits.append(title)
    return after if after in fits else (fits[0] if len(fits) == 1 else None)


# Two titles of different tables this many rows apart or less, in different columns: tables printed side by side
_BESIDE_ROWS = 3


def _titles_beside(raw: list[list[object]], rows: list[int]) -> dict[tuple[int, int], tuple[str, tuple[int, int], str]]:
    """Titles of tables printed side by side on one sheet (各項費用彙計表 in A–D, 歲出一級用途別科目分析表 in G–L,
    their titles on one row or a row or two apart): (row, column) of each such title → (its title, the (row, column)
    of the other's, the other's title). Only title rows (``rows``) are looked at, cell by cell; a table's title
    printed twice over its two halves is one table, not two."""
    cells = [(r, c, title_of([v])) for r in rows for c, v in enumerate(raw[r]) if isinstance(v, str)]
    cells = [(r, c, t) for r, c, t in cells if t]
    beside = {}
    for r, c, title in cells:
        other = next(((rr, cc, t) for rr, cc, t in cells if t != title and cc != c and abs(rr - r) <= _BESIDE_ROWS),
                     None)
        if other is not None:
            beside[r, c] = (title, other[:2], other[2])
    return beside


def table_sections(sg: SheetGrid, halves: dict[int, tuple[str, str]] | None = None,
              headers: dict[str, list[str]] | None = None, continued: str = "") -> tuple[list[Section],
                                                                                       list[UnreadableTable]]:
    """The tables on one sheet, and the titles whose table cannot be read.

    ``halves`` maps row indexes printing half a title to (title, left/right).
    ``headers`` holds each title's header keys as last read (on this sheet or
    an earlier one): a page that repeats the title but not the header is read
    with them. A title with nothing that looks like a figure under it (a 目次
    line, a title printed above a note) is neither. A sheet with no title is
    read as the next page of table ``continued`` when given (continued_table):
    a Section marked ``untitled``.
    """
    halves = halves or {}
    headers = {} if headers is None else headers
    rows = _filled(sg)
    raw = sg.grid.rows
    width = max((len(r) for r in rows), default=0)
    titles = [(i, *(halves[i] if i in halves else (title_of(row), ""))) for i, row in enumerate(raw)]
    titles = [(i, t, h) for i, t, h in titles if t]
    untitled = False
    if not titles and title_of([sg.sheet]):
        titles = [(-1, title_of([sg.sheet]), "")]  # no title row: the sheet is named after its table
    elif not titles and continued in headers:
        titles, untitled = [(-1, continued, "")], True
    contents = any(compact_key(v) in _CONTENTS for row in raw[:8] for v in row if isinstance(v, str))
    sections, unreadable = [], []

    def cannot_read(i: int, title: str, reason: str) -> None:
        if not contents:
            unreadable.append(UnreadableTable(title, title_ref(sg, i), reason))

    beside = {} if contents else _titles_beside(raw, [i for i, _, half in titles if i >= 0 and not half])
    for (r, c), (title, (rr, cc), other) in beside.items():
        if has_figures(raw, r + 1, len(raw)):
            unreadable.append(UnreadableTable(title, sg.grid.ref(r, c),
                                              f"同一工作表並排另一張表「{other}」（{sg.grid.ref(rr, cc).cell}），"
                                              f"兩表的欄無法分開（請將兩表各放一張工作表）"))
    for n, (i, title, half) in enumerate(titles):
        stop = titles[n + 1][0] if n + 1 < len(titles) else len(raw)
        if any(r == i for r, _ in beside):
            continue  # tables side by side: each named at its title above, neither read (their columns are mixed)
        unit_default, words = TABLES[title]
        unit = unit_default
        header_first = None
        for r in range(max(i, 0), stop):  # the unit may be printed at the right end of the title's own row
            texts = [compact_key(v) for v in raw[r] if isinstance(v, str)]
            m = next((UNIT.search(t) for t in texts if UNIT.search(t)), None)
            if m:
                unit = m.group(1).replace("仟", "千")
            if r == i:
                continue
            if half != "right" and _opens_header(raw[r], words):
                header_first = r
                break
            if half == "right" and any(texts) and not _is_unit_or_year(raw[r]):
                header_first = r  # a second half has no label column: its header opens with an amount column
                break
        label_cols = 5 if title in BUDGET_TITLES + (CONTRACT,) else (0 if half == "right" else 1)
        if header_first is None:
            start = next((r for r in range(i + 1, stop) if _is_data_row(raw[r], label_cols) or is_heading(raw[r])
                          or title in headers and _prints_amount(raw[r], headers[title], not half)), None)
            if title in headers and not half and not contents and start is not None:
                sections.append(Section(title, unit, sg.sheet, headers[title], start, stop, max(i, 0),
                                        untitled=untitled))
                continue  # a continuation page that does not repeat the header
            if has_figures(raw, i + 1, stop):
                cannot_read(i, title, f"表名下找不到表頭（應有「{'」或「'.join(words)}」，或「編號」「名稱」等欄名）")
            continue
        # the header may start a row or two above its key word (Taipei prints plan codes above it)
        while i >= 0 and header_first - 1 > i and any(v not in (None, "") for v in raw[header_first - 1]) \
                and not title_of(raw[header_first - 1]) and not is_heading(raw[header_first - 1]) \
                and not is_banner(raw[header_first - 1]) and not _is_unit_or_year(raw[header_first - 1]):
            header_first -= 1
        r = header_first + 1
        while r < stop and not _is_data_row(raw[r], label_cols) and not is_heading(raw[r]) \
                and not _prints_amount(raw[r], _header_keys(rows, header_first, r - 1, width), half != "right") \
                and not _is_note_line(raw[r], _header_keys(rows, header_first, r - 1, width)) \
                and not (title == TRIPS_BY_KIND and KIND_LINE.match(compact_key(raw[r][0] if raw[r] else ""))) \
                and not _label_under_closed_header(sg, raw[r], header_first, r, label_cols):
            r += 1
        rr = header_first  # a unit line typed among the header's rows, or under them (under 合計, or 說明)
        while rr < stop and not _is_data_row(raw[rr], label_cols) and not is_heading(raw[rr]):
            for text in (compact_key(v) for v in raw[rr] if isinstance(v, str)):
                m = _is_unit_line(text) and UNIT.search(text)
                if m:  # the row's first unit line; a lower row's overrides it
                    unit = m.group(1).replace("仟", "千")
                    break
            rr += 1
        keys = _unheaded_columns(_level_columns(_header_keys(rows, header_first, r - 1, width)), raw, r, stop,
                                 sg.grid.left, label_cols if half != "right" else 0)
        if not column_roles(keys, half != "right")[3]:
            if has_figures(raw, r, stop):
                cannot_read(i, title, f"表頭（第 {sg.grid.top + header_first} 列起）沒有可辨識的金額欄名")
            continue
        keys = own_column_keys(title, keys)
        repeated = _repeated_columns(keys, raw, r, stop, half != "right")
        if repeated:
            cannot_read(i, title, f"表頭（第 {sg.grid.top + header_first} 列起）有 {len(repeated)} 欄同名「{keys[repeated[0]]}」"
                                  f"（{'、'.join(column_letter(sg.grid.left + c) for c in repeated)} 欄），無法分辨各欄的數字")
            continue
        if not half:  # a table printed under this one, its title in a text box or the page header (no cell)
            other = _other_header(rows, raw, r, stop, label_cols, words, _header_keys(rows, header_first, r - 1, width))
            if other is not None:
                at, word = other
                unreadable.append(UnreadableTable("", title_ref(sg, at), f"「{word}」", under=title))
                stop = at
        context = ""
        if title == STAFF_ANALYSIS:
            context = next((compact_key(v) for rr in range(i + 1, header_first) for v in raw[rr]
                            if isinstance(v, str) and "-" in compact_key(v) and not UNIT.search(compact_key(v))), "")
        sections.append(Section(title, unit, sg.sheet, keys, r, stop, max(i, 0), half, context, untitled, header_first))
        if not half:
            headers[title] = keys
    return sections, unreadable


# amount columns as officers head them otherwise (「比較增減」 for 機關別's 本年度與上年度比較, 新北's and 臺中's 員額編制表
# 「與上年度預算｜員額比較增減」 over two rows): these tables' rules find a column by its own heading only, so a column
# headed so was read and held to no rule, a wrong figure in it passed over without a word (field report 18 §1.1,
# §1.2: 約聘僱人員費用分析表's 全年度預算數 headed 「預算數」)
_BUDGET_HEADINGS = {
    "本年度預算數": ("本年度預算", "本年度預算額", "本年度預算金額"),
    "上年度預算數": ("上年度預算", "上年度預算額", "上年度預算金額", "上年度法定預算數"),
    "前年度決算數": ("前年度決算", "前年度決算額", "前年度決算金額"),
    "本年度與上年度比較": ("比較增減", "比較增減數", "增減", "增減數", "增減比較", "比較", "本年度與上年度比較增減",
                          "本年度與上年度比較增減數", "本年度較上年度增減", "較上年度增減", "與上年度比較",
                          "本年度與上年度增減", "本年度與上年度比較數"),
}
_STAFFING_HEADINGS = {
    "法定編制員額": ("法定員額", "編制員額", "法定編制"),
    "本年度預算員額": ("本年度員額", "本年度預算員額數"),
    "上年度預算員額": ("上年度員額", "上年度預算員額數"),
    "與上年度預算員額比較增減": ("比較增減", "增減", "增減數", "比較", "員額比較增減", "與上年度比較增減",
                                "與上年度預算員額比較", "與上年度員額比較增減", "本年度與上年度比較",
                                "與上年度比較", "本年度與上年度比較增減"),
}
_CONTRACT_HEADINGS = {"全年度預算數": ("預算數", "全年度預算", "本年度預算數", "年度預算數", "全年預算數")}
_HEADINGS = {title: {word: key for key, words in headings.items() for word in (key, *words)}
             for titles, headings in ((BUDGET_TITLES, _BUDGET_HEADINGS), ((STAFFING,), _STAFFING_HEADINGS),
                                      ((CONTRACT,), _CONTRACT_HEADINGS))
             for title in titles}


def own_column_keys(title: str, keys: list[str]) -> list[str]:
    """A table's header keys with each amount heading typed otherwise read as the table's own (機關別, 歲入來源別,
    臺北's 歲出預算表 and 歲入預算表: 「比較增減」, 「增減」 → 本年度與上年度比較, 「本年度預算」 → 本年度預算數; 員額編制表:
    「與上年度預算/員額比較增減」 over two rows, 「比較增減」 → 與上年度預算員額比較增減; 約聘僱人員費用分析表: 「預算數」 →
    全年度預算數), and a group word over them
    (「金額/本年度預算數」, a third header row) left out. 臺北's 「本年度預算數/合計」 stays; other tables' keys too."""
    own = _HEADINGS.get(title)
    if own is None:
        return keys
    out = []
    for key in keys:
        parts = key.split("/")
        if "".join(parts) in own:
            key = own["".join(parts)]
        elif parts[-1] in own and parts[0] not in own:
            key = own[parts[-1]]
        out.append(key)
    return out


def _repeated_columns(keys: list[str], raw: list[list[object]], first: int, stop: int, first_is_label: bool) -> list[int]:
    """The amount columns (0-based) of the first header key that several columns printing figures share, or []: a
    line would keep one figure of them, the others dropped without a word (分年資金需求's years typed as numbers,
    116 | 117 | …, read as a line: six columns under 「分年資金需求」, each line's 116 to 120年度 lost and every right
    全程計畫總金額 told «應為» its 以前年度預算數 alone)."""
    by_key: dict[str, list[int]] = {}
    for c in column_roles(keys, first_is_label)[3]:
        if any(c < len(raw[r]) and _is_figure(raw[r][c]) for r in range(first, stop)):
            by_key.setdefault(keys[c], []).append(c)
    return next((cols for cols in by_key.values() if len(cols) > 1), [])


def _level_columns(keys: list[str]) -> list[str]:
    """``keys`` with a 款, 項, 目 or 節 column whose own word is missing (blank, or only the group word 科目 merged over
    the four) keyed by its place in the form's fixed order, between its neighbours': 「科目」 before 科目/項, 科目/目,
    科目/節 is 科目/款. Its codes were read as no level at all, the 款 line's figure as one more part of 合計 (a
    約聘僱人員費用分析表 whose 款 heading was deleted: the right 款 line blamed, confirmed-total-part at H8)."""
    levels = _NUMBER_HEADERS

    def level(k: str) -> int | None:
        return levels.index(k.rsplit("/", 1)[-1]) if k.rsplit("/", 1)[-1] in levels else None

    found = {c: n for c, k in enumerate(keys) if (n := level(k)) is not None}
    if not found or len(found) == len(levels):
        return keys
    keys = list(keys)
    for c, n in list(found.items()):
        group = keys[c].rsplit("/", 1)[0] if "/" in keys[c] else ""
        for step in (-1, 1):  # the column beside a level's, of the level beside it: keyed by that level's group
            other, wanted = c + step, n + step
            if not (0 <= other < len(keys) and 0 <= wanted < len(levels)) or wanted in found.values():
                continue
            # the group word alone (科目 merged over the four); a blank only at the left end (款) or between two
            # levels: a blank column after the last level is no level's
            inside = wanted == 0 or found.get(other + step) == wanted + step
            if keys[other] == group != "" or keys[other] == "" and inside:
                keys[other] = f"{group}/{levels[wanted]}" if group else levels[wanted]
                found[other] = wanted
    return keys


def _unheaded_columns(keys: list[str], raw: list[list[object]], first: int, stop: int, left: int,
                      label_cols: int) -> list[str]:
    """``keys`` with each column that prints a figure under a blank header (its heading deleted, or lost by a PDF
    converter) keyed 「（無欄名）C」: read as an amount column and named (coverage.check_unheaded_columns), never
    left out without a word (a 彙計表 plan's column, or 機關別's 本年度預算數, was dropped and right totals blamed).
    A header with no amount column at all is left as it is: its table is unreadable, said at its title."""
    keys = list(keys)
    if not column_roles(keys, label_cols > 0)[3]:
        return keys  # no amount column recognised at all: the header is unreadable (said at the title), as it was
    lines = [r for r in range(first, stop) if not is_page_number(raw[r]) and lone_number(raw[r]) is None]
    last = max((c for c, k in enumerate(keys) if k), default=-1)
    groups = {k.rsplit("/", 1)[0] for k in keys if "/" in k}
    for c in range(label_cols, len(keys)):
        if keys[c] in groups:  # a group word whose own sub-heading is blank (分年資金需求 over 116年度…): a column
            keys[c] = f"{keys[c]}/{UNHEADED}{column_letter(left + c)}"  # of the group, not the group itself
            continue
        if keys[c]:
            continue
        figures = sum(1 for r in lines if c < len(raw[r]) and _is_figure(raw[r][c]))
        # beyond the last heading, a figure or two typed beside the table is no column (a working note): a column
        # is one printing on half the table's lines at least (a 合計 column whose heading was lost)
        if figures and (c < last or 2 * figures >= max(len([r for r in lines if _is_data_row(raw[r], label_cols)]), 4)):
            keys[c] = UNHEADED + column_letter(left + c)
    return keys


_BANNERS = ("歲出計畫說明", "歲入項目說明")
# a page number: 第3頁, 07-152-13, -13-, 13 (a lone code of 4 or more digits is a code above its name)
_PAGE = lazy(r"^(第\d+頁([,，]?共\d+頁)?|[\d\-]+-\d+|-?\d{1,3}-?)$")


def is_banner(row) -> bool:
    """A 說明 text block above a 明細表 (歲出計畫說明：…)."""
    return any(isinstance(v, str) and compact_key(v).startswith(_BANNERS) for v in row[:2])


def is_page_number(row) -> bool:
    texts = [compact_key(v) for v in row if v not in (None, "")]
    return len(texts) == 1 and bool(_PAGE.match(texts[0])) and not isinstance(
        next(v for v in row if v not in (None, "")), (int, float))


def lone_number(row) -> int | None:
    """The column of a row's only value when that is a whole number of 1 to 3 digits typed as a number: the page
    number a PDF converter keeps at a page's foot, centred under an amount column (field report 5 §2.4). No printed
    line is a figure alone, without a label, 單位, 數量 or 說明; None for any other row."""
    found = None
    for c, v in enumerate(row):
        if v is None or v == "" or type(v) is str and not v.strip():
            continue
        if found is not None or type(v) not in (int, float) or not 0 < v < 1000 or v != int(v):
            return None
        found = c
    return found


def is_heading(row) -> bool:
    return any(isinstance(v, str) and any(line in compact_key(v) for line in PLAN_LINE.values()) for v in row)


def _is_label_word(last: str) -> bool:
    """A header word of a label column typed on its own: 編號, 名稱, 科目, 計畫編號, 用途別科目名稱..."""
    return last in _LABEL_WORDS or last.endswith(("編號", "代碼", "代號", "名稱"))


def column_roles(keys: list[str], first_is_label: bool = True) -> tuple[list[int], list[int], list[int], list[int]]:
    """(label columns, 款項目節 columns, text columns, amount columns) by header key.

    Label columns are the 名稱及編號 column, or the code and the name typed
    in columns of their own (編號 | 名稱), or several columns under one
    merged label header; none of them is ever read as figures.
    """
    labels, numbers, texts, amounts = [], [], [], []
    # a 頁次 or 序號 column first: the label is the column after it (field report 18 §2.2)
    serial = first_is_label and len(keys) > 1 and bool(keys[0]) and keys[0].split("/")[-1] in _SERIAL_HEADERS
    for c, key in enumerate(keys):
        last = key.split("/")[-1] if key else ""
        if not key:
            continue
        if key.startswith("歲入/") and any(k.startswith("歲出/") for k in keys[:c]) and last != "預算數":
            texts.append(c)  # 轉帳收支對照表: the 歲入 side's 科目 beside the 歲出 side's, read as text
        elif last in _NUMBER_HEADERS:
            numbers.append(c)
        elif c == 0 and serial:
            continue  # read past: its 17, 18 were joined to each line's code («1832020180000行政支出»)
        elif any(last.startswith(h) for h in _LABEL_HEADERS) or (c == int(serial) and first_is_label):
            labels.append(c)
        elif _is_text_header(key):
            texts.append(c)
        elif _is_label_word(last) or any(keys[lc] == key for lc in labels):
            labels.append(c)
        else:
            amounts.append(c)
    return labels, numbers, texts, amounts

