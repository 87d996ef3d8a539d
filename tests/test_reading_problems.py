"""Every problem of reading the input sheets is a finding: a rule id of the catalogue and the cell (issue 12).

Each case breaks one cell of the seed's example book and asserts the rule id and cell, never the wording.
"""

from decimal import Decimal

import pytest

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.example import example_workbook
from xlbudget.core.errors import InputError
from xlbudget.core.findings import RULES
from xlbudget.readers.inputs import read_book


def _problems(edit):
    wb = example_workbook()
    edit(wb)
    with pytest.raises(InputError) as err:
        read_book(input_grids(wb))
    return [(f.rule, str(f.cell) if f.cell else None) for f in err.value.findings]


def _agency_cell(wb, key):
    row = next(r for r in range(1, wb["基本資料"].max_row + 1) if wb["基本資料"].cell(r, 1).value == key)
    return f"B{row}"


def test_year_not_a_minguo_year():
    def edit(wb):
        wb["基本資料"][_agency_cell(wb, "年度")] = "2024年"  # 2024 is a western year: 民國 113

    assert _problems(edit) == [("bad-year", f"基本資料!{_agency_cell(example_workbook(), '年度')}")]


def test_unknown_function():
    def edit(wb):
        wb["基本資料"][_agency_cell(wb, "職能別")] = "99"

    assert _problems(edit) == [("unknown-function", f"基本資料!{_agency_cell(example_workbook(), '職能別')}")]


def test_contract_kind_not_a_choice():
    assert _problems(lambda wb: wb["約聘僱"].cell(2, 2, "臨時")) == [("not-a-choice", "約聘僱!B2")]


def test_basis_not_a_choice():
    assert _problems(lambda wb: wb["歲出明細"].cell(2, 10, "經費")) == [("not-a-choice", "歲出明細!J2")]


def test_trip_of_no_plan():
    def edit(wb):
        wb["出國計畫"].cell(2, 12, "不存在的計畫")  # 歸屬預算科目
        wb["出國計畫"].cell(2, 13).value = None  # 工作計畫編號

    assert _problems(edit) == [("trip-plan-unknown", "出國計畫!L2")]


def test_two_sheets_that_are_one_input_sheet():
    wb = example_workbook()
    grids = input_grids(wb)
    grids["歲出明細 "] = grids["歲出明細"]  # 「歲出明細 」 differs only by a space
    with pytest.raises(InputError) as err:
        read_book(grids)
    assert [(f.rule, f.cell) for f in err.value.findings] == [("duplicate-input-sheet", None)]


def test_every_rule_a_reader_raises_is_in_the_catalogue():
    """The reading rule ids of issue 12 exist, each with a template (a typo in an id would raise KeyError at read)."""
    for rule in ("not-a-choice", "not-a-decimal", "unknown-plan", "trip-plan-unknown", "analysis-code-conflict",
                 "bad-year", "unknown-function", "duplicate-input-sheet"):
        assert RULES[rule].template


def _read_saved(tmp_path, edit):
    """The example with 歲出明細 row 2 edited, saved and read as convert reads it (python-calamine):
    (line of row 2 or None, problems, findings), each finding as (rule, cell)."""
    from xlbudget.adapters.fastread import read_grids

    wb = example_workbook()
    edit(wb["歲出明細"])
    wb.save(tmp_path / "b.xlsx")
    try:
        book, findings = read_book(read_grids(tmp_path / "b.xlsx"))
    except InputError as err:
        return None, [(f.rule, str(f.cell).split("!")[1]) for f in err.findings], []
    line = next(i for i in book.expenses if i.cells["預算數"].cell == "H2")
    return line, [], [(f.rule, str(f.cell).split("!")[1]) for f in findings if f.cell and f.cell.sheet == "歲出明細"]


@pytest.mark.parametrize("cells, expected", [
    # (數量 F, 單價 G, 預算數 H, 收支併列數 I) as typed → (數量 as kept, 單價, 預算數) or the problems, hand-read
    ((2, 12.5, 25, 0), (2, Decimal("12.5"), 25)),  # a float 單價 with 角 is read exactly, never cut to 12
    ((2, 100, "abc", 0), [("not-a-number", "H2")]),
    ((True, 100, 100, 0), [("not-a-number", "F2")]),  # a TRUE is not 1
    ((3, -100, -300, 0), [("negative-amount", "G2"), ("negative-amount", "H2")]),
    ((2, 100, "=F2*G2", 0), [("formula-without-value", "H2")]),  # saved by openpyxl: no cached value
    (("３", 100, 300, 0), ("３", 100, 300)),  # full-width 數量 kept as typed, read as 3
    ((12, 100, "1,200", 0), (12, 100, 1200)),
    ((12, "１００", 1200, 0), (12, 100, 1200)),
    ((10, 100, 1000.0000000002, 0), (10, 100, 1000)),  # Excel noise
    ((3, 100, None, 0), (3, 100, 300)),  # an empty 預算數 is 數量 × 單價
    ((3, 100, "", None), (3, 100, 300)),
    ((" ", None, 500, " "), (None, None, 500)),
])
def test_amount_cells_of_every_kind(tmp_path, cells, expected):
    """Whatever shortcut reads the plain cells, every unusual cell still gets its rule at its cell."""
    def edit(ws):
        for column, value in zip("FGHI", cells):
            ws[f"{column}2"] = value

    line, problems, _ = _read_saved(tmp_path, edit)
    if isinstance(expected, list):
        assert problems == expected
    else:
        assert (line.quantity, line.unit_price, line.amount) == expected


@pytest.mark.parametrize("cells, expected", [
    (("32020180101", 1, 25356370, 25356371, 0), [("item-product-mismatch", "H2")]),
    (("32020180101", 1, 25356370, 25356370, 25356371), [("matched-exceeds-amount", "I2")]),
    (("３２０２０１８０１０１", 1, 25356370, 25356370, 0), []),  # full-width code: the same plan
    ((32020180101, 1, 25356370, 25356370, 0), []),  # typed as a number
])
def test_line_findings_at_their_cells(tmp_path, cells, expected):
    def edit(ws):
        for column, value in zip("AFGHI", cells):
            ws[f"{column}2"] = value

    line, problems, findings = _read_saved(tmp_path, edit)
    assert (problems, findings, line.plan_code) == ([], expected, "32020180101")


@pytest.mark.parametrize("code, expected", [
    ("32020180101", False), (" 32020180101", False), ("3202018010", True), ("3202018010a", True),
    ("32020180101.0", True), ("3202-0180101", False), ("３２０２０１８０１０１", False)])
def test_plan_code_cells(tmp_path, code, expected):
    line, problems, _ = _read_saved(tmp_path, lambda ws: ws.cell(2, 1, code))
    assert (problems, line and line.plan_code) == (([("bad-code", "A2")], None) if expected else ([], "32020180101"))


def test_integers_of_named_columns_are_read_by_one_method():
    """SheetReader.integers: the non-empty whole numbers of the named columns of a row, in the names' order (人事費,
    人事費分析, 公務車輛, 分年資金需求); empty ones left out; one not a number is not-a-number at its cell."""
    from xlbudget.readers.grid import Grid, SheetReader

    header = ["類別", "預算員額", "法定編制人員待遇", "獎金", "其他給與", "加班費"]
    grid = Grid("人事費", [header, ["職員", 3, "1,200", None, "x", 0]])
    problems = []
    reader = SheetReader(grid, tuple(header), ("類別",), problems, key="類別")
    [(r, row)] = list(reader.data_rows())
    names = ["加班費", "法定編制人員待遇", "獎金", "其他給與"]
    values = reader.integers(r, row, names)
    assert values == {"加班費": 0, "法定編制人員待遇": 1200} and list(values) == ["加班費", "法定編制人員待遇"]
    assert [(p.rule, p.cell.sheet, p.cell.cell) for p in problems] == [("not-a-number", "人事費", "E2")]


def test_a_code_or_class_typed_alike_on_many_lines_is_named_on_each(tmp_path):
    """read_expenses reads a 用途別科目, 經資門 and 經濟性分類 typed alike on many lines once, when read without a word:
    one read with a finding is read again on every line, each finding at its own line's cell."""
    from xlbudget.adapters.fastread import read_grids

    wb = example_workbook()
    ws = wb["歲出明細"]
    for r in (2, 3, 4):  # rows 2-4: 1015, 1020, 1020, each 經常
        ws[f"D{r}"] = "1020 錯誤名稱"  # object-name-mismatch, a warning: the line is read
        ws[f"J{r}"] = "資本"  # 1020 is 經常 only: basis-not-allowed
        ws[f"K{r}"] = "不存在的分類"  # unknown-econ-class
    ws["D5"] = "1020"  # the same code typed plainly on the next line: read clean, no finding
    wb.save(tmp_path / "b.xlsx")
    _, findings = read_book(read_grids(tmp_path / "b.xlsx"))
    named = sorted((f.rule, f.cell.cell) for f in findings if f.cell and f.cell.sheet == "歲出明細")
    assert named == sorted([(rule, f"{column}{r}") for r in (2, 3, 4) for rule, column in
                            (("object-name-mismatch", "D"), ("basis-not-allowed", "J"), ("unknown-econ-class", "K"))])
