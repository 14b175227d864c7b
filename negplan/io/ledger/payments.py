"""``negplan payments import``: a bank or processor's CSV of payments into the ledger (SPEC §8).

The whole file is checked before anything is written, and every problem is reported with its
line (beancount's habit: errors are values, collected over the file); one bad row means nothing of
the file is imported. The rows that pass are inserted in one transaction, so a killed import
leaves the ledger as it was. A ``reference`` is imported once however often the file is: rows
whose reference is already in the ledger with the same case, date and amount are skipped; a
reference that comes back with different figures is an error (a bank does not reuse references;
a file that does is wrong, and guessing which row is right would move money).
"""

from __future__ import annotations

import csv
import io
import re
import secrets
import stat
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Final, NamedTuple

from sqlalchemy import Connection, bindparam, select

from negplan.core.case import CASE_ID_PATTERN
from negplan.core.ledger_events import amount_problem
from negplan.errors import InputError, Problem
from negplan.io.ledger import schema as t
from negplan.io.ledger.events import money_text, recorded_now
from negplan.money import ZERO, to_decimal
from negplan.records import record

FIELDS: Final = ("case_id", "date", "amount", "reference")
MAX_CSV_BYTES: Final = 200 * 1024 * 1024  # SPEC 7a: a file is rejected within 200 MB
_CASE_ID = re.compile(CASE_ID_PATTERN)
_LIMIT: Final = Decimal("1000000000000")  # larger is a typo (negplan.core.ledger_events)
_CHUNK: Final = 500  # references per IN (...) query: well under every database's parameter limit


class PaymentRow(NamedTuple):
    """One checked row (a named tuple: a file may hold hundreds of thousands)."""

    line: int
    case_id: str
    paid_on: date
    amount: Decimal
    reference: str

    @property
    def figures(self) -> tuple[str, str, str]:
        return (self.case_id, self.paid_on.isoformat(), money_text(self.amount))


@record
class ImportResult:
    file: str
    imported: int
    already: int  # rows whose reference the ledger already held with the same figures
    #: Rows for a case with no tracked agreement or promise: kept, unallocated, listed.
    unmatched: tuple[PaymentRow, ...]


def parse_columns(spec: str | None) -> dict[str, str]:
    """``case_id=Account,date=Posted`` → which CSV header holds each field (default: its name)."""
    columns = {name: name for name in FIELDS}
    if not spec:
        return columns
    for part in spec.split(","):
        field, sep, header = part.partition("=")
        field, header = field.strip(), header.strip()
        if not sep or field not in FIELDS or not header:
            raise InputError.single(
                f"--columns: expected FIELD=HEADER pairs with FIELD one of {', '.join(FIELDS)}; "
                f"got {part.strip()!r}"
            )
        columns[field] = header
    return columns


def read_payments(path: Path, columns: dict[str, str]) -> list[PaymentRow]:
    """Every row of the CSV, checked; raises one ``InputError`` listing every bad row."""
    name = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError.single("not a regular file", file=name)
        if info.st_size > MAX_CSV_BYTES:
            raise InputError.single("file is over 200 MB", file=name)
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError.single(f"cannot read ({exc.strerror})", file=name) from None
    except UnicodeDecodeError:
        raise InputError.single("not UTF-8 text: not a CSV of payments", file=name) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise InputError.single("empty file: expected a header row", file=name)
    header = [h.strip() for h in header]
    missing = [f"{field} (column {col!r})" for field, col in columns.items() if col not in header]
    if missing:
        found = ", ".join(repr(h) for h in header) or "none"
        named = ",".join(f"{field}=COLUMN" for field, col in columns.items() if col not in header)
        message = (
            f"no column for {', '.join(missing)}; the header has {found}: say which column "
            f"holds each with --columns {named}"
        )
        raise InputError([Problem(message, file=name, line=1)])
    index = {field: header.index(col) for field, col in columns.items()}
    at = [index[field] for field in FIELDS]
    width = max(at) + 1
    rows: list[PaymentRow] = []
    problems: list[Problem] = []
    seen: dict[str, PaymentRow] = {}
    try:
        for record in reader:
            line = reader.line_num
            row = _plain_row(record, at, width, line)
            if row is None:
                if not any(cell.strip() for cell in record):
                    continue
                row = _row(record, index, line, name, problems)
            if row is None:
                continue
            first = seen.get(row.reference)
            if first is None:
                seen[row.reference] = row
                rows.append(row)
            elif first.figures != row.figures:
                problems.append(
                    Problem(
                        f"reference {row.reference!r} appears on line {first.line} with other "
                        "figures",
                        path="reference",
                        file=name,
                        line=line,
                    )
                )
    except csv.Error as exc:
        problems.append(Problem(f"malformed CSV ({exc})", file=name, line=reader.line_num))
    if problems:
        raise InputError(problems)
    return rows


def _plain_row(record: list[str], at: list[int], width: int, line: int) -> PaymentRow | None:
    """The row when every cell is plainly valid, else ``None`` for :func:`_row` to explain.

    The common case made cheap: a bank file of 100,000 good rows should cost little more than
    reading it (issue 15's benchmark); any doubt goes to the full check and its messages.
    """
    if len(record) < width:
        return None
    case_id, when, amount_text, reference = (record[i].strip() for i in at)
    if not reference or len(reference) > 200 or not _CASE_ID.match(case_id):
        return None
    try:
        paid_on = date.fromisoformat(when)
        amount = Decimal(amount_text)
    except (ValueError, ArithmeticError):
        return None
    exponent = amount.as_tuple().exponent
    if not amount or not isinstance(exponent, int) or exponent < -2 or abs(amount) >= _LIMIT:
        return None
    return PaymentRow(line, case_id, paid_on, amount, reference)


def _row(
    record: list[str], index: dict[str, int], line: int, name: str, problems: list[Problem]
) -> PaymentRow | None:
    def cell(field: str) -> str:
        position = index[field]
        return record[position].strip() if position < len(record) else ""

    def problem(field: str, message: str) -> None:
        problems.append(Problem(message, path=field, file=name, line=line))

    before = len(problems)
    case_id, when, amount_text, reference = (cell(f) for f in FIELDS)
    if not _CASE_ID.match(case_id):
        problem("case_id", f"not a case id: {case_id!r}")
    paid_on = date.min
    try:
        paid_on = date.fromisoformat(when)
    except ValueError:
        problem("date", f"expected a date YYYY-MM-DD, got {when!r}")
    amount = ZERO
    try:
        amount = to_decimal(amount_text)
        why = "is zero" if amount == ZERO else amount_problem(amount)
        if why:
            problem("amount", f"{amount_text} {why}")
    except ValueError as exc:
        problem("amount", str(exc))
    if not reference or len(reference) > 200:
        problem("reference", "a payment needs a reference of 1 to 200 characters")
    if len(problems) > before:
        return None
    return PaymentRow(line, case_id, paid_on, amount, reference)


def import_payments(conn: Connection, rows: list[PaymentRow], source: str) -> ImportResult:
    """Insert the rows not already in the ledger, in the caller's transaction."""
    existing: dict[str, tuple[str, str, str]] = {}
    references = [r.reference for r in rows]
    query = select(
        t.payments.c.reference, t.payments.c.case_id, t.payments.c.paid_on, t.payments.c.amount
    ).where(t.payments.c.reference.in_(bindparam("references", expanding=True)))
    for start in range(0, len(references), _CHUNK):
        chunk = references[start : start + _CHUNK]
        for ref, case_id, paid_on, amount in conn.execute(query, {"references": chunk}):
            existing[ref] = (case_id, paid_on, money_text(Decimal(amount)))
    conflicts = [
        Problem(
            f"reference {r.reference!r} is already in the ledger with other figures "
            f"({', '.join(existing[r.reference])})",
            path="reference",
            file=source,
            line=r.line,
        )
        for r in rows
        if r.reference in existing and existing[r.reference] != r.figures
    ]
    if conflicts:
        raise InputError(conflicts)
    new = [r for r in rows if r.reference not in existing]
    now, name = recorded_now(), Path(source).name
    # One random prefix per import and a counter: unique event ids without a uuid4 per row.
    prefix = secrets.token_hex(12)
    _insert_many(
        conn,
        ("event_id", "case_id", "recorded_at", "reference", "paid_on", "amount", "source", "line"),
        [
            (
                f"{prefix}{n:012x}",
                r.case_id,
                now,
                r.reference,
                r.paid_on.isoformat(),
                money_text(r.amount),
                name,
                r.line,
            )
            for n, r in enumerate(new)
        ],
    )
    payable = _cases_with_terms(conn, {r.case_id for r in new})
    unmatched = tuple(r for r in new if r.case_id not in payable)
    return ImportResult(source, len(new), len(rows) - len(new), unmatched)


def _insert_many(conn: Connection, keys: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    """``INSERT`` the payment rows through the driver's ``executemany``, compiled once.

    SQLAlchemy's own executemany processes each row's parameters in Python; for a payments file
    that cost several times the insert itself. The statement is still SQLAlchemy's, compiled for
    the connection's dialect, so SQLite and PostgreSQL each get their own SQL and parameter style.
    """
    if not rows:
        return
    compiled = t.payments.insert().compile(dialect=conn.dialect, column_keys=list(keys))
    sql = str(compiled)
    if compiled.positional:
        where = [keys.index(k) for k in compiled.positiontup or []]
        if where != list(range(len(keys))):
            rows = [tuple(row[i] for i in where) for row in rows]
        for start in range(0, len(rows), 20_000):
            conn.exec_driver_sql(sql, rows[start : start + 20_000])
    else:
        named = [dict(zip(keys, row, strict=True)) for row in rows]
        for start in range(0, len(named), 20_000):
            conn.exec_driver_sql(sql, named[start : start + 20_000])


def _cases_with_terms(conn: Connection, cases: set[str]) -> set[str]:
    """The cases among ``cases`` that have an agreement or a promise to allocate payments to."""
    found: set[str] = set()
    ordered = sorted(cases)
    for table in (t.agreements, t.promises):
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start : start + _CHUNK]
            query = select(table.c.case_id).where(table.c.case_id.in_(chunk)).distinct()
            found |= set(conn.execute(query).scalars())
    return found
