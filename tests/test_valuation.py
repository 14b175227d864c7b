"""Present values and annuities, cross-checked against numpy-financial (independent code)."""

from __future__ import annotations

from decimal import Decimal as D
from decimal import localcontext

import numpy_financial as npf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from negplan.core.valuation import (
    annuity_payment,
    break_hazard,
    lump_sum_value,
    present_value,
    series_factor,
    series_value,
)
from negplan.io.rules_file import load_rules

VALUE = load_rules().value  # annual_discount_rate 0.10


@given(
    amount=st.decimals(min_value=D("0.01"), max_value=D("1000000"), places=2),
    month=st.integers(min_value=0, max_value=120),
)
def test_present_value_matches_numpy_financial(amount: D, month: int) -> None:
    expected = -npf.pv(0.10 / 12, month, 0, float(amount))
    assert float(present_value(amount, month, VALUE)) == pytest.approx(expected, rel=1e-12)


@given(
    principal=st.decimals(min_value=D("100"), max_value=D("500000"), places=2),
    rate=st.decimals(min_value=D("0.0001"), max_value=D("0.36"), places=4),
    months=st.integers(min_value=1, max_value=120),
)
def test_annuity_payment_matches_numpy_financial(principal: D, rate: D, months: int) -> None:
    expected = -npf.pmt(float(rate) / 12, months, float(principal))
    assert float(annuity_payment(principal, rate, months)) == pytest.approx(expected, rel=1e-9)


def test_annuity_without_interest_is_principal_over_months() -> None:
    assert annuity_payment(D("1200"), D("0"), 12) == D("100")


def test_level_series_without_hazard_is_an_annuity_present_value() -> None:
    value = series_value([D("100")] * 24, D("0"), VALUE)
    expected = -npf.pv(0.10 / 12, 24, 100)  # ordinary annuity: first payment in month 1
    assert float(value) == pytest.approx(expected, rel=1e-12)


def test_series_value_by_hand() -> None:
    # Σ p × (1 − h)^(t−1) / d^t with p = 100, h = 0.04, d = 1 + 0.10/12, t = 1..3
    d = D(1) + D("0.10") / 12
    by_hand = D(100) / d + D(100) * D("0.96") / d**2 + D(100) * D("0.96") ** 2 / d**3
    assert abs(series_value([D(100)] * 3, D("0.04"), VALUE) - by_hand) < D("1e-20")


def test_lump_sum_is_honor_rate_discounted_one_month() -> None:
    d = D(1) + D("0.10") / 12
    assert lump_sum_value(D("1000"), VALUE) == D("1000") * D("0.90") / d


@pytest.mark.parametrize(
    ("burden", "hazard"),
    [
        (D("0"), "0.02"),
        (D("0.50"), "0.02"),
        (D("0.5001"), "0.04"),
        (D("0.80"), "0.04"),
        (D("1.00"), "0.07"),
        (D("1.01"), "0.25"),
        (None, "0.25"),
    ],
)
def test_break_hazard_by_burden(burden: D | None, hazard: str) -> None:
    assert break_hazard(burden, VALUE)[0] == D(hazard)


def _uncached_series_value(payments: list[D], hazard: D) -> D:
    d = D(1) + VALUE.annual_discount_rate / 12
    total, factor = D(0), D(1) / d
    for payment in payments:
        total += payment * factor
        factor = factor * (D(1) - hazard) / d
    return total


def test_cached_series_values_equal_the_plain_sum_under_any_decimal_context() -> None:
    """The per-process cache of discount factors never changes a figure (SPEC §4's sum)."""
    payments = [D("333.33")] * 11 + [D("333.37")]
    for prec in (28, 6, 28):  # the second 28 reads the cache the first one filled
        with localcontext() as context:
            context.prec = prec
            expected = _uncached_series_value(payments, D("0.03"))
            assert str(series_value(payments, D("0.03"), VALUE)) == str(expected)
            assert str(series_factor(12, D("0.03"), VALUE)) == str(
                _uncached_series_value([D(1)] * 12, D("0.03"))
            )
