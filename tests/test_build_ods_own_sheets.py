"""build of an .ods into an .xlsx writes our template filled with the .ods's input values, then the tables: the
officer's own sheets of the .ods (a chart's data, a working sheet) are not in it, and were left out without a word
(revs, field report 11). Their values alone would lose his formulas and formats, so they are not copied: build names
each, in the one line next-year uses for what it does not carry (pipeline._not_carried)."""

from xlbudget.app.example import example_workbook
from xlbudget.app.pipeline import build_file, next_year_file
from xlbudget.cli import main

from test_reading import write_ods


def _ods(tmp_path):
    wb = example_workbook()
    wb.create_sheet("科長圖表")["A1"] = "各科經費"
    wb.create_sheet("試算")["B2"] = 12_345
    return write_ods(wb, tmp_path / "預算.ods")


def test_build_of_an_ods_names_the_officers_own_sheets(tmp_path, capsys):
    """Red on main: no such line (BuildResult had no not_carried), the sheets gone unsaid."""
    book = _ods(tmp_path)
    out = tmp_path / "預算.xlsx"
    assert main(["build", str(book), "-o", str(out)]) in (0, 1)
    line = ("以下未帶入 預算.xlsx（由 .ods 的輸入資料填入範本產生），需要的請自行由 預算.ods 複製：自訂工作表 科長圖表、試算")
    assert line in capsys.readouterr().out.splitlines()
    # the tables and the inputs are there; his sheets are not (named above)
    import openpyxl

    names = openpyxl.load_workbook(out).sheetnames
    assert "各項費用彙計表" in names and "歲出明細" in names and "科長圖表" not in names


def test_an_ods_of_inputs_only_gets_no_such_line(tmp_path):
    assert build_file(write_ods(example_workbook(), tmp_path / "預算.ods"), tmp_path / "預算.xlsx").not_carried == ""


def test_next_year_of_an_ods_names_them_too(tmp_path):
    """next-year of an .ods said nothing of them either (its line was for an .xlsx only). Red on main: ''."""
    line = next_year_file(_ods(tmp_path), tmp_path / "下年度.xlsx").not_carried
    assert line == "以下未帶入新年度預算書（新年度預算書由範本重新填入），需要的請自行由 預算.ods 複製：自訂工作表 科長圖表、試算"


def test_build_of_an_ods_names_its_input_formulas_written_as_values(tmp_path, capsys):
    """歲出明細!H2 of the .ods typed as =F2*G2 (LibreOffice's «of:=[.F2]*[.G2]», 1 × 25,356,370) is 25,356,370 in the
    .xlsx build writes (its values fill our template): named as next-year names it, with the formula as the formula
    bar shows it. Red before: the number written, nothing said."""
    import zipfile

    import openpyxl

    wb = example_workbook()
    wb["歲出明細"]["H2"] = "@H2@"
    book = write_ods(wb, tmp_path / "預算.ods")
    with zipfile.ZipFile(book) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    typed = '<table:table-cell office:value-type="string"><text:p>@H2@'
    xml = parts["content.xml"].decode()
    assert xml.count(typed) == 1
    formula = ('<table:table-cell table:formula="of:=[.F2]*[.G2]" office:value-type="float" office:value="25356370">'
               '<text:p>25356370')
    parts["content.xml"] = xml.replace(typed, formula).encode()
    with zipfile.ZipFile(book, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    out = tmp_path / "預算.xlsx"
    assert main(["build", str(book), "-o", str(out)]) in (0, 1)
    line = ("預算.ods 輸入工作表的公式 1 格無法由 .ods 保留為公式，預算.xlsx 中已改為計算結果（數值），原公式只在 預算.ods，"
            "請檢視：預算.ods:歲出明細!H2（=F2*G2）")
    assert line in capsys.readouterr().out.splitlines()
    assert openpyxl.load_workbook(out)["歲出明細"]["H2"].value == 25_356_370
