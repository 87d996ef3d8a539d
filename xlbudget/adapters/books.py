"""A budget book opened for building: its input sheets read into the model, from .xlsx/.xlsm (openpyxl) or .ods.

Above both file readers: an .xlsx is read through openpyxl (``xlsxfile``), whose workbook build then
writes into; an .ods through python-calamine (``fastread``), never written, so its values fill our template.
What only reads (export) reads every kind through ``fastread`` (``read_inputs``): openpyxl is not even imported.
"""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from xlbudget.core.records import plain
from xlbudget.adapters.fastread import read_grids
from xlbudget.adapters.xlsxfile import formula_values, input_grids, is_readable_ods, open_workbook, refuse_unreadable
from xlbudget.core.findings import Finding
from xlbudget.core.model import BudgetBook
from xlbudget.readers.grid import Grid
from xlbudget.readers.inputs import read_book

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook


def _has_uncached(grids: dict[str, Grid]) -> bool:
    from xlbudget.readers.grid import Uncached

    return any(isinstance(v, Uncached) for g in grids.values() for row in g.rows for v in row)


@plain
class LoadedBook:
    """A workbook opened for building: the model, findings from reading, and the openpyxl book."""

    book: BudgetBook
    findings: list[Finding]
    workbook: Workbook | None  # None: an .ods read without a template to fill (load_book's ``fill``)
    path: Path
    # the last calculated value of each formula cell of the input sheets, {sheet: {"H2": value}}:
    # openpyxl saves a formula without it, and save_atomic puts it back (see keep_cached_values)
    cached: dict[str, dict[str, object]] = field(default_factory=dict)
    # the input sheets' grids as read_book read them (formulas by their cached values)
    grids: dict[str, Grid] = field(default_factory=dict)


def load_book(path: str | Path, fill=None) -> LoadedBook:
    """Open ``path`` and read its input sheets into a BudgetBook (inputs.read_book, as every reader does).

    Formula cells are read by their cached values (a second, values-only load
    happens only when the input sheets hold formulas); a formula without a
    cached value is reported with its cell. An .ods book is read through
    python-calamine; its workbook is then ``fill(grids)`` (app.template.fill_template:
    our template filled with its values), or None without ``fill`` (an .ods is never written).
    """
    path = Path(path)
    name = path.name
    if is_readable_ods(path):
        grids = read_grids(path)
        book, findings = read_book(grids, name)
        return LoadedBook(book, findings, fill(grids) if fill else None, path, grids=grids)
    wb = open_workbook(path)
    grids = input_grids(wb, name)
    cached: dict[str, dict[str, object]] = {}
    if _has_uncached(grids):
        values = open_workbook(path, data_only=True)
        grids = input_grids(wb, name, values)
        cached = formula_values(wb, values)
    book, findings = read_book(grids, name)
    return LoadedBook(book, findings, wb, path, cached, grids)


def read_inputs(path: str | Path) -> tuple[BudgetBook, list[Finding]]:
    """The input sheets of ``path`` read into a BudgetBook, values only, with no workbook to write into.

    The same grids and the same ``inputs.read_book`` as ``load_book`` (an .xlsx/.xlsm is refused for the same
    reasons, formulas read by their cached values, one without a value reported at its cell), through
    python-calamine (``fastread``; openpyxl where it is not installed): what export reads.
    """
    path = Path(path)
    if not is_readable_ods(path):
        refuse_unreadable(path)
    return read_book(read_grids(path), path.name)
