"""``batch`` with a ledger: each case brought up to date in its worker (SPEC §8).

Each worker process opens the ledger once, on its first case (a database connection must not
cross a fork), and reads one case at a time through the ``case_id`` indexes, so a ledger of other
cases' events costs little and memory stays flat. A case whose arrangement is on track (or cured)
is planned as usual but not queued for a call: the debtor is keeping to the deal.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

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


def brought_up_to_date(case: Case, location: str, as_of: date, grace_days: int) -> LedgerView:
    """``case`` with this ledger's events (one read transaction on the worker's connection)."""
    from negplan.core.ledger_case import with_ledger

    return with_ledger(case, case_history(case.case_id, location), as_of, grace_days)


def case_history(case_id: str, location: str) -> CaseHistory:
    """The case's events, on this worker's connection (``negplan today`` also reads the promises
    and arrangements behind the reason for each call)."""
    from negplan.io.ledger import Ledger
    from negplan.io.ledger.events import histories

    book = _OPEN.get(location)
    if book is None:
        book = _OPEN[location] = Ledger(location)
    with book.read() as conn:
        return histories(conn, [case_id])[case_id]
