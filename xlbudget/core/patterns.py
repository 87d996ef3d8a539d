"""Regular expressions compiled on their first use (``lazy``): a module's patterns cost nothing to import.

Python compiles a pattern in Python code, and a class of Chinese characters (「[十百千]」, the CJK range) costs
0.1–1.5 ms each: derive.narrative's 總說明 patterns took 8 ms of every build's start, most of them for words a book
may never hold. ``lazy(text)`` stands for ``re.compile(text)``: the same methods, the same matches; compiled when a
method is first asked for, and that method then comes straight from the compiled pattern.
"""

from __future__ import annotations

import re

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    """``re.compile(pattern, flags)``, compiled on first use (``lazy``)."""

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern, self.flags = pattern, flags

    def __getattr__(self, name: str):
        if name.startswith("__"):  # copy, pickle and the like ask for these: never compile for them
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self.flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r})"


def lazy(pattern: str, flags: int = 0) -> LazyPattern:
    """``re.compile(pattern, flags)`` compiled on first use."""
    return LazyPattern(pattern, flags)
