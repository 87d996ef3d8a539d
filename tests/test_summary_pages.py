"""convert's 彙總—各項費用彙計表 of many agencies (one column an agency) prints across pages of a few agencies each.

Below the agencies' 歲出機關別預算表 lines on one sheet, 500 agencies' columns printed fitted to one portrait page's
width: unreadable. On a sheet of its own, it breaks into pages as forms.layout.column_pages says, each with its title,
unit and the 科目 labels. The pages, breaks and scale below are worked out by hand from the column widths.
"""

from __future__ import annotations

import openpyxl

from xlbudget.app.summary import BookResult, write_summary

SHEET = "彙總—各項費用彙計表"


def _results(count: int) -> list[BookResult]:
    return [BookResult(f"{n:03d}.xlsx", agency=f"機關{n:03d}", agency_code=f"02-{n:03d}", year=113,
                       expenditure=n, by_object={"2018": 1_000 * n},
                       budget_line={"本年度預算數": 1_000 * n, "上年度預算數": None, "前年度決算數": None})
            for n in range(1, count + 1)]


def test_twenty_agencies_print_across_three_pages_of_seven_columns(tmp_path):
    write_summary(_results(20), tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "轉換摘要.xlsx")
    assert wb.sheetnames == ["摘要", "彙總", SHEET]
    ws = wb[SHEET]
    # By hand: 科目 28 units, 20 agency columns of 13 and 合計 14: 28 + 260 + 14 = 302, wider than a page (180).
    # A page holds 140 units: 112 beside the labels, 8 columns of 13 at most. 21 columns: 3 pages of 7
    # (columns B–H, I–O, P–V); the last is 6 × 13 + 14 = 92 wide, the widest page 28 + 92 = 120 units.
    assert [b.id for b in ws.col_breaks.brk] == [8, 15]
    assert ws.print_title_cols == "$A:$A"
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    # 120 units × 7 pt = 840 pt on 842 − 2 × 0.4 × 72 = 784.4 pt: 93 %
    assert ws.page_setup.scale == 93 and ws.page_setup.orientation == "landscape"
    title_rows = [[c.value for c in row] for row in ws.iter_rows(min_row=1, max_row=4)]
    for first, last in ((2, 8), (9, 15), (16, 22)):  # every page: the agency line, title and year; its unit
        for row in title_rows[:3]:
            assert [v for v in row[first - 1:last] if v] == [row[first - 1]], (first, row[first - 1:last])
        assert title_rows[1][first - 1] == SHEET
        assert title_rows[2][first - 1] == "中華民國113年度"  # the books' year on every page, not 中華民國0年度
        assert title_rows[3][last - 1] == "單位：新臺幣千元"
    assert title_rows[1][0] is None  # no title over the label column, which prints on every page
    # the figures: 合計 of 201800 is 1 + 2 + … + 20 = 210 千元
    rows = {row[0].value.strip(): row for row in ws.iter_rows(min_row=6) if row[0].value}
    assert rows["201800資訊服務費"][21].value == 210
    assert [c.value for c in ws[5]][1:3] == ["機關001", "機關002"]


def test_a_few_agencies_print_on_one_page(tmp_path):
    write_summary(_results(3), tmp_path)
    ws = openpyxl.load_workbook(tmp_path / "轉換摘要.xlsx")[SHEET]
    # 28 + 3 × 13 + 14 = 81 units: one portrait page, fitted to its width, the title over all columns
    assert not ws.col_breaks.brk and ws.print_title_cols is None
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.orientation == "portrait"
    assert ws["A2"].value == SHEET and "A2:E2" in {str(r) for r in ws.merged_cells.ranges}


def test_the_summary_list_prints_across_landscape_pages_labelled_by_its_file(tmp_path):
    """摘要 (one row a book, 17 columns) had no page setup: 7 portrait pages for 5 rows, columns cut from their file.
    Now it prints as a table wider than a page: landscape, across pages at one scale, 檔案 and the header row on
    every page, page numbers."""
    write_summary(_results(3), tmp_path)
    ws = openpyxl.load_workbook(tmp_path / "轉換摘要.xlsx")["摘要"]
    # By hand from the widths 36 36 24 12 6 14 6 6 6 8 10 60 20 24 8 60 24 (機關編號's 12 since session 35): 檔案 (36)
    # on every page leaves 104 of a page's 140 for the other 16 columns; 4 pages of 4 would put 儲存格 24 + 秒數 8 +
    # 未列入彙總合計 60 + 彙總原因代碼 24 = 116 on the last, so 5 pages of 4/3/3/3/3: B–E (78), F–H (26), I–K (24),
    # L–N (104), O–Q (92): breaks after E, H, K, N. The widest, 36 + 104 = 140 units × 7 pt = 980 pt on
    # 842 − 2 × 0.4 × 72 = 784.4 pt: 80 %.
    assert [b.id for b in ws.col_breaks.brk] == [5, 8, 11, 14]
    assert ws.page_setup.scale == 80 and not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$A" and ws.freeze_panes == "B2"
    assert ws.oddFooter.center.text == "第 &P 頁，共 &N 頁"
    assert (ws.page_margins.left, ws.page_margins.right) == (0.4, 0.4)
