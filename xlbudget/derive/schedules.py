"""Derive the schedules of a 單位預算書 from its inputs.

Pure: BudgetBook in, Tables out. Every 千元 figure is rounded once, half away
from zero, from its own 元 total (RULES.md); totals are never sums of
rounded cells.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import Callable, Iterable

from xlbudget.core import codes
from xlbudget.core.amounts import format_quantity, funding_note, to_thousands
from xlbudget.core.model import BudgetBook, ExpenseItem, PlanNote, RevenueItem
from xlbudget.core.tables import AMOUNT, BANNER, GROUP, ITEM, LABEL, TEXT, TOTAL, Column, Row, Table
from xlbudget.core.titles import (AGENCY_BUDGET, CAPITAL, DETAIL, FUNCTION_ECON, LEVEL1, PLAN_LINE, REVENUE_DETAIL,
                                  REVENUE_SOURCES, SUMMARY)

# Printed order of the book (乙 主要表, then 丙 附屬表).
TABLE_ORDER = (REVENUE_SOURCES, AGENCY_BUDGET, REVENUE_DETAIL, DETAIL, SUMMARY, LEVEL1, CAPITAL,
               FUNCTION_ECON)  # the tables derived from line items alone; derive_all adds the rest

TOTAL_CODE = "合計"
# the 說明 of the 明細表 of a book without a 歲出 line (the revenue-only warning quotes it)
NO_EXPENSES = "本年度無歲出預算"
INDENT = "\u3000"


def taipei_style(book: BudgetBook) -> bool:
    """Whether 基本資料 asks for the 臺北市 版式."""
    return taipei_layout(book.agency)


def taipei_layout(agency) -> bool:
    """Whether an agency's 基本資料 asks for the 臺北市 版式 (taipei_style of its book)."""
    return agency.get("版式").replace("台", "臺").strip() in ("臺北市", "臺北")


_AMOUNT = attrgetter("amount")


def _total(items: Iterable[ExpenseItem | RevenueItem]) -> int:
    return sum(map(_AMOUNT, items))


def _k(items) -> int:
    return to_thousands(_total(items))


def _banners(key: str, heading: str, note: PlanNote | None, total: int, note_label: str) -> list[Row]:
    """The banner rows over a section of a 明細表 (歲出: a 工作計畫; 歲入: a 來源別科目): «heading　承辦單位：…
    預算金額：N千元» (承辦單位 when 說明提要 names one; N the section's total, 元 rounded to 千元), then
    «note_label：說明提要» when there is one."""
    if note and note.office:
        heading += f"　承辦單位：{note.office}"
    rows = [Row(key, f"{heading}　預算金額：{to_thousands(total):,}千元", {}, BANNER)]
    if note and note.text:
        rows.append(Row(key, f"{note_label}：{note.text}", {}, BANNER))
    return rows


def _group(items, key: Callable) -> dict:
    groups: dict = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return dict(sorted(groups.items()))


def _added(parts: Iterable[dict]) -> dict:
    """Sums by key of several dicts of 元 sums (a key when any of them has it)."""
    parts = list(parts)
    if len(parts) == 1:
        return parts[0]
    total: dict = {}
    for part in parts:
        for key, value in part.items():
            total[key] = total.get(key, 0) + value
    return total


@cache  # per process, by the code alone: the code table is the package's (codes.object_codes, read once)
def _object_name(code: str) -> str:
    entry = codes.object_codes().get(code)
    return entry.name if entry else "（未列科目）"


def _programs(book: BudgetBook) -> dict[str, dict[str, list[ExpenseItem]]]:
    programs: dict[str, dict[str, list[ExpenseItem]]] = defaultdict(dict)
    for plan, items in book.plans.items():
        programs[items[0].program_code][plan] = items
    return dict(sorted(programs.items()))


# ---------------------------------------------------------------- 丙2 明細表

def derive_detail(book: BudgetBook) -> Table:
    """歲出計畫說明提要與各項費用明細表: per plan, 合計 → 分支計畫 → (計畫項目 →) 一級 → 二級 → items (元).

    A 計畫項目 prints as 臺北 116 does (07-152-51): its amount, and its name and 說明 in the 說明 column, with no
    label; its 一級 lines at the 分支計畫's depth. A 分支計畫's lines without 計畫項目 print first."""
    columns = (
        Column("分支計畫及用途別科目", ("分支計畫及用途別科目",), LABEL, 30),
        Column("單位", ("單位",), TEXT, 6),
        Column("數量", ("數量",), TEXT, 8),
        Column("單價", ("單價",), AMOUNT, 13),
        Column("預算數", ("預算數",), AMOUNT, 14),
        Column("說明", ("說明",), TEXT, 48),
    )
    notes = {n.plan_code: n for n in book.plan_notes}
    rows: list[Row] = []
    for plan, items in book.plans.items():
        first = items[0]
        lines = _lines_by_code(items)
        # each 用途別科目's 元 and 收支併列 added up once (in C), a subtotal from them: no line added up again at
        # each level above it (issue 13)
        sums = {key: (_total(found), sum(map(_MATCHED, found))) for key, found in lines.items()}
        total, matched = _added_sums(sums, sums)
        note = notes.get(plan)
        rows += _banners(plan, f"{PLAN_LINE[DETAIL]}：{plan} {first.plan_name}", note, total, "歲出計畫說明")
        rows.append(Row(plan, TOTAL_CODE, {
            "分支計畫及用途別科目": "合計", "預算數": total, "說明": funding_note(total, matched)}, TOTAL))
        firsts = _first_lines(items) if any(key[1] for key in lines) else {}
        for branch, b_keys in groupby(lines, _BRANCH):
            b_keys = list(b_keys)
            depth = 0
            path = plan
            if branch:
                path = f"{plan}/{branch}"
                rows.append(_subtotal_row(path, branch, _added_sums(sums, b_keys), 0))
                depth = 1
            for project, p_keys in groupby(b_keys, _PROJECT):
                p_keys = list(p_keys)
                p_path = path
                if project:  # 臺北 116: the project's amount, its name and 說明 in the 說明 column, then its lines
                    p_path = f"{path}/{project}"
                    text = "\n".join(t for t in (project, firsts[branch, project].project_note) if t)
                    rows.append(Row(p_path, project, {"分支計畫及用途別科目": "", "預算數": _added_sums(sums, p_keys)[0],
                                                      "說明": text}, GROUP, depth))
                rows += _object_rows(p_path, p_keys, lines, sums, depth)
    if not rows:  # a book of 歲入 only (revenue-only): its 合計 0 and why, never a table of headers alone
        rows.append(Row(TOTAL_CODE, TOTAL_CODE, {"分支計畫及用途別科目": "合計", "預算數": 0, "說明": NO_EXPENSES}, TOTAL))
    return Table(DETAIL, "元", columns, tuple(rows))


_MATCHED = attrgetter("matched")
_BRANCH, _PROJECT = itemgetter(0), itemgetter(1)  # of a key of ``_lines_by_code``


def _lines_by_code(items: list[ExpenseItem]) -> dict[tuple[str, str, str], list[ExpenseItem]]:
    """A plan's lines by (分支計畫, 計畫項目, 用途別科目), in that order (each sorted), each group's lines as typed:
    the 明細表's groups in one pass over the lines (three passes, a level each, before)."""
    groups: dict[tuple[str, str, str], list[ExpenseItem]] = {}
    for item in items:
        key = (item.branch, item.project, item.object_code)
        found = groups.get(key)
        if found is None:
            groups[key] = [item]
        else:
            found.append(item)
    return {key: groups[key] for key in sorted(groups)}


def _first_lines(items: list[ExpenseItem]) -> dict[tuple[str, str], ExpenseItem]:
    """Each (分支計畫, 計畫項目)'s first line as typed: the one whose 計畫項目說明 the project prints."""
    firsts: dict[tuple[str, str], ExpenseItem] = {}
    for item in items:
        firsts.setdefault((item.branch, item.project), item)
    return firsts


def _added_sums(sums: dict, keys) -> tuple[int, int]:
    """The 元 and 收支併列 of the groups ``keys`` of ``sums`` ((元, 收支併列) by group), added up."""
    amount = matched = 0
    for key in keys:
        a, m = sums[key]
        amount += a
        matched += m
    return amount, matched


def _object_rows(path: str, keys: list, lines: dict, sums: dict, depth: int) -> list[Row]:
    """一級 → 二級 → items of the groups ``keys`` of ``lines`` (``_lines_by_code``, in code order), the 一級 at
    ``depth``; ``sums`` each group's (元, 收支併列)."""
    rows = []
    by_level1: dict[str, list] = {}  # in code order: each 一級's codes one after another, its 一級 in order
    for key in keys:
        by_level1.setdefault(codes.level1_of(key[2]), []).append(key)
    for l1, l1_keys in by_level1.items():
        rows.append(_subtotal_row(f"{path}/{l1}", f"{l1} {_object_name(l1)}", _added_sums(sums, l1_keys), depth))
        for key in l1_keys:
            code = key[2]
            label, code_path = INDENT * (depth + 1) + f"{code} {_object_name(code)}", f"{path}/{code}"
            rows.append(Row(code_path, label, {"分支計畫及用途別科目": label, "預算數": sums[key][0]}, GROUP, depth + 1))
            for item in lines[key]:  # a loop, not a comprehension made and called a code (most hold a line or two)
                quantity = item.quantity  # format_quantity's common 數量, a whole number, without the call
                rows.append(Row(code_path, item.note, {
                    "單位": item.unit, "數量": f"{quantity:,}" if quantity.__class__ is int else format_quantity(quantity),
                    "單價": item.unit_price, "預算數": item.amount, "說明": item.note,
                }, ITEM, depth + 2))
    return rows


def _subtotal_row(code: str, name: str, sums: tuple[int, int], depth: int) -> Row:
    """A subtotal's row: its label at ``depth``, its 元 and its 市款 / 收支併列 note, of ``sums`` (元, 收支併列)."""
    label = INDENT * depth + name
    total, matched = sums
    return Row(code, label, {"分支計畫及用途別科目": label, "預算數": total, "說明": funding_note(total, matched)},
               GROUP, depth)


# ---------------------------------------------------------------- 丙3 彙計表

def derive_summary(book: BudgetBook) -> Table:
    """各項費用彙計表: 用途別科目 (一級, 二級) × 工作計畫, 千元."""
    plans = book.plans
    columns = [Column("科目", ("工作計畫名稱及編號", "第一、二級用途別科目名稱及編號"), LABEL, 28)]
    for plan, items in plans.items():
        columns.append(Column(plan, (f"{plan}\n{items[0].work_name}",), AMOUNT, 13))
    columns.append(Column(TOTAL_CODE, ("合計",), AMOUNT, 13))

    in_yuan = taipei_style(book)
    shown = int if in_yuan else to_thousands  # each cell from its own 元 total
    by_code: dict[str, dict[str, int]] = defaultdict(dict)  # 二級 → 工作計畫 → 元, from the book's sums
    for (plan, code, _, _), amount in book.expense_sums.items():
        plans_of = by_code[code]
        plans_of[plan] = plans_of.get(plan, 0) + amount

    def cells(label: str, parts: Iterable[dict[str, int]]) -> dict:
        sums = _added(parts)
        row: dict = {"科目": label, TOTAL_CODE: shown(sum(sums.values()))}
        for plan in sorted(sums):
            row[plan] = shown(sums[plan])
        return row

    rows = [Row(TOTAL_CODE, "合計", cells("合計", by_code.values()), TOTAL)]
    for l1 in sorted({codes.level1_of(code) for code in by_code}):
        members = sorted(code for code in by_code if codes.level1_of(code) == l1)
        rows.append(Row(l1, _object_name(l1), cells(f"{l1}00{_object_name(l1)}", (by_code[c] for c in members)),
                        GROUP, 0))
        for code in members:
            rows.append(Row(code, _object_name(code), cells(f"{INDENT}{code}00{_object_name(code)}", (by_code[code],)),
                            ITEM, 1))
    return Table(SUMMARY, "元" if in_yuan else "千元", tuple(columns), tuple(rows))


# ---------------------------------------------------------------- 丙4 一級用途別科目分析表

LEVEL1_PARTS = {
    codes.CURRENT: ("1000", "2000", "4000", "5000", "6000"),
    codes.CAPITAL: ("1000", "2000", "3000", "4000", "6000"),
}
_GROUP_NAME = {codes.CURRENT: "經常支出", codes.CAPITAL: "資本支出"}


def derive_level1(book: BudgetBook) -> Table:
    """歲出一級用途別科目分析表: 經常/資本 × 一級用途別, by 政事別 / 業務計畫 / 工作計畫, 千元."""
    columns = [Column("名稱及編號", ("名稱及編號",), LABEL, 30), Column(TOTAL_CODE, ("合計",))]
    for basis, parts in LEVEL1_PARTS.items():
        group = _GROUP_NAME[basis]
        for l1 in parts:
            columns.append(Column(f"{group}/{_object_name(l1)}", (group, _object_name(l1)), AMOUNT, 11))
        columns.append(Column(f"{group}/小計", (group, "小計"), AMOUNT, 11))

    def cells(label: str, parts: Iterable[dict[tuple[str, str], int]]) -> dict:
        sums = _added(parts)  # (經資門, 一級's first digit) → 元; a key when it has lines
        row: dict = {"名稱及編號": label, TOTAL_CODE: to_thousands(sum(sums.values()))}
        for basis, parts_of in LEVEL1_PARTS.items():
            group = _GROUP_NAME[basis]
            for l1 in parts_of:
                if (basis, l1[0]) in sums:
                    row[f"{group}/{_object_name(l1)}"] = to_thousands(sums[basis, l1[0]])
            mine = [total for (b, _), total in sums.items() if b == basis]
            if mine:
                row[f"{group}/小計"] = to_thousands(sum(mine))
        return row

    by_plan: dict[str, dict[tuple[str, str], int]] = {}  # 工作計畫 → its sums, from the book's sums
    for (plan, code, basis, _), amount in book.expense_sums.items():
        sums = by_plan.setdefault(plan, {})
        key = (basis, code[0])
        sums[key] = sums.get(key, 0) + amount
    rows = [Row(TOTAL_CODE, "合計", cells("合計", by_plan.values()), TOTAL)]
    policy_names = codes.policy_areas()
    by_policy = _group(by_plan, codes.policy_code_of)  # 政事別 → its 工作計畫
    programs = _programs(book)
    for policy, policy_plans in by_policy.items():
        name = book.agency.get("政事別名稱") if len(by_policy) == 1 else ""
        name = name or policy_names.get(policy[:2], "")
        rows.append(Row(policy, name, cells(f"{policy} {name}".strip(), (by_plan[p] for p in policy_plans)), GROUP, 0))
        for program, plans in programs.items():
            if codes.policy_code_of(program) != policy:
                continue
            first = next(iter(plans.values()))[0]
            rows.append(Row(program, first.program_name,
                            cells(f"{INDENT}{program} {first.program_name}", (by_plan[p] for p in plans)), GROUP, 1))
            for plan, items in plans.items():
                rows.append(Row(plan, items[0].work_name,
                                cells(f"{INDENT * 2}{plan} {items[0].work_name}", (by_plan[plan],)), ITEM, 2))
    return Table(LEVEL1, "千元", tuple(columns), tuple(rows))


# ---------------------------------------------------------------- 丙5 資本支出分析表

CAPITAL_COLUMNS = ("土地", "房屋建築及設備", "公共建設及設施", "機械設備", "運輸設備", "資訊軟硬體設備",
                   "雜項設備", "權利", "投資")
OTHER_CAPITAL = "其他資本支出"


def capital_column_of(item: ExpenseItem) -> str:
    """The 資本支出分析表 column of a 資本門 line."""
    entry = codes.object_codes().get(item.object_code)
    if codes.level1_of(item.object_code) == "3000" and entry and entry.capital_column:
        return f"設備及投資/{entry.capital_column}"
    return OTHER_CAPITAL


def derive_capital(book: BudgetBook) -> Table:
    """資本支出分析表: 資本門 by kind of asset, by 業務計畫 / 工作計畫, 千元."""
    columns = [Column("名稱及編號", ("名稱及編號",), LABEL, 30), Column(TOTAL_CODE, ("合計",))]
    columns += [Column(f"設備及投資/{c}", ("設備及投資", c)) for c in CAPITAL_COLUMNS]
    columns.append(Column(OTHER_CAPITAL, (OTHER_CAPITAL,)))
    capital = [i for i in book.expenses if i.basis == codes.CAPITAL]
    by_plan: dict[str, dict[str, int]] = {}  # 工作計畫 → 元 by column, in one pass over the lines
    for i in capital:
        sums = by_plan.setdefault(i.plan_code, {})
        key = capital_column_of(i)
        sums[key] = sums.get(key, 0) + i.amount

    def cells(label: str, parts: Iterable[dict[str, int]]) -> dict:
        sums = _added(parts)  # each cell rounded once from its own 元 total
        row: dict = {"名稱及編號": label, TOTAL_CODE: to_thousands(sum(sums.values()))}
        for key in sorted(sums):
            row[key] = to_thousands(sums[key])
        return row

    rows = [Row(TOTAL_CODE, "合計", cells("合計", by_plan.values()), TOTAL)]
    for program, p_items in _group(capital, attrgetter("program_code")).items():
        name = p_items[0].program_name
        plans = _group(p_items, attrgetter("plan_code"))
        rows.append(Row(program, name, cells(f"{program} {name}", (by_plan[plan] for plan in plans)), GROUP, 0))
        for plan, items in plans.items():
            rows.append(Row(plan, items[0].work_name, cells(f"{INDENT}{plan} {items[0].work_name}", (by_plan[plan],)),
                            ITEM, 1))
    return Table(CAPITAL, "千元", tuple(columns), tuple(rows))


# ---------------------------------------------------------------- prior years


# ---------------------------------------------------------------- 丙10 職能及經濟性綜合分類表

def function_econ_columns() -> tuple[Column, ...]:
    """Columns of 歲出按職能及經濟性綜合分類表, in printed order."""
    columns = [Column("職能別分類", ("職能別分類", "經濟性分類"), LABEL, 22)]
    for group in ("經常支出", "資本支出"):
        for cls in codes.econ_classes():
            if cls.group != group:
                continue
            header = (group, cls.subgroup, cls.name) if cls.subgroup else (group, cls.name)
            columns.append(Column("/".join(header), header, AMOUNT, 10))
        columns.append(Column(f"{group}/{group}合計", (group, f"{group}合計"), AMOUNT, 11))
    columns.append(Column("總計", ("總計",), AMOUNT, 11))
    return tuple(columns)


def derive_function_econ(book: BudgetBook) -> Table:
    """歲出按職能及經濟性綜合分類表: 職能別 × 經濟性分類, 千元."""
    columns = function_econ_columns()
    key_of = {}
    for cls in codes.econ_classes():
        key_of[cls.key] = "/".join((cls.group, cls.subgroup, cls.name) if cls.subgroup else (cls.group, cls.name))

    def cells(label: str, sums: dict[tuple[str, str, str, str], int]) -> dict:
        row: dict = {"職能別分類": label}
        if not sums:
            return row
        by_econ: dict[str, int] = defaultdict(int)  # 元 by class and by 經資門, from the book's sums
        by_basis: dict[str, int] = defaultdict(int)
        for (_, _, basis, econ), amount in sums.items():
            by_econ[econ] += amount
            by_basis[basis] += amount
        for econ in sorted(by_econ):
            row[key_of[econ]] = to_thousands(by_econ[econ])
        for basis, group in _GROUP_NAME.items():
            if basis in by_basis:
                row[f"{group}/{group}合計"] = to_thousands(by_basis[basis])
        row["總計"] = to_thousands(sum(sums.values()))
        return row

    whole = cells("總計", book.expense_sums)  # summed once: the agency's 職能別 row holds every line too
    rows = [Row(TOTAL_CODE, "總計", whole, TOTAL)]
    for code, name in codes.functions().items():
        label = f"{code} {name}"
        rows.append(Row(code, name, {**whole, "職能別分類": label} if code == book.agency.function else cells(label, {}),
                        ITEM, 1))
    return Table(FUNCTION_ECON, "千元", columns, tuple(rows))
