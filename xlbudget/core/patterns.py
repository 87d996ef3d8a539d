"""Regular expressions compiled on their first use (``lazy``): a module's patterns cost nothing to import.

Python compiles a pattern in Python code, and a class of Chinese characters (「[十百千]」, the CJK range) costs
0.1–1.5 ms each: derive.narrative's 總說明 patterns took 8 ms of every build's start, most of them for words a book
may never hold. ``lazy(text)`` stands for ``re.compile(text)``: the same methods, the same matches; compiled when a
method is first asked for, and that method then comes straight from the compiled pattern. Every pattern a module
makes at import is lazy: a command compiles only those it uses (build 42 of the 84 it imported, issue 13).
"""

from __future__ import annotations

import re

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    """``re.compile(pattern, flags)``, compiled on first use (``lazy``)."""

    def __init__(self, pattern: str | bytes, flags: int = 0):
        self.pattern, self._flags = pattern, int(flags)

    def __getattr__(self, name: str):
        if name.startswith("_"):  # copy, pickle and the like ask for these: never compile for them
            raise AttributeError(name)
        compiled = self.__dict__.get("_compiled")
        if compiled is None:  # the first use: the methods come straight from the compiled pattern from now on
            compiled = self._compiled = re.compile(self.pattern, self._flags)
            for method in _METHODS:
                setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)  # flags, groups, groupindex, scanner: the compiled pattern's

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r})"


def lazy(pattern: str | bytes, flags: int = 0) -> LazyPattern:
    """``re.compile(pattern, flags)`` compiled on first use."""
    return LazyPattern(pattern, flags)
