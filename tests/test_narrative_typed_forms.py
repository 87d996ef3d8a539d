"""預算總說明 amounts as officers paste them from Word (field report 3 #19): full-width digits and commas
(「２億３，２０２萬６千元」), spaces inside the amount (「2億 3,202萬 6千元」, 「232,026 千元」, a no-break space) and
full-width percentages (「９８．６２％」). The whole amount is read, never a fragment (「２０２萬６千元」, 「6千元」).

The seed (高雄市政府資訊中心 113) prints in 總說明!A36 「2. 數位發展計畫2億3,202萬6千元。」: 232,026 千元
(歲出機關別預算表). By hand:
  ２億３，２０２萬６千元 = 2 × 10⁸ + 3,202 × 10⁴ + 6 × 10³ = 232,026,000 元: agrees
  2億 3,202萬 5千元      = 232,025,000 元 ≠ 232,026 千元: mismatch, quoting the whole amount as typed
  232,026 千元           = 232,026 千元: agrees; 232,025 千元: mismatch
總說明!A13 prints 「執行率達98.62%」 = 188,162 / 190,786 = 0.986246… → 98.62%; 「９８．６２％」 is the same text.
"""

import pytest

from conftest import narrative_findings, read_example_book

PRINTED = "2億3,202萬6千元"
FIGURE = 232_026


@pytest.fixture(scope="module")
def book():
    return read_example_book()


@pytest.mark.parametrize("written", [
    "２億３，２０２萬６千元",  # full-width digits and comma
    "2億 3,202萬 6千元",  # spaces between the parts
    "2億\u00a03,202萬\u00a06千元",  # no-break spaces (Word)
    "2億\u30003,202萬\u30006千元",  # ideographic spaces
    "232,026 千元",  # a space before the unit
    "２３２，０２６　千元",
    "232,026,000 元",
])
def test_a_right_amount_typed_with_full_width_digits_or_spaces_agrees(book, written):
    assert narrative_findings(book, "A36", PRINTED, written) == []


@pytest.mark.parametrize("written", [
    "２億３，２０２萬５千元",  # 232,025,000: the whole amount named, not 「２０２萬５千元」
    "2億 3,202萬 5千元",  # not 「5千元」
    "232,025 千元",
    "２３２，０２５千元",
])
def test_a_wrong_amount_typed_so_is_named_whole_at_its_cell(book, written):
    assert narrative_findings(book, "A36", PRINTED, written) == [("narrative-mismatch", "總說明", "A36", FIGURE, written)]


def test_a_chinese_numeral_amount_with_spaces_is_read_whole(book):
    """「貳億 參仟貳佰零貳萬陸仟元」 (232,026,000) agrees; 「貳億 參仟貳佰零貳萬伍仟元」 (232,025,000) is named whole."""
    assert narrative_findings(book, "A36", PRINTED, "貳億 參仟貳佰零貳萬陸仟元") == []
    assert narrative_findings(book, "A36", PRINTED, "貳億 參仟貳佰零貳萬伍仟元") == [
        ("narrative-mismatch", "總說明", "A36", FIGURE, "貳億 參仟貳佰零貳萬伍仟元")]


@pytest.mark.parametrize("written,found", [
    ("９８．６２％", []), ("９８．６２%", []),
    ("９８．６３％", [("narrative-mismatch", "總說明", "A13", "98.62%", "９８．６３％")]),
])
def test_a_full_width_rate(book, written, found):
    assert narrative_findings(book, "A13", "98.62%", written) == found
