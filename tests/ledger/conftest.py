"""Fixtures of the ledger tests: ``ledger_url`` runs a test on SQLite and on PostgreSQL."""

from tests.ledger.pg import ledger_url, postgres_server

__all__ = ["ledger_url", "postgres_server"]
