"""Writing events into the ledger and reading a case's history back for the core (SPEC §8).

Each function takes a connection inside the caller's transaction (``Ledger.write()``): a command
records all of its events, or none. Nothing here decides a state; :mod:`negplan.core.arrangements`
does, from what :func:`histories` returns.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import Connection, Table, bindparam, select

from negplan.core.case import OptOut
from negplan.core.ledger_events import (
    Arrangement,
    CaseHistory,
    Installment,
    LedgerContact,
    LedgerPayment,
    Promise,
)
from negplan.io.ledger import schema as t
from negplan.records import record


def new_event_id() -> str:
    return str(uuid.uuid4())


def recorded_now() -> str:
    """When an event was written, in UTC: the order of record, not the time of the event."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def money_text(value: Decimal) -> str:
    """The exact decimal as stored: no exponent, every digit kept (``1E+2`` is ``100``)."""
    return format(value, "f")


def record_contact(
    conn: Connection,
    case_id: str,
    *,
    at: datetime,
    channel: str,
    outcome: str,
    by: str | None,
    note: str | None,
) -> None:
    conn.execute(
        t.contacts.insert().values(
            event_id=new_event_id(),
            case_id=case_id,
            recorded_at=recorded_now(),
            at=at.isoformat(),
            channel=channel,
            outcome=outcome,
            by_name=by,
            note=note,
        )
    )


def record_opt_out(
    conn: Connection, case_id: str, place: OptOut, *, at: datetime, by: str | None
) -> None:
    conn.execute(
        t.opt_outs.insert().values(
            event_id=new_event_id(),
            case_id=case_id,
            recorded_at=recorded_now(),
            place=place.value,
            at=at.isoformat(),
            by_name=by,
        )
    )


def record_promise(
    conn: Connection, case_id: str, *, made_on: date, due: date, amount: Decimal, by: str | None
) -> str:
    event_id = new_event_id()
    conn.execute(
        t.promises.insert().values(
            event_id=event_id,
            case_id=case_id,
            recorded_at=recorded_now(),
            made_on=made_on.isoformat(),
            due=due.isoformat(),
            amount=money_text(amount),
            by_name=by,
        )
    )
    return event_id


@record
class Tracked:
    """What ``track`` did with one agreement."""

    arrangement: Arrangement
    new: bool  # False: the fingerprint was already tracked (nothing written)


def record_agreement(
    conn: Connection, arrangement: Arrangement, terms: dict[str, Any], source: str | None
) -> Tracked:
    """Track a signed agreement once: a second ``track`` of the same fingerprint writes nothing."""
    known = conn.execute(
        select(t.agreements.c.fingerprint).where(
            t.agreements.c.fingerprint == arrangement.fingerprint
        )
    ).first()
    if known is not None:
        return Tracked(arrangement, new=False)
    a = arrangement
    conn.execute(
        t.agreements.insert().values(
            event_id=new_event_id(),
            case_id=a.case_id,
            recorded_at=recorded_now(),
            fingerprint=a.fingerprint,
            currency=a.currency,
            issued=a.issued.isoformat(),
            signed_on=a.signed_on.isoformat(),
            total=money_text(a.total),
            grace_days=a.grace_days,
            missed_before_default=a.missed_before_default,
            source=source,
            terms=json.dumps(terms, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
        )
    )
    conn.execute(
        t.installments.insert(),
        [
            {
                "fingerprint": a.fingerprint,
                "number": i.number,
                "due": i.due.isoformat(),
                "amount": money_text(i.amount),
            }
            for i in a.installments
        ],
    )
    return Tracked(arrangement, new=True)


def record_cancellation(
    conn: Connection,
    arrangement: Arrangement,
    *,
    on: date,
    reason: str,
    by: str | None,
) -> None:
    """The creditor cancelled ``arrangement`` from ``on`` (``negplan cancel``). An event like
    any other: the agreement's own rows stay as they were, and its state is derived."""
    conn.execute(
        t.cancellations.insert().values(
            event_id=new_event_id(),
            case_id=arrangement.case_id,
            recorded_at=recorded_now(),
            fingerprint=arrangement.fingerprint,
            cancelled_on=on.isoformat(),
            reason=reason,
            by_name=by,
        )
    )


#: Built once: ``followup`` records thousands of letters in one run, and building and keying
#: a statement costs more than executing it.
_DOCUMENT: Final = t.documents.insert()


def record_document(
    conn: Connection, case_id: str, fingerprint: str, kind: str, issued_on: date, path: str | None
) -> None:
    """A document negplan issued, so ``verify`` can tell it from one negplan did not issue."""
    conn.execute(
        _DOCUMENT,
        {
            "event_id": new_event_id(),
            "case_id": case_id,
            "recorded_at": recorded_now(),
            "fingerprint": fingerprint,
            "kind": kind,
            "issued_on": issued_on.isoformat(),
            "path": path,
        },
    )


def issued_fingerprint(conn: Connection, fingerprint: str) -> bool:
    """Whether the ledger recorded issuing (or tracking) a document with this fingerprint."""
    for table in (t.documents, t.agreements):
        hit = conn.execute(
            select(table.c.id).where(table.c.fingerprint == fingerprint).limit(1)
        ).first()
        if hit is not None:
            return True
    return False


def known_cases(conn: Connection) -> set[str]:
    """Every case the ledger has heard of, from any event but payments."""
    cases: set[str] = set()
    for table in (t.contacts, t.opt_outs, t.promises, t.agreements, t.documents, t.cancellations):
        cases |= set(conn.execute(select(table.c.case_id).distinct()).scalars())
    return cases


def all_case_ids(conn: Connection) -> list[str]:
    return sorted(
        known_cases(conn) | set(conn.execute(select(t.payments.c.case_id).distinct()).scalars())
    )


#: ``SELECT … WHERE <key> = ?`` per (dialect, table, key), compiled once per process.
_BY_KEY: dict[tuple[str, str, str], tuple[str, bool]] = {}


def _rows(conn: Connection, table: Table, key: str, values: list[str] | None) -> list[Any]:
    """The rows of ``table`` whose ``key`` is one of ``values`` (all rows for ``None``).

    ``prep`` and each ``batch`` worker read one case at a time; SQLAlchemy's per-execution work
    (cache keys, parameter processing) cost ten times the query itself, so the one-value query is
    compiled once for the dialect and run through the driver.
    """
    if values is None or len(values) != 1:
        query = select(table).order_by(table.c.id)
        if values is not None:
            query = query.where(table.c[key].in_(values))
        return list(conn.execute(query).mappings())
    slot = (conn.dialect.name, table.name, key)
    cached = _BY_KEY.get(slot)
    if cached is None:
        query = select(table).where(table.c[key] == bindparam("value")).order_by(table.c.id)
        compiled = query.compile(dialect=conn.dialect)
        cached = _BY_KEY[slot] = (str(compiled), compiled.positional)
    sql, positional = cached
    params: Any = (values[0],) if positional else {"value": values[0]}
    return list(conn.exec_driver_sql(sql, params).mappings())


def earliest_cancellations(rows: Iterable[Any]) -> dict[str, Any]:
    """The cancellation that ends each agreement, by fingerprint: the earliest (``cancel``)."""
    cancelled: dict[str, Any] = {}
    for row in rows:
        known = cancelled.get(row["fingerprint"])
        if known is None or row["cancelled_on"] < known["cancelled_on"]:
            cancelled[row["fingerprint"]] = row
    return cancelled


def cancelled_fields(cancel: Any) -> dict[str, Any]:
    """An :class:`Arrangement`'s cancellation fields from a ``cancellations`` row (or none)."""
    if cancel is None:
        return {}
    return {
        "cancelled_on": date.fromisoformat(cancel["cancelled_on"]),
        "cancel_reason": cancel["reason"],
        "cancelled_by": cancel["by_name"],
    }


def histories(conn: Connection, case_ids: Iterable[str] | None = None) -> dict[str, CaseHistory]:
    """Every event of the cases asked for (all cases when ``None``), as core records."""
    wanted = None if case_ids is None else sorted(set(case_ids))
    parts: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    schedule: dict[str, list[Installment]] = defaultdict(list)
    agreements = _rows(conn, t.agreements, "case_id", wanted)
    prints = [row["fingerprint"] for row in agreements]
    if prints:
        for row in _rows(conn, t.installments, "fingerprint", prints):
            schedule[row["fingerprint"]].append(
                Installment(row["number"], date.fromisoformat(row["due"]), Decimal(row["amount"]))
            )
    cancelled = (
        earliest_cancellations(_rows(conn, t.cancellations, "case_id", wanted)) if prints else {}
    )
    for row in agreements:
        cancel = cancelled.get(row["fingerprint"])
        parts[row["case_id"]]["arrangements"].append(
            Arrangement(
                row["fingerprint"],
                row["case_id"],
                row["currency"],
                date.fromisoformat(row["issued"]),
                date.fromisoformat(row["signed_on"]),
                Decimal(row["total"]),
                tuple(sorted(schedule[row["fingerprint"]], key=lambda i: i.number)),
                row["grace_days"],
                row["missed_before_default"],
                **cancelled_fields(cancel),
            )
        )
    for row in _rows(conn, t.promises, "case_id", wanted):
        parts[row["case_id"]]["promises"].append(
            Promise(
                row["event_id"],
                row["case_id"],
                date.fromisoformat(row["made_on"]),
                date.fromisoformat(row["due"]),
                Decimal(row["amount"]),
                row["by_name"],
            )
        )
    for row in _rows(conn, t.payments, "case_id", wanted):
        parts[row["case_id"]]["payments"].append(
            LedgerPayment(
                row["reference"],
                row["case_id"],
                date.fromisoformat(row["paid_on"]),
                Decimal(row["amount"]),
                row["id"],
            )
        )
    for row in _rows(conn, t.contacts, "case_id", wanted):
        parts[row["case_id"]]["contacts"].append(
            LedgerContact(
                row["case_id"],
                datetime.fromisoformat(row["at"]),
                row["channel"],
                row["outcome"],
                row["by_name"],
                row["note"],
            )
        )
    for row in _rows(conn, t.opt_outs, "case_id", wanted):
        parts[row["case_id"]]["opt_outs"].append(OptOut(row["place"]))
    cases = wanted if wanted is not None else sorted(parts)
    return {
        case: CaseHistory(
            case,
            arrangements=tuple(parts[case]["arrangements"]),
            promises=tuple(parts[case]["promises"]),
            payments=tuple(parts[case]["payments"]),
            contacts=tuple(parts[case]["contacts"]),
            opt_outs=frozenset(parts[case]["opt_outs"]),
        )
        for case in cases
    }
