"""convert's limits: a book that takes too long is given up at its time limit and the batch goes on (it stopped
the whole batch: convert had no limit per book), and a process that cannot be forked (EAGAIN, ENOMEM) leaves the
batch to fewer workers or to one process, with a word (it was an internal error). Inputs are never touched."""

import errno
import io
import multiprocessing
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

from xlbudget.app import convert
from xlbudget.cli import main

from conftest import sha256

EXAMPLE = Path(__file__).resolve().parent.parent / "workbooks" / "範例-高雄市政府資訊中心113年度.xlsx"
NAMES = ["甲.xlsx", "乙.xlsx", "丙.xlsx"]
LINUX = sys.platform.startswith("linux")


def _books(folder: Path) -> Path:
    folder.mkdir()
    for name in NAMES:
        shutil.copy(EXAMPLE, folder / name)
    return folder


def _hanging(monkeypatch, native: bool = False) -> None:
    """乙.xlsx never ends: a loop of Python code, or (``native``) a wait deaf to the alarm, as a C extension's is.
    The others end at once, converted (a real book takes seconds of the clock on a busy machine: not a limit of 1)."""
    def convert_one(source, target, *args):
        if Path(source).name == "乙.xlsx":
            if native:
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM, signal.SIGTERM})
            while True:
                time.sleep(0.05)
        Path(target).write_bytes(b"converted")
        return convert.BookResult(source=source, output=target, status=convert.OK)

    monkeypatch.setattr(convert, "convert_one", convert_one)


def _status(results) -> dict:
    return {Path(r.source).name: (r.status, r.reason) for r in results}


WANTED = {"甲.xlsx": ("完成", ""), "乙.xlsx": ("無法讀取", "book-timeout"), "丙.xlsx": ("完成", "")}


@pytest.mark.parametrize("jobs, fork", [(1, True), (2, True), (2, False)])
def test_a_book_past_its_limit_is_given_up_and_the_batch_goes_on(tmp_path, monkeypatch, jobs, fork):
    if jobs > 1 and (fork and not LINUX or not fork and multiprocessing.get_start_method() != "fork"):
        pytest.skip("the stand-in reaches the workers only when they are forked")
    _hanging(monkeypatch)
    monkeypatch.setattr(convert, "_FORK", fork and LINUX)
    books = _books(tmp_path / "in")
    before = {p.name: sha256(p) for p in books.iterdir()}
    out = tmp_path / "out"
    started = time.monotonic()
    code, results = convert.convert_paths([str(books)], str(out), jobs=jobs, stream=io.StringIO(), timeout=1)
    assert time.monotonic() - started < 60  # the hanging book stopped the batch for good before
    assert _status(results) == WANTED and code == convert.EXIT_UNREADABLE
    assert next(r.message for r in results if r.reason == "book-timeout") == "乙.xlsx 超過 1 秒未完成，已略過"
    # 轉換摘要's 秒 of the book given up is its limit at least, never 0.0 beside «超過 1 秒未完成»
    assert next(r.seconds for r in results if r.reason == "book-timeout") >= 1
    assert {p.name: sha256(p) for p in books.iterdir()} == before
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".xlbudget")) == [
        "丙.xlsx", "甲.xlsx", "轉換摘要.json", "轉換摘要.xlsx"]  # no temporary file, no output for 乙


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
def test_a_worker_deaf_to_its_limit_is_killed(tmp_path, monkeypatch):
    # held in native code a worker never sees its alarm: the batch kills it _KILL_GRACE after the limit
    _hanging(monkeypatch, native=True)
    monkeypatch.setattr(convert, "_KILL_GRACE", 0.5)
    books = _books(tmp_path / "in")
    code, results = convert.convert_paths([str(books)], str(tmp_path / "out"), jobs=2, stream=io.StringIO(),
                                          timeout=1)
    assert _status(results) == WANTED
    assert convert._children == set()
    with pytest.raises(ChildProcessError):  # every worker awaited: none left running or unreaped
        os.waitpid(-1, os.WNOHANG)


def _deaf_pool(monkeypatch) -> None:
    """The pool of macOS and Windows (not forked workers), 乙 held in native code deaf to its alarm, and half a
    second's grace before a deaf worker is killed."""
    _hanging(monkeypatch, native=True)
    monkeypatch.setattr(convert, "_FORK", False)
    monkeypatch.setattr(convert, "_KILL_GRACE", 0.5)

@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the stand-in reaches forked workers only")
def test_a_pool_worker_deaf_to_its_limit_is_killed_and_the_others_go_on(tmp_path, monkeypatch):
    # the pool of macOS and Windows (Windows has no alarm at all): a book whose worker never sees its limit held the
    # batch for ever (no summary). Now it is book-timeout _KILL_GRACE after its limit, its pool ended, and the books
    # not done go on in a new pool: 甲 and 丙 完成, never worker-died for 乙's sake
    _deaf_pool(monkeypatch)
    books = _books(tmp_path / "in")
    started = time.monotonic()
    out = tmp_path / "out"
    code, results = convert.convert_paths([str(books)], str(out), jobs=2, stream=io.StringIO(), timeout=1)
    assert time.monotonic() - started < 60
    assert _status(results) == WANTED and code == convert.EXIT_UNREADABLE
    assert (out / "轉換摘要.xlsx").exists()
    assert multiprocessing.active_children() == []  # every pool process ended and awaited


def test_the_command_line_sets_the_limit_and_says_it(tmp_path, monkeypatch, capsys):
    _hanging(monkeypatch)
    books = _books(tmp_path / "in")
    assert main(["convert", str(books), "-o", str(tmp_path / "out"), "--jobs", "1", "--timeout", "0.5"]) == 2
    captured = capsys.readouterr()
    assert "乙.xlsx 超過 0.5 秒未完成，已略過" in captured.err and "Traceback" not in captured.err
    for wrong in ("-1", "abc", "nan"):
        with pytest.raises(SystemExit) as usage:
            main(["convert", str(books), "-o", str(tmp_path / "out2"), "--timeout", wrong])
        assert usage.value.code == 2 and "--timeout" in capsys.readouterr().err
    assert not (tmp_path / "out2").exists()


def test_the_default_limit_is_the_one_the_help_names(capsys):
    with pytest.raises(SystemExit):
        main(["convert", "-h"])
    assert f"預設 {convert.DEFAULT_TIMEOUT} 秒" in capsys.readouterr().out
    assert convert.convert_paths.__defaults__[-1] == convert.DEFAULT_TIMEOUT


def _failing_fork(monkeypatch, fails_after: int, code: int) -> list:
    """os.fork that forks ``fails_after`` workers, then fails with ``code`` (EAGAIN: too many processes)."""
    real, forked = os.fork, []

    def fork():
        if len(forked) >= fails_after:
            raise OSError(code, os.strerror(code))
        pid = real()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return forked


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
@pytest.mark.parametrize("fails_after, code, said", [
    (0, errno.EAGAIN, "無法建立新的處理程序（系統的處理程序數已達上限）：改在本處理程序逐本轉換"),
    (0, errno.ENOMEM, "無法建立新的處理程序（記憶體不足）：改在本處理程序逐本轉換"),
    (1, errno.EAGAIN, "無法建立新的處理程序（系統的處理程序數已達上限）：以 1 個處理程序繼續轉換"),
])
def test_no_process_to_fork_leaves_the_batch_to_fewer(tmp_path, monkeypatch, fails_after, code, said):
    # was: OSError out of os.fork, «xlbudget 內部錯誤（BlockingIOError…）», exit 3, no book converted
    forked = _failing_fork(monkeypatch, fails_after, code)
    books = _books(tmp_path / "in")
    stream = io.StringIO()
    exit_code, results = convert.convert_paths([str(books)], str(tmp_path / "out"), jobs=3, stream=stream)
    assert exit_code == convert.EXIT_OK and [r.status for r in results] == ["完成"] * 3
    assert said in stream.getvalue().splitlines() and len(forked) == fails_after
    assert convert._children == set()


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
def test_no_process_in_place_of_a_dead_worker_leaves_the_rest_to_this_one(tmp_path, monkeypatch):
    # one worker of the two asked for, killed on 乙 (as the out-of-memory killer does); none can be forked in its
    # place: 丙 (first of the three, by name) is the worker's, 甲 (after 乙) this process's
    real = convert.convert_one

    def dying(source, *args):
        if Path(source).name == "乙.xlsx":
            os.kill(os.getpid(), signal.SIGKILL)
        return real(source, *args)

    monkeypatch.setattr(convert, "convert_one", dying)
    _failing_fork(monkeypatch, 1, errno.EAGAIN)
    books = _books(tmp_path / "in")
    stream = io.StringIO()
    code, results = convert.convert_paths([str(books)], str(tmp_path / "out"), jobs=2, stream=stream)
    assert _status(results) == {"甲.xlsx": ("完成", ""), "乙.xlsx": ("無法讀取", "worker-died"), "丙.xlsx": ("完成", "")}
    said = [line for line in stream.getvalue().splitlines() if line.startswith("無法建立")]
    assert said == ["無法建立新的處理程序（系統的處理程序數已達上限）：以 1 個處理程序繼續轉換",
                    "無法建立新的處理程序（系統的處理程序數已達上限）：改在本處理程序逐本轉換"]
    assert convert._children == set()


def test_a_pool_that_cannot_start_leaves_the_batch_to_this_process(tmp_path, monkeypatch):
    # where workers are spawned (macOS, Windows): a pool whose processes cannot start
    from concurrent.futures import ProcessPoolExecutor

    def submit(self, *args, **kwargs):
        raise OSError(errno.EAGAIN, os.strerror(errno.EAGAIN))

    monkeypatch.setattr(ProcessPoolExecutor, "submit", submit)
    monkeypatch.setattr(convert, "_FORK", False)
    books = _books(tmp_path / "in")
    stream = io.StringIO()
    code, results = convert.convert_paths([str(books)], str(tmp_path / "out"), jobs=2, stream=stream)
    assert code == convert.EXIT_OK and [r.status for r in results] == ["完成"] * 3
    assert "無法建立新的處理程序（系統的處理程序數已達上限）：改在本處理程序逐本轉換" in stream.getvalue().splitlines()


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
def test_ctrl_c_with_a_worker_deaf_to_it_ends_and_leaves_no_worker(tmp_path, monkeypatch):
    # Ctrl-C while a worker is held in native code (deaf to SIGTERM as to its alarm): the batch waited for it for
    # ever (a second Ctrl-C ended the batch and left the worker running, orphaned). Now it is killed _KILL_GRACE
    # after it was told to stop: ConvertInterrupted, every worker awaited, no temporary file
    import threading

    _hanging(monkeypatch, native=True)
    monkeypatch.setattr(convert, "_KILL_GRACE", 0.5)
    books = _books(tmp_path / "in")
    out = tmp_path / "out"
    threading.Timer(2, os.kill, (os.getpid(), signal.SIGINT)).start()  # as Ctrl-C reaches this process
    started = time.monotonic()
    with pytest.raises(convert.ConvertInterrupted):
        convert.convert_paths([str(books)], str(out), jobs=2, stream=io.StringIO(), timeout=600)
    assert time.monotonic() - started < 30
    assert convert._children == set()
    with pytest.raises(ChildProcessError):  # every worker awaited: none left running or unreaped
        os.waitpid(-1, os.WNOHANG)
    assert [p.name for p in out.iterdir() if p.name.startswith(".~xlbudget-")] == []


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the stand-in reaches forked workers only")
def test_ctrl_c_with_a_pool_worker_deaf_to_it_ends_and_leaves_no_worker(tmp_path, monkeypatch):
    # the pool of macOS and Windows, as the forked workers above: the pool's shutdown waited for the deaf worker
    import threading

    _deaf_pool(monkeypatch)
    books = _books(tmp_path / "in")
    threading.Timer(2, os.kill, (os.getpid(), signal.SIGINT)).start()
    started = time.monotonic()
    with pytest.raises(convert.ConvertInterrupted):
        convert.convert_paths([str(books)], str(tmp_path / "out"), jobs=2, stream=io.StringIO(), timeout=600)
    assert time.monotonic() - started < 30
    assert multiprocessing.active_children() == []
