"""Headers typed with a unit or a near-miss name (field report rows 1 and 7): read, or refused at the header cell.

Each case edits one header of the bundled example (歲出明細 row 2: 1015, 數量 1, 單價 25,356,370, 預算數
25,356,370, 分支計畫 01行政業務; 人事費 職員 獎金 5,386,310) and asserts the figure or the rule id and cell.
"""

import pytest

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.example import example_workbook
from xlbudget.core.errors import InputError
from xlbudget.core.findings import RULES
from xlbudget.readers.inputs import read_book



def _book(sheet, cell, header):
    wb = example_workbook()
    wb[sheet][cell] = header
    return read_book(input_grids(wb))[0]


def _problems(sheet, cell, header):
    wb = example_workbook()
    wb[sheet][cell] = header
    with pytest.raises(InputError) as err:
        read_book(input_grids(wb))
    return [(f.rule, str(f.cell) if f.cell else None) for f in err.value.findings]


@pytest.mark.parametrize("header", ["單價(元)", "單價（元）", "單 價（新臺幣元）"])
def test_price_with_its_unit_is_the_price(header):
    first = _book("歲出明細", "G1", header).expenses[0]
    assert (first.unit_price, str(first.cells["單價"])) == (25356370, "歲出明細!G2")


def test_quantity_with_a_count_unit_is_the_quantity():
    assert _book("歲出明細", "F1", "數量(個)").expenses[0].quantity == 1


def test_amount_with_its_unit_is_the_amount():
    assert _book("歲出明細", "H1", "預算數(元)").expenses[0].amount == 25356370


def test_matched_with_its_unit_is_read():
    assert str(_book("歲出明細", "I1", "收支併列數(元)").expenses[0].cells["收支併列數"]) == "歲出明細!I2"


def test_staff_cost_header_with_its_unit():
    assert _book("人事費", "H1", "獎金（元）").staff_costs[0].components["獎金"] == 5386310


def test_thousands_on_a_yuan_sheet_is_refused_at_the_header():
    assert _problems("歲出明細", "H1", "預算數（千元）") == [("header-unit-mismatch", "歲出明細!H1")]


def test_a_money_unit_on_the_quantity_is_refused():
    assert _problems("歲出明細", "F1", "數量(元)") == [("header-unit-mismatch", "歲出明細!F1")]


def test_near_miss_of_a_missing_optional_header():
    assert _problems("歲出明細", "C1", "分支計畫名稱") == [("header-near-miss", "歲出明細!C1")]


def test_near_miss_of_a_missing_required_header_names_its_cell_not_a1():
    assert _problems("歲出明細", "H1", "本年度預算數") == [("header-near-miss", "歲出明細!H1")]


def test_an_unrelated_extra_column_is_still_allowed():
    assert _book("歲出明細", "P1", "承辦人").expenses[0].amount == 25356370


def test_rules_in_catalogue():
    assert {"header-unit-mismatch", "header-near-miss"} <= set(RULES)


# -- field report row 2: merged cells in an input sheet (分支計畫 merged down C2:C6) are refused, naming the range


def _merged_problems(tmp_path, reader, rng):
    wb = example_workbook()
    wb["歲出明細"].merge_cells(rng)
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    if reader == "ods":
        from test_reading import write_ods
        from xlbudget.adapters.fastread import read_grids
        path, reader = write_ods(wb, tmp_path / "merged.ods"), read_grids
    with pytest.raises(InputError) as err:
        read_book(reader(path))
    return [(f.rule, str(f.cell) if f.cell else None, f.actual) for f in err.value.findings]


@pytest.mark.parametrize("reader", ["openpyxl", "calamine", "ods"])
@pytest.mark.parametrize("rng", ["C2:C6", "A2:A4"])
def test_merged_input_cells_are_refused_naming_the_range(tmp_path, reader, rng):
    from xlbudget.adapters.fastread import read_grids
    from xlbudget.adapters.xlsxfile import open_workbook

    def with_openpyxl(path):
        return input_grids(open_workbook(path), path.name)

    read = {"openpyxl": with_openpyxl, "calamine": read_grids}.get(reader, reader)
    file = "merged.ods" if reader == "ods" else "merged.xlsx"
    assert _merged_problems(tmp_path, read, rng) == [("merged-input-cells", f"{file}:歲出明細!{rng.split(':')[0]}", rng)]


def test_a_merged_title_above_the_header_is_not_refused(tmp_path):
    from xlbudget.adapters.fastread import read_grids

    wb = example_workbook()
    ws = wb["歲出明細"]
    ws.insert_rows(1)
    ws["A1"] = "歲出明細（113年度）"
    ws.merge_cells("A1:H1")
    path = tmp_path / "title.xlsx"
    wb.save(path)
    assert read_book(read_grids(path))[0].expenses[0].amount == 25356370


# -- field report row 5: a copy of an input sheet holding rows is named as not read, on every path


def _with_copy(name, rows=True):
    wb = example_workbook()
    copy = wb.copy_worksheet(wb["歲出明細"])
    copy.title = name
    if not rows:
        copy.delete_rows(2, copy.max_row)
    return wb


def _not_read(findings):
    return [(f.rule, str(f.cell)) for f in findings if f.rule == "sheet-not-read"]


@pytest.mark.parametrize("name", ["歲出明細 (2)", "歲出明細2", "歲出明細-1", "歲出明細（2）"])
def test_a_copied_input_sheet_is_named_as_not_read(tmp_path, name):
    from xlbudget.adapters.fastread import read_grids

    wb = _with_copy(name)
    assert _not_read(read_book(input_grids(wb))[1]) == [("sheet-not-read", f"{name}!A1")]
    wb.save(tmp_path / "copy.xlsx")
    assert _not_read(read_book(read_grids(tmp_path / "copy.xlsx"))[1]) == [("sheet-not-read", f"copy.xlsx:{name}!A1")]


def test_copies_of_two_input_sheets_are_each_held_to_their_own_sheet():
    """歲出明細 (2), a backup (its 77 lines are 歲出明細's: 0 lacking), and 歲入明細 (2), 歲入明細's one line and one of
    科目 09020189999 it lacks (1): each copy against its own input sheet, whose lines with_copies reads once.
    Red when the lines of the first sheet read stand for every sheet's."""
    wb = example_workbook()
    for sheet in ("歲出明細", "歲入明細"):
        wb.copy_worksheet(wb[sheet]).title = f"{sheet} (2)"
    revenue = wb["歲入明細 (2)"]
    revenue.append(["09020189999", "其他收入-雜項收入"] + [c.value for c in revenue[2]][2:])
    grids = input_grids(wb)
    assert (grids["歲出明細"].copies, grids["歲入明細"].copies) == ((("歲出明細 (2)", 0, False),),
                                                                  (("歲入明細 (2)", 1, False),))

def test_an_empty_copy_and_other_sheets_say_nothing():
    wb = _with_copy("歲出明細 (2)", rows=False)
    wb.create_sheet("歲出明細備註").append(["x"])
    assert _not_read(read_book(input_grids(wb))[1]) == []


def test_the_addin_names_a_copied_sheet_too():
    from xlwings_json import book_json, run_script, sheet_order, sheet_values

    import xlbudget.addin as addin

    payload = book_json(_with_copy("歲出明細 (2)"))
    actions = run_script(addin, "check_book", payload)
    results = sheet_values(actions, sheet_order(payload, actions).index("檢核結果"))
    assert ("sheet-not-read", "歲出明細 (2)!A1") in {(r[2], r[4]) for r in results}


def test_a_header_with_its_unit_fills_the_templates_column():
    """convert --mark, build of an .ods and next-year rewrite a book into our template: 「單價(元)」 goes under 單價
    (G), not into an extra column that a second reading would leave beside an empty 單價."""
    from xlbudget.app.template import fill_template

    wb = example_workbook()
    wb["歲出明細"]["G1"] = "單價(元)"
    filled = fill_template(input_grids(wb))["歲出明細"]
    assert (filled["G1"].value, filled["G2"].value) == ("單價", 25356370)
    assert "單價(元)" not in [c.value for c in filled[1]]


def test_a_huge_copy_is_named_without_being_read(tmp_path):
    """The size caps guard a copied sheet too: one reaching XFD1048576 is named (sheet-not-read), never materialised."""
    from xlbudget.adapters.fastread import read_grids

    wb = _with_copy("歲出明細 (2)")
    wb["歲出明細 (2)"]["XFD1048576"] = 1
    wb.save(tmp_path / "huge.xlsx")
    assert _not_read(read_book(read_grids(tmp_path / "huge.xlsx"))[1]) == [("sheet-not-read",
                                                                           "huge.xlsx:歲出明細 (2)!A1")]


# -- field report 3 #1: a long 歲出明細 split over a second sheet under another name (歲出明細(數位發展)) with the same
# header row: its lines are never read, so the sheet is an error at its A1 (sheet-lines-not-read), on every reader.
# The example's 數位發展計畫 (32020183201) 設備及投資 lines without 收支併列: 13 lines, 45,900,000 元 of 275,795,000.

SPLIT_NAMES = ["歲出明細(數位發展)", "歲出明細（續）", "歲出明細-數位發展計畫", "數位發展歲出明細", "歲出明細 續", "歲出明細2"]


def _split(name, title_above=False):
    wb = example_workbook()
    ws = wb["歲出明細"]
    header = [c.value for c in ws[1]]
    moved = [r for r in range(2, ws.max_row + 1)
             if ws.cell(r, 1).value == "32020183201" and str(ws.cell(r, 4).value).startswith("3")
             and not ws.cell(r, 9).value]
    new = wb.create_sheet(name, wb.sheetnames.index("歲出明細") + 1)
    if title_above:
        new.append(["數位發展計畫歲出明細（續）"])
    new.append(header)
    for r in moved:
        new.append([c.value for c in ws[r]])
    for r in reversed(moved):
        ws.delete_rows(r)
    return wb, len(moved)


def _refused(read):
    with pytest.raises(InputError) as err:
        read_book(read)
    return [(f.rule, str(f.cell), f.expected, f.actual) for f in err.value.findings]


@pytest.mark.parametrize("name", SPLIT_NAMES)
def test_a_second_items_sheet_is_an_error_at_its_a1(tmp_path, name):
    from xlbudget.adapters.fastread import read_grids

    wb, moved = _split(name)
    assert moved == 13
    assert _refused(input_grids(wb)) == [("sheet-lines-not-read", f"{name}!A1", None, name)]
    wb.save(tmp_path / "split.xlsx")
    assert _refused(read_grids(tmp_path / "split.xlsx")) == [("sheet-lines-not-read", f"split.xlsx:{name}!A1", None,
                                                               name)]


def test_a_second_items_sheet_with_a_title_line_above_its_header():
    wb, _ = _split("數位發展", title_above=True)
    assert _refused(input_grids(wb)) == [("sheet-lines-not-read", "數位發展!A1", None, "數位發展")]


def test_a_second_revenue_sheet_is_named_too():
    wb = example_workbook()
    ws = wb["歲入明細"]
    new = wb.create_sheet("歲入明細（續）")
    new.append([c.value for c in ws[1]])
    new.append([c.value for c in ws[2]])
    new.append(["09020180199"] + [c.value for c in ws[2]][1:])  # a line 歲入明細 lacks
    findings = _refused(input_grids(wb))
    assert findings == [("sheet-lines-not-read", "歲入明細（續）!A1", None, "歲入明細（續）")]


def test_a_backup_under_another_name_is_only_a_warning():
    """Every line of the other sheet is in 歲出明細 (a copy kept aside): the figures are right, it is named."""
    wb = _with_copy("歲出明細備份")
    assert _not_read(read_book(input_grids(wb))[1]) == [("sheet-not-read", "歲出明細備份!A1")]


# -- leftovers 2: a copy of 歲出明細 kept for reference (last year's 歲出明細(112), a draft 歲出明細 (2)) holds the same
# lines with other figures. It is named as another version (warning) and the book is read from 歲出明細 alone: the
# example's 77 lines (rows 2–78), 275,795,000 元 in all, its printed 歲出 275,795 千元.

def _last_year(name, change_rows):
    """The example with ``name``: 歲出明細 as it was, 預算數 (H) 1,000 元 lower on ``change_rows``."""
    wb = _with_copy(name)
    for r in change_rows:
        wb[name].cell(r, 8).value -= 1_000
    return wb


def _version_findings(findings):
    return [(f.rule, str(f.cell), f.severity.value) for f in findings if f.rule.startswith("sheet-")]


@pytest.mark.parametrize("name,change_rows,count", [
    ("歲出明細(112)", range(2, 79), 77),  # every line's figure is last year's: 77 lines differ
    ("歲出明細 (2)", (2, 20, 78), 3),  # a draft kept before three amounts were changed
])
def test_another_version_of_the_items_sheet_is_named_and_not_read(tmp_path, name, change_rows, count):
    from xlbudget.adapters.fastread import read_grids

    wb = _last_year(name, change_rows)
    del_row, new_line = 40, ["32020183203", "數位發展計畫-已結束計畫", "01結束", "2018", "式", 1, 5_000, 5_000, 0,
                             "經常"]
    wb[name].delete_rows(del_row)  # a line added this year
    wb[name].append(new_line)  # a plan of last year that ended: one more line 歲出明細 lacks
    for read, cell in ((lambda: input_grids(wb), f"{name}!A1"),
                       (lambda: (wb.save(tmp_path / "v.xlsx"), read_grids(tmp_path / "v.xlsx"))[1],
                        f"v.xlsx:{name}!A1")):
        book, findings = read_book(read())
        assert _version_findings(findings) == [("sheet-version-not-read", cell, "warning")]
        found = next(f for f in findings if f.rule == "sheet-version-not-read")
        moved = 1 if del_row in change_rows else 0  # the deleted row is one of the changed ones
        assert found.expected is None and f"{count - moved + 1} 列" in found.message
        assert sum(i.amount for i in book.expenses) == 275_795_000 and len(book.expenses) == 77


def test_a_version_copy_beside_a_hidden_items_sheet_says_it_is_hidden(tmp_path):
    """Field report 8 §2.6 (f18): 歲出明細 hidden, the officer works in the visible copy 歲出明細 (2) (H20 changed):
    the warning says which sheet is read and that it is hidden in Excel, by the file readers and the buttons alike;
    with 歲出明細 visible it says nothing of hiding."""
    from xlwings_json import book_json, run_script, sheet_order, sheet_values

    import xlbudget.addin as addin
    from xlbudget.adapters.fastread import read_grids

    hidden = "（「歲出明細」在 Excel 中是隱藏的）"
    for shut in (False, True):
        wb = _last_year("歲出明細 (2)", (20,))
        if shut:
            wb["歲出明細"].sheet_state = "hidden"
        wb.save(tmp_path / "v.xlsx")
        payload = book_json(wb)
        actions = run_script(addin, "check_book", payload)
        results = sheet_values(actions, sheet_order(payload, actions).index("檢核結果"))
        said = [next(f.message for f in read_book(input_grids(wb))[1] if f.rule == "sheet-version-not-read"),
                next(f.message for f in read_book(read_grids(tmp_path / "v.xlsx"))[1]
                     if f.rule == "sheet-version-not-read"),
                next(r[7] for r in results if len(r) > 7 and r[2] == "sheet-version-not-read")]
        assert all(("只讀取「歲出明細」" + hidden if shut else "只讀取「歲出明細」，") in m for m in said), said


def test_a_version_copy_is_a_warning_at_build(tmp_path, capsys):
    from xlbudget.cli import main

    path = tmp_path / "book.xlsx"
    _last_year("歲出明細(112)", range(2, 79)).save(path)
    assert main(["build", str(path), "-o", str(tmp_path / "out.xlsx")]) == 0
    out = capsys.readouterr()
    assert "「歲出明細(112)」是「歲出明細」的另一版本" in out.out + out.err


def test_a_header_row_alone_and_the_examples_say_nothing():
    wb = example_workbook()
    wb.create_sheet("歲出明細（續）").append([c.value for c in wb["歲出明細"][1]])
    assert _not_read(read_book(input_grids(wb))[1]) == []


def test_the_addin_refuses_a_second_items_sheet():
    from xlwings_json import book_json, run_script, sheet_order, sheet_values

    import xlbudget.addin as addin

    payload = book_json(_split("歲出明細(數位發展)")[0])
    actions = run_script(addin, "check_book", payload)
    results = sheet_values(actions, sheet_order(payload, actions).index("檢核結果"))
    assert ("sheet-lines-not-read", "歲出明細(數位發展)!A1") in {(r[2], r[4]) for r in results}


# -- field report 3 #5: optional columns under the headers officers type. 經濟分類 / 經常/資本 / 備註 are 經濟性分類 /
# 經資門 / 說明 (forms HEADER_SYNONYMS); any other unknown header on a sheet lacking a template column is refused at
# its cell (header-unrecognised). The example's 資訊軟體 lines (K): rows 42, 53, 61–67, 77, 78 = 1,200,000 +
# 32,571,000 + 9,800,000 + 4,500,000 + 3,500,000 + 1,400,000 + 1,500,000 + 1,400,000 + 5,000,000 + 800,000 +
# 3,800,000 = 65,471,000 元; row 20 is 2003 29,000 元; row 2's 說明 is 「詳人事費彙計表。」.

SOFTWARE_ROWS = {42, 53, 61, 62, 63, 64, 65, 66, 67, 77, 78}


def _row(item):
    return int(str(item.cells["預算數"]).split("!H")[1])


def test_economic_class_under_a_short_header_is_read():
    book = _book("歲出明細", "K1", "經濟分類")
    software = {i.econ for i in book.expenses if _row(i) in SOFTWARE_ROWS}
    assert len(software) == 1
    assert sum(i.amount for i in book.expenses if i.econ in software) == 65_471_000
    assert str(book.expenses[0].cells["經濟性分類"]) == "歲出明細!K2"


def test_current_or_capital_header_reads_a_capital_line():
    wb = example_workbook()
    ws = wb["歲出明細"]
    ws["J1"] = "經常/資本"
    assert (ws["D20"].value, ws["H20"].value) == ("2003", 29000)
    ws["J20"] = "資本"
    line = next(i for i in read_book(input_grids(wb))[0].expenses if _row(i) == 20)
    assert line.basis == "資本"


@pytest.mark.parametrize("header", ["備註", "備考"])
def test_remarks_header_is_the_note(header):
    book = _book("歲出明細", "L1", header)
    assert (book.expenses[0].note, str(book.expenses[0].cells["說明"])) == ("詳人事費彙計表。", "歲出明細!L2")


def test_current_or_capital_as_officers_head_it():
    """leftovers 4: 「經資門別」 was refused (header-near-miss); row 20 is 2003, 29,000 元, typed 資本 here."""
    wb = example_workbook()
    wb["歲出明細"]["J1"] = "經資門別"
    wb["歲出明細"]["J20"] = "資本"
    line = next(i for i in read_book(input_grids(wb))[0].expenses if _row(i) == 20)
    assert (line.basis, line.amount, str(line.cells["經資門"])) == ("資本", 29_000, "歲出明細!J20")


def test_the_printed_revenue_note_header_is_the_note():
    """歲入項目說明提要與預算明細表 heads 說明 「說明及收入依據」 (seed, all three reference books)."""
    revenue = _book("歲入明細", "L1", "說明及收入依據").revenues[0]
    assert (revenue.code, str(revenue.cells["說明"])) == ("09020180102", "歲入明細!L2")
    assert revenue.note.startswith("數位發展部資通安全署112年5月12日")


# 公務車輛明細表's headers as the books print them, typed on one row: 乘客人數(不含司機), 汽缸總排氣量(立方公分),
# 牌照稅(全年), 燃料使用費(全年) (臺北 116: 公路使用養護安全管理費(全年)), 車輛保險費, 車輛檢驗費. Each column's 合計 as the
# book prints it: 臺中 115 p. 45, 臺北 116 p. 95.
PRINTED_VEHICLE_HEADERS = ["工作計畫編號", "區分", "車輛數", "車輛種類", "乘客人數(不含司機)", "購置年月",
                           "汽缸總排氣量(立方公分)", "牌照稅(全年)", "燃料使用費(全年)", "油料數量(公升)", "油料單價(元)",
                           "油料金額", "養護費", "車輛保險費", "車輛檢驗費", "備註"]


@pytest.mark.parametrize("example,fuel,totals", [
    ("example-taichung", "燃料使用費(全年)",
     {"牌照稅": 25_470, "燃料使用費": 15_780, "油料金額": 122_388, "養護費": 68_000, "保險費": 7_881, "檢驗費": 750}),
    ("example-taipei", "公路使用養護安全管理費(全年)",
     {"牌照稅": 44_920, "燃料使用費": 593_322, "油料金額": 3_272_544, "養護費": 3_444_500, "保險費": 828_924,
      "檢驗費": 66_450}),
])
def test_vehicle_headers_as_printed_are_read(example, fuel, totals):
    from collections import Counter

    wb = example_workbook(example)
    for c, header in enumerate(PRINTED_VEHICLE_HEADERS, start=1):
        wb["公務車輛"].cell(1, c).value = fuel if header == "燃料使用費(全年)" else header
    book, findings = read_book(input_grids(wb))
    found = Counter()
    for vehicle in book.vehicles:
        found.update(vehicle.costs)
    assert dict(found) == totals
    assert str(book.vehicles[0].cells["保險費"]) == "公務車輛!N2" and findings == []


def test_a_money_unit_other_than_the_sheets_is_still_refused():
    assert _problems("歲出明細", "H1", "預算數(千元)") == [("header-unit-mismatch", "歲出明細!H1")]


def test_a_synonym_beside_its_own_header_is_the_same_column_twice():
    """經濟分類 (P) beside 經濟性分類 (K) is the one column typed twice: refused naming both (field report 4 §1.1),
    never K read and P's 機器及其他設備 dropped without a word, as it was."""
    wb = example_workbook()
    wb["歲出明細"]["P1"] = "經濟分類"
    wb["歲出明細"]["P2"] = "機器及其他設備"
    with pytest.raises(InputError) as err:
        read_book(input_grids(wb))
    assert [(f.rule, str(f.cell), tuple(map(str, f.related))) for f in err.value.findings] == [
        ("duplicate-header", "歲出明細!P1", ("歲出明細!K1",))]


def test_staff_costs_remarks_stay_remarks():
    assert _book("人事費", "N1", "備註").staff_costs[0].components["獎金"] == 5386310


@pytest.mark.parametrize("cell, header", [("K1", "分類"), ("L1", "摘要"), ("J1", "經常門／資本門別")])
def test_an_unknown_header_where_a_column_is_missing_is_refused_at_its_cell(cell, header):
    assert _problems("歲出明細", cell, header) == [("header-unrecognised", f"歲出明細!{cell}")]


def test_an_unknown_header_on_a_revenue_sheet_lacking_its_note():
    assert _problems("歲入明細", "L1", "內容") == [("header-unrecognised", "歲入明細!L1")]


def test_a_synonym_fills_the_templates_column():
    """convert --mark, build of an .ods and next-year rewrite a book into our template: 「經濟分類」 goes under
    經濟性分類 (K), not into an extra column a second reading would leave beside an empty 經濟性分類."""
    from xlbudget.app.template import fill_template

    wb = example_workbook()
    wb["歲出明細"]["K1"] = "經濟分類"
    filled = fill_template(input_grids(wb))["歲出明細"]
    assert (filled["K1"].value, filled["K42"].value) == ("經濟性分類", "資訊軟體")
    assert "經濟分類" not in [c.value for c in filled[1]]
