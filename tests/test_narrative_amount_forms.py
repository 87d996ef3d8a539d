"""預算總說明 amounts written the other usual ways (field item 14): 2億3千萬元, 2.3億元, 23,302.6萬元, 約2億3,200萬元.

The seed (高雄市政府資訊中心 113) prints in 總說明!A36 「2. 數位發展計畫2億3,202萬6千元。」: 數位發展計畫 is 232,026 千元
= 232,026,000 元 (歲出機關別預算表). Each form is read exactly (Decimal, by hand):
  2.3億元        = 2.3 × 100,000,000            = 230,000,000 元, stated to 0.1億 = 10,000,000 元
  2億3千萬元     = 2 × 10⁸ + 3 × 1,000 × 10⁴     = 230,000,000 元, stated to 千萬  = 10,000,000 元
  23,302.6萬元   = 23,302.6 × 10,000             = 233,026,000 元, stated to 0.1萬 = 1,000 元 (the table's 千元)
  約2億3,200萬元 = 232,000,000 元, 「約」: stated to its last non-zero digit, 100萬 = 1,000,000 元

The precision rule: a figure stated coarser than the table's 千元 is compared at its own precision — it agrees when the
table's figure, rounded half away from zero to that step, is it. 2.3億 matches any total that rounds to 2.3億 at 0.1億,
i.e. [225,000,000, 235,000,000) 元: 232,026,000 does, so 「2.3億元」 and 「2億3千萬元」 agree; 「2.4億元」 (2.4億 needs
[235,000,000, 245,000,000)) and 「2億4千萬元」 do not. A figure stated to 千元 or finer (23,302.6萬元) is exact:
233,026,000 ≠ 232,026,000 → mismatch. The book's own form stays exact: 「280萬元」 is 2,800 千元, never 2,795…2,804.

An amount the reader cannot read (兩億三千二百零二萬六元, 2.3.4億元) is listed narrative-unverified at its cell; Chinese
numerals are read in tests/test_narrative_numerals.py.
"""

import pytest

from conftest import findings_at, narrative_findings, read_example_book
from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.check import check_workbook
from xlbudget.app.example import example_workbook
from xlbudget.core.amounts import NotANumber
from xlbudget.app.pipeline import build_workbook
from xlbudget.derive.narrative import parse_chinese, read_chinese
from xlbudget.readers.inputs import read_book
from xlbudget.rules.narrative import check_narrative

PRINTED = "2億3,202萬6千元"  # 總說明!A36 of the seed: 數位發展計畫 232,026 千元


@pytest.fixture(scope="module")
def book():
    return read_example_book()


@pytest.mark.parametrize("text,yuan,step", [
    ("2.3億元", 230_000_000, 10_000_000),
    ("2億3千萬元", 230_000_000, 10_000_000),
    ("23,302.6萬元", 233_026_000, 1_000),
    ("1.5萬元", 15_000, 1_000),
    ("5百萬元", 5_000_000, 1_000_000),
    ("0.25億元", 25_000_000, 1_000_000),
    ("2億3,302萬6千元", 233_026_000, 1),  # the book's own form: exact
    ("280萬元", 2_800_000, 1),
    # 零 where places are skipped, as written amounts say it (field report 4 §5.2, f10):
    ("2億零5千元", 200_005_000, 1),  # 2 × 10⁸ + 5 × 10³: 千萬 to 萬 skipped
    ("2億7,579萬零500元", 275_790_500, 1),  # 2 × 10⁸ + 7,579 × 10⁴ + 500: 千 skipped
])
def test_the_other_forms_are_read_exactly(text, yuan, step):
    assert read_chinese(text) == (yuan, step)
    assert parse_chinese(text) == yuan


@pytest.mark.parametrize("text,yuan,step", [
    ("約2億3,200萬元", 232_000_000, 1_000_000), ("約280萬元", 2_800_000, 100_000), ("約2.3億元", 230_000_000, 10_000_000)])
def test_a_rounded_figure_is_stated_to_its_last_non_zero_digit(text, yuan, step):
    assert read_chinese(text.removeprefix("約"), rounded=True) == (yuan, step)


@pytest.mark.parametrize("text", ["2.3.4億元", "1.2345元", "2.3億5千萬元", "兩億5千萬元", "2千萬3億元",
                                  "零5千元", "2億零3,000萬元", "2億零零5千元"])  # 零 first, with no place skipped, twice
def test_what_is_no_amount_is_refused(text):
    with pytest.raises(NotANumber):
        read_chinese(text)


def test_the_seed_as_printed_agrees(book):
    assert findings_at(check_narrative(book), "A36") == []


@pytest.mark.parametrize("written", ["2.3億元", "2億3千萬元", "23,202.6萬元", "約2億3,200萬元", "約2.3億元",
                                     "232,026千元", "232,026,000元"])
def test_a_right_figure_in_another_form_agrees_at_its_own_precision(book, written):
    assert narrative_findings(book, "A36", PRINTED, written) == []


@pytest.mark.parametrize("written", ["2.4億元", "2億4千萬元", "23,302.6萬元", "約2億3,300萬元", "2.2億元",
                                     "2億3,302萬6千元"])
def test_a_wrong_figure_in_another_form_is_named_at_its_cell(book, written):
    assert narrative_findings(book, "A36", PRINTED, written) == [
        ("narrative-mismatch", "總說明", "A36", 232_026, written.removeprefix("約"))]  # the amount, 「約」 read before it


@pytest.mark.parametrize("written", ["兩億三千二百零二萬六元", "2.3.4億元", "２億３千２百萬元"])  # 萬六: 萬六千?
def test_an_amount_the_reader_cannot_read_is_unverified_at_its_cell(book, written):
    assert narrative_findings(book, "A36", PRINTED, written) == [("narrative-unverified", "總說明", "A36", None, written)]


def test_check_of_the_workbook_names_the_wrong_decimal_form():
    """Through check on the built workbook: 23,302.6萬元 typed in 總說明!A36 is one error, at that cell."""
    wb = example_workbook()
    wb["總說明"]["A36"] = "2. 數位發展計畫23,302.6萬元。"
    book, findings = read_book(input_grids(wb, "範例.xlsx"), "範例.xlsx")
    build_workbook(wb, book)
    errors = [(f.rule, f.cell.sheet, f.cell.cell, f.expected) for f in check_workbook(wb).findings
              if f.rule.startswith("narrative") and f.severity.name == "ERROR"]
    assert errors == [("narrative-mismatch", "總說明", "A36", 232_026)]
