"""next-year keeps the officer's formulas of the input sheets (field report 11 §4.3): 歲出明細!H2 typed as =F2*G2
stays =F2*G2 in next year's book, its references following a line that moved; one it cannot keep honestly (another
sheet's cell) is carried as its value and named with its cell; with --clear-amounts the formula over the emptied
數量 and 單價 stays, without a value, and check says so rather than read 0.

The example is the seed book: 歲出明細 H2 = 數量 1 × 單價 25,356,370 = 25,356,370 (row 2, 1015 of 01行政業務), H3 =
1 × 4,410,710, H4 = 1 × 871,852; 出國計畫 row 2 (the one trip, 4 people) 辦公費 20,000 = 4 × 5,000."""

import openpyxl

from xlbudget.adapters.xlsxfile import keep_cached_values
from xlbudget.app.pipeline import next_year_file
from xlbudget.cli import main

from test_convert import EXAMPLE


def _book(path, formulas: dict, texts: dict = {}, blank_row: int | None = None, manual=False):
    """The example with ``formulas`` ({sheet: {cell: (formula, the value Excel saved)}}) typed in, saved with
    their values as Excel saves them; ``blank_row``: an empty row inserted in 歲出明細 first."""
    wb = openpyxl.load_workbook(EXAMPLE)
    if blank_row:
        wb["歲出明細"].insert_rows(blank_row)
    for sheet, cells in formulas.items():
        for cell, (formula, _) in cells.items():
            wb[sheet][cell] = formula
    for sheet, cells in texts.items():
        for cell, text in cells.items():
            wb[sheet][cell] = text
            wb[sheet][cell].data_type = "s"  # typed as text: never a formula
    if manual:
        wb.calculation.calcMode = "manual"
    wb.save(path)
    keep_cached_values(path, {sheet: {cell: value for cell, (_, value) in cells.items()}
                              for sheet, cells in formulas.items()})
    return path


def _cells(path, sheet, *cells, values=False):
    ws = openpyxl.load_workbook(path, data_only=values)[sheet]
    return [ws[c].value for c in cells]


def test_a_line_formula_is_kept_as_it_was_with_its_value(tmp_path, capsys):
    """=F2*G2 … stay as typed, with the value Excel computes from the carried 數量 and 單價 (1 × 25,356,370), and
    check of next year's book reads them as figures (no formula-without-value). The 出國計畫 line's =H2*5000 is
    kept on the draft line and on its 上年度 copy (row 3), there as =H3*5000. A text typed starting with = stays text.
    Red on main: H2 held the number 25356370 (no formula) and nothing was said."""
    book = _book(tmp_path / "預算.xlsx", {"歲出明細": {"H2": ("=F2*G2", 25_356_370), "H3": ("=F3*G3", 4_410_710),
                                                      "H4": ("=SUM(F4*G4)", 871_852)},
                                         "出國計畫": {"K2": ("=H2*5000", 20_000)}},
                 texts={"歲出明細": {"L5": "=見附件"}})
    out = tmp_path / "下年度.xlsx"
    result = next_year_file(book, out)
    assert _cells(out, "歲出明細", "H2", "H3", "H4") == ["=F2*G2", "=F3*G3", "=SUM(F4*G4)"]
    assert _cells(out, "歲出明細", "H2", "H3", "H4", values=True) == [25_356_370, 4_410_710, 871_852]
    assert _cells(out, "出國計畫", "K2", "K3", "P3") == ["=H2*5000", "=H3*5000", "上年度"]
    assert _cells(out, "出國計畫", "K2", "K3", values=True) == [20_000, 20_000]
    ws = openpyxl.load_workbook(out)["歲出明細"]
    assert ws["L5"].value == "=見附件" and ws["L5"].data_type == "s"
    assert result.formulas == "輸入工作表的公式 5 格已保留為公式（參照的儲存格隨細項移動時，公式跟著移動）。"
    assert main(["check", str(out), "--format", "json"]) in (0, 1)
    assert "formula-without-value" not in capsys.readouterr().out


def test_references_follow_a_line_that_moved_up(tmp_path):
    """A blank row 2 in 歲出明細 (lines from row 3): next-year drops it, so the line of row 4 is row 3 next year, and
    its =F4*G4 reads =F3*G3; =$G$4*1 on row 5 refers to that line's 單價 and follows it to $G$3, as Excel moves a
    reference when a row is deleted. Red with the references written as they were (=F4*G4 on row 3)."""
    book = _book(tmp_path / "預算.xlsx", {"歲出明細": {"H4": ("=F4*G4", 4_410_710), "G5": ("=$G$4*1", 4_410_710)}},
                 blank_row=2)
    out = tmp_path / "下年度.xlsx"
    next_year_file(book, out)
    assert _cells(out, "歲出明細", "H3", "G4", "B3") == ["=F3*G3", "=$G$3*1", "一般行政-行政管理"]
    assert _cells(out, "歲出明細", "H3", "G4", values=True) == [4_410_710, 4_410_710]


def test_a_formula_on_another_sheet_is_made_its_value_and_named(tmp_path, capsys):
    """H2 =以前年度!C2*0+25356370 refers to 以前年度, which next-year rewrites: carried as 25,356,370 and named with its
    cell and formula. Red on main: nothing named."""
    book = _book(tmp_path / "預算.xlsx", {"歲出明細": {"H2": ("=以前年度!C2*0+25356370", 25_356_370)}})
    out = tmp_path / "下年度.xlsx"
    assert main(["next-year", str(book), "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert _cells(out, "歲出明細", "H2") == [25_356_370]
    assert ("以下公式 1 格參照其他工作表、名稱，或新年度改寫、未帶入的儲存格，無法照原樣保留，已改為計算結果（數值），"
            "請檢視：歲出明細!H2（=以前年度!C2*0+25356370）") in said.splitlines(), said


def test_clear_amounts_keeps_the_formula_without_a_stale_value(tmp_path, capsys):
    """--clear-amounts empties 數量 and 單價 of H2's line; its =F2*G2 stays (it gives 0 in Excel, not 25,356,370),
    written without a value, and check of next year's book names H2 formula-without-value rather than reading 0.
    So does L2's ="單價"&G2 (its 說明, outside the emptied columns, over the emptied 單價). A formula of the emptied
    預算數 column that refers to another sheet (H3) is emptied and named.
    Red on main: H2 blank, nothing said."""
    book = _book(tmp_path / "預算.xlsx", {"歲出明細": {"H2": ("=F2*G2", 25_356_370), "L2": ('="單價"&G2', "單價25356370"),
                                                      "H3": ("=以前年度!C2*0+4410710", 4_410_710)}})
    out = tmp_path / "下年度.xlsx"
    assert main(["next-year", str(book), "-o", str(out), "--clear-amounts"]) == 0
    said = capsys.readouterr().out
    assert _cells(out, "歲出明細", "F2", "G2", "H2", "H3") == [None, None, "=F2*G2", None]
    assert _cells(out, "歲出明細", "L2") == ['="單價"&G2']
    assert _cells(out, "歲出明細", "H2", "L2", values=True) == [None, None]
    assert "請檢視：歲出明細!H3（=以前年度!C2*0+4410710）" in said, said
    assert "保留的公式 2 格（歲出明細!H2、歲出明細!L2）在新年度預算書中尚未計算" in said, said
    assert main(["check", str(out)]) == 2  # input errors: every 預算數 is empty (H3 to H78 plain blank)
    assert "歲出明細!H2 此格的公式 =F2*G2 沒有計算結果" in capsys.readouterr().err


def test_a_book_calculated_by_hand_gets_no_value_it_may_not_compute(tmp_path):
    """A book set to manual calculation may have saved stale results: the formula is kept without a value."""
    book = _book(tmp_path / "預算.xlsx", {"歲出明細": {"H2": ("=F2*G2", 25_356_370)}}, manual=True)
    out = tmp_path / "下年度.xlsx"
    result = next_year_file(book, out)
    assert _cells(out, "歲出明細", "H2") == ["=F2*G2"]
    assert _cells(out, "歲出明細", "H2", values=True) == [None]
    assert "保留的公式 1 格（歲出明細!H2）" in result.formulas


def test_a_reference_naming_this_years_sheet_names_next_years(tmp_path):
    """This year's sheet is 「歲出明細 」 (a trailing space, read as 歲出明細) and H2 ='歲出明細 '!F2*G2 names it; next
    year's sheet is 歲出明細, so the kept formula names 歲出明細: Excel computes 1 × 25,356,370 from it. Red before
    (review revv): H2 kept ='歲出明細 '!F2*G2 with the cached 25,356,370, a sheet next year's book has not, which
    LibreOffice recalculated to #NAME?."""
    wb = openpyxl.load_workbook(EXAMPLE)
    wb["歲出明細"]["H2"] = "='歲出明細 '!F2*G2"
    wb["歲出明細"].title = "歲出明細 "
    book = tmp_path / "預算.xlsx"
    wb.save(book)
    keep_cached_values(book, {"歲出明細 ": {"H2": 25_356_370}})
    out = tmp_path / "下年度.xlsx"
    next_year_file(book, out)
    assert _cells(out, "歲出明細", "H2") == ["='歲出明細'!F2*G2"]
    assert _cells(out, "歲出明細", "H2", values=True) == [25_356_370]


def test_an_array_formula_is_named_as_excel_shows_it(tmp_path):
    """H2 typed as the array formula {=SUM(F2:F2*G2:G2)} (1 × 25,356,370) is carried as its value and named as Excel's
    formula bar shows it. Red before (review revv): named «<openpyxl.worksheet.formula.ArrayFormula object at 0x…>»."""
    from openpyxl.worksheet.formula import ArrayFormula

    wb = openpyxl.load_workbook(EXAMPLE)
    wb["歲出明細"]["H2"] = ArrayFormula("H2", "=SUM(F2:F2*G2:G2)")
    book = tmp_path / "預算.xlsx"
    wb.save(book)
    import zipfile
    with zipfile.ZipFile(book) as z:  # the value Excel saves beside it (openpyxl writes <v/> empty)
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    from xlbudget.adapters.safety import sheet_parts
    part = sheet_parts(book)["歲出明細"]
    xml = parts[part].decode()
    assert '<f t="array" ref="H2">SUM(F2:F2*G2:G2)</f><v></v>' in xml or '<f t="array" ref="H2">SUM(F2:F2*G2:G2)</f><v />' in xml, xml[xml.find('r="H2"') - 20:xml.find('r="H2"') + 120]
    parts[part] = xml.replace('SUM(F2:F2*G2:G2)</f><v></v>', 'SUM(F2:F2*G2:G2)</f><v>25356370</v>').replace(
        'SUM(F2:F2*G2:G2)</f><v />', 'SUM(F2:F2*G2:G2)</f><v>25356370</v>').encode()
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    out = tmp_path / "下年度.xlsx"
    result = next_year_file(book, out)
    assert _cells(out, "歲出明細", "H2") == [25_356_370]
    assert "請檢視：歲出明細!H2（{=SUM(F2:F2*G2:G2)}）" in result.formulas, result.formulas


def test_the_formulas_of_an_ods_are_named_with_their_values_carried(tmp_path):
    """An .ods is read as its values: 歲出明細!H2 typed as =F2*G2 (1 × 25,356,370, LibreOffice's «of:=[.F2]*[.G2]»)
    and L3 ="市款"&TEXT(H3;"#,##0")&"元" reach next year's book as 25,356,370 and their text, and the line names
    both cells of 預算.ods with the formulas as the formula bar shows them. Red before (review revv): the values
    carried, nothing said (the code held that «an .ods has no formula to keep»)."""
    import zipfile

    from xlbudget.app.example import example_workbook
    from test_reading import write_ods

    wb = example_workbook()
    wb["歲出明細"]["H2"], wb["歲出明細"]["L3"] = "@H2@", "@L3@"
    book = write_ods(wb, tmp_path / "預算.ods")
    with zipfile.ZipFile(book) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    xml = parts["content.xml"].decode()
    for mark, formula, value in (
            ("@H2@", "of:=[.F2]*[.G2]", 'office:value-type="float" office:value="25356370"><text:p>25356370'),
            ("@L3@", 'of:=&quot;市款&quot;&amp;TEXT([.H3];&quot;#,##0&quot;)&amp;&quot;元&quot;',
             'office:value-type="string"><text:p>市款4,410,710元')):
        typed = f'<table:table-cell office:value-type="string"><text:p>{mark}'
        assert xml.count(typed) == 1
        xml = xml.replace(typed, f'<table:table-cell table:formula="{formula}" {value}')
    parts["content.xml"] = xml.encode()
    with zipfile.ZipFile(book, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    out = tmp_path / "下年度.xlsx"
    result = next_year_file(book, out)
    assert _cells(out, "歲出明細", "H2", "L3") == [25_356_370, "市款4,410,710元"]
    assert result.formulas == ("預算.ods 輸入工作表的公式 2 格無法由 .ods 保留為公式，新年度預算書中已改為計算結果（數值）"
                               "（或依 --clear-amounts 清空），請檢視：預算.ods:歲出明細!H2（=F2*G2）、"
                               '預算.ods:歲出明細!L3（="市款"&TEXT(H3,"#,##0")&"元"）'), result.formulas


def test_a_formula_in_a_cell_next_year_rewrites_is_named(tmp_path):
    """分年資金需求 row 2 (繼續性, 以前年度預算數 1,000, 本年度 2,000, 第2年度 3,000) with 全程計畫總金額 typed as
    =SUM(F2:L2) (6,000), and 員額!D3 上年度預算員額 typed as =C3 (36): next-year rolls the amounts a year on (以前年度
    1,000 + 2,000 = 3,000, 本年度 3,000) and writes 上年度預算員額 from 本年度 (36), so both cells get next year's
    figures, not the formulas, and the line names them. Red before (review revv): E2 6,000 and D3 36, nothing said."""
    wb = openpyxl.load_workbook(EXAMPLE)
    for c, v in zip("ABCDFGH", ["繼續性", "32020180101", "01行政業務", "系統汰換", 1_000, 2_000, 3_000]):
        wb["分年資金需求"][f"{c}2"] = v
    for c in "IJKL":
        wb["分年資金需求"][f"{c}2"] = 0
    wb["分年資金需求"]["E2"] = "=SUM(F2:L2)"
    wb["員額"]["D3"] = "=C3"
    book = tmp_path / "預算.xlsx"
    wb.save(book)
    keep_cached_values(book, {"分年資金需求": {"E2": 6_000}, "員額": {"D3": 36}})
    out = tmp_path / "下年度.xlsx"
    result = next_year_file(book, out)
    assert _cells(out, "分年資金需求", "E2", "F2", "G2") == [6_000, 3_000, 3_000]
    assert _cells(out, "員額", "D3") == [36]
    assert ("以下公式 2 格所在的儲存格由新年度改寫（以前年度整張重新產生、分年資金需求的金額移一年、上年度預算員額、年度等），"
            "公式未保留，已改為新年度的數值，請檢視：員額!D3（=C3）、分年資金需求!E2（=SUM(F2:L2)）") in result.formulas.splitlines(), \
        result.formulas


def test_a_formula_of_the_sheet_next_year_makes_anew_is_named(tmp_path):
    """以前年度 is made anew from this year's book (上年度預算數 of 32020180101 = this year's 本年度, 人員維持費
    42,978 + 基本行政工作維持費 791 = 43,769 千元 as its 說明 says): C2 typed as =41000+366 (41,366) is not kept, and
    the line names this year's 以前年度!C2. Red before (review revv): C2 held 43,769, nothing said."""
    book = _book(tmp_path / "預算.xlsx", {"以前年度": {"C2": ("=41000+366", 41_366)}})
    out = tmp_path / "下年度.xlsx"
    result = next_year_file(book, out)
    assert _cells(out, "以前年度", "A2", "C2") == ["32020180101", 43_769]
    assert "公式未保留，已改為新年度的數值，請檢視：以前年度!C2（=41000+366）" in result.formulas, result.formulas


def test_a_book_calculated_by_hand_is_said_so_with_its_formulas(tmp_path):
    """Manual calculation, 單價 G2 raised to 26,000,000 and H2 =F2*G2 saved with the old 25,356,370: next year's 以前年度
    上年度 of 32020180101 is made of the saved result (43,769 千元 = 行政管理's 43,769,000 元 as read), so the line names
    the mode and H2 with its formula, as check names manual-calc-stale. Red before: only the kept formula's missing
    value was said."""
    book = _book(tmp_path / "預算.xlsx", {"歲出明細": {"H2": ("=F2*G2", 25_356_370), "G2": ("=26000000", 26_000_000)}},
                 manual=True)
    result = next_year_file(book, tmp_path / "下年度.xlsx")
    assert _cells(tmp_path / "下年度.xlsx", "以前年度", "A2", "C2") == ["32020180101", 43_769]  # not 44,413 (+ 643,630 元)
    assert ("注意：預算.xlsx 設為手動計算（公式 → 計算選項 → 手動），存檔時未必重新計算：輸入工作表中的公式 2 格"
            "（歲出明細!G2（=26000000）、歲出明細!H2（=F2*G2））的結果可能是上次計算時的，與目前的儲存格不符；xlbudget "
            "讀的是存檔時的結果（manual-calc-stale）。請在 Excel 按 F9 重新計算、存檔後再執行 xlbudget next-year。"
            ) in result.formulas.splitlines(), result.formulas
