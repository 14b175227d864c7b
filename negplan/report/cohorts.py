"""Liquidation by cohort month: collected ÷ balance under arrangement, by month since agreement.

A cohort is the arrangements signed in one calendar month (in one currency: amounts in two
currencies are never added). Month 0 is the month of signing; month *k* holds the payments made
*k* calendar months later. The curve is cumulative: what the cohort had collected by the end of
month *k*, over the balance its arrangements covered. Months after ``as_of`` are not drawn.
The database groups the payments; Python only accumulates the few rows it returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Connection, and_, func, select

from negplan.io.ledger import schema as t
from negplan.report.facts import materialise
from negplan.report.metrics import Period
from negplan.report.sql import cents, month_number, month_of


@dataclass
class Cohort:
    month: str  # YYYY-MM of signing
    currency: str
    arrangements: int
    balance: int  # cents
    collected: list[int] = field(default_factory=list)  # cumulative cents by month since signing

    def liquidation(self) -> list[Decimal]:
        if not self.balance:
            return []
        return [Decimal(c) / self.balance for c in self.collected]


def cohorts(conn: Connection, period: Period) -> list[Cohort]:
    f, p = materialise(conn, period.end), t.payments
    cohort = month_of(f.c.signed_on).label("cohort")
    heads = conn.execute(
        select(cohort, f.c.currency, func.count(), func.sum(f.c.balance))
        .where(period.holds(f.c.signed_on))
        .group_by(cohort, f.c.currency)
        .order_by(cohort, f.c.currency)
    ).all()
    found = {
        (str(month), str(currency)): Cohort(str(month), str(currency), int(n), int(balance or 0))
        for month, currency, n, balance in heads
    }
    since = (month_number(p.c.paid_on) - month_number(f.c.signed_on)).label("since")
    rows = conn.execute(
        select(cohort, f.c.currency, since, func.sum(cents(p.c.amount)))
        .select_from(
            f.join(
                p,
                and_(
                    p.c.case_id == f.c.case_id,
                    p.c.paid_on >= f.c.signed_on,
                    p.c.paid_on < f.c.ends,
                    p.c.paid_on <= period.end.isoformat(),
                ),
            )
        )
        .where(period.holds(f.c.signed_on))
        .group_by(cohort, f.c.currency, since)
    ).all()
    by_month: dict[tuple[str, str], dict[int, int]] = {}
    for month, currency, k, total in rows:
        by_month.setdefault((str(month), str(currency)), {})[int(k)] = int(total or 0)
    end = period.end.year * 12 + period.end.month
    for key, c in found.items():
        year, month = (int(x) for x in c.month.split("-"))
        months = end - (year * 12 + month)
        running = 0
        for k in range(months + 1):
            running += by_month.get(key, {}).get(k, 0)
            c.collected.append(running)
    return [found[k] for k in sorted(found)]
