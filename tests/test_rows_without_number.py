"""A row's r= is optional in a sheet part (ECMA-376: the row after the one before it): a writer that leaves it out
and hides a row. Figures are the example's hand-made 各項費用彙計表: row 9 prints 101500法定編制人員待遇, 25,356 千元
(B9), hidden, so the printed 100000人事費 42,978 is 25,356 more than its printed lines — named at B9 by the openpyxl
reading (check --mark) and, since session 32, by the python-calamine one (check), which read no hidden row without
its r= (fix13's «noticed and left»)."""

from __future__ import annotations

import re

import pytest

from test_field17 import SUMMARY, hand_made, hidden_said


def _no_numbers(part: bytes) -> bytes:
    """Every row of the part without r=, row 9 hidden: rows 1, 2, 3 … counted as openpyxl and calamine count them."""
    part = part.replace(b'<row r="9">', b'<row r="9" hidden="1">', 1)
    return re.sub(rb'<row r="\d+"', b"<row", part)


def _from_ten_on(part: bytes) -> bytes:
    """Rows 1–8 keep their r=, row 9 (hidden) and those after it have none: row 9 is the one after r="8"."""
    part = part.replace(b'<row r="9">', b'<row r="9" hidden="1">', 1)
    return re.sub(rb'<row r="(9|[1-9]\d+)"', b"<row", part)


@pytest.mark.parametrize("workbook", [False, True])  # python-calamine (check), openpyxl (check --mark)
@pytest.mark.parametrize("edit", [_no_numbers, _from_ten_on])
def test_a_hidden_row_without_its_number_is_named(tmp_path, workbook, edit):
    path = hand_made(tmp_path, edit)
    assert hidden_said(path, workbook) == [("hidden-row-not-printed", f"{SUMMARY}!B9")]
