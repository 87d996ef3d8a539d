"""Field report 10 §1.2 and §2.1: 歲入明細's 經資門 and 收支併列 read as typed, or refused at the cell.

§1.2 (a) 經資門 「資」 (any spelling but 經常/資本/經常門/資本門) was read as 經常 without a word: 經常門合計 58,019
for 57,019 + 資本門 1,000. It is refused at the cell as 歲出明細's is (one reader of 經資門, items._typed_basis).
(b) A 科目 of 以前年度 only (no 歲入明細 line this year) had its 經資門 guessed 經常: read from a 經資門 column the officer
adds to 以前年度, else said (prior-basis-assumed, info; build and check both run it, rules.consistency) where a 資本門
revenue may stand (財產售價, 補助, 捐獻).
§2.1 收支併列 「無」, 「-」, 「不是」 were read as 是 (every value but "", 0, 否, N, False): one reader of yes/no cells
(SheetReader.yes_no): a yes or a no, anything else refused at the cell.

The example book (the seed): 歲入明細 row 2, 09020180102 計畫型補助收入 57,019,000 元, 收支併列 是; 以前年度 row 4 the
same 科目, 上年度 2,800, 前年度決算 38,533 千元; row 5 04020180301 賠償收入 上年度 0, 前年度決算 54 (seed 歲入來源別預算表:
合計 57,019 / 2,800 / 38,587 = 38,533 + 54).
"""

from __future__ import annotations

import pytest

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.example import TAIPEI, example_workbook
from xlbudget.core.errors import InputError
from xlbudget.derive.budgets import derive_revenue_sources
from xlbudget.readers.inputs import read_book
from xlbudget.rules.consistency import check_people

SALE = ["07020180201", "財產售價-出售不動產", "04財產收入", "006高雄市政府資訊中心", "02財產售價", "01出售不動產"]
COMPENSATION = ["04020180301", "賠償收入-一般賠償收入", "02罰款及賠償收入", "007高雄市政府資訊中心", "01賠償收入",
                "01一般賠償收入"]


def _read(edit):
    wb = example_workbook()
    edit(wb)
    return read_book(input_grids(wb))


def _problems(edit):
    with pytest.raises(InputError) as err:
        _read(edit)
    return [(f.rule, str(f.cell), f.message) for f in err.value.findings]


def _totals(book) -> dict[str, tuple]:
    """歲入來源別預算表's 合計 rows: (本年度, 上年度, 前年度決算) 千元."""
    table = derive_revenue_sources(book)
    return {r.code: tuple(r.cells[k] for k in ("本年度預算數", "上年度預算數", "前年度決算數"))
            for r in table.rows if r.code.endswith("門合計")}


def _sale_line(basis):
    def edit(wb):
        ws = wb["歲入明細"]
        ws["M1"], ws["M2"] = "經資門", "經常"
        ws.append([*SALE, "式", 1, 1_000_000, 1_000_000, "否", "出售閒置宿舍。", basis])
    return edit


@pytest.mark.parametrize("typed", ["資", "資本收入", "x"])
def test_a_revenue_basis_that_is_neither_is_refused_at_its_cell(typed):
    """Red on main: read as 經常 (經常門合計 58,019 = 57,019 + 1,000), no problem raised."""
    assert [(rule, cell) for rule, cell, _ in _problems(_sale_line(typed))] == [("not-a-choice", "歲入明細!M3")]
    assert f"經資門應為「經常」或「資本」，此處為「{typed}」" in _problems(_sale_line(typed))[0][2]


@pytest.mark.parametrize("typed", ["資本", "資本門", " 資本 "])
def test_a_capital_revenue_is_read_as_capital(typed):
    book, _ = _read(_sale_line(typed))
    # by hand: 經常 57,019,000 元 (the seed's 補助) → 57,019; 資本 1,000,000 元 → 1,000; 以前年度 has no 07 line: 0
    assert _totals(book) == {"經常門合計": (57_019, 2_800, 38_587), "資本門合計": (1_000, 0, 0)}


def _prior_only(basis=None, code=SALE):
    def edit(wb):
        ws = wb["以前年度"]
        if basis is not None:
            ws["J1"] = "經資門"
        ws.append([code[0], code[1], 3000, 0, *code[2:], None, basis])
    return edit


def _assumed(book) -> list:
    return [f for f in check_people(book) if f.rule == "prior-basis-assumed"]


def test_a_prior_only_capital_revenue_reads_its_basis_from_an_added_column():
    """以前年度 07020180201 上年度 3,000 千元, 經資門 資本 in a column the officer added. By hand: 上年度 經常門合計
    2,800 (the seed's 補助), 資本門合計 3,000. Red on main: 上年度 經常門合計 5,800, no 資本門合計 row."""
    book, _ = _read(_prior_only("資本"))
    assert _totals(book) == {"經常門合計": (57_019, 2_800, 38_587), "資本門合計": (0, 3_000, 0)}
    assert _assumed(book) == []


def test_a_prior_only_revenue_without_basis_is_said_to_be_counted_current():
    """No 經資門 beside it: 經常門合計 5,800 (2,800 + 3,000), as before, and said at its 科目編號 (以前年度!A6). Red on
    main: no finding."""
    book, _ = _read(_prior_only())
    assert _totals(book) == {"經常門合計": (57_019, 5_800, 38_587)}
    said = _assumed(book)
    assert [(str(f.cell), f.severity.value) for f in said] == [("以前年度!A6", "info")]
    assert "07020180201" in said[0].message and "上年度預算數 3,000 千元" in said[0].message
    assert "經常門合計" in said[0].message


def test_a_prior_only_revenue_of_a_current_source_is_not_said():
    """The seed's own 賠償收入 (以前年度 only, 前年度決算 54) is 經常門 whatever: nothing said (款 04 carries no 資本門);
    nor a 財產孳息 (臺北's 利息收入, 前年度決算 78). 臺北's 土地售價 (1,968), 計畫型補助收入 (444,808: 工程建造費) and
    一般捐獻 (52,563) are said: the book's 歲入預算表 prints no 經常門合計 to tell."""
    book, _ = _read(lambda wb: None)
    assert _assumed(book) == []
    taipei, _ = read_book(input_grids(example_workbook(TAIPEI), "臺北"), "臺北")
    assert [(f.cell.cell, f.message.split()[1]) for f in _assumed(taipei)] == [
        ("A17", "07071520201"), ("A20", "09071520102"), ("A21", "10071520101")]


def test_a_prior_basis_that_is_neither_is_refused_at_its_cell():
    assert [(rule, cell) for rule, cell, _ in _problems(_prior_only("資"))] == [("not-a-choice", "以前年度!J6")]


def _second_revenue(flag):
    def edit(wb):
        wb["歲入明細"].append([*COMPENSATION, "年", 1, 54_000, 54_000, flag, "廠商違約賠償。"])
    return edit


@pytest.mark.parametrize("flag", ["否", "無", "-", "－", "不是", "N", None, 0])
def test_a_no_is_read_as_no(flag):
    """Red on main for 無, -, －, 不是: the 54,000 元 賠償收入 was counted as 收支併列 (補助收入)."""
    book, _ = _read(_second_revenue(flag))
    assert [(i.code, i.matched) for i in book.revenues] == [("09020180102", True), ("04020180301", False)]


@pytest.mark.parametrize("flag", ["是", "Y", "Ｙ", "V", "✓", 1, True])
def test_a_yes_is_read_as_yes(flag):
    book, _ = _read(_second_revenue(flag))
    assert [(i.code, i.matched) for i in book.revenues] == [("09020180102", True), ("04020180301", True)]


@pytest.mark.parametrize("flag", ["有", "待確認", "部分", "X"])  # X: a tick (yes) in some forms, a cross (no) in others
def test_neither_yes_nor_no_is_refused_at_its_cell(flag):
    """Red on main: read as 是 without a word."""
    found = _problems(_second_revenue(flag))
    assert [(rule, cell) for rule, cell, _ in found] == [("not-a-choice", "歲入明細!K3")]
    assert f"收支併列應為「是」或「否」（空白為否），此處為「{flag}」" in found[0][2]
