"""Year over year (比較): every figure that differs between two books, and the 歲出明細 lines that changed.

Pure. A book is reduced to ``BookFigures``: the tidy records of every table
(the ``export`` contract: {table, row_code, row_name, column, value, unit})
and its 歲出 line items. A template book gives them from its inputs
(``book.derive_all``); a hand-made book from its printed tables as the
checks read them (``printed.find_tables``). Two such reductions are compared
figure by figure and line by line.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from xlbudget.core.amounts import format_figure
from xlbudget.core.keys import compact_key, normalize_key
from xlbudget.core.model import BudgetBook, CellRef

FIGURE_FIELDS = ("table", "row_code", "row_name", "column", "old", "new", "change", "unit")
LINE_FIELDS = ("status", "plan", "branch", "object_code", "note", "old_amount", "new_amount", "change", "fields",
               "old_cell", "new_cell")
ADDED, REMOVED, CHANGED = "新增", "刪除", "變更"
# what a line is compared on once matched (工作計畫, 分支計畫, 用途別科目 and 說明 match it)
LINE_VALUES = (("unit", "單位"), ("quantity", "數量"), ("price", "單價"), ("amount", "預算數"), ("matched", "收支併列數"))


@dataclass(frozen=True)
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
    matched: int | None = None
    cell: CellRef | None = None  # where its 預算數 is

    def __post_init__(self):
        # as typed, not as keyed: ２３ and 23, 「式 」 and 「式」 are the same line, not a change
        for name in ("unit", "quantity"):
            object.__setattr__(self, name, compact_key(getattr(self, name)))
        object.__setattr__(self, "note", normalize_key(self.note))

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What matches a line between two books."""
        return (self.plan, self.branch, self.object_code, self.note)


@dataclass(frozen=True)
class BookFigures:
    """A book reduced to what is compared: table records in printed order, and 歲出 line items."""

    kind: str  # "template" / "printed"
    records: tuple[dict, ...]
    lines: tuple[DetailLine, ...]


@dataclass(frozen=True)
class Comparison:
    """What differs: figure records (FIGURE_FIELDS) and line records (LINE_FIELDS), and the tables' order."""

    figures: tuple[dict, ...]
    lines: tuple[dict, ...]
    tables: tuple[str, ...]  # tables in printed order (new book's first)

    @property
    def same(self) -> bool:
        """Whether the two books hold the same figures and lines."""
        return not self.figures and not self.lines

    def by_table(self) -> dict[str, list[dict]]:
        """Figure records grouped by table in printed order, largest change first within a table."""
        groups: dict[str, list[dict]] = {t: [] for t in self.tables}
        for r in self.figures:
            groups.setdefault(r["table"], []).append(r)
        return {t: sorted(rs, key=lambda r: -abs(r["change"] or 0)) for t, rs in groups.items() if rs}


# ---------------------------------------------------------------- reducing a book

def template_figures(book: BudgetBook) -> BookFigures:
    """A template book: records of every derived table, and its 歲出明細 items."""
    from xlbudget.app.export import export_records

    lines = tuple(DetailLine(i.plan_code, i.branch, i.object_code, i.note, i.unit,
                             "" if i.quantity is None else str(i.quantity), i.unit_price, i.amount, i.matched,
                             i.cells.get("預算數")) for i in book.expenses)
    return BookFigures("template", tuple(export_records(book)), lines)


def printed_figures(tables) -> BookFigures:
    """A hand-made book: records of its printed tables (readable figures only), and its 明細表 items.

    Rows are keyed like the derived tables: a 明細表 row by 工作計畫/分支計畫/科目
    (items by their 說明), a row of another table by its code, or its label
    when it has none, under the plan line it is printed beneath (人事費分析表).
    """
    from xlbudget.rules.detail import PROJECT_LEVEL, detail_level, project_name
    from xlbudget.core.titles import DETAIL

    records: list[dict] = []
    lines: list[DetailLine] = []
    for table in tables:
        branch, path, project = "", "", ""
        for row in table.rows:
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
            for key, fig in row.figures.items():
                if fig.readable and fig.value is not None:
                    records.append({"table": table.title, "row_code": code, "row_name": name, "column": key,
                                    "value": fig.value, "unit": table.unit})
    return BookFigures("printed", tuple(records), tuple(lines))


def _printed_line(row, path: str, branch: str, note: str) -> DetailLine:
    def value(key):
        fig = row.figures.get(key)
        return fig.value if fig is not None and fig.readable else None

    amount = row.figures.get("預算數")
    return DetailLine(row.context, branch, path.rsplit("/", 1)[-1][:4], note,
                      row.texts.get("單位", ("", None))[0], row.texts.get("數量", ("", None))[0],
                      value("單價"), value("預算數"), None, amount.cell if amount is not None else None)


# ---------------------------------------------------------------- comparing

def _keyed(records: Iterable[dict], fields: tuple[str, ...]) -> dict[tuple, dict]:
    """Records by their key fields plus the occurrence of that key (a key printed twice stays two)."""
    seen: dict[tuple, int] = defaultdict(int)
    out = {}
    for r in records:
        key = tuple(r[f] for f in fields)
        out[key + (seen[key],)] = r
        seen[key] += 1
    return out


def _number(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def compare_figures(old: Iterable[dict], new: Iterable[dict]) -> list[dict]:
    """Every figure that differs, appears or disappears, as {table, row_code, row_name, column, old, new, change, unit}.

    Records are matched on table, row code, row name and column (the n-th of
    a repeated key with the n-th); a figure present on one side only is
    compared with nothing (None), its change the whole figure.
    """
    fields = ("table", "row_code", "row_name", "column")
    before, after = _keyed(old, fields), _keyed(new, fields)
    out = []
    for key in list(after) + [k for k in before if k not in after]:
        a, b = before.get(key), after.get(key)
        va, vb = (a or {}).get("value"), (b or {}).get("value")
        if a is not None and b is not None and va == vb:
            continue
        out.append({"table": key[0], "row_code": key[1], "row_name": key[2], "column": key[3],
                    "old": va, "new": vb, "change": _number(vb) - _number(va), "unit": (b or a)["unit"]})
    return out


def compare_lines(old: Iterable[DetailLine], new: Iterable[DetailLine]) -> list[dict]:
    """歲出 lines added, removed or changed, matched on 工作計畫, 分支計畫, 用途別科目 and 說明.

    A changed line names the fields that differ (單位, 數量, 單價, 預算數, 收支併列數).
    """
    def keyed(lines):
        seen: dict[tuple, int] = defaultdict(int)
        out = {}
        for line in lines:
            out[line.key + (seen[line.key],)] = line
            seen[line.key] += 1
        return out

    before, after = keyed(old), keyed(new)
    out = []
    for key in list(before) + [k for k in after if k not in before]:
        a, b = before.get(key), after.get(key)
        if a is not None and b is not None:
            fields = [label for attr, label in LINE_VALUES if getattr(a, attr) != getattr(b, attr)]
            if not fields:
                continue
            status = CHANGED
        else:
            status, fields = (REMOVED if b is None else ADDED), []
        line = b or a
        out.append({"status": status, "plan": line.plan, "branch": line.branch, "object_code": line.object_code,
                    "note": line.note, "old_amount": a.amount if a else None, "new_amount": b.amount if b else None,
                    "change": _number(b.amount if b else None) - _number(a.amount if a else None),
                    "fields": fields, "old_cell": str(a.cell) if a and a.cell else None,
                    "new_cell": str(b.cell) if b and b.cell else None})
    return out


def compare_books(old: BookFigures, new: BookFigures) -> Comparison:
    """Figures and lines of ``new`` against ``old``."""
    tables = tuple(dict.fromkeys([r["table"] for r in new.records] + [r["table"] for r in old.records]))
    return Comparison(tuple(compare_figures(old.records, new.records)), tuple(compare_lines(old.lines, new.lines)),
                      tables)


# ---------------------------------------------------------------- text

def comparison_text(result: Comparison, old_name: str, new_name: str) -> str:
    """The comparison for a terminal: grouped by table, largest change first, then the 歲出明細 lines."""
    if result.same:
        return f"{old_name} 與 {new_name} 各表數字及歲出明細均相同。\n"
    out = [f"比較 {old_name}（舊）→ {new_name}（新）：{len(result.figures)} 個數字不同，"
           f"歲出明細 {len(result.lines)} 筆新增／刪除／變更"]
    for table, records in result.by_table().items():
        out.append(f"\n【{table}】{len(records)} 個數字不同")
        for r in records:
            old, new = format_figure(r["old"]), format_figure(r["new"])
            out.append(f"  {r['row_code']} {r['row_name']}｜{r['column']}：{old} → {new}"
                       f"（{r['change']:+,}）{r['unit']}")
    if result.lines:
        out.append(f"\n【歲出明細】{len(result.lines)} 筆")
        for line in sorted(result.lines, key=lambda x: -abs(x["change"])):
            what = f"（{'、'.join(line['fields'])}）" if line["fields"] else ""
            out.append(f"  {line['status']}{what} {line['plan']} {line['branch']} {line['object_code']}"
                       f" {line['note']}：{format_figure(line['old_amount'])} → {format_figure(line['new_amount'])}"
                       f"（{line['change']:+,}）元")
    return "\n".join(out) + "\n"
