"""The 勾稽 build reports beside the tables it writes (``check_people``): the people, trip, vehicle, 轉帳, 分年資金,
白皮書, 分攤 and 以前年度 tables with the 歲出明細. Apart from ``checks`` (which lists them among every check it runs),
so that build and convert, which run these alone, import only their families: not the read-back, coverage and
printed-table checks of the catalogue (34 M instructions of convert's serial start, callgrind)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable

from xlbudget.rules.cost_shares import check_cost_shares
from xlbudget.rules.funding import check_funding
from xlbudget.rules.inputs import (check_agency_code, check_matched_without_revenue, check_plan_notes, check_prior_basis,
                                   check_prior_level_names, check_prior_missing, check_prior_programs, check_prior_scale,
                                   check_prior_total_scale, check_prior_typos, check_year_in_name)
from xlbudget.rules.staff import (check_contract_plans, check_contract_total, check_headcount, check_staff_analysis,
                                  check_staff_costs_vs_items, check_staff_sheets_empty)
from xlbudget.rules.transfers import check_transfers
from xlbudget.rules.trips import check_trip_kinds, check_trip_periods, check_trips_vs_travel
from xlbudget.rules.vehicles import check_vehicles_vs_items
from xlbudget.rules.whitepaper import check_whitepaper, check_whitepaper_themes

if TYPE_CHECKING:
    from xlbudget.core.findings import Finding
    from xlbudget.core.model import BudgetBook

# 勾稽 of the people, trip, vehicle, 轉帳, 分年資金, 白皮書, 分攤 and 以前年度 (its 千元 scale) tables with the 歲出明細,
# and 收支併列 with no 歲入 at all (build reports them too)
CONSISTENCY_CHECKS: tuple[Callable[[BudgetBook], Iterable[Finding]], ...] = (  # rules.checks.BookCheck each
    check_staff_sheets_empty, check_staff_costs_vs_items, check_headcount, check_contract_total, check_contract_plans,
    check_trips_vs_travel, check_trip_kinds, check_trip_periods, check_vehicles_vs_items, check_transfers, check_staff_analysis,
    check_funding, check_whitepaper, check_whitepaper_themes, check_cost_shares, check_prior_scale, check_prior_typos, check_prior_level_names,
    check_prior_programs, check_prior_missing, check_prior_basis, check_matched_without_revenue, check_plan_notes,
    check_agency_code, check_year_in_name, check_prior_total_scale)


def check_people(book: BudgetBook) -> list[Finding]:
    """Every 勾稽 of the people (人事費彙計表, 分析表), trip, vehicle, 轉帳, 分年資金, 白皮書 and 分攤 tables (build, check)."""
    return [f for check in CONSISTENCY_CHECKS for f in check(book)]
