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


# ── a 明細表 whose unit line says 千元 ──

def _detail_units(ws, unit: str) -> int:
    """Every 單位 line of the seed copy's 明細表 pages retyped as ``unit``; how many there are."""
    lines = [c for row in ws.iter_rows() for c in row if c.value == "單位：新臺幣元"]
    for c in lines:
        c.value = unit
    return len(lines)


def _warned(wb) -> list[tuple[str, str, str]]:
    return [f for f in _serious(wb) if f[0] == "detail-not-in-yuan"]


def test_a_detail_table_whose_unit_line_says_thousands_over_yuan_figures_is_said():
    # the 明細表 prints 元 (合計 43,769,000, 行政管理's 1015 line 25,356,370) under 「單位：新臺幣千元」 on every page:
    # the page states 43,769,000 千元, a thousand times the 彙計表's 43,769 千元; check said nothing (錯誤 0、警告 0).
    # It is one warning at the table's title (A2, the first page's), the ties to the 元 明細表 not made of it
    wb, _ = seed_printed_workbook()
    ws = wb["明細表"]
    assert _detail_units(ws, "單位：新臺幣千元") > 1
    assert _serious(wb) == [("detail-not-in-yuan", "明細表", "A2")]


def test_a_detail_table_printed_in_thousands_blames_no_right_table():
    # the 明細表 printed in 千元 (as a central-government book prints its 歲出 lines): its labelled lines only, each
    # its 元 figure rounded (合計 43,769,000 → 43,769; 1015 25,356,370 → 25,356; 1020 5,282,562 → 5,283), the 市款
    # notes in 千元 (「市款43,769千元」). Read as 元, every right 彙計表 cell was «應為 43,769 元四捨五入之 44 千元» (63
    # errors), each plan's 預算金額 heading (43,769千元) «應為 44 千元», 5 一級 totals «not a whole thousand» and the five
    # 千元 tables «看來是元». Now: the one warning; the 明細表's own sums are still checked (in 千元, 尾差 allowed)
    wb, _ = seed_printed_workbook()
    ws = wb["明細表"]
    _detail_units(ws, "單位：新臺幣千元")
    for r in range(ws.max_row, 0, -1):
        label, amount, note = ws.cell(r, 1).value, ws.cell(r, 5).value, ws.cell(r, 6).value
        if not isinstance(amount, int):
            continue
        if label in (None, ""):
            ws.delete_rows(r)  # an item line: a 千元 明細表 prints none here
            continue
        ws.cell(r, 5).value = (amount + 500) // 1000
        for c in (2, 3, 4):  # a lone item printed on its 二級 line: its 單位, 數量 and 單價 are no 千元 line's
            ws.cell(r, c).value = None
        if isinstance(note, str) and note.startswith("市款"):
            ws.cell(r, 6).value = note.replace(",000元", "千元")
    r = _find(ws, "1015")
    assert (ws.cell(r, 5).value, ws.cell(_find(ws, "1020"), 5).value) == (25_356, 5_283)
    assert ws.cell(_find(ws, "合計"), 6).value == "市款43,769千元"
    assert _serious(wb) == [("detail-not-in-yuan", "明細表", "A2")]
    # its own sums hold it still: 1015 typed 25,456 (100 more) puts 1000 人事費 off, «應為 43,078» (42,978 + 100)
    ws.cell(r, 5).value = 25_456
    report = check_workbook(wb, None, "seed.xlsx")
    assert [(f.rule, f.cell.cell, f.expected, f.actual) for f in report.findings if f.rule == "subtotal-mismatch"] \
        == [("subtotal-mismatch", f"E{_find(ws, '1000')}", 43_078, 42_978)]


# ── a 明細表 item line whose 預算數 is left blank ──

def test_a_detail_item_left_blank_is_named_at_its_blank_and_its_right_total_is_not():
    # 1020 約聘僱人員待遇 5,282,562 over two lines: 年 1 × 4,410,710 (its 預算數 left blank) and 871,852. The line was
    # «no code, not a total» (row-unplaced, at its 單價) and its right 二級 line an error «應為 871,852». It is named at
    # the blank, 應為 1 × 4,410,710 = 4,410,710; the 二級 line above it, and the 彙計表 tied to it, are not judged by a
    # blank (as a total left blank, rules.blanks)
    wb, _ = seed_printed_workbook()
    ws = wb["明細表"]
    first, _ = _item_rows(ws, "1020")
    assert (ws.cell(first, 3).value, ws.cell(first, 4).value) == (1, 4_410_710)
    ws.cell(first, 5).value = None
    report = check_workbook(wb, None, "seed.xlsx")
    assert [(f.rule, f.cell.sheet, f.cell.cell, f.expected, f.actual) for f in report.findings
            if f.severity != Severity.INFO] == [("item-amount-blank", "明細表", f"E{first}", 4_410_710, None)]


# ── a 千元 table under a 元 unit line ──

def test_a_thousands_table_under_a_yuan_unit_line_is_said_once():
    # the 彙計表 typed in 千元 (合計 275,795) under 「單位：新臺幣元」, as Taipei heads its 彙計表: every cell was an error
    # (each 元 figure held to the 明細表's 元: 101500 25,356 «應等於 25,356,370»; 歲出機關別預算表's right 275,795 «應為
    # 275,795 元四捨五入之 276 千元») and no line said why. As table-in-yuan says the reverse: once, at its largest
    # figure, which is the 明細表's 歲出 total in 千元 (275,795,000 元 → 275,795)
    wb, _ = seed_printed_workbook()
    ws = wb["彙計表"]
    unit = next(c for row in ws.iter_rows() for c in row if c.value == "單位：新臺幣千元")
    unit.value = "單位：新臺幣元"
    report = check_workbook(wb, None, "seed.xlsx")
    total = f"D{_find(ws, '合')}"
    assert [(f.rule, f.cell.sheet, f.cell.cell, f.expected, f.actual) for f in report.findings
            if f.rule == "table-in-thousands"] == [("table-in-thousands", "彙計表", total, 275_795_000, 275_795)]
    # a 元 彙計表 (as Taipei prints it) is never said so: each figure × 1,000, its 合計 275,795,000 the 明細表's total
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, int) or isinstance(c.value, str) and c.value.replace(",", "").isdigit():
                c.value = int(str(c.value).replace(",", "")) * 1000
    report = check_workbook(wb, None, "seed.xlsx")
    assert [f for f in report.findings if f.rule in ("table-in-thousands", "table-in-yuan")] == []


# ── a figure typed with a point before three digits is named as what it is (field22's ambiguous-point) ──

def test_a_printed_figure_with_a_point_before_three_digits_is_named_as_ambiguous():
    # 各項費用彙計表's 合計 of 行政管理 prints 43,769 千元; typed 「43.769」 (a thousands point as European copies write
    # it) it is 43,769 or 43.769, a thousandfold apart: the ambiguous-point error at its cell, as in the input sheets,
    # where it was the catch-all «不是整數» (figure-unverifiable, an info)
    wb, _ = seed_printed_workbook()
    ws = wb["彙計表"]
    r = _find(ws, "合計")
    c = next(c for c in range(2, ws.max_column + 1) if ws.cell(r, c).value == 43_769)
    cell = ws.cell(r, c)
    cell.value = "43.769"
    assert ("ambiguous-point", "彙計表", cell.coordinate) in _serious(wb)
    assert not any(rule == "figure-unverifiable" and at == cell.coordinate for rule, _, at in _serious(wb))
