"""`record` gives our dataclasses the `__eq__`, `__hash__` and `__repr__` that `dataclass` would have
generated, shared instead of compiled for each class: the same behaviour, held against `dataclass` itself."""
from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import math
import pickle
import pkgutil
from dataclasses import dataclass, field

import pytest

import generator
from generator.plan import model
from generator.records import record


def _point(make):
    @make
    class Point:
        x: int
        label: str = "p"
        notes: list = field(default_factory=list, compare=False, repr=False)
        weight: float = field(default=0.0, hash=False)
        seen: int = field(default=0, compare=False, hash=True)
    return Point


PAIRS = {"frozen": (record, dataclass(frozen=True)), "mutable": (record(frozen=False), dataclass)}
VALUES = [(1,), (1, "q", [1, 2], 2.5, 3), (2, "nan", [], math.nan), (3, "nested", [], 0.0, 0)]


@pytest.mark.parametrize("kind", PAIRS)
@pytest.mark.parametrize("values", VALUES)
def test_a_record_compares_hashes_and_shows_itself_as_a_dataclass_does(kind, values):
    ours, theirs = (_point(make) for make in PAIRS[kind])
    a, b = ours(*values), theirs(*values)
    assert repr(a) == repr(b)
    assert a == ours(*values) and b == theirs(*values)             # the same NaN object: equal, as a tuple is
    assert a != dataclasses.replace(a, x=a.x + 1) and b != dataclasses.replace(b, x=b.x + 1)
    assert a == dataclasses.replace(a, notes=["not compared"])          # compare=False is left out
    if kind == "frozen":
        assert hash(a) == hash(b)
        assert hash(a) == hash(dataclasses.replace(a, weight=9.0))      # hash=False is left out of the hash
        with pytest.raises(dataclasses.FrozenInstanceError):
            a.x = 5
    else:
        assert ours.__hash__ is None and theirs.__hash__ is None      # mutable and compared: unhashable
        with pytest.raises(TypeError):
            hash(a)
    assert dataclasses.asdict(a) == dataclasses.asdict(b)


@record
class Shipped:
    """A record at module level, as the ones a batch worker or a Dask worker sends back are."""
    name: str
    amounts: tuple = ()


def test_a_record_travels_to_another_process_and_back():
    value = Shipped("Harbor Line", (1, 2))
    back = pickle.loads(pickle.dumps(value))
    assert back == value and hash(back) == hash(value) and repr(back) == "Shipped(name='Harbor Line', amounts=(1, 2))"


def test_a_record_is_equal_only_to_the_same_class():
    ours, theirs = _point(record), _point(dataclass(frozen=True))
    assert ours(1) != theirs(1)
    assert ours(1).__eq__(theirs(1)) is NotImplemented
    assert ours(1) != (1, "p", 0.0)


def test_a_method_the_class_writes_itself_is_kept():
    @record
    class Money:
        amount: int
        currency: str

        def __repr__(self):
            return f"{self.currency} {self.amount}"

        def __eq__(self, other):
            return isinstance(other, Money) and self.amount == other.amount

        def __hash__(self):
            return self.amount

    assert repr(Money(5, "EUR")) == "EUR 5"
    assert Money(5, "EUR") == Money(5, "USD") and hash(Money(5, "EUR")) == 5

    @record
    class OwnEqOnly:                  # its own __eq__ and no __hash__: dataclass(frozen=True) gives one
        n: int

        def __eq__(self, other):
            return isinstance(other, OwnEqOnly) and self.n % 2 == other.n % 2

    assert OwnEqOnly(1) == OwnEqOnly(3) and hash(OwnEqOnly(1)) == hash((1,))


def test_a_record_that_holds_itself_shows_dots_as_a_dataclass_does():
    @record(frozen=False)
    class Node:
        name: str
        next: object = None

    node = Node("a")
    node.next = node
    assert repr(node).endswith(".Node(name='a', next=...)")


def test_a_record_without_fields():
    @record
    class Empty:
        pass

    assert Empty() == Empty() and repr(Empty()).endswith(".Empty()") and hash(Empty()) == hash(())


def test_every_dataclass_of_ours_is_a_record():
    """A plain `@dataclass` would compile its own three methods at import again (what `record` saves), so
    every class of the package, the rows made from the schema included, is a record."""
    for info in pkgutil.walk_packages(generator.__path__, "generator."):
        if info.name.startswith("generator.web.") and importlib.util.find_spec("starlette") is None:
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == info.name:
                assert value.__dataclass_params__.eq is False and "__eq__" in vars(value), value
    for row in model.ROW_CLASSES.values():
        assert "__eq__" in vars(row) and row.__hash__ is None
        assert row() == row() and repr(row()).startswith(f"{row.__name__}(excel_row=0, ")
