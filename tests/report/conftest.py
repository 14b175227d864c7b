"""The report tests run their ledgers on SQLite and on PostgreSQL, like the ledger's own tests."""

from tests.ledger.pg import ledger_url, postgres_server

__all__ = ["ledger_url", "postgres_server"]
