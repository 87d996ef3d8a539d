"""Session 36, field23: hand-made printed books typed the ugliest real ways, each defect found by running
`xlbudget check` on them (the seed copy of test_printed, its figures the seed's printed ones)."""

from test_printed import YEAR, _find, seed_printed_workbook
from xlbudget.app.check import check_workbook
from xlbudget.core.findings import Severity


def _serious(wb):
    report = check_workbook(wb, None, "seed.xlsx")
    return [(f.rule, f.cell.sheet, f.cell.cell) for f in report.findings if f.severity != Severity.INFO]


# ── a line whose 說明 opens with the country's name is a line, never the 中華民國N年度 line under a title ──

def _item_rows(ws, code: str) -> list[int]:
    """The item lines printed under the 明細表's 二級 line ``code`` (no label, a 單位)."""
    r = _find(ws, code)
    rows = []
    for row in range(r + 1, ws.max_row + 1):
        if ws.cell(row, 1).value not in (None, ""):
            break
        if ws.cell(row, 2).value:
            rows.append(row)
    return rows


def test_a_detail_line_whose_note_opens_with_the_country_name_is_read():
    # 1020 約聘僱人員待遇 prints two lines, 4,410,710 + 871,852 = 5,282,562 (its 二級 line): a 說明 of a line opening
    # with 中華民國 (dues to 中華民國資訊安全學會, a national association) was taken for the 中華民國113年度 line of a
    # repeated page head and the whole line skipped: 1020 was said to be 871,852, the right 5,282,562 named wrong
    wb, _ = seed_printed_workbook()
    ws = wb["明細表"]
    first, second = _item_rows(ws, "1020")
    assert ws.cell(first, 5).value + ws.cell(second, 5).value == 4_410_710 + 871_852
    ws.cell(first, 6).value = "中華民國資訊安全學會團體會員年費。"
    assert _serious(wb) == []
    # and the line's own figures are read: its 預算數 typed 4,411,710 (1,000 more) is named, where it was unread
    ws.cell(first, 5).value = 4_411_710
    assert ("item-product-mismatch", "明細表", f"E{first}") in _serious(wb)


def test_an_agency_budget_line_whose_note_opens_with_the_country_name_is_read():
    # 歲出機關別預算表's 32020180101 行政管理 43,769 typed 43,768 beside a 說明 「中華民國…」: the row was skipped
    # whole, so the wrong figure (1 千元 under the 彙計表's 行政管理 column, 43,769) passed with 錯誤 0
    wb, _ = seed_printed_workbook()
    ws = wb["機關別"]
    r = _find(ws, "32020180101", column=5)
    ws.cell(r, 10).value = "中華民國資訊安全學會等團體會費。"
    assert _serious(wb) == []
    ws.cell(r, 6).value = 43_768
    assert any(cell == f"F{r}" for _, sheet, cell in _serious(wb) if sheet == "機關別")


def test_the_year_line_of_a_repeated_page_head_is_still_no_line():
    # the seed copy's 明細表 repeats 中華民國113年度 on each page; typed with spaces, with a subtitle, cut from its
    # year by a converter (中華民國 | 113 | 年度) or as 民國 numerals, it stays a heading line, read as no line
    for year in ("中華民國 113 年度", "中華民國113年度　經資門併計", "中華民國", "中華民國一百一十三年度"):
        wb, _ = seed_printed_workbook()
        ws = wb["明細表"]
        for row in ws.iter_rows():
            if row[0].value == YEAR and row[0].row > 10:
                row[0].value = year
                if year == "中華民國":  # a converter's three cells: the row's merge is gone
                    ws.unmerge_cells(start_row=row[0].row, start_column=1, end_row=row[0].row, end_column=6)
                    ws.cell(row[0].row, 2).value, ws.cell(row[0].row, 3).value = 113, "年度"
        assert _serious(wb) == [], year


def test_a_detail_line_whose_note_quotes_a_unit_is_read():
    # a 說明 quoting its rate's unit (「…每人每月薪點折合率（單位：元）依規定。」) was taken for the 單位：新臺幣元 line of
    # a repeated page head, the line skipped: 1020 約聘僱人員待遇 (4,410,710 + 871,852 = 5,282,562) named wrong
    wb, _ = seed_printed_workbook()
    ws = wb["明細表"]
    first, _ = _item_rows(ws, "1020")
    ws.cell(first, 6).value = "約聘人員薪資，每人每月薪點折合率（單位：新臺幣元）依規定。"
    assert _serious(wb) == []
    ws.cell(first, 5).value = 4_411_710
    assert ("item-product-mismatch", "明細表", f"E{first}") in _serious(wb)


def test_a_unit_line_of_a_repeated_page_head_is_still_no_line():
    # the unit lines a page repeats: alone (單位：新臺幣元, (單位:元)), or after the 年度 in one cell
    for unit in ("（單位：元）", "金額單位：元", "中華民國113年度　單位：新臺幣元"):
        wb, _ = seed_printed_workbook()
        ws = wb["明細表"]
        for row in ws.iter_rows():
            if row[-1].value == "單位：新臺幣元" and row[0].row > 10:
                row[-1].value = unit
        assert _serious(wb) == [], unit
