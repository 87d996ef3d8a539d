"""The input sheets of the tables the other cities' books print (issue 14) → records.

公務車輛, 轉帳收支, 人事費分析, 分年資金需求, 市政白皮書 and 費用分攤, each read
with the one SheetReader (readers/grid) by the headers of forms/inputs. A
合計/小計 row an officer types under the items is skipped and checked
against them (totals-row-mismatch), as in 歲出明細.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from xlbudget.core.amounts import NotANumber, format_price, parse_decimal, parse_percent, priced_amount
from xlbudget.core.dates import roc_dates_in, roc_digits, roc_month_digits
from xlbudget.core.findings import Finding, make_finding
from xlbudget.core.keys import code_key, compact_key
from xlbudget.core.model import CostShare, FundingNeed, StaffCost, Transfer, Vehicle, WhitePaperItem
from xlbudget.forms.inputs import (ANALYSIS_CODE_WIDTH, COST_SHARE_HEADERS, COST_SHARE_PARTS, COST_SHARE_REQUIRED,
                                   FUNDING_AMOUNTS, FUNDING_HEADERS, FUNDING_KINDS, FUNDING_REQUIRED, PAY_COMPONENTS,
                                   SECTION_WORDS, STAFF_ANALYSIS_HEADERS, STAFF_ANALYSIS_REQUIRED, TRANSFER_HEADERS,
                                   TRANSFER_REQUIRED, VEHICLE_COSTS, VEHICLE_HEADERS, VEHICLE_REQUIRED, WHITEPAPER_HEADERS,
                                   WHITEPAPER_REQUIRED)
from xlbudget.readers.grid import CODE11, Grid, SheetReader, cell_text, numbered

HEADCOUNT = "預算員額"


def read_vehicles(grid: Grid, findings: list[Finding], problems: list[Finding], plans: list[str]) -> list[Vehicle]:
    """公務車輛 → vehicles (元). 工作計畫編號 may be empty when the book has one plan.

    A typed 油料金額 that is not 油料數量 × 油料單價 (rounded to the 元) is a
    finding (``vehicle-fuel-mismatch``); an empty one is derived.
    """
    reader = SheetReader(grid, VEHICLE_HEADERS, VEHICLE_REQUIRED, problems, key="車輛種類")
    vehicles = []
    for r, row in reader.data_rows():
        plan = reader.plan(r, row, plans)  # the one 工作計畫 rule of the plan-keyed sheets
        if plan is None:
            continue
        section = SECTION_WORDS.get(compact_key(reader.value(row, "區分")))
        if section is None:
            reader.problem("not-a-choice", r, "區分", column="區分", expected="「現有」或「新增」",
                           actual=reader.text(row, "區分"))
            continue
        costs = reader.integers(r, row, [name for name, _ in VEHICLE_COSTS])
        litres = reader.integer(r, row, "油料數量")  # whole 公升, as books print them
        try:
            price = parse_decimal(reader.value(row, "油料單價"))
        except NotANumber:
            reader.problem("not-a-decimal", r, "油料單價", column="油料單價", expected="數字（如 31.0）",
                           actual=reader.text(row, "油料單價"))
            price = None
        if litres is not None and price is not None:
            expected = priced_amount(litres, price)  # 油料費, to the 元 half away from zero
            typed = costs.get("油料金額")
            if typed is None:
                costs["油料金額"] = expected
                reader.parsed["油料金額"][r] = expected  # a typed 合計 of 油料金額 adds the derived amounts
            elif typed != expected:
                findings.append(make_finding(
                    "vehicle-fuel-mismatch", reader.ref(r, "油料金額"), expected=expected, actual=typed,
                    related=(reader.ref(r, "油料數量"), reader.ref(r, "油料單價")),
                    litres=f"{litres:,}", price=format_price(price)))
        vehicles.append(Vehicle(plan, section, reader.integer(r, row, "車輛數"), reader.text(row, "車輛種類"),
                                reader.integer(r, row, "乘客人數"), purchase_month(reader.value(row, "購置年月")),
                                reader.text(row, "汽缸總排氣量"), costs, litres, price, reader.text(row, "備註"),
                                reader.cells(r)))
    reader.check_totals(("車輛數",) + tuple(name for name, _ in VEHICLE_COSTS) + ("油料數量",), findings)
    return vehicles


def purchase_month(value: object) -> str:
    """購置年月 as the tables print it (10608: 民國106年8月), typed so or as 「106年8月」, 「106.8」, 「106/08」, 「106-08」
    (the other rows of the table print 10608: each row alike); a number 106.1 is left as typed (106年1月, or 10月 with
    its 0 lost: only the officer knows), and anything else is minguo_text's."""
    if isinstance(value, (str, float)) and (digits := roc_month_digits(str(value), isinstance(value, float))):
        return digits
    return minguo_text(value)


def minguo_text(value: object, days: bool = False) -> str:
    """A date cell as the tables print it, in 民國 digits: 購置年月 10503 (2016-03-01), with ``days`` a day as
    出國計畫's 預計前往期間 1150901 (2026-09-01; the seed prints 1130101-1131231). A cell typed as an Excel date is
    converted, and so is a western date typed in a text (「2024-03-01~2024-03-10」 is 1130301-1130310: roc_dates_in),
    anything else kept as typed (``cell_text``); a date before 民國元年 has no 民國 year and prints as typed."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        try:
            return roc_digits(value, days)
        except ValueError:
            return value.isoformat()[:10]
    return roc_dates_in(cell_text(value), days)


def read_transfers(grid: Grid, problems: list[Finding], plans: list[str],
                   findings: list[Finding] | None = None) -> list[Transfer]:
    """轉帳收支 → transfers (元). The 工作計畫 must be one of the book's (empty: its only one); the 歲入 科目 may be any
    agency's."""
    reader = SheetReader(grid, TRANSFER_HEADERS, TRANSFER_REQUIRED, problems, key="歲入科目編號",
                         labels=("歲入款", "歲入項", "歲入目", "歲入節"))
    out = []
    for r, row in reader.data_rows():
        plan = reader.plan(r, row, plans)
        if plan is None:
            continue
        code = reader.code11(r, row, "歲入科目編號")
        if code is None:
            continue
        amount = reader.integer(r, row, "預算數")
        if amount is None:
            if not reader.text(row, "預算數"):
                reader.problem("required-missing", r, "預算數", what="預算數")
            continue
        pairs = [numbered(reader.text(row, f"歲入{k}")) for k in ("款", "項", "目", "節")]
        out.append(Transfer(plan, code, tuple(p[0] for p in pairs), tuple(p[1] for p in pairs), amount,
                            reader.text(row, "說明"), reader.cells(r)))
    if findings is not None:
        reader.check_totals(("預算數",), findings)
    return out


def read_staff_analysis(grid: Grid, problems: list[Finding], plans: list[str],
                        findings: list[Finding] | None = None) -> list[StaffCost]:
    """人事費分析 → one StaffCost per plan and class (元). 工作計畫編號 may be empty when the book has one plan."""
    reader = SheetReader(grid, STAFF_ANALYSIS_HEADERS, STAFF_ANALYSIS_REQUIRED, problems, key="類別")
    rows = []
    labels: dict[str, tuple[str, object]] = {}  # plan → (分析表編號, its cell): one number per plan
    for r, row in reader.data_rows():
        plan = reader.plan(r, row, plans)
        if plan is None:
            continue
        components = reader.integers(r, row, [name for name, _ in PAY_COMPONENTS])
        # 0132010100 typed as a number lost its zero, ０１３２… is full-width: both are the code 0132010100
        label = reader.code(row, "分析表編號", ANALYSIS_CODE_WIDTH)
        if label:
            first = labels.setdefault(plan, (label, reader.ref(r, "分析表編號")))
            if first[0] != label:
                reader.problem("analysis-code-conflict", r, "分析表編號", expected=first[0], actual=label,
                               related=(first[1],), plan=plan, other=first[1])
        rows.append(StaffCost(reader.text(row, "類別"), reader.integer(r, row, HEADCOUNT), components,
                              reader.text(row, "備註"), reader.cells(r), plan, label))
    if findings is not None:
        reader.check_totals((HEADCOUNT,) + tuple(name for name, _ in PAY_COMPONENTS), findings)
    return rows


def read_funding(grid: Grid, problems: list[Finding], plans: list[str],
                 findings: list[Finding] | None = None) -> list[FundingNeed]:
    """分年資金需求 → projects (元). 工作計畫編號 may be empty when the book has one plan."""
    reader = SheetReader(grid, FUNDING_HEADERS, FUNDING_REQUIRED, problems, key="計畫項目")
    out = []
    for r, row in reader.data_rows():
        kind = reader.text(row, "類別").replace("計畫", "")
        if kind not in FUNDING_KINDS:
            reader.problem("not-a-choice", r, "類別", column="類別", expected="「繼續性」或「新興」",
                           actual=reader.text(row, "類別"))
            continue
        plan = reader.plan(r, row, plans)
        if plan is None:
            continue
        amounts = reader.integers(r, row, FUNDING_AMOUNTS)
        if "全程計畫總金額" not in amounts:
            if not reader.text(row, "全程計畫總金額"):
                reader.problem("required-missing", r, "全程計畫總金額", what="全程計畫總金額")
            continue
        out.append(FundingNeed(kind, plan, reader.text(row, "分支計畫"), reader.text(row, "計畫項目"), amounts,
                               reader.text(row, "備註"), reader.cells(r)))
    if findings is not None:
        reader.check_totals(FUNDING_AMOUNTS, findings)
    return out


def read_whitepaper(grid: Grid, problems: list[Finding], plans: list[str],
                    findings: list[Finding] | None = None) -> list[WhitePaperItem]:
    """市政白皮書 → projects (元). 工作計畫編號 may be empty: the project is then looked for in every plan. A row
    with only 主軸 is a heading with no project under it (an item with no name)."""
    reader = SheetReader(grid, WHITEPAPER_HEADERS, WHITEPAPER_REQUIRED, problems, key="計畫項目")
    out = []
    for r, row in reader.data_rows():
        if reader.text(row, "主軸") and not any(reader.text(row, h) for h in WHITEPAPER_HEADERS if h != "主軸"):
            # a 主軸 printed with no project under it (臺北 116, 07-152-95: ◎樂活宜居, ◎創新活力)
            out.append(WhitePaperItem(reader.text(row, "主軸").lstrip("◎"), "", "", "", "", "", 0, reader.cells(r)))
            continue
        if not reader.text(row, "計畫項目"):
            reader.problem("required-missing", r, "計畫項目", what="「計畫項目」")
            continue
        plan = code_key(reader.text(row, "工作計畫編號"))
        if plan and (not CODE11.match(plan) or plan not in plans):
            reader.problem("unknown-plan", r, "工作計畫編號", actual=plan)
            continue
        amount = reader.integer(r, row, "本年度預算案數")
        if amount is None:
            if not reader.text(row, "本年度預算案數"):
                reader.problem("required-missing", r, "本年度預算案數", what="本年度預算案數")
            continue
        out.append(WhitePaperItem(reader.text(row, "主軸").lstrip("◎"), reader.text(row, "綱要"),
                                  reader.text(row, "類別"), reader.text(row, "政策項目"), reader.text(row, "計畫項目"),
                                  plan, amount, reader.cells(r)))
    if findings is not None:
        reader.check_totals(("本年度預算案數",), findings)
    return out


def read_cost_shares(grid: Grid, problems: list[Finding], plans: list[str],
                     findings: list[Finding] | None = None) -> list[CostShare]:
    """費用分攤 → one party of a shared project per row (元). 工作計畫編號 may be empty when the book has one plan.

    分攤比率 is in % (52.32). Typed in a percent-formatted cell it is a fraction (0.5232, shown 52.32%): when a
    project's parties' ratios sum to 1 (±0.0001) rather than 100 they are read × 100.
    """
    reader = SheetReader(grid, COST_SHARE_HEADERS, COST_SHARE_REQUIRED, problems, key="合辦單位")
    out = []
    for r, row in reader.data_rows():
        plan = reader.plan(r, row, plans)
        if plan is None:
            continue
        try:
            ratio = parse_percent(reader.text(row, "分攤比率"))
        except NotANumber:
            reader.problem("not-a-decimal", r, "分攤比率", column="分攤比率", expected="百分比數字（如 52.32）",
                           actual=reader.text(row, "分攤比率"))
            continue
        total = reader.integer(r, row, "總經費")
        if total is None:
            if not reader.text(row, "總經費"):
                reader.problem("required-missing", r, "總經費", what="總經費")
            continue
        parts = {name: reader.integer(r, row, name) or 0 for name in COST_SHARE_PARTS}
        out.append(CostShare(plan, reader.text(row, "計畫項目"), reader.text(row, "單位"), reader.text(row, "數量"),
                             reader.text(row, "合辦單位"), reader.text(row, "分攤方式"), ratio, total, parts,
                             reader.yes_no(r, row, "本機關", yes=("本機關",)), reader.text(row, "說明"), reader.cells(r)))
    if findings is not None:
        reader.check_totals(("總經費",) + COST_SHARE_PARTS, findings)
    return _percent_ratios(out)


def _percent_ratios(shares: list[CostShare]) -> list[CostShare]:
    """A project whose parties' 分攤比率 sum to 1 (±0.0001), not 100, was typed as fractions (a percent-formatted
    cell holds 0.5232 for 52.32%): its ratios × 100."""
    ratios: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    for s in shares:
        if s.ratio is not None:
            ratios[s.plan_code, s.project].append(s.ratio)
    fractions = {key for key, values in ratios.items() if abs(sum(values) - 1) <= Decimal("0.0001")}
    return [replace(s, ratio=s.ratio * 100) if s.ratio is not None and (s.plan_code, s.project) in fractions else s
            for s in shares]
