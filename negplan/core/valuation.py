"""Present values, break hazards and annuities: the arithmetic of what a promise is worth.

SPEC §4: the present value of an amount ``a`` paid in month ``t`` is ``a / (1 + r/12)^t`` with
``r`` the creditor's annual discount rate. Payment ``t`` of a schedule (counting from 1) is paid
in month ``t``. A single promised payment is worth its amount × ``lump_sum_honor_rate``; a series
of payments is worth Σ payment_t × (1 − h)^(t−1), discounted, where ``h`` is the monthly chance
that the plan breaks, looked up by the plan's burden (payment ÷ affordable payment).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, getcontext
from functools import lru_cache

from negplan.core.rules import Value
from negplan.money import ONE, ZERO


def monthly_discount(value: Value) -> Decimal:
    """``1 + annual_discount_rate / 12``: one month's growth of the creditor's money."""
    return ONE + value.annual_discount_rate / 12


def present_value(amount: Decimal, month: int, value: Value) -> Decimal:
    """``amount / (1 + r/12)^month`` (exact to Decimal precision, unrounded)."""
    return amount / monthly_discount(value) ** month


def break_hazard(burden: Decimal | None, value: Value) -> tuple[Decimal, int]:
    """The monthly break hazard for a burden, and the index of the ``monthly_break_hazard`` row.

    ``None`` (a payment the debtor has no surplus for at all) takes the last, open-ended row.
    """
    rows = value.monthly_break_hazard
    if burden is not None:
        for index, row in enumerate(rows):
            if row.max_burden is None or burden <= row.max_burden:
                return row.hazard, index
    return rows[-1].hazard, len(rows) - 1


def series_value(payments: Sequence[Decimal], hazard: Decimal, value: Value) -> Decimal:
    """Expected present value of a payment series: Σ p_t × (1 − h)^(t−1) / (1 + r/12)^t."""
    factors = _series_factors(len(payments), hazard, value.annual_discount_rate, *_context_key())
    total = ZERO
    for payment, factor in zip(payments, factors, strict=True):
        total += payment * factor
    return total


def series_factor(months: int, hazard: Decimal, value: Value) -> Decimal:
    """The value of paying 1 a month for ``months`` months (``series_value`` of ones)."""
    return _series_factor(months, hazard, value.annual_discount_rate, *_context_key())


# Every case under one set of rules needs the same few series, so each is worked out once per
# process. The factors are computed exactly as an uncached loop would; the key carries the
# decimal context, so a caller with another precision never gets figures computed under this one.


def _context_key() -> tuple[int, str]:
    context = getcontext()
    return context.prec, context.rounding


@lru_cache(maxsize=1024)
def _series_factors(
    months: int, hazard: Decimal, annual_discount_rate: Decimal, prec: int, rounding: str
) -> tuple[Decimal, ...]:
    """(1 − h)^(t−1) / (1 + r/12)^t for t = 1 … months."""
    d = ONE + annual_discount_rate / 12
    survive = ONE - hazard
    factor = ONE / d
    factors = []
    for _ in range(months):
        factors.append(factor)
        factor = factor * survive / d
    return tuple(factors)


@lru_cache(maxsize=1024)
def _series_factor(
    months: int, hazard: Decimal, annual_discount_rate: Decimal, prec: int, rounding: str
) -> Decimal:
    return sum(_series_factors(months, hazard, annual_discount_rate, prec, rounding), ZERO)


def lump_sum_value(amount: Decimal, value: Value) -> Decimal:
    """A single payment promised now, paid in month 1: amount × honor rate, discounted a month."""
    return amount * value.lump_sum_honor_rate / monthly_discount(value)


def annuity_payment(principal: Decimal, annual_rate: Decimal, months: int) -> Decimal:
    """The level monthly payment that repays ``principal`` in ``months`` at ``annual_rate``.

    The annuity formula P × i / (1 − (1 + i)^−n) with i = annual_rate / 12; with no interest,
    simply P / n. Unrounded.
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    i = annual_rate / 12
    if i == 0:
        return principal / months
    return principal * i / (ONE - (ONE + i) ** -months)
