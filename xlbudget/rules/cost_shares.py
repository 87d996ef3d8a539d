"""各項費用分攤表 (issue 14): each 分攤比率 = the party's share of 總經費, on a template book and as printed; on a
template book the agency's own party against 歲出明細 and 分年資金需求; as printed, 本年度 合計 = its parts and a
project = Σ its parties."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from xlbudget.core.amounts import NotANumber, parse_percent
from xlbudget.core.findings import Finding, make_finding
from xlbudget.core.titles import COST_SHARES as P_COST_SHARES
from xlbudget.rules.common import cell_of, column_name, readable, sum_finding, table_titled, val
from collections import defaultdict
from xlbudget.core.model import BudgetBook, CostShare
from xlbudget.core.keys import names_project
from xlbudget.derive.cost_shares import ratio_text, share_ratio
from xlbudget.derive.funding import project_lines
from xlbudget.forms.inputs import COST_SHARE_PARTS as PARTS

# annotations only: a template book's checks (build, convert) never import the printed-table readers
if TYPE_CHECKING:
    from xlbudget.readers.printed_model import PrintedRow


def check_cost_shares(book: BudgetBook) -> list[Finding]:
    """Each party's 分攤比率 = its 總經費 ÷ the project's (52.32); the agency's own party's 本年度 = the 明細表 lines
    of the project (40,000,000; ``project_lines``), and its 總經費 = the project's 全程計畫總金額 in 分年資金需求
    (197,328,439) when the book has one."""
    findings = []
    projects: dict[tuple[str, str], list[CostShare]] = defaultdict(list)
    for s in book.cost_shares:
        projects[s.plan_code, s.project].append(s)
    for (plan, project), shares in projects.items():
        whole = sum(s.total for s in shares)
        for s in shares:
            if s.ratio is not None and s.ratio != share_ratio(s.total, whole):
                findings.append(make_finding(
                    "cost-share-ratio-mismatch", s.cells.get("分攤比率"), expected=str(share_ratio(s.total, whole)),
                    actual=ratio_text(s.ratio), partner=s.partner, part=s.total, whole=whole,
                    related=tuple(x.cells["總經費"] for x in shares if "總經費" in x.cells)))
        own = [s for s in shares if s.own]
        if not own:
            continue
        items = project_lines(book, plan, project)
        actual, expected = sum(sum(s.parts.values()) for s in own), sum(i.amount for i in items)
        if actual != expected:
            mine = [s.cells[p] for s in own for p in PARTS if p in s.cells and s.parts.get(p)]
            findings.append(make_finding("cost-share-vs-items", mine[0] if mine else None, expected=expected,
                                         actual=actual, name=project, related=tuple(mine[1:]) + tuple(
                                             i.cells["預算數"] for i in items if i.cells.get("預算數"))))
        funding = [n for n in book.funding if n.plan_code == plan and names_project(n.name, project)]
        if funding:
            expected = sum(n.amounts["全程計畫總金額"] for n in funding)
            actual = sum(s.total for s in own)
            if actual != expected:
                findings.append(make_finding(
                    "cost-share-vs-funding", own[0].cells.get("總經費"), expected=expected, actual=actual, name=project,
                    related=tuple(n.cells["全程計畫總金額"] for n in funding if "全程計畫總金額" in n.cells)))
    return findings


def check_cost_shares_printed(tables) -> Iterable[Finding]:
    """各項費用分攤表: 本年度 合計 = 施工費用 + 工程管理費 + 委外費用 on every line; a project line = Σ its parties,
    column by column; each party's 分攤比率 = its 總經費 ÷ the project's, in % to two places (52.32)."""
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
                typed = parse_percent(text)
            except NotANumber:
                continue
            if typed is None:
                continue
            expected = share_ratio(val(party, whole_key), val(project, whole_key))
            if typed != expected:
                partner = next((t for k, (t, _) in party.texts.items() if "合辦" in k), "")
                yield make_finding("cost-share-ratio-mismatch", cell, expected=str(expected), actual=text,
                                   partner=partner, part=val(party, whole_key), whole=val(project, whole_key),
                                   related=(cell_of(party, whole_key), cell_of(project, whole_key)))
