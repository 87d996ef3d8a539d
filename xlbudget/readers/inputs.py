"""The input template read as a budget book: every input sheet's grid → one ``BudgetBook``.

Pure: an adapter (openpyxl file, xlwings book) hands over each input sheet as
a ``Grid`` of cell values (readers/grid); the sheets' names and headers are
the contract in forms/inputs. This module turns the grids into a
``BudgetBook`` and remembers, for every value, the cell it came from.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import replace
from itertools import chain
from pathlib import Path

from xlbudget.core import codes
from xlbudget.core.amounts import NotANumber, parse_int
from xlbudget.core.errors import InputError
from xlbudget.core.formulas import EXCEL_CELL_CHARACTERS
from xlbudget.core.findings import Finding, make_finding, rows_named
from xlbudget.core.keys import code_key, compact_key, normalize_key
from xlbudget.core.model import (Agency, BudgetBook, CellRef, ContractGroup, ExpenseItem, Paragraph, PlanNote, StaffCost,
                                 Staffing, Trip, cell_position, prior_side)
from xlbudget.forms.inputs import (AGENCY_HEADERS, AGENCY_KEYS, CONTRACT_HEADERS, COUNT_HEADERS, EXPENSE_REQUIRED, KIND_KEY,
                                   NARRATIVE_HEADERS, NOTES_HEADERS, PAY_COMPONENTS, REQUIRED_HEADERS, SHEET_AGENCY, SHEET_CONTRACT,
                                   SHEET_COST_SHARES, SHEET_EXPENSES, SHEET_FUNDING, SHEET_NARRATIVE, SHEET_NOTES,
                                   SHEET_PRIOR, SHEET_REVENUES, SHEET_STAFF_ANALYSIS, SHEET_STAFF_COSTS, SHEET_STAFFING,
                                   SHEET_TRANSFERS, SHEET_TRIPS, SHEET_VEHICLES, SHEET_WHITEPAPER, STAFF_CLASSES,
                                   STAFF_COST_HEADERS, STAFFING_CLASSES, STAFFING_HEADERS, TRIP_HEADERS,
                                   SHEET_UNITS, STAGE_KEY, UNIT_BUDGET, BUDGET_KINDS, budget_kind_in,
                                   budget_stage_in, stage_typed)
from xlbudget.readers.city_tables import (minguo_text, read_cost_shares, read_funding, read_staff_analysis, read_transfers,
                                          read_vehicles, read_whitepaper)
from xlbudget.readers.grid import (CODE11, EXCEL_ERRORS, Grid, SheetReader, Uncached, cell_text, cell_value, column_letter,
                                   input_sheet_names, is_error_value, is_uncached, number_problem, numbered,
                                   typed_as_date)
from xlbudget.readers.items import (plan_name_text, read_expenses, read_prior, read_revenues, refuse_prior_totals,
                                     refuse_repeats)


def read_agency(grid: Grid, findings: list[Finding], problems: list[Finding]) -> Agency:
    """基本資料 (項目 | 內容) → Agency. Every 必填 key the 說明 sheet lists (AGENCY_KEYS) must be filled."""
    reader = SheetReader(grid, AGENCY_HEADERS, AGENCY_HEADERS, problems)
    values: dict[str, str] = {}
    where: dict[str, CellRef] = {}
    keyed = []
    raw: dict[str, object] = {}
    for r, row in reader.data_rows():
        key = compact_key(reader.text(row, "項目"))
        raw.setdefault(key, reader.value(row, "內容"))
        keyed.append((key, reader.text(row, "內容"), reader.ref(r, "項目")))
        values.setdefault(key, reader.text(row, "內容"))
        where.setdefault(key, reader.ref(r, "內容"))
    refuse_repeats(keyed, "基本資料項目", problems)
    first = CellRef(grid.sheet, f"{column_letter(grid.left + 1)}{grid.top + 1}", grid.file)
    if reader.ok:
        for key in AGENCY_KEYS:
            if not values.get(key):
                problems.append(make_finding("required-missing", where.get(key, first), what=f"基本資料「{key}」"))
    year_text = re.sub(r"[^\d]", "", normalize_key(values.get("年度", "")))
    year = int(year_text) if 0 < len(year_text) <= 4 else 0  # thousands of digits: no year (and no int() of them)
    if values.get("年度") and not (50 <= year <= 300):
        problems.append(make_finding("bad-year", where["年度"], actual=values["年度"]))
    for key in PRIOR_TOTAL_KEYS:  # 千元 figures the 總說明's 執行率 is taken from: 「1,2」 is not 12
        try:
            parse_int(values.get(key) or None)
        except NotANumber as err:
            problems.append(number_problem(err, where[key], raw.get(key), key))
    if values.get("機關編號"):
        code = agency_code(raw.get("機關編號"))
        if code is None:
            problems.append(_bad_agency_code(raw.get("機關編號"), values["機關編號"], where["機關編號"]))
        else:
            values["機關編號"] = code
    if values.get("主管機關編號") and (code := _authority_code(raw.get("主管機關編號"), values.get("機關編號", ""))):
        values["主管機關編號"] = code  # Excel's number 2000000 for 0002000000: printed as typed, a code of no 主管
    if values.get(KIND_KEY):  # 預算類別 as typed: 「前瞻基礎建設計畫特別預算」 is a 特別預算
        kind = budget_kind_in(compact_key(values[KIND_KEY]))
        if kind is None:
            problems.append(make_finding("unknown-budget-kind", where[KIND_KEY], actual=values[KIND_KEY]))
        elif kind not in BUDGET_KINDS:  # 附屬單位預算: a fund's tables are not a 單位預算's
            problems.append(make_finding("fund-book", where[KIND_KEY], what=f"基本資料「預算類別」為「{values[KIND_KEY]}」"))
        else:
            # 「單位法定預算」 is a 單位預算 at its 法定預算 stage: the stage goes to 預算階段 (the 封面 prints it) when
            # that is not typed, told by the 預算類別 cell; one 預算階段 says otherwise is named (session 28: lost)
            stage = budget_stage_in(values[KIND_KEY])
            typed = stage_typed(values.get(STAGE_KEY, ""))
            if stage and not values.get(STAGE_KEY):
                values[STAGE_KEY], where[STAGE_KEY] = stage, where[KIND_KEY]
            elif stage and typed and typed != stage:
                findings.append(make_finding("budget-stage-differs", where[STAGE_KEY], actual=values[STAGE_KEY],
                                             kind=values[KIND_KEY], stage=stage))
            values[KIND_KEY] = kind
    function = function_code(normalize_key(values.get("職能別", "")))
    if values.get("職能別") and function is None:
        problems.append(make_finding("unknown-function", where["職能別"], actual=values["職能別"]))
    elif function and (other := function_named(normalize_key(values["職能別"]))) not in (None, function):
        table = codes.functions()  # 「02 一般公共事務」: 02 is 防衛, 一般公共事務 is 01; the number alone was read
        problems.append(make_finding("function-name-mismatch", where["職能別"], actual=values["職能別"],
                                     code=function, name=table[function], other=other, other_name=table[other]))
    return Agency(
        name=values.get("機關名稱", ""),
        code=values.get("機關編號", ""),
        year=year,
        authority=values.get("主管機關", ""),
        function=function or "",
        extra={k: v for k, v in values.items() if k not in AGENCY_KEYS},
        cells=where,
    )


NO_LINES = f"工作表「{SHEET_EXPENSES}」沒有任何明細資料"  # how a 歲出明細 with no line is said (convert tells a blank template by it)


AGENCY_DIGITS = 5  # 機關編號 02-018: 主管 02 and 機關 018, the 3rd–7th digits of the agency's 11-digit codes


def agency_code(value: object) -> str | None:
    """機關編號 as typed → itself, or None when it does not give the 11-digit 機關 line (00 + 5 digits + 0000).

    Text gives its digits as typed (02-018, ０２０１８, 02018): never padded, so a digit really missing (2-18) shows.
    A number is a code Excel took for a number and dropped its leading zero (02018 → 2018): it gets it back, as every
    code typed as a number does (keys.code_key), and is kept as 02-018. A date (Excel turns 02-018 typed in a General
    cell into 2018/2/1) is never read: which digits were typed cannot be told from it."""
    if isinstance(value, (datetime.date, datetime.time)):
        return None
    digits = code_key(value, AGENCY_DIGITS)
    if not (len(digits) == AGENCY_DIGITS and digits.isdigit() and digits.isascii()):
        return None
    return f"{digits[:2]}-{digits[2:]}" if isinstance(value, (int, float)) else normalize_key(value)


def _authority_code(value: object, agency: str) -> str | None:
    """主管機關編號 typed as a number (Excel dropped its leading zeros: 0002000000 → 2000000) → the code with them
    back, as every code typed as a number gets them (keys.code_key); None for text (as typed) or a number that is
    not the 主管's. The code begins 00 and the 主管's two digits of 機關編號 (02-018: 0002…), so the zeros dropped are
    the 00 and the 主管's own (02 → one); its length (10 digits as 高雄 prints it, 11 as 臺中) is kept."""
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value != int(value) or value <= 0:
        return None
    digits, prefix = str(int(value)), f"00{''.join(ch for ch in agency if ch.isdigit())[:2]}"
    if len(prefix) != 4 or not digits.startswith(prefix.lstrip("0")):
        return None
    return "0" * (len(prefix) - len(prefix.lstrip("0"))) + digits


def _bad_agency_code(value: object, typed: str, cell: CellRef) -> Finding:
    if isinstance(value, (datetime.date, datetime.time)):
        return typed_as_date("agency-code-date", cell, value, "機關編號", "編號", "02-018")
    return make_finding("bad-code", cell, column="機關編號", expected="主管 2 位及機關 3 位數字（如 02-018）",
                        actual=typed)


PRIOR_TOTAL_KEYS = ("前年度歲出預算數", "前年度歲入預算數")  # 基本資料 keys holding a figure (千元)


def function_code(text: str) -> str | None:
    """職能別 as typed (01, 1, 01 一般公共事務, 一般公共事務) → its 2-digit code; None when it names none."""
    text = text.strip()
    if not text:
        return None
    table = codes.functions()
    number, name = numbered(text)
    if number:
        number = number.zfill(2)
        return number if number in table else None
    for code, fname in table.items():
        if fname == name:
            return code
    return None


def function_named(text: str) -> str | None:
    """The 職能別 code the name typed after a number names (「02 一般公共事務」 → 01), the number aside; None when
    no name is typed or it names none (a name of the officer's own: the number is read)."""
    _, name = numbered(text.strip())
    return function_code(name) if name else None


def read_notes(grid: Grid, problems: list[Finding], codes: dict[str, str] | None = None) -> list[PlanNote]:
    """說明提要 (編號 | 承辦單位 | 說明提要) → notes for plans and revenue codes. Given ``codes`` (the book's 工作計畫
    and 歲入 codes → names), a 編號 that is none of them is ``note-unknown-code`` at its cell: its text would be
    printed nowhere."""
    reader = SheetReader(grid, NOTES_HEADERS, REQUIRED_HEADERS[SHEET_NOTES], problems)
    notes, keyed = [], []
    for r, row in reader.data_rows():
        notes.append(PlanNote(reader.code(row, "編號", 11), reader.text(row, "承辦單位"), reader.text(row, "說明提要"),
                              reader.cells(r)))
        keyed.append((notes[-1].plan_code, "：".join(t for t in (notes[-1].office, notes[-1].text) if t),
                      reader.ref(r, "編號")))
    refuse_repeats(keyed, "說明提要編號", problems)  # the 明細表 prints one 說明提要 a plan: another is never dropped
    if codes is not None:
        noted = {n.plan_code for n in notes}
        without = [code for code in codes if code not in noted]
        for note, (code, _, cell) in zip(notes, keyed):
            if code and code not in codes:
                near = _likely_codes(code, without)
                problems.append(make_finding(
                    "note-unknown-code", cell, actual=code, expected="或".join(near),
                    hint="（是否為 " + "或".join(f"{c} {codes[c]}" for c in near) + "？）" if near else ""))
    return notes


def _likely_codes(typed: str, codes: list[str]) -> list[str]:
    """The codes ``typed`` most likely meant: those differing from it in the fewest digits (at most 3, same length),
    or the only code left when there is one."""
    distance = {c: sum(a != b for a, b in zip(typed, c)) for c in codes if len(c) == len(typed)}
    best = min(distance.values(), default=99)
    if best <= 3:
        return [c for c, d in distance.items() if d == best]
    return codes if len(codes) == 1 else []


def read_staff_costs(grid: Grid, problems: list[Finding], findings: list[Finding] | None = None) -> list[StaffCost]:
    """人事費 → one StaffCost per staff class (元); a 合計 row typed under the classes is checked, not read."""
    reader = SheetReader(grid, STAFF_COST_HEADERS, REQUIRED_HEADERS[SHEET_STAFF_COSTS], problems, key="類別")
    rows = []
    for r, row in reader.data_rows():
        components = reader.integers(r, row, [name for name, _ in PAY_COMPONENTS])
        rows.append(StaffCost(reader.text(row, "類別"), reader.integer(r, row, "預算員額"), components,
                              reader.text(row, "備註"), reader.cells(r)))
    if findings is not None:
        findings += unknown_classes(rows, STAFF_CLASSES, "人事費彙計表")
        reader.check_totals(("預算員額",) + tuple(name for name, _ in PAY_COMPONENTS), findings)
    return rows


def unknown_classes(rows, classes: tuple[str, ...], table: str) -> list[Finding]:
    """A 類別 that is not one of ``table``'s printed classes (「約聘人員」 for 約聘僱人員, field report #10), at its cell,
    with the nearest class. Not read as that class: a guess could be wrong (技工及工友 is 技工 or 工友), and one
    retyped cell costs less than a misfiled row; the row still prints under its typed name."""
    found = []
    for row in rows:
        if row.category and row.category not in classes and row.cells.get("類別") is not None:
            from difflib import get_close_matches  # imported for a 類別 typed wrong only

            near = get_close_matches(row.category, classes, n=1, cutoff=0.5)
            found.append(make_finding("unknown-staff-class", row.cells["類別"], expected=near[0] if near else "",
                                      actual=row.category, table=table, known="、".join(classes),
                                      hint=f"（是否為「{near[0]}」？）" if near else ""))
    return found


def read_contract_staff(grid: Grid, problems: list[Finding], plans: list[str] | None, salary_plans: list[str],
                        findings: list[Finding] | None = None) -> list[ContractGroup]:
    """約聘僱 → groups (元). 工作計畫編號 may be left empty when the book has one plan paying 1020
    (``salary_plans``); a typed one is one of 歲出明細's ``plans`` (the one rule of the plan-keyed sheets), or
    only 11 digits when they are unknown (None: 歲出明細 has problems of its own, named already)."""
    reader = SheetReader(grid, CONTRACT_HEADERS, REQUIRED_HEADERS[SHEET_CONTRACT], problems, key="類型")
    groups = []
    for r, row in reader.data_rows():
        if plans is not None:
            plan = reader.plan(r, row, plans, default=salary_plans)
            if plan is None:
                continue
        else:
            plan = reader.code(row, "工作計畫編號", 11)
            if not CODE11.match(plan):
                reader.problem("bad-code", r, "工作計畫編號", column="工作計畫編號",
                               expected="11 位數字（此列的約聘僱人員由哪個工作計畫支應）",
                               actual=reader.text(row, "工作計畫編號"))
                continue
        kind = compact_key(reader.value(row, "類型")).replace("人員", "")
        if kind not in ("約聘", "約僱"):
            reader.problem("not-a-choice", r, "類型", column="類型", expected="「約聘」或「約僱」", actual=kind)
            continue
        values = [reader.integer(r, row, h) for h in ("人數", "月數", "全年度預算數")]
        if None in values:
            for h, v in zip(("人數", "月數", "全年度預算數"), values):
                if v is None and not reader.text(row, h):
                    reader.problem("required-missing", r, h, what=f"「{h}」")
            continue
        groups.append(ContractGroup(plan, kind, values[0], values[1], values[2], reader.text(row, "說明"),
                                    reader.cells(r)))
    if findings is not None:
        reader.check_totals(("人數", "全年度預算數"), findings)
    return groups


# 出國計畫's 年度: blank (or 本年度) a trip of this year, 上年度 one of the 總表's 上年度 columns; the printed tables
# carry no 年度 column (類別表 lists this year's trips), so a year typed as a number is not guessed at
TRIP_YEARS = ("", "本年度", "上年度")
TRIP_YEARS_SAID = "空白（本年度的出國計畫）或「上年度」（列入派員出國計畫預算總表的上年度欄）"


def read_trips(grid: Grid, problems: list[Finding], plans: dict[str, str],
               findings: list[Finding] | None = None, plans_known: bool = True) -> list[Trip]:
    """出國計畫 → trips (元). ``plans`` maps 工作計畫編號 → 工作計畫名稱 to fill either from the other; a typed
    工作計畫編號 is one of them (unknown-plan) when ``plans_known`` (歲出明細 read without a problem)."""
    reader = SheetReader(grid, TRIP_HEADERS, REQUIRED_HEADERS[SHEET_TRIPS], problems, key="計畫名稱")
    by_name = {compact_key(name): code for code, name in plans.items()}
    codes = sorted(plans)
    trips = []
    for r, row in reader.data_rows():
        account = plan_name_text(reader.value(row, "歸屬預算科目"))
        plan = None
        if plans_known and reader.text(row, "工作計畫編號"):  # typed: the one rule of the plan-keyed sheets
            plan = reader.plan(r, row, codes)
            if plan is None:
                continue
        plan = plan or reader.code(row, "工作計畫編號", 11) or by_name.get(compact_key(account), "")
        if not plan and len(plans) == 1:
            plan = next(iter(plans))
        if not CODE11.match(plan):
            reader.problem("trip-plan-unknown", r, "歸屬預算科目", actual=account)
            continue
        year = compact_key(reader.value(row, "年度"))
        if year not in TRIP_YEARS:  # 「112年度」 typed for 上年度 was read as this year's trip (field report 19 §2.1)
            reader.problem("not-a-choice", r, "年度", column="年度", expected=TRIP_YEARS_SAID,
                           actual=reader.text(row, "年度"))
            continue
        money = [reader.integer(r, row, h) for h in ("交通費", "生活費", "辦公費")]
        trips.append(Trip(
            name=reader.text(row, "計畫名稱"), category=reader.text(row, "類別"),
            country=reader.text(row, "擬前往國家"), institution=reader.text(row, "擬拜會機構"),
            content=reader.text(row, "計畫內容"), period=minguo_text(reader.value(row, "預計前往期間"), days=True),
            days=reader.integer(r, row, "預計天數"), persons=reader.integer(r, row, "擬派人數"),
            transport=money[0] or 0, living=money[1] or 0, office=money[2] or 0,
            account=account or plans.get(plan, ""), plan_code=plan,
            visited=reader.text(row, "前3年內有無赴同一機構拜會"), visited_note=reader.text(row, "如有,說明其內容"),
            last_year=year == "上年度", cells=reader.cells(r)))
    if findings is not None:
        reader.check_totals(("交通費", "生活費", "辦公費"), findings)
    return trips


def read_staffing(grid: Grid, problems: list[Finding], findings: list[Finding] | None = None) -> list[Staffing]:
    """員額 → rows of 員額編制表 (persons)."""
    reader = SheetReader(grid, STAFFING_HEADERS, STAFFING_HEADERS, problems, key="類別")
    rows = []
    for r, row in reader.data_rows():
        counts = [reader.integer(r, row, h) for h in STAFFING_HEADERS[1:]]  # a negative count is a problem
        rows.append(Staffing(reader.text(row, "類別"), *counts, reader.cells(r)))
    if findings is not None:
        findings += unknown_classes(rows, STAFFING_CLASSES, "員額編制表")
        reader.check_totals(("法定編制員額", "本年度預算員額", "上年度預算員額"), findings)
    return rows


def read_narrative(grid: Grid, problems: list[Finding]) -> list[Paragraph]:
    """總說明 → the officer's paragraphs (column 段落), each with its cell."""
    reader = SheetReader(grid, NARRATIVE_HEADERS, NARRATIVE_HEADERS, problems)
    return [Paragraph(reader.text(row, "段落"), reader.ref(r, "段落"))
            for r, row in reader.data_rows() if reader.text(row, "段落")]


def _read_extra_tables(grids: dict[str, Grid], findings: list[Finding], problems: list[Finding], plans: list[str]):
    """The input sheets of the tables added in issue 14 (readers/city_tables): {BudgetBook field: records}. A 合計/小計 row an officer types under the items is skipped and checked against
    them (totals-row-mismatch), as in 歲出明細."""
    return {"vehicles": tuple(read_vehicles(grids[SHEET_VEHICLES], findings, problems, plans)
                              if SHEET_VEHICLES in grids else ()),
            "transfers": tuple(read_transfers(grids[SHEET_TRANSFERS], problems, plans, findings)
                               if SHEET_TRANSFERS in grids else ()),
            "staff_analysis": tuple(read_staff_analysis(grids[SHEET_STAFF_ANALYSIS], problems, plans, findings)
                                    if SHEET_STAFF_ANALYSIS in grids else ()),
            "funding": tuple(read_funding(grids[SHEET_FUNDING], problems, plans, findings)
                             if SHEET_FUNDING in grids else ()),
            "whitepaper": tuple(read_whitepaper(grids[SHEET_WHITEPAPER], problems, plans, findings)
                                if SHEET_WHITEPAPER in grids else ()),
            "cost_shares": tuple(read_cost_shares(grids[SHEET_COST_SHARES], problems, plans, findings)
                                 if SHEET_COST_SHARES in grids else ())}


def error_values(grid: Grid) -> list[Finding]:
    """An Excel error value (#REF!, #VALUE!, #DIV/0!, #N/A, #NAME?…) in any cell, text or amount, is a problem
    naming its cell: never copied into the tables as text, nor read as empty or 0 (field L11)."""
    if _ERRORS.isdisjoint(chain.from_iterable(grid.rows)):  # a sheet without one (nearly every sheet): one C pass
        return []
    app = program_named(grid)
    return [make_finding("error-value", grid.ref(r, c), actual=v, meaning=EXCEL_ERRORS[v], app=app)
            for r, row in enumerate(grid.rows) if not _ERRORS.isdisjoint(row)  # a row without one: one C pass
            for c, v in enumerate(row) if is_error_value(v)]


_ERRORS = frozenset(EXCEL_ERRORS)


def named_as_error_values(errors: list[Finding], problems: list[Finding],
                          findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """An error value is named as one (``errors``, from error_values), not also as the bad number, code or name
    it was read as: the problems and findings at its cells give way to it."""
    if not errors:
        return problems, findings
    cells = {f.cell for f in errors}
    return errors + [f for f in problems if f.cell not in cells], [f for f in findings if f.cell not in cells]


def uncached_cells(grid: Grid) -> list[Finding]:
    """A formula without a cached value is never read as empty or 0: each one is a problem naming its cell."""
    if Uncached not in set(map(type, chain.from_iterable(grid.rows))):  # a sheet without one: one C pass
        return []
    return [make_finding("formula-without-value", grid.ref(r, c), actual=str(v))
            for r, row in enumerate(grid.rows) if Uncached in set(map(type, row))  # a row without one: one C pass
            for c, v in enumerate(row) if is_uncached(v)]




def long_texts(grid: Grid) -> list[Finding]:
    """A text past Excel's 32,767 characters, at its cell: never silently kept shorter.

    A file saved by another program (LibreOffice, a script) can hold one, and
    openpyxl and python-calamine read it whole; but Excel and every workbook
    xlbudget writes keep only the first 32,767 characters, so the officer is told.
    """
    rows = grid.rows
    # the rows holding one (nearly always none): one plain test per cell, the cheapest pass over a big sheet
    found = dict.fromkeys(r for r, row in enumerate(rows) for v in row
                          if type(v) is str and len(v) > EXCEL_CELL_CHARACTERS)
    return [make_finding("text-too-long", grid.ref(r, c), expected=EXCEL_CELL_CHARACTERS, actual=len(v))
            for r in found for c, v in enumerate(rows[r]) if type(v) is str and len(v) > EXCEL_CELL_CHARACTERS]


def hidden_lines(grids: dict[str, Grid], *tables) -> list[Finding]:
    """Records read from rows hidden in Excel (by hand or by a filter, field report L8), on any input sheet (field
    report 8 f23: a hidden row of 人事費, 約聘僱, 出國計畫 or 員額 was printed without a word): they are in the book, and
    the officer who no longer sees them is told so, a warning a sheet at the first one's 預算數 (a line of 歲出明細,
    歲入明細, 轉帳收支: with their sum) or first cell, the others related. ``tables``: the records read, each
    remembering its cells by header. The rows are known to the file readers (openpyxl, python-calamine) and to
    desktop Excel (xlwings_book.hidden_rows); xlwings Lite and Server cannot tell them, and the buttons say so."""
    by_sheet = {g.sheet: g for g in grids.values() if g.hidden}
    out = []
    for records, grid, lead in _lined_tables(by_sheet, tables):
        lines = [(i, c) for i in records
                 if (c := i.cells.get(lead)) is not None and cell_position(c.cell)[0] in grid.hidden]
        if lines:
            out.append(_lines_finding("hidden-row-counted", grid, lead, lines, app=program_named(grid)))
    return out


def _lined_tables(by_sheet: dict[str, Grid], tables):
    """(records, their grid, the header a line is named by) of each of ``tables`` read from a grid of ``by_sheet``:
    a line by its 預算數 (歲出明細, 歲入明細, 轉帳收支), a record of another sheet by its first cell."""
    for records in tables if by_sheet else ():
        first = next(iter(records), None)
        heads = getattr(first, "cells", None)
        if not heads:
            continue
        lead = "預算數" if "預算數" in heads and hasattr(first, "amount") else next(iter(heads))
        grid = by_sheet.get(heads[lead].sheet)
        if grid is not None:
            yield records, grid, lead


def _lines_finding(rule: str, grid: Grid, lead: str, lines: list, **fields) -> Finding:
    """One finding a sheet for ``lines`` ((record, its ``lead`` cell) each): at the first, the others related, their
    rows named (20 at most) and, for lines of a 預算數, their sum."""
    cells = [c for _, c in lines]
    shown = "、".join(str(cell_position(c.cell)[0]) for c in cells[:20]) + ("等" if len(cells) > 20 else "")
    total = f"，預算數合計 {sum(i.amount for i, _ in lines):,} 元" if lead == "預算數" else ""
    return make_finding(rule, cells[0], actual=len(cells), related=tuple(cells[1:]), sheet=grid.sheet, rows=shown,
                        count=len(cells), total=total, **fields)


def hidden_column_cells(grids: dict[str, Grid], *tables) -> list[Finding]:
    """Cells of an input sheet's columns hidden in Excel that were read into the book (field report 8 §2.1: 收支併列數
    hidden, a line copied from last year keeps 5,000 there and the 明細表 prints it): hidden columns are named as
    hidden rows are (hidden_lines), one warning a column at its first such cell, the others related, with the sum
    of its numbers. ``tables``: the records read, each remembering its cells by header; a hidden column xlbudget does
    not read (an agency's own notes) says nothing. Known to the file readers (openpyxl, python-calamine, .ods) and
    to desktop Excel (xlwings_book.hidden_rows, asked of columns)."""
    by_sheet = {g.sheet: g for g in grids.values() if g.hidden_columns}
    if not by_sheet:
        return []
    found: dict[tuple[str, int], tuple[str, dict[CellRef, object]]] = {}  # (sheet, column) → header, cell → value
    for records in tables:
        first = next(iter(records), None)
        # the headers of a table's hidden columns, from its first record: one reader's records share their columns,
        # so a book whose hidden columns hold nothing read makes no cell of every line
        watched = [header for header, ref in (getattr(first, "cells", None) or {}).items()
                   if ref.sheet in by_sheet and cell_position(ref.cell)[1] in by_sheet[ref.sheet].hidden_columns]
        for record in records if watched else ():
            for header in watched:
                ref = record.cells.get(header)
                grid = by_sheet.get(ref.sheet) if ref is not None else None
                if grid is None:
                    continue
                r, c = cell_position(ref.cell)
                if c not in grid.hidden_columns:
                    continue
                row = grid.rows[r - grid.top] if 0 <= r - grid.top < len(grid.rows) else []
                value = row[c - grid.left] if 0 <= c - grid.left < len(row) else None
                if _shows(value):
                    found.setdefault((ref.sheet, c), (header, {}))[1][ref] = value
    out = []
    for (sheet, c), (header, held) in sorted(found.items()):
        cells = sorted(held, key=lambda ref: cell_position(ref.cell))
        numbers = [n for v in held.values() if (n := _number(v)) is not None]
        total = f"，數字合計 {sum(numbers):,}" if numbers else ""
        out.append(make_finding("hidden-column-counted", cells[0], actual=len(cells), related=tuple(cells[1:]),
                                sheet=sheet, column=column_letter(c), header=header, rows=rows_named(cells, sheet),
                                count=len(cells), total=total, app=program_named(by_sheet[sheet])))
    return out


def struck_lines(grids: dict[str, Grid], *tables) -> list[Finding]:
    """Records read from rows struck through (刪除線 on the line's 預算數, or on every cell of it holding a value: how
    officers «delete» a line and keep it in sight, field report 14 §1.3): refused, one problem a sheet at the first
    one's 預算數 (or first cell), the others related, with their sum. Excel's own SUM counts such a line and the officer means it gone:
    which he wants only he can tell, and neither guess may be printed without a word. ``tables``: the records read,
    each remembering its cells by header. Known to the file readers (openpyxl, python-calamine; not an .ods) and
    to the add-in in desktop Excel (xlwings_book.styled_marks; Lite and Server are given no fonts)."""
    by_sheet = {g.sheet: g for g in grids.values() if g.struck}
    out = []
    for records, grid, lead in _lined_tables(by_sheet, tables):
        rows: dict[int, set[int]] = {}
        for r, c in grid.struck:
            rows.setdefault(r, set()).add(c)
        lines = []
        for record in records:
            cells = record.cells
            r = cell_position(cells[lead].cell)[0] if lead in cells else None
            if r not in rows:
                continue
            shown = [cell_position(ref.cell)[1] for ref in cells.values() if _shows(cell_value(grid, ref))]
            # the line struck: its 預算數 (or first cell), or every cell it holds (a 說明 alone struck is a remark)
            if shown and (cell_position(cells[lead].cell)[1] in rows[r] and _shows(cell_value(grid, cells[lead]))
                          or all(c in rows[r] for c in shown)):
                lines.append((record, cells[lead]))
        if lines:
            out.append(_lines_finding("struck-line", grid, lead, lines))
    return out


def _owner_named(found: Finding, revenues, prior) -> Finding:
    """A 歲入明細 revenue-name-contradicts-levels made again naming the line (歲入明細 or 以前年度) of another code
    whose 科目名稱 it carries (items.level_name_findings); any other finding as it is."""
    from xlbudget.readers.items import level_name_findings

    if found.rule != "revenue-name-contradicts-levels":
        return found
    item = next((i for i in revenues if i.cells.get("科目名稱") == found.cell), None)
    if item is None:
        return found
    return next((f for f in level_name_findings(item.code, item.name, item.level_names, item.cells.get,
                                                (*revenues, *prior)) if f.rule == found.rule), found)


def unseen_cells(grids: dict[str, Grid], *tables) -> list[Finding]:
    """Numbers read into the book from cells that show nothing, on screen or on paper (grid.unseen_why: a ``;;;``
    number format, a white font on no fill, a font the colour of its fill): the officer checking his lines sees a
    blank where a figure is summed. One warning a sheet at its first such cell, the others related, with what hides
    them and their sum. ``tables``: the records read, each remembering its cells by header. Known to the file readers
    (openpyxl, python-calamine, an .ods's content) and to the add-in in desktop Excel (xlwings_book.styled_marks)."""
    from xlbudget.readers.grid import unseen_why

    by_sheet = {g.sheet: g for g in grids.values() if g.unseen}
    if not by_sheet:
        return []
    found: dict[str, dict[CellRef, tuple[object, str]]] = {}
    for records in tables:
        for record in records:
            for ref in (getattr(record, "cells", None) or {}).values():
                grid = by_sheet.get(ref.sheet)
                if grid is None:
                    continue
                r, c = cell_position(ref.cell)
                if why := unseen_why(grid, r, c):
                    found.setdefault(ref.sheet, {})[ref] = (grid.rows[r - grid.top][c - grid.left], why)
    out = []
    for sheet, held in found.items():
        cells = sorted(held, key=lambda ref: cell_position(ref.cell))
        total = sum(v for v, _ in held.values())  # an .ods's figures are floats: 871,852, never 871,852.0
        shown = "、".join(ref.cell for ref in cells[:10]) + (f" 等 {len(cells)} 格" if len(cells) > 10 else "")
        out.append(make_finding("figure-not-visible-counted", cells[0], actual=len(cells), related=tuple(cells[1:]),
                                sheet=sheet, cells=shown, count=len(cells),
                                total=f"{int(total) if float(total).is_integer() else total:,}",
                                why="；".join(dict.fromkeys(why for _, why in held.values()))))
    return out


def unit_format_cells(grids: dict[str, Grid], *tables) -> list[Finding]:
    """Amounts read from cells whose number format shows a unit the figure is not in (``#,##0"千元"``: 4411 shows as
    「4,411千元」 and is read as 4,411 元, field report 14 §1.4; grid.format_unit): refused, one problem a column at
    its first such cell, the others related. A format in the sheet's own unit (以前年度 is typed in 千元) and a
    format that scales by its commas (``#,##0,"千元"``: the cell holds 元) say nothing; so do counts (數量, 人數)."""
    from xlbudget.readers.grid import format_unit

    by_sheet = {g.sheet: g for g in grids.values() if g.unit_formats}
    if not by_sheet:
        return []
    found: dict[tuple[str, int], tuple[str, str, list[tuple[CellRef, object]]]] = {}
    for records in tables:
        for record in records:
            for header, ref in (getattr(record, "cells", None) or {}).items():
                grid = by_sheet.get(ref.sheet)
                if grid is None or header in COUNT_HEADERS:
                    continue
                code = grid.unit_formats.get(cell_position(ref.cell))
                unit = format_unit(code) if code else None
                if unit is None or unit[0] == SHEET_UNITS.get(compact_key(grid.sheet)):
                    continue
                value = _number(cell_value(grid, ref))
                if value:
                    found.setdefault((ref.sheet, cell_position(ref.cell)[1]), (header, code, []))[2].append((ref, value))
    out = []
    for (sheet, c), (header, code, held) in sorted(found.items()):
        held.sort(key=lambda pair: cell_position(pair[0].cell))
        (ref, value), *others = held
        unit, factor = format_unit(code)
        out.append(make_finding("amount-unit-format", ref, expected=value * factor, actual=value,
                                related=tuple(r for r, _ in others), sheet=sheet, column=column_letter(c),
                                header=header, rows=rows_named((r for r, _ in held), sheet), count=len(held),
                                format=code, shown=f"{value:,}{unit}", read=f"{value:,}", meant=f"{value * factor:,}",
                                factor=f"{factor:,}", unit=unit))
    return out


def _number(value: object) -> int | None:
    """A cell's whole number as the readers read it, or None (a text, a blank, a number with decimals)."""
    try:
        return parse_int(value)
    except NotANumber:
        return None


def _shows(value: object) -> bool:
    """Whether a cell holds something the tables would carry: a text, or a number other than 0 (a 0 in a hidden
    收支併列數 column prints nothing)."""
    return bool(cell_text(value)) and _number(value) != 0


def program_named(grid: Grid) -> str:
    """The program a grid's rows were hidden or its formulas computed in, as messages name it (spaced for a
    sentence): LibreOffice for an .ods book, Excel for any other (a live book is Excel's)."""
    return " LibreOffice（.ods 檔）" if (grid.file or "").lower().endswith(".ods") else " Excel "


def _kind_told(agency: Agency, grid: Grid, narrative: list[Paragraph], source: str | None,
               findings: list[Finding]) -> Agency:
    """``agency`` with the kind of budget its book tells when 基本資料 has no 預算類別: a 總說明 title
    (「…特別預算總說明」), else the file's name (「工務局113年度前瞻基礎建設計畫特別預算.xlsx」), each named by a warning
    (budget-kind-guessed) at the 預算類別 cell, or 基本資料's first. A book telling nothing is a 單位預算. A 預算類別
    typed stands, but one the title or the name contradicts is named (budget-kind-differs)."""
    for paragraph in narrative:
        text = compact_key(paragraph.text)
        kind = budget_kind_in(text) if text.endswith("總說明") and len(text) <= 60 else None
        if kind is not None:
            told = f"總說明 {paragraph.cell.cell if paragraph.cell else ''}「{paragraph.text.strip()}」"
            break
    else:
        name = Path(source or grid.file or "").name
        kind = budget_kind_in(compact_key(Path(name).stem))
        told = f"檔名「{name}」"
    typed = agency.extra.get(KIND_KEY)
    if kind is None or kind == (typed or UNIT_BUDGET):
        return agency
    header = [compact_key(cell_text(v)) for v in grid.rows[0]] if grid.rows else []
    key, content = (header.index(h) if h in header else i for i, h in enumerate(AGENCY_HEADERS))
    cell = next((grid.ref(r, content) for r, row in enumerate(grid.rows[1:], start=1)
                 if len(row) > key and compact_key(cell_text(row[key])) == KIND_KEY), grid.ref(0, 0))
    if typed:
        findings.append(make_finding("budget-kind-differs", cell, actual=typed, told=told, kind=kind))
        return agency
    findings.append(make_finding("budget-kind-guessed", cell, actual=kind, told=told, kind=kind))
    return replace(agency, extra={**agency.extra, KIND_KEY: kind}, kind_told=told)


def read_book(grids: dict[str, Grid], source: str | None = None) -> tuple[BudgetBook, list[Finding]]:
    """Input sheets → (BudgetBook, findings from reading): the one grid → model path of every reader.

    ``grids`` are the input sheets as an adapter read them (openpyxl file,
    python-calamine, a live xlwings book, a UDF range), keyed by sheet name;
    names are matched as keys (``歲出明細 `` is 歲出明細). A formula without
    a cached value is a ``grid.Uncached`` cell. Raises InputError listing
    every problem of every sheet, each with its rule id and cell.
    """
    problems: list[Finding] = []
    findings: list[Finding] = []
    book_order = [g.sheet for g in grids.values()]  # adapters give the sheets as the tabs are: problems in that order
    for g in grids.values():
        for name, stands_for in g.renamed:  # 基本資料/歲出明細 renamed: a problem beside missing-sheet
            (problems if stands_for in (SHEET_AGENCY, SHEET_EXPENSES) else findings).append(make_finding(
                "input-sheet-renamed", CellRef(name, "A1", g.file), actual=name, sheet=stands_for))
    grids = {canonical: grids[actual] for canonical, actual in input_sheet_names(grids).items()}
    errors: list[Finding] = []
    for canonical, grid in grids.items():
        problems += uncached_cells(grid)
        errors += error_values(grid)
        findings += long_texts(grid)
        for copy, lines, version in grid.copies:  # a backup or another version is named; lines it lacks stop the book
            rule = "sheet-not-read" if not lines else "sheet-version-not-read" if version else "sheet-lines-not-read"
            (problems if rule == "sheet-lines-not-read" else findings).append(make_finding(
                rule, CellRef(copy, "A1", grid.file), actual=copy, sheet=canonical, count=lines,
                shown=f"（「{grid.sheet}」在{program_named(grid)}中是隱藏的）" if grid.sheet_hidden else ""))
    for required in (SHEET_AGENCY, SHEET_EXPENSES):
        if required not in grids:
            problems.append(make_finding("missing-sheet", None, sheet=required))
    agency = read_agency(grids[SHEET_AGENCY], findings, problems) if SHEET_AGENCY in grids else None
    expenses: list[ExpenseItem] = []
    if SHEET_EXPENSES in grids:
        before = len(problems)
        expenses = read_expenses(grids[SHEET_EXPENSES], findings, problems)
        no_lines = not expenses and len(problems) == before
    revenues = read_revenues(grids[SHEET_REVENUES], findings, problems) if SHEET_REVENUES in grids else []
    if SHEET_EXPENSES in grids and no_lines:
        # a book of 歲入 only is what it is, its 歲出 tables 0 (said: revenue-only); with neither, nothing is filled in
        if revenues:
            findings.append(make_finding("revenue-only", grids[SHEET_EXPENSES].ref(1, 0), count=len(revenues)))
        else:
            problems.append(make_finding("required-missing", grids[SHEET_EXPENSES].ref(1, 0),
                                         what=f"{NO_LINES}；每列須填 {'、'.join(EXPENSE_REQUIRED)}，"))
    prior = (read_prior(grids[SHEET_PRIOR], problems, findings, prior_side(expenses, revenues))
             if SHEET_PRIOR in grids else [])
    refuse_prior_totals(prior, {i.plan_code for i in expenses}, {i.code for i in revenues}, problems)
    if any(f.rule == "revenue-name-contradicts-levels" for f in findings):  # whose name it is: now all are read
        findings[:] = [_owner_named(f, revenues, prior) for f in findings]
    plan_names = {i.plan_code: i.plan_name for i in expenses}
    # the codes a keyed row may name: known only when every line of 歲出明細 (and 歲入明細) was read
    plans_read = not any(p.cell and p.cell.sheet == SHEET_EXPENSES for p in problems) and bool(expenses)
    lines_read = (plans_read and SHEET_REVENUES in grids  # without 歲入明細, a 歲入 說明提要 would look unknown
                  and not any(p.cell and p.cell.sheet == SHEET_REVENUES for p in problems))
    notes = (read_notes(grids[SHEET_NOTES], problems,
                        {**plan_names, **{i.code: i.name for i in revenues}} if lines_read else None)
             if SHEET_NOTES in grids else [])
    salary_plans = sorted({i.plan_code for i in expenses if i.object_code == "1020"}) or sorted(plan_names)
    staff_costs = (read_staff_costs(grids[SHEET_STAFF_COSTS], problems, findings)
                   if SHEET_STAFF_COSTS in grids else [])
    contract = (read_contract_staff(grids[SHEET_CONTRACT], problems, sorted(plan_names) if plans_read else None,
                                    salary_plans, findings)
                if SHEET_CONTRACT in grids else [])
    trips = read_trips(grids[SHEET_TRIPS], problems, plan_names, findings, plans_read) if SHEET_TRIPS in grids else []
    staffing = read_staffing(grids[SHEET_STAFFING], problems, findings) if SHEET_STAFFING in grids else []
    narrative = read_narrative(grids[SHEET_NARRATIVE], problems) if SHEET_NARRATIVE in grids else []
    extra = _read_extra_tables(grids, findings, problems, sorted(plan_names))
    tables = (expenses, revenues, prior, notes, staff_costs, contract, trips, staffing, *extra.values())
    findings += hidden_lines(grids, *tables) + hidden_column_cells(grids, *tables) + unseen_cells(grids, *tables)
    problems += struck_lines(grids, *tables) + unit_format_cells(grids, *tables)
    problems, findings = named_as_error_values(errors, problems, findings)
    if problems or agency is None:
        raise InputError(problems, source, book_order)
    agency = _kind_told(agency, grids[SHEET_AGENCY], narrative, source, findings)
    revenue_codes = {i.code for i in revenues}
    book = BudgetBook(
        agency=agency,
        expenses=tuple(expenses),
        revenues=tuple(revenues),
        prior=tuple(prior),
        plan_notes=tuple(n for n in notes if n.plan_code not in revenue_codes),
        revenue_notes=tuple(n for n in notes if n.plan_code in revenue_codes),
        staff_costs=tuple(staff_costs),
        contract_staff=tuple(contract),
        trips=tuple(trips),
        staffing=tuple(staffing),
        narrative=tuple(narrative),
        source=source,
        sheets=frozenset(grids),
        **extra,
    )
    return book, findings
