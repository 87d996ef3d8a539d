"""compare: which row of one book is which row of the other (field round, compare defects 1–3).

Every expectation is worked out by hand from the tiny book of test_yearover (元):

  A 32020180101 一般行政-行政管理, 01行政業務: 2018 資訊服務 28,000; 2054 一般事務 2,000
  B 32020183201 數位發展計畫-數位發展計畫, 01數位服務: 2018 系統維護 50,000; 3030 伺服器 100,000

1. A row is the same row when its code is: a 工作計畫 renamed between the books is one row 更名, its figures
   compared, not one row cut and one added.
2. Lines with equal keys (plan, branch, 科目, 說明) are paired by content first, then by best match; what is left
   is 新增 or 刪除. Deleting the first of two such lines is one line removed, not every later line changed.
3. A line whose 說明 alone changed is one line 變更 (說明), with the old and the new 說明.
"""

from __future__ import annotations

import json
from dataclasses import replace

import openpyxl
import pytest

from test_yearover import (A, AGENCY, AGENCY_BUDGET, B, BOOK, DAMAGES, DETAIL, GRANT, LEVEL1, LINE1, LINE2, LINE3,
                           LINE4, _item, printed)

from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app.comparison import ADDED, CHANGED, REMOVED, compare_books, comparison_text, template_figures
from xlbudget.app.example import example_workbook
from xlbudget.cli import main
from xlbudget.core.model import BudgetBook

NAME_B = "數位發展計畫-數位發展計畫"
PATH_B = f"{B}/01數位服務"
LINE_KEY = ("status", "plan", "branch", "object_code", "old_note", "note", "old_amount", "new_amount", "change",
            "fields")


def compared(old: BudgetBook, new: BudgetBook):
    """The comparison of two template books, and of their printed forms (hand-made books of the same tables)."""
    return compare_books(template_figures(old), template_figures(new)), compare_books(printed(old), printed(new))


def lines_of(result) -> list[tuple]:
    return [tuple(x[k] for k in LINE_KEY) for x in result.lines]


def renames_of(result) -> set[tuple]:
    return {(r["table"], r["row_code"], r["old_name"], r["new_name"]) for r in result.renames}


def renamed(line, name):
    return replace(line, plan_name=name, program_code="", program_name="")


# ---------------------------------------------------------------- 1. rows keyed by code

def test_a_renamed_plan_is_one_row_renamed_with_its_figures_compared():
    # 工作計畫 32020180101 行政管理 is renamed 資訊管理 (its 業務計畫 一般行政 stays): no figure changes. The 工作計畫
    # name is printed as a row name in 歲出一級用途別科目分析表 and 歲出機關別預算表 (A has no 資本支出, no
    # 約聘僱): two rows renamed, nothing cut, nothing added.
    new = replace(BOOK, expenses=(renamed(LINE1, "一般行政-資訊管理"), renamed(LINE2, "一般行政-資訊管理"), LINE3, LINE4))
    for result in compared(BOOK, new):
        assert result.figures == () and result.lines == ()
        assert renames_of(result) == {(LEVEL1, A, "行政管理", "資訊管理"), (AGENCY_BUDGET, A, "行政管理", "資訊管理")}
        assert not result.same  # a renamed row is a difference
    text = comparison_text(compared(BOOK, new)[0], "案", "法定")
    assert "【更名】2 列" in text and f"{AGENCY_BUDGET} {A}：行政管理 → 資訊管理" in text


def test_a_renamed_and_cut_plan_shows_its_cut_under_both_names():
    # renamed as above, and the council cuts its 2018 line from 28,000 to 20,000: −8,000 元 = −8 千元 on row A of
    # 歲出機關別預算表 (本年度預算數), one figure changed, not 43 cut and 35 added
    cut = replace(renamed(LINE1, "一般行政-資訊管理"), unit_price=20_000, amount=20_000)
    new = replace(BOOK, expenses=(cut, renamed(LINE2, "一般行政-資訊管理"), LINE3, LINE4))
    for result in compared(BOOK, new):
        rows = [(r["row_code"], r["old_row_name"], r["row_name"], r["column"], r["old"], r["new"], r["change"])
                for r in result.figures if r["table"] == AGENCY_BUDGET and r["row_code"] == A]
        assert rows == [(A, "行政管理", "資訊管理", "本年度預算數", 30, 22, -8)]  # 30,000 → 22,000 元
        assert (AGENCY_BUDGET, A, "行政管理", "資訊管理") in renames_of(result)
    text = comparison_text(compared(BOOK, new)[0], "案", "法定")
    assert f"{A} 資訊管理（原名 行政管理）｜本年度預算數：30 → 22（-8）千元" in text


def test_a_renamed_revenue_code_is_renamed_not_cut():
    # 歲入 09020180102 計畫型補助收入 renamed 專案補助收入 (same code, same 60,000 元)
    grant = replace(GRANT, name="上級政府補助收入-專案補助收入", level_names=GRANT.level_names[:3] + ("專案補助收入",))
    result = compare_books(template_figures(BOOK), template_figures(replace(BOOK, revenues=(grant, DAMAGES))))
    assert result.figures == ()
    assert ("歲入來源別預算表", "09020180102", "計畫型補助收入", "專案補助收入") in renames_of(result)


def test_a_renamed_branch_is_one_row_renamed_and_its_lines_the_same_lines():
    # B's 分支計畫 01數位服務 is renamed 01數位創新服務 (same number 01): the 明細表 prints it as one row, 更名; its
    # lines and the rows under it (2018, 2000, 3000, 3030 and the items) are the same rows, unchanged
    branch = "01數位創新服務"
    new = replace(BOOK, expenses=(LINE1, LINE2, replace(LINE3, branch=branch), replace(LINE4, branch=branch)))
    template, hand_made = compared(BOOK, new)
    for result in (template, hand_made):
        assert result.figures == () and result.lines == ()
    assert renames_of(template) == {(DETAIL, f"{B}/{branch}", "01數位服務", branch)}
    assert renames_of(hand_made) == {(DETAIL, f"{B}/{branch}", "數位服務", "數位創新服務")}  # printed: 01 | 數位服務


def test_a_line_cut_under_a_renamed_branch_is_one_line_changed():
    # renamed as above, and 系統維護 cut from 50,000 to 40,000: one line changed (−10,000), under its new 分支計畫
    branch = "01數位創新服務"
    cut = replace(LINE3, branch=branch, unit_price=40_000, amount=40_000)
    new = replace(BOOK, expenses=(LINE1, LINE2, cut, replace(LINE4, branch=branch)))
    for result in compared(BOOK, new):
        assert lines_of(result) == [(CHANGED, B, branch, "2018", SYS, SYS, 50_000, 40_000, -10_000, ["單價", "預算數"])]
        row = [(r["old"], r["new"]) for r in result.figures if r["table"] == DETAIL and r["row_code"] == f"{B}/{branch}"]
        assert row == [(150_000, 140_000)]  # the branch: 50,000 + 100,000 → 40,000 + 100,000


# ---------------------------------------------------------------- 2. equal keys

SYS = "系統維護"


def _three(*amounts, unit="式", quantities=None):
    """B's 2018 lines all called 系統維護, one per amount (1 × amount, or quantity × amount ÷ quantity)."""
    quantities = quantities or (1,) * len(amounts)
    return tuple(replace(_item(B, NAME_B, "01數位服務", "2018", q, a // q, SYS), unit=unit)
                 for a, q in zip(amounts, quantities))


def test_the_first_of_two_equal_lines_deleted_is_one_line_removed():
    # three 系統維護 lines of 50,000, 30,000 and 20,000; the council deletes the first: one line removed (−50,000),
    # the 30,000 and 20,000 lines unchanged. Before: 50,000 → 30,000 and 30,000 → 20,000 "changed", 20,000 removed.
    old = replace(BOOK, expenses=(LINE1, LINE2, *_three(50_000, 30_000, 20_000), LINE4))
    new = replace(BOOK, expenses=(LINE1, LINE2, *_three(30_000, 20_000), LINE4))
    for result in compared(old, new):
        assert lines_of(result) == [(REMOVED, B, "01數位服務", "2018", SYS, SYS, 50_000, None, -50_000, [])]
        detail = {(r["row_code"], r["row_name"], r["column"], r["old"], r["new"]) for r in result.figures
                  if r["table"] == DETAIL}
        item = {(f"{PATH_B}/2018", SYS, column, 50_000, None) for column in ("單價", "預算數")}
        # the 2018, 2000, 分支計畫 and 合計 rows of B fall by 50,000: 100,000 → 50,000 on 2018, 200,000 → 150,000
        # on 2000 and 01數位服務, 200,000 → 150,000 on B's 合計 (+ 3030 伺服器 100,000)
        sums = {row[2] for row in detail - item}
        assert item <= detail and sums == {"預算數"} and {row[3] - row[4] for row in detail - item} == {50_000}
        assert len(detail - item) == 4


def test_a_line_cut_is_paired_with_the_line_it_most_resembles():
    # 3 人 × 10,000 = 30,000 and 2 人 × 10,000 = 20,000, both 系統維護; the council deletes the 3-person line and
    # cuts the 2-person line's 單價 to 7,500 (2 × 7,500 = 15,000). The new line shares 單位 and 數量 with the
    # 2-person line, 單位 alone with the other: one line changed (−5,000), one removed (−30,000).
    # Before: paired by position, 30,000 → 15,000 "changed" and the 20,000 line removed.
    old = replace(BOOK, expenses=(LINE1, LINE2, *_three(30_000, 20_000, unit="人", quantities=(3, 2)), LINE4))
    new = replace(BOOK, expenses=(LINE1, LINE2, *_three(15_000, unit="人", quantities=(2,)), LINE4))
    for result in compared(old, new):
        assert sorted(lines_of(result)) == sorted([
            (REMOVED, B, "01數位服務", "2018", SYS, SYS, 30_000, None, -30_000, []),
            (CHANGED, B, "01數位服務", "2018", SYS, SYS, 20_000, 15_000, -5_000, ["單價", "預算數"])])


def test_the_council_cuts_one_of_three_equal_lines_by_50000():
    # 系統維護 lines of 100,000, 200,000 and 300,000; the council cuts the first by 50,000 and reorders nothing:
    # one change, 50,000 less (100,000 → 50,000), the other two unchanged
    old = replace(BOOK, expenses=(LINE1, LINE2, *_three(100_000, 200_000, 300_000), LINE4))
    new = replace(BOOK, expenses=(LINE1, LINE2, *_three(50_000, 200_000, 300_000), LINE4))
    for result in compared(old, new):
        assert lines_of(result) == [(CHANGED, B, "01數位服務", "2018", SYS, SYS, 100_000, 50_000, -50_000,
                                     ["單價", "預算數"])]


def test_equal_lines_reordered_are_the_same():
    old = replace(BOOK, expenses=(LINE1, LINE2, *_three(50_000, 30_000, 20_000), LINE4))
    new = replace(BOOK, expenses=(LINE1, LINE2, *_three(20_000, 50_000, 30_000), LINE4))
    for result in compared(old, new):
        assert result.lines == () and [r for r in result.figures if r["row_name"] == SYS] == []


# ---------------------------------------------------------------- 3. 說明 only

def test_a_note_changed_alone_is_one_line_changed():
    # LINE3's 說明 系統維護 → 系統維護及資安強化, its 1 × 50,000 unchanged: one line 變更 (說明), no figure changes
    note = "系統維護及資安強化"
    new = replace(BOOK, expenses=(LINE1, LINE2, replace(LINE3, note=note), LINE4))
    for result in compared(BOOK, new):
        assert lines_of(result) == [(CHANGED, B, "01數位服務", "2018", SYS, note, 50_000, 50_000, 0, ["說明"])]
        assert result.figures == () and result.renames == ()  # the 明細表 item row is the line: not listed twice
    text = comparison_text(compared(BOOK, new)[0], "案", "法定")
    assert f"變更（說明） {B} 01數位服務 2018 {SYS} → {note}：50,000 → 50,000（+0）元" in text


def test_a_note_is_shown_as_typed_and_its_width_is_no_change():
    # 系統維護 → 系統維護（含資安強化）, typed with full-width brackets: shown as typed, not as keyed (NFKC: (含…));
    # typed again with half-width brackets, the same 說明: no change
    typed = "系統維護（含資安強化）"
    new = replace(BOOK, expenses=(LINE1, LINE2, replace(LINE3, note=typed), LINE4))
    result = compare_books(template_figures(BOOK), template_figures(new))
    assert lines_of(result) == [(CHANGED, B, "01數位服務", "2018", SYS, typed, 50_000, 50_000, 0, ["說明"])]
    assert f"{SYS} → {typed}：" in comparison_text(result, "案", "法定")
    half = replace(BOOK, expenses=(LINE1, LINE2, replace(LINE3, note="系統維護(含資安強化)"), LINE4))
    assert compare_books(template_figures(new), template_figures(half)).lines == ()


def test_a_note_and_amount_changed_together_is_not_taken_for_the_same_line():
    # 說明 and 預算數 both differ: nothing says it is the same line, so one removed and one added (and both named)
    new = replace(BOOK, expenses=(LINE1, LINE2, replace(LINE3, note="雲端服務", unit_price=30_000, amount=30_000),
                                  LINE4))
    for result in compared(BOOK, new):
        assert lines_of(result) == [(REMOVED, B, "01數位服務", "2018", SYS, SYS, 50_000, None, -50_000, []),
                                    (ADDED, B, "01數位服務", "2018", None, "雲端服務", None, 30_000, 30_000, [])]
        # its 明細表 rows likewise: the rows under one 科目 are items, known by their 說明, not by the 科目's code
        items = {(r["row_name"], r["old_row_name"], r["column"], r["old"], r["new"]) for r in result.figures
                 if r["table"] == DETAIL and r["row_name"] in (SYS, "雲端服務")}
        assert items == {(SYS, SYS, "單價", 50_000, None), (SYS, SYS, "預算數", 50_000, None),
                         ("雲端服務", None, "單價", None, 30_000), ("雲端服務", None, "預算數", None, 30_000)}
        assert result.renames == ()


# ---------------------------------------------------------------- 4. 用途別科目 only

def test_a_line_recoded_alone_is_one_line_changed():
    # field report 6 §6: LINE2 (一般事務, 2 × 1,000 = 2,000) moved from 2054 to 2051, its 說明 and figures the same:
    # one line 變更 (用途別科目) 2054 → 2051, +0; red before: 刪除 2054 −2,000 and 新增 2051 +2,000
    new = replace(BOOK, expenses=(LINE1, replace(LINE2, object_code="2051"), LINE3, LINE4))
    for result in compared(BOOK, new):
        assert lines_of(result) == [(CHANGED, A, "01行政業務", "2051", "一般事務", "一般事務", 2_000, 2_000, 0,
                                     ["用途別科目"])]
        assert result.lines[0]["old_object_code"] == "2054"
    text = comparison_text(compared(BOOK, new)[0], "案", "法定")
    assert f"變更（用途別科目） {A} 01行政業務 2054 → 2051 一般事務：2,000 → 2,000（+0）元" in text


def test_a_line_recoded_and_cut_is_not_taken_for_the_same_line():
    # 用途別科目 and 預算數 both differ (2054 → 2051, 2,000 → 1,000): nothing says it is the same line
    new = replace(BOOK, expenses=(LINE1, replace(LINE2, object_code="2051", quantity=1, amount=1_000), LINE3, LINE4))
    for result in compared(BOOK, new):
        assert sorted(lines_of(result), key=str) == sorted([
            (REMOVED, A, "01行政業務", "2054", "一般事務", "一般事務", 2_000, None, -2_000, []),
            (ADDED, A, "01行政業務", "2051", None, "一般事務", None, 1_000, 1_000, [])], key=str)


# ---------------------------------------------------------------- files: text, json, xlsx; template against hand-made

NEW_NAME, OLD_NOTE, NEW_NOTE = "一般行政-資訊管理", "約聘人員薪資。", "約聘人員及資安人員薪資。"


def _renamed_example(wb) -> None:
    """The example with 32020180101 一般行政-行政管理 renamed 一般行政-資訊管理 on every one of its lines, and the
    1020 約聘人員薪資。 line's 說明 made 約聘人員及資安人員薪資。 (its 4,410,710 元 unchanged)."""
    ws = wb["歲出明細"]
    header = [c.value for c in ws[1]]
    plan, name, note = (header.index(h) + 1 for h in ("工作計畫編號", "工作計畫名稱", "說明"))
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, plan).value == A:
            ws.cell(r, name).value = NEW_NAME
        if ws.cell(r, note).value == OLD_NOTE:
            ws.cell(r, note).value = NEW_NOTE


@pytest.fixture(scope="module")
def example_pair(tmp_path_factory):
    from test_reading import printed_example

    folder = tmp_path_factory.mktemp("pairing")
    old = save_atomic(example_workbook(), folder / "預算案.xlsx")
    wb = example_workbook()
    _renamed_example(wb)
    new = save_atomic(wb, folder / "法定預算.xlsx")
    printed_example(edit=_renamed_example).save(folder / "手製法定預算.xlsx")
    return old, new, folder / "手製法定預算.xlsx"


# 行政管理 is printed as a row name in 歲出機關別預算表, 歲出一級用途別科目分析表 and 約聘僱人員費用分析表
EXAMPLE_RENAMES = {(t, A, "行政管理", "資訊管理") for t in (AGENCY_BUDGET, LEVEL1, "約聘僱人員費用分析表")}
EXAMPLE_LINE = (CHANGED, A, "01行政業務", "1020", OLD_NOTE, NEW_NOTE, 4_410_710, 4_410_710, 0, ["說明"])


@pytest.mark.parametrize("printed_side", [False, True])
def test_json_names_renames_and_note_changes(example_pair, printed_side, capsys):
    old, new, handmade = example_pair
    assert main(["compare", str(old), str(handmade if printed_side else new), "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["figures"] == [] and out["notes"] == []
    assert {(r["table"], r["row_code"], r["old_name"], r["new_name"]) for r in out["renames"]} == EXAMPLE_RENAMES
    assert [tuple(x[k] for k in LINE_KEY) for x in out["lines"]] == [EXAMPLE_LINE]


def test_text_names_renames_and_note_changes(example_pair, capsys):
    old, new, _ = example_pair
    assert main(["compare", str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert "0 個數字不同，歲出明細 1 筆新增／刪除／變更，3 列更名" in out
    assert f"  {AGENCY_BUDGET} {A}：行政管理 → 資訊管理" in out
    assert f"變更（說明） {A} 01行政業務 1020 {OLD_NOTE} → {NEW_NOTE}：4,410,710 → 4,410,710（+0）元" in out


def test_xlsx_lists_renames_and_the_old_note(example_pair, tmp_path, capsys):
    old, new, handmade = example_pair
    target = tmp_path / "比較.xlsx"
    assert main(["compare", str(old), str(handmade), "--format", "xlsx", "-o", str(target)]) == 1
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["比較", "更名", "明細差異"]
    rows = list(wb["更名"].iter_rows(values_only=True))
    assert rows[0] == ("預算表", "列代碼", "舊名稱", "新名稱")
    assert set(rows[1:]) == EXAMPLE_RENAMES
    lines = list(wb["明細差異"].iter_rows(values_only=True))
    assert lines[0][:6] == ("狀態", "工作計畫編號", "分支計畫", "用途別科目", "舊說明", "說明")
    assert lines[1][:9] == (CHANGED, A, "01行政業務", "1020", OLD_NOTE, NEW_NOTE, 4_410_710, 4_410_710, 0)
    summary = {r[0]: r[1:] for r in wb["比較"].iter_rows(values_only=True) if r[0]}
    assert summary["更名"][0] == 3 and summary["歲出明細（明細差異）"][0] == 1


def test_an_unreadable_figure_of_a_renamed_row_is_not_a_difference(example_pair, tmp_path, capsys):
    """The hand-made book renames 行政管理 and its 歲出機關別預算表 本年度預算數 (F10, 43,769) reads #REF!: that figure
    is compared on neither side (named at F10), not 43,769 → （空白）."""
    from test_reading import printed_example

    old, _, _ = example_pair
    wb = printed_example(edit=_renamed_example)
    ws = wb[AGENCY_BUDGET]
    assert ws["E10"].value.endswith(f"{A} 資訊管理") and ws["F10"].value == 43_769
    ws["F10"].value, ws["F10"].data_type = "#REF!", "e"
    wb.save(tmp_path / "壞格.xlsx")
    assert main(["compare", str(old), str(tmp_path / "壞格.xlsx"), "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["figures"] == []
    assert [(n["rule"], n["cell"]) for n in out["notes"]] == [("compare-figure-unreadable", "F10")]
    assert {(r["table"], r["row_code"]) for r in out["renames"]} == {(t, A) for t, *_ in EXAMPLE_RENAMES}


def test_the_comparison_workbook_prints_one_page_wide(example_pair, tmp_path, capsys):
    """Each sheet of the 比較 workbook prints on landscape A4, fitted to one page wide, its header row repeated
    (rendered through LibreOffice: 8 pages for the renamed-and-cut example, before 24 pages of cut-off columns)."""
    old, _, handmade = example_pair
    target = tmp_path / "比較.xlsx"
    assert main(["compare", str(old), str(handmade), "--format", "xlsx", "-o", str(target)]) == 1
    wb = openpyxl.load_workbook(target)
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert (setup.orientation, setup.fitToWidth, setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == (
            "landscape", 1, 0, True), ws.title
    assert [wb[name].print_title_rows for name in ("比較", "更名", "明細差異")] == ["$4:$4", "$1:$1", "$1:$1"]


# ---------------------------------------------------------------- 人事費分析表: one per 工作計畫, under its plan line

def _next_year(wb) -> None:
    ws = wb["基本資料"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "年度":
            row[1].value = int(row[1].value) + 1


def _renamed_plan(wb) -> None:
    """臺中 115's 32020040101 一般行政-行政管理 renamed 一般行政-綜合行政 on each of its lines."""
    ws = wb["歲出明細"]
    header = [c.value for c in ws[1]]
    plan, name = (header.index(h) + 1 for h in ("工作計畫編號", "工作計畫名稱"))
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, plan).value == "32020040101":
            ws.cell(r, name).value = "一般行政-綜合行政"


def test_printed_staff_analysis_of_another_year_is_the_same_table(tmp_path, capsys):
    """臺中's printed 人事費分析表 heads its rows with the plan line 中華民國115年度0132010100-行政支出-一般行政-行政管理;
    the same book a year on (116, every figure the same) prints 中華民國116年度…: the same table, no difference.
    Before: all 128 of its figures removed and added again."""
    from test_reading import printed_example

    printed_example("example-taichung").save(tmp_path / "115.xlsx")
    printed_example("example-taichung", edit=_next_year).save(tmp_path / "116.xlsx")
    assert main(["compare", str(tmp_path / "115.xlsx"), str(tmp_path / "116.xlsx"), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["figures"], out["renames"], out["lines"]) == ([], [], [])
    # the same figures a year on: where 116's 上年度 is not 115's 本年度, each row is said (test_field19)
    assert [(n["rule"], n["message"]) for n in out["notes"]
            if n["rule"] != "compare-prior-year-differs"] == [  # the 年度 said, as the titles print them
        ("compare-years-differ", "兩本書年度不同：舊書為 115 年度，新書為 116 年度；各數字為兩個年度之間的增減")]


def test_printed_staff_analysis_of_a_renamed_plan_is_the_same_table(tmp_path, capsys):
    """行政管理 renamed 綜合行政: its printed 人事費分析表 (plan line …0132010100-行政支出-一般行政-綜合行政) is the same
    table, known by the code on that line; nothing in it differs. The rename is said where the name is a row name
    beside its code. 公務車輛明細表 prints the plan by name alone (一般行政行政管理, no code) in two sections (現有車輛:
    小客貨兩用車 10503 and 油電混合動力車 11306; 本年度新增車輛: 油電混合動力車 11501): the same rows, known by the
    vehicles under them, one 更名 (before: the 11 figures of its two plan rows removed under the old name and added
    under the new one)."""
    from test_reading import printed_example

    printed_example("example-taichung").save(tmp_path / "舊.xlsx")
    printed_example("example-taichung", edit=_renamed_plan).save(tmp_path / "新.xlsx")
    assert main(["compare", str(tmp_path / "舊.xlsx"), str(tmp_path / "新.xlsx"), "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["lines"] == [] and out["figures"] == []
    renames = {(r["table"], r["row_code"], r["old_name"], r["new_name"]) for r in out["renames"]}
    assert ("歲出機關別預算表", "32020040101", "行政管理", "綜合行政") in renames
    assert [r for r in out["renames"] if r["table"] == "公務車輛明細表"] == [
        {"table": "公務車輛明細表", "row_code": "一般行政綜合行政", "old_name": "一般行政行政管理", "new_name": "一般行政綜合行政"}]
    assert not [r for r in out["renames"] if r["table"] == "人事費分析表"]  # its rows keep their names
    assert main(["compare", str(tmp_path / "舊.xlsx"), str(tmp_path / "新.xlsx")]) == 1
    assert "  公務車輛明細表 一般行政綜合行政：一般行政行政管理 → 一般行政綜合行政" in capsys.readouterr().out.splitlines()


def _retype(wb, sheet: str, key: tuple[str, str], column: str, was: int, value: int) -> None:
    """On input ``sheet``, the row whose ``key`` column holds its text: ``column`` (holding ``was``) typed ``value``."""
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    where, at = header.index(key[0]) + 1, header.index(column) + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, where).value == key[1])
    assert int(ws.cell(row, at).value) == was
    ws.cell(row, at).value = value


def _cheaper_upkeep(wb) -> None:
    """臺中 115's 小客貨兩用車 APP-7693 (公務車輛 row 2): 養護費 51,000 → 50,000 元."""
    _retype(wb, "公務車輛", ("備註", "APP-7693"), "養護費", 51_000, 50_000)


def test_a_renamed_plan_whose_vehicle_costs_less_is_renamed_with_that_change(tmp_path, capsys):
    """A year on, 行政管理 renamed 綜合行政 and its 小客貨兩用車 kept 1,000 元 cheaper (養護費 51,000 → 50,000): the plan
    rows are paired by the vehicles under them (車輛種類, 購置年月, 排氣量, not their costs), one 更名, and the change is
    1,000 less on 養護費 of that vehicle (51,000 → 50,000), its plan's 現有車輛 row (59,500 → 58,500) and 合計
    (68,000 → 67,000), by hand; nothing removed or added. In the xlsx, the 更名 sheet names it and the
    公務車輛明細表 sheet holds those 3 figures."""
    import openpyxl
    from test_reading import printed_example

    def both(wb):
        _renamed_plan(wb)
        _cheaper_upkeep(wb)

    printed_example("example-taichung").save(tmp_path / "舊.xlsx")
    printed_example("example-taichung", edit=both).save(tmp_path / "新.xlsx")
    assert main(["compare", str(tmp_path / "舊.xlsx"), str(tmp_path / "新.xlsx"), "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert sorted((r["row_name"], r["old_row_name"], r["column"], r["old"], r["new"], r["change"])
                  for r in out["figures"] if r["table"] == "公務車輛明細表") == [
        ("", "", "養護費", 51_000, 50_000, -1_000),
        ("一般行政綜合行政", "一般行政行政管理", "養護費", 59_500, 58_500, -1_000),
        ("合計", "合計", "養護費", 68_000, 67_000, -1_000)]
    assert ("公務車輛明細表", "一般行政行政管理", "一般行政綜合行政") in {
        (r["table"], r["old_name"], r["new_name"]) for r in out["renames"]}
    target = tmp_path / "比較.xlsx"
    assert main(["compare", str(tmp_path / "舊.xlsx"), str(tmp_path / "新.xlsx"), "--format", "xlsx",
                 "-o", str(target)]) == 1
    capsys.readouterr()
    wb = openpyxl.load_workbook(target)
    assert ("公務車輛明細表", "一般行政綜合行政", "一般行政行政管理", "一般行政綜合行政") in set(
        wb["更名"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[6] for r in wb["公務車輛明細表"].iter_rows(min_row=2, values_only=True)) == [-1_000] * 3


def test_template_staff_analysis_of_a_renamed_plan_is_the_same_table(tmp_path, capsys):
    """Two template books, 行政管理 renamed 綜合行政 on each of its 歲出明細 lines (臺中 115): its 人事費分析表 is derived
    as 人事費分析表—行政管理 in one and 人事費分析表—綜合行政 in the other, the same table under the plan line it prints
    (0132010100-行政支出-一般行政-…), as a printed one is. Before: its figures all removed under the old title and
    added under the new one (61 + 61 on 臺北 116), exit 1 with nothing changed in it. A figure changed in it is still
    its change: 職員's 獎金 typed 1,000 元 more in 人事費分析 (15,962,925 → 15,963,925) is +1,000 on 職員, 正式員額
    and 合計, in 獎金 and 合計 (by hand)."""
    from xlbudget.app.example import TAICHUNG

    old = save_atomic(example_workbook(TAICHUNG), tmp_path / "舊.xlsx")
    wb = example_workbook(TAICHUNG)
    _renamed_plan(wb)
    save_atomic(wb, tmp_path / "新.xlsx")
    assert main(["compare", str(old), str(tmp_path / "新.xlsx"), "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert not [r for r in out["figures"] if r["table"].startswith("人事費分析表")]
    renames = {(r["table"], r["row_code"], r["old_name"], r["new_name"]) for r in out["renames"]}
    assert ("歲出機關別預算表", "32020040101", "行政管理", "綜合行政") in renames
    # its 公務車輛明細表 rows are known by the plan code a template book keys them by: renamed, nothing else
    assert {r for r in renames if r[0] == "公務車輛明細表"} == {
        ("公務車輛明細表", f"{section}/32020040101", "行政管理", "綜合行政") for section in ("現有車輛", "本年度新增車輛")}
    assert not [r for r in out["figures"] if r["table"] == "公務車輛明細表"]

    _retype(wb, "人事費分析", ("類別", "職員"), "獎金", 15_962_925, 15_963_925)
    save_atomic(wb, tmp_path / "新2.xlsx")
    assert main(["compare", str(old), str(tmp_path / "新2.xlsx"), "--format", "json"]) == 1
    staff = [r for r in json.loads(capsys.readouterr().out)["figures"] if r["table"].startswith("人事費分析表")]
    assert sorted((r["row_name"], r["column"], r["change"]) for r in staff) == [
        ("合計", "合計", 1000), ("合計", "獎金", 1000), ("正式員額", "合計", 1000), ("正式員額", "獎金", 1000),
        ("職員", "合計", 1000), ("職員", "獎金", 1000)]


def test_lines_cut_alike_pair_with_the_nearest_amount_whatever_their_order():
    # 系統維護 100,000 and 300,000 (1 式 each); the council cuts them to 90,000 and 250,000, and the 法定預算 lists
    # the larger first. Each new line differs from each old one in 單價 and 預算數 alike, so the nearest 預算數
    # decides: 100,000 → 90,000 (−10,000) and 300,000 → 250,000 (−50,000), by hand. By position it would be
    # 100,000 → 250,000 (+150,000) and 300,000 → 90,000 (−210,000).
    old = replace(BOOK, expenses=(LINE1, LINE2, *_three(100_000, 300_000), LINE4))
    new = replace(BOOK, expenses=(LINE1, LINE2, *_three(250_000, 90_000), LINE4))
    for result in compared(old, new):
        assert sorted((x["old_amount"], x["new_amount"], x["change"]) for x in result.lines) == [
            (100_000, 90_000, -10_000), (300_000, 250_000, -50_000)]


def test_two_notes_changed_alone_under_one_object_code_are_two_lines_changed():
    # two 2018 lines of B, 主機維護 50,000 and 網路維護 30,000, retitled 主機維運 and 網路維運, figures unchanged: each is
    # the line with its own figures, two 變更 (說明) of 0, by hand (not two removed and two added)
    def two(first, second):
        return tuple(replace(_item(B, NAME_B, "01數位服務", "2018", 1, amount, note), unit="式")
                     for amount, note in ((50_000, first), (30_000, second)))

    old = replace(BOOK, expenses=(LINE1, LINE2, *two("主機維護", "網路維護"), LINE4))
    new = replace(BOOK, expenses=(LINE1, LINE2, *two("主機維運", "網路維運"), LINE4))
    for result in compared(old, new):
        assert sorted(lines_of(result)) == [
            (CHANGED, B, "01數位服務", "2018", "主機維護", "主機維運", 50_000, 50_000, 0, ["說明"]),
            (CHANGED, B, "01數位服務", "2018", "網路維護", "網路維運", 30_000, 30_000, 0, ["說明"])]
