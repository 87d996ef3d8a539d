"""xlbudget pdf prints every figure in digits, never ### (field report 12 §1.1).

A figure wider than its column prints as ### in LibreOffice and Excel alike. The columns a table is derived with fit
the seed's figures; an agency paying 10億元 in one column (a city's police bureau: 1,000 staff) or a 12-digit line
printed them as ###, and pdf said nothing. Every expected figure is the seed's (000_9c62b59cf9023585.txt) worked out
by hand here.
"""

from __future__ import annotations

import re

import pytest

from test_publish import needs_render, printed_pages
from test_publish_long import _stand_in
from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app.example import example_workbook
from xlbudget.cli import main

SCALE = 100  # the example's 人事費 and 1000-series lines × 100: a bureau of about 1,000 staff
# seed l. 555: 人事費彙計表 合計 法定編制人員待遇 25,356,370 元 (bold, as every 合計 row), × 100: 10 digits
PAYROLL_TOTAL = "2,535,637,000"
BIG_LINE = 123_456_789_012  # 元: 歲出明細 row 24 (a 2051 line of 32,000 元) made 1 × 123,456,789,012
# seed l. 601: 職能及經濟性 總計 購買商品及勞務支出 154,276 千元; less the line's 32 千元, plus its 123,456,789 千元
FUNCTION_TOTAL = f"{154_276 - 32 + 123_456_789:,}"  # 123,611,033: 9 digits of 千元, bold


def big_workbook():
    """The example with its 人事費, 約聘僱 and 1000-series 歲出明細 lines × SCALE, and one 12-digit 2051 line."""
    wb = example_workbook()
    ws = wb["人事費"]
    for row in ws.iter_rows(min_row=2, min_col=3, max_col=13):
        for cell in row:
            if isinstance(cell.value, (int, float)):
                cell.value *= SCALE
    ws = wb["約聘僱"]
    for row in ws.iter_rows(min_row=2, min_col=5, max_col=5):
        if isinstance(row[0].value, (int, float)):
            row[0].value *= SCALE
    ws = wb["歲出明細"]
    for r in range(2, ws.max_row + 1):
        if str(ws.cell(r, 4).value).startswith("10"):
            ws.cell(r, 7).value *= SCALE
            ws.cell(r, 8).value *= SCALE
    assert ws.cell(24, 8).value == 32_000
    ws.cell(24, 6).value, ws.cell(24, 7).value, ws.cell(24, 8).value = 1, BIG_LINE, BIG_LINE
    return wb


@pytest.fixture(scope="module")
def big_rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("big")
    book = save_atomic(big_workbook(), tmp / "大機關.xlsx")
    code = main(["pdf", str(book), "-o", str(tmp / "大機關.pdf")])
    return code, printed_pages(tmp / "大機關.pdf")


def _line(pages: list[str], title: str, label: str) -> str:
    """The squeezed line starting with ``label`` on the first page whose title line is ``title``."""
    squeezed = [[re.sub(r"\s+", "", x) for x in page.splitlines()] for page in pages]
    lines = next(lines for lines in squeezed if title in lines)
    return next(line for line in lines if line.startswith(label))


@needs_render
def test_ten_and_twelve_digit_figures_print_in_digits_never_hashes(big_rendered):
    # red before fit_figures: 人事費彙計表's 合計 printed 「合計47###528,256,200…」, the 職能 table's 總計 ###
    code, pages = big_rendered
    assert code == 1  # the 總說明's prose no longer matches the scaled figures: errors, a PDF all the same
    assert [i for i, page in enumerate(pages, start=1) if "###" in page] == []
    assert PAYROLL_TOTAL in _line(pages, "人事費彙計表", "合計")
    assert FUNCTION_TOTAL in _line(pages, "歲出按職能及經濟性綜合分類表", "總計")


def test_a_figure_printed_as_hashes_is_refused_naming_its_table_and_cell(monkeypatch, tmp_path, capsys):
    # a renderer that prints 2,535,637,000 as ### wherever it stands: pdf exits 2, names the table's page and cells,
    # writes no PDF. Red with the read-back left out (exit 1, the PDF written). 人事費彙計表: 4 title rows and 2
    # header rows, then 合計 (row 7), 正式員額, 職員; 法定編制人員待遇 is column E (類別, 預算員額, 政務人員待遇,
    # 政務代表待遇 before it)
    _stand_in(monkeypatch, hashed=int(PAYROLL_TOTAL.replace(",", "")))
    book = save_atomic(big_workbook(), tmp_path / "大機關.xlsx")
    assert main(["pdf", str(book), "-o", str(tmp_path / "大機關.pdf")]) == 2
    err = capsys.readouterr().err
    assert "###" in err and "人事費彙計表" in err and "人事費彙計表!E7（2,535,637,000）" in err, err
    assert "Traceback" not in err
    assert not (tmp_path / "大機關.pdf").exists()
