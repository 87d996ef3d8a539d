"""市政白皮書計畫項目預算編列情形表 (issue 14): each project against the 明細表 分支計畫 lines naming it, on a
template book and as printed."""

from __future__ import annotations

from typing import Iterable

from xlbudget.core.findings import Finding, make_finding
from xlbudget.core.titles import (DETAIL as P_DETAIL, WHITEPAPER as P_WHITEPAPER,
                                  WHITEPAPER_PRINTED as P_WHITEPAPER_PRINTED)
from xlbudget.rules.common import cell_of, readable, table_titled, val
from xlbudget.rules.funding import branch_lines
from xlbudget.core.model import BudgetBook
from xlbudget.derive.funding import project_lines


def check_whitepaper(book: BudgetBook) -> list[Finding]:
    """Each project's 本年度預算案數 = the project's 明細表 lines (``project_lines``, in its plan when typed)."""
    findings = []
    for w in book.whitepaper:
        if not w.name:
            continue  # a 主軸 heading with no project under it
        items = project_lines(book, w.plan_code, w.name)
        expected = sum(i.amount for i in items)
        if expected != w.amount:
            findings.append(make_finding("whitepaper-vs-items", w.cells.get("本年度預算案數"), expected=expected,
                                         actual=w.amount, name=w.name,
                                         related=tuple(i.cells["預算數"] for i in items if i.cells.get("預算數"))))
    return findings


def check_whitepaper_printed(tables) -> Iterable[Finding]:
    """Each 計畫項目's 本年度預算案數 = the printed 明細表 lines of the project (funding.branch_lines: its 計畫項目
    row, or the 分支計畫 lines naming it; 08和興路… is 和興路…); a project the 明細表 does not name is left unchecked."""
    table = table_titled(tables, P_WHITEPAPER) or table_titled(tables, P_WHITEPAPER_PRINTED)
    detail = table_titled(tables, P_DETAIL)
    if table is None or detail is None:
        return
    amount_key = next((k for k in table.columns if "預算" in k), None)
    for row in table.rows:
        name = next((t for k, (t, _) in row.texts.items() if "計畫項目" in k), "")
        if not name or amount_key not in row.figures:
            continue
        branches = branch_lines(detail, name)
        if not branches or not readable([(row, amount_key)] + [(r, "預算數") for r in branches]):
            continue
        expected = sum(val(r, "預算數") for r in branches)
        if expected != val(row, amount_key):
            yield make_finding("whitepaper-vs-items", cell_of(row, amount_key), expected=expected,
                               actual=val(row, amount_key), name=name,
                               related=tuple(r.figures["預算數"].cell for r in branches))
