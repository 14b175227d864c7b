"""``negplan ledger export|import``: the ledger as JSON Lines, for backups and moves (SPEC §8).

One event a line, ``{"table": "payments", "event_id": …, …}``, amounts as decimal strings, in the
order the events were recorded; an agreement carries its installments. The first line names the
format and schema, so a file from a newer negplan is refused like a newer ledger. Import skips
events whose ``event_id`` (or payment reference, or agreement fingerprint) is already there, so
importing a backup twice, or into the ledger it came from, adds nothing; the whole file is one
transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any, Final

from sqlalchemy import Connection, Table, select
from sqlalchemy.exc import SQLAlchemyError

from negplan.errors import InputError, Problem
from negplan.io.ledger import schema as t
from negplan.records import record

FORMAT: Final = "negplan-ledger"
_TABLES: Final[dict[str, Table]] = {table.name: table for table in t.EVENT_TABLES}
#: Columns a line may not set: the row id is the target ledger's own.
_LOCAL: Final = frozenset({"id"})
#: What makes an event "already there" besides its event id.
_NATURAL_KEY: Final = {"payments": "reference", "agreements": "fingerprint", "followups": "key"}


def export_lines(conn: Connection) -> Iterator[str]:
    yield json.dumps({"format": FORMAT, "schema_version": t.SCHEMA_VERSION})
    schedule: dict[str, list[dict[str, Any]]] = {}
    for row in conn.execute(select(t.installments).order_by(t.installments.c.id)).mappings():
        schedule.setdefault(row["fingerprint"], []).append(
            {"number": row["number"], "due": row["due"], "amount": row["amount"]}
        )
    for table in t.EVENT_TABLES:
        for row in conn.execute(select(table).order_by(table.c.id)).mappings():
            line = {"table": table.name, **{k: v for k, v in row.items() if k not in _LOCAL}}
            if table is t.agreements:
                line["installments"] = schedule.get(row["fingerprint"], [])
            yield json.dumps(line, ensure_ascii=False, sort_keys=True)


@record
class Loaded:
    added: dict[str, int]
    skipped: int


def import_lines(conn: Connection, stream: IO[str], name: str) -> Loaded:
    """Load every line of ``stream`` into the ledger, in the caller's transaction."""
    added: dict[str, int] = {}
    skipped = 0
    problems: list[Problem] = []
    for number, text in enumerate(stream, start=1):
        if not text.strip():
            continue
        try:
            line = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(Problem(f"not JSON ({exc.msg})", file=name, line=number))
            continue
        if number == 1:
            _check_header(line, name)
            continue
        if not isinstance(line, dict) or line.get("table") not in _TABLES:
            problems.append(Problem("not a ledger event (no known table)", file=name, line=number))
            continue
        table = _TABLES[line.pop("table")]
        installments = line.pop("installments", None) if table is t.agreements else None
        unknown = set(line) - {c.name for c in table.columns} - _LOCAL
        if unknown:
            problems.append(Problem(f"unknown fields {sorted(unknown)}", file=name, line=number))
            continue
        if _present(conn, table, line):
            skipped += 1
            continue
        values = {k: v for k, v in line.items() if k not in _LOCAL}
        try:
            conn.execute(table.insert().values(**values))
            if installments:
                conn.execute(
                    t.installments.insert(),
                    [{"fingerprint": values["fingerprint"], **i} for i in installments],
                )
        except SQLAlchemyError as exc:  # a constraint the line breaks: report, import nothing
            problems.append(Problem(f"cannot load: {type(exc).__name__}", file=name, line=number))
            break
        added[table.name] = added.get(table.name, 0) + 1
    if problems:
        raise InputError(problems)
    return Loaded(added, skipped)


def _check_header(line: Any, name: str) -> None:
    if not isinstance(line, dict) or line.get("format") != FORMAT:
        raise InputError.single("not a negplan ledger export (no header line)", file=name)
    version = line.get("schema_version")
    if not isinstance(version, int) or version > t.SCHEMA_VERSION:
        raise InputError.single(
            f"written by a newer negplan (schema {version}); this negplan reads schema "
            f"{t.SCHEMA_VERSION}. Upgrade negplan to import it.",
            file=name,
        )


def _present(conn: Connection, table: Table, line: dict[str, Any]) -> bool:
    key = _NATURAL_KEY.get(table.name)
    condition = table.c.event_id == line.get("event_id")
    if key is not None:
        condition = condition | (table.c[key] == line.get(key))
    return conn.execute(select(table.c.id).where(condition).limit(1)).first() is not None
