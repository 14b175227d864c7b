"""Alembic's environment for the ledger: always run on a connection negplan opened.

negplan runs migrations itself when it opens a ledger (``negplan.io.ledger.connect``); there is no
``alembic.ini`` at run time. The connection arrives in ``config.attributes["connection"]``, already
inside the transaction (and, on PostgreSQL, the advisory lock) that serialises migrations.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from negplan.io.ledger.schema import metadata

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):  # pragma: no cover - only negplan runs these
    raise RuntimeError("negplan ledger migrations run only from negplan.io.ledger.connect")
context.configure(connection=connection, target_metadata=metadata, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
