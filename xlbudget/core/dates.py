"""民國 dates: the one conversion between a date and the 民國 calendar (民國元年 = 1912)."""

from __future__ import annotations

import datetime
import re
import unicodedata

from xlbudget.core.patterns import lazy

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
_ROC_YEAR_IN_TEXT = lazy(r"(?<!\d)(\d{2,3})(?:\d{4}(?!\d)|\s*年|\s*[./]\d{1,2}[./]\d{1,2})")


def roc_years_named(text: str) -> list[int]:
    """The 民國 years a date or period text names, in order (出國計畫 預計前往期間 「1130101-1131231」 → [113, 113];
    「113年9月至10月」 → [113]); a text naming none (「9月」) gives []."""
    return [int(m.group(1)) for m in _ROC_YEAR_IN_TEXT.finditer(unicodedata.normalize("NFKC", text or ""))]


def roc_digits(day: datetime.date, days: bool = True) -> str:
    """A date in 民國 digits as the tables print it: 1130301 (2024-03-01), without ``days`` 11303. Raises ValueError
    for a date before 民國元年."""
    return f"{roc_year(day)}{day.month:02d}" + (f"{day.day:02d}" if days else "")


def roc_month_digits(text: str, number: bool = False) -> str | None:
    """A 民國 year and month typed as text in 民國 digits, as the tables print 購置年月: 「106年8月」, 「106.8」,
    「106/08」, 「106-08」 → 「10608」 (full-width forms too); None for anything else. ``number``: the text is a number's
    (106.1 typed in a General cell may be 106年10月 with its 0 lost: only the officer knows, so None)."""
    text = unicodedata.normalize("NFKC", text).strip()
    year, month = "", ""
    if text.endswith("月") and "年" in text:
        year, _, month = text[:-1].partition("年")
    else:
        for mark in "./-":
            if text.count(mark) == 1:
                year, _, month = text.partition(mark)
                break
    year, month = year.strip(), month.strip()
    if (year.isascii() and year.isdigit() and len(year) in (2, 3) and month.isascii() and month.isdigit()
            and 1 <= int(month) <= 12 and len(month) <= 2 and not (number and month == "1")):
        return f"{int(year)}{int(month):02d}"
    return None


# a western date, alone or inside a text: 2024-03-01, 2024/3/1, 2024.03.01, 2024年3月1日, ２０２４／３／１ (four digits are no 民國 year;
# the one pattern: XLB_ROC_YEAR reads a text date by it too)
WESTERN_DATE = lazy(r"(?<!\d)(\d{4})\s*[/.\-年／．－]\s*(\d{1,2})\s*[/.\-月／．－]\s*(\d{1,2})(?:\s*日)?(?!\d)")
# a period of two days in 民國 digits, joined as officers join them (~, ～, 至, a dash): printed 1130301-1130310
_ROC_PERIOD = lazy(r"^(\d{5,7})\s*(?:~|～|〜|至|到|[-－—–])\s*(\d{5,7})$")
# a period one of whose ends names no year, the year typed once (2024/3/1-3/10, 2024年3月1日至3月10日, 3/1-2024/3/10):
# converted as one, both ends in the year typed (an end before its start in the next), never the dated end alone
_JOIN = r"\s*(?:~|～|〜|至|到|[-－—–])\s*"
_MONTH_DAY = r"(\d{1,2})\s*[/.\-月／．－]\s*(\d{1,2})(?:\s*日)?"
_HALF_DATED_TEXT = (
    r"(?P<end>" + WESTERN_DATE.pattern + r"(?P<joined>" + _JOIN + r")" + _MONTH_DAY + r"(?![\d/.／．])" + r")"
    + r"|(?P<day>" + WESTERN_DATE.pattern + r"(?P<joinday>" + _JOIN + r")(\d{1,2})(?:\s*日|(?=\s*(?:$|[,，、;；()（）])))" + r")"
    + r"|(?P<start>(?<![\d/.／．\-－])" + _MONTH_DAY + r"(?P<joins>" + _JOIN + r")" + WESTERN_DATE.pattern + r")"
    + r"|" + WESTERN_DATE.pattern)
# a 民國 date typed beside a western one in one period (113年3月1日至2024年3月10日): 113年3月1日, 113/3/1, 113.3.1
_ROC_DATE = (r"(?<![\d/.／．])(\d{2,3})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})(?:\s*日)?|[/.／．]\s*(\d{1,2})\s*[/.／．]\s*(\d{1,2}))"
             r"(?![\d/.／．])")
# the periods of two whole dates come first, so that neither end is read alone: both western (2024/2/30-2024/3/5: a
# start that is no date leaves all of it as typed), or one 民國 and one western, converted alike
_PERIODS = (r"(?P<rocfirst>" + _ROC_DATE + r"(?P<joinr>" + _JOIN + r")" + WESTERN_DATE.pattern + r")"
            + r"|(?P<roclast>" + WESTERN_DATE.pattern + r"(?P<joinl>" + _JOIN + r")" + _ROC_DATE + r")"
            + r"|(?P<both>" + WESTERN_DATE.pattern + r"(?P<joinb>" + _JOIN + r")" + WESTERN_DATE.pattern + r")|")
# compiled on first use (core.patterns.lazy): 45 M instructions, 7 ms, of every command's start when compiled at import
_HALF_DATED = lazy(_PERIODS + _HALF_DATED_TEXT)
_GROUPS: list[tuple[int, frozenset]] = []  # _HALF_DATED's groups and the numbers of its named ones, once compiled


def roc_dates_in(text: str, days: bool = True) -> str:
    """A text's western dates in 民國 digits (roc_digits), as an Excel date cell is printed: 「2024-03-01~2024-03-10」
    → 「1130301-1130310」 (a period of two joined by a dash, as the seed prints 1130101-1131231), 「2023/3/1」 →
    「1120301」, and a 民國 date typed beside a western one alike (「113年3月1日至2024年3月10日」 → 「1130301-1130310」).
    A text with no western date, or only dates that are none (2024-13-01) or before 民國元年, is kept as typed (field
    report 7 §3.4: printed as typed in a 中華民國113年度 table, and never read as a year): dates_left_as_typed names
    those."""
    return _rewritten(text, days)[0]


def dates_left_as_typed(text: str) -> list[str]:
    """The dates and periods of ``text`` that roc_dates_in leaves as typed, as typed: no such day (2024/2/30,
    2024/3/1-3/32), before 民國元年, or a period ending before it starts (2024/3/10-5); and a 民國 date typed as
    such that is no day (113/2/30, 113年13月1日, 1130230-1130305: printed as typed, as any 民國 date, and before
    now without a word where a western one was named), in the order they stand."""
    left = _rewritten(text, True)[1]
    if not text or not any(c.isdigit() for c in text):
        return left
    # read (and named) as western above
    taken = [m.span() for m in _HALF_DATED.finditer(text) if m.group(0)] if _western(text) else []
    found = [(m.start(), typed) for m in _ROC_TYPED.finditer(text) if m.group(0) and (typed := _roc_no_day(m))
             and not any(start < m.end() and m.start() < end for start, end in taken)]
    if not found:
        return left
    # the western ones where they stand among them: each by its place in the text
    at = 0
    western = []
    for typed in left:
        at = text.find(typed, at)
        western.append((at, typed))
        at += len(typed)
    return [typed for _, typed in sorted(western + found)]


# a 民國 date as typed: 113年3月1日, 113/3/1, 113.3.1 (_ROC_DATE), or its seven digits 1130301 (民國 100 to 199: six
# digits or another first digit are as likely no date); a period of two, or of one and a month and day or a day
# after it (113年3月1日至3月10日, 113/3/1-10), as _HALF_DATED reads a western one
_ROC_DAY = r"(?:" + _ROC_DATE + r"|(?<![\d/.／．])(1\d{2})(\d{2})(\d{2})(?![\d/.／．]))"
_ROC_TYPED = lazy(r"(?P<rocpair>" + _ROC_DAY + _JOIN + _ROC_DAY + r")"
                  + r"|(?P<rochalf>" + _ROC_DAY + _JOIN + _MONTH_DAY + r"(?![\d/.／．]))"
                  + r"|(?P<rocday>" + _ROC_DAY + _JOIN + r"(\d{1,2})(?:\s*日|(?=\s*(?:$|[,，、;；()（）]))))"
                  + r"|" + _ROC_DAY)


def _roc_no_day(m: re.Match) -> str | None:
    """The text of a _ROC_TYPED match when it is no date or period (a day that is none, before 民國元年, an end
    before its start), else None."""
    named = m.re.groupindex.values()
    numbers = [int(m.group(i)) for i in range(1, m.re.groups + 1) if i not in named and m.group(i) is not None]
    try:
        first = roc_to_date(*numbers[:3])
        if m.group("rocpair") is not None:
            last = roc_to_date(*numbers[3:])
        elif m.group("rochalf") is not None:  # 113/3/1-3/10: the end in the start's year, or the next
            last = datetime.date(first.year, *numbers[3:])
            last = last if last >= first else datetime.date(first.year + 1, *numbers[3:])
        elif m.group("rocday") is not None:  # 113/3/1-10: the end in the start's month
            last = datetime.date(first.year, first.month, numbers[3])
        else:
            last = first
    except ValueError:
        return m.group(0)
    return m.group(0) if last < first else None


def _western(text: str) -> bool:
    """Whether ``text`` may hold a date _HALF_DATED reads: each of its ways holds a WESTERN_DATE, lookarounds and all
    (a 民國 one only beside it), so a text WESTERN_DATE finds nothing in has none. 1130101-1131231, the way 出國計畫's
    periods are typed, then never compiles _HALF_DATED (3.3 ms of every build's, check's and export's start)."""
    return WESTERN_DATE.search(text) is not None


def _rewritten(text: str, days: bool) -> tuple[str, list[str]]:
    """roc_dates_in's text, and the dates it left as typed."""
    if not text or not _western(text):
        return text, []
    changed = False
    left: list[str] = []

    def roc(m: re.Match) -> str:
        nonlocal changed
        numbers = [int(m.group(i)) for i in range(1, groups + 1) if i not in named and m.group(i) is not None]
        try:
            if m.group("rocfirst") is not None:  # 113年3月1日至2024年3月10日: each end in 民國 digits
                first, last = roc_to_date(*numbers[:3]), datetime.date(*numbers[3:])
                if last < first:  # an end before its start: as typed, named (as 2024/3/10-5)
                    raise ValueError(m.group(0))
                digits = roc_digits(first, days) + m.group("joinr") + roc_digits(last, days)
            elif m.group("roclast") is not None:
                first, last = datetime.date(*numbers[:3]), roc_to_date(*numbers[3:])
                if last < first:  # an end before its start: as typed, named (as 2024/3/10-5)
                    raise ValueError(m.group(0))
                digits = roc_digits(first, days) + m.group("joinl") + roc_digits(last, days)
            elif m.group("both") is not None:
                first, last = datetime.date(*numbers[:3]), datetime.date(*numbers[3:])
                if last < first:  # an end before its start: as typed, named (as 2024/3/10-5)
                    raise ValueError(m.group(0))
                digits = roc_digits(first, days) + m.group("joinb") + roc_digits(last, days)
            elif m.group("end") is not None:  # 2024/3/1-3/10: the end in the start's year, or the next
                first = datetime.date(*numbers[:3])
                last = datetime.date(first.year, *numbers[3:])
                last = last if last >= first else datetime.date(first.year + 1, *numbers[3:])
                digits = roc_digits(first, days) + m.group("joined") + roc_digits(last, days)
            elif m.group("day") is not None:  # 2024/3/1-10, 2024年3月1日至10日: the end in the start's month
                first = datetime.date(*numbers[:3])
                last = datetime.date(first.year, first.month, numbers[3])
                if last < first:
                    left.append(m.group(0))
                    return m.group(0)
                digits = roc_digits(first, days) + m.group("joinday") + roc_digits(last, days)
            elif m.group("start") is not None:  # 3/1-2024/3/10: the start in the end's year, or the one before
                last = datetime.date(*numbers[2:])
                first = datetime.date(last.year, *numbers[:2])
                first = first if first <= last else datetime.date(last.year - 1, *numbers[:2])
                digits = roc_digits(first, days) + m.group("joins") + roc_digits(last, days)
            else:
                digits = roc_digits(datetime.date(*numbers), days)
        except ValueError:  # no such date (3/32), or before 民國元年: the whole of it as typed, never one end
            left.append(m.group(0))
            return m.group(0)
        changed = True
        return digits

    # the dates alone are rewritten (full-width digits and separators read where they are: \d is any digit), the
    # rest of the text printed as typed: normalising all of it turned the officer's 「（10天）」 into 「(10天)」
    if not _GROUPS:
        _GROUPS.append((_HALF_DATED.groups, frozenset(_HALF_DATED.groupindex.values())))
    groups, named = _GROUPS[0]
    converted = _HALF_DATED.sub(roc, text)
    if not changed:
        return text, left
    period = _ROC_PERIOD.match(converted.strip())
    return (f"{period.group(1)}-{period.group(2)}" if period else converted), left
