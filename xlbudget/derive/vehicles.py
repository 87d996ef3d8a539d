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
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from xlbudget.core.amounts import _FULLWIDTH
from xlbudget.core.findings import Finding, make_finding
from xlbudget.readers.inputs import Grid, _Reader
from xlbudget.core.keys import compact_key
from xlbudget.core.model import BudgetBook, Vehicle
from xlbudget.core.tables import AMOUNT, GROUP, ITEM, LABEL, TEXT, TOTAL, Column, Row, Table

VEHICLES = "公務車輛明細表"
EXISTING, NEW = "現有車輛", "本年度新增車輛"
SECTIONS = (EXISTING, NEW)
# what an officer may type in 區分 (drop-down: 現有 / 新增)
_SECTION_WORDS = {"": EXISTING, "現有": EXISTING, "現有車輛": EXISTING, "新增": NEW, "本年度新增": NEW,
                  "本年度新增車輛": NEW, "新增車輛": NEW}
SECTION_CHOICES = ("現有", "新增")

# input column → (table column key, 明細表 二級 code the cost is budgeted under)
COSTS = (("牌照稅", "2024"), ("燃料使用費", "2024"), ("油料金額", "2051"), ("養護費", "2066"),
         ("保險費", "2027"), ("檢驗費", "2024"))
VEHICLE_HEADERS = ("工作計畫編號", "區分", "車輛數", "車輛種類", "乘客人數", "購置年月", "汽缸總排氣量", "牌照稅",
                   "燃料使用費", "油料數量", "油料單價", "油料金額", "養護費", "保險費", "檢驗費", "備註")
VEHICLE_REQUIRED = ("車輛種類",)
# the words a 明細表 line uses to say its amount is detailed in this table
TOTAL_CODE = "合計"
INDENT = "\u3000"


def fuel_amount(litres: Decimal, price: Decimal) -> int:
    """油料費 金額 = 數量 × 單價, rounded to the 元 half away from zero (1,668 公升 × 31.0 = 51,708)."""
    product = litres * price
    rounded = abs(product).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(-rounded if product < 0 else rounded)


def _decimal(value: object) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise InvalidOperation
    text = str(value).translate(_FULLWIDTH).replace(",", "").strip()
    number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation
    return number


def _printed_price(value: Decimal | None) -> str:
    """A unit price as the book prints it: 31.0, 33.9 (at least one decimal place, more when typed)."""
    if value is None:
        return ""
    places = max(1, -value.normalize().as_tuple().exponent)
    return f"{value:,.{places}f}"


def read_vehicles(grid: Grid, findings: list[Finding], problems: list[str], plans: list[str]) -> list[Vehicle]:
    """公務車輛 → vehicles (元). 工作計畫編號 may be empty when the book has one plan.

    A typed 油料金額 that is not 油料數量 × 油料單價 (rounded to the 元) is a
    finding (``vehicle-fuel-mismatch``); an empty one is derived.
    """
    reader = _Reader(grid, VEHICLE_HEADERS, VEHICLE_REQUIRED, problems, key="車輛種類")
    vehicles = []
    for r, row in reader.data_rows():
        plan = reader.plan(r, row, plans)  # the one 工作計畫 rule of the plan-keyed sheets
        if plan is None:
            continue
        section = _SECTION_WORDS.get(compact_key(reader.value(row, "區分")))
        if section is None:
            problems.append(f"{reader.ref(r, '區分')} 區分應為「現有」或「新增」，此處為「{reader.text(row, '區分')}」")
            continue
        costs = {}
        for name, _ in COSTS:
            value = reader.integer(r, row, name)
            if value is not None:
                costs[name] = value
        litres = reader.integer(r, row, "油料數量")  # whole 公升, as books print them
        try:
            price = _decimal(reader.value(row, "油料單價"))
        except (InvalidOperation, ValueError):
            problems.append(f"{reader.ref(r, '油料單價')} 「油料單價」應為數字（如 31.0），"
                            f"此處為「{reader.text(row, '油料單價')}」")
            price = None
        if litres is not None and price is not None:
            expected = fuel_amount(Decimal(litres), price)
            typed = costs.get("油料金額")
            if typed is None:
                costs["油料金額"] = expected
                reader.parsed[(r, "油料金額")] = expected  # a typed 合計 of 油料金額 adds the derived amounts
            elif typed != expected:
                findings.append(make_finding(
                    "vehicle-fuel-mismatch", reader.ref(r, "油料金額"), expected=expected, actual=typed,
                    related=(reader.ref(r, "油料數量"), reader.ref(r, "油料單價")),
                    litres=f"{litres:,}", price=_printed_price(price)))
        vehicles.append(Vehicle(plan, section, reader.integer(r, row, "車輛數"), reader.text(row, "車輛種類"),
                                reader.integer(r, row, "乘客人數"), reader.text(row, "購置年月"),
                                reader.text(row, "汽缸總排氣量"), costs, litres, price, reader.text(row, "備註"),
                                reader.cells(r)))
    reader.check_totals(("車輛數",) + tuple(name for name, _ in COSTS) + ("油料數量",), findings)
    return vehicles


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
                         "油料費/單價": _printed_price(v.price), "備註": v.note, **_sums([v])}
                rows.append(Row(f"{section}/{plan}/{n}", v.kind, cells, ITEM, 2))
    rows.append(Row(TOTAL_CODE, "合計", {"業務計畫及工作計畫名稱": "合計", **_sums(list(book.vehicles))}, TOTAL))
    return Table(VEHICLES, "元", vehicle_columns(taipei), tuple(rows))
