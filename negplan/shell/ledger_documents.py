"""Documents and the ledger: ``agreement`` records what it issues, ``verify`` checks it (SPEC §8).

With a ledger configured (the same rule as ``prep``: ``--ledger``, ``$NEGPLAN_LEDGER`` or a
``negplan.db`` in the current folder), every agreement negplan writes is recorded by fingerprint,
so ``verify`` can tell a document negplan issued from one it did not (SPEC §5a): an unaltered
document whose fingerprint the ledger never recorded was not issued here. Without a ledger both
commands behave as before and import no database code.
"""

from __future__ import annotations

from datetime import date


def record_issued(
    location: str, case_id: str, fingerprint: str, kind: str, issued_on: date, path: str | None
) -> None:
    """Record one issued document, in one transaction."""
    from negplan.io.ledger import Ledger
    from negplan.io.ledger.events import record_document

    with Ledger(location) as book, book.write() as conn:
        record_document(conn, case_id, fingerprint, kind, issued_on, path)


def issued_here(location: str, fingerprint: str) -> bool:
    """Whether the ledger recorded issuing (or tracking) a document with this fingerprint."""
    from negplan.io.ledger import Ledger
    from negplan.io.ledger.events import issued_fingerprint

    with Ledger(location) as book, book.read() as conn:
        return issued_fingerprint(conn, fingerprint)
