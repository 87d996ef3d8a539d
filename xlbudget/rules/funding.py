"""繼續性／新興計畫分年資金需求表 (issue 14), on a template book and as printed: 以前年度 + each year =
全程計畫總金額, and a project's 本年度 against the 明細表 lines naming it (its 計畫項目 rows, or 分支計畫 lines);
as printed, 總計 = Σ 業務計畫."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from xlbudget.core.findings import Finding, make_finding
from xlbudget.derive.funding import TITLES as P_FUNDING_TITLES
from xlbudget.core.titles import UNHEADED
from xlbudget.rules.common import cell_of, column_name, readable, sum_finding, table_titled, tree_sums, val
from xlbudget.rules.detail import PROJECT_LEVEL, detail_in_yuan, detail_level, project_name
from xlbudget.core.model import BudgetBook
from xlbudget.core.keys import names_project
from xlbudget.derive.funding import project_lines
from xlbudget.forms.inputs import FUNDING_AMOUNTS as AMOUNTS

# annotations only: a template book's checks (build, convert) never import the printed-table readers
if TYPE_CHECKING:
    from xlbudget.readers.printed_model import PrintedRow, PrintedTable


def check_funding(book: BudgetBook) -> list[Finding]:
    """Each project: 以前年度 + each year + 以後 = 全程計畫總金額 (和興路44巷: 19,138,000 + 40,000,000 + 57,414,000 +
    80,776,439 = 197,328,439); its 本年度 = the project's 明細表 lines (``project_lines``: its 計畫項目 under the
    分支計畫 typed beside it when the plan has 計畫項目, else the 分支計畫 naming it)."""
    findings = []
    for n in book.funding:
        parts = [n.amounts.get(k, 0) for k in AMOUNTS[1:]]
        if sum(parts) != n.amounts["全程計畫總金額"]:
            findings.append(make_finding(
                "funding-years-mismatch", n.cells.get("全程計畫總金額"), expected=sum(parts),
                actual=n.amounts["全程計畫總金額"], name=n.name,
                related=tuple(n.cells[k] for k in AMOUNTS[1:] if k in n.cells and n.amounts.get(k))))
        items = project_lines(book, n.plan_code, n.name, n.branch)
        expected, actual = sum(i.amount for i in items), n.amounts.get("本年度", 0)
        if expected != actual:
            anchor = n.cells.get("本年度")
            findings.append(make_finding(
                "funding-vs-items", anchor, expected=expected, actual=actual, name=n.name, plan=n.plan_code,
                related=tuple(i.cells["預算數"] for i in items if i.cells.get("預算數"))))
    return findings


def check_funding_printed(tables) -> Iterable[Finding]:
    """繼續性／新興計畫分年資金需求表: each line's 以前年度預算數 + each year = 全程計畫總金額; 總計 = Σ the
    業務計畫 lines (unindented) column by column; a project's 本年度 (the first year column) = the 明細表 分支計畫
    lines naming it (和興路44巷… 40,000,000)."""
    for title in P_FUNDING_TITLES.values():
        table = table_titled(tables, title)
        if table is None:
            continue
        total_key = next((k for k in table.columns if "全程計畫總金額" in k), None)
        if total_key is None:
            continue
        # a year whose heading was left blank (「（無欄名）D」) is a year still: left out, every right 全程 was blamed
        parts = [k for k in table.columns if k != total_key and ("以前年度" in k or "年度" in k.split("/")[-1]
                                                                  or UNHEADED in k)]
        for row in table.rows:
            keys = [(row, total_key)] + [(row, k) for k in parts]
            if total_key not in row.figures or not readable(keys):
                continue
            expected = sum(val(row, k) for k in parts)
            if expected != val(row, total_key):
                yield make_finding("funding-years-mismatch", cell_of(row, total_key), expected=expected,
                                   actual=val(row, total_key), name=row.name or row.label,
                                   related=tuple(row.figures[k].cell for k in parts if k in row.figures))
        total = next((r for r in table.rows if r.label.startswith(("總計", "合計"))), None)
        top = [r for r in table.rows if r is not total and r.indent == 0 and r.label]
        if total is not None and top:
            for key in [total_key] + parts:
                f = sum_finding(table, total, key, [(r, key) for r in top], column_name(key))
                if f:
                    yield f
        rows = [r for r in table.rows if r is not total]
        levels = funding_levels(rows, [total_key] + parts)
        yield from tree_sums(table, rows, lambda r: levels.get(id(r)), [total_key] + parts, direct=True)
        detail = detail_in_yuan(tables)
        this_year = next((k for k in parts if "以前年度" not in k), None)
        if detail is None or this_year is None:
            continue
        for row in table.rows:
            if row is total or row.indent == 0 or this_year not in row.figures:
                continue
            branches = branch_lines(detail, row.label)
            if not branches or not readable([(row, this_year)] + [(r, "預算數") for r in branches]):
                continue  # a group line (道路工程) or a project no 分支計畫 names: nothing to tie to
            expected = sum(val(r, "預算數") for r in branches)
            if expected != val(row, this_year):
                yield make_finding("funding-vs-items", cell_of(row, this_year), expected=expected,
                                   actual=val(row, this_year), name=row.label, plan=branches[0].context,
                                   related=tuple(r.figures["預算數"].cell for r in branches))


def branch_lines(detail: PrintedTable, name: str) -> list[PrintedRow]:
    """The printed 明細表 lines of a project (08和興路44巷… for 和興路44巷…): its 計畫項目 rows when the 明細表 prints
    them (臺北 116: its 分支計畫 道路工程 is then a group of projects, not one), else the 分支計畫 lines naming it;
    exactly, or else — a name wrapped over lines, only its first printed beside the figures — the one it begins."""
    if not name:
        return []
    named = [(project_name(r), r) for r in detail.rows if detail_level(r) == PROJECT_LEVEL]
    if not named:
        named = [(r.label, r) for r in detail.rows if r.label and "預算數" in r.figures and detail_level(r) == 1]
    exact = [r for label, r in named if names_project(label, name)]
    if exact or len(name) < 4:
        return exact
    starts = [(label, r) for label, r in named
              if label.startswith(name) or (label[:2].isdigit() and label[2:].startswith(name))
              or (len(label) >= 6 and label[:2].isdigit() and name.startswith(label[2:]))]
    return [r for _, r in starts] if len({label for label, _ in starts}) == 1 else []


def funding_levels(rows: list[PrintedRow], keys: list[str]) -> dict[int, float]:
    """Each line's level (by ``id``) for ``tree_sums``, year by year: 業務計畫 0, 工作計畫 1 (the indent), and at the
    deepest indent the 分支計畫 (道路工程, 2) and its projects (2.5), which 臺北 116 prints at one indent (07-152-94):
    a line is a 分支計畫 when the lines after it add up to it, and its 工作計畫 is the sum of its 分支計畫 and of the
    projects in none. One figure typed wrong puts off one column at most, so a sum holds in every column but one at
    least; a deepest run no such reading fits (or with no 工作計畫 above it) is left without levels, unchecked."""
    figured = [r for r in rows if r.label and r.figures and readable([(r, k) for k in keys])]
    if not figured:
        return {}
    deep = max(r.indent for r in figured)
    levels = {id(r): float(r.indent) for r in figured if r.indent < deep}
    i = 0
    while i < len(figured):
        if figured[i].indent < deep:
            i += 1
            continue
        end = next((j for j in range(i, len(figured)) if figured[j].indent < deep), len(figured))
        parent = next((r for r in reversed(figured[:i]) if r.indent < deep), None)
        run = figured[i:end]
        groups = _groups(run, keys) if parent is not None else None
        if groups is not None:
            tops = [r for j, r in enumerate(run) if j in groups or not any(g < j < e for g, e in groups.items())]
            if not _adds_up(parent, tops, keys):  # no 分支計畫 after all: projects only, or no reading fits
                groups = {} if _adds_up(parent, run, keys) else None
        if groups is not None:
            levels.update({id(r): deep + (0 if j in groups else 0.5) for j, r in enumerate(run)})
        i = end
    return levels


def _adds_up(total: PrintedRow, parts: list[PrintedRow], keys: list[str]) -> bool:
    """Whether ``total`` is the sum of ``parts`` in every column but one at most, two of those sums not nothing."""
    sums = [(val(total, k), sum(val(r, k) for r in parts)) for k in keys]
    return sum(a != b for a, b in sums) <= 1 and sum(a == b != 0 for a, b in sums) >= 2


def _groups(run: list[PrintedRow], keys: list[str]) -> dict[int, int] | None:
    """The 分支計畫 lines of a run of lines at one indent: index → the index after its last project."""
    groups, i = {}, 0
    while i < len(run):
        end = next((j + 1 for j in range(i + 1, len(run)) if _adds_up(run[i], run[i + 1:j + 1], keys)), None)
        if end is None:
            i += 1
            continue
        groups[i] = end
        i = end
    return groups
