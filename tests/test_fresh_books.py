"""A fresh book written with XlsxWriter (convert's output) is the book openpyxl writes, cell by cell.

convert writes a book it makes from scratch with XlsxWriter (adapters.xlsxbook); build, an .xlsm and
convert --mark write with openpyxl (template.fill_template + pipeline.build_workbook). The two are read
back with openpyxl and compared: every cell's value and type, font, fill, border, alignment, number
format and quote prefix; merges, column widths, row heights, frozen panes, print titles, page setup,
margins, footer, grid lines, drop-down lists, links, sheet order and visibility.
"""

import zipfile
from pathlib import Path

import openpyxl
import pytest

from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app.convert import convert_one
from xlbudget.app.example import TAICHUNG, TAIPEI, example_workbook
from xlbudget.app.pipeline import build_workbook
from xlbudget.app.template import fill_template
from xlbudget.adapters.fastread import read_grids
from xlbudget.readers.inputs import read_book


def _rgb(color):
    return color.rgb[-6:] if color is not None and color.type == "rgb" and isinstance(color.rgb, str) else None


def _style(cell) -> tuple:
    f, fill, b, a = cell.font, cell.fill, cell.border, cell.alignment
    # a font without a size is the default 11 (openpyxl leaves it out, XlsxWriter writes it)
    return ((f.name, 11.0 if f.sz is None else f.sz, bool(f.b), bool(f.i), f.u, _rgb(f.color)),
            (fill.fill_type, _rgb(fill.fgColor) if fill.fill_type else None),
            tuple((s.style, _rgb(s.color) if s.style else None) for s in (b.left, b.right, b.top, b.bottom)),
            (a.horizontal, a.vertical, bool(a.wrap_text)), cell.number_format, bool(cell.quotePrefix))


def describe(path: Path) -> dict:
    """What a person sees of a book and what prints, as openpyxl reads it back."""
    wb = openpyxl.load_workbook(path)
    sheets = {"order": wb.sheetnames}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None or c.has_style:
                    cells[c.coordinate] = (c.value, type(c.value).__name__, c.data_type, _style(c))
        ps, m = ws.page_setup, ws.page_margins
        sheets[ws.title] = {
            "cells": cells,
            "merges": sorted(str(r) for r in ws.merged_cells.ranges if r.min_row != r.max_row or r.min_col != r.max_col),
            # XlsxWriter writes neighbouring columns of one width as one range
            "widths": {c: d.width for d in ws.column_dimensions.values() if d.customWidth
                       for c in range(d.min, d.max + 1)},
            "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height is not None},
            "freeze": ws.freeze_panes, "titles": (ws.print_title_rows, ws.print_title_cols),
            # fitToWidth/Height are 1 when left out (openpyxl writes 1, XlsxWriter leaves it out)
            "page": (ps.paperSize and int(ps.paperSize), ps.orientation, int(ps.fitToWidth or 1),
                     1 if ps.fitToHeight is None else int(ps.fitToHeight), bool(ws.sheet_properties.pageSetUpPr.fitToPage),
                     bool(ws.print_options.horizontalCentered), bool(ws.print_options.gridLines),
                     # a table printed across pages (forms.layout.column_pages): its scale and column breaks
                     ps.scale and int(ps.scale), [b.id for b in ws.col_breaks.brk]),
            "margins": (m.left, m.right, m.top, m.bottom, m.header, m.footer),
            "footer": ws.oddFooter.center.text, "grid": ws.sheet_view.showGridLines is not False,
            "state": ws.sheet_state,
            # openpyxl keeps the template's '=' before a list's range; XlsxWriter writes it without
            "lists": sorted((str(dv.sqref), dv.type, (dv.formula1 or "").lstrip("="), dv.showErrorMessage,
                             dv.errorStyle or "stop", dv.error, dv.errorTitle, dv.prompt, dv.promptTitle,
                             bool(dv.allow_blank)) for dv in ws.data_validations.dataValidation),
            "links": sorted((h.ref, h.location) for h in ws._hyperlinks),
        }
    return sheets


def openpyxl_book(source: Path, target: Path) -> None:
    """The same book the openpyxl way: the template filled with the values, every schedule, saved."""
    grids = read_grids(source)
    book, _ = read_book(grids, source.name)
    wb = fill_template(grids)
    build_workbook(wb, book)
    save_atomic(wb, target)


def _writer(path: Path) -> str:
    """Which library wrote a book: openpyxl names itself in docProps/app.xml, XlsxWriter does not."""
    with zipfile.ZipFile(path) as z:
        return "openpyxl" if b"Openpyxl" in z.read("docProps/app.xml") else "XlsxWriter"


def differences(a: dict, b: dict) -> list[str]:
    found = [] if a["order"] == b["order"] else [f"order {a['order']} / {b['order']}"]
    for name in a["order"]:
        x, y = a[name], b.get(name, {})
        for key in x:
            if key == "cells":
                for ref in sorted(set(x["cells"]) | set(y.get("cells", {}))):
                    if x["cells"].get(ref) != y["cells"].get(ref):
                        found.append(f"{name}!{ref}: {x['cells'].get(ref)} / {y['cells'].get(ref)}")
            elif x[key] != y.get(key):
                found.append(f"{name} {key}: {x[key]} / {y.get(key)}")
    return found


def tricky_book():
    """The seed with what a writer could get wrong: text that reads as a formula, numbers past 16 digits
    (both writers keep 16), a column of the officer's own, a boolean, a long text."""
    wb = example_workbook()
    ws = wb["歲出明細"]
    ws.cell(2, 12).value = '=HYPERLINK("http://example.invalid","x")'
    ws.cell(2, 12).data_type = "s"
    ws.cell(3, 12).value = "+1"
    ws.cell(4, 12).value = "@SUM(A1)"
    ws.cell(5, 12).value = "  -x"
    ws.cell(6, 12).value = "說明" * 400
    ws.cell(1, 16).value = "=自填欄"  # a column of the officer's own (past the template's last, 計畫項目說明), under a formula-like header
    ws.cell(1, 16).data_type = "s"
    ws.cell(2, 16).value = 0.1 + 0.2  # 0.30000000000000004
    ws.cell(3, 16).value = 12345678901234567  # more digits than a double's 16
    ws.cell(4, 16).value = True
    wb["總說明"].cell(2, 1).value = "=總說明第一段"
    wb["總說明"].cell(2, 1).data_type = "s"
    return wb


@pytest.mark.parametrize("which", ["seed", "taichung", "taipei", "tricky"])
def test_the_xlsxwriter_book_is_the_openpyxl_book(tmp_path, which):
    wb = {"seed": example_workbook, "taichung": lambda: example_workbook(TAICHUNG),
          "taipei": lambda: example_workbook(TAIPEI), "tricky": tricky_book}[which]()
    source = save_atomic(wb, tmp_path / f"{which}.xlsx")
    fresh, reference = tmp_path / "fresh.xlsx", tmp_path / "reference.xlsx"
    result = convert_one(str(source), str(fresh))
    assert result.status in ("完成", "有錯誤"), result.message
    openpyxl_book(source, reference)
    assert _writer(reference) == "openpyxl" and _writer(fresh) == "XlsxWriter"
    assert differences(describe(reference), describe(fresh)) == []


def test_text_and_numbers_in_the_xlsxwriter_book(tmp_path):
    source = save_atomic(tricky_book(), tmp_path / "tricky.xlsx")
    fresh = tmp_path / "fresh.xlsx"
    convert_one(str(source), str(fresh))
    ws = openpyxl.load_workbook(fresh)["歲出明細"]
    assert ws.cell(2, 16).value == 0.3  # 0.30000000000000004 to 16 digits, as openpyxl writes it
    assert ws.cell(4, 16).value is True
    assert ws.cell(1, 16).value == "=自填欄" and ws.cell(1, 16).data_type == "s" and ws.cell(1, 16).quotePrefix
    assert ws.cell(2, 12).data_type == "s" and ws.cell(2, 12).quotePrefix
    assert ws.cell(5, 12).quotePrefix and not ws.cell(7, 12).quotePrefix


def test_numbers_read_as_floats_are_written_as_openpyxl_writes_them(tmp_path):
    """calamine reads every number as a float: a whole one (3.0) is written 3, as openpyxl writes the int, and -0.0
    (which openpyxl writes -0) is written 0, as fill_template's int(-0.0) gives openpyxl; 2.5 stays 2.5."""
    import re

    from xlbudget.adapters.safety import sheet_parts

    wb = example_workbook()
    ws = wb["歲出明細"]
    ws.cell(1, 16).value = "自填欄"
    for r, value in ((2, -0.0), (3, 3.0), (4, 2.5)):
        ws.cell(r, 16).value = value
    source = save_atomic(wb, tmp_path / "numbers.xlsx")
    fresh, reference = tmp_path / "fresh.xlsx", tmp_path / "reference.xlsx"
    assert convert_one(str(source), str(fresh)).status == "完成"
    openpyxl_book(source, reference)
    for book, writer in ((fresh, "XlsxWriter"), (reference, "openpyxl")):
        assert _writer(book) == writer
        with zipfile.ZipFile(book) as z:
            xml = z.read(sheet_parts(book)["歲出明細"])
        shown = {ref.decode(): v.decode() for ref, v in re.findall(rb'<c r="(P[2-4])"[^>]*><v>([^<]*)</v>', xml)}
        assert shown == {"P2": "0", "P3": "3", "P4": "2.5"}, writer


def test_a_date_goes_the_openpyxl_way(tmp_path):
    """A value XlsxWriter would store otherwise than openpyxl (a date) makes convert write with openpyxl."""
    import datetime

    wb = example_workbook()
    wb["歲出明細"].cell(1, 16).value = "日期"
    wb["歲出明細"].cell(2, 16).value = datetime.datetime(2024, 1, 2, 3, 4, 5)
    source = save_atomic(wb, tmp_path / "dated.xlsx")
    fresh, reference = tmp_path / "fresh.xlsx", tmp_path / "reference.xlsx"
    assert convert_one(str(source), str(fresh)).status == "完成"
    assert _writer(fresh) == "openpyxl"
    openpyxl_book(source, reference)
    assert differences(describe(reference), describe(fresh)) == []
    assert openpyxl.load_workbook(fresh)["歲出明細"].cell(2, 16).value == datetime.datetime(2024, 1, 2, 3, 4, 5)



@pytest.mark.parametrize("where", ["input", "table", "sentence"])
def test_a_text_xlsxwriter_would_cut_is_not_written_by_it(tmp_path, where):
    """XlsxWriter cuts a text at Excel's 32,767 characters: such a book goes the openpyxl way (NotPlain),
    wherever the text is. openpyxl's cell assignment keeps 32,767 characters too; reading names such a cell
    (text-too-long, tests/test_long_texts.py), so the cut is never silent. A text of 32,767 characters is
    written whole (the test can fail)."""
    from xlbudget.adapters.xlsxbook import NotPlain, stored_template, write_book
    from xlbudget.app.template import SheetFill
    from xlbudget.core.model import Agency
    from xlbudget.core.tables import LABEL, Column, Row, Table

    def book(text: str) -> None:
        fills = {"說明提要": SheetFill({}, False, [(2, ["3202010100", "秘書室", text])], [(0, 1), (1, 2), (2, 3)])}
        table = Table("長說明表", "千元", (Column("名稱", ("名稱",), LABEL, 30),), (Row("", "甲", {"名稱": text}),))
        write_book(tmp_path / "cut.xlsx", stored_template(), fills if where == "input" else {},
                   (table,) if where == "table" else (), Agency("測試機關", "02-001", 114, "測試主管", "01"),
                   [text] if where == "sentence" else [], "總說明")

    book("說" * 32_767)
    sheet, ref = {"input": ("說明提要", "C2"), "table": ("長說明表", "A6"), "sentence": ("總說明", "D2")}[where]
    assert openpyxl.load_workbook(tmp_path / "cut.xlsx")[sheet][ref].value == "說" * 32_767
    with pytest.raises(NotPlain):
        book("說" * 32_768)


def test_formulas_are_written_as_xlsxwriter_writes_them():
    """xlsxbook's sheets skip XlsxWriter's rewrites of newer functions' names for a formula without "(" (the lists'
    ranges): the text it gives must be XlsxWriter's own, for the template's lists and for the other shapes a formula
    takes (braces, no =, a function, one already rewritten, a number). Red when the override keeps the leading =."""
    from xlsxwriter.worksheet import Worksheet

    from xlbudget.adapters.xlsxbook import _worksheet_class, stored_template

    lists = {dv["formula1"] for sheet in stored_template() if sheet.settings for _, dv in sheet.settings["validations"]}
    assert "=代碼表!$A$2:$A$129" in lists
    formulas = sorted(lists) + ["A1", "=A1", "{=A1:B2}", "=SUM(A1:A3)", "=FILTER(A1:A3,B1:B3)", "=_xlfn.SINGLE(A1)",
                                "=ACOT(A1)", "代碼表!A:A", "1.5", "=TODAY()"]
    ours, theirs = _worksheet_class()(), Worksheet()
    assert isinstance(ours, Worksheet) and type(ours) is not Worksheet
    for formula in formulas:
        for expand in (False, True):
            assert ours._prepare_formula(formula, expand) == theirs._prepare_formula(formula, expand), formula


def test_attributes_are_escaped_as_xlsxwriter_escapes_them(monkeypatch):
    """xlsxbook's sheets hand a number given as an XML attribute (a styled cell's style index) back as it is, without
    the TypeError XlsxWriter's escaping raises and catches on it: what they give must be XlsxWriter's own for every
    kind of value, a text with each character XlsxWriter escapes and a str subclass among them; and a number must
    raise nothing inside. Red when the override skips escaping a text, or still lets the pattern meet a number."""
    import xlsxwriter.xmlwriter as xmlwriter
    from xlsxwriter.worksheet import Worksheet

    from xlbudget.adapters.xlsxbook import _worksheet_class
    from xlbudget.core.formulas import Formula

    ours, theirs = _worksheet_class()(), Worksheet()
    values = [0, 7, -1, 2.5, True, None, b"a&b", "", "A1", 'a&b"c<d>e\nf', "1:6", Formula("='x'!A1&\"<\"")]
    for value in values:
        assert ours._escape_attributes(value) == theirs._escape_attributes(value), value
    assert ours._escape_attributes('a&"') == "a&amp;&quot;"
    pattern, met = xmlwriter.xml_escapes, []

    class Watched:  # XlsxWriter's pattern, noting each value it is asked to search
        def search(self, value):
            met.append(value)
            return pattern.search(value)

    monkeypatch.setattr(xmlwriter, "xml_escapes", Watched())
    assert ours._escape_attributes(12) == 12 and ours._escape_attributes(2.5) == 2.5 and met == []
    assert theirs._escape_attributes(12) == 12 and met == [12]  # XlsxWriter's own: searched, TypeError caught


def test_a_book_kept_in_memory_is_the_book_xlsxwriter_zips(example_book, tmp_path, monkeypatch):
    """write_book keeps a book of up to IN_MEMORY_ROWS rows in memory and zips it itself (xlsxbook.zip_parts): the
    same file as XlsxWriter's default mode zips from one temporary file a part (a larger book's way), entry for
    entry: name, date, mode, compression, sizes and bytes. Red when zip_parts dates its entries otherwise."""
    from conftest import zip_entries

    from xlbudget.adapters import xlsxbook

    zipped = []
    zip_parts = xlsxbook.zip_parts
    monkeypatch.setattr(xlsxbook, "zip_parts", lambda target, parts: zipped.append(target) or zip_parts(target, parts))
    assert convert_one(str(example_book), str(tmp_path / "ours.xlsx")).output
    assert len(zipped) == 1  # the example (18 lines) is kept in memory
    monkeypatch.setattr(xlsxbook, "IN_MEMORY_ROWS", 0)  # every book past it: XlsxWriter's temporary files
    assert convert_one(str(example_book), str(tmp_path / "theirs.xlsx")).output
    assert len(zipped) == 1
    ours, theirs = zip_entries(tmp_path / "ours.xlsx"), zip_entries(tmp_path / "theirs.xlsx")
    assert [e[0] for e in ours] == [e[0] for e in theirs] and len(ours) > 20
    assert ours == theirs


def test_references_are_given_as_numbers_xlsxwriter_would_parse_alike(tmp_path, monkeypatch):
    """apply_settings gives XlsxWriter a frozen cell, a list's range and repeated columns as numbers, parsed as the
    method's own A1 decorator parses the text (a cell, a range, one cell as a range, columns): the same numbers, and
    no text reaches a decorator while the example converts (each one raised and caught a ValueError, 35 a book).
    Red when a reference is parsed otherwise, or one is handed to XlsxWriter as text again."""
    import xlsxwriter.worksheet as worksheet

    from xlbudget.adapters.xlsxstyle import _place

    # by hand: B5 is row 4, column 1; D2:D1048576 rows 1 to 1048575 of column 3; A:C columns 0 to 2
    assert _place("B5", "cell") == (4, 1) and _place("$B$5", "cell") == (4, 1)
    assert _place("D2:D1048576", "range") == (1, 3, 1048575, 3) and _place("E7", "range") == (6, 4, 6, 4)
    assert _place("A:C", "columns") == (0, 2) and _place("AB:AB", "columns") == (27, 27)
    def taken(self, *args):  # a method's numbers, as its decorator hands them on
        return args

    for decorator, kind in ((worksheet.convert_cell_args, "cell"), (worksheet.convert_range_args, "range"),
                            (worksheet.convert_column_args, "columns")):
        for ref in {"cell": ("B5", "$C$12", "AA100"), "range": ("D2:D1048576", "E7", "$A$2:$B$3"),
                    "columns": ("A:C", "AB:AB")}[kind]:
            assert decorator(taken)(None, ref) == _place(ref, kind), (kind, ref)

    parsed = []
    real = worksheet.xl_cell_to_rowcol
    monkeypatch.setattr(worksheet, "xl_cell_to_rowcol", lambda ref: parsed.append(ref) or real(ref))
    source = save_atomic(example_workbook(), tmp_path / "seed.xlsx")
    assert convert_one(str(source), str(tmp_path / "fresh.xlsx")).status in ("完成", "有錯誤")
    assert parsed == []
