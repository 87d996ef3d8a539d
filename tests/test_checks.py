"""Checks on template books: the inputs, and schedule sheets an officer may have typed over."""

import copy
from dataclasses import replace
import json
import subprocess
import sys

import pytest

from xlbudget.rules.checks import BOOK_CHECKS, check_book, check_sheets
from xlbudget.cli import main
from xlbudget.app.example import example_workbook
from xlbudget.core.findings import RULES, Severity
from xlbudget.readers.grid import Grid
from xlbudget.readers.inputs import read_book
from xlbudget.core.model import CellRef
from xlbudget.readers.grid import Uncached
from xlbudget.readers.printed_model import SheetGrid
from xlbudget.adapters.printing import write_tables
from xlbudget.derive.book import derive_all
from xlbudget.derive.schedules import DETAIL, SUMMARY, TABLE_ORDER
from xlbudget.adapters.xlsxfile import input_grids, save_atomic, workbook_sheets

from conftest import sha256

FILE = "範例.xlsx"
EXPENSE_HEADER = ["工作計畫編號", "工作計畫名稱", "分支計畫", "用途別科目", "單位", "數量", "單價", "預算數",
                  "收支併列數", "經資門", "經濟性分類", "說明"]
AGENCY_ROWS = [["項目", "內容"], ["機關名稱", "測試機關"], ["年度", 113], ["職能別", "01 一般公共事務"],
               ["機關編號", "02-018"], ["主管機關", "高雄市政府主管"]]


def built_example():
    """The bundled example book with its schedules built, in memory."""
    wb = example_workbook()
    book, _ = read_book(input_grids(wb, FILE), FILE)
    write_tables(wb, derive_all(book), book.agency)
    return wb


@pytest.fixture(scope="module")
def example_grids():
    wb = built_example()
    return workbook_sheets(wb, None, FILE), input_grids(wb, FILE)


def tiny(rows, revenues=None):
    grids = {"基本資料": Grid("基本資料", AGENCY_ROWS), "歲出明細": Grid("歲出明細", [EXPENSE_HEADER] + rows)}
    if revenues is not None:
        grids["歲入明細"] = Grid("歲入明細", [["科目編號", "科目名稱", "預算數", "收支併列"]] + revenues)
    return read_book(grids)


# The seed's 以前年度 說明 amounts no table holds: 3 in I2 (人員維持費42,978千元, its change 2,403千元, 基本行政工作維持費
# 791千元: no 分支計畫 of those names) and 4 in I3 (each 分支計畫's change from 上年度); tests/test_prior_notes.py
SEED_NOTE_INFOS = 7


def _schedule(findings):
    """The findings less the seed's prior-note-unverified infos (tests/test_prior_notes.py holds them)."""
    findings = list(findings)
    found = [f for f in findings if f.rule != "prior-note-unverified"]
    assert len(findings) - len(found) in (0, SEED_NOTE_INFOS)
    return found


def ids_cells(findings):
    return sorted((f.rule, f.cell.sheet, f.cell.cell) for f in _schedule(findings) if f.cell)


def names(findings, cell: CellRef):
    return [f for f in findings if f.cell == cell or cell in f.related]


# ------------------------------------------------------------------ catalogue

def test_rule_ids_are_kebab_case_and_templates_render():
    for rule in RULES.values():
        assert rule.id == rule.id.lower() and " " not in rule.id and "_" not in rule.id
    assert RULES["figure-unverifiable"].severity == Severity.UNVERIFIABLE
    assert RULES["rounding-difference"].severity == Severity.INFO


def test_check_modules_import_no_workbook_library():
    code = ("import sys, xlbudget.rules.checks, xlbudget.readers.printed\n"
            "print(','.join(m for m in ('openpyxl', 'xlwings') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# ------------------------------------------------------------------ rules on the inputs

def test_plan_level1_total_not_whole_thousand():
    # 2,961,000 + 1,500 = 2,962,500: not a whole thousand; 1000 人事費 12,000 is
    book, _ = tiny([
        ["32020180101", "一般行政-行政管理", "", "2018", "年", 1, 2_961_000, 2_961_000, None, "", "", "a"],
        ["32020180101", "一般行政-行政管理", "", "2009", "年", 1, 1_500, 1_500, None, "", "", "b"],
        ["32020180101", "一般行政-行政管理", "", "1015", "年", 1, 12_000, 12_000, None, "", "", "c"],
    ])
    found = check_book(book)
    assert ids_cells(found) == [("not-whole-thousand", "歲出明細", "H3")]
    assert found[0].actual == 2_962_500


def test_duplicate_line_item_names_the_second():
    row = ["32020180101", "一般行政-行政管理", "", "2018", "年", 1, 3_000, 3_000, None, "", "", "同一說明"]
    book, _ = tiny([row, list(row)])
    assert ids_cells(check_book(book)) == [("duplicate-item", "歲出明細", "H3")]


def test_matched_expense_must_equal_matched_revenue():
    rows = [["32020183201", "數位發展計畫-數位發展計畫", "01資通安全", "2018", "式", 1, 48_885_000, 48_885_000,
             34_219_000, "", "", ""]]
    book, _ = tiny(rows, [["09020180102", "上級政府補助收入-計畫型補助收入", 34_219_000, "是"]])
    assert check_book(book) == []
    book, _ = tiny(rows, [["09020180102", "上級政府補助收入-計畫型補助收入", 34_000_000, "是"]])
    found = check_book(book)
    assert ids_cells(found) == [("matched-revenue-mismatch", "歲入明細", "C2")]
    assert (found[0].expected, found[0].actual) == (34_219_000, 34_000_000)
    assert CellRef("歲出明細", "I2") in found[0].related


def test_matched_expense_without_any_revenue_is_an_error():
    """Field report #4: 歲入明細 renamed or deleted (or empty) while 歲出 has 收支併列 34,219,000 元: never a silent
    歲入 0. Named at the first 收支併列 cell (I2), the others related; no 收支併列 → nothing to say."""
    rows = [["32020183201", "數位發展計畫-數位發展計畫", "01資通安全", "2018", "式", 1, 48_885_000, 48_885_000,
             34_219_000, "", "", ""],
            ["32020183201", "數位發展計畫-數位發展計畫", "01資通安全", "2009", "式", 1, 1_000_000, 1_000_000,
             1_000_000, "", "", ""]]
    for revenues in (None, []):
        found = [f for f in check_book(tiny(rows, revenues)[0]) if f.rule == "matched-without-revenue"]
        assert ids_cells(found) == [("matched-without-revenue", "歲出明細", "I2")]
        assert (found[0].expected, found[0].actual, found[0].related) == (35_219_000, 0, (CellRef("歲出明細", "I3"),))
        assert RULES["matched-without-revenue"].severity == Severity.ERROR
    plain = [r[:8] + [None] + r[9:] for r in rows]
    assert [f for f in check_book(tiny(plain)[0]) if f.rule == "matched-without-revenue"] == []


def test_a_finding_met_twice_is_kept_once_by_the_cli_and_the_addin():
    """Same rule, cell and message: one finding, in the CLI's order (sort_findings) and the add-in's (all_findings)."""
    from xlbudget.addin.checking import all_findings
    from xlbudget.core.findings import make_finding, unique_findings
    from xlbudget.rules.checks import sort_findings

    cell = CellRef("歲出明細", "D99")
    first = make_finding("unknown-object-code", cell, code="9999")
    again = make_finding("unknown-object-code", cell, code="9999")  # reading and a check both say it
    other = make_finding("unknown-object-code", cell, code="9998")  # same rule and cell, another code: kept
    kept = unique_findings([first, again, other])
    assert len(kept) == 2 and kept[0] is first and kept[1] is other
    assert [f.message for f in sort_findings([first, again, other])] == [first.message, other.message]
    book, _ = tiny([["32020180101", "一般行政", "行政管理", "2018", "式", 1, 1000, 1000, None, "經常門", None, ""]])
    assert [f for f in all_findings(book, [first, again, other]) if f.cell == cell] == [first, other]


def test_check_list_is_extended_by_copying():
    before = BOOK_CHECKS
    extra = BOOK_CHECKS + (lambda book: [],)
    assert BOOK_CHECKS is before and len(extra) == len(before) + 1


# ------------------------------------------------------------------ the example book

def test_example_book_has_no_errors(example_grids):
    sheets, inputs = example_grids
    report = check_sheets(sheets, inputs, FILE)
    assert report.kind == "template"
    # every schedule the build wrote is read back: the line-item tables, 目次, people and trips
    assert set(report.tables) == set(TABLE_ORDER) | {"目次", "員額編制表", "人事費彙計表", "約聘僱人員費用分析表",
                                                     "派員出國計畫預算總表", "派員出國計畫預算類別表—考察、訪問"}
    assert [f for f in report.findings if f.severity == Severity.ERROR] == []


def test_typed_over_schedule_cell_is_named(example_grids):
    sheets, inputs = example_grids
    sheets = copy.deepcopy(sheets)
    # seed 各項費用彙計表: row 100000人事費 (sheet row 8), 行政管理 column B = 42,978
    summary = sheets[SUMMARY].grid
    assert summary.rows[7][0] == "100000人事費" and summary.rows[7][1] == 42_978
    summary.rows[7][1] = 42_979
    found = _schedule(check_sheets(sheets, inputs, FILE).findings)
    assert ids_cells(found) == [("schedule-cell-mismatch", SUMMARY, "B8")]
    assert (found[0].expected, found[0].actual) == (42_978, 42_979)


def test_uncached_formula_in_schedule_is_unverifiable(example_grids):
    sheets, inputs = example_grids
    sheets = copy.deepcopy(sheets)
    sheets[SUMMARY].grid.rows[7][1] = Uncached("=SUM(B9:B16)")
    report = check_sheets(sheets, inputs, FILE)
    assert ids_cells(report.findings) == [("figure-unverifiable", SUMMARY, "B8")]
    assert report.count(Severity.UNVERIFIABLE) == 1 and report.errors == 0


def test_inserted_row_stops_comparison_with_one_warning(example_grids):
    sheets, inputs = example_grids
    sheets = copy.deepcopy(sheets)
    rows = sheets[SUMMARY].grid.rows
    rows.insert(8, ["我加的一列", 1, None, 1])
    found = check_sheets(sheets, inputs, FILE).findings
    assert ids_cells(found) == [("schedule-rows-changed", SUMMARY, "A9")]


def _mutated(value):
    if isinstance(value, str):  # 數量 as typed: 3x12 → 3x13
        return value[:-1] + str((int(value[-1]) + 1) % 10)
    return value + 1000 if abs(value) >= 1000 else value + 1


def _input_number_cells(inputs):
    """(sheet, row index, column index) of every number the checks read in the input sheets."""
    read = {"歲出明細": ("數量", "單價", "預算數", "收支併列數"), "歲入明細": ("數量", "單價", "預算數"),
            "以前年度": ("上年度預算數", "前年度決算數"),
            # people, trips (issue 3): what their 勾稽 read
            "人事費": ("預算員額", "法定編制人員待遇", "約聘僱人員待遇", "技工及工友待遇", "獎金", "其他給與", "加班費",
                    "退休離職儲金", "保險"),
            "約聘僱": ("人數", "全年度預算數"), "出國計畫": ("交通費", "生活費", "辦公費"), "員額": ("本年度預算員額",)}
    for sheet, columns in read.items():
        grid = inputs[sheet]
        header = grid.rows[0]
        for name in columns:
            c = header.index(name)
            for r in range(1, len(grid.rows)):
                if grid.rows[r][c] not in (None, ""):
                    yield sheet, r, c


def _schedule_number_cells(sheets, inputs):
    for title in [t for t in sheets if t not in inputs and t not in ("目次", "說明", "代碼表")]:  # every schedule
        grid = sheets[title].grid
        for r, row in enumerate(grid.rows):
            if r < 6:  # titles and headers
                continue
            for c, v in enumerate(row):
                if isinstance(v, int) and not isinstance(v, bool):
                    yield title, r, c


def _copy_sheet(sheets, name):
    sg = sheets[name]
    return {**sheets, name: SheetGrid(replace(sg.grid, rows=[list(r) for r in sg.grid.rows]), sg.merges)}


def _copy_input(inputs, name):
    return {**inputs, name: replace(inputs[name], rows=[list(r) for r in inputs[name].rows])}


def test_falsification_every_number_the_checks_read(example_grids):
    """Change each number of the built example book: some finding must name that cell."""
    sheets, inputs = example_grids
    targets = [("inputs", *t) for t in _input_number_cells(inputs)]
    targets += [("sheets", *t) for t in _schedule_number_cells(sheets, inputs)]
    missed = []
    for where, sheet, r, c in targets:
        s, i = (_copy_sheet(sheets, sheet), inputs) if where == "sheets" else (sheets, _copy_input(inputs, sheet))
        grid = s[sheet].grid if where == "sheets" else i[sheet]
        grid.rows[r][c] = _mutated(grid.rows[r][c])
        if not names(check_sheets(s, i, FILE).findings, grid.ref(r, c)):
            missed.append(str(grid.ref(r, c)))
    caught = len(targets) - len(missed)
    print(f"\nfalsification (template book): {caught}/{len(targets)} mutations caught; missed: {missed[:10]}")
    assert len(targets) > 700
    assert missed == []


def test_changing_text_or_blank_cells_finds_nothing(example_grids):
    sheets, inputs = example_grids
    expense = inputs["歲出明細"]
    note = expense.rows[0].index("說明")
    for r in range(1, len(expense.rows)):
        i = copy.deepcopy(inputs)
        i["歲出明細"].rows[r][note] = "改過的說明"
        i["歲出明細"].rows[r].append(12_345)  # a number in a blank column beyond the table
        assert _schedule(check_sheets(sheets, i, FILE).findings) == [], r
    for title in TABLE_ORDER:
        s = copy.deepcopy(sheets)
        grid = s[title].grid
        for row in grid.rows:
            row.append(777)  # blank cells to the right of every table
        grid.rows.append([None, 5, 5])  # and below it
        assert _schedule(check_sheets(s, inputs, FILE).findings) == [], title
    s = copy.deepcopy(sheets)
    detail = s[DETAIL].grid
    item_rows = [r for r, row in enumerate(detail.rows) if row[1] == "年" and row[5]]
    for r in item_rows:
        detail.rows[r][5] = "說明改寫，不影響數字"
    assert _schedule(check_sheets(s, inputs, FILE).findings) == []


# ------------------------------------------------------------------ through the command line

def test_cli_check_json_and_exit_codes(tmp_path, capsys):
    wb = built_example()
    good = save_atomic(wb, tmp_path / "good.xlsx")
    assert main(["check", str(good), "--format", "json"]) == 0
    assert [r for r in json.loads(capsys.readouterr().out) if r["rule"] != "prior-note-unverified"] == []
    wb[SUMMARY]["B8"] = 40_000
    bad = save_atomic(wb, tmp_path / "bad.xlsx")
    before = sha256(bad)
    assert main(["check", str(bad), "--format", "json"]) == 1
    records = [r for r in json.loads(capsys.readouterr().out) if r["rule"] != "prior-note-unverified"]
    assert [(r["rule"], r["severity"], r["sheet"], r["cell"], r["expected"], r["actual"]) for r in records] == [
        ("schedule-cell-mismatch", "error", SUMMARY, "B8", 42_978, 40_000)]
    assert set(records[0]) >= {"rule", "severity", "sheet", "cell", "expected", "actual", "message"}
    assert sha256(bad) == before


def test_cli_check_counts_one_error_in_its_line_and_on_the_results_sheet(tmp_path, capsys):
    """One number typed over (彙計表!B8): 1 錯誤, 0 警告, 7 提示 (the seed's 以前年度 說明 amounts no table holds),
    said the one way (count_summary) by both."""
    import openpyxl

    from xlbudget.forms.results import RESULT_SHEET, count_summary

    wb = built_example()
    wb[SUMMARY]["B8"] = 40_000
    bad = save_atomic(wb, tmp_path / "bad.xlsx")
    assert main(["check", str(bad), "--mark", "-o", str(tmp_path / "marked.xlsx")]) == 1
    counts = count_summary({"錯誤": 1, "警告": 0, "提示": SEED_NOTE_INFOS})
    assert counts in capsys.readouterr().out.splitlines()
    heading = openpyxl.load_workbook(tmp_path / "marked.xlsx")[RESULT_SHEET]["A2"].value
    assert heading.startswith(counts + "（")


def test_count_summary_names_unverifiable_only_when_there_are_some():
    from xlbudget.forms.results import count_summary, severity_counts

    assert count_summary({}) == "錯誤 0、警告 0、提示 0"
    assert count_summary({"提示": 2, "錯誤": 3, "警告": 1}) == "錯誤 3、警告 1、提示 2"
    assert count_summary({"無法驗證": 4, "錯誤": 1}) == "錯誤 1、警告 0、提示 0、無法驗證 4"
    unverifiable = _schedule(check_sheets(*_formula_book(), FILE).findings)
    assert count_summary(severity_counts(unverifiable)) == "錯誤 0、警告 0、提示 0、無法驗證 1"


def _formula_book():
    wb = built_example()
    wb[SUMMARY]["B8"] = "=SUM(B9:B16)"  # no cached value: 無法驗證
    return workbook_sheets(wb, None, FILE), input_grids(wb, FILE)


def test_cli_check_unreadable_book_exits_2(tmp_path, capsys):
    path = tmp_path / "壞.xlsx"
    path.write_bytes(b"not a workbook")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "壞.xlsx" in err and "Traceback" not in err


def test_cli_check_bad_input_cell_exits_2_naming_it(tmp_path, capsys):
    wb = example_workbook()
    wb["歲出明細"]["H2"] = "一百萬"
    path = save_atomic(wb, tmp_path / "x.xlsx")
    assert main(["check", str(path)]) == 2
    assert "歲出明細!H2" in capsys.readouterr().err


def test_cli_check_formula_without_cached_value_is_unverifiable(tmp_path, capsys):
    wb = built_example()
    wb[SUMMARY]["B8"] = "=SUM(B9:B16)"  # openpyxl writes no cached value
    path = save_atomic(wb, tmp_path / "f.xlsx")
    assert main(["check", str(path), "--format", "json"]) == 0
    records = [r for r in json.loads(capsys.readouterr().out) if r["rule"] != "prior-note-unverified"]
    assert [(r["rule"], r["severity"], r["cell"]) for r in records] == [
        ("figure-unverifiable", "unverifiable", "B8")]


def test_prior_year_code_of_another_agency_is_flagged():
    """以前年度 32020190101 in a book whose plans are 3202018xxxx: the 3rd–7th digits 02019 ≠ 02018."""
    from xlbudget.rules.inputs import check_prior_codes
    from xlbudget.core.model import PriorYear

    book, _ = tiny([["32020180101", "一般行政-行政管理", "", "2018", "式", 1, 1000, 1000, 0, "", "", ""]])
    good = PriorYear("32020180101", "一般行政-行政管理", 1, 1)
    typo = PriorYear("32020190101", "一般行政-行政管理", 1, 1, cells={"科目編號": CellRef("以前年度", "A3")})
    found = list(check_prior_codes(replace(book, prior=(good, typo))))
    assert [(f.rule, f.cell.cell, f.actual) for f in found] == [("prior-year-unknown-code", "A3", "32020190101")]


def test_prior_year_typed_in_yuan_is_named_at_its_cell():
    """Field report 3: 以前年度 is a 千元 sheet. The example's 一般行政 is 43,769,000 元 = 43,769 千元 this year;
    上年度預算數 typed in 元, 41,366,000, is 945× that (≥ 100×): a warning at 以前年度!C2. 數位發展計畫 is
    232,026 千元; 前年度決算數 150,283 typed as 150 is 1/1547 of it (≤ 1/100): a warning at 以前年度!D3.
    The untouched figures (41,366 / 43,769; 2,800 / 57,019 歲入) stay quiet."""
    wb = example_workbook()
    wb["以前年度"]["C2"].value = 41366000
    wb["以前年度"]["D3"].value = 150
    book, _ = read_book(input_grids(wb, FILE), FILE)
    found = [f for f in check_book(book) if f.rule == "prior-year-scale"]
    assert ids_cells(found) == [("prior-year-scale", "以前年度", "C2"), ("prior-year-scale", "以前年度", "D3")]
    assert all(f.severity == Severity.WARNING for f in found)
    clean, _ = read_book(input_grids(example_workbook(), FILE), FILE)
    assert [f for f in check_book(clean) if f.rule == "prior-year-scale"] == []
    from xlbudget.app.pipeline import build_workbook  # build (and convert, the buttons) warn as well
    _, built = build_workbook(wb, book)
    assert ids_cells(f for f in built if f.rule == "prior-year-scale") == ids_cells(found)


def test_a_yuan_sheet_typed_in_thousands_is_named_as_such_not_the_prior_year():
    """Field report 4 (f17): the 元 sheets typed in 千元 made prior-year-scale say «以前年度工作表的單位是千元», sending
    the officer to the one sheet that was right. The example's 歲入 09020180102 is 57,019,000 元 (歲入明細 I2, J2);
    typed 57,019 it is 57 千元 this year, and 以前年度 D4 前年度決算數 38,533 千元 is ≥ 100 × 57 = 5,700: flagged.
    57,019 元 is no whole 千元, which a 元 book's total is: the warning names 歲入明細 as typed in 千元
    (yuan-sheet-in-thousands). C4 上年度預算數 2,800 < 5,700 stays quiet. 以前年度 typed in 元 with a whole-千元
    year (the test above) is still prior-year-scale."""
    wb = example_workbook()
    wb["歲入明細"]["I2"].value = 57019
    wb["歲入明細"]["J2"].value = 57019
    book, _ = read_book(input_grids(wb, FILE), FILE)
    found = [f for f in check_book(book) if f.rule in ("prior-year-scale", "yuan-sheet-in-thousands")]
    assert ids_cells(found) == [("yuan-sheet-in-thousands", "以前年度", "D4")]
    assert (found[0].expected, found[0].actual, found[0].severity) == (57, 38533, Severity.WARNING)
    assert "歲入明細看來以千元填寫" in found[0].message and "57,019 元" in found[0].message


def test_capital_total_against_level1_names_the_level1_row():
    """Field report 9: a wrong 資本支出分析表 合計 in a hand-made book (here its second copy 「資本支出分析表 (2)」)
    is cross-table-mismatch at its cell, tied to 歲出一級用途別科目分析表!N7 (資本支出小計 of 合計, 78,471 千元 =
    the example's 資本門); the message quoted that row as 「」."""
    from xlbudget.app.check import check_workbook

    wb = built_example()
    for ws in list(wb):
        if ws.title not in ("歲出機關別預算表", "各項費用彙計表", "歲出一級用途別科目分析表", "資本支出分析表"):
            wb.remove(ws)
    copy = wb.copy_worksheet(wb["資本支出分析表"])
    copy.title = "資本支出分析表 (2)"
    assert copy["B7"].value == 78471
    copy["B7"].value = 79248
    found = [f for f in check_workbook(wb).findings if f.severity == Severity.ERROR]
    assert [(f.rule, f.cell.sheet, f.cell.cell, f.expected, f.actual) for f in found] == [
        ("cross-table-mismatch", "資本支出分析表 (2)", "B7", 78471, 79248)]
    assert [(c.sheet, c.cell) for c in found[0].related] == [("歲出一級用途別科目分析表", "N7")]
    assert "「」" not in found[0].message


def test_findings_are_put_in_cell_order_row_then_column_aa_after_z():
    """One reading of an A1 address (core.model.cell_position) behind the CLI's, 檢核結果's and InputError's order."""
    from xlbudget.core.errors import InputError
    from xlbudget.core.findings import make_finding
    from xlbudget.core.model import cell_position
    from xlbudget.forms.results import finding_rows
    from xlbudget.rules.checks import sort_findings

    assert [cell_position(a) for a in ("B12", "$AA$3", "b12", "B12:C14", "合計")] == [
        (12, 2), (3, 27), (12, 2), (12, 2), (0, 0)]
    cells = ["AA2", "Z2", "B10", "B9"]  # by hand: B9, B10 (row 9 before 10), then Z2 before AA2 on row 2
    found = [make_finding("unknown-object-code", CellRef("歲出明細", c), code="9999") for c in cells]
    expected = ["Z2", "AA2", "B9", "B10"]
    assert [f.cell.cell for f in sort_findings(found)] == expected
    assert [row[4] for row in finding_rows(found)] == [f"歲出明細!{c}" for c in expected]
    assert [f.cell.cell for f in InputError(found).findings] == expected


def _listed_cells(text: str) -> list[str]:
    """工作表!儲存格 of each finding line the CLI printed (check's list, or an InputError's on stderr)."""
    import re

    return [m.group(1) for m in re.finditer(r"\.xlsx:(\S+?![A-Z]+\d+)", text)]


def _results_cells(path) -> list[str]:
    """位置 (column E) of each finding row of 檢核結果, top to bottom."""
    import openpyxl

    from xlbudget.forms.results import RESULT_SHEET, RESULTS_HEADERS

    rows = list(openpyxl.load_workbook(path)[RESULT_SHEET].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if tuple(row[:len(RESULTS_HEADERS)]) == RESULTS_HEADERS) + 1
    cells = []
    for row in rows[start:]:
        if row[0] is None:
            break
        cells.append(row[4])
    return cells


def test_cli_list_json_and_results_sheet_agree_on_the_order_of_findings(tmp_path, capsys):
    """One order (core.findings.in_reading_order): errors first, then sheets as the tabs run, then row, column.

    Tabs: 歲出明細 (3rd) … 歲出計畫說明提要與各項費用明細表 (24th), 各項費用彙計表 (25th); by name 各 would come
    before 歲, and by sheet alone 歲出明細's warning would come first.
    """
    wb = built_example()
    assert wb[DETAIL]["E11"].value == 25_356_370 and wb[SUMMARY]["D7"].value == 275_795
    wb[DETAIL]["E11"] = 25_356_000  # error: typed over
    wb[SUMMARY]["B8"] = 40_000  # error
    wb[SUMMARY]["D7"] = 275_000  # error, a row above B8
    wb["歲出明細"]["D3"] = "1020 錯誤名稱"  # warning: object-name-mismatch
    bad = save_atomic(wb, tmp_path / "bad.xlsx")
    expected = [f"{DETAIL}!E11", f"{SUMMARY}!D7", f"{SUMMARY}!B8", "歲出明細!D3"]  # by hand, from the rule
    expected += ["以前年度!I2"] * 3 + ["以前年度!I3"] * 4  # the seed's 以前年度 說明 infos (SEED_NOTE_INFOS), last

    assert main(["check", str(bad)]) == 1
    assert _listed_cells(capsys.readouterr().out) == expected
    assert main(["check", str(bad), "--format", "json"]) == 1
    assert [f"{r['sheet']}!{r['cell']}" for r in json.loads(capsys.readouterr().out)] == expected
    assert main(["check", str(bad), "--mark", "-o", str(tmp_path / "marked.xlsx")]) == 1
    assert _results_cells(tmp_path / "marked.xlsx") == expected


def test_an_input_errors_list_and_results_sheet_follow_the_tabs(tmp_path, capsys):
    """An unreadable book, 歲出明細 moved before 基本資料: its problems (read 基本資料 first) are listed as the tabs
    run, by the CLI and on 檢核結果 alike."""
    from xlbudget.adapters.marking import mark_workbook
    from xlbudget.core.errors import InputError

    wb = example_workbook()
    wb["歲出明細"]["H3"] = "abc"  # 預算數 not a number
    wb["歲出明細"]["F2"] = "x"  # 數量 not a number
    wb["基本資料"]["B4"] = "abc"  # 年度
    wb.move_sheet("歲出明細", offset=-1)
    assert wb.sheetnames[1:3] == ["歲出明細", "基本資料"]
    bad = save_atomic(wb, tmp_path / "bad.xlsx")
    expected = ["歲出明細!F2", "歲出明細!H3", "基本資料!B4"]

    assert main(["check", str(bad)]) == 2
    assert _listed_cells(capsys.readouterr().err) == expected
    with pytest.raises(InputError) as caught:
        read_book(input_grids(wb, "bad.xlsx"), "bad.xlsx")
    assert [f"{f.cell.sheet}!{f.cell.cell}" for f in caught.value.findings] == expected
    mark_workbook(wb, caught.value.findings, "bad.xlsx")  # what 檢核 lists for an unreadable book
    save_atomic(wb, tmp_path / "marked.xlsx")
    assert _results_cells(tmp_path / "marked.xlsx") == expected
