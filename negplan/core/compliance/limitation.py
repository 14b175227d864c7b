"""Limitation periods: is the debt time-barred on the planning date?

The period comes, most specific first, from the rules (``compliance.limitation_years``) or the
shipped data: ``us_limitation_periods.csv`` for US states by contract type (each row with its
sources and where they disagree) and ``limitation.yaml`` for the UK nations and India. A rules
override for a code beats the shipped value for the same code; a more specific code beats a less
specific one (``US-CA`` over ``US``), so a ``US`` override fills in where no state is known.

The period is counted from the later of the last payment and the first delinquency (SPEC §6),
except where a payment does not restart it (New York, CPLR 214-i). ``expires`` is the anniversary
``years`` after that date: the last day a suit could still be brought (the day of the triggering
event is not counted, as in FRCP 6(a)(1) and the Limitation Act 1980), so the debt is time-barred
from the day after.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from negplan.core.case import ContractType
from negplan.core.tables import LimitationPeriod, Tables
from negplan.jurisdictions import COUNTRY_NAMES, Jurisdiction, parse_jurisdiction
from negplan.records import record

if TYPE_CHECKING:
    from negplan.core.case import Case
    from negplan.core.rules import Rules

_CONTRACT_WORDS: dict[ContractType, str] = {
    ContractType.written: "a written contract",
    ContractType.oral: "an oral contract",
    ContractType.open_account: "an open account",
    ContractType.promissory_note: "a promissory note",
}


@record
class Limitation:
    """Whether the debt is time-barred, and why."""

    time_barred: bool
    years: int | None  # None when the period is unknown (e.g. "US" with no state)
    counted_from: date  # later of last_payment and first_delinquency (New York: the latter)
    expires: date | None  # counted_from + years: the last day a suit could be brought
    source: str  # where ``years`` comes from
    reason: str  # one plain sentence for the plan
    #: When time-barred where the end of the period extinguishes the debt itself (Mississippi,
    #: Wisconsin, Scotland): the law that says so. ``None`` otherwise.
    extinguished_by: str | None = None


def _period(
    tables: Tables, j: Jurisdiction, contract: ContractType, rules: Rules
) -> LimitationPeriod | None:
    overrides = rules.compliance.limitation_years
    codes = [j.code, j.country] if j.subdivision is not None else [j.country]
    for code in codes:
        years = overrides.get(code, {}).get(contract)
        if years is not None:
            where = f"compliance.limitation_years.{code}.{contract.value}"
            return LimitationPeriod(years, f"rules override {where}")
        shipped = tables.limitation_period(code, contract.value)
        if shipped is not None:
            return shipped
    return None


def _place(j: Jurisdiction) -> str:
    return j.name if j.subdivision is None else j.name.split(", ")[0]


def _unknown_reason(j: Jurisdiction) -> str:
    if j.country == "US":
        return (
            "Cannot tell whether the debt is time-barred: the jurisdiction US names no state, and "
            "limitation periods are set by each state; give the state (e.g. US-CA) or set "
            "compliance.limitation_years.US in the rules."
        )
    if j.country == "GB":
        return (
            "Cannot tell whether the debt is time-barred: the jurisdiction GB names no nation "
            "(6 years in England, Wales and Northern Ireland, 5 in Scotland); give GB-ENG, "
            "GB-WLS, GB-SCT or GB-NIR, or set compliance.limitation_years.GB in the rules."
        )
    return (
        f"Cannot tell whether the debt is time-barred: no limitation period is known for "
        f"{COUNTRY_NAMES[j.country]}; set compliance.limitation_years.{j.code} in the rules."
    )


def limitation_status(case: Case, rules: Rules, tables: Tables, as_of: date) -> Limitation:
    """The limitation position of the case's debt on ``as_of``."""
    j = parse_jurisdiction(case.jurisdiction)
    debt = case.debt
    contract = debt.contract.value
    no_revival = tables.payment_does_not_revive.get(j.code)
    counted_from = debt.first_delinquency
    if debt.last_payment is not None and no_revival is None:
        counted_from = max(debt.last_payment, debt.first_delinquency)
    period = _period(tables, j, debt.contract, rules)
    if period is None:
        return Limitation(
            time_barred=False,
            years=None,
            counted_from=counted_from,
            expires=None,
            source=f"no limitation period for {j.code} ({contract})",
            reason=_unknown_reason(j),
        )

    from dateutil.relativedelta import relativedelta

    expires = counted_from + relativedelta(years=period.years)
    time_barred = as_of > expires
    extinguished_by = tables.extinguishes.get(j.code) if time_barred else None
    source = period.source
    start = "later of last payment and first delinquency"
    if no_revival is not None:
        start = "first delinquency: a later payment does not restart it"
        source += f"; counted from the first delinquency ({no_revival.strip()})"
    what = (
        f"the {period.years}-year limitation period for {_CONTRACT_WORDS[debt.contract]} "
        f"in {_place(j)}, counted from {counted_from.isoformat()} ({start})"
    )
    if time_barred:
        reason = f"Time-barred: {what}, ran out after {expires.isoformat()}."
        if extinguished_by is not None:
            reason = (
                f"{reason[:-1]}; there its end extinguishes the debt itself "
                f"({extinguished_by.strip()})."
            )
    else:
        reason = f"Not time-barred: {what}, runs until {expires.isoformat()}."
    return Limitation(
        time_barred=time_barred,
        years=period.years,
        counted_from=counted_from,
        expires=expires,
        source=source,
        reason=reason,
        extinguished_by=extinguished_by.strip() if extinguished_by is not None else None,
    )
