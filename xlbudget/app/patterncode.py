"""The compiled code of xlbudget's own patterns, stored as package data (xlbudget/data/pattern-code.json) for the
interpreter that writes it: core.patterns makes each ``lazy`` pattern from it instead of compiling it afresh in
every process (about 15 % of build's instructions, issue 13). Beside them (``foreign``), the patterns other
modules compile through ``re`` as the bundled books are converted (XlsxWriter's, the standard library's), which
``patterns.preload`` puts into re's cache before they are asked for; and the code of each record's __init__
(``inits``: core.records.filled_at_once makes it from there instead of compiling its text in every process).
tests/test_pattern_code.py makes it afresh and compares: after adding or changing a pattern or a record's fields,
upgrading XlsxWriter (or on another Python), write it again with

    python -m xlbudget.app.patterncode
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

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


BOOKS = Path(xlbudget.__file__).resolve().parents[1] / "workbooks"  # the bundled books, in a checkout
# run in a fresh interpreter: `xlbudget convert` of the bundled books in one process, every pattern re compiles
# (not found in its cache) written out; nothing preloaded (core.patterns.preload), so none is missed for being stored
_RECORD = """import json, re, sys
compile_, seen = re._compile, {}
def recording(pattern, flags):
    flags = flags.value if isinstance(flags, re.RegexFlag) else flags
    if (type(pattern), pattern, flags) not in re._cache:
        seen.setdefault((pattern, flags), None)
    return compile_(pattern, flags)
re._compile = recording
from xlbudget.core import patterns
patterns.preload = lambda: None
from xlbudget.cli import main
main(['convert', sys.argv[1], '-o', sys.argv[2], '--jobs', '1', '--force'])
# build's and check --mark's splice import lxml, which imports inspect (deferred by the command line), and with it
# tokenize, whose patterns are compiled then: recorded too, so that build does not compile them in every process
import lxml.etree
made = set(patterns.MADE)
with open(sys.argv[3], 'w', encoding='utf-8') as out:
    json.dump([[p.decode('latin-1') if isinstance(p, bytes) else p, isinstance(p, bytes), f]
               for p, f in seen if (p, f) not in made], out)
"""


def foreign_patterns() -> list[tuple[str | bytes, int]]:
    """The patterns other modules (XlsxWriter, the standard library) and xlbudget's own plain ``re`` calls compile
    as ``xlbudget convert`` converts the bundled books (--jobs 1: one process), (source, flags), in order; none that
    re never caches (re.DEBUG, re.TEMPLATE) or whose compiling warns (its warning would no longer be given)."""
    with tempfile.TemporaryDirectory() as tmp:
        found = Path(tmp) / "found.json"
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        subprocess.run([sys.executable, "-c", _RECORD, str(BOOKS), str(Path(tmp) / "out"), str(found)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp, env=env)
        seen = [(p.encode("latin-1") if is_bytes else p, f) for p, is_bytes, f in json.loads(found.read_text("utf-8"))]
    kept = []
    for source, flags in seen:
        if flags & patterns._NOT_STORED:
            continue
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            patterns.stored_entry(source, flags)
        if not said:
            kept.append((source, flags))
    return sorted(kept, key=lambda key: (isinstance(key[0], bytes), key))


def pattern_code_text(foreign: list | None = None) -> str:
    """The store as written: this interpreter, then one pattern's entry (core.patterns.stored_entry) a line,
    xlbudget's then ``foreign``'s (foreign_patterns unless given)."""
    entries = ",\n  ".join(_line(patterns.stored_entry(source, flags)) for source, flags in module_patterns())
    others = ",\n  ".join(_line(patterns.stored_entry(source, flags))
                           for source, flags in (foreign_patterns() if foreign is None else foreign))
    inits = patterns.stored_inits(sorted(patterns.INIT_TEXTS))  # every module imported: every record made
    return ('{"interpreter": ' + json.dumps(patterns.interpreter()) + ',\n"patterns": [\n  ' + entries
            + '\n],\n"foreign": [\n  ' + others + '\n],\n"inits": "' + inits + '"}\n')


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
