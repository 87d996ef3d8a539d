"""Hand-made printed books: two tables typed side by side on one sheet (field23 left it: the first was named
unreadable for its two 合計 columns, the second was not named at all, a table skipped without a word).

Each table so typed is named at its own title cell (table-unreadable), neither is read: the header row holds both
tables' column names and each line both tables' figures, so neither can be read as its own without guessing where
one ends. The books are the seed copy of test_printed (seed_printed_workbook), two of its sheets pasted onto one.
"""

import json

import openpyxl
import pytest

from test_printed import seed_printed_workbook
from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app.check import check_workbook
from xlbudget.cli import main
from xlbudget.core.findings import Severity

ALL = {"歲入來源別預算表", "歲出機關別預算表", "歲出計畫說明提要與各項費用明細表", "各項費用彙計表",
       "歲出一級用途別科目分析表", "資本支出分析表", "歲出按職能及經濟性綜合分類表"}


def _side_by_side(left: str, right: str, gap: int) -> openpyxl.Workbook:
    """The seed copy with sheets ``left`` and ``right`` typed on one sheet 「並排」, ``right`` starting ``gap`` empty
    columns after ``left``'s last, cells and merges as they were (the two sheets removed)."""
    wb, _ = seed_printed_workbook()
    a, b = wb[left], wb[right]
    ws = wb.create_sheet("並排")
    for src, dc in ((a, 0), (b, a.max_column + gap)):
        for row in src.iter_rows():
            for c in row:
                if c.value is not None:
                    ws.cell(c.row, c.column + dc, c.value)
        for m in src.merged_cells.ranges:
            ws.merge_cells(start_row=m.min_row, start_column=m.min_col + dc, end_row=m.max_row,
                           end_column=m.max_col + dc)
    wb.remove(a)
    wb.remove(b)
    return wb


def _named(report):
    return sorted((f.cell.cell, f.message.split("」的表名")[0].split("「")[-1]) for f in report.findings
                  if f.rule == "table-unreadable")


@pytest.mark.parametrize("gap", [2, 1])
def test_summary_beside_level1_both_named_at_their_titles(gap):
    # 彙計表: a blank row, then agency (A2), title (A3), year, unit, a two-row header and its figures in A–D;
    # 一級用途別: agency (col 1), title on row 2. Pasted from column 4 + gap + 1: G (gap 2) or F (gap 1).
    wb = _side_by_side("彙計表", "一級用途別", gap)
    report = check_workbook(wb, None, "beside.xlsx")
    second = "G2" if gap == 2 else "F2"
    assert _named(report) == [("A3", "各項費用彙計表"), (second, "歲出一級用途別科目分析表")]
    assert set(report.tables) == ALL - {"各項費用彙計表", "歲出一級用途別科目分析表"}
    # nothing else said: the five other sheets are the seed's, clean
    assert [f.rule for f in report.findings if f.severity != Severity.INFO and f.rule != "table-unreadable"] == []


@pytest.mark.parametrize("gap", [2, 1])
def test_revenue_beside_agency_both_named_through_the_cli(gap, tmp_path, capsys):
    # 歲入來源別預算表: title A2, 9 columns (款 項 目 節, four amounts, 說明: A–I); 機關別 from column 9 + gap + 1
    wb = _side_by_side("歲入來源別", "機關別", gap)
    path = save_atomic(wb, tmp_path / "並排.xlsx")
    assert main(["check", str(path), "--format", "json"]) == 0
    records = [r for r in json.loads(capsys.readouterr().out) if r["severity"] != "info"]
    second = "L2" if gap == 2 else "K2"
    assert sorted((r["rule"], r["sheet"], r["cell"]) for r in records) == [
        ("table-unreadable", "並排", "A2"), ("table-unreadable", "並排", second)]
    by_cell = {r["cell"]: r["message"] for r in records}
    assert "「歲入來源別預算表」的表名" in by_cell["A2"] and f"並排另一張表「歲出機關別預算表」（{second}）" in by_cell["A2"]
    assert "「歲出機關別預算表」的表名" in by_cell[second] and "並排另一張表「歲入來源別預算表」（A2）" in by_cell[second]


def test_one_table_typed_alone_on_its_sheet_is_not_beside_anything():
    # the seed copy as it is: every title alone on its rows, nothing named
    wb, _ = seed_printed_workbook()
    report = check_workbook(wb, None, "seed.xlsx")
    assert _named(report) == [] and set(report.tables) == ALL
