"""``build_plan(case, rules, tables, as_of, now) -> Plan``: the one entry to the planning core.

Pure and deterministic: the same case, rules, date and moment give the same plan, byte for byte
once serialised (:func:`plan_json`). Nothing here reads files, prints, or looks at the clock.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from negplan.core.affordability import Affordability, assess_affordability
from negplan.core.alternatives import Alternative, best_alternative, value_alternatives
from negplan.core.case import Balance, Case
from negplan.core.compliance import Preflight, preflight
from negplan.core.compliance.limitation import Limitation, limitation_status
from negplan.core.ladder import Rung, ladder_note, offer_ladder
from negplan.core.options import Judge, Option
from negplan.core.proposals import build_options, recommend
from negplan.core.reasons import Reason
from negplan.core.rules import Rules
from negplan.core.schedule import preferred_first_due
from negplan.core.tables import Tables
from negplan.core.terms import MinimumTerms, Zopa, minimum_terms, zone_of_agreement
from negplan.core.valuation import Valuer, track_record_factor
from negplan.money import ZERO
from negplan.records import record


@record
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
    #: One line when the target is worth more than the opening ask (SPEC §4a), else None.
    ladder_note: Reason | None
    #: How promises are valued (the BATNA on an unpaid balance, the debtor's record).
    valuer: Valuer
    #: The packaged tables the plan was made with (profiles, limitation, disclosures), for
    #: renderers that need the same data (agreement clauses, the script's close).
    tables: Tables

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


def build_plan(case: Case, rules: Rules, tables: Tables, as_of: date, now: datetime) -> Plan:
    """Plan the negotiation for ``case`` under ``rules`` (SPEC §4), with the packaged ``tables``
    (:func:`negplan.io.packaged.load_tables`)."""
    days_past_due = max(0, (as_of - case.debt.first_delinquency).days)
    limitation = limitation_status(case, rules, tables, as_of)
    compliance = preflight(case, rules, tables, now, limitation)
    case, disputed_amount = undisputed(case)
    affordability = assess_affordability(case, rules)
    alternatives, fallback = value_alternatives(
        case, rules, tables, affordability, as_of, time_barred=limitation.time_barred
    )
    batna = best_alternative(alternatives)
    valuer = Valuer(rules.value, case.balance, track_record_factor(case, rules.value), fallback)
    minimum = minimum_terms(case, rules, affordability, batna, valuer, days_past_due)
    warning = rules.currency_warning(case.currency)
    if warning:
        minimum.reasons.insert(0, Reason("currency_mismatch", "currency", f"warning: {warning}"))
    zopa = zone_of_agreement(case, rules, affordability, minimum)
    first_due = preferred_first_due(
        as_of,
        as_of + timedelta(days=rules.plans.first_payment_days),
        as_of + timedelta(days=rules.agreements.max_first_payment_days),
        case.debtor.preferred_payment_day,
    )
    judge = Judge(
        case=case,
        rules=rules,
        affordability=affordability,
        minimum=minimum,
        batna_value=max(batna.value or Decimal(0), Decimal(0)),
        first_due=first_due,
        valuer=valuer,
    )
    options = build_options(judge)
    recommended = recommend(options, affordability.capacity)
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
        valuer=valuer,
        ladder_note=ladder_note(ladder),
        tables=tables,
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
        valuer=plan.valuer,
    )
