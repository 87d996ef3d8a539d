"""The convert program (and build, check, export) ends itself once its work is done and its last line flushed
(cli._leave): the exit handlers run, the interpreter's teardown does not (issue 13: 6-7 ms of CPU a run, and in --jobs 2
≈1,600 page faults on pages shared with the workers). Nothing it wrote, printed or registered may be lost by it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from xlbudget.adapters.atomic import TEMP_PREFIX

EXAMPLE = Path(__file__).resolve().parent.parent / "workbooks" / "範例-高雄市政府資訊中心113年度.xlsx"

# the program as its console script runs it, with an exit handler of its own, os._exit watched (the files open as
# it is called, besides the standard streams: a buffered file not closed would lose what it holds)
PROGRAM = """import atexit, gc, io, os, sys
atexit.register(lambda: print("出口處理"))
_exit = os._exit
def leaving(code):
    std = [sys.stdin, sys.stdout, sys.stderr]
    std += [getattr(s, "buffer", None) for s in std] + [getattr(getattr(s, "buffer", None), "raw", None) for s in std]
    files = [o for o in gc.get_objects() if isinstance(o, io.IOBase) and not isinstance(o, (io.BytesIO, io.StringIO))
             and not o.closed and not any(o is s for s in std)]
    os.write(2, f"os._exit({code}) 開啟中的檔案 {files}\\n".encode())
    _exit(code)
os._exit = leaving
from xlbudget.cli import main
sys.argv[:1] = ["xlbudget"]
sys.exit(main())
"""


def _run(*args, cwd):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # standard output buffered, as a user's
    return subprocess.run([sys.executable, "-c", PROGRAM, *args], capture_output=True, text=True, cwd=cwd,
                          env={**env, "PYTHONIOENCODING": "utf-8"}, timeout=300)


def test_convert_leaves_without_teardown_and_loses_nothing(tmp_path):
    books = tmp_path / "books"
    books.mkdir()
    for name in ("甲.xlsx", "乙.xlsx", "丙.xlsx"):
        (books / name).write_bytes(EXAMPLE.read_bytes())
    (books / "壞.xlsx").write_bytes(b"not a workbook")  # a book not converted: exit 2, said
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        done = _run("convert", "books", "-o", out.name, "--jobs", jobs, cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        assert f"os._exit(2) 開啟中的檔案 []" in done.stderr  # ended by _leave, every file closed
        # standard output is a pipe (buffered): its last line, then the exit handler's, both there
        assert done.stdout.splitlines()[-2].startswith("共 4 本：完成 3")
        assert done.stdout.splitlines()[-1] == "出口處理"
        assert "壞.xlsx" in done.stderr
        names = sorted(p.name for p in out.iterdir())
        assert names == [".xlbudget-convert.json", "丙.xlsx", "乙.xlsx", "甲.xlsx", "轉換摘要.json", "轉換摘要.xlsx"]
        assert not [p for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert (tmp_path / "out1" / "轉換摘要.json").read_text(encoding="utf-8").endswith("}")


@pytest.mark.parametrize("args, written", [
    (("build", "甲.xlsx", "-o", "乙.xlsx"), "乙.xlsx"),
    (("build", "甲.xlsx"), None),  # in place: the backup copy kept, the book replaced
    (("check", "甲.xlsx"), None),
    (("check", "甲.xlsx", "--mark", "-o", "丙.xlsx"), "丙.xlsx"),
    (("export", "甲.xlsx", "-o", "甲.json"), "甲.json"),
])
def test_build_check_and_export_leave_without_teardown_and_lose_nothing(tmp_path, args, written):
    """The single-book commands end as convert does (3.5-4.5 ms of CPU each, issue 13): every file closed, their last
    line and the exit handler's printed. Red when main left only convert by _leave: no «os._exit(0)» line."""
    (tmp_path / "甲.xlsx").write_bytes(EXAMPLE.read_bytes())
    done = _run(*args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "os._exit(0) 開啟中的檔案 []" in done.stderr
    assert done.stdout.splitlines()[-1] == "出口處理"
    assert len(done.stdout.splitlines()) > 1  # the command's own lines before it
    if written:
        assert (tmp_path / written).stat().st_size > 0
    if written == "甲.json":
        assert (tmp_path / written).read_text(encoding="utf-8").rstrip().endswith("]")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_other_commands_leave_as_python_does(tmp_path):
    done = _run("new", "範本.xlsx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "os._exit" not in done.stderr
    assert (tmp_path / "範本.xlsx").exists()
    assert done.stdout.splitlines()[-1] == "出口處理"


def test_under_a_profiler_a_command_ends_as_python_does(tmp_path):
    """python -m cProfile writes its profile once the program returns: _leave leaves it the interpreter's exit. Red
    without sys.getprofile() asked: no profile written."""
    (tmp_path / "甲.xlsx").write_bytes(EXAMPLE.read_bytes())
    done = subprocess.run([sys.executable, "-m", "cProfile", "-o", "prof.out", "-m", "xlbudget", "check", "甲.xlsx"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "prof.out").stat().st_size > 0
