"""A total left blank by hand in a hand-made book (the 小計 line of a group, session 26's note) is an error at its own
cell, 應為 the sum of the rows it adds up, and no other check reads it as 0: the right total above it is not blamed
(«應為 0»), nor a right figure of another table (cross-table «應等於 0»), nor the plan line above a blank one in
公務車輛明細表 (whose vehicles it took in). A wholly blank 正式員額 line or 公務車輛 plan line was passed over.

The books: xlbudget's examples built and stripped of their input sheets (tests/built_books.handmade_workbook), one
or more cells emptied. Each 應為 is what the book prints in the rows below the blank (read off the built tables):
- 臺北 116 資本支出分析表 B10 58071529000 一般建築及設備: its one 工作計畫 58071529004 其他設備 prints 9,568 (B11);
  歲出一級用途別科目分析表 K15 (設備及投資): K16 9,568.
- 臺北 116 人事費彙計表 正式員額 (row 8): its one class 職員 (row 9) prints 預算員額 345, 法定編制人員待遇 248,024,640,
  獎金 52,927,475, 其他給與 2,921,600, 加班費 6,459,721, 退休離職儲金 23,736,660, 保險 21,627,408, 合計 355,697,504.
- 臺中 115 公務車輛明細表 row 12 (本年度新增車輛 一般行政 行政管理): its one vehicle (row 13) prints 牌照稅 7,120,
  燃料使用費 4,800, 油料費金額 35,340, 養護費 8,500, 車輛保險費 2,483.
- 高雄 113 (the seed) 資本支出分析表 B8 32020183200 數位發展計畫: B9 78,471.
"""

from __future__ import annotations

import pytest

from xlbudget.app.check import check_workbook
from xlbudget.core.findings import Severity

from built_books import handmade_workbook

CASES = [  # example, sheet, cells emptied, the errors expected: cell → 應為
    ("example-taipei", "資本支出分析表", ["B10"], {"B10": 9_568}),
    ("example-taipei", "歲出一級用途別科目分析表", ["K15"], {"K15": 9_568}),
    ("example-taipei", "人事費彙計表", ["B8", "E8", "H8", "I8", "J8", "L8", "M8", "N8"],
     {"B8": 345, "E8": 248_024_640, "H8": 52_927_475, "I8": 2_921_600, "J8": 6_459_721, "L8": 23_736_660,
      "M8": 21_627_408, "N8": 355_697_504}),
    ("example-taipei", "人事費彙計表", ["N8"], {"N8": 355_697_504}),
    ("example-taichung", "公務車輛明細表", ["G12", "H12", "K12", "L12", "M12"],
     {"G12": 7_120, "H12": 4_800, "K12": 35_340, "L12": 8_500, "M12": 2_483}),
    ("example", "資本支出分析表", ["B8"], {"B8": 78_471}),
]


@pytest.fixture(scope="module")
def books():
    made = {}

    def book(example):
        if example not in made:
            made[example] = handmade_workbook(example)
        return made[example]

    return book


def wrong(report):
    return {(f.rule, f.cell.sheet, f.cell.cell, f.expected, f.actual) for f in report.findings
            if f.severity in (Severity.ERROR, Severity.WARNING)}


@pytest.mark.parametrize("example, sheet, cells, expected", CASES,
                         ids=[f"{e}-{s}-{'-'.join(c)}" for e, s, c, _ in CASES])
def test_a_blank_total_is_an_error_at_its_cell_and_nothing_else_is_blamed(books, example, sheet, cells, expected):
    wb = books(example)
    ws = wb[sheet]
    kept = {c: ws[c].value for c in cells}
    try:
        assert wrong(check_workbook(wb)) == set()  # the book as built holds
        for c in cells:
            ws[c] = None
        assert wrong(check_workbook(wb)) == {("subtotal-mismatch", sheet, c, v, None) for c, v in expected.items()}
    finally:
        for c, v in kept.items():
            ws[c] = v


def test_a_blank_total_whose_rows_print_nothing_there_is_no_finding(books):
    """臺北 116 資本支出分析表 row 10 prints nothing under 土地 (C10), nor does its 工作計畫 (C11): nothing is missing."""
    wb = books("example-taipei")
    assert wb["資本支出分析表"]["C10"].value is None and wb["資本支出分析表"]["C11"].value is None
    assert wrong(check_workbook(wb)) == set()


# the first plan line's vehicles (rows 9 to 8 + n) as printed: 臺中 115 rows 9, 10 (牌照稅 11,230 + 7,120, 燃料使用費
# 6,180 + 4,800, 油料費金額 51,708 + 35,340, 養護費 51,000 + 8,500, 車輛保險費 2,915 + 2,483, 車輛檢驗費 750 + 0);
# 臺北 116 rows 9 to 12, four alike (11,230, 6,180, 42,714, 51,000, 9,000, 750 each)
FIRST_PLAN = {"example-taichung": {"G8": 18_350, "H8": 10_980, "K8": 87_048, "L8": 59_500, "M8": 5_398, "N8": 750},
              "example-taipei": {"G8": 44_920, "H8": 24_720, "K8": 170_856, "L8": 204_000, "M8": 36_000,
                                 "N8": 3_000}}


@pytest.mark.parametrize("example", ["example-taichung", "example-taipei"])
def test_a_blank_first_plan_line_of_the_vehicles_is_an_error_at_its_cells(books, example):
    """The first plan line of 公務車輛明細表 (row 8, under 現有車輛) left blank: each figure left out is an error at its
    own cell, 應為 the sum of its vehicles, as any other plan line left blank (row 12 above). It was read as a line
    of the header (A5:A6 merged closes the header's label cell above it), its vehicles said to be «under no plan
    line» at A9 (lines-without-plan: wrong cell, wrong finding; session 30's note)."""
    wb = books(example)
    ws = wb["公務車輛明細表"]
    kept = {f"{c}8": ws[f"{c}8"].value for c in "GHKLMN"}
    try:
        for cell in kept:
            ws[cell] = None
        assert wrong(check_workbook(wb)) == {("subtotal-mismatch", "公務車輛明細表", c, v, None)
                                             for c, v in FIRST_PLAN[example].items()}
    finally:
        for cell, v in kept.items():
            ws[cell] = v
