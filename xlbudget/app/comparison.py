"""Year over year (比較): every figure that differs between two books, and the 歲出明細 lines that changed.

Pure. A book is reduced to ``BookFigures``: the tidy records of every table
(the ``export`` contract: {table, row_code, row_name, column, value, unit})
and its 歲出 line items. A template book gives them from its inputs
(``book.derive_all``); a hand-made book from its printed tables as the
checks read them (``printed.find_tables``). Compared with a hand-made book, a
template book is reduced as one (``printed_form``: its tables laid out as build
prints them and read back by the same reader), so both sides are the same
figures under the same keys. Two such reductions are compared figure by figure
and line by line; what cannot be compared (a figure that cannot be read, a
table or column only one side prints) is a note naming it, never a difference.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import field, replace
from decimal import Decimal
from pathlib import Path
from typing import Iterable, NamedTuple

from xlbudget.core.codes import PLAN_CODE_IN
from xlbudget.core.amounts import format_figure, format_quantity, to_thousands
from xlbudget.core.findings import Finding, Severity, make_finding
from xlbudget.core.keys import agency_key, branch_key, code_key, compact_key, normalize_key
from xlbudget.core.model import BudgetBook, CellRef
from xlbudget.core.patterns import lazy
from xlbudget.core.titles import DETAIL, STAFF_ANALYSIS, VEHICLES
from xlbudget.core.records import record

FIGURE_FIELDS = ("table", "row_code", "row_name", "old_row_name", "column", "old", "new", "change", "unit")
RENAME_FIELDS = ("table", "row_code", "old_name", "new_name")
RENUMBER_FIELDS = ("name", "old_code", "new_code")
LINE_FIELDS = ("status", "plan", "branch", "object_code", "old_object_code", "old_note", "note", "old_amount",
               "new_amount", "change", "fields", "old_cell", "new_cell", "old_plan", "old_branch")
ADDED, REMOVED, CHANGED, MOVED = "新增", "刪除", "變更", "移列"
# what a line is compared on once matched (工作計畫, 分支計畫, 用途別科目 and 說明 match it)
LINE_VALUES = (("unit", "單位"), ("quantity", "數量"), ("price", "單價"), ("amount", "預算數"), ("matched", "收支併列數"))


@record
class DetailLine:
    """One 歲出 line item, as entered (template) or as printed (明細表): its key and figures."""

    plan: str  # 工作計畫編號
    branch: str  # 分支計畫 (01行政業務) or ""
    object_code: str  # 二級用途別科目 (2018)
    note: str  # 說明
    unit: str = ""
    quantity: str = ""
    price: int | None = None
    amount: int | None = None
    matched: int | None = None  # None: not printed (a 明細表 prints no 收支併列數 per line)
    cell: CellRef | None = None  # where its 預算數 is
    unread: tuple[str, ...] = ()  # labels of LINE_VALUES printed but unreadable (#REF!): never compared
    typed_note: str = field(default="", compare=False)  # 說明 as typed or printed, as it is shown (set from note)
    # the old book's 分支計畫 as it printed it, where compare_books wrote the new book's in ``branch`` (_rebranch)
    was_branch: str = field(default="", compare=False)

    def __post_init__(self):
        # as typed, not as keyed: ２３ and 23, 「式 」 and 「式」 are the same line, not a change
        for name in ("unit", "quantity"):
            object.__setattr__(self, name, compact_key(getattr(self, name)))
        if not self.typed_note:
            object.__setattr__(self, "typed_note", str(self.note or "").strip())
        object.__setattr__(self, "note", normalize_key(self.note))

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What matches a line between two books: 工作計畫, 分支計畫 (by its number, a name may change), 用途別科目
        and 說明."""
        return (self.plan, _branch_number(self.branch), self.object_code, self.note)


@record
class BookFigures:
    """A book reduced to what is compared: table records in printed order, and 歲出 line items."""

    kind: str  # "template" / "printed": what the book is (a template book may be reduced as printed)
    records: tuple[dict, ...]  # a printed book's carry the figure's "cell"
    lines: tuple[DetailLine, ...]
    # figures printed but unreadable: {table, row_code, row_name, column, cell, raw, problem}
    unread: tuple[dict, ...] = ()
    unreadable_tables: tuple = ()  # printed_model.UnreadableTable: a title found, its table not read
    year: int | None = None  # 民國年度: a template book's 基本資料, a printed one's 中華民國N年度; None when not read
    agency: str = ""  # 機關名稱, as above (a printed book: the line over a table's title)
    agency_code: str = ""  # 機關編號 (a template book's; a printed book prints none)
    # a template book's 以前年度 lines: (科目編號, its 上年度預算數 cell), what its tables print as that row's 上年度
    prior_cells: tuple = ()


@record
class Note:
    """A finding about the comparison itself, with the table (and row, column) it concerns."""

    finding: Finding
    side: str  # "old" / "new" / "" (both)
    table: str
    row_code: str = ""
    row_name: str = ""
    column: str = ""


@record
class Comparison:
    """What differs: figure records (FIGURE_FIELDS), line records (LINE_FIELDS), rows renamed (RENAME_FIELDS),
    and the tables' order."""

    figures: tuple[dict, ...]
    lines: tuple[dict, ...]
    tables: tuple[str, ...]  # tables in printed order (new book's first)
    notes: tuple[Note, ...] = ()  # what was not compared (unverifiable), and how units were matched (info)
    renames: tuple[dict, ...] = ()  # rows of the same code under another name (更名)
    renumbered: tuple[dict, ...] = ()  # codes only one book has, of the same name (改編號, RENUMBER_FIELDS)

    @property
    def same(self) -> bool:
        """Whether the figures, lines, row names and codes compared are the same (see ``complete``)."""
        return not self.figures and not self.lines and not self.renames and not self.renumbered

    @property
    def complete(self) -> bool:
        """Whether every figure and line of both books was compared (no unverifiable note)."""
        return not any(n.finding.severity == Severity.UNVERIFIABLE for n in self.notes)

    def by_table(self) -> dict[str, list[dict]]:
        """Figure records grouped by table in printed order, largest change first within a table."""
        groups: dict[str, list[dict]] = {t: [] for t in self.tables}
        for r in self.figures:
            groups.setdefault(r["table"], []).append(r)
        return {t: sorted(rs, key=lambda r: -abs(r["change"] or 0)) for t, rs in groups.items() if rs}


# ---------------------------------------------------------------- reducing a book

def _template_lines(book: BudgetBook) -> tuple[DetailLine, ...]:
    """The 歲出明細 lines, their 數量 as the 明細表 prints it (1000 typed as a number is 1,000 there)."""
    return tuple(DetailLine(i.plan_code, i.branch, i.object_code, i.note, i.unit, format_quantity(i.quantity),
                            i.unit_price, i.amount, i.matched, i.cells.get("預算數")) for i in book.expenses)


def template_figures(book: BudgetBook) -> BookFigures:
    """A template book: records of every derived table, and its 歲出明細 items.

    A 人事費分析表 (one per 工作計畫, titled by the plan's name: 人事費分析表—行政管理) is keyed as a printed one is
    (printed_figures): table 人事費分析表, each row under the plan line the table prints (its subtitle), so a plan
    renamed is the same table, its rows paired on the line's code (``_code_key``), not all removed and added."""
    from xlbudget.derive.book import derive_all

    records = []
    for table in derive_all(book):
        if table.title.startswith(f"{STAFF_ANALYSIS}—") and table.subtitle:
            records += [r | {"table": STAFF_ANALYSIS, "row_code": f"{table.subtitle}/{r['row_code']}"}
                        for r in table.records()]
        else:
            records += table.records()
    return BookFigures("template", tuple(records), _template_lines(book), year=book.agency.year,
                       agency=book.agency.name, agency_code=book.agency.code, prior_cells=_prior_cells(book))


def _prior_cells(book: BudgetBook) -> tuple:
    """(科目編號, 上年度預算數 cell) of each 以前年度 line: where a template book's 上年度 of that row is typed."""
    return tuple((p.code, p.cells["上年度預算數"]) for p in book.prior if "上年度預算數" in p.cells)


def printed_form(book: BudgetBook) -> BookFigures:
    """A template book reduced as a hand-made one, to be compared with one: every derived table laid out as build
    prints it (forms.layout) and read back by the printed reader, so its figures are keyed as a hand-made book's
    (a book's own printed tables compare equal to it); its lines are still its 歲出明細 lines, at their cells."""
    from xlbudget.derive.book import derive_all
    from xlbudget.forms.layout import layout_table
    from xlbudget.readers.grid import Grid
    from xlbudget.readers.printed import find_tables
    from xlbudget.readers.printed_model import SheetGrid

    sheets = []
    for table in derive_all(book):
        layout = layout_table(table, book.agency)
        values = [list(row) for row in layout.values]
        for r1, c1, r2, c2 in layout.merges:  # as a saved sheet reads: a merged range holds its first cell's value
            for r in range(r1 - 1, r2):
                row = values[r]
                for c in range(c1 if r == r1 - 1 else c1 - 1, min(c2, len(row))):
                    row[c] = None
        sheets.append(SheetGrid(Grid(table.sheet_name, values), tuple(layout.merges)))
    printed = printed_figures(find_tables(sheets))
    records = tuple({k: v for k, v in r.items() if k != "cell"} for r in printed.records)  # in no sheet of the book
    return BookFigures("template", records, _template_lines(book), year=book.agency.year, agency=book.agency.name,
                       agency_code=book.agency.code, prior_cells=_prior_cells(book))


def printed_figures(tables, unreadable=()) -> BookFigures:
    """A hand-made book: records of its printed tables (readable figures only), and its 明細表 items.

    Rows are keyed like the derived tables: a 明細表 row by 工作計畫/分支計畫/科目
    (items by their 說明), a row of another table by its code, or its label
    when it has none, under the plan line it is printed beneath (人事費分析表).
    """
    from xlbudget.rules.common import total_word
    from xlbudget.rules.detail import PROJECT_LEVEL, detail_level, project_name

    records: list[dict] = []
    lines: list[DetailLine] = []
    unread: list[dict] = []
    for table in tables:
        branch, path, project = "", "", ""
        holds = _vehicles_held(table.rows) if table.title == VEHICLES else {}
        for n, row in enumerate(table.rows):
            code, name = row.code or row.label, row.name or row.label
            if table.title == DETAIL:
                level = detail_level(row)
                if level == 0:
                    branch, path, project = "", row.context, ""
                    code = f"{row.context}/合計"
                elif level == 1:
                    branch, project = f"{row.code}{row.name}", ""
                    code = path = f"{row.context}/{branch}"
                elif level == PROJECT_LEVEL:  # 臺北's 計畫項目, keyed as the derived 明細表 keys it
                    name = project_name(row)
                    project = f"{row.context}/{branch}/{name}" if branch else f"{row.context}/{name}"
                    code = path = project
                elif level in (2, 3):
                    base = project or (f"{row.context}/{branch}" if branch else row.context)
                    code = f"{base}/{row.code[:4]}"
                    if level == 3:
                        path = code
                if level == 4 or (level == 3 and ("單價" in row.figures or "數量" in row.texts)):
                    note = row.texts.get("說明", ("", None))[0]
                    code, name = path, note
                    lines.append(_printed_line(row, path, branch, note))
            elif row.context:
                code = f"{row.context}/{code}"
            word = total_word(row)  # 小計, 本科目合計, 總計…: maybe a total row the officer added (a bare 合計 is
            total = word is not None and (word[1] != "合計" or bool(word[0]))  # the table's or a plan's own)
            for key, fig in row.figures.items():
                if not fig.readable:
                    unread.append({"table": table.title, "row_code": code, "row_name": name, "column": key,
                                   "cell": fig.cell, "raw": fig.raw, "problem": fig.problem})
                elif fig.value is not None:
                    records.append({"table": table.title, "row_code": code, "row_name": name, "column": key,
                                    "value": fig.value, "unit": table.unit, "cell": fig.cell, "total": total,
                                    "holds": holds.get(n), "row": n})
    return BookFigures("printed", tuple(records), tuple(lines), tuple(unread), tuple(unreadable))


_VEHICLE_IDENTITY = ("種類", "購置", "排氣")  # the columns that tell a vehicle, not its year's costs


def _vehicles_held(rows) -> dict[int, tuple]:
    """公務車輛明細表's plan rows, printed by name alone (一般行政行政管理, no code): the index of each → the vehicles
    printed under it, each as its 車輛種類, 購置年月 and 汽缸總排氣量 (what stays when the plan is renamed, or its costs
    change a year on); a row holding none (合計) is left out."""
    held: dict[int, list] = {}
    plan = None
    for n, row in enumerate(rows):
        if row.label:
            plan = n
            held[n] = []
        elif plan is not None:
            vehicle = tuple(text for key, (text, _) in sorted(row.texts.items())
                            if any(word in key for word in _VEHICLE_IDENTITY))
            if any(vehicle):
                held[plan].append(vehicle)
    return {n: tuple(sorted(vehicles)) for n, vehicles in held.items() if vehicles}


def _printed_line(row, path: str, branch: str, note: str) -> DetailLine:
    def value(key):
        fig = row.figures.get(key)
        return fig.value if fig is not None and fig.readable else None

    amount = row.figures.get("預算數")
    unread = tuple(label for label in ("單價", "預算數") if label in row.figures and not row.figures[label].readable)
    return DetailLine(row.context, branch, path.rsplit("/", 1)[-1][:4], note,
                      row.texts.get("單位", ("", None))[0], row.texts.get("數量", ("", None))[0],
                      value("單價"), value("預算數"), None, amount.cell if amount is not None else None, unread)


# ---------------------------------------------------------------- comparing

def _number(value) -> int | Decimal:
    """A figure as a number to subtract: an integer, or a 單價 with 角 (Decimal 1.6) exactly; nothing or text is 0."""
    return value if isinstance(value, (int, Decimal)) and not isinstance(value, bool) else 0


def _pair(old: list, new: list, key, same, score=None, taken: tuple[set, set] | None = None) -> list[tuple]:
    """Index pairs (i, j) of ``old[i]`` and ``new[j]`` under an equal ``key`` (None: not paired here), neither in
    ``taken``: those ``same`` says are alike first, in order; then, when ``score`` is given, the rest by best score
    (a tuple, higher first; nearer position first on a tie). What is left is not paired."""
    taken = taken or (set(), set())
    groups: list[dict] = [{}, {}]  # key → an index, or the indices when the key is found more than once
    for side, items in enumerate((old, new)):
        group, skip = groups[side], taken[side]
        for i, item in enumerate(items):
            if i in skip or (k := key(item)) is None:
                continue
            found = group.get(k)
            if found is None:
                group[k] = i
            elif type(found) is int:
                group[k] = [found, i]
            else:
                found.append(i)
    pairs = []
    news_by_key = groups[1]
    for k, olds in groups[0].items():
        news = news_by_key.get(k)
        if news is None:
            continue
        if type(olds) is int and type(news) is int:  # the usual case: one row or line a key
            if score is not None or same(old[olds], new[news]):
                pairs.append((olds, news))
            continue
        olds, news = ([x] if type(x) is int else x for x in (olds, news))
        left, rest = list(news), []
        for i in olds:
            j = next((j for j in left if same(old[i], new[j])), None)
            if j is None:
                rest.append(i)
            else:
                left.remove(j)
                pairs.append((i, j))
        if score is None or not rest or not left:
            continue
        place = {i: n for n, i in enumerate(olds)}
        where = {j: n for n, j in enumerate(news)}
        ranked = sorted((tuple(-x for x in score(old[i], new[j])) + (abs(place[i] - where[j]), i, j)
                         for i in rest for j in left))
        used_old, used_new = set(), set()
        for *_, i, j in ranked:
            if i not in used_old and j not in used_new:
                used_old.add(i)
                used_new.add(j)
                pairs.append((i, j))
    return pairs


def _all_pairs(old: list, new: list, stages, by_old: bool = False) -> list[tuple]:
    """``_pair`` stage by stage (each stage's keyword arguments), each on what the earlier left. Returns pairs
    (a, b), None for the side a row or line is missing from: in ``new``'s order then the old ones only ``old``
    has, or (``by_old``) in ``old``'s order then the new ones only ``new`` has."""
    taken: tuple[set, set] = (set(), set())
    found: dict[int, int] = {}
    for stage in stages:
        for i, j in _pair(old, new, taken=taken, **stage):
            found[i] = j
            taken[0].add(i)
            taken[1].add(j)
    if by_old:
        return ([(a, new[found[i]] if i in found else None) for i, a in enumerate(old)]
                + [(None, b) for j, b in enumerate(new) if j not in taken[1]])
    back = {j: i for i, j in found.items()}
    return ([(old[back[j]] if j in back else None, b) for j, b in enumerate(new)]
            + [(a, None) for i, a in enumerate(old) if i not in taken[0]])


class _Row(NamedTuple):
    """A printed row as compared: its table, code and name, and its figure records by column."""

    table: str
    code: str
    name: str
    figures: dict  # column → record

    def holds(self):
        """What a row printed by name alone holds (the vehicles of a 公務車輛明細表 plan row), or None."""
        return next(iter(self.figures.values())).get("holds") if self.figures else None

    def values(self) -> dict:
        """Its figures by column; a 0 (typed 0 or 「－」) left out, as a blank cell is: the same figure."""
        return {column: r["value"] for column, r in self.figures.items() if not _blank_or_zero(r["value"])}


def _blank_or_zero(value) -> bool:
    """A figure a printed book may write blank, 0 or 「－」 (read as 0): all the same figure, 0."""
    return value is None or (isinstance(value, (int, Decimal)) and not isinstance(value, bool) and value == 0)


def _rows(records: Iterable[dict]) -> list[_Row]:
    """Records as rows, in printed order: a row's figures share table, code and name, and the printed row they
    were read from (``row``, a printed book's); without it, the n-th figure of a column under a key printed twice
    belongs to its n-th row."""
    out: list[_Row] = []
    first: dict[tuple, _Row] = {}
    more: dict[tuple, list[_Row]] = {}  # the second and later rows of a key printed more than once
    for r in records:
        key, column = (r["table"], r["row_code"], r["row_name"]), r["column"]
        if (printed := r.get("row")) is not None:  # two vehicles under no code, one with a blank: never mixed
            row = first.get(key + (printed,))
            if row is None:
                row = first[key + (printed,)] = _Row(*key, {})
                out.append(row)
            row.figures[column] = r
            continue
        row = first.get(key)
        if row is None:
            row = first[key] = _Row(*key, {})
            out.append(row)
        elif column in row.figures:
            rows = more.setdefault(key, [])
            row = next((x for x in rows if column not in x.figures), None)  # the first without this column
            if row is None:
                row = _Row(*key, {})
                rows.append(row)
                out.append(row)
        row.figures[column] = r
    return out


def _branch_number(branch: str) -> str:
    """A 分支計畫 as paired: its number (01 of 01行政業務, keys.branch_key) where it has one, so a branch renamed
    is the same branch; its name where it has none."""
    number, name = branch_key(branch)
    return number or name


_PLAN_LINE_YEAR = lazy(r"^(?:中華民國)?\d{2,3}年度")  # 中華民國115年度0132010100-行政支出-一般行政-行政管理
_LEADING_CODE = lazy(r"^\d+")


def _row_path(table: str, code: str) -> str:
    """A row's code as paired: in the 明細表, the 分支計畫 in it (the path's second part) by its number; in a printed
    人事費分析表, the plan line it is printed under without its 年度 (the same table a year on)."""
    if "/" not in code:
        return code
    if table == DETAIL:
        plan, branch, *rest = code.split("/")
        return "/".join((plan, _branch_number(branch), *rest))
    if table == STAFF_ANALYSIS:
        context, _, rest = code.partition("/")
        return f"{_PLAN_LINE_YEAR.sub('', context)}/{rest}"
    return code


def _code_key(table: str, code: str) -> str | None:
    """The code a row is known by whatever its name (科目, 工作計畫, 歲入 code: digits), None when it is known by
    its name. In the 明細表, only a 分支計畫 row (plan/01行政業務) has one, its number: the rows under one 科目 are
    its items, known by their 說明 (as lines are). A printed 人事費分析表's rows are known by the code on the plan
    line they are printed under (its plan renamed, the same table)."""
    last = code.rsplit("/", 1)[-1]
    if table == DETAIL:
        known = code.count("/") == 1 and not last.isdigit() and bool(branch_key(last)[0])
        return _row_path(table, code) if known else None
    if table == STAFF_ANALYSIS and "/" in code:
        context, _, rest = _row_path(table, code).partition("/")
        plan = _LEADING_CODE.match(context)
        return f"{plan.group()}/{rest}" if plan else None
    return code if last.isascii() and last.isdigit() else None


def _row_score(a: _Row, b: _Row) -> tuple[int, int]:
    """How alike two rows are: figures equal, then how near the rest (less apart is more alike)."""
    va, vb = a.values(), b.values()
    equal = sum(va[c] == vb.get(c) for c in va)
    apart = sum(abs(_number(va[c]) - _number(vb[c])) for c in va if c in vb)
    return equal, -apart


def _same_row(a: _Row, b: _Row) -> bool:
    return a.values() == b.values()


ROW_STAGES = (
    # the same code and name: alike figures first, then the most alike
    {"key": lambda r: (r.table, _row_path(r.table, r.code), r.name), "same": _same_row, "score": _row_score},
    # the same code, another name: renamed (更名)
    {"key": lambda r: None if (k := _code_key(r.table, r.code)) is None else (r.table, k), "same": _same_row,
     "score": _row_score},
    # under the same code, another name but every figure the same: a 明細表 item whose 說明 alone changed, or the
    # row of a 分支計畫 renamed
    {"key": lambda r: (r.table, _row_path(r.table, r.code)), "same": _same_row},
    # a row printed by name alone, another name, holding what the other held (公務車輛明細表: a plan renamed, the same
    # vehicles under it): renamed
    {"key": lambda r: None if (held := r.holds()) is None else (r.table, held), "same": _same_row,
     "score": _row_score},
)


def compare_figures(old: Iterable[dict], new: Iterable[dict]) -> tuple[list[dict], list[dict]]:
    """Every figure that differs, appears or disappears, and every row renamed.

    Figures are {table, row_code, row_name, old_row_name, column, old, new,
    change, unit}; renames {table, row_code, old_name, new_name}. Rows are
    paired on table, row code and name; a row known by its code (``_code_key``)
    that only one name would leave unpaired is paired on its code, a rename;
    of rows under one key, those with the same figures are paired first, then
    the most alike. A figure present on one side only is compared with nothing
    (None), its change the whole figure; a 0 against nothing (blank, 「－」) is the same figure.
    """
    out, renames = [], []
    for a, b in _all_pairs(_rows(old), _rows(new), ROW_STAGES):
        row = b or a
        if a is not None and b is not None and a.name != b.name:
            rename = {"table": row.table, "row_code": row.code, "old_name": a.name, "new_name": b.name}
            if rename not in renames:  # a plan printed in two sections (現有車輛, 本年度新增車輛) is renamed once
                renames.append(rename)
        before, after = (a.figures if a else {}), (b.figures if b else {})
        for column in list(after) + [c for c in before if c not in after]:
            ra, rb = before.get(column), after.get(column)
            va, vb = (ra or {}).get("value"), (rb or {}).get("value")
            if (ra is not None and rb is not None and va == vb) or (_blank_or_zero(va) and _blank_or_zero(vb)):
                continue  # blank against 0 or 「－」 is no difference (a printed book writes 0 any of those ways)
            out.append({"table": row.table, "row_code": row.code, "row_name": row.name,
                        "old_row_name": a.name if a else None, "column": column, "old": va, "new": vb,
                        "change": _number(vb) - _number(va), "unit": (rb or ra)["unit"]})
    return out, renames


def _line_fields(a: DetailLine, b: DetailLine) -> list[str]:
    """The labels of LINE_VALUES that differ between two lines (an unreadable figure, or a 收支併列數 one side does
    not print, is not compared)."""
    skipped = set(a.unread) | set(b.unread)  # named by the figure's own note
    return [label for attr, label in LINE_VALUES if getattr(a, attr) != getattr(b, attr)
            and label not in skipped and not (attr == "matched" and None in (a.matched, b.matched))]


def _line_score(a: DetailLine, b: DetailLine) -> tuple[int, int]:
    """How alike two lines are: LINE_VALUES equal, then how near their 預算數."""
    return len(LINE_VALUES) - len(_line_fields(a, b)), -abs(_number(a.amount) - _number(b.amount))


LINE_STAGES = (
    # the same key (工作計畫, 分支計畫 number, 用途別科目, 說明): alike lines first, then the most alike
    {"key": lambda x: x.key, "same": lambda a, b: not _line_fields(a, b), "score": _line_score},
    # another 說明, every figure the same: its 說明 changed
    {"key": lambda x: x.key[:3], "same": lambda a, b: not _line_fields(a, b)},
    # another 用途別科目, the same 說明 (not blank) and every figure the same: the line recoded (2051 → 2054, field
    # report 6 §6), under one 工作計畫 and 分支計畫
    {"key": lambda x: (x.plan, _branch_number(x.branch), x.note) if x.note else None,
     "same": lambda a, b: not _line_fields(a, b)},
    # under another 工作計畫 or 分支計畫, the same 用途別科目, 說明 (not blank) and every figure: the line moved (a 法定預算
    # moving it between plans; field report 7 f11: it was a 刪除 and a 新增 the reader had to pair by eye)
    {"key": lambda x: (x.object_code, x.note) if x.note else None, "same": lambda a, b: not _line_fields(a, b)},
)


def _annotated(pairs: list[tuple]) -> list[tuple]:
    """Of the lines left unpaired, under one 工作計畫, 分支計畫 and 用途別科目: an old and a new line whose 說明 holds
    the other's (「智慧城市成果行銷」 → 「智慧城市成果行銷（議會刪減203萬元）」, a cut said in its 說明) are the same
    line, its 說明 and figures changed, when neither has another such line left (unambiguous); else they stay
    removed and added."""
    removed = [i for i, (a, b) in enumerate(pairs) if b is None]
    added = [j for j, (a, b) in enumerate(pairs) if a is None]

    def holds(i: int, j: int) -> bool:
        a, b = pairs[i][0], pairs[j][1]
        return a.key[:3] == b.key[:3] and bool(a.note) and bool(b.note) and (a.note in b.note or b.note in a.note)

    merged: dict[int, int] = {}
    for i in removed:
        ones = [j for j in added if holds(i, j)]
        if len(ones) == 1 and [k for k in removed if holds(k, ones[0])] == [i]:
            merged[i] = ones[0]
    if not merged:
        return pairs
    gone = set(merged.values())
    return [(a, pairs[merged[n]][1]) if n in merged else (a, b) for n, (a, b) in enumerate(pairs) if n not in gone]


def compare_lines(old: Iterable[DetailLine], new: Iterable[DetailLine]) -> list[dict]:
    """歲出 lines added, removed or changed, matched on 工作計畫, 分支計畫, 用途別科目 and 說明.

    Of lines under one key, those alike are paired first, then the most alike
    (most of 單位, 數量, 單價, 預算數 equal, then the nearest 預算數); the rest are
    新增 or 刪除. A line whose 說明 alone differs is the same line, its 說明
    changed; so is one whose 說明 holds the other's, unambiguously (``_annotated``: a cut said in its 說明), and one
    under another 用途別科目 whose 說明 and figures are the same (recoded). A changed line names the fields that differ
    (用途別科目, 說明, 單位, 數量, 單價, 預算數, 收支併列數); ``old_note`` is the old book's 說明, both 說明 as typed (or
    printed), ``old_object_code`` the old book's 用途別科目.
    A line whose 預算數 cannot be read on either side has no change (None): that cell is named as not compared.
    """
    out = []
    for a, b in _annotated(_all_pairs(list(old), list(new), LINE_STAGES, by_old=True)):
        if a is not None and b is not None:
            fields = (["用途別科目"] if a.object_code != b.object_code else []) + (["說明"] if a.note != b.note else [])
            fields += _line_fields(a, b)
            moved = (["工作計畫"] if a.plan != b.plan else []) \
                + (["分支計畫"] if _branch_number(a.branch) != _branch_number(b.branch) else [])
            if not fields and not moved:
                continue
            status, fields = (MOVED if moved else CHANGED), moved + fields
        else:
            status, fields = (REMOVED if b is None else ADDED), []
        line = b or a
        branch = b.branch if b is not None else a.was_branch or a.branch  # the old book's, for a line it alone has
        # a 預算數 that cannot be read (named by its own note) is not compared: no change, never −the old amount
        unread = any("預算數" in x.unread for x in (a, b) if x is not None)
        out.append({"status": status, "plan": line.plan, "branch": branch, "object_code": line.object_code,
                    "old_object_code": a.object_code if a else None,
                    "old_note": a.typed_note if a else None, "note": line.typed_note,
                    "old_amount": a.amount if a else None, "new_amount": b.amount if b else None,
                    "change": None if unread else _number(b.amount if b else None) - _number(a.amount if a else None),
                    "fields": fields, "old_cell": str(a.cell) if a and a.cell else None,
                    "new_cell": str(b.cell) if b and b.cell else None,
                    "old_plan": a.plan if a else None, "old_branch": (a.was_branch or a.branch) if a else None})
    return out


def line_place(line: dict) -> tuple[str, str]:
    """A line record's 工作計畫 and 分支計畫 as the text and the workbook show them: 「32020180101 → 32020183201」 for
    a line moved (移列)."""
    if line["status"] != MOVED:
        return line["plan"], line["branch"]
    return (f"{line['old_plan']} → {line['plan']}" if line["old_plan"] != line["plan"] else line["plan"],
            f"{line['old_branch']} → {line['branch']}" if line["old_branch"] != line["branch"] else line["branch"])


def line_code(line: dict) -> str:
    """A line record's 用途別科目 as the text and the workbook show it: 「2051 → 2054」 for a line recoded."""
    recoded = "用途別科目" in line["fields"]
    return f"{line['old_object_code']} → {line['object_code']}" if recoded else line["object_code"]


SIDES = {"old": "舊書", "new": "新書"}
KINDS = {"template": "範本輸入表", "printed": "手製表格"}
_KEY = ("table", "row_code", "row_name", "column")


def _side(side: str, book: BookFigures) -> str:
    return f"{SIDES[side]}（{KINDS[book.kind]}）"


def _note(rule: str, cell, where: tuple, **fields) -> Note:
    """A Note of ``rule`` at ``cell``; ``where`` is its (side, table[, row code, row name, column])."""
    return Note(make_finding(rule, cell, **fields), *where)


def _in_thousands(old: list[dict], new: list[dict], books: dict[str, BookFigures], notes: list[Note]):
    """A column printed in 元 on one side and 千元 on the other is compared in 千元: each 元 figure rounded
    half away from zero (amounts.to_thousands), as a 千元 table rounds its own 元 totals."""
    units: dict[tuple[str, str], tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for i, records in enumerate((old, new)):
        for r in records:
            units[(r["table"], r["column"])][i].add(r["unit"])
    rounded = {key: i for key, pair in units.items() for i in (0, 1)
               if pair[i] == {"元"} and pair[1 - i] == {"千元"}}
    if not rounded:
        return old, new
    said = set()
    for (table, _), i in rounded.items():
        if table not in said:
            said.add(table)
            o, n = ("元", "千元") if i == 0 else ("千元", "元")
            notes.append(_note("compare-units-differ", None, ("", table), old_side=_side("old", books["old"]),
                               new_side=_side("new", books["new"]), old_unit=o, new_unit=n, table=table))

    def converted(records: list[dict], i: int) -> list[dict]:
        return [r | {"value": to_thousands(r["value"]), "unit": "千元"}
                if rounded.get((r["table"], r["column"])) == i and isinstance(r["value"], int) else r
                for r in records]

    return converted(old, 0), converted(new, 1)


def _one_sided(old: list[dict], new: list[dict], books: dict[str, BookFigures], notes: list[Note]) -> set:
    """Between a template and a hand-made book: the tables, and the columns of a shared table, only one side
    prints (a table left out, another layout) are not compared; each is named. Returns their keys,
    (table,) and (table, column)."""
    columns: list[dict[str, dict[str, list[dict]]]] = []
    for records in (old, new):
        by_table: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
        for r in records:
            by_table[r["table"]][r["column"]].append(r)
        columns.append(by_table)
    skipped = set()
    for i, side in enumerate(("old", "new")):
        mine, other = columns[i], columns[1 - i]
        other_side = "new" if side == "old" else "old"
        for table, cols in mine.items():
            figures = [r for rs in cols.values() for r in rs]
            if table not in other:
                skipped.add((table,))
                notes.append(_note("compare-table-one-side", figures[0].get("cell"), (side, table), table=table,
                                   side=_side(side, books[side]), other=_side(other_side, books[other_side]),
                                   count=len(figures), lines="及歲出明細細項" if table == DETAIL else ""))
                continue
            for column, rs in cols.items():
                if column not in other[table]:
                    skipped.add((table, column))
                    notes.append(_note("compare-column-one-side", rs[0].get("cell"), (side, table, "", "", column),
                                       column=column, table=table, side=_side(side, books[side]),
                                       other=_side(other_side, books[other_side]), count=len(rs)))
    return skipped


def _added_totals(old: list[dict], new: list[dict], notes: list[Note]) -> set:
    """A total row (小計, 本科目合計, 業務費小計, 總計) only one book prints is one an officer added under the rows it
    closes, not a figure that appeared: not compared (check ties it to those rows), said once per row (info).
    Returns the keys of its figures."""
    keys = [{tuple(r[f] for f in _KEY) for r in records} for records in (old, new)]
    skipped, said = set(), set()
    for i, side in enumerate(("old", "new")):
        for r in (old, new)[i]:
            key = tuple(r[f] for f in _KEY)
            if r.get("total") and key not in keys[1 - i]:
                skipped.add(key)
                row = (side, r["table"], r["row_code"], r["row_name"])
                if row not in said:
                    said.add(row)
                    notes.append(_note("compare-total-row-one-side", r.get("cell"), row, side=SIDES[side],
                                       table=r["table"], label=r["row_name"] or r["row_code"]))
    return skipped


LAST, THIS = "上年度", "本年度"
# a 千元 row 1 off: 以前年度 holds each 科目 rounded, the row above them their sum (nextyear.carried_apart)
ROUNDING_HINT = "（相差 1 千元：若此列是各科目之和，可能是各科目分別四捨五入至千元的尾差）"


def _prior_year_carried(old: list[dict], new: list[dict], years: tuple[int, int], notes: list[Note],
                        prior_cells: tuple[tuple, tuple] = ((), ())) -> None:
    """Two books a year apart (113 法定預算 against 114 預算案): the later book's 上年度 columns (上年度預算數,
    上年度預算員額, 上年度計畫項數) are the earlier book's 本年度 of the same row. Each row where they differ is a
    warning at the later book's figure: nothing else says that 114's 上年度 was typed from the 113 預算案, not its
    法定預算 (compare otherwise sets 上年度 against 上年度, 本年度 against 本年度). Rows are paired as figures are
    (compare_figures: code, then name; a row only one side prints is compared with nothing, i.e. 0). A template
    later book's row is named at its 以前年度 line's 上年度預算數 (``prior_cells``: each side's), where it has one."""
    later, earlier = (1, 0) if years[1] == years[0] + 1 else (0, 1)
    typed = dict(prior_cells[later])
    books = (old, new)
    carried: dict[tuple[str, str], str] = {}  # (table, 上年度 column) → the 本年度 column it carries
    columns = {(r["table"], r["column"]) for r in books[earlier]}
    for r in books[later]:
        column = r["column"]
        if column.startswith(LAST) and (r["table"], column) not in carried:
            # 臺北's 歲出預算表 and 歲入預算表 split 本年度預算數 into 合計／經常門／資本門: 上年度 is its 合計
            this = THIS + column[len(LAST):]
            carried.update({(r["table"], column): c for c in (this, f"{this}/合計") if (r["table"], c) in columns})
    if not carried:
        return
    by_this = {(t, this): c for (t, c), this in carried.items()}
    before = [r | {"column": by_this[(r["table"], r["column"])]} for r in books[earlier]
              if (r["table"], r["column"]) in by_this]
    after = [r for r in books[later] if (r["table"], r["column"]) in carried]
    # a table in 元 in one book and 千元 in the other (its columns, not these two, may have been matched already):
    # compared in 千元, each 元 figure rounded as a 千元 table rounds it
    kilo = {r["table"] for r in before + after if r["unit"] == "千元"}
    before, after = ([r | {"value": to_thousands(r["value"]), "unit": "千元"} if r["unit"] == "元"
                      and r["table"] in kilo and isinstance(r["value"], int) else r for r in rs]
                     for rs in (before, after))
    cells = {tuple(r[f] for f in _KEY): r.get("cell") for r in after}
    pairs = compare_figures(before, after)[0] if later else compare_figures(after, before)[0]
    side = ("old", "new")[later]
    for f in pairs:
        was, now = (f["old"], f["new"]) if later else (f["new"], f["old"])
        row = f"{f['row_code']} {f['row_name']}".strip() if f["row_code"] != f["row_name"] else f["row_name"]
        notes.append(_note("compare-prior-year-differs", cells.get((f["table"], f["row_code"], f["row_name"],
                                                                    f["column"])) or typed.get(f["row_code"]),
                           (side, f["table"], f["row_code"], f["row_name"], f["column"]),
                           expected=was, actual=now, later=SIDES[side], earlier=SIDES[("old", "new")[earlier]],
                           later_year=years[later], earlier_year=years[earlier], table=f["table"], row=row,
                           column=f["column"], this=THIS + f["column"][len(LAST):],
                           now=format_figure(now), was=format_figure(was), unit=f["unit"],
                           change=f"{_number(now) - _number(was):+,}",
                           hint=ROUNDING_HINT if f["unit"] == "千元" and abs(_number(now) - _number(was)) == 1 else ""))


def _coded_names(book: BookFigures) -> dict[str, str]:
    """The 11-digit codes (工作計畫, 業務計畫, 歲入) a book prints on rows of their own, each with its one name (a code
    printed under two names is left out: which is its name is not known); a plan's 明細表 合計 row names none."""
    names: dict[str, set] = defaultdict(set)
    for r in book.records:
        if PLAN_CODE_IN.fullmatch(r["row_code"]) and compact_key(r["row_name"]) not in ("", "合計"):
            names[r["row_code"]].add(compact_key(r["row_name"]))
    return {code: next(iter(found)) for code, found in names.items() if len(found) == 1}


def _codes_used(book: BookFigures) -> set[str]:
    """Every 11-digit code a book names anywhere: in a row's code (明細表 32020180101/01行政業務/2018), a column (彙計表)
    or a line's 工作計畫."""
    found = {x.plan for x in book.lines}
    for r in book.records:
        found.update(PLAN_CODE_IN.findall(r["row_code"]))
        found.update(PLAN_CODE_IN.findall(r["column"]))
    return found


def _renumbering_key(code: str, name: str) -> tuple[str, str, int]:
    """What a code and the one it was renumbered to share: the name, the agency (the 3rd–7th digits: 3202018 0101 is
    02-018's; 一般行政 / 行政管理 of another agency is another plan) and the level (a 款 line …0000, a 業務計畫 …00,
    else a 工作計畫 or 歲入 line): a 業務計畫 is never its 工作計畫 renumbered."""
    return name, code[2:7], 0 if code.endswith("0000") else 1 if code.endswith("00") else 2


def renumbered_codes(old: BookFigures, new: BookFigures) -> list[dict]:
    """Codes renumbered (改編號): a code only the old book has and one only the new book has, printed under the same
    name, of the same agency and level (32020183201 數位發展計畫 → 32020183301 數位發展計畫; _renumbering_key), as a
    renamed row is paired on its code (更名). Of several such codes on each side, as many on each side are paired in
    code order; else none is guessed. Returns RENUMBER_FIELDS records, in the old codes' order."""
    gone_from, came_from = _codes_used(new), _codes_used(old)
    by_name: dict[tuple, tuple[list, list]] = defaultdict(lambda: ([], []))
    for side, (book, other) in enumerate(((old, gone_from), (new, came_from))):
        for code, name in _coded_names(book).items():
            if code not in other:
                by_name[_renumbering_key(code, name)][side].append(code)
    out = []
    for (name, _, _), (gone, came) in by_name.items():
        if gone and len(gone) == len(came):
            out += [{"name": name, "old_code": a, "new_code": b} for a, b in zip(sorted(gone), sorted(came))]
    return sorted(out, key=lambda r: r["old_code"])


def _renumber(book: BookFigures, renumbered: list[dict]) -> BookFigures:
    """The old book with each renumbered code written as the new book's, wherever it is named (rows, columns, lines),
    so its rows, columns and lines pair with the new book's."""
    if not renumbered:
        return book
    codes_to = {r["old_code"]: r["new_code"] for r in renumbered}

    def to(text: str) -> str:
        return PLAN_CODE_IN.sub(lambda m: codes_to.get(m.group(), m.group()), text)

    def record(r: dict) -> dict:
        return r | {"row_code": to(r["row_code"])} | ({"column": to(r["column"])} if "column" in r else {})

    return replace(book, records=tuple(record(r) for r in book.records), unread=tuple(record(u) for u in book.unread),
                   lines=tuple(replace(x, plan=codes_to.get(x.plan, x.plan)) for x in book.lines))


def _plan_branches(book: BookFigures) -> dict[str, dict[tuple[str, str], str]]:
    """Each 工作計畫's 分支計畫 in a book, from its lines: (number, name) (keys.branch_key) → the text first seen."""
    found: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
    for x in book.lines:
        if x.branch:
            found[x.plan].setdefault(branch_key(x.branch), x.branch)
    return found


def renamed_branches(old: BookFigures, new: BookFigures) -> tuple[list[dict], list[dict]]:
    """分支計畫 whose number or name alone changed between two books, in one 工作計畫 (field report 8 §2.4, §2.7):
    03數位服務 → 05數位服務 (renumbered, the same name), 01行政業務 → 行政業務 (the number left out). After those of the
    same number and name, they are paired by name, where a name is one unpaired 分支計畫's alone on each side; then
    those of the same number and another name by number, as ever (DetailLine.key: 03數位服務 → 03數位應用服務).
    Returns {plan, key (branch_key of the old one), old_name, new_name} for each pair (with gone: True and its name
    alone as new_name for an old one the new book no longer has, whose number a renumbered one took: it pairs with
    nothing), and {plan, what} for each plan where a name is two unpaired 分支計畫's on a side, or where pairing by
    name would leave two old ones under one number otherwise (then none of that plan's is paired by name): never a
    guess."""
    pairs: list[dict] = []
    unpaired: list[dict] = []
    news = _plan_branches(new)
    for plan, olds in _plan_branches(old).items():
        theirs = news.get(plan)
        if not theirs:
            continue
        by_name: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
        for side, (mine, other) in enumerate(((olds, theirs), (theirs, olds))):
            for k in mine:
                if k not in other and k[1]:
                    by_name[k[1]][side].append(k)
        found: dict[tuple[str, str], tuple[str, str]] = {}
        for name, (a, b) in by_name.items():
            if len(a) == 1 and len(b) == 1:
                found[a[0]] = b[0]
            elif a and b:
                unpaired.append({"plan": plan, "what": f"「{name}」舊書為 {'、'.join(olds[k] for k in a)}，"
                                                      f"新書為 {'、'.join(theirs[k] for k in b)}"})
        # each old 分支計畫 as it is then paired: by its number, or by its name when it has none (_branch_number); a
        # number two old ones share only after pairing by name
        before = [k[0] or k[1] for k in olds]
        after = [(found.get(k) or k)[0] or (found.get(k) or k)[1] for k in olds]
        shared = {x for x in after if after.count(x) > 1} - {x for x in before if before.count(x) > 1}
        # an old 分支計畫 whose number another one, paired by name, takes in the new book, and which the new book has
        # under no number or name (01規劃發展 cut, 02資源管理 renumbered 01資源管理): it is gone, paired as its name
        # alone, never with the new 01 by number (a 分支 cut and the rest renumbered, the mirror of one inserted)
        gone = [k for k in olds if k not in found and k not in theirs and (k[0] or k[1]) in shared]
        numbers = {n or m for n, m in theirs}  # the new book's 分支計畫 as paired (_branch_number)
        held = [[k for k, y in zip(olds, after) if y == x] for x in shared]
        if any(not k[0] or not k[1] or k[1] in numbers or k[1] in after for k in gone) or any(
                sum(k in found for k in ks) != 1 or not all(k in found or k in gone for k in ks) for ks in held):
            unpaired.append({"plan": plan, "what": "、".join(f"{olds[a]} → {theirs[b]}" for a, b in found.items())
                             + " 會使舊書兩個分支計畫同一編號"})
            continue
        pairs += [{"plan": plan, "key": a, "old_name": olds[a], "new_name": theirs[b]} for a, b in found.items()]
        pairs += [{"plan": plan, "key": k, "old_name": olds[k], "new_name": k[1], "gone": True} for k in gone]
    return pairs, unpaired


def _rebranch(book: BookFigures, pairs: list[dict], names: dict[str, str]) -> BookFigures:
    """The old book with each 分支計畫 of ``pairs`` (renamed_branches) written as the new book's, in its lines and its
    明細表 rows (a 分支計畫 row named as the new book names it, ``names``: row code → name), so they pair with the new
    book's lines and rows."""
    if not pairs:
        return book
    to = {(p["plan"], p["key"]): p["new_name"] for p in pairs}

    def record(r: dict) -> dict:
        if r["table"] != DETAIL or "/" not in r["row_code"]:
            return r
        plan, branch, *rest = r["row_code"].split("/")
        new_branch = to.get((plan, branch_key(branch)))
        if new_branch is None:
            return r
        code = "/".join((plan, new_branch, *rest))
        return r | {"row_code": code} | ({"row_name": names[code]} if not rest and code in names else {})

    def line(x: DetailLine) -> DetailLine:
        new_branch = to.get((x.plan, branch_key(x.branch))) if x.branch else None
        return x if new_branch is None else replace(x, branch=new_branch, was_branch=x.branch)

    return replace(book, records=tuple(record(r) for r in book.records), unread=tuple(record(u) for u in book.unread),
                   lines=tuple(line(x) for x in book.lines))


def agencies_differ(old: BookFigures, new: BookFigures) -> bool:
    """Whether two books are known to be of two agencies: their 機關編號 differ where both have one (02-018 and 02018
    are one, keys.code_key), else their 機關名稱 where both name one (台 and 臺 are one, keys.agency_key)."""
    if old.agency_code and new.agency_code:
        return code_key(old.agency_code) != code_key(new.agency_code)
    return bool(old.agency and new.agency) and agency_key(old.agency) != agency_key(new.agency)


def _agency(book: BookFigures) -> str:
    return f"{book.agency or '機關不明'}（{book.agency_code}）" if book.agency_code else book.agency


def compare_books(old: BookFigures, new: BookFigures) -> Comparison:
    """Figures and lines of ``new`` against ``old``, and notes on what could not be compared.

    A figure either side printed but could not read (#REF!, a formula without
    its value) is compared on neither side, and named at its cell. A template
    book against a hand-made one (``printed_form`` reduces the template book
    as one): a table or column only one side prints is not compared, and
    named; the lines are compared when both print a 明細表. A column in 元 on
    one side and 千元 on the other is compared in 千元.
    """
    renumbered = renumbered_codes(old, new)  # a plan renumbered is its rows and lines under the new code
    old = _renumber(old, renumbered)
    branches, unpaired = renamed_branches(old, new)  # a 分支計畫 renumbered: its rows and lines under the new one
    old = _rebranch(old, branches, {r["row_code"]: r["row_name"] for r in new.records
                                    if r["table"] == DETAIL and r["row_code"].count("/") == 1})
    books = {"old": old, "new": new}
    notes: list[Note] = [_note("compare-branch-unpaired", None, ("", DETAIL), **u) for u in unpaired]
    if agencies_differ(old, new):  # a wrong file picked from a folder of books: said first, never silently
        notes.append(_note("compare-agencies-differ", None, ("", ""), old_agency=_agency(old),
                           new_agency=_agency(new)))
    if old.year is not None and new.year is not None and old.year != new.year:  # said, never silently
        notes.append(_note("compare-years-differ", None, ("", ""), old_year=old.year, new_year=new.year))
    old_records, new_records = _in_thousands(list(old.records), list(new.records), books, notes)
    unread = set()
    for side, book in books.items():
        for u in book.unread:
            unread.add(tuple(u[f] for f in _KEY))
            notes.append(_note("compare-figure-unreadable", u["cell"],
                               (side, u["table"], u["row_code"], u["row_name"], u["column"]), actual=str(u["raw"]),
                               side=_side(side, book), raw=u["raw"], reason=u["problem"], table=u["table"],
                               row=f"{u['row_code']} {u['row_name']}".strip(), column=u["column"]))
        for t in book.unreadable_tables:
            notes.append(_note("compare-table-unreadable", t.cell, (side, t.title), side=_side(side, book),
                               title=t.title or "（無表名）", reason=t.reason))
    skipped = _one_sided(old_records, new_records, books, notes) if old.kind != new.kind else set()
    unread |= _added_totals(old_records, new_records, notes)
    # a row known by its code is that row under any name (compare_figures): its unreadable figure under either
    unread_coded = {(t, key, column) for t, code, _, column in unread if (key := _code_key(t, code)) is not None}

    def compared(records):
        out = [r for r in records if tuple(r[f] for f in _KEY) not in unread and (r["table"],) not in skipped
               and (r["table"], r["column"]) not in skipped]
        return [r for r in out if (r["table"], _code_key(r["table"], r["row_code"]), r["column"]) not in unread_coded
                ] if unread_coded else out

    tables = tuple(dict.fromkeys([r["table"] for r in new.records] + [r["table"] for r in old.records]))
    lines = compare_lines(old.lines, new.lines) if (DETAIL,) not in skipped else []
    figures, renames = compare_figures(compared(old_records), compared(new_records))
    if old.year is not None and new.year is not None and abs(old.year - new.year) == 1:
        _prior_year_carried(compared(old_records), compared(new_records), (old.year, new.year), notes,
                            (old.prior_cells, new.prior_cells))
    # a 分支計畫 gone (renamed_branches) was paired as its name alone: its rows are shown as the old book printed them
    shown = {f"{b['plan']}/{b['new_name']}": f"{b['plan']}/{b['old_name']}" for b in branches if b.get("gone")}
    if shown:
        figures = [f | {"row_code": shown[head] + f["row_code"][len(head):]} if f["table"] == DETAIL
                   and (head := "/".join(f["row_code"].split("/")[:2])) in shown else f for f in figures]
    # a 明細表 item row renamed is a line whose 說明 changed: said once, on the line
    notes_changed = {(normalize_key(x["old_note"]), normalize_key(x["note"])) for x in lines if "說明" in x["fields"]}
    renames = [r for r in renames if not (r["table"] == DETAIL and (normalize_key(r["old_name"]),
                                                                     normalize_key(r["new_name"])) in notes_changed)]
    renames = [{"table": DETAIL, "row_code": f"{b['plan']}/{b['new_name']}", "old_name": b["old_name"],
                "new_name": b["new_name"]} for b in branches if not b.get("gone")] + renames  # each 分支計畫 once
    return Comparison(tuple(figures), tuple(lines), tables, tuple(notes), tuple(renames), tuple(renumbered))


# ---------------------------------------------------------------- text

def note_record(note: Note) -> dict:
    """A note as a JSON record: the finding's (rule, severity, sheet, cell, …, message), its file, and the side,
    table, row and column it concerns."""
    from xlbudget.rules.checks import finding_record

    f = note.finding
    return finding_record(f) | {"file": f.cell.file if f.cell else None, "side": note.side, "table": note.table,
                                "row_code": note.row_code, "row_name": note.row_name, "column": note.column}


def compared_names(old: str | Path, new: str | Path) -> tuple[str, str]:
    """The two books as the comparison names them: their file names, or, when those are the same (預算案/預算書.xlsx
    and 法定預算/預算書.xlsx), the shortest ends of their paths that differ, joined by «/» (field report 7 f08: «比較
    預算書.xlsx（舊）→ 預算書.xlsx（新）» told the officer neither)."""
    a, b = Path(old), Path(new)
    if a.name != b.name:
        return a.name, b.name
    left, right = Path(os.path.abspath(a)).parts, Path(os.path.abspath(b)).parts
    for k in range(2, max(len(left), len(right)) + 1):
        ends = "/".join(left[-k:]).lstrip("/"), "/".join(right[-k:]).lstrip("/")
        if ends[0] != ends[1]:
            return ends
    return a.name, b.name  # one path twice


def comparison_json(result: Comparison, old_name: str | None = None, new_name: str | None = None) -> str:
    """The comparison as JSON: {"old": name, "new": name (compared_names, when given), "figures": [FIGURE_FIELDS…],
    "renames": [RENAME_FIELDS…], "renumbered": [RENUMBER_FIELDS…], "lines": [LINE_FIELDS…], "notes": [note_record…]}."""
    import json

    from xlbudget.app.export import json_number

    books = {"old": old_name, "new": new_name} if old_name is not None else {}
    return json.dumps({**books, "figures": list(result.figures), "renames": list(result.renames),
                       "renumbered": list(result.renumbered), "lines": list(result.lines),
                       "notes": [note_record(n) for n in result.notes]}, ensure_ascii=False, indent=1,
                      default=json_number) + "\n"


def note_lines(result: Comparison) -> list[str]:
    """The notes for a terminal: what was not compared (【未比較】), then how it was compared (【說明】)."""
    out = []
    for title, notes in (("未比較", [n for n in result.notes if n.finding.severity == Severity.UNVERIFIABLE]),
                         ("說明", [n for n in result.notes if n.finding.severity != Severity.UNVERIFIABLE])):
        if notes:
            out.append(f"\n【{title}】{len(notes)} 項")
            out += [f"  {n.finding.cell}：{n.finding.message}" if n.finding.cell else f"  {n.finding.message}"
                    for n in notes]
    return out


def renamed_counts(result: Comparison) -> str:
    """「，1 列改編號，2 列更名」: what the headline adds to the figures and lines that differ ("" when none)."""
    return ((f"，{len(result.renumbered)} 列改編號" if result.renumbered else "")
            + (f"，{len(result.renames)} 列更名" if result.renames else ""))


def first_lines(result: Comparison) -> list[str]:
    """What is said before any figure, in every format: that the books are two agencies' (a wrong file picked),
    that a book's tables were not made again from its inputs (its figures are compared as those give them), and
    that of two books a year apart the later's 上年度 is not the earlier's 本年度 on some rows."""
    said = [n.finding.message for n in result.notes if n.finding.rule in ("compare-agencies-differ",
                                                                          "compare-tables-stale")]
    carried = [n for n in result.notes if n.finding.rule == "compare-prior-year-differs"]
    if carried:  # a year apart, the later book's 上年度 is not the earlier's 本年度: said before any figure
        later = SIDES[carried[0].side]
        first = carried[0]
        row = first.row_name if first.row_code in ("", first.row_name) else f"{first.row_code} {first.row_name}"
        said.append(f"{later}有 {len(carried)} 列的上年度與前一年度那本書的本年度不同（如「{carried[0].table}」{row}），"
                    "各列見說明（compare-prior-year-differs）：前一年度的書若為預算案，上年度應填其法定預算數")
    return said


def stale_note(side: str, name: str, stale: Finding) -> Note:
    """compare-tables-stale: the ``side`` book ``name`` (a template book) has tables build wrote that its inputs no
    longer give (``stale``, rules.readback.stale_tables' finding): compared on what its inputs give, and said so."""
    return _note("compare-tables-stale", None, (side, stale.related[0].sheet if stale.related else ""),
                 side=SIDES[side], name=name, stale=stale.message)


def comparison_text(result: Comparison, old_name: str, new_name: str) -> str:
    """The comparison for a terminal: grouped by table, largest change first, then the 歲出明細 lines and what
    could not be compared."""
    first = first_lines(result)
    if result.same and result.complete:
        return "\n".join(first + [f"{old_name} 與 {new_name} 各表數字及歲出明細均相同。"] + note_lines(result)) + "\n"
    if result.same:
        uncompared = sum(n.finding.severity == Severity.UNVERIFIABLE for n in result.notes)
        return "\n".join(first + [f"{old_name} 與 {new_name} 比較得到的各表數字及歲出明細均相同，但有 {uncompared} 項"
                                   f"未比較（見下），不能說兩本書相同。"] + note_lines(result)) + "\n"
    out = first + [f"比較 {old_name}（舊）→ {new_name}（新）：{len(result.figures)} 個數字不同，"
                   f"歲出明細 {len(result.lines)} 筆新增／刪除／變更{renamed_counts(result)}"]
    out += [n.finding.message for n in result.notes if n.finding.rule == "compare-years-differ"]  # first, not last
    if result.renumbered:  # each code once, not each of its rows in every table
        out.append(f"\n【改編號】{len(result.renumbered)} 列（名稱相同，視為同一列比較）")
        out += [f"  {r['name']}：{r['old_code']} → {r['new_code']}" for r in result.renumbered]
    if result.renames:
        out.append(f"\n【更名】{len(result.renames)} 列")
        out += [f"  {r['table']} {r['row_code']}：{r['old_name']} → {r['new_name']}" for r in result.renames]
    for table, records in result.by_table().items():
        out.append(f"\n【{table}】{len(records)} 個數字不同")
        for r in records:
            old, new = format_figure(r["old"]), format_figure(r["new"])
            was = f"（原名 {r['old_row_name']}）" if r["old_row_name"] not in (None, r["row_name"]) else ""
            out.append(f"  {r['row_code']} {r['row_name']}{was}｜{r['column']}：{old} → {new}"
                       f"（{r['change']:+,}）{r['unit']}")
    if result.lines:
        out.append(f"\n【歲出明細】{len(result.lines)} 筆")
        for line in sorted(result.lines, key=lambda x: -abs(x["change"] or 0)):
            what = f"（{'、'.join(line['fields'])}）" if line["fields"] else ""
            note = f"{line['old_note']} → {line['note']}" if "說明" in line["fields"] else line["note"]
            change = "預算數未比較" if line["change"] is None else f"{line['change']:+,}"
            plan, branch = line_place(line)
            out.append(f"  {line['status']}{what} {plan} {branch} {line_code(line)}"
                       f" {note}：{format_figure(line['old_amount'])} → {format_figure(line['new_amount'])}"
                       f"（{change}）元")
    return "\n".join(out + note_lines(result)) + "\n"
