"""Champion/challenger assignments and the figures each plan expected (SPEC §10).

Revision ID: 0003_assignments
Revises: 0002_documents
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_assignments"
down_revision = "0002_documents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("experiment", sa.String(80), nullable=False),
        sa.Column("rule_set", sa.String(20), nullable=False),
        sa.Column("rules_label", sa.Text, nullable=False),
        sa.Column("planned_on", sa.String(10), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("jurisdiction", sa.String(16), nullable=False),
        sa.Column("balance", sa.String(40), nullable=False),
        sa.Column("affordable", sa.String(40), nullable=False),
        sa.Column("option", sa.String(40)),
        sa.Column("expected_value", sa.String(40)),
    )
    op.create_index("ix_assignments_case_id", "assignments", ["case_id"])
    op.execute("UPDATE ledger_meta SET value = '3' WHERE key = 'schema_version'")


def downgrade() -> None:
    op.execute("UPDATE ledger_meta SET value = '2' WHERE key = 'schema_version'")
    op.drop_table("assignments")
