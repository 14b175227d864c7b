"""The creditor's minimum acceptable terms and the zone of possible agreement (SPEC §4, §4a).

The walk-away point is the better of two limits: the policy floor for the debt's age
(``settlement.floors``) and what the creditor gets with no deal (the BATNA). It is a threshold
in the amount (SPEC §4a): a single payment meets it when it is at least the minimum settlement,
a plan of n months when its monthly payment is at least the minimum for n months; paying more
never fails it. Expected value ranks the options; it never refuses one that pays more.
"""

from __future__ import annotations

import itertools
from dataclasses import field
from decimal import Decimal

from negplan.core.affordability import Affordability
from negplan.core.alternatives import Alternative
from negplan.core.case import Case
from negplan.core.reasons import Reason
from negplan.core.rules import Rules
from negplan.core.valuation import Valuer, full_plan_total, monthly_discount, promise_value
from negplan.display import display
from negplan.money import ZERO, minor_unit, quantize_up
from negplan.records import record

#: The plan terms (months) minimums and ZOPAs are quoted for, besides ``plans.max_months``.
PLAN_TERMS = (3, 6, 12, 24)


def plan_terms(rules: Rules) -> list[int]:
    """{3, 6, 12, 24, max_months}, limited to max_months, ascending."""
    limit = rules.plans.max_months
    return sorted({t for t in PLAN_TERMS if t <= limit} | {limit})


@record
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


@record
class MinimumTerms:
    minimum_settlement: Decimal
    #: The minimum for the quoted terms (``plan_terms``), shown in the brief and the JSON.
    minimum_plan_payment: dict[int, Decimal | None]
    good_faith_payment: Decimal
    executive_min_settlement: Decimal
    floor: Floor
    reasons: list[Reason] = field(default_factory=list)
    #: The minimum monthly payment for every plan length 1 … plans.max_months (SPEC §4a).
    by_months: dict[int, Decimal | None] = field(default_factory=dict)

    def plan_minimum(self, months: int) -> Decimal | None:
        """The least monthly payment a plan of ``months`` may have (the walk-away threshold).

        Beyond ``plans.max_months`` the longest term's minimum (the plan is outside policy
        anyway)."""
        if months in self.by_months:
            return self.by_months[months]
        return self.by_months[max(self.by_months)] if self.by_months else None


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
    valuer: Valuer,
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

    # Smallest lump sum S worth the BATNA: honoured, S arrives in month 1; unpaid, the creditor
    # falls back on the BATNA for the balance, a month later. S × h / d + (1 − h) × B / d ≥ B.
    honor = value.lump_sum_honor_rate
    d = monthly_discount(value)
    batna_lump = (
        quantize_up(max(ZERO, batna_value * (d - 1 + honor)) / honor, cur) if honor > 0 else balance
    )
    minimum_settlement = min(balance, max(floor.amount, batna_lump))
    binding = (
        _floor_phrase(floor)
        if floor.amount >= batna_lump
        else (
            f"BATNA {batna.kind} worth {money(batna_value)}, for a lump sum honoured at "
            f"value.lump_sum_honor_rate {honor} (the BATNA still there if it is not), "
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

    by_months = plan_minimums(case, rules, affordability, batna_value, floor.amount, valuer)
    minimum_plan = {months: by_months[months] for months in plan_terms(rules)}
    shown = ", ".join(
        f"{n} months: {money(p) if p is not None else 'none'}" for n, p in minimum_plan.items()
    )
    reasons.append(
        Reason(
            "minimum_plan_payment",
            "value.monthly_break_hazard",
            f"minimum plan payment ({shown}): the smallest payment ≥ plans.min_payment "
            f"{money(rules.plans.min_payment)} whose plan is worth at least the BATNA "
            f"{money(batna_value)} (value.monthly_break_hazard, a broken plan falling back on the "
            f"BATNA) and totals at least the floor {money(floor.amount)}; any larger payment "
            "meets the minimum too; a longer plan never needs more a month; none when no "
            "payment up to the balance over the term is worth the BATNA",
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
            f"(savings above the emergency buffer {money(affordability.lump_sum_capacity)} + one "
            f"month's affordable payment {money(affordability.affordable_monthly)} = "
            f"{money(capacity)}; affordability.emergency_buffer)",
        )
    )

    authority_share, row = rules.authority.share_for(days_past_due)
    rule = "authority.executive_min_share" + ("" if row is None else f"[{row}]")
    executive_min = min(
        balance, max(minimum_settlement, quantize_up(authority_share * balance, cur))
    )
    reasons.append(
        Reason(
            "executive_authority",
            rule,
            f"executive authority: settlements below {money(executive_min)} "
            f"({rule} {authority_share} of balance, never below the minimum "
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
        by_months=by_months,
    )


#: Grid points scanned for the least acceptable payment before narrowing to the minor unit.
_GRID = 16


def plan_minimums(
    case: Case,
    rules: Rules,
    affordability: Affordability,
    batna_value: Decimal,
    floor_amount: Decimal,
    valuer: Valuer,
) -> dict[int, Decimal | None]:
    """The minimum monthly payment for every plan length 1 … plans.max_months.

    The quoted terms (and lengths below the first) are searched; lengths between two quoted
    terms are interpolated linearly, rounded up (toward the stricter, SPEC §4a). Then a longer
    plan never needs more a month than a shorter one: the same payment for longer is the
    shorter plan plus more payments, each worth something to the creditor, so it is worth at
    least as much (non-increasing by construction).
    """
    cur = case.currency
    limit = rules.plans.max_months
    terms = plan_terms(rules)
    found: dict[int, Decimal | None] = {}
    for months in sorted(set(range(1, terms[0])) | set(terms)):
        found[months] = minimum_plan_payment(
            months, case, rules, affordability.affordable_monthly, batna_value, floor_amount, valuer
        )
    for low, high in itertools.pairwise(terms):
        a, b = found[low], found[high]
        for months in range(low + 1, high):
            if a is not None and b is not None:
                share = Decimal(months - low) / (high - low)
                found[months] = quantize_up(a + (b - a) * share, cur)
            else:
                found[months] = minimum_plan_payment(
                    months,
                    case,
                    rules,
                    affordability.affordable_monthly,
                    batna_value,
                    floor_amount,
                    valuer,
                )
    out: dict[int, Decimal | None] = {}
    stricter: Decimal | None = None
    for months in range(1, limit + 1):
        payment = found[months]
        highest = quantize_up(full_plan_total(case, rules, months) / months, cur)
        if stricter is not None and stricter <= highest and (payment is None or stricter < payment):
            payment = stricter
        out[months] = payment
        if payment is not None:
            stricter = payment
    return out


def minimum_plan_payment(
    months: int,
    case: Case,
    rules: Rules,
    affordable: Decimal,
    batna_value: Decimal,
    floor_amount: Decimal,
    valuer: Valuer,
) -> Decimal | None:
    """The smallest monthly payment for a ``months``-month plan that the creditor can accept:
    at least plans.min_payment, totalling at least the floor, and worth at least the BATNA
    (:func:`negplan.core.valuation.promise_value`). ``None`` when no payment up to the balance
    over the term is.

    A heavier payment breaks more often, so the worth is not always rising in the payment: the
    payments are scanned on a grid and the first acceptable step narrowed to the minor unit.
    The payment comes from income, so savings are not assumed to lower the burden.
    """
    cur = case.currency
    step = Decimal(1).scaleb(-minor_unit(cur))
    base = max(quantize_up(rules.plans.min_payment, cur), quantize_up(floor_amount / months, cur))
    highest = quantize_up(full_plan_total(case, rules, months) / months, cur)
    if base > highest:
        return None

    def worth(payment: Decimal) -> Decimal:
        burden = None if affordable == 0 else payment / affordable
        return promise_value([payment] * months, burden, valuer)

    if batna_value <= 0 or worth(base) >= batna_value:
        return base
    previous = base
    for i in range(1, _GRID + 1):
        point = highest if i == _GRID else quantize_up(base + (highest - base) * i / _GRID, cur)
        if point <= previous:
            continue
        if worth(point) >= batna_value:
            low, high = previous, point  # worth(low) < B ≤ worth(high)
            while high - low > step:
                middle = quantize_up((low + high) / 2, cur)
                if middle >= high:
                    break
                if worth(middle) >= batna_value:
                    high = middle
                else:
                    low = middle
            return high
        previous = point
    return None


@record
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
        # The ceiling counts contract interest where the plan carries it (SPEC §4a).
        ceiling = quantize_up(full_plan_total(case, rules, months) / months, cur)
        top = min(affordability.affordable_monthly, ceiling)
        plan[months] = (low, top) if low is not None and low <= top else None
    return Zopa(settlement, plan)
