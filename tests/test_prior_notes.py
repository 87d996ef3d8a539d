"""以前年度 說明 (printed in 歲出機關別預算表's 說明 column, field report 3 #9): the figures it states are held to the
row's, by the same read→compare path as 總說明 (rules/narrative), at the 說明 cell (以前年度!I…).

Seed (高雄市政府資訊中心 113), 以前年度!I3, 32020183201 數位發展計畫: 「本年度預算數較上年度增列128,993千元，包括：
1.資通安全68,390千元，較上年度增列…58,935千元。 2.資源管理71,082千元，…53,613千元。 3.數位服務43,751千元，…13,970千元。
4.規劃發展48,803千元，…2,475千元。」 By hand, from the book:
  本年度 232,026 千元 (總說明!A36) − 上年度 103,033 千元 (以前年度!C3) = 比較 128,993 千元: 「增列128,993千元」 agrees
  分支計畫 資通安全 + 資源管理 + 數位服務 + 規劃發展 = 68,390 + 71,082 + 43,751 + 48,803 = 232,026 千元
  the 4 「較上年度增列…」 inside the items are each 分支計畫's change: no table holds a 分支計畫's 上年度 → unverified
1,000,000 元 more on a 資通安全 line: 本年度 233,026, 比較 233,026 − 103,033 = 129,993; 資通安全 69,390.
臺中 115, 以前年度!I3, 總預算編審與督導執行: 本年度 950 + 1,802 = 2,752 千元, 上年度 2,952: 比較 −200 = 「減少200千元」.
"""

import dataclasses

import pytest

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.check import check_workbook
from xlbudget.app.example import TAICHUNG, TAIPEI, example_workbook
from xlbudget.app.pipeline import build_workbook
from xlbudget.readers.inputs import read_book
from xlbudget.rules.narrative import check_narrative

PLAN = "32020183201"
ITEM_CHANGES = [("prior-note-unverified", "I3", None, t) for t in ("58,935千元", "53,613千元", "13,970千元", "2,475千元")]


def _book(which=None):
    book, findings = read_book(input_grids(example_workbook(which) if which else example_workbook(), "範例"), "範例")
    assert findings == []
    return book


@pytest.fixture(scope="module")
def book():
    return _book()


def _notes(book, cell="I3"):
    return [(f.rule, f.cell.cell, f.expected, f.actual) for f in check_narrative(book)
            if f.rule.startswith("prior-note") and f.cell.sheet == "以前年度" and f.cell.cell == cell]


def _note(book, code, old, new):
    prior = tuple(dataclasses.replace(p, note=p.note.replace(old, new)) if p.code == code else p for p in book.prior)
    assert prior != book.prior
    return dataclasses.replace(book, prior=prior)


def _more_on_branch(book, branch, yuan):
    first = next(i for i in book.expenses if i.plan_code == PLAN and i.branch.endswith(branch))
    expenses = tuple(dataclasses.replace(i, amount=i.amount + yuan) if i is first else i for i in book.expenses)
    return dataclasses.replace(book, expenses=expenses)


@pytest.mark.parametrize("which", [None, TAICHUNG, TAIPEI])
def test_the_examples_have_no_prior_note_error(which):
    assert [f for f in check_narrative(_book(which)) if f.rule == "prior-note-mismatch"] == []


def test_the_seed_change_and_its_branches_agree_its_item_changes_are_unverified(book):
    assert _notes(book) == ITEM_CHANGES


def test_a_line_changed_after_the_note_was_written_is_named_at_the_note(book):
    assert _notes(_more_on_branch(book, "資通安全", 1_000_000)) == [
        ("prior-note-mismatch", "I3", 129_993, "128,993千元"), ("prior-note-mismatch", "I3", 69_390, "68,390千元"),
        *ITEM_CHANGES]


def test_a_decrease_written_for_an_increase_is_named(book):
    """比較 is +128,993 (232,026 − 103,033 by hand): 「減列128,993千元」 says −128,993. Named with the 比較 as 應為 and in
    words, «預算表為 增列128,993千元», as 總說明's 增減 is (narrative_quotes.change_held); it said «預算表為 -128,993千元»
    (the 比較 with the sentence's sign), a figure the table prints nowhere."""
    changed = _note(book, PLAN, "增列128,993千元", "減列128,993千元")
    assert _notes(changed)[:1] == [("prior-note-mismatch", "I3", 128_993, "128,993千元")]
    message = next(f.message for f in check_narrative(changed) if f.rule == "prior-note-mismatch")
    assert "說明寫「減列128,993千元」" in message and message.endswith("預算表為 增列128,993千元")


@pytest.mark.parametrize("stated,found", [
    ("本年度預算數232,026千元，上年度預算數103,033千元", []),
    ("本年度預算數232,025千元，上年度預算數103,033千元", [("prior-note-mismatch", "I3", 232_026, "232,025千元")]),
    ("本年度預算數232,026千元，上年度預算數103,034千元", [("prior-note-mismatch", "I3", 103_033, "103,034千元")]),
    ("本年度預算數約2.3億元", []),  # [225,000,000, 235,000,000) holds 232,026 千元
    ("本年度預算數２３２，０２５千元", [("prior-note-mismatch", "I3", 232_026, "２３２，０２５千元")]),
])
def test_this_and_last_years_figures_stated_in_the_note(book, stated, found):
    assert _notes(_note(book, PLAN, "本年度預算數較上年度增列128,993千元", stated)) == found + ITEM_CHANGES


def test_an_item_that_is_no_branch_and_a_loose_amount_are_unverified(book):
    """以前年度!I2 (一般行政): 「1.人員維持費42,978千元」 — no 分支計畫 of that name (the plan's is 行政業務)."""
    assert _notes(book, "I2") == [("prior-note-unverified", "I2", None, t) for t in ("42,978千元", "2,403千元", "791千元")]


def test_a_decrease_in_the_taichung_form():
    """臺中 「三、本年度預算數與上年度比較： 減少200千元」: 比較 −200 agrees; 「減少300千元」 is named, 應為 the 比較 −200
    as the table prints it, «預算表為 減少200千元» (it was 200, −(−200), the sentence's sign taken off)."""
    book = _book(TAICHUNG)
    code = next(p.code for p in book.prior if p.name.endswith("總預算編審與督導執行"))
    assert [f for f in _notes(book) if f[0] == "prior-note-mismatch"] == []
    changed = _note(book, code, "減少200千元", "減少300千元")
    assert [f for f in _notes(changed) if f[0] == "prior-note-mismatch"] == [
        ("prior-note-mismatch", "I3", -200, "300千元")]
    assert next(f.message for f in check_narrative(changed) if f.rule == "prior-note-mismatch").endswith(
        "預算表為 減少200千元")


def test_check_of_the_workbook_names_the_note_cell():
    """Through check on the built workbook (field report 3 f15): a line +1,000,000 元 → an error at 以前年度!I3."""
    wb = example_workbook()
    ws = wb["歲出明細"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == PLAN
               and str(ws.cell(r, 3).value).endswith("資通安全") and not ws.cell(r, 9).value)
    ws.cell(row, 8).value += 1_000_000
    book, findings = read_book(input_grids(wb, "範例.xlsx"), "範例.xlsx")
    build_workbook(wb, book)
    errors = [(f.rule, f.cell.sheet, f.cell.cell, f.expected) for f in check_workbook(wb).findings
              if f.rule == "prior-note-mismatch"]
    assert errors == [("prior-note-mismatch", "以前年度", "I3", 129_993), ("prior-note-mismatch", "以前年度", "I3", 69_390)]


# 以前年度!I2 (32020180101 行政管理), mutation 9 of field report 10's mut2.py: 「本年度預算數之內容與上年度之比較如下：
# 1.人員維持費42,978千元，較上年度伸算增列現職人員待遇等經費2,403千元。 2.基本行政工作維持費791千元與上年度同。」
# The plan: 本年度 43,769 千元 (歲出機關別預算表 F10), 上年度 41,366 (以前年度!C2); by hand 比較 43,769 − 41,366 = 2,403.
# No table holds either item, but the items are the plan: 42,978 + 791 = 43,769 and 2,403 + 0 (與上年度同) = 2,403.
@pytest.mark.parametrize("old, new, found", [
    ("2,403千元", "2,430千元", [("prior-note-mismatch", "I2", 2_403, "2,430千元")]),  # 2,430 + 0
    ("791千元與上年度同", "719千元與上年度同", [("prior-note-mismatch", "I2", 43_769, "43,697千元")]),  # 42,978 + 719
    ("與上年度同", "，較上年度減列10千元", [("prior-note-mismatch", "I2", 2_403, "2,393千元")]),  # 2,403 − 10
    ("人員維持費42,978千元", "人員維持費42,987千元", [("prior-note-mismatch", "I2", 43_769, "43,778千元")]),
])
def test_the_items_of_a_note_add_up_to_their_plan(book, old, new, found):
    """Red on main (a4ebd26): each sum unchecked, every item 「未驗證」 and no error (exit 0 on a built book)."""
    assert [f for f in _notes(book, "I2") if f[0] == "prior-note-mismatch"] == []
    changed = _note(book, "32020180101", old, new)
    assert [f for f in _notes(changed, "I2") if f[0] == "prior-note-mismatch"] == found


def test_items_each_rounded_to_the_thousand_may_differ_by_half_a_thousand_each(book):
    """Two items of 千元, each rounded: their sum may be off the plan's 千元 by up to 1 千元 (500 元 each).
    42,978 typed 42,979: 43,770 for 43,769, a 尾差, no error; 42,980 (2 千元 off) is one. Red with the sums held
    exactly (an error on 42,979)."""
    assert [f for f in _notes(_note(book, "32020180101", "42,978千元", "42,979千元"), "I2")
            if f[0] == "prior-note-mismatch"] == []
    assert [f for f in _notes(_note(book, "32020180101", "42,978千元", "42,980千元"), "I2")
            if f[0] == "prior-note-mismatch"] == [("prior-note-mismatch", "I2", 43_769, "43,771千元")]


def test_a_list_whose_items_do_not_each_state_their_change_is_not_summed(book):
    """「2.辦理資訊研習800千元。」 in place of 「2.基本行政工作維持費791千元與上年度同。」: an item without its 增減 makes
    the list no account of the plan's parts (a 說明 may list highlights): 42,978 + 800 ≠ 43,769 is no error, the
    amounts stay unverified. Red with an item without 增減 summed as 0."""
    changed = _note(book, "32020180101", "基本行政工作維持費791千元與上年度同", "辦理資訊研習800千元")
    assert [f for f in _notes(changed, "I2") if f[0] == "prior-note-mismatch"] == []
