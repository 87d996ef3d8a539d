"""公務車輛明細表 (issue 14): on a template book, the cost columns against the 歲出明細 lines pointing here; as
printed, 油料費 金額 = 數量 × 單價, plan lines = Σ vehicles, and the cost columns against the 明細表 items that
say 詳公務車輛明細表."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Iterable

from xlbudget.core.amounts import parse_decimal
from xlbudget.core.findings import Finding, factor_finding, make_finding
from xlbudget.core.keys import compact_key
from xlbudget.core.titles import VEHICLES as P_VEHICLES
from xlbudget.rules.common import column_name, object_name, readable, sum_finding, table_titled, cell_of, val
from xlbudget.rules.detail import detail_in_yuan, detail_level
from xlbudget.core.model import BudgetBook
from xlbudget.forms.inputs import VEHICLE_COSTS as COSTS

# annotations only: a template book's checks (build, convert) never import the printed-table readers
if TYPE_CHECKING:
    from xlbudget.readers.printed_model import PrintedRow, PrintedTable


POINTER = "公務車輛明細表"


def points_here(note: str) -> bool:
    """Whether a 明細表 line's 說明 says its amount is detailed in 公務車輛明細表."""
    return POINTER in "".join(note.split())


def check_vehicles_vs_items(book: BudgetBook) -> list[Finding]:
    """Per 工作計畫 and 二級 code: Σ the vehicles' cost columns budgeted under that code = Σ the 明細表 lines of
    that plan and code whose 說明 points at 公務車輛明細表 (臺中 115: 2024 = 25,470 + 15,780 + 750 = 42,000)."""
    if not book.vehicles:
        return []
    findings = []
    vehicle_sums: dict[tuple[str, str], list] = defaultdict(list)
    for v in book.vehicles:
        for name, code in COSTS:
            if name in v.costs:
                vehicle_sums[v.plan_code, code].append((v.costs[name], v.cells.get(name)))
    item_sums: dict[tuple[str, str], list] = defaultdict(list)
    for i in book.expenses:
        if points_here(i.note):
            item_sums[i.plan_code, i.object_code].append((i.amount, i.cells.get("預算數")))
    for plan, code in sorted(set(vehicle_sums) | set(item_sums)):
        ours, theirs = vehicle_sums.get((plan, code), []), item_sums.get((plan, code), [])
        actual, expected = sum(a for a, _ in ours), sum(a for a, _ in theirs)
        if actual == expected:
            continue
        mine = [c for a, c in ours if c and a]
        other = [c for _, c in theirs if c]
        anchor = mine[0] if mine else (other[0] if other else None)
        related = tuple(mine[1:] + other) if mine else tuple(other[1:])
        columns = "、".join(dict.fromkeys(n for n, c in COSTS if c == code))
        findings.append(make_finding("vehicles-vs-items", anchor, expected=expected, actual=actual, related=related,
                                     plan=plan, code=code, columns=columns))
    return findings


def _vehicle_cost_code(key: str) -> str | None:
    """The 明細表 二級 code a cost column of 公務車輛明細表 is budgeted under (vehicles.COSTS), or None."""
    if "油料" in key:
        return "2051" if "金額" in key else None
    if any(w in key for w in ("牌照稅", "燃料使用費", "公路使用", "檢驗")):
        return "2024"
    if "保險" in key:
        return "2027"
    if "養護費" in key:
        return "2066"
    return None


def vehicle_fuel(row: PrintedRow, table: PrintedTable) -> Finding | None:
    """油料費 金額 = 數量 × 單價, rounded to the 元."""
    from xlbudget.core.amounts import NotANumber, parse_decimal, priced_amount

    amount_key = next((k for k in table.columns if "油料" in k and "金額" in k), None)
    litres_key = next((k for k in table.columns if "油料" in k and "數量" in k), None)
    price = next(((t, c) for k, (t, c) in row.texts.items() if "油料" in k and "單價" in k), None)
    if not amount_key or not litres_key or price is None or amount_key not in row.figures \
            or litres_key not in row.figures or not readable([(row, amount_key), (row, litres_key)]):
        return None
    try:
        unit_price = parse_decimal(price[0])
    except NotANumber:
        return None
    if unit_price is None:
        return None
    expected = priced_amount(val(row, litres_key), unit_price)  # to the 元, half away from zero
    if expected == val(row, amount_key):
        return None
    return make_finding("vehicle-fuel-mismatch", cell_of(row, amount_key), expected=expected,
                        actual=val(row, amount_key), related=(cell_of(row, litres_key), price[1]),
                        litres=f"{val(row, litres_key):,}", price=price[0])


def vehicle_groups(table: PrintedTable) -> tuple[list[tuple[PrintedRow, list[PrintedRow]]], list[PrintedRow],
                                                 PrintedRow | None]:
    """公務車輛明細表's plan lines each with its vehicles, the vehicles under no plan line, and its 合計 line."""
    groups: list[tuple[PrintedRow, list[PrintedRow]]] = []
    loose, total = [], None
    for row in table.rows:
        # 臺中 prints 合計 under 車輛種類, as it does 現有車輛 and 本年度新增車輛
        if row.label.startswith(("合計", "總計")) or any(compact_key(t) in ("合計", "總計") for t, _ in row.texts.values()):
            total = row
            continue
        if row.label and not row.figures and groups and groups[-1][0].figures and not groups[-1][1]:
            continue  # the rest of the plan line's name, wrapped onto the line below (主計業務／　主計業務)
        if row.label:
            groups.append((row, []))
        elif groups:
            groups[-1][1].append(row)
        else:
            loose.append(row)
    return groups, loose, total


def line_sums(table: PrintedTable) -> list[tuple[PrintedRow, list[PrintedRow], list[str]]]:
    """公務車輛明細表's plan lines each with its vehicles, 合計 with the plan lines (and vehicles under none), and the
    cost columns summed (as check_vehicles sums them): what blanks.blank_totals holds a blank total to."""
    groups, loose, total = vehicle_groups(table)
    costs = [k for k in table.columns if _vehicle_cost_code(k)]
    sums = [(group, vehicles, costs) for group, vehicles in groups if vehicles]
    if total is not None and (parts := [g for g, _ in groups] + loose):
        sums.append((total, parts, costs))
    return sums


def _fuel_key(table: PrintedTable) -> str | None:
    return next((k for k in table.columns if "油料" in k and "金額" in k), None)


def fuel_chains(table: PrintedTable) -> dict[int, list[PrintedRow]]:
    """Each vehicle (by ``id``) whose 油料費 金額 its plan line adds up exactly, and 合計 the plan lines where it is
    printed: those lines, nearest first."""
    groups, loose, total = vehicle_groups(table)
    fuel = _fuel_key(table)

    def adds_up(row: PrintedRow, parts: list[PrintedRow]) -> bool:
        return fuel in row.figures and bool(parts) and readable([(row, fuel)] + [(p, fuel) for p in parts]) \
            and sum(val(p, fuel) for p in parts) == val(row, fuel)

    if fuel is None or total is not None and not adds_up(total, [g for g, _ in groups] + loose):
        return {}
    return {id(v): [group] + ([total] if total is not None else [])
            for group, vehicles in groups if adds_up(group, vehicles) for v in vehicles}


def _pointing_items(detail: PrintedTable) -> dict[tuple[str, str], list[PrintedRow]]:
    """明細表 items whose 說明 (continued on the rows below) says 詳公務車輛明細表, by (plan, 二級 code)."""
    out: dict[tuple[str, str], list[PrintedRow]] = defaultdict(list)
    code, item, note = "", None, ""

    def flush():
        if item is not None and code and points_here(note):
            out[item.context, code].append(item)

    for row in detail.rows:
        level = detail_level(row)
        if level is None and not row.figures and "說明" in row.texts:
            note += row.texts["說明"][0]  # the 說明 of the item above, wrapped onto this row
            continue
        flush()
        item, note = None, ""
        if level in (0, 1, 2, 3):
            code = row.code[:4] if level == 3 else ""
        elif level == 4:
            item, note = row, row.texts.get("說明", ("", None))[0]
    flush()
    return out


def _vehicle_plan(label: str, detail: PrintedTable | None) -> str | None:
    """The 工作計畫 a plan line of 公務車輛明細表 names (一般行政　行政管理), found in the 明細表's headings."""
    if detail is None:
        return None
    wanted = label.replace("-", "").replace("－", "")
    found = {plan for plan, text, _ in detail.headings if wanted and wanted in compact_key(text).replace("-", "")
             .replace("－", "")}
    return found.pop() if len(found) == 1 else None


def check_vehicles(tables) -> Iterable[Finding]:
    """公務車輛明細表: 油料費 金額 = 數量 × 單價; each plan line = Σ its vehicles; 合計 = Σ plan lines; and per plan
    and 二級 code, the cost columns = the 明細表 items saying 詳公務車輛明細表 (臺中 115: 2051 = 122,388)."""
    table = table_titled(tables, P_VEHICLES)
    if table is None:
        return
    costs = [k for k in table.columns if _vehicle_cost_code(k)]
    groups, loose, total = vehicle_groups(table)
    chains = fuel_chains(table)
    for row in loose + [v for _, vehicles in groups for v in vehicles]:
        f = vehicle_fuel(row, table)
        if f and id(row) in chains:  # its 金額 confirmed by the totals: 數量 or 單價 is named (field report 13 §F1)
            group = chains[id(row)][0]
            price = parse_decimal(next(t for k, (t, _) in row.texts.items() if "油料" in k and "單價" in k))
            litres = next(k for k in table.columns if "油料" in k and "數量" in k)
            f = factor_finding(f, val(row, litres), price, cell_of(group, _fuel_key(table)), group.label,
                               amount_name="金額")
        if f:
            yield f
    if loose:  # vehicles under no plan line (one left blank at the table's top reads as its header): never tied
        yield make_finding("lines-without-plan", loose[0].label_cell, table=P_VEHICLES, count=len(loose),
                           heading="業務計畫及工作計畫名稱")
    summed: dict[tuple[int, str], int] = {}  # a plan line's figure that is not Σ its vehicles: that sum
    for group, vehicles in groups:
        if not vehicles:
            continue
        for key in costs:
            f = sum_finding(table, group, key, [(v, key) for v in vehicles], column_name(key))
            if f:
                yield f
                if isinstance(f.expected, int):
                    summed[id(group), key] = f.expected
    if total is not None:
        parts = [g for g, _ in groups] + loose
        for key in costs:
            f = sum_finding(table, total, key, [(r, key) for r in parts], column_name(key))
            if f:
                yield f
    detail = detail_in_yuan(tables)
    plans = {id(g): _vehicle_plan(g.label, detail) for g, _ in groups}
    if detail is None or not groups or not all(plans.values()) or loose:
        return  # a plan line the 明細表 does not name: the tie cannot be made
    ours: dict[tuple[str, str], list[tuple[PrintedRow, str]]] = defaultdict(list)
    for group, _ in groups:
        for key in costs:
            if key in group.figures:
                ours[plans[id(group)], _vehicle_cost_code(key)].append((group, key))
    theirs = _pointing_items(detail)
    for plan, code in sorted(set(ours) | set(theirs)):
        mine, items = ours.get((plan, code), []), theirs.get((plan, code), [])
        if not readable(mine + [(i, "預算數") for i in items]):
            continue
        actual, expected = sum(val(r, k) for r, k in mine), sum(val(i, "預算數") for i in items)
        if actual == expected or sum(summed.get((id(r), k), val(r, k)) for r, k in mine) == expected:
            continue  # (its vehicles agree with the 明細表: the plan line that is not their sum is named above)
        cells = [r.figures[k].cell for r, k in mine] + [i.figures["預算數"].cell for i in items if "預算數" in i.figures]
        columns = "、".join(dict.fromkeys(k.replace("/", " ") for _, k in mine)) or object_name(code)
        yield make_finding("vehicles-vs-items", cells[0] if cells else None, expected=expected, actual=actual,
                           related=tuple(cells[1:]), plan=plan, code=code, columns=columns)
