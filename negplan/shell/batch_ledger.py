"""``batch`` with a ledger: each case brought up to date in its worker (SPEC §8).

Each worker process opens the ledger once, on its first chunk (a database connection must not
cross a fork), and reads the events of a whole chunk of cases in one read transaction, one query
a table through the ``case_id`` indexes (:func:`read_chunk`). Per case, that was a transaction
(a connection check-out, ``BEGIN``, ``COMMIT``) and six queries; per chunk of 32 it is one and
seven. A ledger of other cases' events costs little, and memory holds one chunk's events. A case
whose arrangement is on track (or cured) is planned as usual but not queued for a call: the
debtor is keeping to the deal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field
from datetime import date
from typing import TYPE_CHECKING

from negplan.records import record

if TYPE_CHECKING:
    from negplan.core.case import Case
    from negplan.core.ledger_case import LedgerView
    from negplan.core.ledger_events import CaseHistory
    from negplan.io.ledger import Ledger

_OPEN: dict[str, Ledger] = {}  # this process's open ledger, by location


def check(location: str) -> None:
    """Open (and migrate) the ledger once before the workers start: a bad ledger fails the run
    at once, with one message, instead of failing every case."""
    from negplan.io.ledger import Ledger
    from negplan.shell.ledger_prep import must_exist

    must_exist(location)
    Ledger(location).close()


@record
class ChunkEvents:
    """The events of a chunk's cases, or why they could not be read (each case reports it)."""

    histories: dict[str, CaseHistory] = field(default_factory=dict)
    error: Exception | None = None


def read_chunk(location: str, case_ids: Sequence[str]) -> ChunkEvents:
    """The events of ``case_ids`` in one read transaction on the worker's connection.

    A failure (the server went away, a lock timed out) is not raised here: each case of the
    chunk reports it as its own error, as it would have had it read its events alone, and the
    run goes on with the next chunk.
    """
    from negplan.io.ledger import Ledger
    from negplan.io.ledger.events import histories

    if not case_ids:
        return ChunkEvents()
    try:
        book = _OPEN.get(location)
        if book is None:
            book = _OPEN[location] = Ledger(location)
        with book.read() as conn:
            return ChunkEvents(histories(conn, case_ids))
    except Exception as exc:  # reported by every case of the chunk, never the end of the run
        return ChunkEvents(error=exc)


def brought_up_to_date(case: Case, events: ChunkEvents, as_of: date, grace_days: int) -> LedgerView:
    """``case`` with its chunk's events applied (SPEC §8)."""
    from negplan.core.ledger_case import with_ledger
    from negplan.core.ledger_events import CaseHistory

    if events.error is not None:
        raise events.error
    history = events.histories.get(case.case_id) or CaseHistory(case.case_id)
    return with_ledger(case, history, as_of, grace_days)
