"""compare as field report 8 found it (/work/wt/FIELD-REPORT-8.md §2.4, §2.7): a 分支計畫 whose number alone changed
(03數位服務 → 05數位服務) or typed without its number (01行政業務 → 行政業務) was a whole 分支 removed and another added
(80 and 176 figures, 14 and 32 lines); a name changed under the same number was already one 【更名】 line.

The example (seed book): 歲出明細 rows 54–67 are plan 32020183201's 03數位服務, 14 lines, 43,751,000 元 (以前年度 說明:
「數位服務43,751千元」); every line of 32020180101 行政管理 is under 01行政業務, 43,769,000 元; its 2009 通訊費 line is
100,000 元.
"""

from __future__ import annotations

from xlbudget.app.comparison import (DETAIL, MOVED, BookFigures, DetailLine, compare_books, comparison_text)
from xlbudget.app.example import example_workbook
from xlbudget.app.pipeline import compare_files

from test_reading import column

PLAN, ADMIN = "32020183201", "32020180101"


def _books(tmp_path, edit):
    old, new = tmp_path / "old.xlsx", tmp_path / "new.xlsx"
    wb = example_workbook()
    wb.save(old)
    edit(wb["歲出明細"])
    wb.save(new)
    return compare_files(old, new)


def _retype(ws, plan, branch, to):
    rows = [r for r in range(2, ws.max_row + 1)
            if ws.cell(r, column(ws, "工作計畫編號")).value == plan and ws.cell(r, column(ws, "分支計畫")).value == branch]
    for r in rows:
        ws.cell(r, column(ws, "分支計畫")).value = to
    return rows


def _detail(result, *words):
    return [f for f in result.figures if f["table"] == DETAIL and any(w in f["row_code"] for w in words)]


def test_a_branch_renumbered_is_one_rename_and_the_real_move_still_shows(tmp_path):
    """f16: 03數位服務 → 05數位服務 and the 2009 通訊費 line (100,000 元) moved from 行政管理 to 01規劃發展. Was 106
    figures and 15 lines (14 of them 移列 03 → 05 of +0); now one 【更名】 line, no figure of the 分支 differs, and the one
    move is the one line: 行政管理 43,769 → 43,669 千元 (−100, hand), 數位發展計畫 232,026 → 232,126 (+100)."""
    def edit(ws):
        assert _retype(ws, PLAN, "03數位服務", "05數位服務") == list(range(54, 68))
        moved = [r for r in range(2, 34) if ws.cell(r, column(ws, "用途別科目")).value == "2009"]
        assert len(moved) == 1 and ws.cell(moved[0], column(ws, "預算數")).value == 100_000
        ws.cell(moved[0], 1).value, ws.cell(moved[0], 2).value = PLAN, "數位發展計畫-數位發展計畫"
        ws.cell(moved[0], 3).value = "01規劃發展"

    result = _books(tmp_path, edit)
    assert list(result.renames) == [{"table": DETAIL, "row_code": f"{PLAN}/05數位服務", "old_name": "03數位服務",
                                     "new_name": "05數位服務"}]
    assert _detail(result, "數位服務") == []
    assert [(x["status"], x["old_plan"], x["plan"], x["object_code"], x["change"]) for x in result.lines] == [
        (MOVED, ADMIN, PLAN, "2009", 0)]
    agency = {(f["row_code"], f["column"]): (f["old"], f["new"]) for f in result.figures if f["table"] == "歲出機關別預算表"}
    assert agency[(ADMIN, "本年度預算數")] == (43_769, 43_669)
    assert agency[(PLAN, "本年度預算數")] == (232_026, 232_126)
    text = comparison_text(result, "old.xlsx", "new.xlsx")
    assert "【更名】1 列\n  歲出計畫說明提要與各項費用明細表 32020183201/05數位服務：03數位服務 → 05數位服務" in text
    assert "歲出明細 1 筆新增／刪除／變更，1 列更名" in text.splitlines()[0]


def test_a_branch_typed_without_its_number_is_the_same_branch(tmp_path):
    """f19 name_only: every line of 01行政業務 typed 「行政業務」 (build prints it so): was 176 figures and 32 lines
    (−43,769,000 / +43,769,000); now the same figures, the same lines and one 【更名】."""
    result = _books(tmp_path, lambda ws: _retype(ws, ADMIN, "01行政業務", "行政業務"))
    assert (result.figures, result.lines) == ((), ())
    assert list(result.renames) == [{"table": DETAIL, "row_code": f"{ADMIN}/行政業務", "old_name": "01行政業務",
                                     "new_name": "行政業務"}]


def test_a_branch_renumbered_with_a_line_cut_compares_its_figures(tmp_path):
    """03數位服務 → 05數位服務 and its first line (row 54, 2018, 950,000 元) cut by 50,000: the 分支 compared under
    05數位服務, 43,751,000 → 43,701,000 (hand), the line changed, not removed."""
    def edit(ws):
        _retype(ws, PLAN, "03數位服務", "05數位服務")
        assert ws["H54"].value == 950_000 and ws["F54"].value == 1
        ws["G54"], ws["H54"] = 900_000, 900_000

    result = _books(tmp_path, edit)
    branch = [(f["row_code"], f["old"], f["new"]) for f in _detail(result, "數位服務") if f["column"] == "預算數"
              and f["row_code"].count("/") == 1]
    assert branch == [(f"{PLAN}/05數位服務", 43_751_000, 43_701_000)]
    assert [(x["status"], x["branch"], x["change"]) for x in result.lines] == [("變更", "05數位服務", -50_000)]


def test_two_branches_that_truly_differ_stay_cut_and_added(tmp_path):
    """03數位服務 → 05雲端服務 (another number and another name): no 更名; the old 分支 removed, the new one added."""
    result = _books(tmp_path, lambda ws: _retype(ws, PLAN, "03數位服務", "05雲端服務"))
    assert result.renames == ()
    rows = {f["row_code"]: (f["old"], f["new"]) for f in _detail(result, "服務") if f["row_code"].count("/") == 1
            and f["column"] == "預算數"}
    assert rows == {f"{PLAN}/03數位服務": (43_751_000, None), f"{PLAN}/05雲端服務": (None, 43_751_000)}


def test_branches_swapped_by_number_are_paired_by_name(tmp_path):
    """A 分支 inserted as 03 (the council's): 03數位服務 → 04數位服務, 04資通安全 → 05資通安全, a new 03雲端服務 of one
    line. Paired by number, 03數位服務 would be 「renamed」 03雲端服務 and so on down; by name each is its own."""
    def edit(ws):
        _retype(ws, PLAN, "04資通安全", "05資通安全")
        rows = _retype(ws, PLAN, "03數位服務", "04數位服務")
        ws.cell(rows[0], column(ws, "分支計畫")).value = "03雲端服務"

    result = _books(tmp_path, edit)
    assert sorted((r["old_name"], r["new_name"]) for r in result.renames) == [("03數位服務", "04數位服務"),
                                                                              ("04資通安全", "05資通安全")]
    assert [(x["status"], x["old_branch"], x["branch"]) for x in result.lines] == [(MOVED, "03數位服務", "03雲端服務")]


def _figures(branches):
    """A hand-made book's lines: each (branch, 說明, amount) under plan 32020183201, 2018."""
    return BookFigures("printed", (), tuple(DetailLine(PLAN, b, "2018", note, "式", "1", amount, amount)
                                            for b, note, amount in branches))


def test_a_name_two_branches_have_is_not_guessed_and_is_said():
    """A hand-made book (build refuses one name under two numbers, a printed one may print it): 03數位服務 in the old
    book, 05數位服務 and 06數位服務 in the new: no pairing, a note naming all three, each line moved as its own."""
    old = _figures([("03數位服務", "甲", 100), ("03數位服務", "乙", 200)])
    new = _figures([("05數位服務", "甲", 100), ("06數位服務", "乙", 200)])
    result = compare_books(old, new)
    assert result.renames == ()
    notes = [n.finding.message for n in result.notes if n.finding.rule == "compare-branch-unpaired"]
    assert notes == ["工作計畫 32020183201 的分支計畫「數位服務」舊書為 03數位服務，新書為 05數位服務、06數位服務："
                     "無法判斷何者為同一分支計畫，未配對，其數字與細項各列為刪除及新增"]


def test_a_branch_cut_whose_number_a_renumbered_one_takes_is_removed_not_renamed():
    """Old 03數位服務 and 05資通安全, new 05數位服務 and 03雲端服務: 資通安全 cut, 數位服務 renumbered 05, 雲端服務 new.
    05資通安全 is removed (乙 200 → none), never paired with 05數位服務 by number; 甲 (100, both books) is one line,
    unchanged; nothing said (was: nothing paired by name, a note, and every number-pairing left to chance)."""
    old = _figures([("03數位服務", "甲", 100), ("05資通安全", "乙", 200)])
    new = _figures([("05數位服務", "甲", 100), ("03雲端服務", "丙", 300)])
    result = compare_books(old, new)
    assert result.notes == ()
    assert [(x["status"], x["old_branch"], x["branch"], x["note"], x["change"]) for x in result.lines] == [
        ("刪除", "05資通安全", "05資通安全", "乙", -200), ("新增", None, "03雲端服務", "丙", 300)]


def test_a_branch_cut_and_the_rest_renumbered_are_one_cut_and_three_renames(tmp_path):
    """The mirror of one inserted: the council cuts 01規劃發展 (9 lines, 48,803 千元 in the seed's 歲出計畫說明) and
    the officer renumbers 02資源管理 → 01, 03數位服務 → 02, 04資通安全 → 03. Was: 01規劃發展 「renamed」 01資源管理,
    02資源管理 「renamed」 02數位服務… (251 figures, 48 lines) under a note saying nothing was paired. Now three 更名,
    the 9 lines of 01規劃發展 removed (−48,803,000 元, hand from the seed), the plan 232,026,000 → 183,223,000 元."""
    def edit(ws):
        cut = [r for r in range(2, ws.max_row + 1) if ws.cell(r, column(ws, "分支計畫")).value == "01規劃發展"]
        for old, new in (("02資源管理", "01資源管理"), ("03數位服務", "02數位服務"), ("04資通安全", "03資通安全")):
            _retype(ws, PLAN, old, new)
        for r in reversed(cut):
            ws.delete_rows(r)

    result = _books(tmp_path, edit)
    assert sorted((r["old_name"], r["new_name"]) for r in result.renames) == [
        ("02資源管理", "01資源管理"), ("03數位服務", "02數位服務"), ("04資通安全", "03資通安全")]
    assert [n.finding.rule for n in result.notes if n.finding.rule == "compare-branch-unpaired"] == []
    assert {(x["status"], x["branch"]) for x in result.lines} == {("刪除", "01規劃發展")}
    assert len(result.lines) == 9 and sum(x["change"] for x in result.lines) == -48_803_000
    branches = {f["row_code"]: (f["old"], f["new"]) for f in result.figures if f["table"] == DETAIL
                and f["column"] == "預算數" and f["row_code"].count("/") <= 1}
    assert branches == {PLAN: (232_026_000, 183_223_000), f"{PLAN}/01規劃發展": (48_803_000, None)}


def test_two_old_branches_of_one_number_are_no_pairing_to_speak_of():
    """A hand-made old book printing 01行政業務 and 01行政 (one number, two names) and a new one the same: nothing
    paired by name, so nothing said (was a compare-branch-unpaired note naming no pairing)."""
    book = _figures([("01行政業務", "甲", 100), ("01行政", "乙", 200)])
    assert compare_books(book, book).notes == ()
