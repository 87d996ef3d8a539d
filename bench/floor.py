"""The true floor of a conversion (issue 13): a python-calamine read of the input book plus an XlsxWriter
write of the identical output book — the same cells, styles, merges, sizes, page setup, drop-down lists,
links and hidden sheets as the book convert wrote.

Not part of the test run. ``snapshot(output)`` reads a book convert wrote (openpyxl, untimed) into plain
data; ``floor_once(input, snap, target)`` is the timed part: the read and the write, nothing else.

The write gives the same XML parts as convert's book (every cell of a merged range, the styles through
adapters.xlsxstyle.cell_props, widths and heights in pixels, links with their style, margins, print scale
and page breaks), byte for byte but core.xml's time (its strings written in the order of convert's shared-string
table, its merged ranges in the order convert's sheets list them); and it is written the cheapest way convert
knows (formats made once per workbook, cells grouped by kind and format, no per-cell tests, each cell put into
XlsxWriter's own table of cells as convert's adapters/xlsxbook puts it, the used range extended once a sheet).
"""

from __future__ import annotations

import gc
import math
import time
from pathlib import Path

import xlsxwriter
import xlsxwriter.worksheet
from python_calamine import CalamineWorkbook

# openpyxl and xlbudget's cell_props are imported inside snapshot (untimed): the floor's own process (the
# command line's floor, ``python -P bench/floor.py``) imports only what reads and writes — calamine, XlsxWriter

IN_MEMORY_CELLS = 150_000  # cells up to which the floor writes in memory: convert's 10,000 rows, 2,000 items and less

def _load_whole(path):
    import openpyxl

    """The book as openpyxl reads it, but every cell of a merged range kept with its value and style (openpyxl
    would make all but the first a bare MergedCell): convert writes each of them, a merged header's right
    and bottom borders are theirs."""
    from openpyxl.worksheet.worksheet import Worksheet

    clean = Worksheet._clean_merge_range
    Worksheet._clean_merge_range = lambda self, mcr: None
    try:
        return openpyxl.load_workbook(path)
    finally:
        Worksheet._clean_merge_range = clean


def snapshot(path: str | Path) -> list[dict]:
    """Every sheet of a written book as plain data the XlsxWriter replay needs (untimed).

    The cheapest replay of the same bytes, as convert writes (adapters/xlsxbook): one format list for the
    whole book (each format made once per workbook, not once per sheet), and each sheet's cells grouped
    by kind (``strings``, ``numbers``, ``booleans``, ``blanks``) and format index, as (row, column, value),
    so the timed write calls XlsxWriter's per-type method for each cell with no test of its type or format.
    """
    import openpyxl

    from xlbudget.adapters.xlsxstyle import cell_props  # a loaded cell's style as XlsxWriter props

    import re
    import zipfile
    from xml.etree import ElementTree

    wb = _load_whole(path)
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        shared = ({"".join(t.text or "" for t in si.iter(main + "t")): i for i, si in enumerate(
            ElementTree.fromstring(package.read("xl/sharedStrings.xml")).iter(main + "si"))}
            if "xl/sharedStrings.xml" in names else {})
        merge_order = [re.findall(r'<mergeCell ref="([^"]+)"', package.read(f"xl/worksheets/sheet{i}.xml").decode())
                       for i in range(1, len(wb.worksheets) + 1)]
    formats: dict[tuple, int] = {}
    props: list[dict] = []  # shared by every sheet of the book
    sheets = []
    for ws, merged in zip(wb.worksheets, merge_order):
        cells: dict[str, dict[int, list]] = {"strings": {}, "numbers": {}, "booleans": {}, "blanks": {}}
        links = []
        for cell in (c for row in ws.iter_rows() for c in row):
            if cell.value is None and not cell.has_style:
                continue
            p = cell_props(cell)
            key = tuple(sorted(p.items()))
            if key not in formats:
                formats[key] = len(props)
                props.append(p)
            v = cell.value
            kind = ("blanks" if v is None or v == "" else "strings" if isinstance(v, str) else
                    "booleans" if isinstance(v, bool) else "numbers")
            if kind != "blanks" or p:  # a blank without a format is not written
                cells[kind].setdefault(formats[key], []).append((cell.row - 1, cell.column - 1, v))
            if cell.hyperlink is not None:
                links.append((cell.row - 1, cell.column - 1, cell.hyperlink.location, v, formats[key]))
        # the shared strings as convert numbered them: each string first written in the table's order (cells sorted
        # by their string's number), so the floor's sharedStrings.xml and cell references are convert's bytes
        ordered = sorted(((shared.get(v, len(shared)), r, c, v, f) for f, group in cells.pop("strings").items()
                          for r, c, v in group), key=lambda x: x[:3])
        cells["strings"] = [(r, c, v, f) for _, r, c, v, f in ordered]
        merges = []  # in the order the sheet lists them (openpyxl keeps a set)
        for ref in merged:
            m = openpyxl.worksheet.cell_range.CellRange(ref)
            merges.append((m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1))
        heights = {r - 1: d.height for r, d in ws.row_dimensions.items() if d.height}
        widths = {}
        for letter, d in ws.column_dimensions.items():
            if d.width:
                for c in range(d.min or openpyxl.utils.column_index_from_string(letter),
                               (d.max or openpyxl.utils.column_index_from_string(letter)) + 1):
                    widths[c - 1] = d.width
        validations = [(str(dv.sqref), dv.type, dv.formula1, dv.showErrorMessage, dv.errorStyle, dv.error,
                        dv.errorTitle, dv.prompt, dv.promptTitle, bool(dv.allow_blank), bool(dv.showInputMessage))
                       for dv in ws.data_validations.dataValidation]
        ps = ws.page_setup
        sheets.append({
            "name": ws.title, "hidden": ws.sheet_state != "visible", "formats": props, **cells,
            "merges": merges, "heights": heights, "widths": widths, "validations": validations, "links": links,
            "freeze": ws.freeze_panes, "title_rows": ws.print_title_rows, "title_cols": ws.print_title_cols,
            "a4": ps.paperSize == 9, "landscape": ps.orientation == "landscape", "scale": ps.scale,
            "row_breaks": [b.id for b in ws.row_breaks.brk], "col_breaks": [b.id for b in ws.col_breaks.brk],
            "fit": (int(ps.fitToWidth or 1), int(1 if ps.fitToHeight is None else ps.fitToHeight))
            if ws.sheet_properties.pageSetUpPr
            and ws.sheet_properties.pageSetUpPr.fitToPage else None,
            "centre": bool(ws.print_options.horizontalCentered), "print_grid": bool(ws.print_options.gridLines),
            "margins": (ws.page_margins.left, ws.page_margins.right, ws.page_margins.top, ws.page_margins.bottom,
                        ws.page_margins.header, ws.page_margins.footer),
            "footer": ws.oddFooter.center.text, "hide_grid": ws.sheet_view.showGridLines is False,
        })
    return sheets


def _rows(spec: str | None) -> tuple[int, int] | None:
    if not spec:
        return None
    a, b = spec.replace("$", "").split(":")
    return int(a) - 1, int(b) - 1


class _Sheet(xlsxwriter.worksheet.Worksheet):
    """XlsxWriter's Worksheet as convert's books use it (adapters/xlsxbook._worksheet_class): a formula without "("
    (the lists' ranges of the data validations, =代碼表!$A$2:$A$129) skips the ~155 rewrites of a newer function's
    name XlsxWriter tries on every formula, none of which can match it. The same bytes, about 1 ms less a 77-item
    book: the floor writes them the cheapest way convert knows (kept here, not imported: the command line's floor
    imports only calamine and XlsxWriter). A number given as an attribute (a styled cell's style index) is written
    as it is, without the TypeError XlsxWriter's escaping raises and catches on it, as convert's sheets write it."""

    def _escape_attributes(self, attribute):
        # as convert's: a number (a styled cell's style index) written as it is, without XlsxWriter's TypeError
        if not isinstance(attribute, str):
            return attribute
        return xlsxwriter.worksheet.Worksheet._escape_attributes(self, attribute)

    def _prepare_formula(self, formula, expand_future_functions=False):
        if "(" in formula:
            return super()._prepare_formula(formula, expand_future_functions)
        if formula.startswith("{"):
            formula = formula[1:]
        if formula.startswith("="):
            formula = formula[1:]
        if formula.endswith("}"):
            formula = formula[:-1]
        return formula

    def _assemble_xml_file(self):
        # as convert's: XlsxWriter's workbook ↔ sheet cycle let go once the sheet is written, its cells freed with
        # the workbook, not left to the cyclic collector (about 4 M instructions a 77-item book)
        super()._assemble_xml_file()
        self.workbook_add_format = None


_new = tuple.__new__  # a cell tuple made as its namedtuple's __new__ makes it
_String, _Number, _Blank = (xlsxwriter.worksheet.CellStringTuple, xlsxwriter.worksheet.CellNumberTuple,
                            xlsxwriter.worksheet.CellBlankTuple)


def write_snapshot(sheets: list[dict], target: str | Path) -> None:
    """The XlsxWriter write of the snapshot: the floor's writing half."""
    # the cheapest way XlsxWriter knows, as convert writes (adapters/xlsxbook.write_book): a book of up to
    # IN_MEMORY_ROWS rows kept in memory (XlsxWriter's own in_memory option: no temporary file a part), a larger
    # one through temporary files (in memory it peaks higher and is no faster); cells by XlsxWriter's undecorated
    # per-type writes (no A1-address test a cell)
    rows = sum(len(s["strings"]) for s in sheets) + sum(
        len(cells) for s in sheets for kind in ("numbers", "blanks", "booleans") for cells in s[kind].values())
    wb = xlsxwriter.Workbook(str(target), {"in_memory": rows <= IN_MEMORY_CELLS})
    wb.worksheet_class = _Sheet
    fmts = [wb.add_format(p) if p else None for p in (sheets[0]["formats"] if sheets else ())]  # once per book
    for s in sheets:
        ws = wb.add_worksheet(s["name"])
        # put into XlsxWriter's own table as convert puts them (xlsxbook._stored_on), not by its per-cell writes: the
        # same cell tuples, text numbered in the same order, the same used range, so the same bytes
        table, shared = ws.table, ws.str_table._get_shared_string_index
        for r, c, v, f in s["strings"]:  # in the shared-string table's order: the same bytes as convert's
            table[r][c] = _new(_String, (shared(v), fmts[f]))
        for f, cells in s["numbers"].items():
            fmt = fmts[f]
            for r, c, v in cells:
                table[r][c] = _new(_Number, (v, fmt))
        for f, cells in s["blanks"].items():
            fmt = fmts[f]
            if fmt is not None:
                for r, c, v in cells:
                    table[r][c] = _new(_Blank, (fmt,))
        for f, cells in s["booleans"].items():
            for r, c, v in cells:
                ws._write_boolean(r, c, v, fmts[f])
        # the used range in C, as convert's _stored_on finds it: the rows holding a cell, every column stored on them
        get = table.get
        rows = list(filter(get, table))
        if rows:
            columns = set().union(*map(get, rows))
            ws.dim_rowmin, ws.dim_rowmax = min(rows), max(rows)
            lo, hi = min(columns), max(columns)
            ws.dim_colmin = lo if ws.dim_colmin is None else min(ws.dim_colmin, lo)
            ws.dim_colmax = hi if ws.dim_colmax is None else max(ws.dim_colmax, hi)
        for r1, c1, r2, c2 in s["merges"]:
            if (r1, c1) != (r2, c2):  # openpyxl keeps a one-cell merge (目次's title); XlsxWriter refuses it
                ws.merge_range(r1, c1, r2, c2, None)
        for r, h in s["heights"].items():  # in pixels, as convert sets them (the same bytes)
            pixels = h * 4 / 3
            ws.set_row_pixels(r, math.nextafter(pixels, math.inf) if pixels == 20 else pixels)
        for c, w in s["widths"].items():
            ws.set_column_pixels(c, c, w * 7)
        for (sqref, kind, formula, show_error, style, error, error_title, prompt, prompt_title, blank,
             show_input) in s["validations"]:
            options = {"validate": kind, "source": "=" + formula.lstrip("=") if not formula.startswith('"') else
                       formula.strip('"').split(","), "error_type": style or "stop",
                       "show_error": bool(show_error), "ignore_blank": blank, "show_input": show_input}
            if error:
                options["error_message"] = error[:255]
            if error_title:
                options["error_title"] = error_title
            if prompt:
                options["input_message"], options["input_title"] = prompt[:255], prompt_title or ""
            for ref in sqref.split():
                ws.data_validation(ref, options)
        for r, c, location, text, f in s["links"]:
            ws.write_url(r, c, "internal:" + location, fmts[f], str(text))
        if s["freeze"]:
            ws.freeze_panes(s["freeze"])
        rows, cols = _rows(s["title_rows"]), s["title_cols"]
        if rows:
            ws.repeat_rows(*rows)
        if cols:
            ws.repeat_columns(cols.replace("$", ""))
        if s["a4"]:
            ws.set_paper(9)
        if s["landscape"]:
            ws.set_landscape()
        if s["fit"]:
            ws.fit_to_pages(*s["fit"])
        if s["scale"]:
            ws.set_print_scale(s["scale"])
        if s["row_breaks"]:
            ws.set_h_pagebreaks(s["row_breaks"])
        if s["col_breaks"]:
            ws.set_v_pagebreaks(s["col_breaks"])
        if s["centre"]:
            ws.center_horizontally()
        if s["print_grid"]:
            ws.hide_gridlines(0)
        elif s["hide_grid"]:
            ws.hide_gridlines(2)
        left, right, top, bottom, header, footer = s["margins"]
        ws.set_margins(left, right, top, bottom)
        ws.set_header("", {"margin": header})
        ws.set_footer("&C" + s["footer"] if s["footer"] else "", {"margin": footer})
        if s["hidden"]:
            ws.hide()
    wb.close()


def read_input(path: str | Path) -> int:
    """The floor's reading half: every sheet of the input, values only, through python-calamine."""
    wb = CalamineWorkbook.from_path(str(path))
    return sum(len(wb.get_sheet_by_name(name).to_python()) for name in wb.sheet_names)


def write_replacing(sheets: list[dict], target: str | Path) -> None:
    """``write_snapshot`` as a program that never leaves a half-written book under ``target``'s name writes it:
    into a new temporary file beside it (mkstemp: a name no other file has, created exclusively), renamed over it
    once whole. What convert's write_atomic does at the least (it also locks the temporary file, keeps the old
    file's mode and looks for an open Excel's lock file): writing in place (open with truncation) was cheaper in the
    kernel — about 60 µs of system time a book less than a create and a rename (ext4 starts writing out a file
    renamed over another), which the floor did not pay. Neither syncs to disk (convert does not either)."""
    import os
    import tempfile

    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=".~floor-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        write_snapshot(sheets, tmp)
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise


def _floor(source: str | Path, sheets: list[dict], target: str | Path) -> None:
    """The read and the write, the cyclic garbage collector paused as convert_one pauses it for a book (the
    same bytes, cheaper: the floor gets it too)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        read_input(source)
        write_replacing(sheets, target)
    finally:
        if collecting:
            gc.enable()


def floor_once(source: str | Path, sheets: list[dict], target: str | Path) -> float:
    """Seconds for the floor of one book: read ``source``, write the snapshot of its output."""
    start = time.perf_counter()
    _floor(source, sheets, target)
    return time.perf_counter() - start


def floor_cpu(source: str | Path, sheets: list[dict], target: str | Path) -> float:
    """The same, in this process's CPU seconds."""
    start = time.process_time()
    _floor(source, sheets, target)
    return time.process_time() - start


def main(argv: list[str]) -> None:
    """The command line's floor: ``python -P bench/floor.py SNAPSHOT OUT BOOK…`` reads each book with calamine
    and writes the snapshot's book (pickled by bench_convert, untimed there) to OUT for each — what a program
    producing the same bytes pays from its own start: the interpreter, calamine's and XlsxWriter's imports."""
    import pickle

    with open(argv[0], "rb") as f:
        sheets = pickle.load(f)
    for book in argv[2:]:
        _floor(book, sheets, argv[1])


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
