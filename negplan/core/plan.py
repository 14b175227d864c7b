"""``build_plan(case, rules, as_of, now) -> Plan``: the one entry to the planning core.

Pure and deterministic: the same case, rules, date and moment give the same plan, byte for byte
once serialised (:func:`plan_json`). Nothing here reads files, prints, or looks at the clock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from negplan import __version__
from negplan.core.affordability import Affordability, assess_affordability
from negplan.core.alternatives import Alternative, best_alternative, value_alternatives
from negplan.core.case import Balance, Case
from negplan.core.compliance import Preflight, preflight
from negplan.core.compliance.limitation import Limitation, limitation_status
from negplan.core.ladder import Rung, offer_ladder
from negplan.money import ZERO
from negplan.core.options import Judge, Option, build_options, recommend
from negplan.core.rules import Rules
from negplan.core.terms import MinimumTerms, Zopa, minimum_terms, zone_of_agreement


@dataclass(frozen=True)
class Plan:
    """Everything negplan knows before a call, as of ``as_of`` and ``now``.

    ``case`` is the case as planned: while a written dispute of part of the balance is open, the
    disputed amount is set aside (15 U.S.C. § 1692g(b): collection of the disputed portion stops
    until it is verified) and ``disputed_amount`` says how much.
    """

    case: Case
    disputed_amount: Decimal
    case_id: str
    as_of: date
    now: datetime
    currency: str
    balance: Decimal
    days_past_due: int
    compliance: Preflight
    limitation: Limitation
    affordability: Affordability
    alternatives: list[Alternative]
    batna: Alternative
    minimum_terms: MinimumTerms
    zopa: Zopa
    options: list[Option]
    recommended: Option | None
    ladder: list[Rung]
    first_due: date

    @property
    def time_barred(self) -> bool:
        return self.limitation.time_barred

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


def undisputed(case: Case) -> tuple[Case, Decimal]:
    """The case with a partly disputed amount set aside, and that amount.

    The amount comes off fees first, then interest, then principal: which part a debtor disputes
    is not recorded, and charges are what is most often disputed. A dispute of the whole balance
    (or of no stated amount) blocks collection instead (see the compliance pre-flight).
    """
    flags = case.debtor.flags
    amount = flags.disputed_amount
    if not flags.disputed or amount is None or not ZERO < amount < case.balance:
        return case, ZERO
    parts = case.debt.balance
    left = amount
    fees = max(ZERO, parts.fees - left)
    left -= parts.fees - fees
    interest = max(ZERO, parts.interest - left)
    left -= parts.interest - interest
    principal = parts.principal - left
    balance = Balance.model_construct(principal=principal, interest=interest, fees=fees)
    debt = case.debt.model_copy(update={"balance": balance})
    return case.model_copy(update={"debt": debt}), amount


def build_plan(case: Case, rules: Rules, as_of: date, now: datetime) -> Plan:
    """Plan the negotiation for ``case`` under ``rules`` (SPEC §4)."""
    days_past_due = max(0, (as_of - case.debt.first_delinquency).days)
    limitation = limitation_status(case, rules, as_of)
    compliance = preflight(case, rules, now, limitation)
    case, disputed_amount = undisputed(case)
    affordability = assess_affordability(case, rules)
    alternatives = value_alternatives(case, rules, as_of, time_barred=limitation.time_barred)
    batna = best_alternative(alternatives)
    minimum = minimum_terms(case, rules, affordability, batna, days_past_due)
    warning = rules.currency_warning(case.currency)
    if warning:
        minimum.reasons.insert(0, f"warning: {warning}")
    zopa = zone_of_agreement(case, rules, affordability, minimum)
    first_due = as_of + timedelta(days=rules.plans.first_payment_days)
    judge = Judge(
        case=case,
        rules=rules,
        affordability=affordability,
        minimum=minimum,
        batna_value=max(batna.value or Decimal(0), Decimal(0)),
        first_due=first_due,
    )
    options = build_options(judge)
    recommended = recommend(options)
    if recommended is None and case.finances.hardship.temporary:
        recommended = next((o for o in options if o.id == "hardship_token"), None)
    ladder = offer_ladder(judge, options, recommended)
    return Plan(
        case=case,
        disputed_amount=disputed_amount,
        case_id=case.case_id,
        as_of=as_of,
        now=now,
        currency=case.currency,
        balance=case.balance,
        days_past_due=days_past_due,
        compliance=compliance,
        limitation=limitation,
        affordability=affordability,
        alternatives=alternatives,
        batna=batna,
        minimum_terms=minimum,
        zopa=zopa,
        options=options,
        recommended=recommended,
        ladder=ladder,
        first_due=first_due,
    )


def judge_for(plan: Plan, rules: Rules) -> Judge:
    """The judge a plan's options were evaluated by, for evaluating other terms the same way."""
    return Judge(
        case=plan.case,
        rules=rules,
        affordability=plan.affordability,
        minimum=plan.minimum_terms,
        batna_value=max(plan.batna.value or Decimal(0), Decimal(0)),
        first_due=plan.first_due,
    )


# ----------------------------------------------------------------------------- JSON


def _plain(value: Any) -> Any:
    """Decimals as strings, dates as ISO strings, enums as values; never a float."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, float):
        raise TypeError("a float reached the plan JSON")
    return value


def _option_json(option: Option) -> dict[str, Any]:
    return {
        "id": option.id,
        "kind": option.kind.value,
        "total": _plain(option.total),
        "payments": [
            {"due": p.due.isoformat(), "amount": format(p.amount, "f")} for p in option.payments
        ],
        "burden": _plain(option.burden),
        "expected_value": _plain(option.expected_value),
        "affordable": option.affordable,
        "meets_minimum": option.meets_minimum,
        "within_authority": option.within_authority,
        "within_policy": option.within_policy,
        "reasons": list(option.reasons),
    }


def plan_json(plan: Plan) -> dict[str, Any]:
    """The plan as the public JSON interface of SPEC §5 (fixed top-level keys)."""
    afford = plan.affordability
    minimum = plan.minimum_terms
    compliance = plan.compliance.to_json()
    return {
        "negplan_version": __version__,
        "case_id": plan.case_id,
        "as_of": plan.as_of.isoformat(),
        "currency": plan.currency,
        "balance": _plain(plan.balance),
        "days_past_due": plan.days_past_due,
        "compliance": compliance,
        "affordability": {
            "income": _plain(afford.income),
            "essential_expenses": _plain(afford.essential_expenses),
            "priority_payments": _plain(afford.priority_payments),
            "surplus": _plain(afford.surplus),
            "contingency": _plain(afford.contingency),
            "affordable_monthly": _plain(afford.affordable_monthly),
            "lump_sum_capacity": _plain(afford.lump_sum_capacity),
            "collection_potential": _plain(afford.collection_potential),
            "capacity": afford.capacity,
            "flags": list(afford.flags),
            "reasons": list(afford.reasons),
        },
        "alternatives": [
            {"kind": a.kind, "available": a.available, "value": _plain(a.value), "reason": a.reason}
            for a in plan.alternatives
        ],
        "batna": {"kind": plan.batna.kind, "value": _plain(plan.batna.value)},
        "minimum_terms": {
            "minimum_settlement": _plain(minimum.minimum_settlement),
            "minimum_plan_payment": {
                str(n): _plain(p) for n, p in minimum.minimum_plan_payment.items()
            },
            "good_faith_payment": _plain(minimum.good_faith_payment),
            "executive_min_settlement": _plain(minimum.executive_min_settlement),
            "reasons": list(minimum.reasons),
        },
        "zopa": {
            "settlement": _plain(plan.zopa.settlement),
            "plan": {str(n): _plain(r) for n, r in plan.zopa.plan.items()},
        },
        "options": [_option_json(o) for o in plan.options],
        "recommended": plan.recommended.id if plan.recommended else None,
        "ladder": [
            {
                "step": r.step,
                "offer": r.offer,
                "amount": _plain(r.amount),
                "condition": r.condition,
                "expected_value": _plain(r.expected_value),
                "kind": r.option.kind.value,
                "installments": r.option.count,
            }
            for r in plan.ladder
        ],
        "time_barred": plan.time_barred,
    }


def dumps(plan: Plan, *, compact: bool = False) -> str:
    """The plan JSON as text: stable key order, trailing newline.

    Indented for people by default; ``compact`` (one line, the C encoder) for batch runs, where
    it is several times faster. ``jq .`` indents it again.
    """
    if compact:
        return json.dumps(plan_json(plan), ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(plan_json(plan), indent=2, ensure_ascii=False) + "\n"
