"""Amounts: 元 integers, the one 千元 rounding, and numbers as people type them."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from xlbudget.core.patterns import lazy

_FULLWIDTH = str.maketrans("０１２３４５６７８９，．－＋（）ｘＸ％", "0123456789,.-+()xX%")
NOISE = 1e-9  # Excel arithmetic noise: a float this close (relative) to an integer is shown as that integer
_DECIMAL = lazy(r"^[+-]?\d+(\.\d+)?$")


def to_thousands(yuan: int | Decimal) -> int:
    """元 → 千元, rounded half away from zero (Excel's ROUND, not Python's round).

    A Decimal may carry 角/分 (a cell function handed 2500.4); it is rounded the same way.
    """
    if yuan.__class__ is int:  # most calls (every 千元 cell of a table): half a thousand added, then floored
        return (yuan + 500) // 1000 if yuan >= 0 else -((500 - yuan) // 1000)
    if isinstance(yuan, Decimal):
        return int((yuan / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    q, r = divmod(abs(yuan), 1000)
    q += r >= 500
    return -q if yuan < 0 else q


def to_percent(part: int, whole: int) -> Decimal:
    """part ÷ whole in %, two places, rounded half away from zero like ROUND (188,162 / 190,786 → 98.62;
    1 / 800 → 0.13); 0.00 when either is 0. The one percentage rounding (執行率, 分攤比率)."""
    if not part or not whole:
        return Decimal("0.00")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class NotANumber(ValueError):
    """A cell that should hold a whole number of 元 does not. ``rule``: the finding that names such a cell."""

    rule = "not-a-number"


class MisplacedComma(NotANumber):
    """A number whose commas do not group its digits by three (「1,2」, 「10,0000」): a typo for 1.2 or 12, never 12."""

    rule = "misplaced-comma"


class JoinedFigures(NotANumber):
    """Two figures in one cell, set apart by whitespace (field report 5 §1.1): 「5\n2,000」 is 數量 5 and 單價 2,000
    pasted from a PDF into one cell, 「3 2,000」 a slip; never the one number 52,000 or 32,000 (``_unspaced``)."""

    rule = "joined-figures"


class TrailingSign(NotANumber):
    """A figure with its minus after it, 「4410710-」 or 「4,410,710 -」: how accounting systems print a negative (or a
    credit) balance (field report 17 §2.6). Never read: neither 4,410,710 (the sign dropped) nor a guess at its sign;
    refused saying it is a sign, and where budget books write one."""

    rule = "trailing-sign"


class AmbiguousPoint(NotANumber):
    """「28.000」, 「1.600」 typed as text: one point, exactly three digits after it, one to three before (not 0) and
    no comma (field22, session 36). A thousands separator as European copies write one (28,000; 1,600), or a decimal
    point (28; 1.6 元)? Each reading is 1,000 times the other, and 「28.000」 was read as 28 without a word: never
    read as either. A comma makes the point a decimal one (「1,234.000」); a figure of its own kind in decimals
    (油料單價, a %: ``parse_decimal``) has no thousands to mean and is read as typed."""

    rule = "ambiguous-point"


def _point_grouped(text: str) -> bool:
    """Whether ``text`` (signs aside, no comma) is AmbiguousPoint's 「28.000」."""
    whole, point, part = text.lstrip("+-").partition(".")
    return (bool(point) and len(part) == 3 and 0 < len(whole) <= 3 and whole[0] != "0"
            and (whole + part).isascii() and (whole + part).isdigit())


EXCEL_DIGITS = 15  # Excel keeps a number's first 15 significant digits: 12345678901234567 is kept as 12345678901234600
_EXCEL_LIMIT = 10 ** EXCEL_DIGITS


class TooManyDigits(NotANumber):
    """A number whose whole part has more than 15 digits (field report 4 §1.4, §3.2): Excel cannot keep it (its last
    digits change), no budget figure is that large, and a cell of thousands of digits (a pasted list) would
    otherwise stop the program. ``digits``: how many the whole part has; ``str()``: the text, cut short."""

    def __init__(self, value: object, digits: int):
        if isinstance(value, float):  # as Excel shows it: 12345678901234567 is 12345678901234600
            value = int(float(f"{value:.15g}"))
        if isinstance(value, int) and value.bit_length() > 80:  # str() of an int past 4,300 digits raises
            value = str(value)[:20] + "…" if value.bit_length() < 14000 else "…"
        text = str(value) if len(str(value)) <= 24 else str(value)[:20] + "…"
        super().__init__(text)
        self.digits = digits

    rule = "too-many-digits"


def _digits(whole: str) -> int:
    """How many digits a number's whole part has, as typed (leading zeros and signs aside)."""
    return len(whole.lstrip("+-").lstrip("0"))


_GROUPED = lazy(r"^[+-]?\d{1,3}(,\d{3})*(\.\d*)?$")  # 1,234,567 (.5): the one thousands grouping


def _ungrouped(text: str, value: object) -> str:
    """``text`` without its thousands commas; MisplacedComma when they do not group its digits by three."""
    if "," not in text:
        return text
    plain = text.replace(",", "")
    if _DECIMAL.match(plain) and not _GROUPED.match(text):  # a number but for its commas (else: not a number)
        raise MisplacedComma(str(value))
    return plain


def parse_int(value: object) -> int | None:
    """Read a whole number as typed in a budget sheet; None for an empty cell.

    Accepts ints, integral floats, text with thousands separators, full-width
    digits, negatives written (1,234), △1,234 or ▲1,234. Raises NotANumber
    for anything else (text, fractions), so a bad cell is never read as 0.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise NotANumber(str(value))
    if isinstance(value, int):
        if not -_EXCEL_LIMIT < value < _EXCEL_LIMIT:
            raise TooManyDigits(value, _digits(str(value)) if value.bit_length() < 14000 else round(
                value.bit_length() * 0.30103))  # past Python's 4,300-digit str(), about as many
        return value
    if isinstance(value, float):
        return _whole(value)
    if isinstance(value, Decimal):
        if value.is_finite() and value.adjusted() >= EXCEL_DIGITS:
            raise TooManyDigits(value, value.adjusted() + 1)
        if value != value.to_integral_value():
            raise NotANumber(str(value))
        return int(value)
    number = _typed_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise NotANumber(str(value))
    return int(number)


def _typed_decimal(value: object, decimals: bool = False) -> Decimal | None:
    """A number typed as text, exactly (parse_int's and parse_price's one reading of text): thousands commas
    grouped by three, full-width digits, negatives written (1,234), △1,234 or ▲1,234, 「-」 or 「—」 for 0;
    None when empty. Whitespace inside only as ``_unspaced`` allows (「32 000」, 「43,\n769」). Raises NotANumber
    (MisplacedComma for 「1,2」, JoinedFigures for 「5\n2,000」, AmbiguousPoint for 「28.000」 unless ``decimals``: a
    figure of a kind in decimals, parse_decimal's) for anything else."""
    text = _typed(value)
    if not text or text in ("-", "—"):
        return None if not text else Decimal(0)
    if text.endswith("-") and text[0] not in "-(△▲":
        try:
            _typed_decimal(text[:-1], decimals)
        except NotANumber:
            pass  # not a figure and a sign: 「12-3-」 is no number at all
        else:
            raise TrailingSign(str(value))
    negative, text = split_sign(text, value)
    if _SPACE.search(text):
        text = _unspaced(text, value)
    if not decimals and "," not in text and _point_grouped(text):
        raise AmbiguousPoint(str(value))
    text = _ungrouped(text, value)
    if not _DECIMAL.match(text):  # digits and one point at most: never NaN, Infinity nor 1e3
        raise NotANumber(str(value))
    digits = _digits(text.partition(".")[0])
    if digits > EXCEL_DIGITS:
        raise TooManyDigits(value, digits)
    number = Decimal(text)
    return -number if negative else number


def split_sign(text: str, value: object = None) -> tuple[bool, str]:
    """A typed amount's negative mark, as budget books write one: (1,234), △1,234, ▲1,234, -1,234 → (True, 「1,234」);
    (False, text) when it has none. ``text`` is trimmed, full-width forms made ASCII. The one reading of a negative
    sign (parse_int, parse_price, the 中文金額 reader's 「△280萬元」): what follows a mark is trimmed, and a second sign
    after it (「(-5)」, 「△-5」, 「-(5)」) raises NotANumber naming ``value`` (``text`` when not given), never a
    figure whose sign was guessed.
    """
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    elif text[:1] in ("△", "▲", "-"):
        negative, text = True, text[1:].lstrip()
    if negative and text[:1] in ("(", "△", "▲", "-", "+"):
        raise NotANumber(str(text if value is None else value))
    return negative, text


_SPACE = lazy(r"\s")
_COMMA_GAP = lazy(r"\s*,\s*")
_POINT_GAP = lazy(r"(?<=\d)\s*\.\s*(?=\d)")
_SIGN_GAP = lazy(r"^([+-])\s+")
_SPACE_GROUPED = lazy(r"^[+-]?\d{1,3}( +\d{3})+(\.\d*)?$")  # 32 000, 1 234 567.5: spaces in place of commas
_FIGURE = lazy(r"^[+-]?[\d,]*\d[\d,]*(\.\d+)?$")


def _unspaced(text: str, value: object) -> str:
    """``text`` (NFKC, trimmed) without the whitespace a number may hold inside; JoinedFigures when it sets apart two
    figures, NotANumber when it is no number at all (「779\n(註)」, 「12 元」).

    The rule (field report 5 §1.1). The four reference books print no whitespace inside a figure: in their text,
    whitespace only sets apart columns (「95,442      95,434」), and the 千元 after an amount in 總說明's prose
    (「預算數35      千元」) is the narrative reader's, never a cell's. So whitespace inside is allowed only
    - beside a thousands comma, a line break too: 「43,\n769」 (a converter wraps a printed figure at its comma);
    - beside a decimal point between digits, so too: 「1,234.\n5」, 「0.\n6」 (a 單價 with 角 wrapped at its point:
      「.5」 is no figure, so the whitespace sets apart no two);
    - as the thousands separator itself, in place of every comma, each group after the first of three digits:
      「32 000」, 「1 234 567」 (ISO's and European copies' separator). A space only, of any width (plain, no-break,
      thin, ideographic: NFKC makes each a plain space), never a line break or tab, which are no separator;
    - after a sign: 「- 1,234」 (and 「△ 1,234」, 「( 1,234 )」, trimmed by the caller).
    Any other whitespace between digits sets apart two figures: 「5\n2,000」, 「12\n500」, 「1\n2\n000」, 「3\t2000」,
    「5　2,000」 (a space beside a comma-grouped figure), 「32,000 5,000」. 「5 200」 reads as 5,200: a space grouping
    three digits is the thousands separator, whatever was meant.
    """
    text = _SIGN_GAP.sub(r"\1", _POINT_GAP.sub(".", _COMMA_GAP.sub(",", text)))
    if not _SPACE.search(text):
        return text
    if _SPACE_GROUPED.match(text):
        return text.replace(" ", "")
    if all(_FIGURE.match(part) for part in text.split()):
        raise JoinedFigures(str(value))
    raise NotANumber(str(value))


_BREAKS = lazy(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")


def shown_whitespace(text: str) -> str:
    """Typed text as a one-line message quotes it: each line break shown as （換行）, a tab as （定位字元）
    (「5（換行）2,000」), so the officer sees what the cell holds between its figures."""
    return _BREAKS.sub("（換行）", text.strip()).replace("\t", "（定位字元）")


def _whole(value: float) -> int:
    """A float as Excel shows it: 871852.0000000002 is 871852; 0.5 is refused."""
    if value != value or value in (float("inf"), float("-inf")):
        raise NotANumber(str(value))
    if not -_EXCEL_LIMIT < value < _EXCEL_LIMIT:
        raise TooManyDigits(value, len(f"{abs(value):.0f}"))
    nearest = round(value)
    if value != nearest and abs(value - nearest) > NOISE * max(1.0, abs(value)):
        raise NotANumber(str(value))
    return int(nearest)


def halfwidth(text: str) -> str:
    """Full-width digits and signs as ASCII (１２３，４ → 123,4): the one table, for any reader of typed numbers."""
    return text.translate(_FULLWIDTH)


def _typed(value: object) -> str:
    """Number text as typed, one way everywhere: full-width forms as ASCII (NFKC, which makes halfwidth's every
    character ASCII too, and every width of space a plain space), the ends trimmed; the whitespace inside kept as
    typed, for ``_unspaced`` to judge (a line break is no space). The minus sign U+2212 (「−2,403」, what text copied
    from a PDF or a word processor holds, which NFKC keeps) is the minus it is (field report 18 §2)."""
    text = str(value)
    if not text.isascii() and any(unicodedata.category(ch) == "No" for ch in text):
        # NFKC makes ² ¹ ① ⑴ digits: 「41366¹」 (a footnote mark) would be 413,661 and 「⑴」 −1 (field report 15 §1.2)
        raise NotANumber(text)
    return unicodedata.normalize("NFKC", text).replace("\u2212", "-").strip()


def parse_quantity(value: object) -> int | None:
    """數量 of an input sheet: a whole number, or a product whose value is whole, each factor perhaps followed by its
    unit word: 36, 3x12, 13×12, 12月, 12個月, 2人×6月 (= 12), 12.0 typed as text; None when empty. The one grammar
    of 數量 text, the printed 明細表's too (``read_quantity``), so an input sheet and a printed book read 2人×6月 alike.

    Raises NotANumber when the text is none of these (一式, 1-12月, 6+6, 人x月) or its value is no whole number (1.5).
    """
    return read_quantity(value, whole=True)


# one factor of 數量: a number (8, 1.5) and the unit word after it (月, 個月, 人, 式, 天), CJK only; compiled by re
# when 數量 text is first read: its CJK range takes 1 ms to compile, which every command paid at import
# A word of magnitude (1萬, 3千張, 2百) is no unit: 1萬 is 10,000, never 1 (refused, never read as its digits). Nor is
# a word with a number or a joining word in it: 12個月又半, 12個半月, 6個月半 are 12.5 and 6.5 months, 12月又五天,
# 1年又三月 (15 months), 2人兩月 (4), 12個月餘 more than their first number: each was read as that number alone (12, 1, 2).
# A unit word that holds such a character as a whole (加侖, a gallon) is a unit still: 500加侖 is 500
_NOT_A_UNIT = "〇零一二三四五六七八九十拾百佰千仟萬万億亿兆壹貳贰參叁肆伍陸柒捌玖兩两半廿卅又餘余多加及和與与另約"
_UNIT_WORDS = "加侖"
_PRINTED_FACTOR = (rf"^\s*(\d+(?:\.\d+)?)\s*((?:{_UNIT_WORDS}|(?![{_NOT_A_UNIT}])[\u3400-\u9fff]){{0,4}})\s*$")


def parse_printed_quantity(value: object) -> int | Decimal | None:
    """數量 as a printed 明細表 shows it: parse_quantity's forms, or with a fraction (新北 115 prints 年終工作獎金
    as 8×1.5 = 12; 5人x5天 as 臺中 115 prints 出國 人天); None when empty. A whole product is an int, else its exact
    Decimal.

    Raises NotANumber for anything else (一式, 1-12月, 人x月): the product cannot be checked.
    """
    return read_quantity(value, whole=False)


def read_quantity(value: object, whole: bool) -> int | Decimal | None:
    """數量 as typed or printed → its value, exactly (Decimal arithmetic): factors joined by x X × * ＊, each a number
    (commas grouping three digits) and perhaps a unit word. ``whole``: an input sheet's, whose value must be a whole
    number (3 × 1.5 is refused, 8 × 1.5 = 12 is 12); else a printed one, whose value may be a Decimal."""
    if value is None:
        return None
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return parse_int(value) if whole else parse_price(value)
    text = _typed(value)
    if not text:
        return None
    result = Decimal(1)
    for factor in re.split(r"[xX×*＊]", text):
        number = re.match(r"\s*([\d,.]+)", factor)
        if number:  # 「1,200張」 is 1,200; 「1,2月」 is not 12 (MisplacedComma), 「6.000」 neither 6 nor 6,000
            if _point_grouped(number.group(1)):
                raise AmbiguousPoint(str(value))
            factor = _ungrouped(number.group(1), value) + factor[number.end():]
        m = re.match(_PRINTED_FACTOR, factor)
        if not m:
            parts = factor.split()  # 「1 2」, 「1\n2」: two figures, as an amount's (_unspaced)
            if len(parts) > 1 and all(_FIGURE.match(part) for part in parts) and not _SPACE_GROUPED.match(factor):
                raise JoinedFigures(str(value))
            raise NotANumber(str(value))
        if _digits(m.group(1).partition(".")[0]) > EXCEL_DIGITS:  # one factor past Excel's digits, 0 × it too
            raise TooManyDigits(value, _digits(m.group(1).partition(".")[0]))
        result *= Decimal(m.group(1))
    if result.adjusted() >= EXCEL_DIGITS:
        raise TooManyDigits(value, result.adjusted() + 1)
    if result == result.to_integral_value():
        return int(result)
    if whole:
        raise NotANumber(str(value))
    return result


def format_quantity(value: object) -> str:
    """數量 as printed: integers with separators, products as typed (3x12)."""
    kind = value.__class__
    if kind is int:  # the common 數量 first
        return f"{value:,}"
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{int(value):,}"
    return str(value).strip()


BLANK = "（空白）"  # what an officer reads for a figure that is not there


def format_figure(value: object) -> str:
    """A figure as a check message, a cell note or a comparison shows it: 1,234 for integers, text as
    typed, and （空白） for nothing (None, or text of spaces only), never "None" or an empty gap."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return BLANK
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def funding_note(total: int, matched: int) -> str:
    """The 市款 / 收支併列 note printed beside a subtotal (元)."""
    city = total - matched
    if matched == 0:
        return f"市款{city:,}元"
    if city == 0:
        return f"收支併列{matched:,}元"
    return f"市款{city:,}元，收支併列{matched:,}元"


def priced_amount(quantity: int | Decimal, price: int | Decimal) -> int:
    """數量 × 單價 in whole 元: the exact product, rounded half away from zero (Excel's ROUND(…, 0)).

    A budget line's 預算數 is whole 元 (the 明細表 prints 單位：新臺幣元) while a
    單價 may carry 角 (臺北市政府工務局新建工程處 116年度: 312,500 頁 × 1.6 =
    500,000; 12×12×3,800 張 × 0.6 = 328,320). Where the product has a fraction,
    the 元 figure is rounded the book's one way (RULES.md "Rounding": half away
    from zero, like Excel's ROUND), as 公務車輛明細表's 油料費 is (1,668 公升 × 31.0 = 51,708).
    """
    if type(price) is int and type(quantity) is int:
        return quantity * price
    product = Decimal(quantity) * Decimal(price)
    rounded = abs(product).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(-rounded if product < 0 else rounded)


def parse_price(value: object) -> int | Decimal | None:
    """單價 as typed: a whole number as ``parse_int`` reads it, else its exact decimal (1.6 元, never 2 nor the
    float 1.6000000000000001); None for an empty cell. Raises NotANumber for anything else.

    A float is taken at the 15 significant digits Excel shows, so 0.6 typed in
    Excel is Decimal("0.6").
    """
    if isinstance(value, str):
        number = _typed_decimal(value)  # 「1,00000」 is no 單價 either (MisplacedComma)
        return number if number is None or number != number.to_integral_value() else int(number)
    try:
        return parse_int(value)
    except TooManyDigits:
        raise
    except NotANumber:
        pass
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NotANumber(str(value))
        return Decimal(f"{value:.15g}")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NotANumber(str(value))
        return value
    raise NotANumber(str(value))


def parse_decimal(value: object) -> Decimal | None:
    """A number with decimals as typed, exactly as typed (31.0 stays 31.0, ３１．０, 1,668.5); None when empty.
    Text is read as parse_price reads it (_typed_decimal), but for 「31.500」, which is 31.500 here (a figure in
    decimals, 油料單價 or a %, means no thousands by it: no AmbiguousPoint); a float at Excel's 15 digits. Raises
    NotANumber."""
    if isinstance(value, str):
        return _typed_decimal(value, decimals=True)
    number = parse_price(value)
    return None if number is None else Decimal(number)


def parse_percent(value: object) -> Decimal | None:
    """A percentage as typed, in % (52.32, 52.32%, ５２．３２％); None when empty. Raises NotANumber."""
    if isinstance(value, str):
        value = value.replace("%", "").replace("％", "")
    return parse_decimal(value)


def price_format(value: object) -> str | None:
    """The number format that shows a 單價 with 角 as typed (1.6 → ``#,##0.0``), or None for a whole number:
    the amount format (#,##0) would show 1.6 as 2."""
    if type(value) is not Decimal or value == value.to_integral_value():
        return None
    places = -value.normalize().as_tuple().exponent
    zeros = "0" * places
    return f'#,##0.{zeros};-#,##0.{zeros};"-"'


def format_price(value: Decimal | None) -> str:
    """A unit price as the book prints it: 31.0, 33.9 (at least one decimal place, more when typed)."""
    if value is None:
        return ""
    places = max(1, -value.normalize().as_tuple().exponent)
    return f"{value:,.{places}f}"
