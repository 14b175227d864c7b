"""The ledger: what happened after the case file was written (SPEC §8).

Append-only events keyed by ``case_id`` on SQLAlchemy Core 2, migrated with Alembic on open:

* ``connect``: where the ledger is (``--ledger``, ``$NEGPLAN_LEDGER``, ``negplan.db``), SQLite set
  up for concurrent executives, PostgreSQL for teams, and refusing a ledger from a newer negplan;
* ``schema``: the tables; ``migrations/``: their history;
* ``events``: writing contacts, opt-outs, promises, agreements, documents; reading a case back;
* ``payments``: the CSV import; ``jsonl``: export and import.

Importing this package imports SQLAlchemy: only the ledger commands (and ``prep`` when a ledger
is configured) do, so a plain ``negplan prep`` never pays for it.
"""

from negplan.io.ledger.connect import Ledger, ledger_location

__all__ = ["Ledger", "ledger_location"]
