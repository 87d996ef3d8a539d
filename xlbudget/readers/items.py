"""The line items: 歲出明細, 歲入明細 and 以前年度 → expense, revenue and prior-year records (元, 千元).

Pure: grids in, records out, each value with its cell; every problem is a
finding with its rule id and cell.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from functools import lru_cache
from operator import attrgetter
from typing import Iterable

from xlbudget.core import codes
from xlbudget.core.amounts import format_figure, priced_amount
from xlbudget.core.findings import Finding, item_product_differs, item_product_finding, make_finding
from xlbudget.core.keys import branch_key, code_key, compact_key, is_ditto, normalize_key, seen_key, unread_numbering
from xlbudget.core.model import (CellRef, ExpenseItem, PriorYear, RevenueItem, cell_position, counted_prior,
                                 program_of)
from xlbudget.core.patterns import lazy
from xlbudget.forms.inputs import (EXPENSE_HEADERS, EXPENSE_OPTIONAL, EXPENSE_REQUIRED, PRIOR_ADDED, PRIOR_HEADERS,
                                   PRIOR_OPTIONAL, PRIOR_REQUIRED, REVENUE_HEADERS, REVENUE_OPTIONAL, REVENUE_REQUIRED)
from xlbudget.readers.grid import Grid, SheetReader, cell_text, numbered

_OBJECT = lazy(r"^\s*(\d{4})(?:00)?(?:\.0+(?![0-9]))?\s*(.*)$")  # 1020.0: the number 1020 as text
_TAG_SEPARATORS = lazy(r"[、,，;；\s]+")  # between the tags of a line (標籤)


def _priced(reader: SheetReader, r: int, quantity_raw, price_raw, amount_raw, findings: list[Finding]):
    """(數量, 單價, 預算數) of a 歲出 or 歲入 line, from its cells as typed. An empty 預算數 is 數量 × 單價; a typed one
    that differs is the one 數量×單價 rule (item_product_finding). 預算數 is None, with a problem, when it is empty
    and cannot be derived (a formula without a value is named once, by read_book)."""
    quantity = reader.number(r, quantity_raw, "數量", quantity=True)
    price = reader.number(r, price_raw, "單價", price=True)  # 1.6 元 is Decimal("1.6")
    amount = reader.number(r, amount_raw, "預算數")
    if (quantity or 0) < 0 or (price or 0) < 0 or (amount or 0) < 0:
        for name, value, raw in (("數量", quantity, quantity_raw), ("單價", price, price_raw),
                                 ("預算數", amount, amount_raw)):
            if value is not None and value < 0:  # a budget line is never negative: (2,961,000) is a typing slip
                reader.problem("negative-amount", r, name, column=name, actual=cell_text(raw))
    if amount is None:
        if quantity is not None and price is not None:
            amount = priced_amount(quantity, price)
            reader.parsed["預算數"][r] = amount
        elif not cell_text(amount_raw):  # empty: typed but unreadable (not-a-number, a formula) is named already
            reader.problem("required-missing", r, "預算數", what="預算數")
    elif item_product_differs(quantity, price, amount):  # the cells looked up only for a finding
        findings.append(item_product_finding(quantity, price, amount, reader.ref(r, "預算數"), reader.ref(r, "數量"),
                                             reader.ref(r, "單價"), cell_text(quantity_raw)))
    return quantity, price, amount


def _as_typed(quantity_raw, quantity):
    """數量 as the line keeps it: a product typed as text (3x12) as typed, else the number."""
    return quantity_raw if isinstance(quantity_raw, str) and quantity_raw.strip() else quantity


_EXPENSE_CELLS = EXPENSE_HEADERS + EXPENSE_OPTIONAL  # the cells read_expenses reads of every row, in this order
_TEXT_OR_NONE = (str, type(None))
_WHOLE = frozenset((int, float))  # the kinds of a figure read_expenses reads without SheetReader.number (bool is neither)
_PRICED_COLUMNS = ("數量", "單價", "預算數", "收支併列數")


def _object_of(reader: SheetReader, r: int, typed_code, table, findings: list[Finding]):
    """用途別科目 of row ``r`` as typed → (4-digit code, its entry, read without a word?); None, with a problem at its
    cell, when it is no code or no known 科目."""
    typed = typed_object(normalize_key(typed_code))
    if typed is None:
        reader.problem("bad-code", r, "用途別科目", column="用途別科目", expected="4 位數代碼（如 2018）",
                       actual=cell_text(typed_code))
        return None
    code, typed_name = typed
    entry = table.get(code)
    level1 = table.get(codes.level1_of(code))
    if level1 is None or level1.level != 1 or code == level1.code or entry is None:
        # like text in an amount: a line under no known 科目 would print as （未列科目）
        reader.problem("unknown-object-code", r, "用途別科目", code=code, actual=code)
        return None
    if typed_name and typed_name not in entry.names:
        # 「1015A」, 「2018-1」: a letter or a number after the code is no name; said as what it is (field report 15
        # §2.3: «名稱應為「法定編制人員待遇」，此處為「A」» called the letter a name)
        tail = typed_name.lstrip("-_.")  # 「A」, 「-1」, 「.2」: a mark after the code, never a name (「=1+1」 is text)
        suffix = 0 < len(tail) <= 3 and tail.isascii() and tail.isalnum()
        rule = "object-code-suffix" if suffix else "object-name-mismatch"
        findings.append(make_finding(rule, reader.ref(r, "用途別科目"), code=code, expected=entry.name,
                                     actual=typed_name, typed=cell_text(typed_code)))
        return code, entry, False
    return code, entry, True


class _Once(dict):
    """``make(text)`` of each text asked for, made on first asking (a dict's ``__missing__``) and kept: a book
    types the same few texts on every line, and a line asking for one costs one dict lookup."""

    __slots__ = ("make",)

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, text: str):
        made = self[text] = self.make(text)
        return made


# what a 小計 typed under 歲出明細 lines may close, as the 明細表 prints them: a 工作計畫, a 分支計畫 of it, a 用途別科目
EXPENSE_GROUPS = (("工作計畫", ("工作計畫編號",)), ("分支計畫", ("工作計畫編號", "分支計畫")),
                  ("用途別科目", ("工作計畫編號", "分支計畫", "用途別科目")))


# the columns naming a line beside its code: 「合計」 typed in one under a code left by fill-down is a total row
EXPENSE_LABELS = ("工作計畫名稱", "分支計畫", "計畫項目")
REVENUE_LABELS = ("科目名稱", "款", "項", "目", "節")  # 歲入明細, and 以前年度 (its 款…節 optional)


def read_expenses(grid: Grid, findings: list[Finding], problems: list[Finding]) -> list[ExpenseItem]:
    """歲出明細 → expense items (元)."""
    reader = SheetReader(grid, EXPENSE_HEADERS + EXPENSE_OPTIONAL, EXPENSE_REQUIRED, problems, key="工作計畫編號",
                         note="說明", groups=EXPENSE_GROUPS, labels=EXPENSE_LABELS)
    table = codes.object_codes()
    cells_of = reader.getter(_EXPENSE_CELLS)
    items = []
    programs: dict[tuple[str, str], tuple[str, str]] = {}  # (plan, name) → its 業務計畫 untyped: made once a plan
    objects: dict[str, tuple] = {}  # 用途別科目 as typed → _object_of's (code, entry, True)
    classes: dict[tuple, tuple[str, str]] = {}  # (code, 經資門, 經濟性分類 as typed) → (basis, econ)
    # each text typed the same on many lines read once: one string a text, not one a line, for every later
    # grouping and write to hash (text only: 1, 1.0 and True are equal keys)
    plan_codes: dict[str, str] = {}  # 工作計畫編號 typed as text → the code, once read without a problem
    names, units, projects = _Once(plan_name_text), _Once(cell_text), _Once(project_text)  # 分支計畫, 計畫項目 alike
    headings: list[tuple[str, CellRef, str]] = []  # (plan, cell, 分支計畫) of each heading row (branch-heading-row)
    # the figures read, by column, as SheetReader.number keeps them (check_totals adds them up)
    read_quantities, read_prices, read_amounts, read_matched = (reader.parsed[name] for name in _PRICED_COLUMNS)
    for r, row in reader.data_rows():
        (plan, plan_name, branch, typed_code, unit, quantity_raw, price_raw, amount_raw, matched_raw, basis_raw,
         econ_raw, note, program_code, program_name, tags, project, project_note) = cells_of(row)
        read = plan_codes.get(plan) if plan.__class__ is str else None
        if read is None:
            if (plan is None or plan.__class__ is str and not plan.strip()) and reader.note_only(
                    r, row, ("說明", "計畫項目說明")):
                continue
            read = reader.code11_of(r, plan, "工作計畫編號")
            if read is None:
                continue
            if plan.__class__ is str:
                plan_codes[plan] = read
        plan = read
        plan_name = names[plan_name] if plan_name.__class__ is str else plan_name_text(plan_name)
        if not plan_name:
            reader.problem("required-missing", r, "工作計畫名稱", what="工作計畫名稱")
        # a book types the same few 用途別科目 on every line: a code read without a word is not read again
        known = objects.get(typed_code) if typed_code.__class__ is str else None
        if known is None:
            if (typed_code is None or typed_code.__class__ is str and not typed_code.strip()) and _heading(
                    branch, unit, quantity_raw, price_raw, amount_raw, matched_raw):
                reader.problem("branch-heading-row", r, "分支計畫", actual=cell_text(branch))
                headings.append((plan, reader.ref(r, "分支計畫"), cell_text(branch)))
                continue
            known = _object_of(reader, r, typed_code, table, findings)
            if known is None:
                continue
            if known[2] and typed_code.__class__ is str:
                objects[typed_code] = known
        code, entry, _ = known
        # the common line first: 數量, 單價 and 預算數 whole figures of 0 or more (calamine gives them as floats), 數量 ×
        # 單價 = 預算數, 收支併列數 a whole figure too, each kept as SheetReader.number keeps it; any other line (a text,
        # 角, a blank, a sign, a product that differs) takes _priced and number, which say what is wrong
        if (quantity_raw.__class__ in _WHOLE and price_raw.__class__ in _WHOLE and amount_raw.__class__ in _WHOLE
                and matched_raw.__class__ in _WHOLE and 0 <= quantity_raw < 1e15 and 0 <= price_raw < 1e15
                and 0 <= amount_raw < 1e15 and -1e15 < matched_raw < 1e15 and quantity_raw % 1 == 0
                and price_raw % 1 == 0 and amount_raw % 1 == 0 and matched_raw % 1 == 0
                and (quantity := int(quantity_raw)) * (price := int(price_raw)) == (amount := int(amount_raw))):
            read_quantities[r], read_prices[r], read_amounts[r] = quantity, price, amount
            read_matched[r] = matched = int(matched_raw)
        else:
            quantity, price, amount = _priced(reader, r, quantity_raw, price_raw, amount_raw, findings)
            matched = reader.number(r, matched_raw, "收支併列數") or 0
            if amount is None:
                continue
        if matched and abs(matched) > abs(amount):
            findings.append(make_finding("matched-exceeds-amount", reader.ref(r, "收支併列數"),
                                         expected=amount, actual=matched))
        # 經資門 and 經濟性分類 of a code, as typed: the same few pairs on every line, each read once when read
        # without a word (a finding names its own line's cells, so a pair that made one is read on every line)
        plain = basis_raw.__class__ in _TEXT_OR_NONE and econ_raw.__class__ in _TEXT_OR_NONE
        found = classes.get((code, basis_raw, econ_raw)) if plain else None
        if found is None:
            said = len(findings) + len(problems)
            basis = _basis(reader, r, basis_raw, code, entry, findings)
            econ = _econ(reader, r, cell_text(econ_raw), code, entry, basis, findings)
            if plain and len(findings) + len(problems) == said:
                classes[code, basis_raw, econ_raw] = basis, econ
        else:
            basis, econ = found
        tags = tags.strip() if tags.__class__ is str else cell_text(tags)
        program = programs.get((plan, plan_name))
        if program is None:
            program = programs[plan, plan_name] = program_of(plan, plan_name)
        unit = units[unit] if unit.__class__ is str else cell_text(unit)
        branch = projects[branch] if branch.__class__ is str else project_text(branch)  # 1行政業務 is 01行政業務
        project = projects[project] if project.__class__ is str else project_text(project)
        items.append(ExpenseItem(  # by position, in field order: 18 keywords cost 0.7 µs a line (14 ms in 20,000)
            plan,  # plan_code
            plan_name,
            branch,  # by the one 分支計畫 rule (project_text)
            code,  # object_code
            unit,
            quantity_raw if isinstance(quantity_raw, str) and quantity_raw.strip() else quantity,  # _as_typed, inline
            price,  # unit_price
            amount,
            matched,
            basis,
            econ,
            note.strip() if note.__class__ is str else cell_text(note),  # cell_text's, text asked first
            (code_key(program_code, 11) if program_code != "" else "") or program[0],  # program_code
            (program_name.strip() if program_name.__class__ is str else cell_text(program_name)) or program[1],
            tuple(t for t in _TAG_SEPARATORS.split(tags) if t) if tags else (),  # tags
            project,
            project_note.strip() if project_note.__class__ is str else cell_text(project_note),
            reader.cells(r),  # cells
        ))
        reader.group_keys[r] = (plan, branch, code)  # EXPENSE_GROUPS' columns as read: a 小計 groups as the tables do
    reader.check_totals(("預算數", "收支併列數"), findings)
    _check_branches(items, problems, headings)
    if any(map(attrgetter("project"), items)):  # 臺北's optional column: most books type no 計畫項目
        _check_projects(items, problems)
    if any(is_ditto(text) for text in projects.values()):  # the few texts typed in 分支計畫 and 計畫項目, each once
        _check_dittos(items, problems)
    _check_plan_names(items, problems)
    return _project_notes(items, problems)


def _heading(branch, *cells) -> bool:
    """Whether a 歲出明細 row is a 分支計畫 heading an officer typed above its lines (its plan, name and 分支計畫, no
    用途別科目, 單位, 數量, 單價, 預算數 nor 收支併列數): named as one (branch-heading-row, field report 7 §4), not as a
    用途別科目 「」 (bad-code). Asked only of a row whose 用途別科目 is empty."""
    return bool(cell_text(branch)) and not any(cell_text(c) for c in cells)


# every dash a name is typed with: hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash (Word's for « - »),
# em dash, horizontal bar, minus, small em dash, small and full-width hyphen-minus
_PLAN_DASH = lazy(r"\s*[-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]\s*")


def plan_name_text(value: object) -> str:
    """工作計畫名稱 (and 歲入 科目名稱, 目-節) as the tables print it: 「業務計畫-工作計畫」 with one plain dash and no
    space round it (「一般行政 - 行政管理」, 「一般行政－行政管理」, 「一般行政–行政管理」 are 一般行政-行政管理), so each
    half is its name as typed."""
    return _PLAN_DASH.sub("-", cell_text(value))


@lru_cache(maxsize=4096)
def typed_object(text: str) -> tuple[str, str] | None:
    """用途別科目 as typed (its key text) → (4-digit code, the name typed after it, compact); None when not a code."""
    m = _OBJECT.match(text)
    return (m.group(1), compact_key(m.group(2))) if m else None


def project_text(value: object) -> str:
    """計畫項目 by the one 分支計畫 rule (``keys.branch_key``): ``8 和興路44巷…`` is ``08和興路44巷…``;
    ``03-111年個人電腦租賃費`` keeps its dash, ``01115年度…`` stays whole. Lines are grouped and printed by it."""
    return "" if value is None else "".join(branch_key(value))


def _project_notes(items: list[ExpenseItem], problems: list[Finding]) -> list[ExpenseItem]:
    """Each 計畫項目's 說明 is typed on one of its lines (any); two different texts are an input error naming both
    cells (``project-note-conflict``). Every line of the project then carries the one text."""
    notes: dict[tuple[str, str, str], ExpenseItem] = {}
    for item in items:
        if not item.project or not item.project_note:
            continue
        key = (item.plan_code, item.branch, item.project)
        first = notes.setdefault(key, item)
        if first.project_note != item.project_note:
            problems.append(make_finding("project-note-conflict", item.cells.get("計畫項目說明"),
                                         related=(first.cells["計畫項目說明"],) if first.cells.get("計畫項目說明")
                                         else (), name=item.project, other=first.cells.get("計畫項目說明")))
    if not notes:
        return items  # no 計畫項目 with a 說明 (most books): nothing to carry
    return [replace(i, project_note=notes[i.plan_code, i.branch, i.project].project_note)
            if i.project and (i.plan_code, i.branch, i.project) in notes else i for i in items]


def _check_plan_names(items: list[ExpenseItem], problems: list[Finding]) -> None:
    """One 工作計畫編號 typed with two 工作計畫名稱, or the plans of one 業務計畫 naming it two ways (行政支援-健康檢查
    under 一般行政), is ``plan-name-conflict`` at the first line of the second name, naming the first line of the
    first: the tables print one name a plan, and would drop the other without a word (as branch-conflict). A line
    whose name is blank names no plan: it is required-missing (the reader's), not a second name."""
    plans: dict[str, dict[str, ExpenseItem]] = {}  # plan → its names (compact) → the first line of each
    for item in _firsts(items, "plan_name"):
        if name := compact_key(item.plan_name):
            plans.setdefault(item.plan_code, {}).setdefault(name, item)
    _check_plan_codes(items, plans, problems)
    programs: dict[str, dict[str, ExpenseItem]] = {}
    for plan, names in plans.items():
        first, *others = names.values()
        for other in others:
            _name_conflict(problems, "工作計畫", plan, first, other, "工作計畫名稱", first.plan_name, other.plan_name)
        programs.setdefault(first.program_code, {}).setdefault(compact_key(first.program_name), first)
    for program, names in programs.items():
        first, *others = names.values()
        for other in others:
            _name_conflict(problems, "業務計畫", program, first, other, _program_column(other), first.program_name,
                           other.program_name)


def _check_plan_codes(items: list[ExpenseItem], plans: dict[str, dict[str, ExpenseItem]],
                      problems: list[Finding]) -> None:
    """One 工作計畫名稱 (業務計畫 and 工作計畫 alike) typed under two 工作計畫編號 is ``plan-code-conflict``, as
    branch-conflict is one level down (field report 4 §1.2: 32020180101 mistyped 32020180111 on one line made a
    second 行政管理 of 32 千元, and the first lost them, without a word). The finding is at the first line of
    the code with fewer lines (the slip is the odd one out; on a tie the later), naming the other's first line."""
    named: dict[tuple[str, str], ExpenseItem] = {}  # (業務計畫, 工作計畫名稱), compact → the first line of its first code
    counts: Counter | None = None
    for names in plans.values():
        for item in names.values():
            if not compact_key(item.plan_name):
                continue  # a blank name is required-missing, not one name under two codes
            first = named.setdefault((compact_key(item.program_name), compact_key(item.plan_name)), item)
            if first.plan_code == item.plan_code:
                continue
            if counts is None:  # counted only for a finding
                counts = Counter(i.plan_code for i in items)
            odd, other = (first, item) if counts[first.plan_code] < counts[item.plan_code] else (item, first)
            cell, earlier = odd.cells.get("工作計畫編號"), other.cells.get("工作計畫編號")
            problems.append(make_finding("plan-code-conflict", cell, expected=other.plan_code, actual=odd.plan_code,
                                         related=(earlier,) if earlier else (), name=item.plan_name, other=earlier,
                                         count=counts[odd.plan_code], others=counts[other.plan_code]))


def _firsts(items: list[ExpenseItem], *attrs: str) -> list[ExpenseItem]:
    """The first line of each (工作計畫, ``attrs`` as typed: a 分支計畫, or a 分支計畫's 計畫項目), in line order: a rule comparing a plan's names or
    branches across lines learns nothing from a later line typed the same (what it meets is what the first
    met, and any finding is made at the first), so it looks at each text once, not at all 20,000 lines."""
    key = attrgetter("plan_code", *attrs)
    # in C: each key's first line (the reversed lines' last), in the order the keys are first met
    first = dict(zip(map(key, reversed(items)), reversed(items)))
    return [first[k] for k in dict.fromkeys(map(key, items))]


def _program_column(item: ExpenseItem) -> str:
    """The column a line's 業務計畫 name came from: 業務計畫名稱 when typed there, else 工作計畫名稱's first part."""
    typed = "業務計畫名稱" in item.cells and item.program_name != item.plan_name.split("-")[0]
    return "業務計畫名稱" if typed else "工作計畫名稱"


def _name_conflict(problems, level, code, first, other, column, expected, actual) -> None:
    cell, earlier = other.cells.get(column), first.cells.get(column if column in first.cells else "工作計畫名稱")
    problems.append(make_finding("plan-name-conflict", cell, expected=expected, actual=actual,
                                 related=(earlier,) if earlier else (), level=level, plan=code, other=earlier))


def _check_branches(items: list[ExpenseItem], problems: list[Finding],
                    headings: list[tuple[str, CellRef, str]] = ()) -> None:
    """Within one plan, one 分支計畫 number with two names, or one name with two numbers, is an input error; so is
    one name typed two ways that look alike, but for an invisible character (「行政\u200b業務」, pasted from the web).

    Otherwise the 明細表 would print two branches (two sub-totals) for what the officer meant as one.
    """
    firsts = _firsts(items, "branch")
    _check_blank_branches(items, firsts, problems, headings)
    firsts = [item for item in firsts if item.branch]
    _check_unread_numbering(firsts, problems)
    _numbered_conflicts(firsts, "branch", problems)


def _check_projects(items: list[ExpenseItem], problems: list[Finding]) -> None:
    """Within one 分支計畫 of a plan, one 計畫項目 number with two names, one name with two numbers, or one name typed
    two ways that look alike (project-conflict): the 明細表 would print two 計畫項目 for what was meant as one, as
    branch-conflict says of 分支計畫 (22建國高架道路隔音牆更新工程 typed 23… on one of its lines printed two)."""
    _numbered_conflicts([item for item in _firsts(items, "branch", "project") if item.project], "project", problems)


_CONFLICTS = {"branch": ("分支計畫", "branch-conflict"), "project": ("計畫項目", "project-conflict")}


def _numbered_conflicts(firsts: list[ExpenseItem], attr: str, problems: list[Finding]) -> None:
    """The first line of each text of ``attr`` (branch, project) against the others of its plan (a project: of its
    分支計畫): one number with two names, one name with two numbers, or one name alike but for an invisible
    character is a problem at the second text's first line, naming the first's (branch-conflict, project-conflict)."""
    column, rule = _CONFLICTS[attr]
    seen: dict[tuple, ExpenseItem] = {}  # (plan[, branch], 'number'|'name', value) → its first line
    reported: set[tuple] = set()
    for item in firsts:
        text = getattr(item, attr)
        scope = (item.plan_code,) if attr == "branch" else (item.plan_code, item.branch)
        number, name = branch_key(text)
        for kind, value in (("number", number), ("name", seen_key(name))):
            if not value:
                continue
            first = seen.setdefault((*scope, kind, value), item)
            if getattr(first, attr) == text:
                continue
            pair = (*scope, "".join(sorted((getattr(first, attr), text))))
            if pair not in reported:
                reported.add(pair)
                what = ("編號相同而名稱不同" if kind == "number" else "名稱相同而編號不同"
                        if branch_key(getattr(first, attr))[0] != number else "看似相同，但其中有不可見字元")
                cell, other = item.cells.get(column), first.cells.get(column)  # made only for a finding
                problems.append(make_finding(rule, cell, expected=getattr(first, attr), actual=text,
                                             related=(other,) if other else (), plan=item.plan_code,
                                             branch=item.branch, other=other, what=what))


def _check_dittos(items: list[ExpenseItem], problems: list[Finding]) -> None:
    """A 分支計畫 or 計畫項目 typed as a ditto mark (〃, 同上: «as the line above») is ``ditto-mark`` at the first such
    line of its plan, the plan's other such lines related, naming the nearest line above it in the plan with a
    value of its own: read as typed it is a branch (or project) named 〃, printed apart with its lines' 元, and the
    branch meant is that much short without a word (field report 14 §1.1)."""
    for attr, column in (("branch", "分支計畫"), ("project", "計畫項目")):
        for first in _firsts(items, attr):
            if not getattr(first, attr) or not is_ditto(getattr(first, attr)):
                continue
            typed = getattr(first, attr)
            lines = [i for i in items if i.plan_code == first.plan_code and getattr(i, attr) == typed]
            cell = first.cells.get(column)
            row = cell_position(cell.cell)[0] if cell else 0
            above = [(cell_position(c.cell)[0], c, getattr(i, attr)) for i in items
                     if i.plan_code == first.plan_code and getattr(i, attr) and not is_ditto(getattr(i, attr))
                     and (c := i.cells.get(column)) and cell_position(c.cell)[0] < row]
            nearest = max(above, key=lambda a: a[0], default=None)
            said = f"（其上最近的 {nearest[1].sheet}!{nearest[1].cell} 是「{nearest[2]}」）" if nearest else ""
            problems.append(make_finding(
                "ditto-mark", cell, expected=nearest[2] if nearest else "", actual=typed,
                related=tuple(c for i in lines[1:] if (c := i.cells.get(column))), plan=first.plan_code,
                column=column, above=said, count=f"（本計畫共 {len(lines)} 列）" if len(lines) > 1 else ""))


def _check_blank_branches(items: list[ExpenseItem], firsts: list[ExpenseItem], problems: list[Finding],
                          headings: list[tuple[str, CellRef, str]] = ()) -> None:
    """A line with a blank 分支計畫 in a plan whose other lines have one is ``branch-missing`` at its first such line
    (the plan's other blank lines related): the 明細表 would print it outside every 分支計畫 and its 分支計畫 short
    (field report 7 §1.1: 2054 of 20,300,000 元 printed loose above 01規劃發展, which printed 28,503,000 for
    48,803,000). A plan whose lines all leave it blank has no 分支計畫, as some plans have none; one with a 分支計畫
    heading row (``headings``: typed above its lines, branch-heading-row) has one. The 分支計畫 named as the line's is
    the nearest above it in its plan, a heading's or a line's, else the plan's first: lines typed blank under a heading
    「01規劃發展」 were told to fill in the next branch's 「02資源管理」, which would move their 元 to 02."""
    named = {plan for plan, _, _ in headings}  # the plans with a 分支計畫 on a line or a heading
    blank: list[ExpenseItem] = []  # the first blank line of each plan
    for item in firsts:
        if item.branch:
            named.add(item.plan_code)
        else:
            blank.append(item)
    for first in blank:
        if first.plan_code not in named:
            continue
        cell = first.cells.get("分支計畫")  # the rest gathered only for a finding
        row = cell_position(cell.cell)[0] if cell else 0
        above = [(cell_position(c.cell)[0], c, b) for plan, c, b in headings if plan == first.plan_code]
        above += [(cell_position(c.cell)[0], c, i.branch) for i in items
                  if i.plan_code == first.plan_code and i.branch and (c := i.cells.get("分支計畫"))]
        nearest = max((a for a in above if a[0] < row), key=lambda a: a[0], default=None)
        other, expected = (nearest or min(above, key=lambda a: a[0]))[1:]
        lines = [i for i in items if i.plan_code == first.plan_code and not i.branch]
        related = tuple(c for i in lines[1:] if (c := i.cells.get("分支計畫")))
        problems.append(make_finding("branch-missing", cell, expected=expected, actual="",
                                     related=related, plan=first.plan_code, other=other,
                                     count=f"（本計畫共 {len(lines)} 列空白）" if len(lines) > 1 else ""))


def _check_unread_numbering(firsts: list[ExpenseItem], problems: list[Finding]) -> None:
    """A 分支計畫 numbered in a way that is no number 1–99 (``(甲)行政業務``, ``A.行政業務``) whose name is another
    branch's of the plan (``01行政業務``) is ``branch-number-unreadable`` at its first line, naming that branch's:
    read as typed it would print as a branch of its own, and merging it by guess could join two branches."""
    names: dict[tuple[str, str], ExpenseItem] = {}
    for item in firsts:
        number, name = branch_key(item.branch)
        if number:
            names.setdefault((item.plan_code, name), item)
    for item in firsts:
        name = unread_numbering(item.branch)
        other = names.get((item.plan_code, name)) if name else None
        if other is not None:
            cell, related = item.cells.get("分支計畫"), other.cells.get("分支計畫")
            problems.append(make_finding("branch-number-unreadable", cell, expected=other.branch, actual=item.branch,
                                         related=(related,) if related else (), plan=item.plan_code, other=related))


def _typed_basis(reader, r, raw) -> str:
    """A line's 經資門 as typed, 歲出明細's or 歲入明細's: 經常 or 資本 (經常門, 資本門 alike), "" when blank; anything
    else (「資」, 「資本收入」) is ``not-a-choice`` at the cell, and "" (field report 10 §1.2: 歲入's 「資」 had been
    read as 經常 without a word)."""
    typed = "" if raw is None or raw == "" else compact_key(raw).replace("門", "")
    if typed and typed not in (codes.CURRENT, codes.CAPITAL):
        reader.problem("not-a-choice", r, "經資門", column="經資門", expected="「經常」或「資本」", actual=typed)
        typed = ""
    return typed


def _basis(reader, r, raw, code, entry, findings) -> str:
    typed = _typed_basis(reader, r, raw)
    fixed = entry.fixed_basis
    if fixed and typed and typed != fixed:
        findings.append(make_finding("basis-not-allowed", reader.ref(r, "經資門"), code=code, name=entry.name,
                                     expected=fixed, actual=typed))
        return fixed
    return typed or fixed or codes.CURRENT


def _econ(reader, r, typed, code, entry, basis, findings) -> str:
    default = entry.econ_default or codes.object_codes()[codes.level1_of(code)].econ_default
    if typed:
        cls = codes.resolve_econ(typed, basis)
        if cls is not None:
            return cls.key
        fallback = codes.resolve_econ(default, basis)
        findings.append(make_finding("unknown-econ-class", reader.ref(r, "經濟性分類"), actual=typed,
                                     expected=fallback.key if fallback else ""))
        if fallback is not None and fallback.basis == basis:
            return fallback.key
    cls = codes.resolve_econ(default, basis)
    if cls is not None and cls.basis == basis:
        return cls.key
    # a 資本 line whose code defaults to a current class (業務費 on 資本門), or an
    # ambiguous default: keep the line in the table, under a stated placeholder
    placeholder = "固定資本形成-機器及其他設備" if basis == codes.CAPITAL else "購買商品及勞務支出"
    findings.append(make_finding("econ-class-needed", reader.ref(r, "經濟性分類"), code=code,
                                 actual=default, expected=placeholder))
    return placeholder


def _levels(reader, row) -> tuple[tuple[str, str, str, str], tuple[str, str, str, str]]:
    pairs = [numbered(normalize_key(reader.text(row, k))) for k in ("款", "項", "目", "節")]
    return tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)  # type: ignore[return-value]


def read_revenues(grid: Grid, findings: list[Finding], problems: list[Finding]) -> list[RevenueItem]:
    """歲入明細 → revenue items (元)."""
    reader = SheetReader(grid, REVENUE_HEADERS + REVENUE_OPTIONAL, REVENUE_REQUIRED, problems, key="科目編號",
                         note="說明", labels=REVENUE_LABELS)
    items = []
    for r, row in reader.data_rows():
        if not cell_text(reader.value(row, "科目編號")) and reader.note_only(r, row):
            continue
        code = reader.code11(r, row, "科目編號", column="歲入科目編號")
        if code is None:
            continue
        numbers, names = _levels(reader, row)
        full_name = plan_name_text(reader.value(row, "科目名稱"))  # 目-節, by the one dash rule
        _check_level_names(reader, r, code, full_name, names, findings)
        quantity_raw = reader.value(row, "數量")
        quantity, price, amount = _priced(reader, r, quantity_raw, reader.value(row, "單價"), reader.value(row, "預算數"),
                                          findings)
        if amount is None:
            continue
        matched = reader.yes_no(r, row, "收支併列")
        basis = _typed_basis(reader, r, reader.value(row, "經資門")) or codes.CURRENT
        items.append(RevenueItem(
            code=code,
            name=full_name,
            numbers=numbers,
            level_names=names,
            unit=reader.text(row, "單位"),
            quantity=_as_typed(quantity_raw, quantity),
            unit_price=price,
            amount=amount,
            matched=matched,
            basis=basis,
            note=reader.text(row, "說明"),
            cells=reader.cells(r),
        ))
    reader.check_totals(("預算數",), findings)
    _check_revenue_names(items, problems)
    return items


def _check_revenue_names(items: list[RevenueItem], problems: list[Finding]) -> None:
    """One 科目編號 typed with two 科目名稱 is ``revenue-name-conflict`` at the first line of the second name, naming
    the first line of the first: 歲入來源別預算表 prints one name a 科目 and would drop the other without a word (as
    plan-name-conflict for 歲出). A blank name is required-missing (the reader's), not a second name."""
    names: dict[str, dict[str, RevenueItem]] = {}  # code → its names (compact) → the first line of each
    for item in items:
        if name := compact_key(item.name):
            names.setdefault(item.code, {}).setdefault(name, item)
    for code, firsts in names.items():
        first, *others = firsts.values()
        for other in others:
            earlier = first.cells.get("科目名稱")
            problems.append(make_finding("revenue-name-conflict", other.cells.get("科目名稱"), expected=first.name,
                                         actual=other.name, related=(earlier,) if earlier else (), code=code,
                                         other=earlier))


def refuse_repeats(keyed: Iterable[tuple[str, str, CellRef]], what: str, problems: list[Finding],
                   same_ok: bool = True) -> None:
    """A key typed on two rows (基本資料's 項目, 說明提要's or 以前年度's 編號) is ``duplicate-key`` at the later
    row, naming the first: neither row is picked without a word. ``keyed`` gives (key, content as shown, key
    cell) per row; a repeat with the same content is harmless when ``same_ok`` (a figure row never is: its
    figures would be summed twice where the lines are added up)."""
    first: dict[str, tuple[str, CellRef]] = {}
    for key, content, cell in keyed:
        if not key:
            continue
        if key not in first:
            first[key] = (content, cell)
            continue
        earlier, other = first[key]
        if same_ok and content == earlier:
            continue
        def shown(text: str) -> str:
            return text if len(text) <= 30 else text[:30] + "…"

        how = (f"（此列為「{shown(content)}」，前一列為「{shown(earlier)}」）" if content != earlier
               else f"（兩列相同：「{shown(content)}」）")
        problems.append(make_finding("duplicate-key", cell, expected=shown(earlier), actual=shown(content),
                                     related=(other,),
                                     what=what, key=key, other=other, how=how))


def prior_total_level(code: str, expense_codes: set[str], revenue_codes: set[str]) -> str:
    """The total a 以前年度 code stands for (主管, 機關; 歲入 款, 項, 目), or '' for a line of its own: a 工作計畫 or
    業務計畫, a 歲入 科目 (節), or any code of this year's 歲出明細 or 歲入明細. A total row copied from last
    year's printed table would be added into the totals a second time."""
    if code in expense_codes or code in revenue_codes:
        return ""
    if code[:2] in codes.revenue_sources():  # 歲入: 款 09000000000, 項 09020180000, 目 09020180100
        return next((level for level, zeros in (("歲入款", 9), ("歲入項", 4), ("歲入目", 2))
                     if code.endswith("0" * zeros)), "")
    if code.endswith("0000"):  # 歲出: 主管 00020000000, 機關 00020180000 (or 32020180000): no 業務計畫 number
        return "主管" if code.endswith("0" * 7) else "機關"
    return ""


def refuse_prior_totals(prior: list[PriorYear], expense_codes: set[str], revenue_codes: set[str],
                        problems: list[Finding]) -> None:
    """以前年度 rows whose code is a total (prior_total_level) are refused at their cell (prior-year-total-row)."""
    for line in prior:
        level = prior_total_level(line.code, expense_codes, revenue_codes)
        if level:
            problems.append(make_finding("prior-year-total-row", line.cells["科目編號"], actual=line.code,
                                         code=line.code, name=line.name, level=level))


def level_name_mismatches(code: str, full_name: str, names) -> list[tuple[str, str, str]]:
    """A 歲入 line's typed 款, 目 and 節 names that are not its level's name by the 科目編號 (款 09 is 補助及協助收入,
    the 目 and 節 the two parts of 科目名稱), as (column, expected name, that level's code); empty names pass."""
    parts = full_name.replace("—", "-").split("-")
    known = (codes.revenue_sources().get(code[:2], ""), "", parts[0] if len(parts) > 1 else "",
             parts[-1] if len(parts) > 1 else "")
    return [(column, known[depth], codes.revenue_levels(code)[depth]) for depth, column in ((0, "款"), (2, "目"), (3, "節"))
            if compact_key(names[depth]) and compact_key(known[depth])
            and compact_key(names[depth]) != compact_key(known[depth])]


def level_name_findings(code: str, full_name: str, names, cell_of, lines=()) -> list[Finding]:
    """A 歲入 row's typed level names that contradict its 科目編號 and 科目名稱 (level_name_mismatches), each at its
    cell (``cell_of(column)``): revenue-level-name-mismatch. When the 目 and the 節 typed both contradict the
    科目名稱, the 科目名稱 is the odd one (「賠償收入-一般賠償收入」 typed on 09020180102, whose 目 and 節 say
    上級政府補助收入, 計畫型補助收入): one warning at the 科目名稱 (revenue-name-contradicts-levels) naming the code
    whose name it is among ``lines`` (other 歲入 rows with .code, .name and .cells: name_owner), not two at the
    level names that are right."""
    mismatches = level_name_mismatches(code, full_name, names)
    out = []
    if {"目", "節"} <= {column for column, _, _ in mismatches}:
        out.append(make_finding("revenue-name-contradicts-levels", cell_of("科目名稱"), expected=f"{names[2]}-{names[3]}",
                                actual=full_name, code=code, item=names[2], part=names[3],
                                other=name_owner(full_name, code, lines)))
        mismatches = [m for m in mismatches if m[0] == "款"]
    return out + [make_finding("revenue-level-name-mismatch", cell_of(column), expected=expected,
                               actual=names[("款", "項", "目", "節").index(column)], level=column, code=code,
                               level_code=level_code) for column, expected, level_code in mismatches]


def name_owner(name: str, code: str, lines) -> str:
    """「；此為 04020180301 的科目名稱（以前年度!B5）」 when a line of ``lines`` of another code than ``code`` carries
    ``name`` (compared as keys), else ""."""
    key = compact_key(name)
    for line in lines:
        if line.code != code and compact_key(line.name) == key:
            cell = line.cells.get("科目名稱") or line.cells.get("科目編號")
            return f"；「{name}」是 {line.code} 的科目名稱" + (f"（{cell.sheet}!{cell.cell}）" if cell else "")
    return ""


def _check_level_names(reader: SheetReader, r: int, code: str, full_name: str, names, findings) -> None:
    """歲入明細: each typed level name that contradicts the 科目編號 (level_name_findings) is named at its cell;
    the tables print the typed name (field report #5). The code whose name a wrong 科目名稱 is: see
    inputs.read_book (the 以前年度 rows are read after)."""
    findings += level_name_findings(code, full_name, names, lambda column: reader.ref(r, column))


def read_prior(grid: Grid, problems: list[Finding], findings: list[Finding] | None = None,
               on_revenue=None) -> list[PriorYear]:
    """以前年度 → prior-year figures (千元). A 合計 row typed under the lines (copied from last year's book) is no
    line: with ``findings``, it is checked against the lines it closes (totals-row-mismatch, as in 歲出明細), those of
    one side alone when it is theirs (``on_revenue``: model.prior_side)."""
    reader = SheetReader(grid, PRIOR_HEADERS + PRIOR_OPTIONAL + PRIOR_ADDED, PRIOR_REQUIRED, problems, key="科目編號",
                         labels=REVENUE_LABELS)
    lines = []
    sides: dict[int, bool] = {}  # row → on the 歲入 side
    rows: dict[int, PriorYear] = {}  # row → its line
    for r, row in reader.data_rows():
        code = reader.code11(r, row, "科目編號")
        if code is None:
            continue
        if on_revenue is not None:
            sides[r] = on_revenue(code)
        numbers, names = _levels(reader, row)
        lines.append(PriorYear(
            code=code,
            name=plan_name_text(reader.value(row, "科目名稱")),  # 業務計畫-工作計畫 or 目-節, by the one dash rule
            last_budget=reader.integer(r, row, "上年度預算數"),
            prior_final=reader.integer(r, row, "前年度決算數"),
            note=reader.text(row, "說明"),
            numbers=numbers,
            level_names=names,
            cells=reader.cells(r),
            basis=_typed_basis(reader, r, reader.value(row, "經資門")),
        ))
        rows[r] = lines[-1]
    refuse_repeats(((p.code, f"上年度預算數 {format_figure(p.last_budget)}、前年度決算數 {format_figure(p.prior_final)}",
                     p.cells["科目編號"]) for p in lines), "以前年度科目編號", problems, same_ok=False)
    if findings is not None:
        # a 業務計畫 row beside its 工作計畫's (as last year's 歲出機關別預算表 prints both) is in no total twice
        counted = {id(p) for p in counted_prior(p for r, p in rows.items() if not sides.get(r))}
        held = {r for r, p in rows.items() if not sides.get(r) and id(p) not in counted}
        reader.check_totals(("上年度預算數", "前年度決算數"), findings, sides.get if on_revenue is not None else None,
                            held)
    return lines
