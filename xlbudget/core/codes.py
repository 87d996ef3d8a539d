"""Code tables shipped as package data: 用途別科目, 經濟性分類, 職能別, 歲入來源別, 政事別.

Pure: reads only the CSV files inside the package.
"""

from __future__ import annotations

import csv
import os
from functools import cache, lru_cache

from xlbudget.core.patterns import lazy
from xlbudget.core.records import record

# a 工作計畫 code as printed: 11 digits; 統籌支撥科目 (新北市) print a letter in the fifth place: 8970a010401, 0070a010000
PLAN_CODE = r"\d{4}[a-z]\d{6}|\d{11}"
# such a code inside a text (a 彙計表 header 32020180101/行政管理, a 明細表 row 32020180101/01行政業務/2018, a heading),
# never part of a longer number
PLAN_CODE_IN = lazy(r"(?<![\da-z])(" + PLAN_CODE + r")(?!\d)")

CURRENT = "經常"
CAPITAL = "資本"
EITHER = "經常或資本"

# Names that changed over the years: the older name is accepted for the same code.
NAME_ALIASES: dict[str, tuple[str, ...]] = {
    "1040": ("加班值班費",),
    "2033": ("臨時人員酬金",),
}


@record
class ObjectCode:
    """One 用途別科目 (object of expenditure)."""

    code: str
    name: str
    level: int
    parent: str
    basis: str  # 經常 / 資本 / 經常或資本
    econ_default: str
    capital_column: str

    @property
    def names(self) -> tuple[str, ...]:
        """The current name and every older name accepted for this code."""
        return (self.name, *NAME_ALIASES.get(self.code, ()))

    @property
    def fixed_basis(self) -> str | None:
        """經常 or 資本 when the code allows only one; None when either."""
        return None if self.basis == EITHER else self.basis


@record
class EconClass:
    """One column of 歲出按職能及經濟性綜合分類表."""

    key: str  # "固定資本形成-資訊軟體"
    basis: str  # 經常 / 資本
    group: str  # 經常支出 / 資本支出
    subgroup: str  # 經常移轉 / 資本移轉 / 固定資本形成 / 投資及增資 / ""
    name: str  # 資訊軟體


DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")  # xlbudget/data


def data_text(*parts: str) -> str:
    """The text of a package data file, ``parts`` under xlbudget/data (``data_text("example", "歲出明細.csv")``).

    The folder itself, as importlib.resources.files("xlbudget.data") gives it for an installed package, without
    importing importlib.resources (1.5 ms of every command's start: it imports tempfile and six modules of its own)."""
    with open(os.path.join(DATA, *parts), encoding="utf-8") as f:
        return f.read()


def _read_csv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(data_text(name).splitlines()))


@cache
def object_codes() -> dict[str, ObjectCode]:
    """All 用途別科目 by 4-digit code, in official order."""
    return {
        r["code"]: ObjectCode(
            code=r["code"],
            name=r["name"],
            level=int(r["level"]),
            parent=r["parent"],
            basis=r["basis"],
            econ_default=r["econ_default"],
            capital_column=r["capital_column"],
        )
        for r in _read_csv("object-codes.csv")
    }


def level1_of(code: str) -> str:
    """The 一級 code of a 4-digit 用途別 code (2018 → 2000)."""
    return code[0] + "000"


@cache
def econ_classes() -> tuple[EconClass, ...]:
    """Every 經濟性分類 column, in printed order."""
    return tuple(
        EconClass(r["key"], r["basis"], r["group"], r["subgroup"], r["name"])
        for r in _read_csv("economic-classes.csv")
    )


@lru_cache(maxsize=4096)  # asked for every 歲出 line; the classes are fixed data
def resolve_econ(text: str, basis: str) -> EconClass | None:
    """Find the 經濟性分類 a user or the code table means.

    Accepts the full key (固定資本形成-資訊軟體), the short name when it is
    unique (資訊軟體), and a short or subgroup name made unique by the line's
    經資門 (對企業 or 經常移轉 on a 資本 line → 資本移轉-…).
    """
    text = text.strip().replace("—", "-").replace("－", "-")
    if not text:
        return None
    classes = econ_classes()
    exact = [c for c in classes if c.key == text]
    if exact:
        cls = exact[0]
        if cls.basis != basis and cls.subgroup in ("經常移轉", "資本移轉"):
            # a transfer keeps its counterpart when the line is the other 門
            twin = ("資本移轉" if basis == CAPITAL else "經常移轉") + "-" + cls.name
            return next(c for c in classes if c.key == twin)
        return cls
    tail = text.split("-")[-1]
    head = text.split("-")[0] if "-" in text else ""
    candidates = [c for c in classes if c.name == tail and (not head or c.subgroup == head or c.subgroup in ("經常移轉", "資本移轉") and head in ("經常移轉", "資本移轉"))]
    if len(candidates) > 1:
        candidates = [c for c in candidates if c.basis == basis]
    if len(candidates) == 1:
        return candidates[0]
    return None


@cache
def functions() -> dict[str, str]:
    """職能別: code (01 … 15) → name."""
    return {r["code"]: r["name"] for r in _read_csv("functions.csv")}


@cache
def revenue_sources() -> dict[str, str]:
    """歲入來源別 款 by the 2-digit prefix of a 來源別科目編號 (09 → 補助及協助收入)."""
    return {r["prefix"]: r["name"] for r in _read_csv("revenue-sources.csv")}


# where a 資本門 revenue may be budgeted: 補助及協助收入 (a 資本門 補助: 臺北's 工程建造費), 捐獻及贈與收入, and under
# 財產收入 its 目 財產售價 and 收回投資/資本 (臺北's 土地售價), by 款 prefix → words of the 目 (empty: any 目);
# every other 款 or 目 is 經常門 (稅課, 罰款及賠償, 規費, 財產孳息, 廢舊物資售價: the seed's 賠償收入)
CAPITAL_REVENUE_SOURCES = {"09": (), "10": (), "07": ("財產售價", "收回")}


def may_be_capital_revenue(code: str, item: str) -> bool:
    """Whether the 歲入 科目 ``code``, of 目 ``item`` (its name: 財產售價), may be 資本門 (CAPITAL_REVENUE_SOURCES)."""
    words = CAPITAL_REVENUE_SOURCES.get(code[:2])
    return words is not None and (not words or any(w in item for w in words))


@cache
def policy_areas() -> dict[str, str]:
    """政事別 name by the 2-digit prefix of a 工作計畫編號 (32 → 行政支出)."""
    return {r["prefix"]: r["name"] for r in _read_csv("policy-areas.csv")}


def program_code_of(plan_code: str) -> str:
    """業務計畫編號 of an 11-digit 工作計畫編號: first 9 digits + 00."""
    return plan_code[:9] + "00"


def policy_code_of(plan_code: str) -> str:
    """The agency line of 一級用途別科目分析表: first 7 digits + 0000."""
    return plan_code[:7] + "0000"


def revenue_levels(code: str) -> tuple[str, str, str, str]:
    """款 / 項 / 目 / 節 codes of an 11-digit 來源別科目編號 (09020180102)."""
    return (code[:2] + "0" * 9, code[:7] + "0000", code[:9] + "00", code)
