"""Next year's input book from this one (新年度): the same inputs, one year on.

Pure: takes this year's input sheets as grids (as any adapter reads them) and
the BudgetBook read from them, and returns next year's input sheets as rows
(header first). The adapters write those rows into a new workbook: an
openpyxl file (``xlbudget next-year``) or a new Excel book (button 新年度).

What changes, and why:
- 基本資料 年度 + 1; 前年度歲出預算數 / 前年度歲入預算數 (千元, for the 執行率
  sentences) become this book's 上年度 totals, since next year's 前年度 is
  this year's 上年度;
- 以前年度 is rewritten: 上年度預算數 = this book's 本年度 預算數 (千元, rounded
  from 元 totals like every 千元 cell) for every 工作計畫 and every 歲入 code
  (業務計畫 and total rows are their sums, as in any book); 前年度決算數 is
  left empty: it is the 決算 of this book's 上年度, which this book does not hold;
  each 歲入 code's 經資門 (its 歲入明細 lines', else as this 以前年度 typed it) goes
  with it, for a 科目 left without a line next year;
- 員額: 上年度預算員額 = this year's 本年度預算員額;
- 出國計畫: this year's trips become the 上年度 lines of next year's 總表 (and
  stay as next year's draft, with this year's costs and 預計前往期間: named
  in AS_IS); the old 上年度 lines are dropped;
- 總說明: the officer's paragraphs are kept, xlbudget's generated sentences
  (from column ``generated_from`` on) are dropped: build writes new ones;
- 分年資金需求 moves a year (臺北 116, 07-152-92…94): 以前年度預算數 = 以前年度 +
  本年度, each later year one column left, 全程計畫總金額 kept, 新興 → 繼續性;
  a project with nothing after this year is finished and dropped. 以後年度
  (N+5 and later) stays 以後年度 (next year's N+6 and later) with 第5年度
  empty: how much of it falls in N+5 this book cannot know, so each such cell
  is named (``funding_splits``);
- everything else (歲出明細, 歲入明細, 人事費, 約聘僱, 說明提要, 公務車輛) is
  carried as the draft; ``clear_amounts`` empties 數量/單價/預算數 (and
  收支併列數) of 歲出明細 and 歲入明細 but keeps the lines.
"""

from __future__ import annotations

from collections import defaultdict

from xlbudget.core.amounts import NotANumber, parse_int, to_thousands
from xlbudget.forms.inputs import (FUNDING_AMOUNTS, FUNDING_HEADERS, FUNDING_KINDS, FUNDING_YEARS, KIND_KEY, PRIOR_ADDED,
                                   PRIOR_HEADERS, PRIOR_OPTIONAL, PRIOR_YEAR_KEYS, SHEET_AGENCY, SHEET_EXPENSES,
                                   SHEET_FUNDING, SHEET_NARRATIVE, SHEET_PRIOR, SHEET_REVENUES, SHEET_STAFFING,
                                   SHEET_TRIPS, STAGE_KEY, budget_stage_in, stage_typed)
from xlbudget.readers.grid import Grid, column_letter
from xlbudget.core.keys import compact_key as norm_key, header_key
from xlbudget.core.model import BudgetBook, CellRef, PriorYear
from xlbudget.core.records import record

PRIOR_COLUMNS = PRIOR_HEADERS + PRIOR_OPTIONAL  # the 以前年度 sheet as next-year writes it (template order)
CLEARED = {SHEET_EXPENSES: ("數量", "單價", "預算數", "收支併列數"), SHEET_REVENUES: ("數量", "單價", "預算數")}
LAST_YEAR = "上年度"  # 出國計畫 年度 of a line of the 上年度 columns


@record
class NextYear:
    """Next year's input sheets as rows (header first), and what the officer must still fill in."""

    year: int
    sheets: dict[str, list[list[object]]]
    prior: tuple[PriorYear, ...]
    empty_finals: tuple[CellRef, ...]  # 以前年度 前年度決算數 cells left empty, in the new book
    finished: tuple[str, ...] = ()  # 分年資金需求 projects with nothing after this year: dropped
    funding_splits: tuple[CellRef, ...] = ()  # 以後年度 cells whose amount may belong partly to the new 第5年度
    # where each sheet's data rows come from: the index in this year's grid of the row each was copied from (None:
    # a row next-year writes); a column keeps its place (a column next-year adds comes after the book's own)
    origins: dict[str, tuple[int | None, ...]] = None
    # (data row, column) of each cell whose figure next-year wrote anew (年度, 上年度預算員額, a 分年資金需求 year
    # moved): what was there this year is not carried; and those ``clear_amounts`` emptied, whose place is carried
    changed: dict[str, frozenset[tuple[int, int]]] = None
    cleared: dict[str, frozenset[tuple[int, int]]] = None
    # rows of 歲出機關別預算表 / 歲入來源別預算表 whose 上年度 next year prints otherwise than this 本年度 (carried_apart)
    apart: tuple[str, ...] = ()
    # texts carried as typed that name this book's year (「辦理113年度資安健診」 in a 114 book): 「歲出明細 第 5 列 說明」
    year_texts: tuple[str, ...] = ()
    # this book's 以前年度 lines whose 說明 (what 歲出機關別預算表 / 歲入來源別預算表 print in their 說明 column: this
    # year against last) next-year does not carry, as 「32020180101 一般行政-行政管理」 (field report 19 §2)
    notes_left: tuple[str, ...] = ()
    # 以前年度 lines carried with 上年度預算數 0 that had 0 (or none) this year too: kept for a 前年度決算數 (the seed prints
    # 02 賠償收入 with 本年度 and 上年度 「-」 for its 決算 54), printed as a row of 0s when that is 0 too (field report 19)
    idle: tuple[str, ...] = ()

    @property
    def carried_as_is(self) -> tuple[str, ...]:
        """Sheets with rows carried with this year's figures, which next-year does not roll forward."""
        return tuple(name for name in AS_IS if len(self.sheets.get(name, ())) > 1)


# sheets whose figures belong to this year and are copied unchanged: the officer must redo them
# (this year's costs; 分年資金需求 is rolled forward instead). 出國計畫's draft rows keep this year's costs and
# 預計前往期間 (its 上年度 rows are right as carried): named too (field report 6 §4.4)
AS_IS = ("費用分攤", "市政白皮書", "轉帳收支", "人事費分析", "公務車輛", "人事費", "約聘僱", "出國計畫")


def prior_source_line(book: BudgetBook, name: str) -> str:
    """Where next year's 上年度 came from, in one line (field report 8 §2.3): this book's 本年度 totals as its
    歲出機關別預算表 and 歲入來源別預算表 print them (千元, rounded from the 元 totals). Officers keep one workbook and run
    next-year on it; whether it was brought to the 法定預算 after the council's cuts is what is forgotten."""
    totals = [f"歲出 {to_thousands(sum(i.amount for i in book.expenses)):,} 千元"]
    if book.revenues:
        totals.append(f"歲入 {to_thousands(sum(r.amount for r in book.revenues)):,} 千元")
    return (f"以前年度的上年度預算數取自 {name} 的本年度預算數（{'，'.join(totals)}）；如經議會審議增刪，"
            "請改以法定預算數填入。")


def carried_apart(book: BudgetBook, prior: tuple[PriorYear, ...]) -> list[str]:
    """The rows of 歲出機關別預算表 and 歲入來源別預算表 whose 上年度預算數 next year's book will print otherwise than
    this book prints their 本年度預算數: 「歲入來源別預算表 合計 57,021 → 57,022 千元」. 以前年度 holds each 工作計畫
    and 歲入 科目 in 千元 (each rounded from its 元 total) and every row above them is their sum, while this year's
    row is its 元 total rounded: two 科目 of 1,500 元 print 2 and 2 under a 目 of 3 (3,000 元) this year, 4 next
    year. Never silently: next-year names them (a 114 上年度 合計 that is not the 113 法定預算's)."""
    from dataclasses import replace

    from xlbudget.derive.budgets import derive_agency_budget, derive_revenue_sources

    carried = replace(book, prior=prior)  # next year's 以前年度 (next_prior_lines) under this year's lines
    out = []
    for derive in (derive_agency_budget, derive_revenue_sources) if book.revenues else (derive_agency_budget,):
        table = derive(book)
        this = {(row.code, row.name): row.cells.get("本年度預算數") for row in table.rows}
        for row in derive(carried).rows:
            was, now = this.get((row.code, row.name)), row.cells.get("上年度預算數")
            if was is not None and now is not None and now != was:
                label = row.name if row.code == row.name else f"{row.code} {row.name}"
                out.append(f"{table.title} {label} {was:,} → {now:,} 千元")
    return out


def next_stage(key: str, typed: object) -> str | None:
    """基本資料 預算階段 or 預算類別 as next year's book starts: a 預算案, whatever stage this year's book reached
    (預算階段 「法定預算」 → 「預算案」, 預算類別 「單位法定預算」 → 「單位預算案」); None to keep it as typed."""
    text = "" if typed is None else str(typed)
    if key == STAGE_KEY:
        return "預算案" if stage_typed(text) == "法定預算" else None
    return text.replace("法定預算", "預算案") if budget_stage_in(text) == "法定預算" and "法定預算" in text else None


def as_is_reminder(plan: NextYear) -> str | None:
    """The lines telling the officer which carried sheets still hold this year's figures, and what moving
    分年資金需求 a year left to do, or None."""
    lines = []
    if plan.apart:
        lines.append(f"以下各列 {plan.year} 年度預算書印的上年度預算數將與本預算書所印的 {plan.year - 1} 年度本年度預算數"
                     "不同：以前年度只記各工作計畫及歲入科目（各自四捨五入至千元），其上各列為其相加，而本年度是以元相加"
                     f"後才四捨五入（尾差）：{'、'.join(plan.apart)}。請檢視，需要時於說明註明。")
    if plan.year_texts:
        shown = plan.year_texts[:YEAR_TEXTS_SHOWN]
        more = f" 等 {len(plan.year_texts)} 格" if len(plan.year_texts) > len(shown) else ""
        lines.append(f"以下文字提到 {plan.year - 1} 年（本預算書的年度），已照原文帶入 {plan.year} 年度預算書，請檢視是否"
                     f"應改為 {plan.year} 年：{'、'.join(shown)}{more}")
    if plan.notes_left:
        lines.append(f"以前年度的說明未帶入 {plan.year} 年度預算書：本預算書的說明（歲出機關別預算表、歲入來源別預算表的"
                     f"說明欄）寫的是 {plan.year - 1} 年度與上年度的比較，請依 {plan.year} 年度重填："
                     f"{'、'.join(plan.notes_left)}")
    if plan.idle:
        lines.append(f"以前年度以下各列 {plan.year - 1}、{plan.year - 2} 年度皆無預算，仍帶入 {plan.year} 年度預算書"
                     f"（上年度預算數 0），以便填入前年度決算數；若其 {plan.year - 2} 年度決算數也是 0，此列在 {plan.year} "
                     f"年度預算書只印一列 0，請刪除：{'、'.join(plan.idle)}")
    if plan.carried_as_is:
        lines.append(f"以下工作表照本年度內容帶入，數字仍是 {plan.year - 1} 年度的，請改為 {plan.year} 年度："
                     f"{'、'.join(plan.carried_as_is)}")
    if plan.finished or plan.funding_splits or len(plan.sheets.get(SHEET_FUNDING, ())) > 1:
        lines.append(f"分年資金需求已順延一年：以前年度預算數＝原以前年度預算數＋{plan.year - 1}年度預算數，"
                     f"{plan.year}年度起各欄左移一欄，新興計畫改列繼續性；備註照原文帶入，請檢視。")
    if plan.finished:
        lines.append(f"分年資金需求：以下計畫於 {plan.year - 1} 年度編列完畢，已不列入：{'、'.join(plan.finished)}")
    if plan.funding_splits:
        lines.append(f"分年資金需求：以下「以後年度」金額原含 {plan.year + 4} 年度，請將屬於 {plan.year + 4} 年度的部分"
                     f"移至第5年度：{'、'.join(str(c) for c in plan.funding_splits)}")
    return "\n".join(lines) or None


YEAR_TEXTS_SHOWN = 10  # cells named by next-year's line on texts naming this year; the rest counted


def year_texts(sheets: dict[str, list[list[object]]], year: int) -> list[str]:
    """The text cells of the carried sheets (not 基本資料, rewritten, nor 總說明, said to be rewritten whole) that name
    ``year`` as a 民國 year (「113年度」, 「113年5月」, full-width digits too; not 「2113年」 nor 「1130101」), each as
    「歲出明細 第 5 列 說明「…113年度…」」: the row as next-year writes it (header row 1), the column by its heading."""
    import unicodedata

    word = f"{year}年"
    out = []
    for name, rows in sheets.items():
        if name in (SHEET_AGENCY, SHEET_PRIOR, SHEET_NARRATIVE) or not rows:
            continue
        header = rows[0]
        for r, row in enumerate(rows[1:], start=2):
            for c, value in enumerate(row):
                if not isinstance(value, str) or word not in (text := unicodedata.normalize("NFKC", value)):
                    continue
                at = text.find(word)
                while at > 0 and text[at - 1].isdigit():
                    at = text.find(word, at + 1)
                if at >= 0:
                    shown = value if len(value) == len(text) else text  # as typed, where NFKC kept its places
                    quoted = shown if len(shown) <= 24 else "…" + shown[max(0, at - 8):at + len(word) + 8] + "…"
                    heading = _get(header, c) or column_letter(c + 1)
                    out.append(f"{name} 第 {r} 列 {heading}「{quoted}」")
    return out


def roll_funding(header: list[object], data: list[list[object]], first_row: int = 2, file: str | None = None
                 ) -> tuple[list[object], list[list[object]], list[str], list[CellRef], list[tuple[int, frozenset]]]:
    """分年資金需求 one year on: (header, rows, the finished projects dropped, the 以後年度 cells to split, and for
    each row the index in ``data`` of the row it rolls with the columns it wrote anew).

    The amount columns missing from ``header`` are added, so no figure moved
    is lost; an amount that is not a whole number leaves its row as typed
    (read_book has named it already).
    """
    header = list(header)
    words = [header_key(h)[0] if h not in (None, "") else "" for h in header]
    for name in FUNDING_AMOUNTS:
        if name not in words:
            header.append(name)
            words.append(name)
    col = {name: words.index(name) for name in FUNDING_AMOUNTS}
    kind_c, name_c = _col(words, "類別"), _col(words, "計畫項目")
    rows, finished, splits, sources = [], [], [], []
    rolled = frozenset(col.values()) | ({kind_c} if kind_c is not None else frozenset())
    for i, row in enumerate(data):
        row = list(row)
        try:
            amounts = {name: parse_int(_get(row, col[name])) for name in FUNDING_AMOUNTS}
        except NotANumber:
            rows.append(row)
            sources.append((i, frozenset()))
            continue
        this, later = amounts[FUNDING_YEARS[0]], [amounts[y] for y in FUNDING_YEARS[1:]]
        if not any(later):
            finished.append(str(_get(row, name_c) or ""))
            continue
        before = amounts["以前年度預算數"]
        _set(row, col["以前年度預算數"], None if before is None and this is None else (before or 0) + (this or 0))
        # 本年度 ← 第2年度 … 第4年度 ← 第5年度; 第5年度 (N+5) was inside 以後年度: left empty, 以後年度 kept
        for target, value in zip(FUNDING_YEARS[:4], later[:4]):
            _set(row, col[target], value)
        _set(row, col[FUNDING_YEARS[4]], None)
        if later[4]:
            # where the written book holds it: the template's column (fill_template), this row
            letter = column_letter(FUNDING_HEADERS.index(FUNDING_YEARS[5]) + 1)
            splits.append(CellRef(SHEET_FUNDING, f"{letter}{first_row + len(rows)}", file))
        if kind_c is not None and norm_key(_get(row, kind_c)).replace("計畫", "") == FUNDING_KINDS[1]:
            _set(row, kind_c, FUNDING_KINDS[0])  # budgeted this year for the first time: continuing next year
        rows.append(row)
        sources.append((i, rolled))
    return header, rows, finished, splits, sources


def next_prior_lines(book: BudgetBook) -> tuple[PriorYear, ...]:
    """以前年度 for next year: each 工作計畫 and 歲入 code with this year's 本年度 as 上年度預算數 (千元).

    Lines this book has in its own 以前年度 but no budget for this year are
    kept with 0 (this year's 本年度 for them), so their 前年度決算數 can be typed.
    """
    plans: dict[str, int] = defaultdict(int)
    plan_names: dict[str, str] = {}
    for item in book.expenses:
        plans[item.plan_code] += item.amount
        plan_names.setdefault(item.plan_code, item.plan_name)
    revenues: dict[str, int] = defaultdict(int)
    first_revenue = {}
    for r in book.revenues:
        revenues[r.code] += r.amount
        first_revenue.setdefault(r.code, r)
    lines = [PriorYear(code, plan_names[code], to_thousands(total), None) for code, total in sorted(plans.items())]
    prior_expense, prior_revenue = book.prior_split
    for p in prior_expense:  # plans with no budget this year (業務計畫 lines are sums: not carried)
        if p.code not in plans and not p.code.endswith("00"):
            lines.append(PriorYear(p.code, p.name, 0, None))
    revenue_lines = []
    for code, total in revenues.items():
        r = first_revenue[code]
        revenue_lines.append(PriorYear(code, r.name, to_thousands(total), None, numbers=r.numbers,
                                       level_names=r.level_names, basis=r.basis))
    for p in prior_revenue:
        if p.code not in revenues:
            revenue_lines.append(PriorYear(p.code, p.name, 0, None, numbers=p.numbers, level_names=p.level_names,
                                           basis=p.basis))
    revenue_lines.sort(key=lambda p: (p.numbers[0], p.code))
    return tuple(lines + revenue_lines)


def _prior_rows(lines: tuple[PriorYear, ...]) -> list[list[object]]:
    """以前年度's rows, header first; with a 經資門 column (PRIOR_ADDED) when a line has one: each 歲入 科目's, by which
    歲入來源別預算表 counts its 上年度 and 前年度決算 in 經常門合計 or 資本門合計 once it has no 歲入明細 line."""
    basis = any(p.basis for p in lines)
    rows: list[list[object]] = [list(PRIOR_COLUMNS + (PRIOR_ADDED if basis else ()))]
    for p in lines:
        levels = [f"{n}{name}" if n or name else None for n, name in zip(p.numbers, p.level_names)]
        rows.append([p.code, p.name, p.last_budget, p.prior_final, *levels, p.note or None]
                    + ([p.basis or None] if basis else []))
    return rows


def _header_index(grid: Grid, required: tuple[str, ...]) -> int:
    """Row index of the grid's header row: the first of the top rows holding every required name."""
    for r, row in enumerate(grid.rows[:10]):
        names = {norm_key(v) for v in row}
        if all(h in names for h in required):
            return r
    return 0


def _table(grid: Grid, required: tuple[str, ...]) -> tuple[list[object], list[list[object]], list[int]]:
    """(header, data rows, each data row's index in ``grid``) of an input sheet, blank rows dropped."""
    top = _header_index(grid, required)
    header = [norm_key(v) or None for v in grid.rows[top]] if grid.rows else []
    # an Excel Table's totals row is not a line: next year's book gets the items, its own table gets no total
    kept = [i for i, row in enumerate(grid.rows[top + 1:], start=top + 1)
            if i not in grid.totals and any(v not in (None, "") for v in row)]
    return header, [list(grid.rows[i]) for i in kept], kept


def _col(header: list[object], name: str) -> int | None:
    """The column of ``header`` headed ``name`` as the reader finds it: typed as it is, or with a unit after it
    (「單價(元)」, 「數量(個)」, 「本年度預算員額(人)」: keys.header_key); None when there is none."""
    if name in header:
        return header.index(name)
    words = [header_key(h)[0] if h else "" for h in header]
    return words.index(name) if name in words else None


def _set(row: list[object], c: int | None, value: object) -> None:
    if c is None:
        return
    while len(row) <= c:
        row.append(None)
    row[c] = value


def _get(row: list[object], c: int | None) -> object:
    return row[c] if c is not None and c < len(row) else None


def next_year(book: BudgetBook, grids: dict[str, Grid], clear_amounts: bool = False,
              generated_from: int | None = None, file: str | None = None) -> NextYear:
    """Next year's input sheets from this year's ``grids`` (input sheets) and ``book`` read from them.

    ``generated_from`` is the 1-based column of 總說明 where xlbudget's own
    sentences start (dropped); ``file`` names the new book in the cell
    references of ``empty_finals``.
    """
    from xlbudget.derive.budgets import derive_agency_budget, derive_revenue_sources

    year = book.agency.year + 1
    sheets: dict[str, list[list[object]]] = {}
    origins: dict[str, tuple[int | None, ...]] = {}
    changed: dict[str, frozenset[tuple[int, int]]] = {}
    cleared: dict[str, frozenset[tuple[int, int]]] = {}
    finished: list[str] = []
    splits: list[CellRef] = []
    for name, grid in grids.items():
        if name == SHEET_PRIOR:
            continue
        required = {SHEET_AGENCY: ("項目", "內容"), SHEET_STAFFING: ("類別",), SHEET_TRIPS: ("計畫名稱",),
                    SHEET_EXPENSES: ("工作計畫編號",), SHEET_REVENUES: ("科目編號",)}.get(name, ())
        header, data, rows = _table(grid, required)
        origin: list[int | None] = list(rows)
        new: set[tuple[int, int]] = set()
        if name == SHEET_AGENCY:
            agency_budget = derive_agency_budget(book).rows[0].cells.get("上年度預算數")
            revenue = (derive_revenue_sources(book).rows[0].cells.get("上年度預算數")
                       if book.revenues or book.prior else None)
            updates = {"年度": year, PRIOR_YEAR_KEYS[0]: agency_budget, PRIOR_YEAR_KEYS[1]: revenue}
            key_c, value_c = _col(header, "項目"), _col(header, "內容")
            for i, row in enumerate(data):
                key = norm_key(_get(row, key_c))
                if key in updates:
                    _set(row, value_c, updates.pop(key))
                    new.add((i, value_c))
                elif key in (STAGE_KEY, KIND_KEY) and (stage := next_stage(key, _get(row, value_c))) is not None:
                    _set(row, value_c, stage)  # this year's 法定預算 is next year's 預算案: its cover says so
                    new.add((i, value_c))
            for key, value in updates.items():
                if value is not None:
                    row = [None] * len(header)
                    _set(row, key_c, key)
                    _set(row, value_c, value)
                    data.append(row)
                    origin.append(None)
        elif name == SHEET_STAFFING:
            cur, last = _col(header, "本年度預算員額"), _col(header, "上年度預算員額")
            if last is None and cur is not None:
                header.append("上年度預算員額")
                last = len(header) - 1
            for i, row in enumerate(data):
                _set(row, last, _get(row, cur))
                new.add((i, last))
        elif name == SHEET_TRIPS:
            year_c = _col(header, "年度")
            if year_c is None:
                header.append("年度")
                year_c = len(header) - 1
            this = [i for i, row in enumerate(data) if norm_key(_get(row, year_c)) != LAST_YEAR]
            current = [data[i] for i in this]
            last_year = [list(row) for row in current]
            for row in last_year:
                _set(row, year_c, LAST_YEAR)
            data = current + last_year
            origin = [origin[i] for i in this] * 2  # the 上年度 lines are copies of this year's, 年度 aside
            new = {(len(current) + i, year_c) for i in range(len(current))}
        elif name == SHEET_FUNDING:
            header, data, finished, splits, moved = roll_funding(header, data, file=file)
            origin = [origin[i] for i, _ in moved]
            new = {(i, c) for i, (_, columns) in enumerate(moved) for c in columns}
        elif name == SHEET_NARRATIVE and generated_from:
            header = header[:generated_from - 1]
            data = [row[:generated_from - 1] for row in data]
            origin = [o for o, row in zip(origin, data) if any(v not in (None, "") for v in row)]
            data = [row for row in data if any(v not in (None, "") for v in row)]
        emptied = set()
        if clear_amounts and name in CLEARED:
            for column in CLEARED[name]:
                c = _col(header, column)
                for i, row in enumerate(data):
                    if c is not None and _get(row, c) not in (None, ""):
                        emptied.add((i, c))
                    _set(row, c, None)
        sheets[name] = [header] + data
        origins[name], changed[name], cleared[name] = tuple(origin), frozenset(new), frozenset(emptied)
    prior = next_prior_lines(book)
    sheets[SHEET_PRIOR] = _prior_rows(prior)
    final_col = column_letter(PRIOR_COLUMNS.index("前年度決算數") + 1)
    empty = tuple(CellRef(SHEET_PRIOR, f"{final_col}{r}", file)
                  for r, p in enumerate(prior, start=2) if p.prior_final is None)
    return NextYear(year, sheets, prior, empty, tuple(finished), tuple(splits), origins, changed, cleared,
                    tuple(carried_apart(book, prior)), tuple(year_texts(sheets, book.agency.year)),
                    tuple(f"{p.code} {p.name}" for p in book.prior if p.note and p.note.strip()),
                    _idle_lines(book, prior))


def _idle_lines(book: BudgetBook, prior: tuple[PriorYear, ...]) -> tuple[str, ...]:
    """Next year's 以前年度 lines carried with 0 (no budget this year) whose 上年度預算數 this year is 0 or blank: with
    no budget two years running, such a line prints next year only for a 前年度決算數; 「04020180301 賠償收入-一般賠償收入」."""
    last = {p.code: p.last_budget for p in book.prior}
    return tuple(f"{p.code} {p.name}" for p in prior if p.last_budget == 0 and p.code in last and not last[p.code])


