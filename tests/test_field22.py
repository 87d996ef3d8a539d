"""Session 36, field22: books typed into the template, fed the ugliest input (never silently wrong).

Figures are the example book's (高雄市政府資訊中心 113年度): 歲出明細 row 22 is 32020180101's 2018 資訊服務費,
數量 1 × 單價 28,000 = 預算數 28,000 元; row 23 its 2036 講座鐘點費, 6 時 × 2,000 = 12,000 元.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from test_reading import column, example, problems, refused_everywhere

from xlbudget.core.amounts import (AmbiguousPoint, parse_decimal, parse_int, parse_percent, parse_price,
                                   parse_printed_quantity, parse_quantity)
from xlbudget.forms.inputs import SHEET_EXPENSES

# ------------------------------------------------------------ 「28.000」: a thousands point, or a decimal one?


@pytest.mark.parametrize("read, typed", [
    (parse_int, "28.000"),  # 28,000 as a European copy writes it, or 28 with three zeros: 1,000 times apart
    (parse_int, "１２３．０００"), (parse_int, "(1.000)"), (parse_int, "△1.000"), (parse_int, "+999.000"),
    (parse_int, "28. 000"),  # a point wrapped as a comma is (「43,\n769」): still the same two readings
    (parse_price, "1.600"),  # 1.6 元 a 頁 (臺北 116's 單價), or 1,600 元
    (parse_price, "1.234"),
    (parse_quantity, "6.000"), (parse_quantity, "2人×6.000月"), (parse_printed_quantity, "1.500"),
])
def test_a_point_before_three_digits_without_a_comma_is_neither_reading(read, typed):
    """Text with one point and exactly three digits after it, a whole part of one to three digits (not 0) and no
    comma: 「28.000」 was read as 28 (預算數 28 元, 單價 28 元: 1 × 28 = 28, no finding at either cell), 「1.600」 as
    1.6 元; either is 1,000 times the other reading (28,000; 1,600). Refused, never one of the two."""
    with pytest.raises(AmbiguousPoint):
        read(typed)


@pytest.mark.parametrize("read, typed, value", [
    (parse_int, "1,234.000", 1234),  # a comma before it: the point is a decimal one
    (parse_int, "28.00", 28), (parse_int, "28.0", 28), (parse_int, "28.0000", 28),  # not three digits: no grouping
    (parse_int, "1234.000", 1234),  # four digits before the point: grouped, it would be 1.234.000
    (parse_price, "0.125", Decimal("0.125")),  # a whole part 0 groups nothing
    (parse_price, "1.6", Decimal("1.6")), (parse_price, 1.6, Decimal("1.6")),
    (parse_int, 28.0, 28),  # a number, not text: Excel holds 28 whatever it shows
    (parse_quantity, "6.0", 6), (parse_quantity, "12個月", 12),
    (parse_decimal, "31.500", Decimal("31.500")),  # 油料單價 in 元 a 公升: no figure of thousands, read as typed
    (parse_percent, "52.320%", Decimal("52.320")),  # 分攤比率 in %
])
def test_a_point_that_groups_nothing_is_still_read(read, typed, value):
    assert read(typed) == value


def _row22(wb):
    ws = wb[SHEET_EXPENSES]
    row = [ws.cell(22, column(ws, name)).value for name in ("用途別科目", "數量", "單價", "預算數")]
    assert row == ["2018", 1, 28000, 28000], row
    return ws


def test_an_amount_and_a_price_typed_28_000_are_refused_at_their_cells(tmp_path, capsys):
    """單價 and 預算數 both typed 「28.000」 (text, as pasted from a European copy): read as 28 and 1 × 28 = 28, so the
    line printed 28 元 where 28,000 was meant, its plan's 2000 業務費 751,028 元 (779,000 − 28,000 + 28), and only
    a not-whole-thousand warning at H32 hinted. Now an error at G22 and H22, and nothing built."""
    def edit(wb):
        ws = _row22(wb)
        ws.cell(22, column(ws, "單價")).value = "28.000"
        ws.cell(22, column(ws, "預算數")).value = "28.000"

    book = example(tmp_path, edit)
    assert problems(book) == {("ambiguous-point", "歲出明細!G22"), ("ambiguous-point", "歲出明細!H22")}
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!G22", "歲出明細!H22"])


def test_a_lump_sum_typed_28_000_is_refused_at_its_cell(tmp_path, capsys):
    """A line without 數量 or 單價 (a lump sum): 預算數 「28.000」 was 28 元 with no product to disagree."""
    def edit(wb):
        ws = _row22(wb)
        ws.cell(22, column(ws, "數量")).value = None
        ws.cell(22, column(ws, "單價")).value = None
        ws.cell(22, column(ws, "預算數")).value = "28.000"

    book = example(tmp_path, edit)
    assert problems(book) == {("ambiguous-point", "歲出明細!H22")}
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!H22"], addin_too=False)


def test_a_quantity_typed_6_000_with_the_amount_left_to_it_is_refused(tmp_path):
    """Row 23: 數量 「6.000」 × 單價 2,000 with 預算數 empty (數量 × 單價 fills it): was 12,000, where 6,000 時 would
    be 12,000,000. Named at F23 (and H23, which cannot be derived)."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        assert [ws.cell(23, column(ws, n)).value for n in ("用途別科目", "數量", "單價")] == ["2036", 6, 2000]
        ws.cell(23, column(ws, "數量")).value = "6.000"
        ws.cell(23, column(ws, "預算數")).value = None

    book = example(tmp_path, edit)
    assert problems(book) - {("required-missing", "歲出明細!H23")} == {("ambiguous-point", "歲出明細!F23")}


# ------------------------------------------------------------ two texts that look alike: an invisible character


def test_two_branches_alike_but_for_an_invisible_character_are_named(tmp_path):
    """32020180101's lines (rows 2–33) under 分支計畫 「行政業務」 (no number), row 22 's 「行政​業務」 with a
    zero-width space pasted in: the 明細表 printed two branches that read alike, 行政業務 43,741,000 (43,769,000 −
    28,000) and 行政​業務 28,000, without a word. Now branch-conflict at C22, naming C2, the character shown."""
    from xlbudget.adapters.books import read_inputs

    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        c = column(ws, "分支計畫")
        for r in range(2, 34):
            assert ws.cell(r, 1).value == "32020180101"
            ws.cell(r, c).value = "行政業務"
        ws.cell(22, c).value = "行政\u200b業務"

    book = example(tmp_path, edit)
    assert problems(book) == {("branch-conflict", "歲出明細!C22")}
    with pytest.raises(Exception) as info:
        read_inputs(book)
    (found,) = [f for f in info.value.findings if f.rule == "branch-conflict"]
    assert [c.cell for c in found.related] == ["C2"] and "（零寬空格 U+200B）" in found.message


def test_two_numbered_branches_alike_but_for_an_invisible_character_are_named_once(tmp_path):
    """「01行政​業務」 beside 「01行政業務」: one number, two names (as before), told once, not twice."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(22, column(ws, "分支計畫")).value = "01行政\u200b業務"

    assert problems(example(tmp_path, edit)) == {("branch-conflict", "歲出明細!C22")}


@pytest.mark.parametrize("typed", ["考\u200b察", "考察\u200b", "\ufeff考察", "考 察", "考\u3000察", "考\u00ad察"])
def test_a_trip_kind_alike_to_a_kind_but_for_spaces_or_invisible_characters_is_named(tmp_path, capsys, typed):
    """出國計畫 B2 (the one trip, 考察, 400 千元): typed 「考​察」 it printed a 總表 row of its own beside an empty
    考察, and a 類別表 of its own instead of 考察、訪問, without a word (another 類別 prints so by design: 觀摩
    below). Now an error at B2 naming 考察; the book is still built, exit 1."""
    from xlbudget.cli import main

    def edit(wb):
        assert wb["出國計畫"]["B2"].value == "考察"
        wb["出國計畫"]["B2"].value = typed

    book = example(tmp_path, edit)
    capsys.readouterr()
    assert main(["check", str(book), "--format", "json"]) == 1
    import json
    found = [(f["rule"], f["cell"], f["expected"]) for f in json.loads(capsys.readouterr().out)
             if f["severity"] == "error"]
    assert found == [("trip-kind-lookalike", "B2", "考察")]


def test_another_trip_kind_is_still_printed_as_typed(tmp_path, capsys):
    from xlbudget.cli import main

    def edit(wb):
        wb["出國計畫"]["B2"].value = "觀摩"

    book = example(tmp_path, edit)
    capsys.readouterr()
    assert main(["check", str(book)]) == 0
    assert "trip-kind" not in capsys.readouterr().out


# ------------------------------------------------------------ 市政白皮書 typed as printed: 主軸 once above its projects


def test_a_project_with_its_theme_blank_below_another_theme_is_named():
    """市政白皮書 typed as 臺北 116 prints it: 友善共融 on its first project, the next left blank, a heading row
    「創新活力」, then two projects with 主軸 blank. The table printed ◎友善共融 with all three blank ones under it
    (116年度人行道改善工程 300,000,000, and the two typed under 創新活力: 115年度道路改善及維護工程 600,000,000 and
    115年度專案路面及附屬設施更新工程 150,000,000), then ◎創新活力 empty, without a word (it prints so still: the
    table is as typed, the error says why). Now an error at A5 and A6 (the rows typed under 創新活力); A3, under 友善共融
    and printed there, is fine."""
    from test_whitepaper import POLICY, PROJECTS, PLAN, grids
    from xlbudget.derive.whitepaper import derive_whitepaper
    from xlbudget.readers.inputs import read_book
    from xlbudget.rules.whitepaper import check_whitepaper_themes

    def line(theme, n):
        return [theme] + POLICY[1:] + [PROJECTS[n][0], PLAN, PROJECTS[n][1]]

    rows = [line("友善共融", 0), line("", 1), ["創新活力", "", "", "", "", "", ""], line("", 2), line("", 3)]
    book, _ = read_book(grids(rows), "臺北")
    printed = [(r.cells.get("綱要"), r.cells.get("本年度預算案數")) for r in derive_whitepaper(book).rows]
    assert printed == [("◎友善共融", None), ("無礙共融", 350_000_000), ("無礙共融", 300_000_000),
                       ("無礙共融", 600_000_000), ("無礙共融", 150_000_000), ("◎創新活力", None)]
    found = [(f.rule, f.cell.cell, f.expected) for f in check_whitepaper_themes(book)]
    assert found == [("whitepaper-theme-blank", "A5", "創新活力"), ("whitepaper-theme-blank", "A6", "創新活力")]
    assert all("「◎友善共融」之下" in f.message for f in check_whitepaper_themes(book))


def test_projects_with_their_theme_on_every_row_or_blank_under_it_are_not_named():
    """Every row with its 主軸 (the example), or the blank ones right under the only 主軸 typed: printed under it."""
    from test_whitepaper import POLICY, PROJECTS, PLAN, grids
    from xlbudget.readers.inputs import read_book
    from xlbudget.rules.whitepaper import check_whitepaper_themes

    def line(theme, n):
        return [theme] + POLICY[1:] + [PROJECTS[n][0], PLAN, PROJECTS[n][1]]

    for rows in ([line("友善共融", n) for n in range(3)], [line("友善共融", 0), line("", 1), line("", 2)],
                 [line("", 0), line("", 1)]):
        book, _ = read_book(grids(rows), "臺北")
        assert check_whitepaper_themes(book) == []


# ------------------------------------------------------------ 計畫項目 typed two ways within its 分支計畫


@pytest.mark.parametrize("typed, what", [
    ("23建國高架道路隔音牆更新工程（第一期）", "名稱相同而編號不同"),  # printed as 22… 48,530,572 and 23… 1,469,428
    ("22建國高架道路隔音牆更新工程", "編號相同而名稱不同"),
    ("22建國高架道路\u200b隔音牆更新工程（第一期）", "（零寬空格 U+200B）隔音牆"),  # one number, the character shown
])
def test_a_project_typed_two_ways_within_its_branch_is_named(typed, what):
    """臺北 116's 03橋梁工程 project 22建國高架道路隔音牆更新工程（第一期）: rows 255–257 (50,000,000 元: 48,530,572
    on rows 255 and 257, 1,469,428 on row 256). Row 256 typed 23… printed two 計畫項目 of one name, 48,530,572 and
    1,469,428, with nothing said (分年資金需求 finds a project with or without its number, so its 50,000,000 still
    agreed). Now project-conflict at N256, naming N255, as branch-conflict names two 分支計畫."""
    from xlbudget.app.example import TAIPEI, example_workbook
    from xlbudget.adapters.books import input_grids
    from xlbudget.core.errors import InputError
    from xlbudget.readers.inputs import read_book

    wb = example_workbook(TAIPEI)
    ws = wb[SHEET_EXPENSES]
    c, amount = column(ws, "計畫項目"), column(ws, "預算數")
    assert [ws.cell(r, c).value for r in (255, 256, 257)] == ["22建國高架道路隔音牆更新工程（第一期）"] * 3
    assert ws.cell(255, amount).value + ws.cell(256, amount).value + ws.cell(257, amount).value == 50_000_000
    assert ws.cell(256, amount).value == 1_469_428
    ws.cell(256, c).value = typed
    with pytest.raises(InputError) as info:
        read_book(input_grids(wb, "臺北"), "臺北")
    found = [(f.rule, f.cell.cell, [r.cell for r in f.related]) for f in info.value.findings]
    assert found == [("project-conflict", "N256", ["N255"])]
    assert what in info.value.findings[0].message


# ------------------------------------------------------------ 業務計畫-工作計畫 and 目-節 typed with another dash


@pytest.mark.parametrize("dash", ["–", " – ", "‐", "−", "―", "﹣"])  # en dash (Word's for « - »), hyphen, minus …
def test_a_plan_name_typed_with_another_dash_is_split_as_with_a_hyphen(tmp_path, dash):
    """32020180101 typed 「一般行政–行政管理」 (an en dash: Word makes 「一般行政 - 行政管理」 so): the tables printed the
    業務計畫 32020180100 and the plan 32020180101 both as 「一般行政–行政管理」, where the seed prints 一般行政 and
    行政管理, with nothing said. Read as 一般行政-行政管理, as 「－」 and 「—」 already were."""
    from xlbudget.adapters.books import read_inputs
    from xlbudget.derive.budgets import derive_agency_budget

    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        c = column(ws, "工作計畫名稱")
        for r in range(2, 34):
            assert ws.cell(r, c).value == "一般行政-行政管理"
            ws.cell(r, c).value = f"一般行政{dash}行政管理"

    book, _ = read_inputs(example(tmp_path, edit))
    names = {row.code: row.name for row in derive_agency_budget(book).rows}
    assert (names["32020180100"], names["32020180101"]) == ("一般行政", "行政管理")


@pytest.mark.parametrize("dash", ["－", "–", " - "])
def test_a_revenue_name_typed_with_another_dash_is_split_as_with_a_hyphen(tmp_path, dash):
    """歲入明細 09020180102 typed 「上級政府補助收入－計畫型補助收入」: the 歲入項目說明提要與預算明細表 printed its 節 line
    as the whole text (with 「 - 」, as 「 計畫型補助收入」), not 計畫型補助收入, with nothing said; 「—」 alone was read.
    以前年度's 科目名稱 is read the same way."""
    from xlbudget.adapters.books import read_inputs

    def edit(wb):
        assert wb["歲入明細"]["B2"].value == "上級政府補助收入-計畫型補助收入"
        wb["歲入明細"]["B2"].value = f"上級政府補助收入{dash}計畫型補助收入"
        assert wb["以前年度"]["B5"].value == "賠償收入-一般賠償收入"
        wb["以前年度"]["B5"].value = f"賠償收入{dash}一般賠償收入"

    book, findings = read_inputs(example(tmp_path, edit))
    assert [r.name for r in book.revenues] == ["上級政府補助收入-計畫型補助收入"]
    assert [p.name for p in book.prior if p.code == "04020180301"] == ["賠償收入-一般賠償收入"]
    assert not [f for f in findings if f.rule.startswith("revenue-")]


@pytest.mark.parametrize("first", [False, True])  # the odd one typed after the other, or first
@pytest.mark.parametrize("typed", ["友善\u200b共融", "友善 共融", "\ufeff友善共融"])
def test_a_theme_alike_to_another_but_for_spaces_or_invisible_characters_is_named(typed, first):
    """The second project's 主軸 typed 「友善​共融」 (a zero-width space pasted in): the table printed two headings
    that read ◎友善共融, 350,000,000 under the first and 300,000,000 under the second, without a word. Now an error
    at A3 naming A2's 友善共融, as trip-kind-lookalike says of a 出國計畫 類別; typed on the first row, at A2 naming
    A3's (the text as seen is the one to keep)."""
    from test_whitepaper import POLICY, PROJECTS, PLAN, grids
    from xlbudget.derive.whitepaper import derive_whitepaper
    from xlbudget.readers.inputs import read_book
    from xlbudget.rules.whitepaper import check_whitepaper_themes

    themes = [typed, "友善共融"] if first else ["友善共融", typed]
    rows = [[themes[0]] + POLICY[1:] + [PROJECTS[0][0], PLAN, PROJECTS[0][1]],
            [themes[1]] + POLICY[1:] + [PROJECTS[1][0], PLAN, PROJECTS[1][1]]]
    book, _ = read_book(grids(rows), "臺北")
    headings = [r.cells.get("綱要") for r in derive_whitepaper(book).rows if r.cells.get("綱要", "").startswith("◎")]
    assert len(headings) == 2  # printed as typed: the error says why
    found = [(f.rule, f.cell.cell, f.expected, [c.cell for c in f.related]) for f in check_whitepaper_themes(book)]
    odd, kept = ("A2", "A3") if first else ("A3", "A2")
    assert found == [("whitepaper-theme-lookalike", odd, "友善共融", [kept])]
