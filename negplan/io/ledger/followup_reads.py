"""What ``followup`` reads from the ledger, and only for the cases that need it (SPEC §9).

A ledger of 100,000 arrangements holds over a million installments; on a given day a few
thousand letters are due. :func:`candidate_cases` asks the database which cases something can
have happened to since ``followup`` last issued anything (one scan of the installments, grouped
per agreement); :func:`case_reads` then reads those cases' agreements, installments, payments,
promises and opt-outs (contacts are not needed) a few thousand cases at a time, as plain tuples.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import Connection, Integer, Numeric, case, cast, func, or_, select

from negplan.core.case import OptOut
from negplan.core.followup_terms import AgreedTerms
from negplan.core.ledger_events import (
    Arrangement,
    CaseHistory,
    Installment,
    LedgerPayment,
    Promise,
)
from negplan.io.ledger import schema as t
from negplan.io.ledger.events import cancelled_fields, earliest_cancellations
from negplan.io.ledger.followups import apply_facts, terms_from_record

#: Cases read per query: well under the bound-parameter limits of SQLite (32,766) and psycopg.
_CHUNK: Final = 5_000


def candidate_cases(conn: Connection, day: date, reminder_days: int, grace: int) -> set[str] | None:
    """The cases a follow-up can have become due for since ``followup`` last issued anything;
    ``None`` (every case) when it never has. A superset, found by the database:

    * an installment falls due between the day before that run and ``day`` + the reminder days
      (reminders; a date passing);
    * the payments recorded for the case are less than its installments due by ``day`` (in
      arrears: missed-payment letters, notices and the consequence all fall due later);
    * an agreement without its confirmation (tracked since);
    * a payment paid on or after that day, or recorded since that run (a late import or a
      reversal reopens what it paid; the last payment completes an arrangement);
    * a promise due since that day less the grace days (a broken promise's call task).

    A case outside all of these has nothing that can newly be true: its installments are paid
    up to ``day``, nothing falls due, nothing was recorded for it.
    """
    last = conn.execute(
        select(func.max(t.followups.c.issued_on), func.max(t.followups.c.recorded_at))
    ).one()
    if last[0] is None:
        return None
    since = min(date.fromisoformat(last[0]), day) - timedelta(days=1)
    low, high = since.isoformat(), (day + timedelta(days=reminder_days)).isoformat()
    a, i, p = t.agreements, t.installments, t.payments
    per_agreement = (  # one pass over the installments
        select(
            i.c.fingerprint,
            func.sum(case((i.c.due <= day.isoformat(), cast(i.c.amount, Numeric)), else_=0)).label(
                "owed"
            ),
            func.max(case((i.c.due.between(low, high), 1), else_=0)).label("soon"),
        )
        .group_by(i.c.fingerprint)
        .subquery()
    )
    paid = (
        select(p.c.case_id, func.sum(cast(p.c.amount, Numeric)).label("paid"))
        .group_by(p.c.case_id)
        .subquery()
    )
    due_or_owed = (
        select(a.c.case_id)
        .join(per_agreement, per_agreement.c.fingerprint == a.c.fingerprint)
        .outerjoin(paid, paid.c.case_id == a.c.case_id)
        .where(
            or_(
                cast(per_agreement.c.soon, Integer) == 1,
                func.coalesce(paid.c.paid, 0) < per_agreement.c.owed,
            )
        )
    )
    confirmed = t.followups.c.key == a.c.fingerprint + ":confirmation"
    unconfirmed = select(a.c.case_id).where(~select(t.followups.c.id).where(confirmed).exists())
    moved = select(p.c.case_id).where(or_(p.c.paid_on >= low, p.c.recorded_at >= last[1]))
    promised = select(t.promises.c.case_id).where(
        t.promises.c.due >= (since - timedelta(days=grace + 1)).isoformat()
    )
    cases: set[str] = set()
    for query in (due_or_owed, unconfirmed, moved.distinct(), promised.distinct()):
        cases.update(conn.execute(query).scalars())
    return cases


def case_reads(
    conn: Connection, case_ids: Iterable[str], collector_clauses: frozenset[str] = frozenset()
) -> tuple[dict[str, CaseHistory], dict[str, AgreedTerms]]:
    """The histories (without contacts) and agreed terms of ``case_ids``, by chunks."""
    wanted = sorted(set(case_ids))
    found: dict[str, CaseHistory] = {}
    terms: dict[str, AgreedTerms] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        histories, agreed = _read_chunk(conn, chunk, collector_clauses)
        found.update(histories)
        terms.update(agreed)
    return found, terms


def _read_chunk(
    conn: Connection, chunk: list[str], clauses: frozenset[str]
) -> tuple[dict[str, CaseHistory], dict[str, AgreedTerms]]:
    a, i, p, pr, o = t.agreements, t.installments, t.payments, t.promises, t.opt_outs
    parts: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    agreements = conn.execute(
        select(a.c.fingerprint, a.c.case_id, a.c.currency, a.c.issued, a.c.signed_on,
               a.c.total, a.c.grace_days, a.c.missed_before_default, a.c.terms)
        .where(a.c.case_id.in_(chunk)).order_by(a.c.id)
    ).all()  # fmt: skip
    schedule: dict[str, list[Installment]] = defaultdict(list)
    prints = [row[0] for row in agreements]
    for start in range(0, len(prints), _CHUNK):
        rows = conn.execute(
            select(i.c.fingerprint, i.c.number, i.c.due, i.c.amount)
            .where(i.c.fingerprint.in_(prints[start : start + _CHUNK]))
        ).all()  # fmt: skip
        for fingerprint, number, due, amount in rows:
            schedule[fingerprint].append(
                Installment(number, date.fromisoformat(due), Decimal(amount))
            )
    c = t.cancellations  # a cancelled arrangement is followed up no more (``negplan cancel``)
    cancelled = earliest_cancellations(
        conn.execute(select(c).where(c.c.case_id.in_(chunk))).mappings() if prints else ()
    )
    terms: dict[str, AgreedTerms] = {}
    for row in agreements:
        fingerprint, case_id = row[0], row[1]
        parts[case_id]["arrangements"].append(
            Arrangement(
                fingerprint,
                case_id,
                row[2],
                date.fromisoformat(row[3]),
                date.fromisoformat(row[4]),
                Decimal(row[5]),
                tuple(sorted(schedule[fingerprint], key=lambda r: r.number)),
                row[6],
                row[7],
                **cancelled_fields(cancelled.get(fingerprint)),
            )
        )
        terms[fingerprint] = terms_from_record(fingerprint, json.loads(row[8]), clauses)
    query = select(p.c.reference, p.c.case_id, p.c.paid_on, p.c.amount, p.c.id)
    for ref, case_id, paid_on, amount, row_id in conn.execute(
        query.where(p.c.case_id.in_(chunk)).order_by(p.c.id)
    ).all():
        parts[case_id]["payments"].append(
            LedgerPayment(ref, case_id, date.fromisoformat(paid_on), Decimal(amount), row_id)
        )
    promises = select(
        pr.c.event_id, pr.c.case_id, pr.c.made_on, pr.c.due, pr.c.amount, pr.c.by_name
    )
    for pro in conn.execute(promises.where(pr.c.case_id.in_(chunk)).order_by(pr.c.id)).all():
        parts[pro[1]]["promises"].append(
            Promise(
                pro[0],
                pro[1],
                date.fromisoformat(pro[2]),
                date.fromisoformat(pro[3]),
                Decimal(pro[4]),
                pro[5],
            )
        )
    for case_id, place in conn.execute(
        select(o.c.case_id, o.c.place).where(o.c.case_id.in_(chunk))
    ).all():
        parts[case_id]["opt_outs"].append(OptOut(place))
    histories = {
        case_id: CaseHistory(
            case_id,
            arrangements=tuple(parts[case_id]["arrangements"]),
            promises=tuple(parts[case_id]["promises"]),
            payments=tuple(parts[case_id]["payments"]),
            opt_outs=frozenset(parts[case_id]["opt_outs"]),
        )
        for case_id in chunk
    }
    return histories, apply_facts(conn, chunk, terms)
