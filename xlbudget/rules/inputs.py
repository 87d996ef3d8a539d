"""Checks on the inputs of a template book: whole thousands, duplicates, 收支併列, the 以前年度 lines."""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePath
from operator import attrgetter
from typing import Iterable

from xlbudget.core import codes
from xlbudget.core.amounts import format_figure, to_thousands
from xlbudget.core.findings import Finding, make_finding
from xlbudget.core.keys import compact_key
from xlbudget.core.model import BudgetBook, CellRef
from xlbudget.forms.inputs import SHEET_NOTES
from xlbudget.rules.common import finding, whole_book

def check_whole_thousands(book: BudgetBook) -> Iterable[Finding]:
    """Each 工作計畫 × 一級用途別 total is a whole thousand 元 (RULES.md)."""
    # added from the book's sums (BudgetBook.expense_sums, a few keys a plan, added once a book), not line by line:
    # the lines are looked at only for a total that is not whole, to name their cells
    totals: dict[tuple[str, str], int] = {}
    for (plan, code, _, _), amount in book.expense_sums.items():
        key = (plan, codes.level1_of(code))
        totals[key] = totals.get(key, 0) + amount
    lines: dict[str, dict[str, list]] = {}  # 工作計畫 → 一級 → its lines, grouped for a plan with a total not whole
    for (plan, l1), total in sorted(totals.items()):
        if total % 1000:
            groups = lines.get(plan)
            if groups is None:
                groups = lines[plan] = {}
                for i in book.plans[plan]:
                    groups.setdefault(codes.level1_of(i.object_code), []).append(i)
            cells = [cell for i in groups[l1] if (cell := i.cells.get("預算數", _NO_CELL)) is not _NO_CELL]
            yield make_finding("not-whole-thousand", cells[-1] if cells else None, expected=None, actual=total,
                               related=tuple(cells[:-1]), plan=plan, code=l1)


_NO_CELL = object()  # a line read without a 預算數 column (XLB_CHECK's range): no cell to name


# what check_duplicates compares, as the message names it: a column the lines were not read from (XLB_CHECK's range
# stopping at 預算數, field report 7 §2.1) is said to be left out, never claimed to be the same
_COMPARED = (("科目", "用途別科目"), ("數量", "數量"), ("單價", "單價"), ("預算數", "預算數"), ("說明", "說明"))


def _compared(cells) -> str:
    said = "、".join(word for word, column in _COMPARED if column in cells)
    left = [column for word, column in _COMPARED if column not in cells]
    return said + (f"；未比對{'、'.join(left)}：所讀的範圍沒有此欄" if left else "")


def check_duplicates(book: BudgetBook) -> Iterable[Finding]:
    """Two line items alike in plan, branch, code, quantity, price, amount and 說明."""
    seen: dict[tuple, object] = {}  # a line's key → the first line of it (its cell looked up only for a duplicate)
    for item in book.expenses:
        key = (item.plan_code, item.branch, item.object_code, item.unit, str(item.quantity), item.unit_price,
               item.amount, item.note)
        first = seen.get(key)
        if first is None:
            seen[key] = item
        else:
            other = first.cells.get("預算數")
            yield finding("duplicate-item", item.cells.get("預算數"), related=(other,) if other else (),
                          other=str(other or ""), compared=_compared(item.cells))


def check_prior_codes(book: BudgetBook) -> Iterable[Finding]:
    """以前年度: a 歲出 line whose code is not this agency's (3rd–7th digits) is most likely a typo."""
    agency_digits = {plan[2:7] for plan in book.plans}  # the book's plans, each once (not each line)
    for line in book.prior_split[0]:
        if line.code[2:7] in agency_digits:
            continue
        yield finding("prior-year-unknown-code", line.cells.get("科目編號"), expected="、".join(sorted(agency_digits)),
                      actual=line.code, code=line.code)


def check_agency_code(book: BudgetBook) -> Iterable[Finding]:
    """基本資料's 機關編號 is the 3rd–7th digits of every 工作計畫編號 and 歲入科目編號 of the book (02-018: 32020180101,
    09020180102; so in each city's example). When none of them carries it, ``agency-code-mismatch`` at 機關編號: the
    歲出機關別預算表 prints the agency line from it (00020170000 beside plans 3202018…), and convert's 彙總 and compare
    of two folders tell agencies by it (field report 14 §1.5)."""
    digits = "".join(ch for ch in book.agency.code if ch.isdigit())
    codes_of = [(plan, "工作計畫編號") for plan in book.plans] or [(i.code, "歲入科目編號") for i in book.revenues]
    if len(digits) != 5 or not codes_of or any(code[2:7] == digits for code, _ in codes_of):
        return
    parts = sorted({code[2:7] for code, _ in codes_of})
    example, where = codes_of[0]
    yield make_finding("agency-code-mismatch", book.agency.cells.get("機關編號"), expected="、".join(
        f"{p[:2]}-{p[2:]}" for p in parts), actual=book.agency.code, where=where, example=example,
        printed=f"00{digits}0000")


def check_year_in_name(book: BudgetBook) -> Iterable[Finding]:
    """基本資料's 年度 against the one year the file's name gives (「…114年度單位預算.xlsx」): a book copied from last
    year's, its name changed and its 年度 left, prints 中華民國113年度 on every table, 上年度 and 前年度 shifted with it,
    and nothing else tells (field report 15 §1.3). A name holding no year, or two (「112-113年度對照.xlsx」), says
    nothing; which one is wrong cannot be told, so both are named."""
    name = PurePath(book.source or "").name
    text = compact_key(PurePath(name).stem)  # NFKC: 「１１４年度」 too
    named = set()
    at = text.find("年度")
    while at != -1:  # three digits right before 年度, a space between allowed: 民國 100–199
        head = text[:at].rstrip()
        digits = len(head) - len(head.rstrip("0123456789"))
        if digits == 3 and head[-3] == "1":
            named.add(int(head[-3:]))
        at = text.find("年度", at + 2)
    if len(named) != 1 or book.agency.year in named:
        return
    yield make_finding("year-differs-from-name", book.agency.cells.get("年度"), expected=named.pop(),
                       actual=book.agency.year, name=name)


def _prior_typos(book: BudgetBook) -> Iterable[tuple]:
    """以前年度 lines that look like a typo of a line of this year: (line, the codes it likely means, their cells,
    sheet, their names); see check_prior_typos."""
    plans = book.first_lines
    sources: dict[str, object] = {}
    for item in book.revenues:
        sources.setdefault(item.code, item)
    programs: set[str] | None = None  # every line's 業務計畫, gathered for the first 以前年度 line that is no plan
    typed = {line.code for line in book.prior}
    revenue = {line.code for line in book.prior_split[1]}  # a line's side is its code's
    for line in book.prior:
        name, part = compact_key(line.name), compact_key(line.name.split("-", 1)[-1])
        if line.code in revenue:
            if line.code in sources:
                continue
            alike = [code for code, item in sources.items() if code not in typed and code[:2] == line.code[:2]
                     and (compact_key(item.name) == name or compact_key(item.name.split("-", 1)[-1]) == part)]
            cells = [c for code in alike if (c := sources[code].cells.get("科目編號"))]
            sheet, other = "歲入明細", "、".join(sources[code].name for code in alike)
        else:
            if line.code in plans:
                continue
            if programs is None:
                programs = {i.program_code for i in book.expenses}
            if line.code in programs:
                continue
            alike = [plan for plan, item in plans.items() if plan not in typed
                     and (compact_key(item.plan_name) == name or compact_key(item.work_name) == part)]
            cells = [c for plan in alike if (c := plans[plan].cells.get("工作計畫編號"))]
            sheet, other = "歲出明細", "、".join(plans[plan].plan_name for plan in alike)
        if alike:
            yield line, alike, cells, sheet, other


def check_prior_typos(book: BudgetBook) -> Iterable[Finding]:
    """以前年度: a code with no line this year while a line of the same name has no 以前年度 row is most likely a typo
    (32020180111 for 32020180101): the tables would print a phantom line (本年度 0, 上年度 41,366) and the real one
    with 上年度 0. Named at the code's cell, with the line it likely means. 歲出: a 工作計畫 (not a plan,
    nor a plan's 業務計畫) named as the plan or its 工作計畫 part; 歲入: a 科目 (節) of the same 款 named as the
    歲入明細 line or its 節 part."""
    for line, alike, cells, sheet, other in _prior_typos(book):
        yield finding("prior-year-code-typo", line.cells.get("科目編號"), expected="或".join(alike),
                      actual=line.code, related=tuple(cells), code=line.code, name=line.name, other=other,
                      sheet=sheet, kind="科目" if sheet == "歲入明細" else "工作計畫")


def check_prior_level_names(book: BudgetBook) -> Iterable[Finding]:
    """以前年度: a 歲入 row's typed 款, 目 or 節 name that contradicts its 科目編號 is named at its cell, as on 歲入明細:
    the 歲入來源別預算表 prints a 以前年度 科目's typed names when it has no line this year."""
    from xlbudget.readers.items import level_name_findings

    for line in book.prior_split[1]:
        yield from level_name_findings(line.code, line.name, line.level_names, line.cells.get,
                                       (*book.revenues, *book.prior_split[1]))


def check_prior_programs(book: BudgetBook) -> Iterable[Finding]:
    """以前年度: a 業務計畫 row beside rows of its own 工作計畫 is not read (the tables print the plans' sum); when its
    figure differs from that sum, it is named at its cell with the plans' cells, never dropped without a word."""
    lines = book.prior_split[0]
    for line in lines:
        if not line.code.endswith("00"):
            continue
        plans = [p for p in lines if p.code[:9] == line.code[:9] and not p.code.endswith("00")]
        for column, attr in (("上年度預算數", "last_budget"), ("前年度決算數", "prior_final")):
            figure, parts = getattr(line, attr), [getattr(p, attr) for p in plans if getattr(p, attr) is not None]
            if plans and figure is not None and parts and figure != sum(parts):
                yield finding("prior-year-program-differs", line.cells.get(column), expected=sum(parts),
                              actual=figure, related=tuple(c for p in plans if (c := p.cells.get(column))),
                              code=line.code, name=line.name, column=column)


def check_prior_finals(book: BudgetBook) -> Iterable[Finding]:
    """以前年度: a line with 上年度預算數 but an empty 前年度決算數 (as next-year leaves them) is named, as info."""
    for line in book.prior:
        cell = line.cells.get("前年度決算數")
        if line.prior_final is None and line.last_budget is not None and cell is not None:
            yield finding("prior-final-empty", cell, code=line.code, name=line.name)


def check_prior_basis(book: BudgetBook) -> Iterable[Finding]:
    """``prior-basis-assumed`` (info) at each 以前年度 歲入 line of a 科目 with no 歲入明細 line this year and no 經資門
    typed beside it (a 經資門 column the officer adds to 以前年度), where a 資本門 revenue may stand
    (codes.may_be_capital_revenue), whose figures are not all 0: 歲入來源別預算表 counts them in 經常門合計, a guess
    said (field report 10 §1.2: a 資本門 出售不動產 budgeted last year only went into 上年度 經常門合計 unsaid)."""
    this_year = {rev.code for rev in book.revenues}
    for line in book.prior_split[1]:
        if line.code not in this_year and not line.basis and (line.last_budget or line.prior_final) \
                and codes.may_be_capital_revenue(line.code, line.level_names[2] or line.name.split("-")[0]):
            yield finding("prior-basis-assumed", line.cells.get("科目編號"), code=line.code, name=line.name,
                          last=format_figure(line.last_budget or 0), final=format_figure(line.prior_final or 0))


def check_prior_missing(book: BudgetBook) -> Iterable[Finding]:
    """以前年度 (when the book has any): a 工作計畫 or 歲入科目 of this year with no line there, and a line whose
    上年度預算數 is blank. The tables print 上年度 0 and 比較 = 本年度 for both (derive.budgets), so the column adds
    up; these warnings say that 0 was assumed (field report 6 §1.2: a new plan printed blank 比較 under totals that
    took it as 0). A plan whose 業務計畫 alone has a line (it stands for its plans together) is not named."""
    if not book.prior:
        return
    expense, revenue = book.prior_split
    # a plan or source a 以前年度 line likely meant by a typo is named there (prior-year-code-typo), not twice
    typed = {line.code for line in book.prior} | {code for _, alike, *_ in _prior_typos(book) for code in alike}
    covered = {line.code for line in expense if line.code.endswith("00")}
    plans = {plan: book.plans[plan] for plan in book.first_lines}  # each plan's lines, plans as first met
    sources: dict[str, list] = defaultdict(list)
    for rev in book.revenues:
        sources[rev.code].append(rev)
    programs_typed = {plans[p][0].program_code for p in plans if p in typed}
    new_plans = {plan: items for plan, items in plans.items()
                 if plan not in typed and items[0].program_code not in covered - programs_typed}
    for kind, table, column, lines in (("工作計畫", "歲出機關別預算表", "工作計畫編號", new_plans),
                                       ("歲入科目", "歲入來源別預算表", "科目編號", sources)):
        for code, items in lines.items():
            if code in typed:
                continue
            cell = next((c for i in items if (c := i.cells.get(column))), None)
            yield finding("prior-year-missing", cell, kind=kind, code=code,
                          name=items[0].plan_name if kind == "工作計畫" else items[0].name,
                          table=table, current=to_thousands(sum(i.amount for i in items)))
    empty = [(line, cell) for line in book.prior
             if line.last_budget is None and (cell := line.cells.get("上年度預算數")) is not None]
    if not empty:
        return  # this year's figures by code are added only for a line that names them (most books: none)
    this_year: dict[str, int] = defaultdict(int)
    for item in book.expenses:
        this_year[item.plan_code] += item.amount
        this_year[item.program_code] += item.amount
    for rev in book.revenues:
        this_year[rev.code] += rev.amount
    revenue_codes = {line.code for line in revenue}
    for line, cell in empty:
        yield finding("prior-budget-empty", cell, code=line.code, name=line.name,
                      table="歲入來源別預算表" if line.code in revenue_codes else "歲出機關別預算表",
                      current=to_thousands(this_year.get(line.code, 0)))


def check_plan_notes(book: BudgetBook) -> Iterable[Finding]:
    """說明提要: a 工作計畫 with no row there, or a row whose 說明提要 is empty, prints its 明細表 without 計畫內容 and
    預期成果 (field report 6 §4.2); named at its row's 說明提要 cell, or at the plan's first 歲出明細 line (the
    reverse, a row whose plan does not exist, is note-unknown-code)."""
    missing = SHEET_NOTES not in book.sheets
    if missing and not whole_book(book):  # XLB_CHECK's range, a book built in code: no 說明提要 to speak of
        return
    notes = {n.plan_code: n for n in book.plan_notes}
    for plan, item in book.first_lines.items():
        note = notes.get(plan)
        if note is None:
            yield finding("plan-note-missing", item.cells.get("工作計畫編號"), plan=plan, name=item.plan_name,
                          what="沒有說明提要（本書沒有「說明提要」工作表）" if missing else "在說明提要工作表沒有列",
                          also="，亦不印承辦單位")
        elif not note.text.strip():
            yield finding("plan-note-missing", note.cells.get("說明提要") or note.cells.get("編號"), plan=plan,
                          name=item.plan_name, what="的說明提要空白", also="")


def check_prior_scale(book: BudgetBook) -> Iterable[Finding]:
    """以前年度 (千元) typed in 元, or the reverse: a 工作計畫's or 歲入科目's 上年度預算數 / 前年度決算數 that is
    ≥ 100× or ≤ 1/100 of this year's 千元 figure (高雄 一般行政 41,366,000 beside 43,769) is named at its cell.

    When the figure is the large one and this year's 元 total is no whole 千元 (a 元 book's are: not-whole-thousand),
    it is the 元 sheet that was typed in 千元 (field report 4, f17: 歲出明細 43,769 for 43,769,000 元), and the
    warning says so (yuan-sheet-in-thousands), never sending the officer to 以前年度, which is right."""
    this_year: dict[str, int] = defaultdict(int)
    sheet: dict[str, str] = {}
    for (plan, _, _, _), amount in book.expense_sums.items():  # the book's sums: a few keys a plan, not every line
        this_year[plan] += amount
        sheet[plan] = "歲出明細"
    for rev in book.revenues:
        this_year[rev.code] += rev.amount
        sheet[rev.code] = "歲入明細"
    for line in book.prior:
        yuan = this_year.get(line.code, 0)
        current = to_thousands(yuan)
        if current <= 0:
            continue
        for column, figure in (("上年度預算數", line.last_budget), ("前年度決算數", line.prior_final)):
            cell = line.cells.get(column)
            if not figure or cell is None or not (figure >= 100 * current or 100 * figure <= current):
                continue
            if figure >= 100 * current and yuan % 1000:
                yield finding("yuan-sheet-in-thousands", cell, expected=current, actual=figure, column=column,
                              code=line.code, name=line.name, this_year=yuan, sheet=sheet[line.code])
            else:
                yield finding("prior-year-scale", cell, expected=current, actual=figure, column=column,
                              code=line.code, name=line.name)


def check_prior_total_scale(book: BudgetBook) -> Iterable[Finding]:
    """基本資料's 前年度歲出預算數 / 前年度歲入預算數 (千元: the 預算總說明's 「前年度歲出預算數…，執行率達…」) typed in
    元: 100 times or more its side's 前年度決算數 total in 以前年度 (the sentence's other figure), or this year's total
    in 千元 where 以前年度 gives none, is named at its cell. 高雄 113's 190,786 typed 190,786,000 printed «前年度歲出
    預算數1,907億8,600萬元，歲出決算數1億8,816萬2千元，執行率達0.10%» with check «錯誤 0、警告 0» unless the officer's
    own text quoted the figure (field report 16 §3), as prior-year-scale says it of 以前年度's lines."""
    from xlbudget.core.amounts import parse_int
    from xlbudget.derive.narrative import _prior_total, format_chinese  # the sentence's own figures

    for side, revenue in (("歲出", False), ("歲入", True)):
        key = f"前年度{side}預算數"
        cell = book.agency.cells.get(key)
        budget = parse_int(book.agency.get(key) or None) if cell is not None else None
        if not budget or budget < 0:
            continue
        final = _prior_total(book, revenue, "prior_final")
        if final and final > 0:
            base, what = final, f"以前年度的{side}前年度決算數合計"
        else:
            yuan = sum(i.amount for i in book.revenues) if revenue else sum(book.expense_sums.values())
            base, what = to_thousands(yuan), f"本年度{side}預算數"
        if base > 0 and budget >= 100 * base:
            yield finding("prior-total-scale", cell, expected=base, actual=budget, key=key, what=what,
                          said=format_chinese(budget))


def _matched_spent(book: BudgetBook) -> int:
    """收支併列 of 歲出 that this book's 歲入 must match: 收支併列 that 轉帳收支 names as another agency's revenue
    (a 歲入 科目 this book does not budget) is left out.

    臺中 115 一般行政 3025 收支併列 446,000 元 is 臺中市環境保護基金's, 歲入 12173500210 of 環境保護局
    (轉帳收支對照表 02004-48), not this book's 歲入; transfer-vs-matched ties it to its plan instead."""
    budgeted = {r.code for r in book.revenues}
    elsewhere: dict[str, int] = defaultdict(int)
    for t in book.transfers:
        if t.revenue_code not in budgeted:
            elsewhere[t.plan_code] += t.amount
    # a plan's transfers excuse at most its own 收支併列: a 轉帳 typed too large is named at its cell
    # (check_transfers, transfer-exceeds-matched), not here as a negative 收支併列 total nobody typed
    return sum(map(_MATCHED, book.expenses)) - sum(min(amount, max(sum(map(_MATCHED, book.plans.get(plan, ()))), 0))
                                                   for plan, amount in elsewhere.items())


_MATCHED = attrgetter("matched")
_PROJECT = attrgetter("project")


def _matched_cells(book: BudgetBook) -> list[CellRef]:
    return [i.cells["收支併列數"] for i in book.expenses if i.matched and "收支併列數" in i.cells]


def check_matched_revenue(book: BudgetBook) -> Iterable[Finding]:
    """收支併列 in 歲出 = the 收支併列 (補助收入) lines of 歲入, when the book has 歲入 (without: the next check)."""
    if not book.revenues:
        return
    spent = _matched_spent(book)
    matched = [r for r in book.revenues if r.matched]
    received = sum(r.amount for r in matched)
    if spent != received:
        cells = [r.cells["預算數"] for r in matched if "預算數" in r.cells]
        related = _matched_cells(book)
        target = cells[0] if cells else (related[0] if related else None)
        yield finding("matched-revenue-mismatch", target, expected=spent, actual=received,
                      related=tuple(cells[1:]) + tuple(related))


def check_matched_without_revenue(book: BudgetBook) -> Iterable[Finding]:
    """收支併列 in 歲出 while the book has no 歲入 line (歲入明細 renamed, deleted or empty, field report #4): 歲入
    would print 0 beside the 明細表's 收支併列; an error at the first 收支併列 cell (build reports it too)."""
    if book.revenues:
        return
    spent = _matched_spent(book)
    if spent > 0:
        related = _matched_cells(book)
        yield finding("matched-without-revenue", related[0] if related else None, expected=spent, actual=0,
                      related=tuple(related[1:]))


def check_project_lines(book: BudgetBook) -> Iterable[Finding]:
    """歲出明細: a line with no 計畫項目 typed below a line of its 分支計畫 that has one. The 明細表 prints a 分支計畫's
    lines without a 計畫項目 directly under it, before its first 計畫項目 (臺北 116's 04其他設備, typed so), not where
    typed: most likely a 計畫項目 left blank (3 of 11 lines filled). One warning a 分支計畫 at the first such line's
    計畫項目, the others related; the figures are as before."""
    from xlbudget.core.findings import rows_named

    if not any(map(_PROJECT, book.expenses)):  # no line names a 計畫項目 (most books): one pass in C
        return
    first, late = {}, defaultdict(list)
    for item in book.expenses:
        if item.project:
            first.setdefault((item.plan_code, item.branch), item)
        elif (item.plan_code, item.branch) in first:
            late[item.plan_code, item.branch].append(item)
    for (plan, branch), items in late.items():
        cells = [c for i in items if (c := i.cells.get("計畫項目") or i.cells.get("預算數"))]
        yield finding("project-left-blank", cells[0] if cells else None, related=cells[1:], plan=plan, branch=branch,
                      rows=rows_named(cells, cells[0].sheet) if cells else "", count=len(items),
                      project=first[plan, branch].project)
