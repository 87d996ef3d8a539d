"""A derived table as plain data: columns with printed headers, rows with codes.

Shared by the workbook writer (printed form) and the tidy export, so the two
can never disagree about what a table holds.
"""

from __future__ import annotations

from dataclasses import field
from typing import Iterator, Mapping

from xlbudget.core.titles import sheet_name
from xlbudget.core.records import record

LABEL = "label"
AMOUNT = "amount"
TEXT = "text"

# Row styles, from the outermost total to a line item.
TOTAL = "total"
GROUP = "group"
ITEM = "item"
BANNER = "banner"  # a line of text across the whole table (plan heading, 說明)


@record
class Column:
    """One printed column: ``key`` names it in exports, ``header`` is the printed header path."""

    key: str
    header: tuple[str, ...]
    kind: str = AMOUNT
    width: float = 11.0
    unit: str | None = None  # when not the table's unit (人, 項, 天)


@record
class Row:
    """One printed row; ``cells`` maps column keys to values (None prints blank)."""

    code: str
    name: str
    cells: Mapping[str, object]
    style: str = ITEM
    level: int = 0


@record
class Table:
    """One schedule of the book, in the unit it is printed in."""

    title: str
    unit: str  # 千元 / 元
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    subtitle: str = ""
    notes: tuple[str, ...] = field(default=())
    sheet: str = ""  # the sheet it is written on, when not ``titles.sheet_name(title)`` (derive_all numbers a clash)

    @property
    def sheet_name(self) -> str:
        """The sheet this table is written on and read back from: its title as Excel allows a sheet name."""
        return self.sheet or sheet_name(self.title)

    @property
    def header_depth(self) -> int:
        """Number of header rows."""
        return max(len(c.header) for c in self.columns)

    def column(self, key: str) -> Column:
        """The column whose export key is ``key``."""
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    def find(self, code: str) -> Row:
        """The first row whose code is ``code``."""
        for r in self.rows:
            if r.code == code:
                return r
        raise KeyError(f"{self.title}: no row {code}")

    def value(self, code: str, key: str) -> object:
        """The value at row ``code``, column ``key`` (None when blank)."""
        self.column(key)
        return self.find(code).cells.get(key)

    def records(self) -> Iterator[dict]:
        """Tidy records {table, row_code, row_name, column, value, unit} of every amount."""
        for row in self.rows:
            if row.style == BANNER:
                continue
            for col in self.columns:
                if col.kind != AMOUNT:
                    continue
                value = row.cells.get(col.key)
                if value is None:
                    continue
                yield {"table": self.title, "row_code": row.code, "row_name": row.name,
                       "column": col.key, "value": value, "unit": col.unit or self.unit}
