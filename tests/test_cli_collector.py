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
    seen = []
    monkeypatch.setattr(cli, "cmd_convert", _recording(seen))
    assert cli.main(["convert", "books", "-o", "out"]) == 0
    assert seen == [True]  # convert_one pauses it for each book, and the garbage of one goes before the next


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
    """Its parser and the batch's first imports are made without it (what they make lives until the end); its
    books run with it (the test above)."""
    seen, real = [], cli.parser

    def parser(*args):  # main makes the parser of the command named first alone (cli.parser(only=…))
        seen.append(gc.isenabled())
        return real(*args)

    monkeypatch.setattr(cli, "parser", parser)
    monkeypatch.setattr(cli, "cmd_convert", _recording(seen))
    assert cli.main(["convert", "books", "-o", "out"]) == 0
    assert seen == [False, True]
    assert gc.isenabled()
