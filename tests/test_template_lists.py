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
