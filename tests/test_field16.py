"""The 2026-12-02 field test (field report 16): books that went silently wrong, or stopped a command with an
internal error.

Figures are the example book's (高雄市政府資訊中心 113年度): 歲出 275,795 千元, every line under 職能別
「01 一般公共事務」; 以前年度's 前年度決算數 of its two 工作計畫 37,879 + 150,283 = 188,162 千元, against 基本資料's
前年度歲出預算數 190,786 千元 (執行率 98.62%, as its 總說明 prints).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import xlwings_json  # noqa: F401  (first: it sets XLWINGS_ON_SERVER before xlwings loads)

from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app.example import example_workbook
from xlbudget.cli import main


# ------------------------------------------------- §1: a book whose name nearly fills the file system's 255 bytes

LONG_NAME = "甲" * 83 + "1.xlsx"  # 249 + 6 = 255 bytes in UTF-8: Linux's and macOS's longest file name


def test_convert_of_a_folder_holding_a_book_of_a_255_byte_name_finishes(tmp_path, capsys):
    """A book named to the file system's 255 bytes (build's own backup of a long-named book is shortened to just
    that: 「…備份-20261202-160827.xlsx」): its lock files ~$NAME and .~lock.NAME# are longer than any file can be
    named, and asking for them raised OSError (ENAMETOOLONG): convert stopped after converting every book with
    «xlbudget 內部錯誤（OSError: [Errno 36] File name too long: '…/~$甲甲…'）», exit 2, no 轉換摘要 written."""
    from xlbudget.adapters.atomic import lock_file

    folder = tmp_path / "in"
    folder.mkdir()
    assert len(LONG_NAME.encode()) == 255
    book = save_atomic(example_workbook(), folder / LONG_NAME)
    assert lock_file(book) is None  # no lock file can bear the name: the book is not open
    assert main(["convert", str(folder), "-o", str(tmp_path / "out"), "--format", "json"]) == 0, \
        capsys.readouterr().err
    out = tmp_path / "out"
    assert (out / "轉換摘要.xlsx").exists()
    assert any(p.suffix == ".json" and p.name != "轉換摘要.json" for p in out.iterdir()), sorted(out.iterdir())


# ------------------------------------------------- §2: 職能別 whose number and name are two different 職能

def _agency_row(wb, key: str) -> int:
    ws = wb["基本資料"]
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key)


def _read(wb):
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.readers.inputs import read_book

    return read_book(input_grids(wb))


@pytest.mark.parametrize("typed, function", [("01 一般公共事務", "01"), ("01一般公共事務", "01"), ("一般公共事務", "01"),
                                             ("1 一般公共事務", "01"), ("01", "01"), ("12 運輸及通信", "12")])
def test_a_function_typed_with_its_own_name_reads(typed, function):
    wb = example_workbook()
    wb["基本資料"].cell(_agency_row(wb, "職能別"), 2).value = typed
    book, findings = _read(wb)
    assert book.agency.function == function and findings == []


@pytest.mark.parametrize("typed", ["02 一般公共事務", "01 教育"])
def test_a_function_whose_number_and_name_differ_is_refused_at_its_cell(typed):
    """基本資料 職能別 「02 一般公共事務」 (02 is 防衛; 一般公共事務 is 01): the number alone was read, and the
    歲出按職能及經濟性綜合分類表 printed the agency's whole 歲出, 275,795 千元, on a line 02 防衛, check «錯誤 0、
    警告 0»; 「01 教育」 (教育 is 04) printed 01 一般公共事務 without a word. Which one the officer meant cannot be told."""
    from xlbudget.core.errors import InputError

    wb = example_workbook()
    row = _agency_row(wb, "職能別")
    wb["基本資料"].cell(row, 2).value = typed
    with pytest.raises(InputError) as err:
        _read(wb)
    assert [(f.rule, f.cell.cell) for f in err.value.findings] == [("function-name-mismatch", f"B{row}")]


def test_xlb_schedule_refuses_a_function_whose_number_and_name_differ():
    """=XLB_SCHEDULE(歲出明細!A1:O1000, "職能及經濟性", 基本資料!B6) with B6 「02 一般公共事務」 printed the 275,795
    千元 under 02 防衛, as build did; now #VALUE! with read_agency's words. 「12 運輸及通信」 still spills."""
    import xlbudget.addin as addin

    call_udf = xlwings_json.call_udf

    items = [list(r) for r in example_workbook()["歲出明細"].iter_rows(values_only=True)]
    value = call_udf(addin, "xlb_schedule", items, "職能及經濟性", "02 一般公共事務")[0][0]  # a 1×1 matrix
    assert isinstance(value, str) and value.startswith("#VALUE!") and "防衛" in value, value
    grid = call_udf(addin, "xlb_schedule", items, "職能及經濟性", "12 運輸及通信")
    assert next(row for row in grid if row[0] == "總計")[-1] == 275_795


# ------------------------------------------------- §3: 基本資料's 前年度歲出預算數 typed in 元 (its unit is 千元)

def _prior_scale(wb) -> list[tuple[str, str, int, int]]:
    from xlbudget.rules.consistency import check_people

    book, _ = _read(wb)
    return [(f.rule, f.cell.cell, f.expected, f.actual) for f in check_people(book) if f.rule == "prior-total-scale"]


def test_a_prior_year_total_typed_in_yuan_is_named_at_its_cell():
    """基本資料 前年度歲出預算數 190,786 (千元) typed 190786000: 總說明's sentence read «前年度歲出預算數1,907億8,600萬元，
    歲出決算數1億8,816萬2千元，執行率達0.10%» and check said nothing unless the officer's own paragraph quoted it.
    以前年度's 前年度決算數: 37,879 + 150,283 = 188,162 千元 (歲出); 54 + 38,533 = 38,587 千元 (歲入)."""
    wb = example_workbook()
    assert _prior_scale(wb) == []  # 190,786 beside 188,162: 執行率 98.62%
    spent, received = _agency_row(wb, "前年度歲出預算數"), _agency_row(wb, "前年度歲入預算數")
    wb["基本資料"].cell(spent, 2).value = 190_786_000
    wb["基本資料"].cell(received, 2).value = "38,533,000"
    assert _prior_scale(wb) == [("prior-total-scale", f"B{spent}", 188_162, 190_786_000),
                                ("prior-total-scale", f"B{received}", 38_587, 38_533_000)]


def test_a_prior_year_total_without_final_figures_is_held_to_this_years_budget():
    """A book next-year started: 以前年度's 前年度決算數 blank (known only once the 決算 is out); 190,786,000 is then
    held to this year's 歲出, 275,795 千元; 190,786 is not named."""
    wb = example_workbook()
    ws = wb["以前年度"]
    column = next(c for c in range(1, ws.max_column + 1) if ws.cell(1, c).value == "前年度決算數")
    for r in range(2, ws.max_row + 1):
        ws.cell(r, column).value = None
    assert _prior_scale(wb) == []
    row = _agency_row(wb, "前年度歲出預算數")
    wb["基本資料"].cell(row, 2).value = 190_786_000
    assert _prior_scale(wb) == [("prior-total-scale", f"B{row}", 275_795, 190_786_000)]


# ------------------------------------------------- §4: a hand-made book's table printing another year

def test_a_table_printing_another_year_than_the_book_is_named(tmp_path):
    """A hand-made book (the example built, its input sheets removed) whose 各項費用彙計表 prints 中華民國112年度 under
    its title (A3) while its 12 other tables print 中華民國113年度: a sheet kept from last year's book. check said
    «錯誤 0、警告 0»; the printed book would carry a table headed with the wrong year."""
    from built_books import handmade_workbook

    from xlbudget.app.check import check_file

    def said(wb):
        wb.save(tmp_path / "手製.xlsx")
        return [(f.rule, f"{f.cell.sheet}!{f.cell.cell}", f.expected, f.actual)
                for f in check_file(tmp_path / "手製.xlsx")[0].findings if f.rule == "heading-year-differs"]

    wb = handmade_workbook()
    assert wb["各項費用彙計表"]["A3"].value.startswith("中華民國113年度")
    assert said(wb) == []
    wb["各項費用彙計表"]["A3"] = wb["各項費用彙計表"]["A3"].value.replace("113", "112")
    assert said(wb) == [("heading-year-differs", "各項費用彙計表!A3", 113, 112)]


# ------------------------------------------------- §5: 主管機關編號 typed as a number (Excel drops its leading zeros)

@pytest.mark.parametrize("typed, read", [(2000000, "0002000000"), (20000000, "00020000000"), (2000000.0, "0002000000"),
                                         ("0002000000", "0002000000"), ("2000000", "2000000"), (9000000, "9000000")])
def test_an_authority_code_typed_as_a_number_gets_its_zeros_back(typed, read):
    """高雄 prints its 主管 line 0002000000 高雄市政府主管 (seed); typed in a General cell, Excel keeps the number
    2000000, and the 歲出機關別預算表 and 約聘僱人員費用分析表 printed «2000000 高雄市政府主管», check «錯誤 0、警告 0».
    The code begins 00 and the 主管 02 of 機關編號 02-018: the three zeros dropped go back (an 11-digit code, 臺中's
    form, as well). Text is read as typed; a number that is no code of 主管 02 (9000000) too."""
    from xlbudget.derive.budgets import agency_line_codes

    wb = example_workbook()
    wb["基本資料"].cell(_agency_row(wb, "主管機關編號"), 2).value = typed
    book, findings = _read(wb)
    assert agency_line_codes(book.agency)[0] == read and findings == []
