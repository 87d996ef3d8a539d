"""Field report 7 (/work/wt/FIELD-REPORT-7.md): hand-typed input books a budget officer makes, each given the right
figures or a finding at its cell.

Figures are the seed book's (高雄市政府資訊中心 113年度, xlbudget/data/example/): 歲出明細 rows 34–78 are plan
32020183201 數位發展計畫 (45 lines, each under a 分支計畫; 01規劃發展 is rows 34–44, 48,803,000 元); row 36 is 2054
智慧城市成果行銷推廣, 20,300,000 元, 收支併列 0.
"""

from __future__ import annotations

import openpyxl
import pytest

import xlbudget.readers.items as items_reader
from xlbudget.app.check import check_workbook
from xlbudget.core.findings import Severity
from xlbudget.forms.inputs import SHEET_EXPENSES

from test_reading import DETAIL, column, example, printed_example, problems, refused_everywhere

PLAN = "32020183201"


def _blank_branch(*rows):
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        for row in rows:
            ws.cell(row, column(ws, "分支計畫")).value = None
    return edit


# ------------------------------------------------------------ §1.1: a blank 分支計畫 in a plan that has them

def test_a_blank_branch_in_a_plan_with_branches_is_refused_at_its_cell(tmp_path, capsys):
    """f03: C36 emptied printed 2054's 20,300,000 元 as a loose 「2000 業務費」 between the plan's 合計 and
    01規劃發展, which printed 28,503,000 (48,803,000 − 20,300,000, by hand) instead of 48,803,000; check said
    nothing. Now branch-missing at C36, naming C35 (the nearest line above with a 分支計畫, 01規劃發展)."""
    book = example(tmp_path, _blank_branch(36))
    assert problems(book) == {("branch-missing", "歲出明細!C36")}
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!C36", "歲出明細!C35", "「01規劃發展」"])


def _branch_missing(book):
    from xlbudget.adapters.books import load_book
    from xlbudget.core.errors import InputError

    with pytest.raises(InputError) as info:
        load_book(book)
    return [(f.cell.cell, f.expected, f"{f.message}") for f in info.value.findings if f.rule == "branch-missing"]


def _headed(*blank, heading="01規劃發展"):
    """01規劃發展's lines (rows 34–44) typed under a heading row inserted at 34 (the lines move to 35–45), ``blank``
    rows (after the insert) with their 分支計畫 emptied."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.insert_rows(34)
        for c, v in ((1, PLAN), (2, ws.cell(35, 2).value), (column(ws, "分支計畫"), heading)):
            ws.cell(34, c).value = v
        for row in blank:
            ws.cell(row, column(ws, "分支計畫")).value = None
    return edit


def test_lines_typed_blank_under_a_branch_heading_are_told_the_headings_branch(tmp_path):
    """01規劃發展's 11 lines typed blank under a heading 「01規劃發展」 (C34): branch-missing at C35 said «請填入此列所屬的
    分支計畫（如 02資源管理）», the next branch's (C46): typed so, their 元 would print under 02. It names the heading's
    branch, the nearest above, and its cell. Red with the plan's first line with a 分支計畫 named (C46, 02資源管理)."""
    (found,) = _branch_missing(example(tmp_path, _headed(*range(35, 46))))
    assert found[:2] == ("C35", "01規劃發展")
    assert "歲出明細!C34 的「01規劃發展」" in found[2] and "（本計畫共 11 列空白）" in found[2]


def test_a_plan_whose_branch_is_only_on_a_heading_row_is_told_to_fill_its_lines(tmp_path):
    """Plan 32020180101 (rows 2–33, 01行政業務) typed with every line's 分支計畫 blank under a heading 「01行政業務」:
    the heading alone was named («標題列不必另填»); deleting it as told would print the plan with no 分支計畫. The
    lines are branch-missing too, naming the heading's 「01行政業務」."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        for row in range(2, 34):
            ws.cell(row, column(ws, "分支計畫")).value = None
        ws.insert_rows(2)
        for c, v in ((1, "32020180101"), (2, ws.cell(3, 2).value), (column(ws, "分支計畫"), "01行政業務")):
            ws.cell(2, c).value = v

    book = example(tmp_path, edit)
    assert problems(book) == {("branch-heading-row", "歲出明細!C2"), ("branch-missing", "歲出明細!C3")}
    assert _branch_missing(book)[0][:2] == ("C3", "01行政業務")


def test_several_blank_branches_of_a_plan_are_one_finding_naming_each(tmp_path):
    """Rows 36 and 50 blank: one finding at the first, the other related, with the count (2 列)."""
    from xlbudget.adapters.books import load_book
    from xlbudget.core.errors import InputError

    book = example(tmp_path, _blank_branch(36, 50))
    with pytest.raises(InputError) as info:
        load_book(book)
    (finding,) = info.value.findings
    assert (finding.rule, finding.cell.cell, [c.cell for c in finding.related]) == ("branch-missing", "C36", ["C50"])
    assert "共 2 列" in finding.message


def test_a_plan_whose_lines_all_leave_the_branch_blank_has_none(tmp_path):
    """Plan 32020180101 (rows 2–33, all 01行政業務) with every 分支計畫 emptied: a plan with no 分支計畫 (as some
    plans have none), not branch-missing; the book reads."""
    from xlbudget.adapters.books import load_book

    load_book(example(tmp_path, _blank_branch(*range(2, 34))))


def test_the_printed_book_of_a_loose_line_checks_its_funding_notes_right(monkeypatch):
    """§2.2: the 明細表 built from such a book (before branch-missing, or made by hand) prints 合計 232,026,000 with
    «市款175,007,000元，收支併列57,019,000元» (hand: 232,026,000 − 57,019,000), then the loose 「2000 業務費」
    20,300,000 «市款20,300,000元», then 01規劃發展 … 04. Its check said 合計's 市款 should be 154,707,000 (the
    分支計畫 alone, the loose line skipped). The loose line is a part of 合計, as its 預算數 is to tree_sums: no
    error; and its note, made to disagree by 1,000 元 (市款20,299,000元，收支併列1,000元), is then named at 合計."""
    monkeypatch.setattr(items_reader, "_check_blank_branches", lambda *args: None)
    wb = printed_example(edit=_blank_branch(36))
    ws = wb[DETAIL]
    total = next(r for r in range(1, ws.max_row + 1)
                 if ws.cell(r, 1).value == "合計" and ws.cell(r, 6).value == "市款175,007,000元，收支併列57,019,000元")
    loose = total + 1
    assert (ws.cell(loose, 1).value.strip(), ws.cell(loose, 5).value) == ("2000 業務費", 20_300_000)
    assert [(f.rule, f.cell.cell) for f in check_workbook(wb).findings
            if f.severity in (Severity.ERROR, Severity.WARNING)] == []
    ws.cell(loose, 6).value = "市款20,299,000元，收支併列1,000元"
    found = [(f.rule, f.cell.cell, f.expected, f.actual) for f in check_workbook(wb).findings
             if f.severity in (Severity.ERROR, Severity.WARNING)]
    assert found == [("funding-note-mismatch", f"F{total}", 175_006_000, 175_007_000),
                     ("funding-note-mismatch", f"F{total}", 57_020_000, 57_019_000)]


# ------------------------------------------------------------ §1.4: a 合計 row typed in 以前年度

def _prior_total(last, final, c2=None):
    """以前年度 (rows 2–3 歲出 41,366 / 37,879 and 103,033 / 150,283; rows 4–5 歲入 2,800 / 38,533 and 0 / 54) with
    「合計」 typed under them in row 6, as last year's book prints it; ``c2`` retypes 行政管理's 上年度預算數."""
    def edit(wb):
        ws = wb["以前年度"]
        if c2 is not None:
            ws["C2"] = c2
        for c, v in enumerate([None, "合計", last, final], 1):
            ws.cell(6, c).value = v
    return edit


def _serious_findings(book):
    """(rule, sheet!cell, expected, actual) of every error and warning check gives the input book."""
    wb = openpyxl.load_workbook(book)
    return [(f.rule, f"{f.cell.sheet}!{f.cell.cell}", f.expected, f.actual) for f in check_workbook(wb).findings
            if f.severity in (Severity.ERROR, Severity.WARNING)]


def test_a_prior_total_row_that_disagrees_with_the_lines_above_is_named_at_its_cell(tmp_path):
    """f16: 行政管理 mistyped 41,966 and last year's 合計 144,399 (41,366 + 103,033, hand) typed under the rows: the
    合計 was dropped without a word and 歲出機關別預算表 printed 上年度 144,999. Now totals-row-mismatch at C6 against
    the 歲出 lines it closes, 41,966 + 103,033 = 144,999 (hand); 前年度決算數 188,162 = 37,879 + 150,283 agrees. The
    example's 總說明 quotes 「1億4,439萬9千元」 (A16): that narrative-mismatch is its own; emptied here. 行政管理's
    說明 (I2) lists its items' 增減, 2,403 + 0, against the 比較 41,966 makes, 43,769 − 41,966 = 1,803: its own too."""
    def edit(wb):
        _prior_total(144_399, 188_162, c2=41_966)(wb)
        wb["總說明"]["A16"] = None

    assert _serious_findings(example(tmp_path, edit)) == [("prior-note-mismatch", "以前年度!I2", 1_803, "2,403千元"),
                                                          ("totals-row-mismatch", "以前年度!C6", 144_999, 144_399)]


@pytest.mark.parametrize("last, final", [
    (144_399, 188_162),  # the 歲出 lines alone, typed under the 歲入 ones: 41,366 + 103,033; 37,879 + 150,283
    (147_199, 226_749),  # every line: 144,399 + 2,800 + 0; 188,162 + 38,533 + 54
])
def test_a_right_prior_total_row_passes(tmp_path, last, final):
    assert _serious_findings(example(tmp_path, _prior_total(last, final))) == []


def _prior_with_programs(last, final, c3=None):
    """以前年度 typed as last year's 歲出機關別預算表 prints it: each 業務計畫 row above its 工作計畫 row (32020180100
    一般行政 41,366 / 37,879 above 32020180101; 32020183200 數位發展計畫 103,033 / 150,283 above 32020183201), then
    「合計」 and the 歲入 rows; ``c3`` retypes 行政管理's (32020180101's) 上年度預算數. Rows: 2 業務計畫, 3 工作計畫,
    4 業務計畫, 5 工作計畫, 6 合計, 7–8 歲入."""
    def edit(wb):
        ws = wb["以前年度"]
        lines = [[c.value for c in r] for r in ws.iter_rows(min_row=2, max_row=5)]
        ws.delete_rows(2, 4)
        for row in ([["32020180100", "一般行政", 41_366, 37_879], lines[0],
                     ["32020183200", "數位發展計畫", 103_033, 150_283], lines[1],
                     [None, "合計", last, final], lines[2], lines[3]]):
            ws.append(row)
        if c3 is not None:
            ws["C3"] = c3
        wb["總說明"]["A16"] = None  # quotes 「1億4,439萬9千元」: its own narrative-mismatch when 行政管理 is retyped
    return edit


def test_a_prior_total_over_programs_and_their_plans_adds_each_once(tmp_path):
    """A 合計 under 業務計畫 rows and their 工作計畫 rows adds the 工作計畫 rows (counted_prior, as 歲出機關別預算表
    does): 41,366 + 103,033 = 144,399 and 37,879 + 150,283 = 188,162 (hand) pass. Red with the 業務計畫 rows added
    too: totals-row-mismatch at C6 and D6, «所屬各列合計為 288,798» (twice 144,399) on a right book."""
    assert _serious_findings(example(tmp_path, _prior_with_programs(144_399, 188_162))) == []


def test_a_prior_total_over_programs_still_names_a_mistyped_plan(tmp_path):
    """行政管理 mistyped 41,966 under its 業務計畫 row 41,366: the 業務計畫 row differs from its plan (warning, as
    before) and the 合計 144,399 is named against the plans it adds, 41,966 + 103,033 = 144,999 (hand)."""
    found = _serious_findings(example(tmp_path, _prior_with_programs(144_399, 188_162, c3=41_966)))
    assert ("totals-row-mismatch", "以前年度!C6", 144_999, 144_399) in found
    assert ("prior-year-program-differs", "以前年度!C2", 41_966, 41_366) in found
    assert [f for f in found if f[0] == "totals-row-mismatch"] == [("totals-row-mismatch", "以前年度!C6", 144_999,
                                                                    144_399)]


# ------------------------------------------------------------ §4: a 分支計畫 heading row

def test_a_branch_heading_row_is_named_as_one(tmp_path, capsys):
    """explore7 branch_empty: a row under the lines with plan 32020183201, its name and 「05智慧交通」 alone was refused
    as «用途別科目應為4 位數代碼（如 2018），此處為「」» at D79; it is a heading, named so at its 分支計畫 cell."""
    def edit(wb):
        wb[SHEET_EXPENSES].append(["32020183201", "數位發展計畫-數位發展計畫", "05智慧交通"])

    book = example(tmp_path, edit)
    assert problems(book) == {("branch-heading-row", "歲出明細!C79")}
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!C79"])


def test_a_row_with_a_branch_and_an_amount_but_no_code_is_still_a_code_missing(tmp_path):
    """The same row with 預算數 20,000 typed is a line whose 用途別科目 is missing (bad-code at D79), not a heading."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.append(["32020183201", "數位發展計畫-數位發展計畫", "05智慧交通"])
        ws.cell(79, column(ws, "預算數")).value = 20_000

    assert problems(example(tmp_path, edit)) == {("bad-code", "歲出明細!D79")}
