"""Where the debtor may be and the times they said are inconvenient, beside an agreement's facts.

Revision ID: 0008_contact_hours
Revises: 0007_debtor_mobile
Create Date: 2026-11-30

``followup`` gives each SMS reminder and call task the hours of its day that are lawful in every
place the debtor may be and outside the times they said are inconvenient (12 CFR
1006.6(b)(1)(i)). Rows recorded before this revision keep ``contact_hours`` NULL: their texts
and calls show the profile's call window and say that the case file must be checked.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_contact_hours"
down_revision = "0007_debtor_mobile"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("agreement_facts", sa.Column("contact_hours", sa.Text()))
    op.execute("UPDATE ledger_meta SET value = '8' WHERE key = 'schema_version'")


def downgrade() -> None:
    op.execute("UPDATE ledger_meta SET value = '7' WHERE key = 'schema_version'")
    with op.batch_alter_table("agreement_facts") as batch:
        batch.drop_column("contact_hours")
