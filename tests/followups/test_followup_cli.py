"""``negplan followup`` on a real ledger: each action once across re-runs and executives, the
letters verify (and the ledger knows it issued them), opt-outs recorded in the ledger are
honoured, and the calendar parses back with ``icalendar``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from icalendar import Calendar
from typer.testing import CliRunner

from negplan.core.followup_terms import Action, ActionKind
from negplan.io.ledger import Ledger
from negplan.io.ledger.followups import claim, issued_keys
from negplan.shell.app import app
from tests.followups.story import CASE, GRACE, TERMS, arrangement

runner = CliRunner()
MARIA = Path(__file__).parents[2] / "examples" / "maria-lopez-plan.yaml"


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def tracked(tmp_path: Path, case: Path = MARIA) -> str:
    """Maria's 12-month plan (or ``case``'s), issued with a ledger and signed on 23 November."""
    ledger = str(tmp_path / "book.db")
    plan = tmp_path / "maria.md"
    run("agreement", str(case), "--option", "plan_full_12m", "--as-of", "2026-11-22",
        "--out", str(plan), "--ledger", ledger)  # fmt: skip
    run("track", str(plan), "--signed-on", "2026-11-23", "--ledger", ledger)
    return ledger


def followup(ledger: str, day: str, out: Path, *more: str) -> str:
    return run("followup", "--as-of", day, "--out", str(out), "--ledger", ledger, *more)


def test_a_rerun_issues_nothing_twice(tmp_path: Path) -> None:
    ledger = tracked(tmp_path)
    out = tmp_path / "letters"
    first = followup(ledger, "2026-11-23", out)
    assert "confirmation →" in first
    assert "nothing to issue" in followup(ledger, "2026-11-23", out)
    reminder = followup(ledger, "2026-12-04", out)
    assert "reminder →" in reminder and "email" in reminder
    # Maria said 08:00-10:00 is inconvenient (her case file): the email waits until 10:00.
    assert "send within 10:00–21:00 the debtor's local time (America/Los_Angeles)" in reminder
    assert "not 08:00–10:00, which the debtor said is inconvenient" in reminder
    assert "nothing to issue" in followup(ledger, "2026-12-05", out)
    assert len(list(out.iterdir())) == 2
    for letter in out.iterdir():
        assert "ok " in run("verify", str(letter), "--ledger", ledger)


def test_a_second_executive_claims_nothing_already_claimed(tmp_path: Path) -> None:
    from negplan.core.arrangements import case_status
    from negplan.core.followups import case_actions
    from negplan.core.ledger_events import CaseHistory

    ledger = str(tmp_path / "book.db")
    status = case_status(CaseHistory(CASE, arrangements=(arrangement(),)), date(2026, 12, 1), GRACE)
    actions = case_actions(
        status, {TERMS.fingerprint: TERMS}, frozenset(), date(2026, 12, 1), 3, GRACE
    )
    assert {a.kind for a in actions} == {ActionKind.confirmation, ActionKind.reminder}
    with Ledger(ledger) as first, Ledger(ledger) as second:
        with first.write() as conn:
            assert [claim(conn, a, date(2026, 12, 1), "ana") for a in actions] == [True, True]
        with second.write() as conn:
            assert [claim(conn, a, date(2026, 12, 1), "ben") for a in actions] == [False, False]
        with first.read() as conn:
            assert set(issued_keys(conn)) == {a.key for a in actions}


def test_an_email_opt_out_in_the_ledger_moves_the_reminder_to_sms_then_post(
    tmp_path: Path,
) -> None:
    """Maria's phone is a mobile (recorded by ``agreement``): without email she is texted; once
    she opts out of texts too, the reminder goes by post."""
    ledger = tracked(tmp_path)
    run("log", "NW-2026-00187", "--opt-out", "email", "--ledger", ledger)
    out = tmp_path / "letters"
    text = followup(ledger, "2026-12-04", out)
    assert "sms     NW-2026-00187: reminder" in text
    assert not list(out.glob("*.email.md"))
    run("log", "NW-2026-00187", "--opt-out", "sms", "--ledger", ledger)
    text = followup(ledger, "2027-01-04", out)
    assert "letter  NW-2026-00187: reminder" in text
    assert "sms " not in text


def test_the_calendar_parses_back(tmp_path: Path) -> None:
    ledger = tracked(tmp_path)
    ics = tmp_path / "today.ics"
    followup(ledger, "2026-12-04", tmp_path / "letters", "--ics", str(ics))
    calendar = Calendar.from_ical(ics.read_bytes())
    events = list(calendar.walk("VEVENT"))
    summaries = [str(e["SUMMARY"]) for e in events]
    assert summaries[:2] == [
        "Confirmation of your payment arrangement (NW-2026-00187, by letter)",
        "Reminder: a payment is due soon (NW-2026-00187, by email)",
    ]
    dues = [e for e in events if "due_date" in str(e["CATEGORIES"].to_ical())]
    assert len(dues) == 12
    assert dues[0].decoded("DTSTART") == date(2026, 12, 7)
    assert "10:00–21:00" in str(events[1]["DESCRIPTION"])  # not 08:00-10:00, as Maria asked
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_an_opt_out_in_the_case_file_holds_after_the_agreement(tmp_path: Path) -> None:
    """followup reads no case file: ``agreement`` records its opt-outs in the ledger beside the
    document, and they hold with the ledger's own (SPEC §6a)."""
    case = tmp_path / "maria.yaml"
    text = MARIA.read_text(encoding="utf-8")
    case.write_text(
        text.replace(
            "  email: maria@example.com\n", "  email: maria@example.com\n  opt_outs: [email]\n"
        ),
        encoding="utf-8",
    )
    ledger = tracked(tmp_path, case)
    out = tmp_path / "letters"
    followup(ledger, "2026-11-23", out)
    text = followup(ledger, "2026-12-04", out)
    assert "sms     NW-2026-00187: reminder" in text  # her phone is a mobile
    assert not list(out.glob("*.email.md"))
    run("log", "NW-2026-00187", "--opt-out", "sms", "--ledger", ledger)
    run("log", "NW-2026-00187", "--opt-out", "letter", "--ledger", ledger)
    assert "nothing to issue" in followup(ledger, "2027-01-04", out)  # neither post nor email


def test_verify_tells_an_issued_letter_from_one_the_ledger_never_issued(tmp_path: Path) -> None:
    """A letter rendered by the same code but never issued (a forgery) is unaltered, yet fails
    ``verify`` with the ledger: only the letters followup issued are recorded (SPEC §8)."""
    from dataclasses import replace

    from negplan.letters.document import render_letter

    ledger = tracked(tmp_path)
    out = tmp_path / "letters"
    followup(ledger, "2026-11-23", out)
    (issued,) = out.iterdir()
    assert "ok " in run("verify", str(issued), "--ledger", ledger)
    story_day = date(2026, 12, 1)
    forged_action = next(a for a in _story_actions(story_day) if a.kind is ActionKind.reminder)
    forged = tmp_path / "forged.md"
    document = render_letter(
        replace(forged_action, case_id="NW-2026-00187"), TERMS, story_day, "md"
    )
    forged.write_bytes(str(document.content).encode("utf-8"))
    assert "ok " in run("verify", str(forged))  # unaltered: the fingerprint matches its record
    result = runner.invoke(app, ["verify", str(forged), "--ledger", ledger])
    assert result.exit_code == 1
    assert "not issued here" in result.output


def _story_actions(day: date) -> list[Action]:
    from negplan.core.arrangements import case_status
    from negplan.core.followups import case_actions
    from negplan.core.ledger_events import CaseHistory

    status = case_status(CaseHistory(CASE, arrangements=(arrangement(),)), day, GRACE)
    return case_actions(status, {TERMS.fingerprint: TERMS}, frozenset(), day, 3, GRACE)


def test_letters_from_user_templates_verify_with_the_same_folder(tmp_path: Path) -> None:
    """--templates overrides the letter templates (sandboxed, escaped like agreements); verify
    checks such a letter against the same folder, and against the built-in ones it fails."""
    packaged = Path(__file__).parents[2] / "templates" / "letters" / "letter.md.j2"
    mine = tmp_path / "mine" / "letters"
    mine.mkdir(parents=True)
    source = packaged.read_text(encoding="utf-8")
    (mine / "letter.md.j2").write_text(source.replace("Yours sincerely,", "Kind regards,"))
    ledger = tracked(tmp_path)
    out = tmp_path / "letters"
    followup(ledger, "2026-11-23", out, "--templates", str(tmp_path / "mine"))
    (letter,) = out.iterdir()
    assert "Kind regards," in letter.read_text(encoding="utf-8")
    assert "ok " in run("verify", str(letter), "--templates", str(tmp_path / "mine"))
    result = runner.invoke(app, ["verify", str(letter)])
    assert result.exit_code == 1 and "ALTERED" in result.output
