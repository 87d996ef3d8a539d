"""Keys as officers type them, normalised once: codes, plan numbers, names, sheet names, header words.

Pure. Full-width digits and letters become ASCII (Unicode NFKC), ideographic and
no-break spaces become plain spaces, and the ends are trimmed, so ``３２０２``,
``3202`` and ``3202\u00a0`` are one key. Every reader compares keys through here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from xlbudget.core.patterns import lazy

_SPACES = lazy(r"\s+")


def normalize_key(value: object) -> str:
    """A typed key as one canonical text: NFKC, every run of spaces one space, trimmed; '' for None."""
    if type(value) is str:
        return _normalized(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number: 3202.0 is the key 3202
    return _normalized(str(value))


@lru_cache(maxsize=8192)
def _normalized(text: str) -> str:
    """NFKC, one space per run, trimmed: kept for the texts a book repeats on every line (codes, 分支計畫)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


_SHORT = 64  # a text up to this long (a header word, a code, a name) is kept by the per-text caches below


def compact_key(value: object) -> str:
    """``normalize_key`` without any space at all: for header words and names (「科 目」 is 科目)."""
    if type(value) is str and len(value) <= _SHORT:
        return _compact(value)
    return _SPACES.sub("", normalize_key(value))


@lru_cache(maxsize=8192)
def _compact(text: str) -> str:
    """compact_key of a short text, kept: every reader reads each header cell five times (the header row's search,
    its columns, their synonyms), and a book repeats its names on every line."""
    return _SPACES.sub("", _normalized(text))


# characters a text shows as nothing (a zero-width space pasted from the web, a soft hyphen, a direction mark): the
# one list, findings' messages name each where it stands
INVISIBLE = (*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2065), 0xFEFF, 0x00AD)
_UNSEEN = dict.fromkeys(INVISIBLE)


def seen_key(value: object) -> str:
    """``compact_key`` as the text is seen: its invisible characters left out too (「行政\u200b業務」 is 行政業務's key).
    For telling that two texts an officer sees alike were typed two ways, to name them; never to read one as the other
    (a key keeps what was typed, and a message shows it)."""
    key = compact_key(value)
    return key if key.isprintable() else key.translate(_UNSEEN)


# a 年度 beside an agency's name (a hand-made heading 「高雄市政府工務局113年度」): the year, not the agency
_YEAR_IN_NAME = lazy(r"(?:中華民國|民國)?\d{2,3}年度")  # compiled on first use: 40 µs off every command's start


def agency_key(name: object) -> str:
    """機關名稱 as one agency: ``compact_key`` with 台 as 臺 (臺中市政府主計處, 台中市政府 主計處 are one agency), a
    年度 in it left out (高雄市政府工務局113年度 and 高雄市政府工務局114年度 are one agency's headings)."""
    key = compact_key(name).replace("台", "臺")
    return _YEAR_IN_NAME.sub("", key) if "年度" in key else key


# the 22 縣市 whose 總預算 gathers their agencies' 單位預算 (臺 and 台 are one)
CITIES = ("臺北市", "新北市", "桃園市", "臺中市", "臺南市", "高雄市", "基隆市", "新竹市", "嘉義市", "新竹縣", "苗栗縣",
          "彰化縣", "南投縣", "雲林縣", "嘉義縣", "屏東縣", "宜蘭縣", "花蓮縣", "臺東縣", "澎湖縣", "金門縣", "連江縣")


def city_of(authority: object, name: object = "") -> str:
    """The 縣市 whose 總預算 an agency's book is part of: the one its 主管機關 (高雄市政府主管, 高雄市政府教育局主管)
    begins with, else its 機關名稱 (高雄市立美術館); "" when neither names one."""
    for text in (authority, name):
        text = agency_key(text)
        for city in CITIES:
            if text.startswith(city):
                return city
    return ""


_UNIT = lazy(r"^(.+?)\(([^()]+)\)$")  # 單價(元), 預算數（千元）: NFKC makes （） ASCII


def header_key(value: object) -> tuple[str, str]:
    """A typed header as (word, unit): ``compact_key`` with a trailing parenthesised unit set apart.

    ``預 算 數`` is ``("預算數", "")``, ``單價(元)`` is ``("單價", "元")`` and ``預算數（千元）`` is
    ``("預算數", "千元")``; whether the unit fits the column is the reader's call (forms/inputs).
    """
    if type(value) is str and len(value) <= _SHORT:
        return _header_key(value)
    return _header_of(compact_key(value))


@lru_cache(maxsize=4096)
def _header_key(text: str) -> tuple[str, str]:
    """header_key of a short text, kept (as _compact)."""
    return _header_of(_compact(text))


def _header_of(text: str) -> tuple[str, str]:
    m = _UNIT.match(text)
    return (m.group(1), m.group(2)) if m else (text, "")


def code_key(value: object, width: int | None = None) -> str:
    """A code as typed, as its digits: spaces and dashes dropped (``3202-0180101``, ``３２０２…``).

    A code typed as a number lost its leading zeros in Excel (``09020180102`` → 9020180102):
    when ``width`` is known, such a number is padded back to it. Text is never padded, so a
    digit really missing from a typed code still shows.
    """
    if value is None or value == "":
        return ""
    text = compact_key(value).replace("-", "")
    if width and isinstance(value, (int, float)) and not isinstance(value, bool) and text.isdigit():
        text = text.zfill(width)
    return text


_BRANCH_NUMBER = lazy(r"^(\d{1,2})(?!\d)\s*(.*)$")  # 1行政業務, 01 行政業務
_SPACED_NUMBER = lazy(r"^(\d+)\s+(.*)$")  # 001 行政業務: a longer number, set apart by a space
# a heading's numbering as officers also type it (NFKC made （一） and １． ASCII): (一) (1) 1) 一、 壹、 1、 1. 一.
# The label is at most three characters; a dot is numbering only before a name (1.5公尺 is no label).
_NUMBERING = lazy(r"^(?:\(([^()\s]{1,3})\)|([^()\s.、]{1,3})\)|([^()\s.、]{1,3})、|([^()\s.、]{1,3})\.(?!\d))\s*(\S.*)$")
# the Chinese digits 1–9, 小寫 and 大寫: the one table (derive/narrative reads amounts with it, and 兩)
CN_DIGITS = {**dict.fromkeys("一壹", 1), **dict.fromkeys("二貳", 2), **dict.fromkeys("三參叁", 3), **dict.fromkeys("四肆", 4),
             **dict.fromkeys("五伍", 5), **dict.fromkeys("六陸", 6), **dict.fromkeys("七柒", 7), **dict.fromkeys("八捌", 8),
             **dict.fromkeys("九玖", 9)}
_CN_LABEL = lazy(r"([^十拾]?)([十拾]?)([^十拾]?)")
BRANCH_WIDTH = 2


def _label_number(label: str) -> int | None:
    """A numbering label read as 1–99: Arabic (1, 01) or Chinese 小寫/大寫 (一, 十二, 貳拾壹); None when it is
    anything else (甲, A, II, 一百, 十十), which is never guessed."""
    if label.isdigit() and label.isascii():
        return int(label) if 0 < int(label) < 10 ** BRANCH_WIDTH else None
    m = _CN_LABEL.fullmatch(label)
    if not m or any(c and c not in CN_DIGITS for c in (m.group(1), m.group(3))):
        return None
    tens, ten, units = m.groups()
    if not ten:  # one digit: 一, 壹
        return CN_DIGITS[tens] if tens and not units else None
    return CN_DIGITS.get(tens, 1) * 10 + CN_DIGITS.get(units, 0)  # 十, 十二, 二十, 貳拾壹


def _numbering(text: str) -> tuple[int | None, str] | None:
    """A heading numbering of a normalised text: its label read (``_label_number``, None when no number 1–99) and
    the name behind it; None when the text opens with no numbering. branch_key's and unread_numbering's one read."""
    m = _NUMBERING.match(text)
    if not m:
        return None
    return _label_number(next(g for g in m.groups()[:4] if g is not None)), m.group(5)


def branch_key(value: object) -> tuple[str, str]:
    """分支計畫 as (number, name): its leading number two wide and its name without spaces.

    ``1行政業務``, ``０１行政業務``, ``01\u00a0行政業務`` and the heading numberings ``(一)行政業務``,
    ``一、行政業務``, ``1.行政業務``, ``(1)行政業務``, ``壹、行政業務`` are all ``("01", "行政業務")``.
    A longer run of digits glued to the name (``01115年度人行道…``: number 01, a name
    that starts with a year) cannot be split safely, so it is kept whole as the name,
    with no number: ``("", "01115年度人行道…")``, as is a name typed without a number and a
    numbering that is no number 1–99 (``(甲)行政業務``: see ``unread_numbering``).
    """
    return _branch_parts(value if type(value) is str else normalize_key(value))


@lru_cache(maxsize=8192)
def _branch_parts(typed: str) -> tuple[str, str]:
    """branch_key of a text as typed, kept: a book repeats each 分支計畫 and 計畫項目 on many lines."""
    text = normalize_key(typed)
    numbering = _numbering(text)
    if numbering:
        number, name = numbering
        if number is not None:
            return str(number).zfill(BRANCH_WIDTH), compact_key(name)
        return "", compact_key(text)
    m = _BRANCH_NUMBER.match(text) or _SPACED_NUMBER.match(text)
    if not m:
        return "", compact_key(text)
    return m.group(1).zfill(BRANCH_WIDTH), compact_key(m.group(2))


def unread_numbering(value: object) -> str:
    """The name behind a heading numbering that is no number 1–99 (``(甲)行政業務``, ``A.行政業務``,
    ``一百、行政業務`` → ``行政業務``), '' when there is no such numbering: readers/items names such a 分支計畫
    when another branch of the plan has that name, rather than print it as a branch of its own."""
    numbering = _numbering(normalize_key(value))
    if numbering is None or numbering[0] is not None:
        return ""
    return compact_key(numbering[1])


# a cell holding only a ditto mark, 「同上」: what an officer types for «the same as the line above» (〃, ″ as NFKC
# makes it ′′, ＂ as "); no reference book prints one as a name, so such a 分支計畫 is never a branch of its own
_DITTOS = frozenset(("〃", '"', "''", "′′", "〝", "〞", "〝〞", "”", "“”", "同上", "仝上", "同前"))


def is_ditto(value: object) -> bool:
    """Whether ``value`` is only a ditto mark (〃, ″, ＂, 同上, 仝上, 同前; spaces and width aside): a cell that means
    «as the line above», which no reader may take for a name of its own (readers/items: ``ditto-mark``)."""
    return value is not None and compact_key(value) in _DITTOS


_RUNNING_SEPARATOR = "-－.．、"  # 03-111年個人電腦租賃費: the running number set off by a dash


def names_project(printed: object, name: object) -> bool:
    """Whether a 分支計畫 or 計畫項目 as the 明細表 prints it, with its running number (``08和興路44巷…``,
    ``01115年度人行道…``, ``03-111年個人電腦租賃費``), names the project ``name`` typed without it.

    The one rule 分年資金需求, 市政白皮書 and 費用分攤 use to find a project's lines: the two texts are one key
    (``compact_key``), or ``printed`` less its two-digit number (and a dash after it) is ``name``.
    """
    a, b = compact_key(printed), compact_key(name)
    if not b:
        return False
    if a == b:
        return True
    return re.match(r"^\d\d", a) is not None and a[2:].lstrip(_RUNNING_SEPARATOR) == b
