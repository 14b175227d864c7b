"""The offer ladder: from the opening anchor down to the target, in shrinking concessions.

SPEC §4. Negotiators anchor high and concede in steps that shrink (each about half the last),
which signals the floor is near; every concession is traded for something ("if you can pay X by
DATE, we can accept Y"), and no step goes below the minimum acceptable terms.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from negplan.core.case import OptionKind
from negplan.core.options import SINGLE_PAYMENT, Judge, Option, evaluate, full_plan_amounts
from negplan.core.reasons import Reason
from negplan.money import quantize, split_evenly
from negplan.records import record


@record
class Rung:
    step: int
    offer: str
    amount: Decimal  # the total the debtor pays at this step
    condition: str
    expected_value: Decimal
    option: Option
    #: What the concession is traded for: automatic_payments | earlier_first_date |
    #: payment_by_date (None: the anchor).
    trade: str | None = None


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


def _shaped(judge: Judge, kind: OptionKind, total: Decimal, count: int, step: int) -> Option:
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


def describe(judge: Judge, option: Option, trade: str | None = None) -> tuple[str, str]:
    """A short label and the conditional trade, in the executive's words; with ``trade``, the
    condition names what the concession is traded for."""
    offer, condition = _describe(judge, option)
    if trade is None:
        return offer, condition
    return offer, f"{condition[:-1]}, if you also {_trade_phrase(trade, option)}."


def _describe(judge: Judge, option: Option) -> tuple[str, str]:
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
    if option.kind is OptionKind.plan_step_up:
        low = option.payments[0]
        high = option.payments[-1]
        months = sum(1 for p in option.payments if p.amount == low.amount)
        return (
            f"Step-up plan: {money(low.amount)} a month for {months} months, then about "
            f"{money(high.amount)}",
            f"If you can pay {money(low.amount)} a month for {months} months starting "
            f"{low.due.isoformat()}, then about {money(high.amount)} a month until "
            f"{high.due.isoformat()}, the balance is repaid in full ({money(option.total)}); we "
            "review the arrangement before the step.",
        )
    return (
        f"Token payments of {per} for {count} months",
        f"Pay {per} a month for {count} months from {first.due.isoformat()}; we review the "
        "arrangement then.",
    )


#: What a step's concession is traded for (SPEC §4a), by code: a plan step asks for automatic
#: payments or an earlier first date; a single payment, an earlier date, or (the target) payment
#: by its date.
PLAN_TRADES = ("automatic_payments", "earlier_first_date")
SINGLE_TRADES = ("earlier_first_date", "payment_by_date")


def _trade_phrase(trade: str, option: Option) -> str:
    due = option.payments[0].due.isoformat()
    if trade == "automatic_payments":
        return "set up the payments as automatic payments"
    if trade == "payment_by_date":
        return f"pay by {due} as agreed"
    return f"make the first payment by {due}, sooner than usual"


def _earlier(judge: Judge) -> Judge:
    """The judge with the first payment sooner: half the usual wait (plans.first_payment_days)."""
    days = judge.rules.plans.first_payment_days // 2
    return replace(judge, first_due=judge.first_due - timedelta(days=days))


def asks_less(a: Option, b: Option) -> bool:
    """Whether ``a`` asks the debtor for less than ``b``: a smaller total, or the same total
    over more months (SPEC §4a)."""
    return a.total < b.total or (a.total == b.total and a.count > b.count)


def offer_ladder(judge: Judge, options: list[Option], target: Option | None) -> list[Rung]:
    """Anchor → target in at most ``settlement.concession_steps`` shrinking steps; empty with no
    target.

    The ladder never zig-zags (SPEC §4a): each step asks for less than the one before, and the
    worth shown moves one way, from the anchor's toward the target's. A step that breaks either
    rule, or that the creditor could not sign (unaffordable, below the minimum, outside policy),
    is left out, so there may be fewer steps. Each concession is traded for something the
    creditor values, named in the step (automatic payments, an earlier first date); the worth
    shown does not count the trade.
    """
    if target is None or target.kind is OptionKind.hardship_token:
        return []
    anchor = _anchor(judge, options)
    if not asks_less(target, anchor):
        anchor = target  # never open below the target
    rungs = [_rung(judge, 0, anchor, None)]
    if anchor is target:
        return rungs
    fractions = concession_fractions(judge.rules.settlement.concession_steps)
    for step, fraction in enumerate(fractions, 1):
        last = fraction == fractions[-1]
        trades = SINGLE_TRADES if target.count == 1 else PLAN_TRADES
        trade = trades[(len(rungs) - 1) % len(trades)]
        if last:
            # The target keeps the usual first date: a plan trades for automatic payments, a
            # single payment for being paid by its date (its own condition names it).
            trade = "automatic_payments" if target.count > 1 else "payment_by_date"
        option = target if last else _step(judge, anchor, target, fraction, step, trade)
        previous = rungs[-1].option
        if not asks_less(option, previous):
            continue
        low, high = sorted((previous.expected_value, target.expected_value))
        if not low <= option.expected_value <= high:
            continue  # the worth would turn back: not a step toward the target
        if option is not target and (not option.feasible or not asks_less(target, option)):
            continue
        rungs.append(_rung(judge, len(rungs), option, trade))
    return rungs


def _step(
    judge: Judge, anchor: Option, target: Option, fraction: Decimal, step: int, trade: str
) -> Option:
    """The terms ``fraction`` of the way from the anchor to the target."""
    total = anchor.total - fraction * (anchor.total - target.total)
    total = max(target.total, quantize(total, judge.currency))
    if target.kind in (OptionKind.plan_full, OptionKind.plan_step_up):
        # Same total: the concession is time.
        count = round(anchor.count + fraction * (target.count - anchor.count))
        shape = OptionKind.plan_full
    else:  # the concession is money, in the target's shape
        count = target.count
        shape = target.kind
    judged = _earlier(judge) if trade == "earlier_first_date" else judge
    return _shaped(judged, shape, total, max(1, count), step)


def ladder_note(ladder: list[Rung]) -> Reason | None:
    """Why the target is worth more than the opening ask, when it is (SPEC §4a).

    The ladder asks less at each step, so a target worth more than the anchor looks odd to an
    executive; the break hazard (``value.monthly_break_hazard``) is why: lighter terms are
    likelier to be kept to the end. The plan JSON carries it on the target's rung.
    """
    if len(ladder) < 2 or ladder[-1].expected_value <= ladder[0].expected_value:
        return None
    if not ladder[0].option.affordable:
        return Reason(
            "target_kept_opening_unaffordable",
            "value.monthly_break_hazard",
            "The target is worth more than the opening ask: the debtor cannot pay the opening "
            "ask, and terms within their means are likelier to be kept.",
        )
    return Reason(
        "target_kept_lighter_payment",
        "value.monthly_break_hazard",
        "The target is worth more than the opening ask: its lighter monthly payment is "
        "likelier to be kept to the end.",
    )


def _same_terms(a: Option, b: Option) -> bool:
    return (a.kind, a.total, a.count) == (b.kind, b.total, b.count)


def _rung(judge: Judge, step: int, option: Option, trade: str | None) -> Rung:
    offer, condition = describe(judge, option, trade)
    return Rung(step, offer, option.total, condition, option.expected_value, option, trade)
