"""A total printed blank where the rows it adds up print figures (fix8, session 26's note): the 小計 line of a
group left empty by hand in 資本支出分析表, 歲出一級用途別科目分析表, 人事費彙計表 (人事費分析表) or 公務車輛明細表.

The blank is named at its own cell with the figure its parts add up to (subtotal-mismatch, 此處為（空白）), and from
then on it is a figure no check can read: the total above it and the tables tied to it are not verified against
it, never against 0, which would blame a right figure elsewhere (a 合計 «應為 0», another table «應等於 0»). So is a
明細表 line's 預算數 left blank under its 數量 and 單價 (item-amount-blank, 應為 their product).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from xlbudget.core.amounts import NotANumber, parse_printed_quantity, priced_amount
from xlbudget.core.findings import Finding
from xlbudget.core.titles import CAPITAL, DETAIL, LEVEL1, REVENUE_DETAIL, STAFF_ANALYSIS, STAFF_COSTS, VEHICLES
from xlbudget.rules.common import blank_cell, column_name, finding, readable, val

if TYPE_CHECKING:
    from xlbudget.readers.printed_model import PrintedTable

BLANK_TOTAL = "是空白，但所屬各項合計不為 0"  # the problem of a Figure blank_totals puts in a blank total's place


def _sums(table: PrintedTable) -> list:
    """(total row, the rows it adds up, the columns summed) of each total of ``table`` that a blank may be."""
    if table.title in (LEVEL1, CAPITAL):
        from xlbudget.rules.analysis import plan_sums
        return plan_sums(table)
    if table.title in (STAFF_COSTS, STAFF_ANALYSIS):
        return _class_sums(table)
    if table.title == VEHICLES:
        from xlbudget.rules.vehicles import line_sums
        return line_sums(table)
    return []


def _class_sums(table: PrintedTable) -> list:
    """人事費彙計表 (and each plan of 人事費分析表): its 合計 row with the classes it adds up, 正式員額 with its
    classes, and the columns summed, as staff._staff_block sums them."""
    from xlbudget.rules.common import is_total
    from xlbudget.rules.staff import FORMAL, HEADCOUNT, _class_parts

    keys = [HEADCOUNT] + [k for k in table.columns if k.startswith("全年度人事費/")]
    blocks: dict[str, list] = {}
    for row in table.rows:
        blocks.setdefault(row.context if table.title == STAFF_ANALYSIS else "", []).append(row)
    sums = []
    for rows in blocks.values():
        top, formal = _class_parts(rows)
        total = next((r for r in rows if is_total(r)), None)
        formal_row = next((r for r in rows if r.label == FORMAL), None)
        sums += [(row, parts, keys) for row, parts in ((total, top), (formal_row, formal)) if row is not None and parts]
    return sums


def _blank_items(table: PrintedTable) -> tuple[PrintedTable, list[Finding]]:
    """A 明細表 line (no label) printing its 數量 and 單價 with its 預算數 left blank where their product is not 0:
    named at the blank (item-amount-blank, 應為 the product), and from then on a figure no check reads, as a blank
    total is. Read as no line, it was «no code, not a total» (row-unplaced) and its right 二級 line «應為» the other
    lines' sum (1020 5,282,562 «應為 871,852», its 4,410,710 line left blank)."""
    from xlbudget.readers.printed_model import Figure

    if table.title not in (DETAIL, REVENUE_DETAIL) or "預算數" not in table.columns:
        return table, []  # a table with no 預算數 column is said unreadable (coverage.missing_amount_column)
    blank, found = {}, []
    for row in table.rows:
        price, quantity = row.figures.get("單價"), row.texts.get("數量")
        if row.label or "預算數" in row.figures or price is None or not price.readable or quantity is None:
            continue
        try:
            product = priced_amount(parse_printed_quantity(quantity[0]) or 0, price.value or 0)
        except NotANumber:
            continue  # a 數量 that is no number: the line's product cannot be told
        cell = blank_cell(table, row, "預算數")
        if product and cell is not None:
            blank[id(row)] = Figure(None, cell, None, BLANK_TOTAL)
            found.append(finding("item-amount-blank", cell, product, None, (quantity[1], price.cell),
                                 quantity=quantity[0], price=f"{price.value:,}"))
    if not blank:
        return table, []
    return replace(table, rows=tuple(replace(r, figures={**r.figures, "預算數": blank[id(r)]}) if id(r) in blank
                                     else r for r in table.rows)), found


def blank_totals(tables) -> tuple[list, list[Finding]]:
    """``tables`` with each blank total that its parts put at a figure other than 0 made an unreadable Figure
    (BLANK_TOTAL), and a subtotal-mismatch at each such cell, 應為 its parts' sum. A total whose part is itself such
    a blank adds up that part's sum; a part that cannot be read leaves the total unjudged, as sum_finding does."""
    from xlbudget.readers.printed_model import Figure

    out, found = [], []
    for table in tables:
        table, items = _blank_items(table)
        found += items
        sums = _sums(table)
        expected: dict[tuple[int, str], int] = {}  # (id(row), key) → the sum a blank total's parts add up to
        for row, parts, keys in reversed(sums):  # a total's parts are below it: the deepest first
            for key in keys:
                if key in row.figures:
                    continue
                present = [p for p in parts if key in p.figures or (id(p), key) in expected]
                if not present or not readable([(p, key) for p in present if (id(p), key) not in expected]):
                    continue
                total = sum(expected.get((id(p), key), val(p, key)) for p in present)
                if total:
                    expected[id(row), key] = total
                    cell = blank_cell(table, row, key)
                    related = tuple(c for p in present if (c := p.figures[key].cell if key in p.figures else
                                                           blank_cell(table, p, key)))
                    found.append(finding("subtotal-mismatch", cell, total, None, related,
                                         label=row.label or "合計", rows="",
                                         column=column_name(key.removeprefix("全年度人事費/"))))
        if not expected:
            out.append(table)
            continue
        blank: dict[int, dict[str, Figure]] = {}
        for (row_id, key), _ in expected.items():
            row = next(r for r, _, _ in sums if id(r) == row_id)
            blank.setdefault(row_id, {})[key] = Figure(None, blank_cell(table, row, key), None, BLANK_TOTAL)
        out.append(replace(table, rows=tuple(replace(r, figures={**r.figures, **blank[id(r)]}) if id(r) in blank
                                             else r for r in table.rows)))
    return out, found
