"""Where the published book's pages end, placed before rendering (publish.plan_breaks): a page-height model of the
rows' heights against the page's printable height, checked against LibreOffice's own breaks.

The expected figures are worked by hand from the page setup every published page has (A4, top margin 0.5", bottom
0.7", side margins 0.4") and the rows' heights in points; a row of no height prints at the sheet's default, 15 pt.
"""

from __future__ import annotations

import random
import re

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.pagebreak import Break

from xlbudget.app.publication import Flow
from xlbudget.app.publish import page_room, plan_breaks, print_scale
from xlbudget.cli import main
from xlbudget.forms.wrapping import LIBREOFFICE_DEJAVU

from test_publish import assert_contents_true, needs_render, printed_pages


def _sheet(ws, landscape: bool, title_heights: list, rows: int):
    """``ws`` set up as app.publication sets up a page, ``title_heights`` its repeated rows, ``rows`` rows below."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    m = ws.page_margins
    m.left = m.right = 0.4
    m.top, m.bottom, m.header, m.footer = 0.5, 0.7, 0.3, 0.3
    for r, height in enumerate(title_heights, start=1):
        ws.cell(r, 1, f"標題{r}")
        ws.row_dimensions[r].height = height
    ws.print_title_rows = f"1:{len(title_heights)}"
    for r in range(len(title_heights) + 1, len(title_heights) + rows + 1):
        ws.cell(r, 1, f"列{r}")
    return ws


def test_a_page_fitted_to_its_width_holds_what_its_height_at_that_scale_leaves_below_its_repeated_rows():
    # a 明細表 page as 300-line books print it: landscape, columns 30+6+8+13+14+48 = 119 units of 7 pt (DejaVu Sans
    # digit) = 833 pt on 842 − 2·28.8 = 784.4 pt: 94 % (a whole percent, as LibreOffice fits it: 784.4/833 = 0.9416).
    # Height 595 − 36 − 50.4 = 508.6 pt at 94 % = 541.06 pt of rows, less the repeated rows 15+24+15+15+15+15 = 99
    # → 442.06 pt: 29 rows of 15 pt (29·15 = 435), as LibreOffice broke the 300-line book's ten plans (all 29)
    ws = _sheet(Workbook().active, True, [None, 24, None, None, 15, None], 40)
    for letter, width in zip("ABCDEF", (30, 6, 8, 13, 14, 48)):
        ws.column_dimensions[letter].width = width
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    assert print_scale(ws, LIBREOFFICE_DEJAVU) == 0.94
    room, last = page_room(ws, LIBREOFFICE_DEJAVU)
    assert last == 6 and room == pytest.approx(508.6 / 0.94 - 99)


def _plan(*more: str):
    """A plan sheet of 15-pt rows below one repeated row (from row 2): 合計, a 分支計畫 with two 用途別 headings and
    their items, a second with three (rows 2–14), then the items ``more`` under the last heading; a page (portrait,
    scale 100) holding 6 of them: 842 − 36 − 50.4 = 755.6 pt less the repeated row's 650.6 = 105 pt, less 3 pt of
    slack = 102 pt: 6 rows (90 pt), not 7 (105)."""
    kinds = [("合計", True), ("01分支", True), ("2000業務費", True), ("式1", False), ("2003教育訓練費", True),
             ("式2", False), ("02分支", True), ("2000業務費", True), ("式3", False), ("2018資訊服務費", True),
             ("式4", False), ("3000設備及投資", True), ("式5", False)] + [(item, False) for item in more]
    wb = Workbook()
    wb.active.title = "明細表01"
    ws = _sheet(wb.active, False, [650.6], len(kinds))
    return wb, Flow("明細表01", "32020180101", [(2 + i, text, heading) for i, (text, heading) in enumerate(kinds)])


def test_a_plan_s_page_ends_after_an_item_never_on_a_heading():
    # with 式6 after 式5 (rows 2–15): page 1 holds rows 2–7 (合計 … 式2, an item: it ends there). Page 2 from row 8
    # (02分支): rows 8–13 fit, but row 13 is 3000設備及投資, a heading: the page ends on 式4 (row 12), 3000 goes over
    # with its items (page 3: 3000, 式5, 式6). Breaks before rows 8 and 13 (ids 7, 12). Red without the heading
    # rule: [8, 14], 3000 alone at page 2's foot
    wb, flow = _plan("式6")
    assert plan_breaks(wb, [flow], [], LIBREOFFICE_DEJAVU) == [("明細表01", 8), ("明細表01", 13)]
    assert [b.id for b in wb["明細表01"].row_breaks.brk] == [7, 12]


def test_a_plan_s_last_page_holds_two_items_with_their_headings():
    # rows 2–14: pages as above, but page 3 would hold 3000設備及投資 and 式5 alone, the plan's last item with its
    # heading (pub11's widow): 式4 goes over with it, with its heading 2018 (row 11). Breaks before rows 8 and 11.
    # Red without the widow rule: [8, 13]
    wb, flow = _plan()
    assert plan_breaks(wb, [flow], [], LIBREOFFICE_DEJAVU) == [("明細表01", 8), ("明細表01", 11)]
    assert [b.id for b in wb["明細表01"].row_breaks.brk] == [7, 10]


def test_a_table_printed_across_pages_at_a_scale_is_broken_evenly_down_its_pages():
    # 各項費用彙計表 of a 30-plan book: landscape at 84 %, repeated rows 15+24+15+15+30+15 = 114 pt, 66 rows of 15 pt.
    # Room (595 − 86.4)/0.84 − 114 = 491.48 pt, less 3 = 488.48: 32 rows a page → 3 pages; evenly, 990/3 + 15 = 345 pt
    # a page: 23 rows, 23, 20 — breaks before rows 30 and 53. LibreOffice printed them 33 and 33 a page, counted 3
    # pages, and put 4 blank unnumbered pages after the table (a column page each). Red before: no break
    wb = Workbook()
    ws = _sheet(wb.active, True, [None, 24, None, None, 30, 15], 66)
    ws.page_setup.scale = 84
    for column in (9, 17, 25):
        ws.col_breaks.append(Break(id=column))
    assert plan_breaks(wb, [], [], LIBREOFFICE_DEJAVU) == [(ws.title, 30), (ws.title, 53)]
    ws.col_breaks.brk = ()  # one page wide: left to LibreOffice
    ws.row_breaks.brk = ()
    assert plan_breaks(wb, [], [], LIBREOFFICE_DEJAVU) == []


def _generated_book(path, items: int, plans: int):
    """bench/bench_convert's make_book (seed 0) of ``items`` lines over ``plans`` plans, 頁碼格式 02004 - N."""
    from xlbudget.app.template import new_template
    from xlbudget.core import codes

    level2 = [c for c in codes.object_codes().values() if c.level == 2 and c.code[0] in "1234"]
    branches = ("行政業務", "資訊業務", "維運業務")
    rnd = random.Random(0)
    wb = new_template()
    values = {"機關名稱": "測試機關0", "機關編號": "02-000", "年度": 114, "主管機關": "測試市政府主管", "職能別": "01",
              "頁碼格式": "02004 - N"}
    for row in wb["基本資料"].iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    ws = wb["歲出明細"]
    code_of = [f"3202000{(n % plans) // 5 + 1:02d}{n % plans % 5 + 1:02d}" for n in range(items)]
    for n, plan in enumerate(code_of):
        code = rnd.choice(level2)
        qty, price = rnd.randint(1, 24), rnd.randint(1, 500) * 100
        ws.append([plan, f"業務{plan[7:9]}-工作{plan[9:]}", f"0{n % 3 + 1}{branches[n % 3]}", code.code, "式", qty, price,
                   qty * price, 0, None, "資訊軟體" if code.code == "3030" else None, f"第{n}項說明文字，用於測試轉換速度。"])
    for p in sorted(set(code_of)):
        wb["以前年度"].append([p, "", rnd.randint(1000, 9000), rnd.randint(1000, 9000)])
    wb.save(path)
    return path


ITEM = re.compile(r"^\s+(年|式|月|人)\s+\d")
HEADING = re.compile(r"^\s*(合計|\d{2}\S+業務|\d{4}\s)")


@needs_render
def test_a_book_s_pages_are_placed_before_rendering_and_rendered_twice(tmp_path, capsys):
    # 788 lines over 30 plans (bench's make_book): main printed 各項費用彙計表 (4 column pages at 84 %) on 8 pages
    # followed by 4 blank, unnumbered ones (02004 - 70, four blanks, 02004 - 75 the next table's first page), and
    # moved 16 headings from page feet in a second rendering. Now: the breaks are placed before the first rendering,
    # the second checks the 目次; every page prints text and its number, on from 1; no plan page but its last ends on
    # a heading; every plan's last page prints two items or more
    book = _generated_book(tmp_path / "三十.xlsx", 788, 30)
    assert main(["pdf", str(book), "-o", str(tmp_path / "書.pdf")]) in (0, 1)
    said = capsys.readouterr().err
    assert "第 2 次排版完成" in said and "第 3 次" not in said and "移到下一頁" not in said, said
    pages = printed_pages(tmp_path / "書.pdf")
    assert all(page.strip() for page in pages)
    assert_contents_true(pages)  # every page numbered, 1 on, the 目次's ranges where the titles print
    plans: dict[str, list[str]] = {}
    for page in pages[1:]:
        if "歲出計畫說明提要與各項費用明細表" in page.replace(" ", "") and (code := re.search(r"3202000\d{4}", page)):
            plans.setdefault(code.group(0), []).append(page)
    assert len(plans) == 30
    for code, printed in plans.items():
        for page in printed[:-1]:
            body = [line for line in page.splitlines()[:-1] if line.strip()]  # the page number left out
            assert not HEADING.match(body[-1]), (code, body[-3:])
        items = [line for line in printed[-1].splitlines() if ITEM.match(line)]
        assert len(items) >= 2, (code, printed[-1])
