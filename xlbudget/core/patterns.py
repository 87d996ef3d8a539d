"""Regular expressions compiled on their first use (``lazy``), from their stored compiled code where it is there.

Python compiles a pattern in Python code, and a class of Chinese characters (「[十百千]」, the CJK range) costs
0.1–1.5 ms each: derive.narrative's 總說明 patterns took 8 ms of every build's start, most of them for words a book
may never hold. ``lazy(text)`` stands for ``re.compile(text)``: the same methods, the same matches; compiled when a
method is first asked for, and that method then comes straight from the compiled pattern.

The patterns a book is read and checked with are compiled all the same by every build, check and convert worker
(about 15 % of build's instructions, issue 13). What ``re.compile`` makes of each ``lazy`` pattern of xlbudget's
modules (the code ``re._compiler`` hands to ``_sre.compile``) is stored in xlbudget/data/pattern-code.json,
written by ``python -m xlbudget.app.patterncode``, for the interpreter that wrote it. A pattern is made from its
stored code only when that interpreter is this one (implementation, the whole ``sys.version_info``, sre's MAGIC
and CODESIZE, ``sys.maxunicode``, byte order) and the stored source and flags are exactly the pattern's own; else, or on
any error reading or making it, by ``re.compile``, as before: never a pattern other than ``re.compile``'s.
tests/test_pattern_code.py compares every stored pattern with ``re.compile``'s, code and all.

The same store holds, by the same rule, what other modules compile as convert goes (``foreign``: XlsxWriter's,
argparse's, fractions', the standard library's patterns; ``preload`` puts them into re's own cache, where their
``re.compile`` finds them) and the code of each record's ``__init__`` (``inits``, by its exact text:
core.records.filled_at_once makes the function from it instead of compiling the text).
"""

from __future__ import annotations

import re
import sys

import _sre

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")
STORE_NAME = "pattern-code.json"  # in xlbudget.data, written by app.patterncode
MADE: dict[tuple[str | bytes, int], None] = {}  # every lazy pattern made, (source, flags), in order: what is stored
_CODE_TYPE = "I"  # a word of sre's code (CODESIZE 4 bytes, stored in interpreter()): an unsigned int
_STORE: list[dict] = []  # once read: {(source, flags): stored entry}, empty when the store is not this interpreter's
_FOREIGN: list[list] = []  # once read: the stored entries of other modules' patterns (preload), [] likewise
_SEEDED: list[bool] = []  # preload done, once a process
_INITS: list[dict] = []  # once read: {text: code} of the records' __init__ (core.records), {} likewise
_ANNOTATIONS = 0x1000000  # __future__.annotations.compiler_flag (CO_FUTURE_ANNOTATIONS)
INIT_TEXTS: dict[str, None] = {}  # every record __init__ text made (core.records.filled_at_once), in order: stored
_NOT_STORED = 128 | 1  # re.DEBUG (never cached by re) and re.TEMPLATE (warned about at each compile): never stored


class LazyPattern:
    """``re.compile(pattern, flags)``, compiled on first use (``lazy``)."""

    def __init__(self, pattern: str | bytes, flags: int = 0):
        self.pattern, self._flags = pattern, int(flags)

    def __getattr__(self, name: str):
        if name.startswith("_"):  # copy, pickle and the like ask for these: never compile for them
            raise AttributeError(name)
        compiled = self.__dict__.get("_compiled")
        if compiled is None:  # the first use: the methods come straight from the compiled pattern from now on
            compiled = self._compiled = compiled_pattern(self.pattern, self._flags)
            for method in _METHODS:
                setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)  # flags, groups, groupindex, scanner: the compiled pattern's

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r})"


def lazy(pattern: str | bytes, flags: int = 0) -> LazyPattern:
    """``re.compile(pattern, flags)`` compiled on first use. For a module's own patterns (made once, at import):
    each is among those ``python -m xlbudget.app.patterncode`` stores."""
    MADE[(pattern, int(flags))] = None
    return LazyPattern(pattern, flags)


def interpreter() -> dict:
    """What the stored code is valid for: sre's code and ``_sre.compile``'s arguments change between versions."""
    return {"implementation": sys.implementation.name, "version": list(sys.version_info), "sre_magic": _sre.MAGIC,
            "codesize": _sre.CODESIZE, "maxunicode": sys.maxunicode, "byteorder": sys.byteorder}


def stored_entry(pattern: str | bytes, flags: int = 0) -> list:
    """``re.compile``'s making of ``pattern`` as stored: [source (bytes as Latin-1 text), is bytes, flags, the
    pattern's flags, groups, groupindex, indexgroup, code] — what ``re._compiler.compile`` hands to
    ``_sre.compile``, made by its own steps; the code as the hex of its CODESIZE-byte words in this machine's order
    (read back by ``bytes.fromhex`` and ``memoryview.cast``: parsing 20,000-odd JSON numbers cost more than the
    compiling it spares)."""
    from array import array
    from re import _compiler, _parser

    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    is_bytes = isinstance(pattern, bytes)
    return [pattern.decode("latin-1") if is_bytes else pattern, is_bytes, flags, flags | parsed.state.flags,
            parsed.state.groups - 1, groupindex, indexgroup, memoryview(array(_CODE_TYPE, code)).tobytes().hex()]


def read_store(path) -> dict:
    """The stored code at ``path``: {(source, flags): entry}; empty when there is none, it cannot be read, or
    another interpreter wrote it."""
    return _read(path)[0]


def _read(path) -> tuple[dict, list, dict]:
    """The store at ``path``: xlbudget's patterns as read_store gives them, the entries of other modules'
    (``foreign``: preload) and the records' __init__ code by its text (``inits``: init_code); ({}, [], {}) when
    there is none, it cannot be read, or another interpreter wrote it."""
    try:
        import json

        with open(path, "rb") as stored:
            data = json.loads(stored.read())
        if data["interpreter"] != interpreter():
            return {}, [], {}
        own = {(e[0].encode("latin-1") if e[1] else e[0], e[2]): e for e in data["patterns"]}
        foreign = [e for e in data.get("foreign", ()) if isinstance(e, list) and len(e) == 8]
        return own, foreign, _inits(data.get("inits", ""))
    except Exception:  # noqa: BLE001 - a store that cannot be read is no store: re.compile, as without one
        return {}, [], {}


def _inits(text: str) -> dict:
    """The stored records' __init__ code, {text: code object}; {} when it cannot be read."""
    try:
        import marshal
        from types import CodeType

        inits = marshal.loads(bytes.fromhex(text))
        if isinstance(inits, dict) and all(isinstance(k, str) and isinstance(v, CodeType) for k, v in inits.items()):
            return inits
    except Exception:  # noqa: BLE001 - no stored code: each __init__ compiled from its text, as without a store
        pass
    return {}


def stored_inits(texts) -> str:
    """The code of each record __init__ text in ``texts`` as stored: the hex of marshal's version 2 (no references:
    the same bytes for the same code, whatever the objects' reference counts) of {text: the function's code}."""
    import marshal
    from types import CodeType

    inits = {}
    for text in texts:  # compiled as records' exec compiles it: its module's `from __future__ import annotations`
        made = compile(text, "<string>", "exec", flags=_ANNOTATIONS, dont_inherit=True)
        inits[text] = next(c for c in made.co_consts if isinstance(c, CodeType))
    return marshal.dumps(inits, 2).hex()


def init_code(text: str):
    """The code ``compile`` makes of the function ``text`` (a record's __init__, core.records.filled_at_once), from
    the store when it holds exactly this text for this interpreter; else None (compiled from the text). The text
    is remembered for the store (INIT_TEXTS)."""
    INIT_TEXTS[text] = None
    _store()
    return _INITS[0].get(text)


def store_path():
    """Where xlbudget's stored code is: xlbudget/data/pattern-code.json."""
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "data" / STORE_NAME


def _store() -> dict:
    """xlbudget's stored code (read_store), read once a process."""
    if not _STORE:
        own, foreign, inits = _read(store_path())
        _FOREIGN.extend(foreign)
        _INITS.append(inits)
        _STORE.append(own)
    return _STORE[0]


def preload() -> None:
    """Read the store now, and put each pattern of other modules stored there (XlsxWriter's, the standard library's:
    the ones ``re.compile`` makes in a convert of the bundled books besides xlbudget's ``lazy`` ones, about 30 M
    instructions of its start-up) into ``re``'s own cache, made from its stored code, under the key ``re.compile``
    looks it up by: their modules' ``re.compile`` then finds it made. Once a process; a pattern already there is
    left as it is, and nothing is put when the store is not this interpreter's (the cache's form is that
    interpreter's: ``re._cache``, a dict by (type, source, flags)), when re has no such cache, or past its size. A
    pattern the store cannot make is left for ``re.compile``."""
    if _SEEDED:
        return
    _SEEDED.append(True)
    _store()
    cache, room = getattr(re, "_cache", None), getattr(re, "_MAXCACHE", 0)
    if not isinstance(cache, dict) or not isinstance(room, int):
        return
    for entry in _FOREIGN:
        source = entry[0].encode("latin-1") if entry[1] else entry[0]
        key = (type(source), source, entry[2])
        if len(cache) >= room:
            return
        if key not in cache and not entry[2] & _NOT_STORED:
            made = _made(source, entry)
            if made is not None:
                cache[key] = made


def _made(pattern: str | bytes, entry: list) -> re.Pattern | None:
    """``pattern`` made from its stored entry; None when _sre refuses the code (or it is no code)."""
    try:
        _, _, _, pattern_flags, groups, groupindex, indexgroup, code = entry
        code = memoryview(bytes.fromhex(code)).cast(_CODE_TYPE).tolist()
        return _sre.compile(pattern, pattern_flags, code, groups, dict(groupindex), tuple(indexgroup))
    except Exception:  # noqa: BLE001 - code _sre refuses (invalid SRE code): compiled from the source instead
        return None


def compiled_pattern(pattern: str | bytes, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern, flags)``: from the stored code when it is this interpreter's and stored for exactly
    this source and these flags, else (or on any error making it) by ``re.compile``."""
    entry = _store().get((pattern, flags))
    made = None if entry is None else _made(pattern, entry)
    return re.compile(pattern, flags) if made is None else made
