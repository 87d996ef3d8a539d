"""預算總說明: amounts written the way the books write them, and the figures the narrative must agree with.

Pure. ``format_chinese(275_795)`` → ``2億7,579萬5千元`` (千元 in, text out);
``parse_chinese`` reads such text back (to 元, so plain 元 amounts keep their
precision; ``parse_chinese_thousands`` gives 千元).
"""

from __future__ import annotations

import re
from functools import cache
from decimal import Decimal

from xlbudget.core.amounts import NotANumber, halfwidth, parse_int, parse_percent, split_sign, to_percent
from xlbudget.core.keys import CN_DIGITS
from xlbudget.core.patterns import lazy
from xlbudget.core.records import record

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
# 「元整」 as its own word (參億元整。), never the 整 of 整修, 整建, 整體 after an amount
_WHOLE = r"(?:整(?![\u4e00-\u9fff]))?"
# An amount as the books write it, always ending in 元: 2億7,579萬5千元, 280萬元, 57,019千元, 56,000元; and the
# other usual ways: 2億3千萬元, 2.3億元, 23,302.6萬元 (a decimal only in its last part); 「元整」: stated exactly.
# Spaces as Word pastes them (2億 7,579萬 5千元, 232,026 千元; no-break and ideographic too): one after a unit or
# before one and before 元 belongs to the amount. The narrative is read half-width (core.amounts.halfwidth: ２億７，…).
_GAP = "[ \u00a0\u3000]?"
SPACES = " \u00a0\u3000"
AMOUNT_PATTERN = lazy(
    rf"(?<![\d,.])(?<![{''.join(_YUAN_PER)}][{SPACES}])[-－]?(?:\d[\d,]*{_GAP}{_UNIT}{_GAP})*{_NUMBER}{_GAP}{_UNIT}?"
    rf"{_GAP}元{_WHOLE}")

# Chinese numerals, 小寫 and 大寫: 兩億七千三百萬元, 壹仟貳佰參拾肆萬伍仟元, 參億元整
_CN_DIGITS = {**CN_DIGITS, "兩": 2}  # 兩億: an amount's 2 (never a heading's label, keys.CN_DIGITS)
_CN_ZERO = "零〇"
_CN_SMALL = {**dict.fromkeys("十拾", 10), **dict.fromkeys("百佰", 100), **dict.fromkeys("千仟", 1000)}
_CN_BIG = {"兆": 10**12, "億": 10**8, "萬": 10**4}
_CN = "".join(_CN_DIGITS) + _CN_ZERO + "".join(_CN_SMALL) + "".join(_CN_BIG)
# read_chinese's: the spaces it drops, an Arabic figure's parts (2億7,579萬5千 → 2億, 7,579萬, 5千), a part's digits
_SPACE = lazy(f"[{SPACES}]")
_FIGURE_PARTS = lazy(rf"([{_CN_ZERO}]?)({_NUMBER})({_UNIT})?")
_FIGURE_PART = lazy(rf"[{_CN_ZERO}]?{_NUMBER}{_UNIT}?")
_GROUPED_DIGITS = lazy(r"\d{1,3}(,\d{3})*|\d+")
# at least one of 百千萬億兆 (一元化, 二元論 are no amounts)
# a space only after 千/仟/萬/億/兆 (貳億 柒仟…元): 「第一 五百萬元」 stays 五百萬元
_CN_GAP = rf"(?<=[千仟萬億兆])[{SPACES}]"
NUMERAL_AMOUNT_PATTERN = lazy(
    rf"(?<![{_CN}\d０-９])(?<![千仟萬億兆][{SPACES}])(?=[{_CN}{SPACES}]*?[百佰千仟萬億兆])[{''.join(_CN_DIGITS)}十拾]"
    rf"(?:[{_CN}]|{_CN_GAP})*元{_WHOLE}")
# 數十萬元, 十餘萬元, 300多萬元, 一百多元: no figure at all, listed unverified as written (預算數十萬元 is a figure)
VAGUE_PATTERN = lazy(
    rf"(?<!算)[數幾][十拾百佰千仟萬億兆][{_CN}]*元|[\d０-９,，.．{_CN}]*[十拾百佰千仟萬億兆][餘多來][{_CN}]*元"
    rf"|[\d０-９,，.．{_CN}]+[餘多來][{_CN}]*[十拾百佰千仟萬億兆]元")
# Anything else that reads as an amount in 元 (2.3.4億元, ２億３千２百萬元): listed unverified, never passed over
AMOUNT_LIKE_PATTERN = lazy(
    r"(?<![\d,.０-９])[-－]?(?:[\d０-９]|[一二兩三四五六七八九十][一二兩三四五六七八九十百千萬億兆零〇]*[萬億兆千百])"
    rf"(?:[\d０-９,，.．一二兩三四五六七八九十百千萬億兆零〇]|(?<=[千萬億兆])[{SPACES}])*元")
# 「2至3億元」, 「二、三億元」: the amount closes a range, and is not the figure
RANGE_BEFORE = lazy(rf"[\d０-９{_CN}][至到~～、]\s*$")
PERCENT_PATTERN = lazy(r"(?<![\d.])\d+(?:\.\d+)?%")

# Words before an amount that make it a bound or a rounded figure, not the figure itself (README, 總說明). ``step``
# is the 元 the amount's last non-zero digit stands for (2億: 100,000,000; 2.3億 and 2億3千萬: 10,000,000):
#   約 X             rounds to X (half away from zero):         X − step/2 ≤ total < X + step/2
#   逾 X, 超過 X     more than X, by less than one step:        X < total < X + step        (逾2億元: 2億多)
#   不到 X, 未達 X   less than X, by less than one step:        X − step < total < X        (不到3億元: 2億多)
#   近 X             a bit under X: rounds to X, under it:      X − step/2 ≤ total < X      (近3億元: 2.5億 to 3億)
# 逾 and 不到 say which way the figure was cut, so one whole step is fair; 近 says the figure is close, so it must
# round to X as 約 does (2.32億 is no 「近3億」, it is 「逾2億」 or 「約2.3億」).
# And after it (「以上、以下、以內者，俱連本數計算」, 刑法 §10: X itself is in):
#   X以上            X or more, by less than one step:          X ≤ total < X + step        (2億元以上: 2億多)
#   X以下            X or less, by less than one step:          X − step < total ≤ X
#   X左右            as 約 X
# A word before and a different one after (逾2億元以下) is unverified: neither is guessed.
QUALIFIERS = {"約": "about", "逾": "over", "超過": "over", "不到": "under", "未達": "under", "近": "nearly",
              "以上": "at-least", "以下": "at-most", "左右": "about"}
_QUALIFIER = lazy(r"(約|逾|超過|不到|未達|近)(?:為|計|達)?(?:新臺幣)?\s*$")
_QUALIFIER_AFTER = lazy(r"^\s*(以上|以下|左右)(?![述列開])")  # not 以上述 (with the above), 以下列


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


_PLAIN_YUAN = lazy(rf"[-－]?{_NUMBER}{_GAP}元{_WHOLE}")
_PLAIN_THOUSANDS = lazy(rf"[-－]?{_NUMBER}{_GAP}千{_GAP}元{_WHOLE}")


def format_like(written: str, thousands: int, yuan: int | None = None) -> str:
    """A figure spelled as ``written`` spells its amount, so the officer reads the two alike: 7,145,999,000元 →
    7,145,358,000元 (its 元 when known, else 7,145,358千元), 129,625千元 → 124,625千元, any other form
    format_chinese's (2億7,579萬5千元)."""
    text = halfwidth(written).strip().removeprefix("新臺幣")
    if _PLAIN_THOUSANDS.fullmatch(text):
        return f"{thousands:,}千元"
    if _PLAIN_YUAN.fullmatch(text):
        return f"{yuan:,}元" if yuan is not None else f"{thousands:,}千元"
    return format_chinese(thousands)


def parse_chinese(text: str) -> int:
    """The book's wording → 元: 2億7,579萬5千元 → 275,795,000; 56,000元 → 56,000; 2.3億元 → 230,000,000;
    兩億七千三百萬元 → 273,000,000; 2億零5千元 → 200,005,000 (零 where places are skipped).

    Accepts full-width digits and a missing 元. Raises NotANumber for anything else.
    """
    return read_chinese(text)[0]


def read_chinese(text: str, rounded: bool = False) -> tuple[int, int]:
    """An amount in words → (元, the 元 its last written digit stands for; 1 when it is exact).

    The book's own form is exact: 280萬元 is 2,800,000 元, its 千 written when not 0 (2億3,302萬6千元).
    A decimal is stated to its last digit: 2.3億元 → (230,000,000, 10,000,000), 23,302.6萬元 → (233,026,000, 1,000).
    A multiplied unit is stated to that unit: 2億3千萬元 → (230,000,000, 10,000,000).
    Chinese numerals the same way (``_read_numerals``): 兩億七千三百萬元 → (273,000,000, 1,000,000), 參億元 and
    一千二百三十四萬五千元 exact.
    「元整」 states the amount exactly: 2億3千萬元整 → (230,000,000, 1).
    ``rounded`` (「約…元」, and the bounds 逾/近/不到): stated to its last non-zero digit, 約2億3,300萬元 →
    (233,000,000, 1,000,000).
    Exact Decimal arithmetic; a figure that is no whole 元 (1.2345萬元) raises NotANumber.
    """
    raw = text
    text = _SPACE.sub("", halfwidth(str(text)).strip())
    if text.startswith("新臺幣"):
        text = text[3:]
    negative, text = split_sign(text, raw)  # 「-280萬元」, 「△280萬元」 (a 減列), 「(280萬元)」 as a cell's figure is read
    whole_yuan = text.endswith("元整")
    text = text.removesuffix("整") if whole_yuan else text
    if text.endswith("元"):
        text = text[:-1]
    if not text:
        raise NotANumber(str(raw))
    if all(c in _CN for c in text):
        yuan, step = _read_numerals(text, str(raw), rounded)
    else:
        yuan, step = _read_figures(text, str(raw), rounded)
    if whole_yuan and not rounded:
        step = 1
    return (-yuan if negative else yuan), step


def _read_figures(text: str, raw: str, rounded: bool) -> tuple[int, int]:
    """Arabic figures with units (2億7,579萬5千, 2.3億, 2億3千萬) → (元, step); see read_chinese."""
    parts = _FIGURE_PARTS.findall(text)
    if _FIGURE_PART.sub("", text):
        raise NotANumber(raw)
    total = Decimal(0)
    last_size = None
    step = Decimal(1)
    for n, (zero, number, unit) in enumerate(parts):
        whole, _, decimals = number.partition(".")
        if not _GROUPED_DIGITS.fullmatch(whole) or (decimals and n < len(parts) - 1):
            raise NotANumber(raw)
        size = (_MULTIPLE_PER[unit[0]] * _YUAN_PER[unit[1]] if len(unit) == 2
                else _YUAN_PER[unit] if unit else 1)
        if last_size is not None and size >= last_size:
            raise NotANumber(raw)
        # 零 says a place is skipped, as in numerals (2億零5千: no 千萬 … 萬); first, or with none skipped, refused
        top = size * 10 ** (len(whole.replace(",", "").lstrip("0") or "0") - 1)
        if zero and (last_size is None or top * 10 >= last_size):
            raise NotANumber(raw)  # 零5千, 2億零3,000萬
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
    return int(total), int(step)


def _read_numerals(text: str, raw: str, rounded: bool) -> tuple[int, int]:
    """Chinese numerals (兩億七千三百萬, 壹仟貳佰參拾肆萬伍仟) → (元, step), exactly as written or refused.

    Each digit takes the place its units give it: 千/百/十 inside a group, 萬/億/兆 after the group. The step is
    read as for the Arabic forms: a last digit multiplied by 千/百/十 onto 萬/億/兆 (兩億七千三百萬: 三 × 百萬) states
    the amount to that place, as 2億3千萬 does; a last digit right before 萬/億/兆 or below 萬 is exact (參億,
    一千二百三十四萬五千). Refused, never guessed (NotANumber): a digit with no unit after a place skipped without
    零 (一萬五 is said for 15,000, 一千五萬 for 1,500萬), digits side by side (三五萬: three to five 萬; 一〇〇),
    零 where no place is skipped or at either end, places out of order, 十 with no digit inside a number (一百十)."""
    pieces = re.split("([兆億萬])", text)
    items: list[tuple[int, int, int, int] | None] = []  # (digit, its place in 元, its place in the group, group) or 零
    group = None
    for n in range(0, len(pieces), 2):
        chars, unit = pieces[n], pieces[n + 1] if n + 1 < len(pieces) else ""
        size = _CN_BIG[unit] if unit else 1
        if (unit and not chars.strip(_CN_ZERO)) or (group is not None and size >= group):
            raise NotANumber(raw)  # 萬萬, 零萬, 萬 before 億
        group = size
        pending, last_place = None, 10_000
        for i, c in enumerate(chars):
            if c in _CN_DIGITS:
                if pending is not None:
                    raise NotANumber(raw)  # 三五萬, 一二
                pending = _CN_DIGITS[c]
            elif c in _CN_ZERO:
                if pending is not None:
                    raise NotANumber(raw)  # 一〇〇: digit by digit
                items.append(None)
            else:
                place = _CN_SMALL[c]
                if place >= last_place or (pending is None and (place != 10 or i != 0)):
                    raise NotANumber(raw)  # 三百五千, 一百十
                items.append((pending or 1, place * size, place, size))
                pending, last_place = None, place
        if pending is not None:
            items.append((pending, size, 1, size))
    total, previous, zero = 0, None, False
    for item in items:
        if item is None:
            if previous is None or zero:
                raise NotANumber(raw)  # 零 first, 零零
            zero = True
            continue
        digit, at, in_group, size = item
        if previous is not None:
            skipped = at * 10 < previous[1]
            if zero and not skipped:
                raise NotANumber(raw)  # 一千零二百
            bare_after_gap = (in_group == 1 and skipped and not zero
                              and not (size > 1 and previous[3] != size))  # 兩億三萬: 三 has its 萬
            if bare_after_gap:
                raise NotANumber(raw)  # 一萬五, 一千五萬, 一百五
        total += digit * at
        previous, zero = item, False
    if zero or previous is None:
        raise NotANumber(raw)
    _, at, in_group, size = previous
    step = at if rounded or (in_group > 1 and size > 1) else 1
    return total, step


@record
class Quote:
    """An amount of the narrative as stated: its 元, the 元 of its last written digit, and the word before or after
    it."""

    yuan: int
    step: int
    word: str = ""  # 約, 逾, 超過, 不到, 未達, 近, 以上, 以下, 左右 (QUALIFIERS), or ""

    def totals(self) -> tuple[int, int] | None:
        """The 元 totals (by size, both ends included) this amount stands for; None when it names the figure at 千元
        or finer with no word before it (the book's own form, 57,019千元, 23,302.6萬元)."""
        if not self.word and self.step <= 1000:
            return None
        return self._bounds(QUALIFIERS.get(self.word, "about"))

    def meaning(self) -> str:
        """zh-TW: what a bound allows (「逾」：多於 200,000,000 元、少於 300,000,000 元); "" for a plain amount."""
        kind = QUALIFIERS.get(self.word)
        if kind is None:
            return ""
        low, high = self._bounds(kind)
        return f"「{self.word}」：" + _MEANINGS[kind].format(low=low, high=high, below=low - 1, above=high + 1)

    def _bounds(self, kind: str) -> tuple[int, int]:
        """The 元 totals (both ends included) of a quote with a word of ``kind`` (QUALIFIERS' values)."""
        x, step = abs(self.yuan), self.step
        half = step // 2
        return {"about": (x - half, x + half - 1), "over": (x + 1, x + step - 1),
                "under": (x - step + 1, x - 1), "nearly": (x - half, x - 1),
                "at-least": (x, x + step - 1), "at-most": (x - step + 1, x)}[kind]

    def written(self, quoted: str) -> str:
        """The amount with its word where it was written: 逾2億元, 2億元以上."""
        return f"{quoted}{self.word}" if self.word in _AFTER_WORDS else f"{self.word}{quoted}"


# Quote.meaning of each kind, in words of its bounds: the lowest and highest totals allowed, and the totals just
# outside them (below, above)
_MEANINGS = {"over": "多於 {below:,} 元、少於 {above:,} 元", "under": "少於 {above:,} 元、多於 {below:,} 元",
             "nearly": "{low:,} 元以上、少於 {above:,} 元", "about": "{low:,} 元以上、少於 {above:,} 元",
             "at-least": "{low:,} 元以上、少於 {above:,} 元", "at-most": "{high:,} 元以下、多於 {below:,} 元"}


_PERCENT_UNITS = 10_000  # a percentage in ten-thousandths of a percent: 98.62% → 986,200


def percent_units(text: str) -> int:
    """A percentage as an integer of ten-thousandths of a percent (98.62% → 986,200); NotANumber past 4 decimals.
    Read by core.amounts.parse_percent, the one reading of typed numbers (９８．６２％ too)."""
    number = parse_percent(text)
    if number is None:
        raise NotANumber(text)
    units = number * _PERCENT_UNITS
    if units != units.to_integral_value():
        raise NotANumber(text)
    return int(units)


_AFTER_WORDS = ("以上", "以下", "左右")


def qualifier(before: str, after: str = "") -> str:
    """The word that makes an amount a bound or a rounded figure (QUALIFIERS): 逾 in 「逾新臺幣2億元」, 以上 in
    「2億元以上」, "" for none. NotANumber when the words before and after disagree (逾2億元以下)."""
    first, last = _QUALIFIER.search(before), _QUALIFIER_AFTER.search(after)
    first, last = first.group(1) if first else "", last.group(1) if last else ""
    if first and last and QUALIFIERS[first] != QUALIFIERS[last]:
        raise NotANumber(f"{first}…{last}")
    return first or last


def read_percent_quote(quoted: str, before: str, after: str = "") -> Quote | None:
    """A percentage of the narrative with a word before or after it (逾98%, 約98.6%, 98%以上), stated to its last
    non-zero digit as amounts are (逾98% → (98%, 99%)), or to its last decimal written (約91.00%: to the hundredth);
    None with no such word: then it is the figure as printed."""
    word = qualifier(before, after)
    if not word:
        return None
    units = percent_units(quoted)  # first: NotANumber past 4 decimals (and for no number at all)
    value = parse_percent(quoted)
    # 約91.00% is stated to the hundredth (its zeros after the point are written), 約90% to the ten
    exponent = (value if "." in quoted else value.normalize()).as_tuple().exponent
    step = _PERCENT_UNITS * 10 ** exponent if exponent >= 0 else _PERCENT_UNITS // 10 ** -exponent
    return Quote(units, step, word)


def read_quote(quoted: str, before: str, after: str = "") -> Quote:
    """An amount of the narrative with the word before or after it (約2.3億元, 逾新臺幣2億元, 2億元以上); NotANumber
    when unreadable."""
    word = qualifier(before, after)
    yuan, step = read_chinese(quoted, rounded=bool(word))
    return Quote(yuan, step, word)


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

from xlbudget.core.amounts import to_thousands  # noqa: E402
from xlbudget.core import codes  # noqa: E402
from xlbudget.core.model import BudgetBook  # noqa: E402


@record
class Figure:
    """A figure of the book the narrative may quote: its value (千元, or a 執行率 text) and where it comes from."""

    key: tuple[str, str, str]  # (period 本年度/上年度/前年度, side 歲入/歲出, measure)
    value: int | str | None
    what: str  # zh-TW description: 歲出機關別預算表 本年度預算數合計
    parts: int = 0  # a sum of this many 千元 figures, each rounded: a 元 quote may differ by 500 元 a part (0: not so)
    yuan: int | None = None  # the exact 元 amount when the figure is summed from 元 lines


def _prior_lines(book: BudgetBook, revenue: bool) -> list:
    return list(book.prior_split[revenue])  # BudgetBook.prior_split: the one rule deciding 歲入 vs 歲出


def _prior_values(lines: list, revenue: bool, attr: str) -> list[int]:
    if not revenue:
        from xlbudget.core.model import counted_prior  # a 業務計畫 line only where its plans have none

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


def _subject_figures(book: BudgetBook, put, expense_kinds: dict[tuple, int]) -> None:
    """One 歲入來源 or 計畫's own figures, keyed (period, side, 科目:name:measure): 本年度 from the lines, 上年度 and
    前年度 from 以前年度. A 總說明 sentence about one source (「(1)統籌分配稅：…決算數14,789,794元」) is held to these.
    ``expense_kinds``: the 歲出 lines' 元 by (工作計畫名稱, 業務計畫名稱, 門), added by book_figures' pass."""
    for side, revenue in (("歲入", True), ("歲出", False)):
        table = "歲入預算表" if revenue else "歲出預算表"
        by_kind: dict[tuple, int] = {}  # the lines summed by what names them and their 門 first (a book has few)
        if revenue:
            for item in book.revenues:
                kind = (item.name, item.level_names, item.basis)
                by_kind[kind] = by_kind.get(kind, 0) + item.amount
        else:
            by_kind = expense_kinds
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


OBJECT = "用途別:"  # a measure of one 一級用途別: 用途別:人事費, 用途別:業務費:經常門, 用途別:業務費@工務行政


@cache
def object_names() -> dict[str, str]:
    """一級用途別 name → its code's first digit (人事費 → 1), as 總說明 names them (「包括人事費…、業務費…」)."""
    return {entry.name: code[:1] for code, entry in codes.object_codes().items() if entry.level == 1}


def _object_figures(objects: dict[tuple[str, str, str], int], summed) -> None:
    """The 一級用途別 figures a 總說明 quotes, from the 歲出 lines summed by (業務計畫, 一級, 門): each 一級's total
    (歲出一級用途別科目分析表's 合計 row), its 經常門 or 資本門 part, and its part of one 業務計畫 (the table's row of
    that 業務計畫), keyed 用途別:人事費, 用途別:業務費:經常門, 用途別:業務費@工務行政."""
    names = {digit: name for name, digit in object_names().items()}
    totals: dict[str, int] = {}
    for (program, digit, basis), amount in objects.items():
        name = names.get(digit)
        if name is None:
            continue  # a code no table knows: its own error (unknown-object-code)
        for measure in (f"{OBJECT}{name}", f"{OBJECT}{name}:{basis}門", f"{OBJECT}{name}@{program}"):
            totals[measure] = totals.get(measure, 0) + amount
    table = "歲出一級用途別科目分析表"
    for measure, amount in sorted(totals.items()):
        name, _, program = measure[len(OBJECT):].partition("@")
        name, _, basis = name.partition(":")
        what = (f"{table} {program} {name}" if program else f"{table} {name}{'（' + basis + '）' if basis else ''}合計")
        summed("歲出", measure, amount, what)


def book_figures(book: BudgetBook) -> dict[tuple[str, str, str], Figure]:
    """Every figure of the tables a 預算總說明 quotes, keyed by (period, side, measure)."""
    figures: dict[tuple[str, str, str], Figure] = {}

    def put(period, side, measure, value, what, parts=0, yuan=None):
        figures[(period, side, measure)] = Figure((period, side, measure), value, what, parts, yuan)

    def summed(side, measure, yuan, what):  # 本年度: 千元 rounded once from the lines' 元, which stay known
        put("本年度", side, measure, to_thousands(yuan), what, yuan=yuan)

    # the lines summed in one pass: by what names them and their 門 (_subject_figures), by 業務計畫 (named by its
    # first line) and by 標記 (each tag once a line); by 門 from the first
    kinds: dict[tuple[str, str, str], int] = {}
    programs: dict[str, list] = {}  # 業務計畫 → [its first line's name, 元]
    tagged: dict[str, int] = {}
    by_object: dict[tuple[str, str, str, str], int] = {}  # kinds' key and the 一級用途別 (its code's first digit)
    for i in book.expenses:
        kind = (i.plan_name, i.program_name, i.basis, i.object_code[:1])
        by_object[kind] = by_object.get(kind, 0) + i.amount
        program = programs.get(i.program_code)
        if program is None:
            program = programs[i.program_code] = [i.program_name, 0]
        program[1] += i.amount
        for tag in set(i.tags) if i.tags else ():
            tagged[tag] = tagged.get(tag, 0) + i.amount
    objects: dict[tuple[str, str, str], int] = {}  # (業務計畫名稱, 一級用途別's digit, 門) → 元
    for (plan, program, basis, digit), amount in by_object.items():  # a book's few hundred kinds, not its lines
        kinds[plan, program, basis] = kinds.get((plan, program, basis), 0) + amount
        objects[program, digit, basis] = objects.get((program, digit, basis), 0) + amount
    by_basis: dict[str, int] = {}
    for (_, _, basis), amount in kinds.items():
        by_basis[basis] = by_basis.get(basis, 0) + amount
    summed("歲出", "預算數", sum(by_basis.values()), "歲出機關別預算表 本年度預算數")
    summed("歲出", "經常門", by_basis.get("經常", 0), "歲出一級用途別科目分析表 經常支出小計")
    summed("歲出", "資本門", by_basis.get("資本", 0), "歲出一級用途別科目分析表 資本支出小計")
    summed("歲入", "預算數", sum(i.amount for i in book.revenues), "歲入來源別預算表 本年度預算數")
    for program, (name, amount) in sorted(programs.items()):
        summed("歲出", f"業務計畫:{name}", amount, f"歲出機關別預算表 {program} {name}")
    for tag, amount in sorted(tagged.items()):
        summed("歲出", f"標記:{tag}", amount, f"歲出明細 標記「{tag}」的細項合計")
    _object_figures(objects, summed)
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
    _subject_figures(book, put, kinds)
    return figures


def standard_sentences(book: BudgetBook, figures: dict | None = None) -> list[str]:
    """The figure sentences of 預算總說明, written from the data (the officer keeps the prose); ``figures``: the
    book's ``book_figures`` when the caller has them (check_narrative takes them too)."""
    f = book_figures(book) if figures is None else figures

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


# each sentence standard_sentences writes, its amounts any (format_chinese's, or 「（未填）」): how build tells the
# sentences of an earlier build in 總說明's column D (its to rewrite) from the officer's own words there (named). An
# amount is format_chinese's form alone (2億7,579萬5千元, 280萬元, 5千元, 0元: at most one digit before 千, at most four
# before 億 or 萬), whole (no digit or comma before it): an officer's 「業務管理增加347千元。」 or 「54,022千元」 is his
_SAID = (r"(?:(?<![\d,])(?:0元|-?(?=\d)(?:\d{1,3}(?:,\d{3})*兆)?(?:\d{1,3}(?:,\d{3})?億)?(?:\d{1,3}(?:,\d{3})?萬)?"
         r"(?:[1-9]千)?元)|（未填）)")
_SENTENCE = lazy("|".join((
    rf"(?:歲入|歲出)部分：前年度(?:歲入|歲出)預算數{_SAID}，(?:歲入|歲出)決算數{_SAID}(?:，執行率達[^，。]+)?。",
    rf"(?:歲入|歲出)部分：上年度(?:歲入|歲出)預算數{_SAID}。",
    rf"歲出預算數{_SAID}，含經常門{_SAID}，資本門{_SAID}，依業務計畫列示如下：",
    rf"\d+\. [^。]*?{_SAID}。",
    rf"歲入預算數{_SAID}。")))


def is_standard_sentence(text: str) -> bool:
    """Whether ``text`` has the shape of a sentence standard_sentences writes, whatever its figures (a build before
    the inputs changed wrote other figures into the same sentences)."""
    return bool(_SENTENCE.fullmatch(text.strip()))


# ---------------------------------------------------------------- 以前年度 說明 and 一級用途別: the figure spoken of

# 「較上年度增列128,993千元」, 「與上年度比較： 增加6,382千元」: the row's 比較 (本年度 − 上年度)
_BOUND = "(?:約|逾|超過|不到|未達|近)?(?:新臺幣)?"  # read by read_quote (derive.narrative.QUALIFIERS)
# 以前年度 說明's 增減 (「較上年度增列128,993千元」, 「與上年度比較： 減少200千元」), typed or printed: against its row's 比較
CHANGE_NOTE = lazy(rf"(?:較上年度(?:預算數)?|與上年度(?:預算數)?比較[：:，,]?)\s*(增列|增加|減列|減少){_BOUND}\s*$")
_STATED = lazy(rf"(本年度|上年度)預算數(?:為|計|共計|合計)?[：:]?\s*{_BOUND}\s*$")
# 總說明's 增減 of the year: 「較上年度預算數144,399千元，增加131,396千元，約91.00%」, 「較上年度減少1億3,139萬6千元」: the
# word just before the amount (or %), and 上年度 named in the sentence before it
CHANGE_BEFORE = lazy(rf"(增列|增加|增編|減列|減少|減編){_BOUND}\s*$")
AGAINST_LAST = lazy(r"(?:較|與|比)上年度")


def year_change(figures: dict, side: str, measure: str) -> tuple[Figure, Figure] | None:
    """本年度 − 上年度 of one of ``figures``' (book_figures) 預算數 — the side's total (``measure`` 預算數), a 業務計畫
    (業務計畫:name) or a source or plan (科目:name:預算數) — as 歲出機關別預算表 and 歲入來源別預算表 print it in
    「本年度與上年度比較」 (千元): the change as a Figure (its value signed, + an increase) and the 上年度 figure it
    is a change of (the base of its %). None when either year's figure is not known."""
    name = measure.split(":")[1] if ":" in measure else ""
    current = figures.get(("本年度", side, measure))
    last = figures.get(("上年度", side, f"科目:{name}:預算數" if measure.startswith("業務計畫:") else measure))
    if current is None or last is None or not isinstance(current.value, int) or not isinstance(last.value, int):
        return None
    table = "歲入來源別預算表" if side == "歲入" else "歲出機關別預算表"
    what = (f"{table} {name + ' ' if name else ''}本年度與上年度比較：本年度 {current.value:,} − 上年度 {last.value:,}"
            " 千元")
    # 上年度 is known to 千元 only (以前年度): an amount in 元 may differ from the 千元 change by its rounding
    return Figure(("本年度", side, f"比較:{measure}"), current.value - last.value, what, parts=1), last



class PriorRow:
    """A 以前年度 歲出 line's figures, as 歲出機關別預算表 prints them beside its 說明: for rules.narrative's check of 以前年度 說明."""

    def __init__(self, book: BudgetBook, line):
        self.line = line
        lines = (book.plans.get(line.code, []) if not line.code.endswith("00")
                 else [i for i in book.expenses if i.program_code == line.code])
        self.yuan = sum(i.amount for i in lines)
        self.current = to_thousands(self.yuan)
        self.name = line.name.split("-", 1)[-1]
        self.branches: dict[str, int] = {}
        for i in lines:
            branch = re.sub(r"^[\d\s]+", "", i.branch or "").strip()
            self.branches[branch] = self.branches.get(branch, 0) + i.amount

    def figure(self, before: str, in_item: bool, branch: str | None) -> Figure | None:
        """The figure an amount of the 說明 speaks of (None: none it can tell). ``before``: the
        說明 up to the amount; ``in_item``: the amount is in an item of a list, ``branch`` the words before it when
        it is the item's first amount."""
        line, name = self.line, self.name
        if in_item:
            if branch not in self.branches:
                return None
            return Figure(("本年度", "歲出", f"分支計畫:{branch}"), to_thousands(self.branches[branch]),
                          f"歲出預算表 {line.code} {name} 分支計畫「{branch}」本年度預算數", yuan=self.branches[branch])
        change, stated = CHANGE_NOTE.search(before), _STATED.search(before)
        if change and line.last_budget is not None:
            sign = 1 if change.group(1) in ("增列", "增加") else -1
            return Figure(("本年度", "歲出", "比較"), sign * (self.current - line.last_budget),
                          f"歲出機關別預算表 {line.code} {name} 本年度與上年度比較 {self.current - line.last_budget:,} 千元")
        if stated and stated.group(1) == "本年度":
            return Figure(("本年度", "歲出", "預算數"), self.current, f"歲出機關別預算表 {line.code} {name} 本年度預算數",
                          yuan=self.yuan)
        if stated and line.last_budget is not None:
            return Figure(("上年度", "歲出", "預算數"), line.last_budget,
                          f"歲出機關別預算表 {line.code} {name} 上年度預算數")
        return None


def object_key(name: str, program: str | None, measures: list[str], side: str) -> tuple | None:
    """The figure of a 一級用途別 named in 總說明: of the 業務計畫 the sentence named before it (「一般行政業務計畫預算編列
    …，包括人事費…」), else of the 經常門 or 資本門 the sentence speaks of (「經常門預算數…，包括人事費…」), else its
    total. None for a 歲入 sentence (no 用途別 there)."""
    if side == "歲入":
        return None
    if program:
        return ("本年度", "歲出", f"{OBJECT}{name}@{program}")
    basis = [m for m in measures if m in ("經常門", "資本門")]
    return ("本年度", "歲出", f"{OBJECT}{name}:{basis[-1]}" if basis else f"{OBJECT}{name}")
