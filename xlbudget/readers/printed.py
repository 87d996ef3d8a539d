"""Printed tables read back from sheets: find each table by its title and header words.

Pure: works on ``SheetGrid`` (a Grid of cell values plus merged ranges), so an
openpyxl file, an xlwings book or a test can hand the same grids in. Every
figure remembers its cell; a figure that cannot be read (a formula with no
cached value, text that is not a number) stays unreadable, never zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from xlbudget.core.amounts import NotANumber, parse_int
from xlbudget.core.keys import code_key, compact_key
from xlbudget.core.model import CellRef
from xlbudget.core.titles import (AGENCY_BUDGET, CAPITAL, CONTRACT, COST_SHARES, DETAIL, FUNCTION_ECON, FUNDING_TITLES,
                                  LEVEL1, REVENUE_DETAIL, REVENUE_SOURCES, STAFF_ANALYSIS, STAFF_COSTS, STAFFING,
                                  SUMMARY, TAIPEI_AGENCY_BUDGET, TAIPEI_REVENUE, TRANSFERS, TRIPS_BY_KIND, TRIPS_SUMMARY,
                                  VEHICLES, WHITEPAPER, WHITEPAPER_PRINTED)
from xlbudget.readers.grid import Grid, Uncached


@dataclass(frozen=True)
class SheetGrid:
    """A whole sheet's values from A1, with its merged ranges (1-based, inclusive)."""

    grid: Grid
    merges: tuple[tuple[int, int, int, int], ...] = ()

    @property
    def sheet(self) -> str:
        """The sheet's name."""
        return self.grid.sheet


@dataclass(frozen=True)
class Figure:
    """One amount as printed: its value (None when blank or unreadable), cell, and why it is unreadable."""

    value: int | None
    cell: CellRef
    raw: object = None
    problem: str = ""  # "" when readable

    @property
    def readable(self) -> bool:
        """Whether the figure could be read (a blank cell is readable: nothing printed)."""
        return not self.problem


def read_figure(raw: object, cell: CellRef) -> Figure:
    """A printed amount: numbers, text with commas, full-width digits, (1,234), △1,234, '-' for zero."""
    if isinstance(raw, Uncached):
        return Figure(None, cell, raw, "是公式但沒有計算結果（快取值）")
    if isinstance(raw, str) and raw.strip().startswith("#"):
        return Figure(None, cell, raw, "是錯誤值")
    try:
        return Figure(parse_int(raw), cell, raw)
    except NotANumber:
        return Figure(None, cell, raw, "不是整數")


# ----------------------------------------------------------------- the printed model

@dataclass(frozen=True)
class PrintedRow:
    """One data row of a printed table."""

    sheet_row: int
    label: str  # the row's label text, whitespace removed
    code: str  # leading digits of the label (4, 6, 10 or 11 digits; 2 for 分支計畫), or ""
    name: str  # the label without its code
    indent: int  # leading spaces (full-width counts 1, two half-width count 1)
    figures: dict[str, Figure] = field(default_factory=dict)  # column key → figure
    texts: dict[str, tuple[str, CellRef]] = field(default_factory=dict)  # text column key → (text, cell)
    numbers: tuple[str, str, str, str] = ("", "", "", "")  # 款/項/目/節 of budget tables
    context: str = ""  # the 工作計畫編號 a 明細表 row belongs to
    label_cell: CellRef | None = None


@dataclass(frozen=True)
class PrintedTable:
    """A table found on a sheet (its continuation pages appended), in its printed unit."""

    title: str
    unit: str  # 千元 / 元
    sheet: str
    columns: tuple[str, ...]  # amount column keys (normalised header paths joined by /)
    rows: tuple[PrintedRow, ...]
    headings: tuple[tuple[str, str, CellRef], ...] = ()  # 明細表: (plan code, heading text, cell)
    # rows of a table's second column half (printed on a second page) that no row of its first half matches
    unjoined: tuple[PrintedRow, ...] = ()
    # amount column key → the name printed in its header without the code (彙計表: 11-digit plan → 行政管理)
    column_names: tuple[tuple[str, str], ...] = ()
    title_cell: CellRef | None = None  # where its (first page's) title is printed


@dataclass(frozen=True)
class UnreadableTable:
    """A table whose title was found but whose table could not be read: nothing under that title is checked."""

    title: str
    cell: CellRef  # the title as printed
    reason: str  # zh-TW: why (找不到表頭, 表頭沒有金額欄, ...)


# ----------------------------------------------------------------- finding tables

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
KIND_LINE = re.compile(r"^[一二三四五六七八九十]+[、.．]\s*(.+)$")
# text columns of the people and trip tables: 人*月, 人天, and the trip's words
_TEXT_WORDS = ("人*月", "人＊月", "人天", "擬前往", "擬拜會", "計畫內容", "前往期間", "歸屬預算科目", "有/無", "如有")
# text columns of 公務車輛明細表 (油料費 單價 prints decimals: 31.0), 市政白皮書 (類別 beside 綱要) and
# 各項費用分攤表 (合辦單位, 分攤方式, 分攤比率 52.32)
_VEHICLE_TEXT_WORDS = ("車輛種類", "購置年月", "排氣量", "政策項目", "計畫項目", "合辦", "分攤")
# tables whose first columns are 款/項/目/節 and 名稱及編號 (five label columns)
BUDGET_TITLES = (AGENCY_BUDGET, REVENUE_SOURCES, TAIPEI_AGENCY_BUDGET, TAIPEI_REVENUE)
_TEXT_HEADERS = ("單位", "數量", "說明", "說明及收入依據", "備註")
_NUMBER_HEADERS = ("款", "項", "目", "節")
_LABEL_HEADERS = ("名稱及編號", "分支計畫及用途別科目", "工作計畫名稱及編號", "職能別分類", "科目名稱及編號")
# 11-digit codes; 統籌支撥科目 (新北市) print a letter in the fifth place: 8970a010401, 0070a010000
PLAN_CODE = r"\d{4}[a-z]\d{6}|\d{11}"
_CODE = re.compile(r"^(" + PLAN_CODE + r"|\d{10}|\d{6}|\d{4}|\d{2})(?!\d)\s*(.*)$")
# 單位：新臺幣千元 as typed: 新台幣 or none, 仟元, a colon or none ((單位:千元), 金額單位：元)
_UNIT = re.compile(r"單位(?:[：:]\s*(?:新[臺台]幣)?|\s*新[臺台]幣)\s*([千仟]?元)")
_HEADING = "業務計畫及工作計畫名稱與編號"
_REVENUE_HEADING = "來源別子目及細目與編號"


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


def _title_of(row: list[object]) -> str | None:
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
            if len(text) < _MIN_PART or _is_banner(row):
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


def _is_data_row(row: list[object], label_cols: int) -> bool:
    label = "".join(compact_key(v) for v in row[:max(label_cols, 1)] if v is not None)
    if label.startswith(("合計", "總計")):
        return True
    for v in row[label_cols:]:
        if isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) < 10 ** 9 and len(str(int(v))) < 10:
            return True
        if isinstance(v, str) and re.fullmatch(r"[\d,，()（）△▲\-]+", compact_key(v)) and len(re.sub(r"\D", "", v)) < 10 \
                and re.search(r"\d", v):
            return True
    return False


@dataclass
class _Section:
    title: str
    unit: str
    sheet: str
    header: list[str]  # key per column (0-based), "" where nothing
    start: int  # index of the first data row in the sheet's rows
    end: int  # one past the last
    top: int = 0  # index of the title row
    half: str = ""  # "left" / "right": the first / second column half of a table printed over two pages
    context: str = ""  # 人事費分析表: the 工作計畫 line printed between title and header


def _header_keys(rows: list[list[object]], first: int, last: int, width: int) -> list[str]:
    keys = []
    for c in range(width):
        parts: list[str] = []
        for r in range(first, last + 1):
            v = rows[r][c] if c < len(rows[r]) else None
            text = compact_key(v)
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        keys.append("/".join(parts))
    return keys


def _is_text_header(key: str) -> bool:
    last = key.split("/")[-1] if key else ""
    return last in _TEXT_HEADERS or last.startswith("說明") or any(w in key for w in _TEXT_WORDS) \
        or any(w in key for w in _VEHICLE_TEXT_WORDS) or ("油料" in key and "單價" in key) or key == "類別"


def _text_key(key: str) -> str:
    """The key of a text column: its last header word, or the whole header for the people and trip words."""
    return key.replace("/", "") if any(w in key for w in _TEXT_WORDS + ("油料",)) else key.split("/")[-1]


def _is_note_line(row, keys: list[str]) -> bool:
    """A line with text under 說明 only: a note running on from the previous page, not a header row."""
    filled = [c for c, v in enumerate(row) if v not in (None, "") and compact_key(v)]
    return bool(filled) and all(c < len(keys) and _is_text_header(keys[c]) for c in filled)


def _is_unit_or_year(row) -> bool:
    return any(_UNIT.search(compact_key(v)) or "年度" in compact_key(v) for v in row if v)


# header words a table may open with besides its own: code and name typed in columns of their own
# (編號 | 名稱), or 科目 / 項目 / 用途別科目 in place of 名稱及編號
_LABEL_WORDS = ("編號", "名稱", "代碼", "代號", "科目", "項目", "科目名稱", "科目編號", "科目代號", "名稱及代碼",
                "用途別科目", "用途別科目名稱", "用途別科目編號", "計畫編號", "計畫名稱", "工作計畫", "工作計畫名稱",
                "工作計畫編號", "業務計畫")
# a sheet listing the tables (目次) names their titles without printing them
_CONTENTS = ("目次", "目錄")


def _opens_header(row, words: tuple[str, ...]) -> bool:
    """Whether a row can open a table's header: one of the table's own words, or code / name words alone."""
    if _is_heading(row) or _is_banner(row):
        return False
    texts = [compact_key(v) for v in row if isinstance(v, str)]
    return any(t.startswith(w) for t in texts for w in words) or any(t in _LABEL_WORDS for t in texts)


def _has_figures(raw: list[list[object]], first: int, stop: int) -> bool:
    """Whether rows ``first``..``stop`` print anything that looks like a figure (a table is there to read)."""
    return any(_is_data_row(raw[r], 1) and not _is_page_number(raw[r]) and not _is_unit_or_year(raw[r])
               for r in range(first, stop))


def _title_ref(sg: SheetGrid, r: int) -> CellRef:
    """The cell printing a table's title (A1 of a sheet named after its table: row -1)."""
    if r < 0:
        return sg.grid.ref(0, 0)
    row = sg.grid.rows[r]
    c = next((c for c, v in enumerate(row) if isinstance(v, str) and compact_key(v)), 0)
    return sg.grid.ref(r, c)


def _sections(sg: SheetGrid, halves: dict[int, tuple[str, str]] | None = None,
              headers: dict[str, list[str]] | None = None) -> tuple[list[_Section], list[UnreadableTable]]:
    """The tables on one sheet, and the titles whose table cannot be read.

    ``halves`` maps row indexes printing half a title to (title, left/right).
    ``headers`` holds each title's header keys as last read (on this sheet or
    an earlier one): a page that repeats the title but not the header is read
    with them. A title with nothing that looks like a figure under it (a 目次
    line, a title printed above a note) is neither.
    """
    halves = halves or {}
    headers = {} if headers is None else headers
    rows = _filled(sg)
    raw = sg.grid.rows
    width = max((len(r) for r in rows), default=0)
    titles = [(i, *(halves[i] if i in halves else (_title_of(row), ""))) for i, row in enumerate(raw)]
    titles = [(i, t, h) for i, t, h in titles if t]
    if not titles and _title_of([sg.sheet]):
        titles = [(-1, _title_of([sg.sheet]), "")]  # no title row: the sheet is named after its table
    contents = any(compact_key(v) in _CONTENTS for row in raw[:8] for v in row if isinstance(v, str))
    sections, unreadable = [], []

    def cannot_read(i: int, title: str, reason: str) -> None:
        if not contents:
            unreadable.append(UnreadableTable(title, _title_ref(sg, i), reason))

    for n, (i, title, half) in enumerate(titles):
        stop = titles[n + 1][0] if n + 1 < len(titles) else len(raw)
        unit_default, words = TABLES[title]
        unit = unit_default
        header_first = None
        for r in range(max(i, 0), stop):  # the unit may be printed at the right end of the title's own row
            texts = [compact_key(v) for v in raw[r] if isinstance(v, str)]
            m = next((_UNIT.search(t) for t in texts if _UNIT.search(t)), None)
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
            start = next((r for r in range(i + 1, stop) if _is_data_row(raw[r], label_cols) or _is_heading(raw[r])),
                         None)
            if title in headers and not half and not contents and start is not None:
                sections.append(_Section(title, unit, sg.sheet, headers[title], start, stop, max(i, 0)))
                continue  # a continuation page that does not repeat the header
            if _has_figures(raw, i + 1, stop):
                cannot_read(i, title, f"表名下找不到表頭（應有「{'」或「'.join(words)}」，或「編號」「名稱」等欄名）")
            continue
        # the header may start a row or two above its key word (Taipei prints plan codes above it)
        while i >= 0 and header_first - 1 > i and any(v not in (None, "") for v in raw[header_first - 1]) \
                and not _title_of(raw[header_first - 1]) and not _is_heading(raw[header_first - 1]) \
                and not _is_banner(raw[header_first - 1]) and not _is_unit_or_year(raw[header_first - 1]):
            header_first -= 1
        r = header_first + 1
        while r < stop and not _is_data_row(raw[r], label_cols) and not _is_heading(raw[r]) \
                and not _is_note_line(raw[r], _header_keys(rows, header_first, r - 1, width)) \
                and not (title == TRIPS_BY_KIND and KIND_LINE.match(compact_key(raw[r][0] if raw[r] else ""))):
            r += 1
        keys = _header_keys(rows, header_first, r - 1, width)
        if not _column_roles(keys, half != "right")[3]:
            if _has_figures(raw, r, stop):
                cannot_read(i, title, f"表頭（第 {sg.grid.top + header_first} 列起）沒有可辨識的金額欄名")
            continue
        context = ""
        if title == STAFF_ANALYSIS:
            context = next((compact_key(v) for rr in range(i + 1, header_first) for v in raw[rr]
                            if isinstance(v, str) and "-" in compact_key(v) and not _UNIT.search(compact_key(v))), "")
        sections.append(_Section(title, unit, sg.sheet, keys, r, stop, max(i, 0), half, context))
        if not half:
            headers[title] = keys
    return sections, unreadable


_BANNERS = ("歲出計畫說明", "歲入項目說明")
# a page number: 第3頁, 07-152-13, -13-, 13 (a lone code of 4 or more digits is a code above its name)
_PAGE = re.compile(r"^(第\d+頁([,，]?共\d+頁)?|[\d\-]+-\d+|-?\d{1,3}-?)$")


def _is_banner(row) -> bool:
    """A 說明 text block above a 明細表 (歲出計畫說明：…)."""
    return any(isinstance(v, str) and compact_key(v).startswith(_BANNERS) for v in row[:2])


def _is_page_number(row) -> bool:
    texts = [compact_key(v) for v in row if v not in (None, "")]
    return len(texts) == 1 and bool(_PAGE.match(texts[0])) and not isinstance(
        next(v for v in row if v not in (None, "")), (int, float))


def _is_heading(row) -> bool:
    return any(isinstance(v, str) and (_HEADING in compact_key(v) or _REVENUE_HEADING in compact_key(v)) for v in row)


def _is_label_word(last: str) -> bool:
    """A header word of a label column typed on its own: 編號, 名稱, 科目, 計畫編號, 用途別科目名稱..."""
    return last in _LABEL_WORDS or last.endswith(("編號", "代碼", "代號", "名稱"))


def _column_roles(keys: list[str], first_is_label: bool = True) -> tuple[list[int], list[int], list[int], list[int]]:
    """(label columns, 款項目節 columns, text columns, amount columns) by header key.

    Label columns are the 名稱及編號 column, or the code and the name typed
    in columns of their own (編號 | 名稱), or several columns under one
    merged label header; none of them is ever read as figures.
    """
    labels, numbers, texts, amounts = [], [], [], []
    for c, key in enumerate(keys):
        last = key.split("/")[-1] if key else ""
        if not key:
            continue
        if key.startswith("歲入/") and any(k.startswith("歲出/") for k in keys[:c]) and last != "預算數":
            texts.append(c)  # 轉帳收支對照表: the 歲入 side's 科目 beside the 歲出 side's, read as text
        elif last in _NUMBER_HEADERS:
            numbers.append(c)
        elif any(last.startswith(h) for h in _LABEL_HEADERS) or (c == 0 and first_is_label):
            labels.append(c)
        elif _is_text_header(key):
            texts.append(c)
        elif _is_label_word(last) or any(keys[lc] == key for lc in labels):
            labels.append(c)
        else:
            amounts.append(c)
    return labels, numbers, texts, amounts


def _indent(text: object) -> int:
    if not isinstance(text, str):
        return 0
    stripped = text.lstrip(" \u3000")
    lead = text[: len(text) - len(stripped)]
    return lead.count("\u3000") + lead.count(" ") // 2


def _key(key: str) -> str:
    """Canonical amount-column key: 11-digit plan codes stand alone (彙計表 headers hold code and name)."""
    m = re.search(r"(?<![\da-z])(" + PLAN_CODE + r")(?!\d)", key)
    if m:
        return m.group(1)
    return key


def _key_name(key: str) -> str:
    """The name a column header prints beside its code (32020180101/行政管理 → 行政管理)."""
    return re.sub(r"(?<![\da-z])(" + PLAN_CODE + r")(?!\d)", "", key).replace("/", "")


def _words_only(values: list[object]) -> bool:
    """Whether a column's values are all words (a name column under a header xlbudget does not know)."""
    texts = [compact_key(v) for v in values if v not in (None, "") and compact_key(v)]
    return bool(texts) and all(isinstance(v, str) for v in values if v not in (None, "") and compact_key(v)) \
        and not any(re.search(r"\d", t) or t in ("-", "—") for t in texts)


# a code typed as a number lost its leading zeros: 1 is the 分支計畫 01, 2000000 the 主管 0002000000 (10 digits
# in 高雄, 00020000000 in 新北: both are a whole-book line) and 9020180102 the 歲入 code 09020180102
_LOST_ZEROS = {1: 2, 7: 11, 8: 11, 9: 11, 10: 11}
_CODE_ONLY = re.compile(r"(" + PLAN_CODE + r"|\d{10}|\d{6}|\d{4}|\d{2})")


def _label_part(value: object) -> str:
    """One label cell as a key; a code typed as a number padded back to its printed width."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return code_key(value, _LOST_ZEROS.get(len(compact_key(value))))
    return compact_key(value)


def _label(row: list[object], labels: list[int]) -> tuple[str, object, int | None]:
    """(label, the raw cell that prints the name, the first label column with a value) of a data row.

    With code and name in columns of their own the label is code then name
    (名稱 | 編號 too); one column holding both is read as it is.
    """
    parts = [(c, row[c], _label_part(row[c])) for c in labels if c < len(row) and _label_part(row[c])]
    if not parts:
        return "", None, None
    if len(parts) > 1:  # a code in a column of its own may be typed with dashes or spaces: 3202-0180101
        parts = [(c, v, code_key(t) if _CODE_ONLY.fullmatch(code_key(t)) else t) for c, v, t in parts]
    code_parts = [t for _, _, t in parts if _CODE_ONLY.fullmatch(t)] if len(parts) > 1 else []
    label = "".join(code_parts) + "".join(t for _, _, t in parts if t not in code_parts)
    raw = next((v for _, v, t in parts if t not in code_parts), parts[0][1])
    return label, raw, parts[0][0]


def _continues_name(prev: PrintedRow | None, named_below: bool, label: str, figures: dict, nums: tuple) -> bool:
    """A line printing the rest of the row above's name: code above name (臺中, 新北), or a name wrapped.

    The figures are on the code's line, or (typed the other way) the code stands
    alone and the name's line carries the figures.
    """
    if prev is None or not prev.code or not label or any(nums) or _CODE.match(label) \
            or label.startswith(("合計", "總計", "小計")):
        return False
    if figures:
        return not prev.figures and not prev.name
    return not prev.name or named_below


def _read_section(sg: SheetGrid, sec: _Section, context: str) -> tuple[list[PrintedRow], list, str]:
    grid = sg.grid
    labels, numbers, texts, amounts = _column_roles(sec.header, sec.half != "right")
    # an unknown header beside the label whose column holds only words is the name, never figures
    for c in list(amounts):
        if c - 1 in labels and _words_only([grid.rows[r][c] for r in range(sec.start, sec.end)
                                            if c < len(grid.rows[r])]):
            amounts.remove(c)
            labels.append(c)
    out: list[PrintedRow] = []
    headings = []
    context = sec.context or context
    last_r = None  # the sheet row index of the last row read (a name below it may continue it)
    named_below = False  # whether that row's name came (partly) from the line below
    for r in range(sec.top, sec.end):
        row = grid.rows[r]
        if not any(v not in (None, "") for v in row):
            continue
        if r < sec.start and not _is_heading(row):
            continue  # titles and header
        if _is_heading(row):
            joined = " ".join(str(v) for v in row if v not in (None, ""))
            m = re.search(r"(?<![\da-z])(" + PLAN_CODE + r")(?!\d)", joined)
            if m:
                context = m.group(1)
                cell_c = next(c for c, v in enumerate(row) if v not in (None, ""))
                headings.append((context, joined, grid.ref(r, cell_c)))
            continue
        if _title_of(row) or _is_banner(row) or _is_page_number(row) or any(
                isinstance(v, str) and (_UNIT.search(compact_key(v)) or compact_key(v).startswith("中華民國"))
                for v in row):
            last_r = None
            continue
        if sec.header and all(compact_key(v) == compact_key(sec.header[c].split("/")[-1]) for c, v in enumerate(row)
                              if v not in (None, "") and c < len(sec.header)):
            continue  # a header row repeated inside the table
        label, label_raw, label_c = _label(row, labels)
        figures = {}
        for c in amounts:
            v = row[c] if c < len(row) else None
            if v is None or (isinstance(v, str) and not v.strip()):
                continue
            figures[_key(sec.header[c])] = read_figure(v, grid.ref(r, c))
        text_values = {_text_key(sec.header[c]): (str(row[c]).strip(), grid.ref(r, c))
                       for c in texts if c < len(row) and row[c] not in (None, "")}
        kind = KIND_LINE.match(label) if sec.title == TRIPS_BY_KIND and not figures else None
        if kind:
            context = kind.group(1)  # the 類別 of the trips below
            continue
        nums = tuple(compact_key(row[c]) if c < len(row) else "" for c in numbers[:4])
        nums = nums + ("",) * (4 - len(nums))
        prev = out[-1] if out and last_r is not None and all(
            not any(v not in (None, "") for v in grid.rows[rr]) for rr in range(last_r + 1, r)) else None
        if _continues_name(prev, named_below, label, figures, nums):
            notes = {k: ((prev.texts[k][0] + t, prev.texts[k][1]) if k in prev.texts else (t, cell))
                     for k, (t, cell) in text_values.items()}
            out[-1] = replace(prev, label=prev.label + label, name=prev.name + label, texts={**prev.texts, **notes},
                              figures={**prev.figures, **figures})
            last_r, named_below = r, True
            continue
        if not figures and not label and not any(nums):
            continue
        if not figures and not text_values and not re.match(r"^\d|合計|總計", label):
            continue  # an agency-name or page-number line between pages
        m = _CODE.match(label)
        code, name = (m.group(1), m.group(2)) if m else ("", label)
        if label_c is None:
            label_c = labels[0] if labels else 0
        out.append(PrintedRow(grid.top + r, label, code, name, _indent(label_raw), figures, text_values,
                              nums, context, grid.ref(r, label_c)))
        last_r, named_below = r, False
    return out, headings, context


def _join_halves(left: list[PrintedRow], left_start: int, right: list[PrintedRow], right_start: int
                 ) -> tuple[list[PrintedRow], list[PrintedRow]]:
    """Rows of a table's first column half with the figures of its second half added; and the unmatched.

    A second-half row is matched by its label when it prints one, else by
    its position below its own header (the n-th line of one page beside the
    n-th line of the other). Every figure keeps its own cell.
    """
    by_label = {r.label: n for n, r in enumerate(left) if r.label}
    by_offset = {r.sheet_row - left_start: n for n, r in enumerate(left)}
    joined, unmatched = list(left), []
    for row in right:
        n = by_label.get(row.label) if row.label else by_offset.get(row.sheet_row - right_start)
        if n is None:
            unmatched.append(row)
            continue
        base = joined[n]
        joined[n] = replace(base, figures={**base.figures, **row.figures}, texts={**base.texts, **row.texts})
    return joined, unmatched


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
    """
    sheets = list(sheets)
    halves = split_titles(sheets)
    found: dict[str, dict] = {}
    unreadable: list[UnreadableTable] = []
    headers: dict[str, list[str]] = {}
    for sg in sheets:
        context = ""
        mine = {r: th for (sheet, r), th in halves.items() if sheet == sg.sheet}
        sections, cannot = _sections(sg, mine, headers)
        unreadable += cannot
        for sec in sections:
            rows, headings, context = _read_section(sg, sec, context)
            if not any(row.figures for row in rows) and _has_figures(sg.grid.rows, sec.start, sec.end):
                amounts = [sec.header[c] for c in _column_roles(sec.header, sec.half != "right")[3]]
                unreadable.append(UnreadableTable(sec.title, _title_ref(sg, sec.top),
                                                  f"表頭下讀不到任何金額（金額欄：{'、'.join(amounts)}）"))
                continue
            entry = found.setdefault(sec.title, {"unit": sec.unit, "sheet": sec.sheet, "columns": [], "rows": [],
                                                 "headings": [], "unjoined": [], "left": None, "names": {},
                                                 "title_cell": _title_ref(sg, sec.top)})
            for key in sec.header:
                k = _key(key)
                if key and k not in entry["columns"]:
                    entry["columns"].append(k)
                if key and k != key:
                    entry["names"].setdefault(k, _key_name(key))
            start = sg.grid.top + sec.start
            if sec.half == "right" and entry["left"] is None:
                entry["unjoined"] += rows  # a second half whose first half was not found
                continue
            if sec.half == "right":
                first, left_start = entry["left"]
                joined, unmatched = _join_halves(entry["rows"][first:], left_start, rows, start)
                entry["rows"][first:] = joined
                entry["unjoined"] += unmatched
                entry["left"] = None
                continue
            if sec.half == "left":
                entry["left"] = (len(entry["rows"]), start)
            entry["rows"] += rows
            entry["headings"] += headings
    tables = [PrintedTable(title, e["unit"], e["sheet"], tuple(e["columns"]), tuple(e["rows"]),
                           tuple(e["headings"]), tuple(e["unjoined"]), tuple(e["names"].items()), e["title_cell"])
              for title, e in found.items()]
    return tables, unreadable
