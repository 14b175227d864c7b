"""Faults a shared ledger meets: writers at the same moment, and a process killed mid-import.

Real processes, real databases (SQLite and PostgreSQL), no mocks: SPEC §8 "killed half-way,
nothing is half-recorded; concurrent writers both land".
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Table, func, select

from negplan.io.ledger import Ledger
from negplan.io.ledger import schema as t

#: Each writer opens the (new) ledger itself, so the migration race is part of the test, waits
#: for the signal to start, then logs its contacts one transaction each, as executives would.
WRITER = """
import sys, time
from datetime import datetime, timezone
from pathlib import Path
go, url, name, count = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
while not go.exists():
    time.sleep(0.005)
from negplan.io.ledger import Ledger
from negplan.io.ledger.events import record_contact
with Ledger(url) as book:
    for n in range(count):
        with book.write() as conn:
            record_contact(conn, "C-1", at=datetime.now(timezone.utc), channel="phone",
                           outcome="busy", by=name, note=str(n))
"""


def _count(url: str, table: Table) -> int:
    with Ledger(url) as book, book.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_two_processes_logging_at_once_both_land(ledger_url: str, tmp_path: Path) -> None:
    go = tmp_path / "go"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(go), ledger_url, name, "25"],
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("Sam", "Ana")
    ]
    time.sleep(0.5)
    go.touch()
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    with Ledger(ledger_url) as book, book.read() as conn:
        rows = conn.execute(select(t.contacts.c.by_name, func.count()).group_by("by_name")).all()
    assert sorted(rows) == [("Ana", 25), ("Sam", 25)]


def test_two_log_commands_on_a_new_ledger_both_land(ledger_url: str, tmp_path: Path) -> None:
    logs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "negplan",
                "log",
                "C-1",
                "--outcome",
                "voicemail",
                "--by",
                name,
                "--ledger",
                ledger_url,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("Sam", "Ana")
    ]
    for log in logs:
        out, err = log.communicate(timeout=120)
        assert log.returncode == 0, err
        assert "logged for C-1" in out
    assert _count(ledger_url, t.contacts) == 2


def _importing(url: str) -> bool:
    """Whether the import has started writing rows (inside its transaction, not yet committed)."""
    if url.startswith("postgresql"):
        import psycopg

        database, socket = url.split("@/", 1)[1].split("?host=")
        with psycopg.connect(f"host={socket} user=negplan dbname=postgres") as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
                " AND xact_start IS NOT NULL AND query ILIKE 'INSERT INTO payments%%'",
                (database,),
            ).fetchone()
        return bool(row and row[0])
    wal = Path(url + "-wal")
    return wal.exists() and wal.stat().st_size > 2_000_000


def test_a_killed_import_leaves_the_ledger_as_before(ledger_url: str, tmp_path: Path) -> None:
    small = tmp_path / "small.csv"
    small.write_text("case_id,date,amount,reference\nC-1,2026-12-01,10.00,S-1\n", encoding="utf-8")
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as out:
        out.write("case_id,date,amount,reference\n")
        out.writelines(f"C-{n % 977},2026-12-01,{n % 500 + 1}.25,B-{n}\n" for n in range(200_000))
    command = [sys.executable, "-m", "negplan", "payments", "import"]
    subprocess.run([*command, str(small), "--ledger", ledger_url], check=True, capture_output=True)
    before = _count(ledger_url, t.payments)

    process = subprocess.Popen(
        [*command, str(big), "--ledger", ledger_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not _importing(ledger_url):
        assert process.poll() is None, "the import ended before it could be killed"
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL

    assert _count(ledger_url, t.payments) == before == 1
    again = tmp_path / "again.csv"
    again.write_text("case_id,date,amount,reference\nC-1,2026-12-02,5.00,S-2\n", encoding="utf-8")
    subprocess.run([*command, str(again), "--ledger", ledger_url], check=True, capture_output=True)
    assert _count(ledger_url, t.payments) == 2


class _Switching:
    """A SQLite cursor whose WAL switch is refused as locked ``busy`` times, then made."""

    def __init__(self, busy: int, error: str = "database is locked") -> None:
        self.busy, self.error, self.asked = busy, error, 0

    def execute(self, sql: str) -> _Switching:
        assert sql == "PRAGMA journal_mode = WAL"
        self.asked += 1
        if self.asked <= self.busy:
            raise sqlite3.OperationalError(self.error)
        return self

    def fetchone(self) -> tuple[str]:
        return ("wal",)


def test_a_new_ledger_opened_by_two_processes_waits_for_the_wal_switch() -> None:
    """SQLite refuses the switch to WAL at once ("database is locked", no busy wait) while the
    other process creates the ledger; the open asks again instead of failing the command."""
    from negplan.io.ledger.connect import _write_ahead

    cursor = _Switching(busy=3)
    _write_ahead(cursor)
    assert cursor.asked == 4
    with pytest.raises(sqlite3.OperationalError, match="disk I/O error"):
        _write_ahead(_Switching(busy=1, error="disk I/O error"))
