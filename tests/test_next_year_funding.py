"""next-year rolls 分年資金需求 forward a year (issue 14 leftover 3).

臺北市政府工務局新建工程處 116 prints 繼續性／新興計畫分年資金需求表 (../shared/reference-books/taipei-newworks-116.txt,
07-152-92…94) with 全程計畫總金額, 以前年度預算數, then 116年度 (本年度), 117, 118, 119, 120 and 121年度以後. The 117
book's table is the same projects one year on: 以前年度預算數 = 以前年度 + this year's 本年度 (what has now been
budgeted), each later year moves one column left (117 becomes 本年度), 全程計畫總金額 stays, a project budgeted this
year for the first time (新興) is 繼續性 next year, and a project with nothing left after this year is finished and
drops off. The 121年度以後 column holds 121 and later; next year 121 is a year column of its own (第5年度) and
以後年度 is 122 and later, a split this book cannot know: the amount stays under 以後年度 and the cell is named.

Expected rows are worked out by hand from the book's figures below.
"""

import openpyxl
import pytest

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.example import TAIPEI, example_workbook
from xlbudget.app.nextyear import next_year
from xlbudget.app.pipeline import next_year_file
from xlbudget.forms.inputs import FUNDING_AMOUNTS
from xlbudget.readers.grid import Grid
from xlbudget.readers.inputs import read_book

HEADER = ["類別", "工作計畫編號", "分支計畫", "計畫項目", *FUNDING_AMOUNTS, "備註"]


def _next(wb):
    grids = input_grids(wb, "臺北")
    book, findings = read_book(grids, "臺北")
    assert findings == []
    return next_year(book, grids)


def _rows(plan):
    header, *rows = plan.sheets["分年資金需求"]
    return [dict(zip(header, row)) for row in rows]


@pytest.fixture(scope="module")
def rolled():
    return _rows(_next(example_workbook(TAIPEI)))


def _project(rows, name):
    found = [r for r in rows if r["計畫項目"] == name]
    assert len(found) <= 1
    return found[0] if found else None


def _amounts(row):
    return [row.get(k) for k in FUNDING_AMOUNTS]


def test_a_continuing_project_moves_one_year(rolled):
    """和興路44巷跨景美溪人行景觀橋工程 (07-152-93): 197,328,439 | 以前年度 19,138,000 | 116 40,000,000 | 117 57,414,000 |
    118 80,776,439. In 117: 以前年度 19,138,000 + 40,000,000 = 59,138,000, 本年度 57,414,000, 第2年度 80,776,439;
    59,138,000 + 57,414,000 + 80,776,439 = 197,328,439."""
    row = _project(rolled, "和興路44巷跨景美溪人行景觀橋工程")
    assert row["類別"] == "繼續性"
    assert _amounts(row) == [197_328_439, 59_138_000, 57_414_000, 80_776_439, None, None, None, None]


def test_every_later_year_moves_left(rolled):
    """洲美快速道路於大業路設置入口匝道委託規劃設計技術服務 (07-152-92): 55,000,000 | 5,000,000 | 24,750,000 |
    16,500,000 | 1,000 | 8,749,000. In 117: 5,000,000 + 24,750,000 = 29,750,000, then 16,500,000 | 1,000 |
    8,749,000."""
    row = _project(rolled, "洲美快速道路於大業路設置入口匝道委託規劃設計技術服務")
    assert _amounts(row) == [55_000_000, 29_750_000, 16_500_000, 1_000, 8_749_000, None, None, None]


def test_a_new_project_is_continuing_next_year(rolled):
    """116年度人行道工程規劃設計 (新興, 07-152-94): 30,000,000 | - | 18,000,000 | 12,000,000. In 117 it is 繼續性:
    以前年度 18,000,000, 本年度 12,000,000."""
    row = _project(rolled, "116年度人行道工程規劃設計")
    assert row["類別"] == "繼續性"
    assert _amounts(row) == [30_000_000, 18_000_000, 12_000_000, None, None, None, None, None]


@pytest.mark.parametrize("name", [
    "115年度人行道工程規劃設計",  # 30,000,000 = 18,000,000 + 12,000,000 (07-152-92): finished in 116
    "本市橋梁改建先期規劃",  # 32,200,000 = 23,500,000 + 8,700,000, 「餘2,800,000元不再編列」
    "中興橋下環河南路引道拆除及拓寬工程",  # 136,950,000 = 68,475,000 + 68,475,000
])
def test_a_finished_project_drops_off(rolled, name):
    assert _project(rolled, name) is None


def test_every_row_still_adds_up_and_only_unfinished_ones_stay(rolled):
    """Each kept row: 以前年度 + the years = 全程計畫總金額 (moving columns keeps the sum); each kept row had money in a
    year after 本年度 in 116."""
    source = [r for r in (dict(zip(HEADER, row)) for row in
                          example_workbook(TAIPEI)["分年資金需求"].iter_rows(min_row=2, values_only=True))]
    later = [r["計畫項目"] for r in source if any(r[k] for k in FUNDING_AMOUNTS[3:])]
    assert [r["計畫項目"] for r in rolled] == later
    for row in rolled:
        assert sum(v or 0 for v in _amounts(row)[1:]) == row["全程計畫總金額"], row["計畫項目"]


def test_the_later_years_column_is_kept_and_its_cell_named(tmp_path):
    """A project with 10,000,000 in 121年度以後 (moved there from 118 for the test): in 117 it stays under 以後年度 (now
    122年度以後), 第5年度 (121) left empty, and the cell of the written book holding it is named so the officer splits
    it."""
    wb = example_workbook(TAIPEI)
    ws = wb["分年資金需求"]
    col = {c.value: c.column for c in ws[1]}
    r = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["計畫項目"]).value == "和興路44巷跨景美溪人行景觀橋工程")
    ws.cell(r, col["第3年度"]).value = 70_776_439
    ws.cell(r, col["以後年度"]).value = 10_000_000
    plan = _next(wb)
    row = _project(_rows(plan), "和興路44巷跨景美溪人行景觀橋工程")
    assert _amounts(row) == [197_328_439, 59_138_000, 57_414_000, 70_776_439, None, None, None, 10_000_000]
    source = tmp_path / "臺北.xlsx"
    wb.save(source)
    result = next_year_file(source, tmp_path / "117.xlsx")
    written = openpyxl.load_workbook(tmp_path / "117.xlsx")["分年資金需求"]
    (cell,) = [c for c in result.funding_splits]
    assert written[cell.cell].value == 10_000_000
    assert written.cell(written[cell.cell].row, col["計畫項目"]).value == "和興路44巷跨景美溪人行景觀橋工程"
    assert cell.sheet == "分年資金需求" and str(cell) in result.reminder


def test_the_file_says_what_was_rolled_and_checks_clean(tmp_path):
    """Through next-year on a file: the 117 book's 分年資金需求 reads back with no funding-years-mismatch, the
    reminder no longer asks to move its columns by hand, and it names the projects that dropped off."""
    from xlbudget.rules.funding import check_funding

    source = tmp_path / "臺北.xlsx"
    example_workbook(TAIPEI).save(source)
    result = next_year_file(source, tmp_path / "117.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "117.xlsx")
    book, findings = read_book(input_grids(wb, "117"), "117")
    assert book.agency.year == 117
    assert not [f for f in check_funding(book) if f.rule == "funding-years-mismatch"]
    assert "分年資金需求" not in (result.reminder or "").split("\n")[0]
    assert "115年度人行道工程規劃設計" in result.reminder


def test_a_funding_sheet_with_its_own_columns_keeps_them():
    """Only the amount columns move: an extra column the officer added stays with its row."""
    wb = example_workbook(TAIPEI)
    grids = input_grids(wb, "臺北")
    book, _ = read_book(grids, "臺北")
    funding = grids["分年資金需求"]
    rows = [list(r) + ["承辦"] if i else list(r) + ["承辦人"] for i, r in enumerate(funding.rows)]
    grids = {**grids, "分年資金需求": Grid("分年資金需求", rows)}
    header, *data = next_year(book, grids).sheets["分年資金需求"]
    assert header[-1] == "承辦人" and all(row[-1] == "承辦" for row in data)
