"""Next year's book printed and typed as this year's (新年度): the officer's column widths, page setup and drop-down
lists (data validation) of his input sheets carried onto next year's book (our template refilled with the values,
app.template.fill_template) where he set them, the template's where he did not.

Columns and rows are followed by what they hold: a column by its header (next year's sheet puts the template's
columns first, then his), a 基本資料 cell by its 項目 (next year's 基本資料 holds his rows, in his order). A list whose
choices are on a sheet next year's book does not have (his own sheets are not carried), or in a name of his, cannot
go with it: each such list is named.
"""

from __future__ import annotations

from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.worksheet.page import PageMargins

from xlbudget.app.template import CODES_SHEET
from xlbudget.core.keys import compact_key, header_key
from xlbudget.forms.inputs import SHEET_AGENCY
from xlbudget.readers.grid import Grid

_HEADER_ROWS = 10  # a header is in the top rows of a sheet, as the reader finds it
_PAGE_PARTS = ("orientation", "paperSize", "scale", "fitToWidth", "fitToHeight")


def carry_looks(source, grids: dict[str, Grid], new) -> list[str]:
    """Give next year's workbook ``new`` (openpyxl) what the officer set on his input sheets of ``source`` (the
    workbook ``grids`` were read from): column widths, page setup, drop-down lists. Returns the lists not carried
    («歲出明細!M2:M500（來源 =清單!$A$1:$A$9）»), and a sheet whose settings could not be read, for the line naming
    what next year's book lacks."""
    lost: list[str] = []
    for name, grid in grids.items():
        if name not in new.sheetnames or grid.sheet not in source.sheetnames:
            continue
        mine, theirs = source[grid.sheet], new[name]
        try:
            if name == SHEET_AGENCY:
                columns, rows, header = {c: c for c in (1, 2)}, _agency_rows(mine, theirs), None
            else:
                header, columns = _columns(mine, grid, theirs)
                rows = None
            _carry_widths(mine, theirs, columns)
            _carry_page(mine, theirs)
            lost += _carry_lists(mine, theirs, columns, rows, header, set(new.sheetnames) | set(new.defined_names))
        except (TypeError, ValueError, AttributeError, KeyError):  # a setting openpyxl read oddly: said, never a stop
            lost.append(f"{mine.title} 的欄寬、版面設定或下拉清單（無法讀取，新年度依範本）")
    return lost


def _columns(mine, grid: Grid, theirs) -> tuple[int | None, dict[int, int]]:
    """(his header row, {his column: next year's column}) by the headers' words."""
    return column_map(grid, [c.value for c in theirs[1]])


def column_map(grid: Grid, header: list[object]) -> tuple[int | None, dict[int, int]]:
    """(the sheet row of ``grid``'s header, {its sheet column: the column of next year's ``header`` (row 1) headed
    alike}): which of his columns each of next year's is, as next-year placed them (the template's, then his)."""
    wanted = {header_key(v)[0]: c for c, v in enumerate(header, start=1) if v not in (None, "")}
    best, found = None, {}
    for r, row in enumerate(grid.rows[:_HEADER_ROWS]):
        # a header typed with its unit (「單價(元)」) is the column next-year placed as 單價 (nextyear._col: header_key)
        cells = {grid.left + c: wanted[header_key(v)[0]] for c, v in enumerate(row)
                 if v not in (None, "") and header_key(v)[0] in wanted}
        if len(cells) > len(found):
            best, found = grid.top + r, cells
    return best, found


def template_looks(new) -> tuple[list[list[object]], dict[str, tuple[dict[int, float], list[tuple]]]]:
    """What next year's book made from the template (``new``, fill_template's, its 基本資料 lists on their 項目's
    rows, fill_template's) gives each sheet, for the 新年度 button to give its new book: (代碼表's rows, {sheet: ({column: width},
    [(cells, list source, error style or None: no error shown, error text, prompt)])})."""
    codes = [list(row) for row in new[CODES_SHEET].iter_rows(values_only=True)] if CODES_SHEET in new.sheetnames else []
    looks = {}
    for ws in new.worksheets:
        widths = {c: dim.width for dim in ws.column_dimensions.values() if dim.customWidth and dim.width
                  for c in _dim_columns(dim)}
        lists = [(str(dv.sqref), dv.formula1, dv.errorStyle if dv.showErrorMessage else None, dv.error, dv.prompt)
                 for dv in ws.data_validations.dataValidation]
        looks[ws.title] = (widths, lists)
    return codes, looks


def _agency_rows(mine, theirs) -> dict[int, int]:
    """基本資料: {his row: next year's row} by 項目."""
    at = {compact_key(c.value): c.row for c in theirs["A"][1:] if c.value not in (None, "")}
    return {c.row: at[compact_key(c.value)] for c in mine["A"] if c.value not in (None, "") and compact_key(c.value) in at}


def _carry_widths(mine, theirs, columns: dict[int, int]) -> None:
    for dim in list(mine.column_dimensions.values()):
        if not dim.customWidth or not dim.width:
            continue
        for c in _dim_columns(dim):
            if c in columns:
                theirs.column_dimensions[get_column_letter(columns[c])].width = dim.width


def _dim_columns(dim) -> range:
    """The columns a column dimension covers: min…max as read from a file, its letter's column as made in memory."""
    first = dim.min or column_index_from_string(dim.index)
    return range(first, (dim.max or first) + 1)


def _carry_page(mine, theirs) -> None:
    """His page setup where he set it: orientation, paper, scale or fit to pages, margins, centring, header and
    footer (his page numbers); the template's (landscape A4 fitted to the width, header row repeated) else."""
    for part in _PAGE_PARTS:
        value = getattr(mine.page_setup, part)
        if value is not None:
            setattr(theirs.page_setup, part, value)
    fit = mine.sheet_properties.pageSetUpPr
    if fit is not None and fit.fitToPage is not None:
        theirs.sheet_properties.pageSetUpPr.fitToPage = fit.fitToPage
    if _margins(mine.page_margins) != _margins(PageMargins()):
        theirs.page_margins = PageMargins(*_margins(mine.page_margins))
    for part in ("horizontalCentered", "verticalCentered", "gridLines"):
        if getattr(mine.print_options, part):
            setattr(theirs.print_options, part, True)
    for part in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"):
        if getattr(mine, part):
            setattr(theirs, part, getattr(mine, part))


def _margins(m: PageMargins) -> tuple:
    return m.left, m.right, m.top, m.bottom, m.header, m.footer


def _carry_lists(mine, theirs, columns: dict[int, int], rows: dict[int, int] | None, header: int | None,
                 present: set[str]) -> list[str]:
    """His drop-down lists on next year's sheet: a list down a column from below its header goes down that column
    (rows 2…, as far as it went), a 基本資料 list on its 項目's row (``rows``); a column the template already gives a
    list keeps the template's (用途別科目 from this version's codes), and a list of the template's, where his book
    has it, is the template's: placed where the template places it. A list whose choices are on a sheet or in a name
    next year's book lacks is not carried: named in the returned lines."""
    listed = {c for dv in theirs.data_validations.dataValidation for rng in dv.sqref.ranges
              for c in range(rng.min_col, rng.max_col + 1)} if rows is None else set()
    templates = {dv.formula1 for dv in theirs.data_validations.dataValidation}
    lost = []
    for dv in mine.data_validations.dataValidation:
        if dv.formula1 in templates:  # the template's list (his book was made from it): placed as the template does
            continue
        cells = []
        for rng in dv.sqref.ranges:
            for c in range(rng.min_col, rng.max_col + 1):
                if c not in columns or columns[c] in listed:
                    continue
                to = get_column_letter(columns[c])
                if rows is not None:  # 基本資料: by 項目
                    cells += [f"{to}{rows[r]}" for r in range(rng.min_row, rng.max_row + 1) if r in rows]
                elif header is not None and rng.max_row > header:
                    cells.append(f"{to}2:{to}{max(rng.max_row - header + 1, 2)}")
        if not cells:
            continue
        if not _source_present(dv.formula1, present):
            lost.append(f"{mine.title}!{dv.sqref}（來源 ={(dv.formula1 or '').lstrip('=')}）")
            continue
        copied = type(dv)(type=dv.type, operator=dv.operator, formula1=dv.formula1, formula2=dv.formula2,
                          allow_blank=dv.allow_blank, showErrorMessage=dv.showErrorMessage,
                          showInputMessage=dv.showInputMessage, errorStyle=dv.errorStyle, errorTitle=dv.errorTitle,
                          error=dv.error, promptTitle=dv.promptTitle, prompt=dv.prompt,
                          showDropDown=dv.showDropDown)
        copied.sqref = " ".join(cells)
        theirs.add_data_validation(copied)
    return lost


def _source_present(formula: str | None, present: set[str]) -> bool:
    """Whether a list's source is in next year's book: its choices typed in («"現有,新增"»), a range of one of its
    sheets, or one of its names; a range of a sheet it lacks, or a name of his, is not."""
    text = (formula or "").lstrip("=").strip()
    if not text or text.startswith('"'):
        return True
    if "!" in text:
        sheet = text.rsplit("!", 1)[0].strip("'").replace("''", "'")
        return sheet in present
    try:  # a range of the same sheet (B2:B9): his sheet's, carried with it
        range_boundaries(text.replace("$", ""))
        return True
    except ValueError:
        return text in present  # a name
