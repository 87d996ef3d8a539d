"""Field report 7 (/work/wt/FIELD-REPORT-7.md) §4, explore15: a hand-made printed table in the wrong unit.

The example (高雄市政府資訊中心 113年度) built and read as printed (test_reading.printed_example): its 明細表 totals
275,795,000 元 (43,769,000 + 232,026,000), 275,795 千元; 各項費用彙計表 prints 275,795 in its 合計 row and column.
"""

from __future__ import annotations

from xlbudget.adapters.xlsxfile import workbook_sheets
from xlbudget.rules.checks import check_printed_sheets

from test_reading import printed_example

SUMMARY = "各項費用彙計表"


def _findings(wb):
    return check_printed_sheets(workbook_sheets(wb)).findings


def _in_yuan(wb):
    """Every figure of the printed 各項費用彙計表 typed in 元 (× 1,000) under its 「單位：新臺幣千元」, as explore15."""
    ws = wb[SUMMARY]
    total = None
    for row in ws.iter_rows(min_row=7):
        for c in row:
            if isinstance(c.value, (int, float)):
                if c.value == 275_795:
                    total = c.coordinate  # the 合計 row's 合計 column, the largest figure
                c.value *= 1000
    return total


def test_a_thousands_table_typed_in_yuan_is_said_once():
    """87 errors, each right (thousand-rounding-mismatch, cross-table-mismatch), and now one warning saying why: the
    table's largest figure 275,795,000 against 275,795 千元 (the 明細表's 275,795,000 元), at its cell."""
    wb = printed_example()
    total = _in_yuan(wb)
    findings = _findings(wb)
    said = [(f.rule, f.cell.sheet, f.cell.cell, f.expected, f.actual) for f in findings if f.rule == "table-in-yuan"]
    assert said == [("table-in-yuan", SUMMARY, total, 275_795, 275_795_000)]
    assert any(f.rule == "thousand-rounding-mismatch" for f in findings)  # the per-cell errors stay beside it


def test_the_printed_examples_are_in_their_units():
    """The three examples as printed (臺北 prints its 彙計表 in 元: no 千元 table to judge): none said."""
    for example in ("example", "example-taichung", "example-taipei"):
        assert [f for f in _findings(printed_example(example)) if f.rule == "table-in-yuan"] == [], example
