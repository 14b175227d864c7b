"""The first ledger: contacts, opt-outs, promises, agreements with installments, payments.

Revision ID: 0001_events
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_events"
down_revision = None
branch_labels = None
depends_on = None


def _event_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "contacts",
        *_event_columns(),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("by_name", sa.Text),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "opt_outs",
        *_event_columns(),
        sa.Column("place", sa.String(20), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("by_name", sa.Text),
    )
    op.create_table(
        "promises",
        *_event_columns(),
        sa.Column("made_on", sa.String(10), nullable=False),
        sa.Column("due", sa.String(10), nullable=False),
        sa.Column("amount", sa.String(40), nullable=False),
        sa.Column("by_name", sa.Text),
    )
    op.create_table(
        "agreements",
        *_event_columns(),
        sa.Column("fingerprint", sa.String(80), nullable=False, unique=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("issued", sa.String(10), nullable=False),
        sa.Column("signed_on", sa.String(10), nullable=False),
        sa.Column("total", sa.String(40), nullable=False),
        sa.Column("grace_days", sa.Integer, nullable=False),
        sa.Column("missed_before_default", sa.Integer, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("terms", sa.Text, nullable=False),
    )
    op.create_table(
        "installments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("fingerprint", sa.String(80), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("due", sa.String(10), nullable=False),
        sa.Column("amount", sa.String(40), nullable=False),
        sa.UniqueConstraint("fingerprint", "number", name="uq_installments_fingerprint_number"),
    )
    op.create_table(
        "payments",
        *_event_columns(),
        sa.Column("reference", sa.String(200), nullable=False, unique=True),
        sa.Column("paid_on", sa.String(10), nullable=False),
        sa.Column("amount", sa.String(40), nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("line", sa.Integer),
    )
    for table in ("contacts", "opt_outs", "promises", "agreements", "payments"):
        op.create_index(f"ix_{table}_case_id", table, ["case_id"])


def downgrade() -> None:
    for table in ("payments", "installments", "agreements", "promises", "opt_outs", "contacts"):
        op.drop_table(table)
