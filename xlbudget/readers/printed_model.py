"""The printed model: a sheet's grid, one printed figure, and the rows and tables read back from a printed book.

Pure data, shared by the printed-table reader (readers/printed) and the checks
of printed books (rules/). Every figure remembers its cell; a figure that
cannot be read (a formula with no cached value, text that is not a number)
stays unreadable, never zero.
"""

from __future__ import annotations

from dataclasses import field

from xlbudget.core.amounts import NotANumber, parse_int, parse_price
from xlbudget.core.model import CellRef
from xlbudget.readers.grid import Grid, Uncached
from xlbudget.core.records import record


@record
class SheetGrid:
    """A whole sheet's values from A1, with its merged ranges (1-based, inclusive)."""

    grid: Grid
    merges: tuple[tuple[int, int, int, int], ...] = ()

    @property
    def sheet(self) -> str:
        """The sheet's name."""
        return self.grid.sheet


@record
class Figure:
    """One amount as printed: its value (None when blank or unreadable), cell, and why it is unreadable."""

    value: int | None
    cell: CellRef
    raw: object = None
    problem: str = ""  # "" when readable

    @property
    def readable(self) -> bool:
        """Whether the figure could be read (a blank cell is readable: nothing printed)."""
        return not self.problem


# a typo's rule → its Figure's problem (「2,32,026」, 「29\n100」 are no figures), named as that error at its cell by
# rules.common.unverifiable; any other problem is figure-unverifiable
TYPOS = {"misplaced-comma": "的逗號位置不對（千分位應每三位數一個），不是數字",
         "joined-figures": "是以換行或空白隔開的兩個以上數字，不是一個數字",
         "trailing-sign": "的負號寫在數字後面（會計系統的寫法），不是數字",
         "ambiguous-point": "的小數點後正好三位數（千分位寫成句點，或是小數：兩者差一千倍），不是數字"}


UNCACHED = "是公式但沒有計算結果（快取值）"  # a Figure's problem, and the reason a text cell's is named


def read_figure(raw: object, cell: CellRef, price: bool = False) -> Figure:
    """A printed amount: numbers, text with commas, full-width digits, (1,234), △1,234, '-' for zero.

    A 單價 (``price``) may carry 角: 1.6 is Decimal("1.6") (臺北 116 prints three such lines)."""
    if isinstance(raw, Uncached):
        return Figure(None, cell, raw, UNCACHED)
    if isinstance(raw, str) and raw.strip().startswith("#"):
        return Figure(None, cell, raw, "是錯誤值")
    try:
        return Figure(parse_price(raw) if price else parse_int(raw), cell, raw)
    except NotANumber as err:  # 「1,2」 is not 12, 「29\n100」 not 29,100: typos, named as errors
        return Figure(None, cell, raw, TYPOS.get(err.rule, "不是整數"))


@record
class PrintedRow:
    """One data row of a printed table."""

    sheet_row: int
    label: str  # the row's label text, whitespace removed
    code: str  # leading digits of the label (4, 6, 10 or 11 digits; 2 for 分支計畫), or ""
    name: str  # the label without its code
    indent: int  # leading spaces (full-width counts 1, two half-width count 1)
    figures: dict[str, Figure] = field(default_factory=dict)  # column key → figure
    texts: dict[str, tuple[str, CellRef]] = field(default_factory=dict)  # text column key → (text, cell)
    numbers: tuple[str, str, str, str] = ("", "", "", "")  # 款/項/目/節 of budget tables
    context: str = ""  # the 工作計畫編號 a 明細表 row belongs to
    label_cell: CellRef | None = None


@record
class PrintedTable:
    """A table found on a sheet (its continuation pages appended), in its printed unit."""

    title: str
    unit: str  # 千元 / 元
    sheet: str
    columns: tuple[str, ...]  # amount column keys (normalised header paths joined by /)
    rows: tuple[PrintedRow, ...]
    headings: tuple[tuple[str, str, CellRef], ...] = ()  # 明細表: (plan code, heading text, cell)
    # rows of a table's second column half (printed on a second page) that no row of its first half matches
    unjoined: tuple[PrintedRow, ...] = ()
    # amount column key → the name printed in its header without the code (彙計表: 11-digit plan → 行政管理)
    column_names: tuple[tuple[str, str], ...] = ()
    title_cell: CellRef | None = None  # where its (first page's) title is printed
    # the first label of each sheet read as its continuation though it prints no title (工作表2)
    untitled: tuple[CellRef, ...] = ()
    # the lone whole numbers under its header taken as page numbers, not figures (printed_pages.lone_number)
    page_numbers: tuple[tuple[CellRef, int], ...] = ()
    # the rows carrying a running total between pages (承上頁, 轉下頁: printed_rows.is_carry), never lines: each with
    # the number of the table's rows above it
    carries: tuple[tuple[int, PrintedRow], ...] = ()
    # amount column key → the texts its header prints, each with its cell, top to bottom (as first read): where a
    # check names a heading it cannot place (彙計表's 「320283003010」 over 主計業務)
    header_cells: tuple[tuple[str, tuple[tuple[str, CellRef], ...]], ...] = ()


@record
class UnreadableTable:
    """A table whose title was found but whose table could not be read: nothing under that title is checked.

    With no title: a sheet that prints figures but no table title xlbudget knows (cell: its first figure)."""

    title: str
    cell: CellRef  # the title as printed
    reason: str  # zh-TW: why (找不到表頭, 表頭沒有金額欄, ...); for ``under``, the header word the table above lacks
    under: str = ""  # a table with no title read under table ``under`` on its sheet (cell: its header's first row)
