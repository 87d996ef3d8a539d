"""Keys and codes as the 2026-12-01 field test (report 3) typed them: figures that went silently wrong.

Figures are the example book's (高雄市政府資訊中心 113年度, xlbudget/data/example/): plan 32020180101 一般行政-行政管理
has one 分支計畫 01行政業務 of 43,769,000 元 (歲出明細 rows 2–…, C2 「01行政業務」); 歲出機關別預算表 prints it as
43,769 千元.
"""

from __future__ import annotations

import pytest

from xlbudget.app.example import example_workbook
from xlbudget.forms.inputs import SHEET_EXPENSES

from test_reading import assert_example_figures, column, example, problems, refused_everywhere


def _related(book) -> dict[tuple[str, str], set[str]]:
    """(rule, cell) → the cells each input problem names besides its own, as load_book refuses the book."""
    from xlbudget.adapters.books import load_book
    from xlbudget.core.errors import InputError
    with pytest.raises(InputError) as info:
        load_book(book)
    return {(f.rule, f"{f.cell.sheet}!{f.cell.cell}"): {f"{c.sheet}!{c.cell}" for c in f.related}
            for f in info.value.findings}


# ------------------------------------------------------------ #6: 分支計畫 written three ways

_NUMBERINGS = ((3, "(一)行政業務"), (5, "一、行政業務"), (7, "1.行政業務"), (9, "（１）行政業務"), (11, "壹、行政業務"),
               (13, "１） 行政業務"))


def _numbered(wb):
    ws = wb[SHEET_EXPENSES]
    for r, typed in _NUMBERINGS:
        ws.cell(r, column(ws, "分支計畫")).value = typed


def test_branch_numbered_as_a_heading_is_the_same_branch(tmp_path):
    """「(一)行政業務」「一、行政業務」… beside 「01行政業務」 printed three branches (01行政業務 38,132,490 instead of
    43,769,000); read as 01 they are the one branch, on build, export, convert and the add-in."""
    book = example(tmp_path, _numbered)
    wb = example_workbook()
    _numbered(wb)
    assert_example_figures(book, tmp_path, wb)


@pytest.mark.parametrize("typed", ["(甲)行政業務", "A.行政業務", "一百、行政業務", "II.行政業務"])
def test_branch_numbering_that_is_no_number_is_refused_when_the_name_is_another_branch(tmp_path, capsys, typed):
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(3, column(ws, "分支計畫")).value = typed

    book = example(tmp_path, edit)
    assert _related(book) == {("branch-number-unreadable", "歲出明細!C3"): {"歲出明細!C2"}}
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!C3"])


def test_a_heading_number_never_merges_two_branches(tmp_path):
    """(二)行政業務 is 02 beside 01行政業務 (same name, two numbers); (一)資訊業務 is 01 beside 01行政業務 (one number,
    two names): both the branch-conflict the digit forms get, never one branch."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(3, column(ws, "分支計畫")).value = "(二)行政業務"
        ws.cell(5, column(ws, "分支計畫")).value = "(一)資訊業務"

    assert problems(example(tmp_path, edit)) == {("branch-conflict", "歲出明細!C3"), ("branch-conflict", "歲出明細!C5")}


# ------------------------------------------------------------ #3: a plan code not in 歲出明細, on 約聘僱 and 出國計畫

def _typed(sheet: str, header: str, value, row: int = 2):
    def edit(wb):
        ws = wb[sheet]
        ws.cell(row, column(ws, header)).value = value
    return edit


def test_contract_staff_keyed_to_no_plan_is_refused_like_every_keyed_sheet(tmp_path, capsys):
    """約聘僱 32020180111 (for 32020180101) printed a phantom plan with 2,670,000 in 約聘僱人員費用分析表 and 行政管理
    4,445,000 instead of 7,115,000 (2,670,000 + 3,230,000 + …), with no finding: now the unknown-plan of 人事費分析,
    公務車輛 and the others, at its cell."""
    book = example(tmp_path, _typed("約聘僱", "工作計畫編號", "32020180111"))
    assert problems(book) == {("unknown-plan", "約聘僱!A2")}
    refused_everywhere(book, tmp_path, capsys, ["約聘僱!A2"])


def test_contract_staff_of_another_plan_of_the_book_is_read(tmp_path, capsys):
    """A plan of 歲出明細 without 1020 lines is still a plan of the book (contract-total-mismatch judges the money)."""
    from xlbudget.adapters.books import load_book
    book = example(tmp_path, _typed("約聘僱", "工作計畫編號", "32020183201"))
    assert [g.plan_code for g in load_book(book).book.contract_staff][:1] == ["32020183201"]


def test_trip_keyed_to_no_plan_is_refused_at_its_code(tmp_path, capsys):
    """出國計畫 工作計畫編號 32020180111: only trips-vs-travel caught it, by the money; now unknown-plan at the cell."""
    from xlbudget.app.example import example_workbook as fresh
    ws = fresh()["出國計畫"]
    cell = f"出國計畫!{ws.cell(2, column(ws, '工作計畫編號')).coordinate}"
    book = example(tmp_path, _typed("出國計畫", "工作計畫編號", "32020180111"))
    assert problems(book) == {("unknown-plan", cell)}
    refused_everywhere(book, tmp_path, capsys, [cell])


def test_a_trips_typed_plan_is_its_plan_whatever_its_account_names(tmp_path):
    """出國計畫 row 2 typed 32020183201 (數位發展計畫) under 歸屬預算科目 「一般行政-行政管理」 (32020180101's name): the
    typed code is the trip's plan; the account only fills a plan left empty. Red when read_trips reads the plan from
    the account first."""
    from xlbudget.adapters.books import load_book
    book = example(tmp_path, _typed("出國計畫", "歸屬預算科目", "一般行政-行政管理"))
    assert [(t.plan_code, t.account) for t in load_book(book).book.trips] == [("32020183201", "一般行政-行政管理")]


# ------------------------------------------------------------ #15: a 說明提要 keyed to no plan of the book

def test_plan_note_keyed_to_no_plan_is_refused_naming_the_plan_it_means(tmp_path, capsys):
    """說明提要 32020180111 (for 32020180101): 行政管理's 說明提要 「一、計畫內容： 1.配合數位發展計畫辦理一般行政業務…」
    was printed nowhere, with no finding; now note-unknown-code at its cell, naming 32020180101 (one digit apart,
    the one plan left without a 說明提要)."""
    from xlbudget.adapters.books import load_book
    from xlbudget.core.errors import InputError

    book = example(tmp_path, _typed("說明提要", "編號", "32020180111"))
    with pytest.raises(InputError) as info:
        load_book(book)
    assert [(f.rule, f.cell.sheet, f.cell.cell, f.expected) for f in info.value.findings] == [
        ("note-unknown-code", "說明提要", "A2", "32020180101")]
    refused_everywhere(book, tmp_path, capsys, ["說明提要!A2"])


def test_plan_and_revenue_notes_of_the_book_are_read(tmp_path):
    """The example's three 說明提要 (two plans, one 歲入 科目 09020180102) are all codes of the book."""
    from xlbudget.adapters.books import load_book
    book = load_book(example(tmp_path)).book
    assert [n.plan_code for n in book.plan_notes] == ["32020180101", "32020183201"]
    assert [n.plan_code for n in book.revenue_notes] == ["09020180102"]


# ------------------------------------------------------------ #8: 機關編號 as Excel leaves it

def _agency_lines(book, tmp_path) -> list[str]:
    """The 主管 and 機關 line codes 歲出機關別預算表 prints (export)."""
    import json
    from xlbudget.cli import main
    out = tmp_path / "agency.json"
    assert main(["export", str(book), "--format", "json", "-o", str(out)]) == 0
    return sorted({r["row_code"] for r in json.loads(out.read_text(encoding="utf-8"))
                   if r["table"] == "歲出機關別預算表" and r["row_code"].startswith("00")})


def _agency_code(value):
    def edit(wb):
        ws = wb["基本資料"]
        for key, content in ws.iter_rows(min_row=2):
            if key.value == "機關編號":
                content.value = value
            elif key.value == "主管機關編號":  # the example types the seed's 0002000000: the 主管 line from 機關編號
                content.value = None
    return edit


def test_agency_code_excel_made_a_date_is_refused(tmp_path, capsys):
    """02-018 typed in a General cell is the date 2018/2/1: the tables printed the 機關 line 00201802010000 (14
    digits) and 主管 00200000000, with no finding."""
    import datetime
    book = example(tmp_path, _agency_code(datetime.datetime(2018, 2, 1)))
    assert problems(book) == {("agency-code-date", "基本資料!B3")}
    refused_everywhere(book, tmp_path, capsys, ["基本資料!B3"])


@pytest.mark.parametrize("typed", ["2-18", "2018", "02-0180", "甲-018"])
def test_agency_code_typed_without_five_digits_is_refused(tmp_path, typed):
    """2-18 printed the 機關 line 002180000 (9 digits); text keeps its digits as typed, never padded."""
    assert problems(example(tmp_path, _agency_code(typed))) == {("bad-code", "基本資料!B3")}


@pytest.mark.parametrize("typed", [2018, 2018.0, "02018", "０２－０１８"])
def test_agency_code_as_a_number_gets_its_zero_back(tmp_path, typed):
    """02018 that Excel kept as the number 2018 printed 主管 00200000000 and 機關 0020180000 (10 digits); like every
    code typed as a number it gets its leading zero back: 00020000000 and 00020180000, as 02-018 gives (README)."""
    assert _agency_lines(example(tmp_path, _agency_code(typed)), tmp_path) == ["00020000000", "00020180000"]


# ------------------------------------------------------------ #10: 員額 counts

@pytest.mark.parametrize("cell", ["B3", "C3", "D3"])
def test_negative_headcount_is_refused_at_its_cell(tmp_path, capsys, cell):
    """員額 職員 法定編制員額 −1: 員額編制表 printed 職員 −1 and 合計 3 (the example's 42 = 0+38+0+0+1+1+2), with no
    finding."""
    def edit(wb):
        wb["員額"][cell] = -1

    book = example(tmp_path, edit)
    assert problems(book) == {("negative-count", f"員額!{cell}")}
    refused_everywhere(book, tmp_path, capsys, [f"員額!{cell}"])


# leftovers 5: the other sheets' counts and amounts. Before, each −1 below was read without a word: 人事費 職員
# 預算員額 36 → −1 (B2), 獎金 5,386,310 → −1 (H2); 約聘僱 人數 3 (C2), 月數 12 (D2), 全年度預算數 2,670,000 (E2);
# 出國計畫 預計天數 10 (G2), 擬派人數 4 (H2), 交通費 160,000 (I2). Columns as the template lays them out.
@pytest.mark.parametrize("sheet,cell,rule", [
    ("人事費", "B2", "negative-count"), ("人事費", "H2", "negative-amount"),
    ("約聘僱", "C2", "negative-count"), ("約聘僱", "D2", "negative-count"), ("約聘僱", "E2", "negative-amount"),
    ("出國計畫", "G2", "negative-count"), ("出國計畫", "H2", "negative-count"), ("出國計畫", "I2", "negative-amount"),
])
def test_negative_counts_and_amounts_of_the_people_sheets_are_refused(tmp_path, capsys, sheet, cell, rule):
    def edit(wb):
        assert wb[sheet][cell].value > 0
        wb[sheet][cell] = -1

    book = example(tmp_path, edit)
    assert problems(book) == {(rule, f"{sheet}!{cell}")}
    if cell in ("B2", "E2"):  # once through every command and the add-in (each takes seconds)
        refused_everywhere(book, tmp_path, capsys, [f"{sheet}!{cell}"])


@pytest.mark.parametrize("header,rule", [("車輛數", "negative-count"), ("乘客人數", "negative-count"),
                                         ("油料數量", "negative-count"), ("牌照稅", "negative-amount"),
                                         ("保險費", "negative-amount")])
def test_negative_vehicle_figures_are_refused(header, rule):
    """臺中 115's first 公務車輛 row: 1 小客貨兩用車, 7 人, 1,668 公升, 牌照稅 11,230, 保險費 2,915 (p. 45)."""
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.core.errors import InputError
    from xlbudget.readers.inputs import read_book

    wb = example_workbook("example-taichung")
    ws = wb["公務車輛"]
    column = [c.value for c in ws[1]].index(header) + 1
    assert ws.cell(2, column).value in (1, 7, 1668, 11230, 2915)
    ws.cell(2, column).value = -1
    with pytest.raises(InputError) as refused:
        read_book(input_grids(wb))
    assert [(f.rule, str(f.cell)) for f in refused.value.findings] == [(rule, f"公務車輛!{ws.cell(2, column).coordinate}")]


def _check(book, capsys) -> set[tuple[str, str, str]]:
    from test_reading import check_json
    _, found = check_json(book, capsys)
    return {(f["rule"], f["severity"], f["cell"].split("!")[-1] if f.get("cell") else "") for f in found}


def test_more_budgeted_staff_than_the_establishment_is_a_warning(tmp_path, capsys):
    """職員 法定編制員額 38, 本年度預算員額 36 in the example: 法定編制 typed 35 leaves 36 > 35, named at C3."""
    def edit(wb):
        wb["員額"]["B3"] = 35

    found = _check(example(tmp_path, edit), capsys)
    assert ("staffing-over-establishment", "warning", "C3") in found
    assert not [f for f in _check(example(tmp_path, name="clean.xlsx"), capsys)
                if f[0] == "staffing-over-establishment"]


# ------------------------------------------------------------ #18: 工作計畫名稱 with spaces round the dash

def _spaced(wb):
    """Every line of 32020180101 typed 「一般行政 - 行政管理」; the 總說明 sentence on 一般行政 (4,376萬9千元: the
    example's 43,769 千元) made wrong (4,476萬9千元)."""
    ws = wb[SHEET_EXPENSES]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, column(ws, "工作計畫編號")).value == "32020180101":
            ws.cell(r, column(ws, "工作計畫名稱")).value = "一般行政 - 行政管理"
    n = wb["總說明"]
    for r in range(1, n.max_row + 1):
        v = n.cell(r, 1).value
        if isinstance(v, str) and "4,376萬9千元" in v:
            n.cell(r, 1).value = v.replace("4,376萬9千元", "4,476萬9千元")
            _spaced.row = r


def test_plan_name_with_spaces_round_the_dash_prints_and_checks_as_typed_without(tmp_path, capsys):
    """The tables printed 「一般行政 」 and 「 行政管理」, and the wrong 總說明 figure for 一般行政 was only
    narrative-unverified (info, exit 0): now the names are 一般行政 and 行政管理 and the sentence is narrative-mismatch."""
    import json
    from xlbudget.cli import main
    book = example(tmp_path, _spaced)
    out = tmp_path / "spaced.json"
    assert main(["export", str(book), "--format", "json", "-o", str(out)]) == 0
    names = {r["row_code"]: r["row_name"] for r in json.loads(out.read_text(encoding="utf-8"))
             if r["table"] == "歲出機關別預算表" and r["row_code"] in ("32020180100", "32020180101")}
    assert names == {"32020180100": "一般行政", "32020180101": "行政管理"}
    assert ("narrative-mismatch", "error", f"A{_spaced.row}") in _check(book, capsys)


def test_a_quantity_excel_made_a_date_says_so_as_the_agency_code_does(tmp_path, capsys):
    """Field report 4 (f04, f18): 數量 3/12 (3人 × 12月) typed in a General cell is Excel's date 2024-03-12; it was
    «「數量」應為整數，此處為「2024-03-12」» from the command line and «…「2024-03-12 00:00:00」» from the buttons. It is
    now number-is-date, with 機關編號's words (the typed 3/12 named), the same text from files and buttons."""
    import datetime
    from xlwings_json import book_json, run_script, sheet_order, sheet_values  # sets XLWINGS_ON_SERVER first
    import xlbudget.addin as addin

    def edit(wb):  # row 23: 2036 時 6 × 2,000 = 12,000 元
        ws = wb[SHEET_EXPENSES]
        ws.cell(23, column(ws, "數量")).value = datetime.datetime(2024, 3, 12)

    book = example(tmp_path, edit)
    assert problems(book) == {("number-is-date", "歲出明細!F23")}
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!F23"])
    said = "數量是日期（2024-03-12）：Excel 會把一般格式儲存格中的 3/12 之類數字改成日期"
    capsys.readouterr()
    from xlbudget.cli import main
    assert main(["check", str(book)]) == 2 and said in capsys.readouterr().err
    wb = example_workbook()
    edit(wb)
    payload = book_json(wb)
    actions = run_script(addin, "build_schedules", payload)
    status = "\n".join(str(r[0]) for r in sheet_values(actions, sheet_order(payload, actions).index("執行紀錄")))
    assert said in status and "00:00:00" not in status, status
