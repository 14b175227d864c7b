"""The creditor's minimum acceptable terms and the zone of possible agreement (SPEC §4).

The walk-away point is the better of two limits: the policy floor for the debt's age
(``settlement.floors``) and what the creditor gets with no deal (the BATNA). A settlement or plan
worth less to the creditor than its BATNA is not a deal worth making.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from negplan.core.affordability import Affordability
from negplan.core.alternatives import Alternative
from negplan.core.case import Case
from negplan.core.reasons import Reason
from negplan.core.rules import Rules
from negplan.core.valuation import monthly_discount, series_factor
from negplan.display import display
from negplan.money import ZERO, minor_unit, quantize_up

#: The plan terms (months) minimums and ZOPAs are quoted for, besides ``plans.max_months``.
PLAN_TERMS = (3, 6, 12, 24)


def plan_terms(rules: Rules) -> list[int]:
    """{3, 6, 12, 24, max_months}, limited to max_months, ascending."""
    limit = rules.plans.max_months
    return sorted({t for t in PLAN_TERMS if t <= limit} | {limit})


@dataclass(frozen=True)
class Floor:
    index: int
    share: Decimal
    amount: Decimal  # share × balance, rounded up
    max_days_past_due: int | None


def settlement_floor(case: Case, rules: Rules, days_past_due: int) -> Floor:
    """The policy floor for the debt's days past due (``settlement.floors[i]``)."""
    for index, row in enumerate(rules.settlement.floors):
        if row.max_days_past_due is None or days_past_due <= row.max_days_past_due:
            amount = quantize_up(row.min_share * case.balance, case.currency)
            return Floor(index, row.min_share, amount, row.max_days_past_due)
    raise AssertionError("rules validation guarantees an open-ended last floor")


@dataclass(frozen=True)
class MinimumTerms:
    minimum_settlement: Decimal
    minimum_plan_payment: dict[int, Decimal | None]
    good_faith_payment: Decimal
    executive_min_settlement: Decimal
    floor: Floor
    reasons: list[Reason] = field(default_factory=list)


def _floor_phrase(floor: Floor) -> str:
    if floor.max_days_past_due is None:
        bucket = "the oldest days-past-due bucket"
    else:
        bucket = f"up to {floor.max_days_past_due} days past due"
    return f"settlement.floors[{floor.index}]: {floor.share} of balance for {bucket}"


def minimum_terms(
    case: Case,
    rules: Rules,
    affordability: Affordability,
    batna: Alternative,
    days_past_due: int,
) -> MinimumTerms:
    """Minimum settlement, minimum plan payment per term, good-faith payment, authority limit."""
    cur = case.currency
    balance = case.balance
    value = rules.value
    batna_value = max(ZERO, batna.value or ZERO)
    floor = settlement_floor(case, rules, days_past_due)
    reasons: list[Reason] = []

    def money(amount: Decimal) -> str:
        return display(amount, cur)

    # Smallest lump sum S with S × honor / (1 + r/12) ≥ BATNA value.
    honor = value.lump_sum_honor_rate
    batna_lump = (
        quantize_up(batna_value * monthly_discount(value) / honor, cur) if honor > 0 else balance
    )
    minimum_settlement = min(balance, max(floor.amount, batna_lump))
    binding = (
        _floor_phrase(floor)
        if floor.amount >= batna_lump
        else (
            f"BATNA {batna.kind} worth {money(batna_value)} ÷ value.lump_sum_honor_rate {honor}, "
            "discounted one month"
        )
    )
    reasons.append(
        Reason(
            "minimum_settlement",
            "settlement.floors",
            f"minimum settlement {money(minimum_settlement)}: the larger of the policy floor "
            f"{money(floor.amount)} ({_floor_phrase(floor)}) and the lump sum worth the BATNA "
            f"{money(batna_lump)}; binding: {binding}",
        )
    )

    minimum_plan: dict[int, Decimal | None] = {}
    for months in plan_terms(rules):
        minimum_plan[months] = minimum_plan_payment(
            months, case, rules, affordability.affordable_monthly, batna_value, floor.amount
        )
    shown = ", ".join(
        f"{n} months: {money(p) if p is not None else 'none'}" for n, p in minimum_plan.items()
    )
    reasons.append(
        Reason(
            "minimum_plan_payment",
            "value.monthly_break_hazard",
            f"minimum plan payment ({shown}): the smallest payment ≥ plans.min_payment "
            f"{money(rules.plans.min_payment)} whose plan is worth at least the BATNA "
            f"{money(batna_value)} under value.monthly_break_hazard and totals at least the floor "
            f"{money(floor.amount)}; none when no payment the debtor can afford, up to the balance "
            "over the term, is worth the BATNA (a heavier burden breaks more often)",
        )
    )

    good_faith = rules.settlement.good_faith
    wanted = quantize_up(max(good_faith.min_amount, good_faith.share * balance), cur)
    capacity = affordability.lump_sum_capacity + affordability.affordable_monthly
    good_faith_payment = min(wanted, capacity, balance)
    reasons.append(
        Reason(
            "good_faith_payment",
            "settlement.good_faith",
            f"good-faith payment {money(good_faith_payment)}: the greater of "
            f"settlement.good_faith.min_amount {money(good_faith.min_amount)} and "
            f"{good_faith.share} × balance, never above what the debtor has now "
            f"(savings + one month's affordable payment {money(capacity)})",
        )
    )

    authority_share = rules.authority.executive_min_share
    executive_min = min(
        balance, max(minimum_settlement, quantize_up(authority_share * balance, cur))
    )
    reasons.append(
        Reason(
            "executive_authority",
            "authority.executive_min_share",
            f"executive authority: settlements below {money(executive_min)} "
            f"(authority.executive_min_share {authority_share} of balance, never below the minimum "
            "settlement) need approved_by",
        )
    )
    return MinimumTerms(
        minimum_settlement=minimum_settlement,
        minimum_plan_payment=minimum_plan,
        good_faith_payment=good_faith_payment,
        executive_min_settlement=executive_min,
        floor=floor,
        reasons=reasons,
    )


def minimum_plan_payment(
    months: int,
    case: Case,
    rules: Rules,
    affordable: Decimal,
    batna_value: Decimal,
    floor_amount: Decimal,
) -> Decimal | None:
    """The smallest monthly payment for a ``months``-month plan that the creditor can accept.

    A plan's value is payment × F(h), F the value of 1 a month under break hazard h, and h
    depends on the burden payment ÷ affordable. Within each hazard band the value is linear in
    the payment, so the least acceptable payment is found band by band (lowest band first).
    The payment comes from income, so savings are not assumed to lower the burden.
    """
    cur = case.currency
    value = rules.value
    step = Decimal(1).scaleb(-minor_unit(cur))
    base = max(quantize_up(rules.plans.min_payment, cur), quantize_up(floor_amount / months, cur))
    highest = quantize_up(case.balance / months, cur)
    lower = ZERO  # the previous band's ceiling, as a burden
    for row in value.monthly_break_hazard:
        if affordable == 0:
            # No surplus at all: any payment takes the open-ended, highest-hazard row.
            if row.max_burden is not None:
                continue
            band_low, band_high = ZERO, None
        else:
            band_low = quantize_up(lower * affordable, cur)
            if lower > 0 and band_low == lower * affordable:
                band_low += step  # the burden must exceed the previous band's ceiling
            band_high = None if row.max_burden is None else row.max_burden * affordable
            lower = row.max_burden if row.max_burden is not None else lower
        factor = series_factor(months, row.hazard, value)
        needed = quantize_up(batna_value / factor, cur) if factor > 0 else highest + step
        payment = max(base, needed, band_low)
        if band_high is not None and payment > band_high:
            continue
        return payment if payment <= highest else None
    return None


@dataclass(frozen=True)
class Zopa:
    settlement: tuple[Decimal, Decimal] | None
    plan: dict[int, tuple[Decimal, Decimal] | None]

    @property
    def empty(self) -> bool:
        return self.settlement is None and all(v is None for v in self.plan.values())


def zone_of_agreement(
    case: Case, rules: Rules, affordability: Affordability, minimum: MinimumTerms
) -> Zopa:
    """Lump sum: [minimum settlement, min(balance, lump capacity)]; plans: [minimum, affordable]."""
    cur = case.currency
    high = min(case.balance, affordability.lump_sum_capacity)
    settlement = (minimum.minimum_settlement, high) if minimum.minimum_settlement <= high else None
    plan: dict[int, tuple[Decimal, Decimal] | None] = {}
    for months, low in minimum.minimum_plan_payment.items():
        top = min(affordability.affordable_monthly, quantize_up(case.balance / months, cur))
        plan[months] = (low, top) if low is not None and low <= top else None
    return Zopa(settlement, plan)
