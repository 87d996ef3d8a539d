"""People: 人事費彙計表 (and 臺中's 人事費分析表 per plan), 約聘僱人員費用分析表 and 員額編制表.

On a template book, the 人事費, 人事費分析, 約聘僱 and 員額 sheets against the 1000 人事費 lines of 歲出明細 and
one another; as printed, each table summed and tied to 各項費用彙計表 and to one another."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Iterable

from xlbudget.core.findings import Finding, make_finding
from xlbudget.core.keys import compact_key
from xlbudget.core.patterns import lazy
from xlbudget.derive.personnel import FORMAL_CLASSES
from xlbudget.forms.inputs import PAY_COMPONENTS, SHEET_CONTRACT, SHEET_STAFF_COSTS, SHEET_STAFFING
from xlbudget.core.titles import (CONTRACT as P_CONTRACT, DETAIL as P_DETAIL, STAFFING as P_STAFFING,
                                  STAFF_ANALYSIS as P_STAFF_ANALYSIS, STAFF_COSTS as P_STAFF_COSTS, SUMMARY as P_SUMMARY)
from xlbudget.rules.common import (whole_book, blank_cell, cell_of, column_name, finding, in_unit, is_total, readable,
                                   row_not_printed, sum_finding, table_titled, tree_sums, val)
from xlbudget.rules.detail import staff_lines
from xlbudget.rules.summary import plan_column
from xlbudget.core.model import BudgetBook, CellRef, StaffCost
from xlbudget.derive.schedules import taipei_style
from xlbudget.derive.staff_analysis import rows_by_plan

# annotations only: a template book's checks (build, convert) never import the printed-table readers
if TYPE_CHECKING:
    from xlbudget.readers.printed_model import PrintedRow, PrintedTable


# each people sheet, the 歲出明細 lines that need it (by 用途別 code prefix), and the table it makes
_STAFF_SHEETS = ((SHEET_STAFF_COSTS, "staff_costs", "1", "1000 人事費", P_STAFF_COSTS),
                 (SHEET_CONTRACT, "contract_staff", "1020", "1020 約聘僱人員待遇", P_CONTRACT),
                 (SHEET_STAFFING, "staffing", "1015", "1015 法定編制人員待遇", P_STAFFING))


def check_staff_sheets_empty(book: BudgetBook) -> list[Finding]:
    """人事費, 約聘僱 or 員額 without a row while 歲出明細 has the lines they explain (1000, 1020, 1015): the table is
    left out of the book and the PDF (derive.book), and every tie to it is skipped, so an error at the sheet's A2
    names the table (field report 6 §1.3: the emptied sheets dropped 人事費彙計表 with check clean). A book without
    the sheet at all (XLB_CHECK's 歲出明細 range, a book of a few sheets) is not held to it."""
    findings = []
    lines: dict[str, list] = {}  # prefix → its lines, in line order; 1020's picked from 1's, not from every line again
    for sheet, attr, prefix, what, table in _STAFF_SHEETS:
        missing = sheet not in book.sheets
        if getattr(book, attr) or (missing and not whole_book(book)) or (table == P_STAFFING and taipei_style(book)):
            continue  # the 臺北市 book prints no 員額編制表 (臺北 116: none in its 預算總說明)
        pool = next((found for p, found in lines.items() if prefix.startswith(p)), book.expenses)
        items = lines[prefix] = [i for i in pool if i.object_code.startswith(prefix)]
        if not items:
            continue
        cells, amount = [c for i in items if (c := i.cells.get("預算數"))], sum(i.amount for i in items)
        # a sheet deleted outright drops its table as surely as an emptied one: named at the first line needing it
        anchor = (cells[0] if cells else None) if missing else CellRef(sheet, "A2", cells[0].file if cells else None)
        findings.append(make_finding("staff-sheet-missing" if missing else "staff-sheet-empty", anchor,
                                     expected=amount, actual=0, related=tuple(cells[1:] if missing else cells),
                                     sheet=sheet, what=what, table=table, amount=amount, count=len(items)))
    return findings


def check_staff_costs_vs_items(book: BudgetBook) -> list[Finding]:
    """人事費彙計表 columns = the 1000 人事費 二級 lines of 歲出明細 (seed 42,978,000)."""
    if not book.staff_costs:
        return []
    findings = []
    for name, code in PAY_COMPONENTS:
        table_total = sum(s.components.get(name, 0) for s in book.staff_costs)
        items = [i for i in book.expenses if i.object_code == code]
        item_total = sum(i.amount for i in items)
        if table_total != item_total:
            cells = [s.cells[name] for s in book.staff_costs if name in s.cells and s.components.get(name)]
            anchor = cells[0] if cells else next(iter(book.staff_costs[0].cells.values()), None)
            findings.append(make_finding("staff-costs-vs-items", anchor, expected=item_total, actual=table_total,
                                         related=tuple(cells[1:]) + tuple(
                                             i.cells["預算數"] for i in items if i.cells.get("預算數")),
                                         column=name, code=code))
    return findings


def check_headcount(book: BudgetBook) -> list[Finding]:
    """預算員額 of 人事費彙計表 = 員額 本年度預算員額 per class (blank: 0, as printed), 約聘僱人員 = 約聘僱 persons (seed 47);
    over 法定編制 is staffing-over-establishment; a blank printed 0 is staffing-current-empty / staffing-prior-empty."""
    findings = []
    for s in book.staffing:
        over = s.statutory is not None and s.current is not None and s.current > s.statutory
        if over and s.category != "約聘僱人員":
            findings.append(make_finding("staffing-over-establishment", s.cells.get("本年度預算員額"),
                                         expected=s.statutory, actual=s.current, category=s.category,
                                         related=tuple(c for c in (s.cells.get("法定編制員額"),) if c)))
    for s in book.staffing:  # a blank printed 0 (derive_staffing), as prior-budget-empty is for 以前年度
        for key, value, rule, said in (("本年度預算員額", s.current, "staffing-current-empty", {"last": s.last or 0}),
                                       ("上年度預算員額", s.last, "staffing-prior-empty", {"current": s.current or 0})):
            if value is None and key in s.cells:
                findings.append(make_finding(rule, s.cells[key], category=s.category, **said))
    staffing = {s.category: s for s in book.staffing}
    persons = sum(g.persons for g in book.contract_staff)
    if book.staff_costs:
        costed = {s.category for s in book.staff_costs}
        for s in book.staffing:  # a class with 預算員額 but no pay at all in 人事費
            if s.category not in costed and s.current:
                findings.append(make_finding("staffing-without-pay", s.cells.get("本年度預算員額"), expected=0,
                                             actual=s.current, category=s.category))
    for s in book.staff_costs:
        if s.headcount is None:
            continue
        if s.category == "約聘僱人員" and book.contract_staff:
            expected, source = persons, "約聘僱 人數合計"
            related = tuple(g.cells["人數"] for g in book.contract_staff if "人數" in g.cells)
        elif s.category in staffing:  # a blank 本年度預算員額 is printed 0 (staffing-current-empty): 0 it is
            expected, source = staffing[s.category].current or 0, "員額 本年度預算員額"
            related = tuple(c for c in (staffing[s.category].cells.get("本年度預算員額"),) if c)
        else:
            continue
        if s.headcount != expected:
            findings.append(make_finding("headcount-mismatch", s.cells.get("預算員額"), expected=expected,
                                         actual=s.headcount, category=s.category, source=source, related=related))
    return findings


def check_contract_total(book: BudgetBook) -> list[Finding]:
    """約聘僱人員費用分析表 total = the 約聘僱人員 row of 人事費彙計表 (seed 7,115,000)."""
    row = next((s for s in book.staff_costs if s.category == "約聘僱人員"), None)
    if row is None or not book.contract_staff:
        return []
    total = sum(g.amount for g in book.contract_staff)
    if total == row.total:
        return []
    amounts = [g.cells["全年度預算數"] for g in book.contract_staff if "全年度預算數" in g.cells]
    return [make_finding("contract-total-mismatch", amounts[0] if amounts else None, expected=row.total, actual=total,
                         related=tuple(amounts[1:]) + tuple(row.cells.values()))]


def check_contract_plans(book: BudgetBook) -> list[Finding]:
    """約聘僱 per 工作計畫: a row under a plan with no 1020 約聘僱人員待遇 line, and a plan with 1020 lines but no row
    (field report 6 §1.5: 約聘 typed under 數位發展計畫, whose 1020 lines are all 行政管理's; the book-wide total
    still tied, and the analysis table printed the people under the wrong plan)."""
    if not book.contract_staff:
        return []  # an empty 約聘僱 beside 1020 lines is staff-sheet-empty
    salaries: dict[str, list] = defaultdict(list)
    for i in book.expenses:
        if i.object_code == "1020":
            salaries[i.plan_code].append(i)
    findings = []
    for g in book.contract_staff:
        if g.plan_code not in salaries:
            findings.append(make_finding(
                "contract-plan-without-salary", g.cells.get("工作計畫編號") or g.cells.get("類型"), expected=None,
                actual=g.plan_code, plan=g.plan_code, kind=g.kind, persons=g.persons, amount=g.amount,
                others="、".join(sorted(salaries)) or "歲出明細沒有 1020 列"))
    staffed = {g.plan_code for g in book.contract_staff}
    for plan, items in sorted(salaries.items()):
        if plan not in staffed:
            cells = [i.cells["預算數"] for i in items if i.cells.get("預算數")]
            findings.append(make_finding("salary-plan-without-contract", cells[0] if cells else None,
                                         expected=None, actual=plan, related=tuple(cells[1:]), plan=plan,
                                         amount=sum(i.amount for i in items)))
    return findings


def check_staff_analysis(book: BudgetBook) -> list[Finding]:
    """Per 工作計畫: each pay column = that plan's 1000 二級 lines (臺中 115 行政管理: 1015 76,622,040); per class
    and column (預算員額 too): Σ plans = the 人事費 sheet (人事費彙計表). Cells on both sides."""
    if not book.staff_analysis:
        return []
    findings = []
    for plan, rows in rows_by_plan(book).items():
        for name, code in PAY_COMPONENTS:
            actual = sum(s.components.get(name, 0) for s in rows)
            items = [i for i in book.expenses if i.plan_code == plan and i.object_code == code]
            expected = sum(i.amount for i in items)
            if actual == expected:
                continue
            mine = [s.cells[name] for s in rows if name in s.cells and s.components.get(name)]
            other = [i.cells["預算數"] for i in items if i.cells.get("預算數")]
            anchor = mine[0] if mine else (other[0] if other else None)
            findings.append(make_finding("staff-analysis-vs-items", anchor, expected=expected, actual=actual,
                                         related=tuple(mine[1:] + other) if mine else tuple(other[1:]),
                                         plan=plan, column=name, code=code))
    if not book.staff_costs:
        return findings
    summary = {s.category: s for s in book.staff_costs}
    by_class: dict[str, list[StaffCost]] = defaultdict(list)
    for s in book.staff_analysis:
        by_class[s.category].append(s)
    for category in sorted(set(summary) | set(by_class)):
        total, parts = summary.get(category), by_class.get(category, [])
        for name in (HEADCOUNT,) + tuple(n for n, _ in PAY_COMPONENTS):
            def value(s: StaffCost) -> int:
                return (s.headcount or 0) if name == HEADCOUNT else s.components.get(name, 0)

            expected = value(total) if total else 0
            actual = sum(value(s) for s in parts)
            if actual == expected:
                continue
            mine = [s.cells[name] for s in parts if name in s.cells]
            other = [total.cells[name]] if total and name in total.cells else []
            anchor = mine[0] if mine else (other[0] if other else None)
            findings.append(make_finding("staff-analysis-vs-summary", anchor, expected=expected, actual=actual,
                                         related=tuple(mine[1:] + other) if mine else tuple(other[1:]),
                                         category=category, column=name))
    return findings


HEADCOUNT, PAY_TOTAL, FORMAL = "預算員額", "全年度人事費/合計", "正式員額"

# 人事費彙計表 column → 各項費用彙計表 二級 line (1005 民意代表待遇 … 1055 保險); the total → 1000 人事費
PAY_CODES = {name: code for name, code in PAY_COMPONENTS}


def _class_parts(rows: list[PrintedRow]) -> tuple[list[PrintedRow], list[PrintedRow]]:
    """(the rows a 合計 adds up, the formal classes 正式員額 adds up); 正式員額 stands for its classes."""
    body = [r for r in rows if not is_total(r)]
    formal_row = any(r.label == FORMAL for r in body)
    formal = [r for r in body if r.label in FORMAL_CLASSES]
    top = [r for r in body if not (formal_row and r.label in FORMAL_CLASSES)]
    return top, formal


def _staff_block(table: PrintedTable, rows: list[PrintedRow]) -> Iterable[Finding]:
    """One 人事費 table (or one plan of 人事費分析表): row 合計 = Σ components; 合計 / 正式員額 rows = Σ classes."""
    components = [k for k in table.columns if k.startswith("全年度人事費/") and k != PAY_TOTAL]
    for row in rows:
        if f := sum_finding(table, row, PAY_TOTAL, [(row, k) for k in components], "「合計」欄"):
            yield f
    top, formal = _class_parts(rows)
    total = next((r for r in rows if is_total(r)), None)
    formal_row = next((r for r in rows if r.label == FORMAL), None)
    for head, parts in ((total, top), (formal_row, formal)):
        if head is None or not parts:
            continue
        sums = [f for key in [HEADCOUNT] + components + [PAY_TOTAL]
                if (f := sum_finding(table, head, key, [(r, key) for r in parts], column_name(key.split("/")[-1])))]
        # a class deleted by hand (約聘僱人員): one row missing, not a right 合計 blamed in every column (revw)
        yield from row_not_printed(table, head, sums, PAY_TOTAL, components)


def _versus_summary_line(table: PrintedTable, row: PrintedRow, key: str, summary: PrintedTable,
                         code: str, column: str, what: str) -> Finding | None:
    """A 元 figure of ``table`` against the 彙計表 line ``code`` in ``column`` (rounded when that is in 千元). A line
    the 彙計表 leaves blank counts as 0, a 彙計表 without the line is not judged."""
    srow = next((r for r in summary.rows if len(r.code) in (4, 6) and r.code[:4] == code), None)
    if srow is None or not readable([(row, key), (srow, column)]) or key not in row.figures and column not in srow.figures:
        return None
    expected = in_unit(val(row, key), table.unit, summary.unit)
    if val(srow, column) == expected:
        return None
    cell = cell_of(srow, column) or srow.label_cell
    related = tuple(c for c in (cell_of(row, key),) if c)
    if summary.unit != table.unit:
        return finding("thousand-rounding-mismatch", cell, expected, val(srow, column), related, table=P_SUMMARY,
                       what=what, yuan=f"{val(row, key):,}")
    return finding("cross-table-mismatch", cell, expected, val(srow, column), related, table=P_SUMMARY, what=what,
                   other=table.title)


def _staff_versus_summary(table: PrintedTable, rows: list[PrintedRow], summary: PrintedTable | None,
                          column: str | None, lines: dict | None = None) -> Iterable[Finding]:
    """Each component's 合計 row = the 彙計表 二級 line (1015 … 1055), the total = 1000 人事費, in ``column``; in 元 to
    the 明細表's ``lines`` (detail.staff_lines) where it prints the code and this table is in 元, unless the 彙計表
    sides with this table against the 明細表 (two against one: check_summary names the 明細表/彙計表 disagreement)."""
    total = next((r for r in rows if is_total(r)), None)
    if total is None or (summary is None or column is None) and not lines:
        return
    label = "合計欄" if column and column.startswith("合計") else f"{column} 欄"
    for key in [k for k in table.columns if k.startswith("全年度人事費/")]:
        name = key.split("/")[-1]
        code = "1000" if key == PAY_TOTAL else PAY_CODES.get(name)
        what = f"{code}{'人事費' if code == '1000' else name}"
        if code is not None and lines and code in lines and table.unit == "元" and readable([(total, key)]):
            srow = next((r for r in summary.rows if r.code[:4] == code and len(r.code) in (4, 6)), None) \
                if summary is not None and column is not None else None
            odd = srow is not None and readable([(srow, column)]) and val(srow, column) == in_unit(
                val(total, key), table.unit, summary.unit) != in_unit(lines[code][0], table.unit, summary.unit)
            if val(total, key) != lines[code][0] and not odd:
                yield finding("cross-table-mismatch", cell_of(total, key) or total.label_cell, lines[code][0],
                              val(total, key), lines[code][1], table=table.title, what=f"合計列 {what}", other=P_DETAIL)
        elif code is not None and summary is not None and column is not None \
                and (f := _versus_summary_line(table, total, key, summary, code, column, f"{what} {label}")):
            yield f


def check_staff_costs(tables) -> Iterable[Finding]:
    """人事費彙計表 (and 臺中's 人事費分析表 per plan): row 合計 = Σ components; 合計 = Σ classes with 正式員額
    standing for its classes; 預算員額 likewise; columns = 各項費用彙計表 1015 … 1055 and 1000 (千元 rounded)."""
    summary = table_titled(tables, P_SUMMARY)
    total_key = next((k for k in (summary.columns if summary else ()) if k.startswith("合計")), None)
    table = table_titled(tables, P_STAFF_COSTS)
    if table is not None:
        yield from _staff_block(table, list(table.rows))
        yield from _staff_versus_summary(table, list(table.rows), summary, total_key, staff_lines(tables))
    analysis = table_titled(tables, P_STAFF_ANALYSIS)
    if analysis is not None:
        blocks: dict[str, list[PrintedRow]] = defaultdict(list)
        for row in analysis.rows:
            blocks[row.context].append(row)
        for plan, rows in blocks.items():
            yield from _staff_block(analysis, rows)
            if summary is not None:
                yield from _staff_versus_summary(analysis, rows, summary, plan_column(summary, plan))


_PERSON_MONTHS = lazy(r"^(\d+)\s*[xX×*＊]\s*(\d+)$")


def _contract_levels(table: PrintedTable) -> list[tuple[PrintedRow, int]]:
    """約聘僱人員費用分析表: 合計 0, 款 1 … 節 4, a name line without number below 節 5, groups (人*月) 6."""
    out, last = [], 0
    for row in table.rows:
        months = [k for k in row.texts if "人*月" in k or "人＊月" in k]
        if "全年度預算數" not in row.figures:
            continue
        if months:
            out.append((row, 6))
        elif any(row.numbers):
            last = next(i + 1 for i, n in enumerate(row.numbers) if n)
            out.append((row, last))
        elif is_total(row) or not out:
            out.append((row, 0))
        else:
            out.append((row, min(last + 1, 5)))
    return out


def _persons(text: str) -> int | None:
    m = _PERSON_MONTHS.match(compact_key(text))
    return int(m.group(1)) if m else None


def check_contract(tables) -> Iterable[Finding]:
    """約聘僱人員費用分析表: 合計 → 款 → 項 → 目 → 節 → groups; 合計 = 人事費彙計表 約聘僱人員 合計;
    Σ persons of the 人*月 groups (3x12 → 3) = that row's 預算員額."""
    table = table_titled(tables, P_CONTRACT)
    if table is None:
        return
    levelled = _contract_levels(table)
    level = dict((id(r), lv) for r, lv in levelled)
    yield from tree_sums(table, [r for r, _ in levelled], lambda r: level.get(id(r)), ["全年度預算數"])
    staff = table_titled(tables, P_STAFF_COSTS)
    staff_row = next((r for r in staff.rows if r.label == "約聘僱人員"), None) if staff else None
    total = next((r for r, lv in levelled if lv == 0), None)
    if staff_row is not None and total is not None and readable([(total, "全年度預算數"), (staff_row, PAY_TOTAL)]) \
            and val(total, "全年度預算數") != val(staff_row, PAY_TOTAL):
        yield finding("contract-total-mismatch", cell_of(total, "全年度預算數"), val(staff_row, PAY_TOTAL),
                      val(total, "全年度預算數"), tuple(c for c in (cell_of(staff_row, PAY_TOTAL),) if c))
    persons, cells = 0, []
    for row, lv in levelled:
        if lv != 6:
            continue
        for key, (text, cell) in row.texts.items():
            if "人*月" not in key and "人＊月" not in key:
                continue
            n = _persons(text)
            if n is None:
                yield make_finding("person-months-unreadable", cell, actual=text, raw=text)
                persons = None  # type: ignore[assignment]
                break
            persons += n
            cells.append(cell)
        if persons is None:
            break
    if staff_row is not None and persons is not None and cells and readable([(staff_row, HEADCOUNT)]) \
            and val(staff_row, HEADCOUNT) != persons:
        yield finding("headcount-mismatch", cell_of(staff_row, HEADCOUNT) or staff_row.label_cell, persons,
                      val(staff_row, HEADCOUNT), tuple(cells), category="約聘僱人員",
                      source=f"{P_CONTRACT}各組人數（人*月之人數）")


STAFFING_KEYS = ("法定編制員額", "本年度預算員額", "上年度預算員額", "與上年度預算員額比較增減")


def check_staffing(tables) -> Iterable[Finding]:
    """員額編制表: 比較增減 = 本年度 − 上年度; a printed 合計 row = Σ rows; 本年度預算員額 = 人事費彙計表 預算員額."""
    table = table_titled(tables, P_STAFFING)
    if table is None:
        return
    cur, prior, change = "本年度預算員額", "上年度預算員額", "與上年度預算員額比較增減"
    for row in table.rows:
        blank, expected = change not in row.figures, val(row, cur) - val(row, prior)  # blank: printed where they differ
        if readable([(row, k) for k in (cur, prior, change)]) and (not blank and val(row, change) != expected or blank
                                                                    and expected and change in table.columns):
            yield finding("comparison-mismatch", blank_cell(table, row, change, True) if blank else cell_of(row, change),
                          expected, None if blank else val(row, change),
                          tuple(c for c in (cell_of(row, cur), cell_of(row, prior)) if c))
    total = next((r for r in table.rows if is_total(r)), None)
    if total is not None:
        body = [r for r in table.rows if not is_total(r)]
        for key in STAFFING_KEYS:
            if f := sum_finding(table, total, key, [(r, key) for r in body], column_name(key)):
                yield f
    staff = table_titled(tables, P_STAFF_COSTS)
    by_class = {r.label: r for r in staff.rows} if staff else {}
    for row in table.rows:
        other = by_class.get(row.label)
        if other is None or is_total(row) or HEADCOUNT not in other.figures \
                or not readable([(row, cur), (other, HEADCOUNT)]):
            continue
        if val(other, HEADCOUNT) != val(row, cur):
            yield finding("headcount-mismatch", cell_of(other, HEADCOUNT), val(row, cur), val(other, HEADCOUNT),
                          tuple(c for c in (cell_of(row, cur),) if c), category=row.label,
                          source=f"{P_STAFFING}本年度預算員額")
