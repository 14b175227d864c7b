"""SPEC §1: exact money. Every amount is a Decimal, quantized per currency, never a float."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negplan.money import Frequency, monthly, quantize, split_evenly, to_decimal


def test_strings_and_ints_become_decimals_with_their_digits() -> None:
    assert to_decimal("1234.10") == Decimal("1234.10")
    assert str(to_decimal("1234.10")) == "1234.10"
    assert to_decimal(7) == Decimal(7)


@pytest.mark.parametrize("bad", [0.1, float("nan"), True, "abc", "1,234.10", "Infinity", None])
def test_floats_and_non_numbers_are_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        to_decimal(bad)


def test_point_one_plus_point_two_is_point_three() -> None:
    assert to_decimal("0.1") + to_decimal("0.2") == Decimal("0.3")


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("2.345", "USD", "2.35"),  # half up, not banker's rounding
        ("2.325", "GBP", "2.33"),
        ("1234.5", "JPY", "1235"),
        ("99.994", "INR", "99.99"),
    ],
)
def test_quantize_half_up_to_minor_unit(amount: str, currency: str, expected: str) -> None:
    assert str(quantize(Decimal(amount), currency)) == expected


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        (Frequency.weekly, "650.00"),  # 150 × 52 / 12 exactly
        (Frequency.biweekly, "325.00"),
        (Frequency.semimonthly, "300.00"),
        (Frequency.monthly, "150.00"),
        (Frequency.quarterly, "50.00"),
        (Frequency.annually, "12.50"),
    ],
)
def test_frequencies_normalise_to_monthly(frequency: Frequency, expected: str) -> None:
    assert quantize(monthly(Decimal("150.00"), frequency), "USD") == Decimal(expected)


def test_split_evenly_puts_the_remainder_on_the_last_installment() -> None:
    assert split_evenly(Decimal("1000.00"), 3, "USD") == [
        Decimal("333.33"),
        Decimal("333.33"),
        Decimal("333.34"),
    ]
    assert split_evenly(Decimal("1000"), 3, "JPY") == [Decimal(333), Decimal(333), Decimal(334)]


@given(
    total=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10000000"), places=2),
    count=st.integers(min_value=1, max_value=120),
)
def test_installments_always_sum_exactly_to_the_total(total: Decimal, count: int) -> None:
    parts = split_evenly(total, count, "USD")
    assert sum(parts) == total
    assert len(parts) == count
    assert all(p.as_tuple().exponent == -2 for p in parts)
    assert parts[-1] >= parts[0]
