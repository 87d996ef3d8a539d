"""Frozen records: what ``@dataclass(frozen=True)`` makes, with less compiled at import (``record``)."""

from __future__ import annotations

from dataclasses import MISSING, FrozenInstanceError, dataclass, fields


class _Factory:
    """The default of a field made by its default_factory, shown as the dataclass's own __init__ shows it."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def record(cls=None, /, *, order: bool = False):
    """``@dataclass(frozen=True)`` (``order``: with ``order=True``) as xlbudget makes every record: the same fields,
    ``__eq__``, ``__hash__``, ``__repr__`` (and ordering), ``fields``/``replace``/``asdict``, and still frozen
    (assigning or deleting a field raises FrozenInstanceError, as the dataclass's own ``__setattr__`` does).

    Python 3.11's dataclass compiles each method it makes from source text, one ``exec`` a method, and a frozen
    class's ``__init__`` (an ``object.__setattr__`` call a field), ``__setattr__`` and ``__delattr__`` are more than
    half of that text: build imports about forty such classes before its first cell. Here ``__init__`` is
    ``filled_at_once``'s (a shorter text, and a faster call), and ``__setattr__``/``__delattr__`` are plain
    functions made once (``_frozen``), compiled with this module; dataclasses makes the rest as for any dataclass.
    The class's ``__dataclass_params__`` reads init=False, frozen=False and unsafe_hash=True: how it was made,
    not how it behaves (tests/test_identities.py holds every record to a plain frozen dataclass of its fields).
    """

    def make(cls):
        made = filled_at_once(dataclass(cls, init=False, order=order, unsafe_hash=True))
        made.__setattr__, made.__delattr__ = _frozen(made, frozenset(f.name for f in fields(made)))
        return made

    return make if cls is None else make(cls)


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
    exec("\n".join(lines), defaults)  # noqa: S102 - our own field names, no input
    init = defaults["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init
    return cls
