"""數量 × 單價 ≠ 預算數 on a line whose 預算數 its totals add up (field report 13 §F1): ``detail`` and ``vehicles``
name the 數量 or 單價 (core.findings.factor_finding); here, once every rule has run, a line whose 預算數 or one of
those totals another rule finds wrong (the plan's heading 預算金額, 各項費用彙計表, 歲入來源別預算表, the 市款 note…)
is named as before, at its 預算數: that total is then no confirmation (an item and every total above it typed 1,000
high agree with one another, not with the tables above)."""

from __future__ import annotations

from xlbudget.core.findings import Finding, Severity
from xlbudget.core.titles import VEHICLES as P_VEHICLES
from xlbudget.rules.detail import item_product
from xlbudget.rules.vehicles import vehicle_fuel

FACTOR_RULES = ("item-factor-mismatch", "item-factors-mismatch")


def unconfirmed_factors(findings: list[Finding], tables) -> list[Finding]:
    """``findings`` with each factor finding whose 預算數 or confirming totals another error or warning names put
    back as the line's own finding (item-product-mismatch, vehicle-fuel-mismatch)."""
    if not any(f.rule in FACTOR_RULES for f in findings):
        return findings
    named = {c for g in findings if g.rule not in FACTOR_RULES and g.rule != "rounding-difference"
             and g.severity in (Severity.ERROR, Severity.WARNING) for c in (g.cell, *g.related)}
    kept = []
    for f in findings:
        if f.rule in FACTOR_RULES:
            amount = f.related[0] if f.rule == "item-factor-mismatch" else f.related[1]
            if named & {amount, *f.related[2:]}:
                f = _line_finding(amount, tables) or f
        kept.append(f)
    return kept


def _line_finding(amount, tables) -> Finding | None:
    """數量 × 單價 ≠ 預算數 of the line printing ``amount``, at its 預算數 (or 油料費 金額)."""
    for table in tables:
        for row in table.rows:
            if any(fig.cell == amount for fig in row.figures.values()):
                return vehicle_fuel(row, table) if table.title == P_VEHICLES else item_product(table, row)
    return None
