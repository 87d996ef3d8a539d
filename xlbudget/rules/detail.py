"""歲出計畫說明提要與各項費用明細表 / 歲入項目說明提要與預算明細表 (元), as printed: items (數量×單價) → 二級 →
一級 → 計畫項目 (臺北) → 分支計畫 → 合計, the 市款／收支併列 notes, the 預算金額 headings, whole 千元, and 收支併列 against 歲入."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Iterable

from xlbudget.core import codes
from xlbudget.core.amounts import (JoinedFigures, MisplacedComma, NotANumber, parse_printed_quantity, shown_whitespace,
                                   to_thousands)
from xlbudget.core.findings import Finding, factor_finding, item_product_finding, make_finding
from xlbudget.core.keys import compact_key
from xlbudget.core.model import CellRef
from xlbudget.core.patterns import lazy
from xlbudget.core.titles import DETAIL as P_DETAIL, REVENUE_DETAIL as P_REV_DETAIL
from xlbudget.rules.common import (cell_of, closing_totals, confirmed_parts, direct_children, finding, funding_parts,
                                   heading_amount, readable, table_titled, total_word, tree_sums, val)

# annotations only: a template book's checks (build, convert) never import the printed-table readers
if TYPE_CHECKING:
    from xlbudget.readers.printed_model import PrintedRow, PrintedTable

# a 計畫項目 (臺北 116, 07-152-51) sits between its 分支計畫 (1) and its 一級 lines (2)
PROJECT_LEVEL = 1.5
# its 說明 opens with the project's number and name: 01115年度人行道工程規劃設計 (not 30,000,000元，除…)
_PROJECT = lazy(r"^\d{2}(?!\d*[,，.．元%])\S")


def project_name(row: PrintedRow) -> str:
    """The 計畫項目 a 明細表 row prints, or "": a row with no label, an amount under 預算數 and no 單位 / 數量 /
    單價, its 說明 opening with the project's number and name (the first line: a wrapped name is cut there)."""
    if row.label or "預算數" not in row.figures or "單價" in row.figures or {"單位", "數量"} & set(row.texts):
        return ""
    text = row.texts.get("說明", ("", None))[0].strip()
    first = compact_key(text.splitlines()[0]) if text else ""
    return first if _PROJECT.match(first) else ""


def detail_level(row: PrintedRow) -> float | None:
    if row.label.startswith("合計"):
        return 0
    if len(row.code) == 2 and row.name:
        return 1
    if project_name(row):
        return PROJECT_LEVEL
    if len(row.code) == 4:
        return 2 if row.code.endswith("000") else 3
    if len(row.code) == 6:
        return 2 if row.code.endswith("00000") else 3
    if not row.label and ("預算數" in row.figures):
        return 4
    if len(row.code) == 11:  # 歲入明細表: an item labelled with its 科目
        return 4
    if row.label and not row.code and not total_word(row):
        # a 分支計畫 whose number cannot be split from a name that starts with digits (01115年度人行道改善工程,
        # see keys.branch_key), or typed without a number: the only other labelled line a 明細表 prints
        return 1
    return None


def item_product(table: PrintedTable, row: PrintedRow) -> Finding | None:
    """數量 × 單價 ≠ 預算數 on an item line (item-product-mismatch); quantity-unverifiable when 單價 and 預算數 are
    read but the 數量 printed is not a number nor a product (12月, 2人×6月 and 1式 are: 12, 12 and 1)."""
    quantity = row.texts.get("數量")
    price, amount = row.figures.get("單價"), row.figures.get("預算數")
    if quantity is None or price is None or amount is None or not (price.readable and amount.readable):
        return None
    try:
        q = parse_printed_quantity(quantity[0])
    except (MisplacedComma, JoinedFigures) as err:  # 「1,2月」 is not 12, nor 「1\n2」: typos, errors at the cell
        return make_finding(err.rule, quantity[1], column="數量", actual=quantity[0], typed=shown_whitespace(quantity[0]))
    except NotANumber:
        return make_finding("quantity-unverifiable", quantity[1], raw=quantity[0],
                            related=tuple(c for c in (price.cell, amount.cell) if c is not None))
    return item_product_finding(q, price.value, amount.value, amount.cell, quantity[1], price.cell, quantity[0])


def _mismatched(table: PrintedTable, row: PrintedRow) -> bool:
    """Whether an item line's 數量 × 單價 is not its 預算數 (its 二級 is then no source to judge other tables by)."""
    f = item_product(table, row)
    return f is not None and f.rule == "item-product-mismatch"


def check_detail(tables) -> Iterable[Finding]:
    """明細表: items (數量×單價) → 二級 → 一級 → 分支計畫 → 合計, 市款／收支併列 notes, 預算金額, 千元 whole."""
    table_codes = codes.object_codes()
    for title in (P_DETAIL, P_REV_DETAIL):
        table = table_titled(tables, title)
        if table is None:
            continue
        own_sums_only = title == P_DETAIL and table.unit != "元"  # tied to no other table (detail-not-in-yuan)
        if own_sums_only:
            yield finding("detail-not-in-yuan", table.title_cell or (table.rows[0].label_cell if table.rows else None),
                          table=title, unit=table.unit)
        blocks = plan_blocks(table)
        for plan, (rows, closing) in blocks.items():
            yield from closing
            yield from tree_sums(table, rows, detail_level, ["預算數"], project_name, direct=True)
            confirmed = confirmed_parts(rows, detail_level, "預算數", direct=True)
            for row in rows:
                f = item_product(table, row)
                if f and f.rule == "item-product-mismatch" and id(row) in confirmed and len(f.related) == 2:
                    total = confirmed[id(row)][0]
                    f = factor_finding(f, parse_printed_quantity(row.texts["數量"][0]), val(row, "單價"),
                                       cell_of(total, "預算數"), total.label or project_name(total), row.texts["數量"][0])
                if f:
                    yield f
            if title == P_DETAIL:
                if not own_sums_only:
                    yield from _funding_notes(table, rows)
                yield from _detail_codes(rows, table_codes)
                if not own_sums_only:
                    yield from _whole_thousands(plan, rows)
        for plan, text, cell in () if own_sums_only else table.headings:
            stated = heading_amount(text)
            total = next((r for r in table.rows if r.context == plan and r.label.startswith("合計")), None)
            if stated is None or total is None or not readable([(total, "預算數")]):
                continue
            if stated != to_thousands(val(total, "預算數")):
                yield finding("plan-heading-mismatch", cell, to_thousands(val(total, "預算數")), stated,
                              (cell_of(total, "預算數"),) if cell_of(total, "預算數") else (), plan=plan)


def plan_blocks(table: PrintedTable) -> dict[str, tuple[list[PrintedRow], list[Finding]]]:
    """A 明細表's rows by plan, each plan's 合計 printed under its lines taken out (closing_totals): its rows, and
    the findings on such closing totals."""
    blocks: dict[str, list[PrintedRow]] = defaultdict(list)
    for row in table.rows:
        blocks[row.context].append(row)
    leading: list[PrintedRow] = []  # each plan's 合計 row so far: what a 總計 under them totals
    found = {}
    for plan, rows in blocks.items():
        leading += [r for r in rows[:1] if detail_level(r) == 0]
        found[plan] = closing_totals(table, rows, detail_level, ["預算數"], list(leading), direct=True)
    return found


def confirmed_amounts(table: PrintedTable) -> dict[int, list[CellRef]]:
    """Each item line (by ``id``) whose 預算數 its totals add up, to the top (rules.common.confirmed_parts): the
    cells of those totals, nearest first."""
    found = {}
    for rows, _ in plan_blocks(table).values():
        found.update({k: [cell_of(t, "預算數") for t in chain]
                      for k, chain in confirmed_parts(rows, detail_level, "預算數", direct=True).items()})
    return found


def _funding_notes(table: PrintedTable, rows: list[PrintedRow]) -> Iterable[Finding]:
    noted = []
    for row in rows:
        text = row.texts.get("說明")
        parts = funding_parts(text[0]) if text else None
        lv = detail_level(row)
        if parts is None or lv is None or lv > 2:
            continue
        noted.append((row, lv, parts, text[1]))
        if "預算數" in row.figures and row.figures["預算數"].readable and sum(parts.values()) != val(row, "預算數"):
            yield finding("funding-note-mismatch", text[1], val(row, "預算數"), sum(parts.values()),
                          (cell_of(row, "預算數"),), label=row.label, what="市款＋收支併列")
    levels = [lv for _, lv, _, _ in noted]
    for i, (row, lv, parts, cell) in enumerate(noted):
        # the parts a note adds up are the rows it directly holds, as tree_sums adds its 預算數: a 一級 line printed
        # between a plan's 合計 and its first 分支計畫 is a part of 合計 (field report 7 §2.2: skipped, the 合計's
        # right 市款 175,007,000 was called 154,707,000, short of that line's 20,300,000)
        children = [(noted[j][2], noted[j][3]) for j in direct_children(levels, i, direct=True)]
        if not children:
            continue
        for key in ("市款", "收支併列"):
            expected = sum(p.get(key, 0) for p, _ in children)
            if parts.get(key, 0) != expected:
                yield finding("funding-note-mismatch", cell, expected, parts.get(key, 0),
                              tuple(c for _, c in children), label=row.label, what=key)


def _detail_codes(rows: list[PrintedRow], table_codes) -> Iterable[Finding]:
    for row in rows:
        if len(row.code) not in (4, 6) or detail_level(row) not in (2, 3):
            continue
        code = row.code[:4]
        entry = table_codes.get(code)
        if entry is None:
            yield make_finding("unknown-object-code", row.label_cell, actual=code, code=code)
        elif row.name and row.name not in entry.names:
            yield make_finding("object-name-mismatch", row.label_cell, expected=entry.name, actual=row.name,
                               code=code)


def _whole_thousands(plan: str, rows: list[PrintedRow]) -> Iterable[Finding]:
    by_l1: dict[str, list[PrintedRow]] = defaultdict(list)
    for row in rows:
        if detail_level(row) == 2:
            by_l1[row.code[:4]].append(row)
    for l1, l1_rows in by_l1.items():
        if not readable([(r, "預算數") for r in l1_rows]):
            continue
        total = sum(val(r, "預算數") for r in l1_rows)
        if total % 1000:
            cells = [cell_of(r, "預算數") for r in l1_rows if cell_of(r, "預算數")]
            yield make_finding("not-whole-thousand", cells[-1] if cells else None, actual=total,
                               related=tuple(cells[:-1]), plan=plan, code=l1)


# the last 明細表 table detail_totals read, and what it found: the 彙計表, lines-without-plan, 人事費彙計表 and
# 資本支出分析表 rules each ask for one book's in turn (a table is never changed once read: the same object, the same
# totals), so its items' products are judged once a book, not four times (2,000 items: 17 ms each)
_LAST_TOTALS: list[tuple] = [(None, None)]  # one (table, totals) pair, swapped whole: read once, never half of each


def detail_in_yuan(tables) -> PrintedTable | None:
    """The 明細表 when printed in 元, the one unit every tie to it reads it in; None when the book has none or prints
    it in another (check_detail names it, detail-not-in-yuan): 25,356 read as 元 put the 彙計表's right 25,356 千元
    «應為 25 千元», and 25,356,370 under 「單位：新臺幣千元」 passed without a word."""
    table = table_titled(tables, P_DETAIL)
    return table if table is not None and table.unit == "元" else None


def detail_totals(tables) -> tuple[dict[str, int], dict[tuple[str, str], int | None]] | None:
    """From the 明細表 (元): plan totals, and (plan, 二級 code) totals; None for a 二級 line that disagrees with
    its own items (its items do not add up to it, or one's 數量 × 單價 is not its 預算數): no source to judge
    the 彙計表 by (check_detail names it). Each row's level and each item's product is judged once here. The
    result is shared: never change it."""
    table = detail_in_yuan(tables)
    if table is None:
        return None
    last_table, last_found = _LAST_TOTALS[0]
    if last_table is table:
        return last_found
    found = _detail_totals(table)
    _LAST_TOTALS[0] = (table, found)
    return found


def _detail_totals(table: PrintedTable) -> tuple[dict[str, int], dict[tuple[str, str], int | None]] | None:
    rows = table.rows
    if any(r.context for r in rows) and not all(r.context for r in rows):
        return None  # lines in no plan (coverage.check_lines_without_plan names them): no plan's total is known
    levels = [detail_level(row) for row in rows]
    plans: dict[str, int] = {}
    by_code: dict[tuple[str, str], int | None] = defaultdict(int)
    suspect = set()
    for i, (row, lv) in enumerate(zip(rows, levels)):
        if lv != 3:
            continue
        end = i + 1
        while end < len(rows) and levels[end] == 4:
            end += 1
        items = rows[i + 1:end]
        if _mismatched(table, row) or items and sum(val(o, "預算數") for o in items) != val(row, "預算數") \
                or any(_mismatched(table, o) for o in items):
            suspect.add((row.context, row.code[:4]))
    for row, lv in zip(rows, levels):
        if lv == 0 and row.context not in plans:
            if not readable([(row, "預算數")]):
                return None
            plans[row.context] = val(row, "預算數")
        elif lv == 3:
            if not readable([(row, "預算數")]):
                return None
            if (row.context, row.code[:4]) in suspect:
                by_code[row.context, row.code[:4]] = None
            elif by_code.get((row.context, row.code[:4]), 0) is not None:
                by_code[row.context, row.code[:4]] += val(row, "預算數")
    return plans, dict(by_code)


def staff_lines(tables) -> dict[str, tuple[int, tuple]] | None:
    """From the 明細表 (元), what 人事費彙計表's columns are held to: each 1000 人事費 二級 code (1015, 1020 …) and
    1000 itself → (its amount over every plan, the cells printing it); None when the 明細表 prints no 1000 line (or is
    missing, or not known line by line). A code some line of which disagrees with its own items, and 1000 when its
    lines are not the sum of those 二級 lines, are left out: no source to judge by (check_detail names them)."""
    totals = detail_totals(tables)
    table = table_titled(tables, P_DETAIL)
    if totals is None or table is None:
        return None
    by_code = totals[1]
    found: dict[str, tuple[int, tuple]] = {}
    for row in table.rows:
        lv, code = detail_level(row), row.code[:4]
        if code.startswith("10") and (lv == 3 or (lv == 2 and code == "1000")):
            amount, cells = found.get(code, (0, ()))
            found[code] = (amount + val(row, "預算數"), cells + tuple(c for c in (cell_of(row, "預算數"),) if c))
    if "1000" not in found:
        return None
    parts = [c for c in found if c != "1000"]
    if sum(found[c][0] for c in parts) != found["1000"][0]:
        del found["1000"]
    for code in parts:
        if any(v is None for (_, c), v in by_code.items() if c == code):
            del found[code]
    return found


def _matched_spent(tables) -> int | None:
    """收支併列 in the 明細表's notes (元): each plan's first 合計 row's 市款／收支併列 note."""
    table = table_titled(tables, P_DETAIL)
    if table is None:
        return None
    noted: dict[str, int] = {}
    for row in table.rows:
        if row.context in noted or detail_level(row) != 0:
            continue
        if not readable([(row, "預算數")]):
            return None
        text = row.texts.get("說明")
        noted[row.context] = ((funding_parts(text[0]) if text else None) or {}).get("收支併列", 0)
    return sum(noted.values())


def check_matched_printed(tables) -> Iterable[Finding]:
    """收支併列 in the 明細表 notes (元) = 歲入項目說明提要與預算明細表 補助收入 (09…) items."""
    revenue = table_titled(tables, P_REV_DETAIL)
    spent = _matched_spent(tables) if revenue is not None else None
    if spent is None:
        return
    totals = [r for r in revenue.rows if r.label.startswith("合計") and r.context.startswith("09")]
    if not totals or not readable([(r, "預算數") for r in totals]):
        return
    received = sum(val(r, "預算數") for r in totals)
    if spent != received:
        yield finding("matched-revenue-mismatch", cell_of(totals[0], "預算數"), spent, received,
                      tuple(cell_of(r, "預算數") for r in totals[1:]))
