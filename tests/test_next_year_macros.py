"""next-year of an .xlsm (field report 6 §6 f27): its macros go on into next year's .xlsm, or the officer is told
they are not carried. Before, ``-o NEXT.xlsm`` was refused («副檔名應為 .xlsx») and an .xlsx output said nothing of
the macros left behind: README's Excel steps 2–5 again every year, without a word."""

import zipfile

import openpyxl

from test_build_splice import VBA, macro_book
from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app.example import example_workbook
from xlbudget.cli import main

MACRO_ENABLED = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def _year(path) -> str:
    return next(str(v.value) for k, v in openpyxl.load_workbook(path)["基本資料"].iter_rows(min_row=2)
                if k.value == "年度")


def test_next_year_of_an_xlsm_carries_its_macros_into_an_xlsm(tmp_path, capsys):
    # red before: exit 2, «輸出檔名 新年度.xlsm 的副檔名應為 .xlsx»
    book = macro_book(tmp_path)
    assert main(["next-year", str(book), "-o", str(tmp_path / "新年度.xlsm")]) == 0
    out = capsys.readouterr().out
    assert "已帶入 巨集.xlsm 的巨集（VBA 專案）" in out and "按鈕與自訂功能區" in out
    with zipfile.ZipFile(tmp_path / "新年度.xlsm") as z:
        assert z.read("xl/vbaProject.bin") == VBA  # the officer's project, byte for byte
        assert MACRO_ENABLED in z.read("[Content_Types].xml")  # Excel opens an .xlsm only so
        assert b"vbaProject.bin" in z.read("xl/_rels/workbook.xml.rels")
    assert _year(tmp_path / "新年度.xlsm") == "114"  # next year's book all the same: 113 + 1
    # a folder: the source's name, -新年度, as an .xlsm
    (tmp_path / "出").mkdir()
    assert main(["next-year", str(book), "-o", str(tmp_path / "出")]) == 0
    with zipfile.ZipFile(tmp_path / "出" / "巨集-新年度.xlsm") as z:
        assert z.read("xl/vbaProject.bin") == VBA


def test_the_hint_names_the_readme_heading_and_step_that_add_the_buttons(tmp_path, capsys):
    # red before: the hint named «桌面版 Excel», a heading README does not have (it is «Desktop Excel (Windows, macOS)»)
    import re
    from pathlib import Path

    book = macro_book(tmp_path)
    assert main(["next-year", str(book), "-o", str(tmp_path / "新年度.xlsm")]) == 0
    heading, step = re.search(r"「([^」]+)」(?:一節)?第 (\d+) 步", capsys.readouterr().out).groups()
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8").splitlines()
    start = readme.index(f"### {heading}")
    end = next(n for n in range(start + 1, len(readme)) if readme[n].startswith("#"))
    (line,) = [line for line in readme[start:end] if line.startswith(f"{step}. ")]
    assert "buttons" in line  # the step that puts the buttons and the 預算 ribbon back
    assert any("customUI.xml" in later for later in readme[readme.index(line, start):end])


def test_next_year_of_an_xlsm_into_an_xlsx_says_the_macros_are_left(tmp_path, capsys):
    # red before: nothing said of the macros
    book = macro_book(tmp_path)
    assert main(["next-year", str(book), "-o", str(tmp_path / "新年度.xlsx")]) == 0
    assert "巨集.xlsm 的巨集未帶入（新年度.xlsx 是 .xlsx）；要保留巨集，請以 -o 指定 .xlsm 輸出檔" in capsys.readouterr().out
    with zipfile.ZipFile(tmp_path / "新年度.xlsx") as z:
        assert "xl/vbaProject.bin" not in z.namelist() and MACRO_ENABLED not in z.read("[Content_Types].xml")


def test_an_xlsm_output_with_no_macros_to_carry_is_refused(tmp_path, capsys):
    # an .xlsx has none, nor an .xlsm without a VBA project: an .xlsm output would be a plain book Excel refuses
    plain = save_atomic(example_workbook(), tmp_path / "範例.xlsx")
    assert main(["next-year", str(plain), "-o", str(tmp_path / "新年度.xlsm")]) == 2
    assert "副檔名應為 .xlsx" in capsys.readouterr().err
    bare = save_atomic(example_workbook(), tmp_path / "無巨集.xlsm")
    assert main(["next-year", str(bare), "-o", str(tmp_path / "新年度.xlsm")]) == 2
    err = capsys.readouterr().err
    assert "無巨集.xlsm 沒有巨集（VBA 專案）可帶入 新年度.xlsm" in err and "Traceback" not in err
    assert not (tmp_path / "新年度.xlsm").exists()
    assert main(["next-year", str(bare), "-o", str(tmp_path / "新年度.xlsx")]) == 0
    assert "的巨集" not in capsys.readouterr().out  # nothing to carry, nothing said
