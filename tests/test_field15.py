"""The 2026-12-02 field test (field report 15): books that went silently wrong.

Figures are the example book's (高雄市政府資訊中心 113年度), built: its 各項費用彙計表 prints 101500法定編制人員待遇 on
row 9, 25,356 千元 under 32020180101 (B9) and in 合計 (D9), and under 32020183201 數位發展計畫 (column C) the plan's
合計 232,026 千元 on row 7 (C7); its 明細表 prints 1015's line (年 1 25,356,370) on row 12.
"""

from __future__ import annotations

import pytest

from xlbudget.app.check import check_file

from built_books import handmade_workbook
from test_reading import example, problems, write_ods  # first: it sets XLWINGS_ON_SERVER before xlwings loads

SUMMARY = "各項費用彙計表"
DETAIL = "歲出計畫說明提要與各項費用明細表"


def _hidden_said(path, workbook: bool) -> list[tuple[str, str, int]]:
    report = check_file(path, workbook=workbook)[0]
    return [(f.rule, f"{f.cell.sheet}!{f.cell.cell}", len(f.related)) for f in report.findings
            if f.rule in ("hidden-row-not-printed", "hidden-column-not-printed")]


# ------------------------------------------------------------ §1.1: a printed table's row or column hidden in Excel

@pytest.mark.parametrize("workbook", [False, True])  # python-calamine (check), openpyxl (check --mark)
def test_a_hidden_row_of_a_hand_made_table_is_named_as_not_printed(tmp_path, workbook):
    """Row 9 of 各項費用彙計表 (101500法定編制人員待遇, 25,356 千元) hidden, by hand or by a collapsed group: Excel prints
    the table without it, so the printed 100000人事費 42,978 is 25,356 more than its printed lines, and check said
    «錯誤 0、警告 0» (it reads and sums the hidden row)."""
    wb = handmade_workbook()
    wb[SUMMARY].row_dimensions[9].hidden = True
    wb.save(tmp_path / "hidden.xlsx")
    assert _hidden_said(tmp_path / "hidden.xlsx", workbook) == [("hidden-row-not-printed", f"{SUMMARY}!B9", 0)]



def test_a_hidden_row_of_a_hand_made_ods_table_is_named(tmp_path):
    """The same row hidden in LibreOffice (table:visibility="collapse"), read by python-calamine and content.xml."""
    wb = handmade_workbook()
    wb[SUMMARY].row_dimensions[9].hidden = True
    path = write_ods(wb, tmp_path / "hidden.ods")
    assert _hidden_said(path, False) == [("hidden-row-not-printed", f"{SUMMARY}!B9", 0)]

def test_a_row_filtered_out_of_a_detail_table_is_named(tmp_path):
    """An autofilter left on 明細表 with 1015's line (row 12, 25,356,370 元) filtered out."""
    wb = handmade_workbook()
    ws = wb[DETAIL]
    ws.auto_filter.ref = f"A5:F{ws.max_row}"
    ws.row_dimensions[12].hidden = True
    wb.save(tmp_path / "filtered.xlsx")
    assert _hidden_said(tmp_path / "filtered.xlsx", False) == [("hidden-row-not-printed", f"{DETAIL}!D12", 0)]


@pytest.mark.parametrize("workbook", [False, True])
def test_a_hidden_plan_column_is_named_at_its_first_figure(tmp_path, workbook):
    """Column C (32020183201 數位發展計畫) hidden: the printed 合計 column D (275,795) holds a plan the page lacks."""
    wb = handmade_workbook()
    wb[SUMMARY].column_dimensions["C"].hidden = True
    wb.save(tmp_path / "column.xlsx")
    said = _hidden_said(tmp_path / "column.xlsx", workbook)
    assert [(rule, cell) for rule, cell, _ in said] == [("hidden-column-not-printed", f"{SUMMARY}!C7")]


def test_a_hidden_row_of_a_built_table_is_named(tmp_path):
    """The same row hidden on a template book's built 各項費用彙計表: check of the built book said nothing."""
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.app.example import example_workbook
    from xlbudget.app.pipeline import build_workbook
    from xlbudget.readers.inputs import read_book

    wb = example_workbook()
    build_workbook(wb, read_book(input_grids(wb))[0])
    assert wb[SUMMARY]["A9"].value.strip() == "101500法定編制人員待遇"
    wb[SUMMARY].row_dimensions[9].hidden = True
    wb.save(tmp_path / "built.xlsx")
    assert _hidden_said(tmp_path / "built.xlsx", False) == [("hidden-row-not-printed", f"{SUMMARY}!B9", 0)]


def test_nothing_hidden_with_a_figure_says_nothing(tmp_path):
    """A hidden row below the table and a hidden empty column beside it: no warning."""
    wb = handmade_workbook()
    ws = wb[SUMMARY]
    ws.row_dimensions[ws.max_row + 5].hidden = True
    ws.column_dimensions["H"].hidden = True
    wb.save(tmp_path / "plain.xlsx")
    assert _hidden_said(tmp_path / "plain.xlsx", False) == []


# ------------------------------------------------------------ §1.2: a superscript or circled digit in a figure

@pytest.mark.parametrize("typed", ["500¹", "12²", "⑴", "①", "41366³", "½"])
def test_a_figure_with_a_superscript_or_circled_digit_is_no_number(typed):
    """NFKC (which makes full-width digits ASCII) makes ¹ ² ³ ① digits and ⑴ 「(1)」: 「500¹」 (a footnote mark) was
    5,001, 「⑴」 −1. Such text is refused, as any other that is not a number."""
    from xlbudget.core.amounts import NotANumber, parse_int, parse_quantity

    with pytest.raises(NotANumber):
        parse_int(typed)
    with pytest.raises(NotANumber):
        parse_quantity(typed)


def test_full_width_digits_are_still_read():
    from xlbudget.core.amounts import parse_int, parse_quantity

    assert parse_int("４１，３６６") == 41366  # full-width digits and comma (Nd, not No)
    assert parse_quantity("３x１２") == 36


def test_a_prior_year_figure_with_a_footnote_mark_is_refused_at_its_cell(tmp_path):
    """以前年度!C2 (32020180101's 上年度預算數, 41,366 千元) typed 「41366¹」: read as 413,661, printed as 歲出機關別預算表's
    上年度 with a 比較 of −369,892 (43,769 − 413,661); only the 說明 and 總說明 sentences quoting 41,366's sums told."""
    def edit(wb):
        wb["以前年度"]["C2"].value = "41366¹"

    assert problems(example(tmp_path, edit)) == {("not-a-number", "以前年度!C2")}


# ------------------------------------------------------------ §2: export of a hand-made book

def test_export_of_a_hand_made_book_says_it_is_one(tmp_path, capsys):
    """export of printed tables only said 「找不到工作表「基本資料」」 and 「找不到工作表「歲出明細」」, telling the officer
    to make a template, where pdf and next-year say the book is hand-made and what reads it (check, compare)."""
    from xlbudget.cli import main

    path = tmp_path / "手工.xlsx"
    handmade_workbook().save(path)
    capsys.readouterr()
    assert main(["export", str(path), "-o", str(tmp_path / "x.json")]) == 2
    err = capsys.readouterr().err
    assert "手工.xlsx 是手工預算書" in err and "xlbudget export 需要輸入工作表" in err and "找不到工作表" not in err
    assert not (tmp_path / "x.json").exists()


# ------------------------------------------------------------ §1.3: a book copied from last year's, its 年度 left

@pytest.mark.parametrize("name, said", [
    ("高雄市政府資訊中心114年度單位預算.xlsx", [("year-differs-from-name", "基本資料!B4", 114, 113)]),
    ("高雄市政府資訊中心113年度單位預算.xlsx", []),
    ("資訊中心１１４ 年度.xlsx", [("year-differs-from-name", "基本資料!B4", 114, 113)]),  # full-width, a space
    ("資訊中心112-113年度對照.xlsx", []),  # two years in the name: none to hold 年度 to
    ("資訊中心預算.xlsx", []),
])
def test_a_year_in_the_file_name_that_is_not_the_books_is_named(tmp_path, name, said):
    """The example (基本資料!B4 年度 113) saved as 「…114年度單位預算.xlsx」, as an officer copies last year's book to
    make this year's and renames it: every table printed 中華民國113年度 (and 上年度 112) without a word."""
    book = example(tmp_path, name=name)
    report = check_file(book, workbook=False)[0]
    assert [(f.rule, f"{f.cell.sheet}!{f.cell.cell}", f.expected, f.actual) for f in report.findings
            if f.rule == "year-differs-from-name"] == said
