"""公務車輛明細表: the 公務車輛 input sheet, the printed table (its 勾稽 with the 明細表: ``xlbudget.rules.vehicles``).

Pure. One row of 公務車輛 is one vehicle (or several alike) of a 工作計畫, in
現有車輛 or 本年度新增車輛; its yearly costs are in 元. 油料費 金額 is 數量 ×
單價 rounded to the 元 (half away from zero). The table prints, per section,
each plan's cost totals above its vehicles, and a 合計 at the end. Each cost
column is tied to the 明細表 lines of the same plan that point at this table
(「詳公務車輛明細表」): 牌照稅, 燃料使用費 and 檢驗費 to 2024 稅捐及規費,
保險費 to 2027 保險費, 油料費 to 2051 物品, 養護費 to 2066 車輛及辦公器具養護費
(臺中市政府主計處 115, p.45 and p.15–16; 臺北市工務局新建工程處 116, p.86–91).
"""

from __future__ import annotations

from collections import defaultdict

from xlbudget.core.amounts import format_price
from xlbudget.core.model import BudgetBook, Vehicle
from xlbudget.core.tables import AMOUNT, GROUP, ITEM, LABEL, TEXT, TOTAL, Column, Row, Table
from xlbudget.core.titles import VEHICLES
from xlbudget.forms.inputs import EXISTING, NEW

SECTIONS = (EXISTING, NEW)
# the words a 明細表 line uses to say its amount is detailed in this table
TOTAL_CODE = "合計"
INDENT = "\u3000"


# ---------------------------------------------------------------- the printed table

# table column key → (input cost name or None, header path)
COST_KEYS = (("牌照稅", "牌照稅"), ("燃料使用費", "燃料使用費"), ("油料費/金額", "油料金額"), ("養護費", "養護費"),
             ("車輛保險費", "保險費"), ("車輛檢驗費", "檢驗費"))


def vehicle_columns(taipei: bool = False) -> tuple[Column, ...]:
    """The printed columns; 臺北市 calls 燃料使用費 by its new name 公路使用養護安全管理費."""
    fee = "公路使用養護安全管理費(全年)" if taipei else "燃料使用費(全年)"
    return (Column("業務計畫及工作計畫名稱", ("業務計畫及工作計畫名稱",), LABEL, 14),
            Column("車輛數", ("車輛數",), AMOUNT, 5, unit="輛"),
            Column("車輛種類", ("車輛種類",), TEXT, 10),
            Column("乘客人數", ("乘客人數(不含司機)",), AMOUNT, 6, unit="人"),
            Column("購置年月", ("購置年月",), TEXT, 7),
            Column("汽缸總排氣量", ("汽缸總排氣量(立方公分)",), TEXT, 9),
            Column("牌照稅", ("牌照稅(全年)",), AMOUNT, 9),
            Column("燃料使用費", (fee,), AMOUNT, 10),
            Column("油料費/數量", ("油料費(全年)", "數量(公升)"), AMOUNT, 8, unit="公升"),
            Column("油料費/單價", ("油料費(全年)", "單價(元)"), TEXT, 6),
            Column("油料費/金額", ("油料費(全年)", "金額"), AMOUNT, 10),
            Column("養護費", ("養護費",), AMOUNT, 10),
            Column("車輛保險費", ("車輛保險費",), AMOUNT, 9),
            Column("車輛檢驗費", ("車輛檢驗費",), AMOUNT, 8),
            Column("備註", ("備註",), TEXT, 14))


def _sums(vehicles: list[Vehicle]) -> dict:
    out: dict = {}
    for key, name in COST_KEYS:
        known = [v.costs[name] for v in vehicles if name in v.costs]
        out[key] = sum(known) if known else None
    return out


def derive_vehicles(book: BudgetBook, taipei: bool = False) -> Table:
    """公務車輛明細表 (元): per section (現有車輛, 本年度新增車輛), each plan's cost totals above its vehicles;
    合計 at the end (臺中 115: 油料費 金額 合計 122,388 元)."""
    names = {i.plan_code: i for i in book.expenses}
    rows = []
    for section in SECTIONS:
        mine = [v for v in book.vehicles if v.section == section]
        if not mine:
            continue
        rows.append(Row(section, section, {"業務計畫及工作計畫名稱": section}, GROUP))
        by_plan: dict[str, list[Vehicle]] = defaultdict(list)
        for v in mine:
            by_plan[v.plan_code].append(v)
        for plan in sorted(by_plan):
            item = names.get(plan)
            label = f"{item.program_name}\n{INDENT}{item.work_name}" if item else plan
            rows.append(Row(f"{section}/{plan}", item.work_name if item else plan,
                            {"業務計畫及工作計畫名稱": label, **_sums(by_plan[plan])}, GROUP, 1))
            for n, v in enumerate(by_plan[plan], start=1):
                cells = {"業務計畫及工作計畫名稱": "", "車輛數": v.count, "車輛種類": v.kind,
                         "乘客人數": v.passengers, "購置年月": v.bought, "汽缸總排氣量": v.displacement,
                         "油料費/數量": v.litres,
                         "油料費/單價": format_price(v.price), "備註": v.note, **_sums([v])}
                rows.append(Row(f"{section}/{plan}/{n}", v.kind, cells, ITEM, 2))
    rows.append(Row(TOTAL_CODE, "合計", {"業務計畫及工作計畫名稱": "合計", **_sums(list(book.vehicles))}, TOTAL))
    return Table(VEHICLES, "元", vehicle_columns(taipei), tuple(rows))
