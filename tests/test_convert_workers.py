"""convert --jobs: on Linux the workers are forked from the parent after it has warmed up (convert._warm), so
each starts with the imports and the stored looks and reads neither again (issue 13; spawned workers would start
empty: +0.25 s of CPU a worker on 24 seed-sized books); a worker that dies costs its own book alone. Elsewhere a
process pool of the platform's kind converts the same."""

import io
import json
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

from xlbudget.adapters import xlsxbook
from xlbudget.app import convert

EXAMPLE = Path(__file__).resolve().parent.parent / "workbooks" / "範例-高雄市政府資訊中心113年度.xlsx"
TAIPEI = EXAMPLE.parent / "範例-臺北市政府工務局新建工程處116年度.xlsx"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_workers_start_with_what_the_parent_warmed(tmp_path, monkeypatch):
    seen = tmp_path / "seen"
    seen.mkdir()
    start = convert._worker_start

    def noting(fmt, mark):  # runs in each worker as it starts, before its own warm-up
        (seen / str(os.getpid())).write_text(str(bool(xlsxbook._LOOKS)))
        start(fmt, mark)

    monkeypatch.setattr(convert, "_worker_start", noting)
    monkeypatch.setattr(xlsxbook, "_LOOKS", {})  # not yet read in this process: only the parent's warm-up reads it
    books = tmp_path / "books"
    books.mkdir()
    for name in ("甲.xlsx", "乙.xlsx"):
        shutil.copy(EXAMPLE, books / name)
    code, results = convert.convert_paths([str(books)], str(tmp_path / "out"), jobs=2)
    assert [r.status for r in results] == ["完成", "完成"]
    assert sorted(p.read_text() for p in seen.iterdir()) == ["True", "True"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_a_worker_imports_nothing_in_its_first_book(tmp_path, monkeypatch):
    """What a book needs once a process (its modules, the codecs its zip's part names and sheet names take) is in
    the parent's warm-up, done once before the workers are forked, not again in each worker's first book."""
    seen = tmp_path / "seen"
    seen.mkdir()
    real = convert.convert_one

    def noting(source, *args):  # runs in a forked worker: the modules it imports while converting this book
        before = set(sys.modules)
        result = real(source, *args)
        (seen / Path(source).stem).write_text(",".join(sorted(set(sys.modules) - before)))
        return result

    monkeypatch.setattr(convert, "convert_one", noting)
    books = _books(tmp_path / "books", ["甲.xlsx", "乙.xlsx"])
    code, results = convert.convert_paths([str(books)], str(tmp_path / "out"), jobs=2, stream=io.StringIO())
    assert [r.status for r in results] == ["完成", "完成"]
    assert {p.name: p.read_text() for p in seen.iterdir()} == {"甲": "", "乙": ""}


def _five_with_yi_lost(tmp_path):
    """甲 to 戊 converted with two workers, 乙's worker killed: by hand, 乙 alone worker-died, the four others 完成."""
    books = _books(tmp_path / "books", ["甲.xlsx", "乙.xlsx", "丙.xlsx", "丁.xlsx", "戊.xlsx"])
    code, results = convert.convert_paths([str(books)], str(tmp_path / "out"), jobs=2, stream=io.StringIO())
    status = {Path(r.source).name: (r.status, r.reason) for r in results}
    assert status == {"甲.xlsx": ("完成", ""), "乙.xlsx": ("無法讀取", "worker-died"), "丙.xlsx": ("完成", ""),
                      "丁.xlsx": ("完成", ""), "戊.xlsx": ("完成", "")}
    return code, results


def _books(folder: Path, names) -> Path:
    folder.mkdir()
    for name in names:
        shutil.copy(EXAMPLE, folder / name)
    return folder


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_a_worker_that_dies_costs_its_own_book_alone(tmp_path, monkeypatch):
    real = convert.convert_one

    def dying(source, *args):  # runs in a forked worker: killed outright, as the out-of-memory killer does
        if Path(source).name == "乙.xlsx":
            os.kill(os.getpid(), signal.SIGKILL)
        return real(source, *args)

    monkeypatch.setattr(convert, "convert_one", dying)
    code, results = _five_with_yi_lost(tmp_path)
    assert code == convert.EXIT_UNREADABLE
    assert next(r.message for r in results if r.reason == "worker-died") == "處理程序異常結束（SIGKILL）"
    assert sorted(p.name for p in (tmp_path / "out").glob("*.xlsx")) == ["丁.xlsx", "丙.xlsx", "戊.xlsx", "甲.xlsx",
                                                                        "轉換摘要.xlsx"]
    assert convert._children == set()
    with pytest.raises(ChildProcessError):  # every worker awaited: none left running or unreaped
        os.waitpid(-1, os.WNOHANG)


def test_pool_of_platforms_without_fork_converts_as_one_process_does(tmp_path, monkeypatch):
    books = _books(tmp_path / "books", ["甲.xlsx", "乙.xlsx", "丙.xlsx"])
    _, serial = convert.convert_paths([str(books)], str(tmp_path / "one"), jobs=1, stream=io.StringIO())
    monkeypatch.setattr(convert, "_FORK", False)
    _, pooled = convert.convert_paths([str(books)], str(tmp_path / "two"), jobs=2, stream=io.StringIO())
    key = lambda r: (Path(r.source).name, r.status, r.expenditure, r.errors, r.warnings, r.by_object)  # noqa: E731
    assert sorted(map(key, pooled)) == sorted(map(key, serial))
    assert [r.status for r in pooled] == ["完成"] * 3


@pytest.mark.parametrize("fork", [True, False])
def test_largest_books_are_handed_out_first(tmp_path, monkeypatch, fork):
    """One long book started last keeps its worker busy while the others wait: the largest go first."""
    started = tmp_path / "started"
    real = convert.convert_one

    def noting(source, *args):  # in a worker: which book it began, before converting it
        with open(started, "a", encoding="utf-8") as f:
            f.write(Path(source).name + "\n")
        return real(source, *args)

    monkeypatch.setattr(convert, "convert_one", noting)
    monkeypatch.setattr(convert, "_FORK", fork and sys.platform.startswith("linux"))
    books = _books(tmp_path / "books", ["丙.xlsx", "乙.xlsx"])
    shutil.copy(TAIPEI, books / "甲.xlsx")  # 86,555 bytes against the example's 45,053; discovered last
    code, results = convert.convert_paths([str(books)], str(tmp_path / "out"), jobs=2, stream=io.StringIO())
    assert [r.status for r in results] == ["完成"] * 3
    assert [Path(r.source).name for r in results] == ["丙.xlsx", "乙.xlsx", "甲.xlsx"]  # the summary's order stays
    assert set(started.read_text(encoding="utf-8").split()[:2]) == {"甲.xlsx", "丙.xlsx"}  # then 乙, as one ends


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_the_summary_does_not_wait_for_workers_to_end(tmp_path, monkeypatch):
    """Every book in, the summary is written while the workers end (a worker's end gives back its memory, which
    takes a while); the workers are awaited after it, none left unreaped."""
    serve = convert._serve
    seen = tmp_path / "seen"
    seen.mkdir()

    def lingering(*args):  # a worker after its last book: does the summary get written before it has ended?
        serve(*args)
        summary = tmp_path / "out" / convert.SUMMARY_XLSX
        for _ in range(100):
            if summary.exists():
                break
            time.sleep(0.05)
        (seen / str(os.getpid())).write_text(str(summary.exists()))

    monkeypatch.setattr(convert, "_serve", lingering)
    books = _books(tmp_path / "books", ["甲.xlsx", "乙.xlsx", "丙.xlsx"])
    code, results = convert.convert_paths([str(books)], str(tmp_path / "out"), jobs=2, stream=io.StringIO())
    assert [r.status for r in results] == ["完成"] * 3
    assert sorted(p.read_text() for p in seen.iterdir()) == ["True", "True"]  # both ended after the summary
    assert convert._children == set()
    with pytest.raises(ChildProcessError):  # and both were awaited
        os.waitpid(-1, os.WNOHANG)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_a_book_taken_by_a_worker_that_died_before_naming_it_is_not_left_out(tmp_path, monkeypatch):
    """The books wait in one pipe; a worker says which it took, then converts it. Killed in between, the book is
    still worker-died in the summary, never missing from it; the books left in the pipe go to another worker."""
    seen: dict = {}
    serve, read = convert._serve, convert._read_exact

    def serving(todo, tasks, *args):  # in a worker
        seen.update(todo=todo, tasks=tasks)
        serve(todo, tasks, *args)

    def reading(fd, size):
        data = read(fd, size)
        if fd == seen.get("tasks") and len(data) == 4:
            if Path(seen["todo"][int.from_bytes(data, "little")][1][0]).name == "乙.xlsx":
                os.kill(os.getpid(), signal.SIGKILL)  # took 乙 from the pipe, killed before saying so
        return data

    monkeypatch.setattr(convert, "_serve", serving)
    monkeypatch.setattr(convert, "_read_exact", reading)
    code, results = _five_with_yi_lost(tmp_path)
    assert next(r.message for r in results if r.reason == "worker-died") == "處理程序異常結束（SIGKILL）"
    assert code == convert.EXIT_UNREADABLE
    assert convert._children == set()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_a_worker_takes_its_next_book_without_waiting_for_the_parent(tmp_path, monkeypatch):
    """A worker free takes the next book from the books' pipe itself: while the parent is held up taking the
    first result (here: until every book has begun, or 20 s), the workers go on through all the books."""
    begun = tmp_path / "begun"
    real = convert.convert_one

    def noting(source, *args):  # in a worker
        with open(begun, "a", encoding="utf-8") as f:
            f.write(Path(source).name + "\n")
        return real(source, *args)

    update = convert.Progress.update
    counted = []

    def held_up(self, result):  # in the parent, as each result comes in
        if not counted:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and len(begun.read_text(encoding="utf-8").split()) < 6:
                time.sleep(0.05)
            counted.append(len(begun.read_text(encoding="utf-8").split()))
        update(self, result)

    monkeypatch.setattr(convert, "convert_one", noting)
    monkeypatch.setattr(convert.Progress, "update", held_up)
    books = _books(tmp_path / "books", ["甲.xlsx", "乙.xlsx", "丙.xlsx", "丁.xlsx", "戊.xlsx", "己.xlsx"])
    code, results = convert.convert_paths([str(books)], str(tmp_path / "out"), jobs=2, stream=io.StringIO())
    assert [r.status for r in results] == ["完成"] * 6
    assert counted == [6]  # every book begun while the parent still held the first result


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_workers_that_die_before_their_first_book_leave_the_books_to_this_process(tmp_path, monkeypatch):
    """A worker that cannot start (it dies before taking a book) is not forked again and again: once none is
    left, the books are converted in this process, as when no worker can be forked, and the batch says so."""

    def dying(fmt, mark):  # in each worker, as it starts
        os._exit(70)

    def too_long(signum, frame):
        raise TimeoutError("convert_paths did not end")

    monkeypatch.setattr(convert, "_worker_start", dying)
    before = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(120)
    stream = io.StringIO()
    try:
        books = _books(tmp_path / "books", ["甲.xlsx", "乙.xlsx", "丙.xlsx"])
        code, results = convert.convert_paths([str(books)], str(tmp_path / "out"), jobs=2, stream=stream)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)
    assert [r.status for r in results] == ["完成"] * 3
    assert code == convert.EXIT_OK
    assert stream.getvalue().count("處理程序未能開始轉換（exit 70）：改在本處理程序逐本轉換") == 1
    assert convert._children == set()


def test_a_pool_worker_that_dies_costs_its_own_book_alone(tmp_path, monkeypatch):
    """The pool of macOS and Windows: a worker that dies breaks its pool, and every book the pool held came back
    worker-died, not only the one being converted. The books it held that did not die are converted again, one
    at a time until the book that kills its worker is found alone: that one is worker-died, the rest 完成."""
    real = convert.convert_one

    def dying(source, *args):  # in a pool worker (forked by the pool's own context on Linux, so it sees this)
        if Path(source).name == "乙.xlsx":
            time.sleep(0.5)  # the other worker holds a book of its own by then
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(1.5)  # each other book is still being converted when 乙's worker dies
        return real(source, *args)

    monkeypatch.setattr(convert, "convert_one", dying)
    monkeypatch.setattr(convert, "_FORK", False)
    code, results = _five_with_yi_lost(tmp_path)
    assert code == convert.EXIT_UNREADABLE
    assert sorted(p.name for p in (tmp_path / "out").glob("*.xlsx")) == ["丁.xlsx", "丙.xlsx", "戊.xlsx", "甲.xlsx",
                                                                        "轉換摘要.xlsx"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_a_worker_that_dies_after_writing_its_book_never_calls_it_last_runs(tmp_path, monkeypatch):
    """Killed between its output renamed into place and its result sent (counting, pickling): 乙.xlsx is this run's,
    written into a new folder, but was renamed with «上次轉換的輸出 乙.xlsx 已改名…», untrue (found with convert
    --jobs 2 and kill -9 of a worker on six 臺北 books). It is still set aside (no result vouches for it), said
    as this run's."""
    real = convert.convert_one

    def dying_after(source, *args):
        result = real(source, *args)
        if Path(source).name == "乙.xlsx":
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    monkeypatch.setattr(convert, "convert_one", dying_after)
    code, results = _five_with_yi_lost(tmp_path)
    out = tmp_path / "out"
    said = next(r.message for r in results if r.reason == "worker-died")
    assert said.startswith("處理程序異常結束（SIGKILL）；")
    assert "上次" not in said and "本次轉換寫出的 乙.xlsx" in said and "乙.xlsx.過期" in said
    assert (out / "乙.xlsx.過期").exists() and not (out / "乙.xlsx").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_a_forked_workers_result_is_the_one_this_process_makes(tmp_path):
    """A result crosses from its worker to the parent as its fields (convert._result_of): every field arrives as
    the book's own conversion in this process gives it, a book converted and a book not read alike (only the
    seconds it took, and the folder written to, differ)."""
    books = _books(tmp_path / "books", ["甲.xlsx", "丙.xlsx"])
    shutil.copy(TAIPEI, books / "乙.xlsx")
    (books / "丁.xlsx").write_bytes(b"")  # file-empty: 無法讀取, its reason and message sent back as well
    _, serial = convert.convert_paths([str(books)], str(tmp_path / "one"), jobs=1, stream=io.StringIO())
    _, forked = convert.convert_paths([str(books)], str(tmp_path / "two"), jobs=2, stream=io.StringIO())

    def fields(r):
        return {k: v for k, v in r.record().items() if k != "seconds"} | {"output": Path(r.output).name}

    assert [(Path(r.source).name, r.status) for r in forked] == [("丁.xlsx", "無法讀取"), ("丙.xlsx", "完成"),
                                                                 ("乙.xlsx", "完成"), ("甲.xlsx", "完成")]
    assert [fields(r) for r in forked] == [fields(r) for r in serial]
    assert all(r.by_object and r.budget_line for r in forked[1:])  # the 彙總's figures came across, not empty
    assert [type(r) for r in forked] == [convert.BookResult] * 4


class _Agency(str):
    """A str subclass, as a reader might give a name: marshal takes only the exact built-in types."""


class _Amount(int):
    """An int subclass."""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_a_result_of_str_and_int_subclasses_comes_back_as_one_process_gives_it(tmp_path, monkeypatch):
    """A worker sends its result's fields in marshal's format, which refuses a subclass of str or int (an IntEnum):
    such a result made the worker die with its book converted (worker-died). Sent plain, every book is 完成 with
    the figures --jobs 1 gives of the same values, plain."""
    import enum

    class Year(enum.IntEnum):
        Y113 = 113

    real = convert.convert_one

    def odd(source, *args):  # in a worker: the book's result with odd types in its fields, and its dicts' keys
        result = real(source, *args)
        result.agency, result.year = _Agency(result.agency), Year(result.year)
        result.by_object = {_Agency(code): _Amount(amount) for code, amount in result.by_object.items()}
        return result

    books = _books(tmp_path / "books", ["甲.xlsx", "乙.xlsx", "丙.xlsx"])
    _, serial = convert.convert_paths([str(books)], str(tmp_path / "one"), jobs=1, stream=io.StringIO())
    monkeypatch.setattr(convert, "convert_one", odd)
    _, forked = convert.convert_paths([str(books)], str(tmp_path / "two"), jobs=2, stream=io.StringIO())
    assert [r.status for r in serial] == ["完成"] * 3
    assert [(r.status, r.reason) for r in forked] == [("完成", "")] * 3  # was 無法讀取, worker-died
    key = lambda r: (Path(r.source).name, r.agency, r.year, r.expenditure, r.errors, r.by_object)  # noqa: E731
    assert list(map(key, forked)) == list(map(key, serial))
    assert {type(r.year) for r in forked} == {int} and {type(r.agency) for r in forked} == {str}
    assert {(type(code), type(amount)) for r in forked for code, amount in r.by_object.items()} == {(str, int)}
    assert (tmp_path / "two" / convert.SUMMARY_XLSX).read_bytes()[:2] == b"PK"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_workers_start_with_the_parents_objects_frozen_and_the_batch_leaves_none_frozen(tmp_path, monkeypatch):
    """What the parent imported and read before forking is frozen (gc.freeze): no collection in the parent or a
    worker walks it (each walk wrote into every object's header: a copied page for each page shared with the
    workers). After the batch the collector finds it again: a caller's process keeps no frozen object of ours."""
    import gc

    seen = tmp_path / "seen"
    seen.mkdir()
    real = convert.convert_one

    def noting(source, *args):  # in a worker
        (seen / Path(source).name).write_text(str(gc.get_freeze_count()))
        return real(source, *args)

    monkeypatch.setattr(convert, "convert_one", noting)
    books = _books(tmp_path / "books", ["甲.xlsx", "乙.xlsx"])
    assert gc.get_freeze_count() == 0
    code, results = convert.convert_paths([str(books)], str(tmp_path / "out"), jobs=2, stream=io.StringIO())
    assert [r.status for r in results] == ["完成", "完成"]
    assert all(int(p.read_text()) > 10_000 for p in seen.iterdir()) and len(list(seen.iterdir())) == 2
    assert gc.get_freeze_count() == 0


def test_a_str_enum_in_a_result_goes_to_the_parent_as_its_value_as_json_writes_it():
    """_wire sends a str subclass plain: a (str, Enum) such as core.findings.Severity as the text it holds («error»,
    what json and 轉換摘要 write of it in one process), never its str() «Severity.ERROR»."""
    import json
    import marshal

    from xlbudget.core.findings import Severity

    record = {"reason": Severity.ERROR, "by_object": {Severity.WARNING: 1}, "seconds": 0.5, "year": None}
    sent = marshal.loads(convert._wire(record))
    assert sent == {"reason": "error", "by_object": {"warning": 1}, "seconds": 0.5, "year": None}
    assert sent == json.loads(json.dumps(record))
    assert type(sent["reason"]) is str and {type(k) for k in sent["by_object"]} == {str}


def _pinned_seconds(monkeypatch):
    """Every book's 秒數 the same (1.0), in this process and in the workers forked from it: 轉換摘要 byte for byte."""
    real = convert.convert_one

    def pinned(*args):
        result = real(*args)
        result.seconds = 1.0
        return result

    monkeypatch.setattr(convert, "convert_one", pinned)


def _noting_summary(monkeypatch, seen: Path, then=None):
    """convert.write_summary noting the process it runs in (a file named by its pid) before ``then`` runs there."""
    real = convert.write_summary

    def noting(results, out):
        (seen / str(os.getpid())).write_text("")
        if then is not None and os.getpid() != parent:
            then(out)
        real(results, out)

    parent = os.getpid()
    monkeypatch.setattr(convert, "write_summary", noting)


def _workers_slowed(monkeypatch, seconds: float = 0.4):
    """Each book a forked worker converts takes ``seconds`` more: the worker that finds no book left says so (and is
    kept for 轉換摘要) while the other's last book still runs. Without it, on a loaded machine the last result could
    come in before that word did, and this process wrote 轉換摘要 itself, rightly (the same file) but not what the
    tests below look at (CI, session 36: one run in three of the suite under load)."""
    real, parent = convert._task, os.getpid()

    def slowed(args, limit=None):
        if os.getpid() != parent:
            time.sleep(seconds)
        return real(args, limit)

    monkeypatch.setattr(convert, "_task", slowed)


def _summary_files(out: Path) -> dict:
    """轉換摘要.json's bytes and 轉換摘要.xlsx's parts', but the time it was written at (docProps/core.xml's)."""
    import re
    import zipfile

    with zipfile.ZipFile(out / convert.SUMMARY_XLSX) as z:
        parts = {name: re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"", z.read(name)) for name in z.namelist()}
    return {convert.SUMMARY_JSON: (out / convert.SUMMARY_JSON).read_bytes(), convert.SUMMARY_XLSX: parts}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_the_first_worker_without_a_book_writes_the_summary_as_one_process_does(tmp_path, monkeypatch):
    """Every book done, 轉換摘要 (xlsx and json) is written by the worker that first found no book left, while this
    process saves the manifest (issue 13): the very bytes --jobs 1 writes, and the books the 彙總 leaves out said
    here as there (two copies of one agency's book: the second is citywide-duplicate-agency)."""
    _pinned_seconds(monkeypatch)
    seen = tmp_path / "seen"
    seen.mkdir()
    _noting_summary(monkeypatch, seen)
    _workers_slowed(monkeypatch)
    books = _books(tmp_path / "books", ["甲.xlsx", "乙.xlsx", "丙.xlsx"])
    out = tmp_path / "out"
    one_stream, two_stream = io.StringIO(), io.StringIO()
    code_one, one = convert.convert_paths([str(books)], str(out), jobs=1, stream=one_stream)
    written_one = _summary_files(out)
    assert [p.name for p in seen.iterdir()] == [str(os.getpid())]
    (seen / str(os.getpid())).unlink()
    code_two, two = convert.convert_paths([str(books)], str(out), jobs=2, force=True, stream=two_stream)
    assert [p.name for p in seen.iterdir()] != [str(os.getpid())] and len(list(seen.iterdir())) == 1  # a worker
    assert _summary_files(out) == written_one
    assert code_two == code_one
    assert [(r.left_out, r.left_out_note) for r in two] == [(r.left_out, r.left_out_note) for r in one]
    assert [r.left_out for r in two] == ["", "citywide-duplicate-agency", "citywide-duplicate-agency"]
    assert two_stream.getvalue().split("彙總合計未列入")[1] == one_stream.getvalue().split("彙總合計未列入")[1]
    assert convert._children == set()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def _kill_mid_write(out: Path) -> None:
    """In the worker writing 轉換摘要: half of it written to its temporary file, then killed outright."""
    from xlbudget.adapters.atomic import write_atomic

    def half(tmp: Path) -> None:
        tmp.write_bytes(b"PK\x03\x04 half")
        os.kill(os.getpid(), signal.SIGKILL)

    write_atomic(out / convert.SUMMARY_XLSX, half)


def _fail(out: Path) -> None:
    raise OSError(28, "No space left on device")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
@pytest.mark.parametrize("end", [_kill_mid_write, _fail])
def test_a_worker_that_dies_or_fails_writing_the_summary_leaves_it_to_this_process(tmp_path, monkeypatch, end):
    """Killed halfway through 轉換摘要.xlsx (its temporary file left), or failing, the worker writes none: this
    process writes it, whole, as --jobs 1 does, and no temporary file is left beside it."""
    _pinned_seconds(monkeypatch)
    books = _books(tmp_path / "books", ["甲.xlsx", "乙.xlsx", "丙.xlsx"])
    out = tmp_path / "out"
    code_one, _ = convert.convert_paths([str(books)], str(out), jobs=1, stream=io.StringIO())
    written_one = _summary_files(out)
    for name in written_one:
        (out / name).unlink()
    seen = tmp_path / "seen"
    seen.mkdir()
    _noting_summary(monkeypatch, seen, then=end)
    _workers_slowed(monkeypatch)
    code, results = convert.convert_paths([str(books)], str(out), jobs=2, force=True, stream=io.StringIO())
    assert str(os.getpid()) in {p.name for p in seen.iterdir()} and len(list(seen.iterdir())) == 2  # worker, then here
    assert code == code_one and [r.status for r in results] == ["完成"] * 3
    assert _summary_files(out) == written_one
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".~")) == []
    assert convert._children == set()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_ctrl_c_while_a_worker_writes_the_summary_leaves_no_half_of_it(tmp_path, monkeypatch):
    """Ctrl-C (every process of the terminal's group) while the worker is halfway through 轉換摘要.xlsx: the batch
    says it was stopped and that 轉換摘要 was not updated (ConvertInterrupted, exit 130 from the program), the books
    done are remembered, and the worker unwinds: no temporary file, no 轉換摘要."""
    from xlbudget.adapters.atomic import write_atomic

    parent = os.getpid()

    def stopped_halfway(out: Path) -> None:
        def half(tmp: Path) -> None:
            tmp.write_bytes(b"PK\x03\x04 half")
            os.kill(parent, signal.SIGINT)  # the terminal's Ctrl-C reaches this process too: it is told again
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(30)

        write_atomic(out / convert.SUMMARY_XLSX, half)

    seen = tmp_path / "seen"
    seen.mkdir()
    _noting_summary(monkeypatch, seen, then=stopped_halfway)
    books = _books(tmp_path / "books", ["甲.xlsx", "乙.xlsx", "丙.xlsx"])
    out = tmp_path / "out"
    started = time.monotonic()
    with pytest.raises(convert.ConvertInterrupted, match="轉換摘要未更新"):
        convert.convert_paths([str(books)], str(out), jobs=2, stream=io.StringIO())
    assert time.monotonic() - started < 25  # the worker stopped at once, not after its sleep
    assert sorted(p.name for p in out.iterdir()) == [".xlbudget-convert.json", "丙.xlsx", "乙.xlsx", "甲.xlsx"]
    assert len(json.loads((out / ".xlbudget-convert.json").read_text(encoding="utf-8"))) == 3
    assert convert._children == set()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@pytest.mark.parametrize("fork", [True, False])
def test_the_manifest_lists_the_books_in_their_order_whichever_worker_ends_first(tmp_path, monkeypatch, fork):
    """The manifest's entries are added as books end: with two workers the one that ends first was listed first
    (丙, slowed here, last), and the manifest was not the one --jobs 1 writes. Its entries go in the books' order."""
    real = convert.convert_one

    def slowed(source, *args):  # in a worker: 丙, found first, ends last
        if Path(source).name == "丙.xlsx":
            time.sleep(2)
        return real(source, *args)

    monkeypatch.setattr(convert, "convert_one", slowed)
    monkeypatch.setattr(convert, "_FORK", fork and sys.platform.startswith("linux"))
    books = _books(tmp_path / "books", ["丙.xlsx", "乙.xlsx", "甲.xlsx"])
    manifests = []
    for jobs in (1, 2):
        code, results = convert.convert_paths([str(books)], str(tmp_path / f"out{jobs}"), jobs=jobs,
                                              stream=io.StringIO())
        assert [Path(r.source).name for r in results] == ["丙.xlsx", "乙.xlsx", "甲.xlsx"]
        manifests.append(json.loads((tmp_path / f"out{jobs}" / convert.MANIFEST).read_text(encoding="utf-8")))
    assert [list(m) for m in manifests] == [["丙.xlsx", "乙.xlsx", "甲.xlsx"]] * 2
