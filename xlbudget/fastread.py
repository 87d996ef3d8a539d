"""Fast values-only reading of the input sheets with python-calamine (no styles, one pass).

The grids it gives go to ``inputs.read_book`` like every other reader's, with
the same rules: sheet names matched as keys, an Excel Table's block and totals
row (read from the table definition in the zip), and a formula with no cached
value as ``printed.Uncached`` (found in the sheet XML, since calamine reads it
as an empty cell). .ods books are read here too.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

try:  # a Rust extension: not in Pyodide (xlwings Lite), where convert falls back to openpyxl
    from python_calamine import CalamineWorkbook
except ImportError:  # pragma: no cover - exercised by test_fastread_without_calamine
    CalamineWorkbook = None

from .errors import InputError
from .inputs import Grid, column_letter, input_sheet_names, table_grid
from .safety import check_extent, check_zip, sheet_parts


def read_grids(path: str | Path) -> dict[str, Grid]:
    """Grids of the input sheets of ``path`` (.xlsx, .xlsm or .ods), keyed by input sheet, values only.

    Caps are checked on the zip and on each input sheet's real extent before
    calamine materialises it.
    """
    path = Path(path)
    name = path.name
    check_zip(path)
    from .xlsxfile import is_ods

    ods = is_ods(path)
    parts = {} if ods else sheet_parts(path)
    if CalamineWorkbook is None:
        if ods:
            raise InputError(f"{name} 是 .ods 檔；此環境沒有 python-calamine，無法讀取，請存成 .xlsx 後再試", name)
        return _read_grids_openpyxl(path, parts)
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken files
        raise InputError(f"{name} 無法以 Excel 活頁簿讀取（{type(exc).__name__}），檔案可能已損毀", name) from None
    grids = {}
    for canonical, sheet in input_sheet_names(wb.sheet_names).items():
        part = parts.get(sheet)
        formulas = check_extent(path, sheet, part) if part else False
        try:
            data = wb.get_sheet_by_name(sheet)
            rows = [list(r) for r in data.to_python()]
        except Exception as exc:
            raise InputError(f"{name}:{sheet} 工作表無法讀取（{type(exc).__name__}）", name) from None
        top, left = data.start if rows else (0, 0)
        if formulas:
            _mark_uncached(path, part, rows, top, left)
        ref, totals = _first_table(path, part) if part else (None, 0)
        grids[canonical] = table_grid(sheet, rows, top + 1, left + 1, name, ref, totals)
    return grids


_CELL = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,3})(\d{1,7})"[^>]*?(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]", re.S)


def _mark_uncached(path: Path, part: str, rows: list[list[object]], top: int, left: int) -> None:
    """Replace each formula cell without a cached value (calamine reads it as empty) by ``printed.Uncached``."""
    from html import unescape

    from .inputs import _column_number
    from .printed import Uncached

    with zipfile.ZipFile(path) as z:
        xml = z.read(part)
    for m in _CELL.finditer(xml):
        inner = m.group(3) or b""
        f = _FORMULA.search(inner)
        if f is None or _VALUE.search(inner):
            continue
        r = int(m.group(2)) - 1 - top
        c = _column_number(m.group(1).decode()) - 1 - left
        if r < 0 or c < 0:
            continue
        while len(rows) <= r:
            rows.append([])
        while len(rows[r]) <= c:
            rows[r].append("")
        text = unescape((f.group(1) or b"").decode("utf-8", "replace"))
        rows[r][c] = Uncached("=" + text if text else f"（{column_letter(c + left + 1)}{r + top + 1} 的共用公式）")


def _first_table(path: Path, part: str) -> tuple[str | None, int]:
    """(A1 range, totals row count) of the first Excel Table on a sheet part, from its table definition."""
    from xml.etree.ElementTree import fromstring  # our own small parts, after check_zip refused any DTD

    folder, file = posixpath.split(part)
    rels_name = f"{folder}/_rels/{file}.rels"
    with zipfile.ZipFile(path) as z:
        if rels_name not in z.namelist():
            return None, 0
        for rel in fromstring(z.read(rels_name)):
            if not rel.get("Type", "").endswith("/table"):
                continue
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            try:
                table = fromstring(z.read(target))
            except KeyError:
                return None, 0
            return table.get("ref"), int(table.get("totalsRowCount") or 0)
    return None, 0


def _read_grids_openpyxl(path: Path, parts: dict[str, str]) -> dict[str, Grid]:
    """The same grids through openpyxl (cached values) where calamine is not installed."""
    from .xlsxfile import input_grids, open_workbook

    wb = open_workbook(path)
    for sheet in input_sheet_names(wb.sheetnames).values():
        if sheet in parts:
            check_extent(path, sheet, parts[sheet])
    grids = input_grids(wb, path.name, open_workbook(path, data_only=True))
    for grid in grids.values():  # empty cells as calamine gives them
        for row in grid.rows:
            row[:] = ["" if v is None else v for v in row]
    return grids
