"""The 比較 workbook as an officer prints it (compare --format xlsx, rendered by LibreOffice): each page says what it
lists and which two books, every text prints whole, and a line cut prints no 說明 of the new book.

The two books: the example, and the example with 數位發展計畫 renamed 數位發展計畫（更名）, its 2018 line
「本府機關微軟OFFICE專案費用。」 1,000 元 cheaper (2,961,000 → 2,960,000) and its last line (3030 網路頻寬癱瘓式攻擊…,
3,800,000 元) cut.
"""

from __future__ import annotations

import openpyxl
import pytest

from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app.example import example_workbook
from xlbudget.cli import main

from test_publish import needs_render

DDOS = ("網路頻寬癱瘓式攻擊(DDOS攻擊)為近來網路惡意份子常用的攻擊手法，為避免本府網路遭受DDOS攻擊而阻塞，"
        "購置防護設備以保護本府網路。")
DETAIL = "歲出計畫說明提要與各項費用明細表"


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("比較")
    save_atomic(example_workbook(), tmp / "舊.xlsx")
    wb = example_workbook()
    ws = wb["歲出明細"]
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "32020183201"]
    for r in rows:
        ws.cell(r, 2).value += "（更名）"
    assert ws.cell(rows[0], 12).value == "本府機關微軟OFFICE專案費用。" and ws.cell(rows[0], 7).value == 2_961_000
    ws.cell(rows[0], 7).value = ws.cell(rows[0], 8).value = 2_960_000
    assert ws.cell(rows[-1], 12).value == DDOS and ws.cell(rows[-1], 8).value == 3_800_000
    ws.delete_rows(rows[-1])
    save_atomic(wb, tmp / "新.xlsx")
    out = tmp / "比較.xlsx"
    assert main(["compare", str(tmp / "舊.xlsx"), str(tmp / "新.xlsx"), "-o", str(out)]) == 1
    return out


def test_each_page_is_headed_by_its_table_and_the_two_books(compared):
    # a page of rows said neither (printed: 「第 3 頁，共 9 頁」 alone told one table's page from another's)
    wb = openpyxl.load_workbook(compared)
    assert wb[DETAIL].oddHeader.center.text == f"{DETAIL}　舊.xlsx（舊）→ 新.xlsx（新）"
    assert wb["明細差異"].oddHeader.center.text == "歲出明細差異　舊.xlsx（舊）→ 新.xlsx（新）"
    assert not wb["比較"].oddHeader.center.text  # its title is its first row


def test_a_line_cut_prints_no_new_note_and_long_texts_wrap(compared):
    wb = openpyxl.load_workbook(compared)
    lines = {r[0].value: r for r in wb["明細差異"].iter_rows(min_row=2)}
    cut = lines["刪除"]
    assert (cut[4].value, cut[5].value, cut[6].value, cut[7].value, cut[8].value) == (DDOS, None, 3_800_000, None,
                                                                                     -3_800_000)
    assert cut[4].alignment.wrap_text and cut[4].alignment.vertical == "top"
    # 舊說明 is 40 wide: 61 characters, 44 of them CJK (1.75 units each at 10 pt, ×11/10 at 11 pt) → 3 lines or more
    assert wb["明細差異"].row_dimensions[cut[0].row].height >= 48


@needs_render
def test_the_printed_comparison_shows_every_text_whole(compared, tmp_path):
    # rendered: before, each text was cut at its column's edge (列代碼 「32020183201/04資通安全/30」, 說明 「網路頻寬
    # 癱瘓式攻擊(DDOS攻擊)為近來網」), its row 15 pt high
    from xlbudget.adapters.pdf import find_soffice, page_texts, render
    from xlbudget.app.publication import squeezed
    from xlbudget.app.publish import _shows  # a text wrapped beside other columns: its lines between theirs

    pages = [squeezed(text) for text in page_texts(render(compared, find_soffice(), tmp_path))]
    detail = [text for text in pages if text.startswith(squeezed(DETAIL))]
    assert len(detail) == 1 and _shows(squeezed(DDOS), detail[0]) and _shows("32020183201/04資通安全/3030", detail[0])
    lines = [text for text in pages if text.startswith("歲出明細差異")]
    assert len(lines) == 1 and _shows(squeezed(DDOS), lines[0]) and lines[0].count("網路頻寬") == 1
