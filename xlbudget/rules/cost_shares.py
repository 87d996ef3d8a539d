"""各項費用分攤表 (issue 14): each 分攤比率 = the party's share of 總經費, on a template book and as printed; on a
template book the agency's own party against 歲出明細 and 分年資金需求; as printed, 本年度 合計 = its parts and a
project = Σ its parties."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Iterable

from xlbudget.core.amounts import NotANumber, parse_percent
from xlbudget.core.findings import Finding, make_finding
from xlbudget.core.titles import COST_SHARES as P_COST_SHARES
from xlbudget.rules.common import cell_of, column_name, finding, readable, sum_finding, table_titled, val
from collections import defaultdict
from xlbudget.core.model import BudgetBook, CellRef, CostShare
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
        whole = None
        for key in [whole_key] + ([total_key] if total_key else []) + parts:
            f = sum_finding(table, project, key, [(r, key) for r in parties], column_name(key))
            if f and key == whole_key:
                whole = f  # told below, with the 分攤比率 that may show which 總經費 it is
            elif f:
                yield f
        if not readable([(project, whole_key)] + [(r, whole_key) for r in parties]):
            continue  # nor is ``whole`` found (sum_finding)
        yield from _ratios(project, parties, whole_key, whole)


def _ratio(row: PrintedRow) -> tuple[Decimal | None, str, CellRef | None]:
    """The 分攤比率 a line prints: (its value, its text, its cell); None when blank or not a number."""
    text, cell = next(((t, c) for k, (t, c) in row.texts.items() if "比率" in k), ("", None))
    try:
        return parse_percent(text), text, cell
    except NotANumber:
        return None, text, cell


def _ratios(project: PrintedRow, parties: list[PrintedRow], whole_key: str,
            whole: Finding | None) -> Iterable[Finding]:
    """Each party's 分攤比率 = its 總經費 ÷ the project's, and the project's own = 100 (its 總經費 ÷ itself: F9
    「100」 = 52.32 + 47.68). ``whole``: the project's 總經費 ≠ Σ its parties' (subtotal-mismatch), or None. One figure
    typed wrong then shows which: when every 分攤比率 holds against Σ the parties, the project's 總經費 (and the
    分攤比率 computed from it follow from it: not told); when one party's alone fails, and that party's 總經費 moved
    by the difference makes both hold, that 總經費 is named (crossing-suspect), not the two right cells (臺北 116
    G10 216,505,350 typed 2,165,053,500: «G9 應為 2,362,381,939» and «F10 應為 523.17» before; field report 13 §F6)."""
    project_whole = val(project, whole_key)
    rows = [(project, project_whole, project.label)] + [
        (party, val(party, whole_key), next((t for k, (t, _) in party.texts.items() if "合辦" in k), ""))
        for party in parties]
    wrong = []
    for row, part, partner in rows:
        typed, text, cell = _ratio(row)
        if typed is None or row is project and not project_whole:  # no 總經費: no whole to be 100% of
            continue
        expected = share_ratio(part, project_whole)
        if typed != expected:
            wrong.append((row, make_finding("cost-share-ratio-mismatch", cell, expected=str(expected), actual=text,
                                            partner=partner, part=part, whole=project_whole,
                                            related=tuple(dict.fromkeys(
                                                c for c in (cell_of(row, whole_key), cell_of(project, whole_key))
                                                if c)))))
    if whole is None:
        yield from (f for _, f in wrong)
        return
    summed = sum(val(r, whole_key) for r in parties)
    typed = [(r, _ratio(r)[0]) for r in parties]
    if wrong and all(t is None or t == share_ratio(val(r, whole_key), summed) for r, t in typed):
        yield whole  # the project's 總經費 is the figure typed wrong: the 分攤比率 computed from it follow from it
        yield from (f for row, f in wrong if row is project)
        return
    if len(wrong) == 1 and wrong[0][0] is not project:
        party, ratio = wrong[0]
        right = project_whole - (summed - val(party, whole_key))
        if right > 0 and _ratio(party)[0] == share_ratio(right, project_whole):
            cell, group = cell_of(party, whole_key), (whole, ratio)
            yield finding("crossing-suspect", cell, right, val(party, whole_key), tuple(x.cell for x in group),
                          where=cell.cell, n="兩", both="、".join(x.cell.cell for x in group),
                          checks="；".join(f"{x.cell.cell}：{x.message}" for x in group))
            return
    yield whole
    yield from (f for _, f in wrong)
