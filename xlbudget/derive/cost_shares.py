"""各項費用分攤表: the 費用分攤 input sheet, the printed table (its 勾稽: ``xlbudget.rules.cost_shares``).

Pure. A project shared between agencies (臺北市工務局新建工程處 116, 07-152-85:
和興路44巷跨景美溪人行景觀橋工程, 總經費 413,833,789 元, 新北市 52.32% and
臺北市 47.68%) has one row of 費用分攤 per party: its 總經費 and this year's
budget split into 施工費用, 工程管理費 and 委外費用 (元). The table prints each
project as the sum of its parties (分攤比率 100), then the parties. Each
party's 分攤比率 is its 總經費 ÷ the project's, in % to two places; the
agency's own party equals the 明細表 lines whose 分支計畫 is the project
(40,000,000) and, when the book has it, the project's 全程計畫總金額 in 分年資金需求.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from xlbudget.core.amounts import to_percent
from xlbudget.core.model import BudgetBook, CostShare
from xlbudget.core.tables import AMOUNT, GROUP, ITEM, LABEL, TEXT, Column, Row, Table
from xlbudget.core.titles import COST_SHARES
from xlbudget.forms.inputs import COST_SHARE_PARTS as PARTS


def share_ratio(part: int, whole: int) -> Decimal:
    """分攤比率 in %, two places, half away from zero (216,505,350 of 413,833,789 → 52.32)."""
    return to_percent(part, whole)


def ratio_text(ratio: Decimal | None) -> str:
    """分攤比率 as printed: 100, 52.32."""
    if ratio is None:
        return ""
    return f"{ratio.normalize():f}" if ratio == ratio.to_integral_value() else f"{ratio:.2f}"


def cost_share_columns() -> tuple[Column, ...]:
    """科目名稱, 預定完成工作總數 (單位, 數量), 合辦單位, 分攤方式, 分攤比率 %, 總經費, 本年度預算數 (合計, 設備及投資
    施工費用 / 工程管理費 / 委外費用), 說明."""
    return ((Column("科目名稱", ("科目名稱",), LABEL, 20),
             Column("單位", ("預定完成工作總數", "單位"), TEXT, 5),
             Column("數量", ("預定完成工作總數", "數量"), TEXT, 5),
             Column("合辦單位", ("合辦單位",), TEXT, 10),
             Column("分攤方式", ("分攤方式",), TEXT, 16),
             Column("分攤比率", ("分攤比率%",), TEXT, 7),
             Column("總經費", ("總經費",), AMOUNT, 14),
             Column("本年度預算數/合計", ("本年度預算數", "合計"), AMOUNT, 13))
            + tuple(Column(f"本年度預算數/設備及投資/{p}", ("本年度預算數", "設備及投資", p), AMOUNT, 13) for p in PARTS)
            + (Column("說明", ("說明",), TEXT, 18),))


def _money(shares: list[CostShare]) -> dict:
    cells: dict = {"總經費": sum(s.total for s in shares),
                   "本年度預算數/合計": sum(sum(s.parts.values()) for s in shares)}
    for p in PARTS:
        cells[f"本年度預算數/設備及投資/{p}"] = sum(s.parts.get(p, 0) for s in shares)
    return cells


def derive_cost_shares(book: BudgetBook) -> Table:
    """各項費用分攤表 (元): per 工作計畫, each shared project (Σ its parties, 分攤比率 = Σ theirs) above its parties."""
    items = {i.plan_code: i for i in book.expenses}
    by_plan: dict[str, dict[str, list[CostShare]]] = defaultdict(lambda: defaultdict(list))
    for s in book.cost_shares:
        by_plan[s.plan_code][s.project].append(s)
    rows = []
    for plan in sorted(by_plan):
        rows.append(Row(plan, items[plan].plan_name, {"科目名稱": items[plan].plan_name}, GROUP))
        for project, shares in by_plan[plan].items():
            ratios = [s.ratio for s in shares if s.ratio is not None]
            note = next((s.note for s in shares if s.own and s.note), "")
            rows.append(Row(f"{plan}/{project}", project, {
                "科目名稱": f"\u3000{project}", "分攤比率": ratio_text(sum(ratios)) if ratios else "",
                **_money(shares), "說明": note}, GROUP, 1))
            for s in shares:
                rows.append(Row(f"{plan}/{project}/{s.partner}", s.partner, {
                    "科目名稱": "", "單位": s.unit, "數量": s.quantity, "合辦單位": s.partner, "分攤方式": s.method,
                    "分攤比率": ratio_text(s.ratio), **_money([s]), "說明": "" if s.own else s.note}, ITEM, 2))
    return Table(COST_SHARES, "元", cost_share_columns(), tuple(rows))
