"""A record behaves as the frozen dataclass it replaces (issue 20: cheaper to create).

Each test holds a record beside ``@dataclass(frozen=True)`` written the same way: what one
does, the other does, down to the text of ``repr``.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import FrozenInstanceError, dataclass, field
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negplan.records import record


@record
class Payment:
    """One payment: a record."""

    amount: Decimal
    note: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    checked: bool = field(default=False, compare=False, repr=False)


@dataclass(frozen=True)
class PaymentDC:
    """The same payment: a frozen dataclass."""

    amount: Decimal
    note: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    checked: bool = field(default=False, compare=False, repr=False)


@record
class Counted:
    total: int
    seen: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.seen.append(self.total)


@record
class Instalment(Payment):
    number: int = 1


@record
class Empty:
    pass


def test_arguments_are_taken_as_the_dataclass_takes_them() -> None:
    by_position = Payment(Decimal("10.00"), "first", ("a",))
    by_name = Payment(tags=("a",), note="first", amount=Decimal("10.00"))
    assert by_position == by_name
    assert Payment(Decimal(1)).note == ""
    assert Payment(Decimal(1)).tags == ()


def test_a_missing_or_unexpected_argument_is_a_type_error_naming_it() -> None:
    with pytest.raises(TypeError, match="amount"):
        Payment()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="colour"):
        Payment(Decimal(1), colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="note"):
        Payment(Decimal(1), "x", note="y")  # type: ignore[misc]
    with pytest.raises(TypeError):
        Payment(Decimal(1), "x", (), True, "too many")  # type: ignore[call-arg]


def test_each_default_factory_runs_once_per_instance() -> None:
    one, two = Counted(1), Counted(2)
    assert one.seen == [1]
    assert two.seen == [2]
    assert Counted(3, [0]).seen == [0, 3]


def test_repr_is_the_dataclass_repr() -> None:
    args = (Decimal("12.50"), "late", ("x", "y"), True)
    assert repr(Payment(*args)) == repr(PaymentDC(*args)).replace("PaymentDC", "Payment")
    assert repr(Empty()) == "Empty()"
    assert repr(Instalment(Decimal(1), number=3)) == (
        "Instalment(amount=Decimal('1'), note='', tags=(), number=3)"
    )


def test_equal_only_to_the_same_class_with_equal_compared_fields() -> None:
    a = Payment(Decimal(1), "n", checked=True)
    assert a == Payment(Decimal(1), "n", checked=False)  # ``checked`` is not compared
    assert hash(a) == hash(Payment(Decimal(1), "n"))
    assert a != Payment(Decimal(2), "n")
    assert a != PaymentDC(Decimal(1), "n")  # type: ignore[comparison-overlap]
    assert a != Instalment(Decimal(1), "n")
    assert Empty() == Empty()
    assert hash(Empty()) == hash(Empty())
    assert len({a, Payment(Decimal(1), "n"), Payment(Decimal(2))}) == 2


def test_frozen() -> None:
    a = Payment(Decimal(1))
    with pytest.raises(FrozenInstanceError):
        a.note = "changed"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del a.note
    with pytest.raises(FrozenInstanceError):
        a.extra = 1  # type: ignore[attr-defined]


def test_the_standard_library_sees_a_dataclass() -> None:
    a = Payment(Decimal(1), "n", ("t",))
    assert dataclasses.is_dataclass(a)
    assert [f.name for f in dataclasses.fields(a)] == ["amount", "note", "tags", "checked"]
    assert dataclasses.replace(a, note="m") == Payment(Decimal(1), "m", ("t",))
    assert dataclasses.asdict(a) == dataclasses.asdict(PaymentDC(Decimal(1), "n", ("t",)))
    assert Payment.__match_args__ == ("amount", "note", "tags", "checked")
    match a:
        case Payment(amount, note):
            assert (amount, note) == (Decimal(1), "n")


def test_a_subclass_adds_its_fields_after_its_bases() -> None:
    one = Instalment(Decimal(5), "n", (), False, 2)
    assert (one.amount, one.number) == (Decimal(5), 2)
    assert [f.name for f in dataclasses.fields(one)][-1] == "number"


def test_copies_and_pickles_are_equal_and_still_frozen() -> None:
    a = Instalment(Decimal("3.30"), "n", ("t",), number=4)
    for twin in (copy.copy(a), copy.deepcopy(a), pickle.loads(pickle.dumps(a))):
        assert twin == a
        assert type(twin) is Instalment
        with pytest.raises(FrozenInstanceError):
            twin.number = 5  # type: ignore[misc]


def test_a_field_without_default_after_one_with_a_default_is_refused_at_once() -> None:
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):

        @record
        class Bad:
            a: int = 0
            b: int  # type: ignore[misc]


def test_a_class_without_a_docstring_is_described_by_its_fields() -> None:
    assert Counted.__doc__ == "Counted(total, seen)"
    assert Payment.__doc__ == "One payment: a record."


def _shape(layout: list[tuple[int, bool]]) -> type:
    """A fresh class with one ``int`` field per ``(default, compared)``; default 0 is none."""
    namespace: dict[str, object] = {"__annotations__": {}}
    for i, (default, compared) in enumerate(layout):
        namespace["__annotations__"][f"f{i}"] = int  # type: ignore[index]
        namespace[f"f{i}"] = (
            field(compare=compared) if default == 0 else field(default=default, compare=compared)
        )
    return type("Shape", (), namespace)


@given(st.lists(st.tuples(st.integers(-5, 5), st.booleans()), max_size=6), st.data())
def test_records_and_dataclasses_agree_on_any_layout(
    layout: list[tuple[int, bool]], data: st.DataObject
) -> None:
    """Fields with and without defaults, some not compared: construction, ``repr``, equality."""
    layout = sorted(layout, key=lambda spec: spec[0] != 0)  # those without a default first
    reference: type = dataclass(frozen=True)(_shape(layout))
    made = record(_shape(layout))
    required = sum(1 for default, _ in layout if default == 0)
    values = data.draw(st.lists(st.integers(), min_size=required, max_size=len(layout)))
    other = data.draw(st.lists(st.integers(), min_size=required, max_size=len(layout)))
    assert repr(made(*values)) == repr(reference(*values))
    assert (made(*values) == made(*other)) == (reference(*values) == reference(*other))
    if made(*values) == made(*other):
        assert hash(made(*values)) == hash(made(*other))
    assert dataclasses.asdict(made(*values)) == dataclasses.asdict(reference(*values))
