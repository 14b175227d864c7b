"""Measure ``negplan followup`` over a ledger of 100,000 arrangements (SPEC §9, issue 16).

    python benchmarks/followup.py                      # builds _work/followup-100000.db once
    python benchmarks/followup.py --arrangements 5000  # a smaller ledger, for a smoke test

The ledger is built once and kept: ``--arrangements`` tracked agreements (the record of a real
``negplan agreement`` for the Maria Lopez example, one per case), each of 12 monthly payments of
$100.00 signed on a day of the year before ``DAY``; most installments due before ``DAY`` are
paid, some late, some never (fixed seed). Every follow-up due before ``DAY`` is recorded as
issued already (as if ``followup`` had run every day), so the timed run is an ordinary day.

Two whole processes are timed, alternately, ``--reps`` times each, on a fresh copy of the
ledger each time (the copy is not timed):

1. ``negplan followup --as-of DAY --format md --out DIR --ledger COPY`` (what a user runs);
2. the floor: a bare SQL scan of the installments due around ``DAY`` (Python's ``sqlite3``,
   the rows fetched), plus rendering and writing exactly the letters followup issues that day
   (``negplan.letters.document.render_letter`` and ``write_atomic``, the actions taken from a
   first followup run and pickled), and nothing else.

The figure is followup ÷ floor per pair, in CPU seconds (user + system, steadier than wall time
on a shared machine) and in wall seconds (medians quoted; target <= 2), and the rendering cost
per letter (the floor's own timing of its render loop).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"
NEGPLAN = [sys.executable, "-m", "negplan"]
DAY = date(2026, 12, 1)
AMOUNT = "100.00"
PAYMENTS = 12


def template_record(scratch: Path) -> dict[str, object]:
    """The record of a real agreement, to copy for every case."""
    out = scratch / "template.md"
    subprocess.run(
        [*NEGPLAN, "agreement", str(ROOT / "examples" / "maria-lopez-plan.yaml"), "--option",
         "plan_full_12m", "--as-of", "2026-11-22", "--out", str(out)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    found = re.search(r"<!-- negplan-terms: (.*) -->", out.read_text(encoding="utf-8"))
    assert found is not None
    return json.loads(found.group(1))["terms"]  # type: ignore[no-any-return]


def _month(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    return day.replace(year=day.year + year, month=month + 1, day=min(day.day, 28))


def build(db: Path, count: int) -> None:
    """Write the ledger with the driver's executemany: the schema from negplan's migrations."""
    from negplan.io.ledger import Ledger

    scratch = Path(tempfile.mkdtemp(prefix="negplan-bench-"))
    record = template_record(scratch)
    Ledger(str(db)).close()  # creates and migrates
    rng = random.Random(16)
    agreements, installments, payments = [], [], []
    for i in range(count):
        case = f"BM-{i:06d}"
        print_ = f"sha256:{i:064x}"
        signed = DAY - timedelta(days=rng.randrange(1, 366))
        first = signed + timedelta(days=rng.randrange(7, 36))
        dues = [_month(first, n) for n in range(PAYMENTS)]
        rows = [{"due": d.isoformat(), "amount": AMOUNT, "note": ""} for d in dues]
        terms = dict(record, case_id=case, issued=signed.isoformat(), first_due=first.isoformat(),
                     total="1200.00", down_payment=None, payments=rows)  # fmt: skip
        agreements.append((f"a-{i}", case, "2026-01-01", print_, "USD", signed.isoformat(),
                           signed.isoformat(), "1200.00", 10, 2, "bench",
                           json.dumps(terms, sort_keys=True, separators=(",", ":"))))  # fmt: skip
        installments += [(print_, n, d.isoformat(), AMOUNT) for n, d in enumerate(dues, 1)]
        missing = rng.random() < 0.08  # this debtor stops paying at some point
        stop = rng.randrange(PAYMENTS) if missing else PAYMENTS
        for n, due in enumerate(dues, 1):
            if due >= DAY or n > stop:
                break
            late = rng.random() < 0.05
            paid_on = due + timedelta(days=rng.randrange(11, 25) if late else -1)
            if paid_on < DAY:
                payments.append((f"p-{i}-{n}", case, f"{paid_on}T18:00:00+00:00", f"R-{i}-{n}",
                                 paid_on.isoformat(), AMOUNT, "bench", n))  # fmt: skip
    with sqlite3.connect(db) as conn:
        conn.executemany("INSERT INTO agreements (event_id, case_id, recorded_at, fingerprint, "
                         "currency, issued, signed_on, total, grace_days, missed_before_default, "
                         "source, terms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", agreements)  # fmt: skip
        conn.executemany("INSERT INTO installments (fingerprint, number, due, amount) "
                         "VALUES (?,?,?,?)", installments)  # fmt: skip
        conn.executemany("INSERT INTO payments (event_id, case_id, recorded_at, reference, paid_on,"
                         " amount, source, line) VALUES (?,?,?,?,?,?,?,?)", payments)  # fmt: skip
    claim_until(db, DAY - timedelta(days=1))
    shutil.rmtree(scratch)


def claim_until(db: Path, day: date) -> None:
    """Record as issued every follow-up due up to ``day``, as daily runs would have."""
    from negplan.io.ledger.events import new_event_id
    from negplan.shell.followup_commands import plan_followups

    planned = plan_followups(str(db), day, 3, 10)
    run = f"{day}T20:00:00+00:00"  # the evening before DAY, after that day's payments import
    rows = [(new_event_id(), a.case_id, run, a.key, a.kind.value, a.on.isoformat(),
             day.isoformat(), a.channel) for a in planned.actions]  # fmt: skip
    with sqlite3.connect(db) as conn:
        conn.executemany("INSERT INTO followups (event_id, case_id, recorded_at, key, kind, "
                         "due_on, issued_on, channel) VALUES (?,?,?,?,?,?,?,?)", rows)  # fmt: skip
    print(f"recorded {len(rows):,} follow-ups as issued before {DAY}")


def checkpoint(db: Path) -> None:
    """Move the write-ahead log into the database file, so a copy of the file is all of it."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def pickle_letters(db: Path, out: Path) -> int:
    """The letters followup issues on ``DAY`` (with their terms), for the floor to render."""
    from negplan.shell.followup_commands import plan_followups

    planned = plan_followups(str(db), DAY, 3, 10)
    letters = [(a, planned.terms[a.fingerprint]) for a in planned.actions
               if a.is_letter and a.fingerprint in planned.terms]  # fmt: skip
    out.write_bytes(pickle.dumps(letters))
    return len(letters)


FLOOR = """
import pickle, sqlite3, sys, time
from datetime import date
from pathlib import Path
db, letters, out, low, high = sys.argv[1:6]
conn = sqlite3.connect(db)
rows = conn.execute(
    "SELECT i.fingerprint, i.number, i.due, i.amount, a.case_id, a.terms FROM installments i"
    " JOIN agreements a ON a.fingerprint = i.fingerprint WHERE i.due BETWEEN ? AND ?",
    (low, high),
).fetchall()
from negplan.io.outputs import write_atomic
from negplan.letters.document import render_letter
todo = pickle.loads(Path(letters).read_bytes())
started = time.perf_counter()
for n, (action, terms) in enumerate(todo):
    document = render_letter(action, terms, date.fromisoformat(sys.argv[6]), "md")
    write_atomic(Path(out) / f"{n}.md", document.content)
elapsed = time.perf_counter() - started
print(f"{len(rows)} {len(todo)} {elapsed}")
"""


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall and CPU seconds (user + system of the process and its children, from ``wait4``: on
    a shared machine CPU time is steadier than wall time) of ``command``, and its output."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = process.communicate()  # reads both pipes, then reaps the process
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {command}\n{err}")
    return wall, _children_cpu(), out


_SPENT = [0.0]


def _children_cpu() -> float:
    """CPU seconds of the children reaped since the last call (``RUSAGE_CHILDREN`` grows)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = usage.ru_utime + usage.ru_stime
    spent, _SPENT[0] = total - _SPENT[0], total
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--arrangements", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=5)
    options = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    db = WORK / f"followup-{options.arrangements}.db"
    if not db.exists():
        started = time.perf_counter()
        build(db, options.arrangements)
        print(f"built {db.name} in {time.perf_counter() - started:.0f} s")
    letters = WORK / f"followup-{options.arrangements}.letters.pickle"
    checkpoint(db)
    count = pickle_letters(db, letters)
    checkpoint(db)
    print(f"ledger {db}: {db.stat().st_size / 2**20:.0f} MiB; followup issues {count:,} letters")
    # The installments a day's follow-ups look at: due within the reminder days ahead, or
    # fallen due within the grace and cure days behind (10 + 20).
    low, high = DAY - timedelta(days=31), DAY + timedelta(days=3)
    pairs, cpu_pairs, per_letter = [], [], []
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    _children_cpu()  # the builds and pickling above are not part of any pair
    for rep in range(options.reps):
        copy = WORK / "followup-copy.db"
        shutil.copy(db, copy)
        out = Path(tempfile.mkdtemp(prefix="negplan-fu-"))
        run = [*NEGPLAN, "followup", "--as-of", DAY.isoformat(), "--format", "md",
               "--out", str(out), "--ledger", str(copy)]  # fmt: skip
        f, f_cpu, _ = timed(run)
        issued = len(list(out.iterdir()))
        shutil.rmtree(out)
        out = Path(tempfile.mkdtemp(prefix="negplan-floor-"))
        floor = [sys.executable, "-c", FLOOR, str(db), str(letters), str(out), low.isoformat(),
                 high.isoformat(), DAY.isoformat()]  # fmt: skip
        b, b_cpu, said = timed(floor)
        shutil.rmtree(out)
        rows, rendered, render_s = said.split()
        per_letter.append(float(render_s) / max(int(rendered), 1))
        pairs.append(f / b)
        cpu_pairs.append(f_cpu / b_cpu)
        print(f"pair {rep + 1}: followup {f:.2f} s wall, {f_cpu:.2f} s CPU ({issued} files); "
              f"floor {b:.2f} s wall, {b_cpu:.2f} s CPU ({rows} installments scanned, {rendered} "
              f"letters in {float(render_s):.2f} s); ratio wall {f / b:.2f}, CPU "
              f"{f_cpu / b_cpu:.2f}; load {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"median pair ratio: CPU {statistics.median(cpu_pairs):.2f}, wall "
          f"{statistics.median(pairs):.2f} (target <= 2); rendering "
          f"{statistics.median(per_letter) * 1000:.2f} ms a letter (median); load average "
          f"after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")  # fmt: skip


if __name__ == "__main__":
    main()
