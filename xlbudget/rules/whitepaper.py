"""市政白皮書計畫項目預算編列情形表 (issue 14): each project against the 明細表 分支計畫 lines naming it, on a
template book and as printed."""

from __future__ import annotations

from typing import Iterable

from xlbudget.core.findings import Finding, make_finding
from xlbudget.core.keys import seen_key
from xlbudget.core.titles import (WHITEPAPER as P_WHITEPAPER,
                                  WHITEPAPER_PRINTED as P_WHITEPAPER_PRINTED)
from xlbudget.rules.common import cell_of, readable, table_titled, val
from xlbudget.rules.detail import detail_in_yuan
from xlbudget.rules.funding import branch_lines
from xlbudget.core.model import BudgetBook
from xlbudget.derive.funding import project_lines
from xlbudget.derive.whitepaper import theme_order


def check_whitepaper(book: BudgetBook) -> list[Finding]:
    """Each project's 本年度預算案數 = the project's 明細表 lines (``project_lines``, in its plan when typed)."""
    findings = []
    for w in book.whitepaper:
        if not w.name:
            continue  # a 主軸 heading with no project under it
        items = project_lines(book, w.plan_code, w.name)
        expected = sum(i.amount for i in items)
        if expected != w.amount:
            findings.append(make_finding("whitepaper-vs-items", w.cells.get("本年度預算案數"), expected=expected,
                                         actual=w.amount, name=w.name,
                                         related=tuple(i.cells["預算數"] for i in items if i.cells.get("預算數"))))
    return findings


def check_whitepaper_themes(book: BudgetBook) -> list[Finding]:
    """A project typed with its 主軸 blank prints with every other such project, under the heading printed before
    the first of them: one typed below another 主軸 (a heading row 「創新活力」, then its projects with 主軸 left
    blank, as the table prints it) was printed under the heading before, without a word. Named at its 主軸 cell,
    with the 主軸 above it and the heading it would print under. A 主軸 that is another but for spaces or an
    invisible character (「友善\u200b共融」) prints a second heading that reads the same: named at its first cell,
    with the other's (whitepaper-theme-lookalike)."""
    findings, alike = [], {}  # seen_key → {each text typed: its first line}
    for w in book.whitepaper:
        if w.theme:
            alike.setdefault(seen_key(w.theme), {}).setdefault(w.theme, w)
    for key, texts in alike.items():
        # the text as seen is the one to keep (「友善共融」 beside 「友善\u200b共融」), else the first typed
        keep = texts.get(key) or next(iter(texts.values()))
        for text, w in texts.items():
            if w is not keep:
                findings.append(make_finding("whitepaper-theme-lookalike", w.cells.get("主軸"), expected=keep.theme,
                                             actual=text, related=(c,) if (c := keep.cells.get("主軸")) else (),
                                             other=c))
    themes = theme_order(book.whitepaper)
    if "" not in themes:
        return findings
    at = themes.index("")
    printed = themes[at - 1] if at else ""  # the heading the projects without one print under ("": none)
    above = ""
    for w in book.whitepaper:
        if w.theme:
            above = w.theme
        elif w.name and above != printed:
            findings.append(make_finding("whitepaper-theme-blank", w.cells.get("主軸"), expected=above, actual="",
                                         name=w.name, printed=f"「◎{printed}」之下" if printed else "所有主軸之前（無主軸標題）"))
    return findings


def check_whitepaper_printed(tables) -> Iterable[Finding]:
    """Each 計畫項目's 本年度預算案數 = the printed 明細表 lines of the project (funding.branch_lines: its 計畫項目
    row, or the 分支計畫 lines naming it; 08和興路… is 和興路…); a project the 明細表 does not name is left unchecked."""
    table = table_titled(tables, P_WHITEPAPER) or table_titled(tables, P_WHITEPAPER_PRINTED)
    detail = detail_in_yuan(tables)
    if table is None or detail is None:
        return
    amount_key = next((k for k in table.columns if "預算" in k), None)
    for row in table.rows:
        name = next((t for k, (t, _) in row.texts.items() if "計畫項目" in k), "")
        if not name or amount_key not in row.figures:
            continue
        branches = branch_lines(detail, name)
        if not branches or not readable([(row, amount_key)] + [(r, "預算數") for r in branches]):
            continue
        expected = sum(val(r, "預算數") for r in branches)
        if expected != val(row, amount_key):
            yield make_finding("whitepaper-vs-items", cell_of(row, amount_key), expected=expected,
                               actual=val(row, amount_key), name=name,
                               related=tuple(r.figures["預算數"].cell for r in branches))
