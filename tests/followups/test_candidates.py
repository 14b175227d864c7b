"""``followup`` replays only the cases something can have happened to since its last run
(:func:`negplan.io.ledger.followups.candidate_cases`): played on weekdays only (catching up on
Mondays) over four months of payments, missed payments, a late import, a reversal and a broken
promise, it issues exactly what replaying every case issues, day by day."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from negplan.io.ledger import Ledger
from negplan.io.ledger.followups import claim
from negplan.shell.followup_commands import plan_followups
from tests.followups.test_followup_cli import run, tracked

CASE = "NW-2026-00187"


def _import(ledger: str, tmp_path: Path, rows: list[tuple[str, str, str]]) -> None:
    csv = tmp_path / "bank.csv"
    body = "".join(f"{CASE},{day},{amount},{ref}\n" for day, amount, ref in rows)
    csv.write_text("case_id,date,amount,reference\n" + body, encoding="utf-8")
    run("payments", "import", str(csv), "--ledger", ledger)


def test_the_candidates_issue_what_a_full_replay_issues(tmp_path: Path) -> None:
    ledger = tracked(tmp_path)  # signed 23 November 2026; payments from 7 December
    run("promise", CASE, "--amount", "50.00", "--due", "2027-02-20", "--ledger", ledger)
    imports = {
        date(2026, 12, 8): [("2026-12-07", "264.00", "T1")],  # on time
        # The January payment is missed; February's lands late, and is imported a week late.
        date(2027, 2, 19): [("2027-02-12", "264.00", "T2")],
        date(2027, 2, 26): [("2027-02-25", "-264.00", "T2-R")],  # returned: reopens it
    }
    day, seen = date(2026, 11, 23), 0
    while day <= date(2027, 3, 31):
        for_day = imports.get(day)
        if for_day:
            _import(ledger, tmp_path, for_day)
        if day.weekday() < 5:
            fast = plan_followups(ledger, day, 3, 10)
            full = plan_followups(ledger, day, 3, 10, due_dates=True)
            assert sorted(a.key for a in fast.actions) == sorted(a.key for a in full.actions), day
            with Ledger(ledger) as book, book.write() as conn:
                for action in fast.actions:
                    claim(conn, action, day, "test")
            seen += len(fast.actions)
        day += timedelta(days=1)
    assert seen >= 8  # confirmation, reminders, missed letters, the promise's call task
