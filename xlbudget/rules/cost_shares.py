"""各項費用分攤表 (issue 14), as printed: 本年度 合計 = its parts, a project = Σ its parties, and each 分攤比率."""

from __future__ import annotations

from typing import Iterable

from xlbudget.core.findings import Finding, make_finding
from xlbudget.readers.printed import COST_SHARES as P_COST_SHARES, PrintedRow
from xlbudget.rules.common import cell_of, column_name, readable, sum_finding, table_titled, val

def check_cost_shares_printed(tables) -> Iterable[Finding]:
    """各項費用分攤表: 本年度 合計 = 施工費用 + 工程管理費 + 委外費用 on every line; a project line = Σ its parties,
    column by column; each party's 分攤比率 = its 總經費 ÷ the project's, in % to two places (52.32)."""
    from decimal import Decimal, InvalidOperation

    from xlbudget.derive.cost_shares import share_ratio

    table = table_titled(tables, P_COST_SHARES)
    if table is None:
        return
    whole_key = next((k for k in table.columns if k.endswith("總經費")), None)
    total_key = next((k for k in table.columns if "本年度" in k and k.endswith("合計")), None)
    parts = [k for k in table.columns if "設備及投資" in k]
    if whole_key is None:
        return
    groups: list[tuple[PrintedRow, list[PrintedRow]]] = []
    for row in table.rows:
        if whole_key not in row.figures:
            continue
        if row.label:
            groups.append((row, []))
        elif groups:
            groups[-1][1].append(row)
        if total_key and parts:
            f = sum_finding(table, row, total_key, [(row, k) for k in parts], column_name(total_key))
            if f:
                yield f
    for project, parties in groups:
        if not parties:
            continue
        for key in [whole_key] + ([total_key] if total_key else []) + parts:
            f = sum_finding(table, project, key, [(r, key) for r in parties], column_name(key))
            if f:
                yield f
        if not readable([(project, whole_key)] + [(r, whole_key) for r in parties]):
            continue
        for party in parties:
            text, cell = next(((t, c) for k, (t, c) in party.texts.items() if "比率" in k), ("", None))
            try:
                typed = Decimal(text.replace("%", "").strip())
            except InvalidOperation:
                continue
            expected = share_ratio(val(party, whole_key), val(project, whole_key))
            if typed != expected:
                partner = next((t for k, (t, _) in party.texts.items() if "合辦" in k), "")
                yield make_finding("cost-share-ratio-mismatch", cell, expected=str(expected), actual=text,
                                   partner=partner, part=val(party, whole_key), whole=val(project, whole_key),
                                   related=(cell_of(party, whole_key), cell_of(project, whole_key)))
