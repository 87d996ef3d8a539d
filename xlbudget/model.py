"""The budget book's inputs as immutable records in 元; every record remembers its cells."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from .codes import program_code_of


@dataclass(frozen=True, order=True)
class CellRef:
    """A cell of the workbook, printed as ``工作表!A1`` (or ``檔案:工作表!A1``)."""

    sheet: str
    cell: str
    file: str | None = None

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}"
        return f"{self.file}:{where}" if self.file else where


Cells = Mapping[str, CellRef]


@dataclass(frozen=True)
class ExpenseItem:
    """One line of 歲出明細 (a line item of 歲出計畫說明提要與各項費用明細表)."""

    plan_code: str  # 工作計畫編號, 11 digits
    plan_name: str  # 業務計畫-工作計畫 (一般行政-行政管理)
    branch: str  # 分支計畫 (01行政業務) or ""
    object_code: str  # 4-digit 用途別科目
    unit: str
    quantity: object  # as typed: 1, "3x12"
    unit_price: int | None
    amount: int  # 預算數, 元
    matched: int  # 收支併列數, 元
    basis: str  # 經常 / 資本, resolved
    econ: str  # 經濟性分類 key, resolved
    note: str
    program_code: str = ""
    program_name: str = ""
    cells: Cells = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        if not self.program_code:
            object.__setattr__(self, "program_code", program_code_of(self.plan_code))
        if not self.program_name:
            object.__setattr__(self, "program_name", self.plan_name.split("-")[0])

    @property
    def work_name(self) -> str:
        """工作計畫 name without the 業務計畫 part (行政管理)."""
        return self.plan_name.split("-", 1)[-1]


@dataclass(frozen=True)
class RevenueItem:
    """One line of 歲入明細."""

    code: str  # 來源別科目編號, 11 digits (09020180102)
    name: str  # 目名-節名 (上級政府補助收入-計畫型補助收入)
    numbers: tuple[str, str, str, str]  # 款 / 項 / 目 / 節 as printed (06, 005, 01, 01)
    level_names: tuple[str, str, str, str]  # names typed beside those numbers, or ""
    unit: str
    quantity: object
    unit_price: int | None
    amount: int
    matched: bool  # 收支併列
    basis: str  # 經常 / 資本
    note: str
    cells: Cells = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Agency:
    """基本資料."""

    name: str  # 機關名稱
    code: str  # 機關編號 (02-018)
    year: int  # 民國年度
    authority: str  # 主管機關 (高雄市政府主管)
    function: str  # 職能別 code (01)
    extra: Mapping[str, str] = field(default_factory=dict)

    def get(self, key: str, default: str = "") -> str:
        """An optional 基本資料 entry."""
        return self.extra.get(key, default) or default


@dataclass(frozen=True)
class PlanNote:
    """計畫說明: 承辦單位 and 計畫說明 text printed above a plan's 明細表."""

    plan_code: str
    office: str
    text: str


@dataclass(frozen=True)
class BudgetBook:
    """Everything the schedules are derived from."""

    agency: Agency
    expenses: tuple[ExpenseItem, ...]
    revenues: tuple[RevenueItem, ...] = ()
    prior: tuple[PriorYear, ...] = ()
    plan_notes: tuple[PlanNote, ...] = ()
    revenue_notes: tuple[PlanNote, ...] = ()
    source: str | None = None
