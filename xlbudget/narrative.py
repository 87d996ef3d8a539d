"""預算總說明: amounts written the way the books write them, and the figures the narrative must agree with.

Pure. ``format_chinese(275_795)`` → ``2億7,579萬5千元`` (千元 in, text out);
``parse_chinese`` reads such text back (to 元, so plain 元 amounts keep their
precision; ``parse_chinese_thousands`` gives 千元).
"""

from __future__ import annotations

import re

from .amounts import NotANumber

_FULLWIDTH = str.maketrans("０１２３４５６７８９，．", "0123456789,.")

# 千元 per unit
_THOUSANDS_PER = {"兆": 1_000_000_000, "億": 100_000, "萬": 10, "千": 1}
_YUAN_PER = {"兆": 10**12, "億": 10**8, "萬": 10**4, "千": 10**3}

# An amount as the books write it, always ending in 元: 2億7,579萬5千元, 280萬元, 57,019千元, 56,000元.
AMOUNT_PATTERN = re.compile(
    r"(?<![\d,.])[-－]?(?:\d[\d,]*(?:兆|億|萬|千))+(?:\d[\d,]*)?元|(?<![\d,.])[-－]?\d[\d,]*元")
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
    """The book's wording → 元: 2億7,579萬5千元 → 275,795,000; 56,000元 → 56,000.

    Accepts full-width digits and a missing 元. Raises NotANumber for anything else.
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
    total = 0
    last_size = None
    for number, unit in re.findall(r"(\d[\d,]*)(兆|億|萬|千)?", text):
        if not re.fullmatch(r"\d{1,3}(,\d{3})*|\d+", number):
            raise NotANumber(str(raw))
        size = _YUAN_PER[unit] if unit else 1
        if last_size is not None and size >= last_size:
            raise NotANumber(str(raw))
        last_size = size
        total += int(number.replace(",", "")) * size
    if re.sub(r"\d[\d,]*(兆|億|萬|千)?", "", text):
        raise NotANumber(str(raw))
    return -total if negative else total


def parse_chinese_thousands(text: str) -> int:
    """The book's wording → 千元 (the amount must be whole 千元)."""
    yuan = parse_chinese(text)
    if yuan % 1000:
        raise NotANumber(f"{text}（不是千元的整數倍）")
    return yuan // 1000


def percent(numerator: int, denominator: int) -> str:
    """執行率 as the books print it: two decimals, half away from zero (188,162 / 190,786 → 98.62%)."""
    if denominator == 0:
        return ""
    hundredths = abs(numerator) * 10000 * 2 // abs(denominator)  # twice, to round half up
    hundredths = (hundredths + 1) // 2
    sign = "-" if (numerator < 0) != (denominator < 0) and numerator else ""
    return f"{sign}{hundredths // 100}.{hundredths % 100:02d}%"
