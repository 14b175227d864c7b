"""Alembic migrations of the ledger, run by negplan when it opens a ledger."""
