"""Follow-ups in the ledger: the agreed terms they rely on, and each action issued once (SPEC §9).

``claim`` inserts the action's key with the database's own "insert unless there" (``ON CONFLICT
DO NOTHING`` on SQLite and PostgreSQL alike): of two executives running ``followup`` at the same
moment, exactly one claims each action, and only the one that claimed it issues its letter.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Connection, select

from negplan.core.case import OptOut
from negplan.core.compliance.contact_hours import ContactHours
from negplan.core.followup_terms import Action, AgreedTerms
from negplan.core.followups import DEFAULT_CURE_DAYS
from negplan.io.ledger import schema as t
from negplan.io.ledger.events import new_event_id, recorded_now

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
    wanted = None if case_ids is None else sorted(set(case_ids))
    if wanted is not None:
        query = query.where(t.agreements.c.case_id.in_(wanted))
    terms = {
        row.fingerprint: terms_from_record(
            row.fingerprint, json.loads(row.terms), collector_clauses
        )
        for row in conn.execute(query)
    }
    return apply_facts(conn, wanted, terms)


def apply_facts(
    conn: Connection, case_ids: list[str] | None, terms: dict[str, AgreedTerms]
) -> dict[str, AgreedTerms]:
    """``terms`` with the case file's facts recorded beside each agreement (:func:`record_facts`):
    opt-outs are a union (one recorded once holds for ever, 12 CFR 1006.14(h)); the latest
    decision on consequences holds."""
    query = select(t.agreement_facts).order_by(t.agreement_facts.c.id)
    if case_ids is not None:
        query = query.where(t.agreement_facts.c.case_id.in_(case_ids))
    for row in conn.execute(query):
        known = terms.get(row.fingerprint)
        if known is None:
            continue  # facts of an agreement issued but never tracked
        decided = None if row.consequences is None else tuple(json.loads(row.consequences))
        until = row.litigation_until
        hours = row.contact_hours
        terms[row.fingerprint] = replace(
            known,
            debtor_mobile=row.debtor_mobile or known.debtor_mobile,
            contact_hours=known.contact_hours
            if hours is None
            else ContactHours.from_data(json.loads(hours)),
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
    debtor_mobile: str | None = None,
    contact_hours: ContactHours | None = None,
) -> None:
    """What the case file said when the agreement ``fingerprint`` was issued: the debtor's
    opt-outs, the ``no_deal.actions`` lawful then (``None``: the case recorded no
    ``no_deal``), the debtor's mobile number (E.164; ``None``: none known), and where they may
    be and when not to contact them. ``followup`` holds every later letter to them, texts
    reminders to that number, and only in those hours (SPEC §6a, §9)."""
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
            debtor_mobile=debtor_mobile,
            contact_hours=None
            if contact_hours is None
            else json.dumps(contact_hours.to_data(), sort_keys=True),
        )
    )


def issued_keys(conn: Connection) -> dict[str, date]:
    """The key of every follow-up already issued, with the day it was issued (periods that a
    notice gives run from it)."""
    rows = conn.execute(select(t.followups.c.key, t.followups.c.issued_on))
    return {key: date.fromisoformat(on) for key, on in rows}


@cache
def _insert(dialect: str) -> Any:
    """The claiming insert, built once per dialect: ``followup`` claims thousands of actions in
    one run, and building and keying a statement costs more than executing it."""
    if dialect == "postgresql":
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
    recorded_at: str | None = None,
) -> bool:
    """Record ``action`` as issued (with its letter's fingerprint and file); ``False`` when it
    already was, by this run or another. Only an insert: the ledger never rewrites a row.
    ``recorded_at`` is when the run read the ledger (``followup`` gives it: an event written
    after that moment is one the run did not see); the moment of the insert without it."""
    result = conn.execute(
        _insert(conn.dialect.name),
        {
            "event_id": new_event_id(),
            "case_id": action.case_id,
            "recorded_at": recorded_at or recorded_now(),
            "key": action.key,
            "kind": action.kind.value,
            "due_on": action.on.isoformat(),
            "issued_on": issued_on.isoformat(),
            "channel": action.channel,
            "by_name": by,
            "fingerprint": fingerprint,
            "path": path,
        },
    )
    return bool(result.rowcount)
