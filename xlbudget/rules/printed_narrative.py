"""A hand-made book's words (field report 10 §2.4): its 預算總說明 sheet, held to its printed tables by the rules a
template book's 總說明 is held by (rules.narrative), the 增減 printed in the 說明 of 歲出機關別預算表 and 歲入來源別預算表
held to the row's 本年度與上年度比較, as a template book's 以前年度 說明 is, and the parts 約聘僱人員費用分析表's 合計 說明
names held to 人事費彙計表's 約聘僱人員 row.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from xlbudget.core.amounts import halfwidth
from xlbudget.core.findings import Finding
from xlbudget.core.model import Agency, BudgetBook, Paragraph
from xlbudget.core.patterns import lazy
from xlbudget.core.titles import (AGENCY_BUDGET, CONTRACT, LEVEL1, REVENUE_SOURCES, STAFF_COSTS, TAIPEI_AGENCY_BUDGET,
                                  TAIPEI_REVENUE)
from xlbudget.derive.narrative import CHANGE_NOTE, Figure
from xlbudget.derive.personnel import CONTRACT_NOTE_PARTS
from xlbudget.rules.budgets import budget_level, current_key
from xlbudget.rules.narrative import check_narrative
from xlbudget.rules.narrative_quotes import amounts, change_held, held, item_sums

# annotations only: a template book's checks (build, convert) never import the printed-table readers
if TYPE_CHECKING:
    from xlbudget.readers.printed_model import SheetGrid

NARRATIVE_TITLE = "預算總說明"
_SIDES = (("歲出", (AGENCY_BUDGET, TAIPEI_AGENCY_BUDGET)), ("歲入", (REVENUE_SOURCES, TAIPEI_REVENUE)))


def narrative_sheets(sheets) -> list[SheetGrid]:
    """A hand-made book's 預算總說明, each of its sheets in tab order (a long one goes on over 「預算總說明(續)」): the
    sheets whose name holds 總說明, else those whose first lines print the title 預算總說明 (or 預算總說明(續));
    [] when the book has none."""
    sheets = list(sheets)
    named = [sg for sg in sheets if "總說明" in sg.sheet]
    return named or [sg for sg in sheets if any(
        isinstance(v, str) and _CONTINUED.sub("", re.sub(r"\s", "", v)) == NARRATIVE_TITLE
        for row in sg.grid.rows[:6] for v in row)]


_CONTINUED = lazy(r"[(（]續[)）]$")


def printed_paragraphs(sg: SheetGrid) -> tuple[Paragraph, ...]:
    """Every text cell of a printed 預算總說明, in reading order, each a paragraph at its cell."""
    grid = sg.grid
    return tuple(Paragraph(v, grid.ref(r, c)) for r, row in enumerate(grid.rows) for c, v in enumerate(row)
                 if isinstance(v, str) and v.strip())


def printed_narrative_figures(tables) -> dict[tuple[str, str, str], Figure]:
    """The figures a 預算總說明 quotes, as a hand-made book prints them (千元), keyed as derive.narrative.book_figures
    keys a template book's: each side's total (本年度 and 上年度 預算數, 前年度 決算數) and each 科目 or 計畫 of
    歲出機關別預算表 (歲出預算表) and 歲入來源別預算表 (歲入預算表), each 業務計畫's 本年度, and 經常門 / 資本門 from
    歲出一級用途別科目分析表's 合計 小計. A figure the tables do not print (前年度 預算數, a 用途別's) is not there: a
    sentence quoting it is unverified."""
    figures: dict[tuple[str, str, str], Figure] = {}

    def put(key, row, column, what):
        fig = row.figures.get(column)
        if fig is not None and isinstance(fig.value, int) and key not in figures:
            # a 元 quote of a figure printed in 千元 agrees within its rounding (parts: 500 元 each): a 預算數 rounded
            # once; a 決算數 rounded or cut from its 元 (臺北 116 prints 14,790 for 「決算數14,789,794元」 and 559,752
            # for 「559,752,508元」), within 1,000 元
            parts = 2 if key[2].endswith("決算數") else 1
            figures[key] = Figure(key, fig.value, f"{what} {column.replace('/', '')} {fig.cell.cell}", parts=parts)

    for side, titles in _SIDES:
        table = next((t for t in tables if t.title in titles and t.unit == "千元"), None)
        if table is None:
            continue
        columns = (("本年度", current_key(table), "預算數"), ("上年度", "上年度預算數", "預算數"),
                   ("前年度", "前年度決算數", "決算數"))
        levels = [(budget_level(row), row) for row in table.rows]
        totals = [row for level, row in levels if level == 0] or [row for level, row in levels if level == 1]
        if len(totals) == 1 or (totals and budget_level(totals[0]) == 0):  # 合計 (and 經常門合計 under it), or 主管
            for period, column, measure in columns:
                put((period, side, measure), totals[0], column, f"{table.title} {totals[0].label or '合計'}")
        for level, row in levels:
            name = re.sub(r"^[\d\s]+", "", row.name or "").strip()
            if len(name) < 2 or level not in ((1, 3, 4) if side == "歲入" else (3, 4)):  # 款, 目, 節; 業務/工作計畫
                continue
            for period, column, measure in columns:
                put((period, side, f"科目:{name}:{measure}"), row, column, f"{table.title} {row.code}{name}")
            if side == "歲出" and level == 3:
                put(("本年度", side, f"業務計畫:{name}"), row, current_key(table), f"{table.title} {row.code}{name}")
    level1 = next((t for t in tables if t.title == LEVEL1 and t.unit == "千元"), None)
    total = next((row for row in level1.rows if row.label.startswith(("合計", "總計"))), None) if level1 else None
    if total is not None:
        for measure, column in (("經常門", "經常支出/小計"), ("資本門", "資本支出/小計")):
            put(("本年度", "歲出", measure), total, column, f"{LEVEL1} 合計")
    return figures


def check_printed_narrative(sheets, tables, year: int | None) -> tuple[list[Finding], tuple[str, ...]]:
    """A hand-made book's 預算總說明 (``sheets``: its SheetGrids) held to its printed ``tables`` by check_narrative,
    with printed_narrative_figures; ``year``: its 民國年度 (112年度 is 上年度 in a 113 book). The findings, and the
    names of the sheets read, one text in tab order (none: the book has no 預算總說明, nothing checked)."""
    read = narrative_sheets(sheets)
    if not read:
        return [], ()
    paragraphs = tuple(p for sg in read for p in printed_paragraphs(sg))
    book = BudgetBook(Agency("", "", year or 0, "", ""), (), narrative=paragraphs)
    return check_narrative(book, printed_narrative_figures(tables), printed=True), tuple(sg.sheet for sg in read)


def check_printed_notes(tables) -> list[Finding]:
    """The 說明 printed beside a row of 歲出機關別預算表 / 歲入來源別預算表 that opens with the row's 增減 (「本年度預算數
    較上年度增列128,993千元，包括：…」): that amount held to the row's 本年度與上年度比較, sign included
    (printed-note-mismatch), as a template book's 以前年度 說明 is (prior-note-mismatch). A 說明 whose first amount
    is another's (臺北: 「…收入1,418,443元，較上年度增加40,814元」, the 增減 of one part of the row) is not held to
    the row. A list of the row's parts, each with its 增減, is held by its sums to the row's 本年度 and 比較
    (narrative_quotes.item_sums, as a template book's 以前年度 說明)."""
    findings: list[Finding] = []
    for side, titles in _SIDES:
        for table in tables:
            if table.title not in titles or table.unit != "千元":
                continue
            for row in table.rows:
                note, change = row.texts.get("說明"), row.figures.get("本年度與上年度比較")
                if note is None or change is None or not isinstance(change.value, int):
                    continue
                para = Paragraph(*note)
                text = halfwidth(para.text)
                tokens = amounts(para, "printed-note")[0]
                first = next((t for t in tokens if t[2] == "amount"), None)
                said = CHANGE_NOTE.search(text[:first[0]]) if first else None
                found: list[Finding] = []
                if said is not None:
                    start, end, _, quoted = first
                    what = f"{table.title} {row.code}{row.name} 本年度與上年度比較 {change.value:,} 千元（{change.cell.cell}）"
                    figure = Figure(("本年度", side, "比較"), change.value, what)
                    # amount and word held (「減列128,993千元」 for an increase: «應為 增列128,993千元»)
                    found = [replace(f, related=(change.cell,))  # the figure it is held to (rules.blame)
                             for f in change_held(para, text[:start], quoted, figure, said.group(1), text[end:],
                                                  "printed-note")]
                current = row.figures.get("本年度預算數")
                if not found and current is not None and isinstance(current.value, int):  # a slip told once
                    where = f"{table.title} {row.code}{row.name}"
                    found = item_sums(para, text, tokens,
                                      (current.value, f"{where} 本年度預算數（{current.cell.cell}）", (current.cell,)),
                                      (change.value, f"{where} 本年度與上年度比較（{change.cell.cell}）", (change.cell,)),
                                      "printed-note")
                findings += found
    return findings


def check_printed_contract_note(tables) -> list[Finding]:
    """The 說明 of 約聘僱人員費用分析表's 合計 row (「包括約聘僱人員待遇5,282,562元、…保險費628,200元…」, as build writes
    it: derive.personnel.CONTRACT_NOTE_PARTS): each part it names held to that component of 人事費彙計表's 約聘僱人員
    row (元; a component the row leaves blank is 0), printed-note-mismatch at the 說明."""
    contract = next((t for t in tables if t.title == CONTRACT and t.unit == "元"), None)
    staff = next((t for t in tables if t.title == STAFF_COSTS and t.unit == "元"), None)
    row = next((r for r in staff.rows if r.label == "約聘僱人員"), None) if staff else None
    total = next((r for r in contract.rows if r.label.startswith("合計")), None) if contract else None
    note = total.texts.get("說明") if total is not None else None
    if row is None or note is None:
        return []
    para = Paragraph(*note)
    text = halfwidth(para.text)
    findings: list[Finding] = []
    for start, end, kind, quoted in amounts(para, "printed-note")[0]:
        part = next(((word, component) for word, component in CONTRACT_NOTE_PARTS
                     if kind == "amount" and text[:start].endswith(word)), None)
        if part is None:
            continue
        column = f"全年度人事費/{part[1]}"
        fig = row.figures.get(column)
        if fig is not None and not isinstance(fig.value, int) and fig.problem:
            continue  # an unreadable figure is named as one (figure-unverifiable)
        value = fig.value if fig is not None and isinstance(fig.value, int) else 0
        where = f"（{fig.cell.cell}）" if fig is not None else "（空白，為 0）"
        # in 元, as both tables print it: to the 元 (a figure's value is its 千元 elsewhere; here there is none)
        figure = Figure(("本年度", "歲出", f"約聘僱:{part[1]}"), value,
                        f"{STAFF_COSTS} 約聘僱人員 {part[1]} {value:,} 元{where}", yuan=value)
        said = held(para, text[:start], quoted, figure, "", text[end:], "printed-note")[1]
        # the figure held to is related: a slip found at it is told there, not here (blame.told_the_slip)
        findings += [replace(f, related=f.related + (fig.cell,)) for f in said] if fig is not None else said
    return findings
