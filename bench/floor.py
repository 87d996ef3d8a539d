"""The true floor of a conversion (issue 13): a python-calamine read of the input book plus an XlsxWriter
write of the identical output book — the same cells, styles, merges, sizes, page setup, drop-down lists,
links and hidden sheets as the book convert wrote.

Not part of the test run. ``snapshot(output)`` reads a book convert wrote (openpyxl, untimed) into plain
data; ``floor_once(input, snap, target)`` is the timed part: the read and the write, nothing else.
"""

from __future__ import annotations

import time
from pathlib import Path

import openpyxl
import xlsxwriter
from python_calamine import CalamineWorkbook


def _colour(color) -> str | None:
    if color is None or color.type != "rgb" or not isinstance(color.rgb, str):
        return None
    return "#" + color.rgb[-6:]


def _format(cell) -> dict:
    """XlsxWriter format properties of an openpyxl cell (what our writers set: font, fill, border,
    alignment, number format, quote prefix)."""
    props: dict = {}
    f = cell.font
    if f is not None:
        if f.name:
            props["font_name"] = f.name
        if f.sz:
            props["font_size"] = f.sz
        if f.b:
            props["bold"] = True
        if f.u:
            props["underline"] = 1
        if _colour(f.color) and _colour(f.color) != "#000000":
            props["font_color"] = _colour(f.color)
    fill = cell.fill
    if fill is not None and fill.fill_type == "solid":
        props["pattern"] = 1
        props["bg_color"] = _colour(fill.fgColor) or "#FFFFFF"
    b = cell.border
    if b is not None and b.left is not None and b.left.style:
        props["border"] = 1
    a = cell.alignment
    if a is not None:
        if a.horizontal:
            props["align"] = a.horizontal
        if a.vertical:
            props["valign"] = "vcenter" if a.vertical == "center" else a.vertical
        if a.wrap_text:
            props["text_wrap"] = True
    if cell.number_format and cell.number_format != "General":
        props["num_format"] = cell.number_format
    if cell.quotePrefix:
        props["quote_prefix"] = True
    return props


def snapshot(path: str | Path) -> list[dict]:
    """Every sheet of a written book as plain data the XlsxWriter replay needs (untimed)."""
    wb = openpyxl.load_workbook(path)
    sheets = []
    for ws in wb.worksheets:
        formats: dict[tuple, int] = {}
        props: list[dict] = []
        cells = []
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style:
                    continue
                p = _format(cell) if cell.has_style else {}
                key = tuple(sorted(p.items()))
                if key not in formats:
                    formats[key] = len(props)
                    props.append(p)
                cells.append((cell.row - 1, cell.column - 1, cell.value, formats[key]))
        merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
        heights = {r - 1: d.height for r, d in ws.row_dimensions.items() if d.height}
        widths = {}
        for letter, d in ws.column_dimensions.items():
            if d.width:
                for c in range(d.min or openpyxl.utils.column_index_from_string(letter),
                               (d.max or openpyxl.utils.column_index_from_string(letter)) + 1):
                    widths[c - 1] = d.width
        validations = [(str(dv.sqref), dv.type, dv.formula1, dv.showErrorMessage, dv.errorStyle, dv.error,
                        dv.errorTitle, dv.prompt, dv.promptTitle) for dv in ws.data_validations.dataValidation]
        links = [(cell.row - 1, cell.column - 1, h.location, cell.value) for h in ws._hyperlinks
                 for cell in [ws[h.ref]]]
        ps = ws.page_setup
        sheets.append({
            "name": ws.title, "hidden": ws.sheet_state != "visible", "formats": props, "cells": cells,
            "merges": merges, "heights": heights, "widths": widths, "validations": validations, "links": links,
            "freeze": ws.freeze_panes, "title_rows": ws.print_title_rows, "title_cols": ws.print_title_cols,
            "a4": ps.paperSize == 9, "landscape": ps.orientation == "landscape",
            "fit": (ps.fitToWidth, ps.fitToHeight) if ws.sheet_properties.pageSetUpPr
            and ws.sheet_properties.pageSetUpPr.fitToPage else None,
            "centre": bool(ws.print_options.horizontalCentered), "print_grid": bool(ws.print_options.gridLines),
            "margins": (ws.page_margins.left, ws.page_margins.right, ws.page_margins.top, ws.page_margins.bottom),
            "footer": ws.oddFooter.center.text, "hide_grid": ws.sheet_view.showGridLines is False,
        })
    return sheets


def _rows(spec: str | None) -> tuple[int, int] | None:
    if not spec:
        return None
    a, b = spec.replace("$", "").split(":")
    return int(a) - 1, int(b) - 1


def write_snapshot(sheets: list[dict], target: str | Path) -> None:
    """The XlsxWriter write of the snapshot: the floor's writing half."""
    wb = xlsxwriter.Workbook(str(target))  # XlsxWriter's default mode, as convert writes
    for s in sheets:
        ws = wb.add_worksheet(s["name"])
        fmts = [wb.add_format(p) if p else None for p in s["formats"]]
        write_string, write_number, write_blank = ws.write_string, ws.write_number, ws.write_blank
        for r, c, v, f in s["cells"]:
            fmt = fmts[f]
            if v is None:
                if fmt is not None:
                    write_blank(r, c, None, fmt)
            elif isinstance(v, str):
                write_string(r, c, v, fmt)
            elif isinstance(v, bool):
                ws.write_boolean(r, c, v, fmt)
            else:
                write_number(r, c, v, fmt)
        for r1, c1, r2, c2 in s["merges"]:
            if (r1, c1) != (r2, c2):  # openpyxl keeps a one-cell merge (目次's title); XlsxWriter refuses it
                ws.merge_range(r1, c1, r2, c2, None)
        for r, h in s["heights"].items():
            ws.set_row(r, h)
        for c, w in s["widths"].items():
            ws.set_column(c, c, w)
        for sqref, kind, formula, show_error, style, error, error_title, prompt, prompt_title in s["validations"]:
            options = {"validate": kind, "source": "=" + formula.lstrip("=") if not formula.startswith('"') else
                       formula.strip('"').split(","), "error_type": style or "stop",
                       "show_error": bool(show_error)}
            if error:
                options["error_message"] = error[:255]
            if error_title:
                options["error_title"] = error_title
            if prompt:
                options["input_message"], options["input_title"] = prompt[:255], prompt_title or ""
            for ref in sqref.split():
                ws.data_validation(ref, options)
        for r, c, location, text in s["links"]:
            ws.write_url(r, c, "internal:" + location, None, str(text))
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
        if s["centre"]:
            ws.center_horizontally()
        if s["print_grid"]:
            ws.hide_gridlines(0)
        elif s["hide_grid"]:
            ws.hide_gridlines(2)
        left, right, top, bottom = s["margins"]
        ws.set_margins(left, right, top, bottom)
        if s["footer"]:
            ws.set_footer("&C" + s["footer"])
        if s["hidden"]:
            ws.hide()
    wb.close()


def read_input(path: str | Path) -> int:
    """The floor's reading half: every sheet of the input, values only, through python-calamine."""
    wb = CalamineWorkbook.from_path(str(path))
    return sum(len(wb.get_sheet_by_name(name).to_python()) for name in wb.sheet_names)


def floor_once(source: str | Path, sheets: list[dict], target: str | Path) -> float:
    """Seconds for the floor of one book: read ``source``, write the snapshot of its output."""
    start = time.perf_counter()
    read_input(source)
    write_snapshot(sheets, target)
    return time.perf_counter() - start


def floor_cpu(source: str | Path, sheets: list[dict], target: str | Path) -> float:
    """The same, in this process's CPU seconds."""
    start = time.process_time()
    read_input(source)
    write_snapshot(sheets, target)
    return time.process_time() - start
