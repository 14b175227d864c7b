"""The hours a follow-up text or call may use on its day: the call window in every place the
debtor may be, outside the times they said are inconvenient (12 CFR 1006.6(b)(1)(i), comment
6(b)(1)(i)-1; SPEC §6a, §9)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from negplan.core.compliance.contact_hours import ContactHours, day_stretches, stretches_in_words
from negplan.io.packaged import load_tables
from negplan.shell.followup_commands import contact_window
from tests.followups.story import TERMS

WINDOW = (time(8), time(21))
LA, NY, KOLKATA = "America/Los_Angeles", "America/New_York", "Asia/Kolkata"
DAY = date(2026, 12, 11)


def hours_on(hours: ContactHours, day: date = DAY) -> list[str]:
    stretches = day_stretches(hours, day, WINDOW, load_tables().zone_info)
    return [f"{s:%H:%M}–{e:%H:%M}" for s, e in stretches]


def test_alone_in_one_zone_the_day_is_the_call_window() -> None:
    assert hours_on(ContactHours(LA)) == ["08:00–21:00"]


def test_a_new_york_number_ends_a_california_debtors_day_at_18_00() -> None:
    """21:00 in New York is 18:00 in Los Angeles: later, a call to that number may ring there."""
    assert hours_on(ContactHours(LA, (NY,))) == ["08:00–18:00"]


def test_the_times_the_debtor_said_are_inconvenient_are_cut_out() -> None:
    said = ContactHours(LA, (), ("08:00-10:00", "12:30-14:00"))
    assert hours_on(said) == ["10:00–12:30", "14:00–21:00"]


def test_a_debtor_who_may_be_in_kolkata_has_the_evening_only() -> None:
    """08:00 in Kolkata is 18:30 of the day before in Los Angeles (13 h 30 min apart)."""
    assert hours_on(ContactHours(LA, (KOLKATA,))) == ["18:30–21:00"]


def test_a_day_with_no_lawful_moment_says_not_to_contact_them() -> None:
    hours = ContactHours(LA, (KOLKATA,), ("18:00-21:00",))
    stretches = day_stretches(hours, DAY, WINDOW, load_tables().zone_info)
    assert stretches == []
    words = stretches_in_words(hours, DAY, stretches, "12 CFR 1006.6(b)(1)(i)")
    assert words.startswith("no time on 2026-12-11 is lawful in every place the debtor may be")
    assert "do not contact them that day" in words


def test_the_window_is_wall_clock_on_the_day_the_clocks_change() -> None:
    """14 March 2027: both coasts spring forward, so New York's 21:00 is still 18:00 in LA."""
    assert hours_on(ContactHours(LA, (NY,)), date(2027, 3, 14)) == ["08:00–18:00"]


def test_a_window_to_midnight_reads_24_00() -> None:
    hours = ContactHours(LA)
    stretches = day_stretches(hours, DAY, (time(20), time.max), load_tables().zone_info)
    assert stretches_in_words(hours, DAY, stretches, "rule") == (
        "20:00–24:00 the debtor's local time (America/Los_Angeles) (rule)"
    )


def test_the_words_name_every_place_and_the_stated_times_with_their_rules() -> None:
    terms = replace(
        TERMS,
        jurisdiction="US-CA",
        country="US",
        contact_hours=ContactHours(LA, (NY,), ("08:00-10:00",)),
    )
    words = contact_window(load_tables(), terms, DAY)
    assert words.startswith(
        "10:00–18:00 the debtor's local time (America/Los_Angeles), lawful in every place they "
        "may be (America/New_York too); not 08:00–10:00, which the debtor said is inconvenient"
    )
    assert "every place: comment 6(b)(1)(i)-1" in words
    assert "inconvenient times: 12 CFR 1006.6(b)(1)(i)" in words


def test_an_agreement_recorded_before_the_ledger_kept_them_says_to_check_the_case_file() -> None:
    terms = replace(TERMS, jurisdiction="US-CA", country="US", contact_hours=None)
    words = contact_window(load_tables(), terms, DAY)
    assert words.startswith("08:00–21:00 the debtor's local time")
    assert words.endswith("check the case file first")


def test_an_unknown_zone_is_an_error_not_a_silent_window() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        hours_on(ContactHours("Mars/Olympus_Mons"))


def test_hours_that_cannot_be_worked_out_fall_back_to_the_window_and_the_case_file() -> None:
    """A zone this machine does not know must not stop followup after it has claimed: the
    action keeps the profile's window and the instruction to check the case file."""
    from negplan.core.followup_terms import Action, ActionKind
    from negplan.core.reasons import Reason
    from negplan.shell.followup_commands import _with_window

    terms = replace(
        TERMS, jurisdiction="US-CA", country="US", contact_hours=ContactHours("Mars/Olympus_Mons")
    )
    why = Reason("reminder", "followup.reminder_days", "payment 1 is due")
    text = Action("k", terms.case_id, ActionKind.reminder, DAY, "sms", terms.fingerprint, why)
    post = replace(text, channel="letter")
    done = _with_window(text, {terms.fingerprint: terms}, load_tables(), DAY, None)
    assert done.window.startswith("08:00–21:00 the debtor's local time")
    assert done.window.endswith("check the case file first")
    assert _with_window(post, {terms.fingerprint: terms}, load_tables(), DAY, None).window == ""
