"""The offer ladder: from the opening anchor down to the target, in shrinking concessions.

SPEC §4. Negotiators anchor high and concede in steps that shrink (each about half the last),
which signals the floor is near; every concession is traded for something ("if you can pay X by
DATE, we can accept Y"), and no step goes below the minimum acceptable terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from negplan.core.case import OptionKind
from negplan.core.options import SINGLE_PAYMENT, Judge, Option, evaluate, full_plan_amounts
from negplan.money import quantize, split_evenly


@dataclass(frozen=True)
class Rung:
    step: int
    offer: str
    amount: Decimal  # the total the debtor pays at this step
    condition: str
    expected_value: Decimal
    option: Option


def concession_fractions(steps: int) -> list[Decimal]:
    """Cumulative share of the total concession made after each step: 4/7, 6/7, 1 for three.

    Concessions are weighted 2^(k−1), …, 2, 1: each about half the previous one.
    """
    weights = [Decimal(2) ** (steps - 1 - i) for i in range(steps)]
    total = sum(weights)
    cumulative = Decimal(0)
    out = []
    for weight in weights:
        cumulative += weight
        out.append(cumulative / total)
    return out


def _anchor(judge: Judge, options: list[Option]) -> Option:
    """Open at opening_share × balance: paid in full, or as the shortest affordable full plan."""
    case = judge.case
    opening = quantize(judge.rules.settlement.opening_share * case.balance, case.currency)
    if opening >= case.balance:
        full = next(o for o in options if o.kind is OptionKind.pay_in_full)
        if full.affordable:
            return full
        plans = [o for o in options if o.kind is OptionKind.plan_full and o.affordable]
        if plans:
            return min(plans, key=lambda o: o.count)
        return full
    return evaluate(judge, "opening", OptionKind.settlement, [opening])


def _shaped(judge: Judge, target: Option, total: Decimal, count: int, step: int) -> Option:
    kind = target.kind
    if count == 1:
        kind = OptionKind.pay_in_full if total >= judge.case.balance else OptionKind.settlement
    elif total >= judge.case.balance:
        kind = OptionKind.plan_full
    if kind is OptionKind.plan_full:
        amounts = full_plan_amounts(judge, count)
    elif kind in SINGLE_PAYMENT:
        amounts = [total]
    else:
        amounts = split_evenly(total, count, judge.currency)
    return evaluate(judge, f"ladder_{step}", kind, amounts)


def describe(judge: Judge, option: Option) -> tuple[str, str]:
    """A short label and the conditional trade, in the executive's words."""
    money = judge.money
    first = option.payments[0]
    if option.kind is OptionKind.pay_in_full:
        return (
            f"Pay the full balance of {money(option.total)}",
            f"Pay {money(option.total)} by {first.due.isoformat()} and the account is closed, "
            "paid in full.",
        )
    if option.kind is OptionKind.settlement:
        return (
            f"Settle for {money(option.total)} in one payment",
            f"If you can pay {money(option.total)} by {first.due.isoformat()}, we can accept it in "
            f"full settlement of the {money(judge.case.balance)} balance.",
        )
    per = money(option.installment)
    count = option.count
    if option.kind is OptionKind.settlement_installments:
        return (
            f"Settle for {money(option.total)} in {count} payments",
            f"If you can pay {money(option.total)} in {count} monthly payments of about {per} "
            f"starting {first.due.isoformat()}, we can accept that in full settlement.",
        )
    if option.kind is OptionKind.plan_full:
        return (
            f"Repay in full: {per} a month for {count} months",
            f"If you can pay {per} a month for {count} months starting {first.due.isoformat()}, "
            f"the balance is repaid in full ({money(option.total)}).",
        )
    if option.kind is OptionKind.plan_reduced:
        return (
            f"Reduced plan: {per} a month for {count} months",
            f"If you can keep up {per} a month for {count} months starting "
            f"{first.due.isoformat()} ({money(option.total)} in all), we can accept that in full "
            "settlement.",
        )
    return (
        f"Token payments of {per} for {count} months",
        f"Pay {per} a month for {count} months from {first.due.isoformat()}; we review the "
        "arrangement then.",
    )


def offer_ladder(judge: Judge, options: list[Option], target: Option | None) -> list[Rung]:
    """Anchor → target in ``settlement.concession_steps`` shrinking steps; empty with no target.

    A step that would not be a deal the creditor can sign (unaffordable, below the minimum,
    outside policy) is left out, so there may be fewer steps than ``concession_steps``.
    """
    if target is None or target.kind is OptionKind.hardship_token:
        return []
    anchor = _anchor(judge, options)
    if anchor.total < target.total and target.kind is not OptionKind.plan_full:
        anchor = target  # never open below the target (a full plan concedes time, not money)
    rungs = [_rung(judge, 0, anchor)]
    for step, fraction in enumerate(
        concession_fractions(judge.rules.settlement.concession_steps), 1
    ):
        total = anchor.total - fraction * (anchor.total - target.total)
        total = max(target.total, quantize(total, judge.currency))
        if target.kind is OptionKind.plan_full:  # same total: the concession is time
            count = round(anchor.count + fraction * (target.count - anchor.count))
        else:  # the concession is money, in the target's shape
            count = target.count
        option = target if fraction == 1 else _shaped(judge, target, total, max(1, count), step)
        if _same_terms(option, target):
            option = target
        if _same_terms(option, rungs[-1].option):
            continue
        if option is not target and not option.feasible:
            # Every step offered must be one the creditor can sign: affordable, at or above the
            # minimum (worth at least the BATNA), and within policy.
            continue
        rungs.append(_rung(judge, len(rungs), option))
    return rungs


def _same_terms(a: Option, b: Option) -> bool:
    return (a.kind, a.total, a.count) == (b.kind, b.total, b.count)


def _rung(judge: Judge, step: int, option: Option) -> Rung:
    offer, condition = describe(judge, option)
    return Rung(step, offer, option.total, condition, option.expected_value, option)
