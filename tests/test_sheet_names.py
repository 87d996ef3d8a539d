"""A table's sheet is its title as Excel allows a sheet name (titles.sheet_name, the one helper every writer and
reader uses): at most 31 characters, none of []:*?/\\, no apostrophe first or last, and two titles alike for their
first 31 characters on two sheets, never one written over the other."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest

from xlbudget.cli import main
from xlbudget.core.titles import sheet_name, sheet_names

from test_convert import EXAMPLE

KIND = "派員出國計畫預算類別表—"  # 12 characters: the title of each 類別 group's table is KIND + its 類別
# two 類別 of 28 characters, alike for their first 19: titles of 40 characters, alike for their first 31
SPRING = "智慧城市與數位轉型國際交流暨展覽參訪考察春季團"
AUTUMN = "智慧城市與數位轉型國際交流暨展覽參訪考察秋季團"


def test_a_long_title_is_cut_to_31():
    title = "人事費分析表—" + "資訊系統維運及資安防護" * 3  # 7 + 33 = 40 characters
    assert len(title) == 40
    # its first 31: 7 + 11 + 11 + 2, counted by hand
    assert sheet_name(title) == "人事費分析表—資訊系統維運及資安防護資訊系統維運及資安防護資訊"
    assert len(sheet_name(title)) == 31


def test_characters_excel_refuses_are_written_full_width():
    assert sheet_name("考察/訪問[一]:*?\\") == "考察／訪問［一］：＊？＼"
    assert sheet_name("'開會'") == "開會"
    assert sheet_name("甲'乙") == "甲'乙"  # inside a name an apostrophe is allowed
    # cut at 31, the apostrophe that would end the name goes too
    assert sheet_name("一" * 30 + "'x") == "一" * 30


def test_two_titles_alike_for_31_characters_get_two_sheets():
    first, second = KIND + SPRING, KIND + AUTUMN
    assert len(KIND) == 12 and len(SPRING) == len(AUTUMN) == 23 and len(first) == 35
    assert first[:31] == second[:31] and first != second
    assert sheet_names([first, second]) == [first[:31], second[:28] + "（2）"]
    assert sheet_name("Sheet", ["SHEET"]) == "Sheet（2）"  # Excel tells sheet names apart regardless of case
    assert sheet_names(["甲", "甲", "甲"]) == ["甲", "甲（2）", "甲（3）"]


@pytest.fixture
def two_kinds(tmp_path):
    """The example with its one trip split in two (halves of 160,000 / 220,000 / 20,000, so 2078 國外旅費's
    400,000 still matches) under the two 類別 alike for 31 characters of their tables' titles."""
    path = tmp_path / "預算書.xlsx"
    shutil.copy(EXAMPLE, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["出國計畫"]
    row = [c.value for c in ws[2]]
    for r, (name, kind) in enumerate((("參與國際展會甲", SPRING), ("參與國際展會乙", AUTUMN)), start=2):
        values = list(row)
        values[0], values[1], values[8], values[9], values[10] = name, kind, 80_000, 110_000, 10_000
        for c, value in enumerate(values, start=1):
            ws.cell(r, c, value)
    wb.save(path)
    return path


def test_a_built_book_has_both_tables_and_links_each(two_kinds, tmp_path, capsys):
    out = tmp_path / "產生.xlsx"
    assert main(["build", str(two_kinds), "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    spring, autumn = (KIND + SPRING)[:31], (KIND + AUTUMN)[:28] + "（2）"
    assert spring in wb.sheetnames and autumn in wb.sheetnames

    def printed(name: str) -> set:
        return {v for row in wb[name].iter_rows(values_only=True) for v in row if isinstance(v, str)}

    assert "參與國際展會甲" in printed(spring) and "參與國際展會乙" not in printed(spring)
    assert "參與國際展會乙" in printed(autumn) and "參與國際展會甲" not in printed(autumn)
    assert KIND + AUTUMN in printed(autumn)  # the page prints the whole title
    links = {c.value.strip().split(". ", 1)[-1]: c.hyperlink.location for c in wb["目次"]["A"] if c.hyperlink}
    assert links[KIND + SPRING] == f"'{spring}'!A1" and links[KIND + AUTUMN] == f"'{autumn}'!A1"
    capsys.readouterr()
    assert main(["check", str(out), "--format", "json"]) == 0  # each table read back from its own sheet: as built
    findings = json.loads(capsys.readouterr().out)
    assert [f for f in findings if f["severity"] != "info"] == []


def test_the_openpyxl_writer_writes_and_links_both_too(two_kinds):
    """printing.write_tables (build's way for a book it cannot splice, and the tests' books) as build splices."""
    from xlbudget.adapters.printing import write_tables
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.derive.book import derive_all
    from xlbudget.readers.inputs import read_book

    wb = openpyxl.load_workbook(two_kinds)
    book, _ = read_book(input_grids(wb, "預算書"), "預算書")
    write_tables(wb, derive_all(book), book.agency)
    spring, autumn = (KIND + SPRING)[:31], (KIND + AUTUMN)[:28] + "（2）"
    assert wb[spring]["A1"].value is not None and wb[autumn]["A1"].value is not None
    assert "參與國際展會乙" in {v for row in wb[autumn].iter_rows(values_only=True) for v in row}
    links = {c.value.strip().split(". ", 1)[-1]: c.hyperlink.location for c in wb["目次"]["A"] if c.hyperlink}
    assert links[KIND + SPRING] == f"'{spring}'!A1" and links[KIND + AUTUMN] == f"'{autumn}'!A1"


def test_a_kind_with_a_slash_builds(tmp_path):
    """A 類別 typed 考察/訪問團: its table's sheet is 派員出國計畫預算類別表—考察／訪問團 (build stopped on
    openpyxl's «Invalid character / found in sheet title» before, exit 3)."""
    path = tmp_path / "預算書.xlsx"
    wb = openpyxl.load_workbook(EXAMPLE)
    wb["出國計畫"]["B2"] = "考察/訪問團"
    wb.save(path)
    out = tmp_path / "產生.xlsx"
    assert main(["build", str(path), "-o", str(out)]) == 0
    built = openpyxl.load_workbook(out)
    assert "派員出國計畫預算類別表—考察／訪問團" in built.sheetnames
    assert built["派員出國計畫預算類別表—考察／訪問團"]["A2"].value == "派員出國計畫預算類別表—考察/訪問團"


@pytest.mark.parametrize("writer", ["build", "openpyxl"])
def test_a_kind_with_an_apostrophe_is_linked_with_it_doubled(tmp_path, writer):
    """A 類別 typed 考察'訪問: its sheet is 派員出國計畫預算類別表—考察'訪問, and 目次 links to it as Excel writes a
    reference to such a sheet, the name quoted and its apostrophe doubled ('…考察''訪問'!A1); undoubled, Excel reads
    the link as going nowhere. Both writers: build's (XlsxWriter, spliced) and printing.write_tables (openpyxl)."""
    from xlbudget.adapters.printing import write_tables
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.derive.book import derive_all
    from xlbudget.readers.inputs import read_book

    path = tmp_path / "預算書.xlsx"
    wb = openpyxl.load_workbook(EXAMPLE)
    wb["出國計畫"]["B2"] = "考察'訪問"
    wb.save(path)
    if writer == "build":
        out = tmp_path / "產生.xlsx"
        assert main(["build", str(path), "-o", str(out)]) == 0
        wb = openpyxl.load_workbook(out)
    else:
        book, _ = read_book(input_grids(wb, "預算書"), "預算書")
        write_tables(wb, derive_all(book), book.agency)
    assert "派員出國計畫預算類別表—考察'訪問" in wb.sheetnames
    links = {c.value.strip().split(". ", 1)[-1]: c.hyperlink.location for c in wb["目次"]["A"] if c.hyperlink}
    assert links["派員出國計畫預算類別表—考察'訪問"] == "'派員出國計畫預算類別表—考察''訪問'!A1"
    # and it carries build's record (forms.overwrite) as every table sheet does: XlsxWriter's define_name found no
    # sheet of that name (a warning, and the record set hidden on the name before it)
    from xlbudget.forms.overwrite import RECORD_NAME, read_record

    assert all(read_record(ws.defined_names[RECORD_NAME].attr_text) for ws in wb.worksheets
               if ws.title.startswith("派員出國計畫"))
