"""上年度 of a plan or 歲入 source new this year (no 以前年度 row), or of a 以前年度 row whose 上年度預算數 is blank
(field report 6 §1.2): printed 0 (「-」, as 新北 115 prints its new 32028309001 一般建築及設備: 770 | - | - | 770), so
比較 = 本年度 − 上年度 on every row and the column adds up under the totals, which always took it as 0; a warning
names the plan, source or cell (prior-year-missing, prior-budget-empty).

The seed (高雄市政府資訊中心 113): 歲出機關別預算表 機關 275,795 | 144,399 | 188,162 | 131,396; 行政管理 43,769 | 41,366 |
37,879 | 2,403 (以前年度!C2 = 41,366); 歲入來源別預算表 合計 57,019 | 2,800 | 38,587 | 54,219.
"""

from __future__ import annotations

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.check import check_workbook
from xlbudget.app.example import example_workbook
from xlbudget.app.pipeline import build_workbook
from xlbudget.core.findings import Severity
from xlbudget.derive.budgets import derive_agency_budget, derive_revenue_sources
from xlbudget.forms.inputs import INPUT_SHEETS
from xlbudget.readers.inputs import read_book
from xlbudget.rules.checks import check_book

NEW_PLAN = ["32020184101", "智慧城市推動-智慧城市推動", "01智慧城市", "2051", "式", 1, 1_000_000, 1_000_000, 0,
            "經常", None, "智慧城市推動物品。"]
NEW_SOURCE = ["12010180101", "規費收入-行政規費收入", "09其他收入", "005高雄市政府資訊中心", "01規費收入",
              "01行政規費收入", "年", 1, 50_000, 50_000, "否", "審查費。"]
FIGURES = ("本年度預算數", "上年度預算數", "前年度決算數", "本年度與上年度比較")


def _book(edit):
    wb = example_workbook()
    edit(wb)
    book, reading = read_book(input_grids(wb, "book.xlsx"), "book.xlsx")
    return wb, book, reading


def _row(table, code):
    return tuple(table.value(code, key) for key in FIGURES)


def _found(book, reading, rule):
    return [(f.severity, f.cell.sheet, f.cell.cell, f.expected, f.actual) for f in reading + check_book(book)
            if f.rule == rule]


def _printed_errors(wb, book):
    """The built tables checked as a hand-made book (input sheets deleted), as a 主計處 checks the book it is sent."""
    build_workbook(wb, book)
    for name in list(INPUT_SHEETS) + ["說明", "代碼表"]:
        if name in wb.sheetnames:
            del wb[name]
    report = check_workbook(wb, file="printed.xlsx")
    assert report.kind == "printed"
    return [(f.rule, str(f.cell)) for f in report.findings if f.severity == Severity.ERROR]


def test_the_seed_says_nothing():
    _, book, reading = _book(lambda wb: None)
    assert _found(book, reading, "prior-year-missing") == [] and _found(book, reading, "prior-budget-empty") == []


def test_a_plan_new_this_year_prints_last_year_0_and_its_comparison():
    """32020184101 (1,000,000 元, no 以前年度 row): 1,000 | 0 | 0 | 1,000; the 機關 row 276,795 | 144,399 | 188,162 |
    132,396 (131,396 + 1,000), the sum of its plans' 比較 (2,403 + 128,993 + 1,000)."""
    wb, book, reading = _book(lambda wb: wb["歲出明細"].append(NEW_PLAN))
    table = derive_agency_budget(book)
    assert _row(table, "32020184101") == (1_000, 0, 0, 1_000)
    assert _row(table, "32020184100") == (1_000, 0, 0, 1_000)
    assert _row(table, "00020180000") == (276_795, 144_399, 188_162, 132_396)
    assert _row(table, "32020180101") == (43_769, 41_366, 37_879, 2_403)
    row = wb["歲出明細"].max_row
    assert _found(book, reading, "prior-year-missing") == [(Severity.WARNING, "歲出明細", f"A{row}", None, None)]
    assert _printed_errors(wb, book) == []


def test_new_plans_are_named_in_line_order_each_at_its_first_line():
    """Two plans new this year typed after the seed's lines, the later code first (32020185101, then 32020184101, then
    a second 32020185101 line): prior-year-missing and plan-note-missing (neither has a 說明提要 row) name them in
    the order the lines are typed, each at its plan's first line, never in code order nor at a later line."""
    later = ["32020185101", "智慧城市推動-數位治理"] + NEW_PLAN[2:]

    def edit(wb):
        for line in (later, NEW_PLAN, later):
            wb["歲出明細"].append(line)

    wb, book, reading = _book(edit)
    first = wb["歲出明細"].max_row - 2  # the first of the three lines added
    expected = [(Severity.WARNING, "歲出明細", f"A{first}", None, None),
                (Severity.WARNING, "歲出明細", f"A{first + 1}", None, None)]
    assert _found(book, reading, "prior-year-missing") == expected
    assert _found(book, reading, "plan-note-missing") == expected


def test_a_revenue_source_new_this_year_prints_last_year_0_and_its_comparison():
    """12010180101 (50,000 元, no 以前年度 row): its four rows 50 | 0 | 0 | 50; 合計 57,069 | 2,800 | 38,587 | 54,269."""
    wb, book, reading = _book(lambda wb: wb["歲入明細"].append(NEW_SOURCE))
    table = derive_revenue_sources(book)
    for code in ("12000000000", "12010180000", "12010180100", "12010180101"):
        assert _row(table, code) == (50, 0, 0, 50), code
    assert _row(table, table.rows[0].code) == (57_069, 2_800, 38_587, 54_269)
    assert _found(book, reading, "prior-year-missing") == [(Severity.WARNING, "歲入明細", "A3", None, None)]
    assert _printed_errors(wb, book) == []


def test_a_blank_last_year_budget_prints_0_and_is_named():
    """以前年度!C2 (行政管理's 上年度預算數) blank: 43,769 | 0 | 37,879 | 43,769; 機關 275,795 | 103,033 (144,399 −
    41,366) | 188,162 | 172,762, the sum of 43,769 and 128,993."""
    def edit(wb):
        wb["以前年度"]["C2"] = None

    wb, book, reading = _book(edit)
    table = derive_agency_budget(book)
    assert _row(table, "32020180101") == (43_769, 0, 37_879, 43_769)
    assert _row(table, "00020180000") == (275_795, 103_033, 188_162, 172_762)
    assert _found(book, reading, "prior-budget-empty") == [(Severity.WARNING, "以前年度", "C2", None, None)]
    # the printed book then says two things: 行政管理's 說明 (J10) lists its items' 增減, 2,403 + 0 (與上年度同), and its
    # 比較 prints 43,769 − 0 = 43,769: the 說明 is held to the 比較 printed beside it (printed-note-mismatch)
    assert [f for f in _printed_errors(wb, book) if "總說明" not in f[1]] == [
        ("printed-note-mismatch", "printed.xlsx:歲出機關別預算表!J10")]


def test_a_plan_whose_program_alone_has_a_line_is_not_called_new():
    """以前年度 holds 32020183200 (the 業務計畫) instead of 32020183201: it stands for its plans together, their own
    上年度 unknown (blank), and no prior-year-missing for 32020183201."""
    def edit(wb):
        wb["以前年度"]["A3"] = "32020183200"

    wb, book, reading = _book(edit)
    table = derive_agency_budget(book)
    assert _row(table, "32020183200") == (232_026, 103_033, 150_283, 128_993)
    assert table.value("32020183201", "上年度預算數") is None
    assert _found(book, reading, "prior-year-missing") == []


def test_a_blank_last_year_headcount_prints_0_and_is_named(tmp_path, capsys):
    """員額!D3 (職員's 上年度預算員額, 36 in the seed) blank: 職員 38 | 36 | 0 | 36, printed (a blank 比較 before,
    under a 合計 that took it as 0); 合計 42 | 39 | 3 (技工 1 + 工友 2) | 36. staffing-prior-empty names 員額!D3 (a
    warning: build exits 0), as prior-budget-empty names a blank 以前年度 上年度預算數."""
    from openpyxl import load_workbook

    from xlbudget.adapters.xlsxfile import save_atomic
    from xlbudget.cli import main
    from xlbudget.derive.personnel import derive_staffing

    def edit(wb):
        wb["員額"]["D3"] = None

    wb, book, reading = _book(edit)
    columns = ("法定編制員額", "本年度預算員額", "上年度預算員額", "與上年度預算員額比較增減")
    table = derive_staffing(book)
    assert tuple(table.value("職員", c) for c in columns) == (38, 36, 0, 36)
    assert tuple(table.value("合計", c) for c in columns) == (42, 39, 3, 36)
    assert tuple(table.value("工友", c) for c in columns) == (2, 2, 2, 0)
    assert _found(book, reading, "staffing-prior-empty") == [(Severity.WARNING, "員額", "D3", None, None)]
    # built: the printed row, and build's own list names the cell
    path = save_atomic(wb, tmp_path / "book.xlsx")
    assert main(["build", str(path), "-o", str(tmp_path / "out.xlsx")]) == 0
    printed = [r for r in load_workbook(tmp_path / "out.xlsx")["員額編制表"].iter_rows(values_only=True)
               if r[0] in ("合計", "職員")]
    assert [r[:5] for r in printed] == [("合計", 42, 39, 3, 36), ("職員", 38, 36, 0, 36)]
    assert [line.split(" ")[1] for line in capsys.readouterr().out.splitlines()
            if "staffing-prior-empty" in line] == ["book.xlsx:員額!D3"]
    # the seed says nothing
    _, book, reading = _book(lambda wb: None)
    assert _found(book, reading, "staffing-prior-empty") == []


def test_a_blank_this_year_headcount_prints_0_and_is_named(tmp_path, capsys):
    """員額!C3 (職員's 本年度預算員額, 36 in the seed) blank: the 合計 took it as 0 (42 | 3 | 39 | −36: 技工 1 + 工友 2
    this year, 36 + 1 + 2 last year) while 職員 printed 38 | blank | 36 | blank, and nothing was said, though
    人事費彙計表 holds 36 職員 (人事費!B2, the book). Now 職員 prints 38 | 0 | 36 | −36 (0 − 36 by hand), warned at 員額!C3
    (staffing-current-empty), and 人事費's 36 is held to that 0: headcount-mismatch at 人事費!B2, an error, so build
    exits 1."""
    from openpyxl import load_workbook

    from xlbudget.adapters.xlsxfile import save_atomic
    from xlbudget.cli import main
    from xlbudget.derive.personnel import derive_staffing

    def edit(wb):
        wb["員額"]["C3"] = None

    wb, book, reading = _book(edit)
    columns = ("法定編制員額", "本年度預算員額", "上年度預算員額", "與上年度預算員額比較增減")
    table = derive_staffing(book)
    assert tuple(table.value("職員", c) for c in columns) == (38, 0, 36, -36)
    assert tuple(table.value("合計", c) for c in columns) == (42, 3, 39, -36)
    assert _found(book, reading, "staffing-current-empty") == [(Severity.WARNING, "員額", "C3", None, None)]
    assert [(f.cell.sheet, f.cell.cell, f.expected, f.actual)
            for f in check_book(book, []) if f.rule == "headcount-mismatch"] == [("人事費", "B2", 0, 36)]
    path = save_atomic(wb, tmp_path / "book.xlsx")
    assert main(["build", str(path), "-o", str(tmp_path / "out.xlsx")]) == 1
    printed = [r for r in load_workbook(tmp_path / "out.xlsx")["員額編制表"].iter_rows(values_only=True)
               if r[0] in ("合計", "職員")]
    assert [r[:5] for r in printed] == [("合計", 42, 3, 39, -36), ("職員", 38, 0, 36, -36)]
    assert [line.split(" ")[1] for line in capsys.readouterr().out.splitlines()
            if "staffing-current-empty" in line] == ["book.xlsx:員額!C3"]
    _, book, reading = _book(lambda wb: None)
    assert _found(book, reading, "staffing-current-empty") == []
