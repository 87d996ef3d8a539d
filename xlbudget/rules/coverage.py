"""What a hand-made book's tables leave unread: unreadable tables and figures, rows no sum places, a missing
amount column, a second-page half that matches no line. Each is a finding, never a silent pass."""

from __future__ import annotations

import re
from typing import Iterable

from xlbudget.core.findings import Finding, make_finding, rows_named
from xlbudget.core.model import CellRef, cell_position
from xlbudget.core.amounts import format_figure, to_thousands
from xlbudget.core.titles import (PLAN_LINE, AGENCY_BUDGET as P_AGENCY, COST_SHARES as P_COST_SHARES,
                                  FUNDING_TITLES as P_FUNDING_TITLES, WHITEPAPER as P_WHITEPAPER,
                                  WHITEPAPER_PRINTED as P_WHITEPAPER_PRINTED, CAPITAL as P_CAPITAL, DETAIL as P_DETAIL,
                                  CONTRACT as P_CONTRACT, FUNCTION_ECON as P_FUNCTION_ECON, LEVEL1 as P_LEVEL1,
                                  STAFFING as P_STAFFING, REVENUE_DETAIL as P_REV_DETAIL,
                                  REVENUE_SOURCES as P_REV_SOURCES,
                                  SUMMARY as P_SUMMARY, TAIPEI_AGENCY_BUDGET as P_TAIPEI_AGENCY,
                                  TAIPEI_REVENUE as P_TAIPEI_REVENUE, UNHEADED as P_UNHEADED)
from xlbudget.core.codes import PLAN_CODE as P_PLAN_CODE
from xlbudget.readers.grid import column_letter
from xlbudget.rules.analysis import plan_level
from xlbudget.rules.budgets import CURRENT, PRIOR_KEYS, SPLIT_CAPITAL, SPLIT_CURRENT, SPLIT_TOTAL, budget_level
from xlbudget.rules.blanks import BLANK_TOTAL
from xlbudget.rules.staff import STAFFING_KEYS
from xlbudget.rules.common import amount_keys, finding, readable, table_titled, total_word, unverifiable, val
from xlbudget.rules.detail import detail_level, detail_totals
from xlbudget.rules.summary import summary_level

def check_unreadable_tables(unreadable) -> Iterable[Finding]:
    """A title xlbudget recognises whose table it cannot read is a warning at the title, and a sheet printing
    figures under no title it knows (nor as the next page of the table before it) one at its first figure:
    never skipped silently."""
    for u in unreadable:
        if u.under:
            yield finding("table-under-table", u.cell, sheet=u.cell.sheet, table=u.under, word=u.reason)
        elif u.title:
            yield finding("table-unreadable", u.cell, sheet=u.cell.sheet, table=u.title, reason=u.reason)
        else:
            yield finding("sheet-unread", u.cell, sheet=u.cell.sheet)


def check_untitled_pages(tables) -> Iterable[Finding]:
    """A sheet with no title read as the next page of the table before it: said, at its first line."""
    for table in tables:
        for cell in table.untitled:
            yield finding("untitled-continuation", cell, sheet=cell.sheet, table=table.title)


def check_unreadable_figures(tables) -> Iterable[Finding]:
    """Every printed figure that cannot be read is unverifiable (and the sums it is part of are skipped)."""
    for table in tables:
        for row in table.rows:
            for fig in row.figures.values():
                if not fig.readable and fig.problem != BLANK_TOTAL:  # a blank total is named by blanks.blank_totals
                    yield unverifiable(fig, table.title)


def check_unplaced_rows(tables) -> Iterable[Finding]:
    """A row with figures that no sum can place (no code, no 款項目節, not a total): a warning, never ignored."""
    levels = ((P_DETAIL, detail_level), (P_REV_DETAIL, detail_level), (P_SUMMARY, summary_level),
              (P_LEVEL1, plan_level), (P_CAPITAL, plan_level), (P_AGENCY, budget_level),
              (P_TAIPEI_AGENCY, budget_level), (P_REV_SOURCES, budget_level), (P_TAIPEI_REVENUE, budget_level))
    for title, level in levels:
        table = table_titled(tables, title)
        if table is None:
            continue
        for row in table.rows:  # a 小計 / 總計 row is checked by its table's rule (common.closing_totals)
            if row.figures and level(row) is None and not total_word(row):
                cell = row.label_cell if row.label else next(iter(row.figures.values())).cell
                yield finding("row-unplaced", cell, table=title, label=row.label or "（空白）")


def check_page_numbers(tables) -> Iterable[Finding]:
    """A row holding only a small whole number (a page number a converter kept at a page's foot) is not summed:
    said at its cell (info), so an officer whose figure it was sees why it is not in the sums."""
    for table in tables:
        for cell, number in table.page_numbers:
            yield finding("page-number-skipped", cell, actual=number, table=table.title)


def check_amount_columns(tables) -> Iterable[Finding]:
    """A table without the amount column its rules sum (明細表 預算數, 機關別 本年度預算數, …) is not checked:
    a warning at its title naming the columns read, never a silent pass (the rules run without it: checks.check_printed)."""
    for table in tables:
        reason = missing_amount_column(table)
        if reason:
            yield finding("table-unreadable", table.title_cell, sheet=table.sheet, table=table.title, reason=reason)
        elif table.title in _OWN_COLUMNS:
            yield from _unknown_columns(table)


# the amount columns these tables' rules read, each by its heading: another is in no rule
_OWN_COLUMNS = {**{title: (CURRENT, SPLIT_TOTAL, SPLIT_CURRENT, SPLIT_CAPITAL) + PRIOR_KEYS
                   for title in (P_AGENCY, P_TAIPEI_AGENCY, P_REV_SOURCES, P_TAIPEI_REVENUE)},
                P_STAFFING: STAFFING_KEYS, P_CONTRACT: ("全年度預算數",)}


def _unknown_columns(table) -> Iterable[Finding]:
    """An amount column of 機關別, 歲入來源別, 員額編制表 or 約聘僱人員費用分析表 that is none of the table's own (本年度預算數,
    上年度預算數, 前年度決算數, 本年度與上年度比較; 臺北's 合計/經常門/資本門; 員額編制表's four; 全年度預算數), named at its heading
    (column-unchecked): the rules find their columns by those headings (printed_pages.own_column_keys reads the usual
    other ones so), so its figures are in no sum (a 「頁次」 column, a heading xlbudget does not know: a wrong 比較
    under 「比較增減」 was passed over without a word, field report 18 §1.1)."""
    heads = dict(table.header_cells)
    own = _OWN_COLUMNS[table.title]
    for key in amount_keys(table):
        if key in own or P_UNHEADED in key:  # a column under no heading: column-unheaded names it
            continue
        first = next(r.figures[key] for r in table.rows if key in r.figures)
        cell = heads[key][0][1] if heads.get(key) else first.cell
        yield finding("column-unchecked", cell, table=table.title, column=key.replace("/", ""),
                      first=first.cell.cell, value=format_figure(first.value if first.readable else first.raw),
                      columns="、".join(k.replace("/", " ") for k in own if "/" not in k or k in table.columns))


def missing_amount_column(table) -> str | None:
    """Why ``table`` cannot be summed, the amount column its rules sum not read (「表頭沒有「合計」欄（讀到的金額欄：…）
    ，無法加總」), or None: such a table is said unreadable (check_amount_columns) and held to no rule, which would
    take the column for 0s (資本支出分析表 with its 合計 heading deleted: each 合計 «為 0，應等於» 一級用途別's, and
    «應為所屬各項合計 156,942», the unheaded 合計 column added to its parts)."""
    def has(key):
        return lambda keys: key in keys

    def budget(keys):
        return CURRENT in keys or SPLIT_TOTAL in keys

    def summary(keys):
        return any(k.startswith("合計") or re.fullmatch(P_PLAN_CODE, k) for k in keys)

    def part(word, end=False):  # the rules of these tables find their column by a word of its header
        return lambda keys: any(k.endswith(word) if end else word in k for k in keys)

    needed = {P_DETAIL: ("預算數", has("預算數")), P_REV_DETAIL: ("預算數", has("預算數")), P_SUMMARY: ("合計", summary),
              P_LEVEL1: ("合計", has("合計")), P_CAPITAL: ("合計", has("合計")), P_AGENCY: (CURRENT, budget),
              P_TAIPEI_AGENCY: (CURRENT, budget), P_REV_SOURCES: (CURRENT, budget), P_TAIPEI_REVENUE: (CURRENT, budget),
              P_WHITEPAPER: ("本年度預算案數", part("預算")), P_WHITEPAPER_PRINTED: ("本年度預算案數", part("預算")),
              P_COST_SHARES: ("總經費", part("總經費", True)),
              **{title: ("全程計畫總金額", part("全程計畫總金額")) for title in P_FUNDING_TITLES.values()}}
    if table.title not in needed:
        return None
    word, present = needed[table.title]
    keys = amount_keys(table)
    if keys and not present(keys):
        return f"表頭沒有「{word}」欄（讀到的金額欄：{'、'.join(keys)}），無法加總"
    return None


def check_unheaded_columns(tables) -> Iterable[Finding]:
    """A column printing figures under no header word (a heading deleted, or lost by a PDF converter) is read under
    「（無欄名）C」 (printed_pages): named at its blank heading, with its first figure, never dropped without a word
    (a 彙計表 plan's column, 機關別's 本年度預算數, 市政白皮書's 本年度預算案數 were: field report 13)."""
    for table in tables:
        heads = dict(table.header_cells)
        for key in table.columns:
            if P_UNHEADED not in key:
                continue
            first = next((r.figures[key] for r in table.rows if key in r.figures), None)
            if first is None:
                continue
            cell = heads[key][0][1] if heads.get(key) else first.cell
            yield finding("column-unheaded", cell, table=table.title, column=key.split(P_UNHEADED)[-1],
                          first=first.cell.cell, value=format_figure(first.value if first.readable else first.raw))


def check_split_halves(tables) -> Iterable[Finding]:
    """A line of a table's second column half (its second page) that matches no line of the first half."""
    for table in tables:
        for row in table.unjoined:
            cell = next(iter(row.figures.values())).cell if row.figures else row.label_cell
            yield make_finding("half-row-unmatched", cell, table=table.title)


def check_carry_rows(tables) -> Iterable[Finding]:
    """承上頁 / 轉下頁 rows (a page's carried running total) are no lines: in a 明細表 each is held to its plan's item
    lines above it (or the table's, across plans), and one that is neither is a warning; elsewhere each is said (info)
    at its cell, so an officer whose line it was sees why it is in no sum."""
    for table in tables:
        for at, row in table.carries:
            figure = row.figures.get("預算數")
            if table.title not in PLAN_LINE or figure is None or not figure.readable:
                yield finding("carry-row-skipped", row.label_cell, table=table.title, label=row.label or "承轉")
                continue
            above = [r for r in table.rows[:at] if detail_level(r) == 4]
            if not readable([(r, "預算數") for r in above]):  # an item unverifiable (named): no running total
                yield finding("carry-row-skipped", row.label_cell, table=table.title, label=row.label or "承轉")
                continue
            mine = sum(val(r, "預算數") for r in above if r.context == row.context)
            if figure.value not in (mine, sum(val(r, "預算數") for r in above)):
                related = tuple(r.figures["預算數"].cell for r in above if r.context == row.context)
                yield finding("carry-row-mismatch", figure.cell, mine, figure.value, related[-1:],
                              label=row.label or "承轉", plan=row.context or table.title)


def check_lines_without_plan(tables) -> Iterable[Finding]:
    """明細表 lines printed before any plan line, on their page and the pages before (a PDF converter's page without
    the plan line that opens a new plan): a warning at the first of them on each page, never a silent drop."""
    for title, heading in PLAN_LINE.items():
        table = table_titled(tables, title)
        if table is None or not any(r.context for r in table.rows):
            continue  # a 明細表 printing no plan line at all is one plan's
        lost: dict[str, list] = {}
        for row in table.rows:
            if not row.context:
                lost.setdefault(row.label_cell.sheet, []).append(row)
        for rows in lost.values():
            first = rows[0]
            cell = first.label_cell if first.label else next(iter(first.figures.values())).cell
            yield finding("lines-without-plan", cell, table=title, count=len(rows), heading=heading)


# the 千元 tables of this year's 歲出 or a part of it (of 機關別, its 本年度 column): none prints a figure past the 歲出
# total; 歲入 tables are left out, as an agency's 歲入 may well be a thousand times its 歲出 (a tax office's)
_SPENDING = {P_SUMMARY: None, P_LEVEL1: None, P_CAPITAL: None, P_FUNCTION_ECON: None, P_AGENCY: "本年度預算數",
             P_TAIPEI_AGENCY: "本年度預算數"}


def check_table_scale(tables) -> Iterable[Finding]:
    """A 千元 table of 歲出 printing 元 figures (field report 7 §4, explore15: a hand-made 各項費用彙計表 in 元 under
    「單位：新臺幣千元」 gave 87 errors, each right, and no line saying why) is said once, at its largest figure, when
    that figure is 100 times or more the 明細表's 歲出 total in 千元, as prior-year-scale says it of 以前年度; and a 元
    table of them (a 彙計表 as 臺北 prints it) whose largest figure is that total in 千元 (table-in-thousands)."""
    totals = detail_totals(tables)
    if totals is None:
        return
    yuan = sum(totals[0].values())
    thousands = to_thousands(yuan)
    if thousands <= 0:
        return
    for table in tables:
        if table.unit not in ("千元", "元") or table.title not in _SPENDING:
            continue
        only = _SPENDING[table.title]
        figures = [f for r in table.rows for k, f in r.figures.items()
                   if (only is None or k == only) and f.readable and f.value is not None]
        largest = max(figures, key=lambda f: abs(f.value), default=None)
        if largest is not None and table.unit == "千元" and abs(largest.value) >= 100 * thousands:
            yield finding("table-in-yuan", largest.cell, thousands, largest.value, table=table.title,
                          yuan=f"{yuan:,}")
        elif largest is not None and table.unit == "元" and largest.value == thousands != yuan:
            yield finding("table-in-thousands", largest.cell, yuan, largest.value, table=table.title)


def _heading_year(text: str) -> int | None:
    """The N of a line 中華民國N年度… (the 年度 line under a table's title: 中華民國113年度　經資門併計); None for any
    other text. Read with str methods: a pattern here would have to be stored in data/pattern-code.json."""
    line = "".join(text.split())
    if not line.startswith("中華民國"):
        return None
    n = 4
    while n < len(line) and line[n].isdigit():
        n += 1
    return int(line[4:n]) if 6 <= n <= 7 and line.startswith("年度", n) else None


def heading_years(tables, grids) -> list[Finding]:
    """A table printing another 中華民國N年度 under its title than the book's other tables (the year most of them
    print): a sheet kept from last year's book, its figures updated, the year not (field report 16 §4: 各項費用彙計表
    printed 中華民國112年度 in a 113 book, check «錯誤 0、警告 0»). One warning a table, at its year line; a book whose
    tables all print one year, or print none, says nothing. ``grids``: sheet → Grid."""
    years: list[tuple[int, CellRef, str]] = []
    for table in tables:
        grid = grids.get(table.sheet)
        if grid is None or table.title_cell is None or table.title_cell.sheet != table.sheet:
            continue
        top = cell_position(table.title_cell.cell)[0] - grid.top
        found = next(((year, grid.ref(r, c)) for r in range(max(top, 0), min(top + 4, len(grid.rows)))
                      for c, v in enumerate(grid.rows[r]) if isinstance(v, str) and (year := _heading_year(v))), None)
        if found:
            years.append((*found, table.title))
    counts: dict[int, int] = {}
    for year, _, _ in years:
        counts[year] = counts.get(year, 0) + 1
    if len(counts) < 2:
        return []
    book = max(counts, key=lambda y: (counts[y], -next(k for k, (v, _, _) in enumerate(years) if v == y)))
    return [finding("heading-year-differs", cell, book, year, table=title, tables=counts[book])
            for year, cell, title in years if year != book]


def hidden_figures(grids, cells: Iterable[CellRef] | None = None, said: Iterable[Finding] = ()) -> list[Finding]:
    """Figures read and checked that Excel prints not: on a table sheet hidden in Excel (no tab), outside the sheet's
    print area (列印範圍), or on its rows or columns hidden (by hand, a collapsed group or a filter). The printed
    book lacks them while its totals still hold them, and a check saying nothing passes a book whose printed 人事費
    is not the sum of its printed lines (field report 15 §1.1). One warning a sheet: its hiding (table-sheet-hidden,
    nothing more of that sheet), else its figures outside the print area (figures-outside-print-area), and of the
    others its hidden rows (hidden-row-not-printed) and its hidden columns (hidden-column-not-printed), at the first
    such figure, the others related; its figures that print as a blank (figure-not-visible: a ;;; format, a white
    font, grid.unseen_why) and its print area lost to #REF! (print-area-lost, at its first figure: what prints is not
    what he set). ``grids``: sheet → Grid with its hidden rows and columns, its being hidden, its print area and
    its unseen cells (readers fill them from the file); ``cells``: the figures read (a hand-made book's tables), or
    None for every non-zero number of the sheets (the table sheets of a template book, which build writes as
    numbers). A 0 is passed over: a row of zeros left out of print leaves every total as printed; so is a column
    ``said`` names as in no sum (a 112年度預算數 column kept hidden beside the plans: summary-column-unplaced,
    column-unheaded), a working column."""
    from xlbudget.readers.grid import outside_print_area, unseen_why
    from xlbudget.readers.inputs import program_named

    by_sheet = {name: g for name, g in grids.items()
                if g.hidden or g.hidden_columns or g.sheet_hidden or g.print_area or g.unseen or g.print_area_lost}
    if not by_sheet:  # the common book: nothing to look at
        return []
    if cells is None:
        cells = [g.ref(r, c) for g in by_sheet.values() for r, row in enumerate(g.rows)
                 for c, v in enumerate(row) if type(v) in (int, float) and v
                 and (g.sheet_hidden or g.print_area or g.print_area_lost or g.top + r in g.hidden
                      or g.left + c in g.hidden_columns
                      or (g.top + r, g.left + c) in g.unseen)]
    by_place = lambda cell: cell_position(cell.cell)  # noqa: E731  (row, then column)
    unsummed = {(f.cell.sheet, cell_position(f.cell.cell)[1]) for f in said
                if f.rule in _UNSUMMED_COLUMNS and f.cell is not None}
    shut: dict[str, list[CellRef]] = {}
    outside: dict[str, list[CellRef]] = {}
    rows: dict[str, dict[int, CellRef]] = {}
    columns: dict[str, dict[int, list[CellRef]]] = {}
    invisible: dict[str, list[tuple[CellRef, str]]] = {}
    lost: dict[str, CellRef] = {}
    for cell in cells:
        grid = by_sheet.get(cell.sheet)
        if grid is None:
            continue
        if grid.print_area_lost and (cell.sheet not in lost or by_place(cell) < by_place(lost[cell.sheet])):
            lost[cell.sheet] = cell
        r, c = cell_position(cell.cell)
        if (cell.sheet, c) in unsummed:
            if r in grid.hidden and not grid.sheet_hidden:
                rows.setdefault(cell.sheet, {}).setdefault(r, cell)
            continue
        if grid.sheet_hidden:
            shut.setdefault(cell.sheet, []).append(cell)
        elif outside_print_area(grid, r, c):
            outside.setdefault(cell.sheet, []).append(cell)
        else:
            if r in grid.hidden:
                rows.setdefault(cell.sheet, {}).setdefault(r, cell)
            if c in grid.hidden_columns:
                columns.setdefault(cell.sheet, {}).setdefault(c, []).append(cell)
            if r not in grid.hidden and c not in grid.hidden_columns and (why := unseen_why(grid, r, c)):
                invisible.setdefault(cell.sheet, []).append((cell, why))
    out = []
    for sheet in by_sheet:
        app = program_named(by_sheet[sheet])
        if sheet in shut:
            held = sorted(shut[sheet], key=by_place)
            out.append(make_finding("table-sheet-hidden", held[0], related=tuple(held[1:]), sheet=sheet,
                                    count=len(held), app=app))
            continue
        if sheet in lost:  # Excel prints by no range he set: what it prints is not what he laid out
            out.append(make_finding("print-area-lost", lost[sheet], sheet=sheet))
        if sheet in outside:
            held = sorted(outside[sheet], key=by_place)
            ranges = by_sheet[sheet].print_area
            spans = [(c1, c2) for _, c1, _, c2 in ranges]
            beside = sorted({c for c in (cell_position(cell.cell)[1] for cell in held)
                             if not any(c1 <= c <= c2 for c1, c2 in spans)})
            where = ("、".join(map(column_letter, beside)) + " 欄" if len(beside) == len({cell_position(cell.cell)[1]
                     for cell in held}) else rows_named(held, sheet))  # columns cut off: named as columns
            out.append(make_finding("figures-outside-print-area", held[0], related=tuple(held[1:]), sheet=sheet,
                                    area="、".join(map(_area_named, ranges)), rows=where, count=len(held)))
        if sheet in rows:
            first = [rows[sheet][r] for r in sorted(rows[sheet])]
            out.append(make_finding("hidden-row-not-printed", first[0], related=tuple(first[1:]), sheet=sheet,
                                    rows=rows_named(first, sheet), count=len(first), app=app))
        if sheet in columns:
            held = sorted((cell for found in columns[sheet].values() for cell in found),
                          key=lambda cell: cell_position(cell.cell)[::-1])
            out.append(make_finding("hidden-column-not-printed", held[0], related=tuple(held[1:]), sheet=sheet,
                                    columns="、".join(column_letter(c) for c in sorted(columns[sheet])),
                                    count=len(held), app=app))
        if sheet in invisible:
            held = sorted(invisible[sheet], key=lambda found: by_place(found[0]))
            out.append(make_finding("figure-not-visible", held[0][0], related=tuple(cell for cell, _ in held[1:]),
                                    sheet=sheet, cells=cells_named([cell for cell, _ in held]),
                                    why="；".join(dict.fromkeys(why for _, why in held)), count=len(held)))
    return out


def cells_named(cells: list[CellRef]) -> str:
    """Cells as a message names them, up to five (「C7、C9、D12」, more as 「C7、C9 等 12 格」)."""
    names = [cell.cell for cell in cells]
    return "、".join(names) if len(names) <= 5 else "、".join(names[:5]) + f" 等 {len(names)} 格"


def _area_named(area: tuple[int, int, int, int]) -> str:
    """A print area's range as Excel shows it: A1:D8, A:C (whole columns), 1:40 (whole rows)."""
    from xlbudget.readers.grid import LAST_COLUMN, LAST_ROW

    r1, c1, r2, c2 = area
    if (r1, r2) == (1, LAST_ROW):
        return f"{column_letter(c1)}:{column_letter(c2)}"
    if (c1, c2) == (1, LAST_COLUMN):
        return f"{r1}:{r2}"
    return f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"


# a column these name is in no sum
_UNSUMMED_COLUMNS = ("summary-column-unplaced", "column-unheaded", "column-unchecked")
