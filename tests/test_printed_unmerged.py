"""A printed book whose merged header cells a PDF converter lost (FIELD-REPORT-5 §2.2): each merged word stays in
its range's first cell, the rest blank. The seed copy (test_printed.seed_printed_workbook) unmerged this way must
read as the seed: the same tables, no finding, and a planted slip named at its own cell, never at a label cell."""

from test_printed import seed_printed_workbook, _find
from xlbudget.app.check import check_workbook
from xlbudget.core.findings import Severity


def _unmerged():
    wb, _ = seed_printed_workbook()
    for ws in wb.worksheets:
        for m in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(m))  # openpyxl keeps the first cell's value and blanks the others, as converters do
    return wb


def _problems(report):
    return [(f.rule, str(f.cell)) for f in report.findings if f.severity != Severity.INFO]


def test_lost_merges_read_as_the_seed():
    wb = _unmerged()
    ws = wb["一級用途別"]
    header = _find(ws, "名稱及編號")
    # the converter's layout: 經常支出 in C only, D–H blank; 資本支出 in I only; nothing under 名稱及編號 and 合計
    assert [ws.cell(header, c).value for c in range(1, 10)] == ["名稱及編號", "合計", "經常支出"] + [None] * 5 + ["資本支出"]
    assert ws.cell(header + 1, 1).value is None and ws.cell(header + 1, 8).value == "小計"
    report = check_workbook(wb, None, "seed.xlsx")
    assert set(report.tables) == {"歲入來源別預算表", "歲出機關別預算表", "歲出計畫說明提要與各項費用明細表",
                                  "各項費用彙計表", "歲出一級用途別科目分析表", "資本支出分析表",
                                  "歲出按職能及經濟性綜合分類表"}
    assert _problems(report) == []


def test_lost_merges_a_slip_is_named_at_its_cell():
    """The same slip gives the same finding with the merges and without: at the slip's cell, none at a label."""
    seen = []
    for wb in (seed_printed_workbook()[0], _unmerged()):
        ws = wb["一級用途別"]
        r = _find(ws, "32020180101")
        # 行政管理's 經常支出 業務費 (D) printed 779 (seed), typed 789 (彙計表's 業務費 of 行政管理 stays 779)
        assert ws.cell(r, 4).value == 779
        ws.cell(r, 4).value = 789
        seen.append(_problems(check_workbook(wb, None, "seed.xlsx")))
    merged, unmerged = seen
    assert unmerged == merged
    assert ("cross-table-mismatch", f"seed.xlsx:一級用途別!D{r}") in unmerged
    assert all(not cell.endswith(f"!A{r}") for _, cell in unmerged), unmerged
