"""Frozen records: what ``@dataclass(frozen=True)`` makes, with less compiled at import (``record``)."""

from __future__ import annotations

import builtins
from _thread import get_ident
from dataclasses import MISSING, FrozenInstanceError, dataclass, fields
from types import FunctionType

from xlbudget.core.patterns import init_code


class _Factory:
    """The default of a field made by its default_factory, shown as the dataclass's own __init__ shows it."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def record(cls=None, /, *, order: bool = False):
    """``@dataclass(frozen=True)`` (``order``: with ``order=True``) as xlbudget makes every record: the same fields,
    ``__eq__``, ``__hash__``, ``__repr__`` (and ordering), ``fields``/``replace``/``asdict``, and still frozen
    (assigning or deleting a field raises FrozenInstanceError, as the dataclass's own ``__setattr__`` does).

    Python 3.11's dataclass compiles each method it makes from source text, one ``exec`` a method: build imports
    about forty such classes before its first cell, 0.2 ms each (0.5 ms with ordering). Here dataclasses makes only
    the fields (no method: 0.04 ms); ``__init__`` is ``filled_at_once``'s (a shorter text, and a faster call), and
    ``__eq__``, ``__hash__``, ``__repr__`` and the ordering are the dataclass's own texts, each compiled on its first
    call (``_methods``), and ``__setattr__``/``__delattr__`` plain functions made once (``_frozen``). The class's
    ``__dataclass_params__`` reads init=False, repr=False, eq=False, frozen=False: how it was made, not how it
    behaves (tests/test_identities.py holds every record to a plain frozen dataclass of its fields).
    """

    def make(cls):
        made = filled_at_once(dataclass(cls, init=False, repr=False, eq=False))
        _methods(made, order)
        made.__setattr__, made.__delattr__ = _frozen(made, frozenset(f.name for f in fields(made)))
        return made

    return make if cls is None else make(cls)


def plain(cls):
    """``@dataclass`` as xlbudget makes its other (mutable) classes: the same fields and ``__init__`` (the dataclass's
    own), ``__eq__`` and ``__repr__`` compiled on their first call as a record's are (``_methods``), and no hash (a
    dataclass that compares by value and is not frozen has none). Build imports nine such classes; the two
    methods' texts were about half of what dataclasses compiles for each. ``__dataclass_params__`` reads repr=False,
    eq=False (tests/test_identities.py holds each to a plain dataclass of its fields)."""
    made = dataclass(cls, repr=False, eq=False)
    _methods(made, order=False, hashed=False)
    return made


_OPERATORS = {"__eq__": "==", "__lt__": "<", "__le__": "<=", "__gt__": ">", "__ge__": ">="}


def _methods(cls, order: bool, hashed: bool = True) -> None:
    """``__repr__``, ``__eq__``, ``__hash__`` (and with ``order`` ``__lt__``, ``__le__``, ``__gt__``, ``__ge__``) of the
    frozen dataclass ``cls``, each compiled on its first call (``_compiled``): most records are never shown, and
    many never compared or hashed. A method of the class body's own is kept, an ordering or a ``__hash__`` of its
    own refused, as dataclasses keeps and refuses them. ``hashed`` False (``plain``): no ``__hash__`` but the class
    body's own, as a dataclass that compares by value and is not frozen."""
    body = cls.__dict__
    explicit_hash = "__hash__" in body and not (body["__hash__"] is None and "__eq__" in body)
    if hashed and explicit_hash:
        raise TypeError(f"Cannot overwrite attribute __hash__ in class {cls.__name__}")
    for name in ("__repr__", "__eq__", *(("__hash__",) if hashed else ()),
                 *(("__lt__", "__le__", "__gt__", "__ge__") if order else ())):
        if name in body and name != "__hash__":
            if name in _OPERATORS and name != "__eq__":
                raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}. Consider using "
                                "functools.total_ordering")
            continue  # the class's own __eq__ or __repr__, as dataclasses keeps it
        setattr(cls, name, _on_first_call(cls, name))
    if not hashed and not explicit_hash:
        cls.__hash__ = None


def _on_first_call(cls, name: str):
    """A stand-in for ``cls``'s method ``name`` that compiles the method, puts it in its place and calls it."""

    def first(self, *other):
        return _compiled(cls, name)(self, *other)

    first.__name__, first.__qualname__ = name, f"{cls.__qualname__}.{name}"
    return first


def _compiled(cls, name: str):
    """``cls``'s method ``name`` compiled from the text dataclasses writes for it (its _cmp_fn, _hash_fn, _repr_fn
    with _recursive_repr: «...» for a record shown inside itself), set on the class in place of its stand-in."""

    def values(obj: str, names: list[str]) -> str:
        return "(" + "".join(f"{obj}.{n}," for n in names) + ")"

    compared = [f.name for f in fields(cls) if f.compare]
    if name == "__repr__":
        shown = ", ".join(f"{f.name}={{self.{f.name}!r}}" for f in fields(cls) if f.repr)
        text = f'def __repr__(self):\n    return self.__class__.__qualname__ + f"({shown})"'
    elif name == "__hash__":
        hashed = [f.name for f in fields(cls) if (f.compare if f.hash is None else f.hash)]
        text = f"def __hash__(self):\n    return hash({values('self', hashed)})"
    else:
        text = (f"def {name}(self, other):\n    if other.__class__ is self.__class__:\n"
                f"        return {values('self', compared)}{_OPERATORS[name]}{values('other', compared)}\n"
                "    return NotImplemented")
    namespace: dict = {}
    exec(text, namespace)  # noqa: S102 - our own field names, no input
    method = namespace[name]
    if name == "__repr__":
        method = _guarded(method)
    method.__qualname__ = f"{cls.__qualname__}.{name}"
    setattr(cls, name, method)
    return method


def _guarded(show):
    """``show`` (a __repr__) saying «...» for a record inside itself, as dataclasses' _recursive_repr does."""
    running: set = set()

    def __repr__(self):
        key = id(self), get_ident()
        if key in running:
            return "..."
        running.add(key)
        try:
            return show(self)
        finally:
            running.discard(key)

    return __repr__


def _frozen(cls, names: frozenset[str]):
    """``__setattr__`` and ``__delattr__`` of a frozen dataclass ``cls`` of the fields ``names``, as dataclasses
    writes them (its _frozen_get_del_attr): a field, or any attribute of an instance of ``cls`` itself, refused."""

    def __setattr__(self, name, value):
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self, name):
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    __setattr__.__qualname__ = f"{cls.__qualname__}.__setattr__"
    __delattr__.__qualname__ = f"{cls.__qualname__}.__delattr__"
    return __setattr__, __delattr__


def filled_at_once(cls):
    """A frozen dataclass whose ``__init__`` sets every field straight into the instance's dict.

    The generated one sets them one by one through ``object.__setattr__``: 5 µs for an ExpenseItem, made
    for every line of a book (20,000 in a large one). Same parameters, defaults and ``__post_init__``;
    the instance stays frozen (assigning a field still raises FrozenInstanceError).
    """
    names, params, defaults = [], [], {"_MISSING": _FACTORY}
    for f in fields(cls):
        if not f.init or f.kw_only or f.name == "_dict_":
            raise TypeError(f"{cls.__name__}.{f.name}: filled_at_once takes plain fields only")
        names.append(f.name)
        if f.default is not MISSING:
            defaults[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        elif f.default_factory is not MISSING:
            defaults[f"_factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_MISSING")
        else:
            params.append(f.name)
    lines = [f"def __init__(self, {', '.join(params)}):"]
    lines += [f"    if {n} is _MISSING: {n} = _factory_{n}()" for n in names if f"_factory_{n}" in defaults]
    lines.append("    _dict_ = self.__dict__")  # a key at a time: 15 % cheaper than update() with a new dict
    lines += [f"    _dict_[{n!r}] = {n}" for n in names]
    if hasattr(cls, "__post_init__"):
        lines.append("    self.__post_init__()")
    text = "\n".join(lines)
    code = init_code(text)
    if code is None:
        exec(text, defaults)  # noqa: S102 - our own field names, no input
        init = defaults["__init__"]
    else:  # the function exec would make of the text, its code stored (33 records: 2.5 ms of each command's start)
        defaults.setdefault("__builtins__", builtins.__dict__)
        init = defaults["__init__"] = FunctionType(
            code, defaults, None, tuple(defaults[p.split("=")[1]] for p in params if "=" in p) or None)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init
    return cls
