"""預算總說明 (narrative): every amount and percentage the officer typed, matched to the table figure it speaks of.

The figures come from ``derive.narrative.book_figures``; this module only
judges the officer's text against them (the sentences xlbudget writes itself
are compared in ``readback``).
"""

from __future__ import annotations

import re

from xlbudget.core.amounts import NotANumber, halfwidth, to_thousands
from xlbudget.core.findings import Finding, make_finding
from xlbudget.core.model import BudgetBook, CellRef, Paragraph
from xlbudget.core.patterns import lazy
from xlbudget.forms.inputs import SHEET_NARRATIVE
from xlbudget.derive.narrative import (CHANGE_NOTE, OBJECT, Figure, book_figures, PriorRow, object_key, object_names, percent,
                                      read_quote)
from xlbudget.rules.narrative_quotes import (ITEM, NO_AMOUNT, RATE_OF_OTHER, SENTENCE_END, amounts, change_held,
                                             change_rate, held, item_sums, longest, no_figure, rate_held,
                                             stated_change)

_PERIOD = lazy(r"(前年度|上年度|本年度|(\d{2,3})年度)")
_SIDE = lazy(r"歲入|歲出")
# 「預算」 inside 總預算 (a work plan's name: 總預算編審與督導執行) is not a measure; 「編列」 (臺北: 「歲出部分共編列
# 7,145,358,000元」, 「一般行政業務計畫預算編列684,630,000元」) is the 預算數 (_measures)
_MEASURE = lazy(r"預算數|決算數|執行率|經常門|資本門|分配數|實收|實支|實付|實際收入|實際支付|(?<!總)預算|編列")
# the amount is a change, not a figure of the tables: 「人事費增列4,638千元」, 「增加相關維養費用58千元」; and every amount
# under a heading of 主要增加原因 / 主要減少原因 / 增減原因 (臺中 115 總說明 四、)
_CHANGE_WORD = lazy(r"增列|減列|增加|減少|增編|減編|調增|調減|核減|刪減|撙節")
_CHANGE_HEADING = lazy(r"增加原因|減少原因|增減原因|增減說明")
UNREAD_SENTENCE = "這句的寫法無法辨識，無法判斷此金額指的是哪個數字"
CHANGE = "增減數：預算表沒有逐項的增減數可對照"
# a heading paragraph without figures names the period of the paragraphs under it (臺中 115:
# 「（一）前年度計畫實施成果及決算辦理概況」 then 「1、歲入部分：預算數35千元，決算數62千元」)
_PERIOD_WORD = lazy(r"前年度|上年度|本年度")
# 「經常門預算數149,358千元」: the 經常門/資本門 named in the window is the figure, not the whole 預算數
_BASIS = ("經常門", "資本門")
# measures of budget execution (上年度 截至6月底 累計分配數/實收/實支): no table of the book holds them; a rate of the
# sentence (「實際收入數1,067,550元，占分配數30.50%」, 「實收數86千元，執行率204.76%」) is held to the sentence's own
EXECUTED = ("實收", "實支", "實付", "實際收入", "實際支付")
OUTSIDE_THE_BOOK = ("分配數", *EXECUTED)
# 「經常門預算數149,358千元(佔98.80%)」: the share of the figure before it in the year's 歲出 (or 歲入) total
_SHARE = lazy(r"^[(（]?\s*[佔占]\s*$")


# 「(9)捐贈收入：預算數…」: a sentence headed by a name, of one source or plan; a name that is no 科目 of the book
_NAMED_HEAD = lazy(r"^\s*[(（]?\d+[)）.、]?\s*([^：:，,。（）()]{2,}?)[：:]")
_TOTAL_WORDS = ("歲入", "歲出", "合計", "總計", "經常門", "資本門", "部分", "總")


def _measures(text: str) -> list[str]:
    """The measures named in ``text`` in order, 預算 and 編列 read as 預算數."""
    return ["預算數" if m in ("預算", "編列") else m for m in _MEASURE.findall(text)]


def check_narrative(book: BudgetBook, figures: dict | None = None, printed: bool = False) -> list[Finding]:
    """Match every amount and percentage of the officer's 預算總說明 to the table figure it speaks of.

    A sentence about one 歲入來源 or 計畫 (「(1)統籌分配稅：預算數…，決算數…，執行率…」) is held to that source's own
    figures, its 執行率 to its own 決算數 ÷ 預算數; a figure no table holds, or a name that is no 科目 of the book, is
    reported unverified at its cell. ``figures``: the book's ``book_figures`` when the caller has them. ``printed``:
    a hand-made book's 預算總說明 (rules.printed_narrative), whose 標記 no table prints: an amount whose clause names
    something else before its measure (「淨零綠生活預算378萬5千元」) is unverified, not held to the year's total."""
    figures = book_figures(book) if figures is None else figures
    programs = {k[2].split(":", 1)[1]: k for k in figures if k[2].startswith("業務計畫:")}
    tags = {k[2].split(":", 1)[1]: k for k in figures if k[2].startswith("標記:")}
    subjects: dict[str, set[str]] = {}
    for _, side_of, measure in figures:
        if measure.startswith("科目:"):
            subjects.setdefault(measure.split(":")[1], set()).add(side_of)
    findings: list[Finding] = []
    if not book.narrative and SHEET_NARRATIVE in book.sheets:  # field report 6 §4.1: 員額編制表 alone printed
        anchor = next((c for i in book.expenses for c in i.cells.values()), None)
        findings.append(make_finding("narrative-empty", CellRef(SHEET_NARRATIVE, "A2", anchor.file if anchor else None)))
    objects = object_names()
    heading_period, heading_side, heading_change = "本年度", "", False
    for para in book.narrative:
        text = halfwidth(para.text)  # the words around an amount read as amounts reads it; amounts quoted as typed
        tokens, unread = amounts(para)
        findings += unread
        head = text[:tokens[0][0]] if tokens else text
        if not tokens:
            words = _PERIOD_WORD.findall(text)
            heading_period = words[-1] if words else heading_period
            heading_change = bool(_CHANGE_HEADING.search(text))
        heading_side = (_SIDE.findall(head) or [heading_side])[-1]
        para_subject = longest(head, subjects)
        named = _NAMED_HEAD.match(head)
        stranger = (named.group(1) if named and not para_subject and not any(w in named.group(1) for w in _TOTAL_WORDS)
                    else None)
        said: dict[str, int] = {}  # the subject's 預算數 / 決算數 quoted so far in this paragraph, 元
        period, side, last_end, named_before, last_figure = heading_period, "", 0, None, None
        quoted_key, change = NO_AMOUNT, None  # this sentence's last amount's figure key (None: not known); its 增減
        for start, end, kind, quoted in tokens:
            before = text[:start]
            window = text[last_end:start]
            last_end = end
            if SENTENCE_END.search(window):
                quoted_key, change = NO_AMOUNT, None
            for m in _PERIOD.finditer(before):
                year = m.group(2)
                period = m.group(1) if not year else {book.agency.year: "本年度", book.agency.year - 1: "上年度",
                                                       book.agency.year - 2: "前年度"}.get(int(year), "")
            sides = _SIDE.findall(before)
            side = sides[-1] if sides else (heading_side or "歲出")
            measures = _measures(window)
            if stranger:
                findings.append(make_finding("narrative-unverified", para.cell, actual=quoted, text=quoted,
                                             why=no_figure(f"「{stranger}」不是本書的歲入科目或歲出計畫")))
                continue
            if change is not None and kind == "percent" and not RATE_OF_OTHER.search(window):
                findings += change_rate(para, before, quoted, *change, None, text[end:])  # 「增加131,396千元，約91.00%」
                change = None
                continue
            moved = (None if heading_change else
                     stated_change(figures, before, window, side, quoted_key, programs, subjects, objects, tags))
            if moved is not None and kind == "percent":  # 「較上年度增加91.00%」
                findings += change_rate(para, before, quoted, *moved, text[end:])
                continue
            if moved is not None:
                findings += change_held(para, before, quoted, moved[0], moved[2], text[end:])
                change = moved[:2]  # its %, if one follows
                continue
            if kind == "amount" and (heading_change or _CHANGE_WORD.search(window)):
                findings.append(make_finding("narrative-unverified", para.cell, actual=quoted, text=quoted, why=CHANGE))
                continue
            key = None
            tag = next((t for t in tags if t in window), None)
            program = next((p for p in sorted(programs, key=len, reverse=True) if p in window), None)
            # 「一般行政業務計畫預算編列684,630,000元，包括人事費673,926,000元」: the 一級用途別 of the plan named before
            named_before = program or named_before
            subject = longest(window, subjects) or (para_subject if measures or kind == "percent" else None)
            object_name = longest(window, objects) if kind == "amount" and period == "本年度" else None
            if kind == "percent" and (executed := _executed(said, window)):
                findings += _executed_rate(para, before, quoted, *executed, text[end:])
                continue
            if kind == "percent" and last_figure and _SHARE.match(window):
                findings += _share_held(para, before, quoted, last_figure, figures.get(("本年度", side, "預算數")),
                                        text[end:])
                continue
            last_figure = None
            if kind == "percent":
                if subject and "執行率" in window:
                    findings += _subject_rate(para, before, quoted, subject, said, text[end:])
                    continue
                key = (period, side, "執行率") if "執行率" in window else None
            elif tag:
                key = tags[tag]
            elif program and period == "本年度":
                key = programs[program]
            elif object_name:
                key = object_key(object_name, named_before, _measures(before), side)
            elif subject and period in ("本年度", "上年度", "前年度"):
                quoted_key = (period, side, f"科目:{subject}:{measures[-1] if measures else '預算數'}")
                found = _subject_figure(para, before, quoted, subject, period, side, measures, subjects, figures,
                                        said, text[end:])
                findings += found or []
                continue
            elif measures and printed and measures[-1] not in OUTSIDE_THE_BOOK and (other := _other_name(window)):
                findings.append(make_finding("narrative-unverified", para.cell, actual=quoted, text=quoted,
                                             why=no_figure(f"「{other}」不是本書預算表的科目或計畫")))
                continue
            elif measures:
                basis = [m for m in measures if m in _BASIS]
                measure = basis[-1] if basis else measures[-1]
                key = (period, side, measure)
            quoted_key = key if kind == "amount" else quoted_key
            if key and key[2] in OUTSIDE_THE_BOOK:
                _said_outside(said, key[2], quoted, before, text[end:])
                continue  # 分配數, 實收, 實支: execution figures the book's tables do not hold
            figure = figures.get(key) if key else None
            what = no_figure(_named(period, side, key[2])) if key else UNREAD_SENTENCE
            if kind == "amount":
                quote, found = held(para, before, quoted, figure, what, text[end:])
                findings += found
                if quote is not None and not found and not quote.word:
                    last_figure = figure
                    if key[2] == "預算數":
                        said["預算數"] = quote.yuan
                elif key == ("前年度", side, "預算數") and quote is not None and not quote.word and \
                        found and found[0].rule == "narrative-unverified":  # no table's: its 執行率's base
                    said[_PRIOR_BUDGET] = quote.yuan
            elif (figure is None or figure.value is None) and key and key[2] == "執行率" and said.get(_PRIOR_BUDGET) \
                    and isinstance(getattr(figures.get((period, side, "決算數")), "value", None), int):
                final = figures[(period, side, "決算數")]  # 「前年度預算數…，決算數…，執行率…」 of a hand-made book
                findings += rate_held(para, before, quoted, percent(final.value, to_thousands(said[_PRIOR_BUDGET])),
                                      f"{final.what} ÷ 本句的{period}{side}預算數", text[end:])
            elif figure is None or figure.value is None:
                findings.append(make_finding("narrative-unverified", para.cell, actual=quoted, text=quoted, why=what))
            else:
                findings += rate_held(para, before, quoted, figure.value, figure.what, text[end:])
    return findings + _check_prior_notes(book)


_PRIOR_BUDGET = "前年度預算數"  # said: a 前年度 預算數 no table holds (a hand-made book's), quoted before its 執行率
# the words of a clause that name no figure of their own (_other_name): periods, sides, measures and joining words
_PLAIN_WORDS = lazy(r"[(（]?[一二三四五六七八九十\d]+[)）、.]|本年度|上年度|前年度|全年度|\d+年度|年度|歲入|歲出|"
                    r"預算數|決算數|經常門|資本門|預算|編列|部分|共計|合計|總計|總額|共|計|含|包括|其中|為|之|及|"
                    r"約|達|新臺幣|[\s:：,，(（)）]")


def _other_name(window: str) -> str | None:
    """What a clause names before its measure besides the year, the side and the measure (「113年度編列淨零綠生活預算」:
    淨零綠生活), None when it names nothing else (「(一)歲出預算數」, 「歲出部分共編列」)."""
    clause = re.split(r"[，,。；;]", window)[-1]
    left = _PLAIN_WORDS.sub("", clause)
    return left if len(left) >= 2 else None


def _named(period: str, side: str, measure: str) -> str:
    """A figure's key in words, for a message: 本年度歲出一般行政, 本年度歲出工務行政的人事費, 本年度歲出業務費:經常門."""
    measure = measure.replace("業務計畫:", "").replace("標記:", "")
    if measure.startswith(OBJECT):
        name, _, program = measure[len(OBJECT):].partition("@")
        measure = f"{program}的{name}" if program else name.replace(":", "")
    return f"{period}{side}{measure}"


def _said_outside(said: dict, measure: str, quoted: str, before: str, after: str) -> None:
    """An execution figure of the sentence (分配數, 實收數…), no table's: kept for the sentence's own rate."""
    try:
        quote = read_quote(quoted, before, after)
    except NotANumber:
        quote = None
    said[measure] = quote.yuan if quote is not None and not quote.word else None


def _executed(said: dict, window: str) -> tuple[int, int, str] | None:
    """The sentence's own rate a percentage speaks of, as (numerator, denominator, what): 「占分配數」 the executed
    figure ÷ 分配數, 「執行率」 after an executed figure (上年度 截至6月底) ÷ the sentence's 預算數; None otherwise."""
    done = next((m for m in reversed(EXECUTED) if said.get(m) is not None), None)
    if done is None:
        return None
    base = "分配數" if "分配數" in window else "預算數" if "執行率" in window else None
    if base is None or not said.get(base):
        return None
    return said[done], said[base], f"本句的{done}數 ÷ {base}"


def _executed_rate(para, before: str, quoted: str, done: int, base: int, what: str, after: str) -> list[Finding]:
    """A rate of the sentence's own execution figures (實際收入數 ÷ 分配數): none of them is a table's, so when they
    disagree no one of the three is known wrong; unverified, naming the rate they give (臺北 116 prints
    「分配數6,100,000元，實際收入數2,383,658元，占分配數38.08%」: 2,383,658 ÷ 6,100,000 = 39.08%)."""
    expected = percent(done, base)
    if not rate_held(para, before, quoted, expected, what, after):
        return []
    return [make_finding("narrative-unverified", para.cell, actual=quoted, text=quoted,
                         why=f"{what}為 {expected}，與所寫不符；這些執行數不在預算表，無法判斷哪一個有誤")]


def _share_held(para, before: str, quoted: str, figure: Figure, total: Figure | None, after: str) -> list[Finding]:
    """「經常門預算數149,358千元(佔98.80%)」: the figure's share of the year's total, from the printed 千元 figures
    (149,358 ÷ 151,168 = 98.80%) or from the 元; unverified when there is no total."""
    if total is None or not isinstance(total.value, int) or not total.value:
        return [make_finding("narrative-unverified", para.cell, actual=quoted, text=quoted,
                             why=no_figure(f"{figure.what}占總數的比率"))]
    what = f"{figure.what} ÷ {total.what}"
    found = rate_held(para, before, quoted, percent(figure.value, total.value), what, after)
    if found and figure.yuan is not None and total.yuan:
        in_yuan = rate_held(para, before, quoted, percent(figure.yuan, total.yuan), what, after)
        found = found if in_yuan else []
    return found


# ---------------------------------------------------------------- 以前年度 說明 (printed in 歲出機關別預算表)

def _check_prior_notes(book: BudgetBook) -> list[Finding]:
    """The 說明 of a 以前年度 歲出 line, printed in 歲出機關別預算表 beside the row's figures, held to them by the
    same read→compare path as 總說明: 「較上年度增列 N千元」 to its 比較, 「本年度預算數 N」 / 「上年度預算數 N」 to the
    row's; 「1.資通安全68,390千元」 to the plan's 分支計畫 of exactly that name; a list of parts each with its 增減
    (「1.人員維持費42,978千元，較上年度…增列…2,403千元。 2.…791千元與上年度同。」) to the row's 本年度 and 比較 by their
    sums (narrative_quotes.item_sums). Any other amount is prior-note-unverified at the 說明 cell, never skipped."""
    findings: list[Finding] = []
    for line in book.prior_split[0]:
        if not line.note or "說明" not in line.cells:
            continue
        row = PriorRow(book, line)
        para = Paragraph(line.note, line.cells["說明"])
        text = halfwidth(para.text)
        tokens, unread = amounts(para, "prior-note")
        findings += unread
        items = [m.end() for m in ITEM.finditer(text)]
        last_end, wrong = 0, False
        for start, end, kind, quoted in tokens:
            if kind != "amount":
                continue
            item = max((e for e in items if e <= start), default=None)
            # an item's first amount, after its words: 「1.資通安全68,390千元」 names the 分支計畫 資通安全
            branch = text[max(last_end, item):start].strip() if item is not None and last_end <= item else None
            last_end = end
            figure = row.figure(text[:start], item is not None, branch)
            what = no_figure("以前年度說明的細目，無同名的分支計畫或無對應的數字" if item is not None and figure is None
                             else "以前年度說明的金額，無法判斷指的是哪個數字")
            said = CHANGE_NOTE.search(text[:start]) if figure is not None and figure.key[2] == "比較" else None
            if said:  # 「較上年度減列128,993千元」 for an increase: named in words, «應為 增列128,993千元»
                change = row.current - row.line.last_budget
                found = change_held(para, text[:start], quoted, Figure(figure.key, change, figure.what), said.group(1),
                                    text[end:], "prior-note")
            else:
                found = held(para, text[:start], quoted, figure, what, text[end:], "prior-note")[1]
            wrong = wrong or any(f.rule == "prior-note-mismatch" for f in found)
            findings += found
        # one slip told once: a part found wrong already puts its sum off too; a plan with no line this year is a
        # code typed wrong (prior-year-code-typo), its 說明 the plan's the code was meant for
        if not wrong and row.yuan:
            where = f"歲出機關別預算表 {line.code} {row.name}"
            change = (None if line.last_budget is None else
                      (row.current - line.last_budget, f"{where} 本年度與上年度比較", ()))
            findings += item_sums(para, text, tokens, (row.current, f"{where} 本年度預算數", ()), change, "prior-note")
    return findings




def _subject_figure(para, before, quoted, subject, period, side, measures, subjects, figures,
                    said, after="") -> list[Finding]:
    """One amount of a sentence about one source or plan, against that source's own figure."""
    sides = subjects[subject]
    side = side if side in sides or len(sides) != 1 else next(iter(sides))
    basis = [m for m in _measures(before) if m in _BASIS]
    # 「(1)經常門預算數…其中行政管理136,174千元」: a plan named after 經常門 is its 經常門 part
    measure = measures[-1] if measures else ((basis[-1] if basis else "預算數") if period == "本年度" else "")
    if measure in OUTSIDE_THE_BOOK:
        _said_outside(said, measure, quoted, before, after)
        return []  # 分配數, 實收, 實支 of one source: execution figures, as for the totals
    figure = figures.get((period, side, f"科目:{subject}:{measure}"))
    quote, found = held(para, before, quoted, figure, no_figure(f"{subject}{period}{measure or '數字'}"), after)
    if measure and quote is not None and quote.word:
        said.pop(measure, None)  # a rounded or bounded figure (約, 逾…) is no base for the 執行率
    elif measure and quote is not None:
        # a figure found wrong is no base for the 執行率 (it would be named twice)
        said[measure] = None if found and found[0].rule == "narrative-mismatch" else quote.yuan
    return found


def _subject_rate(para, before, quoted, subject, said, after="") -> list[Finding]:
    """執行率 of one source or plan: its own 決算數 ÷ 預算數 as the sentence quotes them (no table holds the rate)."""
    budget, final = said.get("預算數"), said.get("決算數")
    expected = percent(final, budget) if budget and final is not None else ""
    if not expected:
        why = ("本句的決算數或預算數與預算表不符" if None in (said.get("預算數", 0), said.get("決算數", 0))
               else "本句沒有可相除的決算數與預算數")
        return [make_finding("narrative-unverified", para.cell, actual=quoted, text=quoted,
                             why=no_figure(f"{subject}的執行率，{why}"))]
    return rate_held(para, before, quoted, expected, f"{subject}本句的決算數 ÷ 預算數", after)




