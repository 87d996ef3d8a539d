"""Hand-made printed books: ties check missed (field report 10 §3.3–3.7), each on the bundled example built and
stripped of its input sheets (built_books.handmade_workbook: the seed's figures, 0 errors), one mutation at a time.

Expected figures are the seed's (../shared/seed/000_9c62b59cf9023585.txt) or a hand calculation written in the test.
"""

from __future__ import annotations

import pytest
from built_books import handmade_workbook

from xlbudget.adapters.xlsxfile import workbook_sheets
from xlbudget.rules.checks import check_printed_sheets

STAFFING = "員額編制表"


def _findings(wb, severities=("error", "warning")):
    return [f for f in check_printed_sheets(workbook_sheets(wb, None, "手製.xlsx"), "手製.xlsx").findings
            if f.severity.value in severities]


def _row(ws, label: str) -> int:
    """The first row whose label (column A, its indentation aside) begins with ``label``."""
    return next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").strip().startswith(label))


def _on(found, sheet):
    return [(f.rule, f.cell.cell, f.expected, f.actual) for f in found if f.cell is not None and f.cell.sheet == sheet]


def test_the_seed_printed_book_passes_every_new_tie():
    """The seed is right: its printed tables give no error and no warning."""
    assert _findings(handmade_workbook()) == []


# 員額編制表 (seed): 合計 法定 42 | 本年度 39 | 上年度 39 | 比較 0; 職員 38 | 36 | 36 | 0. Its 「單位：人」 line over the
# header was read as part of the header (the 比較 column's key began 「單位:人/」), so check_staffing's
# 比較 = 本年度 − 上年度 never found its column: every 比較 passed.
@pytest.mark.parametrize("edits, expected", [
    ({"E6": 1}, [("comparison-mismatch", "E6", 0, 1)]),                       # 39 − 39 = 0, typed 1
    ({"E8": -2, "E6": -2}, [("comparison-mismatch", "E6", 0, -2), ("comparison-mismatch", "E8", 0, -2)]),
    ({"D8": 35, "D6": 38}, [("comparison-mismatch", "E6", 1, 0), ("comparison-mismatch", "E8", 1, 0)]),  # 36 − 35
])
def test_staffing_comparison_is_current_less_prior(edits, expected):
    """Red on main (0 findings for each): the 比較 column never read under its own name."""
    wb = handmade_workbook()
    ws = wb[STAFFING]
    assert [ws[c].value for c in ("C6", "D6", "E6", "C8", "D8", "E8")] == [39, 39, 0, 36, 36, 0]
    assert ws["E4"].value == "單位：人"
    for cell, value in edits.items():
        ws[cell] = value
    assert _on(_findings(wb), STAFFING) == expected
