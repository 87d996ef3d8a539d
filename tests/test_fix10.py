"""Session 29 (fix10): «never silently wrong» leftovers of the reading and check layers (session 28's note).

Figures are the example book's (高雄市政府資訊中心 113年度), built: its 各項費用彙計表 prints 100000人事費 on row 8 and
101500法定編制人員待遇 on row 9 (25,356 千元 in B9 and in 合計 D9), four columns A–D, rows 1–34.
"""

from __future__ import annotations

import pytest

from xlbudget.app.check import check_file
from xlbudget.readers.grid import Grid, header_block

from built_books import handmade_workbook

SUMMARY = "各項費用彙計表"


# ------------------------------------------------------------ item 2: a header below row 1 keeps the sheet's marks

def test_a_header_below_a_title_line_keeps_what_the_reader_noted():
    """歲出明細 with a title line on row 1 and its header on row 2: the block from the header row kept the rows
    (3, 5) and column (I = 9) hidden in Excel, the sheet hidden, its copies and renamed sheets only when the header
    was on row 1 (a new Grid was made of the rows alone)."""
    rows = [["高雄市政府資訊中心歲出明細"], ["工作計畫編號", "工作計畫名稱", "用途別科目", "預算數"],
            ["32020180101", "一般行政", "1015", 100], ["32020180101", "一般行政", "1030", 200]]
    grid = Grid("歲出明細", rows, 1, 1, "book.xlsx", hidden=frozenset({3, 5}), hidden_columns=frozenset({9}),
                sheet_hidden=True, copies=(("歲出明細 (2)", 1, False),), struck=frozenset({(4, 1)}))
    block = header_block("歲出明細", grid)
    assert block.top == 2 and block.rows[0][0] == "工作計畫編號"  # the header row found
    assert (block.hidden, block.hidden_columns, block.sheet_hidden) == (frozenset({3, 5}), frozenset({9}), True)
    assert block.copies == (("歲出明細 (2)", 1, False),) and block.struck == frozenset({(4, 1)})
