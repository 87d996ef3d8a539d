"""The one table of printed table titles: what each table is called on the page.

Every deriver names its table from here, and the printed-table reader finds
tables by these same words, so a title is written once.
"""

from __future__ import annotations

from functools import lru_cache

# 乙 主要表 and 丙 附屬表 derived from the line items
DETAIL = "歲出計畫說明提要與各項費用明細表"
SUMMARY = "各項費用彙計表"
LEVEL1 = "歲出一級用途別科目分析表"
CAPITAL = "資本支出分析表"
AGENCY_BUDGET = "歲出機關別預算表"
FUNCTION_ECON = "歲出按職能及經濟性綜合分類表"
REVENUE_SOURCES = "歲入來源別預算表"
REVENUE_DETAIL = "歲入項目說明提要與預算明細表"
# the line over each plan's lines in the two 明細表 (業務計畫及工作計畫名稱與編號：32020180101 一般行政-行政管理 …)
PLAN_LINE = {DETAIL: "業務計畫及工作計畫名稱與編號", REVENUE_DETAIL: "來源別子目及細目與編號"}
# 臺北市 prints 歲出預算表 / 歲入預算表 (本年度 split into 合計, 經常門, 資本門) and its 彙計表 in 元 (RULES.md)
TAIPEI_AGENCY_BUDGET = "歲出預算表"
TAIPEI_REVENUE = "歲入預算表"

# people and trips
STAFF_COSTS = "人事費彙計表"
CONTRACT = "約聘僱人員費用分析表"
STAFFING = "員額編制表"
TRIPS_SUMMARY = "派員出國計畫預算總表"
TRIPS_BY_KIND = "派員出國計畫預算類別表"

# the tables of the other cities' books (issue 14)
STAFF_ANALYSIS = "人事費分析表"  # one per 工作計畫: 人事費分析表—行政管理
VEHICLES = "公務車輛明細表"
TRANSFERS = "轉帳收支對照表"
FUNDING_TITLES = {"繼續性": "繼續性計畫分年資金需求表", "新興": "新興計畫分年資金需求表"}
WHITEPAPER = "市政白皮書計畫項目預算編列情形表"
WHITEPAPER_PRINTED = "市政白皮書計畫項目預算編列情形"  # the page title 臺北 prints (目次 adds 表)
COST_SHARES = "各項費用分攤表"

CONTENTS = "目次"

SHEET_NAME_MAX = 31  # Excel's longest sheet name, in UTF-16 code units
# never in a sheet name; written as their full-width forms, which read the same in a Chinese title
_NOT_IN_SHEET_NAMES = str.maketrans({"[": "［", "]": "］", ":": "：", "*": "＊", "?": "？", "/": "／", "\\": "＼"})


def _cut(text: str, limit: int) -> str:
    text = text.lstrip("'")
    while len(text.encode("utf-16-le")) > 2 * limit:
        text = text[:-1]
    return text.rstrip("'")


@lru_cache(maxsize=512)  # pure: a book's tables ask it of their titles again and again, the same titles book after book
def _allowed(title: str) -> str:
    """``title`` as Excel allows a sheet name, not yet numbered (sheet_name's first step)."""
    return _cut(title.translate(_NOT_IN_SHEET_NAMES), SHEET_NAME_MAX) or "表"


def sheet_name(title: str, taken=()) -> str:
    """The sheet a table titled ``title`` is written on, as Excel allows it: []:*?/\\ in their full-width forms
    (［］：＊？／＼), no apostrophe first or last, cut to 31 characters; a name already among ``taken`` (sheet
    names, compared as Excel does, regardless of case) is cut shorter and numbered: 「…（2）」, 「…（3）」."""
    name = _allowed(title)
    used = {t.casefold() for t in taken}
    found, n = name, 2
    while found.casefold() in used:
        found = _cut(name, SHEET_NAME_MAX - len(f"（{n}）")) + f"（{n}）"
        n += 1
    return found


def sheet_names(titles) -> list[str]:
    """Each title's sheet, in order, no two alike: a title whose sheet an earlier one took is numbered."""
    names: list[str] = []
    for title in titles:
        names.append(sheet_name(title, names))
    return names


def table_order(names, titles) -> list[str]:
    """The book's sheet names (``names``, in tab order) once the tables ``titles`` (their sheets, in 目次 order) are
    written: a table's sheet stays where it is; a new one goes right after the table before it in 目次 order, or,
    when none is in the book, before the first table after it, else last (a book never built). So a table a rebuild
    adds (公務車輛明細表, a trip's new 類別表) sits among the tables where the 目次 and the printed book put it, not
    after the officer's own sheets. Both writers (adapters.splice, adapters.printing) place sheets by it."""
    order = list(names)
    for k, title in enumerate(titles):
        if title in order:
            continue
        before = next((t for t in reversed(titles[:k]) if t in order), None)
        after = None if before is not None else next((t for t in titles[k + 1:] if t in order), None)
        order.insert(order.index(before) + 1 if before is not None else order.index(after) if after is not None
                     else len(order), title)
    return order


# the tables whose page heading names the agency (the line over the title) and the 年度 (中華民國N年度 under it)
HEADED = (SUMMARY, AGENCY_BUDGET, DETAIL, LEVEL1, TAIPEI_AGENCY_BUDGET, REVENUE_SOURCES)


def printed_heading(sheets) -> tuple[str, int | None]:
    """Agency name and 民國 year a printed book heads its tables with: the line over a title of ``HEADED``, and
    中華民國N年度 in the four lines from the title down. ``sheets``: each sheet's first rows (cell values), in
    order; the first sheet that prints such a title answers. ("", None) when none does."""
    import re

    year_line = re.compile(r"中華民國(\d{2,3})年度")
    for rows in sheets:
        lines = []
        for row in rows:
            text = next((str(v).strip() for v in row if v not in (None, "") and str(v).strip()), "")
            lines.append(re.sub(r"[\s\u3000]+", "", text))
        for n, line in enumerate(lines):
            if line in HEADED:
                agency = next((lines[k] for k in range(n - 1, -1, -1) if lines[k]), "")
                year = next((int(m.group(1)) for text in lines[n:n + 4]
                             if (m := year_line.search(text))), None)
                return agency, year
    return "", None


# the tables of a 附屬單位預算 (a fund's book: 非營業特種基金 and 營業基金), never a 單位預算's: a book printing one is
# said to be out of xlbudget's scope (fund-book), not «no table found»
FUND_TITLES = ("基金來源用途及餘絀預計表", "收支餘絀預計表", "餘絀撥補預計表", "現金流量預計表", "基金用途明細表",
               "基金來源明細表", "損益預計表", "盈虧撥補預計表", "資產負債預計表")

# a printed table's column that prints figures under no header word is read under this key and its column letter
# (「（無欄名）C」): the reader keys it so, the coverage check names it
UNHEADED = "（無欄名）"
