"""SMS reminders (SPEC §9): a debtor with a mobile and no email is texted; an SMS (or phone)
opt-out moves the reminder to post; every text says how to stop texts (12 CFR 1006.6(e)) and is
sent only within the debtor's lawful hours (12 CFR 1006.6(b)(1)(i)), which its sheet and the
calendar state."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from negplan.core.case import OptOut
from negplan.core.followup_terms import Action, ActionKind, AgreedTerms
from negplan.core.followups import reminder_channel
from negplan.core.ledger_events import CaseHistory
from negplan.io.phones import mobile_number
from negplan.letters.sms import STOP_SENTENCE, sms_sheet, sms_text
from tests.followups.story import CASE, TERMS, arrangement, play
from tests.followups.test_followup_cli import MARIA, followup, run, tracked
from tests.followups.test_letters import US
from tests.golden import assert_golden

MOBILE = "+14155550134"
TEXTED = replace(US, debtor_email="", debtor_mobile=MOBILE)
WINDOW = "08:00–21:00 the debtor's local time (12 CFR 1006.6(b)(1)(i))"


def _reminder(
    terms: AgreedTerms = TEXTED, opt_outs: frozenset[OptOut] = frozenset()
) -> list[Action]:
    """The reminders ``followup`` issues on 1 December (payment 1 is due on the 4th)."""
    history = CaseHistory(CASE, arrangements=(arrangement(),))
    day = date(2026, 12, 1)
    actions = play(history, day, day, terms=terms, opt_outs=opt_outs).get(day, [])
    return [a for a in actions if a.kind is ActionKind.reminder]


def test_a_debtor_with_a_mobile_and_no_email_is_texted() -> None:
    [reminder] = _reminder()
    assert reminder.channel == "sms"


@pytest.mark.parametrize(
    ("opt_outs", "email", "expected"),
    [
        (frozenset(), "maria@example.com", "email"),  # email first: she gave it
        (frozenset({OptOut.email}), "maria@example.com", "sms"),
        (frozenset({OptOut.sms}), "", "letter"),
        (frozenset({OptOut.phone}), "", "letter"),  # "do not phone me" covers texts
        (frozenset({OptOut.sms, OptOut.letter}), "", None),
    ],
)
def test_the_reminder_channel_honours_opt_outs(
    opt_outs: frozenset[OptOut], email: str, expected: str | None
) -> None:
    assert reminder_channel(replace(TEXTED, debtor_email=email), opt_outs) == expected


def test_an_sms_opt_out_in_the_ledger_sends_the_reminder_by_post() -> None:
    [reminder] = _reminder(opt_outs=frozenset({OptOut.sms}))
    assert reminder.channel == "letter"
    gone = replace(TEXTED, debtor_address="")
    assert _reminder(gone, frozenset({OptOut.sms})) == []


def test_no_mobile_no_text() -> None:
    [reminder] = _reminder(replace(TERMS, debtor_email=""))
    assert reminder.channel == "letter"


def test_the_text_is_short_and_says_who_what_when_and_how_to_stop() -> None:
    [reminder] = _reminder()
    text = sms_text(reminder, TEXTED)
    assert text.endswith(STOP_SENTENCE)
    assert "Northwind Lending LLC" in text and "$100.00" in text
    assert "Friday 4 December 2026" in text and "from a debt collector" in text
    assert len(text) <= 320  # two SMS segments at most


def test_golden_sms_sheet_states_the_number_and_the_lawful_window() -> None:
    [reminder] = _reminder()
    sheet = sms_sheet(replace(reminder, window=WINDOW), TEXTED, reminder.on)
    assert f"To: {MOBILE}" in sheet and f"only within {WINDOW}" in sheet
    assert_golden(sheet, "letters/us-reminder.sms.txt", test_file="tests/followups/test_sms.py")


@pytest.mark.parametrize(
    ("number", "region", "expected"),
    [
        ("+1 415 555 0134", "US", MOBILE),  # North America: fixed line or mobile
        ("07400 123456", "GB", "+447400123456"),
        ("+44 113 496 0000", "GB", None),  # a Leeds landline
        ("not a number", "US", None),
    ],
)
def test_mobile_numbers(number: str, region: str, expected: str | None) -> None:
    assert mobile_number(number, region) == expected


def test_agreement_records_the_mobile_and_followup_texts_within_the_window(tmp_path: Path) -> None:
    """End to end: the case file's mobile is recorded by ``agreement``; ``followup`` writes the
    text's sheet, says the window on its line and in the calendar; an SMS opt-out ends texts."""
    case = tmp_path / "maria.yaml"
    text = MARIA.read_text(encoding="utf-8")
    case.write_text(text.replace("  email: maria@example.com\n", ""), encoding="utf-8")
    ledger = tracked(tmp_path, case)
    out = tmp_path / "letters"
    ics = tmp_path / "today.ics"
    said = followup(ledger, "2026-12-04", out, "--ics", str(ics))
    # Maria said 08:00-10:00 is inconvenient: a text is no more lawful then than a call.
    assert "sms     NW-2026-00187: reminder" in said and "send within 10:00–21:00" in said
    [sheet] = out.glob("*.sms.txt")
    body = sheet.read_text(encoding="utf-8")
    assert f"To: {MOBILE}" in body and STOP_SENTENCE in body and "10:00–21:00" in body
    assert "not 08:00–10:00, which the debtor said is inconvenient" in body
    events = list(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    texted = next(e for e in events if "by sms" in str(e["SUMMARY"]))
    assert "Lawful window: 10:00–21:00" in str(texted["DESCRIPTION"])
    run("log", "NW-2026-00187", "--opt-out", "sms", "--ledger", ledger)
    later = followup(ledger, "2027-01-04", out)
    assert "reminder" in later and "sms " not in later
