"""forms.layout.text_lines: which characters print wide (U+2E80, the first CJK radical, and everything past it)."""

from __future__ import annotations

import pytest

from xlbudget.forms.layout import text_lines


# four characters in a column of width 7 (room 6): narrow ones take 4 units, one line; wide ones take
# 4 + 0.75 × 4 = 7 units, two lines (7 / 6 rounded up)
@pytest.mark.parametrize("char, lines", [
    ("a", 1), ("\u00e9", 1),
    ("\u2e7f", 1),  # the last character below the CJK radicals: narrow
    ("\u2e80", 2),  # the first CJK radical: wide
    ("預", 2), ("\uff11", 2),  # a CJK character, a full-width digit
    ("\U00020000", 2),  # past the BMP (CJK Extension B): wide
])
def test_wide_characters_from_u2e80(char, lines):
    assert text_lines(char * 4, 7) == lines


def test_lines_of_mixed_text():
    # 「預算A1」 twice on two lines: 4 + 0.75 × 2 = 5.5 units each, in room 4: 2 lines each
    assert text_lines("預算A1\n預算A1", 5) == 4


# text of narrow characters alone (ASCII: 機關別預算表's 「01」 under 目, a 數量 「1,234」) takes its length in units
@pytest.mark.parametrize("text, width, lines", [
    ("01", 4, 1),          # 2 units in room 3
    ("0101", 4, 2),        # 4 units in room 3: 2 lines
    ("1234567", 4, 3),     # 7 units in room 3: 3 lines
    ("123", 4, 1),         # 3 units in room 3: just one line
    ("ab\ncdefg", 4, 3),   # 1 line, then 5 units in room 3: 2 lines
    ("\n", 4, 2),          # two empty lines
    ("12", 1, 2),          # room never below 1
])
def test_lines_of_narrow_text(text, width, lines):
    assert text_lines(text, width) == lines
