"""One row per tracked arrangement, computed by the database into a temporary table (SPEC §10).

The states of ``negplan status`` (``negplan.core.arrangements``) replay every payment in
Python, which is right for one case and too slow and too large for a whole ledger. The report
asks the same questions of the database, once per report, into two temporary tables that every
grouping then reads (the ledger itself is never written):

* **collected**: payments of the case from the signing date until a newer agreement for the case
  was signed (or ``as_of``), reversals netted. Payments go to the arrangement in force first
  (SPEC §8), so this is what the arrangement received.
* **paid by a day** ``d``: the same sum over payments up to ``d``. Allocation is oldest
  installment first, so installment *k* is paid by ``d`` exactly when paid-by-``d`` reaches the
  schedule's running total through *k*.
* **broken**: at the end of the grace period of installment *j* (the day after
  ``due + grace``) the debtor has not paid through installment *j − m + 1*, ``m`` being the
  agreement's ``missed_payments_before_default``: *m* installments are missed at once, which is
  the default clause the debtor signed. The arrangement **broke at** the first installment of
  that run (the month the debtor stopped paying), the figure ``calibrate`` counts.
* **fell into arrears**: the day after some installment's due date it was unpaid;
  **in arrears now**: an installment due before ``as_of`` is unpaid; **cured**: fell into
  arrears, never broke, and is not in arrears now.
* **first honoured**: the first installment was paid by the end of its grace period.

The executive of an arrangement is whoever logged the last conversation with the case on or
before the signing date. Jurisdiction, option kind and the balance under the arrangement come
from the signed agreement's own record.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    exists,
    func,
    literal,
    select,
)

from negplan.io.ledger import schema as t
from negplan.report.sql import cents, json_text, plus_days

FAR_FUTURE = "9999-12-31"
_scratch = MetaData()

#: Installments with their rank in the schedule and the running total (cents) through each.
schedule = Table(
    "negplan_report_schedule",
    _scratch,
    Column("fingerprint", String(80)),
    Column("rank", Integer),
    Column("due", String(10)),
    Column("through", Integer),
    prefixes=["TEMPORARY"],
)
Index("ix_negplan_report_schedule", schedule.c.fingerprint, schedule.c.rank)

#: One row per arrangement: who, what, and what happened to it (see the module's docstring).
facts = Table(
    "negplan_report_facts",
    _scratch,
    Column("fingerprint", String(80)),
    Column("case_id", String(64)),
    Column("currency", String(3)),
    Column("signed_on", String(10)),
    Column("grace_days", Integer),
    Column("m", Integer),
    Column("ends", String(10)),
    Column("option", String(40)),
    Column("jurisdiction", String(16)),
    Column("balance", Integer),
    Column("executive", String(200)),
    Column("installments", Integer),
    Column("total", Integer),
    Column("largest", Integer),
    Column("collected", Integer),
    Column("broke_at", Integer),
    Column("fell_behind", Integer),
    Column("behind_now", Integer),
    Column("matured", Integer),
    Column("first_due", Integer),
    Column("first_honoured", Integer),
    Column("first_paid_on", String(10)),
    prefixes=["TEMPORARY"],
)


#: The latest assignment of each case (a case re-planned in a new experiment moves), indexed by
#: case so that grouping contacts, promises and arrangements by rule set is a lookup.
assignment = Table(
    "negplan_report_assignment",
    _scratch,
    Column("case_id", String(64), primary_key=True),
    Column("rule_set", String(20)),
    Column("jurisdiction", String(16)),
    Column("currency", String(3)),
    Column("planned_on", String(10)),
    Column("affordable", String(40)),
    Column("option", String(40)),
    Column("expected_value", String(40)),
    prefixes=["TEMPORARY"],
)


def reset(conn: Connection) -> None:
    """Drop this connection's scratch tables: a pooled connection may have built them for an
    earlier report, before events were added, and must not answer from them."""
    for key, table in (
        ("negplan_report_facts", facts),
        ("negplan_report_schedule", schedule),
        ("negplan_report_assignment", assignment),
    ):
        if conn.info.pop(key, None) is not None:
            table.drop(conn)


def latest_assignments(conn: Connection) -> Table:
    """Fill ``assignment`` once per connection and return it."""
    if conn.info.get("negplan_report_assignment"):
        return assignment
    assignment.create(conn)
    a = t.assignments
    newest = select(func.max(a.c.id)).group_by(a.c.case_id)
    names = [c.name for c in assignment.columns]
    rows = select(*(a.c[name] for name in names)).where(a.c.id.in_(newest))
    conn.execute(assignment.insert().from_select(names, rows))
    conn.info["negplan_report_assignment"] = True
    return assignment


def _paid_by(arr: Any, day: Any) -> Any:
    """Cents paid to the arrangement up to and including ``day`` (a correlated subquery)."""
    p = t.payments
    return (
        select(func.coalesce(func.sum(cents(p.c.amount)), 0))
        .where(
            p.c.case_id == arr.c.case_id,
            p.c.paid_on >= arr.c.signed_on,
            p.c.paid_on < arr.c.ends,
            p.c.paid_on <= day,
        )
        .correlate_except(p)
        .scalar_subquery()
    )


def _fill_schedule(conn: Connection) -> None:
    i = t.installments
    ranked = select(
        i.c.fingerprint,
        func.row_number().over(partition_by=i.c.fingerprint, order_by=i.c.number),
        i.c.due,
        func.sum(cents(i.c.amount)).over(
            partition_by=i.c.fingerprint, order_by=i.c.number, rows=(None, 0)
        ),
    )
    conn.execute(schedule.insert().from_select(["fingerprint", "rank", "due", "through"], ranked))


def _base() -> Any:
    """Agreements with when they stopped being in force, and their labels."""
    a, a2, c = t.agreements, t.agreements.alias("newer"), t.contacts
    newer = (
        select(func.min(a2.c.signed_on))
        .where(a2.c.case_id == a.c.case_id, a2.c.signed_on > a.c.signed_on)
        .correlate_except(a2)
        .scalar_subquery()
    )
    executive = (
        select(c.c.by_name)
        .where(
            c.c.case_id == a.c.case_id,
            c.c.outcome == "conversation",
            func.substr(c.c.at, 1, 10) <= a.c.signed_on,
        )
        .order_by(c.c.at.desc(), c.c.id.desc())
        .limit(1)
        .correlate_except(c)
        .scalar_subquery()
    )
    return select(
        a.c.fingerprint,
        a.c.case_id,
        a.c.currency,
        a.c.signed_on,
        a.c.grace_days,
        a.c.missed_before_default.label("m"),
        func.coalesce(newer, FAR_FUTURE).label("ends"),
        func.coalesce(json_text(a.c.terms, "option"), "unknown").label("option"),
        func.coalesce(json_text(a.c.terms, "jurisdiction"), "unknown").label("jurisdiction"),
        cents(func.coalesce(json_text(a.c.terms, "balance", "total"), a.c.total)).label("balance"),
        func.coalesce(executive, "(not logged)").label("executive"),
    ).subquery("arrangement")


def materialise(conn: Connection, as_of: date) -> Table:
    """Fill the temporary tables for ``as_of`` (once per connection) and return ``facts``."""
    done = conn.info.get("negplan_report_facts")
    if done == as_of:
        return facts
    if done is not None:
        facts.drop(conn)
        schedule.drop(conn)
    facts.create(conn)
    schedule.create(conn)
    conn.info["negplan_report_schedule"] = True
    _fill_schedule(conn)
    today = as_of.isoformat()
    arr, s, k = _base(), schedule.alias("s"), schedule.alias("k")
    i = t.installments

    def per_arrangement(query: Any) -> Any:
        return query.correlate(arr).scalar_subquery()

    count = per_arrangement(select(func.max(s.c.rank)).where(s.c.fingerprint == arr.c.fingerprint))
    total = per_arrangement(
        select(func.max(s.c.through)).where(s.c.fingerprint == arr.c.fingerprint)
    )
    largest = per_arrangement(
        select(func.max(cents(i.c.amount))).where(i.c.fingerprint == arr.c.fingerprint)
    )
    last_due = per_arrangement(
        select(func.max(s.c.due)).where(s.c.fingerprint == arr.c.fingerprint)
    )
    checkpoint = plus_days(s.c.due, arr.c.grace_days + 1)
    broke_at = per_arrangement(
        select(func.min(k.c.rank))
        .select_from(s.join(k, k.c.fingerprint == s.c.fingerprint))
        .where(
            s.c.fingerprint == arr.c.fingerprint,
            k.c.rank == s.c.rank - arr.c.m + 1,
            checkpoint <= today,
            checkpoint < arr.c.ends,
            _paid_by(arr, checkpoint) < k.c.through,
        )
    )
    day_after_due = plus_days(s.c.due, literal(1))
    fell_behind = exists(
        select(s.c.rank)
        .where(
            s.c.fingerprint == arr.c.fingerprint,
            day_after_due <= today,
            day_after_due < arr.c.ends,
            _paid_by(arr, day_after_due) < s.c.through,
        )
        .correlate(arr)
    )
    owed_now = per_arrangement(
        select(func.coalesce(func.max(s.c.through), 0)).where(
            s.c.fingerprint == arr.c.fingerprint, s.c.due < today
        )
    )
    first_close = plus_days(s.c.due, arr.c.grace_days)
    first_fallen_due = first_close < today
    first_due = per_arrangement(
        select(func.max(case((first_fallen_due, 1), else_=0))).where(
            s.c.fingerprint == arr.c.fingerprint, s.c.rank == 1
        )
    )
    first_honoured = per_arrangement(
        select(
            func.max(
                case(
                    (and_(first_fallen_due, _paid_by(arr, first_close) >= s.c.through), 1),
                    else_=0,
                )
            )
        ).where(s.c.fingerprint == arr.c.fingerprint, s.c.rank == 1)
    )
    p = t.payments
    first_paid_on = per_arrangement(
        select(func.min(p.c.paid_on)).where(
            p.c.case_id == arr.c.case_id,
            p.c.paid_on >= arr.c.signed_on,
            p.c.paid_on < arr.c.ends,
            p.c.paid_on <= today,
            p.c.amount.not_like("-%"),
        )
    )
    collected = _paid_by(arr, literal(today))
    query = select(
        arr,
        count,
        total,
        largest,
        collected,
        broke_at,
        case((fell_behind, 1), else_=0),
        case((collected < owed_now, 1), else_=0),
        case((plus_days(last_due, arr.c.grace_days) < today, 1), else_=0),
        first_due,
        first_honoured,
        first_paid_on,
    )
    conn.execute(facts.insert().from_select([c.name for c in facts.columns], query))
    conn.info["negplan_report_facts"] = as_of
    return facts
