"""`record`: our dataclasses, with the equality, hash and repr every one of them shares written once.

Python before 3.13 compiles each method a dataclass generates on its own as the class is made: six for a
frozen one, about 0.4 ms a class. Making the 47 classes `validate` imports took 18 ms of the 26 ms our
modules take to import, and 7 ms of it went on `__eq__`, `__hash__` and `__repr__`, which are the same code
for every class. `record` has `dataclass` generate only what differs by class (`__init__`, and the guard of
a frozen one) and gives the three shared ones, which behave as `dataclass`'s own: each `field`'s `compare`,
`hash` and `repr` honoured, equal only to the same class, a mutable record unhashable, a method the class
writes itself kept (tests/test_records.py holds them to `dataclass`'s).
"""
from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T", bound=type)
_MISSING = object()


def record(cls: T | None = None, /, *, frozen: bool = True) -> Any:
    """`@record` is `@dataclass(frozen=True)`; `@record(frozen=False)` is `@dataclass`."""
    def make(cls: T) -> T:
        return with_shared_methods(dataclass(frozen=frozen, eq=False, repr=False)(cls), frozen)
    return make if cls is None else make(cls)


def with_shared_methods(cls: T, frozen: bool) -> T:
    """`cls`, a dataclass made with `eq=False, repr=False`, with the `__eq__`, `__hash__` and `__repr__`
    that `dataclass(eq=True, repr=True, frozen=frozen)` would have given it."""
    own = cls.__dict__
    every = fields(cls)
    written_hash = own.get("__hash__", _MISSING)
    explicit_hash = not (written_hash is _MISSING or (written_hash is None and "__eq__" in own))
    if "__eq__" not in own:
        compared = _values([f.name for f in every if f.compare])

        def __eq__(self, other):
            if other.__class__ is self.__class__:
                return compared(self) == compared(other)
            return NotImplemented
        cls.__eq__ = __eq__
    if not explicit_hash:
        if frozen:
            hashed = _values([f.name for f in every if (f.compare if f.hash is None else f.hash)])
            cls.__hash__ = lambda self: hash(hashed(self))
        else:
            cls.__hash__ = None                       # mutable and compared by value: unhashable
    if "__repr__" not in own:
        shown = [f.name for f in every if f.repr]

        @reprlib.recursive_repr()
        def __repr__(self):
            inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
            return f"{self.__class__.__qualname__}({inner})"
        cls.__repr__ = __repr__
    return cls


def _values(names: list[str]) -> Callable[[Any], tuple]:
    """A function giving the tuple of an object's attributes `names` (a tuple, as `dataclass` compares)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()
