"""``followup`` replays only the cases something can have happened to since its last run
(:func:`negplan.io.ledger.followups.candidate_cases`): played on weekdays only (catching up on
Mondays) over four months of payments, missed payments, a late import, a reversal and a broken
promise, it issues exactly what replaying every case issues, day by day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from negplan.core.followup_terms import Action, ActionKind
from negplan.core.reasons import Reason
from negplan.io.ledger import Ledger
from negplan.io.ledger.followups import claim
from negplan.shell.followup_commands import plan_followups
from tests.followups.test_followup_cli import MARIA, run, tracked

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


def _elsewhere(day: date) -> Action:
    why = Reason("broken_promise", "agreements.grace_period_days", "another case's call")
    return Action(f"other:{day}", "OTHER-1", ActionKind.call_task, day, "phone", None, why)


def test_arrears_whose_letters_are_out_wait_for_the_consequence_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A debtor who stops paying: each missed-payment letter, the default and the consequence
    come out on their days as a full replay would issue them (one week not run at all); on the
    days between, the case is not replayed (its arrears have had their letters). As in a real
    ledger, each run issues something for some other case (the last run's day moves on)."""
    from negplan.io.ledger import followups
    from negplan.io.ledger.followup_reads import candidate_cases

    ledger = tracked(tmp_path)  # signed 23 November 2026; payments from 7 December
    _import(ledger, tmp_path, [("2026-12-07", "264.00", "T1")])  # then nothing more
    day, issued, skipped = date(2026, 11, 23), [], []
    while day <= date(2027, 5, 31):
        if not date(2027, 2, 1) <= day < date(2027, 2, 8):  # a week followup did not run
            fast = plan_followups(ledger, day, 3, 10)
            full = plan_followups(ledger, day, 3, 10, due_dates=True)
            assert fast.actions == full.actions, day
            with Ledger(ledger) as book, book.read() as conn:
                replayed = candidate_cases(conn, day, 3)
                if replayed is not None and CASE not in replayed:
                    skipped.append(day)
            # Each run is recorded that evening, as a daily run would be (not all in one second).
            evening = f"{day}T20:00:00+00:00"
            monkeypatch.setattr(followups, "recorded_now", lambda at=evening: at)
            with Ledger(ledger) as book, book.write() as conn:
                for action in [*fast.actions, _elsewhere(day)]:
                    claim(conn, action, day, "test")
            issued += [a.kind.value for a in fast.actions]
        day += timedelta(days=1)
    assert {"missed_payment", "consequence"} <= set(issued)
    assert issued.count("consequence") == 1
    assert len(skipped) > 60  # most days in arrears replay nothing


def test_reminders_follow_a_change_of_reminder_days(tmp_path: Path) -> None:
    """The rules' ``followup.reminder_days`` raised from 3 to 9 between two runs: the
    reminders now due are issued at once, as a full replay issues them."""
    ledger = tracked(tmp_path)  # signed 23 November 2026; payments from 7 December
    day, reminded = date(2026, 11, 23), []
    while day <= date(2027, 2, 28):
        days = 3 if day < date(2026, 12, 30) else 9
        fast = plan_followups(ledger, day, days, 10)
        full = plan_followups(ledger, day, days, 10, due_dates=True)
        assert fast.actions == full.actions, day
        with Ledger(ledger) as book, book.write() as conn:
            for action in [*fast.actions, _elsewhere(day)]:
                claim(conn, action, day, "test")
        reminded += [(day, a.by) for a in fast.actions if a.kind is ActionKind.reminder]
        day += timedelta(days=1)
    # The 6 January installment: reminded on 30 December, the day the days were raised.
    assert (date(2026, 12, 30), date(2027, 1, 6)) in reminded


def test_a_renegotiated_deal_gets_its_missed_payment_letters(tmp_path: Path) -> None:
    """Payments made under the first agreement are not payments under the one that replaced
    it (a payment goes to the arrangement in force on its day): when the new deal's payments
    are missed, the skipping issues each letter on the day a full replay does."""
    ledger = tracked(tmp_path)  # 12 x 740.46 from 14 December 2026, signed 23 November
    second = tmp_path / "second.md"
    day, issued = date(2026, 11, 23), []
    while day <= date(2027, 4, 30):
        if day == date(2026, 12, 14):  # well ahead of the plan: four payments' worth
            _import(ledger, tmp_path, [("2026-12-14", "3000.00", "BIG")])
        if day == date(2027, 1, 5):  # a new deal for what is left, signed that day
            run("agreement", str(MARIA), "--option", "plan_full_10m", "--as-of", "2027-01-04",
                "--out", str(second), "--ledger", ledger)  # fmt: skip
            run("track", str(second), "--signed-on", "2027-01-05", "--ledger", ledger)
        fast = plan_followups(ledger, day, 3, 10)
        full = plan_followups(ledger, day, 3, 10, due_dates=True)
        assert sorted(a.key for a in fast.actions) == sorted(a.key for a in full.actions), day
        with Ledger(ledger) as book, book.write() as conn:
            for action in [*fast.actions, _elsewhere(day)]:
                claim(conn, action, day, "test")
        issued += [(day, a.kind.value) for a in fast.actions]
        day += timedelta(days=1)
    assert [on for on, kind in issued if kind == "missed_payment"][:2] == [
        date(2027, 1, 30),
        date(2027, 3, 1),
    ]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """The moment every ledger write records (``recorded_at``), set by the test."""
    from negplan.io.ledger import events, followups, payments

    now = ["2026-11-23T07:00:00+00:00"]
    for module in (events, followups, payments):
        monkeypatch.setattr(module, "recorded_now", lambda: now[0])

    def set_to(moment: str) -> None:
        now[0] = moment

    return set_to


def _daily(
    ledger: str,
    tmp_path: Path,
    clock: Callable[[str], None],
    last: date,
    before: Callable[[date], None] = lambda day: None,
    between: Callable[[date], None] = lambda day: None,
    grace: Callable[[date], int] = lambda day: 10,
) -> list[tuple[date, str]]:
    """``followup`` each morning from 23 November as an executive runs it (read at 07:00,
    claims written after the letters are rendered): what it issues must be what a full replay
    issues, every day. ``before`` runs before the read, ``between`` while the letters render."""
    from negplan.shell.followup_commands import issue

    day, issued = date(2026, 11, 23), []
    while day <= last:
        clock(f"{day}T06:00:00+00:00")
        before(day)
        clock(f"{day}T07:00:00+00:00")
        fast = plan_followups(ledger, day, 3, grace(day))
        full = plan_followups(ledger, day, 3, grace(day), due_dates=True)
        assert sorted(a.key for a in fast.actions) == sorted(a.key for a in full.actions), day
        between(day)
        clock(f"{day}T07:45:00+00:00")
        done = issue(ledger, fast, day, tmp_path / "letters", "md", "test")
        with Ledger(ledger) as book, book.write() as conn:
            # The same run issued something for another case too.
            claim(conn, _elsewhere(day), day, "test", recorded_at=fast.read_at)
        issued += [(day, action.kind.value) for action, _ in done]
        day += timedelta(days=1)
    return issued


def test_a_promise_noted_late_gets_its_call_task(
    tmp_path: Path, clock: Callable[[str], None]
) -> None:
    """A call note typed up two weeks late (``negplan promise --at``): the promise was broken
    before it was recorded, and its call task goes out the next morning."""
    ledger = tracked(tmp_path)

    def before(day: date) -> None:
        if day == date(2026, 12, 7):
            _import(ledger, tmp_path, [("2026-12-07", "740.46", "T1")])
        if day == date(2026, 12, 24):
            run("promise", CASE, "--amount", "50.00", "--due", "2026-12-10",
                "--at", "2026-12-09T10:00:00+00:00", "--ledger", ledger)  # fmt: skip

    issued = _daily(ledger, tmp_path, clock, date(2026, 12, 28), before)
    assert (date(2026, 12, 24), "call_task") in issued


def test_a_shorter_grace_in_the_rules_brings_a_promise_call_due(
    tmp_path: Path, clock: Callable[[str], None]
) -> None:
    """``agreements.grace_period_days`` cut from 10 to 2 on 8 December: a promise due on
    1 December is broken under the new rules, and its call task goes out that day."""
    ledger = tracked(tmp_path)
    run("promise", CASE, "--amount", "50.00", "--due", "2026-12-01",
        "--at", "2026-11-30T10:00:00+00:00", "--ledger", ledger)  # fmt: skip

    def grace(day: date) -> int:
        return 10 if day < date(2026, 12, 8) else 2

    issued = _daily(ledger, tmp_path, clock, date(2026, 12, 12), grace=grace)
    assert (date(2026, 12, 8), "call_task") in issued


def test_a_reversal_imported_while_the_letters_render_is_seen_the_next_day(
    tmp_path: Path, clock: Callable[[str], None]
) -> None:
    """A returned payment imported while the morning's run was rendering (and stamped by a
    machine whose clock is slow): that run did not see it, the next one does, and the
    missed-payment letter goes out on the day a full replay gives."""
    ledger = tracked(tmp_path)
    _import(ledger, tmp_path, [("2026-12-14", "740.46", "T1")])

    def between(day: date) -> None:
        if day == date(2026, 12, 28):
            clock("2026-12-28T06:30:00+00:00")  # before the run's read, by the importer's clock
            _import(ledger, tmp_path, [("2026-12-27", "-740.46", "T1-R")])

    issued = _daily(ledger, tmp_path, clock, date(2027, 1, 5), between=between)
    assert (date(2026, 12, 29), "missed_payment") in issued
