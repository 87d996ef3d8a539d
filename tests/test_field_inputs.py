"""The template's input sheets as the 2026-12-01 field test typed them: keyed rows typed twice, 以前年度 total rows
and code typos, two names for one plan, a comma in the wrong place. Each was silently picked, dropped or summed
twice; each is now a finding with its rule id and cell (naming both cells where two disagree), on every path.

Figures are the seed book's (高雄市政府資訊中心 113年度, xlbudget/data/example/): 以前年度 row 2 is 32020180101
一般行政-行政管理, 上年度預算數 41,366 千元; 歲出機關別預算表 上年度 合計 144,399 千元 (41,366 + 103,033).
"""

from __future__ import annotations

import json

import pytest

from xlbudget.cli import main
from xlbudget.app.example import example_workbook
from xlbudget.forms.inputs import SHEET_EXPENSES

from test_reading import addin_problems, column, example, problems, refused_everywhere


def _append(ws, values) -> int:
    """Append a row to ``ws`` and return its sheet row."""
    ws.append(values)
    return ws.max_row


# ------------------------------------------------------------ a key typed twice (field items 7 and 8)

def test_prior_year_row_typed_twice_names_both_cells(tmp_path, capsys):
    """以前年度 32020180101 typed again under the others (a corrected row pasted below): the tables took the last row
    (上年度 99,999) while the 總說明 check added both (277,050); now neither is read, both cells are named."""
    rows = {}

    def edit(wb):
        rows["new"] = _append(wb["以前年度"], ["32020180101", "一般行政-行政管理", 99999, 88888])

    book = example(tmp_path, edit)
    cell = f"以前年度!A{rows['new']}"
    assert problems(book) == {("duplicate-key", cell)}
    from xlbudget.adapters.books import load_book
    from xlbudget.core.errors import InputError
    with pytest.raises(InputError) as info:
        load_book(book)
    assert [str(c) for f in info.value.findings for c in f.related] == ["book.xlsx:以前年度!A2"]
    refused_everywhere(book, tmp_path, capsys, [cell, "以前年度!A2"])


def test_prior_year_row_typed_twice_alike_is_refused_too(tmp_path):
    """Two identical 以前年度 rows would still be summed twice where the lines are added up."""
    rows = {}

    def edit(wb):
        rows["new"] = _append(wb["以前年度"], ["32020180101", "一般行政-行政管理", 41366, 37879])

    assert problems(example(tmp_path, edit)) == {("duplicate-key", f"以前年度!A{rows['new']}")}


def test_plan_note_typed_twice_names_both_cells(tmp_path, capsys):
    """說明提要 32020180101 typed twice: the 明細表 printed one paragraph and dropped the other without a word."""
    rows = {}

    def edit(wb):
        rows["new"] = _append(wb["說明提要"], ["32020180101", "行政管理科", "本年度另辦理檔案數位化。"])

    book = example(tmp_path, edit)
    cell = f"說明提要!A{rows['new']}"
    assert problems(book) == {("duplicate-key", cell)}
    refused_everywhere(book, tmp_path, capsys, [cell, "說明提要!A2"], addin_too=False)


@pytest.mark.parametrize("key, value", [("年度", 114), ("機關名稱", "高雄市政府資訊中心（更正）"), ("機關編號", "02-019")])
def test_agency_key_typed_twice_names_both_cells(tmp_path, capsys, key, value):
    """基本資料 年度 typed again as 114: the book printed 中華民國114年度 with no finding; now both cells are named."""
    rows = {}

    def edit(wb):
        ws = wb["基本資料"]
        rows["first"] = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key)
        rows["new"] = _append(ws, [key, value])

    book = example(tmp_path, edit)
    cell = f"基本資料!A{rows['new']}"
    assert problems(book) == {("duplicate-key", cell)}
    refused_everywhere(book, tmp_path, capsys, [cell, f"基本資料!A{rows['first']}"], addin_too=key == "年度")


def test_agency_key_typed_twice_alike_is_harmless(tmp_path, capsys):
    """The same 基本資料 row twice says nothing new: nothing is picked, the book builds."""
    book = example(tmp_path, lambda wb: wb["基本資料"].append(["年度", 113]))
    capsys.readouterr()
    assert main(["export", str(book), "--format", "json"]) == 0


# ------------------------------------------------------------ 以前年度 total rows (field item 1)

@pytest.mark.parametrize("code, name, last, final", [
    ("00020180000", "高雄市政府資訊中心", 144399, 188162),  # the 機關 line of last year's 歲出機關別預算表
    ("00020000000", "高雄市政府主管", 144399, 188162),  # its 主管 line
    ("09000000000", "補助及協助收入", 2800, 38533),  # the 款 line of 歲入來源別預算表
    ("09020180000", "高雄市政府資訊中心", 2800, 38533),  # its 項 line
    ("09020180100", "上級政府補助收入", 2800, 38533),  # its 目 line
])
def test_prior_year_total_row_is_refused_at_its_cell(tmp_path, capsys, code, name, last, final):
    """A total row copied from last year's printed table into 以前年度 was printed as one more 業務計畫 (科目) and
    added into the totals again: 機關 上年度 288,798 instead of 144,399, 歲入 合計 5,600 instead of 2,800."""
    rows = {}

    def edit(wb):
        rows["new"] = _append(wb["以前年度"], [code, name, last, final])

    book = example(tmp_path, edit)
    cell = f"以前年度!A{rows['new']}"
    assert problems(book) == {("prior-year-total-row", cell)}
    refused_everywhere(book, tmp_path, capsys, [cell], addin_too=code == "00020180000")


def test_prior_year_program_and_revenue_lines_are_still_read(tmp_path, capsys):
    """A 業務計畫 line (no 工作計畫 lines of its own) and a 歲入 節 with no budget this year are lines, not totals:
    the 機關 上年度 is 144,399 − 41,366 (行政管理, replaced) + 41,000 (業務計畫 一般行政) = 144,033 千元."""
    def edit(wb):
        ws = wb["以前年度"]
        ws["A2"].value, ws["B2"].value, ws["C2"].value = "32020180100", "一般行政", 41000
        ws.append(["12020180210", "雜項收入-其他雜項收入", 5, 3, "08其他收入", "020高雄市政府資訊中心", "02雜項收入",
                   "10其他雜項收入"])

    book = example(tmp_path, edit)
    capsys.readouterr()
    assert main(["export", str(book), "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    last = {r["row_code"]: r["value"] for r in records
            if r["table"] == "歲出機關別預算表" and r["column"] == "上年度預算數"}
    assert last["00020180000"] == 144_033


# ------------------------------------------------------------ two names for one plan (field item 9)

def test_one_plan_typed_with_two_names_names_both_cells(tmp_path, capsys):
    """歲出明細 row 30 (plan 32020180101, rows 2–33) named with last year's 「一般行政-行政管理及資訊業務」: one name
    was printed and the other dropped with no finding (分支計畫 has branch-conflict for the same mistake)."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(30, column(ws, "工作計畫名稱")).value = "一般行政-行政管理及資訊業務"

    book = example(tmp_path, edit)
    assert problems(book) == {("plan-name-conflict", "歲出明細!B30")}
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!B30", "歲出明細!B2"])


@pytest.mark.parametrize("row", [30, 2])  # a later line of plan 32020180101 (rows 2–33), and its first
def test_a_blank_plan_name_is_missing_not_a_second_name(tmp_path, row):
    """工作計畫名稱 left blank on one line: it was also plan-name-conflict, 「名稱「」與 …B2 的「一般行政-行政管理」
    不同：預算表只會印出其中一個」, at the same cell; a blank names no plan. It is required-missing alone."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(row, column(ws, "工作計畫名稱")).value = None

    assert problems(example(tmp_path, edit)) == {("required-missing", f"歲出明細!B{row}")}


def test_one_program_typed_with_two_names_names_both_cells(tmp_path, capsys):
    """Row 27 (公務人員健康檢查) moved to a plan 32020180102 named 「行政支援-健康檢查」: 業務計畫 32020180100 was
    printed as 行政支援 although plan 32020180101 (row 2) calls it 一般行政."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(27, column(ws, "工作計畫編號")).value = "32020180102"
        ws.cell(27, column(ws, "工作計畫名稱")).value = "行政支援-健康檢查"

    book = example(tmp_path, edit)
    assert problems(book) == {("plan-name-conflict", "歲出明細!B27")}
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!B27", "歲出明細!B2"], addin_too=False)


def test_one_plan_name_under_two_codes_names_both_cells(tmp_path, capsys):
    """Field report 4 §1.2 (f34): row 24 (2051 物品 32,000 元, plan 32020180101, rows 2–33) typed 32020180111 with
    the name unchanged: 歲出機關別預算表 printed 行政管理 43,737 千元 and a second 行政管理 of 32, with no finding
    (one 分支計畫 name under two numbers is branch-conflict). Now refused at A24, the code with 1 line of 32."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(24, column(ws, "工作計畫編號")).value = "32020180111"

    book = example(tmp_path, edit)
    assert problems(book) == {("plan-code-conflict", "歲出明細!A24")}
    refused_everywhere(book, tmp_path, capsys, ["歲出明細!A24", "歲出明細!A2"])


def test_a_plan_code_typo_on_the_first_line_is_named_there():
    """The slip on row 2, the plan's first line: the finding is at A2 (1 line), naming A3 (the other 31)."""
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.core.errors import InputError
    from xlbudget.readers.inputs import read_book

    wb = example_workbook()
    ws = wb[SHEET_EXPENSES]
    ws.cell(2, column(ws, "工作計畫編號")).value = "32020180111"
    with pytest.raises(InputError) as err:
        read_book(input_grids(wb))
    assert [(f.rule, str(f.cell), tuple(map(str, f.related)), f.expected, f.actual) for f in err.value.findings] == [
        ("plan-code-conflict", "歲出明細!A2", ("歲出明細!A3",), "32020180101", "32020180111")]


def test_a_blank_plan_name_under_two_codes_is_no_plan_code_conflict():
    """A 工作計畫名稱 left blank on one line of each plan (row 3 of 32020180101, the last row of 32020183201) is
    required-missing there; a blank is no name, so the two plans are not one name under two codes (it said
    工作計畫「」…32020180101 的數字不計入 32020183201, sending the officer to retype 32 lines' codes)."""
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.core.errors import InputError
    from xlbudget.readers.inputs import read_book

    wb = example_workbook()
    ws = wb[SHEET_EXPENSES]
    ws.cell(3, column(ws, "工作計畫名稱")).value = None
    ws.cell(ws.max_row, column(ws, "工作計畫名稱")).value = None
    with pytest.raises(InputError) as err:
        read_book(input_grids(wb))
    rules = [f.rule for f in err.value.findings]
    assert "plan-code-conflict" not in rules and rules.count("required-missing") == 2


def test_one_plan_part_under_two_programs_is_two_plans():
    """「行政管理」 under two 業務計畫 (一般行政-行政管理 32020180101, rows 2–29, and 資訊業務-行政管理 32020180211,
    rows 30–33) are two names: read, no finding."""
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.readers.inputs import read_book

    wb = example_workbook()
    ws = wb[SHEET_EXPENSES]
    for r in range(30, 34):
        ws.cell(r, column(ws, "工作計畫編號")).value = "32020180211"
        ws.cell(r, column(ws, "工作計畫名稱")).value = "資訊業務-行政管理"
    book, _ = read_book(input_grids(wb))
    assert sum(i.plan_code == "32020180211" for i in book.expenses) == 4


def test_plan_names_alike_but_for_spaces_and_dashes_are_one_name(tmp_path, capsys):
    """「一般行政－行政管理」 and 「一般行政 - 行政管理」 are the one name 一般行政-行政管理: nothing to say."""
    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(30, column(ws, "工作計畫名稱")).value = "一般行政－行政管理"
        ws.cell(31, column(ws, "工作計畫名稱")).value = "一般行政 - 行政管理"

    book = example(tmp_path, edit)
    capsys.readouterr()
    assert main(["export", str(book), "--format", "json"]) == 0


# ------------------------------------------------------------ a 以前年度 code typo (field item 6)

def _typo(wb):
    wb["以前年度"]["A2"].value = "32020180111"  # for 32020180101 一般行政-行政管理 (上年度 41,366 千元)


def test_prior_year_code_typo_is_named_with_the_plan_it_likely_means(tmp_path, capsys):
    """32020180111 has no line in 歲出明細, while 32020180101 of the same name has no 以前年度 row: build printed a
    phantom 行政管理 (本年度 0, 上年度 41,366, 比較 −41,366) and the real one with 上年度 blank; check exit 0."""
    book = example(tmp_path, _typo)
    code, found = _check(book, capsys)
    warned = [f for f in found if f["rule"] == "prior-year-code-typo"]
    assert code == 0 and [(f["severity"], f["sheet"], f["cell"], f["expected"]) for f in warned] == [
        ("warning", "以前年度", "A2", "32020180101")]
    assert warned[0]["related"] == ["book.xlsx:歲出明細!A2"]
    capsys.readouterr()
    assert main(["build", str(book), "-o", str(tmp_path / "built.xlsx")]) == 0
    said = capsys.readouterr()
    assert "以前年度!A2 prior-year-code-typo" in said.out + said.err
    assert ("prior-year-code-typo", "以前年度!A2") in addin_problems(book)
    from xlbudget.app.convert import convert_paths
    _, results = convert_paths([str(book)], str(tmp_path / "conv"), jobs=1, stream=open("/dev/null", "w"))
    assert results[0].warnings == 1


def test_prior_year_line_of_a_plan_without_budget_is_not_a_typo(tmp_path, capsys):
    """A plan that only last year had (its own name) is a line, as 臺北 116 prints 接受中央補助支出 with 0."""
    def edit(wb):
        wb["以前年度"].append(["32020180102", "一般行政-檔案管理", 500, 480])

    _, found = _check(example(tmp_path, edit), capsys)  # (the 總說明's 上年度 sentences now disagree: errors)
    assert found and not [f for f in found if f["rule"] == "prior-year-code-typo"]


def _check(book, capsys):
    capsys.readouterr()
    code = main(["check", str(book), "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


# ------------------------------------------------------------ a comma in the wrong place (field item L9)

@pytest.mark.parametrize("text", ["1,2", "10,0000", "1,00000", "(1,2)", "1,2x12"])
def test_a_misplaced_comma_is_not_a_number(text):
    """「1,2」 was read as 12, 「10,0000」 as 100,000: a comma that groups no three digits is a typo."""
    from xlbudget.core.amounts import MisplacedComma, parse_int, parse_quantity
    with pytest.raises(MisplacedComma):
        (parse_quantity if "x" in text else parse_int)(text)


@pytest.mark.parametrize("text, value", [("1,234", 1234), ("1,234,567", 1_234_567), ("(1,234)", -1234),
                                         ("△1,234", -1234), ("１，２３４", 1234), ("1,234.0", 1234)])
def test_thousands_grouped_by_three_are_read(text, value):
    from xlbudget.core.amounts import parse_int
    assert parse_int(text) == value


@pytest.mark.parametrize("header, text", [("數量", "1,2"), ("預算數", "10,0000"), ("單價", "1,00000")])
def test_a_misplaced_comma_in_an_input_sheet_is_refused_at_its_cell(tmp_path, capsys, header, text):
    """歲出明細 row 21 (2009 通訊費, 1 × 100,000 = 100,000): 「1,2」 in 數量 with 單價 8,333 was read as 12 and
    printed 99,996 without a word."""
    letters = {}

    def edit(wb):
        ws = wb[SHEET_EXPENSES]
        ws.cell(21, column(ws, header)).value = text
        if header == "數量":
            ws.cell(21, column(ws, "單價")).value, ws.cell(21, column(ws, "預算數")).value = 8333, None
        letters["cell"] = f"歲出明細!{ws.cell(21, column(ws, header)).column_letter}21"

    book = example(tmp_path, edit)
    # with 預算數 left empty for 數量 × 單價, it cannot be derived either: named at H21 too
    assert problems(book) - {("required-missing", "歲出明細!H21")} == {("misplaced-comma", letters["cell"])}
    refused_everywhere(book, tmp_path, capsys, [letters["cell"]], addin_too=header == "數量")


def test_a_misplaced_comma_in_a_printed_book_is_not_read_as_a_figure(tmp_path, capsys):
    """A hand-made book's 資本支出分析表 合計 typed 「2,32,026」: never read as 232,026, an error at its cell."""
    from test_printed import _find, seed_printed_workbook
    from xlbudget.adapters.xlsxfile import save_atomic
    wb, _ = seed_printed_workbook()
    ws = wb["資本支出"]
    r = _find(ws, "合計")
    ws.cell(r, 2).value = "2,32,026"
    path = save_atomic(wb, tmp_path / "逗號.xlsx")
    capsys.readouterr()
    assert main(["check", str(path), "--format", "json"]) == 1
    records = json.loads(capsys.readouterr().out)
    assert [(r["rule"], r["severity"], r["sheet"], r["cell"]) for r in records if r["severity"] != "info"] == [
        ("misplaced-comma", "error", "資本支出", f"B{r}")]


def test_agency_prior_total_with_a_misplaced_comma_is_refused(tmp_path, capsys):
    """基本資料 前年度歲出預算數 (千元, for the 總說明's 執行率) typed 「19,0786」 was read as 190,786."""
    rows = {}

    def edit(wb):
        ws = wb["基本資料"]
        rows["r"] = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "前年度歲出預算數")
        ws.cell(rows["r"], 2).value = "19,0786"

    book = example(tmp_path, edit)
    assert problems(book) == {("misplaced-comma", f"基本資料!B{rows['r']}")}


# ------------------------------------------------------------ a 業務計畫 row beside its plans' rows

def test_prior_year_program_row_that_differs_from_its_plans_is_named(tmp_path, capsys):
    """以前年度 32020180100 一般行政 typed 50,000 beside its plan 32020180101 (41,366): the tables print the plan's
    41,366 for the 業務計畫 and took no notice of the 50,000; now a warning names both cells."""
    rows = {}

    def edit(wb):
        rows["r"] = _append(wb["以前年度"], ["32020180100", "一般行政", 50000, 37879])

    book = example(tmp_path, edit)
    code, found = _check(book, capsys)
    warned = [(f["severity"], f["cell"], f["expected"], f["actual"], f["related"]) for f in found
              if f["rule"] == "prior-year-program-differs"]
    assert warned == [("warning", f"C{rows['r']}", 41366, 50000, ["book.xlsx:以前年度!C2"])]
    assert ("prior-year-program-differs", f"以前年度!C{rows['r']}") in addin_problems(book)


def test_prior_year_program_row_equal_to_its_plans_says_nothing(tmp_path, capsys):
    book = example(tmp_path, lambda wb: wb["以前年度"].append(["32020180100", "一般行政", 41366, 37879]))
    code, found = _check(book, capsys)
    assert code == 0 and not [f for f in found if f["severity"] in ("error", "warning")]


def test_prior_year_program_only_row_counts_in_the_narrative_and_the_citywide_total(tmp_path):
    """A 業務計畫 keyed alone (32020180100, 41,000) where another 業務計畫 has plan rows (32020183201, 103,033): the
    tables add both (144,033 千元), and so now do the 總說明 figures and convert's 彙總 (they dropped 41,000)."""
    from xlbudget.adapters.books import load_book
    from xlbudget.app.convert import convert_paths
    from xlbudget.derive.narrative import book_figures

    def edit(wb):
        ws = wb["以前年度"]
        ws["A2"].value, ws["B2"].value, ws["C2"].value = "32020180100", "一般行政", 41000

    book = example(tmp_path, edit)
    assert book_figures(load_book(book).book)[("上年度", "歲出", "預算數")].value == 144_033
    _, results = convert_paths([str(book)], str(tmp_path / "conv"), jobs=1, stream=open("/dev/null", "w"))
    assert results[0].budget_line["上年度預算數"] == 144_033


def test_xlb_check_names_a_misplaced_comma_once_at_its_cell():
    """XLB_CHECK over a range whose lump-sum 預算數 is 「1,00」: misplaced-comma at D3, and no 「預算數空白」 beside it
    (the cell is not empty; it was named once as not a number)."""
    from xlwings_json import call_udf
    import xlbudget.addin as addin

    items = [["工作計畫編號", "工作計畫名稱", "用途別科目", "預算數"], ["32020180101", "一般行政-行政管理", 2018, 1000],
             ["32020180101", "一般行政-行政管理", 2018, "1,00"]]
    rows = call_udf(addin, "xlb_check", items)
    assert [(r[1], r[2]) for r in rows[1:]] == [("misplaced-comma", "D3")]


def test_a_misplaced_comma_typed_over_a_built_table_is_an_error_at_its_cell(tmp_path, capsys):
    """歲出機關別預算表 F8 (主管 本年度 275,795 千元) typed over as 「27,5795」 in a built book."""
    import openpyxl
    built = tmp_path / "built.xlsx"
    assert main(["build", str(example(tmp_path)), "-o", str(built)]) == 0
    wb = openpyxl.load_workbook(built)
    assert wb["歲出機關別預算表"]["F8"].value == 275795
    wb["歲出機關別預算表"]["F8"].value = "27,5795"
    wb.save(built)
    capsys.readouterr()
    assert main(["check", str(built), "--format", "json"]) == 1
    records = json.loads(capsys.readouterr().out)
    assert [(r["rule"], r["sheet"], r["cell"]) for r in records if r["severity"] != "info"] == [
        ("misplaced-comma", "歲出機關別預算表", "F8")]


# 數量 as officers type it (field report 4 §5.2, f33): the template refused 12月, 12個月, 1人×12月, 3x4月 and 12.0 while a
# printed 明細表 read 12月, 12個月 and 2人×6月. One reader now (amounts.read_quantity): each form's value by hand.
from xlbudget.adapters.xlsxfile import input_grids  # noqa: E402
from xlbudget.readers.inputs import read_book  # noqa: E402

QUANTITY_FORMS = [("12月", 12), ("12個月", 12), ("1人×12月", 12), ("2人×6月", 12), ("3x4月", 12), ("12.0", 12),
                  ("8×1.5", 12)]  # 8 × 1.5 = 12 exactly (新北 prints 年終工作獎金 so)


@pytest.mark.parametrize("typed,value", QUANTITY_FORMS)
def test_a_quantity_with_its_unit_words_is_read_alike_by_the_template_and_a_printed_book(tmp_path, typed, value):
    """Example row 32: 2093 特別費, 12 月 × 11,900 = 142,800 元. 數量 typed as officers write 12, 預算數 left empty:
    the line is 12 × 11,900 = 142,800 元 (so 一般行政 stays 43,769 千元); the printed reader reads the same 12."""
    from xlbudget.core.amounts import parse_printed_quantity, parse_quantity

    assert parse_quantity(typed) == parse_printed_quantity(typed) == value
    wb = example_workbook()
    wb["歲出明細"]["F32"] = typed
    wb["歲出明細"]["H32"] = None
    book, found = read_book(input_grids(wb, "f33"), "f33")
    line = next(i for i in book.expenses if i.cells["預算數"].cell == "H32")
    assert (line.amount, line.quantity) == (142_800, typed)
    assert sum(i.amount for i in book.expenses if i.plan_code == "32020180101") == 43_769_000


# 「1萬」 is 10,000, never 1 (萬 is no unit word like 月): with 單價 11,900 and 預算數 empty it made the line 11,900 元
# (not 119,000,000) with no finding
MAGNITUDES = ["1萬", "1萬份", "3千張", "2百", "5十", "1万"]


# a unit word holding a number or a joining word: 12個月又半 with 單價 11,900 and 預算數 empty made the line
# 12 × 11,900 = 142,800 元 with no finding (12.5 months are 148,750); 12月又五天, 1年又三月 (15 months), 2人兩月
# (4), 12個月餘 were each read as their first number. 12個月又15天 was refused already (its 15 is digits).
WORDED = ["12個月又半", "12個半月", "6個月半", "12月又五天", "1年又三月", "2人兩月", "12個月餘", "12個月多", "12個月又15天"]


@pytest.mark.parametrize("typed", ["6+6", "一年", "3x1.5", "12/1"] + MAGNITUDES + WORDED)
def test_a_quantity_that_is_no_whole_product_is_still_refused_at_its_cell(typed):
    from xlbudget.core.errors import InputError

    wb = example_workbook()
    wb["歲出明細"]["F32"] = typed
    wb["歲出明細"]["H32"] = None
    with pytest.raises(InputError) as refused:
        read_book(input_grids(wb, "f33"), "f33")
    assert ("not-a-number", "F32") in {(f.rule, f.cell.cell) for f in refused.value.findings}


@pytest.mark.parametrize("typed", MAGNITUDES + WORDED)
def test_a_printed_quantity_whose_unit_word_is_a_magnitude_is_refused(typed):
    """A printed 1萬份 is 10,000, never 1: refused (the product cannot be checked), not checked as 1 × 單價."""
    from xlbudget.core.amounts import NotANumber, parse_printed_quantity

    with pytest.raises(NotANumber):
        parse_printed_quantity(typed)


@pytest.mark.parametrize("typed, value", [("500加侖", 500), ("2桶×55加侖", 110), ("1,200加侖", 1_200)])
def test_a_unit_word_that_holds_a_joining_character_is_still_a_unit(typed, value):
    """加侖 (gallon) is a unit word, though 加 joins figures in 12個月加半: 4fc4652 refused 「500加侖」, which was 500
    before it (by hand: 2 × 55 = 110), on an input sheet (not-a-number: nothing built) and in a printed 明細表."""
    from xlbudget.core.amounts import parse_printed_quantity, parse_quantity

    assert parse_quantity(typed) == value and parse_printed_quantity(typed) == value
    wb = example_workbook()
    wb["歲出明細"]["F32"] = typed
    wb["歲出明細"]["H32"] = None
    book, _ = read_book(input_grids(wb, "f33"), "f33")
    line = next(i for i in book.expenses if i.cells["預算數"].cell == "H32")
    assert line.amount == value * 11_900


def test_a_product_of_unit_words_says_the_quantity_it_was_read_as():
    """2人×6月 with 預算數 142,801 typed: 12 × 11,900 = 142,800 ≠ 142,801, and the message says 2人×6月 is 12."""
    wb = example_workbook()
    wb["歲出明細"]["F32"] = "2人×6月"
    wb["歲出明細"]["H32"] = 142_801
    _, found = read_book(input_grids(wb, "f33"), "f33")
    mismatch = [f for f in found if f.rule == "item-product-mismatch"]
    assert [(f.cell.cell, f.expected, f.actual) for f in mismatch] == [("H32", 142_800, 142_801)]
    assert "數量 2人×6月（= 12） × 單價 11,900" in mismatch[0].message


# ------------------------------------------------------------ two names for one 歲入 科目

def test_one_revenue_code_typed_with_two_names_names_both_cells(tmp_path, capsys):
    """歲入明細 09020180102 上級政府補助收入-計畫型補助收入 (row 2, 57,019,000 元) and a second line of the same
    科目編號 typed 「上級政府補助收入-一般性補助收入」 (row 3, 1,000 元, its 款…節 left blank): 歲入來源別預算表
    printed 09020180102 計畫型補助收入 57,020 千元 and the second name nowhere, without a word. Now refused at B3,
    naming B2, as plan-name-conflict does for 歲出. Red before: load_book read the book (no InputError)."""
    rows = {}

    def edit(wb):
        ws = wb["歲入明細"]
        rows["new"] = _append(ws, ["09020180102", "上級政府補助收入-一般性補助收入", None, None, None, None,
                                   "年", 1, 1000, 1000, "否", "另一筆"])

    book = example(tmp_path, edit)
    assert rows["new"] == 3
    assert problems(book) == {("revenue-name-conflict", "歲入明細!B3")}
    refused_everywhere(book, tmp_path, capsys, ["歲入明細!B3", "歲入明細!B2"])


def test_one_revenue_code_typed_twice_alike_is_not_a_conflict(tmp_path):
    """The same 科目名稱 on two lines (spaces aside) is one 科目 of two lines, as the 明細表 prints it: no finding."""
    from xlbudget.adapters.books import load_book

    def edit(wb):
        _append(wb["歲入明細"], ["09020180102", " 上級政府補助收入-計畫型補助收入 ", None, None, None, None,
                                "年", 1, 1000, 1000, "否", "另一筆"])

    load_book(example(tmp_path, edit))  # raises InputError on a problem
