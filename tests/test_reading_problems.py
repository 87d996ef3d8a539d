"""Every problem of reading the input sheets is a finding: a rule id of the catalogue and the cell (issue 12).

Each case breaks one cell of the seed's example book and asserts the rule id and cell, never the wording.
"""

import pytest

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.example import example_workbook
from xlbudget.core.errors import InputError
from xlbudget.core.findings import RULES
from xlbudget.readers.inputs import read_book


def _problems(edit):
    wb = example_workbook()
    edit(wb)
    with pytest.raises(InputError) as err:
        read_book(input_grids(wb))
    return [(f.rule, str(f.cell) if f.cell else None) for f in err.value.findings]


def _agency_cell(wb, key):
    row = next(r for r in range(1, wb["基本資料"].max_row + 1) if wb["基本資料"].cell(r, 1).value == key)
    return f"B{row}"


def test_year_not_a_minguo_year():
    def edit(wb):
        wb["基本資料"][_agency_cell(wb, "年度")] = "2024年"  # 2024 is a western year: 民國 113

    assert _problems(edit) == [("bad-year", f"基本資料!{_agency_cell(example_workbook(), '年度')}")]


def test_unknown_function():
    def edit(wb):
        wb["基本資料"][_agency_cell(wb, "職能別")] = "99"

    assert _problems(edit) == [("unknown-function", f"基本資料!{_agency_cell(example_workbook(), '職能別')}")]


def test_contract_kind_not_a_choice():
    assert _problems(lambda wb: wb["約聘僱"].cell(2, 2, "臨時")) == [("not-a-choice", "約聘僱!B2")]


def test_basis_not_a_choice():
    assert _problems(lambda wb: wb["歲出明細"].cell(2, 10, "經費")) == [("not-a-choice", "歲出明細!J2")]


def test_trip_of_no_plan():
    def edit(wb):
        wb["出國計畫"].cell(2, 12, "不存在的計畫")  # 歸屬預算科目
        wb["出國計畫"].cell(2, 13).value = None  # 工作計畫編號

    assert _problems(edit) == [("trip-plan-unknown", "出國計畫!L2")]


def test_two_sheets_that_are_one_input_sheet():
    wb = example_workbook()
    grids = input_grids(wb)
    grids["歲出明細 "] = grids["歲出明細"]  # 「歲出明細 」 differs only by a space
    with pytest.raises(InputError) as err:
        read_book(grids)
    assert [(f.rule, f.cell) for f in err.value.findings] == [("duplicate-input-sheet", None)]


def test_every_rule_a_reader_raises_is_in_the_catalogue():
    """The reading rule ids of issue 12 exist, each with a template (a typo in an id would raise KeyError at read)."""
    for rule in ("not-a-choice", "not-a-decimal", "unknown-plan", "trip-plan-unknown", "analysis-code-conflict",
                 "bad-year", "unknown-function", "duplicate-input-sheet"):
        assert RULES[rule].template
