"""Measure ``negplan report`` over a ledger of 1,000,000 events against the bare SQL (SPEC §10).

    python benchmarks/report.py                 # builds benchmarks/_work/report-1m.db once
    python benchmarks/report.py --events 100000 # a smaller ledger, for a smoke test

The ledger is made by ``negplan simulate`` over the shipped examples (``--copies`` accounts per
case), until it holds at least ``--events`` events (contacts, promises, agreements, payments,
assignments; installments are part of their agreement and not counted). It is kept for later
runs.

Two things are timed, alternately, ``--reps`` times each, as separate processes:

1. ``negplan report --to D --format json --ledger FILE`` (what a user runs: start-up, migration
   check, the queries, formatting);
2. the bare SQL: exactly the statements that report sent to the database (captured from
   SQLAlchemy's cursor events in a first run, with their parameters), replayed by Python's
   ``sqlite3`` module in one process that does nothing else.

The ratio report ÷ bare SQL (median of the pairs, and fastest ÷ fastest) is the figure; the
target is ≤ 3. Peak memory (max RSS) of each side is printed too: the report aggregates in the
database, so its memory does not grow with the ledger.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"
NEGPLAN = [sys.executable, "-m", "negplan"]
START, MONTHS, TO = "2026-12-01", 18, "2028-06-01"
TABLES = ("contacts", "opt_outs", "promises", "agreements", "payments", "documents", "assignments")


def events(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES)


def build(db: Path, wanted: int) -> None:
    cases = Path(tempfile.mkdtemp(prefix="negplan-bench-"))
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        if not example.name.startswith("rules-"):
            shutil.copy(example, cases / example.name)
    pilot = cases.parent / "pilot.db"
    pilot.unlink(missing_ok=True)
    simulate = [*NEGPLAN, "simulate", str(cases), "--months", str(MONTHS), "--seed", "1",
                "--start", START]  # fmt: skip
    subprocess.run([*simulate, "--copies", "20", "--ledger", str(pilot)], check=True)
    per_copy = events(pilot) / 20
    copies = int(wanted / per_copy) + 1
    print(f"building {db.name}: {copies} copies of each case (~{per_copy:.0f} events a copy)")
    subprocess.run([*simulate, "--copies", str(copies), "--ledger", str(db)], check=True)
    shutil.rmtree(cases)
    pilot.unlink()


CAPTURE = """
import json, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
captured = []
@event.listens_for(Engine, "before_cursor_execute")
def _keep(conn, cursor, statement, parameters, context, executemany):
    captured.append([statement, list(parameters) if parameters else []])
from negplan.shell.app import app
try:
    app(sys.argv[2:])
except SystemExit:
    pass
with open(sys.argv[1], "w") as handle:
    json.dump(captured, handle)
"""

REPLAY = """
import json, sqlite3, sys
statements = json.load(open(sys.argv[1]))
conn = sqlite3.connect(sys.argv[2], isolation_level=None)
conn.execute("BEGIN")
for sql, params in statements:
    conn.execute(sql, params).fetchall()
conn.execute("ROLLBACK")
"""


def report_queries(db: Path, out: Path) -> int:
    """The statements ``report`` sends, after the migration check (which bare SQL need not do)."""
    args = ["report", "--to", TO, "--format", "json", "--ledger", str(db)]
    subprocess.run([sys.executable, "-c", CAPTURE, str(out), *args], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    captured = json.loads(out.read_text())
    first = next(i for i, (sql, _) in enumerate(captured) if "negplan_report" in sql)
    report = [s for s in captured[first:] if not s[0].lstrip().upper().startswith(("BEGIN",
              "COMMIT", "ROLLBACK", "PRAGMA"))]  # fmt: skip
    out.write_text(json.dumps(report))
    return len(report)


def timed(command: list[str]) -> tuple[float, int]:
    """Wall seconds and this child's own peak RSS in KiB (``wait4`` reports it per process)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{command[:4]} failed ({child.returncode})")
    return elapsed, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=3)
    options = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    db = WORK / f"report-{options.events}.db"
    if not db.exists():
        build(db, options.events)
    print(f"ledger {db}: {events(db):,} events, {db.stat().st_size / 2**20:.0f} MiB")
    statements = WORK / "report-statements.json"
    print(f"report sends {report_queries(db, statements)} statements")
    report = [*NEGPLAN, "report", "--to", TO, "--format", "json", "--ledger", str(db)]
    bare = [sys.executable, "-c", REPLAY, str(statements), str(db)]
    pairs, reports, bares = [], [], []
    rss_report = rss_bare = 0
    for _ in range(options.reps):
        r, r_rss = timed(report)
        b, b_rss = timed(bare)
        rss_report, rss_bare = max(rss_report, r_rss), max(rss_bare, b_rss)
        reports.append(r)
        bares.append(b)
        pairs.append(r / b)
        print(f"report {r:.2f} s, bare SQL {b:.2f} s, ratio {r / b:.2f}")
    print(f"median pair ratio {statistics.median(pairs):.2f} (target <= 3); "
          f"fastest / fastest {min(reports) / min(bares):.2f}")  # fmt: skip
    print(f"peak RSS: report {rss_report / 1024:.0f} MiB, bare SQL {rss_bare / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
