"""Fresh books written with XlsxWriter: convert's output without building and saving an openpyxl workbook.

What a sheet looks like is said once, by the openpyxl writers (app.template, adapters.printing): their
styles and page setup are applied once per kind of cell or sheet to a scratch openpyxl sheet and read
back here as XlsxWriter formats and settings (``cell_props``, ``sheet_settings``); the template is read
this way once per process (``sheet_of``). openpyxl stays the writer of books edited in place (build keeps
the officer's own sheets, an .xlsm its macros) and of convert --mark (notes, 檢核結果).
tests/test_fresh_books.py compares the two writers' books cell by cell.

Text is always written as a string, never as a formula; formula-like text gets the quote prefix, as
``formulas.keep_text`` gives an openpyxl cell.
"""

from __future__ import annotations

import math
from pathlib import Path

from xlbudget.core.formulas import reads_as_formula

PLAIN = (str, int, float, bool)  # what a fresh book is written with; anything else goes the openpyxl way


class NotPlain(Exception):
    """A value XlsxWriter would not write as openpyxl does (a date, a time, a text past 32,767 characters,
    which XlsxWriter cuts): write this book with openpyxl."""


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


def apply_settings(xws, s: dict) -> None:
    """Give an XlsxWriter sheet what ``sheet_settings`` read from an openpyxl one."""
    for c, width in s["widths"].items():
        xws.set_column_pixels(c, c, width * 7)  # stored as width (to 1/256): openpyxl's number, unchanged
    for r, height in s["heights"].items():
        # in pixels, so the height is stored as given (set_row rounds to whole pixels); 20 px (15 pt) is
        # XlsxWriter's default, which it would leave out: the next float keeps it a custom height, as openpyxl
        pixels = height * 4 / 3
        xws.set_row_pixels(r, math.nextafter(pixels, math.inf) if pixels == 20 else pixels)
    if s["freeze"]:
        xws.freeze_panes(s["freeze"])
    if s["title_rows"]:
        xws.repeat_rows(*s["title_rows"])
    if s["title_cols"]:
        xws.repeat_columns(s["title_cols"])
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
            xws.data_validation(ref, options)
    if s["state"] != "visible":
        xws.hide()


class Sheet:
    """One sheet to write: cells (value, style props key) keyed by 0-based (row, column), and settings."""

    def __init__(self, name: str, settings: dict | None = None):
        self.name = name
        self.cells: dict[tuple[int, int], tuple[object, tuple]] = {}
        self.merges: list[tuple[int, int, int, int]] = []
        self.links: dict[tuple[int, int], str] = {}
        self.settings = settings

    def copy(self) -> "Sheet":
        new = Sheet(self.name, self.settings)
        new.cells, new.merges, new.links = dict(self.cells), list(self.merges), dict(self.links)
        return new


def _key(props: dict) -> tuple:
    return tuple(sorted(props.items()))


def sheet_of(ws) -> Sheet:
    """An openpyxl sheet (the template's) as a Sheet."""
    sheet = Sheet(ws.title, sheet_settings(ws))
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None or cell.has_style:
                sheet.cells[cell.row - 1, cell.column - 1] = (cell.value, _key(cell_props(cell)))
    sheet.merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
    return sheet


def write_sheets(target: str | Path, sheets: list[Sheet]) -> None:
    """Write ``sheets`` as one .xlsx at ``target`` with XlsxWriter."""
    import xlsxwriter

    # XlsxWriter's default: each sheet's XML goes to a temporary file before the zip, not to memory (a
    # 20,000-item book peaks at 267 MB instead of 306; no slower)
    wb = xlsxwriter.Workbook(str(target), {"strings_to_numbers": False, "strings_to_formulas": False,
                                            "strings_to_urls": False})
    formats: dict[tuple, object] = {(): None}

    def fmt(key: tuple):
        f = formats.get(key, False)
        if f is False:
            f = formats[key] = wb.add_format(dict(key))
        return f

    for sheet in sheets:
        xws = wb.add_worksheet(sheet.name)
        for r1, c1, r2, c2 in sheet.merges:
            if (r1, c1) != (r2, c2):  # openpyxl keeps a one-cell merge (a one-column title); XlsxWriter refuses it
                xws.merge_range(r1, c1, r2, c2, None)  # registers the range; its cells are written next
        write_string, write_number, write_blank = xws.write_string, xws.write_number, xws.write_blank
        known = formats.get
        for (r, c), (value, key) in sheet.cells.items():
            f = known(key, fmt)
            if f is fmt:
                f = fmt(key)
            kind = value.__class__
            if kind is str:
                if value:
                    if write_string(r, c, value, f) == -2:  # cut at Excel's 32,767 characters: openpyxl keeps it whole
                        raise NotPlain("text longer than 32,767 characters")
                else:
                    write_blank(r, c, None, f)
            elif value is None:
                if f is not None:
                    write_blank(r, c, None, f)
            elif kind is int or kind is float:
                write_number(r, c, value, f)  # to 16 significant digits, as openpyxl writes a number
            elif kind is bool:
                xws.write_boolean(r, c, value, f)
            else:
                raise NotPlain(kind.__name__)
        for (r, c), location in sheet.links.items():
            value, key = sheet.cells[r, c]
            xws.write_url(r, c, "internal:" + location, fmt(key), value)
        if sheet.settings:
            apply_settings(xws, sheet.settings)
    wb.close()


# ---------------------------------------------------------------- convert's book: template, values, schedules

_STYLES: dict[tuple, tuple] = {}


_SCRATCH: list = []  # one openpyxl workbook per process, for scratch sheets


def _scratch_sheet():
    """An empty openpyxl sheet to apply a writer's style or page setup to (one workbook per process)."""
    if not _SCRATCH:
        from openpyxl import Workbook

        _SCRATCH.append(Workbook())
    wb = _SCRATCH[0]
    for old in wb.worksheets[1:]:  # the last one handed out
        wb.remove(old)
    return wb.create_sheet()


def _table_style(kind: str, key: tuple) -> tuple:
    """The props key of one kind of table cell: printing.style_cell's style, read off a scratch cell."""
    found = _STYLES.get((kind, key))
    if found is None:
        from xlbudget.adapters.printing import style_cell

        cell = _scratch_sheet().cell(1, 1)
        style_cell(cell, kind, key)
        found = _STYLES[kind, key] = _key(cell_props(cell))
    return found


_FONT_PROPS = ("font_name", "font_size", "bold", "italic", "underline", "font_color")


def _linked(key: tuple) -> tuple:
    """A 目次 cell's props with printing.LINK_FONT in place of its font, as link_contents sets it."""
    found = _STYLES.get(("link", key))
    if found is None:
        from xlbudget.adapters.printing import LINK_FONT

        cell = _scratch_sheet().cell(1, 1)
        cell.font = LINK_FONT
        props = {k: v for k, v in key if k not in _FONT_PROPS}
        props.update(cell_props(cell))
        found = _STYLES["link", key] = _key(props)
    return found


def _quoted(key: tuple) -> tuple:
    return _key(dict(key, quote_prefix=True))


_QUOTED = _quoted(())
_PAGES: dict[tuple, dict] = {}


def _page_settings(layout, title_cols: int) -> dict:
    """printing.page_setup's settings for a table of this shape, read off a scratch sheet (once per shape)."""
    shape = (layout.header_rows, sum(layout.widths), title_cols)
    found = _PAGES.get(shape)
    if found is None:
        from xlbudget.adapters.printing import page_setup

        ws = _scratch_sheet()
        page_setup(ws, layout, title_cols)
        found = _PAGES[shape] = sheet_settings(ws)
    return found


def table_sheet(name: str, layout, title_cols: int = 0) -> Sheet:
    """A laid-out table as a Sheet: the cells, styles, merges, sizes and page setup printing.write_layout gives."""
    from xlbudget.adapters.printing import style_key

    settings = dict(_page_settings(layout, title_cols))
    settings["widths"] = dict(enumerate(layout.widths))
    settings["heights"] = {r - 1: h for r, h in layout.heights.items()}
    sheet = Sheet(name, settings)
    amount = set(layout.amount_columns)
    wide = {c for c in layout.wrap_columns if layout.widths[c - 1] >= 20}
    cells, kinds = sheet.cells, layout.kinds
    row_keys: dict[str, list[tuple]] = {}
    for r, row in enumerate(layout.values):
        kind = kinds.get(r + 1, "")
        keys = row_keys.get(kind)
        if keys is None:
            keys = row_keys[kind] = [_table_style(kind, style_key(kind, c, amount, wide))
                                     for c in range(1, len(row) + 1)]
        for c, value in enumerate(row):
            if value.__class__ is str and reads_as_formula(value):
                cells[r, c] = (value, _quoted(keys[c]))
            else:
                cells[r, c] = (value, keys[c])
    sheet.merges = [(r1 - 1, c1 - 1, r2 - 1, c2 - 1) for r1, c1, r2, c2 in layout.merges]
    return sheet


def _fill(sheet: Sheet, fill) -> None:
    """Put a book's input values into a template sheet (``fill``: app.template.SheetFill, 1-based cells)."""
    cells = sheet.cells
    for col, text in fill.extra.items():
        cells[0, col - 1] = (text, _QUOTED if reads_as_formula(text) else ())
    if fill.replace_rows:
        for rc in [rc for rc in cells if rc[0] >= 1]:
            del cells[rc]
    for (r, c), value in fill.values.items():
        cells[r - 1, c - 1] = (value, _QUOTED if value.__class__ is str and reads_as_formula(value) else ())


def _link_contents(sheet: Sheet, names: list[str]) -> None:
    """printing.link_contents on a Sheet: each 目次 line naming a sheet links to it."""
    from xlbudget.adapters.printing import contents_target

    for (r, c), (value, key) in list(sheet.cells.items()):
        title = contents_target(value, names, sheet.name) if c == 0 else None
        if title:
            sheet.links[r, c] = f"'{title}'!A1"
            sheet.cells[r, c] = (value, _linked(key))


def _sentences(sheet: Sheet, sentences: list[str]) -> None:
    """printing.write_standard_sentences on a Sheet, through a scratch sheet as tall as the 總說明 sheet."""
    from xlbudget.adapters.printing import NARRATIVE_COLUMN, write_standard_sentences

    ws = _scratch_sheet()
    for r in range(1, max((r for r, _ in sheet.cells), default=0) + 2):
        ws.cell(r, NARRATIVE_COLUMN)
    write_standard_sentences(ws, sentences)
    col = NARRATIVE_COLUMN - 1
    for rc in [rc for rc in sheet.cells if rc[1] == col]:
        del sheet.cells[rc]
    for (cell,) in ws.iter_rows(min_col=NARRATIVE_COLUMN, max_col=NARRATIVE_COLUMN):
        if cell.value is not None or cell.has_style:
            sheet.cells[cell.row - 1, col] = (cell.value, _key(cell_props(cell)))
    settings = dict(sheet.settings or sheet_settings(ws))
    settings["widths"] = {**settings["widths"], **sheet_settings(ws)["widths"]}
    sheet.settings = settings


def write_book(target: str | Path, template: tuple[Sheet, ...], fills: dict, tables, agency,
               sentences: list[str], narrative: str) -> None:
    """Convert's output book at ``target``: the template (Sheets) with the book's values (``fills``, from
    app.template.fill_plan), each table on the sheet named by its title, the 目次 links and the figure
    sentences on the ``narrative`` sheet — what pipeline.build_workbook writes into a filled template.

    Raises NotPlain (before anything is written) for a value XlsxWriter would store otherwise than openpyxl.
    """
    from xlbudget.adapters.printing import title_columns
    from xlbudget.core.titles import CONTENTS
    from xlbudget.forms.layout import layout_table

    sheets = {s.name: s.copy() for s in template}
    for name, fill in fills.items():
        for value in fill.values.values():
            if value.__class__ not in PLAIN:
                raise NotPlain(value.__class__.__name__)
        if name not in sheets:
            sheets[name] = Sheet(name)
        _fill(sheets[name], fill)
    for table in tables:
        name = table.title[:31]
        sheets[name] = table_sheet(name, layout_table(table, agency), title_columns(table))  # replaced in place
    if CONTENTS in sheets:
        _link_contents(sheets[CONTENTS], list(sheets))
    if narrative in sheets:
        _sentences(sheets[narrative], sentences)
    write_sheets(target, list(sheets.values()))
