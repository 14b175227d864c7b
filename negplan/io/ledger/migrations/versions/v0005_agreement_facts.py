"""The case file's facts as of each agreement: opt-outs and the consequences decided (SPEC §9).

Revision ID: 0005_agreement_facts
Revises: 0004_followups
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_agreement_facts"
down_revision = "0004_followups"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agreement_facts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("fingerprint", sa.String(80), nullable=False),
        sa.Column("opt_outs", sa.Text, nullable=False),
        sa.Column("consequences", sa.Text),
        sa.Column("litigation_until", sa.String(10)),
        sa.Column("source", sa.Text),
    )
    op.create_index("ix_agreement_facts_case_id", "agreement_facts", ["case_id"])
    op.create_index("ix_agreement_facts_fingerprint", "agreement_facts", ["fingerprint"])
    op.execute("UPDATE ledger_meta SET value = '5' WHERE key = 'schema_version'")


def downgrade() -> None:
    op.execute("UPDATE ledger_meta SET value = '4' WHERE key = 'schema_version'")
    op.drop_table("agreement_facts")
