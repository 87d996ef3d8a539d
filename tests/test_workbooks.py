"""The bundled workbooks are what the package data generates (no hand-edited binaries)."""

import openpyxl

from xlbudget.app.example import EXAMPLE_NAME, TEMPLATE_NAME, example_workbook
from xlbudget.app.template import new_template

from conftest import ROOT


def _values(wb):
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_committed_template_matches_generator():
    committed = openpyxl.load_workbook(ROOT / "workbooks" / TEMPLATE_NAME)
    assert _values(committed) == _values(new_template())


def test_committed_example_matches_package_data():
    committed = openpyxl.load_workbook(ROOT / "workbooks" / EXAMPLE_NAME)
    assert _values(committed) == _values(example_workbook())


def test_template_sheets_headers_and_dropdowns(tmp_path):
    wb = new_template()
    assert wb.sheetnames[:11] == ["說明", "基本資料", "歲出明細", "歲入明細", "以前年度", "說明提要", "人事費", "約聘僱",
                                  "出國計畫", "員額", "總說明"]
    assert [c.value for c in wb["歲出明細"][1]] == [
        "工作計畫編號", "工作計畫名稱", "分支計畫", "用途別科目", "單位", "數量", "單價", "預算數", "收支併列數",
        "經資門", "經濟性分類", "說明", "標記", "計畫項目", "計畫項目說明"]
    path = tmp_path / "t.xlsx"
    wb.save(path)
    again = openpyxl.load_workbook(path)
    lists = {str(dv.sqref)[0]: dv.formula1 for dv in again["歲出明細"].data_validations.dataValidation}
    assert set(lists) == {"D", "J", "K"}  # 用途別科目, 經資門, 經濟性分類
    codes_ws = again["代碼表"]
    assert codes_ws.sheet_state == "hidden"
    assert "2018 資訊服務費" in [c.value for c in codes_ws["A"]]


def test_input_sheets_print_landscape_fitted_to_width_with_their_header_repeated(tmp_path):
    path = tmp_path / "t.xlsx"
    new_template().save(path)
    wb = openpyxl.load_workbook(path)
    for name in ("基本資料", "歲出明細", "歲入明細", "以前年度", "說明提要", "人事費", "約聘僱", "出國計畫", "員額", "總說明"):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape", name
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, name
        assert ws.page_setup.fitToHeight == 0, name
        assert ws.print_title_rows == "$1:$1", name


def test_help_sheet_says_a_price_may_have_jiao_and_how_the_amount_is_rounded():
    """說明 says 單價 may have 角 and 預算數 is 數量×單價 rounded to the 元 (RULES.md, Rounding); its example,
    3 × 0.35 = 1.05 → 1 元, is what reading a line with an empty 預算數 gives."""
    from decimal import Decimal

    from xlbudget.readers.grid import Grid
    from xlbudget.readers.items import read_expenses

    lines = [str(c.value) for c in new_template()["說明"]["A"] if c.value]
    said = [line for line in lines if line.startswith("單價可有角")]
    assert len(said) == 1 and "3×0.35＝1.05，預算數 1 元" in said[0]
    header = ["工作計畫編號", "工作計畫名稱", "分支計畫", "用途別科目", "單位", "數量", "單價", "預算數"]
    grid = Grid("歲出明細", [header, ["32020180101", "一般行政-行政管理", "", "2018", "張", 3, Decimal("0.35"), None]])
    problems = []
    items = read_expenses(grid, [], problems)
    assert problems == [] and [i.amount for i in items] == [1]
