"""The officer's formulas in next year's book (新年度的公式): kept where next-year can keep them honestly.

next-year carries each input sheet's lines as the draft (``nextyear.next_year``, on values). A formula of this
year's input sheets — 預算數 =F2*G2, =數量*單價 by cell, a SUM — goes on as a formula where every cell it refers to
is on its own sheet and carried: its own line's cells, or another line's that next-year copies unchanged (or that
--clear-amounts empties: the formula then gives 0, not a stale figure). Its references follow the cells (a line
that moved up because a blank line above it was dropped is referred to where it now is); where nothing moved, the
formula is written exactly as it was. A formula next-year cannot keep so — it refers to another sheet (以前年度, a
table sheet), to a name, to a cell next-year rewrites (年度, 上年度預算員額, a 分年資金需求 year) or drops, or its
result depends on where it stands or when it is calculated (INDIRECT, OFFSET, TODAY…) — is carried as its value
and named with its cell (or, where --clear-amounts empties its column, emptied and named).

A formula kept gets its last calculated value written beside it only when that is exactly what Excel will
compute: every cell it refers to holds what it held (nothing emptied, a formula it refers to kept exactly too) in a
book calculated automatically. Else it is left without one, which check and build name (formula-without-value),
never read as 0.
"""

from __future__ import annotations


from xlbudget.core.formulas import Formula
from xlbudget.core.model import CellRef, column_number
from xlbudget.core.patterns import lazy
from xlbudget.readers.grid import Grid, column_letter, is_uncached

# functions whose result depends on where the formula stands or on when it is calculated, not on the cells it names
_PLACED = frozenset({"INDIRECT", "OFFSET", "TODAY", "NOW", "RAND", "RANDBETWEEN", "RANDARRAY", "CELL", "INFO", "ROW",
                     "COLUMN", "ROWS", "COLUMNS", "FORMULATEXT", "SHEET", "SHEETS", "ADDRESS"})
_CELL = lazy(r"^(\$?)([A-Z]{1,3})(\$?)(\d{1,7})$")
_RANGE_CELLS = 100_000  # a range larger than this (a whole column) is not followed cell by cell


class _Fails(Exception):
    """A formula next-year cannot keep as a formula."""


def carry_formulas(plan, grids: dict[str, Grid], formulas: dict[str, dict[tuple[int, int], object]],
                   exact: bool = True):
    """``plan``'s sheets (nextyear.NextYear) with this year's ``formulas`` ({input sheet: {(sheet row, column):
    formula}}, the cells of ``grids``' sheets) put back where next-year can keep them, as (sheets, cached, valued,
    emptied, uncached, kept, rewritten): cached {sheet: {"H2": value}} for the formulas kept whose value is exactly
    what Excel will compute (none unless ``exact``: a book set to manual calculation saved results that may be
    stale), and the cells of next year's book (CellRef, with the formula) of the formulas carried as their value, of
    those --clear-amounts emptied, of those kept without a value, of those kept, and of those in a cell next-year
    writes anew (its figure next-year's: 分年資金需求's amounts rolled a year on, 上年度預算員額, 年度; 以前年度, made
    anew from this year's book, by this year's cell)."""
    from xlbudget.app.template import fill_plan

    sheets = dict(plan.sheets)
    cached: dict[str, dict[str, object]] = {}
    valued, emptied, uncached, kept, rewritten = [], [], [], [], []
    placed = fill_plan({name: Grid(name, rows) for name, rows in sheets.items() if name in formulas})
    for name, by_cell in formulas.items():
        if by_cell and name in sheets and name not in (plan.origins or {}):  # 以前年度, made anew from the book
            rewritten += [(CellRef(name, f"{column_letter(c)}{r}"), formula)
                          for (r, c), formula in sorted(by_cell.items())]
            continue
        if not by_cell or name not in placed or name not in (plan.origins or {}):
            continue
        sheet = _Sheet(name, grids[name], sheets[name][1:], plan.origins[name], plan.changed[name],
                       plan.cleared[name], by_cell, placed[name])
        rows = [list(row) for row in sheets[name]]
        rewritten += [(sheet.cell(i, c), formula) for (i, c), formula in sheet.rewritten().items()]
        for (i, c), (formula, text) in sheet.results().items():
            where = sheet.cell(i, c)
            if text is None:
                (emptied if (i, c) in sheet.cleared else valued).append((where, formula))
                continue
            while len(rows[i + 1]) <= c:
                rows[i + 1].append(None)
            rows[i + 1][c] = Formula(text)
            kept.append((where, text))
            value = sheet.exact_value(i, c) if exact else None
            if value is None:
                uncached.append((where, text))
            else:
                cached.setdefault(name, {})[where.cell] = value
        sheets[name] = rows
    return sheets, cached, valued, emptied, uncached, kept, rewritten


class _Sheet:
    """One input sheet's formulas followed from this year's cells to next year's."""

    def __init__(self, name, grid, data, origins, changed, cleared, formulas, fill):
        self.name, self.grid, self.data = name, grid, data
        self.origins, self.changed, self.cleared, self.formulas = origins, changed, cleared, formulas
        rows = {id(row): r for r, row in fill.rows}
        self.row_of = [rows.get(id(row)) for row in data]  # each data row's sheet row in next year's book
        self.column_of = dict(fill.columns)  # data column → next year's column (a column with no header: none)
        self.first: dict[tuple[int, int], tuple[int, int]] = {}  # this year's cell → the data cell carrying it
        for i, s in enumerate(origins):
            if s is None:
                continue
            for c in range(len(grid.rows[s])):
                if (i, c) not in changed:
                    self.first.setdefault((grid.top + s, grid.left + c), (i, c))
        self.kept: dict[tuple[int, int], tuple[object, str | None, list]] = {}
        self._exact: dict[tuple[int, int], bool] = {}

    def results(self) -> dict[tuple[int, int], tuple[object, str | None]]:
        """{(data row, column): (this year's formula, next year's formula text or None: not kept)}, for every data
        cell carrying a formula cell of this year (a cell next-year writes anew is next-year's: left out)."""
        for i, s in enumerate(self.origins):
            if s is None:
                continue
            r = self.grid.top + s
            for c in range(len(self.grid.rows[s])):
                formula = self.formulas.get((r, self.grid.left + c))
                if formula is None or (i, c) in self.changed or self.row_of[i] is None or c not in self.column_of:
                    continue
                try:
                    text, refs = self._moved(formula, i, r)
                except _Fails:
                    text, refs = None, []
                self.kept[i, c] = (formula, text, refs)
        return {key: (formula, text) for key, (formula, text, _) in self.kept.items()}

    def rewritten(self) -> dict[tuple[int, int], object]:
        """{(data row, column): this year's formula} of the data cells next-year writes anew over a formula."""
        found = {}
        for i, s in enumerate(self.origins):
            if s is None or self.row_of[i] is None:
                continue
            for c in range(len(self.grid.rows[s])):
                formula = self.formulas.get((self.grid.top + s, self.grid.left + c))
                if formula is not None and (i, c) in self.changed and c in self.column_of:
                    found[i, c] = formula
        return found

    def cell(self, i: int, c: int) -> CellRef:
        """The CellRef in next year's book of data cell (i, c)."""
        return CellRef(self.name, f"{column_letter(self.column_of[c])}{self.row_of[i]}")

    def _moved(self, formula: object, i: int, r: int) -> tuple[str, list[tuple[int, int]]]:
        """``formula`` (on this year's sheet row ``r``) as it reads on data row ``i`` of next year's book, and the
        data cells it refers to; _Fails when it cannot be kept."""
        from openpyxl.formula.tokenizer import Token, Tokenizer

        if not isinstance(formula, str) or not formula.startswith("="):
            raise _Fails  # an array or data-table formula
        try:
            tokens = Tokenizer(formula).items
        except Exception:  # openpyxl's tokenizer refuses what it cannot parse: kept as its value
            raise _Fails from None
        refs: list[tuple[int, int]] = []
        parts = []
        for token in tokens:
            if token.type == Token.FUNC and token.subtype == Token.OPEN and token.value[:-1].upper().removeprefix("_XLFN.") \
                    in _PLACED:
                raise _Fails
            if token.type == Token.OPERAND and token.subtype == Token.RANGE:
                parts.append(self._reference(token.value, i, r, refs))
            else:
                parts.append(token.value)
        return "=" + "".join(parts), refs

    def _reference(self, text: str, i: int, r: int, refs: list) -> str:
        """A reference of a formula on this year's row ``r`` as it reads from data row ``i`` next year."""
        where, bang, ref = text.rpartition("!")
        if bang:
            sheet = where[1:-1].replace("''", "'") if where.startswith("'") and where.endswith("'") else where
            if sheet != self.grid.sheet:
                raise _Fails  # another sheet (以前年度, a table sheet), another book
            if sheet != self.name:  # this year's 「歲出明細 」 is next year's 歲出明細: the reference names it
                where = "'" + self.name.replace("'", "''") + "'"
        ends = ref.split(":")
        matches = [_CELL.match(end) for end in ends]
        if len(ends) > 2 or not all(matches):
            raise _Fails  # a name, a whole row or column, an error such as #REF!
        points = [(int(m[4]), column_number(m[2])) for m in matches]
        (r1, c1), (r2, c2) = min(points), max(points)
        if (r2 - r1 + 1) * (abs(points[0][1] - points[-1][1]) + 1) > _RANGE_CELLS:
            raise _Fails
        low, high = (min(p[1] for p in points)), (max(p[1] for p in points))
        corner = self._place(r1, low, i, r, refs)
        for row in range(r1, r2 + 1):
            for col in range(low, high + 1):
                at = self._place(row, col, i, r, refs)
                if at != (corner[0] + row - r1, corner[1] + col - low):
                    raise _Fails  # the range does not stay one block
        moved = []
        for m, (row, col) in zip(matches, points):
            new_row, new_col = corner[0] + row - r1, corner[1] + col - low
            moved.append(f"{m[1]}{column_letter(new_col)}{m[3]}{new_row}")
        return f"{where}{bang}{':'.join(moved)}"

    def _place(self, row: int, col: int, i: int, r: int, refs: list) -> tuple[int, int]:
        """Where this year's cell (``row``, ``col``) is in next year's book, seen from a formula on this year's row
        ``r`` carried to data row ``i`` (its own row's cells go with it: a 上年度 trip line's copy refers to itself)."""
        c = col - self.grid.left
        if row == r and c >= 0:
            at = (i, c)
        else:
            at = self.first.get((row, col))
        if at is None or at in self.changed or at[1] not in self.column_of or at[1] >= len(self.grid.rows[
                self.origins[at[0]]]) or self.row_of[at[0]] is None:
            raise _Fails  # not carried (above the header, a dropped line, a column next-year writes)
        refs.append(at)
        return self.row_of[at[0]], self.column_of[at[1]]

    def exact_value(self, i: int, c: int) -> object:
        """This year's value of the formula kept at data cell (i, c) when Excel computes that very value next year
        (every cell it refers to holds what it held), else None."""
        if not self._is_exact(i, c, set()):
            return None
        return self.grid.rows[self.origins[i]][c]

    def _is_exact(self, i: int, c: int, seen: set) -> bool:
        if (i, c) in self._exact:
            return self._exact[i, c]
        if (i, c) in seen:
            return False  # a circular reference: Excel's own business
        seen.add((i, c))
        _, text, refs = self.kept[i, c]
        value = self.grid.rows[self.origins[i]][c]
        exact = text is not None and value is not None and not is_uncached(value) \
            and (i, c) not in self.cleared
        for at in refs if exact else ():
            if at in self.cleared:
                exact = False  # emptied: the formula no longer gives this year's figure
            elif at in self.kept and self.kept[at][1] is not None:
                exact = self._is_exact(*at, seen)  # a formula kept: exact when it is (one carried as its value is)
            if not exact:
                break
        self._exact[i, c] = exact
        return exact


def formulas_line(valued, emptied, uncached, kept, rewritten=()) -> str:
    """What next-year did with the officer's formulas (carry_formulas' cells), in a line or three ('' when the
    input sheets hold none)."""
    lines = []
    if kept:
        lines.append(f"輸入工作表的公式 {len(kept)} 格已保留為公式（參照的儲存格隨細項移動時，公式跟著移動）。")
    for cells, what in ((valued, "參照其他工作表、名稱，或新年度改寫、未帶入的儲存格，無法照原樣保留，已改為計算結果（數值）"),
                        (emptied, "無法照原樣保留，其欄位依 --clear-amounts 已清空"),
                        (rewritten, "所在的儲存格由新年度改寫（以前年度整張重新產生、分年資金需求的金額移一年、上年度預算員額、年度等），"
                                    "公式未保留，已改為新年度的數值")):
        if cells:
            lines.append(f"以下公式 {len(cells)} 格{what}，請檢視：{_listed(cells)}")
    if uncached:
        first = "、".join(str(cell) for cell, _ in uncached[:5])
        lines.append(f"保留的公式 {len(uncached)} 格（{first}{'等' if len(uncached) > 5 else ''}）在新年度預算書中尚未計算："
                     "請以 Excel 或 LibreOffice 開啟、存檔後再產生報表或檢核。")
    return "\n".join(lines)


def shown_formula(formula: object) -> str:
    """A formula of this year's book as Excel shows it in the formula bar: an array formula in braces (openpyxl
    reads it as an ArrayFormula), a data table as {=TABLE(…)}."""
    if isinstance(formula, str):
        return formula
    text = getattr(formula, "text", None)
    if text is not None:
        return "{" + str(text) + "}"
    inputs = ",".join(str(getattr(formula, name, None) or "") for name in ("r1", "r2"))
    return "{=TABLE(" + inputs + ")}"


_ODF_REF = lazy(r"\[\$?('(?:[^']|'')*'|[^.\[\]]*)\.(\$?[A-Z]{1,3}\$?\d+)(?::\$?(?:'(?:[^']|'')*'|[^.\[\]]*)\.(\$?[A-Z]{1,3}\$?\d+))?\]")


def _odf_shown(formula: str) -> str:
    """An .ods formula as the officer sees it (LibreOffice's formula bar, Excel's syntax): «of:=[.F2]*[.G2]» is
    «=F2*G2», [$以前年度.C2:.C3] is 以前年度!C2:C3, an argument separator ; is a comma (outside a text)."""
    text = formula.removeprefix("of:")
    text = _ODF_REF.sub(lambda m: (f"{m[1]}!" if m[1] else "") + m[2] + (f":{m[3]}" if m[3] else ""), text)
    parts = text.split('"')
    return '"'.join(part.replace(";", ",") if k % 2 == 0 else part for k, part in enumerate(parts))


def ods_formulas_line(file: str, grids: dict[str, Grid], found: dict[str, dict[tuple[int, int], str]],
                      into: str = "新年度預算書中已改為計算結果（數值）（或依 --clear-amounts 清空）") -> str:
    """next-year (and build) of an .ods (read as its values) names the formulas of its input sheets
    (fastread.ods_extras' formula cells, 0-based, of ``grids``' sheets), which the book written gets as their values
    (``into`` says where: next year's book, or emptied where --clear-amounts empties their column; the .xlsx build
    wrote) ('' when there are none)."""
    cells = [(CellRef(grid.sheet, f"{column_letter(c + 1)}{r + 1}", file), _odf_shown(text))
             for grid in grids.values() for (r, c), text in sorted(found.get(grid.sheet, {}).items())]
    if not cells:
        return ""
    return f"{file} 輸入工作表的公式 {len(cells)} 格無法由 .ods 保留為公式，{into}，請檢視：{_listed(cells)}"


def _listed(cells) -> str:
    """(cell, formula) pairs as a line names them: the first 20 with their formulas (as shown), the rest by cell."""
    shown = "、".join(f"{cell}（{shown_formula(text)}）" for cell, text in cells[:20])
    rest = "、".join(str(cell) for cell, _ in cells[20:])
    return f"{shown}{'、' + rest if rest else ''}"
