"""Text a spreadsheet would take for a formula, and how every writer keeps such text as text.

An officer's 說明 may start with ``=``, ``+``, ``-`` or ``@`` (or a tab, or
spaces before them). Written as it is, such text becomes a live formula: in an
xlsx through openpyxl (a str starting with ``=`` is stored as a formula), in a
live book through xlwings (Excel parses a written value as if it were typed:
``=``, ``+`` and ``-`` start a formula), and in a CSV opened by a spreadsheet.
xlbudget writes no formula on purpose, so every text it writes goes through
``keep_text`` (openpyxl cells), ``quoted`` (values sent to a live Excel book) or
``csv_field`` (CSV cells), or is written as a string with the quote prefix by
adapters.xlsxbook (XlsxWriter); all of them ask ``reads_as_formula``. The one formula written on purpose is a
``Formula``: the marks' state sheet refers to each marked cell, so that Excel moves the reference with the cell,
and next-year (and the 新年度 button) carries the officer's own formulas of the input sheets (app.nextformulas).
"""

from __future__ import annotations

from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@")
_CONTROL_STARTS = ("\t", "\r", "\n")
_SPACES = " \u3000\u00a0"
_FIRST = frozenset(FORMULA_STARTS + _CONTROL_STARTS + tuple(_SPACES))  # what such text can begin with
FIRST_CHARACTERS = _FIRST  # a text starting with none of these never reads as a formula (a writer's per-cell test)
# Excel's cap on the text of one cell (Excel specifications and limits): named at its cell when read
# (readers.inputs.long_texts), kept whole by every writer (openpyxl and XlsxWriter would cut it)
EXCEL_CELL_CHARACTERS = 32_767


def reads_as_formula(value: object) -> bool:
    """Whether a spreadsheet could read this text as a formula: = + - @ first (after spaces), or a tab/CR first."""
    if not isinstance(value, str) or not value or value[0] not in _FIRST:  # most text: one set lookup
        return False
    if value.startswith(_CONTROL_STARTS):
        return True
    return value.lstrip(_SPACES).startswith(FORMULA_STARTS)


class Formula(str):
    """A formula xlbudget writes on purpose (``='歲出明細'!F24``): written as a formula by openpyxl (``keep_text``
    leaves it) and by adapters.xlsxbook, where any other text starting with ``=`` stays text."""


def quoted(value: object) -> object:
    """A value to hand to a live Excel book that stays text: formula-like text gets Excel's text prefix ``'``.

    Excel takes a leading apostrophe as "this is text" and does not show it;
    text that itself starts with an apostrophe is prefixed too, so it keeps it.
    A Decimal (a 單價 of 1.6 元) goes as the number it is: Excel holds floats, and xlwings sends no Decimal.
    A ``Formula`` (one the officer typed, that 新年度 carries into the new book: app.nextformulas) goes as the formula
    it is. Anything else is returned unchanged.
    """
    if isinstance(value, str) and type(value) is not Formula and (value.startswith("'") or reads_as_formula(value)):
        return "'" + value
    if type(value) is Decimal:
        return float(value)
    return value


def as_text(value: object) -> object:
    """``quoted``, for a value that must reach a live Excel book exactly as it was read (the officer's input lines
    新年度 writes into the new book, 匯出's records): every text gets Excel's text prefix, not only formula-like text,
    since Excel parses a written text as if typed (「04020180301」 → the number 4020180301, 「1/2」 → a date, 「TRUE」 →
    a truth value). A ``Formula`` goes as the formula it is; anything else as ``quoted`` sends it."""
    if isinstance(value, str) and value and type(value) is not Formula:
        return "'" + value
    return quoted(value)


def csv_field(value: object) -> object:
    """A CSV cell a spreadsheet opens as text (OWASP CSV injection): formula-like text gets a leading ``'``.

    Unlike ``quoted``, text that already starts with ``'`` is left as it is: a spreadsheet opening a CSV
    shows that apostrophe, so doubling it would change the officer's text.
    """
    return "'" + value if reads_as_formula(value) else value


def quoted_grid(rows: list[list[object]]) -> list[list[object]]:
    """``quoted`` applied to every value of a 2-D grid (one xlwings write)."""
    return [[quoted(v) for v in row] for row in rows]


def keep_text(cell):
    """An openpyxl cell whose str value stays text: never stored as a formula; formula-like text quote-prefixed.

    openpyxl stores a str starting with ``=`` as a formula; forcing the data
    type back to text writes it as a string, and the quote prefix keeps Excel
    from turning it into a formula when the officer edits the cell.
    Returns the cell. Duck-typed: no openpyxl import, so the core may call it.
    """
    value = cell.value
    if type(value) is str and value:
        if cell.data_type == "f":
            cell.data_type = "s"
        if reads_as_formula(value):
            cell.quotePrefix = True
    return cell
