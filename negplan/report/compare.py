"""``negplan compare``: how two rule sets differ over a portfolio, before any call (SPEC §10).

Each case is planned twice, with rule set A and with rule set B, on the same date and moment;
the figures a change of rules can move are set side by side: the recommended option, its
expected value, the minimum settlement and the minimum monthly payment of each plan length.
A case "changes" when any of them differs. Nothing is written to the ledger: this is the look
before the experiment, ``report --by rules`` the look after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from negplan.core.case import Case
from negplan.core.plan import Plan, build_plan
from negplan.core.rules import Rules
from negplan.records import record


@record
class Side:
    """What one rule set makes of one case."""

    recommended: str  # the option id, or "none"
    expected_value: Decimal | None
    minimum_settlement: Decimal
    minimum_plan_payment: dict[int, Decimal | None]

    @classmethod
    def of(cls, plan: Plan) -> Side:
        best = plan.recommended
        return cls(
            best.id if best is not None else "none",
            best.expected_value if best is not None else None,
            plan.minimum_terms.minimum_settlement,
            dict(plan.minimum_terms.minimum_plan_payment),
        )


@record
class CaseComparison:
    case_id: str
    source: str
    currency: str
    a: Side
    b: Side

    @property
    def changes(self) -> list[str]:
        """The figures that differ, by name (what a reviewer looks at first)."""
        names = []
        if self.a.recommended != self.b.recommended:
            names.append("recommended")
        if self.a.expected_value != self.b.expected_value:
            names.append("expected_value")
        if self.a.minimum_settlement != self.b.minimum_settlement:
            names.append("minimum_settlement")
        terms = sorted(set(self.a.minimum_plan_payment) | set(self.b.minimum_plan_payment))
        moved = [
            str(n)
            for n in terms
            if self.a.minimum_plan_payment.get(n) != self.b.minimum_plan_payment.get(n)
        ]
        if moved:
            names.append(f"minimum_plan_payment[{','.join(moved)}]")
        return names


@dataclass
class Comparison:
    cases: list[CaseComparison] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # files that are not cases, with why

    @property
    def changed(self) -> list[CaseComparison]:
        return [c for c in self.cases if c.changes]

    def totals(self) -> dict[str, tuple[Decimal, Decimal]]:
        """Per currency: Σ expected value of the recommendations under A and under B."""
        sums: dict[str, tuple[Decimal, Decimal]] = {}
        for c in self.cases:
            a, b = sums.get(c.currency, (Decimal(0), Decimal(0)))
            sums[c.currency] = (
                a + (c.a.expected_value or Decimal(0)),
                b + (c.b.expected_value or Decimal(0)),
            )
        return dict(sorted(sums.items()))


def compare_case(
    case: Case, source: str, a: Rules, b: Rules, tables: Any, as_of: date, now: datetime
) -> CaseComparison:
    plan_a = build_plan(case, a, tables, as_of, now)
    plan_b = build_plan(case, b, tables, as_of, now)
    return CaseComparison(case.case_id, source, plan_a.currency, Side.of(plan_a), Side.of(plan_b))


def _text(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def comparison_rows(result: Comparison, *, changed_only: bool = False) -> list[dict[str, str]]:
    """One row per case (or per changed case), amounts as exact decimal text."""
    rows = []
    for c in result.changed if changed_only else result.cases:
        rows.append(
            {
                "case_id": c.case_id,
                "file": c.source,
                "currency": c.currency,
                "changes": " ".join(c.changes),
                "recommended_a": c.a.recommended,
                "recommended_b": c.b.recommended,
                "expected_value_a": _text(c.a.expected_value),
                "expected_value_b": _text(c.b.expected_value),
                "minimum_settlement_a": _text(c.a.minimum_settlement),
                "minimum_settlement_b": _text(c.b.minimum_settlement),
                "minimum_plan_payment_a": " ".join(
                    f"{n}:{_text(v)}" for n, v in sorted(c.a.minimum_plan_payment.items())
                ),
                "minimum_plan_payment_b": " ".join(
                    f"{n}:{_text(v)}" for n, v in sorted(c.b.minimum_plan_payment.items())
                ),
            }
        )
    return rows
