"""A column is widened exactly when its widest figure needs it (forms.layout.fit_figures), the figures that surely fit
passed over without being measured (issue 13: kept per width, the widest int of each number of digits).

Widths worked out by hand from figure_units' two renderers at 10 pt: Excel prints every character of a figure half an
em wide in units of 5.25 pt (5 pt of padding in its unit); LibreOffice a digit 0.636 em (bold 0.696) and a comma or
minus 0.318 (bold 0.380), in units of 7.0 pt less its 5 pt margin. The wider of the two is what the figure needs.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from xlbudget.core.tables import AMOUNT, LABEL, TOTAL, Column, Row, Table
from xlbudget.forms.layout import fit_figures


def _widths(width: float, *figures, style: str = "item") -> list[float]:
    columns = (Column("科目", ("科目",), LABEL, 28), Column("預算數", ("預算數",), AMOUNT, width))
    rows = tuple(Row(str(n), "x", {"科目": "x", "預算數": v}, style) for n, v in enumerate(figures))
    return [c.width for c in fit_figures(Table("各項費用彙計表", "元", columns, rows)).columns]


@pytest.mark.parametrize("width, figure, style, expected", [
    # -9,999,999: 10 characters; Excel 10 × 5 ÷ 5.25 = 9.52 units, LibreOffice (7 × 6.36 + 3 × 3.18 + 5) ÷ 7 = 8.44:
    # wider than 9.5, so widened to the next half unit, 10; a column of 10 holds it
    (9.5, -9_999_999, "item", 10.0),
    (10, -9_999_999, "item", 10),
    # bold in a 合計 row: LibreOffice (7 × 6.96 + 3 × 3.80 + 5) ÷ 7 = 9.30, Excel still 9.52 → 10
    (9.5, -9_999_999, TOTAL, 10.0),
    # 99,999,999: 10 characters as well, no minus → 10
    (9.5, 99_999_999, "item", 10.0),
    # -999,999: 8 characters, Excel 7.62 units: fits a column of 9.5 (and of 8), not one of 7.5 → 8
    (9.5, -999_999, "item", 9.5),
    (8, -999_999, "item", 8),
    (7.5, -999_999, "item", 8.0),
    # 1,234.5 (a 單價 with 角): 7 characters, Excel 6.67 units → a column of 6.5 becomes 7
    (6.5, Decimal("1234.5"), "item", 7.0),
])
def test_a_column_is_widened_to_the_next_half_unit_its_widest_figure_needs(width, figure, style, expected):
    assert _widths(width, 1, figure, style=style)[1] == expected


def test_the_smallest_figure_counts_as_much_as_the_largest():
    # -9,999,999 beside 5: the minus sign and the digits, not the larger number, need the width
    assert _widths(9.5, 5, -9_999_999, 3)[1] == 10.0
    assert _widths(9.5, 5, 3)[1] == 9.5


def test_a_table_of_many_amount_columns_fits_those_with_figures_and_leaves_the_empty_ones():
    """Past four amount columns, one no row has a cell in is passed over unmeasured (issue 13): it prints no figure.
    -9,999,999 still widens its column of 9.5 to 10 (by hand, above), whichever row holds it; a column of 9.5 with no
    cell at all, or with blanks alone, stays 9.5. Red when a column with a figure in some row only is passed over."""
    keys = ("甲", "乙", "丙", "丁", "戊", "己")
    columns = (Column("科目", ("科目",), LABEL, 28),) + tuple(Column(k, (k,), AMOUNT, 9.5) for k in keys)
    rows = (Row("合計", "合計", {"科目": "合計", "甲": 1}, TOTAL), Row("1", "x", {"科目": "x", "乙": None, "丙": 5}),
            Row("2", "y", {"科目": "y", "丙": -9_999_999}), Row("3", "z", {"科目": "z", "己": -9_999_999}))
    widths = [c.width for c in fit_figures(Table("各項費用彙計表", "千元", columns, rows)).columns]
    assert widths == [28, 9.5, 9.5, 10.0, 9.5, 9.5, 10.0]
