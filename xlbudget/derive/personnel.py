"""People and trips: 人事費彙計表, 約聘僱人員費用分析表, 員額編制表, 派員出國計畫 tables.

Pure. Their 勾稽 with the 歲出明細 are checks: ``xlbudget.rules.staff`` and ``xlbudget.rules.trips``.
"""

from __future__ import annotations

from collections import defaultdict

from xlbudget.core import codes
from xlbudget.core.amounts import to_thousands
from xlbudget.forms.inputs import FORMAL_STAFF_CLASSES, PAY_COMPONENTS, STAFF_CLASSES
from xlbudget.core.model import BudgetBook, ContractGroup, Trip
from xlbudget.core.tables import AMOUNT, GROUP, ITEM, LABEL, TEXT, TOTAL, Column, Row, Table
from xlbudget.core.titles import CONTRACT, STAFF_COSTS, STAFFING, TRIPS_BY_KIND, TRIPS_SUMMARY

TOTAL_CODE = "合計"
INDENT = "\u3000"

FORMAL_CLASSES = FORMAL_STAFF_CLASSES  # 正式員額: the classes counted in the subtotal of that name (forms/inputs)
CLASS_ORDER = STAFF_CLASSES
TRIP_KINDS = ("考察", "訪問", "開會", "進修", "研究", "實習")
# one 類別表 per group of kinds, as the printed forms group them
TRIP_GROUPS = (("考察", "訪問"), ("開會",), ("進修", "研究", "實習"))
_NUMERALS = "一二三四五六七八九十"


def _order(category: str) -> tuple[int, str]:
    return (CLASS_ORDER.index(category) if category in CLASS_ORDER else len(CLASS_ORDER), category)


# ---------------------------------------------------------------- 丙6 人事費彙計表

def derive_staff_costs(book: BudgetBook) -> Table:
    """人事費彙計表: 預算員額 and pay components by staff class (元), with 正式員額 and 合計."""
    columns = [Column("類別", ("類別",), LABEL, 12), Column("預算員額", ("預算員額",), AMOUNT, 7)]
    columns += [Column(name, ("全年度人事費", name), AMOUNT, 11) for name, _ in PAY_COMPONENTS]
    columns += [Column(TOTAL_CODE, ("全年度人事費", "合計"), AMOUNT, 12), Column("備註", ("備註",), TEXT, 16)]
    # 預算員額 is a count of persons; the rest are 元
    columns[1] = Column("預算員額", ("預算員額",), AMOUNT, 7, unit="人")
    rows_in = sorted(book.staff_costs, key=lambda s: _order(s.category))

    def cells(label: str, members, note: str = "") -> dict:
        row: dict = {"類別": label, "備註": note}
        counts = [m.headcount for m in members if m.headcount is not None]
        row["預算員額"] = sum(counts) if counts else None
        for name, _ in PAY_COMPONENTS:
            values = [m.components[name] for m in members if name in m.components]
            row[name] = sum(values) if values and any(values) else None
        row[TOTAL_CODE] = sum(m.total for m in members)
        return row

    # the seed prints the classes' 備註 (「加班費56,000元」, typed on 其他人事費) once, on the 合計 row
    notes = "；".join(s.note for s in rows_in if s.note)
    rows = [Row(TOTAL_CODE, "合計", cells("合計", rows_in, notes), TOTAL)]
    formal = [s for s in rows_in if s.category in FORMAL_CLASSES]
    if formal:
        rows.append(Row("正式員額", "正式員額", cells("正式員額", formal), GROUP))
    for s in rows_in:
        indent = INDENT if s.category in FORMAL_CLASSES else ""
        rows.append(Row(s.category, s.category, cells(indent + s.category, [s]), ITEM, 1))
    return Table(STAFF_COSTS, "元", tuple(columns), tuple(rows))


# ---------------------------------------------------------------- 丙7 約聘僱人員費用分析表

# the parts the 說明 of its 合計 row names, each the 人事費彙計表 component of the 約聘僱人員 row it is (word, component)
CONTRACT_NOTE_PARTS = (("約聘僱人員待遇", "約聘僱人員待遇"), ("年終工作獎金", "獎金"), ("未休假加班費", "加班費"),
                       ("保險費", "保險"), ("離職儲金", "退休離職儲金"), ("休假補助", "其他給與"))


def contract_summary_note(book: BudgetBook) -> str:
    """The 說明 of the 合計 row: what the 約聘僱人員 row of 人事費彙計表 is made of (CONTRACT_NOTE_PARTS)."""
    row = next((s for s in book.staff_costs if s.category == "約聘僱人員"), None)
    if row is None:
        return ""
    c = row.components
    parts = [f"{word}{c.get(component, 0):,}元" for word, component in CONTRACT_NOTE_PARTS]
    return f"包括{'、'.join(parts[:-1])}及{parts[-1]}。"


def derive_contract_staff(book: BudgetBook) -> Table:
    """約聘僱人員費用分析表: 主管 → 機關 → 業務計畫 → 工作計畫 → groups, 人*月 and 全年度預算數 (元)."""
    from xlbudget.derive.budgets import agency_line_codes, subject_columns

    columns = subject_columns() + (
        Column("約聘人員", ("約聘人員\n(人*月)",), TEXT, 10),
        Column("約僱人員", ("約僱人員\n(人*月)",), TEXT, 10),
        Column("全年度預算數", ("全年度預算數",), AMOUNT, 13),
        Column("說明", ("說明",), TEXT, 40),
    )
    agency = book.agency
    authority_code, agency_code = agency_line_codes(agency)
    groups = book.contract_staff
    total = sum(g.amount for g in groups)

    def row(numbers, label, amount, note="", **extra) -> dict:
        return {"款": numbers[0], "項": numbers[1], "目": numbers[2], "節": numbers[3], "名稱及編號": label,
                "全年度預算數": amount, "說明": note, **extra}

    rows = [Row(TOTAL_CODE, "合計", row(("", "", "", ""), "合計", total, contract_summary_note(book)), TOTAL),
            Row(authority_code or agency.authority, agency.authority,
                row((agency.get("歲出款"), "", "", ""), f"{authority_code} {agency.authority}".strip(), total), GROUP),
            Row(agency_code or agency.name, agency.name,
                row(("", agency.get("歲出項"), "", ""), f"{INDENT}{agency_code} {agency.name}", total), GROUP, 1)]
    plan_names = {i.plan_code: i for i in book.expenses}
    programs = sorted({i.program_code for i in book.expenses})
    by_plan: dict[str, list[ContractGroup]] = defaultdict(list)
    for g in groups:
        by_plan[g.plan_code].append(g)
    for program in sorted({plan_names[p].program_code if p in plan_names else codes.program_code_of(p)
                           for p in by_plan}):
        plans = sorted(p for p in by_plan if (plan_names[p].program_code if p in plan_names
                                              else codes.program_code_of(p)) == program)
        first = plan_names.get(plans[0])
        name = first.program_name if first else ""
        number = f"{programs.index(program) + 1:02d}" if program in programs else ""
        amount = sum(g.amount for p in plans for g in by_plan[p])
        rows.append(Row(program, name, row(("", "", number, ""), f"{INDENT * 2}{program} {name}", amount), GROUP, 2))
        for plan in plans:
            item = plan_names.get(plan)
            siblings = sorted({i.plan_code for i in book.expenses if i.program_code == program})
            number = f"{siblings.index(plan) + 1:02d}" if plan in siblings else ""
            pname = item.work_name if item else ""
            amount = sum(g.amount for g in by_plan[plan])
            rows.append(Row(plan, pname, row(("", "", "", number), f"{INDENT * 3}{plan} {pname}", amount), GROUP, 3))
            for g in by_plan[plan]:
                months = f"{g.persons}x{g.months}"
                rows.append(Row(f"{plan}/{g.kind}", g.kind, row(
                    ("", "", "", ""), "", g.amount, g.note,
                    **{"約聘人員" if g.kind == "約聘" else "約僱人員": months}), ITEM, 4))
    return Table(CONTRACT, "元", columns, tuple(rows))


# ---------------------------------------------------------------- 員額編制表

def derive_staffing(book: BudgetBook) -> Table:
    """員額編制表: 法定編制員額, 本年度/上年度預算員額 and their difference, by class (persons)."""
    columns = (Column("類別", ("類別",), LABEL, 14),
               Column("法定編制員額", ("法定編制員額",), AMOUNT, 14),
               Column("本年度預算員額", ("本年度預算員額",), AMOUNT, 14),
               Column("上年度預算員額", ("上年度預算員額",), AMOUNT, 14),
               Column("與上年度預算員額比較增減", ("與上年度預算員額比較增減",), AMOUNT, 16))

    def add(values):
        known = [v for v in values if v is not None]
        return sum(known) if known else None

    def cells(label, statutory, current, last) -> dict:
        # a blank 上年度 or 本年度預算員額 is 0, named (rules.staff staffing-prior-empty, staffing-current-empty), as
        # 以前年度's blank 上年度預算數 is (derive.budgets): 比較 = 本年度 − 上年度 on every row, never a blank figure or
        # 比較 under a 合計 that took it as 0
        current = 0 if current is None else current
        last = 0 if last is None else last
        change = current - last
        return {"類別": label, "法定編制員額": statutory, "本年度預算員額": current, "上年度預算員額": last,
                "與上年度預算員額比較增減": change}

    rows = [Row(TOTAL_CODE, "合計", cells("合計", add(s.statutory for s in book.staffing),
                                         add(s.current for s in book.staffing),
                                         add(s.last for s in book.staffing)), TOTAL)]
    rows += [Row(s.category, s.category, cells(s.category, s.statutory, s.current, s.last), ITEM, 1)
             for s in book.staffing]
    return Table(STAFFING, "人", columns, tuple(rows))


# ---------------------------------------------------------------- 丙8 / 丙9 派員出國計畫

def _man_days(trips: list[Trip]) -> str:
    """預計人天 (核定人天) of a row's trips: one as 臺中 115 prints it, 「5人x5天」 (擬派人數 x 預計天數); several as
    their person-days, 「400人天」, one line as the heading names it (field report 12 §3.1: ten trips printed
    「4人x10天、4人x10天、…」 over five lines). rules.trips._days_text says a 應為 the same way."""
    if len(trips) == 1:
        return f"{trips[0].persons or 0}人x{trips[0].days or 0}天"
    return f"{sum((t.persons or 0) * (t.days or 0) for t in trips)}人天"


def derive_trips_summary(book: BudgetBook) -> Table:
    """派員出國計畫預算總表: per 類別, 計畫項數, 人天 and 預算數, this year and last (千元)."""
    columns = (Column("類別", ("類別",), LABEL, 10),
               Column("本年度計畫項數", ("本年度計畫項數",), AMOUNT, 10, unit="項"),
               Column("本年度預計人天", ("本年度預計人天",), TEXT, 14),
               Column("本年度預算數", ("本年度預算數",), AMOUNT, 12),
               Column("上年度計畫項數", ("上年度計畫項數",), AMOUNT, 10, unit="項"),
               Column("上年度核定人天", ("上年度核定人天",), TEXT, 14),
               Column("上年度預算數", ("上年度預算數",), AMOUNT, 12))
    kinds = list(TRIP_KINDS) + sorted({t.category for t in book.trips} - set(TRIP_KINDS))

    def cells(label, trips) -> dict:
        row: dict = {"類別": label}
        for prefix, last in (("本年度", False), ("上年度", True)):
            mine = [t for t in trips if t.last_year == last]
            if mine:
                row[f"{prefix}計畫項數"] = len(mine)
                row[f"{prefix}{'預計' if not last else '核定'}人天"] = _man_days(mine)
                row[f"{prefix}預算數"] = to_thousands(sum(t.total for t in mine))
        return row

    rows = [Row(kind, kind, cells(kind, [t for t in book.trips if t.category == kind]), ITEM) for kind in kinds]
    rows.append(Row(TOTAL_CODE, "合計", cells("合計", list(book.trips)), TOTAL))
    return Table(TRIPS_SUMMARY, "千元", columns, tuple(rows))


def trip_groups(book: BudgetBook) -> list[tuple[str, ...]]:
    """The 類別表 groups that have at least one trip this year, in printed order."""
    present = {t.category for t in book.trips if not t.last_year}
    groups = [g for g in TRIP_GROUPS if present & set(g)]
    known = {k for g in TRIP_GROUPS for k in g}
    return groups + [(k,) for k in sorted(present - known)]


def derive_trips_by_kind(book: BudgetBook, group: tuple[str, ...]) -> Table:
    """派員出國計畫預算類別表—考察、訪問 (or another group): one row per trip (千元)."""
    money = (("交通費", "transport"), ("生活費", "living"), ("辦公費", "office"))
    columns = [Column("計畫名稱", ("計畫名稱",), LABEL, 14), Column("擬前往國家", ("擬前往國家",), TEXT, 8),
               Column("擬拜會機構", ("擬拜會機構",), TEXT, 10), Column("計畫內容", ("計畫內容",), TEXT, 28),
               Column("預計前往期間", ("預計前往期間",), TEXT, 10),
               Column("預計天數", ("預計天數",), AMOUNT, 6, unit="天"),
               Column("擬派人數", ("擬派人數",), AMOUNT, 6, unit="人")]
    columns += [Column(f"旅費預算/{name}", ("旅費預算", name), AMOUNT, 8) for name, _ in money]
    columns += [Column("旅費預算/合計", ("旅費預算", "合計"), AMOUNT, 8),
                Column("歸屬預算科目", ("歸屬預算科目",), TEXT, 12),
                Column("前3年內有無赴同一機構拜會/有/無", ("前3年內有無赴同一機構拜會", "有/無"), TEXT, 6),
                Column("前3年內有無赴同一機構拜會/如有,說明其內容", ("前3年內有無赴同一機構拜會", "如有,說明其內容"),
                       TEXT, 14)]
    rows = []
    for n, kind in enumerate(k for k in group if any(t.category == k and not t.last_year for t in book.trips)):
        rows.append(Row(kind, kind, {"計畫名稱": f"{_NUMERALS[n]}、{kind}"}, GROUP))
        for t in (t for t in book.trips if t.category == kind and not t.last_year):
            cells = {"計畫名稱": t.name, "擬前往國家": t.country, "擬拜會機構": t.institution, "計畫內容": t.content,
                     "預計前往期間": t.period, "預計天數": t.days, "擬派人數": t.persons,
                     "旅費預算/合計": to_thousands(t.total), "歸屬預算科目": t.account,
                     "前3年內有無赴同一機構拜會/有/無": t.visited,
                     "前3年內有無赴同一機構拜會/如有,說明其內容": t.visited_note}
            for name, attr in money:
                cells[f"旅費預算/{name}"] = to_thousands(getattr(t, attr))
            rows.append(Row(kind, t.name, cells, ITEM, 1))
    return Table(f"{TRIPS_BY_KIND}—{'、'.join(group)}", "千元", tuple(columns), tuple(rows))
