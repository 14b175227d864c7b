"""Ledgers for the tests: a SQLite file, and a real, throwaway PostgreSQL server (no mocks).

The PostgreSQL server is Debian's ``postgresql`` package run by the tests themselves: ``initdb``
and ``pg_ctl`` on a temporary folder, listening on a Unix socket only (no TCP port, nothing
reachable from the network), as the ``postgres`` user when the tests run as root (PostgreSQL
refuses to run as root). Each test gets a database of its own.

Outside CI the PostgreSQL tests skip when the server binaries or psycopg are missing; with
``CI=true`` they fail instead, so CI cannot pass without running them
(``.ci/postgres-prereqs.sh`` installs both).
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

BACKENDS = ["sqlite", "postgresql"]

#: Waits for the test process to end (argv[1]), then stops the server and removes its folder.
_WATCHDOG = """
import os, shutil, subprocess, sys, time
pid, base, stop = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
while True:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        break
    time.sleep(1)
subprocess.run(stop, capture_output=True, timeout=120)
shutil.rmtree(base, ignore_errors=True)
"""
_counter = itertools.count()


def _binaries() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(candidates[-1]).parent if candidates else None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but PostgreSQL tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


def _as_server_user(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", "postgres", "--", *args]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server for the session; yields the socket folder."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable('psycopg is not installed (pip install -e ".[postgres]")')
    bin_dir = _binaries()
    if bin_dir is None:
        _unavailable("no pg_ctl/initdb (apt-get install postgresql)")
    assert bin_dir is not None
    base = Path(tempfile.mkdtemp(prefix="negplan-pg-"))
    data, socket = base / "data", base / "socket"
    socket.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(socket, "postgres")
    run = {"check": True, "capture_output": True, "text": True, "timeout": 120}
    try:
        subprocess.run(
            _as_server_user(
                [
                    *(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "negplan"),
                    *("--no-sync", "-E", "UTF8", "--locale", "C"),
                ]
            ),
            **run,  # type: ignore[call-overload]
        )
        options = f"-k {socket} -c listen_addresses='' -c fsync=off -c max_connections=40"
        subprocess.run(
            _as_server_user(
                [
                    *(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-t", "60"),
                    *("-l", str(base / "server.log"), "start"),
                ]
            ),
            **run,  # type: ignore[call-overload]
        )
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(base, ignore_errors=True)
        _unavailable(f"the server did not start: {exc.stderr or exc.stdout}")
    stop = _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
    # A test run killed before its teardown (a timeout, kill -9) must not leave a server behind on
    # a shared machine: a watchdog in its own session stops it once this process is gone.
    watchdog = subprocess.Popen(
        [sys.executable, "-c", _WATCHDOG, str(os.getpid()), str(base), *stop],
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield str(socket)
    finally:
        subprocess.run(stop, capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)
        watchdog.kill()
        watchdog.wait()


def postgres_database(socket: str) -> str:
    """A new, empty database on the test server; its URL."""
    import psycopg

    name = f"ledger_{os.getpid()}_{next(_counter)}"
    with psycopg.connect(f"host={socket} user=negplan dbname=postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql://negplan@/{name}?host={socket}"


@pytest.fixture(params=BACKENDS)
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty ledger on each backend: a SQLite path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "negplan.db")
    socket = request.getfixturevalue("postgres_server")
    return postgres_database(socket)
