"""The 2026-12-02 field test (field report 16): books that went silently wrong, or stopped a command with an
internal error.

Figures are the example book's (高雄市政府資訊中心 113年度): 歲出 275,795 千元, every line under 職能別
「01 一般公共事務」; 以前年度's 前年度決算數 of its two 工作計畫 37,879 + 150,283 = 188,162 千元, against 基本資料's
前年度歲出預算數 190,786 千元 (執行率 98.62%, as its 總說明 prints).
"""

from __future__ import annotations

from pathlib import Path

from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app.example import example_workbook
from xlbudget.cli import main


# ------------------------------------------------- §1: a book whose name nearly fills the file system's 255 bytes

LONG_NAME = "甲" * 83 + "1.xlsx"  # 249 + 6 = 255 bytes in UTF-8: Linux's and macOS's longest file name


def test_convert_of_a_folder_holding_a_book_of_a_255_byte_name_finishes(tmp_path, capsys):
    """A book named to the file system's 255 bytes (build's own backup of a long-named book is shortened to just
    that: 「…備份-20261202-160827.xlsx」): its lock files ~$NAME and .~lock.NAME# are longer than any file can be
    named, and asking for them raised OSError (ENAMETOOLONG): convert stopped after converting every book with
    «xlbudget 內部錯誤（OSError: [Errno 36] File name too long: '…/~$甲甲…'）», exit 2, no 轉換摘要 written."""
    from xlbudget.adapters.atomic import lock_file

    folder = tmp_path / "in"
    folder.mkdir()
    assert len(LONG_NAME.encode()) == 255
    book = save_atomic(example_workbook(), folder / LONG_NAME)
    assert lock_file(book) is None  # no lock file can bear the name: the book is not open
    assert main(["convert", str(folder), "-o", str(tmp_path / "out"), "--format", "json"]) == 0, \
        capsys.readouterr().err
    out = tmp_path / "out"
    assert (out / "轉換摘要.xlsx").exists()
    assert any(p.suffix == ".json" and p.name != "轉換摘要.json" for p in out.iterdir()), sorted(out.iterdir())
