"""A full disk or a file-size limit (field report 11 §3.1: a full USB stick or share, `ulimit -f`): every command that
writes says so — disk-full / file-too-large, exit 2, naming the file it did not write and its folder — never
«xlbudget 內部錯誤 … 請回報» (exit 3), never a traceback after it (openpyxl's zip closed again when collected),
the original unchanged and nothing left beside it."""

import errno
import resource
import shutil
import subprocess
import sys

import pytest

from xlbudget.adapters.atomic import write_atomic, write_text_atomic
from xlbudget.core.errors import OutputRefused

from conftest import sha256
from test_convert import EXAMPLE


@pytest.mark.parametrize("code, rule", [(errno.ENOSPC, "disk-full"), (errno.EFBIG, "file-too-large")])
def test_no_room_is_refused_naming_the_file_not_our_temporary_file(tmp_path, code, rule):
    target = tmp_path / "預算.json"

    def full(tmp):
        tmp.write_text("{")
        raise OSError(code, "No space left on device", str(tmp))  # as the OS names it: our temporary file

    with pytest.raises(OutputRefused) as refused:
        write_atomic(target, full)
    assert [f.rule for f in refused.value.findings] == [rule]
    assert "預算.json" in str(refused.value) and str(tmp_path) in str(refused.value)
    assert ".~xlbudget" not in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_lxml_saying_no_room_is_refused_as_no_room(tmp_path):
    """openpyxl writes its sheets through lxml, whose serialiser says «IO_EFBIG» in an error of its own."""
    lxml = pytest.importorskip("lxml.etree")

    def full(tmp):
        raise lxml.SerialisationError("IO_EFBIG")

    with pytest.raises(OutputRefused) as refused:
        write_atomic(tmp_path / "下年度.xlsx", full)
    assert [f.rule for f in refused.value.findings] == ["file-too-large"]
    with pytest.raises(lxml.SerialisationError):  # any other serialiser error is not said to be a full disk
        write_atomic(tmp_path / "下年度.xlsx", lambda tmp: (_ for _ in ()).throw(lxml.SerialisationError("IO_EIO")))
    assert list(tmp_path.iterdir()) == []


def test_a_text_written_on_a_full_disk(tmp_path, monkeypatch):
    monkeypatch.setattr("pathlib.Path.write_text", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    with pytest.raises(OutputRefused) as refused:
        write_text_atomic(tmp_path / "匯出.json", "{}")
    assert [f.rule for f in refused.value.findings] == ["disk-full"]


LIMIT = 20 * 1024  # bytes: the example book (45 kB) is read whole, and no book xlbudget writes of it fits


@pytest.mark.parametrize("argv", [["build", "{book}"], ["build", "{book}", "-o", "{folder}/輸出.xlsx"],
                                  ["next-year", "{book}", "-o", "{folder}/下年度.xlsx"], ["check", "--mark", "{book}"]])
def test_a_file_size_limit_is_said_without_a_traceback(tmp_path, argv):
    """The commands themselves under `ulimit -f`: what main gave was exit 3, «內部錯誤（OSError: [Errno 27] File too
    large …」», and after next-year «Exception ignored in: <function ZipFile.__del__>» with a traceback."""
    book = tmp_path / "預算.xlsx"
    shutil.copy(EXAMPLE, book)
    assert book.stat().st_size > LIMIT
    before = sha256(book)
    argv = [a.format(book=book, folder=tmp_path) for a in argv]
    run = subprocess.run([sys.executable, "-m", "xlbudget", *argv], capture_output=True, text=True,
                         preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT)))
    assert run.returncode == 2, run.stderr
    written = argv[-1] if "-o" in argv else str(book)
    assert written.rsplit("/", 1)[-1] in run.stderr and str(tmp_path) in run.stderr  # the file and its folder
    assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr and "內部錯誤" not in run.stderr
    assert sha256(book) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["預算.xlsx"]


class _Full:
    """A zip's file on a disk that fills after its first bytes: every later write fails, as a full share's does."""

    def __init__(self, fp, room):
        self.fp, self.room = fp, room

    def write(self, data):
        self.room -= len(data)
        if self.room < 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.fp.write(data)

    def __getattr__(self, name):
        return getattr(self.fp, name)


def test_openpyxls_zip_is_closed_when_the_disk_fills(tmp_path, monkeypatch):
    """openpyxl leaves its zip open when a write fails; collected later, it tried to close it and failed again on the
    full disk: «Exception ignored in: <function ZipFile.__del__>» and a traceback after the message (next-year)."""
    import gc
    import zipfile

    from xlbudget.adapters.xlsxfile import save_atomic
    from xlbudget.app.example import example_workbook

    wb = example_workbook()
    real = zipfile.ZipFile.__init__

    def full_disk(self, file, mode="r", *args, **kwargs):
        real(self, file, mode, *args, **kwargs)
        if mode == "w":
            self.fp = _Full(self.fp, 4096)

    ignored = []
    monkeypatch.setattr(sys, "unraisablehook", ignored.append)
    monkeypatch.setattr(zipfile.ZipFile, "__init__", full_disk)
    with pytest.raises(OutputRefused) as refused:
        save_atomic(wb, tmp_path / "下年度.xlsx")
    assert [f.rule for f in refused.value.findings] == ["disk-full"]
    del refused
    gc.collect()
    assert [str(u.exc_value) for u in ignored] == []
    assert list(tmp_path.iterdir()) == []
