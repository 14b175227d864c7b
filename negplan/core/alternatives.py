"""The creditor's alternatives to a deal, each valued in present money; the best is the BATNA.

SPEC §4 and §4a. Litigation is unavailable on time-barred debt (12 CFR 1006.26(b); CONC 7.15.4R),
during a bankruptcy stay (11 U.S.C. § 362) or a UK breathing space (Debt Respite Scheme
Regulations 2020, reg. 7), and below the rules' minimum balance. Its court costs are paid at
filing; its recovery is capped by what a judgment could reach (non-exempt assets and garnishable
wages, ``data/garnishment.csv``). Agency recovery falls with the account's age; a debt is sold
only after charge-off (unless the rules allow it). A collection agency has only what its client
allows (``no_deal``), and never sells a debt it does not own; when the case records what the
creditor decided (``no_deal.actions``), only those actions are alternatives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from negplan.core.affordability import Affordability
from negplan.core.case import LIQUID_ASSETS, AssetKind, Case, CreditorKind, NoDealAction
from negplan.core.rules import Rules
from negplan.core.tables import Tables
from negplan.core.valuation import monthly_discount
from negplan.display import display
from negplan.money import ZERO, quantize, quantize_down
from negplan.records import record

AlternativeKind = Literal["litigation", "agency", "debt_sale", "write_off"]

#: Assets a judgment creditor can usually reach: money in the bank and investments. A home and a
#: vehicle are taken as exempt (every US state has homestead and motor-vehicle exemptions; cf.
#: 11 U.S.C. § 522(d)(1)–(2)); retirement savings are protected (29 U.S.C. § 1056(d)).
REACHABLE_ASSETS = LIQUID_ASSETS | {AssetKind.investment, AssetKind.other}

#: Weeks in a month, for weekly garnishment limits: 52 / 12.
WEEKS_PER_MONTH = Decimal(52) / 12


@record
class Alternative:
    kind: AlternativeKind
    available: bool
    value: Decimal | None  # expected present value; None when unavailable or disabled
    reason: str


def days_since_default(case: Case, as_of: date) -> int:
    """Days since charge-off, or since first delinquency when the debt is not charged off."""
    start = case.debt.charged_off or case.debt.first_delinquency
    return (as_of - start).days


@record
class Reach:
    """What a judgment could reach: non-exempt assets plus garnishable wages over the period."""

    assets: Decimal
    monthly_wages: Decimal | None  # None: no garnishment data for the jurisdiction (no cap)
    months: int
    source: str

    @property
    def total(self) -> Decimal | None:
        if self.monthly_wages is None:
            return None
        return self.assets + self.monthly_wages * self.months


def judgment_reach(case: Case, rules: Rules, tables: Tables, afford: Affordability) -> Reach:
    """Non-exempt assets plus wages garnishable for ``litigation.collection_months`` under the
    federal cap (15 U.S.C. § 1673) and the state's own row, which can only tighten it."""
    cur = case.currency
    assets = quantize_down(
        sum(
            (
                a.value if a.kind in LIQUID_ASSETS else max(ZERO, a.value - a.secured_debt)
                for a in case.finances.assets
                if a.kind in REACHABLE_ASSETS
            ),
            ZERO,
        ),
        cur,
    )
    months = rules.alternatives.litigation.collection_months
    country = case.jurisdiction.partition("-")[0]
    federal = tables.garnishment.get(country)
    if federal is None:
        return Reach(assets, None, months, f"no garnishment data for {country}: not capped")
    income = afford.income
    wages = federal.max_share * income
    if federal.protected_weekly is not None:
        wages = min(wages, max(ZERO, income - federal.protected_weekly * WEEKS_PER_MONTH))
    sources = [federal.source]
    state = tables.garnishment.get(case.jurisdiction)
    if state is not None and state.code != country:
        sources.append(state.source)
        wages = min(wages, state.max_share * income) if state.consumer_wages else ZERO
    return Reach(assets, quantize_down(wages, cur), months, "; ".join(sources))


@dataclass
class Fallback:
    """The BATNA's value on an unpaid amount: what the creditor gets if a promise breaks and it
    falls back on its alternatives for the balance then unpaid (SPEC §4a).

    Which alternatives are available does not depend on the amount, except litigation's minimum
    balance; so they are judged once, on the balance, and each amount is valued with the same
    arithmetic as :func:`value_alternatives` (figures only, no sentences: it runs for every month
    of every plan valued).
    """

    case: Case
    rules: Rules
    reach: Reach
    as_of: date
    time_barred: bool
    _available: frozenset[str] = field(default=frozenset(), init=False)
    #: Days since charge-off (or first delinquency), and (1 + r/12)^months by months.
    _days: int = field(default=0, init=False)
    _growth: dict[int, Decimal] = field(default_factory=dict, init=False)
    #: Each available alternative's worth per unit unpaid (litigation: before costs and cap).
    _per_unit: dict[str, Decimal] = field(default_factory=dict, init=False)
    _litigation_cap: Decimal | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self._days = days_since_default(self.case, self.as_of)
        d = monthly_discount(self.rules.value)
        alt = self.rules.alternatives
        self._growth = {m: d**m for m in {alt.litigation.months, alt.agency.months}}
        found = _alternatives(self, self.case.balance)
        self._available = frozenset(a.kind for a in found if a.available)
        lit = alt.litigation
        if "litigation" in self._available:
            growth = self._growth[lit.months]
            self._per_unit["litigation"] = lit.judgment_rate * lit.collect_rate / growth
            reach = self.reach.total
            if reach is not None:
                self._litigation_cap = lit.judgment_rate * reach / growth
        if "agency" in self._available:
            index, _, _ = _agency(self, self.case.balance)
            row = alt.agency.recovery_by_days_since_default[index]
            self._per_unit["agency"] = (
                row.rate * (1 - alt.agency.fee) / self._growth[alt.agency.months]
            )
        if "debt_sale" in self._available:
            index, _ = _sale(self, self.case.balance)
            self._per_unit["debt_sale"] = alt.debt_sale.price_by_days_since_default[index].share

    def alternatives(self, amount: Decimal) -> list[Alternative]:
        return _alternatives(self, amount)

    def __call__(self, amount: Decimal) -> Decimal:
        """The best alternative's worth on ``amount`` unpaid, at least 0: the same arithmetic as
        :func:`value_alternatives` without rounding each step to the minor unit (it runs for every
        month of every plan valued; the sum it enters is rounded once)."""
        best = ZERO
        if amount <= 0:
            return best
        per_unit = self._per_unit
        for kind in ("agency", "debt_sale"):
            if kind in per_unit:
                best = max(best, per_unit[kind] * amount)
        lit = per_unit.get("litigation")
        if lit is not None and amount >= self.rules.alternatives.litigation.min_balance:
            received = lit * amount
            if self._litigation_cap is not None:
                received = min(received, self._litigation_cap)
            best = max(best, received - self.rules.alternatives.litigation.cost)
        return best


def _litigation(fb: Fallback, balance: Decimal) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(collected, capped at the reach; recovery; received, discounted; worth, less costs)."""
    cur = fb.case.currency
    lit = fb.rules.alternatives.litigation
    collected = quantize(lit.collect_rate * balance, cur)
    reach = fb.reach.total
    capped = collected if reach is None else min(collected, reach)
    recovery = quantize(lit.judgment_rate * capped, cur)
    received = quantize(recovery / fb._growth[lit.months], cur)
    return capped, recovery, received, received - lit.cost


def _agency(fb: Fallback, balance: Decimal) -> tuple[int, Decimal, Decimal]:
    """(row of recovery_by_days_since_default; net of the fee; worth, discounted)."""
    cur = fb.case.currency
    agency = fb.rules.alternatives.agency
    index, row = next(
        (i, r)
        for i, r in enumerate(agency.recovery_by_days_since_default)
        if r.max_days is None or fb._days <= r.max_days
    )
    net = quantize(row.rate * balance * (1 - agency.fee), cur)
    return index, net, quantize(net / fb._growth[agency.months], cur)


def _sale(fb: Fallback, balance: Decimal) -> tuple[int, Decimal]:
    """(row of price_by_days_since_default; price, paid now)."""
    index, price = next(
        (i, r)
        for i, r in enumerate(fb.rules.alternatives.debt_sale.price_by_days_since_default)
        if r.max_days is None or fb._days <= r.max_days
    )
    return index, quantize(price.share * balance, fb.case.currency)


def value_alternatives(
    case: Case,
    rules: Rules,
    tables: Tables,
    afford: Affordability,
    as_of: date,
    *,
    time_barred: bool,
) -> tuple[list[Alternative], Fallback]:
    """Every alternative in the rules on the balance, and the fallback for unpaid amounts."""
    reach = judgment_reach(case, rules, tables, afford)
    fallback = Fallback(case, rules, reach, as_of, time_barred)
    return fallback.alternatives(case.balance), fallback


def _not_decided(case: Case, action: NoDealAction) -> str | None:
    """Why an action is not an alternative for this creditor, if it is not (SPEC §4a)."""
    kind = case.creditor.effective_kind
    if case.no_deal is not None:
        if action not in case.no_deal.actions:
            return "not among the actions decided if no deal is made (no_deal.actions)"
        return None
    if kind is CreditorKind.collection_agency:
        return "a collection agency has only the alternatives its client allows (no no_deal)"
    return None


def _alternatives(fb: Fallback, balance: Decimal) -> list[Alternative]:
    case, rules, cur = fb.case, fb.rules, fb.case.currency
    alt = rules.alternatives
    agency_creditor = case.creditor.effective_kind is CreditorKind.collection_agency
    out: list[Alternative] = []

    def money(amount: Decimal) -> str:
        return display(amount, cur)

    # Every collection stops during a bankruptcy stay or a breathing space, not only suits.
    stayed = [
        why
        for flag, why in (
            (case.debtor.flags.in_bankruptcy, "the debtor is in bankruptcy (automatic stay)"),
            (
                case.debtor.flags.breathing_space,
                "the debtor is in a breathing space (no enforcement)",
            ),
        )
        if flag
    ]

    # Litigation: costs at filing; recovery capped by what a judgment could reach.
    lit = alt.litigation
    blockers = []
    if not lit.enabled:
        blockers.append("disabled in the rules (alternatives.litigation.enabled)")
    if fb.time_barred:
        blockers.append("the debt is time-barred: no suit may be filed or threatened")
    blockers += stayed
    if balance < lit.min_balance:
        blockers.append(
            f"balance {money(balance)} is under alternatives.litigation.min_balance "
            f"{money(lit.min_balance)}"
        )
    decided = _not_decided(case, NoDealAction.litigation)
    if decided:
        blockers.append(decided)
    if blockers:
        out.append(Alternative("litigation", False, None, "unavailable: " + "; ".join(blockers)))
    else:
        capped, recovery, received, worth = _litigation(fb, balance)
        reach = fb.reach.total
        if reach is None:
            cap_text = fb.reach.source
        else:
            wages = fb.reach.monthly_wages or ZERO
            cap_text = (
                f"capped at what a judgment could reach {money(reach)} = assets "
                f"{money(fb.reach.assets)} + garnishable wages {money(wages)}"
                f" × {fb.reach.months} months (alternatives.litigation.collection_months; "
                f"{fb.reach.source})"
            )
        out.append(
            Alternative(
                "litigation",
                True,
                worth,
                f"{lit.judgment_rate} judgment rate × collected {money(capped)} "
                f"(alternatives.litigation.collect_rate {lit.collect_rate} × balance "
                f"{money(balance)}, {cap_text}) = {money(recovery)}, received in {lit.months} "
                f"months, worth {money(received)} now − court costs {money(lit.cost)} paid at "
                f"filing = {money(worth)} (alternatives.litigation)",
            )
        )

    days = days_since_default(case, fb.as_of)
    since = "charge-off" if case.debt.charged_off else "first delinquency"

    # Agency placement: recovery by the account's age.
    agency = alt.agency
    why_not = list(stayed)
    if not agency.enabled:
        why_not.append("disabled (alternatives.agency.enabled)")
    if agency_creditor:
        why_not.append("the account is already with a collection agency")
    elif decided := _not_decided(case, NoDealAction.agency):
        why_not.append(decided)
    if why_not:
        out.append(Alternative("agency", False, None, "unavailable: " + "; ".join(why_not)))
    else:
        index, net, worth = _agency(fb, balance)
        row = agency.recovery_by_days_since_default[index]
        out.append(
            Alternative(
                "agency",
                True,
                worth,
                f"{row.rate} recovered for debt {days} days past {since} "
                f"(alternatives.agency.recovery_by_days_since_default[{index}]) × balance "
                f"{money(balance)} less a {agency.fee} contingency fee = {money(net)}, received "
                f"over {agency.months} months (alternatives.agency)",
            )
        )

    # Debt sale: only a debt the creditor owns, after charge-off unless the rules allow earlier.
    sale = alt.debt_sale
    why_not = list(stayed)
    if not sale.enabled:
        why_not.append("disabled (alternatives.debt_sale.enabled)")
    if agency_creditor:
        why_not.append("a collection agency does not own the debt it collects")
    elif decided := _not_decided(case, NoDealAction.debt_sale):
        why_not.append(decided)
    if case.debt.charged_off is None and not sale.before_charge_off:
        why_not.append(
            "the debt is not charged off (alternatives.debt_sale.before_charge_off: false)"
        )
    if why_not:
        out.append(Alternative("debt_sale", False, None, "unavailable: " + "; ".join(why_not)))
    else:
        index, paid = _sale(fb, balance)
        price = sale.price_by_days_since_default[index]
        out.append(
            Alternative(
                "debt_sale",
                True,
                paid,
                f"{price.share} of balance for debt {days} days past {since}, paid now "
                f"(alternatives.debt_sale.price_by_days_since_default[{index}])",
            )
        )

    if alt.write_off.enabled or agency_creditor:
        nothing = "the account goes back to the client" if agency_creditor else "write_off"
        out.append(
            Alternative("write_off", True, quantize(ZERO, cur), f"nothing recovered ({nothing})")
        )
    else:
        out.append(
            Alternative("write_off", False, None, "disabled (alternatives.write_off.enabled)")
        )
    return out


def best_alternative(alternatives: list[Alternative]) -> Alternative:
    """The BATNA: the available alternative of highest value (first listed wins a tie)."""
    available = [a for a in alternatives if a.available and a.value is not None]
    if not available:
        # Rules guarantee one enabled alternative; if all enabled ones are unavailable
        # (litigation only, on a time-barred debt) the creditor is left with nothing.
        return Alternative("write_off", True, ZERO, "no alternative is available: nothing")
    return max(available, key=lambda a: a.value or ZERO)


__all__ = [
    "Alternative",
    "Fallback",
    "best_alternative",
    "days_since_default",
    "judgment_reach",
    "value_alternatives",
]
