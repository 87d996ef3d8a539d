"""歲出一級用途別科目分析表, 資本支出分析表 and 歲出按職能及經濟性綜合分類表, as printed: rows keyed by 11-digit
codes, 經常 + 資本 = 合計, and their totals against 各項費用彙計表 and each other."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from xlbudget.core import codes
from xlbudget.core.findings import Finding
from xlbudget.core.titles import (CAPITAL as P_CAPITAL, FUNCTION_ECON as P_FUNCTION, LEVEL1 as P_LEVEL1,
                                  SUMMARY as P_SUMMARY)
from xlbudget.rules.common import (amount_keys, blank_cell, cell_of, closing_totals, column_name,
                                   finding, in_unit, object_name, readable, sum_finding, table_titled, tree_sums, val)
from xlbudget.rules.detail import detail_totals
from xlbudget.rules.summary import plan_column

# annotations only: a template book's checks (build, convert) never import the printed-table readers
if TYPE_CHECKING:
    from xlbudget.readers.printed_model import PrintedRow, PrintedTable

def plan_level(row: PrintedRow) -> int | None:
    if row.label.startswith(("合計", "總計")):
        return 0
    if len(row.code) == 10:
        return 1  # 主管 (0002000000)
    if len(row.code) == 11:
        if row.code.endswith("0000000"):
            return 1
        if row.code.endswith("0000"):
            return 2
        return 3 if row.code.endswith("00") else 4
    return None


_HEAD_DIGITS = {2: 7, 3: 9}  # a plan row of level 2 (機關, …0000) heads the codes of its first 7 digits; 3 (…00): 9
_LEVEL_NAMES = {2: "機關或政事別", 3: "業務計畫"}


def _heads(head: PrintedRow, level: int, code: str) -> bool:
    """Whether the plan row ``head`` (of ``level``) holds the plan ``code``: 合計 and 主管 hold every row below."""
    digits = _HEAD_DIGITS.get(level)
    return digits is None or code[:digits] == head.code[:digits]


def plan_children(rows: list[PrintedRow]) -> dict[int, list[int]]:
    """Each plan row's parts (indexes into ``rows``, every one levelled by plan_level): the rows of which it is the
    nearest row above of a higher level holding their code. Where a sub-heading was deleted by hand (32020180100
    一般行政 above 32020180101 行政管理), its rows are parts of the heading above it, never of the row before them
    (revw: 行政支出 was told 應為 the sum without them, 一般行政 the sum with another 業務計畫's)."""
    levels = [plan_level(r) for r in rows]
    parts: dict[int, list[int]] = {}
    for j, row in enumerate(rows):
        if not levels[j]:
            continue
        head = next((i for i in range(j - 1, -1, -1) if levels[i] < levels[j] and _heads(rows[i], levels[i], row.code)),
                    None)
        if head is not None:
            parts.setdefault(head, []).append(j)
    return parts


def headings_missing(table: PrintedTable, rows: list[PrintedRow]) -> Iterable[Finding]:
    """Plan rows printed without the row of their 業務計畫 (or 機關) above them where the table prints such rows: one
    warning a missing heading, at its first row's label, the others related (plan-heading-missing); their figures are
    then held to the heading above (plan_children)."""
    levels = [plan_level(r) for r in rows]
    printed = {r.code for r in rows}
    shown = set(levels)
    orphans: dict[str, tuple[int, list[PrintedRow]]] = {}  # missing heading code → (its level, rows under it)
    for row, lv in zip(rows, levels):
        for level in (3, 2):
            if lv is None or lv <= level or level not in shown:
                continue
            digits = _HEAD_DIGITS[level]
            parent = row.code[:digits] + "0" * (11 - digits)
            if parent not in printed:
                orphans.setdefault(parent, (level, []))[1].append(row)
            break
    for parent, (level, under) in orphans.items():
        j = next(i for i, r in enumerate(rows) if r is under[0])
        above = next((rows[i] for i in range(j - 1, -1, -1) if levels[i] is not None and levels[i] < level
                      and _heads(rows[i], levels[i], parent)), None)
        yield finding("plan-heading-missing", under[0].label_cell, related=tuple(r.label_cell for r in under[1:]
                                                                                 if r.label_cell),
                      table=table.title, label="、".join(r.label for r in under), parent=parent,
                      level=_LEVEL_NAMES[level], above=above.label if above else "合計")


def _closed(table: PrintedTable, keys: list[str]):
    """The rows placed by plan (plan_level), after the 小計 / 總計 rows an officer adds are checked against the
    lines they close (common.closing_totals: totals-row-mismatch); yields those findings, returns the rows."""
    rows, closing = closing_totals(table, list(table.rows), plan_level, keys)
    yield from closing
    return [r for r in rows if plan_level(r) is not None]


def plan_sums(table: PrintedTable) -> list[tuple[PrintedRow, list[PrintedRow], list[str]]]:
    """Each row of 一級用途別科目分析表 or 資本支出分析表 that adds up rows beneath it (tree_sums's totals, after the
    closing 小計 rows), with those rows and the columns summed: what blanks.blank_totals holds a blank total to."""
    keys = amount_keys(table)
    rows, _ = closing_totals(table, list(table.rows), plan_level, keys)
    rows = [r for r in rows if plan_level(r) is not None]
    children = plan_children(rows)
    return [(row, parts, keys) for i, row in enumerate(rows) if (parts := [rows[j] for j in children.get(i, [])])]


def group_sums(table: PrintedTable, row: PrintedRow, group: str, total_key: str) -> Finding | None:
    parts = [k for k in row.figures if k.startswith(group + "/") and k != total_key]
    if total_key not in row.figures and not parts:
        return None
    return sum_finding(table, row, total_key, [(row, k) for k in parts], column_name(total_key))


def check_level1(tables) -> Iterable[Finding]:
    """一級用途別科目分析表: 小計 = Σ 一級; 合計 = 經常 + 資本; rows by plan; 經資門 per code; vs 彙計表."""
    table = table_titled(tables, P_LEVEL1)
    if table is None:
        return
    keys = amount_keys(table)
    rows = yield from _closed(table, keys)
    for row in rows:
        for group in ("經常支出", "資本支出"):
            f = group_sums(table, row, group, f"{group}/小計")
            if f:
                yield f
        f = sum_finding(table, row, "合計", [(row, "經常支出/小計"), (row, "資本支出/小計")], "「合計」欄")
        if f:
            yield f
        for key, basis in (("資本支出/人事費", "經常"), ("資本支出/債務費", "經常"), ("經常支出/設備及投資", "資本")):
            if val(row, key):
                name = key.split("/")[1]
                yield finding("basis-column-not-allowed", cell_of(row, key), None, val(row, key), name=name,
                              expected=basis, actual=key.split("/")[0][:2])
    sums = tree_sums(table, rows, plan_level, keys, identity=("合計", ["經常支出/小計", "資本支出/小計"]),
                     children_of=plan_children)
    yield from headings_missing(table, rows)
    missing_under = set()  # the rows heading a plan the 彙計表 prints and this table does not: named as that
    summary = table_titled(tables, P_SUMMARY)
    if summary is not None and summary.unit == table.unit:
        total_row = next((r for r in summary.rows if r.label.startswith("合計")), None)
        printed = {r.code for r in rows}
        # each plan's 彙計表 column: its code's, else the one its name heads when that column's code is not one of
        # this table's plans (a code mistyped over it, named by check_summary): held to it, never left unchecked
        column_of = {id(r): r.code if r.code in summary.columns else next(
            (k for k in [plan_column(summary, r.name)] if k is not None and k not in printed), None) for r in rows}
        for row in rows:
            plan = column_of[id(row)]
            if total_row is None or len(row.code) != 11 or row.code.endswith("00") or plan is None:
                continue
            if plan in total_row.figures and readable([(row, "合計"), (total_row, plan)]) \
                    and val(row, "合計") != val(total_row, plan):
                yield finding("cross-table-mismatch", cell_of(row, "合計") or row.label_cell, val(total_row, plan),
                              val(row, "合計"), (cell_of(total_row, plan),), table=table.title,
                              what=f"{row.label} 合計", other=P_SUMMARY)
        placed = {column_of[id(r)] for r in rows if len(r.code) == 11 and not r.code.endswith("00")}
        for plan in summary.columns:  # a plan of the 彙計表 with no row here (deleted by hand): named, never 0
            if len(plan) == 11 and plan.isdigit() and not plan.endswith("00") and plan not in placed:
                head = next((r for r in reversed(rows) if (lv := plan_level(r)) is not None and lv < 4
                             and len(r.code) == 11 and _heads(r, lv, plan)), None)
                missing_under.add(id(head))
                yield finding("plan-row-missing", (head.label_cell if head else None) or table.title_cell,
                              table=table.title, plan=plan, name=dict(summary.column_names).get(plan, ""),
                              other=P_SUMMARY)
        by_code = {r.code[:4]: r for r in summary.rows if len(r.code) == 6 and r.code[1:] == "00000"}
        for row in rows:
            if len(row.code) != 11 or row.code.endswith("00"):
                continue
            plan = column_of[id(row)]
            if plan is None:  # no 0 to compare with, and never silent: the 彙計表 lacks the plan,
                if plan_column(summary, row.name) is None:  # or its page was unread (sheet-unread names it too)
                    yield finding("summary-plan-missing", row.label_cell, table=table.title, plan=row.label,
                                  other=P_SUMMARY)
                continue
            for l1, srow in by_code.items():
                name = object_name(l1)
                cur, cap = f"經常支出/{name}", f"資本支出/{name}"
                if plan not in srow.figures and cur not in row.figures and cap not in row.figures:
                    continue
                if not readable([(row, cur), (row, cap), (srow, plan)]):
                    continue
                both = val(row, cur) and val(row, cap)
                diff = val(row, cur) + val(row, cap) - val(srow, plan)
                if abs(diff) > (1 if both else 0):
                    key = cur if (cur in row.figures or cap not in row.figures) else cap
                    yield finding("cross-table-mismatch", cell_of(row, key) or row.label_cell,
                                  val(srow, plan) - (val(row, cap) if key == cur else val(row, cur)), val(row, key),
                                  tuple(c for c in (cell_of(srow, plan),) if c), table=table.title,
                                  what=f"{row.label} {name}", other=P_SUMMARY)
        if total_row is not None and rows and rows[0].label.startswith("合計"):
            total_key = next((k for k in total_row.figures if k.startswith("合計")), None)
            if total_key and readable([(rows[0], "合計"), (total_row, total_key)]) \
                    and val(rows[0], "合計") != val(total_row, total_key):
                yield finding("cross-table-mismatch", cell_of(rows[0], "合計"), val(total_row, total_key),
                              val(rows[0], "合計"), (cell_of(total_row, total_key),), table=table.title,
                              what="合計", other=P_SUMMARY)
    heads = {r.label_cell for r in rows if id(r) in missing_under}
    yield from (f for f in sums if not (f.rule == "table-row-missing" and f.cell in heads))


def check_capital(tables) -> Iterable[Finding]:
    """資本支出分析表: 合計 = Σ columns; rows by plan; 合計 = 一級用途別科目分析表 資本支出小計."""
    table = table_titled(tables, P_CAPITAL)
    if table is None:
        return
    keys = amount_keys(table)
    rows = yield from _closed(table, keys)
    for row in rows:
        parts = [(row, k) for k in row.figures if k != "合計"]
        f = sum_finding(table, row, "合計", parts, "「合計」欄")
        if f:
            yield f
    yield from tree_sums(table, rows, plan_level, keys, identity=("合計", [k for k in keys if k != "合計"]),
                         children_of=plan_children)
    yield from headings_missing(table, rows)
    yield from _capital_versus_summary(table, rows, table_titled(tables, P_SUMMARY), detail_totals(tables))
    level1 = table_titled(tables, P_LEVEL1)
    if level1 is None:
        return
    by_code = {(r.code or r.label[:2]): r for r in level1.rows if plan_level(r) is not None}
    for row in rows:
        other = by_code.get(row.code or row.label[:2])
        if other is None or not readable([(row, "合計"), (other, "資本支出/小計")]):
            continue
        if val(row, "合計") != val(other, "資本支出/小計"):
            yield finding("cross-table-mismatch", cell_of(row, "合計") or row.label_cell, val(other, "資本支出/小計"),
                          val(row, "合計"), tuple(c for c in (cell_of(other, "資本支出/小計"),) if c),
                          table=table.title, what=f"{row.label} 合計", other=f"{P_LEVEL1}（{other.label} 資本支出小計）")


def _capital_versus_summary(table: PrintedTable, rows: list[PrintedRow], summary: PrintedTable | None,
                            detail) -> Iterable[Finding]:
    """Each 工作計畫's 設備及投資 column (機械設備, 資訊軟硬體設備 …) = the 彙計表's 二級 line of that kind (3020, 3030 …:
    the object codes' capital_column, as derive_capital sorts the lines) in that plan's column: the same 元 rounded
    once each. A kind the 彙計表 prints no line of is 0 there when it prints its 300000 設備及投資 line (its 二級
    lines are then all of it); a plan with no 彙計表 column is summary-plan-missing's (check_level1). Where the
    明細表 (``detail``: detail.detail_totals) disagrees with that 彙計表 figure, the 彙計表 is no source: which of the
    three is wrong is check_summary's to say, not this table's."""
    if summary is None or (summary.unit != table.unit and (summary.unit, table.unit) != ("元", "千元")):
        return
    kinds = {f"設備及投資/{e.capital_column}": code for code, e in codes.object_codes().items()
             if codes.level1_of(code) == "3000" and code != "3000" and e.capital_column}
    lines = {r.code[:4]: r for r in summary.rows if len(r.code) in (4, 6)}
    whole = lines.get("3000")
    for row in rows:
        plan = row.code if len(row.code) == 11 and not row.code.endswith("00") else None
        if plan is None or plan not in summary.columns:
            continue
        for key in [k for k in table.columns if k in kinds]:
            srow = lines.get(kinds[key])
            if srow is None and whole is None or not readable([(row, key)] + ([(srow, plan)] if srow else [])):
                continue
            expected = in_unit(val(srow, plan), summary.unit, table.unit) if srow is not None else 0
            yuan = detail[1].get((plan, kinds[key]), 0) if detail is not None else None
            if val(row, key) == expected or detail is not None and (
                    yuan is None or in_unit(yuan, "元", summary.unit) != (val(srow, plan) if srow is not None else 0)):
                continue
            cell, what = cell_of(row, key) or blank_cell(table, row, key), f"{row.label} {key.split('/')[-1]}"
            other = srow if srow is not None else whole
            related = tuple(c for c in (cell_of(other, plan) or other.label_cell,) if c)
            if summary.unit != table.unit:
                yield finding("thousand-rounding-mismatch", cell, expected, val(row, key), related, table=table.title,
                              what=what, yuan=f"{val(srow, plan) if srow is not None else 0:,}")
            else:
                yield finding("cross-table-mismatch", cell, expected, val(row, key), related, table=table.title,
                              what=what, other=f"{P_SUMMARY}（{srow.label if srow is not None else '無此科目'}）")


def check_function_econ(tables) -> Iterable[Finding]:
    """職能及經濟性綜合分類表: 經常/資本支出合計 = Σ columns; 總計 = both; 總計 row = Σ 職能; 總計 = 彙計表 合計."""
    table = table_titled(tables, P_FUNCTION)
    if table is None:
        return
    keys = amount_keys(table)
    for row in table.rows:
        for group in ("經常支出", "資本支出"):
            f = group_sums(table, row, group, f"{group}/{group}合計")
            if f:
                yield f
        f = sum_finding(table, row, "總計", [(row, "經常支出/經常支出合計"), (row, "資本支出/資本支出合計")],
                         "「總計」欄")
        if f:
            yield f
    level = lambda r: 0 if r.label.startswith(("總計", "合計")) else (1 if len(r.code) == 2 else None)  # noqa: E731
    # a 職能 row deleted by hand: one row missing, not a right 總計 blamed in every column (revw)
    yield from tree_sums(table, list(table.rows), level, keys,
                         identity=("總計", ["經常支出/經常支出合計", "資本支出/資本支出合計"]))
    total = next((r for r in table.rows if level(r) == 0), None)
    level1 = table_titled(tables, P_LEVEL1)
    summary = table_titled(tables, P_SUMMARY)
    pairs = []
    if level1 is not None:
        l1_total = next((r for r in level1.rows if r.label.startswith("合計")), None)
        if l1_total is not None:
            pairs += [("經常支出/經常支出合計", l1_total, "經常支出/小計", P_LEVEL1),
                      ("資本支出/資本支出合計", l1_total, "資本支出/小計", P_LEVEL1),
                      ("總計", l1_total, "合計", P_LEVEL1)]
    elif summary is not None and summary.unit == table.unit:
        s_total = next((r for r in summary.rows if r.label.startswith("合計")), None)
        key = next((k for k in (s_total.figures if s_total else {}) if k.startswith("合計")), None)
        if key:
            pairs.append(("總計", s_total, key, P_SUMMARY))
    for key, other_row, other_key, other in pairs:
        if total is None or not readable([(total, key), (other_row, other_key)]):
            continue
        if val(total, key) != val(other_row, other_key):
            yield finding("cross-table-mismatch", cell_of(total, key) or total.label_cell, val(other_row, other_key),
                          val(total, key), tuple(c for c in (cell_of(other_row, other_key),) if c),
                          table=table.title, what=f"總計 {column_name(key)}", other=other)
