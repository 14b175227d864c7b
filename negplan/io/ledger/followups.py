"""Follow-ups in the ledger: the agreed terms they rely on, and each action issued once (SPEC §9).

``claim`` inserts the action's key with the database's own "insert unless there" (``ON CONFLICT
DO NOTHING`` on SQLite and PostgreSQL alike): of two executives running ``followup`` at the same
moment, exactly one claims each action, and only the one that claimed it issues its letter.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import Connection, Numeric, cast, func, or_, select

from negplan.core.case import OptOut
from negplan.core.followups import DEFAULT_CURE_DAYS, Action, AgreedTerms
from negplan.core.ledger_events import CaseHistory
from negplan.io.ledger import schema as t
from negplan.io.ledger.events import histories, new_event_id, recorded_now

#: Agreement kinds whose total is less than the balance: completed, they are "settled in full".
_REDUCED = frozenset({"settlement", "settlement_installments", "plan_reduced"})


def terms_from_record(
    print_: str, record: dict[str, Any], collector_clauses: frozenset[str] = frozenset()
) -> AgreedTerms:
    """The terms a follow-up relies on, as the signed agreement's record states them.

    ``collector_clauses`` are the collector disclosures the shipped profiles make (as the
    agreement prints them): the one the agreement made is repeated in every letter after it
    (15 U.S.C. § 1692e(11)).

    ``missed_payment.cure_days`` is read where the record states it; an older record that does
    not gets the default cure period (:data:`~negplan.core.followups.DEFAULT_CURE_DAYS`).
    """
    contacts = record.get("contacts", {})
    clauses = record.get("clauses", {})
    disclosures = clauses.get("disclosures", [])
    default = clauses.get("missed_payment", [])
    notice = next((c for c in disclosures if c in collector_clauses), "")
    missed = record.get("missed_payment", {})
    jurisdiction = str(record["jurisdiction"])
    return AgreedTerms(
        fingerprint=print_,
        case_id=str(record["case_id"]),
        jurisdiction=jurisdiction,
        country=jurisdiction.partition("-")[0],
        currency=str(record["currency"]),
        creditor=str(record["creditor"]),
        creditor_phone=str(contacts.get("creditor_phone", "")),
        creditor_address=str(contacts.get("creditor_address", "")),
        debtor=str(record["debtor"]),
        debtor_address=str(contacts.get("debtor_address", "")),
        debtor_email=str(contacts.get("debtor_email", "")),
        account_ref=str(record["account_ref"]),
        settlement=record.get("option") in _REDUCED,
        balance=Decimal(record["balance"]["total"]),
        total=Decimal(record["total"]),
        cure_days=int(missed.get("cure_days", DEFAULT_CURE_DAYS)),
        reinstate_on_default=bool(missed.get("reinstate_balance_on_default", False)),
        reports_to_bureaus=bool(record.get("clauses", {}).get("credit_reporting")),
        collector_notice=notice,
        payment_clause=" ".join(str(c) for c in clauses.get("payment", [])),
        # missed_payment_clauses: [when missed and the cure, what default means, call us]
        default_clause=str(default[1]) if len(default) > 1 else "",
        agreed_on=date.fromisoformat(record["issued"]) if record.get("issued") else None,
    )


def agreed_terms(
    conn: Connection,
    case_ids: Iterable[str] | None = None,
    collector_clauses: frozenset[str] = frozenset(),
) -> dict[str, AgreedTerms]:
    """The terms of every tracked agreement (of ``case_ids`` when given), by fingerprint, with
    the case file's facts recorded when it was issued (:func:`record_facts`)."""
    query = select(t.agreements.c.fingerprint, t.agreements.c.terms)
    facts_query = select(t.agreement_facts).order_by(t.agreement_facts.c.id)
    if case_ids is not None:
        wanted = sorted(set(case_ids))
        query = query.where(t.agreements.c.case_id.in_(wanted))
        facts_query = facts_query.where(t.agreement_facts.c.case_id.in_(wanted))
    terms = {
        row.fingerprint: terms_from_record(
            row.fingerprint, json.loads(row.terms), collector_clauses
        )
        for row in conn.execute(query)
    }
    for row in conn.execute(facts_query):  # oldest first: the latest decision holds
        known = terms.get(row.fingerprint)
        if known is None:
            continue  # facts of an agreement issued but never tracked
        decided = None if row.consequences is None else tuple(json.loads(row.consequences))
        until = row.litigation_until
        terms[row.fingerprint] = replace(
            known,
            # An opt-out recorded once holds for ever (12 CFR 1006.14(h)): the union.
            case_opt_outs=known.case_opt_outs | {OptOut(o) for o in json.loads(row.opt_outs)},
            decided=() if decided is None else decided,
            litigation_until=None if until is None else date.fromisoformat(until),
        )
    return terms


def record_facts(
    conn: Connection,
    case_id: str,
    fingerprint: str,
    opt_outs: Iterable[OptOut],
    decided: Iterable[str] | None,
    litigation_until: date | None,
    source: str | None,
) -> None:
    """What the case file said when the agreement ``fingerprint`` was issued: the debtor's
    opt-outs and the ``no_deal.actions`` lawful then (``None``: the case recorded no
    ``no_deal``). ``followup`` holds every later letter to them (SPEC §6a, §9)."""
    conn.execute(
        t.agreement_facts.insert().values(
            event_id=new_event_id(),
            case_id=case_id,
            recorded_at=recorded_now(),
            fingerprint=fingerprint,
            opt_outs=json.dumps(sorted(o.value for o in opt_outs)),
            consequences=None if decided is None else json.dumps(sorted(decided)),
            litigation_until=None if litigation_until is None else litigation_until.isoformat(),
            source=source,
        )
    )


#: Cases read per query: well under the bound-parameter limits of SQLite (32,766) and psycopg.
_CHUNK: Final = 5_000


def case_reads(
    conn: Connection, case_ids: Iterable[str], collector_clauses: frozenset[str] = frozenset()
) -> tuple[dict[str, CaseHistory], dict[str, AgreedTerms]]:
    """The histories and agreed terms of ``case_ids``, read a few thousand cases at a time."""
    wanted = sorted(set(case_ids))
    found: dict[str, CaseHistory] = {}
    terms: dict[str, AgreedTerms] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found.update(histories(conn, chunk))
        terms.update(agreed_terms(conn, chunk, collector_clauses))
    return found, terms


def candidate_cases(conn: Connection, day: date, reminder_days: int, grace: int) -> set[str] | None:
    """The cases a follow-up can have become due for since ``followup`` last issued anything;
    ``None`` (every case) when it never has. A superset, found by the database:

    * an installment falls due between the day before that run and ``day`` + the reminder days
      (reminders; a date passing);
    * the payments recorded for the case are less than its installments due by ``day`` (in
      arrears: missed-payment letters, notices, the consequence, all fall due later);
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
    cases: set[str] = set()
    due_soon = (
        select(a.c.case_id)
        .join(i, i.c.fingerprint == a.c.fingerprint)
        .where(i.c.due.between(low, high))
        .distinct()
    )
    owed = (
        select(a.c.case_id, func.sum(cast(i.c.amount, Numeric)).label("owed"))
        .join(i, i.c.fingerprint == a.c.fingerprint)
        .where(i.c.due <= day.isoformat())
        .group_by(a.c.case_id)
        .subquery()
    )
    paid = (
        select(p.c.case_id, func.sum(cast(p.c.amount, Numeric)).label("paid"))
        .group_by(p.c.case_id)
        .subquery()
    )
    arrears = (
        select(owed.c.case_id)
        .outerjoin(paid, paid.c.case_id == owed.c.case_id)
        .where(func.coalesce(paid.c.paid, 0) < owed.c.owed)
    )
    confirmed = t.followups.c.key == a.c.fingerprint + ":confirmation"
    unconfirmed = select(a.c.case_id).where(~select(t.followups.c.id).where(confirmed).exists())
    moved = select(p.c.case_id).where(or_(p.c.paid_on >= low, p.c.recorded_at >= last[1]))
    promised = select(t.promises.c.case_id).where(
        t.promises.c.due >= (since - timedelta(days=grace + 1)).isoformat()
    )
    for query in (due_soon, arrears, unconfirmed, moved.distinct(), promised.distinct()):
        cases.update(conn.execute(query).scalars())
    return cases


def issued_keys(conn: Connection) -> set[str]:
    """The keys of every follow-up already issued."""
    return set(conn.execute(select(t.followups.c.key)).scalars())


def _insert(conn: Connection) -> Any:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(t.followups).on_conflict_do_nothing(index_elements=["key"])
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(t.followups).on_conflict_do_nothing(index_elements=["key"])


def claim(
    conn: Connection,
    action: Action,
    issued_on: date,
    by: str | None,
    fingerprint: str | None = None,
    path: str | None = None,
) -> bool:
    """Record ``action`` as issued (with its letter's fingerprint and file); ``False`` when it
    already was, by this run or another. Only an insert: the ledger never rewrites a row."""
    result = conn.execute(
        _insert(conn).values(
            event_id=new_event_id(),
            case_id=action.case_id,
            recorded_at=recorded_now(),
            key=action.key,
            kind=action.kind.value,
            due_on=action.on.isoformat(),
            issued_on=issued_on.isoformat(),
            channel=action.channel,
            by_name=by,
            fingerprint=fingerprint,
            path=path,
        )
    )
    return bool(result.rowcount)
