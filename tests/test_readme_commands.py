"""README's table of commands against the command line: each row names exactly the options its command has.

The table is what an officer reads first; an option it names that the command lacks, or one the command has that it
leaves out (convert's --force was missing), sends them to -h or to a usage error.
"""

import re
from pathlib import Path

from xlbudget.cli import parser

README = Path(__file__).resolve().parent.parent / "README.md"


def _table_rows() -> dict[str, set[str]]:
    table = README.read_text(encoding="utf-8").split("| command | what it does |")[1].split("\n\n")[0]
    rows = {}
    for line in table.splitlines():
        usage = re.match(r"\| `xlbudget ([a-z-]+) ([^`]*)`", line)
        if usage:
            rows[usage.group(1)] = set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", usage.group(2)))
    return rows


def _commands() -> dict:
    return next(a for a in parser()._actions if a.dest == "command").choices


def test_every_command_is_in_the_table():
    assert set(_table_rows()) == set(_commands())


def test_each_row_names_its_commands_options():
    for command, named in _table_rows().items():
        options = [set(a.option_strings) for a in _commands()[command]._actions if a.option_strings and a.dest != "help"]
        assert [o for o in options if not o & named] == [], command  # the command's options, each named
        assert named - set().union(*options) == set(), command  # no option the command lacks
