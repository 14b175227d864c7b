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
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import Connection, Numeric, String, and_, case, cast, func, or_, select

from negplan.core.case import OptOut
from negplan.core.followup_terms import AgreedTerms
from negplan.core.followups import DEFAULT_CURE_DAYS, POSTAL_DAYS, UK_REMEDY_DAYS
from negplan.core.ledger_events import (
    Arrangement,
    CaseHistory,
    Installment,
    LedgerPayment,
    Promise,
)
from negplan.core.rules import MAX_GRACE_DAYS
from negplan.io.ledger import schema as t
from negplan.io.ledger.events import cancelled_fields, earliest_cancellations
from negplan.io.ledger.followups import apply_facts, terms_from_record

#: Cases read per query: well under the bound-parameter limits of SQLite (32,766) and psycopg.
_CHUNK: Final = 5_000
#: How much earlier than the last run's read an event counts as new: more than a write
#: transaction stays open (a lock waits 30 s, ``connect.BUSY_TIMEOUT_MS``; an import of a few
#: hundred thousand payments takes minutes) and than two machines' clocks differ. Too much
#: costs a case replayed once more; too little would lose a follow-up.
_SETTLE: Final = timedelta(hours=1)


def candidate_cases(conn: Connection, day: date, reminder_days: int) -> set[str] | None:
    """The cases a follow-up can have become due for since ``followup`` last issued anything;
    ``None`` (every case) when it never has, or last issued for a day after ``day`` (a
    reminder that run did not offer, its installment being due by then, can be due today). A
    superset, found by the database:

    * an installment due after ``day`` and by ``day`` + the reminder days has had no reminder
      issued (a reminder is offered only before the due date; whatever the reminder days were
      when that run ran);
    * the payments recorded for the case since the agreement was signed are less than its
      installments due by ``day`` (in arrears), and either an installment's grace days ran
      out since that run (its missed-payment letter, the UK arrears and default notices fall
      due then; the widest and narrowest grace the agreements state bound it) or a
      missed-payment letter or notice was issued, the agreement's consequence was not, and the
      fewest days the agreement gives after such a notice have run since the case's first one
      (:func:`_consequence_wait`).
      A case in arrears with neither has had every letter its arrears call for so far, and
      nothing new falls due for it until one of these changes (or a payment, below);
    * an agreement neither confirmed nor completed (tracked since);
    * a payment paid after that run's day (that run did not count it), or recorded since that
      run read the ledger (a late import or a reversal reopens what it paid; the last payment
      completes an arrangement); one paid by that day and recorded before it was in that run's
      replay;
    * a promise with no call task issued, due since that day less the most grace days the rules
      allow (a rules change can make it broken since), or recorded since that run read the
      ledger (a promise noted late, ``negplan promise --at``);
    * the case file's facts recorded since that run read the ledger (a mobile number gives
      reminders a channel).

    "Since that run read the ledger" is read with :data:`_SETTLE` to spare: an event carries the
    moment it was written, not committed, so a write still open when the run read (a long
    import) is older than that moment; and executives' machines keep their own clocks.

    A case outside all of these has nothing that can newly be true: no date that brings a
    follow-up passed, nothing was recorded for it, and its arrears (if any) had their letters.
    """
    last = conn.execute(
        select(func.max(t.followups.c.issued_on), func.max(t.followups.c.recorded_at))
    ).one()
    if last[0] is None or date.fromisoformat(last[0]) > day:
        return None  # never run, or run for a later day: a reminder may be due again today
    ran = date.fromisoformat(last[0])
    since = ran - timedelta(days=1)
    settled = (datetime.fromisoformat(last[1]) - _SETTLE).isoformat(timespec="seconds")
    low = (day + timedelta(days=1)).isoformat()  # reminded only before the due date
    high = (day + timedelta(days=reminder_days)).isoformat()
    a, i, p, f = t.agreements, t.installments, t.payments, t.followups
    # Installments whose grace days ran out since that run (missed the day after): due between
    # that day less the widest grace any agreement gives and ``day`` less the narrowest.
    narrowest, widest = conn.execute(
        select(func.min(a.c.grace_days), func.max(a.c.grace_days))
    ).one()
    lapsed_from = (since - timedelta(days=(widest or 0) + 1)).isoformat()
    lapsed_to = (day - timedelta(days=(narrowest or 0) + 1)).isoformat()
    reminded = select(f.c.id).where(
        f.c.key == i.c.fingerprint + ":reminder:" + cast(i.c.number, String)
    )
    dated = (  # one pass over the installments, keeping those of the two windows
        select(
            i.c.fingerprint,
            func.max(
                case((and_(i.c.due.between(low, high), ~reminded.exists()), 1), else_=0)
            ).label("soon"),
        )
        .where(or_(i.c.due.between(low, high), i.c.due.between(lapsed_from, lapsed_to)))
        .group_by(i.c.fingerprint)
        .subquery()
    )
    warned = (  # the case's first missed-payment letter or default notice
        select(f.c.case_id, func.min(f.c.issued_on).label("on"))
        .where(f.c.kind.in_(("missed_payment", "default_notice")))
        .group_by(f.c.case_id)
        .subquery()
    )
    # In arrears: the case's payments since the agreement was signed are less than its
    # installments due by ``day`` (worked out only for the agreements either window or a notice
    # names, by their indexes). A payment goes to the arrangement in force on its day
    # (``core.arrangements``), so one made under an earlier agreement pays nothing of this one:
    # counted, it would hide a renegotiated deal's arrears and its letters.
    owed = select(func.sum(cast(i.c.amount, Numeric))).where(
        i.c.fingerprint == a.c.fingerprint, i.c.due <= day.isoformat()
    )
    paid = select(func.coalesce(func.sum(cast(p.c.amount, Numeric)), 0)).where(
        p.c.case_id == a.c.case_id, p.c.paid_on >= a.c.signed_on
    )
    acted = select(f.c.id).where(f.c.key == a.c.fingerprint + ":consequence").exists()
    named = (
        select(
            a.c.fingerprint,
            a.c.case_id,
            dated.c.soon,
            warned.c.on,
            paid.scalar_subquery() < owed.scalar_subquery(),
            acted,
        )
        .outerjoin(dated, dated.c.fingerprint == a.c.fingerprint)
        .outerjoin(warned, warned.c.case_id == a.c.case_id)
        .where(or_(dated.c.fingerprint.is_not(None), warned.c.on.is_not(None)))
    )
    cases: set[str] = set()
    waiting: dict[str, tuple[str, date]] = {}
    for fingerprint, case_id, soon, warned_on, owing, consequence in conn.execute(named):
        if soon:  # a reminder's day
            cases.add(case_id)
        elif not owing:
            continue
        elif soon is not None:  # in arrears, and an installment's grace days ran out
            cases.add(case_id)
        elif warned_on is not None and not consequence:
            waiting[fingerprint] = (case_id, date.fromisoformat(warned_on))
    prints = sorted(waiting)
    for start in range(0, len(prints), _CHUNK):
        chunk = prints[start : start + _CHUNK]
        for fingerprint, record in conn.execute(
            select(a.c.fingerprint, a.c.terms).where(a.c.fingerprint.in_(chunk))
        ):
            case_id, warned_on = waiting[fingerprint]
            if warned_on + _consequence_wait(record) <= day:
                cases.add(case_id)
    # Confirmed, or completed (then the paid-in-full letter is the only one: no confirmation).
    confirmed = f.c.key.in_((a.c.fingerprint + ":confirmation", a.c.fingerprint + ":completion"))
    unconfirmed = select(a.c.case_id).where(~select(f.c.id).where(confirmed).exists())
    moved = select(p.c.case_id).where(
        or_(p.c.paid_on > ran.isoformat(), p.c.recorded_at >= settled)
    )
    pr = t.promises
    tasked = select(f.c.id).where(f.c.key == "promise:" + pr.c.event_id).exists()
    promised = select(pr.c.case_id).where(
        or_(
            and_(pr.c.due >= (since - timedelta(days=MAX_GRACE_DAYS + 1)).isoformat(), ~tasked),
            pr.c.recorded_at >= settled,
        )
    )
    facts = select(t.agreement_facts.c.case_id).where(t.agreement_facts.c.recorded_at >= settled)
    for query in (
        unconfirmed,
        moved.distinct(),
        promised.distinct(),
        facts.distinct(),
    ):
        cases.update(conn.execute(query).scalars())
    return cases


def _consequence_wait(record: str) -> timedelta:
    """The fewest days after its notice that an agreement's consequence can fall due: the cure
    days its record states, plus one (``core.followups._default_actions``), or a UK default
    notice's service and remedy days, plus one (CCA 1974 s.88(2)), whichever is fewer."""
    cure = json.loads(record).get("missed_payment", {}).get("cure_days", DEFAULT_CURE_DAYS)
    return timedelta(days=min(int(cure), POSTAL_DAYS + UK_REMEDY_DAYS) + 1)


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
