"""What officers really type, through every path that reads a book (issue 9).

Each class of input is a small change to the example book, made here with
openpyxl. Every path — build, check, export, convert (calamine) and the
add-in (xlwings' dispatch) — must give the example's figures or the same
problem, by rule id and cell. The figures are the seed book's (高雄市政府
資訊中心 113年度): 一般行政-行政管理 43,769 千元 in 歲出機關別預算表, one
分支計畫 01行政業務 of 43,769,000 元 in the 明細表, 歲出 275,795 千元
(275,795,000 元, 57,019,000 元 of it 收支併列, summed by hand from
xlbudget/data/example/歲出明細.csv, rows 2–78; plan 32020180101 is rows 2–33).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from openpyxl.worksheet.table import Table

from xlwings_json import book_json, call_udf, run_script, sheet_order, sheet_values  # sets XLWINGS_ON_SERVER first

import xlbudget.addin as addin
from xlbudget.cli import main
from xlbudget.app.convert import convert_paths
from xlbudget.core.errors import InputError
from xlbudget.app.example import example_workbook
from xlbudget.forms.inputs import SHEET_EXPENSES
from xlbudget.adapters.books import load_book

PLAN = "32020180101"
PLAN_THOUSANDS = 43769
BRANCH = "01行政業務"
BRANCH_YUAN = 43_769_000
TOTAL_YUAN = 275_795_000
MATCHED_YUAN = 57_019_000
AGENCY_TOTAL = 275795
DETAIL = "歲出計畫說明提要與各項費用明細表"
AGENCY_BUDGET = "歲出機關別預算表"


def column(ws, name: str) -> int:
    """1-based column of header ``name`` in row 1."""
    return [c.value for c in ws[1]].index(name) + 1


def save(wb, path: Path) -> Path:
    wb.save(path)
    return path


def example(tmp_path, edit=None, name="book.xlsx") -> Path:
    """The example input book with ``edit(wb)`` applied, saved in tmp_path."""
    wb = example_workbook()
    if edit:
        edit(wb)
    return save(wb, tmp_path / name)


# ------------------------------------------------------------ figures through every path

def printed_example(example: str = "example", edit=None):
    """The example built, then its input sheets, 說明, 代碼表 and 目次 deleted: a hand-made book of printed tables
    only (merged headers, styles and all). ``example``: a key of app.example.EXAMPLES; ``edit(wb)`` changes its
    inputs first."""
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.app.pipeline import build_workbook
    from xlbudget.forms.inputs import INPUT_SHEETS
    from xlbudget.readers.inputs import read_book

    wb = example_workbook(example)
    if edit:
        edit(wb)
    book, _ = read_book(input_grids(wb, "範例"), "範例")
    build_workbook(wb, book)
    for name in list(wb.sheetnames):
        if name in INPUT_SHEETS or name in ("說明", "代碼表", "目次"):
            del wb[name]
    return wb


def figures(records: list[dict]) -> dict:
    """The figures this file asserts, from tidy export records."""
    agency = {r["row_code"]: r["value"] for r in records
              if r["table"] == AGENCY_BUDGET and r["column"] == "本年度預算數"}
    branches = {r["row_code"]: r["value"] for r in records if r["table"] == DETAIL and r["column"] == "預算數"
                and r["row_code"].startswith(PLAN + "/") and r["row_code"].count("/") == 1}
    plans = sorted(c for c in agency if len(c) == 11 and not c.endswith("00"))
    return {"plan": agency.get(PLAN), "plans": plans, "branches": branches}


CLEAN = {"plan": PLAN_THOUSANDS, "plans": [PLAN, "32020183201"], "branches": {f"{PLAN}/{BRANCH}": BRANCH_YUAN}}


def via_export(book: Path, tmp_path: Path) -> dict:
    out = tmp_path / "export.json"
    assert main(["export", str(book), "--format", "json", "-o", str(out), "--force"]) == 0  # called twice a test
    return figures(json.loads(out.read_text(encoding="utf-8")))


def via_convert(book: Path, tmp_path: Path) -> dict:
    out = tmp_path / "converted"
    code, results = convert_paths([str(book)], str(out), jobs=1, fmt="json", stream=open("/dev/null", "w"))
    assert results[0].status != "無法讀取", results[0].message
    return figures(json.loads(Path(results[0].output).read_text(encoding="utf-8")))


def via_addin(wb) -> dict:
    payload = book_json(wb)
    actions = run_script(addin, "export_data", payload)
    rows = sheet_values(actions, sheet_order(payload, actions).index("匯出資料"))
    header = rows[0]
    return figures([dict(zip(header, r)) for r in rows[1:]])


def via_build(book: Path, tmp_path: Path) -> dict:
    """歲出機關別預算表 as build writes it: 本年度 of every plan line, and the agency total."""
    out = tmp_path / "built.xlsx"
    assert main(["build", str(book), "-o", str(out)]) == 0
    ws = openpyxl.load_workbook(out)[AGENCY_BUDGET]
    lines = {}
    for row in ws.iter_rows(values_only=True):
        code = str(row[4] or "").strip("\u3000 ").split(" ")[0]  # 11 digits, the 主管 line 10 (as the seed prints)
        if code.isdigit():
            lines[code] = row[5]
    plans = sorted(c for c in lines if not c.endswith("00"))
    return {"plan": lines.get(PLAN), "plans": plans, "total": lines.get("0002000000")}


def assert_example_figures(book: Path, tmp_path: Path, wb=None) -> None:
    """The example's figures on build, export, convert and (given the workbook) the add-in."""
    assert via_build(book, tmp_path) == {"plan": PLAN_THOUSANDS, "plans": CLEAN["plans"], "total": AGENCY_TOTAL}
    assert via_export(book, tmp_path) == CLEAN
    assert via_convert(book, tmp_path) == CLEAN
    if wb is not None:
        assert via_addin(wb) == CLEAN


def check_json(book: Path, capsys) -> tuple[int, list[dict]]:
    capsys.readouterr()
    code = main(["check", str(book), "--format", "json"])
    return code, json.loads(capsys.readouterr().out)  # input problems are records too (exit 2)


def problems(book: Path) -> set[tuple[str, str]]:
    """(rule, sheet!cell) of every input problem, as build/check/export see them."""
    with pytest.raises(InputError) as info:
        load_book(book)
    return {(f.rule, f"{f.cell.sheet}!{f.cell.cell}" if f.cell else "") for f in info.value.findings}


def addin_problems(book: Path) -> set[tuple[str, str]]:
    """(rule, sheet!cell) that the 檢核 button lists on 檢核結果 for the same book open in Excel."""
    payload = book_json(openpyxl.load_workbook(book))
    actions = run_script(addin, "check_book", payload)
    rows = sheet_values(actions, sheet_order(payload, actions).index("檢核結果"))
    header = next(i for i, r in enumerate(rows) if r[:3] == ["序號", "嚴重度", "規則"])
    return {(r[2], r[4]) for r in rows[header + 1:] if r and r[2] and r[0] not in ("", None)}  # numbered: findings


def refused_everywhere(book: Path, tmp_path: Path, capsys, cells: list[str], addin_too: bool = True) -> None:
    """build, check and export exit 2 naming each cell; build writes nothing; convert names them too;
    the 檢核 button lists the same problems (rule and cell) as the command line (an .xlsx book open in Excel)."""
    if addin_too and book.suffix == ".xlsx":
        assert addin_problems(book) == problems(book)
    out = tmp_path / "never.xlsx"
    for argv in (["build", str(book), "-o", str(out)], ["check", str(book)], ["export", str(book)]):
        capsys.readouterr()
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        for cell in cells:
            assert cell in err, (argv, cell, err)
    assert not out.exists()
    code, results = convert_paths([str(book)], str(tmp_path / "conv"), jobs=1, stream=open("/dev/null", "w"))
    assert code == 2 and results[0].status == "無法讀取" and not results[0].output
    for cell in cells[:1]:
        assert cell in results[0].message
    assert not list((tmp_path / "conv").glob(book.stem + "*.xlsx"))


# ------------------------------------------------------------ the clean example

def test_clean_example_figures_everywhere(tmp_path, capsys):
    book = example(tmp_path)
    assert_example_figures(book, tmp_path, example_workbook())
    code, found = check_json(book, capsys)
    assert code == 0 and not [f for f in found if f["severity"] == "error"]


# ------------------------------------------------------------ 1, 3: full-width digits, one way everywhere

def _fullwidth(wb):
    ws = wb[SHEET_EXPENSES]
    full = str.maketrans("0123456789,", "０１２３４５６７８９，")
    for r in (3, 9, 20):  # three lines of plan 32020180101
        ws.cell(r, column(ws, "工作計畫編號")).value = PLAN.translate(full)
        code = ws.cell(r, column(ws, "用途別科目")).value
        ws.cell(r, column(ws, "用途別科目")).value = str(code).translate(full)
        amount = ws.cell(r, column(ws, "預算數")).value
        ws.cell(r, column(ws, "預算數")).value = f"{int(amount):,}".translate(full)


def test_fullwidth_plan_codes_codes_and_amounts_are_one_plan(tmp_path, capsys):
    book = example(tmp_path, _fullwidth)
    wb = example_workbook()
    _fullwidth(wb)
    assert_example_figures(book, tmp_path, wb)
    code, found = check_json(book, capsys)
    assert code == 0, [f for f in found if f["severity"] == "error"]


# ------------------------------------------------------------ 2: 分支計畫 as typed

def _branches(wb):
    ws = wb[SHEET_EXPENSES]
    for r, typed in ((3, "1行政業務"), (5, "０１行政業務"), (7, "01\u00a0行政業務"), (9, " 01 行政 業務\u3000")):
        ws.cell(r, column(ws, "分支計畫")).value = typed


def test_branch_written_four_ways_is_one_branch(tmp_path, capsys):
    book = example(tmp_path, _branches)
    wb = example_workbook()
    _branches(wb)
    assert_example_figures(book, tmp_path, wb)


def test_one_branch_number_with_two_names_names_both_cells(tmp_path, capsys):
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(6, column(ws, "分支計畫")).value = "01行政管理"  # row 2 says 01行政業務
        ws.cell(8, column(ws, "分支計畫")).value = "02行政業務"

    book = example(tmp_path, edit)
    found = problems(book)
    assert ("branch-conflict", "歲出明細!C6") in found
    assert ("branch-conflict", "歲出明細!C8") in found
    with pytest.raises(InputError) as info:
        load_book(book)
    related = {str(c) for f in info.value.findings for c in f.related}
    assert "book.xlsx:歲出明細!C2" in related
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!C6", "歲出明細!C8"])


# ------------------------------------------------------------ codes typed as numbers, numbers as Excel shows them

def test_codes_typed_as_numbers_and_excel_noise(tmp_path, capsys):
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(2, column(ws, "工作計畫編號")).value = int(PLAN)
        ws.cell(2, column(ws, "用途別科目")).value = 1015
        ws.cell(4, column(ws, "預算數")).value = 871852.0000000002  # Excel shows 871,852
        ws.cell(4, column(ws, "單價")).value = 871851.9999999999
        rev = wb["歲入明細"]
        rev.cell(2, column(rev, "科目編號")).value = 9020180102  # 09020180102 lost its zero as a number
        prior = wb["以前年度"]
        for r in range(2, prior.max_row + 1):
            if prior.cell(r, 1).value == "09020180102":
                prior.cell(r, 1).value = 9020180102.0

    book = example(tmp_path, edit)
    wb = example_workbook()
    edit(wb)
    assert_example_figures(book, tmp_path, wb)
    records = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))
    revenue = {r["row_code"]: r["value"] for r in records if r["table"] == "歲入來源別預算表"
               and r["column"] == "本年度預算數"}
    assert revenue.get("09020180102") == 57019  # 57,019 千元, as the seed prints it
    code, found = check_json(book, capsys)
    assert code == 0, [f for f in found if f["severity"] == "error"]


def test_a_real_fraction_is_still_refused_with_its_cell(tmp_path, capsys):
    book = example(tmp_path, lambda wb: wb[SHEET_EXPENSES].cell(4, 8).__setattr__("value", 871852.4))
    assert problems(book) == {("not-a-number", "歲出明細!H4")}
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!H4"])


# ------------------------------------------------------------ 9: sheet names as keys

def test_sheet_name_with_a_trailing_space_is_the_input_sheet(tmp_path, capsys):
    def edit(wb):
        wb[SHEET_EXPENSES].title = "歲出明細 "
        wb["基本資料"].title = "\u3000基本資料"

    book = example(tmp_path, edit)
    wb = example_workbook()
    edit(wb)
    assert_example_figures(book, tmp_path, wb)


def test_check_treats_a_renamed_input_sheet_as_a_template_book(tmp_path, capsys):
    def edit(wb):
        wb[SHEET_EXPENSES].title = "歲出明細 "
        wb["歲出明細 "].cell(3, 8).value = "很多"

    book = example(tmp_path, edit)
    capsys.readouterr()
    assert main(["check", str(book)]) == 2  # never a hand-made book passed with 0 findings
    assert "歲出明細 !H3" in capsys.readouterr().err


# ------------------------------------------------------------ 10: unknown 用途別科目

def test_unknown_object_code_is_an_input_error(tmp_path, capsys):
    book = example(tmp_path, lambda wb: wb[SHEET_EXPENSES].cell(4, 4).__setattr__("value", "2999"))
    assert problems(book) == {("unknown-object-code", "歲出明細!D4")}
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!D4"])


# ------------------------------------------------------------ 4: formulas without cached values

def test_formula_without_a_cached_value_is_the_same_error_everywhere(tmp_path, capsys):
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(4, column(ws, "預算數")).value = "=F4*G4"  # openpyxl saves no cached value
        ws.cell(6, column(ws, "收支併列數")).value = "=0"

    book = example(tmp_path, edit)
    assert problems(book) == {("formula-without-value", "歲出明細!H4"), ("formula-without-value", "歲出明細!I6")}
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!H4", "歲出明細!I6"], addin_too=False)  # Excel computes


# ------------------------------------------------------------ 7: rows that are not items

def _table_with_totals(wb, total=TOTAL_YUAN):
    ws = wb[SHEET_EXPENSES]
    last = ws.max_row + 1  # no label: only the table definition says this row is its totals row
    ws.cell(last, column(ws, "預算數")).value = total
    ws.cell(last, column(ws, "收支併列數")).value = MATCHED_YUAN
    table = Table(displayName="歲出", ref=f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}{last}")
    table.totalsRowCount = 1
    ws.add_table(table)
    return last


def test_excel_table_totals_row_is_skipped_and_checked(tmp_path, capsys):
    book = example(tmp_path, _table_with_totals)
    wb = example_workbook()
    _table_with_totals(wb)
    assert_example_figures(book, tmp_path, wb)
    code, found = check_json(book, capsys)
    assert not [f for f in found if f["rule"] == "totals-row-mismatch"]


def test_a_wrong_totals_row_is_a_finding_on_its_cell(tmp_path, capsys):
    holder = {}
    book = example(tmp_path, lambda wb: holder.setdefault("row", _table_with_totals(wb, TOTAL_YUAN + 1000)))
    code, found = check_json(book, capsys)
    wrong = [f for f in found if f["rule"] == "totals-row-mismatch"]
    assert [(f["cell"], f["expected"], f["actual"]) for f in wrong] == [(f"H{holder['row']}", TOTAL_YUAN,
                                                                         TOTAL_YUAN + 1000)]
    assert code == 1
    assert via_export(book, tmp_path) == CLEAN  # the figures stay the items'


def _typed_totals(wb, plan_total=BRANCH_YUAN):
    """The officer's own 小計 under plan 32020180101 (rows 2–33) and 合計 under everything."""
    ws = wb[SHEET_EXPENSES]
    ws.insert_rows(34)
    ws.cell(34, column(ws, "工作計畫名稱")).value = "小　計"
    ws.cell(34, column(ws, "預算數")).value = plan_total
    last = ws.max_row + 1
    ws.cell(last, column(ws, "工作計畫編號")).value = "合計"
    ws.cell(last, column(ws, "預算數")).value = f"{TOTAL_YUAN:,}"
    return last


def test_typed_subtotal_and_total_rows_are_skipped_and_checked(tmp_path, capsys):
    book = example(tmp_path, _typed_totals)
    wb = example_workbook()
    _typed_totals(wb)
    assert_example_figures(book, tmp_path, wb)
    code, found = check_json(book, capsys)
    assert code == 0 and not [f for f in found if f["rule"] == "totals-row-mismatch"]


def test_a_wrong_typed_subtotal_names_its_cell(tmp_path, capsys):
    book = example(tmp_path, lambda wb: _typed_totals(wb, BRANCH_YUAN - 5))
    code, found = check_json(book, capsys)
    # neither the plan's lines (rows 2–33) nor the group right above it: both named (README: Totals rows)
    wrong = [(f["cell"], f["expected"], f["actual"]) for f in found if f["rule"] == "subtotal-group-mismatch"]
    assert wrong == [("H34", BRANCH_YUAN, BRANCH_YUAN - 5)]


# ------------------------------------------------------------ 6: .ods read, .xls refused

def write_ods(wb, path: Path) -> Path:
    """An OpenDocument spreadsheet holding ``wb``'s values (what LibreOffice saves), written by hand."""
    def cell(v):
        if v is None:
            return "<table:table-cell/>"
        if isinstance(v, str) and v in ("#DIV/0!", "#N/A"):  # an error value, as LibreOffice saves it
            return (f'<table:table-cell table:formula="of:=NA()" office:value-type="string" office:string-value="" '
                    f'calcext:value-type="error"><text:p>{v}</text:p></table:table-cell>')
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'

    tables = []
    for ws in wb.worksheets:
        spans, covered = {}, set()
        for m in ws.merged_cells.ranges:
            spans[(m.min_row, m.min_col)] = (m.max_row - m.min_row + 1, m.max_col - m.min_col + 1)
            covered |= {(r, c) for r in range(m.min_row, m.max_row + 1) for c in range(m.min_col, m.max_col + 1)}

        def placed(r, c, v):
            if (r, c) in spans:
                rows_, cols_ = spans[(r, c)]
                return cell(v).replace("<table:table-cell", f'<table:table-cell table:number-rows-spanned="{rows_}" '
                                       f'table:number-columns-spanned="{cols_}"', 1)
            return "<table:covered-table-cell/>" if (r, c) in covered else cell(v)

        def row_tag(r):  # a hidden row, as LibreOffice saves it
            return '<table:table-row table:visibility="collapse">' if ws.row_dimensions[r].hidden else "<table:table-row>"

        rows = "".join(row_tag(r) + "".join(placed(r, c, v) for c, v in enumerate(row, start=1))
                       + "</table:table-row>" for r, row in enumerate(ws.iter_rows(values_only=True), start=1))
        hidden = {c for d in ws.column_dimensions.values() if d.hidden for c in range(d.min, d.max + 1)}
        columns = "".join('<table:table-column table:visibility="collapse"/>' if c in hidden  # as LibreOffice saves it
                          else "<table:table-column/>" for c in range(1, ws.max_column + 1))
        tables.append(f'<table:table table:name="{escape(ws.title)}">{columns}{rows}</table:table>')
    content = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
               'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
               'office:version="1.2">'
               f'<office:body><office:spreadsheet>{"".join(tables)}</office:spreadsheet></office:body>'
               '</office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def test_ods_is_read_on_every_path(tmp_path, capsys):
    wb = example_workbook()
    _branches(wb)
    book = write_ods(wb, tmp_path / "預算.ods")
    assert via_build(book, tmp_path) == {"plan": PLAN_THOUSANDS, "plans": CLEAN["plans"], "total": AGENCY_TOTAL}
    assert via_export(book, tmp_path) == CLEAN
    assert via_convert(book, tmp_path) == CLEAN
    code, found = check_json(book, capsys)
    assert code == 0, [f for f in found if f["severity"] == "error"]
    capsys.readouterr()
    assert main(["build", str(book)]) == 2  # an .ods is never written: build needs -o OUT.xlsx
    assert ".xlsx" in capsys.readouterr().err
    assert main(["check", str(book), "--mark"]) == 2
    assert ".xlsx" in capsys.readouterr().err


def test_ods_in_a_folder_is_converted_not_skipped(tmp_path):
    folder = tmp_path / "books"
    folder.mkdir()
    write_ods(example_workbook(), folder / "甲.ods")
    code, results = convert_paths([str(folder)], str(tmp_path / "out"), jobs=1, stream=open("/dev/null", "w"))
    assert [(Path(r.source).name, r.status) for r in results] == [("甲.ods", "完成")]
    assert code == 0


def test_ods_with_a_bad_cell_names_it(tmp_path, capsys):
    wb = example_workbook()
    wb[SHEET_EXPENSES].cell(4, 8).value = "很多"
    book = write_ods(wb, tmp_path / "壞.ods")
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!H4"])


def test_xls_is_refused_clearly(tmp_path, capsys):
    book = tmp_path / "舊.xls"
    book.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    for argv in (["build", str(book), "-o", str(tmp_path / "o.xlsx")], ["check", str(book)], ["export", str(book)]):
        capsys.readouterr()
        assert main(argv) == 2
        assert ".xls" in capsys.readouterr().err


# ------------------------------------------------------------ 11: every problem in one run

def test_every_problem_of_every_sheet_in_one_run(tmp_path, capsys):
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(3, column(ws, "預算數")).value = "四百萬"
        ws.cell(5, column(ws, "用途別科目")).value = "2999"
        ws.cell(7, column(ws, "工作計畫編號")).value = "3202018"
        ws.cell(9, column(ws, "分支計畫")).value = "01其他業務"
        agency = wb["基本資料"]
        for r in range(2, agency.max_row + 1):
            if agency.cell(r, 1).value == "年度":
                agency.cell(r, 2).value = None
        wb["歲入明細"].cell(2, 1).value = "090201"
        wb["以前年度"].cell(1, 3).value = "上年度"  # header 上年度預算數 missing: named at this header

    book = example(tmp_path, edit)
    found = problems(book)
    assert {("not-a-number", "歲出明細!H3"), ("unknown-object-code", "歲出明細!D5"), ("bad-code", "歲出明細!A7"),
            ("branch-conflict", "歲出明細!C9"), ("required-missing", "基本資料!B4"), ("bad-code", "歲入明細!A2"),
            ("header-unrecognised", "以前年度!C1")} <= found
    capsys.readouterr()
    assert main(["build", str(book), "-o", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err
    for cell in ("歲出明細!H3", "歲出明細!D5", "歲出明細!A7", "歲出明細!C9", "基本資料!B4", "歲入明細!A2", "以前年度!C1"):
        assert cell in err
    code, records = check_json(book, capsys)
    assert code == 2
    assert {(r["rule"], f"{r['sheet']}!{r['cell']}") for r in records} == found
    assert addin_problems(book) == found


def test_totals_rows_as_officers_label_them(tmp_path, capsys):
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.insert_rows(34)
        ws.cell(34, column(ws, "說明")).value = "小計（一般行政）"
        ws.cell(34, column(ws, "預算數")).value = BRANCH_YUAN
        last = ws.max_row + 1
        ws.cell(last, column(ws, "工作計畫名稱")).value = "合　計："
        ws.cell(last, column(ws, "預算數")).value = TOTAL_YUAN + 1

    book = example(tmp_path, edit)
    assert via_export(book, tmp_path) == CLEAN
    code, found = check_json(book, capsys)
    assert [(f["cell"], f["expected"], f["actual"]) for f in found if f["rule"] == "totals-row-mismatch"] == \
        [("H80", TOTAL_YUAN, TOTAL_YUAN + 1)]


def test_more_than_fifty_problems_are_counted(tmp_path):
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        for r in range(2, 62):
            ws.cell(r, column(ws, "單價")).value = "x"

    with pytest.raises(InputError) as info:
        load_book(example(tmp_path, edit))
    assert len(info.value.findings) == 60
    text = str(info.value)
    assert "歲出明細!G51" in text and "歲出明細!G52" not in text and "另有 10 處" in text


def test_check_on_an_empty_template_names_every_required_field(tmp_path, capsys):
    book = tmp_path / "空白.xlsx"
    assert main(["new", str(book)]) == 0
    with pytest.raises(InputError) as info:
        load_book(book)
    named = {f.message.split("「")[1].split("」")[0] for f in info.value.findings if f.rule == "required-missing"
             and "基本資料" in f.message}
    assert named == {"機關名稱", "機關編號", "年度", "主管機關", "職能別"}
    assert ("required-missing", "歲出明細!A2") in {(f.rule, f"{f.cell.sheet}!{f.cell.cell}")
                                                   for f in info.value.findings if f.cell}
    capsys.readouterr()
    assert main(["check", str(book)]) == 2
    err = capsys.readouterr().err
    for key in ("機關名稱", "機關編號", "年度", "主管機關", "職能別", "歲出明細!A2"):
        assert key in err


def test_convert_copies_inputs_under_a_title_line_and_spaced_headers(tmp_path):
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(1, column(ws, "預算數")).value = "預 算 數"
        ws.insert_rows(1)
        ws["A1"] = "高雄市政府資訊中心 歲出明細"

    book = example(tmp_path, edit)
    assert via_export(book, tmp_path) == CLEAN
    code, results = convert_paths([str(book)], str(tmp_path / "conv"), jobs=1, stream=open("/dev/null", "w"))
    assert results[0].status == "完成", results[0].message
    assert via_export(Path(results[0].output), tmp_path) == CLEAN  # the converted book reads back the same


# ------------------------------------------------------------ the add-in: cell functions and 新增範本

PERSONNEL_YUAN = 42_978_000  # plan 32020180101's 1000 人事費: the seed's 人員維持費42,978千元


def test_cell_functions_read_a_range_as_every_reader_does():
    wb = example_workbook()
    _fullwidth(wb)
    _branches(wb)
    ws = wb[SHEET_EXPENSES]
    ws.cell(4, column(ws, "預算數")).value = 871852.0000000002
    items = [list(r) for r in ws.iter_rows(values_only=True)]
    items.insert(34, [None, "小計", None, None, None, None, None, BRANCH_YUAN] + [None] * (len(items[0]) - 8))
    assert call_udf(addin, "xlb_rollup", items, 1000, PLAN) == [[PERSONNEL_YUAN]]
    assert call_udf(addin, "xlb_rollup", items, 1000, PLAN.translate(str.maketrans("0123", "０１２３"))) == \
        [[PERSONNEL_YUAN]]
    items[34][7] = BRANCH_YUAN + 1
    listed = call_udf(addin, "xlb_check", items)
    # neither the lines since row 2 nor a group of them right above it
    assert ["錯誤", "subtotal-group-mismatch", "H35"] in [r[:3] for r in listed]


def test_add_template_sees_a_renamed_input_sheet(tmp_path):
    wb = example_workbook()
    wb[SHEET_EXPENSES].title = "歲出明細 "
    payload = book_json(wb)
    actions = run_script(addin, "add_template", payload)
    added = {a["args"][1] for a in actions if a["func"] == "addSheet"}
    assert SHEET_EXPENSES not in added and "歲出明細 " not in added
    assert via_addin(wb) == CLEAN


def test_error_values_are_named_on_every_path(tmp_path, capsys):
    """#DIV/0! and #N/A (calamine reads them as empty cells) are refused with their cells, in .xlsx and .ods: as
    error values (error-value, the one rule for them in amount and text cells alike), not as not-a-number."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(3, column(ws, "預算數")).value = "#DIV/0!"  # openpyxl stores it as an error value (t="e")
        ws.cell(5, column(ws, "收支併列數")).value = "#N/A"

    book = example(tmp_path, edit)
    assert problems(book) == {("error-value", "歲出明細!H3"), ("error-value", "歲出明細!I5")}
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!H3", "歲出明細!I5"])
    wb = example_workbook()
    edit(wb)
    ods = write_ods(wb, tmp_path / "錯誤值.ods")
    assert problems(ods) == {("error-value", "歲出明細!H3"), ("error-value", "歲出明細!I5")}
    refused_everywhere(ods, tmp_path, capsys, ["歲出明細!H3", "歲出明細!I5"])


def test_an_error_value_names_the_program_of_the_file(tmp_path):
    """leftovers 6: an .ods book's #DIV/0! was called Excel's; it is LibreOffice's formula's error there."""
    from xlbudget.adapters.fastread import read_grids
    from xlbudget.readers.inputs import read_book

    wb = example_workbook()
    wb[SHEET_EXPENSES]["H3"].value = "#DIV/0!"
    said = {}
    for path in (save(wb, tmp_path / "錯誤值.xlsx"), write_ods(wb, tmp_path / "錯誤值.ods")):
        with pytest.raises(InputError) as refused:
            read_book(read_grids(path))
        said[path.suffix] = [f.message for f in refused.value.findings if f.rule == "error-value"]
    assert said[".ods"] == ["此格是 LibreOffice（.ods 檔）公式的錯誤值「#DIV/0!」（公式除以零）"
                            "，不能當作文字或數字讀取，也不會原樣抄進各表"]
    assert said[".xlsx"] == ["此格是 Excel 公式的錯誤值「#DIV/0!」（公式除以零），不能當作文字或數字讀取，也不會原樣抄進各表"]


def test_a_hand_made_ods_is_checked_as_its_xlsx_is(tmp_path, capsys):
    """Printed tables only (merged headers and all): the .ods gives the .xlsx's findings, cell for cell."""
    wb = printed_example()
    summary = wb["各項費用彙計表"]
    planted = next(c for row in summary.iter_rows() for c in row if isinstance(c.value, int) and c.value > 1000)
    planted.value += 7
    xlsx = save(wb, tmp_path / "手製.xlsx")
    ods = write_ods(wb, tmp_path / "手製.ods")
    code_x, found_x = check_json(xlsx, capsys)
    code_o, found_o = check_json(ods, capsys)
    cells = lambda found: {(f["rule"], f["sheet"], f["cell"]) for f in found if f["severity"] == "error"}
    assert ("各項費用彙計表", planted.coordinate) in {(s, c) for _, s, c in cells(found_x)}
    assert code_o == code_x == 1 and cells(found_o) == cells(found_x)


def test_the_ugliest_book_gives_the_example_figures(tmp_path, capsys):
    """Every class above at once, as one officer might: the example's figures everywhere, check clean."""
    def edit(wb):
        _fullwidth(wb)
        _branches(wb)
        ws = wb[SHEET_EXPENSES]
        ws.cell(4, column(ws, "預算數")).value = 871852.0000000002
        ws.cell(2, column(ws, "工作計畫編號")).value = int(PLAN)
        _typed_totals(wb)  # 小計 at row 34, 合計 at the bottom
        rev = wb["歲入明細"]
        rev.cell(2, column(rev, "科目編號")).value = 9020180102
        ws.title = "歲出明細\u3000"
        wb["基本資料"].title = " 基本資料 "

    book = example(tmp_path, edit)
    wb = example_workbook()
    edit(wb)
    assert_example_figures(book, tmp_path, wb)
    code, found = check_json(book, capsys)
    assert code == 0, [f for f in found if f["severity"] == "error"]
    ods = write_ods(wb, tmp_path / "醜.ods")
    assert via_export(ods, tmp_path) == CLEAN
    assert via_convert(ods, tmp_path) == CLEAN


def test_a_negative_line_is_an_input_error_at_its_cell(tmp_path, capsys):
    """Field report 4: 「(2,961,000)」 or -2961000 in 歲出明細 / 歲入明細 was read as a negative line without a word.
    A budget line is never negative: refused at each negative cell (預算數, 數量, 單價), build exits 2."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(4, column(ws, "單價")).value = "(2,961,000)"
        ws.cell(4, column(ws, "預算數")).value = "(2,961,000)"
        ws.cell(6, column(ws, "預算數")).value = -2961000
        ws.cell(8, column(ws, "數量")).value = -3
        rev = wb["歲入明細"]
        rev.cell(2, column(rev, "預算數")).value = "△1,000"

    book = example(tmp_path, edit)
    assert {p for p in problems(book) if p[0] == "negative-amount"} == {
        ("negative-amount", "歲出明細!G4"), ("negative-amount", "歲出明細!H4"), ("negative-amount", "歲出明細!H6"),
        ("negative-amount", "歲出明細!F8"), ("negative-amount", "歲入明細!" + openpyxl.utils.get_column_letter(
            column(example_workbook()["歲入明細"], "預算數")) + "2")}
    assert main(["build", str(book), "-o", str(tmp_path / "o.xlsx")]) == 2


def test_rows_shorter_or_longer_than_the_header():
    """A row with fewer cells than the header reads its missing cells as empty, and a value typed past the
    header (no column name) is never read as a column the sheet lacks (標記, 計畫項目 here): each line as typed."""
    from xlbudget.readers.grid import Grid
    from xlbudget.readers.items import read_expenses

    header = ["工作計畫編號", "工作計畫名稱", "分支計畫", "用途別科目", "單位", "數量", "單價", "預算數", "收支併列數",
              "經資門", "經濟性分類", "說明"]
    rows = [header,
            ["32020180101", "一般行政-行政管理", "01行政業務", "2003", "式", 2, 300, 600],  # short: no 收支併列數 on
            ["32020180101", "一般行政-行政管理", "01行政業務", "2003", "式", 1, 50, 50, 0, "經常", "", "說明", "淨零",
             "08某工程"]]  # two values past the header
    findings, problems = [], []
    short, long = read_expenses(Grid("歲出明細", rows), findings, problems)
    assert (findings, problems) == ([], [])
    assert (short.amount, short.matched, short.note, short.tags, short.project) == (600, 0, "", (), "")
    assert (long.amount, long.note, long.tags, long.project, long.program_code) == (50, "說明", (), "", "32020180100")  # 業務計畫: the plan code ending 00


def test_a_conflicting_branch_typed_on_many_lines_is_named_once_at_its_first():
    """readers.items._check_branches looks at each (plan, 分支計畫) text once: the later lines typed the same add
    nothing, and the one finding is at the first line of the second name, naming the first line of the first."""
    from xlbudget.core.model import CellRef, ExpenseItem
    from xlbudget.readers.items import _check_branches

    def line(plan, branch, row):
        return ExpenseItem(plan, "一般行政-行政管理", branch, "2018", "式", 1, 1, 1, 0, "經常", "x", "",
                           cells={"分支計畫": CellRef(SHEET_EXPENSES, f"C{row}")})

    p, q = "32020180101", "32020180102"
    items = [line(p, "01行政業務", 2), line(p, "01行政管理", 3), line(p, "01行政管理", 4), line(q, "01行政管理", 5),
             line(p, "02行政業務", 6), line(p, "02行政業務", 7), line(p, "01行政業務", 8)]
    problems = []
    _check_branches(items, problems)
    assert [(f.rule, f.cell.cell, tuple(c.cell for c in f.related)) for f in problems] == [
        ("branch-conflict", "C3", ("C2",)), ("branch-conflict", "C6", ("C2",))]


def test_error_values_in_text_cells_are_named_on_every_path(tmp_path, capsys):
    """#REF!, #VALUE!, #N/A, #NAME? and #DIV/0! in a 說明 or any text cell (field L11): refused at its cell as an
    error value, as in an amount cell, in .xlsx and .ods; never copied into the tables as text."""
    cells = {"歲出明細": ("說明", 3, "#REF!"), "歲入明細": ("說明", 2, "#VALUE!"), "說明提要": ("說明提要", 2, "#N/A"),
             "基本資料": ("內容", 2, "#NAME?")}

    def edit(wb):
        for sheet, (name, row, error) in cells.items():
            wb[sheet].cell(row, column(wb[sheet], name)).value = error  # openpyxl stores it as an error value
        ws = wb[SHEET_EXPENSES]
        ws.cell(4, column(ws, "單位")).value = "#DIV/0!"

    book = example(tmp_path, edit)
    expected = {("error-value", "歲出明細!L3"), ("error-value", "歲入明細!L2"), ("error-value", "說明提要!C2"),
                ("error-value", "基本資料!B2"), ("error-value", "歲出明細!E4")}
    assert problems(book) == expected
    refused_everywhere(book, tmp_path, capsys, sorted(c for _, c in expected))
    wb = example_workbook()
    edit(wb)
    assert problems(write_ods(wb, tmp_path / "錯誤值.ods")) == expected


def test_error_values_in_a_hand_made_book_are_named(tmp_path, capsys):
    """A hand-made book (printed tables only): an error value in a 說明 or a label is an error at its cell, and one
    where a figure is printed is named as an error value (not only as an unverifiable figure); .xlsx and .ods."""
    wb = printed_example()
    detail, agency = wb["歲出計畫說明提要與各項費用明細表"], wb[AGENCY_BUDGET]
    assert detail["F12"].value == "詳人事費彙計表。" and agency["F8"].value == 275_795
    detail["F12"].value = "#REF!"  # the 1015 line's 說明
    agency["J8"].value = "#VALUE!"  # 高雄市政府資訊中心's 說明
    agency["F8"].value = "#N/A"  # its 本年度預算數
    expected = {("error-value", "歲出計畫說明提要與各項費用明細表", "F12"), ("error-value", AGENCY_BUDGET, "J8"),
                ("error-value", AGENCY_BUDGET, "F8")}
    for path in (save(wb, tmp_path / "手製.xlsx"), write_ods(wb, tmp_path / "手製.ods")):
        code, found = check_json(path, capsys)
        assert code == 1, path.name
        assert {(f["rule"], f["sheet"], f["cell"]) for f in found if f["rule"] == "error-value"} == expected
        assert not [f for f in found if (f["sheet"], f["cell"]) == (AGENCY_BUDGET, "F8") and f["rule"] != "error-value"]
