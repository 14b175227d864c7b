"""Present values, break hazards and annuities: the arithmetic of what a promise is worth.

SPEC §4 and §4a. The present value of an amount ``a`` paid in month ``t`` is ``a / (1 + r/12)^t``
with ``r`` the creditor's annual discount rate. Payment ``t`` of a schedule (counting from 1) is
paid in month ``t``; a down payment taken on the call is month 0, already paid.

A promise is valued as the creditor lives it (SPEC §4a):

* the first promised payment, of a plan or a lump sum, arrives with ``lump_sum_honor_rate``;
* each later payment arrives if the plan has not broken, with a monthly hazard interpolated from
  ``monthly_break_hazard`` by burden and scaled by the month (``hazard_month_factors``) and the
  debtor's record of promises (``track_record``);
* when the promise breaks in month ``t``, the agreement reinstates the balance then unpaid and
  the creditor falls back on its BATNA for it: the value adds P(break in t) × the BATNA's value
  on that balance, discounted from ``t``.

So S_0 = 1, S_1 = honor, S_t = S_{t−1} × (1 − h_t), and the expected value is
Σ S_t × p_t / d^t + Σ (S_{t−1} − S_t) × fallback(U_t) / d^t, U_t the balance unpaid before
payment ``t``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from decimal import Decimal, getcontext
from functools import lru_cache

from negplan.core.case import Case, NegotiationOutcome
from negplan.core.rules import Rules, Value
from negplan.money import ONE, ZERO, quantize
from negplan.records import record


def monthly_discount(value: Value) -> Decimal:
    """``1 + annual_discount_rate / 12``: one month's growth of the creditor's money."""
    return ONE + value.annual_discount_rate / 12


def present_value(amount: Decimal, month: int, value: Value) -> Decimal:
    """``amount / (1 + r/12)^month`` (exact to Decimal precision, unrounded)."""
    return amount / monthly_discount(value) ** month


def burden_hazard(burden: Decimal | None, value: Value) -> Decimal:
    """The monthly break hazard for a burden: linear between the rules' points, flat beyond.

    ``None`` (a payment the debtor has no surplus for at all) takes the last point's hazard.
    """
    points = value.monthly_break_hazard
    if burden is None or burden >= points[-1].burden:
        return points[-1].hazard
    if burden <= points[0].burden:
        return points[0].hazard
    for low, high in itertools.pairwise(points):
        if burden <= high.burden:
            share = (burden - low.burden) / (high.burden - low.burden)
            return low.hazard + share * (high.hazard - low.hazard)
    raise AssertionError("the burden is below the last point")


def month_factor(month: int, value: Value) -> Decimal:
    """The hazard factor for a plan's ``month`` (``value.hazard_month_factors``)."""
    for row in value.hazard_month_factors:
        if row.max_month is None or month <= row.max_month:
            return row.factor
    raise AssertionError("validation guarantees an open-ended last row")


def promise_record(case: Case) -> tuple[int, int]:
    """(kept, broken) promises in the case's ``previous_negotiations``."""
    outcomes = [n.outcome for n in case.previous_negotiations]
    return (
        outcomes.count(NegotiationOutcome.kept),
        outcomes.count(NegotiationOutcome.broken_promise),
    )


def track_record_factor(case: Case, value: Value) -> Decimal:
    """× (1 + per_broken × broken − per_kept × kept), within [min_factor, max_factor]."""
    rule = value.track_record
    kept, broken = promise_record(case)
    raw = ONE + rule.per_broken * broken - rule.per_kept * kept
    return min(rule.max_factor, max(rule.min_factor, raw))


@record
class Valuer:
    """What a promise is valued with: the rules, the debtor's record, the balance reinstated on
    a break, and the BATNA's value on an unpaid amount (:class:`negplan.core.alternatives.
    Fallback`)."""

    value: Value
    balance: Decimal
    record_factor: Decimal
    fallback: Callable[[Decimal], Decimal]

    def hazards(self, burden: Decimal | None, months: int) -> list[Decimal]:
        """The monthly break hazard for months 1 … ``months`` (month 1 is the honour rate's)."""
        base = burden_hazard(burden, self.value) * self.record_factor
        return [min(ONE, base * month_factor(t, self.value)) for t in range(1, months + 1)]


def promise_value(
    payments: Sequence[Decimal],
    burden: Decimal | None,
    valuer: Valuer,
    *,
    down_payment: Decimal = ZERO,
) -> Decimal:
    """Expected present value of a promised schedule (one payment a month from month 1), with
    recovery through the BATNA when it breaks (module docstring). Unrounded."""
    value = valuer.value
    hazards = valuer.hazards(burden, len(payments))
    discounts = _discounts(value.annual_discount_rate, len(payments), *_context_key())
    fallback = valuer.fallback
    alive = ONE
    unpaid = valuer.balance - down_payment
    total = down_payment
    for t, payment in enumerate(payments):
        survive = value.lump_sum_honor_rate if t == 0 else ONE - hazards[t]
        paid = alive * survive
        broken = alive - paid
        if broken and unpaid > 0:
            total += broken * fallback(unpaid) * discounts[t]
        total += paid * payment * discounts[t]
        alive = paid
        unpaid -= payment
    return total


def _context_key() -> tuple[int, str]:
    context = getcontext()
    return context.prec, context.rounding


@lru_cache(maxsize=256)
def _discounts(
    annual_discount_rate: Decimal, months: int, prec: int, rounding: str
) -> tuple[Decimal, ...]:
    """1 / (1 + r/12)^t for t = 1 … months, worked out once per process for each length (the
    key carries the decimal context, so another precision never reads these)."""
    d = ONE + annual_discount_rate / 12
    out = []
    discount = ONE
    for _ in range(months):
        discount = discount / d
        out.append(discount)
    return tuple(out)


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


def full_plan_total(case: Case, rules: Rules, months: int) -> Decimal:
    """What a full plan of ``months`` repays: the balance, plus contract interest by the annuity
    formula when ``plans.interest: contract`` (SPEC §4a: in capacity and the ZOPA ceiling)."""
    if rules.plans.interest == "frozen" or case.debt.annual_rate == 0:
        return case.balance
    payment = annuity_payment(case.balance, case.debt.annual_rate, months)
    return quantize(payment * months, case.currency)
