"""Cancellations: an arrangement the creditor cancelled, when, why and by whom (SPEC §8).

Revision ID: 0006_cancellations
Revises: 0005_agreement_facts
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_cancellations"
down_revision = "0005_agreement_facts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cancellations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("fingerprint", sa.String(80), nullable=False),
        sa.Column("cancelled_on", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("by_name", sa.Text),
    )
    op.create_index("ix_cancellations_case_id", "cancellations", ["case_id"])
    op.execute("UPDATE ledger_meta SET value = '6' WHERE key = 'schema_version'")


def downgrade() -> None:
    op.execute("UPDATE ledger_meta SET value = '5' WHERE key = 'schema_version'")
    op.drop_table("cancellations")
