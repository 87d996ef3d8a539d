"""The cell functions (xlwings UDFs) of the add-in: XLB_NAME, XLB_THOUSANDS, XLB_CHINESE, XLB_PARSE_CHINESE,
XLB_ROC_YEAR, XLB_ROC_DATE, XLB_ROLLUP, XLB_SCHEDULE, XLB_CHECK.

Excel reaches them through ``xlbudget.addin``, which re-exports them. A function given a wrong argument returns a
readable text starting with ``#VALUE!`` instead of failing.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal, InvalidOperation

import xlwings as xw

from xlbudget.addin.checking import cell_problems, range_findings
from xlbudget.core import codes
from xlbudget.core.amounts import EXCEL_DIGITS, NotANumber, TooManyDigits, parse_int, parse_price, to_thousands
from xlbudget.core.dates import WESTERN_DATE, roc_to_date, roc_year
from xlbudget.core.errors import InputError, XlbudgetError
from xlbudget.core.findings import RULES, Finding, in_reading_order, is_joint, make_finding
from xlbudget.core.keys import code_key, compact_key, normalize_key
from xlbudget.core.model import Agency, BudgetBook
from xlbudget.core.patterns import lazy
from xlbudget.derive import schedules
from xlbudget.derive.book import DERIVATIONS
from xlbudget.derive.narrative import format_chinese, parse_chinese_thousands
from xlbudget.forms import results
from xlbudget.forms.layout import HEADER_TOP, layout_table
from xlbudget.forms.inputs import HEADER_SEARCH_ROWS, SHEET_EXPENSES
from xlbudget.readers.grid import CODE11, Grid, sheet_of_header
from xlbudget.readers.inputs import error_values, named_as_error_values
from xlbudget.readers.items import read_expenses, typed_object

ERROR_PREFIX = "#VALUE!"
RANGE_LABEL = "所選範圍"  # the sheet name given to a UDF's items argument in cell references
ALL_PLANS = "全部"  # XLB_ROLLUP's plan argument for every plan of the range
# the 彙計表's column header over every plan, read as 全部 as a plan's header is read as its plan: beside the table,
# =XLB_ROLLUP(…, $A9, G$5) under 「合計」 was told «計畫編號應為 11 碼，此處為「合計」»
TOTAL_HEADERS = ("合計", "總計")
WHOLE_SHEET = "歲出明細!A1:O1000"  # the range the messages (and the README) suggest: every column, rows to spare

# Short names a user may type for XLB_SCHEDULE's table_name.
TABLE_ALIASES = {
    "明細表": schedules.DETAIL,
    "各項費用明細表": schedules.DETAIL,
    "彙計表": schedules.SUMMARY,
    "一級用途別": schedules.LEVEL1,
    "一級用途別科目分析表": schedules.LEVEL1,
    "資本支出": schedules.CAPITAL,
    "機關別": schedules.AGENCY_BUDGET,
    "機關別預算表": schedules.AGENCY_BUDGET,
    "職能及經濟性": schedules.FUNCTION_ECON,
    "綜合分類表": schedules.FUNCTION_ECON,
}
# Tables XLB_SCHEDULE can derive from an 歲出明細 range alone.
ITEM_TABLES = (schedules.DETAIL, schedules.SUMMARY, schedules.LEVEL1, schedules.CAPITAL,
               schedules.AGENCY_BUDGET, schedules.FUNCTION_ECON)


class _BadArgument(ValueError):
    """A cell function's argument cannot be used; the text is shown in the cell."""


def _error(message: str) -> str:
    return f"{ERROR_PREFIX} {message}"


def _udf(f):
    """Turn a wrong argument into a readable error value instead of a failure in Excel."""
    @functools.wraps(f)
    def wrapper(*args):
        try:
            return f(*args)
        except (_BadArgument, NotANumber, XlbudgetError) as exc:
            return _error(_first_line(exc))
    return wrapper


def _first_line(exc: Exception) -> str:
    if isinstance(exc, InputError):
        return "；".join(exc.problems[:3]) + ("…" if len(exc.problems) > 3 else "")
    if isinstance(exc, TooManyDigits):
        return f"數字有 {exc.digits:,} 位（{exc}）：Excel 只保存 {EXCEL_DIGITS} 位有效數字，不能當作數字讀取"
    if isinstance(exc, NotANumber):
        return f"無法讀成數字：「{exc}」"
    return str(exc)


def _each(values, convert):
    """Apply ``convert`` to a scalar, or to every cell of a 2-D range (a 1×1 range gives a scalar)."""
    if not isinstance(values, list):
        return _one(values, convert)
    out = [[_one(v, convert) for v in row] for row in values]
    return out[0][0] if len(out) == 1 and len(out[0]) == 1 else out


def _one(value, convert):
    if value is None or value == "":
        return ""
    try:
        return convert(value)
    except (_BadArgument, NotANumber, XlbudgetError) as exc:
        return _error(_first_line(exc))


def _code_text(value) -> str:
    return normalize_key(value)  # full-width, no-break spaces and codes typed as numbers, as every reader


def _object_entry(value, example: str = "2018"):
    """A 用途別科目 argument → its entry of the code table: read as 歲出明細's 用途別科目 is (2018, 201800, 2018 資訊服務費,
    the 彙計表's row label 200000業務費); a number after the four digits (2018.5, 20180) is no code and its name."""
    text = _code_text(value) if value is not None else ""
    typed = typed_object(text)
    if typed is None or typed[1][:1] in set(".0123456789"):
        raise _BadArgument(f"用途別科目應為 4 位數代碼（如 {example}），此處為「{text}」")
    entry = codes.object_codes().get(typed[0])
    if entry is None:
        raise _BadArgument(f"用途別科目「{typed[0]}」不在科目表中")
    return entry


def _name_of(value) -> str:
    return _object_entry(value).name


@xw.func
@xw.arg("code", ndim=2, doc="用途別科目代碼，如 2018、2000，或 201800資訊服務費；可選一個範圍")
@_udf
def xlb_name(code):
    """傳回用途別科目代碼的科目名稱（2018 → 資訊服務費；2000 → 業務費）。"""
    return _each(code, _name_of)


def _yuan_to_thousands(value) -> int:
    if isinstance(value, bool):
        raise _BadArgument(f"應為元金額，此處為「{value}」")
    if isinstance(value, float) and not value.is_integer():
        try:
            return to_thousands(Decimal(repr(value)))
        except InvalidOperation:
            raise _BadArgument(f"應為元金額，此處為「{value}」") from None
    number = parse_int(value)
    if number is None:
        return ""  # type: ignore[return-value]
    return to_thousands(number)


@xw.func
@xw.arg("yuan", ndim=2, doc="以元計的金額（數字、含千分位的文字或 (1,234)／△1,234 之負數）；可選一個範圍")
@_udf
def xlb_thousands(yuan):
    """元換算為千元，四捨五入（正負數皆遠離零進位，同 Excel 的 ROUND；2,500 → 3，−2,500 → −3）。"""
    return _each(yuan, _yuan_to_thousands)


def _chinese(value) -> str:
    number = parse_price(value)  # a whole number as parse_int reads it; a fraction as typed, to be named
    if isinstance(number, Decimal):
        raise _BadArgument(f"中文金額以千元整數寫成，此處為「{_code_text(value)}」千元（有小數）；"
                           "元金額請先以 XLB_THOUSANDS 換算為千元")
    return format_chinese(number)


@xw.func
@xw.arg("thousands", ndim=2, doc="以千元計的金額，如 275795；可選一個範圍")
@_udf
def xlb_chinese(thousands):
    """千元金額寫成預算書的中文金額（275,795 → 2億7,579萬5千元；2,800 → 280萬元）。"""
    return _each(thousands, _chinese)


@xw.func
@xw.arg("text", ndim=2, doc="中文金額，如 2億7,579萬5千元、378萬5千元、57,019千元；可選一個範圍")
@_udf
def xlb_parse_chinese(text):
    """預算書的中文金額換算為千元（2億7,579萬5千元 → 275,795）。"""
    return _each(text, lambda v: parse_chinese_thousands(_code_text(v)))


_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def _to_date(value) -> dt.date:
    """A date as Excel sends it: a serial number, a date/datetime, or text (ISO or 民國)."""
    if isinstance(value, bool):
        raise _BadArgument(f"應為日期，此處為「{value}」")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        if not 1 <= value < 2958466:
            raise _BadArgument(f"日期序列值應在 1～2958465 之間，此處為「{value}」")
        return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).date()
    text = _code_text(value)
    m = WESTERN_DATE.match(text)
    if m:  # 2024/05/20, 2024.5.20, 2024年5月20日: a year of four digits is no 民國 year
        try:
            return dt.date(*(int(g) for g in m.groups()))
        except ValueError:
            raise _BadArgument(f"「{text}」不是有效的日期") from None
    try:
        return dt.date.fromisoformat(text[:10])  # 20240520, 2024-05-20T10:00
    except ValueError:
        return _roc_date(text)


# a whole number in these is a 西元 year (=XLB_ROC_YEAR(2024)), never a date serial: serials 1912–2100 are days of
# 1905, before 民國元年, which have no 民國 year at all (the function said so of 2024 and gave nothing)
WESTERN_YEARS = range(1912, 2101)


def _roc_year(value) -> int:
    """The 民國 year of ``value``: a date (a serial, a date, a text as _to_date reads it), or a 西元 year, a whole
    number 1912–2100 (2024 or 「2024」 → 113)."""
    if type(value) in (int, float) and value == int(value) and int(value) in WESTERN_YEARS:
        return int(value) - 1911
    if isinstance(value, str) and (text := _code_text(value)).isdigit() and len(text) == 4 \
            and int(text) in WESTERN_YEARS:
        return int(text) - 1911
    day = _to_date(value)  # its own message for what is no date (_BadArgument is a ValueError too)
    try:
        return roc_year(day)
    except ValueError:
        raise _BadArgument(f"民國元年（1912 年）以前的日期沒有民國年，此處為「{_code_text(value)}」") from None


@xw.func
@xw.arg("date", ndim=2, doc="日期（儲存格中的日期即可），或 2024/01/01、2024-01-01、113/01/01 之文字，或西元年 2024"
                            "（1912～2100 的整數視為西元年，不是日期序列值）；可選一個範圍")
@_udf
def xlb_roc_year(date):
    """日期或西元年的民國年（2024/5/20 → 113；西元年 2024 → 113）。"""
    return _each(date, _roc_year)


_ROC_PARTS = lazy(r"^(?:民國)?\s*(\d{1,3})\s*[/.\-年]\s*(\d{1,2})\s*[/.\-月]\s*(\d{1,2})\s*日?$")


def _roc_date(value) -> dt.date:
    text = _code_text(value).replace(" ", "")  # full-width digits and ／．－ made ASCII there (NFKC)
    m = _ROC_PARTS.match(text)
    if m:
        year, month, day = (int(g) for g in m.groups())
    elif re.fullmatch(r"\d{6,7}", text):
        year, month, day = int(text[:-4]), int(text[-4:-2]), int(text[-2:])
    else:
        raise _BadArgument(f"民國日期應寫成 1130101 或 113/01/01，此處為「{text}」")
    try:
        return roc_to_date(year, month, day)
    except ValueError:
        raise _BadArgument(f"「{text}」不是有效的日期") from None


@xw.func
@xw.arg("text", ndim=2, doc="民國日期文字，如 1130101、113/01/01、113年1月1日；可選一個範圍")
@_udf
def xlb_roc_date(text):
    """民國日期文字轉為 Excel 日期（1130101 → 2024/1/1）。"""
    return _each(text, lambda v: dt.datetime.combine(_roc_date(v), dt.time()))


def _raw_cell(value):
    # items arrive unconverted ("raw"): cleaning 5,000 × 13 cells through xlwings' generic reader
    # costs seconds on CPython (xlwings Server), so empty cells are normalised here instead
    if value is None or value == "" or type(value).__name__ == "JsNull":
        return None
    if isinstance(value, dict):  # an Office.js error value, e.g. {"type": "Error", "basicValue": "#N/A"}
        return value.get("basicValue", "#VALUE!")
    return value


def _empty_row(row) -> bool:
    empty = row.count(None)  # a C loop over the row; "" (Office.js) and JsNull (Lite) cell by cell only when needed
    return empty == len(row) or empty + row.count("") == len(row) or all(_raw_cell(v) is None for v in row)


_EMPTY_BLOCK = 4096


def _typed_rows(items) -> int:
    """How many of ``items``' rows there are down to the last one holding anything: a whole-column range (歲出明細!A:O)
    arrives as 1,048,576 rows, nearly all empty, and reading each cell of them cost 1.9 s of CPU a call (field
    report 7 §4, f14). The rows equal to the last, empty one are passed over a block at a time (``list.count``
    compares in C), the rest row by row."""
    end = len(items)
    last = items[-1]
    if end > 1 and _empty_row(last):
        while end > 1:
            start = max(1, end - _EMPTY_BLOCK)
            if items[start:end].count(last) != end - start:
                break
            end = start
    while end > 1 and _empty_row(items[end - 1]):
        end -= 1
    return end


def _items_grid(items) -> Grid:
    if not isinstance(items, (list, tuple)) or not items:
        raise _BadArgument("items 應為含標題列的歲出明細範圍")
    if not isinstance(items[0], (list, tuple)):  # a single row arrives flattened
        items = [items]
    rows = [[_raw_cell(v) for v in row] for row in items[:_typed_rows(items)]]
    return Grid(RANGE_LABEL, rows)


def _not_expenses(grid: Grid) -> str | None:
    """What a range with no 歲出明細 header row holds instead, said so the officer picks 歲出明細 (field report 7 §3.1,
    f06): a table build prints (its title, as check recognises it) or another input sheet (its header row); None
    when neither."""
    from xlbudget.readers.printed_pages import title_of  # the printed-table readers, only for a range that is none

    top = grid.rows[:HEADER_SEARCH_ROWS]
    sheet = sheet_of_header(top)
    if sheet == SHEET_EXPENSES:
        return None  # its header row is there: the problems are its own
    title = next((t for t in map(title_of, top) if t), None)
    if title:
        return f"這個範圍是「{title}」（產生的預算表），不是歲出明細；請選歲出明細的範圍（如 {WHOLE_SHEET}）"
    if sheet:
        return f"這個範圍是「{sheet}」工作表的表格，不是歲出明細；請選歲出明細的範圍（如 {WHOLE_SHEET}）"
    return None


def _expense_items(items, findings: list[Finding] | None = None):
    """An 歲出明細 range (header row first) → expense items; unreadable cells raise InputError."""
    problems: list[Finding] = []  # each with its rule id and cell: InputError takes them as they are
    found: list[Finding] = [] if findings is None else findings
    grid = _items_grid(items)
    result = read_expenses(grid, found, problems)
    # #N/A, #REF!… as the buttons and the CLI name them (error-value, with what each means), not as not-a-number
    problems, found[:] = named_as_error_values(error_values(grid), problems, found)
    if problems:
        instead = _not_expenses(grid)
        if instead:
            raise _BadArgument(instead)
        raise InputError(problems)
    return result


def _items_book(items, function: str = "01", findings: list[Finding] | None = None) -> BudgetBook:
    expenses = _expense_items(items, findings)
    if not expenses:
        raise _BadArgument("範圍中沒有任何歲出明細資料")
    agency = Agency(name="", code="", year=0, authority="", function=function)
    return BudgetBook(agency=agency, expenses=tuple(expenses), revenues=(), prior=(), plan_notes=(),
                      revenue_notes=(), source=RANGE_LABEL)


@xw.func
@xw.arg("items", "raw", doc="歲出明細範圍（含標題列：工作計畫編號、用途別科目、預算數…）")
@xw.arg("code", doc="用途別科目：一級（如 2000）或二級（如 2018）")
@xw.arg("plan", doc=f"工作計畫編號（11 碼）或業務計畫編號，只加總該計畫；加總全部計畫請填「{ALL_PLANS}」")
@_udf
def xlb_rollup(items, code, plan=None):
    """加總歲出明細中某一級或二級用途別科目（及計畫）的預算數，以元計。

    An omitted plan and a blank plan cell reach Python alike (xlwings turns both into the default), so neither
    means "every plan": that takes the word 全部, and a blank is an error, never the agency's total.
    """
    entry = _object_entry(code, "2000 或 2018")
    wanted = entry.code
    plan_code = code_key(plan, 11)  # as the readers read a plan code
    if plan_code == ALL_PLANS or compact_key(plan_code) in TOTAL_HEADERS:  # 全部, or the 彙計表's 合計 column header
        plan_code = ""
    elif not plan_code:
        raise _BadArgument(f"未指定工作計畫編號（計畫編號的儲存格是空白的？）；加總全部計畫請填「{ALL_PLANS}」")
    elif not CODE11.match(plan_code):
        # the code and name of the 彙計表's column header (「32020183201⏎數位發展計畫」), read as check reads that header,
        # as the 用途別科目 is read from its row label (「200000業務費」)
        from xlbudget.readers.printed_rows import column_key  # a printed-table reader, for a plan that is no code

        if not CODE11.match(column_key(plan_code)):
            raise _BadArgument(f"計畫編號應為 11 碼，此處為「{plan_code}」")
        plan_code = column_key(plan_code)
    expenses = _expense_items(items)
    if plan_code and not any(plan_code in (item.plan_code, item.program_code) for item in expenses):
        raise _BadArgument(f"範圍中沒有工作計畫或業務計畫「{plan_code}」的歲出明細")
    total = 0
    for item in expenses:
        if entry.level == 1 and codes.level1_of(item.object_code) != wanted:
            continue
        if entry.level != 1 and item.object_code != wanted:
            continue
        if plan_code and plan_code not in (item.plan_code, item.program_code):
            continue
        total += item.amount
    return total


def _table_title(name) -> str:
    text = _code_text(name) if name is not None else ""
    if text in ITEM_TABLES:
        return text
    if text in TABLE_ALIASES:
        return TABLE_ALIASES[text]
    matches = [t for t in ITEM_TABLES if text and text in t]
    if len(matches) == 1:
        return matches[0]
    raise _BadArgument(f"不認得的表名「{text}」；可用：{'、'.join(ITEM_TABLES)}")


# What an 歲出明細 range cannot tell XLB_SCHEDULE's 歲出機關別預算表 (field report 6 §1.4, f18), said under the table
AGENCY_BUDGET_NOTE = ("註：所選範圍只有歲出明細：主管機關及機關列的名稱與編號（基本資料）、上年度預算數、前年度決算數及"
                      "本年度與上年度比較（以前年度）無從得知，留空；完整的表請按「產生報表」。")
# The 歲出明細 columns a table splits its 元 by, and what each splits: a range without one would print the same 元
# under another split without a word (field report 7 §1.2, f04: 收支併列 as 市款, 資訊軟體 under 機器及其他設備), so
# the table is refused naming the column. The reader gives a line the column's default (0, the code's 經資門 and
# 經濟性分類) when the column is not there, as it does for a blank cell.
SPLIT_COLUMNS = {
    schedules.DETAIL: ("收支併列數",),
    schedules.LEVEL1: ("經資門",),
    schedules.CAPITAL: ("經資門",),
    schedules.FUNCTION_ECON: ("經資門", "經濟性分類"),
}
SPLIT_BY = {"收支併列數": "市款與收支併列", "經資門": "經常門與資本門", "經濟性分類": "經濟性分類"}
# The columns a table prints as typed (a level of rows, a line's words): a range without them gives the same figures
# with those left out, said in a last row (f13: the README's A1:M80 dropped 臺北 116's 計畫項目 level)
PRINTED_COLUMNS = {schedules.DETAIL: ("分支計畫", "計畫項目", "計畫項目說明", "單位", "數量", "單價", "說明")}


def _range_columns(model: BudgetBook) -> set[str]:
    """The 歲出明細 columns the range holds, as the reader found them (every line's cells name the same)."""
    return set(model.expenses[0].cells)


def _note_row(text: str, width: int) -> list:
    return [text] + [""] * (width - 1)


@xw.func
@xw.arg("items", "raw", doc="歲出明細範圍（含標題列）")
@xw.arg("table_name", doc="表名，如 各項費用彙計表、歲出一級用途別科目分析表、資本支出分析表、明細表")
@xw.arg("function", doc="職能別代碼或名稱，如 12 或 12 運輸及通信（可選基本資料的職能別儲存格）；"
                        "歲出按職能及經濟性綜合分類表必填，其他表不用")
@_udf
def xlb_schedule(items, table_name, function=None):
    """由歲出明細範圍產生整張預算表（標題列與各列），以動態陣列溢出。

    The range holds no 基本資料: 職能別, which places every figure of 歲出按職能及經濟性綜合分類表 on its row, must be
    given (an omitted argument and a blank cell arrive alike, as None), never assumed 01 (field report 6 §1.4: the
    whole budget printed under 01 一般公共事務 without a word). 歲出機關別預算表 says under it what it leaves blank.
    """
    from xlbudget.readers.inputs import function_code, function_named  # 職能別 as 基本資料 reads it

    title = _table_title(table_name)
    typed = _code_text(function) if function is not None else ""
    if not typed and title == schedules.FUNCTION_ECON:
        raise _BadArgument(f"{title}需要職能別：請填第三個引數，如 XLB_SCHEDULE(範圍, \"職能及經濟性\", \"12\")，"
                           "或選基本資料的職能別儲存格")
    fn = function_code(typed) if typed else "01"  # a table that prints no 職能別 is the same under any
    if fn is None:
        raise _BadArgument(f"職能別「{typed}」不在 01～15 之中")
    if (other := function_named(typed)) not in (None, fn):  # 「02 一般公共事務」: as read_agency refuses it
        raise _BadArgument(make_finding("function-name-mismatch", None, actual=typed, code=fn,
                                        name=codes.functions()[fn], other=other,
                                        other_name=codes.functions()[other]).message)
    model = _items_book(items, fn)
    held = _range_columns(model)
    # a range without a column the table splits by (收支併列數, 經資門, 經濟性分類) is read as build reads a sheet
    # without it (all 市款; 經資門 and 經濟性分類 by the 用途別科目's defaults) — a 歲出明細 may truly lack it — and the
    # table says so in its last row: a range cut short of the column splits otherwise than the book (f04)
    lacking = [c for c in SPLIT_COLUMNS.get(title, ()) if c not in held]
    unread = [c for c in PRINTED_COLUMNS.get(title, ()) if c not in held]
    table = DERIVATIONS[title](model)
    layout = layout_table(table, model.agency)
    # a 單價 with 角 (Decimal 1.6) spills as the number 1.6: Excel holds floats, and a Decimal does not cross to it
    rows = [["" if v is None else float(v) if type(v) is Decimal else v for v in row]
            for row in layout.values[HEADER_TOP - 1:]]
    if title == schedules.AGENCY_BUDGET:
        rows.append(_note_row(AGENCY_BUDGET_NOTE, len(rows[0])))
    if lacking:
        rows.append(_note_row(f"註：所選範圍沒有「{'」、「'.join(lacking)}」欄，此表依此欄分列的"
                              f"{'、'.join(SPLIT_BY[c] for c in lacking)}係按"
                              f"{'全數列為市款' if lacking == ['收支併列數'] else '用途別科目的預設'}計列，可能與本書不同；"
                              f"歲出明細若有此欄，請選含此欄的整張歲出明細（如 {WHOLE_SHEET}）。", len(rows[0])))
    if unread:
        rows.append(_note_row(f"註：所選範圍沒有「{'」、「'.join(unread)}」欄，此表未印出這些欄的內容（含其層級與小計）；"
                              f"歲出明細若有填寫，請選含這些欄的整張歲出明細（如 {WHOLE_SHEET}）。", len(rows[0])))
    return rows


CHECK_HEADERS = ["等級", "規則", "儲存格", "應為", "實為", "說明"]


@xw.func
@xw.arg("items", "raw", doc="歲出明細範圍（含標題列）")
@_udf
def xlb_check(items):
    """檢核歲出明細範圍，傳回發現的問題（等級、規則、儲存格、說明），以動態陣列溢出。"""
    findings: list[Finding] = []
    try:
        model = _items_book(items, findings=findings)
    except InputError as exc:
        findings = cell_problems(exc)
        model = None
    if model is not None:
        findings = range_findings(model, findings)
    prefix = f"{RANGE_LABEL}!"

    def local(where: str) -> str:
        return where[len(prefix):] if where.startswith(prefix) else where

    ordered = in_reading_order(findings)  # as finding_rows lists them (it sorts again, the same way)
    rows = []
    for f, r in zip(ordered, results.finding_rows(ordered)):
        expected, actual, note = r[5], r[6], r[7]
        if is_joint(f):  # 數量 × 單價 ≠ 預算數: with no 一併標示 column here, its figures shown and its cells named, as
            expected, actual = results.shown_value(f.expected), results.shown_value(f.actual)  # none the wrong one
            cells = "、".join(local(w) for w in (r[4], *(r[8] or "").split("、")) if w)
            advice = RULES[f.rule].advice if f.rule in RULES else ""
            note = f"{note}。{advice}（{cells}）" if advice else f"{note}（一併核對 {cells}）"
        rows.append([r[1], r[2], local(r[4]), expected, actual, note])
    if not rows:
        rows = [["", "", "", "", "", "未發現問題"]]
    return [CHECK_HEADERS] + [["" if v is None else v for v in row] for row in rows]
