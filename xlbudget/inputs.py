"""The input template as a contract: sheet names, headers, and grid → model.

Pure: an adapter (openpyxl file, xlwings book) hands over each input sheet as
a ``Grid`` of cell values; this module turns grids into a ``BudgetBook`` and
remembers, for every value, the cell it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import codes
from .amounts import NotANumber, parse_int, parse_quantity
from .errors import InputError
from .findings import Finding, item_product_finding, make_finding
from .model import (Agency, BudgetBook, CellRef, ContractGroup, ExpenseItem, Paragraph, PlanNote, PriorYear,
                    RevenueItem, StaffCost, Staffing, Trip)

SHEET_EXPENSES = "歲出明細"
SHEET_REVENUES = "歲入明細"
SHEET_PRIOR = "以前年度"
SHEET_AGENCY = "基本資料"
SHEET_NOTES = "說明提要"
SHEET_HELP = "說明"
SHEET_STAFF_COSTS = "人事費"
SHEET_CONTRACT = "約聘僱"
SHEET_TRIPS = "出國計畫"
SHEET_STAFFING = "員額"
SHEET_NARRATIVE = "總說明"

EXPENSE_HEADERS = ("工作計畫編號", "工作計畫名稱", "分支計畫", "用途別科目", "單位", "數量", "單價",
                   "預算數", "收支併列數", "經資門", "經濟性分類", "說明")
EXPENSE_OPTIONAL = ("業務計畫編號", "業務計畫名稱", "標記")
EXPENSE_REQUIRED = ("工作計畫編號", "工作計畫名稱", "用途別科目", "預算數")

REVENUE_HEADERS = ("科目編號", "科目名稱", "款", "項", "目", "節", "單位", "數量", "單價", "預算數",
                   "收支併列", "說明")
REVENUE_OPTIONAL = ("經資門",)
REVENUE_REQUIRED = ("科目編號", "科目名稱", "預算數")

PRIOR_HEADERS = ("科目編號", "科目名稱", "上年度預算數", "前年度決算數")
PRIOR_OPTIONAL = ("款", "項", "目", "節", "說明")
PRIOR_YEAR_KEYS = ("前年度歲出預算數", "前年度歲入預算數")  # 基本資料 entries, 千元, for 預算總說明
PRIOR_REQUIRED = ("科目編號", "上年度預算數", "前年度決算數")

AGENCY_HEADERS = ("項目", "內容")
AGENCY_KEYS = ("機關名稱", "機關編號", "年度", "主管機關", "職能別")
AGENCY_OPTIONAL_KEYS = ("主管機關編號", "歲出款", "歲出項", "政事別名稱", "前年度歲出預算數", "前年度歲入預算數", "版式")

NOTES_HEADERS = ("編號", "承辦單位", "說明提要")

# 人事費彙計表 pay components, in printed order, with the 1000 二級 code each one equals
PAY_COMPONENTS = (("民意代表待遇", "1005"), ("政務人員待遇", "1010"), ("法定編制人員待遇", "1015"),
                  ("約聘僱人員待遇", "1020"), ("技工及工友待遇", "1025"), ("獎金", "1030"), ("其他給與", "1035"),
                  ("加班費", "1040"), ("退休退職給付", "1045"), ("退休離職儲金", "1050"), ("保險", "1055"))
STAFF_COST_HEADERS = ("類別", "預算員額") + tuple(name for name, _ in PAY_COMPONENTS) + ("備註",)
CONTRACT_HEADERS = ("工作計畫編號", "類型", "人數", "月數", "全年度預算數", "說明")
TRIP_HEADERS = ("計畫名稱", "類別", "擬前往國家", "擬拜會機構", "計畫內容", "預計前往期間", "預計天數", "擬派人數",
                "交通費", "生活費", "辦公費", "歸屬預算科目", "工作計畫編號", "前3年內有無赴同一機構拜會",
                "如有,說明其內容", "年度")
STAFFING_HEADERS = ("類別", "法定編制員額", "本年度預算員額", "上年度預算員額")
NARRATIVE_HEADERS = ("段落",)

SHEET_VEHICLES = "公務車輛"  # 公務車輛明細表 (headers and reader in vehicles.py)
SHEET_TRANSFERS = "轉帳收支"  # 轉帳收支對照表 (headers and reader in transfers.py)
SHEET_STAFF_ANALYSIS = "人事費分析"  # 人事費分析表 (headers and reader in staff_analysis.py)
SHEET_FUNDING = "分年資金需求"  # 繼續性／新興計畫分年資金需求表 (headers and reader in funding.py)

INPUT_SHEETS = (SHEET_AGENCY, SHEET_EXPENSES, SHEET_REVENUES, SHEET_PRIOR, SHEET_NOTES, SHEET_STAFF_COSTS,
                SHEET_CONTRACT, SHEET_TRIPS, SHEET_STAFFING, SHEET_NARRATIVE, SHEET_VEHICLES, SHEET_TRANSFERS,
                SHEET_STAFF_ANALYSIS, SHEET_FUNDING)


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Grid:
    """A block of cell values as read from a sheet; ``rows[0]`` is the header row."""

    sheet: str
    rows: list[list[object]]
    top: int = 1  # sheet row of rows[0]
    left: int = 1  # sheet column of rows[0][0]
    file: str | None = None

    def ref(self, r: int, c: int) -> CellRef:
        """The CellRef of rows[r][c]."""
        return CellRef(self.sheet, f"{column_letter(self.left + c)}{self.top + r}", self.file)


def _norm(text: object) -> str:
    return re.sub(r"[\s\u3000]+", "", str(text or ""))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


HEADER_SEARCH_ROWS = 10


def _from_header_row(grid: Grid, required: tuple[str, ...]) -> Grid:
    """The grid from its header row: row 1 as the contract says, or the first of the top rows holding
    every required header (a sheet with a title line above its table, read without its Excel Table)."""
    for r, row in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        names = {_norm(v) for v in row}
        if all(h in names for h in required):
            return grid if r == 0 else Grid(grid.sheet, grid.rows[r:], grid.top + r, grid.left, grid.file)
    return grid


@dataclass
class _Reader:
    """Walks a grid's data rows by header name, collecting problems and findings."""

    grid: Grid
    headers: tuple[str, ...]
    required: tuple[str, ...]
    problems: list[str]
    columns: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        self.grid = _from_header_row(self.grid, self.required)
        header = self.grid.rows[0] if self.grid.rows else []
        seen = {}
        for c, value in enumerate(header):
            name = _norm(value)
            if name and name not in seen:
                seen[name] = c
        self.columns = {h: seen[h] for h in self.headers if h in seen}
        missing = [h for h in self.required if h not in self.columns]
        if missing:
            where = f"{self.grid.sheet}!{column_letter(self.grid.left)}{self.grid.top}"
            raise InputError(
                [f"{where} 工作表「{self.grid.sheet}」第 {self.grid.top} 列的標題缺少欄位：{'、'.join(missing)}"
                 f"（應有：{'、'.join(self.required)}）"], self.grid.file)

    def data_rows(self):
        """(row index, row values) of every non-blank data row."""
        for r, row in enumerate(self.grid.rows[1:], start=1):
            if any(_text(v) for v in row):
                yield r, row

    def value(self, row: list[object], name: str) -> object:
        c = self.columns.get(name)
        if c is None or c >= len(row):
            return None
        return row[c]

    def text(self, row, name) -> str:
        return _text(self.value(row, name))

    def ref(self, r: int, name: str) -> CellRef:
        return self.grid.ref(r, self.columns.get(name, 0))

    def cells(self, r: int) -> dict[str, CellRef]:
        return {name: self.grid.ref(r, c) for name, c in self.columns.items()}

    def integer(self, r, row, name, *, quantity=False) -> int | None:
        raw = self.value(row, name)
        try:
            return parse_quantity(raw) if quantity else parse_int(raw)
        except NotANumber:
            self.problems.append(f"{self.ref(r, name)} 「{name}」應為整數，此處為「{_text(raw)}」")
            return None


_CODE11 = re.compile(r"^\d{11}$")
_OBJECT = re.compile(r"^\s*(\d{4})(?:00)?\s*(.*)$")
_NUMBERED = re.compile(r"^\s*(\d+)\s*(.*)$")


def _code11(text: str) -> str:
    return text.replace(" ", "").replace("-", "")


def read_expenses(grid: Grid, findings: list[Finding], problems: list[str]) -> list[ExpenseItem]:
    """歲出明細 → expense items (元)."""
    reader = _Reader(grid, EXPENSE_HEADERS + EXPENSE_OPTIONAL, EXPENSE_REQUIRED, problems)
    table = codes.object_codes()
    items = []
    for r, row in reader.data_rows():
        cells = reader.cells(r)
        plan = _code11(reader.text(row, "工作計畫編號"))
        if not _CODE11.match(plan):
            problems.append(f"{reader.ref(r, '工作計畫編號')} 工作計畫編號應為 11 位數字，此處為「{plan}」")
            continue
        plan_name = reader.text(row, "工作計畫名稱").replace("—", "-").replace("－", "-")
        if not plan_name:
            problems.append(f"{reader.ref(r, '工作計畫名稱')} 工作計畫名稱空白")
        m = _OBJECT.match(reader.text(row, "用途別科目"))
        if not m:
            problems.append(f"{reader.ref(r, '用途別科目')} 用途別科目應為 4 位數代碼（如 2018），"
                            f"此處為「{reader.text(row, '用途別科目')}」")
            continue
        code, typed_name = m.group(1), m.group(2).strip()
        entry = table.get(code)
        level1 = table.get(codes.level1_of(code))
        if level1 is None or level1.level != 1 or code == level1.code:
            problems.append(f"{reader.ref(r, '用途別科目')} 用途別科目「{code}」不是有效的二級科目代碼")
            continue
        if entry is None:
            findings.append(make_finding("unknown-object-code", reader.ref(r, "用途別科目"), code=code,
                                         actual=code))
        elif typed_name and typed_name not in entry.names:
            findings.append(make_finding("object-name-mismatch", reader.ref(r, "用途別科目"), code=code,
                                         expected=entry.name, actual=typed_name))
        quantity_raw = reader.value(row, "數量")
        quantity = reader.integer(r, row, "數量", quantity=True)
        price = reader.integer(r, row, "單價")
        amount = reader.integer(r, row, "預算數")
        matched = reader.integer(r, row, "收支併列數") or 0
        if amount is None:
            if quantity is not None and price is not None:
                amount = quantity * price
            else:
                problems.append(f"{reader.ref(r, '預算數')} 預算數空白")
                continue
        elif (f := item_product_finding(quantity, price, amount, reader.ref(r, "預算數"), reader.ref(r, "數量"),
                                        reader.ref(r, "單價"), _text(quantity_raw))) is not None:
            findings.append(f)
        if matched and abs(matched) > abs(amount):
            findings.append(make_finding("matched-exceeds-amount", reader.ref(r, "收支併列數"),
                                         expected=amount, actual=matched))
        basis = _basis(reader, r, row, code, entry or level1, findings, problems)
        econ = _econ(reader, r, row, code, entry or level1, basis, findings)
        items.append(ExpenseItem(
            plan_code=plan,
            plan_name=plan_name,
            branch=reader.text(row, "分支計畫").replace(" ", "").replace("\u3000", ""),
            object_code=code,
            unit=reader.text(row, "單位"),
            quantity=quantity_raw if isinstance(quantity_raw, str) and quantity_raw.strip() else quantity,
            unit_price=price,
            amount=amount,
            matched=matched,
            basis=basis,
            econ=econ,
            note=reader.text(row, "說明"),
            program_code=_code11(reader.text(row, "業務計畫編號")),
            program_name=reader.text(row, "業務計畫名稱"),
            tags=tuple(t for t in re.split(r"[、,，;；\s]+", reader.text(row, "標記")) if t),
            cells=cells,
        ))
    return items


def _basis(reader, r, row, code, entry, findings, problems) -> str:
    typed = reader.text(row, "經資門").replace("門", "")
    if typed and typed not in (codes.CURRENT, codes.CAPITAL):
        problems.append(f"{reader.ref(r, '經資門')} 經資門應為「經常」或「資本」，此處為「{typed}」")
        typed = ""
    fixed = entry.fixed_basis
    if fixed and typed and typed != fixed:
        findings.append(make_finding("basis-not-allowed", reader.ref(r, "經資門"), code=code, name=entry.name,
                                     expected=fixed, actual=typed))
        return fixed
    return typed or fixed or codes.CURRENT


def _econ(reader, r, row, code, entry, basis, findings) -> str:
    default = entry.econ_default or codes.object_codes()[codes.level1_of(code)].econ_default
    typed = reader.text(row, "經濟性分類")
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


def _numbered(text: str) -> tuple[str, str]:
    """'06補助及協助收入' → ('06', '補助及協助收入'); '06' → ('06', '')."""
    m = _NUMBERED.match(text)
    return (m.group(1), m.group(2).strip()) if m else ("", text.strip())


def _levels(reader, row) -> tuple[tuple[str, str, str, str], tuple[str, str, str, str]]:
    pairs = [_numbered(reader.text(row, k)) for k in ("款", "項", "目", "節")]
    return tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)  # type: ignore[return-value]


def read_revenues(grid: Grid, findings: list[Finding], problems: list[str]) -> list[RevenueItem]:
    """歲入明細 → revenue items (元)."""
    reader = _Reader(grid, REVENUE_HEADERS + REVENUE_OPTIONAL, REVENUE_REQUIRED, problems)
    items = []
    for r, row in reader.data_rows():
        code = _code11(reader.text(row, "科目編號"))
        if not _CODE11.match(code):
            problems.append(f"{reader.ref(r, '科目編號')} 歲入科目編號應為 11 位數字，此處為「{code}」")
            continue
        numbers, names = _levels(reader, row)
        quantity_raw = reader.value(row, "數量")
        quantity = reader.integer(r, row, "數量", quantity=True)
        price = reader.integer(r, row, "單價")
        amount = reader.integer(r, row, "預算數")
        if amount is None:
            if quantity is not None and price is not None:
                amount = quantity * price
            else:
                problems.append(f"{reader.ref(r, '預算數')} 預算數空白")
                continue
        elif (f := item_product_finding(quantity, price, amount, reader.ref(r, "預算數"), reader.ref(r, "數量"),
                                        reader.ref(r, "單價"), _text(quantity_raw))) is not None:
            findings.append(f)
        flag = reader.text(row, "收支併列")
        basis = reader.text(row, "經資門").replace("門", "") or codes.CURRENT
        items.append(RevenueItem(
            code=code,
            name=reader.text(row, "科目名稱").replace("—", "-"),
            numbers=numbers,
            level_names=names,
            unit=reader.text(row, "單位"),
            quantity=quantity_raw if isinstance(quantity_raw, str) and quantity_raw.strip() else quantity,
            unit_price=price,
            amount=amount,
            matched=flag not in ("", "0", "否", "N", "n", "False", "FALSE"),
            basis=basis if basis in (codes.CURRENT, codes.CAPITAL) else codes.CURRENT,
            note=reader.text(row, "說明"),
            cells=reader.cells(r),
        ))
    return items


def read_prior(grid: Grid, problems: list[str]) -> list[PriorYear]:
    """以前年度 → prior-year figures (千元)."""
    reader = _Reader(grid, PRIOR_HEADERS + PRIOR_OPTIONAL, PRIOR_REQUIRED, problems)
    lines = []
    for r, row in reader.data_rows():
        code = _code11(reader.text(row, "科目編號"))
        if not _CODE11.match(code):
            problems.append(f"{reader.ref(r, '科目編號')} 科目編號應為 11 位數字，此處為「{code}」")
            continue
        numbers, names = _levels(reader, row)
        lines.append(PriorYear(
            code=code,
            name=reader.text(row, "科目名稱"),
            last_budget=reader.integer(r, row, "上年度預算數"),
            prior_final=reader.integer(r, row, "前年度決算數"),
            note=reader.text(row, "說明"),
            numbers=numbers,
            level_names=names,
            cells=reader.cells(r),
        ))
    return lines


def read_agency(grid: Grid, findings: list[Finding], problems: list[str]) -> Agency:
    """基本資料 (項目 | 內容) → Agency."""
    reader = _Reader(grid, AGENCY_HEADERS, AGENCY_HEADERS, problems)
    values: dict[str, str] = {}
    where: dict[str, CellRef] = {}
    for r, row in reader.data_rows():
        key = _norm(reader.text(row, "項目"))
        values[key] = reader.text(row, "內容")
        where[key] = reader.ref(r, "內容")
    first = CellRef(grid.sheet, f"{column_letter(grid.left + 1)}{grid.top + 1}", grid.file)
    for key in ("機關名稱", "年度", "職能別"):
        if not values.get(key):
            problems.append(f"{where.get(key, first)} 基本資料缺少「{key}」")
    year_text = re.sub(r"[^\d]", "", values.get("年度", "").translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    year = int(year_text) if year_text else 0
    if values.get("年度") and not (50 <= year <= 300):
        problems.append(f"{where['年度']} 年度應為民國年（如 113），此處為「{values['年度']}」")
    function = _function_code(values.get("職能別", ""))
    if values.get("職能別") and function is None:
        problems.append(f"{where['職能別']} 職能別「{values['職能別']}」不在 01～15 之中")
    return Agency(
        name=values.get("機關名稱", ""),
        code=values.get("機關編號", ""),
        year=year,
        authority=values.get("主管機關", ""),
        function=function or "",
        extra={k: v for k, v in values.items() if k not in AGENCY_KEYS},
    )


def _function_code(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    table = codes.functions()
    number, name = _numbered(text)
    if number:
        number = number.zfill(2)
        return number if number in table else None
    for code, fname in table.items():
        if fname == name:
            return code
    return None


def read_notes(grid: Grid, problems: list[str]) -> list[PlanNote]:
    """說明提要 (編號 | 承辦單位 | 說明提要) → notes for plans and revenue codes."""
    reader = _Reader(grid, NOTES_HEADERS, ("編號",), problems)
    return [PlanNote(_code11(reader.text(row, "編號")), reader.text(row, "承辦單位"), reader.text(row, "說明提要"))
            for r, row in reader.data_rows()]


def read_staff_costs(grid: Grid, problems: list[str]) -> list[StaffCost]:
    """人事費 → one StaffCost per staff class (元)."""
    reader = _Reader(grid, STAFF_COST_HEADERS, ("類別",), problems)
    rows = []
    for r, row in reader.data_rows():
        components = {}
        for name, _ in PAY_COMPONENTS:
            value = reader.integer(r, row, name)
            if value is not None:
                components[name] = value
        rows.append(StaffCost(reader.text(row, "類別"), reader.integer(r, row, "預算員額"), components,
                              reader.text(row, "備註"), reader.cells(r)))
    return rows


def read_contract_staff(grid: Grid, problems: list[str], plans: list[str]) -> list[ContractGroup]:
    """約聘僱 → groups (元). 工作計畫編號 may be left empty when the book has one plan paying 1020."""
    reader = _Reader(grid, CONTRACT_HEADERS, ("類型", "人數", "月數", "全年度預算數"), problems)
    groups = []
    for r, row in reader.data_rows():
        plan = _code11(reader.text(row, "工作計畫編號"))
        if not plan and len(plans) == 1:
            plan = plans[0]
        if not _CODE11.match(plan):
            problems.append(f"{reader.ref(r, '工作計畫編號')} 請填 11 位數的工作計畫編號（此列的約聘僱人員由哪個工作計畫支應）")
            continue
        kind = reader.text(row, "類型").replace("人員", "")
        if kind not in ("約聘", "約僱"):
            problems.append(f"{reader.ref(r, '類型')} 類型應為「約聘」或「約僱」，此處為「{kind}」")
            continue
        values = [reader.integer(r, row, h) for h in ("人數", "月數", "全年度預算數")]
        if None in values:
            for h, v in zip(("人數", "月數", "全年度預算數"), values):
                if v is None and not reader.text(row, h):
                    problems.append(f"{reader.ref(r, h)} 「{h}」空白")
            continue
        groups.append(ContractGroup(plan, kind, values[0], values[1], values[2], reader.text(row, "說明"),
                                    reader.cells(r)))
    return groups


def read_trips(grid: Grid, problems: list[str], plans: dict[str, str]) -> list[Trip]:
    """出國計畫 → trips (元). ``plans`` maps 工作計畫編號 → 工作計畫名稱 to fill either from the other."""
    reader = _Reader(grid, TRIP_HEADERS, ("計畫名稱", "類別", "交通費", "生活費", "辦公費"), problems)
    by_name = {name: code for code, name in plans.items()}
    trips = []
    for r, row in reader.data_rows():
        account = reader.text(row, "歸屬預算科目").replace("—", "-").replace("－", "-")
        plan = _code11(reader.text(row, "工作計畫編號")) or by_name.get(account, "")
        if not plan and len(plans) == 1:
            plan = next(iter(plans))
        if not _CODE11.match(plan):
            problems.append(f"{reader.ref(r, '歸屬預算科目')} 找不到歸屬的工作計畫「{account}」；"
                            "請填工作計畫編號，或寫成與歲出明細相同的工作計畫名稱")
            continue
        money = [reader.integer(r, row, h) for h in ("交通費", "生活費", "辦公費")]
        trips.append(Trip(
            name=reader.text(row, "計畫名稱"), category=reader.text(row, "類別"),
            country=reader.text(row, "擬前往國家"), institution=reader.text(row, "擬拜會機構"),
            content=reader.text(row, "計畫內容"), period=reader.text(row, "預計前往期間"),
            days=reader.integer(r, row, "預計天數"), persons=reader.integer(r, row, "擬派人數"),
            transport=money[0] or 0, living=money[1] or 0, office=money[2] or 0,
            account=account or plans.get(plan, ""), plan_code=plan,
            visited=reader.text(row, "前3年內有無赴同一機構拜會"), visited_note=reader.text(row, "如有,說明其內容"),
            last_year=reader.text(row, "年度") == "上年度", cells=reader.cells(r)))
    return trips


def read_staffing(grid: Grid, problems: list[str]) -> list[Staffing]:
    """員額 → rows of 員額編制表 (persons)."""
    reader = _Reader(grid, STAFFING_HEADERS, STAFFING_HEADERS, problems)
    return [Staffing(reader.text(row, "類別"), reader.integer(r, row, "法定編制員額"),
                     reader.integer(r, row, "本年度預算員額"), reader.integer(r, row, "上年度預算員額"),
                     reader.cells(r))
            for r, row in reader.data_rows()]


def read_narrative(grid: Grid, problems: list[str]) -> list[Paragraph]:
    """總說明 → the officer's paragraphs (column 段落), each with its cell."""
    reader = _Reader(grid, NARRATIVE_HEADERS, NARRATIVE_HEADERS, problems)
    return [Paragraph(reader.text(row, "段落"), reader.ref(r, "段落"))
            for r, row in reader.data_rows() if reader.text(row, "段落")]


def _read_extra_tables(grids: dict[str, Grid], findings: list[Finding], problems: list[str], plans: list[str]):
    """The input sheets of the tables added in issue 14, each read by its own module (公務車輛 → vehicles,
    轉帳收支 → transfers, 人事費分析 → staff_analysis, 分年資金需求 → funding): {BudgetBook field: records}."""
    from .funding import read_funding  # these build on this module's reader
    from .staff_analysis import read_staff_analysis
    from .transfers import read_transfers
    from .vehicles import read_vehicles

    return {"vehicles": tuple(read_vehicles(grids[SHEET_VEHICLES], findings, problems, plans)
                              if SHEET_VEHICLES in grids else ()),
            "transfers": tuple(read_transfers(grids[SHEET_TRANSFERS], problems, plans)
                               if SHEET_TRANSFERS in grids else ()),
            "staff_analysis": tuple(read_staff_analysis(grids[SHEET_STAFF_ANALYSIS], problems, plans)
                                    if SHEET_STAFF_ANALYSIS in grids else ()),
            "funding": tuple(read_funding(grids[SHEET_FUNDING], problems, plans) if SHEET_FUNDING in grids else ())}


def read_book(grids: dict[str, Grid], source: str | None = None) -> tuple[BudgetBook, list[Finding]]:
    """Input sheets → (BudgetBook, findings from reading).

    Raises InputError naming every bad cell when the book cannot be read.
    """
    problems: list[str] = []
    findings: list[Finding] = []
    for required in (SHEET_AGENCY, SHEET_EXPENSES):
        if required not in grids:
            raise InputError([f"找不到工作表「{required}」；請以 xlbudget new 產生的範本輸入，"
                              f"或新增此工作表（標題列見「{SHEET_HELP}」工作表）"], source)
    agency = read_agency(grids[SHEET_AGENCY], findings, problems)
    expenses = read_expenses(grids[SHEET_EXPENSES], findings, problems)
    revenues = read_revenues(grids[SHEET_REVENUES], findings, problems) if SHEET_REVENUES in grids else []
    prior = read_prior(grids[SHEET_PRIOR], problems) if SHEET_PRIOR in grids else []
    notes = read_notes(grids[SHEET_NOTES], problems) if SHEET_NOTES in grids else []
    plan_names = {i.plan_code: i.plan_name for i in expenses}
    salary_plans = sorted({i.plan_code for i in expenses if i.object_code == "1020"}) or sorted(plan_names)
    staff_costs = read_staff_costs(grids[SHEET_STAFF_COSTS], problems) if SHEET_STAFF_COSTS in grids else []
    contract = (read_contract_staff(grids[SHEET_CONTRACT], problems, salary_plans)
                if SHEET_CONTRACT in grids else [])
    trips = read_trips(grids[SHEET_TRIPS], problems, plan_names) if SHEET_TRIPS in grids else []
    staffing = read_staffing(grids[SHEET_STAFFING], problems) if SHEET_STAFFING in grids else []
    narrative = read_narrative(grids[SHEET_NARRATIVE], problems) if SHEET_NARRATIVE in grids else []
    extra = _read_extra_tables(grids, findings, problems, sorted(plan_names))
    if not expenses and not problems:
        problems.append(f"{grids[SHEET_EXPENSES].ref(1, 0)} 工作表「{SHEET_EXPENSES}」沒有任何明細資料")
    if problems:
        raise InputError(problems, source)
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
        **extra,
    )
    return book, findings
