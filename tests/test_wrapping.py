"""forms.wrapping: the lines a text prints over, against LibreOffice's own rendering of the same cells.

Each text is put alone in a column of a known width and font size, in a row tall enough for it, rendered by
LibreOffice and read back with pdftotext: the lines it printed are counted from the PDF, not by the code. The
estimate may never be below them (a row too short for its text prints over the next row, or is cut at the page
foot) and should be at most one line above them (each line too many is blank paper).
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Alignment, Font

from test_publish import needs_render
from xlbudget.adapters.pdf import render, wrapping
from xlbudget.forms.wrapping import LIBREOFFICE_DEJAVU, NARROWEST, line_starts, printed_lines, wrapping_for

EXAMPLE = Path(__file__).parents[1] / "xlbudget" / "data" / "example"


def _example_texts() -> list[str]:
    """Every 說明 of the example's 歲出明細 and 說明提要 and every 總說明 paragraph longer than 20 characters."""
    texts = []
    for name, column in (("歲出明細.csv", "說明"), ("說明提要.csv", "說明提要"), ("總說明.csv", "段落")):
        with open(EXAMPLE / name, encoding="utf-8-sig") as f:
            texts += [row[column] for row in csv.DictReader(f) if len(row[column] or "") > 20]
    return texts


MIXED = [
    "建置iTaiwan提供民眾無線上網等服務，並採購Microsoft Office 365授權1,250,000元（含稅）。",
    "辦理ABCDEFGHIJKLMNOPQRSTUVWXYZ系統MMMMWWWW維護，執行率達100.14%，計3,784,000元。" * 3,
    "「智慧城市」、「淨零轉型」：（一）規劃；（二）推動。" * 6,
    "第一行\n第二行較長的說明文字，用以測試換行後的寬度是否重新計算。\n\n第四行",
    "https://www.kcg.gov.tw/Default.aspx?n=abcdefghijklmnopqrstuvwxyz0123456789 說明",
]
CASES = [(width, size) for width in (20, 30, 48, 72) for size in (10, 11)]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """(text, width, size) → the lines LibreOffice printed it over."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    texts = _example_texts() + MIXED
    # a text whose row would be taller than a page: rendered in the wider columns only
    fits = {case: [t for t in texts if 3 * case[1] * (t.count("\n") + len(t) * case[1] // (7 * case[0] - 5) + 2)
                   <= 400] for case in CASES}
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for width, size in CASES:
        ws = wb.create_sheet(f"w{width}s{size}")
        ws.column_dimensions["A"].width = width
        ws.page_setup.orientation = "landscape"
        for r, text in enumerate(fits[width, size], start=1):
            cell = ws.cell(r, 1, text)
            cell.font = Font(name="標楷體", size=size)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            # room for twice the lines a full em a character gives: no text runs into the next row
            ws.row_dimensions[r].height = 2 * 1.5 * size * (text.count("\n") + len(text) * size // (7 * width - 5) + 2)
    tmp = tmp_path_factory.mktemp("wrapping")
    wb.save(tmp / "cells.xlsx")
    pdf = render(tmp / "cells.xlsx", shutil.which("soffice"), tmp)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    lines = [re.sub(r"\s+", "", line) for line in text.splitlines() if line.strip()]
    found = {}
    at = 0
    for width, size in CASES:  # sheets print in order, each text's lines in order
        for t in fits[width, size]:
            want = re.sub(r"\s+", "", t)
            got, n = "", 0
            while len(got) < len(want):
                got += lines[at]
                at += 1
                n += 1
            assert got == want, (width, size, t)
            found[t, width, size] = n + t.count("\n\n")  # an empty line prints nothing pdftotext gives
    return found


@needs_render
def test_no_text_prints_over_more_lines_than_estimated_nor_many_fewer(printed):
    assert wrapping() == LIBREOFFICE_DEJAVU  # the machine the measurement holds for (fontconfig: DejaVu Sans)
    under, over = [], 0
    for (text, width, size), lines in printed.items():
        estimate = printed_lines(text, LIBREOFFICE_DEJAVU.room(width), size)
        if estimate < lines:
            under.append((text[:20], width, size, estimate, lines))
        over += estimate - lines
        assert estimate <= lines + 1, (text[:20], width, size, estimate, lines)
    assert not under
    total = sum(printed.values())
    assert over <= total * 0.05, (over, total)  # blank lines: a few in a hundred


def test_lines_break_between_characters_never_inside_a_number_or_before_a_closing_mark():
    room = 10 * 10  # ten CJK characters of 10 pt
    assert printed_lines("一二三四五六七八九十", room, 10) == 1
    assert printed_lines("一二三四五六七八九十一", room, 10) == 2
    text = "一二三四五六七八九十，二"  # the comma may not open a line: 十 goes down with it
    assert line_starts(text, room, 10) == [0, 9]
    text = "一二三四五六七1,234,567"  # 9 digits and commas: 7 + 9 × 0.4–0.64 em do not fit, the number goes whole
    assert line_starts(text, room, 10) == [0, 7]
    assert line_starts("一二\n三四", room, 10) == [0, 3]
    assert printed_lines("一" * 35, room, 10) == 4


def test_an_unknown_default_font_takes_the_narrowest_unit():
    assert wrapping_for("DejaVu Sans") == LIBREOFFICE_DEJAVU
    assert wrapping_for("Some Font") == NARROWEST
    assert wrapping_for(None).room(48) < wrapping_for("Carlito").room(48) < LIBREOFFICE_DEJAVU.room(48)


def test_a_heading_is_broken_into_even_lines_never_leaving_one_character():
    """The field tester's 「本年度與上年度比較」 printed 本年度與上年度比｜較. By hand: in Excel's unit (NARROWEST,
    5.25 pt a width unit, 5 pt of margin) a column 12 units wide prints 12 × 5.25 − 5 = 58 pt, five 10 pt
    characters a line: nine take two lines, as even as 4 + 5 or 5 + 4, and of those the break after 與 reads.
    Where LibreOffice prints (7 pt a unit) 10 units hold 66 pt, six a line: 購買商品及勞務支出 takes two, 5 + 4
    after 及; 6 units hold 38 pt, three a line: 預計天數 takes two of 2."""
    from xlbudget.forms.wrapping import balanced_lines

    assert balanced_lines("本年度與上年度比較", NARROWEST.room(12), 10) == "本年度與\n上年度比較"
    assert balanced_lines("購買商品及勞務支出", LIBREOFFICE_DEJAVU.room(10), 10) == "購買商品及\n勞務支出"
    assert balanced_lines("機器及其他設備", LIBREOFFICE_DEJAVU.room(10), 10) == "機器及\n其他設備"
    assert balanced_lines("預計天數", LIBREOFFICE_DEJAVU.room(6), 10) == "預計\n天數"
    assert balanced_lines("本年度計畫項數", LIBREOFFICE_DEJAVU.room(10), 10) == "本年度\n計畫項數"
    # one line stays as it is; a line already broken is kept and each of its lines broken on its own
    assert balanced_lines("合計", NARROWEST.room(12), 10) == "合計"
    assert balanced_lines("32020180101\n數位發展計畫", NARROWEST.room(13), 10) == "32020180101\n數位發展計畫"


def test_built_tables_carry_their_headings_broken_for_excel():
    """A built book is opened in Excel: its headers are broken for the narrowest unit (layout_table's default)."""
    from conftest import read_example_book
    from xlbudget.core.titles import AGENCY_BUDGET
    from xlbudget.derive.book import derive_all
    from xlbudget.forms.layout import layout_table

    book = read_example_book()
    table = next(t for t in derive_all(book) if t.title == AGENCY_BUDGET)
    header = [v for row in layout_table(table, book.agency).values[4:6] for v in row if v]
    assert "本年度與\n上年度比較" in header and "本年度與上年度比較" not in header
