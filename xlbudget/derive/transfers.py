"""轉帳收支對照表: the 轉帳收支 input sheet, the printed table (its 勾稽: ``xlbudget.rules.transfers``).

Pure. A 轉帳收支 is spending of this agency paid, without cash, from a
revenue line of the city (臺中市政府主計處 115, 02004-48: 一般行政-行政管理
spends 446 千元 of 臺中市環境保護基金, the 08 其他收入 → 084 臺中市政府環境保護局
→ 01 雜項收入 → 03 其他雜項收入 line 12173500210). One row of 轉帳收支 pairs a
工作計畫 with a 歲入 科目 and an amount in 元. The table prints the 歲出 side
(主管 → 機關 → 業務計畫 → 工作計畫) beside the 歲入 side (款 → 項 → 目 → 節),
總計 on top, in 千元 rounded once per line from 元.

勾稽: the 歲出 side of a plan is the 收支併列 of that plan in the 明細表
(臺中 prints 「市款137,538,000元，收支併列446,000元」 above the same plan);
the 歲入 side of a 科目 this book budgets equals its 歲入明細 lines.
"""

from __future__ import annotations

from collections import defaultdict

from xlbudget.core import codes
from xlbudget.core.amounts import to_thousands
from xlbudget.core.model import BudgetBook, Transfer
from xlbudget.core.tables import AMOUNT, GROUP, LABEL, TOTAL, Column, Row, Table
from xlbudget.core.titles import TRANSFERS
TOTAL_CODE = "總計"
SIDES = ("歲出", "歲入")
INDENT = "\u3000"


# ---------------------------------------------------------------- the printed table

def transfer_columns() -> tuple[Column, ...]:
    """歲出 and 歲入 side by side, each 科目 (款, 項, 目, 節, 名稱及編號) and 預算數."""
    columns: list[Column] = []
    for side in SIDES:
        columns += [Column(f"{side}/{k}", (side, "科目", k), LABEL, 5 if k == "項" else 4)
                    for k in ("款", "項", "目", "節")]
        columns += [Column(f"{side}/名稱及編號", (side, "科目", "名稱及編號"), LABEL, 26),
                    Column(f"{side}/預算數", (side, "預算數"), AMOUNT, 11)]
    return tuple(columns)


def _expense_lines(book: BudgetBook) -> list[tuple[str, tuple[str, str, str, str], str, int, list[Transfer]]]:
    """(code, 款/項/目/節, name, depth, transfers) of the 歲出 side: 主管 → 機關 → 業務計畫 → 工作計畫."""
    from xlbudget.derive.budgets import agency_line_codes

    agency = book.agency
    authority, agency_code = agency_line_codes(agency)
    items = {i.plan_code: i for i in book.expenses}
    programs = sorted({i.program_code for i in book.expenses})
    lines = [(authority, (agency.get("歲出款"), "", "", ""), agency.authority, 0, list(book.transfers)),
             (agency_code, ("", agency.get("歲出項"), "", ""), agency.name, 1, list(book.transfers))]
    by_program: dict[str, dict[str, list[Transfer]]] = defaultdict(lambda: defaultdict(list))
    for t in book.transfers:
        by_program[items[t.plan_code].program_code][t.plan_code].append(t)
    for program in sorted(by_program):
        plans = by_program[program]
        first = items[next(iter(plans))]
        mine = [t for ts in plans.values() for t in ts]
        lines.append((program, ("", "", f"{programs.index(program) + 1:02d}", ""), first.program_name, 2, mine))
        siblings = sorted({i.plan_code for i in book.expenses if i.program_code == program})
        for plan in sorted(plans):
            lines.append((plan, ("", "", "", f"{siblings.index(plan) + 1:02d}"), items[plan].work_name, 3,
                          plans[plan]))
    return lines


def _revenue_lines(book: BudgetBook) -> list[tuple[str, tuple[str, str, str, str], str, int, list[Transfer]]]:
    """(code, 款/項/目/節, name, depth, transfers) of the 歲入 side: 款 → 項 → 目 → 節 of each 科目."""
    budgeted = {r.code: r for r in book.revenues}
    sources = codes.revenue_sources()
    lines, seen = [], set()
    for t in sorted(book.transfers, key=lambda t: t.revenue_code):
        own = budgeted.get(t.revenue_code)
        levels = codes.revenue_levels(t.revenue_code)
        for depth, level_code in enumerate(levels):
            if level_code in seen:
                continue
            seen.add(level_code)
            number = t.numbers[depth] or (own.numbers[depth] if own else "")
            name = t.level_names[depth] or (own.level_names[depth] if own else "") or (
                sources.get(level_code[:2], "") if depth == 0 else "")
            members = [m for m in book.transfers if codes.revenue_levels(m.revenue_code)[depth] == level_code]
            lines.append((level_code, tuple(number if i == depth else "" for i in range(4)), name, depth, members))
    return lines


def derive_transfers(book: BudgetBook) -> Table:
    """轉帳收支對照表 (千元): 總計, then the 歲出 lines beside the 歲入 lines (臺中 115: 總計 446 千元 both sides)."""
    total = to_thousands(sum(t.amount for t in book.transfers))
    rows = [Row(TOTAL_CODE, TOTAL_CODE, {f"{s}/名稱及編號": "總計" for s in SIDES} | {
        f"{s}/預算數": total for s in SIDES}, TOTAL)]
    left, right = _expense_lines(book), _revenue_lines(book)
    for n in range(max(len(left), len(right))):
        cells: dict = {}
        codes_here = []
        for side, lines in zip(SIDES, (left, right)):
            if n >= len(lines):
                continue
            code, numbers, name, depth, members = lines[n]
            for k, number in zip(("款", "項", "目", "節"), numbers):
                cells[f"{side}/{k}"] = number
            cells[f"{side}/名稱及編號"] = f"{INDENT * depth}{code} {name}".rstrip()
            cells[f"{side}/預算數"] = to_thousands(sum(t.amount for t in members))
            codes_here.append(code)
        rows.append(Row("/".join(codes_here), _line_name(left, right, n), cells, GROUP, 1))
    return Table(TRANSFERS, "千元", transfer_columns(), tuple(rows))


def _line_name(left, right, n: int) -> str:
    """The name of a printed line: its 歲出 name, or its 歲入 name where the 歲出 side has run out."""
    return left[n][2] if n < len(left) else right[n][2]
