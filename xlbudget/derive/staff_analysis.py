"""人事費分析表: 人事費 by staff class, one table per 工作計畫 (its 勾稽: ``xlbudget.rules.staff``).

Pure. The 人事費分析 sheet has the 人事費 sheet's columns plus the 工作計畫
paying each class; each plan's table is laid out as 人事費彙計表 (臺中市政府
主計處 115, 02004-36…41; 臺北市工務局新建工程處 116, 07-152-78), its plan
printed above the header (0132010100-行政支出-一般行政-行政管理). Each plan's
columns equal that plan's 1000 人事費 二級 lines, and the plans add up to
人事費彙計表 (the 人事費 sheet) class by class.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from xlbudget.core.model import BudgetBook, StaffCost
from xlbudget.core.tables import Table
from xlbudget.core.titles import STAFF_ANALYSIS, sheet_name

HEADCOUNT = "預算員額"


def rows_by_plan(book: BudgetBook) -> dict[str, list[StaffCost]]:
    """The 人事費分析 rows of each 工作計畫, plans in code order."""
    by_plan: dict[str, list[StaffCost]] = defaultdict(list)
    for s in book.staff_analysis:
        by_plan[s.plan_code].append(s)
    return dict(sorted(by_plan.items()))


def plan_line(book: BudgetBook, plan: str) -> str:
    """The plan as printed above the header: 0132010100-行政支出-一般行政-行政管理 (分析表編號, 政事別名稱,
    業務計畫, 工作計畫), the 工作計畫編號 standing in for an empty 分析表編號."""
    item = next(i for i in book.expenses if i.plan_code == plan)
    label = next((s.plan_label for s in book.staff_analysis if s.plan_code == plan and s.plan_label), plan)
    parts = (label, book.agency.get("政事別名稱"), item.program_name, item.work_name)
    return "-".join(p for p in parts if p)


def derive_staff_analysis(book: BudgetBook) -> list[Table]:
    """人事費分析表, one per 工作計畫 (元): 合計, 正式員額 and each class, as 人事費彙計表 prints them.

    A plan's table is titled 人事費分析表—工作計畫 (a sheet per plan) and
    prints the plan line on the 年度 line (臺中 115: 行政管理 合計 121,927,000).
    """
    from xlbudget.derive.personnel import derive_staff_costs  # personnel imports this module's checks

    tables = []
    names = {i.plan_code: i.work_name for i in book.expenses}
    taken: set[str] = set()
    for plan, rows in rows_by_plan(book).items():
        table = derive_staff_costs(replace(book, staff_costs=tuple(rows)))
        title = f"{STAFF_ANALYSIS}—{names[plan]}"
        if sheet_name(title) in taken:  # two plans' names alike for a sheet's 31 characters: the plan's code
            title = f"{STAFF_ANALYSIS}—{plan}"
        taken.add(sheet_name(title))
        tables.append(replace(table, title=title, subtitle=plan_line(book, plan)))
    return tables
