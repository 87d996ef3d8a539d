"""預算總說明 (narrative): every amount and percentage the officer typed, matched to the table figure it speaks of.

The figures come from ``derive.narrative.book_figures``; this module only
judges the officer's text against them (the sentences xlbudget writes itself
are compared in ``readback``).
"""

from __future__ import annotations

import re

from xlbudget.core.amounts import NotANumber, to_thousands
from xlbudget.core.findings import Finding, make_finding
from xlbudget.core.model import BudgetBook
from xlbudget.derive.narrative import AMOUNT_PATTERN, PERCENT_PATTERN, book_figures, format_chinese, parse_chinese

_PERIOD = re.compile(r"(前年度|上年度|本年度|(\d{2,3})年度)")
_SIDE = re.compile(r"歲入|歲出")
# 「預算」 inside 總預算 (a work plan's name: 總預算編審與督導執行) is not a measure
_MEASURE = re.compile(r"預算數|決算數|執行率|經常門|資本門|分配數|實收|實支|(?<!總)預算")
# a heading paragraph without figures names the period of the paragraphs under it (臺中 115:
# 「（一）前年度計畫實施成果及決算辦理概況」 then 「1、歲入部分：預算數35千元，決算數62千元」)
_PERIOD_WORD = re.compile(r"前年度|上年度|本年度")
# 「經常門預算數149,358千元」: the 經常門/資本門 named in the window is the figure, not the whole 預算數
_BASIS = ("經常門", "資本門")
# measures of budget execution (上年度 截至6月底 累計分配數/實收/實支): no table of the book holds them
OUTSIDE_THE_BOOK = ("分配數", "實收", "實支")


def check_narrative(book: BudgetBook) -> list[Finding]:
    """Match every amount and percentage of the officer's 預算總說明 to the table figure it speaks of."""
    figures = book_figures(book)
    programs = {k[2].split(":", 1)[1]: k for k in figures if k[2].startswith("業務計畫:")}
    tags = {k[2].split(":", 1)[1]: k for k in figures if k[2].startswith("標記:")}
    findings: list[Finding] = []
    heading_period = "本年度"
    for para in book.narrative:
        text = para.text
        tokens = sorted([(m.start(), m.end(), "amount", m.group()) for m in AMOUNT_PATTERN.finditer(text)]
                        + [(m.start(), m.end(), "percent", m.group()) for m in PERCENT_PATTERN.finditer(text)])
        if not tokens:
            words = _PERIOD_WORD.findall(text)
            heading_period = words[-1] if words else heading_period
        period, side, last_end = heading_period, "", 0
        for start, end, kind, quoted in tokens:
            before = text[:start]
            window = text[last_end:start]
            last_end = end
            for m in _PERIOD.finditer(before):
                year = m.group(2)
                period = m.group(1) if not year else {book.agency.year: "本年度", book.agency.year - 1: "上年度",
                                                       book.agency.year - 2: "前年度"}.get(int(year), "")
            sides = _SIDE.findall(before)
            side = sides[-1] if sides else "歲出"
            measures = _MEASURE.findall(window)
            key = None
            tag = next((t for t in tags if t in window), None)
            program = next((p for p in sorted(programs, key=len, reverse=True) if p in window), None)
            if kind == "percent":
                key = (period, side, "執行率") if "執行率" in window else None
            elif tag:
                key = tags[tag]
            elif program and period == "本年度":
                key = programs[program]
            elif measures:
                basis = [m for m in measures if m in _BASIS]
                measure = basis[-1] if basis else measures[-1]
                measure = "預算數" if measure == "預算" else measure
                key = (period, side, measure)
            if key and key[2] in OUTSIDE_THE_BOOK:
                continue  # 分配數, 實收, 實支: execution figures the book's tables do not hold
            figure = figures.get(key) if key else None
            what = f"{period}{side}{key[2] if key else ''}".replace("業務計畫:", "").replace("標記:", "")
            if figure is None or figure.value is None:
                findings.append(make_finding("narrative-unverified", para.cell, actual=quoted, text=quoted,
                                             what=what or "無法判斷指的是哪個數字"))
                continue
            if kind == "percent":
                ok = quoted == figure.value
                expected_text = str(figure.value)
            else:
                try:
                    yuan = parse_chinese(quoted)
                except NotANumber:
                    continue
                ok = (to_thousands(yuan) == figure.value) if yuan % 1000 == 0 else yuan == figure.value * 1000
                expected_text = format_chinese(figure.value)
            if not ok:
                findings.append(make_finding("narrative-mismatch", para.cell, expected=figure.value,
                                             actual=quoted, text=quoted, what=figure.what,
                                             expected_text=expected_text))
    return findings
