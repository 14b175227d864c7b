"""The creditor's alternatives to a deal, each valued in present money; the best is the BATNA.

SPEC §4. Litigation is unavailable on time-barred debt (12 CFR 1006.26(b); CONC 7.15.4R), during
a bankruptcy stay (11 U.S.C. § 362) or a UK breathing space (Debt Respite Scheme Regulations
2020, reg. 7), and below the rules' minimum balance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from negplan.core.case import Case
from negplan.core.rules import Rules
from negplan.core.valuation import present_value
from negplan.display import display
from negplan.money import ZERO, quantize

AlternativeKind = Literal["litigation", "agency", "debt_sale", "write_off"]


@dataclass(frozen=True)
class Alternative:
    kind: AlternativeKind
    available: bool
    value: Decimal | None  # expected present value; None when unavailable or disabled
    reason: str


def days_since_default(case: Case, as_of: date) -> int:
    """Days since charge-off, or since first delinquency when the debt is not charged off."""
    start = case.debt.charged_off or case.debt.first_delinquency
    return (as_of - start).days


def value_alternatives(
    case: Case, rules: Rules, as_of: date, *, time_barred: bool
) -> list[Alternative]:
    """Every alternative in the rules, with its availability, present value and reason."""
    alt = rules.alternatives
    cur = case.currency
    balance = case.balance
    value = rules.value
    out: list[Alternative] = []

    def money(amount: Decimal) -> str:
        return display(amount, cur)

    # Litigation.
    lit = alt.litigation
    blockers = []
    if not lit.enabled:
        blockers.append("disabled in the rules (alternatives.litigation.enabled)")
    if time_barred:
        blockers.append("the debt is time-barred: no suit may be filed or threatened")
    if case.debtor.flags.in_bankruptcy:
        blockers.append("the debtor is in bankruptcy (automatic stay)")
    if case.debtor.flags.breathing_space:
        blockers.append("the debtor is in a breathing space (no enforcement)")
    if balance < lit.min_balance:
        blockers.append(
            f"balance {money(balance)} is under alternatives.litigation.min_balance "
            f"{money(lit.min_balance)}"
        )
    if blockers:
        out.append(Alternative("litigation", False, None, "unavailable: " + "; ".join(blockers)))
    else:
        net = lit.judgment_rate * lit.collect_rate * balance - lit.cost
        worth = quantize(present_value(net, lit.months, value), cur)
        out.append(
            Alternative(
                "litigation",
                True,
                worth,
                f"{lit.judgment_rate} judgment rate × {lit.collect_rate} collected × balance "
                f"{money(balance)} − costs {money(lit.cost)}, received in {lit.months} months "
                "(alternatives.litigation)",
            )
        )

    # Every collection stops during a bankruptcy stay or a breathing space, not only suits.
    stayed = [
        why
        for flag, why in (
            (case.debtor.flags.in_bankruptcy, "the debtor is in bankruptcy (automatic stay)"),
            (case.debtor.flags.breathing_space, "the debtor is in a breathing space"),
        )
        if flag
    ]

    # Agency placement.
    agency = alt.agency
    if stayed:
        out.append(Alternative("agency", False, None, "unavailable: " + "; ".join(stayed)))
    elif agency.enabled:
        net = agency.recovery_rate * balance * (1 - agency.fee)
        worth = quantize(present_value(net, agency.months, value), cur)
        out.append(
            Alternative(
                "agency",
                True,
                worth,
                f"{agency.recovery_rate} recovered × balance less a {agency.fee} contingency "
                f"fee, received over {agency.months} months (alternatives.agency)",
            )
        )
    else:
        out.append(Alternative("agency", False, None, "disabled (alternatives.agency.enabled)"))

    # Debt sale.
    sale = alt.debt_sale
    if stayed:
        out.append(Alternative("debt_sale", False, None, "unavailable: " + "; ".join(stayed)))
    elif sale.enabled:
        days = days_since_default(case, as_of)
        index, row = next(
            (i, r)
            for i, r in enumerate(sale.price_by_days_since_default)
            if r.max_days is None or days <= r.max_days
        )
        since = "charge-off" if case.debt.charged_off else "first delinquency"
        out.append(
            Alternative(
                "debt_sale",
                True,
                quantize(row.share * balance, cur),
                f"{row.share} of balance for debt {days} days past {since}, paid now "
                f"(alternatives.debt_sale.price_by_days_since_default[{index}])",
            )
        )
    else:
        out.append(
            Alternative("debt_sale", False, None, "disabled (alternatives.debt_sale.enabled)")
        )

    if alt.write_off.enabled:
        out.append(
            Alternative("write_off", True, quantize(ZERO, cur), "nothing recovered (write_off)")
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
