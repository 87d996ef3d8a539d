"""Session 32's «noticed and left alone» (field reports 18 and 19, fix13): cases that were silently wrong.

Figures are the example book's (高雄市政府資訊中心 113年度, xlbudget/data/example/): its one trip (出國計畫 row 2,
參與國際展會, 考察) costs 160,000 + 220,000 + 20,000 = 400,000 元, the 2078 國外旅費 line of 32020183201."""

from __future__ import annotations

import pytest

from test_reading import column, example, problems, refused_everywhere


def _trip_year(typed):
    def edit(wb):
        ws = wb["出國計畫"]
        ws.cell(2, column(ws, "年度")).value = typed
    return edit


@pytest.mark.parametrize("typed", ["112年度", "112", "113年度", "上年", "前一年度"])
def test_a_trip_year_that_is_no_choice_is_refused_at_its_cell(tmp_path, capsys, typed):
    """出國計畫 年度 「112年度」 (the officer's 上年度 trip) was read as this year's: 類別表 printed it, 總表's 上年度
    columns lacked it, and trips-vs-travel blamed the money (400,000 + 400,000 against 2078's 400,000) without
    saying the 年度 was not understood. The printed tables carry no 年度 column: blank is this year, 「上年度」 the
    總表's 上年度 columns; anything else is named at its cell (出國計畫!P2, the 16th column)."""
    book = example(tmp_path, _trip_year(typed))
    assert problems(book) == {("not-a-choice", "出國計畫!P2")}
    refused_everywhere(book, tmp_path, capsys, ["出國計畫!P2"], addin_too=typed == "112年度")


@pytest.mark.parametrize("typed", [None, "本年度", " 本 年 度 ", "上年度", "上 年 度"])
def test_a_trip_year_blank_this_or_last_is_read(tmp_path, typed):
    from xlbudget.adapters.books import load_book
    book = example(tmp_path, _trip_year(typed))
    assert [t.last_year for t in load_book(book).book.trips] == [typed is not None and "上" in typed]


# ------------------------------------------------------------ an .ods row sized 0 by a named style (fix13's «noticed»)

def _soffice(tmp_path, to: str, path) -> None:
    import subprocess
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", to,
                    "--outdir", str(tmp_path / to), str(path)], capture_output=True, timeout=300, check=True)


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice not installed")
def test_an_ods_row_sized_0_by_a_named_style_is_printed_by_libreoffice_and_counted(tmp_path):
    """The hand-made book saved as .ods by LibreOffice, then its 各項費用彙計表 row 9 (101500法定編制人員待遇, 25,356 千元)
    given a named (common) row style of height 0 in styles.xml, as a generator may write one. LibreOffice (7.4)
    applies no such style to a row: it shows and prints row 9 as its neighbours (its PDF places 100000, 101500,
    102000 15.6 pt apart, as the unstyled book's), and saves it again with a height and not hidden. So xlbudget
    rightly counts it and says nothing (grid.line_hidden reads only the automatic styles an .ods sizes rows by);
    were LibreOffice to hide it, the first assertion fails and fastread.ods_extras must read styles.xml too."""
    import re
    import zipfile

    from xlbudget.app.check import check_file
    from built_books import handmade_workbook
    from test_field17 import SUMMARY

    xlsx = tmp_path / "手工.xlsx"
    handmade_workbook().save(xlsx)
    _soffice(tmp_path, "ods", xlsx)
    ods = tmp_path / "ods" / "手工.ods"
    with zipfile.ZipFile(ods) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    content = parts["content.xml"].decode("utf-8")
    at = content.index(f'table:name="{SUMMARY}"')
    row9 = list(re.finditer(r'<table:table-row table:style-name="(ro\d+)"', content[at:]))[8]
    parts["content.xml"] = (content[:at + row9.start(1)] + "隱藏列" + content[at + row9.end(1):]).encode("utf-8")
    parts["styles.xml"] = parts["styles.xml"].replace(
        b"<office:styles>", '<office:styles><style:style style:name="隱藏列" style:family="table-row">'
        '<style:table-row-properties style:row-height="0cm" style:use-optimal-row-height="false"/>'
        "</style:style>".encode("utf-8"), 1)
    restyled = tmp_path / "named.ods"
    with zipfile.ZipFile(restyled, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    _soffice(tmp_path, "xlsx", restyled)  # what LibreOffice makes of it, saved again
    with zipfile.ZipFile(tmp_path / "xlsx" / "named.xlsx") as z:
        sheet = next(n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)
                     and b"<v>25356</v>" in z.read(n))
        row = re.search(rb'<row r="9"[^>]*>', z.read(sheet)).group(0)
    assert b'hidden="false"' in row and float(re.search(rb' ht="([\d.]+)"', row).group(1)) > 10, row
    report = check_file(restyled, workbook=False)[0]
    assert [f.rule for f in report.findings if f.rule.startswith("hidden-")] == []
    assert [f.rule for f in report.findings if f.severity.name == "ERROR"] == []


# ------------------------------------------------------------ a second table under the first (field report 18 §2.1)

LEVEL1, CAPITAL = "歲出一級用途別科目分析表", "資本支出分析表"


def _capital_under_level1(wb, first_row: int):
    """資本支出分析表 (rows ``first_row``… of its sheet: 3 the year and unit lines, 5 its header) copied three rows
    under the 一級用途別科目分析表's last line (row 12) of the hand-made book, its title left in a text box (no cell),
    and its own sheet deleted: its header opens at row 15 + 5 = 20, its 合計 (78,471 千元) at row 22."""
    src, dst = wb[CAPITAL], wb[LEVEL1]
    assert dst.max_row == 12
    for row in src.iter_rows(min_row=first_row):
        for c in row:
            if type(c).__name__ != "MergedCell" and c.value is not None:
                dst.cell(15 + c.row, c.column).value = c.value
    del wb[CAPITAL]


def _said_of(wb, tmp_path):
    from xlbudget.app.check import check_file
    wb.save(tmp_path / "手製.xlsx")
    return [(f.rule, f"{f.cell.sheet}!{f.cell.cell}") for f in check_file(tmp_path / "手製.xlsx")[0].findings
            if f.severity.name != "INFO" and f.rule != "prior-note-unverified"]


@pytest.mark.parametrize("first_row", [3, 5])  # with its year and unit lines, or its header alone
def test_a_table_under_another_with_its_title_in_a_text_box_is_named_not_folded_in(tmp_path, first_row):
    """Its header (名稱及編號 | 合計 | 設備及投資/土地 …) was read as 一級's figures (「設備及投資」 不是整數, 20 cells) and
    its lines as more of 一級: H22 «經常支出小計應為 0，此處為 78,471», A24 «業務費為 0，應等於彙計表的 153,555» — six
    errors blaming right figures, the 資本支出分析表 never said unread. Now one warning at A20, the first row of the
    header 一級's does not print (土地); 一級's own lines (合計 275,795 = 197,324 + 78,471) are as right as before."""
    from built_books import handmade_workbook
    wb = handmade_workbook()
    _capital_under_level1(wb, first_row)
    assert _said_of(wb, tmp_path) == [("table-under-table", f"{LEVEL1}!A20")]


def test_a_tables_own_header_repeated_under_its_lines_is_a_page_carried_on(tmp_path):
    """一級's header (rows 5–6) repeated at rows 13–14 and its lines 32020183200/32020183201 moved under it (rows
    15–16): a page carried on, read as one table, nothing said."""
    from built_books import handmade_workbook
    wb = handmade_workbook()
    ws = wb[LEVEL1]
    for c in range(1, 15):
        for src, dst in ((5, 13), (6, 14), (11, 15), (12, 16)):
            ws.cell(dst, c).value = ws.cell(src, c).value
        ws.cell(11, c).value = ws.cell(12, c).value = None
    assert _said_of(wb, tmp_path) == []


# ------------------------------------------------------------ compare-prior-year-differs in a template book (field19)

def test_prior_year_differs_names_the_later_template_books_prior_year_cell(tmp_path, capsys):
    """113 法定預算 (the council cut 100 千元 from 32020180101: 43,669) against the 114 預算案 next-year made from the 113
    預算案 (its 上年度 43,769): the row was named with no cell, the later book being a template book whose 上年度 is
    typed on 以前年度 — 32020180101's line is its row 2, 上年度預算數 column C (next-year carries 113's 本年度 there).
    The totals above it (32020180100, 00020180000, 0002000000) have no line of their own: still no cell."""
    import json

    from xlbudget.app.example import example_workbook
    from xlbudget.cli import main
    from test_field19 import _cut

    example_workbook().save(tmp_path / "113預算案.xlsx")
    _cut(example_workbook()).save(tmp_path / "113法定.xlsx")
    main(["next-year", str(tmp_path / "113預算案.xlsx"), "-o", str(tmp_path / "114.xlsx")])
    import openpyxl
    ws = openpyxl.load_workbook(tmp_path / "114.xlsx")["以前年度"]
    assert (ws["A2"].value, ws["C2"].value) == ("32020180101", 43_769)
    for order in (("113法定.xlsx", "114.xlsx"), ("114.xlsx", "113法定.xlsx")):
        capsys.readouterr()
        main(["compare", *(str(tmp_path / name) for name in order), "--format", "json"])
        notes = [n for n in json.loads(capsys.readouterr().out)["notes"] if n["rule"] == "compare-prior-year-differs"]
        assert {n["row_code"]: (n["sheet"], n["cell"]) for n in notes} == {
            "32020180101": ("以前年度", "C2"), "32020180100": (None, None), "00020180000": (None, None),
            "0002000000": (None, None)}, notes


# ------------------------------------------------------------ a 以前年度 line of 0 carried every year (field report 19)

def test_next_year_names_a_prior_line_with_no_budget_two_years_running(tmp_path, capsys):
    """以前年度 04020180301 賠償收入-一般賠償收入: 上年度預算數 0 and no 歲入明細 line in the 113 book (the seed prints its
    02 line with 本年度 and 上年度 「-」, for its 前年度決算數 54). next-year carries it with 0 into 114, and 115, without
    a word: a row of 0s once its 112 決算 is 0 too. Now named, with what to do; the lines with a budget are not."""
    from xlbudget.app.example import example_workbook
    from xlbudget.cli import main

    example_workbook().save(tmp_path / "113.xlsx")
    main(["next-year", str(tmp_path / "113.xlsx"), "-o", str(tmp_path / "114.xlsx")])
    line = next((x for x in capsys.readouterr().out.splitlines() if "皆無預算" in x), "")
    assert line.startswith("以前年度以下各列 113、112 年度皆無預算，仍帶入 114 年度預算書"), line
    assert line.endswith("請刪除：04020180301 賠償收入-一般賠償收入"), line
