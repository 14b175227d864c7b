"""The report's figures, aggregated by the database (SPEC §10; formulas in docs/metrics.md).

Each query groups by the ``--by`` key and returns counts and integer-cent sums, a few rows per
group however large the ledger is: memory stays flat and the database does the work it is good
at. Rates, intervals and money are made from those counts in :mod:`negplan.core.evaluation` and
here, never from rows held in Python lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Connection, Float, and_, case, cast, func, literal, select

from negplan.core.evaluation import ArmSums, Rate
from negplan.io.ledger import schema as t
from negplan.records import record
from negplan.report.facts import latest_assignments, materialise
from negplan.report.sql import cents, days_between, month_of, plus_days

NOT_LOGGED = "(not logged)"
NO_RULES = "(no experiment)"
UNKNOWN = "unknown"


class By(str, Enum):
    """What the report's rows are: one per executive, rule set, option kind, jurisdiction, month."""

    executive = "executive"
    rules = "rules"
    option = "option"
    jurisdiction = "jurisdiction"
    month = "month"


@record
class Period:
    """Events from ``start`` (None: the beginning) to ``end``; states are judged on ``end``."""

    start: date | None
    end: date

    def holds(self, column: Any) -> Any:
        day = func.substr(column, 1, 10)
        upper = day <= self.end.isoformat()
        return upper if self.start is None else and_(day >= self.start.isoformat(), upper)


@dataclass
class GroupFigures:
    """The counts behind one row of the report."""

    key: str
    attempts: int = 0
    conversations: int = 0
    promises: int = 0
    promises_due: int = 0
    promises_kept: int = 0
    arrangements: int = 0
    completed: int = 0
    completion_base: int = 0
    broken: int = 0
    fell_behind: int = 0
    cured: int = 0
    first_due: int = 0
    first_honoured: int = 0
    days_to_first_total: int = 0
    days_to_first_count: int = 0

    @property
    def right_party_contact(self) -> Rate:
        return Rate(self.conversations, self.attempts)

    @property
    def promise_rate(self) -> Rate:
        return Rate(self.promises, self.conversations)

    @property
    def promise_kept(self) -> Rate:
        return Rate(self.promises_kept, self.promises_due)

    @property
    def completion(self) -> Rate:
        return Rate(self.completed, self.completion_base)

    @property
    def breaks(self) -> Rate:
        return Rate(self.broken, self.arrangements)

    @property
    def cure(self) -> Rate:
        return Rate(self.cured, self.fell_behind)

    @property
    def first_payment_honoured(self) -> Rate:
        return Rate(self.first_honoured, self.first_due)

    @property
    def days_to_first_payment(self) -> Decimal | None:
        if not self.days_to_first_count:
            return None
        return (Decimal(self.days_to_first_total) / self.days_to_first_count).quantize(
            Decimal("0.1")
        )


@dataclass
class MoneyFigures:
    """Money of one group in one currency, in cents (exact)."""

    key: str
    currency: str
    balance: int = 0  # balance under the arrangements signed in the period
    collected: int = 0  # what those arrangements received
    cases_planned: int = 0
    planned: int = 0  # expected value of the recommended options planned in the period
    collected_since_plan: int = 0  # what those cases paid since they were planned

    @property
    def liquidation(self) -> Decimal | None:
        return None if not self.balance else Decimal(self.collected) / Decimal(self.balance)

    @property
    def against_plan(self) -> Decimal | None:
        return None if not self.planned else Decimal(self.collected_since_plan) / self.planned


@dataclass
class Figures:
    """Everything ``report`` shows, before formatting."""

    by: By | None
    period: Period
    groups: list[GroupFigures] = field(default_factory=list)
    money: list[MoneyFigures] = field(default_factory=list)
    arms: dict[str, dict[str, ArmSums]] = field(default_factory=dict)  # currency → arm → sums


def _with_case(events: Any, a: Any, by: By | None) -> Any:
    """``events`` joined to its case's assignment only when the grouping needs it."""
    if by in (By.rules, By.jurisdiction):
        return events.outerjoin(a, a.c.case_id == events.c.case_id)
    return events


def _key(by: By | None, **columns: Any) -> Any:
    if by is None:
        return literal("all")
    return func.coalesce(columns[by.value], literal(columns.get("fallback", UNKNOWN)))


def contact_figures(conn: Connection, by: By | None, period: Period) -> list[Any]:
    c, a = t.contacts, latest_assignments(conn)
    key = _key(
        by,
        executive=c.c.by_name,
        month=month_of(c.c.at),
        option=literal("(contacts)"),
        jurisdiction=a.c.jurisdiction,
        rules=func.coalesce(a.c.rule_set, NO_RULES),
    ).label("key")
    query = (
        select(
            key,
            func.sum(case((c.c.outcome != "sent", 1), else_=0)),
            func.sum(case((c.c.outcome == "conversation", 1), else_=0)),
        )
        .select_from(_with_case(c, a, by))
        .where(period.holds(c.c.at))
        .group_by(key)
    )
    return list(conn.execute(query))


def promise_figures(conn: Connection, by: By | None, period: Period, grace: int) -> list[Any]:
    pr, p, a = t.promises, t.payments, latest_assignments(conn)
    closes = plus_days(pr.c.due, literal(grace))
    paid = (
        select(func.coalesce(func.sum(cents(p.c.amount)), 0))
        .where(p.c.case_id == pr.c.case_id, p.c.paid_on >= pr.c.made_on, p.c.paid_on <= closes)
        .scalar_subquery()
    )
    fallen_due = closes < period.end.isoformat()
    key = _key(
        by,
        executive=pr.c.by_name,
        month=month_of(pr.c.made_on),
        option=literal("promise"),
        jurisdiction=a.c.jurisdiction,
        rules=func.coalesce(a.c.rule_set, NO_RULES),
    ).label("key")
    query = (
        select(
            key,
            func.count(),
            func.sum(case((fallen_due, 1), else_=0)),
            func.sum(case((and_(fallen_due, paid >= cents(pr.c.amount)), 1), else_=0)),
        )
        .select_from(_with_case(pr, a, by))
        .where(period.holds(pr.c.made_on))
        .group_by(key)
    )
    return list(conn.execute(query))


def arrangement_query(conn: Connection, by: By | None, period: Period) -> Any:
    f, a = materialise(conn, period.end), latest_assignments(conn)
    key = _key(
        by,
        executive=f.c.executive,
        month=month_of(f.c.signed_on),
        option=f.c.option,
        jurisdiction=f.c.jurisdiction,
        rules=func.coalesce(a.c.rule_set, NO_RULES),
    ).label("key")
    broken = f.c.broke_at.is_not(None)
    completed = f.c.collected >= f.c.total
    days = days_between(f.c.first_paid_on, f.c.signed_on)
    return (
        select(
            key,
            f.c.currency,
            func.count(),
            func.sum(case((completed, 1), else_=0)),
            func.sum(case((completed | (f.c.matured == 1), 1), else_=0)),
            func.sum(case((broken, 1), else_=0)),
            func.sum(f.c.fell_behind),
            func.sum(case((and_(f.c.fell_behind == 1, ~broken, f.c.behind_now == 0), 1), else_=0)),
            func.sum(func.coalesce(f.c.first_due, 0)),
            func.sum(func.coalesce(f.c.first_honoured, 0)),
            func.sum(case((f.c.first_paid_on.is_not(None), days), else_=0)),
            func.sum(case((f.c.first_paid_on.is_not(None), 1), else_=0)),
            func.sum(f.c.balance),
            func.sum(f.c.collected),
        )
        .select_from(_with_case(f, a, by))
        .where(period.holds(f.c.signed_on))
        .group_by(key, f.c.currency)
    )


def planned_query(conn: Connection, by: By | None, period: Period) -> Any:
    """Per group and currency: cases planned, the expected value planned, collected since."""
    a, p = latest_assignments(conn), t.payments
    since = (
        select(func.coalesce(func.sum(cents(p.c.amount)), 0))
        .where(
            p.c.case_id == a.c.case_id,
            p.c.paid_on >= a.c.planned_on,
            p.c.paid_on <= period.end.isoformat(),
        )
        .scalar_subquery()
    )
    c = t.contacts
    executive = (
        select(c.c.by_name)
        .where(c.c.case_id == a.c.case_id, c.c.outcome == "conversation")
        .order_by(c.c.at.desc(), c.c.id.desc())
        .limit(1)
        .correlate_except(c)
        .scalar_subquery()
    )  # whoever last spoke with the debtor: the executive the case's result belongs to
    key = _key(
        by,
        executive=func.coalesce(executive, NOT_LOGGED),
        month=month_of(a.c.planned_on),
        option=func.coalesce(a.c.option, "no deal"),
        jurisdiction=a.c.jurisdiction,
        rules=a.c.rule_set,
    ).label("key")
    collected = since.label("collected")
    per_case = (
        select(
            key,
            a.c.currency,
            a.c.rule_set,
            func.coalesce(cents(a.c.expected_value), 0).label("planned"),
            collected,
        )
        .where(period.holds(a.c.planned_on))
        .subquery("planned_case")
    )
    return per_case


def arm_sums(conn: Connection, period: Period) -> dict[str, dict[str, ArmSums]]:
    """Per currency and rule set: cases, Σ collected since planning, Σ collected² (cents)."""
    per_case = planned_query(conn, None, period)
    value = cast(per_case.c.collected, Float)
    query = select(
        per_case.c.currency,
        per_case.c.rule_set,
        func.count(),
        func.sum(value),
        func.sum(value * value),
    ).group_by(per_case.c.currency, per_case.c.rule_set)
    arms: dict[str, dict[str, ArmSums]] = {}
    for currency, rule_set, n, total, squares in conn.execute(query):
        arms.setdefault(currency, {})[rule_set] = ArmSums(
            int(n), float(total or 0) / 100, float(squares or 0) / 10_000
        )
    return arms


def gather(conn: Connection, by: By | None, period: Period, promise_grace: int) -> Figures:
    """Run the report's queries and collect their (few) rows."""
    figures = Figures(by, period)
    groups: dict[str, GroupFigures] = {}

    def group(key: str) -> GroupFigures:
        return groups.setdefault(key, GroupFigures(key))

    for key, attempts, conversations in contact_figures(conn, by, period):
        g = group(key)
        g.attempts, g.conversations = int(attempts or 0), int(conversations or 0)
    for key, made, due, kept in promise_figures(conn, by, period, promise_grace):
        g = group(key)
        g.promises, g.promises_due, g.promises_kept = int(made), int(due or 0), int(kept or 0)
    money: dict[tuple[str, str], MoneyFigures] = {}
    for row in conn.execute(arrangement_query(conn, by, period)):
        key, currency, n, done, base, broken, behind, cured, fdue, fhon, dsum, dcount = row[:12]
        g = group(key)
        g.arrangements += int(n)
        g.completed += int(done or 0)
        g.completion_base += int(base or 0)
        g.broken += int(broken or 0)
        g.fell_behind += int(behind or 0)
        g.cured += int(cured or 0)
        g.first_due += int(fdue or 0)
        g.first_honoured += int(fhon or 0)
        g.days_to_first_total += int(dsum or 0)
        g.days_to_first_count += int(dcount or 0)
        m = money.setdefault((key, currency), MoneyFigures(key, currency))
        m.balance += int(row[12] or 0)
        m.collected += int(row[13] or 0)
    per_case = planned_query(conn, by, period)
    planned = select(
        per_case.c.key,
        per_case.c.currency,
        func.count(),
        func.sum(per_case.c.planned),
        func.sum(per_case.c.collected),
    ).group_by(per_case.c.key, per_case.c.currency)
    for key, currency, n, plan_cents, since in conn.execute(planned):
        group(key)
        m = money.setdefault((key, currency), MoneyFigures(key, currency))
        m.cases_planned, m.planned, m.collected_since_plan = (
            int(n),
            int(plan_cents or 0),
            int(since or 0),
        )
    figures.groups = [groups[k] for k in sorted(groups)]
    figures.money = [money[k] for k in sorted(money)]
    if by is By.rules or by is None:
        figures.arms = arm_sums(conn, period)
    return figures
