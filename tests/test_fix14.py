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
