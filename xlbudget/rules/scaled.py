"""Figures a number format shows scaled by its commas (``#,##0,``: 43,769,499 prints 43,769), read as printed by
printed.read_tables: said once a table, never silent (session 34's note, «Noticed and left alone»)."""

from __future__ import annotations

from xlbudget.core.amounts import format_figure
from xlbudget.core.findings import Finding, make_finding
from xlbudget.core.model import CellRef, cell_position
from xlbudget.readers.grid import cell_value, format_factor, shown_figure
from xlbudget.rules.coverage import cells_named


def scaled_figures(tables, grids) -> list[Finding]:
    """The figures read as their number format shows them, scaled by its commas (Grid.scaled, read so by
    printed.read_tables: ``#,##0,`` shows 43,769,499 as 43,769), said once a table at its first such cell, the others
    related, never silent: in a 千元 table shown ÷ 1,000 (元 kept in the cells, 千元 on paper: a common Excel habit,
    the printed table as right as one typed in 千元) an info, thousands-shown-by-format; in a table of another unit
    (元, 人), or scaled by another factor, an error, figures-scaled-by-format: what prints there is not the figure
    the table's unit says. A cell whose format shows what it holds (a 0) is not named. ``grids``: sheet → Grid as
    the file holds it (the stored figures)."""
    by_sheet = {name: g for name, g in grids.items() if g.scaled}
    if not by_sheet:
        return []
    out = []
    for table in tables:
        held: dict[bool, list[tuple[CellRef, object, object, str, int]]] = {}
        for row in table.rows + table.unjoined:
            for fig in row.figures.values():
                grid = by_sheet.get(fig.cell.sheet)
                code = grid.scaled.get(cell_position(fig.cell.cell)) if grid else None
                if code is None:
                    continue
                stored = cell_value(grid, fig.cell)
                shown = shown_figure(code, stored)
                if shown == stored:
                    continue
                factor = format_factor(code, stored)[0]
                in_thousands = table.unit == "千元" and factor == 1000
                held.setdefault(in_thousands, []).append((fig.cell, stored, shown, code, factor))
        for in_thousands, found in held.items():
            found.sort(key=lambda f: (f[0].sheet != table.sheet, f[0].sheet, cell_position(f[0].cell)))
            cell, stored, shown, code, factor = found[0]
            fields = dict(table=table.title, cells=cells_named([f[0] for f in found]), first=cell.cell,
                          stored=format_figure(stored), shown=format_figure(shown), count=len(found),
                          format="」、「".join(dict.fromkeys(f[3] for f in found)))
            if in_thousands:
                out.append(make_finding("thousands-shown-by-format", cell, related=tuple(f[0] for f in found[1:]),
                                        **fields))
            else:
                out.append(make_finding("figures-scaled-by-format", cell, related=tuple(f[0] for f in found[1:]),
                                        unit=table.unit or "元", factor=f"{factor:,}", **fields))
    return out
