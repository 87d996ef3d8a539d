"""xlbudget pdf of a book with 40 工作計畫: 各項費用彙計表 prints across pages of a readable number of plan columns.

Field report 4 §4.1: the example plus plans of 6 lines each put the 彙計表's 42 columns on 2 landscape pages at 4.8 pt
of text against 12.2 pt on the 明細表 pages, its title block centred over all columns (printed at the far right of
page 1) and 「單位：新臺幣千元」 only on page 2. An officer expects pages of a few plan columns each, as 臺中市 prints
7 and 合計 on one page, each with its title, unit and row labels, and the 目次 range true. Every figure below is
worked out by hand in this file from the page set-up, not taken from the code.
"""

from __future__ import annotations

import html
import re
import subprocess
from collections import defaultdict

import pytest

from test_publish import _lines, assert_contents_true, needs_render, printed_pages
from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app.example import example_workbook
from xlbudget.cli import main

SOURCE = "32020183201"  # 數位發展計畫: its first 6 lines are copied into each new plan
NEW_PLANS = [f"3202018{k:02d}01" for k in range(42, 80)]  # 38 plans: 40 with the example's two
assert len(NEW_PLANS) == 38

# By hand. Columns: 科目 28 units wide, then 40 plan columns and 合計, 13 units each (derive_summary).
# A split page holds at most 140 units (forms.layout.PAGE_UNITS): 112 beside the labels, 8 columns of 13 (104).
# 41 columns in pages of at most 8: 6 pages (5 hold only 40), as even as can be: 7 7 7 7 7 6.
# The last page's 6 are 5 plans and 合計.
PLANS_A_PAGE = [7, 7, 7, 7, 7, 5]
# The widest page: 28 + 7 × 13 = 119 units of 7 pt (LibreOffice's DejaVu digit) = 833 pt, on a landscape A4 of
# 842 pt less 2 × 0.4 inch margins (57.6 pt) = 784.4 pt: printed at 784.4 / 833 = 94 %. The 明細表 is 119 units
# wide too (30 + 6 + 8 + 13 + 14 + 48), fitted to the same landscape page: 94 %. Its text and the 彙計表's print
# alike (the field tester measured 4.8 pt against 12.2).
SCALE_RATIO = 1.0


def forty_plan_workbook():
    """The example's inputs plus 38 工作計畫 of the first 6 lines of 數位發展計畫 each."""
    wb = example_workbook()
    for key, value in wb["基本資料"].iter_rows(min_row=2):
        if key.value == "頁碼格式":
            value.value = "02004 - N"
    ws = wb["歲出明細"]
    headers = [c.value for c in ws[1]]
    lines = [[c.value for c in row] for row in ws.iter_rows(min_row=2) if row[0].value == SOURCE][:6]
    for k, code in enumerate(NEW_PLANS, start=3):
        for line in lines:
            new = list(line)
            new[0], new[1] = code, f"數位發展計畫-第{k}號計畫"
            ws.append(new)
    yuan = sum(line[headers.index("預算數")] for line in lines)
    return wb, yuan


def _words(pdf) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words as pdftotext -bbox gives them: (xMin, yMin, xMax, yMax, text)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        pages.append([(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)])
    return pages


@pytest.fixture(scope="module")
def wide_rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdf-wide")
    wb, yuan = forty_plan_workbook()
    book = save_atomic(wb, tmp / "四十計畫.xlsx")
    code = main(["pdf", str(book), "-o", str(tmp / "四十計畫.pdf")])
    # the 封面 left out of both: page 0 the 目次
    return code, printed_pages(tmp / "四十計畫.pdf"), _words(tmp / "四十計畫.pdf")[1:], yuan


def _summary_pages(pages):
    return [n for n, page in enumerate(pages) if "各項費用彙計表" in _lines(page)]


@needs_render
def test_summary_prints_seven_plans_a_page_each_with_title_unit_and_row_labels(wide_rendered):
    code, pages, _, yuan = wide_rendered
    # written, exit 1: the example's 總說明 figures (275,795 千元 …) are not this book's (4 narrative-mismatch errors)
    assert code == 1
    ranges = assert_contents_true(pages)  # every page of the range prints the title; the ranges follow on
    first, last = ranges["各項費用彙計表"]
    assert _summary_pages(pages) == list(range(first, last + 1))  # pages[0] is the 目次: printed page N = pages[N]
    assert last - first + 1 == len(PLANS_A_PAGE)
    plan_codes = ["32020180101", SOURCE] + NEW_PLANS
    seen = []
    for n in range(first, last + 1):
        lines = _lines(pages[n])
        assert "單位：新臺幣千元" in "".join(lines), n
        assert any(line.startswith("100000人事費") for line in lines), n  # the row labels on every page
        assert any(line.startswith("工作計畫名稱及編號") for line in lines), n
        seen.append([c for c in plan_codes if c in "".join(lines)])
    assert [len(s) for s in seen] == PLANS_A_PAGE
    assert [c for s in seen for c in s] == plan_codes  # in order, each once
    # 合計 last, as the seed and the reference books print it: the book's total on the last page only.
    # By hand: the example's 275,795 千元 and 38 plans of the 6 lines' 元 total, rounded to 千元 half away from zero
    per_plan = (yuan + 500) // 1000
    assert per_plan == 47_092
    total = f"{275_795 + 38 * per_plan:,}"
    assert total == "2,065,291"
    assert [total in pages[n] for n in range(first, last + 1)] == [False] * 5 + [True]


@needs_render
def test_summary_text_is_as_high_as_the_detail_tables(wide_rendered):
    _, pages, words, _ = wide_rendered
    summary = _summary_pages(pages)
    detail = [n for n, page in enumerate(pages) if "歲出計畫說明提要與各項費用明細表" in _lines(page)]
    figure = re.compile(r"^\d{1,3}(,\d{3})+$")  # an amount (2,961): 10 pt on both tables, before the scale

    def heights(page_numbers):
        found = [y1 - y0 for n in page_numbers for x0, y0, x1, y1, t in words[n] if figure.match(t)]
        assert found
        return sum(found) / len(found)

    ratio = heights(summary) / heights(detail)
    assert SCALE_RATIO - 0.03 <= ratio <= SCALE_RATIO + 0.03  # was 4.8 / 12.2 = 0.39


@needs_render
def test_summary_title_block_is_centred_on_every_page(wide_rendered):
    _, pages, words, _ = wide_rendered
    for n in _summary_pages(pages):
        by_line = defaultdict(list)
        for x0, y0, x1, y1, t in words[n]:
            by_line[round(y0)].append((x0, x1, t))
        for title in ("高雄市政府資訊中心", "各項費用彙計表", "中華民國113年度"):
            boxes = [(x0, x1) for row in by_line.values() for x0, x1, t in row if t == title]
            assert boxes, (n, title)
            # landscape A4 is 842 pt wide; the table is centred on it. A title block centred over the page's own
            # columns only (the labels left of it) would stand 28 × 7 × 0.94 / 2 = 92 pt right of the middle;
            # one centred over all 42 columns stood at the far right of the first page.
            assert all(abs((x0 + x1) / 2 - 421) < 30 for x0, x1 in boxes), (n, title, boxes)
