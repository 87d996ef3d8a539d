"""xlbudget.adapters.atomic: the one writer every saved file goes through."""

import os

import pytest

from xlbudget.adapters.atomic import write_atomic, write_text_atomic


def test_atomic_writer_leaves_the_old_file_or_the_new_one(tmp_path):
    """One atomic writer for every file xlbudget writes: a failed write leaves the old file and no temporary."""
    target = tmp_path / "sub" / "out.json"
    write_text_atomic(target, "舊")

    def half_then_fail(tmp):
        tmp.write_text("半", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_atomic(target, half_then_fail)
    assert target.read_text(encoding="utf-8") == "舊"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.json"]
    write_text_atomic(target, "新")
    assert target.read_text(encoding="utf-8") == "新"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0600


def test_a_failed_backup_copy_leaves_no_half_backup(tmp_path, monkeypatch):
    """The backup kept before a book is rewritten goes through the atomic writer too: a copy that fails
    half-way (disk full) leaves nothing that looks like a backup, and the book as it was."""
    from pathlib import Path

    from xlbudget.adapters import xlsxfile

    book = tmp_path / "預算.xlsx"
    book.write_bytes(b"PK" + bytes(1000))

    def half_then_fail(src, dst, **kwargs):
        Path(dst).write_bytes(Path(src).read_bytes()[:10])
        raise OSError("disk full")

    monkeypatch.setattr(xlsxfile.shutil, "copy2", half_then_fail)
    with pytest.raises(OSError):
        xlsxfile.backup_copy(book)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["預算.xlsx"]
    assert book.read_bytes() == b"PK" + bytes(1000)
