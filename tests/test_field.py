"""Books as a field test found them: each once broke a command, now each gives the example's figures or exit 2.

Figures are the seed book's: 歲出機關別預算表 本年度 合計 275,795 千元 (一般行政 43,769 + 數位發展計畫
232,026), the 歲出明細 total 275,795,000 元.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.worksheet.table import Table

from xlbudget.cli import main
from xlbudget.app.example import TAICHUNG, example_workbook
from xlbudget.forms.inputs import SHEET_EXPENSES

TOTAL_YUAN = 275_795_000  # seed: 歲出 本年度 合計 275,795 千元


def _column(ws, name):
    return [c.value for c in ws[1]].index(name) + 1


def _agency_total(book: Path, capsys) -> int:
    capsys.readouterr()
    assert main(["export", str(book), "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    return next(r["value"] for r in records
                if r["table"] == "歲出機關別預算表" and r["column"] == "本年度預算數" and r["row_name"] == "高雄市政府資訊中心")


def test_a_workbook_renamed_xls_is_refused_in_chinese_not_an_internal_error(tmp_path, capsys):
    book = tmp_path / "預算.xls"
    example_workbook().save(book)  # an .xlsx under an .xls name
    for argv in (["build", str(book), "-o", str(tmp_path / "o.xlsx")], ["check", str(book)],
                 ["export", str(book)], ["next-year", str(book), "-o", str(tmp_path / "n.xlsx")]):
        capsys.readouterr()
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert "預算.xls" in err and "內部錯誤" not in err


def _with_cached_formulas(path: Path) -> Path:
    """預算數 of 歲出明細 typed as =數量*單價 with its last calculated value, as Excel or LibreOffice saves it."""
    wb = example_workbook()
    ws = wb[SHEET_EXPENSES]
    q, p, a = (openpyxl.utils.get_column_letter(_column(ws, n)) for n in ("數量", "單價", "預算數"))
    formulas = {}
    for r in range(2, ws.max_row + 1):
        if isinstance(ws[f"{q}{r}"].value, int) and isinstance(ws[f"{p}{r}"].value, int) \
                and ws[f"{a}{r}"].value == ws[f"{q}{r}"].value * ws[f"{p}{r}"].value:
            formulas[f"{a}{r}"] = ws[f"{a}{r}"].value
            ws[f"{a}{r}"] = f"={q}{r}*{p}{r}"
    wb.save(path)
    # write each formula's cached value the way a spreadsheet program does (openpyxl writes none)
    from xlbudget.adapters.xlsxfile import keep_cached_values
    keep_cached_values(path, {SHEET_EXPENSES: formulas})
    assert len(formulas) > 50
    return path


def test_build_in_place_keeps_formulas_readable(tmp_path, capsys):
    book = _with_cached_formulas(tmp_path / "公式.xlsx")
    assert _agency_total(book, capsys) == 275_795
    assert main(["build", str(book)]) == 0  # in place, after a backup
    wb = openpyxl.load_workbook(book)
    assert wb[SHEET_EXPENSES]["H2"].data_type == "f"  # the officer's formula is still a formula
    assert openpyxl.load_workbook(book, data_only=True)[SHEET_EXPENSES]["H2"].value is not None
    assert _agency_total(book, capsys) == 275_795  # and xlbudget reads its own output again
    capsys.readouterr()
    assert main(["check", str(book)]) == 0


def test_check_mark_keeps_formulas_readable(tmp_path, capsys):
    book = _with_cached_formulas(tmp_path / "公式.xlsx")
    out = tmp_path / "標示.xlsx"
    capsys.readouterr()
    assert main(["check", str(book), "--mark", "-o", str(out)]) in (0, 1)
    assert _agency_total(out, capsys) == 275_795


def test_next_year_leaves_an_excel_tables_totals_row_out(tmp_path, capsys):
    wb = example_workbook()
    ws = wb[SHEET_EXPENSES]
    last = ws.max_row + 1  # an unlabelled totals row: only the table definition says what it is
    ws.cell(last, _column(ws, "預算數")).value = TOTAL_YUAN
    table = Table(displayName="歲出", ref=f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}{last}")
    table.totalsRowCount = 1
    ws.add_table(table)
    book = tmp_path / "表格.xlsx"
    wb.save(book)
    nxt = tmp_path / "明年.xlsx"
    capsys.readouterr()
    assert main(["next-year", str(book), "-o", str(nxt)]) == 0
    # next year's 歲出 total is this year's: 275,795 千元, the totals row not read as one more line
    assert _agency_total(nxt, capsys) == 275_795


def test_compare_sees_a_fullwidth_quantity_as_the_same_line(tmp_path, capsys):
    wb = example_workbook()
    ws = wb[SHEET_EXPENSES]
    col = _column(ws, "數量")
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col).value == 23)
    old = tmp_path / "舊.xlsx"
    wb.save(old)
    ws.cell(row, col).value = "２３"
    new = tmp_path / "新.xlsx"
    wb.save(new)
    capsys.readouterr()
    assert main(["compare", str(old), str(new)]) == 0


def test_keep_cached_values_writes_the_value_beside_the_formula(tmp_path):
    from xlbudget.adapters.xlsxfile import keep_cached_values

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    ws["A1"], ws["B1"], ws["C1"] = 3, "=A1*2", "=\"甲\"&\"<乙>\""
    path = tmp_path / "v.xlsx"
    wb.save(path)
    keep_cached_values(path, {"表": {"B1": 6, "C1": "甲<乙>"}})
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="B1"><f>A1*2</f><v>6</v></c>' in xml
    values = openpyxl.load_workbook(path, data_only=True)["表"]
    assert (values["B1"].value, values["C1"].value) == (6, "甲<乙>")
    assert openpyxl.load_workbook(path)["表"]["B1"].value == "=A1*2"


def _taichung_staff_analysis(edit):
    from xlbudget.readers.inputs import read_book
    from xlbudget.derive.staff_analysis import plan_line
    from xlbudget.adapters.xlsxfile import input_grids

    wb = example_workbook(TAICHUNG)
    ws = wb["人事費分析"]
    edit(ws, [c.value for c in ws[1]].index("分析表編號") + 1)
    book, _ = read_book(input_grids(wb, "臺中.xlsx"), "臺中.xlsx")
    return book, plan_line


def test_staff_analysis_code_typed_as_a_number_or_full_width_is_its_10_digits():
    def edit(ws, col):
        ws.cell(2, col).value = 132010100  # 0132010100 as Excel keeps a number: the zero is gone
        ws.cell(3, col).value = "０１３２０１０１００"

    book, plan_line = _taichung_staff_analysis(edit)
    # 臺中 115 p.36 prints the plan as 0132010100-行政支出-一般行政-行政管理
    assert plan_line(book, "32020040101").startswith("0132010100-")


def test_two_staff_analysis_codes_in_one_plan_are_refused_with_both_cells():
    import pytest

    from xlbudget.core.errors import InputError

    def edit(ws, col):
        ws.cell(3, col).value = "0132010199"

    with pytest.raises(InputError) as exc:
        _taichung_staff_analysis(edit)
    assert [(f.rule, str(f.cell), f.expected, f.actual, [str(c) for c in f.related]) for f in exc.value.findings] == [
        ("analysis-code-conflict", "臺中.xlsx:人事費分析!B3", "0132010100", "0132010199", ["臺中.xlsx:人事費分析!B2"])]


def test_next_year_names_the_sheets_it_carries_with_this_years_figures(tmp_path, capsys):
    book = tmp_path / "臺中.xlsx"
    example_workbook(TAICHUNG).save(book)
    capsys.readouterr()
    assert main(["next-year", str(book), "-o", str(tmp_path / "明年.xlsx")]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("以下工作表照本年度內容帶入"))
    # 臺中 115 has 公務車輛, 轉帳收支 and 人事費分析 rows: each still holds 115's figures in the 116 book
    for sheet in ("公務車輛", "轉帳收支", "人事費分析"):
        assert sheet in line
    assert "市政白皮書" not in line  # 臺中 has none


def test_convert_lists_every_input_problem_of_an_unreadable_book(tmp_path):
    from xlbudget.app.convert import convert_paths

    wb = example_workbook()
    ws = wb[SHEET_EXPENSES]
    amount = _column(ws, "預算數")
    bad = [2, 5, 9, 14, 20]  # five rows with text in 預算數: build names all five
    for r in bad:
        ws.cell(r, amount).value = "壹萬"
    folder = tmp_path / "in"
    folder.mkdir()
    wb.save(folder / "壞.xlsx")
    convert_paths([str(folder)], str(tmp_path / "out"), jobs=1)
    rows = json.loads((tmp_path / "out" / "轉換摘要.json").read_text(encoding="utf-8"))
    rows = rows["books"] if isinstance(rows, dict) else rows
    row = next(r for r in rows if "壞.xlsx" in json.dumps(r, ensure_ascii=False))
    letter = openpyxl.utils.get_column_letter(amount)
    text = json.dumps(row, ensure_ascii=False)
    for r in bad:
        assert f"歲出明細!{letter}{r}" in text
    assert row["errors"] == 5
