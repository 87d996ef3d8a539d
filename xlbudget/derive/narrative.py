"""預算總說明: amounts written the way the books write them, and the figures the narrative must agree with.

Pure. ``format_chinese(275_795)`` → ``2億7,579萬5千元`` (千元 in, text out);
``parse_chinese`` reads such text back (to 元, so plain 元 amounts keep their
precision; ``parse_chinese_thousands`` gives 千元).
"""

from __future__ import annotations

import re
from decimal import Decimal

from xlbudget.core.amounts import NotANumber, parse_int, to_percent

_FULLWIDTH = str.maketrans("０１２３４５６７８９，．", "0123456789,.")

# 總說明 sheet: left of column D is the officer's prose; D holds xlbudget's figure sentences under this header
NARRATIVE_COLUMN = 4
NARRATIVE_HEADER = "標準數字句（xlbudget 依資料產生，重新產生報表時會覆寫本欄）"

# 千元 per unit
_THOUSANDS_PER = {"兆": 1_000_000_000, "億": 100_000, "萬": 10, "千": 1}
_YUAN_PER = {"兆": 10**12, "億": 10**8, "萬": 10**4, "千": 10**3}

# 億 and 萬 multiplied as officers also write them: 2億3千萬元 (千萬 = 10⁷), 5百萬元, 3十億元
_MULTIPLE_PER = {"十": 10, "百": 100, "千": 1000}
_UNIT = r"(?:[十百千]?[兆億萬]|千)"
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
# An amount as the books write it, always ending in 元: 2億7,579萬5千元, 280萬元, 57,019千元, 56,000元; and the
# other usual ways: 2億3千萬元, 2.3億元, 23,302.6萬元 (a decimal only in its last part).
AMOUNT_PATTERN = re.compile(
    rf"(?<![\d,.])[-－]?(?:\d[\d,]*{_UNIT})*{_NUMBER}{_UNIT}?元")
# Anything else that reads as an amount in 元 (兩億三千萬元, 2.3.4億元): listed unverified, never passed over
AMOUNT_LIKE_PATTERN = re.compile(
    r"(?<![\d,.０-９])[-－]?(?:[\d０-９]|[一二兩三四五六七八九十][一二兩三四五六七八九十百千萬億兆零〇]*[萬億兆千百])"
    r"[\d０-９,，.．一二兩三四五六七八九十百千萬億兆零〇]*元")
# 「約2.3億元」: a rounded figure, stated only to its last written digit
ROUNDED_WORDS = ("約",)
PERCENT_PATTERN = re.compile(r"(?<![\d.])\d+(?:\.\d+)?%")


def format_chinese(thousands: int) -> str:
    """千元 → the book's wording: 275,795 → 2億7,579萬5千元; 2,800 → 280萬元; 0 → 0元."""
    if thousands == 0:
        return "0元"
    sign = "-" if thousands < 0 else ""
    rest = abs(thousands)
    parts = []
    for unit, size in _THOUSANDS_PER.items():
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count:,}{unit}")
    text = "".join(parts)
    # 萬 and 千 read as a unit with 元 after them: 280萬元, 5千元
    return f"{sign}{text}元"


def parse_chinese(text: str) -> int:
    """The book's wording → 元: 2億7,579萬5千元 → 275,795,000; 56,000元 → 56,000; 2.3億元 → 230,000,000.

    Accepts full-width digits and a missing 元. Raises NotANumber for anything else.
    """
    return read_chinese(text)[0]


def read_chinese(text: str, rounded: bool = False) -> tuple[int, int]:
    """An amount in words → (元, the 元 its last written digit stands for; 1 when it is exact).

    The book's own form is exact: 280萬元 is 2,800,000 元, its 千 written when not 0 (2億3,302萬6千元).
    A decimal is stated to its last digit: 2.3億元 → (230,000,000, 10,000,000), 23,302.6萬元 → (233,026,000, 1,000).
    A multiplied unit is stated to that unit: 2億3千萬元 → (230,000,000, 10,000,000).
    ``rounded`` (「約…元」): stated to its last non-zero digit, 約2億3,300萬元 → (233,000,000, 1,000,000).
    Exact Decimal arithmetic; a figure that is no whole 元 (1.2345萬元) raises NotANumber.
    """
    raw = text
    text = str(text).translate(_FULLWIDTH).strip().replace(" ", "").replace("\u3000", "")
    if text.startswith("新臺幣"):
        text = text[3:]
    negative = text[:1] in ("-", "－")
    if negative:
        text = text[1:]
    if text.endswith("元"):
        text = text[:-1]
    if not text:
        raise NotANumber(str(raw))
    parts = re.findall(rf"({_NUMBER})({_UNIT})?", text)
    if re.sub(rf"{_NUMBER}{_UNIT}?", "", text):
        raise NotANumber(str(raw))
    total = Decimal(0)
    last_size = None
    step = Decimal(1)
    for n, (number, unit) in enumerate(parts):
        whole, _, decimals = number.partition(".")
        if not re.fullmatch(r"\d{1,3}(,\d{3})*|\d+", whole) or (decimals and n < len(parts) - 1):
            raise NotANumber(str(raw))
        size = (_MULTIPLE_PER[unit[0]] * _YUAN_PER[unit[1]] if len(unit) == 2
                else _YUAN_PER[unit] if unit else 1)
        if last_size is not None and size >= last_size:
            raise NotANumber(str(raw))
        last_size = size
        digits = Decimal(whole.replace(",", "") + ("." + decimals if decimals else ""))
        total += digits * size
        if decimals:
            step = Decimal(size).scaleb(-len(decimals))
        elif len(unit) == 2:
            step = Decimal(size)
        elif rounded:
            stripped = whole.replace(",", "").rstrip("0")
            step = Decimal(size).scaleb(len(whole.replace(",", "")) - len(stripped)) if stripped else Decimal(size)
        else:
            step = Decimal(1)
    if total != total.to_integral_value():
        raise NotANumber(f"{raw}（不是整數元）")
    step = max(step, Decimal(1))  # a power of ten: never a fraction once at least 1
    yuan = int(total)
    return (-yuan if negative else yuan), int(step)


def parse_chinese_thousands(text: str) -> int:
    """The book's wording → 千元 (the amount must be whole 千元)."""
    yuan = parse_chinese(text)
    if yuan % 1000:
        raise NotANumber(f"{text}（不是千元的整數倍）")
    return yuan // 1000


def percent(numerator: int, denominator: int) -> str:
    """執行率 as the books print it: two decimals, half away from zero (188,162 / 190,786 → 98.62%)."""
    return f"{to_percent(numerator, denominator)}%" if denominator else ""


# ---------------------------------------------------------------- the figures the narrative speaks of

from dataclasses import dataclass  # noqa: E402

from xlbudget.core.amounts import to_thousands  # noqa: E402
from xlbudget.core.model import BudgetBook  # noqa: E402


@dataclass(frozen=True)
class Figure:
    """A figure of the book the narrative may quote: its value (千元, or a 執行率 text) and where it comes from."""

    key: tuple[str, str, str]  # (period 本年度/上年度/前年度, side 歲入/歲出, measure)
    value: int | str | None
    what: str  # zh-TW description: 歲出機關別預算表 本年度預算數合計
    parts: int = 0  # a sum of this many 千元 figures, each rounded: a 元 quote may differ by 500 元 a part (0: not so)
    yuan: int | None = None  # the exact 元 amount when the figure is summed from 元 lines


def _prior_lines(book: BudgetBook, revenue: bool) -> list:
    from xlbudget.derive.schedules import is_revenue  # the one rule deciding 歲入 vs 歲出 prior lines

    return [p for p in book.prior if is_revenue(p, book) == revenue]


def _prior_values(lines: list, revenue: bool, attr: str) -> list[int]:
    if not revenue:
        from xlbudget.derive.schedules import counted_prior  # a 業務計畫 line only where its plans have none

        lines = counted_prior(lines)
    return [getattr(p, attr) for p in lines if getattr(p, attr) is not None]


def _prior_total(book: BudgetBook, revenue: bool, attr: str) -> int | None:
    values = _prior_values(_prior_lines(book, revenue), revenue, attr)
    return sum(values) if values else None


def _bare(name: str) -> str:
    """A level name without the number printed before it: 01統籌分配稅 → 統籌分配稅."""
    return re.sub(r"^[\d\s]+", "", name or "").strip()


def _source_names(name: str, level_names: tuple[str, ...]) -> set[str]:
    """The names a 歲入 line goes by: its 款, 目 and 節 names and the parts of 目名-節名 (項 is the agency itself)."""
    names = {_bare(n) for i, n in enumerate(level_names) if i != 1} | {_bare(n) for n in name.split("-")}
    return {n for n in names if len(n) >= 2}


def _plan_names(name: str, program: str = "") -> set[str]:
    """The names a 歲出 line goes by: its 業務計畫 and 工作計畫 (一般行政-行政管理 → 一般行政, 行政管理)."""
    return {n for n in {*name.split("-"), program} if len(n) >= 2}


def _subject_figures(book: BudgetBook, put) -> None:
    """One 歲入來源 or 計畫's own figures, keyed (period, side, 科目:name:measure): 本年度 from the lines, 上年度 and
    前年度 from 以前年度. A 總說明 sentence about one source (「(1)統籌分配稅：…決算數14,789,794元」) is held to these."""
    for side, revenue in (("歲入", True), ("歲出", False)):
        table = "歲入預算表" if revenue else "歲出預算表"
        by_kind: dict[tuple, int] = {}  # the lines summed by what names them and their 門 first (a book has few)
        for item in (book.revenues if revenue else book.expenses):
            kind = (item.name, item.level_names, item.basis) if revenue else (item.plan_name, item.program_name,
                                                                             item.basis)
            by_kind[kind] = by_kind.get(kind, 0) + item.amount
        current: dict[tuple[str, str], int] = {}
        for (name_of, other, basis), total in by_kind.items():
            names = _source_names(name_of, other) if revenue else _plan_names(name_of, other)
            for name in names:
                for measure in ("預算數", f"{basis}門"):
                    current[name, measure] = current.get((name, measure), 0) + total
        for (name, measure), amount in current.items():
            put("本年度", side, f"科目:{name}:{measure}", to_thousands(amount), f"{table} {name} 本年度{measure}",
                yuan=amount)
        prior = _prior_lines(book, revenue)
        named: dict[str, list] = {}
        for line in prior:
            for name in (_source_names(line.name, line.level_names) if revenue else _plan_names(line.name)):
                named.setdefault(name, []).append(line)
        for name, lines in named.items():
            for period, measure, attr in (("上年度", "預算數", "last_budget"), ("前年度", "決算數", "prior_final")):
                values = _prior_values(lines, revenue, attr)
                if values:
                    put(period, side, f"科目:{name}:{measure}", sum(values), f"{table} {name} {period}{measure}",
                        len(values))


def book_figures(book: BudgetBook) -> dict[tuple[str, str, str], Figure]:
    """Every figure of the tables a 預算總說明 quotes, keyed by (period, side, measure)."""
    figures: dict[tuple[str, str, str], Figure] = {}

    def put(period, side, measure, value, what, parts=0, yuan=None):
        figures[(period, side, measure)] = Figure((period, side, measure), value, what, parts, yuan)

    items = book.expenses
    put("本年度", "歲出", "預算數", to_thousands(sum(i.amount for i in items)), "歲出機關別預算表 本年度預算數")
    put("本年度", "歲出", "經常門", to_thousands(sum(i.amount for i in items if i.basis == "經常")),
        "歲出一級用途別科目分析表 經常支出小計")
    put("本年度", "歲出", "資本門", to_thousands(sum(i.amount for i in items if i.basis == "資本")),
        "歲出一級用途別科目分析表 資本支出小計")
    put("本年度", "歲入", "預算數", to_thousands(sum(i.amount for i in book.revenues)), "歲入來源別預算表 本年度預算數")
    for program in sorted({i.program_code for i in items}):
        members = [i for i in items if i.program_code == program]
        put("本年度", "歲出", f"業務計畫:{members[0].program_name}", to_thousands(sum(i.amount for i in members)),
            f"歲出機關別預算表 {program} {members[0].program_name}")
    for tag in sorted({t for i in items for t in i.tags}):
        put("本年度", "歲出", f"標記:{tag}", to_thousands(sum(i.amount for i in items if tag in i.tags)),
            f"歲出明細 標記「{tag}」的細項合計")
    for side, revenue in (("歲出", False), ("歲入", True)):
        last = _prior_total(book, revenue, "last_budget")
        final = _prior_total(book, revenue, "prior_final")
        put("上年度", side, "預算數", last, f"以前年度 {side}上年度預算數合計")
        put("前年度", side, "決算數", final, f"以前年度 {side}前年度決算數合計")
        budget_text = book.agency.get(f"前年度{side}預算數")
        budget = parse_int(budget_text or None)  # a number: readers.inputs.read_agency refused any other
        put("前年度", side, "預算數", budget, f"基本資料 前年度{side}預算數")
        put("前年度", side, "執行率", percent(final, budget) if final is not None and budget else None,
            f"前年度{side}決算數 ÷ 預算數")
    _subject_figures(book, put)
    return figures


def standard_sentences(book: BudgetBook) -> list[str]:
    """The figure sentences of 預算總說明, written from the data (the officer keeps the prose)."""
    f = book_figures(book)

    def amount(key) -> str:
        value = f[key].value
        return format_chinese(value) if isinstance(value, int) else "（未填）"

    lines = []
    for side in ("歲入", "歲出"):
        if f[("前年度", side, "決算數")].value is not None:
            rate = f[("前年度", side, "執行率")].value
            lines.append(f"{side}部分：前年度{side}預算數{amount(('前年度', side, '預算數'))}，"
                         f"{side}決算數{amount(('前年度', side, '決算數'))}"
                         + (f"，執行率達{rate}。" if rate else "。"))
    for side in ("歲入", "歲出"):
        if f[("上年度", side, "預算數")].value is not None:
            lines.append(f"{side}部分：上年度{side}預算數{amount(('上年度', side, '預算數'))}。")
    lines.append(f"歲出預算數{amount(('本年度', '歲出', '預算數'))}，含經常門{amount(('本年度', '歲出', '經常門'))}，"
                 f"資本門{amount(('本年度', '歲出', '資本門'))}，依業務計畫列示如下：")
    programs = [k for k in f if k[2].startswith("業務計畫:")]
    for n, key in enumerate(programs, start=1):
        lines.append(f"{n}. {key[2].split(':', 1)[1]}{amount(key)}。")
    if book.revenues:
        lines.append(f"歲入預算數{amount(('本年度', '歲入', '預算數'))}。")
    return lines
