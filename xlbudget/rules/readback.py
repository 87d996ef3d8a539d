"""Schedule sheets read back from a template book, cell by cell, against what its inputs derive."""

from __future__ import annotations

from typing import Mapping

from xlbudget.core.findings import Finding
from xlbudget.core.keys import compact_key
from xlbudget.core.model import BudgetBook, CellRef
from xlbudget.core.tables import AMOUNT, BANNER, LABEL, TEXT
from xlbudget.derive.book import derive_all
from xlbudget.forms.layout import layout_table
from xlbudget.readers.grid import Grid
from xlbudget.rules.common import finding, funding_parts, heading_amount, unverifiable

def _value(grid: Grid, r: int, c: int) -> object:
    """Value at sheet row r, column c (1-based) of a grid that starts at A1."""
    rr, cc = r - grid.top, c - grid.left
    if 0 <= rr < len(grid.rows) and 0 <= cc < len(grid.rows[rr]):
        return grid.rows[rr][cc]
    return None


def _prior_related(book: BudgetBook, code: str, key: str) -> tuple[CellRef, ...]:
    source = {"上年度預算數": ("上年度預算數",), "前年度決算數": ("前年度決算數",),
              "本年度與上年度比較": ("上年度預算數",)}.get(key, ())
    return tuple(p.cells[k] for p in book.prior if p.code == code for k in source if k in p.cells)


def compare_schedules(book: BudgetBook, tables_read_back: Mapping[str, Grid]) -> list[Finding]:
    """Each schedule sheet read back, cell by cell, against what the inputs derive.

    ``tables_read_back`` maps sheet names (table titles) to grids from A1.
    Positions come from ``layout.layout_table``, as xlbudget wrote them. An
    officer's typed-over figure is named by its schedule cell; 說明 text is
    not compared, except the 市款／收支併列 figures in it.
    """
    from xlbudget.readers.printed_model import read_figure  # a figure typed over a table: read as printed

    findings: list[Finding] = []
    for table in derive_all(book):
        grid = tables_read_back.get(table.sheet_name)
        if grid is None:
            continue
        layout = layout_table(table, book.agency)
        kinds = [c.kind for c in table.columns]
        for r in sorted(layout.data_rows):
            row = table.rows[layout.data_rows[r]]
            expected_row = layout.values[r - 1]
            if row.style == BANNER:
                exp = heading_amount(expected_row[0])
                if exp is not None:
                    act = heading_amount(_value(grid, r, 1))
                    if act != exp:
                        findings.append(finding("schedule-cell-mismatch", grid.ref(r - grid.top, 0), exp, act,
                                                table=table.title))
                continue
            changed = False
            for c, kind in enumerate(kinds, start=1):
                if kind == LABEL and compact_key(expected_row[c - 1]) != compact_key(_value(grid, r, c)):
                    findings.append(finding("schedule-rows-changed", grid.ref(r - grid.top, c - 1),
                                            expected_row[c - 1], _value(grid, r, c), table=table.title))
                    changed = True
                    break
            if changed:
                break
            for c, kind in enumerate(kinds, start=1):
                exp = expected_row[c - 1]
                raw = _value(grid, r, c)
                if kind == AMOUNT and type(raw) is int and raw == (exp or 0):
                    continue  # the common case, without building a cell reference
                cell = grid.ref(r - grid.top, c - 1)
                if kind == AMOUNT:
                    fig = read_figure(raw, cell, price=table.columns[c - 1].key == "單價")
                    if not fig.readable:
                        findings.append(unverifiable(fig, table.title))
                    elif (fig.value or 0) != (exp or 0):
                        findings.append(finding("schedule-cell-mismatch", cell, exp, fig.value, table=table.title,
                                                related=_prior_related(book, row.code, table.columns[c - 1].key)))
                elif kind == TEXT and funding_parts(exp) is not None:
                    if funding_parts(exp) != funding_parts(raw):
                        findings.append(finding("schedule-cell-mismatch", cell, exp, raw, table=table.title))
    return findings


def compare_sentences(book: BudgetBook, grid: Grid) -> list[Finding]:
    """總說明's figure sentences (column D, written by build) read back against what the inputs derive.

    Only a sheet that carries our header in D1 was built; a sentence changed,
    emptied or missing is named by its cell. Lines below the sentences are not ours.
    """
    from xlbudget.derive.narrative import NARRATIVE_COLUMN, NARRATIVE_HEADER, standard_sentences

    if compact_key(_value(grid, 1, NARRATIVE_COLUMN)) != compact_key(NARRATIVE_HEADER):
        return []
    findings = []
    for r, sentence in enumerate(standard_sentences(book), start=2):
        typed = _value(grid, r, NARRATIVE_COLUMN)
        if compact_key(typed) != compact_key(sentence):
            findings.append(finding("narrative-sentence-changed", grid.ref(r - grid.top, NARRATIVE_COLUMN - grid.left),
                                    sentence, typed))
    return findings
