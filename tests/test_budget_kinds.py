"""預算類別 (FIELD-REPORT-9 §1.1): a 特別預算 or 追加減預算 typed into the template is not an agency's 單位預算.

基本資料 has a 預算類別 (blank: 單位預算, so every existing book reads as before). A book whose 預算類別 is blank but
whose 總說明 title or file name names another kind is taken for that kind, with a warning saying which. convert's
彙總 (the 總預算's) counts 單位預算 only: each other kind is named on its row, and a 單位預算 is never left out as the
«duplicate» of its agency's 特別預算.
"""

import json
import os
import shutil

import openpyxl
import pytest

from xlbudget.app.convert import convert_paths
from xlbudget.app.template import new_template
from xlbudget.core.errors import InputError
from xlbudget.forms.inputs import BUDGET_KINDS
from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.readers.inputs import read_book

from test_convert import small_book

# 工務局's 單位預算: 2018 1,500 元 + 2054 10,000,000 元 → 10,001,500 元 → 10,002 千元
UNIT = [("32020010101", "一般行政-行政管理", "2018", 1_500), ("32020010101", "一般行政-行政管理", "2054", 10_000_000)]
# its 特別預算 (another figure: were it the «same agency's other book», both would be left out as differing)
SPECIAL = [("32020010101", "一般行政-行政管理", "2054", 5_000_000)]
# 社會局's 追加減預算 and 捷運局's 特別預算: 300,000 元 and 9,000,000 元, in no 彙總 of 單位預算
EXTRA = [("32020030101", "一般行政-行政管理", "2054", 300_000)]
METRO = [("32020040101", "一般行政-行政管理", "2054", 9_000_000)]


def _kind(path, kind):
    wb = openpyxl.load_workbook(path)
    for row in wb["基本資料"].iter_rows(min_row=2):
        if row[0].value == "預算類別":
            row[1].value = kind
    wb.save(path)
    return path


def _read(path):
    return read_book(input_grids(openpyxl.load_workbook(path)), path.name)


def test_the_citywide_total_counts_unit_budgets_only(tmp_path):
    """f07: 工務局's 單位預算 and 特別預算 were both left out as «同一機關…數字不同», and 捷運局's 特別預算 and
    社會局's 追加減預算 made the 彙總 (560,890 千元 there). Red on main: 合計 = 捷運局 9,000 + 社會局 300 = 9,300."""
    folder = tmp_path / "in"
    folder.mkdir()
    small_book(folder / "工務局114年度單位預算.xlsx", "高雄市政府工務局", "02-300", UNIT)
    _kind(small_book(folder / "工務局前瞻.xlsx", "高雄市政府工務局", "02-300", SPECIAL), "特別預算")  # typed
    _kind(small_book(folder / "社會局.xlsx", "高雄市政府社會局", "02-302", EXTRA), "第1次追加減預算")  # typed freely
    small_book(folder / "捷運工程局114年度前瞻基礎建設計畫特別預算.xlsx", "高雄市政府捷運工程局", "02-301", METRO)  # name
    code, results = convert_paths([str(folder)], str(tmp_path / "out"), jobs=1)
    data = json.loads((tmp_path / "out" / "轉換摘要.json").read_text(encoding="utf-8"))
    rows = [(r["機關"], r["本年度預算數"]) for r in data["彙總"]["歲出機關別預算表"]]
    assert rows == [("合計", 10_002), ("高雄市政府工務局", 10_002)]  # 10,001,500 元, by hand; no «未含待確認»
    left = {os.path.basename(r.source): (r.left_out, r.left_out_note) for r in results}
    assert left["工務局114年度單位預算.xlsx"] == ("", "")
    # the kind told by the file name alone is said to be a guess (its cell's warning is in the book's findings)
    guess = "；基本資料未填預算類別，依檔名「捷運工程局114年度前瞻基礎建設計畫特別預算.xlsx」判斷"
    for name, kind, told in (("工務局前瞻.xlsx", "特別預算", ""), ("社會局.xlsx", "追加減預算", ""),
                             ("捷運工程局114年度前瞻基礎建設計畫特別預算.xlsx", "特別預算", guess)):
        assert left[name] == ("citywide-not-unit-budget", f"{name} 不是單位預算（{kind}{told}），未列入彙總：總預算的彙總"
                                                          f"只列入各機關的單位預算，{kind}請另行彙總")
    assert code == 0  # the books are clean; the guessed kind is a warning


def test_a_kind_told_by_the_file_name_is_said_at_the_kind_cell(tmp_path):
    path = small_book(tmp_path / "捷運工程局114年度前瞻基礎建設計畫特別預算.xlsx", "捷運局", "02-301", METRO)
    book, findings = _read(path)
    assert book.agency.kind == "特別預算"
    guessed = [f for f in findings if f.rule == "budget-kind-guessed"]
    assert [(f.cell.sheet, f.cell.cell) for f in guessed] == [("基本資料", "B15")]  # 預算類別's 內容, row 15
    assert "檔名「捷運工程局114年度前瞻基礎建設計畫特別預算.xlsx」視為特別預算" in guessed[0].message


def test_a_kind_told_by_the_narrative_title_before_the_file_name(tmp_path):
    path = small_book(tmp_path / "第1次追加減預算.xlsx", "社會局", "02-302", EXTRA)
    wb = openpyxl.load_workbook(path)
    wb["總說明"].insert_rows(2)
    wb["總說明"]["A2"] = "高雄市政府社會局114年度前瞻基礎建設計畫特別預算總說明"
    wb.save(path)
    book, findings = _read(path)
    assert book.agency.kind == "特別預算"
    guessed = [f for f in findings if f.rule.startswith("budget-kind")]
    assert [(f.rule, f.cell.sheet) for f in guessed] == [("budget-kind-guessed", "基本資料")]
    assert "依總說明 A2「高雄市政府社會局114年度前瞻基礎建設計畫特別預算總說明」視為特別預算" in guessed[0].message


def test_a_typed_kind_stands_and_a_contradicting_name_is_said(tmp_path):
    path = _kind(small_book(tmp_path / "工務局特別預算.xlsx", "工務局", "02-300", UNIT), "單位預算")
    book, findings = _read(path)
    assert book.agency.kind == "單位預算"
    assert [f.rule for f in findings if f.rule.startswith("budget-kind")] == ["budget-kind-differs"]


def test_a_book_telling_nothing_is_a_unit_budget_without_a_word(tmp_path):
    book, findings = _read(small_book(tmp_path / "工務局.xlsx", "工務局", "02-300", UNIT))
    assert book.agency.kind == "單位預算"
    assert not [f for f in findings if f.rule.startswith("budget-kind")]


def test_a_unit_budget_at_its_stage_is_a_unit_budget(tmp_path):
    """「單位法定預算」: 法定預算 is the stage (after the council), 單位預算 the kind. Red on main: unknown-budget-kind
    stopped the book at B15."""
    for typed in ("單位法定預算", "單位預算案"):
        book, findings = _read(_kind(small_book(tmp_path / "工務局.xlsx", "工務局", "02-300", UNIT), typed))
        assert book.agency.kind == "單位預算" and book.agency.kind_told == ""
        assert not [f for f in findings if f.rule.startswith("budget-kind")]


@pytest.mark.parametrize("name, kind", [
    # 主計處's words for an agency's part of the 追加減預算 (臺中 115: 「單位預算與追加減單位預算之審核」): red on main,
    # 追加減單位預算 read as 單位預算 (it holds 單位預算, not 追加減預算)
    ("工務局114年度追加減單位預算.xlsx", "追加減預算"), ("工務局114年度單位預算第1次追加預算.xlsx", "追加減預算"),
    ("工務局114年度單位法定預算.xlsx", "單位預算"),
])
def test_a_kind_told_by_real_file_names(tmp_path, name, kind):
    book, findings = _read(small_book(tmp_path / name, "工務局", "02-300", UNIT))
    assert book.agency.kind == kind
    guessed = [f for f in findings if f.rule == "budget-kind-guessed"]
    assert (book.agency.kind_told, len(guessed)) == ((f"檔名「{name}」", 1) if kind != "單位預算" else ("", 0))


def test_a_kind_not_known_stops_the_book_at_its_cell(tmp_path):
    path = _kind(small_book(tmp_path / "基金.xlsx", "工務局", "02-300", UNIT), "基金")
    with pytest.raises(InputError) as raised:
        _read(path)
    assert [(p.rule, p.cell.cell) for p in raised.value.findings] == [("unknown-budget-kind", "B15")]


def test_the_template_asks_for_the_kind_with_a_list():
    ws = new_template()["基本資料"]
    rows = {row[0].value: row[0].row for row in ws.iter_rows(min_row=2)}
    assert rows["預算類別"] == 15
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["B15"] == '"單位預算,特別預算,追加減預算"' and BUDGET_KINDS[0] == "單位預算"


def _fund_book(path):
    """f06: a 非營業特種基金's 附屬單位預算, two of its tables as the fund prints them (千元)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "基金來源用途及餘絀預計表"
    for row in (["高雄市實施平均地權基金"], ["基金來源、用途及餘絀預計表"], ["中華民國113年度"],
                [None, None, None, None, "單位：新臺幣千元"], ["科目", "本年度預算數", "上年度預算數", "前年度決算數"],
                ["基金來源", 812345, 790000, 801234], ["基金用途", 650000, 640000, 612000]):
        ws.append(row)
    ws = wb.create_sheet("用途明細")  # named otherwise: found by its title
    for row in (["高雄市實施平均地權基金"], ["基金用途明細表"], ["中華民國113年度"], ["科目", "地政業務計畫", "合計"],
                ["用人費用", 120000, 120000]):
        ws.append(row)
    wb.save(path)
    return path


def test_a_fund_book_is_said_to_be_out_of_scope(tmp_path):
    """f06: «找不到輸入工作表…也找不到可辨識的預算表». Red on main: no-tables, no cell."""
    from xlbudget.app.check import check_file

    with pytest.raises(InputError) as raised:
        check_file(_fund_book(tmp_path / "基金.xlsx"), workbook=False)
    [finding] = raised.value.findings
    assert (finding.rule, str(finding.cell), [str(c) for c in finding.related]) == (
        "fund-book", "基金.xlsx:基金來源用途及餘絀預計表!A2", ["基金.xlsx:用途明細!A2"])
    assert finding.message.startswith("附屬單位預算（基金）不在 xlbudget 支援範圍，只處理單位預算（本書印有基金的表：")


def test_a_fund_book_in_a_folder_is_named_and_the_total_has_no_caveat(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    small_book(folder / "工務局.xlsx", "高雄市政府工務局", "02-300", UNIT)
    _fund_book(folder / "平均地權基金.xlsx")
    code, results = convert_paths([str(folder)], str(tmp_path / "out"), jobs=1)
    data = json.loads((tmp_path / "out" / "轉換摘要.json").read_text(encoding="utf-8"))
    assert [(r["機關"], r["本年度預算數"]) for r in data["彙總"]["歲出機關別預算表"]] == [
        ("合計", 10_002), ("高雄市政府工務局", 10_002)]  # not «合計（未含待確認 1 本）»
    fund = next(r for r in results if r.source.endswith("平均地權基金.xlsx"))
    assert (fund.reason, fund.left_out) == ("fund-book", "citywide-not-unit-budget")


def test_a_fund_typed_as_the_kind_stops_the_template_book(tmp_path):
    path = _kind(small_book(tmp_path / "基金.xlsx", "工務局", "02-300", UNIT), "附屬單位預算")
    with pytest.raises(InputError) as raised:
        _read(path)
    assert [(p.rule, p.cell.cell) for p in raised.value.findings] == [("fund-book", "B15")]


# -- two agencies' printed books in one workbook (FIELD-REPORT-9 §2.1)

def _printed(tmp_path, name, agency, code, items):
    """The tables build prints for a small book, its input sheets removed: a hand-made book as a PDF gives it."""
    from xlbudget.app.pipeline import build_file

    source = small_book(tmp_path / f"{name}.xlsx", agency, code, items)
    build_file(source, tmp_path / f"{name}-印.xlsx")
    wb = openpyxl.load_workbook(tmp_path / f"{name}-印.xlsx")
    for ws in list(wb.worksheets):
        if ws.title in INPUTS or ws.title == "目次":
            wb.remove(ws)
    return wb


INPUTS = set(new_template().sheetnames)


def _two_in_one(tmp_path, second_agency, first_agency="高雄市政府甲局"):
    """甲局's tables, then 乙局's as 「… (2)」 (what a PDF of a 主管機關's books becomes), each headed by its name."""
    first = _printed(tmp_path, "甲", first_agency, "02-501", UNIT)
    second = _printed(tmp_path, "乙", second_agency, "02-502", EXTRA)
    for ws in second.worksheets:
        new = first.create_sheet(ws.title[:27] + " (2)")
        for row in ws.iter_rows():
            for cell in row:
                new.cell(cell.row, cell.column, cell.value)
        for merged in ws.merged_cells.ranges:
            new.merge_cells(str(merged))
    path = tmp_path / "主管機關及所屬.xlsx"
    first.save(path)
    return path, second.sheetnames


def test_two_agencies_in_one_workbook_are_named_not_summed(tmp_path):
    """f18: 38 errors on right cells («員額編制表!B6 …應為所屬各項合計 84，此處為 42»), 乙局 never named. Red on main:
    the check read both as pages of one book (subtotal-mismatch at 各項費用彙計表, cross-table-mismatch…)."""
    from xlbudget.app.check import check_file

    path, second = _two_in_one(tmp_path, "高雄市政府乙局")
    with pytest.raises(InputError) as raised:
        check_file(path, workbook=False)
    [finding] = raised.value.findings
    assert finding.rule == "two-agencies"
    assert finding.cell.sheet.endswith(" (2)")  # 乙局's first table
    assert finding.message.startswith("本活頁簿有兩個機關的預算表（高雄市政府甲局：")
    assert "；高雄市政府乙局：" + "、".join(n[:27] + " (2)" for n in second[:6]) in finding.message
    assert finding.message.endswith("請分開為兩個檔案；同名的表會被當成同一表的續頁，未檢核")


def test_one_agency_printed_twice_in_one_workbook_is_read_as_before(tmp_path):
    """One agency's name over every table, 「(2)」 pages and all: read as one book, as before (no two-agencies)."""
    from xlbudget.app.check import check_file

    path, _ = _two_in_one(tmp_path, "高雄市政府甲局")
    report = check_file(path, workbook=False)[0]
    assert "two-agencies" not in {f.rule for f in report.findings}


# -- a book of 歲入 only (FIELD-REPORT-9 §5.3)

REVENUE = ["09020180102", "上級政府補助收入-計畫型補助收入", "06補助及協助收入", "005測試局", "01上級政府補助收入",
           "01計畫型補助收入", "年", 1, 57_019_000, 57_019_000, None, "測試"]


def _revenue_only(path):
    small_book(path, "高雄市政府測試46局", "02-146", [])
    wb = openpyxl.load_workbook(path)
    wb["歲入明細"].append(REVENUE)
    wb.save(path)
    return path


def test_a_book_of_revenue_only_is_said_so_and_converted(tmp_path):
    """f01's 測試46局僅歲入: «尚未填寫…必填欄位空白 1 格（歲出明細 1 格）», sent to fill in 歲出 lines. Red on main:
    read_book raised required-missing at 歲出明細!A2."""
    book, findings = _read(_revenue_only(tmp_path / "僅歲入.xlsx"))
    assert book.expenses == () and len(book.revenues) == 1
    said = [f for f in findings if f.rule == "revenue-only"]
    assert [(f.cell.sheet, f.cell.cell) for f in said] == [("歲出明細", "A2")]
    assert said[0].message.startswith("本書只有歲入（歲入明細 1 列），歲出明細沒有任何明細資料")
    code, results = convert_paths([str(tmp_path / "僅歲入.xlsx")], str(tmp_path / "out"), jobs=1)
    [result] = results
    assert result.status != "尚未填寫" and result.expenditure == 0  # 歲出 0 千元, as the book has none
    data = json.loads((tmp_path / "out" / "轉換摘要.json").read_text(encoding="utf-8"))
    assert [(r["機關"], r["本年度預算數"]) for r in data["彙總"]["歲出機關別預算表"]] == [
        ("合計", 0), ("高雄市政府測試46局", 0)]


def test_a_book_with_neither_is_still_not_filled_in(tmp_path):
    path = small_book(tmp_path / "空.xlsx", "高雄市政府測試47局", "02-147", [])
    with pytest.raises(InputError) as raised:
        _read(path)
    assert [(f.rule, str(f.cell)) for f in raised.value.findings] == [("required-missing", "歲出明細!A2")]


def test_pages_headed_by_a_running_header_are_one_book(tmp_path):
    """A page headed «（續）» instead of the agency (a PDF's second page of a table) is no second agency."""
    from xlbudget.app.check import check_file

    path, _ = _two_in_one(tmp_path, "（續）")
    report = check_file(path, workbook=False)[0]
    assert "two-agencies" not in {f.rule for f in report.findings}


def test_a_book_of_revenue_only_prints_its_detail_table_with_a_line_saying_so(tmp_path):
    """Its 歲出計畫說明提要與各項費用明細表 was a table of headers alone: build wrote it so, and pdf printed no page of
    it under a 目次 line without pages («2. 歲出計畫說明提要與各項費用明細表» and nothing after it). Now it prints its 合計,
    0 元, and 「本年度無歲出預算」, as the other 歲出 tables print their 合計 0. Red on main: the table had no row."""
    from xlbudget.app.pipeline import build_file
    from xlbudget.derive.book import derive_all
    from xlbudget.core.titles import DETAIL

    book, _ = _read(_revenue_only(tmp_path / "僅歲入.xlsx"))
    detail = next(t for t in derive_all(book) if t.title == DETAIL)
    assert [(r.name, r.cells["預算數"], r.cells["說明"]) for r in detail.rows] == [("合計", 0, "本年度無歲出預算")]
    built = build_file(tmp_path / "僅歲入.xlsx", tmp_path / "built.xlsx")
    said = [f.message for f in built.findings if f.rule == "revenue-only"]
    assert len(said) == 1 and "本年度無歲出預算" in said[0], said
    ws = openpyxl.load_workbook(built.output)[DETAIL]
    printed = [[c for c in row if c not in (None, "")] for row in ws.iter_rows(values_only=True)]
    assert ["合計", 0, "本年度無歲出預算"] in printed, printed


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="需安裝 LibreOffice 及 pdftotext")
def test_a_book_of_revenue_only_has_a_page_for_each_table_of_its_contents(tmp_path):
    """pdf: every 目次 line has its pages (red on main: the 明細表's line had none, and no page of it was printed)."""
    import re
    import subprocess

    from xlbudget.cli import main

    source = _revenue_only(tmp_path / "僅歲入.xlsx")
    assert main(["pdf", str(source), "-o", str(tmp_path / "僅歲入.pdf")]) == 0
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "僅歲入.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    contents = text.split("\f")[1]  # after the 封面
    lines = [line.strip() for line in contents.splitlines() if re.match(r"\s*\d+\.\s", line)]
    assert any("歲出計畫說明提要與各項費用明細表" in line for line in lines), contents
    assert all(re.search(r"第\s*\d+\s*頁至第\s*\d+\s*頁", line) for line in lines), lines
    assert any("本年度無歲出預算" in page for page in text.split("\f")[2:])


@pytest.mark.parametrize("first, second", [("高雄市政府甲局113年度", "高雄市政府甲局114年度"),
                                           ("高雄市政府甲局", "高雄市政府甲局 113年度")])
def test_one_agency_headed_with_a_year_beside_its_name_is_one_agency(tmp_path, first, second):
    """A hand-made heading with the 年度 beside the name (a page copied from last year's book says 114年度 where the
    others say 113年度, or one page has it and the others not) is one agency's, not two-agencies. Red on main: the
    book refused «本活頁簿有兩個機關的預算表（高雄市政府甲局113年度：…；高雄市政府甲局114年度：…）»."""
    from xlbudget.app.check import check_file
    from xlbudget.core.keys import agency_key

    path, _ = _two_in_one(tmp_path, second, first)
    report = check_file(path, workbook=False)[0]
    assert "two-agencies" not in {f.rule for f in report.findings}
    assert agency_key(first) == agency_key(second) == agency_key("高雄市政府甲局")
    assert agency_key("高雄市政府乙局113年度") != agency_key(first)  # another agency still another
