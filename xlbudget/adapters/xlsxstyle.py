"""What an openpyxl sheet carries, as XlsxWriter format properties and sheet settings (plain data).

The openpyxl writers (app.template, adapters.printing) say once what a sheet looks like; adapters.xlsxbook
applies their styles and page setup to a scratch openpyxl sheet and reads them back here (``cell_props``,
``sheet_settings``) to write the same with XlsxWriter (``apply_settings``).
"""

from __future__ import annotations

import math


def _colour(color) -> str | None:
    if color is None or color.type != "rgb" or not isinstance(color.rgb, str):
        return None
    return "#" + color.rgb[-6:]


def cell_props(cell) -> dict:
    """XlsxWriter format properties of an openpyxl cell's style: font, fill, border, alignment, number
    format, quote prefix — what xlbudget's openpyxl writers set."""
    if not cell.has_style:
        return {}
    props: dict = {}
    f = cell.font
    if f.name and f.name != "Calibri":
        props["font_name"] = f.name
    if f.sz and f.sz != 11:
        props["font_size"] = f.sz
    if f.b:
        props["bold"] = True
    if f.i:
        props["italic"] = True
    if f.u:
        props["underline"] = {"single": 1, "double": 2}.get(f.u, 1)
    if _colour(f.color):
        props["font_color"] = _colour(f.color)
    fill = cell.fill
    if fill.fill_type == "solid":
        props["pattern"] = 1
        props["bg_color"] = _colour(fill.fgColor) or "#FFFFFF"
    b = cell.border
    sides = {"left": b.left, "right": b.right, "top": b.top, "bottom": b.bottom}
    for side, line in sides.items():
        if line is not None and line.style:
            props[side] = {"thin": 1, "medium": 2, "dashed": 3, "dotted": 4, "thick": 5, "double": 6,
                           "hair": 7}.get(line.style, 1)
            if _colour(line.color):
                props[f"{side}_color"] = _colour(line.color)
    a = cell.alignment
    if a.horizontal:
        props["align"] = a.horizontal
    if a.vertical:
        props["valign"] = "vcenter" if a.vertical == "center" else a.vertical
    if a.wrap_text:
        props["text_wrap"] = True
    if cell.number_format != "General":
        props["num_format"] = cell.number_format
    if cell.quotePrefix:
        props["quote_prefix"] = True
    return props


def _rows(spec: str | None) -> tuple[int, int] | None:
    if not spec:
        return None
    first, last = spec.replace("$", "").split(":")
    return int(first) - 1, int(last) - 1


def sheet_settings(ws) -> dict:
    """What an openpyxl sheet carries beyond cells, as plain data: sizes, freeze, print setup, lists, state."""
    from openpyxl.utils import column_index_from_string

    widths = {}
    for letter, d in ws.column_dimensions.items():
        if d.width and d.customWidth:
            first = d.min or column_index_from_string(letter)
            for c in range(first, (d.max or first) + 1):
                widths[c - 1] = d.width
    ps, margins = ws.page_setup, ws.page_margins
    fit = ws.sheet_properties.pageSetUpPr
    validations = []
    for dv in ws.data_validations.dataValidation:
        validations.append((str(dv.sqref).split(), {
            "type": dv.type, "formula1": dv.formula1, "allow_blank": bool(dv.allow_blank),
            "show_error": bool(dv.showErrorMessage), "error_style": dv.errorStyle or "stop",
            "error_title": dv.errorTitle, "error": dv.error, "show_input": bool(dv.showInputMessage),
            "prompt_title": dv.promptTitle, "prompt": dv.prompt}))
    return {
        "widths": widths,
        "heights": {r - 1: d.height for r, d in ws.row_dimensions.items() if d.height is not None},
        "freeze": ws.freeze_panes, "title_rows": _rows(ws.print_title_rows),
        "title_cols": ws.print_title_cols.replace("$", "") if ws.print_title_cols else None,
        "paper": ps.paperSize, "orientation": ps.orientation,
        "fit": (int(ps.fitToWidth or 1), int(ps.fitToHeight if ps.fitToHeight is not None else 1))
        if fit is not None and fit.fitToPage else None,
        "centre": bool(ws.print_options.horizontalCentered), "print_grid": bool(ws.print_options.gridLines),
        "margins": (margins.left, margins.right, margins.top, margins.bottom, margins.header, margins.footer),
        "footer": ws.oddFooter.center.text, "show_grid": ws.sheet_view.showGridLines is not False,
        "state": ws.sheet_state, "validations": validations,
    }


def page_settings(page) -> dict:
    """A forms.pages.PageSetup as the print part of ``sheet_settings``: what ``apply_settings`` writes with
    XlsxWriter, the same an openpyxl sheet given ``page`` (printing.apply_page) reads back as (scale and column
    breaks aside, which XlsxWriter writers set themselves)."""
    from xlbudget.readers.grid import column_letter

    return {
        "freeze": f"{column_letter(page.freeze[1])}{page.freeze[0]}" if page.freeze else None,
        "title_rows": (page.title_rows[0] - 1, page.title_rows[1] - 1) if page.title_rows else None,
        "title_cols": f"A:{column_letter(page.title_cols)}" if page.title_cols else None,
        "paper": page.paper, "orientation": "landscape" if page.landscape else "portrait",
        "fit": (1, 0) if page.fit_width else None, "centre": page.centred, "print_grid": page.printed_grid,
        "margins": page.margins, "footer": page.footer or None, "show_grid": page.gridlines,
    }


def set_sizes(xws, widths: dict[int, float], heights: dict[int, float]) -> None:
    """Column widths and row heights (0-based column / row → openpyxl's width / height) on an XlsxWriter sheet."""
    for c, width in widths.items():
        xws.set_column_pixels(c, c, width * 7)  # stored as width (to 1/256): openpyxl's number, unchanged
    for r, height in heights.items():
        # in pixels, so the height is stored as given (set_row rounds to whole pixels); 20 px (15 pt) is
        # XlsxWriter's default, which it would leave out: the next float keeps it a custom height, as openpyxl
        pixels = height * 4 / 3
        xws.set_row_pixels(r, math.nextafter(pixels, math.inf) if pixels == 20 else pixels)


_PLACES: dict[tuple[str, str], tuple[int, ...]] = {}  # per process: (decorator, A1 reference) → its numbers


def _place(ref: str, kind: str) -> tuple[int, ...]:
    """An A1 reference as the 0-based numbers an XlsxWriter method takes, parsed as the method's own decorator
    parses it (``kind``: "cell" as freeze_panes', "range" as data_validation's, "columns" as repeat_columns'). Given
    the text, the decorator first tries it as a number, and parses it in the ValueError that raises: 35 exceptions
    a book, for references every book repeats (issue 13)."""
    found = _PLACES.get((kind, ref))
    if found is None:
        from xlsxwriter.utility import xl_cell_to_rowcol

        if kind == "cell":
            found = xl_cell_to_rowcol(ref)
        elif kind == "columns":
            first, last = [col + "1" for col in ref.split(":")]
            found = (xl_cell_to_rowcol(first)[1], xl_cell_to_rowcol(last)[1])
        elif ":" in ref:
            first, last = ref.split(":")
            found = xl_cell_to_rowcol(first) + xl_cell_to_rowcol(last)
        else:
            found = xl_cell_to_rowcol(ref) * 2
        if len(_PLACES) < 4096:  # never grows without end
            _PLACES[kind, ref] = found
    return found


def apply_settings(xws, s: dict) -> None:
    """Give an XlsxWriter sheet what ``sheet_settings`` read from an openpyxl one."""
    set_sizes(xws, s["widths"], s["heights"])
    if s["freeze"]:
        xws.freeze_panes(*_place(s["freeze"], "cell"))
    if s["title_rows"]:
        xws.repeat_rows(*s["title_rows"])
    if s["title_cols"]:
        xws.repeat_columns(*_place(s["title_cols"], "columns"))
    if s["paper"]:
        xws.set_paper(int(s["paper"]))
    if s["orientation"] == "landscape":
        xws.set_landscape()
    elif s["orientation"] == "portrait":
        xws.set_portrait()
    if s["fit"]:
        xws.fit_to_pages(*s["fit"])
    if s["centre"]:
        xws.center_horizontally()
    left, right, top, bottom, header, footer = s["margins"]
    xws.set_margins(left, right, top, bottom)
    xws.set_header("", {"margin": header})
    xws.set_footer("&C" + s["footer"] if s["footer"] else "", {"margin": footer})
    if s["print_grid"]:
        xws.hide_gridlines(0)
    elif not s["show_grid"]:
        xws.hide_gridlines(2)
    else:
        xws.hide_gridlines(1)
    for refs, dv in s["validations"]:
        formula = dv["formula1"] or ""
        options = {"validate": dv["type"], "ignore_blank": dv["allow_blank"], "show_error": dv["show_error"],
                   "error_type": {"warning": "warning", "information": "information"}.get(dv["error_style"], "stop"),
                   "show_input": dv["show_input"]}
        # a literal list "a,b" is given as its items; a range as the formula
        options["source"] = formula[1:-1].split(",") if formula.startswith('"') else "=" + formula.lstrip("=")
        if dv["error"]:
            options["error_message"] = dv["error"]
        if dv["error_title"]:
            options["error_title"] = dv["error_title"]
        if dv["prompt"]:
            options["input_message"] = dv["prompt"]
        if dv["prompt_title"]:
            options["input_title"] = dv["prompt_title"]
        for ref in refs:
            xws.data_validation(*_place(ref, "range"), options)
    if s["state"] != "visible":
        xws.hide()
