"""The scale LibreOffice prints a published 明細表 at, read from the rendered PDF, against the page model's
(publish.print_scale), and its pages against the breaks publish.plan_breaks places.

The scale is measured, not assumed: the header row (repeated on every page) prints 「單位」 centred in column B and
「說明」 centred in column F, so the distance between the two words' centres is the columns' width between those
centres (column units, from the sheet) times the unit's points (DejaVu Sans' digit, 7.0 pt: forms.wrapping) times
the scale. The example's 明細表 columns are 30, 6, 8, 13, 14, 48 units: centres 33 and 95, 62 units = 434 pt at 100 %;
784.4 pt between the side margins of a landscape A4 over 119 · 7 = 833 pt of columns is 94.2 %: 94 %, the whole
percent LibreOffice fits at; 434 · 0.94 = 408.0 pt between the centres.

Session 31 saw the example's 明細表 printed at 92 %. The cause, found by rendering its sheet alone (LibreOffice
7.4): a sheet fitted to its width with no manual page break is printed at a zoom that falls with its rows (the
example's 明細表01, 58 rows: 92 %, on 2 pages), while the same sheet with any manual break prints at the whole
percent its columns need (94 %, the model's). plan_breaks breaks every plan that runs over a page, so every such
page prints at the model's scale, and its page holds what the model gives it; a plan of one page, unbroken, may
print smaller (never larger), which only leaves it more room.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from test_publish import needs_render
from test_publish_pages import _generated_book

from xlbudget.adapters.pdf import find_soffice, render, wrapping
from xlbudget.app.pipeline import build_workbook, load_input_book
from xlbudget.app.publication import published_workbook
from xlbudget.app.publish import plan_breaks, print_scale

PLAN_SHEET = re.compile(r"^明細表\d+$")
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>')


def _plan_sheets(source: Path, work: Path):
    """``source``'s published workbook, its pages broken as ``xlbudget pdf`` breaks them before rendering, with its
    明細表 sheets alone, rendered: (the PDF, the sheets in print order)."""
    loaded = load_input_book(source, "pdf")
    tables, _ = build_workbook(loaded.workbook, loaded.book)
    wrap = wrapping()
    publication = published_workbook(loaded.workbook, loaded.book, tables, wrap)
    wb = publication.workbook
    plan_breaks(wb, publication.flows, publication.carries, wrap)
    for name in wb.sheetnames:
        if not PLAN_SHEET.match(name):
            del wb[name]
    wb.save(work / "明細表.xlsx")
    return render(work / "明細表.xlsx", find_soffice(), work), wb.worksheets


def _centres(ws) -> float:
    """Column units between the centres of columns B and F of ``ws``."""
    widths = [ws.column_dimensions[letter].width for letter in "ABCDEF"]
    return (sum(widths[:5]) + widths[5] / 2) - (widths[0] + widths[1] / 2)


def _printed_scales(pdf: Path, units: list[float]) -> list[float]:
    """The scale each page of ``pdf`` prints at, from its header row's 「單位」 and 「說明」 (``units`` apart)."""
    text = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    scales = []
    for page, across in zip(text.split("<page ")[1:], units):
        words = {w: (float(a) + float(b)) / 2 for a, b, w in WORD.findall(page) if w in ("單位", "說明")}
        scales.append((words["說明"] - words["單位"]) / (across * wrapping().unit))
    return scales


def _pages_of(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def _check(pdf: Path, sheets) -> tuple[list[float], list[float]]:
    """LibreOffice breaks no page the model did not (each sheet prints on its breaks + 1 pages) and prints each
    broken sheet at print_scale, a sheet of one page at it or smaller; returns (printed, model) scales a page."""
    per_sheet = [len(ws.row_breaks.brk) + 1 for ws in sheets]
    assert _pages_of(pdf) == sum(per_sheet)
    pages = [ws for ws, n in zip(sheets, per_sheet) for _ in range(n)]
    printed = _printed_scales(pdf, [_centres(ws) for ws in pages])
    model = [print_scale(ws, wrapping()) for ws in pages]
    for ws, got, expected in zip(pages, printed, model):
        if ws.row_breaks.brk:
            assert got == pytest.approx(expected, abs=0.003), (ws.title, got, expected)
        else:
            assert got <= expected + 0.003, (ws.title, got, expected)
    return printed, model


@pytest.fixture(scope="module")
def example_plans(tmp_path_factory):
    """The example's 明細表 sheets, broken as ``xlbudget pdf`` breaks them, rendered: (the PDF, the sheets)."""
    from xlbudget.app.example import example_workbook
    from xlbudget.adapters.xlsxfile import save_atomic

    work = tmp_path_factory.mktemp("example-plans")
    return _plan_sheets(save_atomic(example_workbook(), work / "範例.xlsx"), work)


@needs_render
@pytest.mark.skipif(wrapping().unit != 7.0, reason="LibreOffice 以 DejaVu Sans 代替 Calibri 時的量測")
def test_the_example_s_plans_print_at_the_scale_their_pages_are_broken_for(example_plans):
    # 明細表01 on 3 pages, 明細表02 on 5 (as plan_breaks breaks them), every page at 94 %: 408.0 pt between
    # 「單位」 and 「說明」 (the module's docstring), measured 407.9
    pdf, sheets = example_plans
    assert [ws.title for ws in sheets] == ["明細表01", "明細表02"]
    assert [len(ws.row_breaks.brk) + 1 for ws in sheets] == [3, 5]
    printed, model = _check(pdf, sheets)
    assert model == [0.94] * 8
    assert printed == pytest.approx([408.0 / 434] * 8, abs=0.003)


@needs_render
@pytest.mark.skipif(wrapping().unit != 7.0, reason="LibreOffice 以 DejaVu Sans 代替 Calibri 時的量測")
def test_a_300_line_book_s_plans_print_at_the_scale_their_pages_are_broken_for(tmp_path):
    # bench's make_book, 300 lines over 10 plans: each plan's columns 119 units as the example's (94 %)
    pdf, sheets = _plan_sheets(_generated_book(tmp_path / "三百.xlsx", 300, 10), tmp_path)
    assert len(sheets) == 10
    printed, model = _check(pdf, sheets)
    assert set(model) == {0.94}


def _rows_below_plan_line(page: str) -> list[str]:
    """A 明細表 page's printed rows below its plan line (and, on a plan's first page, its 歲出計畫說明)."""
    lines = page.splitlines()
    at = next(n for n, line in enumerate(lines) if "業務計畫及工作計畫名稱與編號" in line)
    rows = [line.strip() for line in lines[at + 1:] if line.strip()]
    while rows and not re.match(r"(合計|\d|年|月|人|式|時)", rows[0]):  # the 說明提要's lines
        rows.pop(0)
    return rows[:-1]  # the page number


@needs_render
@pytest.mark.skipif(wrapping().unit != 7.0, reason="LibreOffice 以 DejaVu Sans 代替 Calibri 時的量測")
def test_a_plan_s_pages_break_as_the_printed_books_break_theirs(example_plans):
    """What the printed books do where a plan runs over pages (session 32 left both open):

    - One type size for every page of the 明細表, pages filled in order, a plan's last page holding what is left:
      the seed prints 一般行政—行政管理 on 3 pages (第09頁至第11頁) at one size, its last page 11 rows, and
      數位發展計畫's last page (第18頁) 5 rows; 臺北 116's 第50頁 one item alone, 臺中 115's 02004-25 two items;
      none prints a plan smaller to save its last page. So 明細表01 keeps its 3 pages at 94 % (a sheet prints at one
      scale: 92 % for 明細表01 would print this plan in smaller type than 明細表02, to save a page the seed prints),
      its last page opening at 2093 特別費 (its last item, 4085's, never alone: 2093's item goes over with it, and
      2093's heading with its item): 2093, its item, 4000, 4085, its item — 5 rows.
    - A continuation page opens on what comes next, with nothing added: the seed's 第18頁 opens on an item of
      2018 資訊服務費 (「年 1 48,885,000」; 2018 printed on 第17頁), 臺中's on items of 2051 and
      2054 (02004-16, -18); no book repeats the 用途別 heading or prints 「（續）」 on an item. 明細表01's second page opens on
      1055 保險's fourth item, 職員公保費 687,432, 1055 printed once, on the page before."""
    pdf, sheets = example_plans
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")[:3]  # 明細表01's
    assert len(sheets[0].row_breaks.brk) + 1 == 3
    first, second, last = (_rows_below_plan_line(page) for page in pages)
    assert first[0].startswith("合計") and first[-1].split()[:3] == ["年", "1", "264,924"]
    assert second[0].split() == ["年", "1", "687,432", "687,432", "職員公保費(詳人事費彙計表)。"]
    assert [row.split()[0] for row in last] == ["2093", "月", "4000", "4085", "人"]
    assert last[1].split()[:4] == ["月", "12", "11,900", "142,800"]
    assert text.count("1055 保險") == 1
    assert "續" not in text
