"""Inside Excel: the buttons (scripts) and cell functions (UDFs) of xlbudget.

Written against the xlwings object model only, so the same module runs on
desktop Excel (RunPython buttons, ``UDF Modules = xlbudget.addin``), xlwings
Lite and xlwings Server. The Python names are the contract the macros, Lite's
main.py and Server call:

- buttons: build_schedules 產生報表, check_book 檢核, clear_marks 清除標示,
  add_template 新增範本, export_data 匯出, next_year_book 新年度, export_pdf 輸出PDF;
- cell functions: xlb_name, xlb_thousands, xlb_chinese, xlb_parse_chinese,
  xlb_roc_year, xlb_roc_date, xlb_rollup, xlb_schedule, xlb_check
  (Excel shows them upper-case: XLB_NAME …).

A button never raises into Excel: what it did, or what is wrong with which
cell, is written to the 執行紀錄 sheet. A cell function given a wrong argument
returns a readable text starting with ``#VALUE!`` instead of failing.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import traceback
from decimal import Decimal, InvalidOperation
from pathlib import Path

import xlwings as xw

from xlbudget.core import codes

from xlbudget.forms import results

from xlbudget.derive import schedules
from xlbudget.core.amounts import NotANumber, parse_int, to_thousands
from xlbudget.core.errors import InputError, XlbudgetError
from xlbudget.core.findings import Finding
from xlbudget.readers.inputs import SHEET_AGENCY, SHEET_HELP, Grid, read_book, read_expenses
from xlbudget.forms.layout import HEADER_TOP, layout_table
from xlbudget.core.keys import normalize_key
from xlbudget.core.model import Agency, BudgetBook
from xlbudget.derive.narrative import format_chinese, parse_chinese_thousands
from xlbudget.adapters import xlwings_book as xb

ERROR_PREFIX = "#VALUE!"
RANGE_LABEL = "所選範圍"  # the sheet name given to a UDF's items argument in cell references

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


# ---------------------------------------------------------------- buttons

def _caller(book):
    # desktop RunPython calls the script without arguments; Lite and Server inject the book
    return book if book is not None else xw.Book.caller()


def _now() -> str:
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def _run_button(title: str, book, job) -> None:
    """Run one button's ``job(book) -> status lines``; every outcome is written to 執行紀錄, never raised."""
    book = _caller(book)
    try:
        lines = job(book)
    except InputError as exc:
        lines = [f"{title}：未完成，輸入資料有誤。請修正下列儲存格後再按一次「{title}」。"]
        lines += [f"  - {p}" for p in exc.problems]
    except XlbudgetError as exc:
        lines = [f"{title}：未完成。", str(exc)]
    except Exception as exc:  # the program's own failure: say so plainly, keep the details for support
        lines = [f"{title}：程式發生未預期的錯誤（{type(exc).__name__}: {exc}），活頁簿的輸入資料未被更動。",
                 "請將本工作表的內容提供給系統管理者。", ""]
        lines += traceback.format_exc().splitlines()[-12:]
    xb.write_status(book, [f"{_now()}　{lines[0]}"] + lines[1:])


def _read(book) -> tuple[BudgetBook, list[Finding]]:
    return read_book(xb.input_grids(book), book.name)


def _summary(findings: list[Finding]) -> str:
    counts: dict[str, int] = {"錯誤": 0, "警告": 0, "提示": 0}
    for f in findings:
        name = results.severity_name(f.severity)
        counts[name] = counts.get(name, 0) + 1
    return "、".join(f"{name} {n} 項" for name, n in counts.items())


def _engine_findings(book: BudgetBook, tables_read_back: dict[str, Grid] | None = None) -> list[Finding] | None:
    """Findings of the checks engine (xlbudget.rules.checks) when it is installed; None when it is not.

    ``tables_read_back`` are the schedule sheets present in the live book, so the
    engine can compare them with what the inputs derive.
    """
    try:
        from xlbudget.rules import checks
    except ImportError:
        return None
    run = getattr(checks, "check_book", None)
    if run is None:
        return None
    result = run(book, tables_read_back) if tables_read_back else run(book)
    findings = getattr(result, "findings", result)
    return list(findings)


def _all_findings(book: BudgetBook, read_findings: list[Finding],
                  tables_read_back: dict[str, Grid] | None = None) -> list[Finding]:
    engine = _engine_findings(book, tables_read_back)
    if engine is None:
        return list(read_findings)
    seen = set()
    combined = []
    for f in list(read_findings) + engine:
        key = (f.rule, f.cell, f.message)
        if key not in seen:
            seen.add(key)
            combined.append(f)
    return combined


def _problem_findings(exc: InputError) -> list[Finding]:
    """An InputError's problems that name a cell, as findings (their own rule ids), so 檢核 can mark them."""
    return [f for f in exc.findings if f.cell is not None]


def _schedule_grids(book, model) -> dict[str, Grid]:
    """The schedule sheets already in the book, read back (one read each) for the checks engine to compare."""
    from xlbudget.readers.inputs import INPUT_SHEETS

    from xlbudget.readers.inputs import SHEET_NARRATIVE

    titles = ({t.title[:31] for t in schedules.derive_all(model)} - set(INPUT_SHEETS)) | {SHEET_NARRATIVE}
    return {name: xb.sheet_grid(book.sheets[name], book.name) for name in xb.sheet_names(book) if name in titles}


@xw.script
def build_schedules(book: xw.Book = None):
    """產生報表: read the input sheets and write every schedule into this book, one sheet per table."""
    def job(book):
        from xlbudget.derive.narrative import check_narrative, standard_sentences
        from xlbudget.derive.personnel import check_people

        model, findings = _read(book)
        tables = schedules.derive_all(model)
        for table in tables:
            xb.write_table(book, table, model.agency)
        xb.write_sentences(book, standard_sentences(model))
        findings = list(findings) + check_people(model) + check_narrative(model)
        lines = [f"產生報表：已產生 {len(tables)} 張預算表（{model.agency.name} {model.agency.year}年度，"
                 f"歲出細項 {len(model.expenses)} 筆）。"]
        lines += [f"  - {t.title}" for t in tables]
        if findings:
            lines.append(f"讀取時發現 {_summary(findings)}；請按「檢核」標示這些儲存格。")
        return lines

    _run_button("產生報表", book, job)


@xw.script
def check_book(book: xw.Book = None):
    """檢核: check the book, list findings on 檢核結果 and colour each finding's cell by severity."""
    def job(book):
        cleared = xb.clear_recorded_marks(book)
        try:
            model, findings = _read(book)
            findings = _all_findings(model, findings, _schedule_grids(book, model))
            unreadable = []
        except InputError as exc:
            findings = _problem_findings(exc)
            unreadable = exc.problems
            if not findings:
                raise
        xb.write_results(book, findings)
        marks = xb.mark_findings(book, findings)
        if unreadable:
            lines = [f"檢核：輸入資料有 {len(unreadable)} 處無法讀取，已以紅色標示；修正後請再按一次「檢核」。"]
            lines += [f"  - {p}" for p in unreadable]
        elif findings:
            lines = [f"檢核：發現 {_summary(findings)}，已在 {len(marks)} 個儲存格以顏色標示"
                     f"（紅＝錯誤、黃＝警告、藍＝提示、灰＝無法驗證），明細見「{results.RESULT_SHEET}」工作表。"]
        else:
            lines = ["檢核：未發現問題。"]
        if cleared:
            lines.append(f"（已先清除上次檢核的 {cleared} 個標示）")
        return lines

    _run_button("檢核", book, job)


@xw.script
def clear_marks(book: xw.Book = None):
    """清除標示: remove the fills 檢核 made (only the cells listed on 檢核結果) and empty that sheet."""
    def job(book):
        count = xb.clear_recorded_marks(book)
        return [f"清除標示：已清除 {count} 個儲存格的檢核標示。" if count else "清除標示：沒有需要清除的檢核標示。"]

    _run_button("清除標示", book, job)


@xw.script
def add_template(book: xw.Book = None):
    """新增範本: add the input sheets (with their header rows) that this book does not have yet."""
    def job(book):
        from xlbudget.app.template import HELP_TEXT, LAYOUT
        from xlbudget.readers.inputs import AGENCY_KEYS, AGENCY_OPTIONAL_KEYS, input_sheet_names

        names = xb.sheet_names(book)
        present = set(names) | set(input_sheet_names(names))  # 「歲出明細 」 is there already: never a second one
        added, kept = [], []
        if SHEET_HELP not in present:
            sheet = xb.replace_sheet(book, SHEET_HELP)
            xb.set_values(sheet["A1"], [[text or None] for text, _ in HELP_TEXT])
            added.append(SHEET_HELP)
        for name, headers in LAYOUT.items():
            if name in present:
                kept.append(name)
                continue
            rows = [list(headers)]
            if name == SHEET_AGENCY:
                rows += [[key, None] for key in AGENCY_KEYS + AGENCY_OPTIONAL_KEYS]
            xb.write_records(book, name, rows[0], rows[1:])
            added.append(name)
        lines = [f"新增範本：已新增 {len(added)} 張輸入工作表。" if added else "新增範本：輸入工作表都已存在，未做任何變更。"]
        lines += [f"  - 新增 {n}" for n in added]
        lines += [f"  - 已存在，未更動 {n}" for n in kept]
        if added:
            lines.append(f"請從「{SHEET_AGENCY}」開始填寫，再按「產生報表」。")
        return lines

    _run_button("新增範本", book, job)


@xw.script
def export_data(book: xw.Book = None):
    """匯出: every figure of every table as tidy records on the 匯出資料 sheet."""
    def job(book):
        from xlbudget.app.export import FIELDS, export_records

        model, _ = _read(book)
        records = export_records(model)
        xb.write_records(book, xb.EXPORT_SHEET, list(FIELDS), [[r[k] for k in FIELDS] for r in records])
        return [f"匯出：已將 {len(records)} 筆數字寫入「{xb.EXPORT_SHEET}」工作表"
                f"（欄位 {'、'.join(FIELDS)}），可另存為 CSV。"]

    _run_button("匯出", book, job)


def _new_workbook(book):
    """A new, empty workbook in the same Excel (desktop only: a web add-in cannot open a second workbook)."""
    if type(book.impl).__module__.endswith("_xlremote"):
        raise XlbudgetError("新年度：Excel 網頁版／xlwings Lite 無法由增益集開新活頁簿，本活頁簿未被更動。"
                            "請在桌面版 Excel 按「新年度」，或在命令列執行 xlbudget next-year 本檔.xlsx -o 新年度.xlsx。")
    return book.app.books.add()


def write_next_year(target, plan) -> None:
    """Write next year's input sheets (nextyear.NextYear) into the workbook ``target``, one write per sheet."""
    default = xb.sheet_names(target)
    for name, rows in plan.sheets.items():
        width = max(len(r) for r in rows)
        padded = [list(r) + [None] * (width - len(r)) for r in rows]
        xb.write_records(target, name, padded[0], padded[1:])
    for name in default:  # the new book's own empty sheet (工作表1 / Sheet1)
        if name not in plan.sheets and len(xb.sheet_names(target)) > 1:
            target.sheets[name].delete()


@xw.script
def next_year_book(book: xw.Book = None):
    """新年度: next year's input book from this one, in a new workbook; this book is not changed."""
    def job(book):
        from xlbudget.app.nextyear import as_is_reminder, next_year
        from xlbudget.adapters.printing import NARRATIVE_COLUMN

        model, _ = _read(book)
        plan = next_year(model, xb.input_grids(book), generated_from=NARRATIVE_COLUMN)
        target = _new_workbook(book)
        write_next_year(target, plan)
        lines = [f"新年度：已在新活頁簿產生 {plan.year} 年度輸入資料（{len(plan.sheets)} 張工作表），本活頁簿未被更動；"
                 "請另存新檔。以前年度的上年度預算數已填入本年度預算數（千元）。"]
        if plan.empty_finals:
            lines.append(f"前年度決算數無法由本預算書帶入，請於決算公布後在新活頁簿填入以下 {len(plan.empty_finals)} 格：")
            lines += [f"  - {cell}" for cell in plan.empty_finals]
        lines.append("總說明的文字仍是本年度的內容，請改寫；標準數字句會在產生報表時重新產生。")
        if reminder := as_is_reminder(plan):
            lines.append(reminder)
        return lines

    _run_button("新年度", book, job)


def _pdf_path(book) -> Path:
    """Beside the workbook, named like it (.pdf); in the home folder for a book never saved."""
    full = Path(str(book.fullname))
    folder = full.parent if full.is_absolute() else Path.home()
    return folder / (full.stem + ".pdf")


def excel_pdf(app, xlsx, work):
    """Render the workbook file ``xlsx`` to PDF through Excel itself (xlwings Book.to_pdf, every sheet).

    Printed together, Excel numbers the pages on through the sheets, as LibreOffice does.
    """
    pdf = work / "excel" / (xlsx.stem + ".pdf")
    pdf.parent.mkdir(exist_ok=True)
    opened = app.books.open(str(xlsx), update_links=False, read_only=True)
    try:
        opened.to_pdf(str(pdf))
    finally:
        opened.close()
    return pdf


def publish_live(book, target, render_pdf):
    """The book as published (publish.publish_book) from this book's input sheets; this book is not changed."""
    from openpyxl import Workbook

    from xlbudget.adapters.printing import write_tables
    from xlbudget.app.publish import publish_book

    model, findings = _read(book)
    tables = schedules.derive_all(model)
    wb = Workbook()  # the sheets to print are written into a separate file, never into this book
    write_tables(wb, tables, model.agency)
    return publish_book(model, wb, tables, target, render_pdf, findings)


@xw.script
def export_pdf(book: xw.Book = None):
    """輸出PDF: 目次, 預算總說明 and every table as one PDF beside this book, through Excel; this book is not changed."""
    def job(book):
        if type(book.impl).__module__.endswith("_xlremote"):
            raise XlbudgetError("輸出PDF：Excel 網頁版／xlwings Lite 無法由增益集輸出 PDF，本活頁簿未被更動。"
                                "請在桌面版 Excel 按「輸出PDF」，或在命令列執行 xlbudget pdf 本檔.xlsx（需安裝 LibreOffice）。")
        target = _pdf_path(book)
        result = publish_live(book, target, functools.partial(excel_pdf, book.app))
        lines = [f"輸出PDF：已輸出 {target}（共 {result.pages} 頁），本活頁簿未被更動。目次頁次："]
        lines += [f"  {label}　第{first:02d}頁至第{last:02d}頁" for label, (first, last) in result.ranges.items()]
        return lines

    _run_button("輸出PDF", book, job)


# ---------------------------------------------------------------- cell functions

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


def _name_of(value) -> str:
    text = _code_text(value)
    m = re.match(r"^(\d{4})(?:00)?(?:\s*\S.*)?$", text)
    if not m:
        raise _BadArgument(f"用途別科目應為 4 位數代碼（如 2018），此處為「{text}」")
    entry = codes.object_codes().get(m.group(1))
    if entry is None:
        raise _BadArgument(f"用途別科目「{m.group(1)}」不在科目表中")
    return entry.name


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
    number = parse_int(value)
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
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return _roc_date(text)


def _roc_year(value) -> int:
    year = _to_date(value).year - 1911
    if year < 1:
        raise _BadArgument(f"民國元年（1912 年）以前的日期沒有民國年，此處為「{value}」")
    return year


@xw.func
@xw.arg("date", ndim=2, doc="日期（儲存格中的日期即可），或 2024-01-01、113/01/01 之文字；可選一個範圍")
@_udf
def xlb_roc_year(date):
    """日期的民國年（2024 年 → 113）。"""
    return _each(date, _roc_year)


_ROC_PARTS = re.compile(r"^(?:民國)?\s*(\d{1,3})\s*[/.\-年]\s*(\d{1,2})\s*[/.\-月]\s*(\d{1,2})\s*日?$")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９／．－", "0123456789/.-")


def _roc_date(value) -> dt.date:
    text = _code_text(value).translate(_FULLWIDTH_DIGITS).replace(" ", "")
    m = _ROC_PARTS.match(text)
    if m:
        year, month, day = (int(g) for g in m.groups())
    elif re.fullmatch(r"\d{6,7}", text):
        year, month, day = int(text[:-4]), int(text[-4:-2]), int(text[-2:])
    else:
        raise _BadArgument(f"民國日期應寫成 1130101 或 113/01/01，此處為「{text}」")
    try:
        return dt.date(year + 1911, month, day)
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


def _items_grid(items) -> Grid:
    if not isinstance(items, (list, tuple)) or not items:
        raise _BadArgument("items 應為含標題列的歲出明細範圍")
    if not isinstance(items[0], (list, tuple)):  # a single row arrives flattened
        items = [items]
    rows = [[_raw_cell(v) for v in row] for row in items]
    return Grid(RANGE_LABEL, rows)


def _expense_items(items, findings: list[Finding] | None = None):
    """An 歲出明細 range (header row first) → expense items; unreadable cells raise InputError."""
    problems: list[str] = []
    found: list[Finding] = [] if findings is None else findings
    result = read_expenses(_items_grid(items), found, problems)
    if problems:
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
@xw.arg("plan", doc="選填：工作計畫編號（11 碼）或業務計畫編號，只加總該計畫")
@_udf
def xlb_rollup(items, code, plan=None):
    """加總歲出明細中某一級或二級用途別科目（及計畫）的預算數，以元計。"""
    text = _code_text(code) if code is not None else ""
    m = re.match(r"^(\d{4})", text)
    if not m:
        raise _BadArgument(f"用途別科目應為 4 位數代碼（如 2000 或 2018），此處為「{text}」")
    wanted = m.group(1)
    entry = codes.object_codes().get(wanted)
    if entry is None:
        raise _BadArgument(f"用途別科目「{wanted}」不在科目表中")
    plan_code = _code_text(plan).replace("-", "").replace(" ", "") if plan not in (None, "") else ""
    if plan_code and not re.fullmatch(r"\d{11}", plan_code):
        raise _BadArgument(f"計畫編號應為 11 碼，此處為「{plan_code}」")
    total = 0
    for item in _expense_items(items):
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


@xw.func
@xw.arg("items", "raw", doc="歲出明細範圍（含標題列）")
@xw.arg("table_name", doc="表名，如 各項費用彙計表、歲出一級用途別科目分析表、資本支出分析表、明細表")
@xw.arg("function", doc="選填：職能別代碼（預設 01），用於歲出按職能及經濟性綜合分類表")
@_udf
def xlb_schedule(items, table_name, function="01"):
    """由歲出明細範圍產生整張預算表（標題列與各列），以動態陣列溢出。"""
    title = _table_title(table_name)
    fn = _code_text(function or "01").zfill(2)[:2]
    if fn not in codes.functions():
        raise _BadArgument(f"職能別「{fn}」不在 01～15 之中")
    model = _items_book(items, fn)
    table = schedules.DERIVATIONS[title](model)
    layout = layout_table(table, model.agency)
    return [["" if v is None else v for v in row] for row in layout.values[HEADER_TOP - 1:]]


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
        findings = _problem_findings(exc)
        model = None
    if model is not None:
        findings = _all_findings(model, findings)
    prefix = f"{RANGE_LABEL}!"
    rows = [[r[1], r[2], r[4][len(prefix):] if r[4].startswith(prefix) else r[4], r[5], r[6], r[7]]
            for r in results.finding_rows(findings)]
    if not rows:
        rows = [["", "", "", "", "", "未發現問題"]]
    return [CHECK_HEADERS] + [["" if v is None else v for v in row] for row in rows]


__all__ = ["build_schedules", "check_book", "clear_marks", "add_template", "export_data",
           "xlb_name", "xlb_thousands", "xlb_chinese", "xlb_parse_chinese", "xlb_roc_year", "xlb_roc_date",
           "xlb_rollup", "xlb_schedule", "xlb_check"]
