"""Field report 5 §1.1: whitespace inside an amount cell joined two figures into one (「5\\n2,000」 read as 52,000).

The example's 歲出明細 row 24 is 2051 物品, 1 年 × 32,000 = 32,000 元 (the workbook, checked below). Typed as a
lump sum (數量 and 單價 empty), its 預算數 pasted from a PDF as 數量 and 單價 in one cell, 「5\\n2,000」, printed
52 千元 for 物品 and 275,815 千元 for the agency (right: 32 and 275,795) with check exit 0.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from xlbudget.cli import main
from xlbudget.core.amounts import JoinedFigures, NotANumber, parse_int, parse_price, parse_quantity
from xlbudget.forms.inputs import SHEET_EXPENSES

from test_reading import column, example, problems, refused_everywhere


@pytest.mark.parametrize("typed", ["5\n2,000", "12\n500", "1\n2\n000", "32\n000", "5\r\n2,000", "5\t2000",
                                   "5\u30002,000", "5 2,000", "3 2,000", "1 2", "32,000\n5,000", "32,000 5,000",
                                   "(5\n2,000)", "△5\n2,000"])
def test_two_figures_in_one_amount_cell_are_refused(typed):
    """A line break or tab between digits, or a space that groups no three digits beside a comma-grouped figure:
    two figures, never their digits joined (52,000, 12,500, 12,000, 32,000, 12)."""
    with pytest.raises(JoinedFigures):
        parse_int(typed)
    with pytest.raises(JoinedFigures):
        parse_price(typed)


@pytest.mark.parametrize("typed, value", [
    ("32 000", 32_000), ("1 234 567", 1_234_567), ("32\u00a0000", 32_000),  # a space in place of every comma
    ("３２　０００", 32_000),  # full-width digits and space, as typed in a Chinese input method
    ("32,000\n", 32_000), ("\n32,000 ", 32_000),  # the ends are trimmed
    ("43,\n769", 43_769), ("43, 769", 43_769),  # a printed figure wrapped at its comma (field report 5, f12 B)
    ("△ 1,234", -1_234), ("( 1,234 )", -1_234), ("- 1,234", -1_234), ("３２，０００", 32_000)])
def test_whitespace_a_number_may_hold_is_still_read(typed, value):
    assert parse_int(typed) == value


@pytest.mark.parametrize("typed, value", [
    ("1.\n6", Decimal("1.6")), ("0.\n6", Decimal("0.6")),  # 1.6 元 a 頁, 0.6 元 a 張 (RULES.md's 單價 with 角)
    ("1,234.\n5", Decimal("1234.5")), ("1,234. 5", Decimal("1234.5")), ("12 .5", Decimal("12.5"))])
def test_a_price_wrapped_at_its_decimal_point_is_still_read(typed, value):
    """A 單價 with 角 wrapped at its point, as a converter wraps a figure at its comma (「43,\\n769」): one figure,
    read as before fc8bf38 (which refused it: the whitespace beside the point set apart no two figures, 「.5」 is none);
    「5\\n2.5」 (whitespace between digits) stays two."""
    assert parse_price(typed) == value
    with pytest.raises(JoinedFigures):
        parse_price("5\n2.5")


@pytest.mark.parametrize("typed", ["779\n(註)", "12 元"])
def test_a_figure_beside_words_is_still_no_number_and_not_two_figures(typed):
    """「779\\n(註)」 stays figure-unverifiable in a printed book (field report 5, What worked well): no number."""
    with pytest.raises(NotANumber) as info:
        parse_int(typed)
    assert not isinstance(info.value, JoinedFigures)


def test_quantity_refuses_two_figures_as_an_amount_does():
    """數量 was already refused (read_quantity, not-a-number): 「1\\n2」 is no 12; now named as two figures, as 預算數
    and 單價 are (field report 5, f19: the two doors disagreed). 「12 月」 is still 12, 「1 200張」 still no number."""
    for typed in ("1 2", "1\n2", "3x1 2"):
        with pytest.raises(JoinedFigures):
            parse_quantity(typed)
    with pytest.raises(NotANumber) as info:
        parse_quantity("1 200張")
    assert not isinstance(info.value, JoinedFigures)
    assert parse_quantity("12 月") == 12


def test_two_figures_in_a_quantity_cell_are_refused_at_its_cell(tmp_path):
    """f19: 數量 「1\\n2」 with 預算數 empty: refused at F24 as joined-figures (before: not-a-number)."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(24, column(ws, "數量")).value = "1\n2"
        ws.cell(24, column(ws, "預算數")).value = None
    book = example(tmp_path, edit)
    assert problems(book) - {("required-missing", "歲出明細!H24")} == {("joined-figures", "歲出明細!F24")}


def test_two_figures_in_a_printed_quantity_are_an_error_at_its_cell():
    """A hand-made 明細表's 數量 「1\\n12」 beside 單價 72,654 and 預算數 871,848 (12 × 72,654): joined-figures at C,
    as 「1,2月」 is misplaced-comma there (before: quantity-unverifiable, which is no error)."""
    from test_printed_field import DETAIL, _item, check_workbook, printed_copy
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.app.example import example_workbook
    from xlbudget.app.pipeline import build_workbook
    from xlbudget.readers.inputs import read_book
    built = example_workbook()
    build_workbook(built, read_book(input_grids(built, "範例"), "範例")[0])
    wb = printed_copy(built)
    ws = wb[DETAIL]
    r = _item(ws, "約僱人員薪資。")
    ws.cell(r, 3).value, ws.cell(r, 4).value, ws.cell(r, 5).value = "1\n12", 72_654, 871_848
    got = [(f.rule, f.cell.cell) for f in check_workbook(wb).findings
           if f.rule in ("joined-figures", "quantity-unverifiable", "item-product-mismatch")]
    assert got == [("joined-figures", f"C{r}")]


def _lump_sum(budget):
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        assert [ws.cell(24, column(ws, h)).value for h in ("用途別科目", "數量", "單價", "預算數")] == [
            "2051", 1, 32000, 32000]
        ws.cell(24, column(ws, "數量")).value = ws.cell(24, column(ws, "單價")).value = None
        ws.cell(24, column(ws, "預算數")).value = budget
    return edit


@pytest.mark.parametrize("typed", ["5\n2,000", "5 2,000", "5\u30002,000", "12\n500"])
def test_two_figures_in_a_budget_cell_are_refused_at_its_cell(tmp_path, capsys, typed):
    book = example(tmp_path, _lump_sum(typed))
    assert problems(book) == {("joined-figures", "歲出明細!H24")}
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!H24"])
    capsys.readouterr()
    main(["check", str(book)])
    err = capsys.readouterr().err
    assert "「預算數」的「" in err and "是以換行或空白隔開的兩個以上數字" in err
    if "\n" in typed:  # the message is one line: the break shown as a word
        assert "5（換行）2,000" in err or "12（換行）500" in err


@pytest.mark.parametrize("typed", ["3 2,000", "3\n2000"])
def test_two_figures_in_a_price_cell_are_refused_at_its_cell(tmp_path, typed):
    """單價 as 預算數 (field report 5, f19): with 預算數 empty, 「3 2,000」 was 32,000 and passed."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(24, column(ws, "單價")).value = typed
        ws.cell(24, column(ws, "預算數")).value = None
    book = example(tmp_path, edit)
    # with 預算數 empty for 數量 × 單價, it cannot be derived either: named at H24 too
    assert problems(book) - {("required-missing", "歲出明細!H24")} == {("joined-figures", "歲出明細!G24")}


def test_a_space_as_thousands_separator_gives_the_books_figures(tmp_path, capsys):
    """「32 000」 in H24 is 32,000: 各項費用彙計表 物品 32 千元 and 歲出機關別預算表 275,795 千元, as the example prints."""
    book = example(tmp_path, _lump_sum("32 000"))
    capsys.readouterr()
    assert main(["export", str(book), "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    goods = [r["value"] for r in records if r["table"] == "各項費用彙計表" and r["row_code"] == "2051"
             and r["column"] == "合計"]
    agency = [r["value"] for r in records if r["table"] == "歲出機關別預算表" and r["column"] == "本年度預算數"]
    assert goods == [32] and agency[0] == 275_795


def test_two_figures_in_a_printed_cell_are_an_error_at_its_cell(tmp_path, capsys):
    """A hand-made book's 彙計表 201800 × 數位發展計畫 (92,938) pasted as 「9\\n2,938」: read as 92,938 it passed
    without a word; two figures are an error at their cell, never one figure (f12 A: 「29\\n100」 was 29,100)."""
    from test_printed import _find, seed_printed_workbook
    from xlbudget.adapters.xlsxfile import save_atomic
    wb, _ = seed_printed_workbook()
    ws = wb["彙計表"]
    r = _find(ws, "201800")
    assert ws.cell(r, 3).value in (92938, "92,938")
    ws.cell(r, 3).value = "9\n2,938"
    path = save_atomic(wb, tmp_path / "兩數.xlsx")
    capsys.readouterr()
    assert main(["check", str(path), "--format", "json"]) == 1
    records = json.loads(capsys.readouterr().out)
    assert [(x["rule"], x["severity"], x["sheet"], x["cell"]) for x in records if x["severity"] != "info"] == [
        ("joined-figures", "error", "彙計表", f"C{r}")]


@pytest.mark.parametrize("typed", ["(-5)", "(−5)", "△-5", "-(5)", "▲(1,234)", "-△1,234", "(+5)"])
def test_two_signs_are_no_number(typed):
    """A negative mark followed by a second sign (field report 6 §6, the one sign reader split_sign): 「(-5)」 was read
    as +5 (the parentheses negating the minus), silently the opposite of what either sign says; now refused."""
    with pytest.raises(NotANumber):
        parse_int(typed)
    with pytest.raises(NotANumber):
        parse_price(typed)
