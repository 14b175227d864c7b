"""The options a plan proposes (SPEC §4, §4a): pay in full, settlements, full and reduced plans,
a step-up plan and a hardship arrangement; and the recommendation among them.

Each is judged by :func:`negplan.core.options.evaluate`, the one evaluator.
"""

from __future__ import annotations

import re
from decimal import Decimal

from negplan.core.affordability import Capacity
from negplan.core.case import OptionKind
from negplan.core.options import (
    Judge,
    Option,
    evaluate,
    full_plan_amounts,
    largest_fundable_installment,
    plan_total,
)
from negplan.core.schedule import monthly_due_dates
from negplan.money import quantize, quantize_down, split_evenly

#: The ids given here to options that are not one of a kind (below): a settlement in N payments,
#: a full or reduced plan over N months.
_NUMBERED_ID = re.compile(r"settlement_\d+x|plan_(?:full|reduced)_\d+m")


def is_option_name(text: str) -> bool:
    """Whether ``text`` has the form of a plan option id or names an option kind: what
    ``--option`` may be. Whether this plan has that option is known only once it is planned."""
    return text in {kind.value for kind in OptionKind} or bool(_NUMBERED_ID.fullmatch(text))


def _months_to_repay(judge: Judge, payment: Decimal) -> int | None:
    """Fewest months whose full-plan installments never exceed ``payment``."""
    limit = judge.rules.plans.max_months
    guess = max(1, int(-(-judge.case.balance // payment))) if payment > 0 else limit + 1
    for months in range(guess, limit + 1):
        if max(full_plan_amounts(judge, months)) <= payment:
            return months
    return None


#: Burdens at which a plan's payment is proposed: the affordable payment and lighter ones.
CANDIDATE_BURDENS = tuple(Decimal(share) / 10 for share in range(10, 4, -1))


def candidate_payments(judge: Judge) -> list[Decimal]:
    """Monthly payments worth proposing: the affordable payment and lighter ones (burden 1.0
    down to 0.5, and each point of ``value.monthly_break_hazard`` in between).

    A lighter burden breaks less often, so a smaller payment can be worth more to the creditor;
    proposing a range lets the recommendation find the best trade-off.
    """
    affordable = judge.affordability.affordable_monthly
    shares = set(CANDIDATE_BURDENS) | {
        row.burden
        for row in judge.rules.value.monthly_break_hazard
        if Decimal("0.5") <= row.burden <= 1
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
            if months not in full:  # the same length is the same schedule
                full[months] = evaluate(
                    judge,
                    f"plan_full_{months}m",
                    OptionKind.plan_full,
                    full_plan_amounts(judge, months),
                )
            continue
        for term in sorted({12, 24, rules.plans.max_months}):
            least = minimum.plan_minimum(term)
            if term > rules.plans.max_months or least is None or payment < least:
                continue  # below the walk-away: not worth proposing
            option = evaluate(
                judge, f"plan_reduced_{term}m", OptionKind.plan_reduced, [payment] * term
            )
            if not option.meets_minimum:
                continue
            if term not in reduced or option.expected_value > reduced[term].expected_value:
                reduced[term] = option
    options += [full[m] for m in sorted(full)] + [reduced[m] for m in sorted(reduced)]

    hardship = case.finances.hardship
    step_up = step_up_amounts(judge)
    if step_up is not None:
        options.append(evaluate(judge, "plan_step_up", OptionKind.plan_step_up, step_up))
    if afford.capacity == "none" or hardship.temporary:
        months = rules.plans.hardship_review_months
        # Until the review: what the debtor can afford, and at least the token payment.
        token = max(quantize(rules.plans.token_payment, cur), afford.affordable_monthly)
        options.append(
            evaluate(judge, "hardship_token", OptionKind.hardship_token, [token] * months)
        )
    return options


def step_up_amounts(judge: Judge) -> list[Decimal] | None:
    """A step-up plan for a temporary hardship with an expected end (SPEC §4a), or ``None``.

    What the debtor can afford now (at least ``plans.token_payment``) until the review after the
    expected end (reviews every ``plans.hardship_review_months``), then the payment that repays
    the rest within ``plans.max_months``. Offered only when the step is a real step up.
    """
    rules = judge.rules
    case = judge.case
    cur = case.currency
    hardship = case.finances.hardship
    end = hardship.expected_end
    if not hardship.temporary or end is None or end < judge.first_due:
        return None
    limit = rules.plans.max_months
    review = rules.plans.hardship_review_months
    dues = monthly_due_dates(judge.first_due, limit)
    before_end = sum(1 for due in dues if due <= end)
    low_months = max(review, -(-before_end // review) * review)
    if low_months >= limit:
        return None
    low = max(quantize(rules.plans.token_payment, cur), judge.affordability.affordable_monthly)
    rest = plan_total(judge, limit) - low * low_months
    high_months = limit - low_months
    if rest <= 0 or rest / high_months <= low:
        return None
    return [low] * low_months + split_evenly(rest, high_months, cur)


def recommend(options: list[Option], capacity: Capacity) -> Option | None:
    """The feasible option worth most to the creditor; ties go to the shorter one.

    A debtor who can pay now is asked to (SPEC §4a): with capacity ``full_now``, payment in full.
    """
    feasible = [o for o in options if o.feasible]
    if not feasible:
        return None
    if capacity == "full_now":
        full = next((o for o in feasible if o.kind is OptionKind.pay_in_full), None)
        if full is not None:
            return full
    return max(feasible, key=lambda o: (o.expected_value, -o.count))
