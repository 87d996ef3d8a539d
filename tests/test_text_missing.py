"""The book's own words missing.

A 工作計畫 without its 說明提要 (field report 6 §4.2): the row deleted, or its 說明提要 left empty, prints the plan's
明細表 without 計畫內容 and 預期成果; a warning names it (plan-note-missing), as the reverse (a 說明提要 row whose plan
does not exist) is note-unknown-code.

An empty 總說明 (no 段落, field report 6 §4.1): the 預算總說明 prints the 員額編制表 alone; a warning at 總說明!A2
(narrative-empty). The standard figure sentences build writes in column B are not printed in its place: the seed's
預算總說明 is the officer's prose (壹、現行法定職掌 … 肆、其他必要之分析事項), which they cannot stand for.

The seed's 說明提要: row 2 32020180101 行政管理, row 3 32020183201 數位發展計畫, row 4 09020180102 (歲入).
"""

from __future__ import annotations

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.example import example_workbook
from xlbudget.readers.inputs import read_book
from xlbudget.rules.checks import check_book


def _named(edit):
    wb = example_workbook()
    edit(wb)
    book, _ = read_book(input_grids(wb, "book.xlsx"), "book.xlsx")
    first = next(r for r in range(2, wb["歲出明細"].max_row + 1)
                 if str(wb["歲出明細"].cell(r, 1).value) == "32020183201")
    found = [(f.severity.value, f.cell.sheet, f.cell.cell) for f in check_book(book) if f.rule == "plan-note-missing"]
    return found, first


def test_the_seed_says_nothing():
    assert _named(lambda wb: None)[0] == []


def test_a_plan_whose_row_is_deleted_is_named_at_its_first_line():
    found, first = _named(lambda wb: wb["說明提要"].delete_rows(3))
    assert found == [("warning", "歲出明細", f"A{first}")]


def test_a_plan_whose_text_is_empty_is_named_at_the_text_cell():
    """Only 承辦單位 left on row 3."""
    def edit(wb):
        wb["說明提要"]["C3"] = None

    assert _named(edit)[0] == [("warning", "說明提要", "C3")]


def _narrative_findings(edit):
    wb = example_workbook()
    edit(wb)
    book, _ = read_book(input_grids(wb, "book.xlsx"), "book.xlsx")
    return [(f.rule, f.severity.value, str(f.cell)) for f in check_book(book)]


def test_an_empty_narrative_is_named_and_the_other_checks_still_run():
    """Every 段落 (A2:A39) emptied: narrative-empty at 總說明!A2; the 以前年度 說明 checks (7 infos on the seed) stay."""
    def edit(wb):
        ws = wb["總說明"]
        for r in range(2, ws.max_row + 1):
            ws.cell(r, 1).value = None

    found = _narrative_findings(edit)
    seed = _narrative_findings(lambda wb: None)
    assert [f for f in found if f[0] == "narrative-empty"] == [("narrative-empty", "warning", "book.xlsx:總說明!A2")]
    assert [f for f in seed if f[0] == "narrative-empty"] == []
    assert sorted(f for f in found if f[0].startswith("prior-note")) == \
        sorted(f for f in seed if f[0].startswith("prior-note")) and len([f for f in seed if f[1] == "info"]) == 7
