"""Deal options: their payments, burden, expected value and verdicts (SPEC §4).

One evaluator (:func:`evaluate`) judges any set of terms the same way, whether negplan proposed
them (:func:`negplan.core.proposals.build_options`) or an executive agreed them on the call
(``negplan agreement``).
"""

from __future__ import annotations

from dataclasses import field
from datetime import date
from decimal import Decimal

from negplan.core.affordability import Affordability
from negplan.core.case import Case, OptionKind
from negplan.core.reasons import Reason
from negplan.core.rules import Rules
from negplan.core.schedule import monthly_due_dates
from negplan.core.terms import MinimumTerms
from negplan.core.valuation import Valuer, full_plan_total, promise_value
from negplan.display import display
from negplan.money import ZERO, quantize, quantize_down, quantize_up, split_evenly
from negplan.records import record

#: The kinds of option, grouped as every layer asks about them (one set of each, here).
SINGLE_PAYMENT = frozenset({OptionKind.pay_in_full, OptionKind.settlement})
SETTLEMENT_KINDS = frozenset({OptionKind.settlement, OptionKind.settlement_installments})
PLAN_KINDS = frozenset({OptionKind.plan_full, OptionKind.plan_reduced, OptionKind.plan_step_up})
#: Kinds that repay the whole balance over time (the ceiling counts contract interest).
FULL_PLAN_KINDS = frozenset({OptionKind.plan_full, OptionKind.plan_step_up})
#: Kinds that settle the account for less than the balance: the concession is lost on default.
REDUCTION_KINDS = frozenset(
    {OptionKind.settlement, OptionKind.settlement_installments, OptionKind.plan_reduced}
)


@record
class ScheduledPayment:
    due: date
    amount: Decimal


@record
class Option:
    id: str
    kind: OptionKind
    total: Decimal
    payments: list[ScheduledPayment]
    burden: Decimal | None  # largest monthly draw on the affordable payment; None if no surplus
    expected_value: Decimal
    affordable: bool
    meets_minimum: bool
    within_authority: bool
    within_policy: bool
    reasons: list[Reason] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        """Affordable, at or above the minimum, within policy: a deal the creditor can make."""
        return self.affordable and self.meets_minimum and self.within_policy

    @property
    def installment(self) -> Decimal:
        return self.payments[0].amount

    @property
    def count(self) -> int:
        return len(self.payments)


@record
class Judge:
    """What every option is judged against."""

    case: Case
    rules: Rules
    affordability: Affordability
    minimum: MinimumTerms
    batna_value: Decimal
    first_due: date
    valuer: Valuer

    @property
    def currency(self) -> str:
        return self.case.currency

    def money(self, amount: Decimal) -> str:
        return display(amount, self.currency)


def _burden(amounts: list[Decimal], judge: Judge) -> Decimal | None:
    """The debtor's monthly burden, SPEC §4: the largest payment ÷ the affordable payment.

    ``None`` when there is no affordable payment at all (the open-ended hazard row applies).
    """
    affordable = judge.affordability.affordable_monthly
    largest = max(amounts)
    if affordable == 0:
        return ZERO if largest == 0 else None
    return (largest / affordable).quantize(Decimal("0.0001"))


def fundable(amounts: list[Decimal], judge: Judge, savings: Decimal | None = None) -> bool:
    """Whether savings and the monthly surplus can pay the schedule: savings pay first, and no
    payment may need more than the affordable monthly payment on top of what savings cover."""
    affordable = judge.affordability.affordable_monthly
    if savings is None:
        savings = judge.affordability.lump_sum_capacity
    for amount in amounts:
        covered = min(savings, amount)
        savings -= covered
        if amount - covered > affordable:
            return False
    return True


def largest_fundable_installment(count: int, judge: Judge) -> Decimal:
    """The largest equal installment over ``count`` months that :func:`fundable` allows.

    Equal payments of ``x`` are fundable when the surplus alone pays each (``x`` at most the
    affordable payment), or when savings make up what it cannot: savings go first, so the last
    payment is the one they help least, and it is covered when ``count × x`` is at most savings
    plus one month's surplus. The largest such ``x`` in whole minor units, never above the balance
    rounded up to one. (Affordability is never negative, so neither is the result.)
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    cur = judge.currency
    afford = judge.affordability
    monthly = quantize_down(afford.affordable_monthly, cur)
    with_savings = quantize_down(
        (afford.lump_sum_capacity + afford.affordable_monthly) / count, cur
    )
    return min(max(monthly, with_savings), quantize_up(judge.case.balance, cur))


def evaluate(
    judge: Judge,
    option_id: str,
    kind: OptionKind,
    amounts: list[Decimal],
    *,
    down_payment: Decimal | None = None,
) -> Option:
    """Judge a set of payments (one a month from the first due date) as an option of ``kind``.

    With ``down_payment``, the first amount is a payment taken on the day of the agreement (the
    good-faith payment): it comes from savings and this month's surplus, is already paid (so it
    is neither discounted nor at risk), and the burden and break hazard are those of the monthly
    payments that follow.
    """
    rules = judge.rules
    case = judge.case
    minimum = judge.minimum
    total = sum(amounts, ZERO)
    count = len(amounts)
    payments = [
        ScheduledPayment(due, amount)
        for due, amount in zip(monthly_due_dates(judge.first_due, count), amounts, strict=True)
    ]
    reasons: list[Reason] = []
    down = down_payment if down_payment is not None and len(amounts) > 1 else None
    monthly = amounts[1:] if down is not None else amounts
    burden = _burden(monthly, judge)

    if kind in SINGLE_PAYMENT:
        ev = promise_value(amounts, burden, judge.valuer)
        affordable = total <= judge.affordability.lump_sum_capacity
        reasons.append(
            Reason(
                "expected_value",
                "value.lump_sum_honor_rate",
                f"expected value: {judge.money(total)} honoured at value.lump_sum_honor_rate "
                f"{rules.value.lump_sum_honor_rate}, discounted one month; if it is not paid, "
                "the creditor falls back on its BATNA for the balance",
            )
        )
        if not affordable:
            reasons.append(
                Reason(
                    "not_affordable",
                    "affordability.count_assets",
                    f"not affordable: more than the lump sum capacity "
                    f"{judge.money(judge.affordability.lump_sum_capacity)}",
                )
            )
    else:
        if kind is OptionKind.plan_step_up:
            # The hazard is that of today's payment: the step is due only after the hardship's
            # expected end, and the plan is reviewed before it (SPEC §4a).
            burden = _burden(monthly[:1], judge)
        hazard = judge.valuer.hazards(burden, 2)[-1] if len(monthly) > 1 else None
        ev = promise_value(monthly, burden, judge.valuer, down_payment=down or ZERO)
        shown = "no surplus" if burden is None else f"burden {burden}"
        if kind is OptionKind.plan_step_up:
            affordable = fundable([a for a in amounts if a == amounts[0]], judge)
        elif down is None:
            affordable = fundable(amounts, judge)
        else:
            # Paid from savings and this month's surplus (the good-faith payment's own limit).
            savings = judge.affordability.lump_sum_capacity
            affordable = down <= savings + judge.affordability.affordable_monthly and fundable(
                monthly, judge, max(ZERO, savings - down)
            )
            reasons.append(
                Reason(
                    "down_payment",
                    "settlement.good_faith",
                    f"a down payment of {judge.money(down)} paid on the day, from savings",
                )
            )
        first = "the first" if down is None else "the first scheduled"
        later = (
            ""
            if hazard is None
            else f"; each later one survives a monthly break hazard of about "
            f"{hazard.quantize(Decimal('0.001'))} in month 2 ({shown}, interpolated in "
            "value.monthly_break_hazard, × value.hazard_month_factors × value.track_record "
            f"{judge.valuer.record_factor})"
        )
        reasons.append(
            Reason(
                "expected_value",
                "value.monthly_break_hazard",
                f"expected value: {len(monthly)} monthly payments, {first} honoured at "
                f"value.lump_sum_honor_rate {rules.value.lump_sum_honor_rate}{later}; "
                "discounted monthly; a broken plan reinstates the balance then unpaid and the "
                "creditor falls back on its BATNA for it",
            )
        )
        if not affordable:
            reasons.append(
                Reason(
                    "not_affordable",
                    "affordability.allocation",
                    "not affordable: a payment is more than the affordable monthly "
                    f"{judge.money(judge.affordability.affordable_monthly)} after savings",
                )
            )
    ev = quantize(ev, case.currency)

    if kind is OptionKind.hardship_token:
        meets_minimum = False
        reasons.append(
            Reason(
                "holding_arrangement",
                "plans.hardship_review_months",
                "a holding arrangement until the review date, not a settlement",
            )
        )
    elif kind in SINGLE_PAYMENT:
        meets_minimum = total >= minimum.minimum_settlement
        if not meets_minimum:
            reasons.append(
                Reason(
                    "below_minimum_settlement",
                    "settlement.floors",
                    f"below the minimum settlement {judge.money(minimum.minimum_settlement)}",
                )
            )
    else:
        # A threshold in the amount (SPEC §4a): n payments meet the minimum when they total at
        # least n × the minimum monthly payment for n months, so paying more never fails it.
        need = minimum.plan_minimum(count)
        meets_minimum = need is not None and total >= need * count
        if need is None:
            reasons.append(
                Reason(
                    "below_minimum_plan",
                    "value.monthly_break_hazard",
                    f"no plan of {count} months up to the balance is worth the BATNA "
                    f"{judge.money(judge.batna_value)}",
                )
            )
        elif not meets_minimum:
            reasons.append(
                Reason(
                    "below_minimum_plan",
                    "value.monthly_break_hazard",
                    f"below the minimum for {count} months: the payments total "
                    f"{judge.money(total)}, less than {count} × the minimum plan payment "
                    f"{judge.money(need)} = {judge.money(need * count)}",
                )
            )

    within_authority = (
        kind is OptionKind.hardship_token or total >= minimum.executive_min_settlement
    )
    if not within_authority:
        reasons.append(
            Reason(
                "below_authority",
                "authority.executive_min_share",
                f"below the executive's authority "
                f"{judge.money(minimum.executive_min_settlement)}: needs approved_by",
            )
        )

    policy_breaches = _policy_breaches(kind, amounts, judge)
    reasons.extend(policy_breaches)
    return Option(
        id=option_id,
        kind=kind,
        total=total,
        payments=payments,
        burden=burden,
        expected_value=ev,
        affordable=affordable,
        meets_minimum=meets_minimum,
        within_authority=within_authority,
        within_policy=not policy_breaches,
        reasons=reasons,
    )


def plan_total(judge: Judge, months: int) -> Decimal:
    """What a full plan of ``months`` repays: the balance, plus contract interest if charged."""
    return full_plan_total(judge.case, judge.rules, months)


def _policy_breaches(kind: OptionKind, amounts: list[Decimal], judge: Judge) -> list[Reason]:
    rules = judge.rules
    count = len(amounts)
    total = sum(amounts, ZERO)
    out: list[Reason] = []

    def breach(code: str, rule: str, text: str) -> None:
        out.append(Reason(f"outside_policy_{code}", rule, f"outside policy: {text}"))

    if kind in SINGLE_PAYMENT and count != 1:
        breach("single_payment", "SPEC §4", "a settlement or payment in full is one payment")
    if kind is OptionKind.settlement_installments and not (
        2 <= count <= rules.settlement.max_installments
    ):
        breach(
            "max_installments",
            "settlement.max_installments",
            f"a settlement may be split into 2 to "
            f"settlement.max_installments = {rules.settlement.max_installments} payments",
        )
    if kind in PLAN_KINDS:
        if count > rules.plans.max_months:
            breach(
                "max_months",
                "plans.max_months",
                f"longer than plans.max_months = {rules.plans.max_months}",
            )
        least = rules.plans.token_payment if kind is OptionKind.plan_step_up else None
        if least is not None and min(amounts) < least:
            breach(
                "token_payment",
                "plans.token_payment",
                f"a payment under plans.token_payment {judge.money(least)}",
            )
        if least is None and min(amounts) < rules.plans.min_payment:
            breach(
                "min_payment",
                "plans.min_payment",
                f"a payment under plans.min_payment {judge.money(rules.plans.min_payment)}",
            )
    if kind is OptionKind.hardship_token and count > rules.plans.hardship_review_months:
        breach(
            "review_months",
            "plans.hardship_review_months",
            "token payments run only until the review after "
            f"plans.hardship_review_months = {rules.plans.hardship_review_months}",
        )
    ceiling = plan_total(judge, count) if kind in FULL_PLAN_KINDS else judge.case.balance
    if total > ceiling:
        breach("more_than_owed", "debt.balance", f"more than is owed ({judge.money(ceiling)})")
    if kind in FULL_PLAN_KINDS and total < ceiling:
        breach(
            "full_plan_reduced",
            "plans.interest",
            f"a full plan repays {judge.money(ceiling)}; this is a reduction",
        )
    return out


def full_plan_amounts(judge: Judge, months: int) -> list[Decimal]:
    """Equal monthly payments repaying the plan total in ``months`` (remainder on the last)."""
    return split_evenly(plan_total(judge, months), months, judge.currency)
