"""Fast values-only reading of the input sheets with python-calamine (no styles, one pass)."""

from __future__ import annotations

from pathlib import Path

try:  # a Rust extension: not in Pyodide (xlwings Lite), where convert falls back to openpyxl
    from python_calamine import CalamineWorkbook
except ImportError:  # pragma: no cover - exercised by test_fastread_without_calamine
    CalamineWorkbook = None

from .errors import InputError
from .inputs import INPUT_SHEETS, Grid
from .safety import check_extent, check_zip, sheet_parts


def read_grids(path: str | Path) -> dict[str, Grid]:
    """Grids of the input sheets of ``path``, values only (formulas by their cached values).

    Caps are checked on the zip and on each input sheet's real extent before
    calamine materialises it.
    """
    path = Path(path)
    name = path.name
    check_zip(path)
    parts = sheet_parts(path)
    if CalamineWorkbook is None:
        return _read_grids_openpyxl(path, parts)
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken files
        raise InputError(f"{name} 無法以 Excel 活頁簿讀取（{type(exc).__name__}），檔案可能已損毀", name) from None
    grids = {}
    for sheet in INPUT_SHEETS:
        if sheet not in wb.sheet_names:
            continue
        if sheet in parts:
            check_extent(path, sheet, parts[sheet])
        try:
            data = wb.get_sheet_by_name(sheet)
            rows = data.to_python()
        except Exception as exc:
            raise InputError(f"{name}:{sheet} 工作表無法讀取（{type(exc).__name__}）", name) from None
        top, left = data.start if rows else (0, 0)
        grids[sheet] = Grid(sheet, [list(r) for r in rows], top + 1, left + 1, name)
    return grids


def _read_grids_openpyxl(path: Path, parts: dict[str, str]) -> dict[str, Grid]:
    """The same grids through openpyxl (read-only, cached values) where calamine is not installed."""
    from .xlsxfile import open_workbook

    wb = open_workbook(path, data_only=True)
    grids = {}
    for sheet in INPUT_SHEETS:
        if sheet in wb.sheetnames:
            if sheet in parts:
                check_extent(path, sheet, parts[sheet])
            rows = [["" if v is None else v for v in row] for row in wb[sheet].iter_rows(values_only=True)]
            grids[sheet] = Grid(sheet, rows, 1, 1, path.name)
    return grids
