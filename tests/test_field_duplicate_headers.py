"""Two columns under one header (field report 4 §1.1, f26–f31): refused, naming both header cells, on every door.

An officer inserts a column at the left of 歲出明細 for last year's figures and copies the 「預算數」 header: the
leftmost column was read without a word (歲出機關別預算表 262,006 千元 instead of 275,795). The bundled example's
歲出明細 row 2 is 1015, 數量 1, 單價 25,356,370, 預算數 25,356,370 (columns A–O, 預算數 in H); 以前年度 C is
上年度預算數 (row 2: 41,366 千元); 歲入明細 J is 預算數 (row 2: 57,019,000).
"""

import pytest

from xlwings_json import call_udf  # sets XLWINGS_ON_SERVER first

from xlbudget import addin
from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.example import example_workbook
from xlbudget.cli import main
from xlbudget.core.errors import InputError
from xlbudget.readers.inputs import read_book


def _last_year_column_at_left(wb, header="預算數"):
    """A column inserted at A of 歲出明細, headed ``header``, holding last year's figures (1,000 a line)."""
    ws = wb["歲出明細"]
    ws.insert_cols(1)
    ws["A1"] = header
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 1).value = 1000
    return wb


def _refusal(wb):
    with pytest.raises(InputError) as err:
        read_book(input_grids(wb))
    return [(f.rule, str(f.cell), tuple(map(str, f.related))) for f in err.value.findings]


def test_a_second_amount_column_at_the_left_is_refused_naming_both_cells():
    # the example's 預算數 H moves to I when a column is inserted at A
    assert _refusal(_last_year_column_at_left(example_workbook())) == [
        ("duplicate-header", "歲出明細!I1", ("歲出明細!A1",))]


def test_a_second_amount_column_at_the_right_is_refused():
    wb = example_workbook()
    wb["歲出明細"]["P1"] = "預算數"
    assert _refusal(wb) == [("duplicate-header", "歲出明細!P1", ("歲出明細!H1",))]


@pytest.mark.parametrize("header", ["預算數(元)", "預 算 數", "預算數 "])
def test_the_same_header_typed_otherwise_is_the_same_column(header):
    wb = example_workbook()
    wb["歲出明細"]["P1"] = header
    assert _refusal(wb) == [("duplicate-header", "歲出明細!P1", ("歲出明細!H1",))]


def test_a_hidden_duplicate_is_refused_too():
    wb = example_workbook()
    ws = wb["以前年度"]
    ws.insert_cols(3)
    ws["C1"] = "上年度預算數"
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 3).value = 1000
    ws.column_dimensions["C"].hidden = True
    assert _refusal(wb) == [("duplicate-header", "以前年度!D1", ("以前年度!C1",))]


def test_revenue_sheet_duplicate_is_refused():
    wb = example_workbook()
    wb["歲入明細"]["M1"] = "預算數"
    wb["歲入明細"]["M2"] = 50000000
    assert _refusal(wb) == [("duplicate-header", "歲入明細!M1", ("歲入明細!J1",))]


@pytest.mark.parametrize("column", ["P", "A"])
@pytest.mark.parametrize("header", ["備註", "備考"])
def test_an_officers_remarks_beside_the_explanation_is_an_extra_column(header, column):
    """An officer keeps a 「備註」 column beside 「說明」 (公務車輛明細表 prints one): 說明 is a text column, so the
    column headed 說明 is read and 備註 is an extra column, never refused and never read as 說明, left or right."""
    wb = example_workbook()
    ws = wb["歲出明細"]
    if column == "A":
        ws.insert_cols(1)  # 說明 moves from L to M
    ws[f"{column}1"] = header
    ws[f"{column}2"] = "內部備忘：明年改列"
    book, _ = read_book(input_grids(wb))
    said = "M" if column == "A" else "L"
    assert (book.expenses[0].note, str(book.expenses[0].cells["說明"])) == ("詳人事費彙計表。", f"歲出明細!{said}2")


@pytest.mark.parametrize("column", ["M", "A"])
def test_the_printed_revenue_header_row_with_remarks_reads_its_explanation(column):
    """歲入明細 typed as the seed book prints 歲入項目說明提要與預算明細表 (「說明及收入依據」, not 「說明」) with an
    officer's 「備註」 column, left or right of it: 說明及收入依據 is read as 說明 (the printed header names it), 備註 is
    an extra column."""
    wb = example_workbook()
    ws = wb["歲入明細"]
    if column == "A":
        ws.insert_cols(1)  # 說明 moves from L to M
    said = "M" if column == "A" else "L"
    ws[f"{said}1"] = "說明及收入依據"
    ws[f"{column}1"] = "備註"
    ws[f"{column}2"] = "內部備忘"
    book, _ = read_book(input_grids(wb))
    assert book.revenues[0].note.startswith("數位發展部資通安全署112年5月12日")
    assert str(book.revenues[0].cells["說明"]) == f"歲入明細!{said}2"


def test_two_columns_headed_explanation_are_still_refused():
    wb = example_workbook()
    wb["歲出明細"]["P1"] = "說明"
    assert _refusal(wb) == [("duplicate-header", "歲出明細!P1", ("歲出明細!L1",))]


def test_two_synonyms_of_one_missing_column_are_refused():
    wb = example_workbook()
    wb["歲出明細"]["K1"] = "經濟分類"
    wb["歲出明細"]["P1"] = "經濟性分類別"
    assert _refusal(wb) == [("duplicate-header", "歲出明細!P1", ("歲出明細!K1",))]


def test_a_staff_sheet_keeps_its_own_remarks_column():
    # 人事費 has 備註 of its own: no synonym there, and one 備註 column is no duplicate
    book, _ = read_book(input_grids(example_workbook()))
    assert book.expenses[0].amount == 25356370


def test_an_extra_column_under_another_title_is_read_beside_this_years():
    book, _ = read_book(input_grids(_last_year_column_at_left(example_workbook(), "上年度數")))
    assert (book.expenses[0].amount, str(book.expenses[0].cells["預算數"])) == (25356370, "歲出明細!I2")


def test_cli_check_build_and_export_refuse_with_both_cells(tmp_path, capsys):
    path = tmp_path / "dup.xlsx"
    _last_year_column_at_left(example_workbook()).save(path)
    before = path.read_bytes()
    for args in (["check", str(path)], ["build", str(path)], ["export", str(path), "--format", "json"]):
        assert main(args) == 2
        err = capsys.readouterr().err
        assert "歲出明細!A1 與 I1" in err and "「預算數」" in err and "Traceback" not in err
    assert path.read_bytes() == before


def _items_of(wb):
    return [[float(v) if isinstance(v, int) else v for v in row] for row in wb["歲出明細"].iter_rows(values_only=True)]


def test_cell_functions_refuse_naming_both_cells():
    items = _items_of(_last_year_column_at_left(example_workbook()))
    for name, args in (("xlb_rollup", (2000, "全部")), ("xlb_schedule", ("彙計表", None))):
        [[value]] = call_udf(addin, name, items, *args)
        assert value.startswith("#VALUE!") and "A1 與 I1" in value
    grid = call_udf(addin, "xlb_check", items)
    assert [(row[1], row[2]) for row in grid[1:]] == [("duplicate-header", "I1")]
