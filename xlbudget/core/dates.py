"""民國 dates: the one conversion between a date and the 民國 calendar (民國元年 = 1912)."""

from __future__ import annotations

import datetime
import re
import unicodedata

ROC_OFFSET = 1911  # 民國 year + 1911 = the Gregorian year


def roc_year(day: datetime.date) -> int:
    """The 民國 year of a date (2024-01-01 → 113). Raises ValueError for a date before 民國元年 (1912)."""
    year = day.year - ROC_OFFSET
    if year < 1:
        raise ValueError(f"{day.isoformat()[:10]} 在民國元年（1912 年）以前，沒有民國年")
    return year


def roc_to_date(year: int, month: int, day: int) -> datetime.date:
    """The date of 民國 year/month/day (113, 1, 1 → 2024-01-01). Raises ValueError when there is no such date."""
    if year < 1:
        raise ValueError(f"民國 {year} 年不是有效的年")
    return datetime.date(year + ROC_OFFSET, month, day)


# a 民國 year as written in a date or period: 1130101 (or 990101), 113年, 113/01/01, 113.1.1
_ROC_YEAR_IN_TEXT = re.compile(r"(?<!\d)(\d{2,3})(?:\d{4}(?!\d)|\s*年|\s*[./]\d{1,2}[./]\d{1,2})")


def roc_years_named(text: str) -> list[int]:
    """The 民國 years a date or period text names, in order (出國計畫 預計前往期間 「1130101-1131231」 → [113, 113];
    「113年9月至10月」 → [113]); a text naming none (「9月」) gives []."""
    return [int(m.group(1)) for m in _ROC_YEAR_IN_TEXT.finditer(unicodedata.normalize("NFKC", text or ""))]
