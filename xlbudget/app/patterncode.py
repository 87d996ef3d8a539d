"""The compiled code of xlbudget's own patterns, stored as package data (xlbudget/data/pattern-code.json) for the
interpreter that writes it: core.patterns makes each ``lazy`` pattern from it instead of compiling it afresh in
every process (about 15 % of build's instructions, issue 13). tests/test_pattern_code.py makes it afresh and
compares: after adding or changing a pattern (or on another Python), write it again with

    python -m xlbudget.app.patterncode
"""

from __future__ import annotations

import importlib
import json
import pkgutil

import xlbudget
from xlbudget.core import patterns

STORED = patterns.store_path()


def module_patterns() -> list[tuple[str | bytes, int]]:
    """Every ``lazy`` pattern of xlbudget's modules, (source, flags), each module imported (never __main__,
    which would run the command line)."""
    for module in pkgutil.walk_packages(xlbudget.__path__, "xlbudget."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    return sorted(patterns.MADE, key=lambda key: (isinstance(key[0], bytes), key))


def pattern_code_text() -> str:
    """The store as written: this interpreter, then one pattern's entry (core.patterns.stored_entry) a line."""
    entries = ",\n  ".join(_line(patterns.stored_entry(source, flags)) for source, flags in module_patterns())
    return ('{"interpreter": ' + json.dumps(patterns.interpreter()) + ',\n"patterns": [\n  ' + entries + "\n]}\n")


def _line(entry: list) -> str:
    """One entry as JSON, its source readable; a source UTF-8 cannot hold (errors.py's lone surrogates) escaped."""
    line = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(entry, separators=(",", ":"))
    return line


if __name__ == "__main__":
    STORED.write_text(pattern_code_text(), encoding="utf-8")
    print(STORED)
