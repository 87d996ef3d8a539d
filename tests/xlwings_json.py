"""Excel, as xlwings Lite / Server see it: openpyxl workbooks → book JSON, UDF payloads, and the actions sent back.

The book JSON follows what the Office.js client posts (see xlwings' own
tests/test_engines/test_engines.py and xlwings/js/xlwings.ts): each sheet's
values anchored at A1, a rectangle, empty cells as "", numbers as numbers,
date cells as ISO strings; Excel Tables with their addresses.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import types

os.environ.setdefault("XLWINGS_ON_SERVER", "true")
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import sys  # noqa: E402

if "xlwings" in sys.modules and not getattr(sys.modules["xlwings"], "on_server", False):
    raise RuntimeError("xlwings was imported before XLWINGS_ON_SERVER=true was set; "
                       "import tests/xlwings_json.py first (its @xw.func / @xw.script need the server decorators)")

import xlwings as xw  # noqa: E402
from xlwings.server import custom_functions_call, custom_scripts_call  # noqa: E402


def _cell_json(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, dt.date):
        return f"{value.isoformat()}T00:00:00.000Z"
    return value


def sheet_json(ws) -> dict:
    """One openpyxl worksheet as the Office.js client sends it."""
    rows = [[_cell_json(v) for v in row] for row in ws.iter_rows(values_only=True)]
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows] or [[]]
    tables = []
    for table in getattr(ws, "tables", {}).values():
        first, last = table.ref.split(":")
        col1 = "".join(ch for ch in first if ch.isalpha())
        row1 = int("".join(ch for ch in first if ch.isdigit()))
        totals = bool(table.totalsRowCount)
        last_col = "".join(ch for ch in last if ch.isalpha())
        last_row = int("".join(ch for ch in last if ch.isdigit()))
        tables.append({
            "name": table.name,
            "range_address": table.ref,
            "header_row_range_address": f"{first}:{last_col}{row1}",
            "data_body_range_address": f"{col1}{row1 + 1}:{last_col}{last_row - totals}",
            "total_row_range_address": f"{col1}{last_row}:{last}" if totals else None,
            "show_headers": True,
            "show_totals": totals,
            "table_style": "TableStyleMedium2",
            "show_autofilter": True,
        })
    notes = [{"address": c.coordinate} for row in ws.iter_rows() for c in row if c.comment is not None]
    return {"name": ws.title, "values": rows, "pictures": [], "tables": tables, "notes": notes,
            "visibility": {"visible": "Visible", "hidden": "Hidden"}.get(ws.sheet_state, "VeryHidden")}


def book_json(wb, name: str = "預算書.xlsx", active: int = 0) -> dict:
    """An openpyxl workbook as the JSON an xlwings Lite / Server script receives."""
    payload = {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": name, "active_sheet_index": active, "selection": "A1"},
        "names": [{"name": name, "refers_to": "=" + dn.attr_text, "book_scope": False, "scope_sheet_index": i,
                   "scope_sheet_name": ws.title, "sheet_index": None, "address": None}
                  for i, ws in enumerate(wb.worksheets) for name, dn in ws.defined_names.items()],  # sheet-scoped
        "sheets": [sheet_json(ws) for ws in wb.worksheets],
    }
    return json.loads(json.dumps(payload, ensure_ascii=False))  # exactly what survives the wire


def run_script(module: types.ModuleType, script: str, payload: dict) -> list[dict]:
    """Run a button through xlwings' own dispatch and return the actions sent back to Excel."""
    book = xw.Book(json=json.loads(json.dumps(payload)))  # the engine edits its copy as the script runs
    try:
        result = asyncio.run(custom_scripts_call(module, script, typehint_to_value={xw.Book: book}))
        return json.loads(json.dumps(result.json()["actions"], ensure_ascii=False, default=str))
    finally:
        book.close()


def call_udf(module: types.ModuleType, func_name: str, *args, runtime: str = "1.4"):
    """Call a cell function as Excel (Office.js) does: every argument a 2-D list, empty cells None."""
    data = {
        "func_name": func_name,
        "args": [a if isinstance(a, list) else [[a]] for a in args],
        "caller_address": "Sheet1!A1",
        "formula_name": func_name.upper(),
        "version": xw.__version__,
        "client": "Office.js",
        "runtime": runtime,
        "culture_info_name": "zh-TW",
        "date_format": None,
    }
    return asyncio.run(custom_functions_call(data, module))


def excel_value(value):
    """What Excel stores for a written value: a leading apostrophe only marks text, it is not kept."""
    return value[1:] if isinstance(value, str) and value.startswith("'") else value


def sheet_values(actions: list[dict], position: int) -> list[list]:
    """The setValues grids written to the sheet at ``position``, stitched onto one grid by their offsets.

    Values are as Excel keeps them (a leading text apostrophe dropped).
    """
    grid: dict[tuple[int, int], object] = {}
    for a in actions:
        if a["func"] == "setValues" and a["sheet_position"] == position:
            for r, row in enumerate(a["values"]):
                for c, v in enumerate(row):
                    grid[(a["start_row"] + r, a["start_column"] + c)] = excel_value(v)
    if not grid:
        return []
    nrows = max(r for r, _ in grid) + 1
    ncols = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(ncols)] for r in range(nrows)]


def sheet_order(payload: dict, actions: list[dict]) -> list[str]:
    """Sheet names after the actions' addSheet / sheetDelete, in position order."""
    names = [s["name"] for s in payload["sheets"]]
    for a in actions:
        if a["func"] == "addSheet":
            names.insert(a["args"][0], a["args"][1])
        elif a["func"] == "sheetDelete":
            del names[a["sheet_position"]]
    return names


def desktop_cells(monkeypatch, wb) -> None:
    """xlwings' remote engine made to answer as desktop Excel does (COM, AppleScript) for the cells of ``wb``
    (openpyxl, the book the payload was made of): a cell's fill colour (Range.color: (r, g, b), None for no fill),
    its note's text, author and cell (Note.text, .author, .location), a range's formulas (Range.formula: a formula's
    text, a value as it is), a cell's merged range (Range.merge_area). Lite and Server read none of them."""
    from xlwings.pro import _xlremote

    def cell(rng):
        return wb[rng.sheet.name][rng.address.replace("$", "").split(":")[0]]

    def color(rng):
        fill = cell(rng).fill
        rgb = fill.fgColor.rgb if fill.patternType == "solid" and fill.fgColor.type == "rgb" else None
        return tuple(int(rgb[i:i + 2], 16) for i in (2, 4, 6)) if rgb else None

    def formula(rng):
        ws = wb[rng.sheet.name]
        return tuple(tuple("" if ws.cell(r, c).value is None else ws.cell(r, c).value
                           for c in range(rng.column, rng.column + rng.shape[1]))
                     for r in range(rng.row, rng.row + rng.shape[0]))

    def merge_area(rng):
        at = cell(rng).coordinate
        found = next((m for m in wb[rng.sheet.name].merged_cells.ranges if at in m), None)
        return _xlremote.Range(sheet=rng.sheet, arg1=found.coord if found else at)

    def comment(note):
        return wb[note.range.sheet.name][note.range.address.replace("$", "")].comment

    monkeypatch.setattr(_xlremote.Range, "color", property(color, _xlremote.Range.color.fset))
    monkeypatch.setattr(_xlremote.Range, "formula", property(formula, _xlremote.Range.formula.fset))
    monkeypatch.setattr(_xlremote.Range, "merge_area", property(merge_area))
    monkeypatch.setattr(_xlremote.Note, "text", property(lambda n: comment(n).text, _xlremote.Note.text.fset))
    monkeypatch.setattr(_xlremote.Note, "author", property(lambda n: comment(n).author))
    monkeypatch.setattr(_xlremote.Note, "location", property(lambda n: n.range))
