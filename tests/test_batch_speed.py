"""What issue 20 keeps per process for speed gives exactly what working it out afresh gives."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from negplan.core.compliance import calls
from negplan.core.compliance.calls import Span, next_window

LA = ZoneInfo("America/Los_Angeles")
KOLKATA = ZoneInfo("Asia/Kolkata")
LONDON = ZoneInfo("Europe/London")
MARIA = Path(__file__).resolve().parents[1] / "examples" / "maria-lopez-plan.yaml"


def afresh(now: datetime, zone: ZoneInfo, first_day: date, spans: list[Span]) -> object:
    """next_window's search with nothing kept: the function under the cache."""
    start_day = max(first_day, now.astimezone(zone).date())
    earliest = max(now, calls.local_moment(start_day, time(0), zone))
    frozen = tuple((z, tuple(intervals)) for z, intervals in spans)
    return calls._search.__wrapped__(earliest, zone, start_day, frozen)


CASES = [
    # A Kolkata debtor with a California number: no hour lawful in both (searched 400 days).
    ([(KOLKATA, [(time(9), time(19))]), (LA, [(time(8), time(19))])], "2026-11-22T10:00:00-08:00"),
    # A London debtor late in the evening: tomorrow's opening, across two zones.
    ([(LONDON, [(time(9), time(21))]), (LA, [(time(8), time(21))])], "2026-11-22T21:30:00+00:00"),
    # Across the change to summer time in Los Angeles (8 March 2026).
    ([(LA, [(time(8), time(9)), (time(18), time(21))])], "2026-03-07T22:00:00-08:00"),
]


@pytest.mark.parametrize(("spans", "now"), CASES)
def test_a_kept_search_answers_as_a_fresh_one(spans: list[Span], now: str) -> None:
    moment = datetime.fromisoformat(now)
    zone = spans[0][0]
    expected = afresh(moment, zone, moment.date(), spans)
    for _ in range(2):  # worked out, then kept
        assert next_window(moment, zone, moment.date(), spans) == expected
    found = next_window(moment, zone, moment.date(), spans)
    assert found is None or (found.tzinfo is zone and found == expected)


def test_the_same_instant_written_in_another_zone_is_answered_in_the_debtors() -> None:
    """Equal instants share a kept answer: it is returned in the debtor's zone either way."""
    spans: list[Span] = [(LONDON, [(time(9), time(21))]), (LA, [(time(8), time(21))])]
    first = next_window(
        datetime.fromisoformat("2026-11-22T21:30:00+00:00"), LONDON, date(2026, 11, 22), spans
    )
    again = next_window(
        datetime.fromisoformat("2026-11-22T13:30:00-08:00"), LONDON, date(2026, 11, 22), spans
    )
    assert first is not None and again is not None
    assert first.isoformat() == again.isoformat() == "2026-11-23T16:00:00+00:00"


def test_prep_without_a_ledger_does_not_import_arrangements(tmp_path: Path) -> None:
    """A ledger's arrangements are imported only when a case has one (issue 20: start-up)."""
    code = (
        "import sys\nfrom negplan.shell.app import app\n"
        "try:\n    app(['prep', sys.argv[1], '--out', sys.argv[2]])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('negplan.core.arrangements', "
        "'negplan.core.ledger_events'))))"
    )
    env = {k: v for k, v in os.environ.items() if k != "NEGPLAN_LEDGER"}
    result = subprocess.run(
        [sys.executable, "-c", code, str(MARIA), str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
