"""next-year of a book open in Excel (field report 11 §4.2): made from the last save, and said so (book-open-read,
as convert says it of a book it reads with its lock file beside it), never carried without a word."""

import shutil

from xlbudget.app.pipeline import next_year_file
from xlbudget.cli import main

from test_convert import EXAMPLE

EXCEL_LOCK = b"\x08" + "王承辦".encode("utf-16-le").ljust(53, b"\x20") + b"\x00" * 107  # 165 bytes, as Excel's


def test_next_year_of_a_book_open_in_excel_says_it_carried_the_last_save(tmp_path, capsys):
    book = tmp_path / "預算 書.xlsx"
    shutil.copy(EXAMPLE, book)
    assert [f.rule for f in next_year_file(book, tmp_path / "甲.xlsx").findings if f.rule == "book-open-read"] == []
    (tmp_path / "~$預算 書.xlsx").write_bytes(EXCEL_LOCK)
    found = [f for f in next_year_file(book, tmp_path / "乙.xlsx").findings if f.rule == "book-open-read"]
    assert len(found) == 1 and "~$預算 書.xlsx" in found[0].message and "Excel" in found[0].message
    assert main(["next-year", str(book), "-o", str(tmp_path / "丙.xlsx")]) == 0  # a warning: the book is written
    out = capsys.readouterr().out
    assert "預算 書.xlsx book-open-read" in out


def test_a_workbook_named_like_a_lock_file_is_not_a_lock(tmp_path):
    book = tmp_path / "預算.xlsx"
    shutil.copy(EXAMPLE, book)
    shutil.copy(EXAMPLE, tmp_path / "~$預算.xlsx")  # a book someone named so: a zip, not Excel's few bytes
    assert [f.rule for f in next_year_file(book, tmp_path / "甲.xlsx").findings if f.rule == "book-open-read"] == []
