"""歲出機關別預算表 / 歲出預算表 and 歲入來源別預算表 / 歲入預算表, as printed: 比較 = 本年度 − 上年度,
合計 = 經常門 + 資本門, 款 → 項 → 目 → 節 sums, and 本年度 against 彙計表 and 一級用途別科目分析表 (歲出) or
歲入項目說明提要與預算明細表 (歲入)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Iterable

from xlbudget.core.amounts import to_thousands
from xlbudget.core.findings import Finding
from xlbudget.core.titles import (AGENCY_BUDGET as P_AGENCY, LEVEL1 as P_LEVEL1, REVENUE_DETAIL as P_REV_DETAIL,
                                  REVENUE_SOURCES as P_REV_SOURCES, SUMMARY as P_SUMMARY,
                                  TAIPEI_AGENCY_BUDGET as P_TAIPEI_AGENCY, TAIPEI_REVENUE as P_TAIPEI_REVENUE)
from xlbudget.rules.common import (blank_cell, cell_of, closing_totals, column_name, finding, heading_amount, in_unit,
                                   readable, sum_finding, table_titled, tree_sums, val)
from xlbudget.rules.detail import detail_level, item_product

# annotations only: a template book's checks (build, convert) never import the printed-table readers
if TYPE_CHECKING:
    from xlbudget.readers.printed_model import PrintedRow, PrintedTable

# 本年度預算數 as printed: one column, or (臺北市) 合計 / 經常門 / 資本門
CURRENT, SPLIT_TOTAL, SPLIT_CURRENT, SPLIT_CAPITAL = (
    "本年度預算數", "本年度預算數/合計", "本年度預算數/經常門", "本年度預算數/資本門")


PRIOR_KEYS = ("上年度預算數", "前年度決算數", "本年度與上年度比較")


def current_key(table: PrintedTable) -> str:
    """The key of 本年度預算數 (its 合計 when the table splits it by 經資門)."""
    return SPLIT_TOTAL if SPLIT_TOTAL in table.columns else CURRENT


def _budget_keys(table: PrintedTable) -> tuple[str, ...]:
    split = (SPLIT_CURRENT, SPLIT_CAPITAL) if current_key(table) == SPLIT_TOTAL else ()
    return (current_key(table),) + split + PRIOR_KEYS


def _comparisons(table: PrintedTable) -> Iterable[Finding]:
    current = current_key(table)
    if current not in table.columns or "上年度預算數" not in table.columns:
        return  # a column not read (check_amount_columns, check_unheaded_columns say it) is no column of 0s
    for row in table.rows:
        keys = (current, "上年度預算數", "本年度與上年度比較")
        if not readable([(row, k) for k in keys]):
            continue
        expected = val(row, current) - val(row, "上年度預算數")
        if "本年度與上年度比較" not in row.figures:
            if expected and current in row.figures and "本年度與上年度比較" in table.columns:
                # printed blank (a 0 as the book reads) where 本年度 and 上年度 differ: the whole column left blank
                # passed without a word (field report 18 §1.4)
                yield finding("comparison-mismatch", blank_cell(table, row, "本年度與上年度比較", True), expected, None,
                              tuple(c for c in (cell_of(row, current), cell_of(row, "上年度預算數")) if c))
            continue
        if val(row, "本年度與上年度比較") != expected:
            yield finding("comparison-mismatch", cell_of(row, "本年度與上年度比較"), expected,
                          val(row, "本年度與上年度比較"),
                          tuple(c for c in (cell_of(row, current), cell_of(row, "上年度預算數")) if c))


def _blanks_as_due(table: PrintedTable) -> list[PrintedRow]:
    """The table's rows, each 比較 printed blank where 本年度 and 上年度 differ (named at its cell by _comparisons)
    counted in the sums above it as what it should print: one blank, one finding — its parent, right, was blamed
    too («應為所屬各項合計 0», field report 18 §2.5)."""
    from dataclasses import replace

    current, key = current_key(table), "本年度與上年度比較"
    if key not in table.columns or "上年度預算數" not in table.columns:
        return list(table.rows)
    rows = []
    for row in table.rows:
        if key not in row.figures and current in row.figures and readable([(row, current), (row, "上年度預算數")]) \
                and (due := val(row, current) - val(row, "上年度預算數")):
            row = replace(row, figures={**row.figures, key: replace(row.figures[current], value=due, raw=None,
                                                                    cell=blank_cell(table, row, key, True))})
        rows.append(row)
    return rows


def _basis_splits(table: PrintedTable) -> Iterable[Finding]:
    """本年度預算數 合計 = 經常門 + 資本門 on every row (臺北市 歲出預算表 / 歲入預算表); 千元 尾差 allowed."""
    if current_key(table) != SPLIT_TOTAL:
        return
    for row in table.rows:
        f = sum_finding(table, row, SPLIT_TOTAL, [(row, SPLIT_CURRENT), (row, SPLIT_CAPITAL)],
                         "「本年度預算數 合計」欄")
        if f:
            yield f


def budget_level(row: PrintedRow) -> int | None:
    for i, number in enumerate(row.numbers):
        if number:
            return i + 1
    if row.label.startswith(("合計", "總計")) or row.label.endswith("合計"):
        return 0
    if not row.label and row.figures:  # the seed prints its total rows without a label
        return 0
    return None


def _whole_agency_rows(table: PrintedTable) -> set[int]:
    """The 主管 (款) and 機關 (項) lines that stand for the whole book: a level printed once.

    The seed prints one 主管 and one 機關; 新北's 統籌支撥科目 prints one 款 and five 項, each a part.
    """
    by_level: dict[int, list[PrintedRow]] = defaultdict(list)
    for row in table.rows:
        if budget_level(row) in (1, 2) and row.figures:
            by_level[budget_level(row)].append(row)
    return {id(rows[0]) for rows in by_level.values() if len(rows) == 1}


def _versus_summary(table: PrintedTable, summary: PrintedTable | None) -> Iterable[Finding]:
    """本年度 per 工作計畫 = 彙計表 column total; 主管 and 機關 lines = 彙計表 合計 (a 元 彙計表 rounded to 千元)."""
    if summary is None or (summary.unit != table.unit and (summary.unit, table.unit) != ("元", "千元")) \
            or current_key(table) not in table.columns:
        return
    total_row = next((r for r in summary.rows if r.label.startswith("合計")), None)
    if total_row is None:
        return
    current = current_key(table)
    total_key = next((k for k in total_row.figures if k.startswith("合計")), None)
    whole = _whole_agency_rows(table)
    for row in table.rows:
        key = row.code if row.code in total_row.figures else (total_key if id(row) in whole else None)
        if key is None or not readable([(row, current), (total_row, key)]):
            continue
        expected = in_unit(val(total_row, key), summary.unit, table.unit)
        if val(row, current) == expected:
            continue
        cell, what = cell_of(row, current) or row.label_cell, f"{row.label or '合計'} 本年度預算數"
        if summary.unit != table.unit:
            yield finding("thousand-rounding-mismatch", cell, expected, val(row, current), (cell_of(total_row, key),),
                          table=table.title, what=what, yuan=f"{val(total_row, key):,}")
        else:
            yield finding("cross-table-mismatch", cell, expected, val(row, current), (cell_of(total_row, key),),
                          table=table.title, what=what, other=P_SUMMARY)


def _versus_level1(table: PrintedTable, level1: PrintedTable | None, with_total: bool) -> Iterable[Finding]:
    """經常門 / 資本門 (and 合計 when ``with_total``) = 一級用途別科目分析表 經常支出小計 / 資本支出小計 / 合計.

    Plans are matched by code; the 主管 and 機關 lines by the analysis table's 合計 row.
    """
    if level1 is None or level1.unit != table.unit or current_key(table) not in table.columns:
        return
    pairs = [(SPLIT_CURRENT, "經常支出/小計"), (SPLIT_CAPITAL, "資本支出/小計")] \
        if current_key(table) == SPLIT_TOTAL else []
    if with_total:
        pairs.insert(0, (current_key(table), "合計"))
    by_code = {r.code: r for r in level1.rows if len(r.code) == 11}
    whole = _whole_agency_rows(table)
    l1_total = next((r for r in level1.rows if r.label.startswith(("合計", "總計"))), None)
    for row in table.rows:
        other = by_code.get(row.code) if row.code else None
        if other is None and id(row) in whole:
            other = l1_total
        if other is None:
            continue
        for key, other_key in pairs:
            if not readable([(row, key), (other, other_key)]) or (key not in row.figures
                                                                   and other_key not in other.figures):
                continue
            if val(row, key) != val(other, other_key):
                yield finding("cross-table-mismatch", cell_of(row, key) or row.label_cell, val(other, other_key),
                              val(row, key), tuple(c for c in (cell_of(other, other_key),) if c), table=table.title,
                              what=f"{row.label} {column_name(key)}（對照{other_key.replace('/', '')}）",
                              other=P_LEVEL1)


def check_agency_budget(tables) -> Iterable[Finding]:
    """歲出機關別預算表 / 歲出預算表: 比較 = 本年度 − 上年度; 合計 = 經常門 + 資本門; 款 → 項 → 目 → 節 sums;
    本年度 per plan = 彙計表; 經常門 / 資本門 = 一級用途別科目分析表."""
    summary, level1 = table_titled(tables, P_SUMMARY), table_titled(tables, P_LEVEL1)
    for title in (P_AGENCY, P_TAIPEI_AGENCY):
        table = table_titled(tables, title)
        if table is None:
            continue
        yield from _comparisons(table)
        yield from _basis_splits(table)
        rows, closing = closing_totals(table, _blanks_as_due(table), budget_level, _budget_keys(table))
        yield from closing
        yield from tree_sums(table, rows, budget_level, _budget_keys(table))
        yield from _versus_summary(table, summary)
        # 合計 against the analysis table only when no 彙計表 speaks for it: one wrong figure, one finding
        yield from _versus_level1(table, level1, with_total=summary is None)


def _revenue_items(detail: PrintedTable) -> dict[str, PrintedRow]:
    """歲入項目說明提要與預算明細表: each 科目 (its 來源別子目及細目 line's code) → the row holding its amount, its 合計
    (or its one line when the page prints no 合計). A 科目 whose lines do not add up to its 合計, one of whose lines'
    數量 × 單價 is not its 預算數, or whose heading's 預算金額 is not its 合計 is left out: the 明細表 disagrees with
    itself there, no source to judge the 歲入來源別預算表 by (check_detail names it)."""

    blocks: dict[str, list[PrintedRow]] = defaultdict(list)
    for row in detail.rows:
        if len(row.context) == 11:
            blocks[row.context].append(row)
    found = {}
    for code, rows in blocks.items():
        total = next((r for r in rows if detail_level(r) == 0), None)
        lines = [r for r in rows if detail_level(r) == 4]
        if total is None and len(lines) == 1:
            total = lines[0]
        if total is None or not readable([(r, "預算數") for r in [total] + lines]):
            continue
        if lines and total not in lines and sum(val(r, "預算數") for r in lines) != val(total, "預算數"):
            continue
        stated = [heading_amount(text) for plan, text, _ in detail.headings if plan == code]
        if any((f := item_product(detail, r)) is not None and f.rule == "item-product-mismatch" for r in lines) \
                or any(a is not None and a != to_thousands(val(total, "預算數")) for a in stated):
            continue
        found[code] = total
    return found


def _versus_revenue_detail(table: PrintedTable, detail: PrintedTable | None) -> Iterable[Finding]:
    """本年度 of each 節 = its 科目's 預算數 in 歲入項目說明提要與預算明細表 (元, rounded when this table is in 千元);
    a 科目 printed in one table and not the other is said (revenue-code-unmatched), never passed over."""
    if detail is None or (detail.unit != table.unit and (detail.unit, table.unit) != ("元", "千元")) \
            or current_key(table) not in table.columns:
        return
    items = _revenue_items(detail)
    current = current_key(table)
    printed = set()
    for row in table.rows:
        if budget_level(row) != 4 or len(row.code) != 11:
            continue
        printed.add(row.code)
        item = items.get(row.code)
        if item is None:
            if val(row, current) and row.code not in {r.context for r in detail.rows}:
                yield finding("revenue-code-unmatched", cell_of(row, current) or row.label_cell,
                              table=table.title, code=row.label, amount=f"本年度預算數 {val(row, current):,} {table.unit}",
                              other=P_REV_DETAIL)
            continue
        if not readable([(row, current)]):
            continue
        expected = in_unit(val(item, "預算數"), detail.unit, table.unit)
        if val(row, current) == expected:
            continue
        cell, what = cell_of(row, current) or row.label_cell, f"{row.label} 本年度預算數"
        related = tuple(c for c in (cell_of(item, "預算數"),) if c)
        if detail.unit != table.unit:
            yield finding("thousand-rounding-mismatch", cell, expected, val(row, current), related, table=table.title,
                          what=what, yuan=f"{val(item, '預算數'):,}")
        else:
            yield finding("cross-table-mismatch", cell, expected, val(row, current), related, table=table.title,
                          what=what, other=P_REV_DETAIL)
    for code, item in items.items():
        if code not in printed and val(item, "預算數"):
            yield finding("revenue-code-unmatched", cell_of(item, "預算數"), table=P_REV_DETAIL, code=code,
                          amount=f"預算數 {val(item, '預算數'):,} 元", other=table.title)


def check_revenue_sources(tables) -> Iterable[Finding]:
    """歲入來源別預算表 / 歲入預算表: 比較 = 本年度 − 上年度; 合計 = 經常門 + 資本門; 款 → 項 → 目 → 節 sums;
    合計 = Σ 款; each 節 = 歲入項目說明提要與預算明細表."""
    detail = table_titled(tables, P_REV_DETAIL)
    for title in (P_REV_SOURCES, P_TAIPEI_REVENUE):
        table = table_titled(tables, title)
        if table is None:
            continue
        yield from _comparisons(table)
        yield from _basis_splits(table)
        keys = _budget_keys(table)
        rows, closing = closing_totals(table, _blanks_as_due(table), budget_level, keys)  # 小計 / 總計 under 款
        yield from closing
        rows = [r for r in rows if budget_level(r) is not None]
        first_total = next((r for r in rows if budget_level(r) == 0), None)
        body = [r for r in rows if budget_level(r) != 0]
        if first_total is not None:
            yield from tree_sums(table, [first_total] + body, budget_level, keys)
            by_basis = [r for r in rows if budget_level(r) == 0 and r is not first_total]
            for key in keys if by_basis else ():
                f = sum_finding(table, first_total, key, [(r, key) for r in by_basis], column_name(key))
                if f:
                    yield f
        else:
            yield from tree_sums(table, body, budget_level, keys)
        yield from _versus_revenue_detail(table, detail)
