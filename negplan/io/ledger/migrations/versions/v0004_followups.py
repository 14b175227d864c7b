"""Follow-up actions issued, each once by its key (SPEC §9).

Revision ID: 0004_followups
Revises: 0003_assignments
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_followups"
down_revision = "0003_assignments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "followups",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("key", sa.String(200), nullable=False, unique=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("due_on", sa.String(10), nullable=False),
        sa.Column("issued_on", sa.String(10), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("fingerprint", sa.String(80)),
        sa.Column("by_name", sa.Text),
        sa.Column("path", sa.Text),
    )
    op.create_index("ix_followups_case_id", "followups", ["case_id"])
    op.execute("UPDATE ledger_meta SET value = '4' WHERE key = 'schema_version'")


def downgrade() -> None:
    op.execute("UPDATE ledger_meta SET value = '3' WHERE key = 'schema_version'")
    op.drop_table("followups")
