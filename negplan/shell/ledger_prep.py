"""``prep`` with a ledger: the case brought up to date before it is planned (SPEC §8).

A ledger is configured when ``--ledger`` or ``$NEGPLAN_LEDGER`` names one, or when the default
``negplan.db`` exists in the current folder (the file the ledger commands write by default, so
what an executive logged there is never ignored). ``prep`` never creates a ledger, and without
one it imports nothing of the database: :func:`configured` decides from a string and a ``stat``,
and SQLAlchemy is imported only by :func:`bring_up_to_date`.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from negplan.core.case import Case
    from negplan.core.ledger_case import LedgerView

DEFAULT_FILE = "negplan.db"


def configured(option: str | None) -> str | None:
    """The ledger ``prep`` should read, or ``None`` when there is none to read."""
    chosen = option or os.environ.get("NEGPLAN_LEDGER")
    if chosen:
        return chosen
    return DEFAULT_FILE if Path(DEFAULT_FILE).is_file() else None


def bring_up_to_date(case: Case, location: str, as_of: date, promise_grace_days: int) -> LedgerView:
    """Read the case's events (one read transaction) and apply them to the case."""
    from negplan.core.ledger_case import with_ledger
    from negplan.io.ledger import Ledger
    from negplan.io.ledger.events import histories

    must_exist(location)
    with Ledger(location) as book, book.read() as conn:
        history = histories(conn, [case.case_id])[case.case_id]
    return with_ledger(case, history, as_of, promise_grace_days)


def must_exist(location: str, reader: str = "planning") -> None:
    """Planning (and every command that only reads or follows up on what is recorded) needs a
    ledger that exists: a typo in ``--ledger`` would otherwise start an empty one and report
    that nothing is due, which is worse than an error."""
    from negplan.errors import InputError

    if "://" not in location and not Path(location).expanduser().is_file():
        raise InputError.single(
            f"no ledger at {location} ({reader} reads a ledger, never creates one): check "
            "--ledger or $NEGPLAN_LEDGER; negplan track, log, promise or payments import "
            "create one"
        )


def existing_ledger(option: str | None, reader: str) -> str:
    """The ledger ``option`` names (``--ledger``, ``$NEGPLAN_LEDGER``, else ``negplan.db``
    here), which must exist (:func:`must_exist`)."""
    from negplan.io.ledger.connect import ledger_location

    location = ledger_location(option)
    must_exist(location, reader)
    return location
