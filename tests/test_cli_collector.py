"""The command line and the cyclic garbage collector (issue 13, start-up): a command runs with it paused, as
convert_one runs a book; run as the program, what is left is frozen at the end; a call with ``argv`` (these
tests, every test calling ``main([...])``) finds it as it was and leaves nothing frozen."""

from __future__ import annotations

import gc
import sys

import pytest

from xlbudget import cli


def _recording(seen: list, result=0):
    """A command function that records whether the collector ran while it did (cli.parser reads the module's
    cmd_* when it is built, so a patched one is what main calls)."""
    def command(args):
        seen.append(gc.isenabled())
        if isinstance(result, BaseException):
            raise result
        return result
    return command


@pytest.fixture
def collecting():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_a_command_runs_with_the_collector_paused_and_gets_it_back(collecting, monkeypatch):
    seen = []
    monkeypatch.setattr(cli, "cmd_build", _recording(seen))
    frozen = gc.get_freeze_count()
    assert cli.main(["build", "book.xlsx"]) == 0
    assert seen == [False]
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen  # a call with argv freezes nothing: the test run's objects stay collectable


def test_a_failing_command_gets_the_collector_back(collecting, monkeypatch):
    seen = []
    monkeypatch.setattr(cli, "cmd_check", _recording(seen, RuntimeError("boom")))
    assert cli.main(["check", "book.xlsx"]) == cli.EXIT_INTERNAL
    assert seen == [False]
    assert gc.isenabled()


def test_convert_collects_between_its_books(collecting, monkeypatch):
    """convert is told to run the collector (``args.collect``), which it gives back as its books begin: convert_one
    pauses it for each book, and the garbage of one goes before the next (test_no_collection_before_the_books)."""
    seen = []

    def command(args):
        seen.append((gc.isenabled(), args.collect))
        return 0

    monkeypatch.setattr(cli, "cmd_convert", command)
    assert cli.main(["convert", "books", "-o", "out"]) == 0
    assert seen == [(False, True)]
    assert gc.isenabled()


def test_the_program_freezes_what_is_left_at_its_end(collecting, monkeypatch):
    seen, frozen = [], []
    monkeypatch.setattr(cli, "cmd_export", _recording(seen))
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(gc.isenabled()))  # not this test run's heap
    monkeypatch.setattr(sys, "argv", ["xlbudget", "export", "book.xlsx"])
    assert cli.main() == 0
    assert seen == [False]
    assert frozen == [False]  # frozen while still paused: no collection of the command's objects on the way out
    assert gc.isenabled()


def test_convert_parses_its_command_line_with_the_collector_paused(collecting, monkeypatch):
    """Its parser and the batch's first imports are made without it (what they make lives until the end), and the
    command begins without it; its books run with it (the tests above and below)."""
    seen, real = [], cli.parser

    def parser(*args):  # main makes the parser of the command named first alone (cli.parser(only=…))
        seen.append(gc.isenabled())
        return real(*args)

    monkeypatch.setattr(cli, "parser", parser)
    monkeypatch.setattr(cli, "cmd_convert", _recording(seen))
    assert cli.main(["convert", "books", "-o", "out"]) == 0
    assert seen == [False, False]
    assert gc.isenabled()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_no_collection_before_the_books(collecting, monkeypatch, tmp_path, jobs):
    """From the command line to its first book (the output folder looked at, the books found, the manifest read,
    the warm-up), the collector waits, so no collection walks what the imports made meanwhile: it is given back as
    the books begin (--jobs 2: once what is made so far is frozen, _warmed), and runs for them. Red before: given
    back by main before the command (a generation-0 and a generation-1 collection before the workers forked, in
    --jobs 2 of 24 books)."""
    import io
    import shutil
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "workbooks" / "範例-高雄市政府資訊中心113年度.xlsx"
    books = tmp_path / "books"
    books.mkdir()
    for name in ("甲.xlsx", "乙.xlsx"):
        shutil.copy(example, books / name)
    events = []
    enable = gc.enable

    def enabled():
        events.append(("enable", sys._getframe(1).f_code.co_name))
        enable()

    def counted(phase, info):
        if phase == "start":
            events.append(("collect", info["generation"]))

    monkeypatch.setattr(gc, "enable", enabled)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    gc.callbacks.append(counted)
    try:
        code = cli.main(["convert", str(books), "-o", str(tmp_path / "out"), "--jobs", jobs])
    finally:
        gc.callbacks.remove(counted)
    assert code == cli.EXIT_OK  # both converted (the example has no error)
    assert events[0] == ("enable", "_convert_paths")  # as the books begin, none collected before
    assert gc.isenabled()


def test_a_converted_book_leaves_nothing_to_the_collector(tmp_path):
    """XlsxWriter gives each sheet its workbook's add_format, a cycle (workbook → sheet → bound method → workbook)
    that left every cell of a converted book to the collector: 7,382 objects a seed-sized book. Once the sheets are
    written the cycle is let go, so a book's objects are freed as it ends and the collection after it finds none."""
    from xlbudget.adapters.xlsxfile import save_atomic
    from xlbudget.app.convert import convert_one
    from xlbudget.app.example import example_workbook
    from xlbudget.app.summary import write_summary

    def written_left() -> list[str]:
        """The types of the XlsxWriter objects the collector finds unreachable (sheets, cells, formats)."""
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            gc.collect()
            return [type(o).__name__ for o in gc.garbage if type(o).__module__.startswith(("xlsxwriter", "xlbudget"))]
        finally:
            gc.set_debug(0)
            gc.garbage.clear()

    source = save_atomic(example_workbook(), tmp_path / "甲.xlsx")
    first = convert_one(str(source), str(tmp_path / "out.xlsx"))  # the process's first book: its caches made
    write_summary([first], tmp_path)  # and the first 轉換摘要's
    was = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        result = convert_one(str(source), str(tmp_path / "out.xlsx"))
        assert result.status == first.status and result.output
        assert gc.collect() == 0  # nothing unreachable left: every object the book made was freed with it
        write_summary([result], tmp_path)  # 轉換摘要, written by XlsxWriter the same way (json's encoder leaves its own)
        assert written_left() == []
    finally:
        if was:
            gc.enable()


def test_jobs_1_books_run_with_what_was_made_before_them_frozen(collecting, monkeypatch, tmp_path):
    """--jobs 1 warms up before its first book, as the parent of --jobs does before forking (_warmed), and runs its
    books with every object made so far frozen: the collections as its books began and after its first walked the
    modules its first book imported (10 ms of CPU in 24 books, under load); unfrozen after the books. Red before:
    nothing frozen in --jobs 1."""
    import io
    import shutil
    from pathlib import Path

    from xlbudget.app import convert

    example = Path(__file__).resolve().parents[1] / "workbooks" / "範例-高雄市政府資訊中心113年度.xlsx"
    books = tmp_path / "books"
    books.mkdir()
    for name in ("甲.xlsx", "乙.xlsx"):
        shutil.copy(example, books / name)
    seen, real = [], convert._task

    def task(*args, **kwargs):
        seen.append(gc.get_freeze_count() > 0)
        return real(*args, **kwargs)

    monkeypatch.setattr(convert, "_task", task)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    frozen = gc.get_freeze_count()
    assert frozen == 0  # (else _warmed freezes nothing more, rightly)
    assert cli.main(["convert", str(books), "-o", str(tmp_path / "out"), "--jobs", "1"]) == cli.EXIT_OK
    assert seen == [True, True]
    assert gc.get_freeze_count() == 0
