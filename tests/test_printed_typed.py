"""Hand-made printed books typed the ugly way: every variant reads as the seed's figures, or says it cannot.

Each test retypes one table of the seed copy (test_printed.seed_printed_workbook, the seed's printed figures
transcribed from ../shared/seed/000_9c62b59cf9023585.txt) the way officers do: code and name in columns of
their own (編號 | 名稱, or 名稱 | 編號), the code on one row and its name on the next (臺中, 新北), 科目 split
into 款/項/目/節/編號/名稱, header words spaced with no-break or ideographic spaces, codes typed as numbers
(leading zeros lost), figures as text with full-width digits and commas, 單位：新台幣仟元. The variant must
give the same rows and figures as the standard layout, a planted ×10 in its 合計 must be named at its cell,
and a table whose title is recognised but whose header is not must be a table-unreadable warning at the title.
"""

import json

import openpyxl
import pytest

from printed_forms import LEVEL1_SUB, capital_header, merge
from test_printed import (AGENCY, AGENCY_ROWS, CAPITAL_ROWS, FW, LEVEL1_ROWS, SUMMARY_ROWS, YEAR,
                          seed_printed_workbook)
from xlbudget.app.check import check_workbook
from xlbudget.cli import main
from xlbudget.core.errors import InputError
from xlbudget.core.findings import Severity
from xlbudget.readers.printed import find_tables, read_tables
from xlbudget.adapters.xlsxfile import save_atomic, workbook_sheets

NBSP, IDSP = "\u00a0", "\u3000"
FULL = str.maketrans("0123456789,", "０１２３４５６７８９，")
UNFULL = str.maketrans("０１２３４５６７８９，", "0123456789,")


def _lines(block: str) -> list[tuple[str, str, list[str]]]:
    """(indent, label, figures) of a tab-separated block of the seed copy (label 「　32020180100 一般行政」)."""
    out = []
    for line in block.split("\n"):
        label, *figures = line.split("\t")
        stripped = label.lstrip(FW)
        out.append((label[: len(label) - len(stripped)], stripped, figures))
    return out


def _split(label: str) -> tuple[str | None, str]:
    """「32020180100 一般行政」 → ("32020180100", "一般行政"); 「合　計」 → (None, "合　計")."""
    code, _, name = label.partition(" ")
    if code.isdigit():
        return code, name
    if label[:6].isdigit():  # 彙計表 prints 101500法定編制人員待遇 with no space
        return label[:6], label[6:]
    return None, label


def _int(text: str):
    return int(text.replace(",", "")) if text.strip() else None


def _new_sheet(wb, name: str):
    """Replace sheet ``name`` of the seed copy by an empty one at the same place."""
    index = wb.sheetnames.index(name)
    wb.remove(wb[name])
    return wb.create_sheet(name, index)


def _top(ws, title: str, unit_line: str, ncols: int) -> None:
    for text in (AGENCY, title, YEAR):
        ws.append([text])
    ws.append([None] * (ncols - 1) + [unit_line])


def _level1_two_row_header(ws, labels: list[str]) -> None:
    """歲出一級用途別科目分析表's header with ``labels`` (one or two label columns) in front."""
    n = len(labels)
    ws.append(labels + ["合計", "經常支出"] + [None] * 5 + ["資本支出"])
    ws.append([None] * (n + 1) + LEVEL1_SUB)
    top = ws.max_row - 1
    for c in range(1, n + 2):
        merge(ws, top, c, top + 1, c)
    merge(ws, top, n + 2, top, n + 7)
    merge(ws, top, n + 8, top, n + 13)


def level1_code_name_columns(wb):
    """一級用途別 as 編號 | 名稱 (two columns), header words spaced, codes typed as numbers or with a dash, 仟元
    printed at the right end of the title's row."""
    ws = _new_sheet(wb, "一級用途別")
    ws.append([AGENCY])
    ws.append(["歲出一級用途別科目分析表"] + [None] * 13 + ["（單位：新台幣仟元）"])
    ws.append([YEAR])
    _level1_two_row_header(ws, [f"編{NBSP}號", f"名{IDSP}稱"])
    first = ws.max_row + 1
    for indent, label, figures in _lines(LEVEL1_ROWS):
        code, name = _split(label)
        if code and code.endswith("0000"):  # a few typed with a dash after the 4-digit agency part
            ws.append([f"{code[:4]}-{code[4:]}", indent + name] + [_int(f) for f in figures])
            continue
        ws.append([int(code) if code else None, indent + name] + [_int(f) for f in figures])
    return ws, f"C{first}"  # the 合計 row's 合計


def level1_name_code_columns(wb):
    """一級用途別 as 名稱 | 編號 (name first), codes and figures as full-width text (figures with commas)."""
    ws = _new_sheet(wb, "一級用途別")
    _top(ws, "歲出一級用途別科目分析表", "單位：新臺幣千元", 15)
    _level1_two_row_header(ws, ["名稱", "編號"])
    first = ws.max_row + 1
    for indent, label, figures in _lines(LEVEL1_ROWS):
        code, name = _split(label)
        ws.append([indent + name, code and code.translate(FULL)] + [f.translate(FULL) or None for f in figures])
    return ws, f"C{first}"


def level1_code_above_name(wb):
    """一級用途別 as 臺中 prints it: the code on one row with the figures, the name on the row below."""
    ws = _new_sheet(wb, "一級用途別")
    _top(ws, "歲出一級用途別科目分析表", "單位：新臺幣千元", 14)
    _level1_two_row_header(ws, ["名　稱　及　編　號"])
    first = ws.max_row + 1
    for indent, label, figures in _lines(LEVEL1_ROWS):
        code, name = _split(label)
        if code is None:
            ws.append([indent + name] + [_int(f) for f in figures])
            continue
        ws.append([indent + code] + [_int(f) for f in figures])
        ws.append([indent + name[:2]])  # a name wrapped over two lines, as the PDF prints 總預算編審與督 / 導執行
        if name[2:]:
            ws.append([indent + name[2:]])
    return ws, f"B{first}"


def level1_code_alone_above_name(wb):
    """一級用途別 with each code alone on its line and the name, with the figures, on the line below."""
    ws = _new_sheet(wb, "一級用途別")
    _top(ws, "歲出一級用途別科目分析表", "單位：新臺幣千元", 14)
    _level1_two_row_header(ws, ["名稱及編號"])
    first = ws.max_row + 1
    for indent, label, figures in _lines(LEVEL1_ROWS):
        code, name = _split(label)
        if code:
            ws.append([indent + code])
        ws.append([indent + name] + [_int(f) for f in figures])
    return ws, f"B{first}"


def capital_code_name_columns(wb):
    """資本支出分析表 as 科目編號 | 科目名稱 under one merged 科目 header, codes as numbers."""
    ws = _new_sheet(wb, "資本支出")
    _top(ws, "資本支出分析表", "單位：新臺幣千元", 13)
    ws.append(["科　目", None, "合計", "設備及投資"] + [None] * 8 + ["其他資本支出"])
    ws.append(["科目編號", "科目名稱", None, "土地", "房屋建築及設備", "公共建設及設施", "機械設備", "運輸設備",
               "資訊軟體設備", "雜項設備", "權利", "投資"])
    top = ws.max_row - 1
    merge(ws, top, 1, top, 2)
    for c in (3, 13):
        merge(ws, top, c, top + 1, c)
    merge(ws, top, 4, top, 12)
    first = ws.max_row + 1
    for indent, label, figures in _lines(CAPITAL_ROWS):
        code, name = _split(label)
        ws.append([int(code) if code else None, indent + name] + [_int(f) for f in figures])
    return ws, f"C{first}"


def agency_numbers_code_name(wb):
    """歲出機關別預算表 with 科目 split into 款 | 項 | 目 | 節 | 編號 | 名稱; 款/項 typed as numbers."""
    ws = _new_sheet(wb, "機關別")
    _top(ws, "歲出機關別預算表", "單位：新臺幣千元", 11)
    ws.append(["科　目"] + [None] * 5 + ["本年度\n預算數", "上年度\n預算數", "前年度\n決算數", "本年度與\n上年度比較",
                                         "說　明"])
    ws.append(["款", "項", "目", "節", "編號", "名稱"])
    top = ws.max_row - 1
    merge(ws, top, 1, top, 6)
    for c in range(7, 12):
        merge(ws, top, c, top + 1, c)
    first = ws.max_row + 1
    for line in AGENCY_ROWS.split("\n"):
        cells = line.split("\t")
        numbers, (code, name) = cells[:4], cells[4].split(" ", 1)
        # 00020180000 typed as a number is 20180000: its leading zeros are lost; 0002000000 stays text
        typed_code = int(code) if code.startswith(("3", "0002018")) else code
        ws.append([int(n) if n else None for n in numbers] + [typed_code, name]
                  + [_int(f) for f in cells[5:9]] + [cells[9] or None])
    return ws, f"G{first}"


def summary_code_name_columns(wb):
    """各項費用彙計表 as 科目編號 | 用途別 (codes as numbers), plan codes in the header as a number and full-width.

    The name column's header is no word xlbudget knows: it holds only words beside the code, so it is the name.
    """
    ws = _new_sheet(wb, "彙計表")
    _top(ws, "各項費用彙計表", "單位:新臺幣千元", 5)
    ws.append(["工作計畫名稱及編號", None, 32020180101, "３２０２０１８３２０１", "合　計"])  # one plan full-width
    ws.append(["科目編號", "用途別", "行政管理", "數位發展計畫", None])  # 用途別: a header word nobody listed
    merge(ws, ws.max_row - 1, 5, ws.max_row, 5)
    first = ws.max_row + 1
    for indent, label, figures in _lines(SUMMARY_ROWS):
        code, name = _split(label)
        ws.append([int(code) if code else None, indent + name] + [_int(f) for f in figures])
    return ws, f"E{first}"


def detail_code_name_columns(wb):
    """明細表 (pages repeating title and header) retyped as 編號 | 名稱: 分支計畫 numbers typed as numbers (1 for 01),
    用途別 codes as numbers, the header 「用途別科目」 spaced with no-break spaces, 單位：新台幣元."""
    ws = wb["明細表"]
    merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    for r0, c0, r1, c1 in merges:
        ws.unmerge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
    ws.insert_cols(2)
    for r0, c0, r1, c1 in merges:
        merge(ws, r0, c0 + (c0 > 1), r1, c1 + 1)
    first = None
    for r in range(1, ws.max_row + 1):
        cell = ws.cell(r, 1)
        text = cell.value if isinstance(cell.value, str) else ""
        stripped = text.lstrip(FW)
        if text == "分支計畫及用途別科目":
            cell.value, ws.cell(r, 2).value = f"編{NBSP}號", f"用途別{NBSP}科目"
        elif text.startswith("單位："):
            cell.value = "單位：新台幣元"
        elif stripped[:2].isdigit() and not stripped.startswith(("3202", "中華")):
            digits = len(stripped) - len(stripped.lstrip("0123456789"))
            code, name = stripped[:digits], stripped[digits:].strip()
            cell.value, ws.cell(r, 2).value = int(code), text[: len(text) - len(stripped)] + name
        elif stripped == "合計" and first is None:
            first = r
    for r in range(1, ws.max_row + 1):  # the unit line printed at the right end moves with its column
        for c in range(3, ws.max_column + 1):
            if isinstance(ws.cell(r, c).value, str) and ws.cell(r, c).value.startswith("單位："):
                ws.cell(r, c).value = "單位：新台幣元"
    return ws, f"F{first}"


VARIANTS = {
    "一級用途別 編號|名稱": ("歲出一級用途別科目分析表", level1_code_name_columns),
    "一級用途別 名稱|編號": ("歲出一級用途別科目分析表", level1_name_code_columns),
    "一級用途別 編號在上名稱在下": ("歲出一級用途別科目分析表", level1_code_above_name),
    "一級用途別 編號獨列名稱及數字在下": ("歲出一級用途別科目分析表", level1_code_alone_above_name),
    "資本支出 科目編號|科目名稱": ("資本支出分析表", capital_code_name_columns),
    "機關別 款項目節編號名稱": ("歲出機關別預算表", agency_numbers_code_name),
    "明細表 編號|用途別科目": ("歲出計畫說明提要與各項費用明細表", detail_code_name_columns),
    "彙計表 科目編號|用途別": ("各項費用彙計表", summary_code_name_columns),
}


def _figures(wb, title: str) -> list[tuple[str, tuple[str, ...], dict[str, int | None]]]:
    """(label, 款項目節, {column: value}) of each row of the table ``title`` as read."""
    (table,) = [t for t in find_tables(workbook_sheets(wb, None, "x.xlsx").values()) if t.title == title]
    return [(r.label, r.numbers, {k: f.value for k, f in r.figures.items()}) for r in table.rows]


def _numbers(rows):
    """款項目節 as printed, with numbers typed as numbers (2) read as the printed 02 / 009."""
    return [(label, tuple(n.lstrip("0") for n in numbers), figures) for label, numbers, figures in rows]


def _problems(report):
    return [(f.rule, f.cell.sheet, f.cell.cell) for f in report.findings if f.severity != Severity.INFO]


@pytest.mark.parametrize("variant", VARIANTS)
def test_variant_reads_as_the_standard_layout(variant):
    title, retype = VARIANTS[variant]
    standard, _ = seed_printed_workbook()
    wb, _ = seed_printed_workbook()
    retype(wb)
    assert _numbers(_figures(wb, title)) == _numbers(_figures(standard, title))
    report = check_workbook(wb, None, "typed.xlsx")
    assert title in report.tables
    assert _problems(report) == []  # clean, and no name column read as figures (figure-unverifiable)


@pytest.mark.parametrize("variant", VARIANTS)
def test_variant_planted_total_is_named_at_its_cell(variant):
    title, retype = VARIANTS[variant]
    wb, _ = seed_printed_workbook()
    ws, total = retype(wb)
    value = ws[total].value
    ws[total] = (int(value.translate(UNFULL).replace(",", "")) if isinstance(value, str) else value) * 10
    report = check_workbook(wb, None, "typed.xlsx")
    assert (ws.title, total) in [(s, c) for _, s, c in _problems(report)]
    assert not [f for f in report.findings if f.rule in ("table-unreadable", "figure-unverifiable")]


@pytest.mark.parametrize("where, line, unit", [
    ("title row", "單位：新臺幣元", "元"),
    ("title row", "(單位:新台幣仟元)", "千元"),
    ("own row", "金額單位：元", "元"),
    ("own row", "單位：新臺幣千元", "千元"),
    ("own row", "單位　新台幣　元", "元"),
])
def test_unit_line_as_typed(where, line, unit):
    """The 彙計表 is 千元 unless its unit line says otherwise, wherever and however the line is typed."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([AGENCY])
    ws.append(["各項費用彙計表", None, None, line if where == "title row" else None])
    ws.append([YEAR, None, None, line if where == "own row" else None])
    ws.append(["工作計畫名稱及編號", "32020180101", "合計"])
    ws.append(["合計", 100, 100])
    (table,) = find_tables(workbook_sheets(wb, None, "x.xlsx").values())
    assert table.unit == unit


def test_sheet_named_after_its_table_without_a_title_row():
    """A sheet named 資本支出分析表 holding only the header and rows (no agency, title or unit lines) is read."""
    standard, _ = seed_printed_workbook()
    wb, _ = seed_printed_workbook()
    ws = _new_sheet(wb, "資本支出")
    ws.title = "資本支出分析表"
    capital_header(ws, software="資訊軟體設備")
    for indent, label, figures in _lines(CAPITAL_ROWS):
        ws.append([indent + label] + [_int(f) for f in figures])
    assert _figures(wb, "資本支出分析表") == _figures(standard, "資本支出分析表")
    assert _problems(check_workbook(wb, None, "typed.xlsx")) == []
    ws["B3"] = ws["B3"].value * 10  # the 合計 row's 合計
    assert ("資本支出分析表", "B3") in [(s, c) for _, s, c in _problems(check_workbook(wb, None, "typed.xlsx"))]


def test_falsification_on_a_book_typed_every_ugly_way_at_once():
    """Five tables retyped at once (編號 | 名稱 everywhere, codes as numbers and with dashes, 款項目節 as numbers,
    仟元, spaced headers): the book is clean, and a changed figure (a fixed random sample) is always named."""
    import random
    from dataclasses import replace

    from xlbudget.core.amounts import NotANumber, parse_int
    from xlbudget.rules.checks import check_printed_sheets
    from xlbudget.readers.printed_model import SheetGrid

    wb, _ = seed_printed_workbook()
    for retype in (level1_code_name_columns, capital_code_name_columns, agency_numbers_code_name,
                   summary_code_name_columns, detail_code_name_columns):
        retype(wb)
    assert _problems(check_workbook(wb, None, "typed.xlsx")) == []
    sheets = workbook_sheets(wb, None, "typed.xlsx")
    labels = {"機關別": 6, "歲入來源別": 4, "一級用途別": 2, "資本支出": 2, "彙計表": 2, "明細表": 2}
    targets = []
    for name, sg in sheets.items():
        for r, row in enumerate(sg.grid.rows):
            for c, v in enumerate(row[labels.get(name, 1):], start=labels.get(name, 1)):
                try:
                    n = parse_int(v) if isinstance(v, (int, str)) and not isinstance(v, bool) else None
                except NotANumber:
                    continue
                if n and abs(n) < 10 ** 9:
                    targets.append((name, r, c, n))
    missed = []
    for name, r, c, n in random.Random(9).sample(targets, 100):
        sg = sheets[name]
        grid = replace(sg.grid, rows=[list(x) for x in sg.grid.rows])
        grid.rows[r][c] = n + (1000 if abs(n) >= 1000 else 1)
        found = check_printed_sheets({**sheets, name: SheetGrid(grid, sg.merges)}, "typed.xlsx").findings
        ref = grid.ref(r, c)
        if not any(f.cell == ref or ref in f.related for f in found if f.severity != Severity.INFO):
            missed.append(str(ref))
    assert len(targets) > 400
    assert missed == []


# ----------------------------------------------------------------- titles recognised, tables not

def level1_unknown_header(wb):
    """一級用途別 whose header opens with words xlbudget does not know (項次 | 說明事項)."""
    ws = _new_sheet(wb, "一級用途別")
    _top(ws, "歲出一級用途別科目分析表", "單位：新臺幣千元", 15)
    _level1_two_row_header(ws, ["項次", "說明事項"])
    first = ws.max_row + 1
    for indent, label, figures in _lines(LEVEL1_ROWS):
        code, name = _split(label)
        ws.append([code, indent + name] + [_int(f) for f in figures])
    return ws


def test_unreadable_table_is_a_warning_at_its_title():
    wb, _ = seed_printed_workbook()
    ws = level1_unknown_header(wb)
    assert ws["A2"].value == "歲出一級用途別科目分析表"
    ws["C7"] = ws["C7"].value * 10  # ×10 in its 合計: never passed without a word
    report = check_workbook(wb, None, "typed.xlsx")
    assert "歲出一級用途別科目分析表" not in report.tables
    assert _problems(report) == [("table-unreadable", "一級用途別", "A2")]
    (f,) = report.findings
    assert f.severity == Severity.WARNING and "表頭" in f.message


def test_table_with_header_but_no_amount_column_is_unreadable():
    wb, _ = seed_printed_workbook()
    ws = _new_sheet(wb, "資本支出")
    _top(ws, "資本支出分析表", "單位：新臺幣千元", 3)
    ws.append(["名稱及編號", "說明"])  # the figures sit under no header at all
    first = ws.max_row + 1
    for indent, label, figures in _lines(CAPITAL_ROWS):
        ws.append([indent + label, None, _int(figures[0])])
    report = check_workbook(wb, None, "typed.xlsx")
    assert _problems(report) == [("table-unreadable", "資本支出", "A2")]


def test_one_unreadable_page_of_a_table_is_named_and_the_other_pages_checked():
    wb, _ = seed_printed_workbook()
    ws = wb["明細表"]
    headers = [c.row for c in ws["A"] if c.value == "分支計畫及用途別科目"]
    ws.cell(headers[0], 1).value = "摘要"  # the first page's header retyped: no page before it to borrow from
    titles = [c.row for c in ws["A"] if c.value == "歲出計畫說明提要與各項費用明細表"]
    report = check_workbook(wb, None, "typed.xlsx")
    assert ("table-unreadable", "明細表", f"A{titles[0]}") in _problems(report)
    assert "歲出計畫說明提要與各項費用明細表" in report.tables  # the other pages are read


def test_continuation_pages_without_their_header_are_read_with_the_first_pages():
    """Officers repeat the title on each page but not always the header: those pages read as the seed copy's."""
    standard, _ = seed_printed_workbook()
    wb, _ = seed_printed_workbook()
    ws = wb["明細表"]
    headers = [c.row for c in ws["A"] if c.value == "分支計畫及用途別科目"]
    for r in headers[1:]:
        for c in range(1, 7):
            ws.cell(r, c).value = None
    title = "歲出計畫說明提要與各項費用明細表"
    assert _figures(wb, title) == _figures(standard, title)
    assert _problems(check_workbook(wb, None, "typed.xlsx")) == []


@pytest.mark.parametrize("sheet, old, new, title", [
    ("明細表", "預算數", "金額", "歲出計畫說明提要與各項費用明細表"),
    ("機關別", "本年度\n預算數", "本期預算", "歲出機關別預算表"),  # 本年度預算 is read as 本年度預算數 (field report 18)
    ("資本支出", "合計", "總額", "資本支出分析表"),
])
def test_table_without_the_column_its_rules_sum_is_named(sheet, old, new, title):
    """A header typed 金額 for 預算數 (or 本期預算 for 本年度預算數): the table is read but nothing sums it."""
    wb, _ = seed_printed_workbook()
    ws = wb[sheet]
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == old:
                cell.value = new
    (title_cell,) = [c for c in ws["A"] if c.value == title][:1]
    report = check_workbook(wb, None, "typed.xlsx")
    assert ("table-unreadable", sheet, title_cell.coordinate) in _problems(report)


def test_a_book_of_unreadable_tables_only_is_refused_naming_the_title():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一級用途別"
    _top(ws, "歲出一級用途別科目分析表", "單位：新臺幣千元", 15)
    _level1_two_row_header(ws, ["項次", "說明事項"])
    ws.append(["合計", None, 100, 100])
    with pytest.raises(InputError) as e:
        check_workbook(wb, None, "typed.xlsx")
    assert "一級用途別!A2" in str(e.value)


def test_a_contents_sheet_naming_titles_is_no_unreadable_table():
    wb, _ = seed_printed_workbook()
    ws = wb.create_sheet("目次", 0)
    ws.append(["目　　次"])
    for page, title in enumerate(("各項費用彙計表", "歲出一級用途別科目分析表", "資本支出分析表"), start=3):
        ws.append([title, page])
    tables, unreadable = read_tables(workbook_sheets(wb, None, "x.xlsx").values())
    assert unreadable == []
    assert len(tables) == 7


def test_row_without_a_code_is_named_not_ignored():
    """A 工作計畫 typed by its name only cannot be placed in any sum: a warning at its name, not a silent pass."""
    wb, _ = seed_printed_workbook()
    ws = wb["一級用途別"]
    (cell,) = [c for c in ws["A"] if isinstance(c.value, str) and "32020180101" in c.value]
    cell.value = FW * 2 + "行政管理"
    ws.cell(cell.row, 2).value *= 10  # and its 合計 ×10: nothing else would say so
    report = check_workbook(wb, None, "typed.xlsx")
    assert ("row-unplaced", "一級用途別", cell.coordinate) in _problems(report)


def test_branch_whose_name_starts_with_a_year_is_summed():
    """分支計畫 01 named 113年度行政業務 prints 01113年度行政業務: its number cannot be split off, yet its line is
    the branch's total (43,769,000 = the 合計 of 32020180101) and a ×10 in it is named there."""
    wb, _ = seed_printed_workbook()
    ws = wb["明細表"]
    (cell,) = [c for c in ws["A"] if c.value == "01行政業務"][:1]
    cell.value = "01113年度行政業務"
    assert ws.cell(cell.row, 5).value == 43_769_000
    assert _problems(check_workbook(wb, None, "typed.xlsx")) == []
    ws.cell(cell.row, 5).value = 437_690_000
    assert ("subtotal-mismatch", "明細表", f"E{cell.row}") in _problems(check_workbook(wb, None, "typed.xlsx"))


# ----------------------------------------------------------------- the commands say it

def test_check_and_convert_report_the_unreadable_table(tmp_path, capsys):
    wb, _ = seed_printed_workbook()
    level1_unknown_header(wb)
    path = save_atomic(wb, tmp_path / "手製.xlsx")
    assert main(["check", str(path), "--format", "json"]) == 0  # a warning, no error
    records = json.loads(capsys.readouterr().out)
    assert [(r["rule"], r["severity"], r["sheet"], r["cell"]) for r in records if r["severity"] != "info"] == [
        ("table-unreadable", "warning", "一級用途別", "A2")]
    checked = next(r for r in records if r["rule"] == "table-unreadable")
    assert main(["check", str(path)]) == 0
    assert "一級用途別!A2" in capsys.readouterr().out
    marked = tmp_path / "標示.xlsx"
    assert main(["check", str(path), "--mark", "-o", str(marked)]) == 0
    assert _result_rows(marked) == [("table-unreadable", "一級用途別!A2")]
    capsys.readouterr()
    assert main(["convert", str(path), "-o", str(tmp_path / "xlsx"), "--mark"]) == 0
    assert _result_rows(tmp_path / "xlsx" / "手製.xlsx") == [("table-unreadable", "一級用途別!A2")]
    assert main(["convert", str(path), "-o", str(tmp_path / "json"), "--format", "json"]) == 0
    records = json.loads((tmp_path / "json" / "手製.json").read_text(encoding="utf-8"))
    assert [(r["rule"], r["sheet"], r["cell"]) for r in records] == [("table-unreadable", "一級用途別", "A2")]
    assert records == [checked]  # one finding → record: convert writes what check --format json prints
    summary = json.loads((tmp_path / "json" / "轉換摘要.json").read_text(encoding="utf-8"))
    assert [(b["errors"], b["warnings"]) for b in summary["books"]] == [(0, 1)]


def _result_rows(path) -> list[tuple[str, str]]:
    """(rule, 位置) of each finding listed on 檢核結果."""
    rows = list(openpyxl.load_workbook(path)["檢核結果"].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == "序號")
    out = []
    for r in rows[head + 1:]:
        if r[0] is None:
            break
        out.append((r[2], r[4]))
    return out
