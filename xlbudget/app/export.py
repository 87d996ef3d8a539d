"""Tidy records of every derived table, for open data and the other tools."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from xlbudget.core.formulas import csv_field
from xlbudget.core.model import BudgetBook
from xlbudget.derive.book import derive_all

FIELDS = ("table", "row_code", "row_name", "column", "value", "unit")


def export_records(book: BudgetBook, tables=None) -> list[dict]:
    """Every amount of every schedule as {table, row_code, row_name, column, value, unit} (``tables``: derive_all's,
    when the caller has them)."""
    return [record for table in (derive_all(book) if tables is None else tables) for record in table.records()]


def records_to_csv(records: list[dict]) -> str:
    """CSV text (UTF-8 with BOM added by the caller when written for Excel)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow({k: csv_field(v) for k, v in r.items()})  # a spreadsheet opening it runs no formula
    return out.getvalue()


def records_to_json(records: list[dict]) -> str:
    """JSON text, one object per record, Chinese kept readable."""
    return json.dumps(records, ensure_ascii=False, indent=1, default=json_number)


def json_number(value: object) -> float:
    """A 單價 with 角 (Decimal 1.6) as the JSON number 1.6."""
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(type(value).__name__)
