"""The tables laid out by 科目 with 上年度 and 前年度決算 beside 本年度 (千元): 乙1 歲入來源別預算表,
乙2 歲出機關別預算表 and 丙1 歲入項目說明提要與預算明細表, in the standard and the 臺北市 form.

Pure: BudgetBook in, Tables out; every 千元 figure rounded once from its own 元 total (core.amounts).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from xlbudget.core import codes
from xlbudget.core.amounts import format_quantity, to_thousands
from xlbudget.core.model import BudgetBook, PriorYear
from xlbudget.core.tables import AMOUNT, GROUP, ITEM, LABEL, TEXT, TOTAL, Column, Row, Table
from xlbudget.core.titles import (AGENCY_BUDGET, PLAN_LINE, REVENUE_DETAIL, REVENUE_SOURCES, TAIPEI_AGENCY_BUDGET,
                                  TAIPEI_REVENUE)
from xlbudget.derive.schedules import (INDENT, TOTAL_CODE, _banners, _group, _total,  # the line-item sums they share
                                       taipei_style)

def _prior_sum(lines: Iterable[PriorYear], attr: str) -> int | None:
    values = [getattr(line, attr) for line in lines if getattr(line, attr) is not None]
    return sum(values) if values else None


def _compare(current: int | None, last: int | None) -> int | None:
    return None if current is None or last is None else current - last


def _budget_cells(numbers: tuple[str, str, str, str], label: str, current: int | None,
                  prior: list[PriorYear], note: str = "", none_is_zero: bool = False) -> dict:
    """One row's figures. ``none_is_zero`` (the book has 以前年度 lines): a row with no 以前年度 line (a plan or
    source new this year) prints 上年度 and 前年度決算 0 (「-」, as 新北 115 prints its new 一般建築及設備), and a blank
    上年度預算數 is 0 too, so 比較 = 本年度 − 上年度 on every row and adds up as the totals do (rules.inputs
    check_prior_missing names both). A blank 前年度決算數 of a line that exists stays blank (決算 not yet known)."""
    last = _prior_sum(prior, "last_budget")
    final = _prior_sum(prior, "prior_final")
    if none_is_zero:
        last = 0 if last is None else last
        final = 0 if final is None and not prior else final
    return {"款": numbers[0], "項": numbers[1], "目": numbers[2], "節": numbers[3], "名稱及編號": label,
            "本年度預算數": current, "上年度預算數": last, "前年度決算數": final,
            "本年度與上年度比較": _compare(current, last), "說明": note}


def subject_columns() -> tuple[Column, ...]:
    """科目 款 / 項 / 目 / 節 / 名稱及編號: the label columns of the tables laid out by 科目."""
    return (
        Column("款", ("科目", "款"), LABEL, 4), Column("項", ("科目", "項"), LABEL, 5),
        Column("目", ("科目", "目"), LABEL, 4), Column("節", ("科目", "節"), LABEL, 4),
        Column("名稱及編號", ("科目", "名稱及編號"), LABEL, 28),
    )


def agency_line_codes(agency) -> tuple[str, str]:
    """(主管機關編號, 機關 line code) from 機關編號 02-018: 00020000000 and 00020180000."""
    digits = "".join(ch for ch in agency.code if ch.isdigit())
    authority = agency.get("主管機關編號") or (f"00{digits[:2]}0000000" if digits else "")
    return authority, f"00{digits}0000" if digits else ""


SPLIT_KEYS = ("本年度預算數/合計", "本年度預算數/經常門", "本年度預算數/資本門")


def _split_budget(table: Table, title: str, basis_yuan: dict[str, dict[str, int]]) -> Table:
    """The 臺北市 form of a 科目 table: 本年度預算數 as 合計 / 經常門 / 資本門, each rounded from its 元 total.

    ``basis_yuan`` maps a row code to its 元 by 經資門; rows without an entry keep 合計 only.
    """
    columns = []
    for col in table.columns:
        if col.key == "本年度預算數":
            columns += [Column(key, ("本年度預算數", key.split("/")[1]), AMOUNT, 11) for key in SPLIT_KEYS]
        else:
            columns.append(col)
    rows = []
    for row in table.rows:
        cells = {k: v for k, v in row.cells.items() if k != "本年度預算數"}
        cells["本年度預算數/合計"] = row.cells.get("本年度預算數")
        split = basis_yuan.get(row.code)
        if split is not None:
            cells["本年度預算數/經常門"] = to_thousands(split.get(codes.CURRENT, 0))
            cells["本年度預算數/資本門"] = to_thousands(split.get(codes.CAPITAL, 0))
        rows.append(Row(row.code, row.name, cells, row.style, row.level))
    return Table(title, table.unit, tuple(columns), tuple(rows), subtitle="", notes=table.notes)


def _by_basis(items) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in items:
        out[i.basis] = out.get(i.basis, 0) + i.amount
    return out


def _budget_columns() -> tuple[Column, ...]:
    return subject_columns() + (
        Column("本年度預算數", ("本年度預算數",), AMOUNT, 12),
        Column("上年度預算數", ("上年度預算數",), AMOUNT, 12),
        Column("前年度決算數", ("前年度決算數",), AMOUNT, 12),
        Column("本年度與上年度比較", ("本年度與上年度比較",), AMOUNT, 12),
        Column("說明", ("說明",), TEXT, 40),
    )


# ---------------------------------------------------------------- 乙2 歲出機關別預算表

def derive_agency_budget(book: BudgetBook) -> Table:
    """歲出機關別預算表: 主管 → 機關 → 業務計畫 → 工作計畫, 本年度/上年度/前年度決算/比較, 千元."""
    agency = book.agency
    prior = book.prior_split[0]
    prior_by_code = {p.code: p for p in prior}
    # plans: this year's, plus any that only the previous books had
    plans: dict[str, dict[str, str]] = defaultdict(dict)  # program → plan → name
    program_names: dict[str, str] = {}
    for plan, items in book.plans.items():
        plans[items[0].program_code][plan] = items[0].work_name
        program_names[items[0].program_code] = items[0].program_name
    for p in prior:
        if p.code.endswith("00"):
            program_names.setdefault(p.code, p.name.split("-")[0])
            plans.setdefault(p.code, {})
        else:
            program = codes.program_code_of(p.code)
            plans[program].setdefault(p.code, p.name.split("-", 1)[-1])
            program_names.setdefault(program, p.name.split("-")[0])
    plan_totals = {plan: _total(items) for plan, items in book.plans.items()}

    authority_code, agency_code = agency_line_codes(agency)
    total = to_thousands(sum(plan_totals.values()))
    known = bool(book.prior)  # without any 以前年度 (XLB_SCHEDULE's range) 上年度 is unknown, not 0
    all_prior = []
    program_rows = []
    for m, (program, members) in enumerate(sorted(plans.items()), start=1):
        work_prior = [prior_by_code[c] for c in members if c in prior_by_code]
        # a 業務計畫 line alone stands for its plans together: their own 上年度 is unknown, not 0
        program_only = not work_prior and program in prior_by_code
        if program_only:
            work_prior = [prior_by_code[program]]
        all_prior += work_prior
        current = to_thousands(sum(plan_totals.get(c, 0) for c in members))
        name = program_names.get(program, "")
        program_rows.append(Row(program, name, _budget_cells(("", "", f"{m:02d}", ""),
                                f"{INDENT * 2}{program} {name}", current, work_prior, none_is_zero=known), GROUP, 2))
        for n, (plan, pname) in enumerate(sorted(members.items()), start=1):
            p = prior_by_code.get(plan)
            program_rows.append(Row(plan, pname, _budget_cells(
                ("", "", "", f"{n:02d}"), f"{INDENT * 3}{plan} {pname}", to_thousands(plan_totals.get(plan, 0)),
                [p] if p else [], p.note if p else "", none_is_zero=known and not program_only), ITEM, 3))
    rows = [
        Row(authority_code or TOTAL_CODE, agency.authority, _budget_cells(
            (agency.get("歲出款"), "", "", ""), f"{authority_code} {agency.authority}".strip(), total, all_prior,
            none_is_zero=known), TOTAL, 0),
        Row(agency_code or agency.name, agency.name, _budget_cells(
            ("", agency.get("歲出項"), "", ""), f"{INDENT}{agency_code} {agency.name}", total, all_prior,
            none_is_zero=known), GROUP, 1),
        *program_rows,
    ]
    table = Table(AGENCY_BUDGET, "千元", _budget_columns(), tuple(rows), subtitle="經資門併計")
    if not taipei_style(book):
        return table
    by_plan = book.plans
    basis = {plan: _by_basis(items) for plan, items in by_plan.items()}
    for program, members in plans.items():
        basis[program] = _by_basis([i for c in members for i in by_plan.get(c, [])])
    everything = _by_basis(book.expenses)
    basis[authority_code or TOTAL_CODE] = basis[agency_code or agency.name] = everything
    return _split_budget(table, TAIPEI_AGENCY_BUDGET, basis)


# ---------------------------------------------------------------- 乙1 歲入來源別預算表

def derive_revenue_sources(book: BudgetBook) -> Table:
    """歲入來源別預算表: 合計 → 款 → 項 → 目 → 節, 本年度/上年度/前年度決算/比較, 千元."""
    prior = book.prior_split[1]
    prior_by_code = {p.code: p for p in prior}
    by_code = _group(book.revenues, lambda i: i.code)
    # every 節 of this year or of the previous books, with its numbers and names
    lines: dict[str, tuple[tuple, tuple, str]] = {}
    for code, items in by_code.items():
        lines[code] = (items[0].numbers, items[0].level_names, items[0].name)
    for p in prior:
        if p.code not in lines:
            lines[p.code] = (p.numbers, p.level_names, p.name)
    sources = codes.revenue_sources()

    def current(code_list) -> int:
        return to_thousands(sum(_total(by_code.get(c, [])) for c in code_list))

    def prior_of(code_list) -> list[PriorYear]:
        return [prior_by_code[c] for c in code_list if c in prior_by_code]

    all_codes = sorted(lines, key=lambda c: (lines[c][0][0], c))
    known = bool(book.prior)  # as in derive_agency_budget: no 以前年度 at all leaves 上年度 unknown
    rows = [Row(TOTAL_CODE, "合計", _budget_cells(("", "", "", ""), "合計", current(all_codes),
                                                 prior_of(all_codes), none_is_zero=known), TOTAL)]
    for basis in (codes.CURRENT, codes.CAPITAL):
        members = [c for c in all_codes  # a 科目 of 以前年度 only: its 經資門 there (prior-basis-assumed when none)
                   if (by_code[c][0].basis if c in by_code else prior_by_code[c].basis or codes.CURRENT) == basis]
        if members:
            rows.append(Row(f"{basis}門合計", f"{basis}門合計", _budget_cells(
                ("", "", "", ""), f"{basis}門合計", current(members), prior_of(members), none_is_zero=known),
                TOTAL))
    emitted: set[str] = set()
    for code in all_codes:
        numbers, names, full_name = lines[code]
        levels = codes.revenue_levels(code)
        parts = full_name.split("-")
        defaults = (sources.get(code[:2], ""), book.agency.name,
                    parts[0] if len(parts) > 1 else "", parts[-1])
        for depth, level_code in enumerate(levels):
            if level_code in emitted:
                continue
            emitted.add(level_code)
            members = [c for c in all_codes if codes.revenue_levels(c)[depth] == level_code]
            name = names[depth] or defaults[depth]
            nums = tuple(numbers[i] if i == depth else "" for i in range(4))
            p = prior_by_code.get(code) if depth == 3 else None
            rows.append(Row(level_code, name, _budget_cells(
                nums, f"{INDENT * depth}{level_code} {name}", current(members), prior_of(members),
                p.note if p else "", none_is_zero=known), ITEM if depth == 3 else GROUP, depth))
    table = Table(REVENUE_SOURCES, "千元", _budget_columns(), tuple(rows))
    if not taipei_style(book):
        return table
    basis = {TOTAL_CODE: _by_basis(book.revenues)}
    for row in rows:
        if row.code in (TOTAL_CODE, f"{codes.CURRENT}門合計", f"{codes.CAPITAL}門合計"):
            continue
        depth = row.level
        basis[row.code] = _by_basis(i for i in book.revenues if codes.revenue_levels(i.code)[depth] == row.code)
    for b in (codes.CURRENT, codes.CAPITAL):
        basis[f"{b}門合計"] = _by_basis(i for i in book.revenues if i.basis == b)
    return _split_budget(table, TAIPEI_REVENUE, basis)


# ---------------------------------------------------------------- 丙1 歲入項目說明提要與預算明細表

def derive_revenue_detail(book: BudgetBook) -> Table:
    """歲入項目說明提要與預算明細表: per 來源別科目, its items (元)."""
    columns = (
        Column("科目名稱及編號", ("科目名稱及編號",), LABEL, 30),
        Column("單位", ("單位",), TEXT, 6),
        Column("數量", ("數量",), TEXT, 8),
        Column("單價", ("單價",), AMOUNT, 14),
        Column("預算數", ("預算數",), AMOUNT, 14),
        Column("說明及收入依據", ("說明及收入依據",), TEXT, 48),
    )
    notes = {n.plan_code: n for n in book.revenue_notes}
    rows: list[Row] = []
    for code, items in _group(book.revenues, lambda i: i.code).items():
        total = _total(items)
        note = notes.get(code)
        rows += _banners(code, f"{PLAN_LINE[REVENUE_DETAIL]}：{code} {items[0].name}", note, total, "歲入項目說明")
        rows.append(Row(code, TOTAL_CODE, {"科目名稱及編號": "合計", "預算數": total}, TOTAL))
        short = items[0].name.split("-")[-1]
        for item in items:
            rows.append(Row(code, short, {
                "科目名稱及編號": f"{code} {short}", "單位": item.unit, "數量": format_quantity(item.quantity),
                "單價": item.unit_price, "預算數": item.amount, "說明及收入依據": item.note}, ITEM, 1))
    subtitle = "、".join(sorted({f"{i.basis}門" for i in book.revenues}))
    return Table(REVENUE_DETAIL, "元", columns, tuple(rows), subtitle=subtitle)
