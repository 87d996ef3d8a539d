"""--mark / --clear / build on a read-only book or folder (field report L6): refused naming the book itself and
the cause (output-read-only, folder-read-only), exit 2, the original unchanged and no backup copy left behind."""

import os
import shutil
import subprocess
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from xlbudget.adapters.atomic import write_text_atomic
from xlbudget.app.pipeline import build_file
from xlbudget.cli import main
from xlbudget.core.errors import InputError

from conftest import sha256
from test_convert import EXAMPLE


@contextmanager
def read_only(path):
    """``path`` made read-only for this process: the immutable flag as root (whom modes do not stop), else chmod."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)],
                                                            capture_output=True).returncode:
            pytest.skip("cannot make a file read-only for root here (no chattr)")
        undo = lambda: subprocess.run(["chattr", "-i", str(path)], check=True)  # noqa: E731
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        undo = lambda: path.chmod(mode)  # noqa: E731
    try:
        yield
    finally:
        undo()


@pytest.fixture
def book(tmp_path):
    folder = tmp_path / "局處"
    folder.mkdir()
    path = folder / "唯讀預算書.xlsx"
    shutil.copy(EXAMPLE, path)
    return path


@pytest.mark.parametrize("locked", ["file", "folder"])
def test_mark_and_build_refuse_naming_the_book_and_leave_nothing(book, locked, capsys):
    """--mark, build, and --clear of a marked book are refused; --clear of a book never marked writes nothing, so
    it is not refused: it says there is nothing to clear (exit 0)."""
    marked = book.parent / "已標示.xlsx"
    assert main(["check", str(book), "--mark", "-o", str(marked)]) in (0, 1)  # its 檢核結果 and state: to clear
    before, before_marked = sha256(book), sha256(marked)
    rule = "output-read-only" if locked == "file" else "folder-read-only"
    with ExitStack() as stack:
        for path in ([book, marked] if locked == "file" else [book.parent]):
            stack.enter_context(read_only(path))
        for argv in (["check", str(book), "--mark"], ["check", str(marked), "--clear"], ["build", str(book)]):
            assert main(argv) == 2, argv
            err = capsys.readouterr().err
            assert Path(argv[1]).name in err and ".~xlbudget" not in err and "Traceback" not in err
        assert main(["check", str(book), "--clear"]) == 0
        assert "沒有 xlbudget 的標示可清除" in capsys.readouterr().out
        with pytest.raises(InputError) as refused:
            build_file(book)
        assert [f.rule for f in refused.value.findings] == [rule]
        assert sorted(p.name for p in book.parent.iterdir()) == sorted([book.name, marked.name])  # no backup, no
        # temporary file
    assert sha256(book) == before and sha256(marked) == before_marked


def test_a_file_open_elsewhere_is_named_not_our_temporary_file(tmp_path, monkeypatch):
    """Where the rename itself is refused (Windows: the book open in Excel), the message names the book."""
    def refuse(src, dst):
        raise PermissionError(13, "in use", str(src))  # as the OS reports it: the temporary file's name

    monkeypatch.setattr(os, "replace", refuse)
    target = tmp_path / "預算書.json"
    with pytest.raises(InputError) as refused:
        write_text_atomic(target, "{}")
    assert [f.rule for f in refused.value.findings] == ["output-locked"]
    assert "預算書.json" in str(refused.value) and ".~xlbudget" not in str(refused.value)
    assert list(tmp_path.iterdir()) == []
