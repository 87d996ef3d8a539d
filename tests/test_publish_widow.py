"""A 工作計畫's last line item never prints alone on its plan's last page (session 28's 明細表 widow), rendered.

The example with six lines of 1,000 元 (年 1 × 1,000, 說明 測試0…5) typed after 04資通安全's last 2018 資訊服務費 line:
LibreOffice then printed 數位發展計畫's last page with its last item alone, 3030 式 1 3,800,000 (網路頻寬癱瘓式攻擊…),
found by rendering 6, 10, 14 and 18 such lines before the fix (pages of 1, 16, 6 and 10 items). With it, that page
holds the item before it too (式 1 800,000, with its headings 3000 設備及投資 and 3030 資訊軟硬體設備費), and the
目次's ranges are where the pages print. Where fonts or LibreOffice lay the page out otherwise, the last page may hold
more lines anyway: the assertions hold all the same.
"""

from __future__ import annotations

import re

from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app.example import example_workbook
from xlbudget.cli import main

from test_publish import assert_contents_true, needs_render, printed_pages

ITEM = re.compile(r"^\s+(年|式|月|人)\s+\d")


def _book(path):
    wb = example_workbook()
    ws = wb["歲出明細"]
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 3).value == "04資通安全" and str(ws.cell(r, 4).value) == "2018"]
    after = rows[-1]
    for n in range(6):
        ws.insert_rows(after + 1 + n)
        for c in range(1, ws.max_column + 1):
            ws.cell(after + 1 + n, c, ws.cell(after, c).value)
        for c, value in ((6, 1), (7, 1_000), (8, 1_000), (9, 0), (12, f"測試{5 - n}")):
            ws.cell(after + 1 + n, c, value)
    for key, value in wb["基本資料"].iter_rows(min_row=2):
        if key.value == "頁碼格式":
            value.value = "02004 - N"
    return save_atomic(wb, path)


@needs_render
def test_the_last_item_of_a_plan_goes_over_with_the_one_before_it(tmp_path):
    book = _book(tmp_path / "範例.xlsx")
    assert main(["pdf", str(book), "-o", str(tmp_path / "書.pdf")]) in (0, 1)
    pages = printed_pages(tmp_path / "書.pdf")
    plan = [p for p in pages[1:] if "32020183201" in p and "歲出計畫說明提要與各項費用明細表" in p]
    items = [line.split()[-1] for line in plan[-1].splitlines() if ITEM.match(line)]
    assert len(items) >= 2 and items[-1].startswith("網路頻寬癱瘓式攻擊"), items
    assert_contents_true(pages)


def test_a_heading_s_text_running_on_is_a_heading_where_pages_end():
    # the Flow rows publication gives find_orphans: each row carrying on the text of a 計畫項目 (a GROUP line, the
    # 臺北 116 example's 12116年度工程委託監造技術服務 among them) is a heading as its 計畫項目 is, so a page ending in it
    # moves the 計畫項目 whole; a piece of a line item's 說明 is not. Red before: every piece was no heading
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.app.example import TAIPEI
    from xlbudget.app.pipeline import build_workbook
    from xlbudget.app.publication import published_workbook
    from xlbudget.readers.inputs import read_book

    wb = example_workbook(TAIPEI)
    book, _ = read_book(input_grids(wb))
    tables, _ = build_workbook(wb, book)
    flows = published_workbook(wb, book, tables).flows
    pieces = {(f.sheet, r): heading for f in flows for r, _, heading in f.rows if r in f.continued}
    headed = [key for key, heading in pieces.items() if heading]
    assert headed and len(headed) < len(pieces)  # both kinds in this book
    flow = next(f for f in flows if any((f.sheet, r) in headed for r in f.continued))
    rows = {r: (text, heading) for r, text, heading in flow.rows}
    for r in (r for r in flow.continued if (flow.sheet, r) in headed):
        above = max(x for x in rows if x < r and x not in flow.continued)
        assert rows[above][1], (r, rows[above])  # carried on from a heading
