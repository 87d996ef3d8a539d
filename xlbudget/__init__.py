"""xlbudget: 單位預算書 (Taiwanese government unit budget books) from line items, in Excel."""

import sys
import types

__version__ = "0.1.0"


class _OnFirstUse(types.ModuleType):
    """A standard-library module whose code runs when one of its attributes is first asked for (``defer``)."""

    def __getattr__(self, name: str):
        # only an attribute the module does not hold yet comes here: __spec__, __name__ and __file__ are set, so an
        # `import` of it finds it in sys.modules without running it
        self.__class__ = types.ModuleType  # from now on a plain module, its attributes its own
        self.__spec__.loader.exec_module(self)
        return getattr(self, name)  # AttributeError for a name the module lacks, as it would raise it


def defer(name: str) -> None:
    """The standard-library module ``name`` put in sys.modules unrun: its code runs on its first attribute
    (``_OnFirstUse``), the same module object, the same code, as ``import`` would have run it. Nothing done where it
    is imported already, where it is not found, or where ``dataclasses`` (its importer here) is imported already.

    ``inspect``: dataclasses imports it, with ast, dis, tokenize, token and linecache, for one thing only, the
    docstring of a class that has none (``inspect.signature``), which no record of ours lacks: 33 M instructions,
    ≈8 ms, of every command's start and of the part of convert --jobs that is not shared out before its workers
    fork (callgrind, issue 13). importlib.util.LazyLoader runs the module as soon as an ``import`` statement looks
    at its ``__spec__``, as dataclasses' own does: not used."""
    if name in sys.modules or "dataclasses" in sys.modules:
        return
    from importlib.machinery import PathFinder
    from importlib.util import module_from_spec

    spec = PathFinder.find_spec(name)
    if spec is None or spec.loader is None or spec.submodule_search_locations is not None:
        return  # a built-in or frozen module, or a package: imported as usual
    module = module_from_spec(spec)
    module.__class__ = _OnFirstUse
    sys.modules[name] = module

