"""The debtor's mobile number beside an agreement's facts, for SMS reminders (SPEC §9).

Revision ID: 0007_debtor_mobile
Revises: 0006_cancellations
Create Date: 2026-11-30

Rows recorded before this revision keep ``debtor_mobile`` NULL: their agreements get no SMS
reminder (email or post, as before), because no mobile number was recorded for them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_debtor_mobile"
down_revision = "0006_cancellations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("agreement_facts", sa.Column("debtor_mobile", sa.String(40)))
    op.execute("UPDATE ledger_meta SET value = '7' WHERE key = 'schema_version'")


def downgrade() -> None:
    op.execute("UPDATE ledger_meta SET value = '6' WHERE key = 'schema_version'")
    with op.batch_alter_table("agreement_facts") as batch:
        batch.drop_column("debtor_mobile")
