"""build names every cell of the officer's it overwrites or clears on its table sheets — a figure typed over a
total, a formula, a number beside or below the table — and stays silent on the figures it wrote itself, even
when changed inputs change them (officer task 1; before, only text was named: a number or a formula went without
a word). Built twice through openpyxl round-trips, typed in between, as an officer does.

The example (the seed): 各項費用彙計表 合計 row 7 is 43,769 | 232,026 | 275,795 (B7:D7); 歲出明細!H2 (1015 法定編制
人員待遇) 25,356,370 元. Raised by 1,000,000 元 (G2 and H2), the second build writes 合計 44,769 | 232,026 | 276,795
and 100000人事費 (row 8) 43,978 | – | 43,978: figures of ours that change, and say nothing.
"""

from __future__ import annotations

from types import SimpleNamespace

import openpyxl
import pytest

from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app import splicebuild
from xlbudget.app.example import example_workbook
from xlbudget.app.pipeline import build_file
from xlbudget.derive.schedules import AGENCY_BUDGET, SUMMARY
from xlbudget.forms.overwrite import RECORD_NAME, built_record, read_record

DETAIL = "歲出計畫說明提要與各項費用明細表"


def _edited(built, tmp_path):
    """The built book as the officer leaves it: inputs changed, and his own cells typed on three table sheets."""
    wb = openpyxl.load_workbook(built)
    wb["歲出明細"]["G2"] = wb["歲出明細"]["H2"] = 26_356_370  # an input changed: our figures change
    summary = wb[SUMMARY]
    assert [summary[f"{c}7"].value for c in "ABCD"] == ["合計", 43_769, 232_026, 275_795]
    summary["D7"] = 999  # a figure typed over a total
    summary["F9"] = 12_345  # a number beside the table (4 columns wide)
    detail = wb[DETAIL]
    assert [detail[f"{c}61"].value for c in "CDE"] == ["12", 11_900, 142_800]  # 2093 特別費: 12 月 × 11,900
    detail["E61"] = "=D61*C61"  # a formula in a 明細表 cell
    budget = wb[AGENCY_BUDGET]
    assert budget.max_row == 12
    budget["A15"], budget["B15"] = "科長核定", 500  # text and a number below the table
    return save_atomic(wb, tmp_path / "edited.xlsx")


@pytest.mark.parametrize("spliced", [True, False])
def test_build_names_each_cell_of_his_it_replaces_and_none_of_its_own(tmp_path, monkeypatch, spliced):
    # red before: only B15's neighbour A15 (text) was named; the 999, the formula, F9 and B15 went without a word
    if not spliced:
        monkeypatch.setattr(splicebuild, "splice_build", lambda source, target, as_read=None: None)
    source = save_atomic(example_workbook(), tmp_path / "範例.xlsx")
    built = build_file(source, tmp_path / "built.xlsx")
    assert built.spliced == spliced
    edited = _edited(built.output, tmp_path)
    again = build_file(edited, tmp_path / "again.xlsx")
    named = {(f.cell.sheet, f.cell.cell): f for f in again.findings if f.rule == "table-cell-replaced"}
    assert set(named) == {(DETAIL, "E61"), (AGENCY_BUDGET, "A15"), (AGENCY_BUDGET, "B15"), (SUMMARY, "D7"),
                          (SUMMARY, "F9")}
    # what was there, what is there now, where the old is kept (-o: the original, untouched)
    assert "數字「999」" in named[(SUMMARY, "D7")].message and "「276795」" in named[(SUMMARY, "D7")].message
    assert "公式「=D61*C61」" in named[(DETAIL, "E61")].message and "「142800」" in named[(DETAIL, "E61")].message
    assert "數字「12345」" in named[(SUMMARY, "F9")].message and "為空白" in named[(SUMMARY, "F9")].message
    assert all("edited.xlsx" in f.message for f in named.values())
    # our figures, changed by the input: written, and not named
    wb = openpyxl.load_workbook(again.output)
    assert [wb[SUMMARY][f"{c}7"].value for c in "BCD"] == [44_769, 232_026, 276_795]
    assert [wb[SUMMARY][f"{c}8"].value for c in "BD"] == [43_978, 43_978]
    # a third build of what the second wrote: nothing of his left, nothing named
    third = build_file(again.output, tmp_path / "third.xlsx")
    assert [f for f in third.findings if f.rule == "table-cell-replaced"] == []


def test_a_book_without_a_record_names_every_figure_that_changed(tmp_path):
    """A book built before records (or its record deleted): no cell is known to be ours, so every figure the new
    build writes otherwise is named — never none; figures written again the same are not."""
    source = save_atomic(example_workbook(), tmp_path / "範例.xlsx")
    built = build_file(source, tmp_path / "built.xlsx").output
    wb = openpyxl.load_workbook(built)
    for ws in wb.worksheets:
        ws.defined_names.pop(RECORD_NAME, None)
    wb["歲出明細"]["G2"] = wb["歲出明細"]["H2"] = 26_356_370
    edited = save_atomic(wb, tmp_path / "edited.xlsx")
    named = {(f.cell.sheet, f.cell.cell) for f in build_file(edited, tmp_path / "again.xlsx").findings
             if f.rule == "table-cell-replaced"}
    assert {(SUMMARY, "B7"), (SUMMARY, "D7"), (SUMMARY, "B8"), (SUMMARY, "D8")} <= named
    assert (SUMMARY, "C7") not in named  # 232,026 both times


def test_the_record_is_what_was_written():
    """The record reads back; a sheet whose band or column group reads as recorded is ours there."""
    values = [["合計", 43_769, 232_026, 275_795], ["100000人事費", 42_978, None, 42_978]]
    record = read_record(built_record(SimpleNamespace(values=values, merges=[])))
    assert (record.rows, record.cols, record.rsize, record.csize) == (2, 4, 1, 1)
    cells = {(r, c): v for r, row in enumerate(values, 1) for c, v in enumerate(row, 1) if v is not None}
    assert record.ours(cells) == ({0, 1}, {0, 1, 2, 3})
    cells[(1, 4)] = 999
    assert record.ours(cells) == ({1}, {0, 1, 2})
    cells[(1, 4)] = 275_795.0  # the same figure, as a reader may give it back
    assert record.ours(cells) == ({0, 1}, {0, 1, 2, 3})
    assert read_record('"xlb2;2;4;1;1;abc"') is None and read_record(None) is None


def test_the_record_digests_are_the_documented_ones():
    """Records written by any earlier build must still read as what the inputs give: each band's and column group's
    digest is the first 3 urlsafe-base64 characters of the SHA-1 of its cells, row-major, each «r,c␟text␞» (text as
    cell_text writes it: 43769 for 43769.0, TRUE; a blank text and a cell a merge covers other than its first left
    out). Computed here by hand from that; red when built_record took another walk (the covered cell kept)."""
    import base64
    import hashlib

    values = [["甲", "甲"], [43_769.0, 1.5], ["  ", True]]  # row 1 merged across: XlsxWriter writes it in each cell

    def digest(*lines):
        return base64.urlsafe_b64encode(hashlib.sha1("".join(lines).encode()).digest()[:3]).decode()[:3]

    a, b, c, d = "1,1\x1f甲\x1e", "2,1\x1f43769\x1e", "2,2\x1f1.5\x1e", "3,2\x1fTRUE\x1e"
    expected = f'"xlb2;3;2;1;1;{digest(a)}{digest(b, c)}{digest(d)}{digest(a, b)}{digest(c, d)}"'
    assert built_record(SimpleNamespace(values=values, merges=[(1, 1, 1, 2)])) == expected


def test_the_button_names_his_cells_as_build_does_and_records_what_it_wrote(tmp_path):
    """產生報表 (xlwings' remote book, as tests/test_addin.py drives the buttons) on the book as the officer left it
    after a build: 執行紀錄 lists each of his cells with what was there and what is there now — the five build names —
    and none of the figures of ours the changed input changes; each table sheet gets the record build writes.
    Red before: the button named A15 alone (text), and recorded nothing."""
    from xlwings_json import book_json, run_script, sheet_order, sheet_values

    from xlbudget.addin import buttons as addin

    source = save_atomic(example_workbook(), tmp_path / "範例.xlsx")
    built = build_file(source, tmp_path / "built.xlsx")
    edited = _edited(built.output, tmp_path)
    wb = openpyxl.load_workbook(edited)
    wb[DETAIL]["E61"] = 142_801  # Office.js sends a formula's value (=D61*C61+1 here): Lite / Server read no formula
    payload = book_json(wb)
    assert {n["scope_sheet_name"] for n in payload["names"] if n["name"] == RECORD_NAME} >= {SUMMARY, DETAIL}
    actions = run_script(addin, "build_schedules", payload)
    order = sheet_order(payload, actions)
    status = [str(r[0]) for r in sheet_values(actions, order.index("執行紀錄")) if r and r[0]]
    assert any(line.startswith("警告：") and "5 格自行輸入的內容" in line for line in status), status
    listed = {line for line in status if line.startswith("  - ") and "!" in line}
    assert listed == {f"  - {SUMMARY}!D7：999 → 276795", f"  - {SUMMARY}!F9：12345 → 空白",
                      f"  - {DETAIL}!E61：142801 → 142800", f"  - {AGENCY_BUDGET}!A15：科長核定 → 空白",
                      f"  - {AGENCY_BUDGET}!B15：500 → 空白"}, listed
    # the record of each table the button wrote (replacing the last build's): what build -o writes for the same book
    again = openpyxl.load_workbook(build_file(edited, tmp_path / "again.xlsx").output)
    written = {payload["sheets"][a["sheet_position"]]["name"]: a["args"][-1] for a in actions
               if a["func"] == "setNameRefersTo" and a["args"][0] == RECORD_NAME}
    expected = {ws.title: "=" + ws.defined_names[RECORD_NAME].attr_text for ws in again.worksheets
                if RECORD_NAME in ws.defined_names}
    assert len(expected) == 14 and written == expected
