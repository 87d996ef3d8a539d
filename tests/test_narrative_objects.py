"""預算總說明 written as 臺北 and 臺中 write it: 「歲出部分共編列…元」, per-plan 「…業務計畫預算編列…元，包括人事費…元、
業務費…元」, 「經常門預算數…千元，包括人事費…千元」 (field report 7 §1.3).

They were only narrative-unverified («找不到可對照的預算表數字»), so a wrong 歲出 total or a wrong 人事費 passed check
with exit 0. Each is now held to its table: the 歲出 / 歲入 total, the 業務計畫's total, and the 一級用途別 of the
plan named before it, of the 經常門 the sentence speaks of, or in total (歲出一級用途別科目分析表).

Every expected figure is transcribed from the printed book (page given) or summed by hand here.
"""


import pytest

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.example import TAICHUNG, TAIPEI, example_workbook
from xlbudget.readers.inputs import read_book
from xlbudget.rules.narrative import CHANGE, UNREAD_SENTENCE, check_narrative

from conftest import narrative_edited, read_example_book, said_wrong, said_wrong_rows


def _book(name):
    book, findings = read_book(input_grids(example_workbook(name), "範例"), "範例")
    assert findings == []
    return book


@pytest.fixture(scope="module")
def taipei():
    return _book(TAIPEI)


@pytest.fixture(scope="module")
def taichung():
    return _book(TAICHUNG)


@pytest.fixture(scope="module")
def kaohsiung():
    return read_example_book()


def _cell(book, start):
    return str(next(p for p in book.narrative if p.text.startswith(start)).cell)




def _at(findings, cell):
    return [(f.rule, f.actual) for f in findings if str(f.cell) == cell]


# 臺北 116 總說明 (07-152-5): the sentences and their figures, 歲出一級用途別科目分析表 07-152-79 (千元)
TAIPEI_SENTENCES = [
    # 歲入來源別預算表 合計 647,056 (07-152-9)
    ("1.歲入部分共編列", "647,056,000元"),
    # 合計 7,145,358 = 684,630 + 245,180 + 6,205,980 + 9,568 (07-152-79, hand)
    ("2.歲出部分共編列", "7,145,358,000元"),
    # 58071520100 一般行政: 合計 684,630, 人事費 673,926, 業務費 10,704 (673,926 + 10,704 = 684,630, hand)
    ("(1)一般行政業務計畫", "684,630,000元"), ("(1)一般行政業務計畫", "673,926,000元"),
    ("(1)一般行政業務計畫", "10,704,000元"),
    # 58071520200 工務行政: 合計 245,180, 業務費 245,040, 獎補助費 140
    ("(2)工務行政業務計畫", "245,180,000元"), ("(2)工務行政業務計畫", "245,040,000元"),
    ("(2)工務行政業務計畫", "140,000元"),
]


def test_taipei_sentences_of_this_year_are_verified(taipei):
    """Every amount of 07-152-5's 本年度預算提要 agrees with its table: no error, none left unverified."""
    findings = check_narrative(taipei)
    assert said_wrong_rows(findings) == []
    for start, amount in TAIPEI_SENTENCES:
        assert _at(findings, _cell(taipei, start)) == [], (start, amount)


@pytest.mark.parametrize("start, old, new, expected", [
    # f01: 641,000 元 over the 歲出 total 7,145,358 千元, in 元, in 千元 and in 萬元
    ("2.歲出部分共編列", "7,145,358,000元", "7,145,999,000元", 7_145_358),
    ("2.歲出部分共編列", "7,145,358,000元", "7,145,999千元", 7_145_358),
    ("2.歲出部分共編列", "7,145,358,000元", "71億4,599萬9千元", 7_145_358),
    ("1.歲入部分共編列", "647,056,000元", "647,156,000元", 647_056),
    # 一般行政's 人事費 673,926 千元 (07-152-79), not the plan's 684,630 nor the year's
    ("(1)一般行政業務計畫", "人事費673,926,000元", "人事費673,999,000元", 673_926),
    ("(1)一般行政業務計畫", "業務費10,704,000元", "業務費10,074,000元", 10_704),
    # 工務行政's 獎補助費 140 千元
    ("(2)工務行政業務計畫", "獎補助費140,000元", "獎補助費150,000元", 140),
    ("(2)工務行政業務計畫", "業務費245,040,000元", "業務費245,400,000元", 245_040),
    # the plan total itself
    ("(2)工務行政業務計畫", "預算編列245,180,000元", "預算編列245,810,000元", 245_180),
])
def test_a_wrong_taipei_figure_is_named_with_the_table_s(taipei, start, old, new, expected):
    cell = _cell(taipei, start)
    quoted = new.lstrip("人事業務獎補助費預算編列")
    assert said_wrong_rows(check_narrative(narrative_edited(taipei, start, old, new))) == [
        ("narrative-mismatch", cell, expected, quoted)]


@pytest.mark.parametrize("old, new", [
    ("7,145,358,000元", "7,145,358千元"), ("7,145,358,000元", "71億4,535萬8千元"),
    ("7,145,358,000元", "7,145,358,000 元"),
])
def test_the_right_total_in_another_spelling_is_verified(taipei, old, new):
    start = "2.歲出部分共編列"
    findings = check_narrative(narrative_edited(taipei, start, old, new))
    assert _at(findings, _cell(taipei, start)) == []


def test_an_object_of_another_plan_is_named_against_its_own_plan(taipei):
    """人事費 under 工務行政, which has none (07-152-79: 58071520200 人事費 blank): no figure of that plan to compare,
    so unverified, never held to 一般行政's 673,926 nor the total."""
    start = "(2)工務行政業務計畫"
    findings = check_narrative(narrative_edited(taipei, start, "業務費245,040,000元", "人事費245,040,000元"))
    assert said_wrong_rows(findings) == []
    assert _at(findings, _cell(taipei, start)) == [("narrative-unverified", "245,040,000元")]
    assert "工務行政的人事費" in next(f.message for f in findings if str(f.cell) == _cell(taipei, start))


# 臺中 115 總說明 (reference book lines 171-173) and 歲出一級用途別科目分析表: 合計 151,168, 人事費 124,625, 業務費 24,221,
# 獎補助費 12, 預備金 500, 經常支出小計 149,358 (124,625 + 24,221 + 12 + 500 = 149,358, hand), 資本支出 1,810
@pytest.mark.parametrize("old, new, expected", [
    ("人事費124,625千元", "人事費129,625千元", 124_625),  # f01, second part: 5,000 千元 wrong
    ("業務費24,221千元", "業務費24,212千元", 24_221),
    ("獎補助費12千元", "獎補助費21千元", 12),
    ("人事費124,625千元", "人事費1億2,962萬5千元", 124_625),
])
def test_a_wrong_taichung_object_total_is_an_error(taichung, old, new, expected):
    start = "(1)經常門預算數"
    cell = _cell(taichung, start)
    quoted = new.lstrip("人事業務獎補助費")
    assert said_wrong_rows(check_narrative(narrative_edited(taichung, start, old, new))) == [
        ("narrative-mismatch", cell, expected, quoted)]


def test_taichung_object_totals_are_verified(taichung):
    findings = check_narrative(taichung)
    assert said_wrong_rows(findings) == []
    amounts = {actual for rule, actual in _at(findings, _cell(taichung, "(1)經常門預算數"))}
    assert not amounts & {"124,625千元", "24,221千元", "12千元", "500千元", "149,358千元"}


def test_a_change_is_not_held_to_the_total(taichung):
    """「正式人員及聘僱人員人事費增列4,638千元」 under 「（一）主要增加原因」: a change, no table's 人事費 (124,625);
    unverified as a change, never an error."""
    start = "1、正式人員及聘僱人員人事費增列"
    findings = check_narrative(taichung)
    assert [(f.rule, f.actual, f.message.endswith(CHANGE)) for f in findings if str(f.cell) == _cell(taichung, start)] \
        == [("narrative-unverified", "4,638千元", True)]


def test_a_sentence_not_understood_says_so(taipei):
    """An amount with nothing to say what it is: «這句的寫法無法辨識», not that the tables lack a figure."""
    start = "2.歲出部分共編列"
    findings = check_narrative(narrative_edited(taipei, start, "2.歲出部分共編列", "2.另有"))
    found = [f for f in findings if str(f.cell) == _cell(taipei, start)]
    assert [(f.rule, f.actual) for f in found] == [("narrative-unverified", "7,145,358,000元")]
    assert UNREAD_SENTENCE in found[0].message and "找不到可對照" not in found[0].message


def test_kaohsiung_phrasing_is_kept_and_taipei_s_reads_there_too(kaohsiung):
    """高雄 113 (the seed, 總說明 A34): 「歲出預算數2億7,579萬5千元」 verified as before; written as 臺北 writes it, the
    same: 275,795 千元 (歲出機關別預算表 合計)."""
    start = "(一)歲出預算數"
    assert said_wrong_rows(check_narrative(kaohsiung)) == []
    assert _at(check_narrative(kaohsiung), _cell(kaohsiung, start)) == []
    taipei_way = narrative_edited(kaohsiung, start, "歲出預算數2億7,579萬5千元", "歲出部分共編列275,795,000元")
    assert _at(check_narrative(taipei_way), _cell(kaohsiung, start)) == []
    wrong = narrative_edited(kaohsiung, start, "歲出預算數2億7,579萬5千元", "歲出部分共編列275,759,000元")
    assert said_wrong_rows(check_narrative(wrong)) == [("narrative-mismatch", _cell(kaohsiung, start), 275_795,
                                                "275,759,000元")]
    wrong = narrative_edited(kaohsiung, start, "歲出預算數2億7,579萬5千元", "歲出預算數2億7,597萬5千元")
    assert said_wrong_rows(check_narrative(wrong)) == [("narrative-mismatch", _cell(kaohsiung, start), 275_795,
                                                "2億7,597萬5千元")]


def test_a_share_of_the_total_is_held_to_the_tables(taichung):
    """臺中 115: 「經常門預算數149,358千元(佔98.80%)」: 149,358 ÷ 151,168 = 0.988026… → 98.80%; 「資本門預算數1,810千元
    (佔1.20%)」: 1,810 ÷ 151,168 = 0.011973… → 1.20% (hand). Verified; written 98.08%, an error naming 98.80%."""
    findings = check_narrative(taichung)
    assert not {actual for rule, actual in _at(findings, _cell(taichung, "(1)經常門預算數"))} & {"98.80%"}
    assert _at(findings, _cell(taichung, "(2)資本門預算數")) == []
    wrong = narrative_edited(taichung, "(1)經常門預算數", "(佔98.80%)", "(佔98.08%)")
    assert said_wrong_rows(check_narrative(wrong)) == [
        ("narrative-mismatch", _cell(taichung, "(1)經常門預算數"), "98.80%", "98.08%")]


def test_a_rate_of_the_sentence_s_own_execution_figures(taipei, taichung):
    """上年度 截至5月份 (臺北 116, 07-152-4): 「分配數3,500,000元，實際收入數1,067,550元，占分配數30.50%」: 1,067,550 ÷
    3,500,000 = 0.305014… → 30.50% (hand), verified. The book's own 「分配數6,100,000元，實際收入數2,383,658元，占分配數
    38.08%」 (2,383,658 ÷ 6,100,000 = 39.08%, hand) is listed unverified with that rate: none of the three is a table's.
    臺中 115: 「預算數42千元，截至6月底實收數86千元，執行率204.76%」: 86 ÷ 42 = 2.047619… → 204.76%, verified."""
    findings = check_narrative(taipei)
    assert _at(findings, _cell(taipei, "(1)賠償收入：截至5月份")) == []
    odd = [f for f in findings if str(f.cell) == _cell(taipei, "(4)廢舊物資售價：截至5月份")]
    assert [(f.rule, f.actual) for f in odd] == [("narrative-unverified", "38.08%")] and "39.08%" in odd[0].message
    assert _at(check_narrative(taichung), _cell(taichung, "1、歲入部分：預算數42千元")) == []
    wrong = narrative_edited(taichung, "1、歲入部分：預算數42千元", "執行率204.76%", "執行率240.76%")
    assert [rule for rule, _ in _at(check_narrative(wrong), _cell(taichung, "1、歲入部分：預算數42千元"))] == [
        "narrative-unverified"]


@pytest.mark.parametrize("new, table", [
    ("7,145,999,000元", "7,145,358,000元"), ("7,145,999千元", "7,145,358千元"), ("71億4,599萬9千元", "71億4,535萬8千元")])
def test_the_table_s_figure_is_named_as_the_officer_spelled_it(taipei, new, table):
    """f01: 7,145,999,000元 is named against 7,145,358,000元, not 71億4,535萬8千元, which the officer must convert."""
    start = "2.歲出部分共編列"
    found = [f for f in check_narrative(narrative_edited(taipei, start, "7,145,358,000元", new)) if said_wrong(f)]
    assert [(f.rule, f.actual) for f in found] == [("narrative-mismatch", new)]
    assert f"預算表為 {table}" in found[0].message
