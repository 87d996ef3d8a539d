"""轉帳收支對照表 (issue 14): on a template book, against 收支併列數 and the 歲入明細 lines; as printed,
歲出 總計 = 歲入 總計, each side's 款 → 項 → 目 → 節 sums, and its lines against the 明細表's 收支併列 and the
歲入來源別預算表."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from xlbudget.core import codes
from xlbudget.core.amounts import to_thousands
from xlbudget.core.findings import Finding, make_finding
from xlbudget.core.keys import compact_key
from xlbudget.core.titles import (DETAIL as P_DETAIL, REVENUE_SOURCES as P_REV_SOURCES,
                                  TAIPEI_REVENUE as P_TAIPEI_REVENUE, TRANSFERS as P_TRANSFERS)
from xlbudget.core.codes import PLAN_CODE as P_PLAN_CODE
from xlbudget.rules.budgets import current_key
from xlbudget.rules.common import cell_of, finding, funding_parts, in_unit, readable, table_titled, tree_sums, val
from collections import defaultdict
from xlbudget.core.model import BudgetBook, Transfer

# annotations only: a template book's checks (build, convert) never import the printed-table readers
if TYPE_CHECKING:
    from xlbudget.readers.printed_model import PrintedRow


def check_transfers(book: BudgetBook) -> list[Finding]:
    """轉帳 of a plan = its 收支併列數 in 歲出明細 (臺中 115: 446,000 元); 轉帳 of a 歲入 科目 this book budgets =
    its 歲入明細 lines. Cells on both sides."""
    if not book.transfers:
        return []
    findings = []
    by_plan: dict[str, list[Transfer]] = defaultdict(list)
    for t in book.transfers:
        by_plan[t.plan_code].append(t)
    for plan, transfers in sorted(by_plan.items()):
        items = [i for i in book.expenses if i.plan_code == plan and i.matched]
        actual, expected = sum(t.amount for t in transfers), sum(i.matched for i in items)
        if actual != expected:
            mine = [t.cells["預算數"] for t in transfers if "預算數" in t.cells]
            other = [i.cells["收支併列數"] for i in items if "收支併列數" in i.cells]
            # more transferred than the plan matches is the 轉帳收支 figure's fault (no 收支併列 can carry it)
            rule = "transfer-exceeds-matched" if actual > expected else "transfer-vs-matched"
            findings.append(make_finding(rule, mine[0] if mine else None, expected=expected,
                                         actual=actual, related=tuple(mine[1:] + other), plan=plan))
    budgeted: dict[str, list] = defaultdict(list)
    for r in book.revenues:
        budgeted[r.code].append(r)
    by_code: dict[str, list[Transfer]] = defaultdict(list)
    for t in book.transfers:
        by_code[t.revenue_code].append(t)
    for code, transfers in sorted(by_code.items()):
        if code not in budgeted:
            continue  # another agency's revenue: its book carries the line
        actual, expected = sum(t.amount for t in transfers), sum(r.amount for r in budgeted[code])
        if actual != expected:
            mine = [t.cells["預算數"] for t in transfers if "預算數" in t.cells]
            other = [r.cells["預算數"] for r in budgeted[code] if "預算數" in r.cells]
            findings.append(make_finding("transfer-vs-revenue", mine[0] if mine else None, expected=expected,
                                         actual=actual, related=tuple(mine[1:] + other), code=code))
    return findings


_OUT, _IN = "歲出/預算數", "歲入/預算數"

_LEVEL_KEYS = ("款", "項", "目", "節")


def _transfer_out_level(row: PrintedRow) -> int | None:
    """歲出 side: 總計 0, 款 1 … 節 4 (by the 款/項/目/節 number printed)."""
    if row.label.startswith(("總計", "合計")):
        return 0
    return next((i + 1 for i, n in enumerate(row.numbers) if n), None) if _OUT in row.figures else None


def _transfer_in_level(row: PrintedRow) -> int | None:
    """歲入 side: 總計 0, 款 1 … 節 4, by its number or else by its 來源別科目編號 (12173500200 is a 目)."""
    if _IN not in row.figures:
        return None
    name = compact_key(row.texts.get("名稱及編號", ("", None))[0])
    if name.startswith(("總計", "合計")) or (not name and row.label.startswith(("總計", "合計"))):
        return 0
    numbered = next((i + 1 for i, k in enumerate(_LEVEL_KEYS) if compact_key(row.texts.get(k, ("", None))[0])), None)
    if numbered:
        return numbered
    m = re.match(r"^(\d{11})", name)
    if not m:
        return None
    return 1 + [lv == m.group(1) for lv in codes.revenue_levels(m.group(1))].index(True)


def check_transfers_printed(tables) -> Iterable[Finding]:
    """轉帳收支對照表: 歲出 總計 = 歲入 總計; each side's 款 → 項 → 目 → 節 sums; each 工作計畫 line = the
    收支併列 its 明細表 合計 states (臺中 115: 446 千元 = 收支併列446,000元); each 歲入 節 line this book budgets =
    its 歲入來源別預算表 line."""
    table = table_titled(tables, P_TRANSFERS)
    if table is None:
        return
    rows = list(table.rows)
    yield from tree_sums(table, rows, _transfer_out_level, [_OUT])
    yield from tree_sums(table, rows, _transfer_in_level, [_IN])
    total = next((r for r in rows if _transfer_out_level(r) == 0), None)
    if total is not None and _OUT in total.figures and _IN in total.figures and readable(
            [(total, _OUT), (total, _IN)]) and val(total, _OUT) != val(total, _IN):
        yield finding("transfer-sides-mismatch", cell_of(total, _OUT), val(total, _IN), val(total, _OUT),
                      (cell_of(total, _IN),))
    detail = table_titled(tables, P_DETAIL)
    if detail is not None:
        for row in rows:
            if _transfer_out_level(row) != 4 or not re.fullmatch(P_PLAN_CODE, row.code) \
                    or not readable([(row, _OUT)]):
                continue
            at = next((n for n, r in enumerate(detail.rows) if r.context == row.code and r.label.startswith("合計")),
                      None)
            if at is None:
                continue
            text, cell = detail.rows[at].texts.get("說明", ("", None))
            for more in detail.rows[at + 1:]:  # the note wrapped onto the rows below (收支併列 / 446,000元)
                if more.figures or more.label or "說明" not in more.texts:
                    break
                text += more.texts["說明"][0]
            parts = funding_parts(compact_key(text))
            if parts is None:
                continue  # no 市款／收支併列 note printed: nothing to tie to
            matched = parts.get("收支併列", 0)
            if to_thousands(matched) != val(row, _OUT):
                yield make_finding("transfer-vs-matched", cell_of(row, _OUT), expected=to_thousands(matched),
                                   actual=val(row, _OUT), related=(cell,) if cell else (), plan=row.code)
    sources = table_titled(tables, P_REV_SOURCES) or table_titled(tables, P_TAIPEI_REVENUE)
    if sources is not None:
        key = current_key(sources)
        by_code = {r.code: r for r in sources.rows if r.code}
        for row in rows:
            name = compact_key(row.texts.get("名稱及編號", ("", None))[0])
            m = re.match(r"^(\d{11})", name)
            other = by_code.get(m.group(1)) if m and _transfer_in_level(row) == 4 else None
            if other is None or not readable([(row, _IN), (other, key)]):
                continue
            if in_unit(val(other, key), sources.unit, "千元") != val(row, _IN):
                yield make_finding("transfer-vs-revenue", cell_of(row, _IN),
                                   expected=in_unit(val(other, key), sources.unit, "千元"), actual=val(row, _IN),
                                   related=tuple(c for c in (cell_of(other, key),) if c), code=m.group(1))
