"""派員出國計畫預算總表 / 類別表: on a template book, each plan's trips = its 2078 國外旅費; as printed,
交通費 + 生活費 + 辦公費 = 合計, 總表 per 類別 = Σ 類別表, and the trips against 2078 國外旅費 of 各項費用彙計表,
per 工作計畫."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Iterable

from xlbudget.core.amounts import NotANumber, parse_int
from xlbudget.core.dates import dates_left_as_typed, roc_years_named
from xlbudget.core.findings import Finding
from xlbudget.core.keys import compact_key, seen_key
from xlbudget.core.patterns import lazy
from xlbudget.core.titles import (SUMMARY as P_SUMMARY, TRIPS_BY_KIND as P_TRIPS_BY_KIND,
                                  TRIPS_SUMMARY as P_TRIPS_SUMMARY)
from xlbudget.core.codes import PLAN_CODE as P_PLAN_CODE
from xlbudget.rules.common import (whole_book, cell_of, column_name, finding, in_unit, is_total, readable, sum_finding,
                                   table_titled, val)
from xlbudget.rules.summary import plan_column
from xlbudget.core.findings import make_finding
from xlbudget.core.model import BudgetBook
from xlbudget.derive.personnel import TRIP_KINDS

# annotations only: a template book's checks (build, convert) never import the printed-table readers
if TYPE_CHECKING:
    from xlbudget.readers.printed_model import PrintedRow, PrintedTable


def check_trips_vs_travel(book: BudgetBook) -> list[Finding]:
    """派員出國計畫 total = 2078 國外旅費, per 工作計畫 (seed 400 千元). A whole book's 2078 lines with 出國計畫
    emptied or deleted are 0 元 of trips: the 派員出國計畫 tables are not made, never without a word."""
    if not book.trips and not whole_book(book):
        return []
    findings = []
    # each plan's 2078 from the book's sums and its trips, gathered once (not a pass over every line a plan: 10 plans
    # of a 20,000-line book walked it ten times); the lines themselves only for a plan whose figures differ
    travel: dict[str, int] = {}
    for (plan, code, _, _), amount in book.expense_sums.items():
        if code == "2078":
            travel[plan] = travel.get(plan, 0) + amount
    trips_of: dict[str, list] = defaultdict(list)
    for t in book.trips:
        if not t.last_year:
            trips_of[t.plan_code].append(t)
    for plan in sorted(trips_of.keys() | travel.keys()):
        trips = trips_of.get(plan, [])
        trip_total, item_total = sum(t.total for t in trips), travel.get(plan, 0)
        if trip_total != item_total:
            items = [i for i in book.plans.get(plan, ()) if i.object_code == "2078"]
            money = [t.cells[k] for t in trips for k in ("交通費", "生活費", "辦公費") if k in t.cells]
            # a trip read from 出國計畫 has its money cells (required columns), a plan's 2078 total its lines; a book
            # made otherwise (in code) may have neither: the finding still stands, at the trip's name or no cell
            named = [c for t in trips if (c := t.cells.get("計畫名稱"))]
            anchor = next(iter(money or [i.cells.get("預算數") for i in items] or named), None)
            findings.append(make_finding("trips-vs-travel", anchor, expected=item_total, actual=trip_total,
                                         related=tuple(money[1:]) + tuple(c for i in items if (c := i.cells.get("預算數"))),
                                         plan=plan))
    return findings


def check_trip_kinds(book: BudgetBook) -> list[Finding]:
    """出國計畫: a 類別 that is one of the six (考察 …) but for spaces or an invisible character (「考\u200b察」, 「考 察」)
    prints a 總表 row and a 類別表 of its own beside the kind it looks like, the trip missing from that kind's:
    named at its cell. Another 類別 (觀摩) prints as typed, its own row and 類別表, as the template lets it."""
    return [make_finding("trip-kind-lookalike", t.cells.get("類別"), expected=kind, actual=t.category, name=t.name)
            for t in book.trips if t.category not in TRIP_KINDS and (kind := seen_key(t.category)) in TRIP_KINDS]


def check_trip_periods(book: BudgetBook) -> list[Finding]:
    """出國計畫: a trip of this year whose 預計前往期間 names another 民國 year (next-year carries 1130101-1131231
    into the 114 draft, field report 6 §4.4), named at its cell; a period naming no year (「9月」) passes. A date in it
    that is no day (2024/2/30), printed as typed, is named at its cell too (trip-period-no-such-date)."""
    findings = []
    for t in book.trips:
        for typed in dates_left_as_typed(t.period):  # printed as typed: never without a word
            findings.append(make_finding("trip-period-no-such-date", t.cells.get("預計前往期間"), actual=typed,
                                         name=t.name, period=t.period, typed=typed))
        if t.last_year:
            continue
        other = sorted({y for y in roc_years_named(t.period) if y != book.agency.year})
        if other:
            findings.append(make_finding("trip-period-outside-year", t.cells.get("預計前往期間"),
                                         expected=book.agency.year, actual=other[0], name=t.name, period=t.period,
                                         years="、".join(map(str, other)), year=book.agency.year))
    return findings


def _trip_key(table: PrintedTable, name: str) -> str:
    return next((k for k in table.columns if k.split("/")[-1] == name), name)


_PERSONS_DAYS = lazy(r"^(\d+)人[xX×*＊](\d+)天$")
_DAYS_TOTAL = lazy(r"^(\d+)人天$")


def _person_days(text: str) -> list[tuple[int | None, int]] | None:
    """本年度預計人天 as printed, one entry a trip: 「4人x10天、2人x5天」 → [(4, 40), (2, 10)] (persons, person-days);
    「40人天」 → [(None, 40)]; None when it is neither (blank, and a printed zero 「-」 or 「0」, is [])."""
    try:
        if parse_int(text) == 0:  # 「-」, 「－」, 「0」: no trip, as a zero is printed in the amount columns beside it
            return []
    except NotANumber:
        pass
    found: list[tuple[int | None, int]] = []
    for part in (p for p in re.split(r"[、，,;；]", compact_key(text)) if p):
        m, total = _PERSONS_DAYS.match(part), _DAYS_TOTAL.match(part)
        if m:
            found.append((int(m.group(1)), int(m.group(1)) * int(m.group(2))))
        elif total:
            found.append((None, int(total.group(1))))
        else:
            return None
    return found


def _days_text(days: list[tuple[int | None, int]]) -> str:
    """A 應為 of 人天 as derive.personnel._man_days prints it: one trip 「4人x10天」, several (or none: never 「」) their
    person-days 「400人天」."""
    if len(days) == 1 and days[0][0]:
        return f"{days[0][0]}人x{days[0][1] // days[0][0]}天"
    return f"{sum(pd for _, pd in days)}人天"


def _same_days(actual: list[tuple[int | None, int]], expected: list[tuple[int | None, int]]) -> bool:
    """The trips listed one by one, in any order; or their total person-days where either prints only that."""
    if len(actual) == len(expected) and all(p for p, _ in actual + expected):
        return sorted(actual) == sorted(expected)
    return sum(pd for _, pd in actual) == sum(pd for _, pd in expected)


def _trip_days(summary_t: PrintedTable, total: PrintedRow | None, body: list[PrintedRow], kinds: PrintedTable | None,
               trips: list[PrintedRow]) -> Iterable[Finding]:
    """總表 本年度預計人天 of each 類別 = the 類別表's trips of that class (擬派人數 x 預計天數, as derive prints it);
    合計 = the rows' trips (上年度核定人天 likewise, against the rows only)."""
    persons, days = (_trip_key(kinds, "擬派人數"), _trip_key(kinds, "預計天數")) if kinds is not None else ("", "")
    for key in [k for k in summary_t.columns if k.endswith("人天")]:
        read: dict[int, list] = {}
        for row in ([total] if total is not None else []) + body:
            text, cell = row.texts.get(key, ("", None))
            read[id(row)] = _person_days(text)
            if read[id(row)] is None:
                yield make_finding("trip-days-unreadable", cell, actual=text, raw=text)
        for row in body:
            mine = [r for r in trips if compact_key(r.context) == row.label]
            if kinds is None or not key.startswith("本年度") or read[id(row)] is None or not mine and key not in row.texts:
                continue
            if not readable([(r, k) for r in mine for k in (persons, days)]):
                continue
            expected = [(val(r, persons), val(r, persons) * val(r, days)) for r in mine]
            if not _same_days(read[id(row)], expected):
                cell = row.texts[key][1] if key in row.texts else row.label_cell
                yield finding("cross-table-mismatch", cell, _days_text(expected), row.texts.get(key, ("", None))[0],
                              tuple(c for r in mine for k in (persons, days) if (c := cell_of(r, k))),
                              table=P_TRIPS_SUMMARY, what=f"{row.label} {key}", other=f"{P_TRIPS_BY_KIND}（{row.label}）")
        if total is None or read[id(total)] is None or any(read[id(r)] is None for r in body):
            continue
        expected = [d for r in body for d in read[id(r)]]
        if (expected or key in total.texts) and not _same_days(read[id(total)], expected):
            yield finding("subtotal-mismatch", total.texts[key][1] if key in total.texts else total.label_cell,
                          _days_text(expected), total.texts.get(key, ("", None))[0],
                          tuple(r.texts[key][1] for r in body if key in r.texts), label=total.label,
                          column=column_name(key), rows="")


def check_trips(tables) -> Iterable[Finding]:
    """派員出國計畫: 類別表 交通費 + 生活費 + 辦公費 = 合計 (尾差 allowed); 總表 合計 = Σ 類別; 總表 本年度 per
    類別 = Σ 類別表; Σ 類別表 合計 = 彙計表 2078 國外旅費, per 工作計畫 where 歸屬預算科目 names it."""
    kinds = table_titled(tables, P_TRIPS_BY_KIND)
    summary_t = table_titled(tables, P_TRIPS_SUMMARY)
    trips = []
    if kinds is not None:
        total_key = _trip_key(kinds, "合計")
        parts = [_trip_key(kinds, n) for n in ("交通費", "生活費", "辦公費")]
        trips = [r for r in kinds.rows if total_key in r.figures]
        for row in trips:
            f = sum_finding(kinds, row, total_key, [(row, k) for k in parts], "「旅費預算 合計」欄")
            if f:
                yield f
    if summary_t is not None:
        total = next((r for r in summary_t.rows if is_total(r)), None)
        body = [r for r in summary_t.rows if not is_total(r)]
        for key in [k for k in summary_t.columns if k in summary_t.columns and any(k in r.figures for r in summary_t.rows)]:
            if total is not None:
                f = sum_finding(summary_t, total, key, [(r, key) for r in body], column_name(key),
                                 exact="項數" in key)
                if f:
                    yield f
        yield from _trip_days(summary_t, total, body, kinds, trips)
        if kinds is not None:
            total_key = _trip_key(kinds, "合計")
            for row in body:
                mine = [r for r in trips if compact_key(r.context) == row.label]
                checks = [("本年度預算數", sum(val(r, total_key) for r in mine), [(r, total_key) for r in mine]),
                          ("本年度計畫項數", len(mine), [])]
                for key, expected, related in checks:
                    if key not in row.figures and not mine:
                        continue
                    if not readable([(row, key), *related]) or val(row, key) == expected:
                        continue
                    yield finding("cross-table-mismatch", cell_of(row, key) or row.label_cell, expected, val(row, key),
                                  tuple(r.figures[k].cell for r, k in related), table=P_TRIPS_SUMMARY,
                                  what=f"{row.label} {key}", other=f"{P_TRIPS_BY_KIND}（{row.label}）")
    summary = table_titled(tables, P_SUMMARY)
    if kinds is None or summary is None:
        return
    yield from _trips_versus_travel(kinds, trips, summary)


def _trips_versus_travel(kinds: PrintedTable, trips: list[PrintedRow], summary: PrintedTable) -> Iterable[Finding]:
    travel = next((r for r in summary.rows if len(r.code) in (4, 6) and r.code[:4] == "2078"), None)
    total_key = _trip_key(kinds, "合計")
    column_total = next((k for k in summary.columns if k.startswith("合計")), None)
    plan_of = {}
    for row in trips:
        text = next((t for k, (t, _) in row.texts.items() if "歸屬預算科目" in k), "")
        plan_of[id(row)] = plan_column(summary, text) if text else None
    groups: dict[str, list[PrintedRow]] = defaultdict(list)
    if all(plan_of[id(r)] for r in trips):
        for row in trips:
            groups[plan_of[id(row)]].append(row)
        if travel is not None:  # a plan printing 國外旅費 with no trip at all
            for key in travel.figures:
                if re.fullmatch(P_PLAN_CODE, key) and key not in groups:
                    groups[key] = []
    if column_total:
        groups[column_total] = list(trips)
    for column, rows in groups.items():
        if not readable([(r, total_key) for r in rows]) or (travel is not None and not readable([(travel, column)])):
            continue
        expected = sum(val(r, total_key) for r in rows)  # 千元
        actual = in_unit(val(travel, column), summary.unit, "千元") if travel is not None else 0
        diff = actual - expected
        if diff == 0:
            continue
        cell = (cell_of(travel, column) or travel.label_cell) if travel is not None else \
            (rows[0].figures[total_key].cell if rows else None)
        related = tuple(r.figures[total_key].cell for r in rows)
        what = f"207800國外旅費 {column_name(column) if not column.startswith('合計') else '合計欄'}"
        if summary.unit == "千元" and 2 * abs(diff) <= max(len(rows), 1) and rows:
            yield finding("rounding-difference", cell, expected, actual, related, label="207800國外旅費",
                          column=f"（對照{P_TRIPS_BY_KIND}）", diff=f"{abs(diff):,}")
        else:
            yield finding("cross-table-mismatch", cell, expected, actual, related, table=P_SUMMARY, what=what,
                          other=f"{P_TRIPS_BY_KIND}（旅費預算合計）")
