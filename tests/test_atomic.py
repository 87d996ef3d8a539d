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
