"""The template prevents what it can: the 用途別科目 drop-down refuses codes not in the table, and the
類別 columns of 人事費, 人事費分析 and 員額 (and 出國計畫) offer their classes. Read back from the saved xlsx."""

import openpyxl
import pytest
from openpyxl.utils.cell import range_boundaries

from xlbudget.app.example import example_rows
from xlbudget.app.template import new_template


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("t") / "範本.xlsx"
    new_template().save(path)
    return openpyxl.load_workbook(path)


def validation(wb, sheet, header):
    """The data validation on column ``header`` of ``sheet`` and the values of its list (as Excel reads them)."""
    ws = wb[sheet]
    col = [c.value for c in ws[1]].index(header) + 1
    letter = openpyxl.utils.get_column_letter(col)
    (dv,) = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(f"{letter}2:")]
    assert dv.type == "list" and str(dv.sqref) == f"{letter}2:{letter}2000"
    target, ref = dv.formula1.lstrip("=").split("!")
    c1, r1, c2, r2 = range_boundaries(ref.replace("$", ""))
    values = [wb[target].cell(r, c1).value for r in range(r1, r2 + 1)]
    return dv, values


def excel_accepts(dv, values, typed) -> bool:
    """What Excel does with a typed value in a list-validated cell: in the list, or refused only by a 'stop' alert."""
    return typed in values or not (dv.showErrorMessage and dv.errorStyle in (None, "stop"))


def test_object_code_drop_down_refuses_codes_not_in_the_table(template):
    dv, values = validation(template, "歲出明細", "用途別科目")
    assert dv.showErrorMessage and dv.errorStyle in (None, "stop") and dv.error
    for typed in ("2018 資訊服務費", 2018, "1015 法定編制人員待遇", 1015, 3030):  # chosen, or the code typed (a number)
        assert excel_accepts(dv, values, typed), typed
    for typed in (9999, "9999 不存在", 2000, 1000, "2018資訊費"):  # unknown, a 一級 code, a wrong name
        assert not excel_accepts(dv, values, typed), typed


@pytest.mark.parametrize("sheet,present,absent", [
    ("人事費", ("職員", "約聘僱人員", "技工", "駕駛", "工友", "其他人事費"), ()),
    ("人事費分析", ("職員", "約聘僱人員", "工友"), ()),
    ("員額", ("民意代表", "政務人員", "職員", "警員", "消防人員", "技工", "駕駛", "工友"), ("其他人事費",)),
    ("出國計畫", ("考察", "訪問", "開會", "進修", "研究", "實習"), ()),
])
def test_class_columns_offer_their_classes(template, sheet, present, absent):
    dv, values = validation(template, sheet, "類別")
    assert set(present) <= set(values) and not set(absent) & set(values)
    assert dv.showErrorMessage and dv.errorStyle == "warning"  # another class is asked about, not refused


@pytest.mark.parametrize("sheet", ["人事費", "員額", "出國計畫"])
def test_the_seed_classes_are_all_offered(template, sheet):
    _, values = validation(template, sheet, "類別")
    assert {r["類別"] for r in example_rows(sheet)} <= set(values)


def test_the_seed_object_codes_are_all_accepted(template):
    dv, values = validation(template, "歲出明細", "用途別科目")
    for r in example_rows("歲出明細"):
        assert excel_accepts(dv, values, int(r["用途別科目"])), r["用途別科目"]


def _lists_of(ws) -> dict[str, str]:
    """基本資料's drop-down lists: cell → its list (a literal list's items, or the 代碼表 range)."""
    return {str(dv.sqref): dv.formula1.lstrip("=") for dv in ws.data_validations.dataValidation}


def test_the_agency_lists_go_on_the_rows_of_their_entries_or_nowhere(tmp_path):
    # session 29's note: convert's fresh books put 基本資料's lists on the template's cells (B6 職能別, B15 預算類別,
    # B16 預算階段) whatever the officer's 基本資料 holds there. His here: 預算階段 on row 6, 職能別 on row 7, no
    # 預算類別, and 主辦會計人員 on row 16 — the lists go to B7 (職能別, 代碼表's 職能別 column) and B6 (預算階段),
    # none for 預算類別, and none on B15/B16. Red before: B6 offered 職能別 to 預算階段, B16 預算階段 to a name
    from xlbudget.adapters.xlsxfile import input_grids, save_atomic
    from xlbudget.app.convert import convert_one
    from xlbudget.app.example import example_workbook
    from xlbudget.app.template import fill_template

    wb = example_workbook()
    ws = wb["基本資料"]
    typed = {row[0].value: row[1].value for row in ws.iter_rows(min_row=2) if row[0].value}
    ws.delete_rows(2, ws.max_row)
    rows = [("機關名稱", typed["機關名稱"]), ("機關編號", typed["機關編號"]), ("年度", typed["年度"]),
            ("主管機關", typed["主管機關"]), ("預算階段", "預算案"), ("職能別", typed["職能別"])]
    rows += [(f"備註{n}", "") for n in range(8)] + [("主辦會計人員", "王小明")]
    for r, (key, value) in enumerate(rows, start=2):
        ws.cell(r, 1, key)
        ws.cell(r, 2, value)
    assert ws["A16"].value == "主辦會計人員" and ws["A7"].value == "職能別"
    book = save_atomic(wb, tmp_path / "甲.xlsx")
    out = tmp_path / "甲-轉換.xlsx"
    assert convert_one(str(book), str(out)).status != "無法讀取"
    converted = _lists_of(openpyxl.load_workbook(out)["基本資料"])
    assert set(converted) == {"B6", "B7"}, converted
    assert converted["B6"] == '"預算案,法定預算"' and converted["B7"].startswith("代碼表!$D$2")
    # the openpyxl writer of a filled template (build of an .ods, convert --mark, next-year) alike
    filled = fill_template(input_grids(openpyxl.load_workbook(book)))
    assert _lists_of(filled["基本資料"]) == converted
