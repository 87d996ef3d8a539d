"""Field report #10: a 人事費 or 員額 類別 that is not one of the printed forms' classes (「約聘人員」 for 約聘僱人員)
is named at its cell, with the known classes and the nearest one; never a silent stop of the 約聘僱 and 員額 ties.

The example book's 人事費 A3 is 約聘僱人員 and 員額 A3 is 職員 (hand-checked in the workbook).
"""

from xlwings_json import book_json, run_script, sheet_order, sheet_values  # noqa: I001  (sets XLWINGS_ON_SERVER first)

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.example import example_workbook
from xlbudget.core.findings import RULES, Severity
from xlbudget.readers.inputs import read_book


def _typed(sheet, cell, value):
    wb = example_workbook()
    wb[sheet][cell] = value
    return wb


def _unknown(wb):
    return [(f.rule, str(f.cell), f.actual, f.expected) for f in read_book(input_grids(wb))[1]
            if f.rule == "unknown-staff-class"]


def test_a_class_not_on_the_form_is_named_with_the_nearest_class():
    assert example_workbook()["人事費"]["A3"].value == "約聘僱人員"
    assert _unknown(_typed("人事費", "A3", "約聘人員")) == [("unknown-staff-class", "人事費!A3", "約聘人員", "約聘僱人員")]
    assert RULES["unknown-staff-class"].severity == Severity.ERROR


def test_a_staffing_class_not_on_the_form_is_named_too():
    assert example_workbook()["員額"]["A3"].value == "職員"
    assert _unknown(_typed("員額", "A3", "職員們")) == [("unknown-staff-class", "員額!A3", "職員們", "職員")]


def test_the_forms_classes_say_nothing():
    assert _unknown(example_workbook()) == []
    assert _unknown(_typed("人事費", "A3", " 約聘僱人員 ")) == []


def test_the_addin_names_it():
    import xlbudget.addin as addin

    payload = book_json(_typed("人事費", "A3", "約聘人員"))
    actions = run_script(addin, "check_book", payload)
    rows = sheet_values(actions, sheet_order(payload, actions).index("檢核結果"))
    assert ("unknown-staff-class", "人事費!A3") in {(r[2], r[4]) for r in rows}
