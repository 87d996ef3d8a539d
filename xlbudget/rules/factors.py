"""數量 × 單價 ≠ 預算數 on a line whose 預算數 its totals add up (field report 13 §F1): ``detail`` and ``vehicles``
name the 數量 or 單價 (core.findings.factor_finding); here, once every rule has run, a line whose 預算數 or one of
those totals another rule finds wrong (the plan's heading 預算金額, 各項費用彙計表, 歲入來源別預算表, the 市款 note…)
is named as before, at its 預算數: those totals are then no confirmation (an item and every total above it typed
1,000 high agree with one another, not with the tables above)."""

from __future__ import annotations

from xlbudget.core.findings import Finding, Severity
from xlbudget.core.titles import VEHICLES as P_VEHICLES
from xlbudget.rules.common import cell_of
from xlbudget.rules.detail import confirmed_amounts, item_product
from xlbudget.rules.vehicles import fuel_chains, vehicle_fuel

FACTOR_RULES = ("item-factor-mismatch", "item-factors-mismatch")


def unconfirmed_factors(findings: list[Finding], tables) -> list[Finding]:
    """``findings`` with each factor finding whose 預算數 or confirming totals another error or warning names put
    back as the line's own finding (item-product-mismatch at the 預算數, vehicle-fuel-mismatch at the 金額)."""
    if not any(f.rule in FACTOR_RULES for f in findings):
        return findings
    named = {c for g in findings if g.rule not in FACTOR_RULES and g.rule != "rounding-difference"
             and g.severity in (Severity.ERROR, Severity.WARNING) for c in (g.cell, *g.related)}
    chains: dict = {}  # table → its confirmed lines' totals, found once
    kept = []
    for f in findings:
        line = _line(f.cell, tables) if f.rule in FACTOR_RULES else None
        if line is not None:
            table, row = line
            if id(table) not in chains:
                chains[id(table)] = ({k: [cell_of(t, _amount(table)) for t in rows] for k, rows in
                                      fuel_chains(table).items()} if table.title == P_VEHICLES
                                     else confirmed_amounts(table))
            if named & {cell_of(row, _amount(table)), *chains[id(table)].get(id(row), ())}:
                f = (vehicle_fuel(row, table) if table.title == P_VEHICLES else item_product(table, row)) or f
        kept.append(f)
    return kept


def _amount(table) -> str:
    return next((k for k in table.columns if "油料" in k and "金額" in k), "") if table.title == P_VEHICLES \
        else "預算數"


def _line(cell, tables):
    """The (table, row) printing ``cell`` (a 數量 or 單價, as text or figure)."""
    for table in tables:
        for row in table.rows:
            if any(fig.cell == cell for fig in row.figures.values()) or any(c == cell for _, c in row.texts.values()):
                return table, row
    return None
