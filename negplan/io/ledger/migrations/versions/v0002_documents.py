"""Documents issued by fingerprint (for ``verify``), and the schema version negplan checks.

Revision ID: 0002_documents
Revises: 0001_events
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_documents"
down_revision = "0001_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("fingerprint", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("issued_on", sa.String(10), nullable=False),
        sa.Column("path", sa.Text),
    )
    op.create_index("ix_documents_case_id", "documents", ["case_id"])
    meta = op.create_table(
        "ledger_meta",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.bulk_insert(meta, [{"key": "schema_version", "value": "2"}])


def downgrade() -> None:
    op.drop_table("ledger_meta")
    op.drop_table("documents")
