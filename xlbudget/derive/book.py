"""Every table of a book, in printed order, and its 目次.

Pure: BudgetBook in, Tables out. The one place that knows which tables a book
prints and in which order (乙 主要表, then 丙 附屬表, as the printed books do);
each table is derived by its own module.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from xlbudget.core.model import BudgetBook
from xlbudget.core.tables import GROUP, ITEM, LABEL, Column, Row, Table
from xlbudget.core.titles import (AGENCY_BUDGET, CAPITAL, CONTENTS, DETAIL, FUNCTION_ECON, LEVEL1, REVENUE_DETAIL,
                                  REVENUE_SOURCES, STAFF_ANALYSIS, SUMMARY, sheet_names)
from xlbudget.derive import personnel
from xlbudget.derive.cost_shares import derive_cost_shares
from xlbudget.derive.funding import derive_funding_tables
from xlbudget.derive.budgets import derive_agency_budget, derive_revenue_detail, derive_revenue_sources
from xlbudget.derive.schedules import (INDENT, derive_capital, derive_detail, derive_function_econ, derive_level1,
                                       derive_summary, taipei_style)
from xlbudget.derive.staff_analysis import derive_staff_analysis
from xlbudget.derive.transfers import derive_transfers
from xlbudget.derive.vehicles import derive_vehicles
from xlbudget.derive.whitepaper import derive_whitepaper
from xlbudget.forms.layout import fit_figures


# each table derived from line items alone, by its title
DERIVATIONS: dict[str, Callable[[BudgetBook], Table]] = {
    REVENUE_SOURCES: derive_revenue_sources,
    AGENCY_BUDGET: derive_agency_budget,
    REVENUE_DETAIL: derive_revenue_detail,
    DETAIL: derive_detail,
    SUMMARY: derive_summary,
    LEVEL1: derive_level1,
    CAPITAL: derive_capital,
    FUNCTION_ECON: derive_function_econ,
}


def derive_all(book: BudgetBook) -> tuple[Table, ...]:
    """Every schedule of the book, in printed order, starting with 目次.

    歲入 tables appear when there is 歲入 data; 員額編制表, 人事費彙計表, 約聘僱人員費用分析表 and the
    派員出國計畫 tables, 公務車輛明細表 and 轉帳收支對照表 (last, as 臺中 prints it) when their input sheets have rows.
    """
    has_revenue = bool(book.revenues or book.prior_split[1])
    tables: list[tuple[str, Table]] = []  # (section, table)
    if book.staffing:
        tables.append(("甲", personnel.derive_staffing(book)))
    for name in (REVENUE_SOURCES, AGENCY_BUDGET):
        if has_revenue or name != REVENUE_SOURCES:
            tables.append(("乙", DERIVATIONS[name](book)))
    for name in (REVENUE_DETAIL, DETAIL, SUMMARY, LEVEL1, CAPITAL):
        if has_revenue or name != REVENUE_DETAIL:
            tables.append(("丙", DERIVATIONS[name](book)))
    if book.staff_costs:
        tables.append(("丙", personnel.derive_staff_costs(book)))
    if book.staff_analysis:
        tables += [("丙", t) for t in derive_staff_analysis(book)]
    if book.contract_staff:
        tables.append(("丙", personnel.derive_contract_staff(book)))
    if book.trips:
        tables.append(("丙", personnel.derive_trips_summary(book)))
        tables += [("丙", personnel.derive_trips_by_kind(book, g)) for g in personnel.trip_groups(book)]
    if book.cost_shares:  # 臺北 116: after 約聘僱人員費用分析表, before 公務車輛明細表
        tables.append(("丙", derive_cost_shares(book)))
    if book.vehicles:
        tables.append(("丙", derive_vehicles(book, taipei_style(book))))
    if book.funding:  # 臺北 116 prints them after 公務車輛明細表
        tables += [("丙", t) for t in derive_funding_tables(book)]
    if book.whitepaper:  # 臺北 116: after the 分年資金需求表, before 職能及經濟性
        tables.append(("丙", derive_whitepaper(book)))
    tables.append(("丙", derive_function_econ(book)))
    if book.transfers:
        tables.append(("丙", derive_transfers(book)))
    # two titles alike for a sheet name's 31 characters: the later one's sheet is numbered, never written over
    # the earlier one (link_contents numbers its 目次 line alike)
    names = sheet_names([CONTENTS] + [t.title for _, t in tables])[1:]
    # a column too narrow for its widest figure prints ### (forms.layout.fit_figures): widened, for every writer
    tables = [(s, fit_figures(t if name == t.sheet_name else replace(t, sheet=name))) for (s, t), name in zip(tables, names)]
    return (derive_contents(tables),) + tuple(t for _, t in tables)


_SECTIONS = {"甲": "甲、預算總說明", "乙": "乙、主要表", "丙": "丙、附屬表"}


CONTENTS_SEPARATOR = "—"  # 人事費分析表—行政管理: a table of a family, one per 工作計畫
# families printed as one numbered 目次 line (臺中 115 目次: 「7.人事費分析表 02004-36頁」 for six plans, 36–41)
ONE_CONTENTS_LINE = (STAFF_ANALYSIS,)


def derive_contents(tables: list[tuple[str, Table]]) -> Table:
    """目次: every table of the book in printed order; a row's code is the sheet it links to.

    The tables of one ONE_CONTENTS_LINE family share one number: the first line is numbered, the others follow
    it unnumbered (each still names and links its sheet); the PDF prints them as one line."""
    columns = (Column("目次", ("目次",), LABEL, 50),)
    rows = []
    for section, heading in _SECTIONS.items():
        members = [t for s, t in tables if s == section]
        if not members and section != "甲":
            continue
        rows.append(Row("", heading, {"目次": heading}, GROUP))
        n, previous = 0, None
        for table in members:
            group = table.title.split(CONTENTS_SEPARATOR)[0] if CONTENTS_SEPARATOR in table.title else None
            group = group if group in ONE_CONTENTS_LINE else None
            if section == "甲":
                label = f"{INDENT}{table.title}"
            elif group and group == previous:  # the same numbered line goes on: no number of its own
                label = f"{INDENT}{INDENT}{table.title}"
            else:
                n += 1
                label = f"{INDENT}{n}. {table.title}"
            previous = group
            rows.append(Row(table.title, table.title, {"目次": label}, ITEM, 1))
    return Table(CONTENTS, "", columns, tuple(rows))
