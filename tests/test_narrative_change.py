"""總說明's 增減 of the year against 上年度 — amount, %, 增加/減少 — held to the 「本年度與上年度比較」 the tables print
(field report 10 §2.0a: each passed as 「無法驗證」, «預算表沒有逐項的增減數可對照»).

The seed book (高雄市政府資訊中心 113, ../shared/seed/000_9c62b59cf9023585.txt), by hand from its 歲出機關別預算表 and
歲入來源別預算表 (千元):
- 歲出 275,795 − 上年度 144,399 = 131,396 (增加); 131,396 ÷ 144,399 = 0.909951… → 91.00%
- 歲入 57,019 − 上年度 2,800 = 54,219 (增加); 54,219 ÷ 2,800 = 19.363928… → 1936.39%
- 一般行政 43,769 − 41,366 = 2,403; 2,403 ÷ 41,366 = 0.058091… → 5.81%
- 數位發展計畫 232,026 − 103,033 = 128,993; 128,993 ÷ 103,033 = 1.251958… → 125.20%
"""

from __future__ import annotations

import dataclasses

import pytest

from xlbudget.core.model import CellRef, Paragraph
from xlbudget.rules.narrative import check_narrative

from conftest import read_example_book

CELL = CellRef("總說明", "A99")


@pytest.fixture(scope="module")
def book():
    return read_example_book()


def said(book, sentence):
    """check_narrative's findings at the officer's sentence added to 總說明 (A99), as (rule, expected, actual,
    expected_text)."""
    added = dataclasses.replace(book, narrative=book.narrative + (Paragraph(sentence, CELL),))
    return [(f.rule, f.expected, f.actual) for f in check_narrative(added) if f.cell == CELL]


@pytest.mark.parametrize("sentence", [
    "本年度歲出預算數275,795千元，較上年度預算數144,399千元，增加131,396千元，約91.00%。",
    "歲出預算數2億7,579萬5千元，較上年度增加1億3,139萬6千元。",
    "本年度歲出較上年度增加131,396千元。",
    "歲出預算數275,795千元，較上年度增加91.00%。",
    "歲入預算數57,019千元，較上年度預算數2,800千元，增加54,219千元，約1936.39%。",
    "一般行政業務計畫預算數43,769千元，較上年度增加2,403千元，約5.81%。",
    "數位發展計畫232,026千元，較上年度增列128,993千元，約125.20%。",
])
def test_a_right_change_passes_and_is_no_longer_unverified(book, sentence):
    assert said(book, sentence) == []


@pytest.mark.parametrize("sentence, expected", [
    # the field report's four (f11): each passed, exit 0
    ("本年度歲出預算數275,795千元，較上年度預算數144,399千元，增加131,369千元，約91.00%。",
     [("narrative-mismatch", 131_396, "131,369千元")]),
    ("本年度歲出預算數275,795千元，較上年度預算數144,399千元，增加131,396千元，約90.00%。",
     [("narrative-mismatch", "91.00%", "90.00%")]),
    ("本年度歲出預算數275,795千元，較上年度預算數144,399千元，減少131,396千元，約91.00%。",
     [("narrative-mismatch", 131_396, "131,396千元")]),
    ("歲出預算數2億7,579萬5千元，較上年度減少1億3,139萬6千元。", [("narrative-mismatch", 131_396, "1億3,139萬6千元")]),
    # 歲入's, a 業務計畫's, and a % said with the wrong word
    ("歲入預算數57,019千元，較上年度減少54,219千元。", [("narrative-mismatch", 54_219, "54,219千元")]),
    ("一般行政業務計畫預算數43,769千元，較上年度增加2,430千元。", [("narrative-mismatch", 2_403, "2,430千元")]),
    ("歲出預算數275,795千元，較上年度減少91.00%。", [("narrative-mismatch", "91.00%", "91.00%")]),
])
def test_a_wrong_change_is_an_error_at_its_cell(book, sentence, expected):
    assert said(book, sentence) == expected


def test_the_error_says_the_change_in_the_sentences_words(book):
    added = dataclasses.replace(book, narrative=book.narrative + (
        Paragraph("歲出預算數2億7,579萬5千元，較上年度減少1億3,139萬6千元。", CELL),))
    found = [f for f in check_narrative(added) if f.cell == CELL]
    assert "總說明寫「減少1億3,139萬6千元」" in found[0].message
    assert found[0].message.endswith("預算表為 增加1億3,139萬6千元")
    assert "275,795 − 上年度 144,399" in found[0].message


@pytest.mark.parametrize("sentence, unverified", [
    ("人事費42,978千元，較上年度增列2,403千元。", ["2,403千元"]),  # 人事費's 上年度 is in no table
    # 資通安全 is a 分支計畫, whose 上年度 no table holds (not the year's total, 131,396)
    ("1.資通安全68,390千元，較上年度增列58,935千元。", ["68,390千元", "58,935千元"]),
])
def test_a_change_of_a_figure_without_last_year_stays_unverified(book, sentence, unverified):
    """Its 增減 is not guessed: still 無法驗證, never passed, never held to another figure."""
    assert said(book, sentence) == [("narrative-unverified", None, text) for text in unverified]
