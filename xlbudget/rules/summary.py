"""各項費用彙計表, as printed: row 合計 = Σ plans, 一級 = Σ 二級, each cell = the rounded 明細表 figure."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from xlbudget.core import codes
from xlbudget.core.amounts import to_thousands
from xlbudget.core.findings import Finding, make_finding
from xlbudget.core.keys import compact_key
from xlbudget.core.titles import DETAIL as P_DETAIL, SUMMARY as P_SUMMARY, UNHEADED
from xlbudget.core.codes import PLAN_CODE as P_PLAN_CODE
from xlbudget.rules.common import (amount_keys, cell_of, closing_totals, column_name, finding, readable, sum_finding,
                                   table_titled, total_word, tree_sums, val)
from xlbudget.rules.detail import detail_totals

# annotations only: a template book's checks (build, convert) never import the printed-table readers
if TYPE_CHECKING:
    from xlbudget.readers.printed_model import PrintedRow, PrintedTable

def summary_level(row: PrintedRow) -> int | None:
    if row.label.startswith("合計"):
        return 0
    if len(row.code) in (6, 4):
        return 1 if row.code[1:4] == "000" else 2
    return None


def check_summary(tables) -> Iterable[Finding]:
    """各項費用彙計表: row 合計 = Σ plans; 一級 = Σ 二級; 合計 = Σ 一級; each cell = rounded 明細表 figure. A column
    printing no plan code that is not 合計 (112年度預算數 kept beside the plans) is in no 合計: said, at its first
    figure (summary-column-unplaced)."""
    table = table_titled(tables, P_SUMMARY)
    if table is None:
        return
    keys = amount_keys(table)
    plan_keys = [k for k in keys if re.fullmatch(P_PLAN_CODE, k)]
    total_key = next((k for k in keys if k.startswith("合計")), None)
    rows = [r for r in table.rows if summary_level(r) is not None or total_word(r)]
    unplaced = [k for k in keys if k not in plan_keys and k != total_key]
    summed = _summed_columns(table, rows, total_key, plan_keys, unplaced)
    for key in unplaced:
        if UNHEADED not in key:  # a column under no header word is named by check_unheaded_columns
            yield _unplaced_column(tables, table, key, key in summed)
    meant = _mistyped_codes(tables, table, plan_keys)
    for key, plan in meant.items():
        heads = dict(table.header_cells).get(key, ())
        cell = next((c for text, c in heads if key in text), heads[0][1] if heads else
                    next(r.figures[key].cell for r in table.rows if key in r.figures))
        yield finding("summary-plan-code-mismatch", cell, plan, key, table=table.title, name=dict(table.column_names)[key])
    if total_key:
        for row in rows:
            f = sum_finding(table, row, total_key, [(row, k) for k in plan_keys + summed], "合計欄")
            if f:
                yield f
    rows, closing = closing_totals(table, rows, summary_level, keys)
    yield from closing
    yield from tree_sums(table, rows, summary_level, keys)
    yield from _summary_codes(rows)
    detail = detail_totals(tables)
    if detail is None:
        return
    plans, by_code = detail
    for row in rows:
        lv = summary_level(row)
        for key in plan_keys + ([total_key] if total_key else []):
            if lv == 0:
                yuan = plans.get(meant.get(key, key)) if key in plan_keys else sum(plans.values())
            else:
                code = row.code[:4]
                # a column whose code is unreadable but which the 合計 adds up is a plan: the 合計 is all of them; a
                # code mistyped as another plan's (summary-plan-code-mismatch) is held as the plan its name is
                members = ((list(plans) if summed else [meant.get(k, k) for k in plan_keys]) if key == total_key
                           else [meant.get(key, key)])
                parts = [v for (p, c), v in by_code.items() if p in members and
                         (c[0] == code[0] if lv == 1 else c == code)]
                yuan = None if None in parts else sum(parts)
            if yuan is None or not readable([(row, key)]):
                continue
            expected = to_thousands(yuan) if table.unit == "千元" else yuan
            if val(row, key) != expected:
                cell = cell_of(row, key) or row.label_cell
                if table.unit == "千元":
                    yield finding("thousand-rounding-mismatch", cell, expected, val(row, key), table=table.title,
                                  what=f"{row.label} {column_name(key)}", yuan=f"{yuan:,}")
                else:
                    yield finding("cross-table-mismatch", cell, expected, val(row, key), table=table.title,
                                  what=f"{row.label} {column_name(key)}", other=P_DETAIL)


def _summed_columns(table: PrintedTable, rows: list[PrintedRow], total_key: str | None, plan_keys: list[str],
                    unplaced: list[str]) -> list[str]:
    """The columns with no plan code (or one mistyped: 「320283003010」, a digit too many) that the 合計 column adds
    up: those with which more rows' 合計 agree than without. Left out, each such column put a wrong 應為 on every
    right 合計 it has a figure in (field report 13 F11); a column the 合計 does not add (112年度預算數 kept beside the
    plans) stays out."""
    summed: list[str] = []
    if total_key is None:
        return summed

    def agreeing(columns: list[str]) -> int:
        return sum(1 for row in rows if total_key in row.figures
                   and sum_finding(table, row, total_key, [(row, k) for k in columns], exact=True) is None)

    for key in unplaced:
        if agreeing(plan_keys + summed + [key]) > agreeing(plan_keys + summed):
            summed.append(key)
    return summed


def _mistyped_codes(tables, table: PrintedTable, plan_keys: list[str]) -> dict[str, str]:
    """Each 彙計表 plan column whose code, an 11-digit one, no other table prints, and whose name another table prints
    under the one code the 彙計表 has no column for (32020180101 行政管理 headed 「32020180102 行政管理」) → that code.
    Matched by its code alone, such a column was held to no plan: the 明細表 gave each of its figures and each 合計
    «應為 0» (46 errors on right cells, the heading never named), and 一級用途別 and 機關別 were not held to it, nothing
    said (field report 13 F11's slip with a digit changed, not added or left out)."""
    printed: dict[str, set[str]] = {}  # a plan name → the 工作計畫 codes other tables print it under
    codes_elsewhere: set[str] = set()
    for t in tables:
        if t is table:
            continue
        for r in t.rows:
            if re.fullmatch(P_PLAN_CODE, r.code) and not r.code.endswith("00"):
                codes_elsewhere.add(r.code)
                printed.setdefault(r.name, set()).add(r.code)
        codes_elsewhere.update(r.context for r in t.rows if r.context)
    names = dict(table.column_names)
    meant = {}
    for key in plan_keys:
        if key in codes_elsewhere or not codes_elsewhere:
            continue
        others = {c for c in printed.get(names.get(key, ""), ()) if c not in table.columns}
        if len(others) == 1:
            meant[key] = others.pop()
    return meant


def _unplaced_column(tables, table: PrintedTable, key: str, summed: bool) -> Finding:
    """A column printing no plan code that is not 合計, named at its heading: at the digits it prints where a plan
    code belongs (summary-plan-code-unreadable, with the plan of its name as 應為 when another table prints that name
    under a code the 彙計表 has no column for), else at its heading's top line, where a code is printed over its
    name (summary-column-unplaced)."""
    heads = dict(table.header_cells).get(key, ())
    first = next(r.figures[key].cell for r in table.rows if key in r.figures)
    said = ("其數字與各工作計畫欄同列入「合計欄＝各工作計畫欄之和」，但未與明細表勾稽" if summed
            else "未列入「合計欄＝各工作計畫欄之和」及與明細表的勾稽")
    digits = next(((m.group(0), cell) for text, cell in heads for m in [re.search(r"\d{7,}", text)] if m), None)
    if digits is None:
        return finding("summary-column-unplaced", heads[0][1] if heads else first, table=table.title, column=key,
                       summed=said)
    name = _unread_name(key)
    plans = {r.code for t in tables if t is not table for r in t.rows
             if re.fullmatch(P_PLAN_CODE, r.code) and not r.code.endswith("00") and r.name == name
             and r.code not in table.columns}  # a 工作計畫, not the 業務計畫 (…00) it is often named after
    plan = plans.pop() if len(plans) == 1 else None
    hint = f"；「{name}」在其他表所印的工作計畫編號為 {plan}" if plan else ""
    return finding("summary-plan-code-unreadable", digits[1], plan, digits[0], table=table.title, column=key,
                   hint=hint, summed=said)


def _summary_codes(rows: list[PrintedRow]) -> Iterable[Finding]:
    table_codes = codes.object_codes()
    for row in rows:
        if len(row.code) != 6:
            continue
        code = row.code[:4]
        entry = table_codes.get(code)
        if entry is None or not row.code.endswith("00"):
            yield make_finding("unknown-object-code", row.label_cell, actual=row.code, code=row.code)
        elif row.name and row.name not in entry.names:
            yield make_finding("object-name-mismatch", row.label_cell, expected=entry.name, actual=row.name,
                               code=code)


def plan_column(summary: PrintedTable, plan: str) -> str | None:
    """The 彙計表 column of a plan named as printed (0132010100-行政支出-一般行政-行政管理, 一般行政-行政管理):
    its code when it prints one, else the one column whose header name is the plan's last part."""
    m = re.search(P_PLAN_CODE, plan)
    if m and m.group(0) in summary.columns:
        return m.group(0)
    name = compact_key(plan).split("-")[-1]
    keys = [k for k, n in summary.column_names if n == name] or [  # a plan code mistyped over its name: its column
        k for k in summary.columns if not re.fullmatch(P_PLAN_CODE, k) and _unread_name(k) == name]
    return keys[0] if len(keys) == 1 else None


def _unread_name(key: str) -> str:
    """The name a column's header prints after digits that are no plan code (320283003010/主計業務 → 主計業務)."""
    return re.sub(r"^\d+/?", "", key)
