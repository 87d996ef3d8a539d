"""A table row holding wrapped text is sized for its tallest text (forms.layout.layout_table): neither Excel nor
LibreOffice grows a row for wrapped text on open. Only a text longer than the characters sure to fit on one line
(``_one_line``), or broken by a line break, is counted; the heights here are worked out by hand. Pinned for issue 13
(a count of each column in C, tried in sessions 30 and 34, ran more instructions than the row loop, which stays);
passes on afbdd2e too."""

from __future__ import annotations

from xlbudget.core.model import Agency
from xlbudget.core.tables import AMOUNT, BANNER, LABEL, TEXT, Column, Row, Table
from xlbudget.forms.layout import layout_table

AGENCY = Agency("測試機關", "02-001", 114, "測試市政府主管", "01")
COLUMNS = (Column("科目", ("科目",), LABEL, 28), Column("說明", ("說明",), TEXT, 30),
           Column("預算數", ("預算數",), AMOUNT, 13))
FIRST = 6  # 4 title rows and one header row (header_depth 1): the first table row is sheet row 6


def _heights(rows) -> dict[int, float]:
    """The table rows' heights: sheet row → points, title and header rows left out."""
    found = layout_table(Table("歲出機關別預算表", "千元", COLUMNS, tuple(rows)), AGENCY).heights
    return {r: h for r, h in found.items() if r >= FIRST}


def test_a_row_is_as_high_as_its_tallest_wrapped_text():
    # by hand: 科目 is 28 wide (27 units of line, a CJK character 1.75: 15 characters always fit one line), 說明 30
    # wide (29 units, 16 characters); a line is 15 pt, a row 3 pt more
    rows = [
        Row("1", "甲", {"科目": "甲", "說明": "一" * 20, "預算數": 10 ** 40}),  # 20 × 1.75 = 35 > 29: 2 lines, 33 pt
        Row("2", "乙", {"科目": "乙", "說明": "短", "預算數": 1}),  # one line: unsized (an amount is never wrapped)
        Row("3", "丙", {"說明": "甲\n乙\n丙"}),  # short, but 3 lines by its breaks: 48 pt
        Row("4", "丁", {"科目": 10 ** 30, "說明": ""}),  # a figure in a text column: 31 characters of 27 units, 33 pt
        Row("5", "戊", {"科目": "一" * 40, "說明": "一" * 20}),  # 70 units of 27 (3 lines) beside 2 lines: 48 pt
        Row("6", "己", {"科目": None, "說明": 0}),  # None and 0 print on one line
        Row("", "支出", {"說明": "一" * 40}, style=BANNER),  # a banner: its name across the table (71 wide), 19 pt
        Row("7", "庚", {"科目": "一" * 15, "說明": "一" * 16}),  # 26.25 of 27 and 28 of 29 units: one line, unsized
    ]
    assert _heights(rows) == {FIRST: 33, FIRST + 2: 48, FIRST + 3: 33, FIRST + 4: 48, FIRST + 6: 19}


def test_a_text_just_past_a_line_is_counted():
    # 17 CJK characters in 說明 (29 units): 29.75 units, 2 lines (33 pt); 16 fit in 28 units of 29, unsized
    assert _heights([Row("1", "甲", {"說明": "一" * 17}), Row("2", "乙", {"說明": "一" * 16})]) == {FIRST: 33}
