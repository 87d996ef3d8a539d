"""預算總說明 sentences about one 歲入來源 or one 計畫, not the year's total (issue 14 leftover).

臺北市政府工務局新建工程處 116 (../shared/reference-books/taipei-newworks-116.txt, 07-152-3) prints 15 such
sentences under 「（一）前年度計畫實施成果及決算辦理概況」: 「(1)統籌分配稅：預算數19,624,000元，決算數14,789,794元，
執行率75.37%。」… Each figure is that source's (or plan's), so it is compared with that source's own figure in the
tables (歲入預算表 / 歲出預算表 前年度決算數, 07-152-9…16), never with the year's total; a figure no table holds
(a source's 前年度預算數) is reported unverified at its cell, never passed over in silence.

Every expected figure is transcribed from the book (page given) or worked out by hand here.
"""

import re

import pytest

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.check import check_workbook
from xlbudget.app.example import TAIPEI, example_workbook
from xlbudget.app.pipeline import build_workbook
from xlbudget.readers.inputs import read_book
from xlbudget.rules.narrative import check_narrative

from conftest import narrative_edited, said_wrong, said_wrong_rows

# the 15 sentences of 07-152-3, as printed: (subject, 預算數, 決算數, 執行率 or None)
PRIOR_SENTENCES = [
    ("統籌分配稅", "19,624,000元", "14,789,794元", "75.37%"),
    ("罰金罰鍰及怠金", "70,000元", "414,450元", "592.07%"),
    ("賠償收入", "27,000,000元", "10,525,661元", "38.98%"),
    ("使用規費收入", "506,350,000元", "559,752,508元", "110.55%"),
    ("財產孳息", "67,250,000元", "68,279,607元", "101.53%"),
    ("廢舊物資售價", "55,800,000元", "67,860,338元", "121.61%"),
    ("非營業特種基金賸餘繳庫", "0元", "1,952,731元", None),
    ("上級政府補助收入", "445,527,000元", "444,807,929元", "99.84%"),
    ("捐贈收入", "2,590,000元", "2,589,128元", "99.97%"),
    ("雜項收入", "104,000元", "995,930元", "957.63%"),
    ("一般行政", "665,597,452元", "664,909,959元", "99.90%"),
    ("工務行政", "192,891,000元", "182,756,189元", "94.75%"),
    ("道路橋梁工程", "5,712,938,000元", "5,613,589,366元", "98.26%"),
    ("一般建築及設備", "16,672,000元", "8,509,530元", "51.04%"),
    ("接受補助建設支出", "445,527,000元", "444,807,929元", "99.84%"),
]
# 「捐贈收入」 is no 科目 of the book (its 目 is 01捐獻收入, 07-152-11) and 「接受補助建設支出」 no 計畫 of it (its 工作計畫 is
# 接受中央補助支出-接受中央各部會補助支出, 07-152-14): their figures cannot be matched to a table
UNKNOWN = {"捐贈收入", "接受補助建設支出"}


@pytest.fixture(scope="module")
def book():
    book, findings = read_book(input_grids(example_workbook(TAIPEI), "臺北"), "臺北")
    assert findings == []
    return book


def _paragraph(book, start):
    return next(p for p in book.narrative if p.text.startswith(start))


def _sentence(book, subject):
    return next(p for p in book.narrative if re.match(rf"\(\d+\){subject}：預算數", p.text))




def test_the_example_carries_the_15_sentences_of_the_book(book):
    """07-152-3: ten 歲入 sources under 「1.歲入部分：」, five 歲出 plans under 「2.歲出部分：」, in the book's order."""
    subjects = [re.match(r"\((\d+)\)([^：]+)：預算數", p.text) for p in book.narrative]
    assert [m.group(2) for m in subjects if m] == [s for s, *_ in PRIOR_SENTENCES]
    for subject, budget, final, rate in PRIOR_SENTENCES:
        text = _sentence(book, subject).text
        assert f"預算數{budget}，決算數{final}" in text and (rate is None or f"執行率{rate}" in text)


def test_per_source_sentences_are_not_read_as_the_year_total(book):
    """Read as totals they gave 44 errors (15 預算數 + 15 決算數 + 14 執行率 against 基本資料's 前年度 totals)."""
    assert said_wrong_rows(check_narrative(book)) == []


def test_a_figure_no_table_holds_is_reported_unverified_at_its_cell(book):
    """A source's 前年度預算數 is in no table of the book: each is named unverified at its sentence's cell; so are all
    the figures of the two sentences whose subject is no 科目 or 計畫 of the book."""
    unverified = {(str(f.cell), f.actual) for f in check_narrative(book) if f.rule == "narrative-unverified"}
    for subject, budget, final, rate in PRIOR_SENTENCES:
        cell = str(_sentence(book, subject).cell)
        assert (cell, budget) in unverified
        if subject in UNKNOWN:
            assert (cell, final) in unverified and (cell, rate) in unverified
        else:
            assert (cell, final) not in unverified and (rate is None or (cell, rate) not in unverified)


@pytest.mark.parametrize("subject, old, new, expected", [
    # 歲入預算表 (07-152-9) 01071521702 統籌分配稅 前年度決算數 14,790 千元
    ("統籌分配稅", "決算數14,789,794元", "決算數15,789,794元", 14_790),
    # 目 01使用規費收入's 節 前年度決算數 (07-152-10): 0 + 7,110 + 552,642 = 559,752 千元
    ("使用規費收入", "決算數559,752,508元", "決算數559,852,508元", 559_752),
    # 目 01雜項收入 (07-152-12): 947 + 49 = 996 千元
    ("雜項收入", "決算數995,930元", "決算數1,995,930元", 996),
    # 歲出預算表 (07-152-13) 58071520101 一般行政 前年度決算數 664,910 千元
    ("一般行政", "決算數664,909,959元", "決算數664,999,959元", 664_910),
    # 業務計畫 一般建築及設備 (07-152-16): 交通及運輸設備 5,621 + 其他設備 2,888 = 8,509 千元
    ("一般建築及設備", "決算數8,509,530元", "決算數9,509,530元", 8_509),
    # 執行率 of the sentence's own figures: 14,789,794 ÷ 19,624,000 = 0.753658… → 75.37%
    ("統籌分配稅", "執行率75.37%", "執行率75.73%", "75.37%"),
    # 414,450 ÷ 70,000 = 5.920714… → 592.07%
    ("罰金罰鍰及怠金", "執行率592.07%", "執行率529.07%", "592.07%"),
])
def test_a_wrong_per_source_figure_is_named_at_its_cell(book, subject, old, new, expected):
    start = _sentence(book, subject).text[:8]
    cell = str(_sentence(book, subject).cell)
    quoted = new.removeprefix("決算數").removeprefix("執行率")
    assert said_wrong_rows(check_narrative(narrative_edited(book, start, old, new))) == [
        ("narrative-mismatch", cell, expected, quoted)]


def test_a_wrong_per_source_budget_is_not_compared_with_the_total(book):
    """「預算數」 of one source is no table's figure: changed, it is unverified (no error against 基本資料's 前年度 total),
    but the sentence's 執行率 no longer agrees with it: 10,525,661 ÷ 27,500,000 = 0.382751… → 38.28%, not 38.98%."""
    changed = narrative_edited(book, "(3)賠償收入：預算數", "預算數27,000,000元", "預算數27,500,000元")
    cell = str(_sentence(book, "賠償收入").cell)
    assert said_wrong_rows(check_narrative(changed)) == [("narrative-mismatch", cell, "38.28%", "38.98%")]
    assert ("narrative-unverified", cell, "27,500,000元") in {
        (f.rule, str(f.cell), f.actual) for f in check_narrative(changed)}


def test_a_rate_beside_a_wrong_figure_is_unverified_not_named_twice(book):
    """決算數 14,789,794 → 15,789,794 is the one error; 75.37% is then left unverified at the same cell."""
    changed = narrative_edited(book, "(1)統籌分配稅：預算數", "決算數14,789,794元", "決算數15,789,794元")
    cell = str(_sentence(book, "統籌分配稅").cell)
    assert ("narrative-unverified", cell, "75.37%") in {(f.rule, str(f.cell), f.actual) for f in check_narrative(changed)}


def test_this_year_per_source_sentence_is_that_source_s_budget(book):
    """07-152-5 「(2)賠償收入27,000,000元。」 under 「（二）本年度預算提要」: 賠償收入's 本年度 27,000 千元 (歲入預算表,
    07-152-9), not the 歲入 total 647,056 千元."""
    paragraph = _paragraph(book, "(2)賠償收入27,000,000元")
    changed = narrative_edited(book, "(2)賠償收入27,000,000元", "27,000,000元", "27,100,000元")
    assert said_wrong_rows(check_narrative(changed)) == [("narrative-mismatch", str(paragraph.cell), 27_000, "27,100,000元")]


def test_check_of_the_built_example_names_a_planted_per_source_figure():
    """Through check on the workbook: the example checks clean, and 「工務行政」's 決算數 182,756,189 → 192,756,189 is
    named at its 總說明 cell, against 182,756 千元 (歲出預算表 58071520201, 07-152-13)."""
    wb = example_workbook(TAIPEI)
    cell = next(c for c in wb["總說明"]["A"] if isinstance(c.value, str) and c.value.startswith("(2)工務行政：預算數"))
    cell.value = cell.value.replace("182,756,189", "192,756,189")
    book, findings = read_book(input_grids(wb, "臺北"), "臺北")
    assert findings == []
    build_workbook(wb, book)
    found = [(f.rule, f.cell.sheet, f.cell.cell, f.expected)
             for f in check_workbook(wb).findings if said_wrong(f)]
    assert found == [("narrative-mismatch", "總說明", cell.coordinate, 182_756)]


def test_a_plan_named_after_basis_is_its_basis_part():
    """臺中 115 (02004-5): 「(1)經常門預算數149,358千元…其中行政管理136,174千元…」 is 行政管理's 經常門, by hand
    137,984 (its 預算數) − 1,810 (資本門, 「全數為行政管理」) = 136,174 千元; a wrong one is named at its cell, the others
    of the sentence (總預算編審與督導執行2,752千元 …) agree."""
    from xlbudget.app.example import TAICHUNG

    book, findings = read_book(input_grids(example_workbook(TAICHUNG), "臺中"), "臺中")
    assert findings == []
    start = "(1)經常門預算數"
    assert said_wrong_rows(check_narrative(book)) == []
    changed = narrative_edited(book, start, "其中行政管理136,174千元", "其中行政管理136,147千元")
    assert said_wrong_rows(check_narrative(changed)) == [
        ("narrative-mismatch", str(_paragraph(book, start).cell), 136_174, "136,147千元")]
