"""預算總說明 amounts in Chinese numerals (兩億七千三百萬元, 壹仟貳佰參拾肆萬伍仟元, 新臺幣參億元整) and the bound words
逾 / 超過 / 近 / 不到 / 未達 before an amount.

Every value below is worked by hand:
  兩億七千三百萬元         = 2×10⁸ + 7×1,000×10⁴ + 3×100×10⁴              = 273,000,000 元; its last digit 三 multiplies
                             百萬 (as 3 does in 2億3千萬元, stated to 千萬), so it is stated to 百萬 = 1,000,000 元
  一千二百三十四萬五千元   = (1,000 + 200 + 30 + 4) × 10⁴ + 5 × 1,000    = 12,345,000 元, exact (五千 is below 萬,
                             as 1,234萬5千元 is the book's own exact form)
  新臺幣參億元整           = 3 × 10⁸ = 300,000,000 元; 「整」: exact
  兩億三千二百零二萬六千元 = 2×10⁸ + (3,000 + 200 + 2) × 10⁴ + 6,000      = 232,026,000 元, exact

The seed (高雄市政府資訊中心 113) prints in 總說明!A36 「2. 數位發展計畫2億3,202萬6千元。」: 232,026 千元
(歲出機關別預算表), a 千元 figure standing for any total in [232,025,500, 232,026,500] 元.

Bounds (step = the 元 of the quote's last non-zero digit, as for 約):
  逾 X / 超過 X:          X < total < X + step          逾2億元 → (200,000,000, 300,000,000): agrees
                                                         逾2.4億元 → (240,000,000, 250,000,000): mismatch
  不到 X / 未達 X:        X − step < total < X          不到2.4億元 → (230,000,000, 240,000,000): agrees
  近 X:                   X − step/2 ≤ total < X        近3億元 → [250,000,000, 300,000,000): mismatch
                                                         近2億3,203萬元 → [232,025,000, 232,030,000): agrees
"""

import dataclasses

import pytest

from conftest import narrative_findings, read_example_book
from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.example import TAIPEI, example_workbook
from xlbudget.core.amounts import NotANumber
from xlbudget.derive.narrative import parse_chinese, read_chinese
from xlbudget.readers.inputs import read_book
from xlbudget.rules.narrative import check_narrative

PRINTED = "2億3,202萬6千元"  # 總說明!A36 of the seed: 數位發展計畫 232,026 千元
FIGURE = 232_026


@pytest.fixture(scope="module")
def book():
    return read_example_book()


# ---------------------------------------------------------------- reading

@pytest.mark.parametrize("text,yuan,step", [
    ("兩億七千三百萬元", 273_000_000, 1_000_000),
    ("一千二百三十四萬五千元", 12_345_000, 1),
    ("新臺幣參億元整", 300_000_000, 1),
    ("參億元", 300_000_000, 1),  # 參 right before 億: exact, as 3億元
    ("兩億三千二百零二萬六千元", 232_026_000, 1),
    ("壹仟貳佰參拾肆萬伍仟元", 12_345_000, 1),  # 大寫 = 一千二百三十四萬五千
    ("貳億參仟萬元", 230_000_000, 10_000_000),  # 參 multiplies 千萬
    ("兩億三千萬元整", 230_000_000, 1),  # 「整」: exact
    ("兩億零三百萬元", 203_000_000, 1_000_000),  # 2×10⁸ + 3×100×10⁴
    ("一千〇五十元", 1_050, 1),  # 〇 as 零
    ("一萬零五元", 10_005, 1),
    ("十五萬元", 150_000, 1),  # (10 + 5) × 10⁴
    ("三千萬元", 30_000_000, 10_000_000),  # as 3千萬元
    ("五萬元", 50_000, 1),
    ("2億元整", 200_000_000, 1),
    ("2億3千萬元整", 230_000_000, 1),  # 「整」 makes the multiplied form exact too
])
def test_chinese_numerals_are_read_exactly(text, yuan, step):
    assert read_chinese(text) == (yuan, step)
    assert parse_chinese(text) == yuan


@pytest.mark.parametrize("text,yuan,step", [
    ("參億元", 300_000_000, 100_000_000), ("兩億七千三百萬元", 273_000_000, 1_000_000),
    ("一千二百三十四萬五千元", 12_345_000, 1_000)])
def test_a_rounded_chinese_figure_is_stated_to_its_last_digit(text, yuan, step):
    assert read_chinese(text, rounded=True) == (yuan, step)


@pytest.mark.parametrize("text", [
    "一萬五元",  # 一萬五 is said for 15,000; written it is 10,005 only with 零 (一萬零五)
    "一千五萬元",  # 1,500萬 or 1,005萬
    "一百五元",
    "三五萬元",  # 三五萬: three to five 萬
    "一〇〇萬元",  # digit by digit
    "一千零二百元",  # 零 where no place is skipped
    "一千零零五元",
    "兩億七千三百萬零元",
    "三百五千元",  # places rising
    "萬萬元", "億元", "零元",
    "2億七千萬元",  # Arabic and Chinese digits mixed
    "一百十元",  # 十 with no digit inside a number
])
def test_an_ambiguous_chinese_amount_is_refused(text):
    with pytest.raises(NotANumber):
        read_chinese(text)


# ---------------------------------------------------------------- against the seed's figure (A36)

@pytest.mark.parametrize("written", [
    "兩億三千二百零二萬六千元",  # 232,026,000 exact
    "貳億參仟貳佰零貳萬陸仟元",
    "新臺幣貳億參仟貳佰零貳萬陸仟元整",
    "兩億三千二百萬元",  # 232,000,000 at 百萬: [231,500,000, 232,500,000)
    "兩億三千萬元",  # at 千萬: [225,000,000, 235,000,000)
])
def test_a_right_chinese_figure_agrees(book, written):
    assert narrative_findings(book, "A36", PRINTED, written) == []


@pytest.mark.parametrize("written,actual", [
    ("兩億三千二百零二萬五千元", "兩億三千二百零二萬五千元"),  # 232,025,000 ≠ 232,026 千元
    ("貳億參仟參佰萬元", "貳億參仟參佰萬元"),  # 233,000,000: [232,500,000, 233,500,000) misses 232,026,000
    ("兩億三千萬元整", "兩億三千萬元整"),  # 「整」: 230,000,000 exact
    ("新臺幣貳億參仟貳佰零貳萬伍仟元整", "貳億參仟貳佰零貳萬伍仟元整"),
])
def test_a_wrong_chinese_figure_is_named_at_its_cell(book, written, actual):
    assert narrative_findings(book, "A36", PRINTED, written) == [("narrative-mismatch", "總說明", "A36", FIGURE, actual)]


@pytest.mark.parametrize("written", ["兩億三千二百零二萬六元", "一〇〇萬元", "兩三億元"])
def test_an_ambiguous_chinese_figure_stays_unverified_at_its_cell(book, written):
    assert narrative_findings(book, "A36", PRINTED, written) == [("narrative-unverified", "總說明", "A36", None, written)]


@pytest.mark.parametrize("written,actual", [("2至3億元", "3億元"), ("二至三億元", "三億元"), ("二、三億元", "三億元"),
                                            ("2～3億元", "3億元")])
def test_a_range_is_unverified_never_its_upper_end(book, written, actual):
    """「2至3億元」 is a range: its 3億元 is not the figure (as an exact 3億 it would be a false mismatch)."""
    assert narrative_findings(book, "A36", PRINTED, written) == [("narrative-unverified", "總說明", "A36", None, actual)]


@pytest.mark.parametrize("vague", ["數十萬元", "幾百萬元"])
def test_a_vague_amount_is_unverified_never_read(book, vague):
    """數十萬元 is no figure: unverified as written, its 十萬元 never read as 100,000."""
    assert narrative_findings(book, "A36", PRINTED, f"2億3,202萬6千元，另{vague}") == [
        ("narrative-unverified", "總說明", "A36", None, vague)]


# ---------------------------------------------------------------- bounds

@pytest.mark.parametrize("written", [
    "逾2億元", "逾2.3億元", "超過2億3千萬元", "逾新臺幣2億元", "逾兩億元",
    "不到2.4億元", "未達2.4億元", "不到3億元", "近2億3,203萬元", "近兩億三千二百零三萬元",
])
def test_a_bound_that_holds_agrees(book, written):
    assert narrative_findings(book, "A36", PRINTED, written) == []


@pytest.mark.parametrize("written,actual", [
    ("逾2.4億元", "2.4億元"),  # (240,000,000, 250,000,000)
    ("超過2億3,300萬元", "2億3,300萬元"),  # (233,000,000, 234,000,000)
    ("逾2億3,202萬6千元", "2億3,202萬6千元"),  # not more than the figure itself: (232,026,000, 232,027,000)
    ("逾兩億四千萬元", "兩億四千萬元"),
    ("不到2.3億元", "2.3億元"),  # (220,000,000, 230,000,000)
    ("近3億元", "3億元"),  # [250,000,000, 300,000,000): 2.32億 is no 「近3億」
    ("近2億3,202萬元", "2億3,202萬元"),  # under the figure: 「近」 is a bit under, never over
    ("近2.4億元", "2.4億元"),  # [235,000,000, 240,000,000)
])
def test_a_bound_that_fails_is_named_at_its_cell(book, written, actual):
    assert narrative_findings(book, "A36", PRINTED, written) == [("narrative-mismatch", "總說明", "A36", FIGURE, actual)]


def test_a_bound_on_a_subject_sentence():
    """臺北 example, 07-152-5 「(2)賠償收入27,000,000元。」: 賠償收入's 本年度 is 27,000,000 元 exactly (歲入預算表).
    「逾2,000萬元」: step 10,000,000 → (20,000,000, 30,000,000) holds; 「逾2,600萬元」: step 1,000,000 →
    (26,000,000, 27,000,000) misses 27,000,000; 「近2,700萬元」: [26,500,000, 27,000,000) misses it too."""
    book, findings = read_book(input_grids(example_workbook(TAIPEI), "臺北"), "臺北")
    assert findings == []
    paragraph = next(p for p in book.narrative if p.text.startswith("(2)賠償收入27,000,000元"))
    cell = str(paragraph.cell)

    def found(written):
        edited = dataclasses.replace(paragraph, text=paragraph.text.replace("27,000,000元", written))
        changed = dataclasses.replace(book, narrative=tuple(edited if p is paragraph else p for p in book.narrative))
        return [(f.rule, str(f.cell), f.expected, f.actual) for f in check_narrative(changed) if str(f.cell) == cell]

    assert found("逾2,000萬元") == []
    assert found("逾2,600萬元") == [("narrative-mismatch", cell, 27_000, "2,600萬元")]
    assert found("近2,700萬元") == [("narrative-mismatch", cell, 27_000, "2,700萬元")]


@pytest.mark.parametrize("written", ["2億3千萬元整修道路", "兩億三千萬元整建校舍", "2億3千萬元整體規劃"])
def test_a_word_starting_with_zheng_is_no_yuan_zheng(book, written):
    """「元整」 states an amount exactly only as its own word: in 「2億3千萬元整修道路」 整修 (repair) follows the amount,
    which stays stated to 千萬 ([225,000,000, 235,000,000) holds 232,026,000); read as 元整 it would be an exact
    230,000,000 and a false mismatch."""
    assert narrative_findings(book, "A36", PRINTED, written) == []


# ---------------------------------------------------------------- bounds on a 執行率
# 總說明!A13 of the seed: 「執行率達98.62%」 = 188,162 / 190,786 (0.986246…). A percentage is stated to its last
# non-zero digit when a bound word is before it: 逾98% → step 1% → (98%, 99%); 近99% → [98.5%, 99%);
# 約98.6% → [98.55%, 98.65%); without one it stays exact (98.62%).

def _rate_at_a13(book, written):
    paragraphs = tuple(dataclasses.replace(p, text=p.text.replace("達98.62%", written)) if p.cell.cell == "A13" else p
                       for p in book.narrative)
    assert paragraphs != book.narrative
    return [(f.rule, f.cell.cell, f.expected, f.actual) for f in check_narrative(dataclasses.replace(
        book, narrative=paragraphs)) if f.cell.cell == "A13"]


@pytest.mark.parametrize("written", ["逾98%", "超過98.6%", "近99%", "約98.6%", "不到99%"])
def test_a_bound_on_a_rate_that_holds_agrees(book, written):
    assert _rate_at_a13(book, written) == []


@pytest.mark.parametrize("written,actual", [("逾99%", "99%"), ("近98.7%", "98.7%"), ("不到98%", "98%"),
                                            ("約98.7%", "98.7%"), ("達98.6%", "98.6%")])
def test_a_bound_on_a_rate_that_fails_is_named(book, written, actual):
    assert _rate_at_a13(book, written) == [("narrative-mismatch", "A13", "98.62%", actual)]


def test_a_bound_on_a_subject_rate():
    """臺北 07-152-3 「(1)統籌分配稅：…執行率75.37%」 (14,789,794 / 19,624,000): 「逾75%」 holds, 「逾76%」 does not."""
    book, findings = read_book(input_grids(example_workbook(TAIPEI), "臺北"), "臺北")
    paragraph = next(p for p in book.narrative if p.text.startswith("(1)統籌分配稅"))

    def found(written):
        edited = dataclasses.replace(paragraph, text=paragraph.text.replace("執行率75.37%", written))
        changed = dataclasses.replace(book, narrative=tuple(edited if p is paragraph else p for p in book.narrative))
        return [(f.rule, f.expected, f.actual) for f in check_narrative(changed) if f.cell == paragraph.cell
                and f.actual != "19,624,000元"]  # its 前年度預算數: in no table, always unverified (README)

    assert found("執行率逾75%") == []
    assert found("執行率逾76%") == [("narrative-mismatch", "75.37%", "76%")]


@pytest.mark.parametrize("quoted,before,totals", [
    ("2億元", "逾", (200_000_001, 299_999_999)),  # X < t < X + step, step 1億
    ("2.4億元", "不到", (230_000_001, 239_999_999)),  # X − step < t < X, step 0.1億
    ("3億元", "近", (250_000_000, 299_999_999)),  # X − step/2 ≤ t < X
    ("2.3億元", "約", (225_000_000, 234_999_999)),  # X − step/2 ≤ t < X + step/2
    ("56,300元", "約", (56_250, 56_349)),  # step 100: a range even finer than 千元
    ("2億元", "逾新臺幣", (200_000_001, 299_999_999)),
    ("2億元", "約為", (150_000_000, 249_999_999)),
    ("2.3億元", "", (225_000_000, 234_999_999)),  # no word, coarser than 千元: its own precision
    ("2億3,202萬6千元", "", None),  # no word, the book's form: the figure itself
])
def test_the_totals_a_quote_stands_for(quoted, before, totals):
    from xlbudget.derive.narrative import read_quote

    assert read_quote(quoted, before).totals() == totals



@pytest.mark.parametrize("quoted,before,after,meaning", [
    ("2億元", "逾", "", "「逾」：多於 200,000,000 元、少於 300,000,000 元"),  # step 1億
    ("2.4億元", "不到", "", "「不到」：少於 240,000,000 元、多於 230,000,000 元"),  # step 0.1億
    ("3億元", "近", "", "「近」：250,000,000 元以上、少於 300,000,000 元"),  # half a step below
    ("2.3億元", "約", "", "「約」：225,000,000 元以上、少於 235,000,000 元"),  # half a step either side
    ("2億元", "", "以上", "「以上」：200,000,000 元以上、少於 300,000,000 元"),
    ("2億元", "", "以下", "「以下」：200,000,000 元以下、多於 100,000,000 元"),
    ("2.3億元", "", "", ""),  # no word: nothing to explain
])
def test_what_a_quotes_word_allows(quoted, before, after, meaning):
    from xlbudget.derive.narrative import read_quote

    assert read_quote(quoted, before, after).meaning() == meaning

@pytest.mark.parametrize("old,new", [("預算數19,624,000元", "預算數約1,962萬元"), ("決算數14,789,794元", "決算數逾1,400萬元")])
def test_a_rate_beside_a_rounded_or_bounded_figure_is_unverified_not_divided(old, new):
    """臺北 「(1)統籌分配稅：預算數19,624,000元，決算數14,789,794元，執行率75.37%。」: with 「約1,962萬元」 the rate
    would be divided from 19,620,000 (14,789,794 / 19,620,000 = 75.38%, a false mismatch); with 「逾1,400萬元」 from
    14,000,000 (71.34%). A rounded or bounded figure is no base for a rate: the rate is unverified at its cell."""
    book, findings = read_book(input_grids(example_workbook(TAIPEI), "臺北"), "臺北")
    paragraph = next(p for p in book.narrative if p.text.startswith("(1)統籌分配稅"))
    edited = dataclasses.replace(paragraph, text=paragraph.text.replace(old, new))
    changed = dataclasses.replace(book, narrative=tuple(edited if p is paragraph else p for p in book.narrative))
    assert [(f.rule, f.actual) for f in check_narrative(changed) if f.cell == paragraph.cell and "%" in f.actual] == [
        ("narrative-unverified", "75.37%")]


# ---------------------------------------------------------------- words after the amount: 以上, 以下, 左右
# 「以上、以下、以內者，俱連本數計算」 (刑法 §10): X以上 includes X. Stated to the last non-zero digit as the words before:
#   X以上: X ≤ t < X + step   2億元以上 → [200,000,000, 300,000,000): agrees with 232,026,000
#   X以下: X − step < t ≤ X   2.4億元以下 → (230,000,000, 240,000,000]: agrees
#   X左右: as 約X             2億3,200萬元左右 → [231,500,000, 232,500,000): agrees

@pytest.mark.parametrize("written", ["2億元以上", "2.4億元以下", "2億3,200萬元左右", "兩億元以上"])
def test_a_word_after_the_amount_that_holds_agrees(book, written):
    assert narrative_findings(book, "A36", PRINTED, written) == []


@pytest.mark.parametrize("written,actual", [("2.4億元以上", "2.4億元"), ("2.3億元以下", "2.3億元"),
                                            ("2億3,300萬元左右", "2億3,300萬元")])
def test_a_word_after_the_amount_that_fails_is_named(book, written, actual):
    assert narrative_findings(book, "A36", PRINTED, written) == [("narrative-mismatch", "總說明", "A36", FIGURE, actual)]


def test_words_before_and_after_that_disagree_are_unverified(book):
    """「逾2億元以下」 says two things: unverified, neither guessed."""
    assert narrative_findings(book, "A36", PRINTED, "逾2億元以下") == [
        ("narrative-unverified", "總說明", "A36", None, "2億元")]


@pytest.mark.parametrize("written,found", [("達98%以上", []), ("達99%以上", [("narrative-mismatch", "A13", "98.62%", "99%")])])
def test_a_word_after_a_rate(book, written, found):
    assert _rate_at_a13(book, written) == found
