"""What is kept per process for convert's books is keyed by all it depends on (issue 13): a table's header part by
every field of its columns, a book's input sheets by its tab names as typed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from xlbudget.core.errors import InputError
from xlbudget.core.model import Agency
from xlbudget.core.tables import AMOUNT, LABEL, TEXT, Column, Row, Table
from xlbudget.forms import layout
from xlbudget.readers.grid import input_sheet_names

AGENCY = Agency("測試機關", "02-001", 114, "測試市政府主管", "01")


def _table(width: float = 13, kind: str = AMOUNT, unit: str | None = None, header=("預算數",)) -> Table:
    columns = (Column("科目", ("科目名稱及編號",), LABEL, 28), Column("說明", ("說明及計算方式",), TEXT, 30),
               Column("預算數", header, kind, width, unit))
    return Table("歲出機關別預算表", "千元", columns, (Row("1", "一般行政", {"科目": "一般行政", "預算數": 1}),))


def _fresh(table: Table):
    """The layout as made with nothing kept."""
    kept = dict(layout._HEADER_PARTS)
    layout._HEADER_PARTS.clear()
    try:
        return layout.layout_table(table, AGENCY)
    finally:
        layout._HEADER_PARTS.clear()
        layout._HEADER_PARTS.update(kept)


@pytest.mark.parametrize("other", [dict(width=4), dict(kind=TEXT), dict(unit="人"), dict(header=("本年度", "預算數"))])
def test_a_table_whose_columns_differ_in_one_field_is_laid_out_for_its_own(other):
    """A 4-wide 預算數 breaks its header 「本年度預算數」 into more lines than a 13-wide one; each field of a column
    changes what its header part may be, so each is in the key."""
    layout.layout_table(_table(header=("本年度預算數",)), AGENCY)  # kept first
    changed = _table(**{"header": ("本年度預算數",), **other})
    assert layout.layout_table(changed, AGENCY) == _fresh(changed)


def test_a_narrow_column_gets_a_taller_header_than_the_kept_wide_one():
    wide, narrow = _table(header=("本年度預算數",)), _table(width=4, header=("本年度預算數",))
    layout.layout_table(wide, AGENCY)
    assert layout.layout_table(narrow, AGENCY).heights[5] > layout.layout_table(wide, AGENCY).heights[5]


def test_input_sheet_names_are_the_book_s_own_tabs_as_typed():
    assert input_sheet_names(["基本資料", "歲出明細 "]) == {"基本資料": "基本資料", "歲出明細": "歲出明細 "}
    assert input_sheet_names(["基本資料", "歲出明細"]) == {"基本資料": "基本資料", "歲出明細": "歲出明細"}
    found = input_sheet_names(["基本資料", "歲出明細"])
    found["歲出明細"] = "changed by a caller"
    assert input_sheet_names(["基本資料", "歲出明細"])["歲出明細"] == "歲出明細"  # a copy is given each time
    with pytest.raises(InputError):
        input_sheet_names(["歲出明細", "歲出明細 "])
    with pytest.raises(InputError):  # refused every time, never kept
        input_sheet_names(["歲出明細", "歲出明細 "])


def test_a_replaced_column_record_is_a_column_of_its_fields():
    """The key takes the fields a Column compares by: a copy with the same fields shares the kept part."""
    table = _table()
    copy = replace(table, columns=tuple(replace(c) for c in table.columns))
    assert layout.layout_table(copy, AGENCY) == layout.layout_table(table, AGENCY)
