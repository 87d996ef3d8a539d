"""What every check shares: the finding helpers, and sums over the rows of a printed table.

A printed figure is read as ``val(row, key)`` (0 when absent), its cell as
``cell_of(row, key)``; ``sum_finding`` judges one total against its parts
(尾差 allowed in 千元 tables) and ``tree_sums`` every level of a table against
the level beneath it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Callable, Iterable

from xlbudget.core import codes
from xlbudget.core.amounts import format_figure, shown_whitespace, to_thousands
from xlbudget.core.findings import Finding, make_finding, rows_named
from xlbudget.core.model import BudgetBook, CellRef, cell_position
from xlbudget.core.patterns import lazy
from xlbudget.forms.inputs import INPUT_SHEETS, SHEET_AGENCY

# annotations only: a template book's checks (build, convert) never import the printed-table readers
if TYPE_CHECKING:
    from xlbudget.readers.printed_model import Figure, PrintedRow, PrintedTable

PrintedCheck = Callable[[list], Iterable[Finding]]


def finding(rule: str, cell: CellRef | None, expected=None, actual=None, related=(), **fields) -> Finding:
    """make_finding with the {exp}/{act} fields every check template uses."""
    return make_finding(rule, cell, expected=expected, actual=actual, related=tuple(related),
                        exp=format_figure(expected), act=format_figure(actual), **fields)


def unverifiable(figure: Figure, table: str = "") -> Finding:
    """A figure the checks could not read; a typo (commas misplaced, 「2,32,026」; two figures in one cell,
    「29\n100」) is an error at its cell, as in the input sheets, never a figure to skip quietly."""
    from xlbudget.readers.printed_model import TYPOS

    rule = next((rule for rule, problem in TYPOS.items() if problem == figure.problem), None)
    if rule:
        return finding(rule, figure.cell, actual=str(figure.raw), column=table or "此數字",
                       typed=shown_whitespace(str(figure.raw)))
    return finding("figure-unverifiable", figure.cell, actual=None, raw=str(figure.raw), reason=figure.problem)


def uncached_texts(grid, named: set, narrative: bool = False) -> list[Finding]:
    """Each formula of a hand-made book's sheet with no cached value that no figure's finding names (``named``:
    the cells already named): a 預算總說明 sentence, a label, a 說明 is never passed over as blank. Unverifiable at
    its cell, as an uncalculated printed figure is (``unverifiable``), saying what was not read."""
    from xlbudget.readers.grid import Uncached
    from xlbudget.readers.printed_model import UNCACHED

    what = "總說明此格的文字未讀取，其中的數字未與預算表對照" if narrative else "此格的文字未讀取"
    return [finding("figure-unverifiable", cell, actual=None, raw=str(v), reason=f"{UNCACHED}，{what}")
            for r, row in enumerate(grid.rows) if Uncached in set(map(type, row))  # a row without one: one C pass
            for c, v in enumerate(row) if isinstance(v, Uncached) and (cell := grid.ref(r, c)) not in named]


_AMOUNT_IN_HEADING = lazy(r"預算金額[：:]?\s*([\d,，]+)\s*千元")

_FUNDING = lazy(r"(市款|收支併列)\s*([\d,，]+)\s*元")


def funding_parts(text: object) -> dict[str, int] | None:
    """'市款175,007,000元，收支併列57,019,000元' → {'市款': …, '收支併列': …}; None when no such note."""
    parts = {k: int(v.replace(",", "").replace("，", "")) for k, v in _FUNDING.findall(str(text or ""))}
    return parts or None


def heading_amount(text: object) -> int | None:
    m = _AMOUNT_IN_HEADING.search(str(text or ""))
    return int(m.group(1).replace(",", "").replace("，", "")) if m else None


def table_titled(tables, title: str) -> PrintedTable | None:
    return next((t for t in tables if t.title == title), None)


def val(row: PrintedRow, key: str) -> int:
    fig = row.figures.get(key)
    return fig.value or 0 if fig is not None else 0


def readable(rows_keys) -> bool:
    return all(r.figures[k].readable for r, k in rows_keys if k in r.figures)


def cell_of(row: PrintedRow, key: str) -> CellRef | None:
    fig = row.figures.get(key)
    return fig.cell if fig is not None else None


def blank_cell(table: PrintedTable, row: PrintedRow, key: str, by_heading: bool = False) -> CellRef | None:
    """The cell a row leaves blank under ``key``: that column (as another row of its sheet prints it; with
    ``by_heading``, else as its heading does: a 比較 column left blank on every row) on its row; else its label."""
    label = row.label_cell
    other = next((r.figures[key].cell for r in table.rows if key in r.figures and label is not None
                  and r.figures[key].cell.sheet == label.sheet), None)
    if other is None and by_heading and label is not None:
        other = next((cell for text, cell in dict(table.header_cells).get(key, ()) if cell.sheet == label.sheet), None)
    if other is None:
        return label
    return replace(label, cell=re.match(r"[A-Z]+", other.cell).group() + str(cell_position(label.cell)[0]))


def sum_finding(table: PrintedTable, total: PrintedRow, key: str, parts: list[tuple[PrintedRow, str]],
                 column: str = "", exact: bool = False, label: str = "", rule: str = "subtotal-mismatch"
                 ) -> Finding | None:
    """total[key] = Σ parts; in a 千元 table a difference of up to half a 千元 per part not printed 0 is 尾差."""
    if not readable([(total, key), *parts]):
        return None
    present = [(r, k) for r, k in parts if k in r.figures]
    if key not in total.figures and not present:
        return None
    expected = sum(val(r, k) for r, k in present)
    actual = val(total, key)
    diff = actual - expected
    if diff == 0:
        return None
    cell = cell_of(total, key) or total.label_cell
    related = tuple(r.figures[k].cell for r, k in present)
    label = label or total.label or "合計"
    # 尾差 comes of each part rounded from its own 元: a part printed 0 (「-」) carries none, so a total equal to its
    # only other part has no 尾差 at all (a +1 there is a slip)
    rounded = sum(1 for r, k in present if val(r, k))
    if table.unit == "千元" and not exact and 2 * abs(diff) <= rounded:
        return finding("rounding-difference", cell, expected, actual, related, label=label, column=column,
                       diff=f"{abs(diff):,}")
    return finding(rule, cell, expected, actual, related, label=label, column=column,
                   rows=rows_named(related, cell.sheet) if cell else "")


def row_not_printed(table: PrintedTable, total: PrintedRow, found: list[Finding], whole: str,
                    parts: Iterable[str]) -> list[Finding]:
    """``found``, the sums of ``total``'s columns (subtotal-mismatch, rounding-difference) against the rows printed
    under it, or in their stead one ``table-row-missing`` at its label when they are what one row left out would
    make (a sub-heading or a class deleted by hand, revw): the total over its rows in two columns or more, by
    amounts that are themselves a row (over in ``whole``, its own 合計 column, by the sum of what it is over in
    ``parts``). Each «應為» would be the sum of the rows left: a right total blamed in every column."""
    over = {f.cell: f.actual - f.expected for f in found if f.rule in ("subtotal-mismatch", "rounding-difference")
            and f.expected is not None and f.actual is not None}
    if len(over) < 2 or len(over) != len(found) or any(d < 0 for d in over.values()):
        return found
    by_key = {k: over.get(cell_of(total, k)) or 0 for k in total.figures}
    if not by_key.get(whole) or by_key[whole] != sum(by_key.get(k) or 0 for k in parts):
        return found
    shown = "、".join(f"{k.split('/')[-1]} {d:,}" for k, d in by_key.items() if d)
    return [finding("table-row-missing", total.label_cell or found[0].cell, None, None,
                    tuple(f.cell for f in found), table=table.title, label=total.label or "合計", figures=shown)]


def direct_children(levels: list[float], i: int, direct: bool = False) -> list[int]:
    """The rows a total at ``i`` adds up (indexes into ``levels``, one level per row, 0 the top): those after it,
    before the next row at its level or above, at the shallowest level below its own (a skipped level is no gap).
    With ``direct``, the rows it directly holds, whatever their level: each no deeper than the part before it."""
    children, child_level = [], None
    for j in range(i + 1, len(levels)):
        lv = levels[j]
        if lv <= levels[i]:
            break
        if direct:
            if child_level is None or lv <= child_level:
                children.append(j)  # shallower than or level with the last part: a part of its own
                child_level = lv
            continue
        if child_level is None or lv < child_level:
            child_level, children = lv, []
        if lv == child_level:
            children.append(j)
    return children


def tree_sums(table: PrintedTable, rows: list[PrintedRow], level: Callable[[PrintedRow], float | None],
               keys: Iterable[str], name: Callable[[PrintedRow], str] | None = None,
               direct: bool = False, identity: tuple[str, list[str]] | None = None,
               children_of: Callable[[list[PrintedRow]], dict[int, list[int]]] | None = None) -> list[Finding]:
    """Each row whose level is L equals the sum of the rows of the next deeper level beneath it (``name`` names a
    row printed without a label, such as a 計畫項目).

    With ``direct``, a row's parts are the rows it directly holds, whatever their level: a 分支計畫 holding 一級 lines
    of its own and then 計畫項目 (臺北 116 04其他設備: 3000 7,979,200 + 587,040 + 1,001,760 = 9,568,000).
    ``identity``: (a row's own 合計 column, the columns it adds up): a total over its parts by a whole row's figures
    is said to lack a row (row_not_printed), not blamed column by column. ``children_of``: the parts of each row
    (indexes into the levelled rows), where the table tells them otherwise than by position (plan codes)."""
    found = []
    levelled = [(r, level(r)) for r in rows]
    levelled = [(r, lv) for r, lv in levelled if lv is not None]
    levels = [lv for _, lv in levelled]
    given = children_of([r for r, _ in levelled]) if children_of else None
    for i, (row, lv) in enumerate(levelled):
        children = [levelled[j][0] for j in (given.get(i, []) if given is not None
                                             else direct_children(levels, i, direct))]
        if not children:
            continue
        sums = []
        for key in keys:
            f = sum_finding(table, row, key, [(c, key) for c in children], column_name(key),
                            label=name(row) if name else "")
            if f:
                sums.append(f)
        found += row_not_printed(table, row, sums, *identity) if identity and sums else sums
    return found


def confirmed_parts(rows: list[PrintedRow], level: Callable[[PrintedRow], float | None], key: str,
                    direct: bool = False) -> dict[int, list[PrintedRow]]:
    """The rows (by ``id``) whose ``key`` figure a total adds up exactly, and that total its own, and so on to the
    top (``tree_sums``'s totals, each holding), each to those totals, nearest first: a 明細表 item's 預算數 in its
    科目, its 科目 in its 一級, … in its plan's 合計 (field report 13 §F1). A total that does not hold confirms nothing
    under it, even where its parts add up to it (an item and its 科目 both typed 1,000 high)."""
    levelled = [(r, lv) for r in rows if (lv := level(r)) is not None]
    levels = [lv for _, lv in levelled]
    parent: dict[int, tuple[PrintedRow, bool]] = {}
    for i, (row, _) in enumerate(levelled):
        children = [levelled[j][0] for j in direct_children(levels, i, direct)]
        holds = bool(children) and key in row.figures and readable([(row, key)] + [(c, key) for c in children]) \
            and sum(val(c, key) for c in children) == val(row, key)
        parent.update({id(c): (row, holds) for c in children})
    found = {}
    for row, _ in levelled:
        chain, above = [], parent.get(id(row))
        while above is not None and above[1]:
            chain.append(above[0])
            above = parent.get(id(above[0]))
        if chain and above is None:  # every total above it holds, to the top
            found[id(row)] = chain
    return found


# a row printed as a total under the rows it closes: 小計, 本科目合計, 業務費小計, 總計 (what it totals, the word)
_TOTAL_LABEL = lazy(r"^(.*?)(總合計|小計|合計|總計)(?:[:：(（].*)?$")


def total_word(row: PrintedRow) -> tuple[str, str] | None:
    """(what the row totals, 小計 / 合計 / 總計) when its label prints a total word and no code; else None."""
    m = _TOTAL_LABEL.match(row.label) if not row.code else None
    return (m.group(1), m.group(2)) if m else None


def _opens_lines(levels: list[float | None], i: int) -> bool:
    """Whether the row at ``i`` has lines below it, deeper than itself, before the next row at its level or above."""
    for lv in levels[i + 1:]:
        if lv is not None:
            return lv > levels[i]
    return False


def closing_totals(table: PrintedTable, rows: list[PrintedRow], level: Callable[[PrintedRow], float | None],
                   keys: Iterable[str], grand: list[PrintedRow] | None = None, direct: bool = False
                   ) -> tuple[list[PrintedRow], list[Finding]]:
    """The rows an officer adds under the rows they total, split off and checked (totals-row-mismatch; 尾差 in
    千元 tables is rounding-difference): (the other rows, for tree_sums; the findings).

    A 小計 (or 本科目合計) totals the lines at the level of the line above it, since their parent or the last
    such total; 「業務費小計」 the lines under the row named 業務費; a 總計, or a 合計 below other lines, the whole:
    the leading 合計 rows in ``grand`` when given, else the shallowest lines. A total row the table's ``level``
    places is left to tree_sums when it opens the table (合計, and 經常門合計 under it in 歲入來源別預算表) or the
    lines below it (a page that repeats 合計 above its lines). One that finds no line to total is said so
    (totals-row-unchecked), never passed silently."""
    kept, found = [], []
    levelled: list[tuple[PrintedRow, float]] = []
    last_close = 0  # index into levelled where the next 小計's lines start
    row_levels = [level(row) for row in rows]
    for i, row in enumerate(rows):
        lv, word = row_levels[i], total_word(row)
        if word is None or (lv is not None and (all(other <= 0 for _, other in levelled)
                                                or _opens_lines(row_levels, i))):
            kept.append(row)
            if lv is not None:
                levelled.append((row, lv))
            continue
        prefix, w = word
        levels = [lv for _, lv in levelled]
        named = next((i for i in range(len(levelled) - 1, -1, -1) if prefix and levelled[i][0].name == prefix), None)
        if w in ("總計", "總合計") or (w == "合計" and not prefix):
            top = min((lv for lv in levels if lv > 0), default=None)
            parts = grand if grand else [r for r, lv in levelled if lv == top]
        elif named is not None:
            parts = [levelled[j][0] for j in direct_children(levels, named, direct)]
        elif levelled:
            parts = _closed_lines(table, row, levelled, levels, last_close, keys)
        else:
            parts = []
        last_close = len(levelled)
        if not parts:
            reason = (f"「{prefix}」列之下沒有可加總的列" if named is not None else
                      "其上沒有任何有科目編號的列可加總" if not any(lv > 0 for lv in levels) else
                      "其上的列已由前一個小計／合計列加總")
            found.append(finding("totals-row-unchecked", row.label_cell, table=table.title, label=row.label,
                                 reason=reason))
            continue
        for key in keys:
            f = sum_finding(table, row, key, [(p, key) for p in parts], column_name(key), label=row.label,
                            rule="totals-row-mismatch")
            if f:
                found.append(f)
    return kept, found


def _closed_lines(table: PrintedTable, total: PrintedRow, levelled: list[tuple[PrintedRow, float]],
                  levels: list[float], last_close: int, keys: Iterable[str]) -> list[PrintedRow]:
    """The lines a 小計 under ``levelled`` totals: those at the level of the line above it, since their parent or
    the last such total; else, when they do not add up to it and the lines of a shallower level above them do
    (since their own parent), those: a 小計 typed under a 明細表's 人事費 after its last 二級's items totals its
    二級 lines (42,978,000), not that 二級's items (field report 18 §2.6: a right 小計 was blamed). A 小計 that
    none adds up to is held to the lines indented as it is, if any."""
    candidates, end = [], len(levels)
    while end:
        at = levels[end - 1]
        parent = next((i for i in range(end - 2, -1, -1) if levels[i] < at), -1)
        start = max(parent + 1, last_close) if not candidates else parent + 1
        candidates.append([r for r, lv in levelled[start:] if lv == at])
        end = parent + 1
    for parts in candidates:
        if parts and not any(f.rule != "rounding-difference" for key in keys
                             if (f := sum_finding(table, total, key, [(p, key) for p in parts]))):
            return parts
    # none adds up: the lines indented as the 小計 is (「　　小計」 under 二級 lines typed 「　　1015…」), else as before
    return next((parts for parts in candidates if total.indent and parts and parts[0].label
                 and parts[0].indent == total.indent), candidates[0])


def column_name(key: str) -> str:
    return f"「{key}」欄" if key and not key.isdigit() else (f"{key} 欄" if key else "")


def amount_keys(table: PrintedTable) -> list[str]:
    return list(dict.fromkeys(k for r in table.rows for k in r.figures))


def in_unit(value: int, unit: str, target: str) -> int:
    """A figure of a table in ``unit`` as a table in ``target`` prints it (元 → 千元 rounds half away from zero)."""
    return to_thousands(value) if (unit, target) == ("元", "千元") else value


def object_name(code: str) -> str:
    entry = codes.object_codes().get(code)
    return entry.name if entry else code


def is_total(row: PrintedRow) -> bool:
    return row.label.startswith(("合計", "總計"))


# the sheets every template book has (xlbudget new); the others are 臺北/臺中 layouts' or optional
_CORE_SHEETS = frozenset(INPUT_SHEETS[:10])


def whole_book(book: BudgetBook) -> bool:
    """A template book read whole (readers.inputs.read_book) with most of the template's ten core sheets, as opposed
    to XLB_CHECK's 歲出明細 range, a book built in code, or a book of a few sheets: only a whole book is held to the
    sheets its lines need (人事費 for 1000 lines, 出國計畫 for 2078, 說明提要 for every plan), deleted or emptied
    alike (one sheet deleted leaves nine of ten)."""
    return SHEET_AGENCY in book.sheets and 2 * len(book.sheets & _CORE_SHEETS) > len(_CORE_SHEETS)
