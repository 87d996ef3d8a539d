"""The command line end to end, through real files (openpyxl round-trips)."""

import json
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from xlbudget.cli import main
from xlbudget.derive.schedules import AGENCY_BUDGET, SUMMARY

from built_books import handmade_book
from conftest import sha256

INPUTS = ["說明", "基本資料", "歲出明細", "歲入明細", "以前年度", "說明提要", "人事費", "約聘僱", "出國計畫", "員額", "總說明",
          "公務車輛", "轉帳收支", "人事費分析", "分年資金需求", "市政白皮書",
          "費用分攤", "代碼表"]
# the seed's tables in its printed order (目次 of the seed book), 員額編制表 being part of 預算總說明
SCHEDULES = ["目次", "員額編制表", "歲入來源別預算表", "歲出機關別預算表", "歲入項目說明提要與預算明細表",
             "歲出計畫說明提要與各項費用明細表", "各項費用彙計表", "歲出一級用途別科目分析表", "資本支出分析表", "人事費彙計表",
             "約聘僱人員費用分析表", "派員出國計畫預算總表", "派員出國計畫預算類別表—考察、訪問", "歲出按職能及經濟性綜合分類表"]
OFFICER_INPUTS = [s for s in INPUTS if s != "總說明"]  # 總說明 gets xlbudget's sentences in column D


def _sheet_values(path, sheet):
    return [list(r) for r in openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True)]


def test_build_to_output_leaves_source_untouched(example_book, tmp_path, capsys):
    before = sha256(example_book)
    out = tmp_path / "out.xlsx"
    assert main(["build", str(example_book), "-o", str(out)]) == 0
    assert sha256(example_book) == before
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == INPUTS + SCHEDULES
    # 各項費用彙計表 合計 row as printed in the seed: 43,769 | 232,026 | 275,795
    rows = _sheet_values(out, SUMMARY)
    total = next(r for r in rows if r[0] == "合計")
    assert total[1:] == [43_769, 232_026, 275_795]
    assert wb[SUMMARY]["A2"].value == "各項費用彙計表"
    assert wb[SUMMARY]["A3"].value == "中華民國113年度"
    assert int(wb[SUMMARY].page_setup.paperSize) == 9  # A4
    assert wb[SUMMARY].print_title_rows == "$1:$6"  # 4 title rows + 2 header rows repeat


def test_rebuild_is_idempotent_and_keeps_inputs(example_book, tmp_path):
    inputs_before = {s: _sheet_values(example_book, s) for s in OFFICER_INPUTS}
    prose_before = [r[0] for r in _sheet_values(example_book, "總說明")]
    assert main(["build", str(example_book)]) == 0
    backups = list(tmp_path.glob("範例.備份-*.xlsx"))
    assert len(backups) == 1
    first = {s: _sheet_values(example_book, s) for s in SCHEDULES + ["總說明"]}
    assert main(["build", str(example_book)]) == 0
    wb = openpyxl.load_workbook(example_book)
    assert wb.sheetnames == INPUTS + SCHEDULES
    assert {s: _sheet_values(example_book, s) for s in SCHEDULES + ["總說明"]} == first
    assert {s: _sheet_values(example_book, s) for s in OFFICER_INPUTS} == inputs_before
    assert [r[0] for r in _sheet_values(example_book, "總說明")] == prose_before


def test_officer_sheets_survive_a_rebuild(example_book):
    wb = openpyxl.load_workbook(example_book)
    wb.create_sheet("我的筆記")["A1"] = "不要動"
    wb.save(example_book)
    assert main(["build", str(example_book)]) == 0
    assert openpyxl.load_workbook(example_book)["我的筆記"]["A1"].value == "不要動"


def test_export_json_and_csv(example_book, tmp_path, capsys):
    assert main(["export", str(example_book), "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    by = {(r["table"], r["row_code"], r["column"]): r for r in records}
    assert by[(SUMMARY, "2018", "32020183201")]["value"] == 92_938
    assert by[(SUMMARY, "2018", "合計")]["unit"] == "千元"
    assert by[("歲出一級用途別科目分析表", "合計", "經常支出/人事費")]["value"] == 42_978
    assert by[("資本支出分析表", "合計", "設備及投資/資訊軟硬體設備")]["value"] == 78_471
    assert by[(AGENCY_BUDGET, "32020183201", "本年度與上年度比較")]["value"] == 128_993
    assert by[("歲出按職能及經濟性綜合分類表", "01", "經常支出/受僱人員報酬")]["value"] == 43_036
    assert set(records[0]) == {"table", "row_code", "row_name", "column", "value", "unit"}
    out = tmp_path / "x.csv"
    assert main(["export", str(example_book), "--format", "csv", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "table,row_code,row_name,column,value,unit"
    assert "各項費用彙計表,2018,資訊服務費,32020183201,92938,千元" in text


def test_export_without_format_writes_what_the_name_says(example_book, tmp_path, capsys):
    # was: `export BOOK -o 匯出.csv` refused, telling the officer to name it .json (the default format); a .csv is
    # CSV, never JSON under a .csv name. Seed 各項費用彙計表: 2018 資訊服務費 of 數位發展計畫 92,938 千元.
    csv_out, json_out = tmp_path / "匯出.csv", tmp_path / "匯出.json"
    assert main(["export", str(example_book), "-o", str(csv_out)]) == 0
    lines = csv_out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "table,row_code,row_name,column,value,unit"
    assert "各項費用彙計表,2018,資訊服務費,32020183201,92938,千元" in lines
    assert main(["export", str(example_book), "-o", str(json_out)]) == 0
    assert {"table": "各項費用彙計表", "row_code": "2018", "row_name": "資訊服務費", "column": "32020183201",
            "value": 92938, "unit": "千元"} in json.loads(json_out.read_text(encoding="utf-8"))
    capsys.readouterr()
    assert main(["export", str(example_book), "-o", str(tmp_path / "匯出.xlsx")]) == 2  # no format of export's
    err = capsys.readouterr().err
    assert ".json" in err and ".csv" in err and not (tmp_path / "匯出.xlsx").exists()


def test_compare_without_format_writes_what_the_name_says(example_book, tmp_path, capsys):
    # was: `compare OLD NEW -o 比較.xlsx` refused (「副檔名應為 .txt」: text, the default format); a book against
    # itself has no difference (exit 0) whichever format -o names
    xlsx_out, json_out = tmp_path / "比較.xlsx", tmp_path / "比較.json"
    assert main(["compare", str(example_book), str(example_book), "-o", str(xlsx_out)]) == 0
    assert "比較" in openpyxl.load_workbook(xlsx_out).sheetnames
    assert main(["compare", str(example_book), str(example_book), "-o", str(json_out)]) == 0
    assert json.loads(json_out.read_text(encoding="utf-8"))["figures"] == []


def test_demo_and_new(tmp_path):
    out = tmp_path / "demo.xlsx"
    assert main(["demo", "-o", str(out)]) == 0
    assert openpyxl.load_workbook(out).sheetnames[-len(SCHEDULES):] == SCHEDULES
    template = tmp_path / "new.xlsx"
    assert main(["new", str(template)]) == 0
    assert main(["new", str(template)]) == 2  # never overwrite without --force


def test_console_command_runs_without_traceback(tmp_path):
    bad = tmp_path / "壞檔.xlsx"
    bad.write_text("not a workbook")
    run = subprocess.run([sys.executable, "-m", "xlbudget", "build", str(bad)], capture_output=True, text=True)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "壞檔.xlsx" in run.stderr


# ---------------------------------------------------------------- bad input

def _edit(path, sheet, cell, value):
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


@pytest.mark.parametrize("sheet,cell,value,expected", [
    ("歲出明細", "H2", "兩萬元", "歲出明細!H2"),  # text in an amount cell
    ("歲出明細", "A3", "3202018", "歲出明細!A3"),  # plan number not 11 digits
    ("歲出明細", "D4", "9999", "歲出明細!D4"),  # no such 一級 科目
    ("歲出明細", "F5", "3y12", "歲出明細!F5"),  # 數量 neither a number nor a product
    ("歲出明細", "J6", "半資本", "歲出明細!J6"),  # 經資門
    ("歲出明細", "H1", "金額", "歲出明細!H1"),  # header 預算數 missing: named at the header not recognised
    ("基本資料", "B4", "二〇二四", "基本資料!B4"),  # 年度 not a 民國 year
    ("以前年度", "C2", "很多", "以前年度!C2"),  # 上年度預算數 text
])
def test_bad_cell_named_and_file_untouched(example_book, capsys, sheet, cell, value, expected):
    _edit(example_book, sheet, cell, value)
    before = sha256(example_book)
    assert main(["build", str(example_book)]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "範例.xlsx" in err
    assert sha256(example_book) == before
    assert not list(example_book.parent.glob("*.備份-*"))


def test_missing_input_sheet(example_book, capsys):
    wb = openpyxl.load_workbook(example_book)
    del wb["歲出明細"]
    wb.save(example_book)
    assert main(["build", str(example_book)]) == 2
    assert "找不到工作表「歲出明細」" in capsys.readouterr().err


def test_next_year_and_pdf_of_a_handmade_book_say_it_is_one(tmp_path, monkeypatch, capsys):
    # field report 3 #21: they said only 找不到工作表「基本資料」
    from xlbudget.app import pipeline, publish
    from xlbudget.core.errors import InputError

    book = handmade_book(tmp_path / "手工.xlsx")
    before = sha256(book)
    with pytest.raises(InputError) as refused:
        pipeline.next_year_file(book, tmp_path / "新年度.xlsx")
    assert [f.rule for f in refused.value.findings] == ["printed-only-input"]
    assert main(["next-year", str(book), "-o", str(tmp_path / "新年度.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "手工預算書" in err and "xlbudget new" in err and "Traceback" not in err
    monkeypatch.setattr(publish, "find_soffice", lambda: "soffice")
    monkeypatch.setattr(publish, "require_cjk_font", lambda: None)
    monkeypatch.setattr(publish, "render", lambda *a: pytest.fail("a hand-made book was rendered"))
    assert main(["pdf", str(book)]) == 2
    err = capsys.readouterr().err
    assert "手工預算書" in err and "xlbudget pdf" in err and "Traceback" not in err
    assert sha256(book) == before and not (tmp_path / "新年度.xlsx").exists() and not book.with_suffix(".pdf").exists()
    # a book with neither input sheets nor a printed table is still told which input sheet is missing
    empty = tmp_path / "空.xlsx"
    openpyxl.Workbook().save(empty)
    with pytest.raises(InputError) as refused:
        pipeline.next_year_file(empty, tmp_path / "新年度.xlsx")
    assert "missing-sheet" in [f.rule for f in refused.value.findings]


def test_build_of_a_handmade_book_says_it_is_one(tmp_path, capsys):
    # leftovers 1: build said only 找不到工作表「基本資料」「歲出明細」 of a book check reads as hand-made
    from xlbudget.app import pipeline
    from xlbudget.core.errors import InputError

    book = handmade_book(tmp_path / "手工.xlsx")
    before = sha256(book)
    with pytest.raises(InputError) as refused:
        pipeline.build_file(book, tmp_path / "產出.xlsx")
    assert [f.rule for f in refused.value.findings] == ["printed-only-input"]
    for args in (["build", str(book)], ["build", str(book), "-o", str(tmp_path / "產出.xlsx")]):
        assert main(args) == 2
        err = capsys.readouterr().err
        assert "手工.xlsx 是手工預算書" in err and "xlbudget build" in err and "xlbudget check" in err
        assert "找不到工作表" not in err and "Traceback" not in err
    assert sha256(book) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["手工.xlsx"]  # no backup, no output


@pytest.mark.parametrize("make,expected", [
    (lambda p: p.write_bytes(b""), "空檔案"),
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100), "密碼"),
    (lambda p: p.write_text("hello"), "不是 Excel 活頁簿"),
    (lambda p: zipfile.ZipFile(p, "w").writestr("x.txt", "x"), "無法以 Excel 活頁簿讀取"),
])
def test_unreadable_files(tmp_path, capsys, make, expected):
    path = tmp_path / "book.xlsx"
    make(path)
    assert main(["build", str(path)]) == 2
    assert expected in capsys.readouterr().err



@pytest.mark.parametrize("part,damage", [("xl/workbook.xml", "missing"), ("xl/workbook.xml", "cut"),
                                         ("xl/_rels/workbook.xml.rels", "missing"),
                                         ("xl/_rels/workbook.xml.rels", "cut")])
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_workbook_part_missing_or_cut_is_refused_naming_the_file(tmp_path, capsys, part, damage, command):
    """The example with its workbook part or that part's relationships missing, or cut short (not XML): refused as
    file-unreadable (exit 2), never an internal error (exit 3, as build said of a cut part before). Red (6 of 12)
    while safety.sheet_parts let KeyError or ParseError through."""
    from xlbudget.adapters.xlsxfile import save_atomic
    from xlbudget.app.example import example_workbook

    source = save_atomic(example_workbook(), tmp_path / "source.xlsx")
    with zipfile.ZipFile(source) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    if damage == "missing":
        del parts[part]
    else:
        parts[part] = parts[part][:-20]
    path = tmp_path / "壞的.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    before = sha256(path)
    assert main([command, str(path)] + (["-o", str(tmp_path / "out.xlsx")] if command == "build" else [])) == 2
    err = capsys.readouterr().err
    assert "壞的.xlsx 無法以 Excel 活頁簿讀取" in err and "內部錯誤" not in err
    assert sha256(path) == before and not (tmp_path / "out.xlsx").exists()


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_sheet_part_missing_is_refused_naming_the_sheet(tmp_path, capsys, command):
    """The example without 歲出明細's part (workbook.xml still names it): sheet-unreadable at 歲出明細 (exit 2), not an
    internal error (exit 3 before, both commands: safety.check_extent let the zip's KeyError through)."""
    import re

    from xlbudget.adapters.xlsxfile import save_atomic
    from xlbudget.app.example import example_workbook

    source = save_atomic(example_workbook(), tmp_path / "source.xlsx")
    with zipfile.ZipFile(source) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    rid = re.search(r'<sheet [^>]*name="歲出明細"[^>]*r:id="([^"]+)"', parts["xl/workbook.xml"].decode()).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"',
                       parts["xl/_rels/workbook.xml.rels"].decode())
    del parts["xl/" + (target.group(1) or target.group(2)).removeprefix("/xl/")]
    path = tmp_path / "缺表.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert main([command, str(path)] + (["-o", str(tmp_path / "out.xlsx")] if command == "build" else [])) == 2
    err = capsys.readouterr().err
    assert "缺表.xlsx:歲出明細 工作表無法讀取" in err and "內部錯誤" not in err

def test_old_xls_says_how_to_convert(tmp_path, capsys):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert main(["build", str(path)]) == 2
    assert "另存新檔" in capsys.readouterr().err


def test_missing_file(tmp_path, capsys):
    assert main(["build", str(tmp_path / "nope.xlsx")]) == 2
    assert "找不到" in capsys.readouterr().err  # path-missing (tests/test_input_errors.py asserts the id)


def test_formula_inputs_read_by_cached_value(example_book, tmp_path, capsys):
    """A formula without a cached value (never opened in Excel) is named, not read as 0."""
    _edit(example_book, "歲出明細", "H2", "=F2*G2")
    assert main(["build", str(example_book), "-o", str(tmp_path / "o.xlsx")]) == 2
    assert "歲出明細!H2" in capsys.readouterr().err


def test_contents_sheet_links_every_table(example_book, tmp_path):
    out = tmp_path / "out.xlsx"
    assert main(["build", str(example_book), "-o", str(out)]) == 0
    ws = openpyxl.load_workbook(out)["目次"]
    links = {c.value.strip(): c.hyperlink.location for c in ws["A"] if c.hyperlink}
    # the seed's 目次 numbering of 丙 tables: 6. 人事費彙計表 … 10. 歲出按職能及經濟性綜合分類表
    assert links["6. 人事費彙計表"] == "'人事費彙計表'!A1"
    assert links["10. 歲出按職能及經濟性綜合分類表"] == "'歲出按職能及經濟性綜合分類表'!A1"
    assert len(links) == len(SCHEDULES) - 1


def test_build_writes_standard_sentences_beside_the_prose(example_book, tmp_path):
    out = tmp_path / "out.xlsx"
    assert main(["build", str(example_book), "-o", str(out)]) == 0
    ws = openpyxl.load_workbook(out)["總說明"]
    ours = [c.value for c in ws["D"] if c.value]
    assert "歲出預算數2億7,579萬5千元，含經常門1億9,732萬4千元，資本門7,847萬1千元，依業務計畫列示如下：" in ours
    assert ws["A2"].value == "壹、現行法定職掌"


def test_header_below_a_title_line_is_found(example_book, tmp_path, capsys):
    """An officer's 歲出明細 with a title line above the header row reads the same, cells named where they are."""
    wb = openpyxl.load_workbook(example_book)
    wb["歲出明細"].insert_rows(1, 2)
    wb["歲出明細"]["A1"] = "高雄市政府資訊中心 113年度 歲出明細"
    wb["歲出明細"]["H4"] = "兩萬"  # the 1015 line: header now on row 3, first line on row 4
    wb.save(example_book)
    assert main(["build", str(example_book), "-o", str(tmp_path / "o.xlsx")]) == 2
    assert "歲出明細!H4" in capsys.readouterr().err
    wb["歲出明細"]["H4"] = 25_356_370
    wb.save(example_book)
    assert main(["build", str(example_book), "-o", str(tmp_path / "o.xlsx")]) == 0
    summary = [list(r) for r in openpyxl.load_workbook(tmp_path / "o.xlsx")["各項費用彙計表"].iter_rows(values_only=True)]
    assert next(r for r in summary if r[0] == "合計")[1:] == [43_769, 232_026, 275_795]


@pytest.mark.parametrize("command", ["build", "check"])
def test_an_amount_said_twice_in_a_note_is_one_finding_on_every_command(tmp_path, capsys, command):
    """以前年度!I2 of the example says 「791千元」 once (prior-note-unverified: no 分支計畫 基本行政工作維持費); said a
    second time in the same 說明 it is the same finding (rule, cell, message), listed once and counted once by build as by
    check: the example's 7 提示 stay 7. Build listed it twice and counted 8 (臺北 116's 以前年度!I5, which says
    10,000,000元 twice and 50,000,000元 three times: build 提示 59, check 56)."""
    from xlbudget.app.example import example_workbook
    from xlbudget.adapters.xlsxfile import save_atomic

    wb = example_workbook()
    note = wb["以前年度"]["I2"].value
    wb["以前年度"]["I2"] = note + "（基本行政工作維持費791千元）"
    book = save_atomic(wb, tmp_path / "重複.xlsx")
    args = ["build", str(book), "-o", str(tmp_path / "出.xlsx")] if command == "build" else ["check", str(book)]
    capsys.readouterr()
    assert main(args) == 0
    out = capsys.readouterr().out.splitlines()
    said = [line for line in out if "以前年度!I2" in line and "「791千元」" in line]
    assert len(said) == 1, said
    assert out[-1] == "錯誤 0、警告 0、提示 7"


@pytest.mark.parametrize("mark", [False, True])
def test_convert_counts_an_amount_said_twice_once(tmp_path, mark):
    """The same book through convert (XlsxWriter, and openpyxl with --mark): 7 提示 in 轉換摘要 as check counts them
    (it counted 8: the 臺北 116 example 59 against check's 56), and 檢核結果 lists 「791千元」 once."""
    from xlbudget.app.convert import convert_paths
    from xlbudget.app.example import example_workbook
    from xlbudget.adapters.xlsxfile import save_atomic

    wb = example_workbook()
    wb["以前年度"]["I2"] = wb["以前年度"]["I2"].value + "（基本行政工作維持費791千元）"
    (tmp_path / "in").mkdir()
    save_atomic(wb, tmp_path / "in" / "重複.xlsx")
    _, [result] = convert_paths([str(tmp_path / "in")], str(tmp_path / "out"), jobs=1, mark=mark)
    assert (result.errors, result.warnings, result.infos) == (0, 0, 7)
    if mark:
        results = openpyxl.load_workbook(tmp_path / "out" / "重複.xlsx")["檢核結果"]
        said = [row for row in results.iter_rows(values_only=True) if any("「791千元」" in str(v) for v in row)]
        assert len(said) == 1, said


def test_demo_names_the_book_it_wrote_in_its_findings(tmp_path, capsys):
    """demo's findings (the example's 7 prior-note-unverified at 以前年度!I2 and I3) are at cells of the book it wrote,
    so each line names that file, as build names its book: it said 「範例:以前年度!I2」, a file no officer has."""
    out = tmp_path / "示範.xlsx"
    capsys.readouterr()
    assert main(["demo", "-o", str(out)]) == 0
    said = [line for line in capsys.readouterr().out.splitlines() if line.startswith("[")]
    assert len(said) == 7 and all(line.split(" ")[1].startswith("示範.xlsx:以前年度!I") for line in said), said


@pytest.mark.parametrize("unbuffered", ["1", ""])
def test_output_read_by_a_pipe_that_closes_is_no_internal_error(tmp_path, unbuffered):
    """`xlbudget new 範本.xlsx | head -0`, or `xlbudget check BOOK | more` quit early: the reader is gone before the
    program writes its first line. It said «xlbudget 內部錯誤（BrokenPipeError…）… 請…回報» (exit 3), found piping
    next-year into head; now nothing is said, the template is written as before, and the exit is 141 as a shell
    reports a program its reader stopped (128 + SIGPIPE, which Python ignores); buffered, it was exit 120 and
    «Exception ignored … BrokenPipeError» at the interpreter's last flush."""
    out = tmp_path / "範本.xlsx"
    import os

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"} | (
        {"PYTHONUNBUFFERED": unbuffered} if unbuffered else {})
    run = subprocess.Popen([sys.executable, "-m", "xlbudget", "new", str(out)], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, env=env)
    run.stdout.close()  # no reader left when it writes 已建立範本…
    err = run.stderr.read()
    assert run.wait() == 141, err
    assert err == "" and out.stat().st_size > 1000


def test_build_of_a_book_with_errors_writes_it_says_the_count_and_exits_1(tmp_path, capsys):
    # build exited 0 on a book with errors where pdf, check and convert exit 1 (officer task 2). The example with its
    # one trip unpriced: 出國計畫 I2:K2 = 0 against its one 2078 line of 400,000 元, trips-vs-travel an error at
    # 出國計畫!I2 and the example's only one. Red before: exit 0, and the line without the count
    from xlbudget.app.example import example_workbook
    from xlbudget.adapters.xlsxfile import save_atomic

    wb = example_workbook()
    for column in "IJK":
        wb["出國計畫"][f"{column}2"].value = 0
    book = save_atomic(wb, tmp_path / "範例.xlsx")
    assert main(["build", str(book), "-o", str(tmp_path / "out.xlsx")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"已產生 {len(SCHEDULES)} 張預算表：{tmp_path / 'out.xlsx'}；但本書有錯誤 1 項（見下列），請修正後再產生"
    assert [line.split(" ")[1] for line in out if line.startswith("[error]")] == ["範例.xlsx:出國計畫!I2"]
    assert openpyxl.load_workbook(tmp_path / "out.xlsx").sheetnames == INPUTS + SCHEDULES  # written all the same
    # the example itself: no error, exit 0 and the line as before
    book = save_atomic(example_workbook(), tmp_path / "範例2.xlsx")
    assert main(["build", str(book), "-o", str(tmp_path / "out2.xlsx")]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"已產生 {len(SCHEDULES)} 張預算表：{tmp_path / 'out2.xlsx'}"
