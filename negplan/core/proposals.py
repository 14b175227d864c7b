"""The options a plan proposes (SPEC §4): pay in full, settlements, full and reduced plans, a
hardship arrangement; and the recommendation among them.

Each is judged by :func:`negplan.core.options.evaluate`, the one evaluator.
"""

from __future__ import annotations

from decimal import Decimal

from negplan.core.case import OptionKind
from negplan.core.options import (
    Judge,
    Option,
    evaluate,
    full_plan_amounts,
    largest_fundable_installment,
)
from negplan.money import quantize, quantize_down, split_evenly


def _months_to_repay(judge: Judge, payment: Decimal) -> int | None:
    """Fewest months whose full-plan installments never exceed ``payment``."""
    limit = judge.rules.plans.max_months
    guess = max(1, int(-(-judge.case.balance // payment))) if payment > 0 else limit + 1
    for months in range(guess, limit + 1):
        if max(full_plan_amounts(judge, months)) <= payment:
            return months
    return None


def candidate_payments(judge: Judge) -> list[Decimal]:
    """Monthly payments worth proposing: the affordable payment at each hazard band's ceiling.

    A lighter burden breaks less often, so a smaller payment can be worth more to the creditor;
    proposing each band's ceiling lets the recommendation find the best trade-off.
    """
    affordable = judge.affordability.affordable_monthly
    shares = {Decimal(1)} | {
        row.max_burden
        for row in judge.rules.value.monthly_break_hazard
        if row.max_burden is not None and row.max_burden <= 1
    }
    payments = {quantize_down(affordable * share, judge.currency) for share in shares}
    return sorted(
        (p for p in payments if p >= judge.rules.plans.min_payment and p > 0), reverse=True
    )


def build_options(judge: Judge) -> list[Option]:
    """Every option worth putting in front of the executive, in a stable order."""
    case = judge.case
    rules = judge.rules
    cur = case.currency
    balance = case.balance
    afford = judge.affordability
    minimum = judge.minimum
    options: list[Option] = [evaluate(judge, "pay_in_full", OptionKind.pay_in_full, [balance])]

    # One payment: the most the debtor can pay, not less than the minimum (the walk-away).
    lump = min(balance, afford.lump_sum_capacity)
    settle = lump if minimum.minimum_settlement <= lump < balance else minimum.minimum_settlement
    if settle < balance:
        options.append(evaluate(judge, "settlement", OptionKind.settlement, [settle]))

    # A settlement in k monthly payments: the most savings plus surplus can fund.
    for k in range(2, rules.settlement.max_installments + 1):
        most = largest_fundable_installment(k, judge) * k
        amount = min(balance, max(most, minimum.minimum_settlement))
        if amount >= balance:
            continue  # the whole balance in installments is a full plan, proposed below
        options.append(
            evaluate(
                judge,
                f"settlement_{k}x",
                OptionKind.settlement_installments,
                split_evenly(amount, k, cur),
            )
        )

    full: dict[int, Option] = {}
    reduced: dict[int, Option] = {}
    for payment in candidate_payments(judge):
        months = _months_to_repay(judge, payment)
        if months is not None:
            option = evaluate(
                judge,
                f"plan_full_{months}m",
                OptionKind.plan_full,
                full_plan_amounts(judge, months),
            )
            if months not in full or option.expected_value > full[months].expected_value:
                full[months] = option
            continue
        for term in sorted({12, 24, rules.plans.max_months}):
            if term > rules.plans.max_months:
                continue
            option = evaluate(
                judge, f"plan_reduced_{term}m", OptionKind.plan_reduced, [payment] * term
            )
            if not option.meets_minimum:
                continue
            if term not in reduced or option.expected_value > reduced[term].expected_value:
                reduced[term] = option
    options += [full[m] for m in sorted(full)] + [reduced[m] for m in sorted(reduced)]

    hardship = case.finances.hardship
    if afford.capacity == "none" or hardship.temporary:
        months = rules.plans.hardship_review_months
        # Until the review: what the debtor can afford, and at least the token payment.
        token = max(quantize(rules.plans.token_payment, cur), afford.affordable_monthly)
        options.append(
            evaluate(judge, "hardship_token", OptionKind.hardship_token, [token] * months)
        )
    return options


def recommend(options: list[Option]) -> Option | None:
    """The feasible option worth most to the creditor; ties go to the shorter one."""
    feasible = [o for o in options if o.feasible]
    if not feasible:
        return None
    return max(feasible, key=lambda o: (o.expected_value, -o.count))
