"""The budget book's inputs as immutable records in 元; every record remembers its cells."""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal
from functools import cached_property
from itertools import groupby
from operator import attrgetter
from typing import Callable, Iterable, Mapping

from xlbudget.core.codes import program_code_of, revenue_sources
from xlbudget.core.patterns import lazy
from xlbudget.core.records import record


@record(order=True)  # made for every cell a finding names or relates: 10,000 for a 20,000-line book's few findings
class CellRef:
    """A cell of the workbook, printed as ``工作表!A1`` (or ``檔案:工作表!A1``)."""

    sheet: str
    cell: str
    file: str | None = None

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}"
        return f"{self.file}:{where}" if self.file else where


Cells = Mapping[str, CellRef]

_A1 = lazy(r"\$?([A-Z]{1,3})\$?(\d+)")


def column_number(letters: str) -> int:
    """A → 1, AA → 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def cell_position(address: str) -> tuple[int, int]:
    """(row, column) of an A1 address, the one way findings are put in cell order: 'B12', '$B$12' → (12, 2)
    (a range by its first cell); (0, 0) for what is not an address."""
    m = _A1.match(address.upper())
    return (int(m.group(2)), column_number(m.group(1))) if m else (0, 0)


def program_of(plan_code: str, plan_name: str) -> tuple[str, str]:
    """業務計畫 (code, name) of a line typed without one: its 工作計畫's first 9 digits + 00, and the part of
    工作計畫名稱 before the dash (一般行政-行政管理 → 一般行政)."""
    return program_code_of(plan_code), plan_name.split("-")[0].strip()


@record
class ExpenseItem:
    """One line of 歲出明細 (a line item of 歲出計畫說明提要與各項費用明細表)."""

    plan_code: str  # 工作計畫編號, 11 digits
    plan_name: str  # 業務計畫-工作計畫 (一般行政-行政管理)
    branch: str  # 分支計畫 (01行政業務) or ""
    object_code: str  # 4-digit 用途別科目
    unit: str
    quantity: object  # as typed: 1, "3x12"
    unit_price: int | Decimal | None  # 元; a Decimal when typed with 角 (1.6)
    amount: int  # 預算數, 元
    matched: int  # 收支併列數, 元
    basis: str  # 經常 / 資本, resolved
    econ: str  # 經濟性分類 key, resolved
    note: str
    program_code: str = ""
    program_name: str = ""
    tags: tuple[str, ...] = ()  # 標記: thematic budgets such as 淨零, 性別
    project: str = ""  # 計畫項目 below 分支計畫, as printed (08和興路44巷跨景美溪人行景觀橋工程), or ""
    project_note: str = ""  # 計畫項目說明: the project's 說明, typed on one of its lines
    cells: Cells = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        if not self.program_code or not self.program_name:
            code, name = program_of(self.plan_code, self.plan_name)
            if not self.program_code:
                object.__setattr__(self, "program_code", code)
            if not self.program_name:
                object.__setattr__(self, "program_name", name)

    @property
    def work_name(self) -> str:
        """工作計畫 name without the 業務計畫 part (行政管理)."""
        return self.plan_name.split("-", 1)[-1].strip()


@record
class RevenueItem:
    """One line of 歲入明細."""

    code: str  # 來源別科目編號, 11 digits (09020180102)
    name: str  # 目名-節名 (上級政府補助收入-計畫型補助收入)
    numbers: tuple[str, str, str, str]  # 款 / 項 / 目 / 節 as printed (06, 005, 01, 01)
    level_names: tuple[str, str, str, str]  # names typed beside those numbers, or ""
    unit: str
    quantity: object
    unit_price: int | Decimal | None
    amount: int
    matched: bool  # 收支併列
    basis: str  # 經常 / 資本
    note: str
    cells: Cells = field(default_factory=dict, compare=False, repr=False)


@record
class PriorYear:
    """One line of 以前年度: 上年度預算數 and 前年度決算數 in 千元 for a plan or revenue code."""

    code: str
    name: str
    last_budget: int | None  # 上年度預算數, 千元
    prior_final: int | None  # 前年度決算數, 千元
    note: str = ""
    numbers: tuple[str, str, str, str] = ("", "", "", "")
    level_names: tuple[str, str, str, str] = ("", "", "", "")
    cells: Cells = field(default_factory=dict, compare=False, repr=False)
    basis: str = ""  # 經資門 as typed in an added 經資門 column (經常, 資本), "" when not typed


@record
class Agency:
    """基本資料."""

    name: str  # 機關名稱
    code: str  # 機關編號 (02-018)
    year: int  # 民國年度
    authority: str  # 主管機關 (高雄市政府主管)
    function: str  # 職能別 code (01)
    extra: Mapping[str, str] = field(default_factory=dict)
    # what told 預算類別 when 基本資料 has none (「檔名「…」」, 「總說明 A2「…」」): a guess, said as one where it is used
    kind_told: str = ""
    cells: Mapping[str, CellRef] = field(default_factory=dict, compare=False, repr=False)  # 項目 → its 內容 cell

    def get(self, key: str, default: str = "") -> str:
        """An optional 基本資料 entry."""
        return self.extra.get(key, default) or default

    @property
    def kind(self) -> str:
        """預算類別 as the reader recognised it (forms.inputs.budget_kind_in): 單位預算 unless told."""
        return self.extra.get("預算類別") or "單位預算"


@record
class PlanNote:
    """計畫說明: 承辦單位 and 計畫說明 text printed above a plan's 明細表."""

    plan_code: str
    office: str
    text: str
    cells: Cells = field(default_factory=dict, compare=False, repr=False)


@record
class StaffCost:
    """One row of 人事費: a staff class, its 預算員額 and pay components (元)."""

    category: str  # 職員, 約聘僱人員, 技工, 駕駛, 工友, 其他人事費 …
    headcount: int | None
    components: Mapping[str, int]  # 人事費彙計表 column (法定編制人員待遇 …) → 元
    note: str = ""
    cells: Cells = field(default_factory=dict, compare=False, repr=False)
    plan_code: str = ""  # 人事費分析: the 工作計畫 paying this class (empty on 人事費)
    plan_label: str = ""  # 人事費分析: the code printed before the plan's name (0132010100), or ""

    @property
    def total(self) -> int:
        """全年度人事費 合計 of this class."""
        return sum(self.components.values())


@record
class ContractGroup:
    """One group of 約聘僱: 約聘 or 約僱, persons × months and the year's cost (元)."""

    plan_code: str
    kind: str  # 約聘 / 約僱
    persons: int
    months: int
    amount: int
    note: str = ""
    cells: Cells = field(default_factory=dict, compare=False, repr=False)


@record
class Trip:
    """One 派員出國計畫 (元)."""

    name: str
    category: str  # 考察 / 訪問 / 開會 / 進修 / 研究 / 實習 …
    country: str
    institution: str
    content: str
    period: str
    days: int | None
    persons: int | None
    transport: int
    living: int
    office: int
    account: str  # 歸屬預算科目 as printed (數位發展計畫-數位發展計畫)
    plan_code: str
    visited: str  # 前3年內有無赴同一機構拜會: 有 / 無
    visited_note: str
    last_year: bool = False  # a line of 上年度 (for 派員出國計畫預算總表 上年度 columns)
    cells: Cells = field(default_factory=dict, compare=False, repr=False)

    @property
    def total(self) -> int:
        """旅費預算 合計, 元."""
        return self.transport + self.living + self.office


@record
class Staffing:
    """One row of 員額編制表 (persons)."""

    category: str
    statutory: int | None  # 法定編制員額
    current: int | None  # 本年度預算員額
    last: int | None  # 上年度預算員額
    cells: Cells = field(default_factory=dict, compare=False, repr=False)


@record
class Paragraph:
    """One paragraph of the officer's 預算總說明 prose."""

    text: str
    cell: CellRef | None = None


@record
class Vehicle:
    """One row of 公務車輛: a vehicle (or several alike) of a 工作計畫 and its yearly costs (元)."""

    plan_code: str
    section: str  # 現有車輛 / 本年度新增車輛
    count: int | None  # 車輛數
    kind: str  # 車輛種類
    passengers: int | None  # 乘客人數 (不含司機)
    bought: str  # 購置年月 as printed (10503)
    displacement: str  # 汽缸總排氣量 as printed (2198, 1201-1800, 逾5馬力)
    costs: Mapping[str, int]  # 牌照稅 / 燃料使用費 / 油料金額 / 養護費 / 保險費 / 檢驗費 → 元 (absent when blank)
    litres: int | None  # 油料數量 (公升)
    price: Decimal | None  # 油料單價 (元/公升)
    note: str = ""
    cells: Cells = field(default_factory=dict, compare=False, repr=False)


@record
class Transfer:
    """One row of 轉帳收支: a 工作計畫's spending paid from a 歲入 科目 without cash (元)."""

    plan_code: str  # 工作計畫編號 of this book
    revenue_code: str  # 11-digit 來源別科目編號, this agency's or another's (12173500210)
    numbers: tuple[str, str, str, str]  # 歲入 款 / 項 / 目 / 節 as printed (08, 084, 01, 03), or ""
    level_names: tuple[str, str, str, str]  # names typed beside them (其他收入 …), or ""
    amount: int
    note: str = ""
    cells: Cells = field(default_factory=dict, compare=False, repr=False)


@record
class FundingNeed:
    """One row of 分年資金需求: a project's 全程計畫總金額 and the money it needs each year (元)."""

    kind: str  # 繼續性 / 新興
    plan_code: str
    branch: str  # 分支計畫 printed above the project (道路工程), or ""
    name: str  # 計畫項目
    amounts: Mapping[str, int]  # 全程計畫總金額, 以前年度預算數, 本年度, 第2年度 … 第5年度, 以後年度 → 元
    note: str = ""
    cells: Cells = field(default_factory=dict, compare=False, repr=False)


@record
class WhitePaperItem:
    """One row of 市政白皮書: a 計畫項目 the city's white paper names, and this year's budget for it (元)."""

    theme: str  # 主軸, printed as a heading (◎友善共融), or ""
    outline: str  # 綱要 (無礙共融)
    category: str  # 類別 (五十三、打造無礙交通環境)
    policy: str  # 政策項目 (61、精進通用無障礙的道路改善方案)
    name: str  # 計畫項目 (115年度人行道改善工程)
    plan_code: str  # 工作計畫編號, or "" (looked for in every plan)
    amount: int  # 本年度預算案數
    cells: Cells = field(default_factory=dict, compare=False, repr=False)


@record
class CostShare:
    """One row of 費用分攤: one party's share of a project several agencies pay for (元)."""

    plan_code: str
    project: str  # 計畫項目 (和興路44巷跨景美溪人行景觀橋工程)
    unit: str  # 預定完成工作總數 單位 (式)
    quantity: str  # 預定完成工作總數 數量, as typed
    partner: str  # 合辦單位
    method: str  # 分攤方式
    ratio: Decimal | None  # 分攤比率, % (52.32)
    total: int  # 總經費 of this party
    parts: Mapping[str, int]  # 本年度預算數: 施工費用, 工程管理費, 委外費用 → 元
    own: bool  # 本機關: the party this book budgets
    note: str = ""
    cells: Cells = field(default_factory=dict, compare=False, repr=False)


@record
class BudgetBook:
    """Everything the schedules are derived from."""

    agency: Agency
    expenses: tuple[ExpenseItem, ...]
    revenues: tuple[RevenueItem, ...] = ()
    prior: tuple[PriorYear, ...] = ()
    plan_notes: tuple[PlanNote, ...] = ()
    revenue_notes: tuple[PlanNote, ...] = ()
    staff_costs: tuple[StaffCost, ...] = ()
    contract_staff: tuple[ContractGroup, ...] = ()
    trips: tuple[Trip, ...] = ()
    staffing: tuple[Staffing, ...] = ()
    narrative: tuple[Paragraph, ...] = ()
    source: str | None = None
    vehicles: tuple[Vehicle, ...] = ()  # 公務車輛
    transfers: tuple[Transfer, ...] = ()  # 轉帳收支
    staff_analysis: tuple[StaffCost, ...] = ()  # 人事費分析: 人事費 by class per 工作計畫
    funding: tuple[FundingNeed, ...] = ()  # 分年資金需求
    whitepaper: tuple[WhitePaperItem, ...] = ()  # 市政白皮書
    cost_shares: tuple[CostShare, ...] = ()  # 費用分攤
    # the input sheets the book was read from (readers.inputs.read_book), by their template names; empty for a book
    # made otherwise (XLB_SCHEDULE's range): a rule about a sheet left empty speaks only of a sheet that is there
    sheets: frozenset[str] = field(default=frozenset(), compare=False)

    @cached_property
    def plans(self) -> dict[str, tuple[ExpenseItem, ...]]:
        """The lines by 工作計畫, in code order, each plan's in their order: grouped once per book (it is immutable),
        for every table that prints plans (明細表, 彙計表, 一級用途別, 機關別)."""
        # sorted by plan in C (a stable sort: each plan's lines stay in their order), then cut at each plan
        return {plan: tuple(lines) for plan, lines in groupby(sorted(self.expenses, key=_PLAN_CODE), _PLAN_CODE)}

    @cached_property
    def first_lines(self) -> dict[str, ExpenseItem]:
        """The first line of each 工作計畫, in line order (the order the plans are first met): found once per book,
        for every rule that names a plan at its first line or by its name."""
        firsts: dict[str, ExpenseItem] = {}
        for item in self.expenses:
            if item.plan_code not in firsts:
                firsts[item.plan_code] = item
        return firsts

    @cached_property
    def expense_sums(self) -> dict[tuple[str, str, str, str], int]:
        """元 of the 歲出 lines by (工作計畫, 用途別科目, 經資門, 經濟性分類), added once per book in line order (each key
        first where its first line is): what every table adding lines by plan, code, 門 or class starts from."""
        sums: dict[tuple[str, str, str, str], int] = {}
        for i in self.expenses:
            key = (i.plan_code, i.object_code, i.basis, i.econ)
            sums[key] = sums.get(key, 0) + i.amount
        return sums

    @cached_property
    def prior_split(self) -> tuple[tuple[PriorYear, ...], tuple[PriorYear, ...]]:
        """以前年度 as (歲出 lines, 歲入 lines), split once per book (it is immutable): a line is 歲出 when its code
        is one of this year's 工作計畫 or 業務計畫, 歲入 when it is one of this year's 歲入 codes, else 歲入 when
        its prefix is a 歲入 款 (09…). The one rule deciding which side a 以前年度 line is on."""
        on_revenue = prior_side(self.expenses, self.revenues)
        sides: tuple[list[PriorYear], list[PriorYear]] = ([], [])
        for p in self.prior:
            sides[on_revenue(p.code)].append(p)
        return tuple(sides[0]), tuple(sides[1])


_PLAN_CODE, _PROGRAM_CODE, _CODE = attrgetter("plan_code"), attrgetter("program_code"), attrgetter("code")


def prior_side(expenses: Iterable[ExpenseItem], revenues: Iterable[RevenueItem]) -> Callable[[str], bool]:
    """Which side a 以前年度 code is on (True: 歲入), by this year's lines: 歲出 when it is one of their 工作計畫 or
    業務計畫, 歲入 when it is one of their 歲入 codes, else 歲入 when its prefix is a 歲入 款 (09…). The one rule
    (BudgetBook.prior_split, and 以前年度's 合計 rows, which may close both sides' lines)."""
    expenses = tuple(expenses)  # read twice: its plans, then its 業務計畫, each in one pass in C
    expense = set(map(_PLAN_CODE, expenses))
    expense.update(map(_PROGRAM_CODE, expenses))
    revenue = set(map(_CODE, revenues))
    sources = revenue_sources()
    return lambda code: code not in expense and (code in revenue or code[:2] in sources)


def counted_prior(lines: Iterable[PriorYear]) -> list[PriorYear]:
    """The 歲出 以前年度 lines a total adds, as 歲出機關別預算表 adds them: every 工作計畫 line, and a 業務計畫 line
    only when no 工作計畫 of its own has one (rules/inputs.check_prior_programs names one that then differs)."""
    lines = list(lines)
    with_plans = {p.code[:9] for p in lines if not p.code.endswith("00")}
    return [p for p in lines if not p.code.endswith("00") or p.code[:9] not in with_plans]
