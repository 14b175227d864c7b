"""Opening a ledger: where it is, how SQLite is set up, migrations, and refusing newer ledgers.

Where (SPEC §8): ``--ledger PATH|URL``, else ``$NEGPLAN_LEDGER``, else ``negplan.db`` in the
current folder. A path or ``sqlite:///…`` URL is an embedded SQLite file; ``postgresql://…`` is a
team's server (psycopg 3, ``pip install "negplan[postgres]"``).

SQLite is set up for several executives on one machine: the file is created owner-only (0600:
it holds personal financial data, SPEC §1), in WAL mode (readers never block the writer) with a
busy timeout (a second writer waits instead of failing), and every write transaction starts with
``BEGIN IMMEDIATE`` so two writers queue at the start rather than fail half-way on a lock upgrade.

Migrations run on open, inside one transaction (on PostgreSQL also under an advisory lock, so two
processes opening a new ledger do not both create it). A ledger whose Alembic revision this
negplan does not ship, or whose ``schema_version`` is higher, was written by a newer negplan: it is
refused with a message saying so, never "upgraded" downwards or half-read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from negplan.errors import InputError
from negplan.io.ledger.schema import SCHEMA_VERSION, ledger_meta

if TYPE_CHECKING:
    from alembic.config import Config

DEFAULT_FILE: Final = "negplan.db"
ENV_VAR: Final = "NEGPLAN_LEDGER"
#: How long a writer waits for another (SQLite busy timeout), in milliseconds. Long enough for
#: a payments import of a few hundred thousand rows; short enough that a stuck lock is reported.
BUSY_TIMEOUT_MS: Final = 30_000
#: The Alembic revisions this negplan ships, oldest first (a test checks them against
#: ``migrations/versions``). Any other revision in a ledger was written by a newer negplan.
REVISIONS: Final = (
    "0001_events",
    "0002_documents",
    "0003_assignments",
    "0004_followups",
    "0005_agreement_facts",
    "0006_cancellations",
    "0007_debtor_mobile",
    "0008_contact_hours",
)
#: The PostgreSQL advisory-lock key that serialises migrations ("negplan" in ASCII).
_MIGRATION_LOCK: Final = 0x6E6567706C616E


def ledger_location(option: str | None) -> str:
    """The ledger the user asked for: ``--ledger``, else ``$NEGPLAN_LEDGER``, else the default."""
    chosen = option or os.environ.get(ENV_VAR) or DEFAULT_FILE
    return chosen.strip()


def ledger_url(location: str) -> URL:
    """``location`` as a SQLAlchemy URL with its driver; paths become SQLite files."""
    if "://" not in location:
        return URL.create("sqlite+pysqlite", database=str(Path(location).expanduser().absolute()))
    try:
        url = make_url(location)
    except ArgumentError:
        raise InputError.single(f"--ledger: not a ledger path or URL: {location!r}") from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise InputError.single("--ledger: a SQLite ledger needs a file (sqlite:///PATH)")
        return url.set(drivername="sqlite+pysqlite")
    if backend in ("postgresql", "postgres"):
        try:
            import psycopg  # noqa: F401  (the driver of the postgres extra)
        except ImportError:
            raise InputError.single(
                'a PostgreSQL ledger needs psycopg 3: pip install "negplan[postgres]"'
            ) from None
        return url.set(drivername="postgresql+psycopg")
    raise InputError.single(
        f"--ledger: unsupported database {backend!r}; use a file path, sqlite:///PATH or "
        "postgresql://USER@HOST/DB"
    )


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _create_owner_only(path: Path) -> None:
    """Create the SQLite file 0600 before SQLite does (it would honour the umask, often 0644)."""
    if path.exists():
        return
    if not path.parent.is_dir():
        raise InputError.single(f"the ledger's folder {path.parent} does not exist")
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it a moment ago
        return
    except OSError as exc:
        raise InputError.single(f"cannot create the ledger {path} ({exc.strerror})") from None
    os.close(fd)


def _write_ahead(cursor: Any) -> None:
    """Put the file in WAL mode (kept in the file, so done once per ledger). Switching needs the
    file to itself, and SQLite answers "database is locked" at once, without waiting out the
    busy timeout, when a second process opens a new ledger while the first is creating it (two
    executives' first commands at the same moment): ask again until the switch is made, by
    either process, or the busy timeout has passed."""
    import sqlite3
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal":
                return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc):
                raise
        if time.monotonic() > deadline:
            return  # as before: SQLite keeps the mode it could (a file system without WAL)
        time.sleep(0.05)


def _sqlite_engine(url: URL) -> Engine:
    assert url.database is not None
    _create_owner_only(Path(url.database))
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (the pysqlite recipe), so that
        # write transactions can be IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _write_ahead(cursor)
        cursor.execute("PRAGMA synchronous = NORMAL")  # durable across process kills in WAL
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("negplan_read_only")
        connection.exec_driver_sql("BEGIN" if mode else "BEGIN IMMEDIATE")

    return engine


def alembic_config(connection: Connection) -> Config:
    """Alembic's configuration for ``connection``: the migrations folder inside the package."""
    from alembic.config import Config

    config = Config()
    folder = resources.files("negplan.io.ledger") / "migrations"
    config.set_main_option("script_location", str(folder))
    config.attributes["connection"] = connection
    return config


def _current_revision(connection: Connection) -> str | None:
    if not connection.dialect.has_table(connection, "alembic_version"):
        return None
    revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return None if revision is None else str(revision)


def _refuse_newer(connection: Connection, current: str | None, shown: str) -> None:
    """Refuse a ledger whose revision or schema version this negplan does not know."""
    newer = (
        f"the ledger {shown} was written by a newer negplan (schema {{}}); this negplan "
        f"reads schema {SCHEMA_VERSION}. Upgrade negplan (pip install -U negplan) to use it."
    )
    if current is not None and current not in REVISIONS:
        raise InputError.single(newer.format(f"revision {current}"))
    if current is not None and connection.dialect.has_table(connection, "ledger_meta"):
        row = connection.execute(
            select(ledger_meta.c.value).where(ledger_meta.c.key == "schema_version")
        ).scalar()
        if row is not None and (not row.isdigit() or int(row) > SCHEMA_VERSION):
            raise InputError.single(newer.format(row))


def migrate(connection: Connection, shown: str) -> None:
    """Bring the ledger to this negplan's schema, in the caller's transaction.

    A ledger already at the newest revision is recognised from ``alembic_version`` alone:
    Alembic itself (half a second of imports) is loaded only when there is something to migrate.
    """
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
    current = _current_revision(connection)
    _refuse_newer(connection, current, shown)
    if current != REVISIONS[-1]:
        from alembic import command

        command.upgrade(alembic_config(connection), "head")


class Ledger:
    """An open ledger: an engine, migrated, with one transaction per command."""

    def __init__(self, location: str | None = None) -> None:
        url = ledger_url(ledger_location(location))
        self.shown = _shown(url)
        self.is_sqlite = url.get_backend_name() == "sqlite"
        self.engine = _sqlite_engine(url) if self.is_sqlite else create_engine(url)
        try:
            with self.engine.begin() as connection:
                migrate(connection, self.shown)
        except InputError:
            self.engine.dispose()
            raise
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise InputError.single(f"cannot open the ledger {self.shown}: {_cause(exc)}") from None

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: everything in it lands, or nothing does (SPEC §8)."""
        try:
            with self.engine.begin() as connection:
                yield connection
        except DBAPIError as exc:
            raise InputError.single(f"ledger {self.shown}: {_cause(exc)}") from None

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A consistent snapshot for reading; on SQLite it does not wait for writers."""
        try:
            with (
                self.engine.connect().execution_options(negplan_read_only=True) as connection,
                connection.begin(),
            ):
                yield connection
        except DBAPIError as exc:
            raise InputError.single(f"ledger {self.shown}: {_cause(exc)}") from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _cause(exc: SQLAlchemyError) -> str:
    """The database's own words, first line only (no SQL, no parameters: they hold case data)."""
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()
    return text[0] if text else type(original).__name__
