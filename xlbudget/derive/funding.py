"""分年資金需求表: the 分年資金需求 input sheet, the 繼續性 and 新興 tables (their 勾稽: ``xlbudget.rules.funding``).

Pure. One row of 分年資金需求 is one project (計畫項目) of a 工作計畫: its 全程
計畫總金額, 以前年度預算數 and the money it needs this year, in each of the
next four years and later, in 元 (臺北市工務局新建工程處 116, 07-152-92…94).
The table prints 總計 → 業務計畫 → 工作計畫 → 分支計畫 → projects. Each project's
years add up to its 全程計畫總金額, and its 本年度 equals the 明細表 lines of its
plan that belong to the project (和興路44巷跨景美溪人行景觀橋工程 40,000,000): see ``project_lines``.
"""

from __future__ import annotations

from collections import defaultdict

from xlbudget.core.keys import names_project
from xlbudget.core.model import BudgetBook, ExpenseItem, FundingNeed
from xlbudget.core.tables import AMOUNT, GROUP, ITEM, LABEL, TEXT, TOTAL, Column, Row, Table
from xlbudget.core.titles import FUNDING_TITLES as TITLES
from xlbudget.forms.inputs import FUNDING_AMOUNTS as AMOUNTS, FUNDING_KINDS as KINDS
TOTAL_CODE = "總計"
INDENT = "\u3000"


# ---------------------------------------------------------------- the printed tables

def funding_columns(year: int) -> tuple[Column, ...]:
    """計畫項目, 全程計畫總金額, 以前年度預算數, 分年資金需求 (本年度 … 第5年度, 以後), 備註."""
    labels = [f"{year + n}年度" for n in range(5)] + [f"{year + 5}年度以後"]
    return ((Column("計畫項目", ("計畫項目",), LABEL, 18),
             Column("全程計畫總金額", ("全程計畫總金額",), AMOUNT, 14),
             Column("以前年度預算數", ("以前年度預算數",), AMOUNT, 13))
            + tuple(Column(label, ("分年資金需求", label), AMOUNT, 13) for label in labels)
            + (Column("備註", ("備註",), TEXT, 18),))


def _cells(year: int, needs: list[FundingNeed], label: str, note: str = "") -> dict:
    keys = [c.key for c in funding_columns(year)[1:-1]]
    row: dict = {"計畫項目": label, "備註": note}
    for key, name in zip(keys, AMOUNTS):
        row[key] = sum(n.amounts.get(name, 0) for n in needs)
    return row


def project_lines(book: BudgetBook, plan: str, name: str, branch: str = "") -> list[ExpenseItem]:
    """The 明細表 lines of one project (分年資金需求, 市政白皮書 and 費用分攤 name projects by their name alone).

    A plan whose lines carry 計畫項目 (臺北 116: 08和興路44巷跨景美溪人行景觀橋工程 under 03橋梁工程) finds the
    project there, in the 分支計畫 ``branch`` when one is given (道路工程); a plan without 計畫項目 finds it
    among its 分支計畫, as before the level existed. ``plan`` empty: every plan. Names match by
    ``keys.names_project`` (with or without the running number).
    """
    lines = [i for i in book.expenses if not plan or i.plan_code == plan]
    with_projects = {i.plan_code for i in lines if i.project}
    return [i for i in lines
            if (names_project(i.project, name) and (not branch or names_project(i.branch, branch))
                if i.plan_code in with_projects else names_project(i.branch, name))]


def derive_funding(book: BudgetBook, kind: str) -> Table:
    """繼續性 (or 新興) 計畫分年資金需求表 (元): 總計 → 業務計畫 → 工作計畫 → 分支計畫 → projects, as 臺北 116 prints
    it (the projects at the 分支計畫's indent)."""
    year = book.agency.year
    items = {i.plan_code: i for i in book.expenses}
    needs = [n for n in book.funding if n.kind == kind]
    rows = [Row(TOTAL_CODE, TOTAL_CODE, _cells(year, needs, TOTAL_CODE), TOTAL)]
    programs: dict[str, dict[str, list[FundingNeed]]] = defaultdict(lambda: defaultdict(list))
    for n in needs:
        programs[items[n.plan_code].program_code][n.plan_code].append(n)
    for program in sorted(programs):
        plans = programs[program]
        first = items[next(iter(plans))]
        mine = [n for ns in plans.values() for n in ns]
        rows.append(Row(program, first.program_name, _cells(year, mine, first.program_name), GROUP))
        for plan in sorted(plans):
            work = items[plan].work_name
            rows.append(Row(plan, work, _cells(year, plans[plan], INDENT + work), GROUP, 1))
            branches: dict[str, list[FundingNeed]] = defaultdict(list)
            for n in plans[plan]:
                branches[n.branch].append(n)
            for branch, members in branches.items():
                if branch:
                    rows.append(Row(f"{plan}/{branch}", branch, _cells(year, members, INDENT * 2 + branch), GROUP, 2))
                for n in members:
                    code = f"{plan}/{branch}/{n.name}" if branch else f"{plan}/{n.name}"
                    rows.append(Row(code, n.name, _cells(year, [n], INDENT * 2 + n.name, n.note), ITEM, 3))
    return Table(TITLES[kind], "元", funding_columns(year), tuple(rows))


def derive_funding_tables(book: BudgetBook) -> list[Table]:
    """The 繼續性 and 新興 tables the book has projects for, in that order."""
    return [derive_funding(book, kind) for kind in KINDS if any(n.kind == kind for n in book.funding)]
