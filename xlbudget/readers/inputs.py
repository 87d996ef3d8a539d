"""The input template as a contract: sheet names, headers, and grid → model.

Pure: an adapter (openpyxl file, xlwings book) hands over each input sheet as
a ``Grid`` of cell values; this module turns grids into a ``BudgetBook`` and
remembers, for every value, the cell it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xlbudget.core import codes
from xlbudget.core.amounts import NotANumber, parse_int, parse_quantity
from xlbudget.core.errors import InputError
from xlbudget.core.findings import Finding, item_product_finding, make_finding
from xlbudget.core.keys import branch_key, code_key, compact_key, normalize_key
from xlbudget.core.model import (Agency, BudgetBook, CellRef, ContractGroup, ExpenseItem, Paragraph, PlanNote, PriorYear,
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
PAGE_FORMAT_KEY = "頁碼格式"  # the page number xlbudget pdf prints, N standing for the number (第 N 頁, 02004 - N)
AGENCY_OPTIONAL_KEYS = ("主管機關編號", "歲出款", "歲出項", "政事別名稱", "前年度歲出預算數", "前年度歲入預算數", "版式",
                        PAGE_FORMAT_KEY)

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
SHEET_WHITEPAPER = "市政白皮書"  # 市政白皮書計畫項目預算編列情形表 (headers and reader in whitepaper.py)
SHEET_COST_SHARES = "費用分攤"  # 各項費用分攤表 (headers and reader in cost_shares.py)

INPUT_SHEETS = (SHEET_AGENCY, SHEET_EXPENSES, SHEET_REVENUES, SHEET_PRIOR, SHEET_NOTES, SHEET_STAFF_COSTS,
                SHEET_CONTRACT, SHEET_TRIPS, SHEET_STAFFING, SHEET_NARRATIVE, SHEET_VEHICLES, SHEET_TRANSFERS,
                SHEET_STAFF_ANALYSIS, SHEET_FUNDING, SHEET_WHITEPAPER, SHEET_COST_SHARES)


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
    totals: frozenset[int] = frozenset()  # indices of rows that are an Excel Table's totals row

    def ref(self, r: int, c: int) -> CellRef:
        """The CellRef of rows[r][c]."""
        return CellRef(self.sheet, f"{column_letter(self.left + c)}{self.top + r}", self.file)


def _norm(text: object) -> str:
    return compact_key(text)


def input_sheet_names(names) -> dict[str, str]:
    """Input sheet → the book's sheet holding it, matched as keys are (``歲出明細 `` is 歲出明細).

    Raises InputError when two sheets of the book are the same input sheet.
    """
    found: dict[str, str] = {}
    for name in names:
        key = compact_key(name)
        canonical = next((s for s in INPUT_SHEETS if s == key), None)
        if canonical is None:
            continue
        if canonical in found:
            raise InputError([f"工作表「{found[canonical]}」與「{name}」都是「{canonical}」（名稱只差空白或全形字），"
                              "請刪除或改名其中一個"])
        found[canonical] = name
    return found


def table_grid(sheet: str, rows: list[list[object]], top: int, left: int, file: str | None,
               ref: str | None = None, totals_count: int = 0) -> Grid:
    """A sheet's input block: the Excel Table at ``ref`` (an A1 range) when it has one, else every row given.

    ``rows`` start at sheet row ``top`` and column ``left``; the table's last
    ``totals_count`` rows are its totals row, kept apart from the items.
    """
    if not ref:
        return Grid(sheet, rows, top, left, file)
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)", ref.upper())
    if not m:
        return Grid(sheet, rows, top, left, file)
    c1, r1, c2, r2 = _column_number(m.group(1)), int(m.group(2)), _column_number(m.group(3)), int(m.group(4))
    block = [list(row[c1 - left:c2 - left + 1]) for row in rows[r1 - top:r2 - top + 1]]
    block += [[] for _ in range(r2 - r1 + 1 - len(block))]  # trailing empty rows of the table
    totals = frozenset(range(len(block) - totals_count, len(block))) if totals_count else frozenset()
    return Grid(sheet, block, r1, c1, file, totals)


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


HEADER_SEARCH_ROWS = 10
# the headers each input sheet must have (its header row is the first of the top rows naming them all)
REQUIRED_HEADERS = {
    SHEET_AGENCY: AGENCY_HEADERS, SHEET_EXPENSES: EXPENSE_REQUIRED, SHEET_REVENUES: REVENUE_REQUIRED,
    SHEET_PRIOR: PRIOR_REQUIRED, SHEET_NOTES: ("編號",), SHEET_STAFF_COSTS: ("類別",),
    SHEET_CONTRACT: ("類型", "人數", "月數", "全年度預算數"), SHEET_TRIPS: ("計畫名稱", "類別", "交通費", "生活費", "辦公費"),
    SHEET_STAFFING: STAFFING_HEADERS, SHEET_NARRATIVE: NARRATIVE_HEADERS,
}


def header_block(sheet: str, grid: Grid, headers=()) -> Grid:
    """``grid`` from its header row, found as every reader finds it (a title line or two may sit above).

    ``sheet`` is the input sheet; for one whose reader lives elsewhere, the
    first two of ``headers`` (its template's) must be on the header row.
    """
    return _from_header_row(grid, REQUIRED_HEADERS.get(sheet) or tuple(h for h in headers if h)[:2])


def _from_header_row(grid: Grid, required: tuple[str, ...]) -> Grid:
    """The grid from its header row: row 1 as the contract says, or the first of the top rows holding
    every required header (a sheet with a title line above its table, read without its Excel Table)."""
    for r, row in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        names = {_norm(v) for v in row}
        if all(h in names for h in required):
            if r == 0:
                return grid
            return Grid(grid.sheet, grid.rows[r:], grid.top + r, grid.left, grid.file,
                        frozenset(t - r for t in grid.totals if t >= r))
    return grid


TOTAL_WORDS = frozenset({"合計", "小計", "總計", "總合計", "合計數", "total", "subtotal", "grandtotal"})
SUBTOTAL_WORDS = frozenset({"小計", "subtotal"})


def _total_word(value: object) -> str:
    """合計/小計/總計… when a label says so (「合　計」, 「合計：」, 「小計（一般行政）」, Total); '' otherwise."""
    text = compact_key(value).casefold() if isinstance(value, str) else ""
    return next((w for w in sorted(TOTAL_WORDS, key=len, reverse=True) if text.startswith(w)), "")


@dataclass
class _Reader:
    """Walks a grid's data rows by header name, collecting problems and findings."""

    grid: Grid
    headers: tuple[str, ...]
    required: tuple[str, ...]
    problems: list[Finding]
    key: str | None = None  # the column naming an item (工作計畫編號…): a row typed 合計 there is not an item
    columns: dict[str, int] = field(default_factory=dict)
    ok: bool = True
    parsed: dict[tuple[int, str], int] = field(default_factory=dict)
    total_rows: list[tuple[int, str, list[int]]] = field(default_factory=list)

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
            self.ok = False
            self.problems.append(make_finding(
                "missing-header", self.grid.ref(0, 0), sheet=self.grid.sheet, row=self.grid.top,
                missing="、".join(missing), required="、".join(self.required)))

    def data_rows(self):
        """(row index, row values) of every non-blank data row that is an item.

        An Excel Table's totals row, and a row whose label is 合計/小計/總計
        (typed by the officer under the items), are kept apart in
        ``total_rows`` with the item rows each one closes (see check_totals).
        """
        if not self.ok:
            return
        items: list[int] = []  # item rows since the last 合計
        since_subtotal: list[int] = []
        pending: list[tuple[int, str, list[int]]] = []  # totals above their items (a 合計 typed first)
        for r, row in enumerate(self.grid.rows[1:], start=1):
            if not any(_text(v) for v in row):
                continue
            word = self._total_label(r, row)
            if word:
                closes = since_subtotal if word in SUBTOTAL_WORDS else items
                entry = (r, word, list(closes))
                pending = [entry] if not closes else []
                self.total_rows.append(entry)
                since_subtotal = []
                if word not in SUBTOTAL_WORDS:
                    items = []
                continue
            items.append(r)
            since_subtotal.append(r)
            for _, _, below in pending:
                below.append(r)
            yield r, row

    def _total_label(self, r: int, row: list[object]) -> str:
        """'合計'… when row ``r`` is a totals row rather than an item; '' otherwise."""
        if r in self.grid.totals:
            return "合計"
        if self.key is None:
            return ""
        key = self.value(row, self.key)
        if key not in (None, "") and not _total_word(key):
            return ""
        return next((w for v in row if (w := _total_word(v))), "")

    def check_totals(self, columns: tuple[str, ...], findings: list[Finding]) -> None:
        """Each totals row's ``columns`` against the sum of the item rows it closes (totals-row-mismatch)."""
        for r, word, closes in self.total_rows:
            row = self.grid.rows[r]
            for name in columns:
                if name not in self.columns:
                    continue
                try:
                    actual = parse_int(self.value(row, name))
                except NotANumber:
                    actual = None
                if actual is None or any((i, name) not in self.parsed and self.value(self.grid.rows[i], name)
                                         not in (None, "") for i in closes):
                    continue  # an empty total, or a part that could not be read: nothing to compare
                expected = sum(self.parsed.get((i, name)) or 0 for i in closes)
                if actual != expected:
                    findings.append(make_finding(
                        "totals-row-mismatch", self.ref(r, name), expected=expected, actual=actual,
                        related=tuple(self.ref(i, name) for i in closes[:1] + closes[-1:]),
                        label=word, column=name))

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
        if _is_uncached(raw):
            return None  # named once by read_book (formula-without-value)
        try:
            value = parse_quantity(raw) if quantity else parse_int(raw)
        except NotANumber:
            self.problems.append(make_finding("not-a-number", self.ref(r, name), actual=_text(raw), column=name))
            return None
        if value is not None:
            self.parsed[(r, name)] = value
        return value

    def code(self, row, name, width: int) -> str:
        """A code of ``width`` digits as typed: full-width, spaces, dashes, or a number that lost its zeros."""
        return code_key(self.value(row, name), width)

    def problem(self, rule: str, r: int, name: str, **fields) -> None:
        self.problems.append(make_finding(rule, self.ref(r, name), **fields))

    def plan(self, r: int, row, plans: list[str]) -> str | None:
        """The row's 工作計畫編號 (empty: the book's only plan); None, with a problem, when 歲出明細 has no such plan."""
        plan = _code11(self.text(row, "工作計畫編號"))
        if not plan and len(plans) == 1:
            plan = plans[0]
        if not _CODE11.match(plan) or plan not in plans:
            self.problems.append(f"{self.ref(r, '工作計畫編號')} 工作計畫編號「{plan}」不是歲出明細中的工作計畫")
            return None
        return plan


def _is_uncached(value: object) -> bool:
    from xlbudget.readers.printed import Uncached  # printed reads grids of this module: imported when first needed

    return isinstance(value, Uncached)


_CODE11 = re.compile(r"^\d{11}$")
_OBJECT = re.compile(r"^\s*(\d{4})(?:00)?\s*(.*)$")
_NUMBERED = re.compile(r"^\s*(\d+)\s*(.*)$")


def _code11(text: str) -> str:
    return code_key(text)


def read_expenses(grid: Grid, findings: list[Finding], problems: list[Finding]) -> list[ExpenseItem]:
    """歲出明細 → expense items (元)."""
    reader = _Reader(grid, EXPENSE_HEADERS + EXPENSE_OPTIONAL, EXPENSE_REQUIRED, problems, key="工作計畫編號")
    table = codes.object_codes()
    items = []
    for r, row in reader.data_rows():
        cells = reader.cells(r)
        plan = reader.code(row, "工作計畫編號", 11)
        if not _CODE11.match(plan):
            reader.problem("bad-code", r, "工作計畫編號", column="工作計畫編號", expected="11 位數字",
                           actual=reader.text(row, "工作計畫編號"))
            continue
        plan_name = reader.text(row, "工作計畫名稱").replace("—", "-").replace("－", "-")
        if not plan_name:
            reader.problem("required-missing", r, "工作計畫名稱", what="工作計畫名稱")
        typed_code = normalize_key(reader.value(row, "用途別科目"))
        m = _OBJECT.match(typed_code)
        if not m:
            reader.problem("bad-code", r, "用途別科目", column="用途別科目", expected="4 位數代碼（如 2018）",
                           actual=reader.text(row, "用途別科目"))
            continue
        code, typed_name = m.group(1), compact_key(m.group(2))
        entry = table.get(code)
        level1 = table.get(codes.level1_of(code))
        if level1 is None or level1.level != 1 or code == level1.code or entry is None:
            # like text in an amount: a line under no known 科目 would print as （未列科目）
            reader.problem("unknown-object-code", r, "用途別科目", code=code, actual=code)
            continue
        if typed_name and typed_name not in entry.names:
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
                reader.parsed[(r, "預算數")] = amount
            else:
                if not _is_uncached(reader.value(row, "預算數")):
                    reader.problem("required-missing", r, "預算數", what="預算數")
                continue
        elif (f := item_product_finding(quantity, price, amount, reader.ref(r, "預算數"), reader.ref(r, "數量"),
                                        reader.ref(r, "單價"), _text(quantity_raw))) is not None:
            findings.append(f)
        if matched and abs(matched) > abs(amount):
            findings.append(make_finding("matched-exceeds-amount", reader.ref(r, "收支併列數"),
                                         expected=amount, actual=matched))
        basis = _basis(reader, r, row, code, entry, findings, problems)
        econ = _econ(reader, r, row, code, entry, basis, findings)
        items.append(ExpenseItem(
            plan_code=plan,
            plan_name=plan_name,
            branch="".join(branch_key(reader.value(row, "分支計畫"))),
            object_code=code,
            unit=reader.text(row, "單位"),
            quantity=quantity_raw if isinstance(quantity_raw, str) and quantity_raw.strip() else quantity,
            unit_price=price,
            amount=amount,
            matched=matched,
            basis=basis,
            econ=econ,
            note=reader.text(row, "說明"),
            program_code=reader.code(row, "業務計畫編號", 11),
            program_name=reader.text(row, "業務計畫名稱"),
            tags=tuple(t for t in re.split(r"[、,，;；\s]+", reader.text(row, "標記")) if t),
            cells=cells,
        ))
    reader.check_totals(("預算數", "收支併列數"), findings)
    _check_branches(items, problems)
    return items


def _check_branches(items: list[ExpenseItem], problems: list[Finding]) -> None:
    """Within one plan, one 分支計畫 number with two names, or one name with two numbers, is an input error.

    Otherwise the 明細表 would print two branches (two sub-totals) for what the officer meant as one.
    """
    seen: dict[tuple[str, str, str], tuple[str, CellRef]] = {}  # (plan, 'number'|'name', value) → (branch, cell)
    reported: set[tuple[str, str]] = set()
    for item in items:
        if not item.branch:
            continue
        number, name = branch_key(item.branch)
        cell = item.cells.get("分支計畫")
        for kind, value in (("number", number), ("name", name)):
            if not value:
                continue
            first = seen.setdefault((item.plan_code, kind, value), (item.branch, cell))
            pair = (item.plan_code, "".join(sorted((first[0], item.branch))))
            if first[0] != item.branch and pair not in reported:
                reported.add(pair)
                what = "編號相同而名稱不同" if kind == "number" else "名稱相同而編號不同"
                problems.append(make_finding("branch-conflict", cell, expected=first[0], actual=item.branch,
                                             related=(first[1],) if first[1] else (), plan=item.plan_code,
                                             other=first[1], what=what))


def _basis(reader, r, row, code, entry, findings, problems) -> str:
    typed = compact_key(reader.value(row, "經資門")).replace("門", "")
    if typed and typed not in (codes.CURRENT, codes.CAPITAL):
        reader.problem("input-unreadable", r, "經資門", message=f"經資門應為「經常」或「資本」，此處為「{typed}」")
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
    pairs = [_numbered(normalize_key(reader.text(row, k))) for k in ("款", "項", "目", "節")]
    return tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)  # type: ignore[return-value]


def read_revenues(grid: Grid, findings: list[Finding], problems: list[Finding]) -> list[RevenueItem]:
    """歲入明細 → revenue items (元)."""
    reader = _Reader(grid, REVENUE_HEADERS + REVENUE_OPTIONAL, REVENUE_REQUIRED, problems, key="科目編號")
    items = []
    for r, row in reader.data_rows():
        code = reader.code(row, "科目編號", 11)
        if not _CODE11.match(code):
            reader.problem("bad-code", r, "科目編號", column="歲入科目編號", expected="11 位數字",
                           actual=reader.text(row, "科目編號"))
            continue
        numbers, names = _levels(reader, row)
        quantity_raw = reader.value(row, "數量")
        quantity = reader.integer(r, row, "數量", quantity=True)
        price = reader.integer(r, row, "單價")
        amount = reader.integer(r, row, "預算數")
        if amount is None:
            if quantity is not None and price is not None:
                amount = quantity * price
                reader.parsed[(r, "預算數")] = amount
            else:
                if not _is_uncached(reader.value(row, "預算數")):
                    reader.problem("required-missing", r, "預算數", what="預算數")
                continue
        elif (f := item_product_finding(quantity, price, amount, reader.ref(r, "預算數"), reader.ref(r, "數量"),
                                        reader.ref(r, "單價"), _text(quantity_raw))) is not None:
            findings.append(f)
        flag = compact_key(reader.value(row, "收支併列"))
        basis = compact_key(reader.value(row, "經資門")).replace("門", "") or codes.CURRENT
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
    reader.check_totals(("預算數",), findings)
    return items


def read_prior(grid: Grid, problems: list[Finding]) -> list[PriorYear]:
    """以前年度 → prior-year figures (千元)."""
    reader = _Reader(grid, PRIOR_HEADERS + PRIOR_OPTIONAL, PRIOR_REQUIRED, problems, key="科目編號")
    lines = []
    for r, row in reader.data_rows():
        code = reader.code(row, "科目編號", 11)
        if not _CODE11.match(code):
            reader.problem("bad-code", r, "科目編號", column="科目編號", expected="11 位數字",
                           actual=reader.text(row, "科目編號"))
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


def read_agency(grid: Grid, findings: list[Finding], problems: list[Finding]) -> Agency:
    """基本資料 (項目 | 內容) → Agency. Every 必填 key the 說明 sheet lists (AGENCY_KEYS) must be filled."""
    reader = _Reader(grid, AGENCY_HEADERS, AGENCY_HEADERS, problems)
    values: dict[str, str] = {}
    where: dict[str, CellRef] = {}
    for r, row in reader.data_rows():
        key = _norm(reader.text(row, "項目"))
        values[key] = reader.text(row, "內容")
        where[key] = reader.ref(r, "內容")
    first = CellRef(grid.sheet, f"{column_letter(grid.left + 1)}{grid.top + 1}", grid.file)
    if reader.ok:
        for key in AGENCY_KEYS:
            if not values.get(key):
                problems.append(make_finding("required-missing", where.get(key, first), what=f"基本資料「{key}」"))
    year_text = re.sub(r"[^\d]", "", normalize_key(values.get("年度", "")))
    year = int(year_text) if year_text else 0
    if values.get("年度") and not (50 <= year <= 300):
        problems.append(make_finding("input-unreadable", where["年度"],
                                     message=f"年度應為民國年（如 113），此處為「{values['年度']}」"))
    function = _function_code(normalize_key(values.get("職能別", "")))
    if values.get("職能別") and function is None:
        problems.append(make_finding("input-unreadable", where["職能別"],
                                     message=f"職能別「{values['職能別']}」不在 01～15 之中"))
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


def read_notes(grid: Grid, problems: list[Finding]) -> list[PlanNote]:
    """說明提要 (編號 | 承辦單位 | 說明提要) → notes for plans and revenue codes."""
    reader = _Reader(grid, NOTES_HEADERS, REQUIRED_HEADERS[SHEET_NOTES], problems)
    return [PlanNote(reader.code(row, "編號", 11), reader.text(row, "承辦單位"), reader.text(row, "說明提要"))
            for r, row in reader.data_rows()]


def read_staff_costs(grid: Grid, problems: list[Finding], findings: list[Finding] | None = None) -> list[StaffCost]:
    """人事費 → one StaffCost per staff class (元); a 合計 row typed under the classes is checked, not read."""
    reader = _Reader(grid, STAFF_COST_HEADERS, REQUIRED_HEADERS[SHEET_STAFF_COSTS], problems, key="類別")
    rows = []
    for r, row in reader.data_rows():
        components = {}
        for name, _ in PAY_COMPONENTS:
            value = reader.integer(r, row, name)
            if value is not None:
                components[name] = value
        rows.append(StaffCost(reader.text(row, "類別"), reader.integer(r, row, "預算員額"), components,
                              reader.text(row, "備註"), reader.cells(r)))
    if findings is not None:
        reader.check_totals(("預算員額",) + tuple(name for name, _ in PAY_COMPONENTS), findings)
    return rows


def read_contract_staff(grid: Grid, problems: list[Finding], plans: list[str],
                        findings: list[Finding] | None = None) -> list[ContractGroup]:
    """約聘僱 → groups (元). 工作計畫編號 may be left empty when the book has one plan paying 1020."""
    reader = _Reader(grid, CONTRACT_HEADERS, REQUIRED_HEADERS[SHEET_CONTRACT], problems, key="類型")
    groups = []
    for r, row in reader.data_rows():
        plan = reader.code(row, "工作計畫編號", 11)
        if not plan and len(plans) == 1:
            plan = plans[0]
        if not _CODE11.match(plan):
            reader.problem("bad-code", r, "工作計畫編號", column="工作計畫編號",
                           expected="11 位數字（此列的約聘僱人員由哪個工作計畫支應）",
                           actual=reader.text(row, "工作計畫編號"))
            continue
        kind = compact_key(reader.value(row, "類型")).replace("人員", "")
        if kind not in ("約聘", "約僱"):
            reader.problem("input-unreadable", r, "類型", message=f"類型應為「約聘」或「約僱」，此處為「{kind}」")
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


def read_trips(grid: Grid, problems: list[Finding], plans: dict[str, str],
               findings: list[Finding] | None = None) -> list[Trip]:
    """出國計畫 → trips (元). ``plans`` maps 工作計畫編號 → 工作計畫名稱 to fill either from the other."""
    reader = _Reader(grid, TRIP_HEADERS, REQUIRED_HEADERS[SHEET_TRIPS], problems, key="計畫名稱")
    by_name = {compact_key(name): code for code, name in plans.items()}
    trips = []
    for r, row in reader.data_rows():
        account = reader.text(row, "歸屬預算科目").replace("—", "-").replace("－", "-")
        plan = reader.code(row, "工作計畫編號", 11) or by_name.get(compact_key(account), "")
        if not plan and len(plans) == 1:
            plan = next(iter(plans))
        if not _CODE11.match(plan):
            reader.problem("input-unreadable", r, "歸屬預算科目",
                           message=f"找不到歸屬的工作計畫「{account}」；請填工作計畫編號，或寫成與歲出明細相同的工作計畫名稱")
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
            last_year=compact_key(reader.value(row, "年度")) == "上年度", cells=reader.cells(r)))
    if findings is not None:
        reader.check_totals(("交通費", "生活費", "辦公費"), findings)
    return trips


def read_staffing(grid: Grid, problems: list[Finding], findings: list[Finding] | None = None) -> list[Staffing]:
    """員額 → rows of 員額編制表 (persons)."""
    reader = _Reader(grid, STAFFING_HEADERS, STAFFING_HEADERS, problems, key="類別")
    rows = [Staffing(reader.text(row, "類別"), reader.integer(r, row, "法定編制員額"),
                     reader.integer(r, row, "本年度預算員額"), reader.integer(r, row, "上年度預算員額"),
                     reader.cells(r))
            for r, row in reader.data_rows()]
    if findings is not None:
        reader.check_totals(("法定編制員額", "本年度預算員額", "上年度預算員額"), findings)
    return rows


def read_narrative(grid: Grid, problems: list[Finding]) -> list[Paragraph]:
    """總說明 → the officer's paragraphs (column 段落), each with its cell."""
    reader = _Reader(grid, NARRATIVE_HEADERS, NARRATIVE_HEADERS, problems)
    return [Paragraph(reader.text(row, "段落"), reader.ref(r, "段落"))
            for r, row in reader.data_rows() if reader.text(row, "段落")]


def _read_extra_tables(grids: dict[str, Grid], findings: list[Finding], problems: list[Finding], plans: list[str]):
    """The input sheets of the tables added in issue 14, each read by its own module (公務車輛 → vehicles,
    轉帳收支 → transfers, 人事費分析 → staff_analysis, 分年資金需求 → funding, 市政白皮書 → whitepaper,
    費用分攤 → cost_shares):
    {BudgetBook field: records}. A 合計/小計 row an officer types under the items is skipped and checked against
    them (totals-row-mismatch), as in 歲出明細."""
    from xlbudget.derive.cost_shares import read_cost_shares  # these build on this module's reader
    from xlbudget.derive.funding import read_funding
    from xlbudget.derive.staff_analysis import read_staff_analysis
    from xlbudget.derive.transfers import read_transfers
    from xlbudget.derive.vehicles import read_vehicles
    from xlbudget.derive.whitepaper import read_whitepaper

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


def uncached_cells(grid: Grid) -> list[Finding]:
    """A formula without a cached value is never read as empty or 0: each one is a problem naming its cell."""
    return [make_finding("formula-without-value", grid.ref(r, c), actual=str(v))
            for r, row in enumerate(grid.rows) for c, v in enumerate(row) if _is_uncached(v)]


def read_book(grids: dict[str, Grid], source: str | None = None) -> tuple[BudgetBook, list[Finding]]:
    """Input sheets → (BudgetBook, findings from reading): the one grid → model path of every reader.

    ``grids`` are the input sheets as an adapter read them (openpyxl file,
    python-calamine, a live xlwings book, a UDF range), keyed by sheet name;
    names are matched as keys (``歲出明細 `` is 歲出明細). A formula without
    a cached value is a ``printed.Uncached`` cell. Raises InputError listing
    every problem of every sheet, each with its rule id and cell.
    """
    problems: list[Finding] = []
    findings: list[Finding] = []
    grids = {canonical: grids[actual] for canonical, actual in input_sheet_names(grids).items()}
    for grid in grids.values():
        problems += uncached_cells(grid)
    for required in (SHEET_AGENCY, SHEET_EXPENSES):
        if required not in grids:
            problems.append(make_finding("missing-sheet", None, sheet=required))
    agency = read_agency(grids[SHEET_AGENCY], findings, problems) if SHEET_AGENCY in grids else None
    expenses: list[ExpenseItem] = []
    if SHEET_EXPENSES in grids:
        before = len(problems)
        expenses = read_expenses(grids[SHEET_EXPENSES], findings, problems)
        if not expenses and len(problems) == before:
            problems.append(make_finding("required-missing", grids[SHEET_EXPENSES].ref(1, 0),
                                         what=f"工作表「{SHEET_EXPENSES}」沒有任何明細資料；"
                                              f"每列須填 {'、'.join(EXPENSE_REQUIRED)}，"))
    revenues = read_revenues(grids[SHEET_REVENUES], findings, problems) if SHEET_REVENUES in grids else []
    prior = read_prior(grids[SHEET_PRIOR], problems) if SHEET_PRIOR in grids else []
    notes = read_notes(grids[SHEET_NOTES], problems) if SHEET_NOTES in grids else []
    plan_names = {i.plan_code: i.plan_name for i in expenses}
    salary_plans = sorted({i.plan_code for i in expenses if i.object_code == "1020"}) or sorted(plan_names)
    staff_costs = (read_staff_costs(grids[SHEET_STAFF_COSTS], problems, findings)
                   if SHEET_STAFF_COSTS in grids else [])
    contract = (read_contract_staff(grids[SHEET_CONTRACT], problems, salary_plans, findings)
                if SHEET_CONTRACT in grids else [])
    trips = read_trips(grids[SHEET_TRIPS], problems, plan_names, findings) if SHEET_TRIPS in grids else []
    staffing = read_staffing(grids[SHEET_STAFFING], problems, findings) if SHEET_STAFFING in grids else []
    narrative = read_narrative(grids[SHEET_NARRATIVE], problems) if SHEET_NARRATIVE in grids else []
    extra = _read_extra_tables(grids, findings, problems, sorted(plan_names))
    if problems or agency is None:
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
