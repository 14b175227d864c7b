"""The report as named tables of text cells: what every format (terminal, CSV, JSON, Markdown,
HTML) prints, built once from the aggregated figures so the formats cannot disagree.

Rates are exact fractions of counts shown to four places (JSON, CSV) or as a percentage to one
place (people), each with its 95% Wilson interval and the counts behind it; money is exact
decimal text from integer cents, in its own currency, never added across currencies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from negplan.core.evaluation import Lift, Rate, lift
from negplan.records import record
from negplan.report.cohorts import Cohort
from negplan.report.metrics import Figures, GroupFigures, MoneyFigures

#: The rates of the main table: (column name, what it is, how to get it).
RATES: tuple[tuple[str, str], ...] = (
    ("right_party_contact_rate", "conversations ÷ call attempts"),
    ("promise_rate", "promises ÷ conversations"),
    ("promise_kept_rate", "kept ÷ promises fallen due"),
    ("first_payment_honoured_rate", "first installments paid ÷ fallen due"),
    ("completion_rate", "completed ÷ arrangements matured or completed"),
    ("break_rate", "broken ÷ arrangements"),
    ("cure_rate", "cured ÷ arrangements that fell into arrears"),
)


def rates_of(g: GroupFigures) -> dict[str, Rate]:
    return {
        "right_party_contact_rate": g.right_party_contact,
        "promise_rate": g.promise_rate,
        "promise_kept_rate": g.promise_kept,
        "first_payment_honoured_rate": g.first_payment_honoured,
        "completion_rate": g.completion,
        "break_rate": g.breaks,
        "cure_rate": g.cure,
    }


def money_text(cents: int) -> str:
    return format(Decimal(cents).scaleb(-2), "f")


def ratio_text(value: Decimal | float | None) -> str:
    return "" if value is None else format(Decimal(str(value)).quantize(Decimal("0.0001")), "f")


def percent_text(value: float | Decimal | None) -> str:
    if value is None:
        return "–"
    return format((Decimal(str(value)) * 100).quantize(Decimal("0.1")), "f") + "%"


def rate_cell(rate: Rate) -> str:
    """``42.3% (37.1–47.6%, 120/284)`` for people; ``–`` when nothing to count."""
    interval = rate.interval
    if rate.value is None or interval is None:
        return "–"
    return (
        f"{percent_text(rate.value)} ({percent_text(interval[0])}–{percent_text(interval[1])}, "
        f"{rate.events}/{rate.trials})"
    )


@record
class LiftRow:
    currency: str
    champion_cases: int
    champion_mean: float | None
    challenger_cases: int
    challenger_mean: float | None
    lift: Lift | None


@dataclass
class ReportData:
    """Everything a format needs: the figures and derived tables, all plain."""

    figures: Figures
    cohorts: list[Cohort]
    extra: dict[str, Figures] = field(default_factory=dict)  # by option, by rules (for charts)

    @property
    def lifts(self) -> list[LiftRow]:
        rows = []
        for currency, arms in sorted(self.figures.arms.items()):
            champion, challenger = arms.get("champion"), arms.get("challenger")
            if champion is None or challenger is None:
                continue
            rows.append(
                LiftRow(
                    currency,
                    champion.cases,
                    champion.mean,
                    challenger.cases,
                    challenger.mean,
                    lift(champion, challenger),
                )
            )
        return rows


def group_row(g: GroupFigures) -> dict[str, Any]:
    """One row of the main table for machines: counts as numbers, rates as objects."""
    rates = {
        name: {
            "value": ratio_text(rate.value),
            "low": ratio_text(rate.interval[0]) if rate.interval else "",
            "high": ratio_text(rate.interval[1]) if rate.interval else "",
            "events": rate.events,
            "trials": rate.trials,
        }
        for name, rate in rates_of(g).items()
    }
    days = g.days_to_first_payment
    return {
        "group": g.key,
        "call_attempts": g.attempts,
        "conversations": g.conversations,
        "promises": g.promises,
        "promises_fallen_due": g.promises_due,
        "promises_kept": g.promises_kept,
        "arrangements": g.arrangements,
        "completed": g.completed,
        "broken": g.broken,
        "fell_into_arrears": g.fell_behind,
        "cured": g.cured,
        "days_to_first_payment": "" if days is None else format(days, "f"),
        "rates": rates,
    }


def money_row(m: MoneyFigures) -> dict[str, str]:
    return {
        "group": m.key,
        "currency": m.currency,
        "balance_under_arrangement": money_text(m.balance),
        "collected": money_text(m.collected),
        "liquidation": ratio_text(m.liquidation),
        "cases_planned": str(m.cases_planned),
        "expected_value_planned": money_text(m.planned),
        "collected_since_planned": money_text(m.collected_since_plan),
        "collected_vs_planned": ratio_text(m.against_plan),
    }


def lift_row(row: LiftRow) -> dict[str, str]:
    def amount(value: float | None) -> str:
        return "" if value is None else format(Decimal(str(value)).quantize(Decimal("0.01")), "f")

    found = row.lift
    return {
        "currency": row.currency,
        "champion_cases": str(row.champion_cases),
        "champion_collected_per_case": amount(row.champion_mean),
        "challenger_cases": str(row.challenger_cases),
        "challenger_collected_per_case": amount(row.challenger_mean),
        "lift_per_case": amount(found.difference) if found else "",
        "lift_low": amount(found.low) if found else "",
        "lift_high": amount(found.high) if found else "",
        "relative_lift": ratio_text(found.relative) if found else "",
    }


def _shares(c: Cohort) -> list[Decimal | None]:
    shares: list[Decimal | None] = list(c.liquidation())
    return shares or [None] * len(c.collected)


def cohort_rows(cohorts: list[Cohort]) -> list[dict[str, str]]:
    rows = []
    for c in cohorts:
        for month, (collected, share) in enumerate(zip(c.collected, _shares(c), strict=True)):
            rows.append(
                {
                    "cohort": c.month,
                    "currency": c.currency,
                    "arrangements": str(c.arrangements),
                    "balance": money_text(c.balance),
                    "months_since_agreement": str(month),
                    "collected": money_text(collected),
                    "liquidation": ratio_text(share),
                }
            )
    return rows
