"""Reading the rows of a printed table: labels and codes, figures, text columns, names run on, two column halves.

Pure: a ``Section`` (printed_pages) of a ``SheetGrid`` → ``PrintedRow``s.
"""

from __future__ import annotations

import re
from dataclasses import replace

from xlbudget.core.codes import PLAN_CODE_IN
from xlbudget.core.keys import code_key, compact_key
from xlbudget.core.model import CellRef
from xlbudget.core.patterns import lazy
from xlbudget.core.titles import STAFF_ANALYSIS, STAFF_COSTS, TRIPS_BY_KIND, VEHICLES
from xlbudget.readers.printed_model import PrintedRow, SheetGrid, read_figure
from xlbudget.readers.printed_pages import (KIND_LINE, LABEL_CODE, PLAN_CODE, UNIT, Section, column_roles, is_banner,
                                            is_heading, is_page_number, is_year_line, lone_number, text_key,
                                            title_of)


def _indent(text: object) -> int:
    if not isinstance(text, str):
        return 0
    stripped = text.lstrip(" \u3000")
    lead = text[: len(text) - len(stripped)]
    return lead.count("\u3000") + lead.count(" ") // 2


def column_key(key: str) -> str:
    """Canonical amount-column key: 11-digit plan codes stand alone (彙計表 headers hold code and name)."""
    m = PLAN_CODE_IN.search(key)
    if m:
        return m.group(1)
    return key


def column_key_name(key: str) -> str:
    """The name a column header prints beside its code (32020180101/行政管理 → 行政管理)."""
    return PLAN_CODE_IN.sub("", key).replace("/", "")


def _words_only(values: list[object]) -> bool:
    """Whether a column's values are all words (a name column under a header xlbudget does not know)."""
    texts = [compact_key(v) for v in values if v not in (None, "") and compact_key(v)]
    return bool(texts) and all(isinstance(v, str) for v in values if v not in (None, "") and compact_key(v)) \
        and not any(re.search(r"\d", t) or t in ("-", "—") for t in texts)


# a code typed as a number lost its leading zeros: 1 is the 分支計畫 01, 2000000 the 主管 0002000000 (10 digits
# in 高雄, 00020000000 in 新北: both are a whole-book line) and 9020180102 the 歲入 code 09020180102
_LOST_ZEROS = {1: 2, 7: 11, 8: 11, 9: 11, 10: 11}
_CODE_ONLY = lazy(r"(" + PLAN_CODE + r"|\d{10}|\d{6}|\d{4}|\d{2})")


def _label_part(value: object) -> str:
    """One label cell as a key; a code typed as a number padded back to its printed width."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return code_key(value, _LOST_ZEROS.get(len(compact_key(value))))
    return compact_key(value)


def _label(row: list[object], labels: list[int]) -> tuple[str, object, int | None]:
    """(label, the raw cell that prints the name, the first label column with a value) of a data row.

    With code and name in columns of their own the label is code then name
    (名稱 | 編號 too); one column holding both is read as it is.
    """
    parts = [(c, row[c], _label_part(row[c])) for c in labels if c < len(row) and _label_part(row[c])]
    if not parts:
        return "", None, None
    if len(parts) > 1:  # a code in a column of its own may be typed with dashes or spaces: 3202-0180101
        parts = [(c, v, code_key(t) if _CODE_ONLY.fullmatch(code_key(t)) else t) for c, v, t in parts]
    code_parts = [t for _, _, t in parts if _CODE_ONLY.fullmatch(t)] if len(parts) > 1 else []
    label = "".join(code_parts) + "".join(t for _, _, t in parts if t not in code_parts)
    raw = next((v for _, v, t in parts if t not in code_parts), parts[0][1])
    return label, raw, parts[0][0]


def _split_name(row: list[object], label: str, label_c: int | None, texts: list[int], text_values: dict,
                figures: dict) -> int | None:
    """The column holding the name a PDF converter split from a code-only label into the text column beside it
    (a 明細表 heading 「　　1015 法定編制人員待遇」 read back as 「1015」 | 「法定編制人員待遇」 under 單位), or None.

    Only a label that is a code alone, beside a text of words only (no digit: never 12月, 1式), on a row printing no
    數量 nor 單價 (an item line's 單位 stays its 單位): the one reading check and compare share."""
    m = LABEL_CODE.match(label) if label_c is not None else None
    c = label_c + 1 if m and not m.group(2) else None
    if c is None or c not in texts or c >= len(row) or "數量" in text_values or "單價" in figures:
        return None
    return c if _words_only([row[c]]) else None


def _continues_name(prev: PrintedRow | None, named_below: bool, label: str, figures: dict, nums: tuple) -> bool:
    """A line printing the rest of the row above's name: code above name (臺中, 新北), or a name wrapped.

    The figures are on the code's line, or (typed the other way) the code stands
    alone and the name's line carries the figures.
    """
    if prev is None or not prev.code or not label or any(nums) or LABEL_CODE.match(label) \
            or label.startswith(("合計", "總計", "小計")):
        return False
    if figures:
        return not prev.figures and not prev.name
    return not prev.name or named_below


# what a 款, 項, 目 or 節 column prints on a line of its level: its number (02, 009, 1; 一, 第1款), never words
LEVEL_NUMBER = lazy(r"第?(?:\d+|[一二三四五六七八九十〇零百]+)[款項目節]?$")


# a row carrying a running total from one page to the next (承上頁 42,614,724 at a page's top, 轉下頁 at its foot):
# no line of the table, never summed (field report 5 §2.3)
CARRY = lazy(r"^[(（]?(?:承|接|續|轉)(?:上|前|次|下)頁(?:合計|小計|累計|金額)?[)）]?[:：]?$")


def is_carry(row: PrintedRow) -> bool:
    """Whether a row is a page's carry line: its label, or (no label) its every text, is 承上頁 / 轉下頁 / 接次頁…
    An item line whose 說明 says （承上頁） prints its 單位 and 數量 too: it is a line."""
    if row.label:
        return bool(CARRY.match(row.label))
    return bool(row.texts) and all(CARRY.match(compact_key(t)) for t, _ in row.texts.values())


def _blank_heading(sec: Section, grid, r: int, label: str, labels: list[int], amounts: list[int]) -> bool:
    """Whether a labelled line printing no figure is a total left blank by hand, which the checks name at its cells
    (rules.blanks), never a line to pass over: 人事費's 正式員額, or a plan line of 公務車輛明細表 with vehicles right
    below it (the next line prints figures and no label; a page's agency name is followed by its title)."""
    if sec.title in (STAFF_COSTS, STAFF_ANALYSIS):
        return label == "正式員額"
    if sec.title != VEHICLES:
        return False
    below = next((row for row in grid.rows[r + 1:sec.end] if any(v not in (None, "") for v in row)), None)
    return below is not None and all(c >= len(below) or below[c] in (None, "") for c in labels) \
        and any(c < len(below) and below[c] not in (None, "") for c in amounts)


def read_section(sg: SheetGrid, sec: Section, context: str
                 ) -> tuple[list[PrintedRow], list, str, list[tuple[CellRef, int]], list[tuple[int, PrintedRow]]]:
    """The rows of one section (a page, a column half), its 明細表 plan headings, the plan context it ends in, the
    lone numbers it took as page numbers (lone_number), never as figures, with their cells, and its carry lines
    (is_carry), never lines, each with the number of the section's rows above it."""
    grid = sg.grid
    labels, numbers, texts, amounts = column_roles(sec.header, sec.half != "right")
    # an unknown header beside the label whose column holds only words is the name, never figures
    for c in list(amounts):
        if c - 1 in labels and _words_only([grid.rows[r][c] for r in range(sec.start, sec.end)
                                            if c < len(grid.rows[r])]):
            amounts.remove(c)
            labels.append(c)
    out: list[PrintedRow] = []
    headings = []
    pages: list[tuple[CellRef, int]] = []
    carries: list[tuple[int, PrintedRow]] = []
    # a page number is a lone number under a table whose lines print their labels: a second column half's lines
    # print none (matched by position), so one figure alone there is a line's
    footers = bool(labels) and sec.half != "right"
    context = sec.context or context
    last_r = None  # the sheet row index of the last row read (a name below it may continue it)
    named_below = False  # whether that row's name came (partly) from the line below
    for r in range(sec.top, sec.end):
        row = grid.rows[r]
        if not any(v not in (None, "") for v in row):
            continue
        if r < sec.start and not is_heading(row):
            continue  # titles and header
        if is_heading(row):
            joined = " ".join(str(v) for v in row if v not in (None, ""))
            m = PLAN_CODE_IN.search(joined)
            if m:
                context = m.group(1)
                cell_c = next(c for c, v in enumerate(row) if v not in (None, ""))
                headings.append((context, joined, grid.ref(r, cell_c)))
            continue
        page = lone_number(row) if footers else None
        if page is not None:
            pages.append((grid.ref(r, page), int(row[page])))
            last_r = None
            continue
        units = [c for c, v in enumerate(row) if isinstance(v, str) and UNIT.search(compact_key(v))]
        if title_of(row) or is_banner(row) or is_page_number(row) or any(
                isinstance(v, str) and is_year_line(compact_key(v)) for v in row) or units and not any(
                c not in units and c < len(row) and row[c] not in (None, "") and str(row[c]).strip() for c in amounts):
            last_r = None  # a page's unit line prints no figure beside it (one under another table's amount column
            continue  # too); a line's 說明 may quote a unit (「…薪點折合率（單位：新臺幣元）依規定。」)
        if sec.header and all(compact_key(v) in map(compact_key, sec.header[c].split("/")) for c, v in enumerate(row)
                              if v not in (None, "") and c < len(sec.header)):
            continue  # a header row repeated inside the table (a group row too: 經常支出 over 人事費)
        label, label_raw, label_c = _label(row, labels)
        figures = {}
        for c in amounts:
            v = row[c] if c < len(row) else None
            if v is None or (isinstance(v, str) and not v.strip()):
                continue
            key = column_key(sec.header[c])
            figures[key] = read_figure(v, grid.ref(r, c), price=key == "單價")
        text_values = {text_key(sec.header[c]): (str(row[c]).strip(), grid.ref(r, c))
                       for c in texts if c < len(row) and row[c] not in (None, "")}
        split = _split_name(row, label, label_c, texts, text_values, figures)
        if split is not None:  # 「1015」 | 「法定編制人員待遇」: the heading's name, never its 單位
            label += compact_key(row[split])
            text_values = {k: v for k, v in text_values.items() if k != text_key(sec.header[split])}
        kind = KIND_LINE.match(label) if sec.title == TRIPS_BY_KIND and not figures else None
        if kind:
            context = kind.group(1)  # the 類別 of the trips below
            continue
        nums = tuple(compact_key(row[c]) if c < len(row) else "" for c in numbers[:4])
        nums = nums + ("",) * (4 - len(nums))
        if any(n and not LEVEL_NUMBER.match(n) for n in nums):  # a note typed in the 款 column (「註：依…刪減」):
            for c, n in zip(numbers, nums):  # no level; its words are the line's label, placed or named (row-unplaced)
                if n and not LEVEL_NUMBER.match(n) and not label:
                    label, label_raw, label_c = n, row[c], c
            nums = tuple(n if LEVEL_NUMBER.match(n) else "" for n in nums)
        word_cell = next((cell for t, cell in text_values.values() if CARRY.match(compact_key(t))), None)
        carry = PrintedRow(grid.top + r, label, "", label, 0, figures, text_values, context=context,
                           label_cell=word_cell or grid.ref(r, label_c if label_c is not None else
                                                            (labels[0] if labels else 0)))
        if is_carry(carry):
            carries.append((len(out), carry))
            last_r = None
            continue
        prev = out[-1] if out and last_r is not None and all(
            not any(v not in (None, "") for v in grid.rows[rr]) for rr in range(last_r + 1, r)) else None
        if _continues_name(prev, named_below, label, figures, nums):
            notes = {k: ((prev.texts[k][0] + t, prev.texts[k][1]) if k in prev.texts else (t, cell))
                     for k, (t, cell) in text_values.items()}
            out[-1] = replace(prev, label=prev.label + label, name=prev.name + label, texts={**prev.texts, **notes},
                              figures={**prev.figures, **figures})
            last_r, named_below = r, True
            continue
        if not figures and not label and not any(nums):
            continue
        if not figures and not text_values and not re.match(r"^\d|合計|總計", label) \
                and not _blank_heading(sec, grid, r, label, labels, amounts):
            continue  # an agency-name or page-number line between pages
        m = LABEL_CODE.match(label)
        code, name = (m.group(1), m.group(2)) if m else ("", label)
        if label_c is None:
            label_c = labels[0] if labels else 0
        out.append(PrintedRow(grid.top + r, label, code, name, _indent(label_raw), figures, text_values,
                              nums, context, grid.ref(r, label_c)))
        last_r, named_below = r, False
    return out, headings, context, pages, carries


def join_halves(left: list[PrintedRow], left_start: int | None, right: list[PrintedRow], right_start: int
                 ) -> tuple[list[PrintedRow], list[PrintedRow]]:
    """Rows of a table's first column half with the figures of its second half added; and the unmatched.

    A second-half row is matched by its label when it prints one: the first
    row so labelled that has none of its figures yet (a label printed twice
    is matched in turn). Else by its position below its own header (the
    n-th line of one page beside the n-th line of the other), unless
    ``left_start`` is None (pages of columns: their lines always print their
    labels). Every figure keeps its own cell.
    """
    by_label: dict[str, list[int]] = {}
    for n, r in enumerate(left):
        if r.label:
            by_label.setdefault(r.label, []).append(n)
    by_offset = {r.sheet_row - left_start: n for n, r in enumerate(left)} if left_start is not None else {}
    joined, unmatched = list(left), []
    for row in right:
        if row.label:
            n = next((n for n in by_label.get(row.label, ()) if not joined[n].figures.keys() & row.figures.keys()),
                     None)
        else:
            n = by_offset.get(row.sheet_row - right_start)
        if n is None:
            unmatched.append(row)
            continue
        base = joined[n]
        joined[n] = replace(base, figures={**base.figures, **row.figures}, texts={**base.texts, **row.texts})
    return joined, unmatched
