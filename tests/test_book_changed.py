"""A book written by another run between a command's read and its write (field report 11 §1.1: build and
check --mark started together on one book; check --mark spliced the marks of the book it had read — 45 rows of
tables-stale / schedule-cell-mismatch — into the book build had just rebuilt, where those figures were right).
Whatever reads the officer's book and then writes a book from it refuses (book-changed, exit 2): nothing written,
the other run's book left as it wrote it, no backup nor temporary file left."""

import os
import time

import openpyxl
import pytest

from xlbudget.adapters.atomic import AsRead
from xlbudget.app.pipeline import build_file
from xlbudget.cli import main
from xlbudget.core.errors import OutputRefused

from conftest import sha256


@pytest.fixture
def stale_book(tmp_path):
    """The demo book built, then one line changed as the officer types it (歲出明細 G2 and H2 25,356,370 →
    26,000,000): its tables no longer print what its inputs give."""
    book = tmp_path / "預算.xlsx"
    assert main(["demo", "-o", str(book)]) == 0
    wb = openpyxl.load_workbook(book)
    wb["歲出明細"]["G2"] = wb["歲出明細"]["H2"] = 26_000_000
    wb.save(book)
    return book


def _others(folder, book):
    return sorted(p.name for p in folder.iterdir() if p != book)


def test_check_mark_refuses_a_book_build_rewrote_after_the_check(stale_book, monkeypatch, capsys):
    """check --mark read the book, then build wrote the rebuilt one, then check --mark would write: refused."""
    import xlbudget.app.check as check

    real = check.check_file
    built = {}

    def check_then_build(path, workbook=True):
        found = real(path, workbook)
        if not built:  # the other run, between this one's read and its write
            built["result"] = build_file(path)
            built["sha"] = sha256(path)
        return found

    monkeypatch.setattr(check, "check_file", check_then_build)
    assert main(["check", "--mark", str(stale_book)]) == 2  # main's: 1, its tables-stale marks written into the built book
    err = capsys.readouterr().err
    assert "預算.xlsx" in err and ".~xlbudget" not in err and "Traceback" not in err
    assert sha256(stale_book) == built["sha"]  # build's book, as build wrote it
    assert "檢核結果" not in openpyxl.load_workbook(stale_book, read_only=True).sheetnames
    assert _others(stale_book.parent, stale_book) == [built["result"].backup.name]  # build's backup only


@pytest.mark.parametrize("way", ["splice", "openpyxl"])
def test_build_refuses_a_book_saved_after_it_was_read(stale_book, monkeypatch, way):
    """build read the book, then the officer saved it in Excel (or check --mark marked it): build writes nothing,
    his save stays, by either way of building."""
    import xlbudget.adapters.books as books
    import xlbudget.app.splicebuild as splicebuild

    reader = "read_inputs" if way == "splice" else "load_book"
    real = getattr(books, reader)
    wb = openpyxl.load_workbook(stale_book)
    wb["歲出明細"]["G2"] = wb["歲出明細"]["H2"] = 26_100_000  # what the other save wrote: G2 typed again
    wb.save(stale_book.with_name("另存.xlsx"))
    other = stale_book.with_name("另存.xlsx").read_bytes()
    stale_book.with_name("另存.xlsx").unlink()

    def read_then_saved(path, *args):
        read = real(path, *args)
        time.sleep(0.01)  # a save a moment later: another modification time, whatever the clock's step
        stale_book.write_bytes(other)  # in place, as Excel's save over the file
        return read

    monkeypatch.setattr(books, reader, read_then_saved)
    if way == "openpyxl":
        monkeypatch.setattr(splicebuild, "splice_build", lambda *a: None)
    with pytest.raises(OutputRefused) as refused:
        build_file(stale_book)
    assert [f.rule for f in refused.value.findings] == ["book-changed"]
    assert stale_book.read_bytes() == other
    assert _others(stale_book.parent, stale_book) == []  # no backup, no temporary file


def test_a_book_read_is_changed_by_a_rename_or_a_write_in_place(tmp_path):
    book = tmp_path / "預算.xlsx"
    book.write_bytes(b"PK one")
    read = AsRead(book)
    assert not read.changed()
    read.refuse_changed()  # unchanged: no refusal
    other = tmp_path / "另存.xlsx"
    other.write_bytes(b"PK one")  # the same bytes, another file renamed over it (every atomic save)
    os.replace(other, book)
    assert read.changed()
    read = AsRead(book)
    st = book.stat()
    book.write_bytes(b"PK two")  # the same size, written in place
    os.utime(book, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    assert read.changed()
    with pytest.raises(OutputRefused) as refused:
        read.refuse_changed()
    assert [f.rule for f in refused.value.findings] == ["book-changed"]
    book.unlink()
    assert read.changed()


def test_two_builds_at_once_leave_one_backup_the_original_and_say_it_once(stale_book, monkeypatch, capsys):
    """Two builds of one book at once (field report 11 §5.1): both said «原檔已備份為», and the second backup was the
    first build's output. Here the other build writes its book just after this one copied the original: this one's
    rename is refused, and its backup (of the original, as the other's is) removed, never left as «備份-1»."""
    import xlbudget.adapters.xlsxfile as xlsxfile

    real = xlsxfile.backup_copy
    other = {}

    def copied_then_other_build(path):
        made = real(path)
        other["backup"] = real(path)  # the other build's own backup of the same original, then its write
        other["result"] = main(["build", str(path), "-o", str(path.with_name("另一.xlsx"))])
        path.write_bytes(path.with_name("另一.xlsx").read_bytes())
        other["sha"] = sha256(path)
        return made

    monkeypatch.setattr(xlsxfile, "backup_copy", copied_then_other_build)
    original = sha256(stale_book)
    assert main(["build", str(stale_book)]) == 2
    out = capsys.readouterr()
    assert "原檔已備份為" not in out.out  # this run says no backup (the other, built with -o, makes none)
    assert sha256(stale_book) == other["sha"]
    backups = [p for p in stale_book.parent.iterdir() if "備份" in p.name]
    assert backups == [other["backup"]] and sha256(backups[0]) == original


def test_backups_past_ten_are_counted_never_removed(tmp_path, capsys):
    """Backups pile up (field report 11 §5.3): xlbudget removes none; from the tenth of one book on, build says how
    many there are. Another file named like one (a different stem, a date of other digits) is not counted."""
    import shutil

    from test_convert import EXAMPLE

    book = tmp_path / "預算.xlsx"
    shutil.copy(EXAMPLE, book)
    for n in range(8):
        (tmp_path / f"預算.備份-2026120{n}-101010.xlsx").write_bytes(b"x" * 1000)
    (tmp_path / "預算.備份-舊版.xlsx").write_bytes(b"his")
    (tmp_path / "其他.備份-20261201-101010.xlsx").write_bytes(b"x")
    assert main(["build", str(book)]) in (0, 1)  # 9 backups of 預算.xlsx
    assert "xlbudget 不會自行刪除備份" not in capsys.readouterr().out
    assert main(["build", str(book)]) in (0, 1)  # 10
    out = capsys.readouterr().out
    assert f"{tmp_path} 中已有 預算.xlsx 的備份 10 個" in out and "預算.備份-20261200-101010.xlsx" in out
    assert len(list(tmp_path.iterdir())) == 13  # the book, its 10 backups, the two others: none removed
