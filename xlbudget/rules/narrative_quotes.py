"""One quoted amount or % of 預算總說明 (or of a 說明) held to the figure it speaks of, and the 增減 against 上年度 a
sentence states: what rules.narrative and rules.printed_narrative judge a quote by (field report 10 §2.0a).

Pure: texts and derive.narrative's figures in, findings out.
"""

from __future__ import annotations

import re

from xlbudget.core.amounts import NotANumber, halfwidth, to_thousands
from xlbudget.core.findings import Finding, make_finding
from xlbudget.core.patterns import lazy
from xlbudget.derive.narrative import (AGAINST_LAST, AMOUNT_LIKE_PATTERN, AMOUNT_PATTERN, CHANGE_BEFORE,
                                      NUMERAL_AMOUNT_PATTERN, PERCENT_PATTERN, RANGE_BEFORE, VAGUE_PATTERN, Figure,
                                      Quote, format_like, percent, percent_units, read_percent_quote, read_quote,
                                      year_change)


SENTENCE_END = lazy(r"[。；;]")
NO_AMOUNT = ()  # no amount yet in the sentence (stated_change: then the side's total)
RATE_OF_OTHER = lazy(r"[佔占]|執行率")  # a share or a 執行率 after the 增減, not its %
_INCREASE = "增"
_CHANGE_PAIRS = (("增加", "減少"), ("增列", "減列"), ("增編", "減編"))  # CHANGE_BEFORE's words, increase first


def no_figure(what: str) -> str:
    """The reason an amount is unverified when the tables hold no figure for what it speaks of."""
    return f"找不到可對照的預算表數字（{what}）"


def longest(text: str, names) -> str | None:
    found = [n for n in names if n in text]
    return max(found, key=len) if found else None


def agrees(quote: Quote, figure: Figure) -> bool:
    """Whether a quoted amount is the figure: to the 元 when the figure's 元 are known, within the rounding of its
    千元 parts when it sums rounded 千元 figures, else at 千元.

    An amount stated coarser than 千元 (2.3億元, 2億3千萬元, 兩億七千三百萬元, 約2億3,200萬元) or bounded (逾2億元,
    近3億元: derive.narrative.QUALIFIERS) stands for a range of totals (``Quote.totals``): 2.3億元 for any total in
    [2.25億, 2.35億). A figure known only to 千元 (± 500 元 a part) agrees when some 元 total it may stand for is in
    that range."""
    totals = quote.totals()
    yuan = quote.yuan
    if totals is not None:
        exact = figure.yuan if figure.yuan is not None else figure.value * 1000
        slack = 0 if figure.yuan is not None else 500 * max(figure.parts, 1)
        if (exact < 0) != (yuan < 0) and exact and yuan:
            return False
        low, high = totals
        return abs(exact) + slack >= low and abs(exact) - slack <= high
    if figure.yuan is not None and yuan == figure.yuan:
        return True
    if figure.parts:
        return abs(yuan - figure.value * 1000) <= 500 * figure.parts
    return (to_thousands(yuan) == figure.value) if yuan % 1000 == 0 else yuan == figure.value * 1000


def amounts(para, kind: str = "narrative") -> tuple[list[tuple[int, int, str, str]], list[Finding]]:
    """The amounts and percentages of a paragraph in order, as (start, end, kind, text), and the amounts that can be
    no figure (數十萬元, 300多萬元) or that no pattern reads (2.3.4億元), unverified at its cell, never skipped.

    Found in the text read half-width (２億７，５７９萬５千元 as one amount, never 「５７９萬５千元」), quoted as typed."""
    typed, text = para.text, halfwidth(para.text)  # one character for one: the places are the same
    vague = list(VAGUE_PATTERN.finditer(text))
    findings = [unreadable(para, typed[slice(*m.span())], "概數，不是確定的金額", kind) for m in vague]
    taken = [m.span() for m in vague]

    def free(span) -> bool:
        return not any(s < span[1] and span[0] < e for s, e in taken)

    amounts = [m for pattern in (AMOUNT_PATTERN, NUMERAL_AMOUNT_PATTERN) for m in pattern.finditer(text)
               if free(m.span())]
    taken += [m.span() for m in amounts]
    findings += [unreadable(para, typed[slice(*m.span())], kind=kind) for m in AMOUNT_LIKE_PATTERN.finditer(text)
                 if free(m.span())]
    tokens = sorted([(m.start(), m.end(), "amount", typed[slice(*m.span())]) for m in amounts]
                    + [(m.start(), m.end(), "percent", typed[slice(*m.span())]) for m in PERCENT_PATTERN.finditer(text)])
    return tokens, findings


def stated_change(figures: dict, before: str, window: str, side: str, quoted_key, programs: dict, subjects: dict,
                 objects, tags) -> tuple[Figure, Figure, str] | None:
    """The 增減 an amount or % of 總說明 states (field report 10 §2.0a): the word just before it (增加, 減少, 增列…),
    上年度 named in its sentence (較上年度, 與上年度), and what changed — a 業務計畫 or source named just before it,
    else the figure the sentence quoted last (its total, a 業務計畫, a source), else the side's total. (change,
    上年度, word), as derive.narrative.year_change gives them; None when the sentence says no such 增減 or names a
    figure with no 上年度 in the tables (a 用途別, a 標記, 經常門): then the amount stays unverified (CHANGE)."""
    word = CHANGE_BEFORE.search(window)
    sentence = before[max(before.rfind(c) for c in "。；;") + 1:]
    if word is None or not AGAINST_LAST.search(sentence) or longest(window, objects) or any(t in window for t in tags):
        return None
    program = next((p for p in sorted(programs, key=len, reverse=True) if p in window), None)
    subject = longest(window, subjects)
    if program:
        measure = f"業務計畫:{program}"
    elif subject:
        measure = f"科目:{subject}:預算數"
    elif quoted_key == NO_AMOUNT:
        measure = "預算數"  # 「本年度歲出較上年度增加…」
    elif quoted_key is None:  # 「1.資通安全68,390千元，較上年度增列58,935千元」: of what the tables cannot tell
        return None
    else:
        side, measure = quoted_key[1], quoted_key[2]
        if not (measure == "預算數" or measure.startswith("業務計畫:")
                or (measure.startswith("科目:") and measure.endswith(":預算數"))):
            return None
    found = year_change(figures, side, measure)
    return None if found is None else (*found, word.group(1))


def _said_change(word: str, written: str, change: int, percent_text: str | None = None) -> str:
    """The 增減 as the sentence should say it, in its own words: 增加131,396千元 (減少 for a decrease; 增列/減列,
    增編/減編 kept), 與上年度相同 for none; ``percent_text`` in place of the amount for a %."""
    if change == 0:
        return "與上年度相同"
    right = next(pair[change < 0] for pair in _CHANGE_PAIRS if word in pair)
    return right + (percent_text if percent_text is not None else format_like(written, abs(change)))


def change_held(para, before: str, quoted: str, change: Figure, word: str, after: str,
                kind: str = "narrative") -> list[Finding]:
    """An amount of 總說明 (``kind`` narrative) or of a 以前年度 說明 (prior-note) said to be the 增減 against 上年度
    (增加131,396千元), against the 比較 the tables print: amount and sign (增加 for an increase, 減少 for a
    decrease), named in words («應為 增列128,993千元»)."""
    if RANGE_BEFORE.search(before):
        return [unreadable(para, quoted, "金額範圍的一端，不是單一金額", kind)]
    try:
        quote = read_quote(quoted, before, after)
    except NotANumber:
        return [unreadable(para, quoted, kind=kind)]
    way = 1 if word.startswith(_INCREASE) else -1
    size = Figure(change.key, abs(change.value), change.what, change.parts)
    if change.value * way > 0 and agrees(quote, size):
        return []
    return [make_finding(f"{kind}-mismatch", para.cell, expected=change.value, actual=quoted,
                         text=word + quote.written(quoted), what=change.what,
                         expected_text=_said_change(word, quoted, change.value))]


def change_rate(para, before: str, quoted: str, change: Figure, last: Figure, word: str | None,
                 after: str = "") -> list[Finding]:
    """The % of a 增減 against 上年度 (約91.00%: 比較 ÷ 上年度, 131,396 ÷ 144,399), and its sign when the word is just
    before it (較上年度減少91.00%)."""
    if not last.value:
        return [make_finding("narrative-unverified", para.cell, actual=quoted, text=quoted,
                             why=no_figure("上年度預算數為 0，無增減比率"))]
    expected = percent(abs(change.value), last.value)
    what = f"{change.what}；÷ 上年度 {last.value:,} 千元"
    found = rate_held(para, before, quoted, expected, what, after)
    wrong_way = word is not None and change.value * (1 if word.startswith(_INCREASE) else -1) < 0
    if word is not None and (found or wrong_way or not change.value):
        return [make_finding("narrative-mismatch", para.cell, expected=expected, actual=quoted, text=word + quoted,
                             what=what, expected_text=_said_change(word, quoted, change.value, expected))]
    return found


def held(para, before: str, quoted: str, figure: Figure | None, what: str,
          after: str = "", kind: str = "narrative") -> tuple[Quote | None, list[Finding]]:
    """One amount of the narrative against the figure it speaks of: read with the word before it (約, 逾, 近…),
    unverified when it cannot be read, closes a range (2至3億元) or has no figure (``what``: why, then), named when
    it disagrees.
    The quote read (None when unread) and the findings. ``kind``: the rule family, narrative (總說明) or prior-note
    (以前年度 說明)."""
    if RANGE_BEFORE.search(before):
        return None, [unreadable(para, quoted, "金額範圍的一端，不是單一金額", kind)]
    try:
        quote = read_quote(quoted, before, after)
    except NotANumber:
        return None, [unreadable(para, quoted, kind=kind)]
    if figure is None or figure.value is None:
        return quote, [make_finding(f"{kind}-unverified", para.cell, actual=quoted, text=quote.written(quoted),
                                    why=what)]
    if agrees(quote, figure):
        return quote, []
    meaning = quote.meaning()
    return quote, [make_finding(f"{kind}-mismatch", para.cell, expected=figure.value, actual=quoted,
                                text=quote.written(quoted), what=figure.what + (f"；{meaning}" if meaning else ""),
                                expected_text=format_like(quoted, figure.value, figure.yuan))]


def rate_held(para, before: str, quoted: str, expected: str, what: str, after: str = "") -> list[Finding]:
    """A percentage against the one it speaks of (98.62%): as printed, or within its bound when a word is before it
    (逾98%: more than 98%, under 99%; derive.narrative.QUALIFIERS); one that cannot be read is unverified."""
    try:
        quote = read_percent_quote(quoted, before, after)
        if quote is None:
            ok = halfwidth(quoted) == expected
        else:
            low, high = quote.totals()
            ok = low <= percent_units(expected) <= high
    except (NotANumber, ArithmeticError):
        return [unreadable(para, quoted, "無法讀出的百分比")]
    if ok:
        return []
    return [make_finding("narrative-mismatch", para.cell, expected=expected, actual=quoted,
                         text=quote.written(quoted) if quote else quoted, what=what, expected_text=expected)]


def unreadable(para, quoted: str, why: str = "無法讀出或可有兩種讀法的金額寫法", kind: str = "narrative") -> Finding:
    """An amount that cannot be read as one figure (2.3.4億元, 一萬五元, 數十萬元): unverified at its cell, never
    skipped."""
    return make_finding(f"{kind}-unverified", para.cell, actual=quoted, text=quoted, why=why)


# 「1.資通安全68,390千元」, 「(1)115年度…」: an item of the list; 「一、」 headings are not
ITEM = lazy(r"(?:^|(?<=[\s：:。；;，,]))(?:\d{1,2}[.、．]|[(（]\d{1,2}[)）])(?![\d,])")
_SAME_AS_LAST = lazy(r"與上年度(?:預算數)?相?同|較上年度無增減")
_CHANGE_WORD = lazy(r"增列|增加|增編|減列|減少|減編")


def item_sums(para, text: str, tokens, current: tuple[int, str, tuple], change: tuple[int, str, tuple] | None,
              kind: str) -> list[Finding]:
    """A 說明 that lists its row's parts, each its amount and then its change against 上年度 (以前年度 32020180101:
    「1.人員維持費42,978千元，較上年度伸算增列現職人員待遇等經費2,403千元。 2.基本行政工作維持費791千元與上年度同。」):
    no table holds a part, but the parts add up to the row, their amounts to its 本年度 (42,978 + 791 = 43,769 千元)
    and their changes to its 比較 (2,403 + 0 = 2,403). ``current``, ``change``: the row's figures (千元), what
    they are and the cells printing them (a finding's related cells). Held only when every item reads so: 1., 2., … (or (1), (2), …) in order, each an amount and one 增減
    after 較上年度 (增列/減列…, or 與上年度同 for none), each to the 千元 (500 元 a part). ``kind``: the rule family
    (prior-note, printed-note)."""
    marks = list(ITEM.finditer(text))
    numbers = [int(re.sub(r"\D", "", m.group())) for m in marks]
    if len(marks) < 2 or numbers != list(range(1, len(marks) + 1)) or len({m.group()[0] in "(（" for m in marks}) > 1:
        return []
    amount = difference = 0
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        own = [t for t in tokens if mark.end() <= t[0] < end]
        if not 1 <= len(own) <= 2 or any(t[2] != "amount" for t in own):
            return []
        try:
            quotes = [read_quote(quoted, text[:start], text[stop:]) for start, stop, _, quoted in own]
        except NotANumber:
            return []
        if any(q.word or q.step > 1000 for q in quotes):
            return []
        between = text[own[0][1]:own[1][0] if len(own) == 2 else end]
        words = {w[0] for w in _CHANGE_WORD.findall(between)}  # 增 or 減
        if len(own) == 2 and "較上年度" in between and len(words) == 1:
            difference += quotes[1].yuan if words == {_INCREASE} else -quotes[1].yuan
        elif len(own) != 1 or words or not _SAME_AS_LAST.search(between):
            return []
        amount += quotes[0].yuan
    n, found = len(marks), []
    for yuan, figure, measure in ((amount, current, "預算數"), (difference, change, "增減")):
        if figure is None or abs(yuan - figure[0] * 1000) <= 500 * n:
            continue
        value, what, cells = figure
        stated = f"{to_thousands(yuan):,}千元"
        found.append(make_finding(f"{kind}-mismatch", para.cell, expected=value, actual=stated, related=cells,
                                  text=f"細目 1 至 {n} 的{measure}合計 {stated}",
                                  what=f"各細目{measure}之和，應等於{what} {value:,} 千元",
                                  expected_text=f"{value:,}千元"))
    return found
