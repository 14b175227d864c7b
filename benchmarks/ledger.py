"""Measure the ledger's performance targets (issue 15) as ratios, in one run.

    python benchmarks/ledger.py            # 100,000 payment rows, 1,000,000 ledger events
    python benchmarks/ledger.py --quick    # 10,000 rows, 100,000 events, for a smoke test
    python benchmarks/ledger.py --only batch --batch 10000 --reps 3   # the batch ratio alone

1. payments import ÷ bare:  ``negplan payments import`` of N CSV rows into a new SQLite ledger vs
                            one process that reads the same CSV with ``csv`` and inserts it with
                            ``sqlite3.executemany`` into a table of the same shape (same columns,
                            same unique reference, same case index), one transaction. Both are
                            whole processes, alternated, ``--reps`` pairs. Target ≤ 3.
2. prep, full ÷ empty:      ``negplan prep`` of Maria's case with a ledger holding M events of
                            other cases vs with an empty ledger, alternated. Target ≤ 1.15.
3. batch, ledger ÷ none:    ``negplan batch`` of B generated cases (``benchmarks/run.py``'s) with
                            a ledger holding a contact and a payment for each case and M events
                            of other cases, vs the same batch without a ledger. Target ≤ 1.2.

Ratios, not seconds: this shared machine's speed drifts by tens of percent within a minute.
Everything is written under ``benchmarks/_work/`` (ignored by git) and removed at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work" / "ledger"
NEGPLAN = [sys.executable, "-m", "negplan"]
EXAMPLE = ROOT / "examples" / "maria-lopez-plan.yaml"
NOW = "2026-11-26T17:00:00-08:00"

BARE = """
import csv, sqlite3, sys, uuid
source, target = sys.argv[1], sys.argv[2]
db = sqlite3.connect(target)
db.execute("PRAGMA journal_mode = WAL")
db.execute(
    "CREATE TABLE payments (id INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE,"
    " case_id TEXT NOT NULL, recorded_at TEXT NOT NULL, reference TEXT NOT NULL UNIQUE,"
    " paid_on TEXT NOT NULL, amount TEXT NOT NULL, source TEXT, line INTEGER)"
)
db.execute("CREATE INDEX ix_payments_case_id ON payments (case_id)")
with open(source, newline="", encoding="utf-8") as f:
    rows = csv.reader(f)
    next(rows)
    with db:
        db.executemany(
            "INSERT INTO payments (event_id, case_id, recorded_at, reference, paid_on, amount,"
            " source, line) VALUES (?, ?, '2026-11-30', ?, ?, ?, 'bank.csv', ?)",
            ((str(uuid.uuid4()), r[0], r[3], r[1], r[2], n) for n, r in enumerate(rows, 2)),
        )
"""


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("case_id,date,amount,reference\n")
        out.writelines(
            f"BENCH-{n % 9973:06d},2026-{n % 12 + 1:02d}-{n % 28 + 1:02d},"
            f"{n % 900 + 10}.{n % 100:02d},TX-{n:08d}\n"
            for n in range(rows)
        )


def timed(command: list[str], cwd: Path | None = None) -> float:
    env = {k: v for k, v in os.environ.items() if k != "NEGPLAN_LEDGER"}
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=cwd, env=env)
    return time.perf_counter() - start


#: Runs a command and prints the peak resident memory of its largest process (the main process
#: or one of its workers: RUSAGE_CHILDREN counts every descendant waited for), in KiB.
PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def timed_peak(command: list[str]) -> tuple[float, int]:
    """Seconds and peak memory (KiB) of ``command``, a whole process as a user runs it."""
    env = {k: v for k, v in os.environ.items() if k != "NEGPLAN_LEDGER"}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK, *command], check=True, capture_output=True, env=env, text=True
    )
    return time.perf_counter() - start, int(done.stdout.split()[-1])


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def fill_ledger(path: Path, events: int, cases: int = 0) -> None:
    """A ledger of ``events`` contacts and payments of other cases, written with bare sqlite3
    (the benchmark measures reading it, not writing it)."""
    subprocess.run(
        [*NEGPLAN, "status", "NONE", "--ledger", str(path)], check=True, capture_output=True
    )
    db = sqlite3.connect(path)
    half = events // 2
    with db:
        db.executemany(
            "INSERT INTO contacts (event_id, case_id, recorded_at, at, channel, outcome)"
            " VALUES (?, ?, '2026-11-30', '2026-11-20T10:00:00+00:00', 'phone', 'no_answer')",
            ((str(uuid.uuid4()), f"OTHER-{n % 50000:06d}") for n in range(half)),
        )
        db.executemany(
            "INSERT INTO payments (event_id, case_id, recorded_at, reference, paid_on, amount)"
            " VALUES (?, ?, '2026-11-30', ?, '2026-11-21', '10.00')",
            ((str(uuid.uuid4()), f"OTHER-{n % 50000:06d}", f"P-{n}") for n in range(events - half)),
        )
        db.executemany(  # the batch's own cases: one contact and one payment each
            "INSERT INTO contacts (event_id, case_id, recorded_at, at, channel, outcome)"
            " VALUES (?, ?, '2026-11-30', '2026-11-15T10:00:00+00:00', 'phone', 'voicemail')",
            ((str(uuid.uuid4()), f"BENCH-{n:06d}") for n in range(cases)),
        )
        db.executemany(
            "INSERT INTO payments (event_id, case_id, recorded_at, reference, paid_on, amount)"
            " VALUES (?, ?, '2026-11-30', ?, '2026-11-21', '10.00')",
            ((str(uuid.uuid4()), f"BENCH-{n:06d}", f"B-{n}") for n in range(cases)),
        )
    db.close()


def pairs(first: list[str], second: list[str], reps: int) -> tuple[list[float], list[float]]:
    a: list[float] = []
    b: list[float] = []
    for _ in range(reps):
        a.append(timed(first))
        b.append(timed(second))
    return a, b


def import_ratio(rows: int, reps: int) -> str:
    source = WORK / "bank.csv"
    write_csv(source, rows)
    ours: list[float] = []
    bare: list[float] = []
    for n in range(reps):
        ledger, plain = WORK / f"ledger-{n}.db", WORK / f"bare-{n}.db"
        ours.append(timed([*NEGPLAN, "payments", "import", str(source), "--ledger", str(ledger)]))
        bare.append(timed([sys.executable, "-c", BARE, str(source), str(plain)]))
    ratios = [a / b for a, b in zip(ours, bare, strict=True)]
    return (
        f"| `payments import` ÷ csv + sqlite3.executemany ({rows:,} rows), median of {reps} pairs "
        f"| **{statistics.median(ratios):.2f}** | ≤ 3.00 | {statistics.median(ours):.2f} s vs "
        f"{statistics.median(bare):.2f} s; pairs {', '.join(f'{r:.2f}' for r in ratios)} |"
    )


def prep_ratio(events: int, reps: int) -> str:
    empty, full = WORK / "empty.db", WORK / "full.db"
    fill_ledger(full, events)
    fill_ledger(empty, 0)
    case = [*NEGPLAN, "prep", str(EXAMPLE), "--now", NOW, "--out", str(WORK), "--ledger"]
    timed([*case, str(full)])  # warm the page cache and negplan's own cache
    with_full, with_empty = pairs([*case, str(full)], [*case, str(empty)], reps)
    ratios = [a / b for a, b in zip(with_full, with_empty, strict=True)]
    full_ms, empty_ms = statistics.median(with_full) * 1000, statistics.median(with_empty) * 1000
    plain = case[:-1]  # the same prep, no --ledger (and no negplan.db where it runs)
    with_none, with_empty_again = pairs(plain, [*case, str(empty)], reps)
    costs = [b / a for a, b in zip(with_none, with_empty_again, strict=True)]
    none_ms, again_ms = (statistics.median(s) * 1000 for s in (with_none, with_empty_again))
    return (
        f"| `prep` with {events:,} events of other cases ÷ with an empty ledger, median of {reps} "
        f"pairs | **{statistics.median(ratios):.2f}** | ≤ 1.15 | {full_ms:.0f} ms vs "
        f"{empty_ms:.0f} ms |\n"
        f"| `prep` with an empty ledger ÷ without a ledger (reference: the cost of SQLAlchemy) "
        f"| {statistics.median(costs):.2f} | — | {again_ms:.0f} ms vs {none_ms:.0f} ms |"
    )


def batch_ratio(cases: int, events: int, reps: int) -> str:
    sys.path.insert(0, str(HERE))
    from run import AS_OF, generate  # the main benchmark's case generator

    folder = HERE / "_work" / f"cases-{cases}"
    generate(folder, cases)
    ledger = WORK / "batch.db"
    fill_ledger(ledger, events, cases)
    base = [*NEGPLAN, "batch", str(folder), "--as-of", AS_OF, "--now", f"{AS_OF}T10:00:00-08:00"]
    with_ledger: list[float] = []
    without: list[float] = []
    peaks: list[tuple[int, int]] = []
    loads = [load()]
    for n in range(reps):
        seconds, peak = timed_peak([*base, "--out", str(WORK / f"l{n}"), "--ledger", str(ledger)])
        with_ledger.append(seconds)
        seconds, bare_peak = timed_peak([*base, "--out", str(WORK / f"n{n}")])
        without.append(seconds)
        peaks.append((peak, bare_peak))
        loads.append(load())
        shutil.rmtree(WORK / f"l{n}", ignore_errors=True)
        shutil.rmtree(WORK / f"n{n}", ignore_errors=True)
    ratios = [a / b for a, b in zip(with_ledger, without, strict=True)]
    peak_with = max(p for p, _ in peaks) / 1024
    peak_without = max(p for _, p in peaks) / 1024
    return (
        f"| `batch` of {cases:,} cases with a ledger ({events:,} other events) ÷ without, median "
        f"of {reps} pairs | **{statistics.median(ratios):.2f}** | ≤ 1.20 | "
        f"{statistics.median(with_ledger):.1f} s vs {statistics.median(without):.1f} s; pairs "
        f"{', '.join(f'{r:.2f}' for r in ratios)}; peak memory of one process "
        f"{peak_with:.0f} MiB vs {peak_without:.0f} MiB; load average (1/5/15 min) before and "
        f"after each pair {', '.join(loads)} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 rows, 100,000 events")
    parser.add_argument("--reps", type=int, default=5, help="alternating pairs per ratio")
    parser.add_argument("--batch", type=int, help="cases for the batch ratio (0: skip it)")
    parser.add_argument(
        "--only", choices=["import", "prep", "batch"], help="measure one ratio, not all three"
    )
    args = parser.parse_args()
    rows, events = (10_000, 100_000) if args.quick else (100_000, 1_000_000)
    cases = args.batch if args.batch is not None else (1_000 if args.quick else 10_000)
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    try:
        lines = []
        if args.only in (None, "import"):
            lines.append(import_ratio(rows, args.reps))
        if args.only in (None, "prep"):
            lines.append(prep_ratio(events, args.reps))
        if cases and args.only in (None, "batch"):
            lines.append(batch_ratio(cases, events, args.reps))
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    print("| ratio | measured | target | detail |\n|---|---:|---|---|")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
