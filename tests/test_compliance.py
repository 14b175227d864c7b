"""The compliance pre-flight (SPEC §6): call windows, call frequency, flags, wording.

Each test builds a small case inline and runs the pre-flight at a fixed moment. Unless a test
says otherwise the case is "clean": a New York debt, recently delinquent (not time-barred), the
validation notice sent, the creditor collecting its own debt, no contacts, no flags.
"""

from __future__ import annotations

import copy
import json
from datetime import date, datetime
from typing import Any, get_args

import pytest

from negplan.core.case import Case, DebtorFlags
from negplan.core.compliance import limitation_status, preflight
from negplan.core.compliance.overrides import FlagName
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules
from tests.preflight_helpers import (
    ZONES,
    finding,
    levels,
    local,
    make_case,
    run,
    utc,
    with_overrides,
)


def phone(at: str, outcome: str = "no_answer", direction: str = "outbound") -> dict[str, str]:
    return {"at": at, "channel": "phone", "outcome": outcome, "direction": direction}


# ---------------------------------------------------------------------------- call window


@pytest.mark.parametrize(
    ("jurisdiction", "wall_clock", "callable_now"),
    [
        ("US-NY", "2026-11-20 07:59", False),
        ("US-NY", "2026-11-20 08:00", True),
        ("US-NY", "2026-11-20 20:59", True),
        ("US-NY", "2026-11-20 21:00", False),
        ("GB-ENG", "2026-11-20 07:59", False),
        ("GB-ENG", "2026-11-20 08:00", True),
        ("GB-ENG", "2026-11-20 20:59", True),
        ("GB-ENG", "2026-11-20 21:00", False),
        ("IN", "2026-11-20 07:59", False),
        ("IN", "2026-11-20 08:00", True),
        ("IN", "2026-11-20 18:59", True),
        ("IN", "2026-11-20 19:00", False),
    ],
)
def test_call_window_edges_in_debtor_local_time(
    jurisdiction: str, wall_clock: str, callable_now: bool
) -> None:
    result = run(make_case(jurisdiction), local(wall_clock, ZONES[jurisdiction]))
    assert result.callable_now is callable_now
    # A UK call always carries the CONC 7.3 forbearance duties as caution items (SPEC §6a).
    allowed = "caution" if jurisdiction.startswith("GB") else "clear"
    assert result.verdict == (allowed if callable_now else "blocked")
    assert levels(result, "call_window") == ["info" if callable_now else "blocked"]


def test_call_window_is_judged_in_the_debtors_zone_not_the_callers() -> None:
    # 11:00 in New York is 08:00 in Los Angeles: fine. 10:59 New York is 07:59 there.
    case = make_case("US-CA")
    assert run(case, local("2026-11-20 11:00", "America/New_York")).callable_now
    assert not run(case, local("2026-11-20 10:59", "America/New_York")).callable_now


@pytest.mark.parametrize(
    ("jurisdiction", "now_utc", "callable_now", "reading"),
    [
        # US clocks go forward at 02:00 on 2026-03-08 (EST −05:00 → EDT −04:00).
        ("US-NY", "2026-03-07 12:00", False, "07:00 EST"),
        ("US-NY", "2026-03-08 11:59", False, "07:59 EDT"),
        ("US-NY", "2026-03-08 12:00", True, "08:00 EDT"),
        ("US-NY", "2026-03-09 00:59", True, "20:59 EDT"),
        ("US-NY", "2026-03-09 01:00", False, "21:00 EDT"),
        # US clocks go back at 02:00 on 2026-11-01 (EDT −04:00 → EST −05:00).
        ("US-NY", "2026-10-31 12:30", True, "08:30 EDT"),
        ("US-NY", "2026-11-01 12:30", False, "07:30 EST"),
        ("US-NY", "2026-11-01 13:00", True, "08:00 EST"),
        ("US-NY", "2026-11-02 01:59", True, "20:59 EST"),
        ("US-NY", "2026-11-02 02:00", False, "21:00 EST"),
        # UK clocks go forward at 01:00 UTC on 2026-03-29 (GMT → BST +01:00).
        ("GB-ENG", "2026-03-28 07:00", False, "07:00 GMT"),
        ("GB-ENG", "2026-03-29 07:00", True, "08:00 BST"),
        ("GB-ENG", "2026-03-29 19:59", True, "20:59 BST"),
        ("GB-ENG", "2026-03-29 20:00", False, "21:00 BST"),
        # UK clocks go back at 01:00 UTC on 2026-10-25 (BST → GMT).
        ("GB-ENG", "2026-10-24 07:30", True, "08:30 BST"),
        ("GB-ENG", "2026-10-25 07:30", False, "07:30 GMT"),
        ("GB-ENG", "2026-10-25 08:00", True, "08:00 GMT"),
        ("GB-ENG", "2026-10-25 21:00", False, "21:00 GMT"),
    ],
)
def test_call_window_on_daylight_saving_change_days(
    jurisdiction: str, now_utc: str, callable_now: bool, reading: str
) -> None:
    result = run(make_case(jurisdiction), utc(now_utc))
    assert result.callable_now is callable_now, reading
    assert reading[:5] in finding(result, "call_window").message


@pytest.mark.parametrize(
    ("jurisdiction", "now", "expected"),
    [
        # Blocked at 21:30: the next window is 08:00 the next morning, with that day's offset.
        ("US-NY", "2026-11-20 21:30", "2026-11-21T08:00:00-05:00"),
        ("US-NY", "2026-11-20 06:15", "2026-11-20T08:00:00-05:00"),
        ("US-NY", "2026-03-07 21:30", "2026-03-08T08:00:00-04:00"),  # springs forward overnight
        ("US-NY", "2026-10-31 21:30", "2026-11-01T08:00:00-05:00"),  # falls back overnight
        ("GB-ENG", "2026-03-28 21:30", "2026-03-29T08:00:00+01:00"),
        ("GB-ENG", "2026-10-24 21:30", "2026-10-25T08:00:00+00:00"),
        ("IN", "2026-11-20 19:00", "2026-11-21T08:00:00+05:30"),
        ("US-CA", "2026-11-20 23:59", "2026-11-21T08:00:00-08:00"),
    ],
)
def test_next_window_after_the_call_window_closes(
    jurisdiction: str, now: str, expected: str
) -> None:
    result = run(make_case(jurisdiction), local(now, ZONES[jurisdiction]))
    assert result.verdict == "blocked"
    assert result.next_window is not None
    assert result.next_window.isoformat() == expected
    assert result.to_json()["next_window"] == expected


def test_next_window_is_now_when_callable_given_in_the_debtors_zone() -> None:
    result = run(make_case("US-CA"), utc("2026-11-20 18:15"))
    assert result.verdict == "clear"
    assert result.next_window is not None
    assert result.next_window.isoformat() == "2026-11-20T10:15:00-08:00"


# ---------------------------------------------------------------------------- inconvenient times


@pytest.mark.parametrize(
    ("ranges", "now", "callable_now", "next_window"),
    [
        (["08:00-10:00"], "2026-11-20 09:00", False, "2026-11-20T10:00:00-05:00"),
        (["08:00-10:00"], "2026-11-20 10:00", True, "2026-11-20T10:00:00-05:00"),
        (["08:00-10:00"], "2026-11-20 07:30", False, "2026-11-20T10:00:00-05:00"),
        (["08:00-10:00"], "2026-11-20 21:30", False, "2026-11-21T10:00:00-05:00"),
        (["12:00-13:00", "18:00-24:00"], "2026-11-20 12:30", False, "2026-11-20T13:00:00-05:00"),
        (["12:00-13:00", "18:00-24:00"], "2026-11-20 18:00", False, "2026-11-21T08:00:00-05:00"),
        (["12:00-13:00", "18:00-24:00"], "2026-11-20 17:59", True, "2026-11-20T17:59:00-05:00"),
        (["00:00-24:00"], "2026-11-20 12:00", False, None),  # no convenient time at all
    ],
)
def test_times_the_debtor_called_inconvenient_are_blocked(
    ranges: list[str], now: str, callable_now: bool, next_window: str | None
) -> None:
    case = make_case(debtor={"name": "M", "timezone": ZONES["US-NY"], "inconvenient_times": ranges})
    result = run(case, local(now, "America/New_York"))
    assert result.callable_now is callable_now
    window = None if result.next_window is None else result.next_window.isoformat()
    assert window == next_window


def test_inconvenient_time_finding_cites_regulation_f() -> None:
    case = make_case(
        debtor={"name": "M", "timezone": ZONES["US-NY"], "inconvenient_times": ["08:00-10:00"]}
    )
    hit = finding(run(case, local("2026-11-20 09:00", "America/New_York")), "inconvenient_time")
    assert hit.level == "blocked"
    assert "1006.6(b)(1)" in hit.rule


# ---------------------------------------------------------------------------- call frequency

NOW_NY = "2026-11-20 10:00"


def calls_on(*days: str, outcome: str = "no_answer") -> list[dict[str, str]]:
    return [phone(f"{day}T09:00:00-05:00", outcome) for day in days]


@pytest.mark.parametrize(
    ("contacts", "callable_now", "next_window"),
    [
        # Six calls in the last 7 days (11-14 … 11-20): a call now is the 7th: allowed.
        (
            calls_on("2026-11-14", "2026-11-15", "2026-11-16", "2026-11-17", "2026-11-18")
            + calls_on("2026-11-20"),
            True,
            "2026-11-20T10:00:00-05:00",
        ),
        # Seven calls, one a day 11-14 … 11-20: an 8th now is presumed harassment. Tomorrow the
        # 11-14 call drops out of the 7-day window.
        (
            calls_on(*(f"2026-11-{d}" for d in range(14, 21))),
            False,
            "2026-11-21T08:00:00-05:00",
        ),
        # Seven calls all on 11-16: blocked while 11-16 is within the window, until 11-23.
        (calls_on(*["2026-11-16"] * 7), False, "2026-11-23T08:00:00-05:00"),
        # Seven calls, but one was 11-13, outside the window 11-14 … 11-20.
        (
            calls_on("2026-11-13", *(f"2026-11-{d}" for d in range(15, 21))),
            True,
            "2026-11-20T10:00:00-05:00",
        ),
    ],
)
def test_seven_calls_in_seven_days(
    contacts: list[dict[str, str]], callable_now: bool, next_window: str
) -> None:
    result = run(make_case(contacts=contacts), local(NOW_NY, "America/New_York"))
    assert result.callable_now is callable_now
    assert result.next_window is not None
    assert result.next_window.isoformat() == next_window
    assert levels(result, "call_frequency") == ["info" if callable_now else "blocked"]


def test_the_blocked_call_frequency_finding_names_the_count_and_the_day_it_lifts() -> None:
    contacts = calls_on(*(f"2026-11-{d}" for d in range(14, 21)))
    result = run(make_case(contacts=contacts), local(NOW_NY, "America/New_York"))
    hit = finding(result, "call_frequency")
    assert "call 8" in hit.message
    assert "2026-11-21" in hit.message
    assert hit.rule == "12 CFR 1006.14(b)(2)"


def test_only_outbound_phone_calls_count_towards_the_cap() -> None:
    contacts = calls_on(*(f"2026-11-{d}" for d in range(15, 21)))  # six outbound calls
    contacts += [
        phone("2026-11-19T12:00:00-05:00", "no_answer", direction="inbound"),
        {"at": "2026-11-19T12:00:00-05:00", "channel": "sms", "outcome": "sent"},
        {"at": "2026-11-19T12:00:00-05:00", "channel": "email", "outcome": "sent"},
    ]
    assert run(make_case(contacts=contacts), local(NOW_NY, "America/New_York")).callable_now


def test_calls_logged_after_now_are_not_counted() -> None:
    contacts = calls_on(*(f"2026-11-{d}" for d in range(14, 20)))
    contacts.append(phone("2026-11-20T15:00:00-05:00"))  # later today than "now"
    assert run(make_case(contacts=contacts), local(NOW_NY, "America/New_York")).callable_now


@pytest.mark.parametrize(
    ("now", "callable_now"),
    [
        ("2026-11-10 18:00", False),  # day 1: the day of the conversation
        ("2026-11-13 10:00", False),  # day 4
        ("2026-11-16 20:59", False),  # day 7
        ("2026-11-17 08:00", True),  # day 8
    ],
)
def test_no_call_within_seven_days_after_a_conversation(now: str, callable_now: bool) -> None:
    case = make_case(contacts=[phone("2026-11-10T17:40:00-05:00", "conversation")])
    result = run(case, local(now, "America/New_York"))
    assert result.callable_now is callable_now
    assert result.next_window is not None
    expected = now if callable_now else "2026-11-17 08:00"
    assert result.next_window == local(expected, "America/New_York")


def test_a_conversation_the_debtor_called_in_also_starts_the_quiet_period() -> None:
    case = make_case(
        contacts=[phone("2026-11-18T11:00:00-05:00", "conversation", direction="inbound")]
    )
    result = run(case, local(NOW_NY, "America/New_York"))
    assert not result.callable_now
    assert "2026-11-18 (day 1)" in finding(result, "call_frequency").message
    assert result.next_window == local("2026-11-25 08:00", "America/New_York")


def test_conversation_days_are_the_debtors_local_days() -> None:
    # 2026-11-11 03:00 UTC is still 2026-11-10 in New York: 11-10 is day 1, 11-17 is day 8.
    case = make_case(contacts=[phone("2026-11-11T03:00:00+00:00", "conversation")])
    assert run(case, local("2026-11-17 08:00", "America/New_York")).callable_now
    assert not run(case, local("2026-11-16 20:00", "America/New_York")).callable_now


def test_the_later_of_cap_and_quiet_period_sets_the_next_window() -> None:
    conversation = phone("2026-11-18T09:00:00-05:00", "conversation")
    contacts = [*calls_on(*["2026-11-14"] * 6), conversation]
    result = run(make_case(contacts=contacts), local(NOW_NY, "America/New_York"))
    # Cap: 7 calls in 11-14 … 11-20 lifts 11-21; quiet period 11-18 … 11-24 lifts 11-25.
    assert result.next_window == local("2026-11-25 08:00", "America/New_York")


def test_massachusetts_allows_two_calls_in_seven_days() -> None:
    case = make_case("US-MA", contacts=calls_on("2026-11-16", "2026-11-18"))
    result = run(case, local(NOW_NY, "America/New_York"))
    assert result.profile == "US-MA"
    assert not result.callable_now
    assert "940 CMR 7.04(1)(f)" in finding(result, "call_frequency").rule
    assert result.next_window == local("2026-11-23 08:00", "America/New_York")


def test_uk_and_india_cap_calls_by_firm_policy_without_a_conversation_rule() -> None:
    for jurisdiction, tz_offset in (("GB-ENG", "+00:00"), ("IN", "+05:30")):
        conversation = [phone(f"2026-11-19T10:00:00{tz_offset}", "conversation")]
        case = make_case(jurisdiction, contacts=conversation)
        result = run(case, local("2026-11-20 10:00", ZONES[jurisdiction]))
        assert result.callable_now, jurisdiction
        seven = [phone(f"2026-11-{d}T10:00:00{tz_offset}") for d in range(14, 21)]
        now = local("2026-11-20 11:00", ZONES[jurisdiction])
        result = run(make_case(jurisdiction, contacts=seven), now)
        assert not result.callable_now, jurisdiction
        assert "firm policy" in finding(result, "call_frequency").rule


# ---------------------------------------------------------------------------- flags

FLAG_TABLE = [
    # (jurisdiction, flag, level, next_window is None)
    ("US-NY", "cease_communication", "blocked", True),
    ("US-NY", "attorney_represented", "blocked", True),
    ("US-NY", "in_bankruptcy", "blocked", True),
    ("US-NY", "disputed", "blocked", True),
    ("US-NY", "breathing_space", "info", False),
    ("US-NY", "deceased", "blocked", True),
    ("GB-ENG", "cease_communication", "blocked", True),
    ("GB-ENG", "attorney_represented", "caution", False),
    ("GB-ENG", "in_bankruptcy", "blocked", True),
    ("GB-ENG", "disputed", "caution", False),
    ("GB-ENG", "breathing_space", "blocked", True),  # no start date: end unknown
    ("GB-ENG", "deceased", "blocked", True),
    ("IN", "cease_communication", "blocked", True),
    ("IN", "attorney_represented", "caution", False),
    ("IN", "in_bankruptcy", "caution", False),
    ("IN", "disputed", "caution", False),
    ("IN", "breathing_space", "info", False),
    ("IN", "deceased", "blocked", True),
]


@pytest.mark.parametrize(("jurisdiction", "flag", "level", "no_window"), FLAG_TABLE)
def test_each_flag_has_its_jurisdictions_level(
    jurisdiction: str, flag: str, level: str, no_window: bool
) -> None:
    debtor = {"name": "M", "timezone": ZONES[jurisdiction], "flags": {flag: True}}
    result = run(
        make_case(jurisdiction, debtor=debtor), local("2026-11-20 10:00", ZONES[jurisdiction])
    )
    hit = finding(result, flag)
    assert hit.level == level
    assert hit.rule
    assert result.verdict == {"blocked": "blocked", "caution": "caution", "info": "clear"}[level]
    assert result.callable_now is (level != "blocked")
    assert (result.next_window is None) is no_window


def test_attorney_represented_in_the_us_names_the_attorney_to_contact() -> None:
    flags = {"attorney_represented": True, "attorney_contact": "J. Doe, Esq., +1 212 555 0199"}
    debtor = {"name": "M", "timezone": ZONES["US-NY"], "flags": flags}
    result = run(make_case(debtor=debtor), local(NOW_NY, "America/New_York"))
    hit = finding(result, "attorney_represented")
    assert "J. Doe, Esq., +1 212 555 0199" in hit.message
    assert "1692c(a)(2)" in hit.rule


def test_a_partly_disputed_us_debt_is_a_caution_for_the_undisputed_rest() -> None:
    flags = {"disputed": True, "disputed_amount": "750.00"}
    debtor = {"name": "M", "timezone": ZONES["US-NY"], "flags": flags}
    result = run(make_case(debtor=debtor), local(NOW_NY, "America/New_York"))
    hit = finding(result, "disputed")
    assert hit.level == "caution"
    assert "8000.00 USD" in hit.message  # 8750.00 balance − 750.00 disputed
    assert any("750.00 USD" in line for line in result.avoid)
    assert result.callable_now


@pytest.mark.parametrize(
    ("now", "level", "next_window"),
    [
        # Started 2026-11-01: runs through 2026-12-31 (60 days after the start); calls resume
        # 2027-01-01 at the start of the call window.
        ("2026-11-20 10:00", "blocked", "2027-01-01T08:00:00+00:00"),
        ("2026-12-31 20:00", "blocked", "2027-01-01T08:00:00+00:00"),
        ("2027-01-01 08:00", "caution", "2027-01-01T08:00:00+00:00"),  # flag left set: check
    ],
)
def test_breathing_space_blocks_for_sixty_days_from_its_start(
    now: str, level: str, next_window: str
) -> None:
    flags = {"breathing_space": True, "breathing_space_start": "2026-11-01"}
    debtor = {"name": "M", "timezone": ZONES["GB-ENG"], "flags": flags}
    result = run(make_case("GB-ENG", debtor=debtor), local(now, "Europe/London"))
    hit = finding(result, "breathing_space")
    assert hit.level == level
    assert "SI 2020/1311" in hit.rule
    assert result.next_window is not None
    assert result.next_window.isoformat() == next_window


@pytest.mark.parametrize("jurisdiction", ["GB-SCT", "GB-NIR"])
def test_breathing_space_outside_england_and_wales_has_no_known_end(jurisdiction: str) -> None:
    flags = {"breathing_space": True, "breathing_space_start": "2026-11-01"}
    debtor = {"name": "M", "timezone": ZONES[jurisdiction], "flags": flags}
    result = run(make_case(jurisdiction, debtor=debtor), local("2026-11-20 10:00", "Europe/London"))
    assert finding(result, "breathing_space").level == "blocked"
    assert result.next_window is None


def test_a_flag_block_outlasts_a_closed_window() -> None:
    debtor = {"name": "M", "timezone": ZONES["US-NY"], "flags": {"deceased": True}}
    result = run(make_case(debtor=debtor), local("2026-11-20 22:00", "America/New_York"))
    assert result.verdict == "blocked"
    assert result.next_window is None
    assert {f.check for f in result.findings if f.level == "blocked"} == {"call_window", "deceased"}


# ---------------------------------------------------------------------------- notices and wording


def test_us_validation_notice_not_sent_is_a_caution_with_its_due_date() -> None:
    debt = {"validation_notice_sent": None}
    creditor = {"name": "Acme Recovery", "kind": "collection_agency"}
    contacts = [phone("2026-11-12T10:00:00-05:00", "conversation")]
    case = make_case(debt=debt, contacts=contacts, creditor=creditor)
    result = run(case, local("2026-11-20 10:00", ZONES["US-NY"]))
    hit = finding(result, "validation_notice")
    assert hit.level == "caution"
    assert "2026-11-17" in hit.message  # 5 days after the initial communication on 11-12
    assert "1006.34" in hit.rule
    assert result.verdict == "caution"


def test_no_validation_notice_check_outside_the_us() -> None:
    creditor = {"name": "Acme Recovery", "kind": "collection_agency"}
    case = make_case("GB-ENG", debt={"validation_notice_sent": None}, creditor=creditor)
    result = run(case, local("2026-11-20 10:00", "Europe/London"))
    assert levels(result, "validation_notice") == []
    assert {f.check for f in result.findings if f.level != "info"} == {
        "forbearance",
        "debt_advice",
        "no_pressure",
    }


def test_third_party_collector_in_the_us_opens_with_the_debt_collector_disclosure() -> None:
    creditor = {"name": "Acme Recovery", "is_third_party_collector": True}
    result = run(make_case(creditor=creditor), local(NOW_NY, "America/New_York"))
    assert result.disclosures[0].startswith("This is a communication from a debt collector.")
    assert "1006.18(e)" in finding(result, "collector_disclosure").rule
    assert result.verdict == "clear"


def test_no_collector_disclosure_for_a_creditor_or_outside_the_us() -> None:
    assert run(make_case(), local(NOW_NY, "America/New_York")).disclosures == []
    creditor = {"name": "Acme Recovery", "is_third_party_collector": True}
    result = run(make_case("GB-ENG", creditor=creditor), local(NOW_NY, "Europe/London"))
    assert result.disclosures == []


def old_debt(jurisdiction: str, **changes: Any) -> Case:
    debt = {"first_delinquency": "2015-03-01", "last_payment": "2015-02-01"}
    return make_case(jurisdiction, debt=debt, **changes)


def test_time_barred_us_debt_forbids_mention_of_a_lawsuit_and_carries_the_state_disclosure() -> (
    None
):
    result = run(old_debt("US-CA"), local("2026-11-20 10:00", ZONES["US-CA"]))
    hit = finding(result, "time_barred")
    assert hit.level == "caution"
    assert "1006.26(b)" in hit.rule
    assert "Do not threaten or mention a lawsuit: the debt is time-barred (12 CFR 1006.26(b))" in (
        result.avoid
    )
    # The state's own words to read out, never a paraphrase (SPEC §6a "Words").
    [state] = [d for d in result.disclosures if "1788.14(d)" in d]
    assert state.startswith("The law limits how long you can be sued on a debt.")
    assert "summary" not in state
    assert result.verdict == "caution"
    assert result.callable_now


def test_a_state_disclosure_says_whom_it_binds() -> None:
    result = run(old_debt("US-TX"), local("2026-11-20 10:00", ZONES["US-TX"]))
    # Texas's words bind debt buyers only: an original creditor reads the federal wording.
    [state] = result.disclosures
    assert state.endswith("(12 CFR 1006.26(b))")
    assert "CANNOT SUE" not in state


def test_a_debt_that_is_not_time_barred_gets_an_info_finding_and_no_lawsuit_warning() -> None:
    result = run(make_case("US-CA"), local("2026-11-20 10:00", ZONES["US-CA"]))
    assert levels(result, "time_barred") == ["info"]
    assert not any("lawsuit" in line for line in result.avoid)


def test_mississippi_time_barred_debt_is_extinguished() -> None:
    result = run(old_debt("US-MS"), local("2026-11-20 10:00", ZONES["US-MS"]))
    hit = finding(result, "time_barred")
    assert hit.level == "caution"
    assert "extinguish" in hit.message
    assert "15-1-3" in hit.message
    assert any("extinguished" in line for line in result.avoid)
    assert not any(d.startswith("Mississippi") for d in result.disclosures)


def test_uk_statute_barred_debt_forbids_threats_of_court_action() -> None:
    result = run(old_debt("GB-ENG"), local("2026-11-20 10:00", "Europe/London"))
    assert finding(result, "time_barred").level == "caution"
    assert "Do not threaten court action on statute-barred debt (CONC 7.15.4R, 7.15.7)" in (
        result.avoid
    )


def test_scottish_prescribed_debt_is_extinguished() -> None:
    result = run(old_debt("GB-SCT"), local("2026-11-20 10:00", "Europe/London"))
    hit = finding(result, "time_barred")
    assert "5-year" in hit.message
    assert "extinguishes the debt itself" in hit.message
    assert "no longer exists" in hit.message


def test_indian_time_barred_debt_is_a_caution() -> None:
    result = run(old_debt("IN"), local("2026-11-20 10:00", "Asia/Kolkata"))
    hit = finding(result, "time_barred")
    assert hit.level == "caution"
    assert "Limitation Act 1963" in hit.rule


def test_plain_us_has_no_known_limitation_period_and_says_so() -> None:
    result = run(make_case("US"), local(NOW_NY, "America/New_York"))
    hit = finding(result, "time_barred")
    assert hit.level == "caution"
    assert "Cannot tell" in hit.message
    assert any("lawsuit" in line for line in result.avoid)
    assert result.callable_now


# ---------------------------------------------------------------------------- rules overrides


def test_rules_can_tighten_the_call_window() -> None:
    rules = with_overrides(
        {"profiles": {"US": {"call_window": {"start": "09:00", "end": "20:00"}}}}
    )
    result = run(make_case(), local("2026-11-20 08:30", "America/New_York"), rules)
    assert not result.callable_now
    assert "compliance.profiles.US.call_window" in finding(result, "call_window").rule
    assert result.next_window == local("2026-11-20 09:00", "America/New_York")


def test_rules_cannot_widen_a_statutory_call_window() -> None:
    rules = with_overrides(
        {"profiles": {"US": {"call_window": {"start": "07:00", "end": "22:00"}}}}
    )
    result = run(make_case(), local("2026-11-20 07:30", "America/New_York"), rules)
    assert not result.callable_now
    assert levels(result, "rules_override") == ["info"]


def test_rules_can_widen_a_firm_practice_call_window() -> None:
    rules = with_overrides(
        {"profiles": {"GB": {"call_window": {"start": "07:00", "end": "22:00"}}}}
    )
    assert run(make_case("GB-ENG"), local("2026-11-20 07:30", "Europe/London"), rules).callable_now


def test_rules_subdivision_override_beats_country_override() -> None:
    rules = with_overrides(
        {"profiles": {"GB": {"max_calls_in_7_days": 5}, "GB-ENG": {"max_calls_in_7_days": 3}}}
    )
    contacts = [phone(f"2026-11-{d}T10:00:00+00:00") for d in (18, 19, 20)]
    result = run(
        make_case("GB-ENG", contacts=contacts), local("2026-11-20 11:00", "Europe/London"), rules
    )
    assert result.profile == "GB-ENG"
    assert not result.callable_now
    assert (
        "compliance.profiles.GB-ENG.max_calls_in_7_days" in finding(result, "call_frequency").rule
    )


def test_rules_cannot_raise_the_regulation_f_call_cap() -> None:
    rules = with_overrides({"profiles": {"US": {"max_calls_in_7_days": 10}}})
    contacts = calls_on(*(f"2026-11-{d}" for d in range(14, 21)))
    result = run(make_case(contacts=contacts), local(NOW_NY, "America/New_York"), rules)
    assert not result.callable_now
    assert "ignored" in finding(result, "rules_override").message


def test_rules_can_make_a_flag_stricter_but_not_weaker_where_the_law_sets_it() -> None:
    stricter = with_overrides(
        {"profiles": {"GB": {"flags": {"attorney_represented": {"level": "blocked"}}}}}
    )
    debtor = {"name": "M", "timezone": "Europe/London", "flags": {"attorney_represented": True}}
    result = run(
        make_case("GB-ENG", debtor=debtor), local("2026-11-20 10:00", "Europe/London"), stricter
    )
    assert finding(result, "attorney_represented").level == "blocked"

    weaker = with_overrides({"profiles": {"US": {"flags": {"disputed": {"level": "caution"}}}}})
    debtor = {"name": "M", "timezone": "America/New_York", "flags": {"disputed": True}}
    result = run(make_case(debtor=debtor), local(NOW_NY, "America/New_York"), weaker)
    assert finding(result, "disputed").level == "blocked"


def test_overrides_load_from_a_rules_file(tmp_path: Any) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        "compliance:\n"
        "  profiles:\n"
        "    IN: {call_window: {start: '09:00', end: '18:00'}, max_calls_in_7_days: 3}\n"
        "  limitation_years: {US-KY: {written: 10}}\n",
        encoding="utf-8",
    )
    rules = load_rules(path)
    result = run(make_case("IN"), local("2026-11-20 18:30", "Asia/Kolkata"), rules)
    assert not result.callable_now
    assert result.next_window == local("2026-11-21 09:00", "Asia/Kolkata")


def test_a_misspelt_jurisdiction_in_the_overrides_is_an_error(tmp_path: Any) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("compliance:\n  profiles:\n    US-CAL: {max_calls_in_7_days: 3}\n")
    with pytest.raises(ValueError, match="US-CAL"):
        load_rules(path)


# ---------------------------------------------------------------------------- the result


def test_verdict_is_the_most_serious_finding_and_the_model_dumps_to_json() -> None:
    creditor = {"name": "Acme Recovery", "is_third_party_collector": True}
    debtor = {"name": "M", "timezone": ZONES["US-NY"], "flags": {"cease_communication": True}}
    result = run(
        old_debt("US-NY", creditor=creditor, debtor=debtor), local(NOW_NY, "America/New_York")
    )
    assert result.verdict == "blocked"
    assert not result.callable_now
    dumped = json.loads(json.dumps(result.to_json()))
    assert set(dumped) >= {
        "verdict",
        "callable_now",
        "next_window",
        "findings",
        "disclosures",
        "avoid",
        "profile",
    }
    assert dumped["next_window"] is None
    assert dumped["findings"], "a blocked verdict comes from findings"
    assert all(set(f) == {"check", "level", "message", "rule"} for f in dumped["findings"])
    assert all(f["rule"] for f in dumped["findings"])


def test_a_clean_case_is_clear() -> None:
    result = run(make_case(), local(NOW_NY, "America/New_York"))
    assert result.verdict == "clear"
    assert result.callable_now
    assert {f.level for f in result.findings} == {"info"}
    assert result.avoid  # the general "do not" lines are always there
    assert result.profile == "US"


def test_now_must_be_timezone_aware() -> None:
    case = make_case()
    rules = load_rules()
    with pytest.raises(ValueError, match="aware"):
        preflight(
            case,
            rules,
            load_tables(),
            datetime(2026, 11, 20, 10, 0),
            limitation_status(case, rules, load_tables(), date(2026, 11, 20)),
        )


def test_preflight_is_deterministic_and_does_not_change_its_inputs() -> None:
    case = make_case(contacts=calls_on("2026-11-18"))
    before = copy.deepcopy(case.model_dump())
    first = run(case, local(NOW_NY, "America/New_York"))
    second = run(case, local(NOW_NY, "America/New_York"))
    assert first == second
    assert case.model_dump() == before


@pytest.mark.parametrize("code", sorted({*load_tables().profiles, "US-CA", "GB-ENG", "IN-MH"}))
def test_every_shipped_profile_loads_and_covers_every_flag(code: str) -> None:
    profile = load_tables().profile(code)
    case_flags = {n for n, f in DebtorFlags.model_fields.items() if f.annotation is bool}
    assert set(profile.flags) == case_flags == set(get_args(FlagName))
    assert all(rule.rule for rule in profile.flags.values())
    assert profile.call_window.rule


def test_a_servicemember_is_a_caution_with_the_scra_rights_to_offer() -> None:
    case = make_case(debtor={"name": "A. Reyes", "timezone": "America/New_York",
                             "flags": {"servicemember": True}})  # fmt: skip
    result = run(case, local(NOW_NY, "America/New_York"))
    finding = next(f for f in result.findings if f.check == "servicemember")
    assert (result.verdict, finding.level) == ("caution", "caution")
    assert "50 USC 3937" in finding.rule and "6%" in finding.message


def test_an_open_financial_assistance_application_forbids_sale_reporting_and_suit_talk() -> None:
    case = make_case(debtor={"name": "A. Reyes", "timezone": "America/New_York",
                             "flags": {"financial_assistance_pending": True}})  # fmt: skip
    result = run(case, local(NOW_NY, "America/New_York"))
    finding = next(f for f in result.findings if f.check == "financial_assistance_pending")
    assert finding.level == "caution" and "501(r)" in finding.rule
    assert any("financial-assistance application is open" in line for line in result.avoid)


def test_us_only_flags_are_information_outside_the_us() -> None:
    case = make_case("GB-ENG", debtor={"name": "A. Reyes", "timezone": "Europe/London",
                                       "flags": {"servicemember": True}})  # fmt: skip
    result = run(case, local("2026-11-20 10:00", "Europe/London"))
    finding = next(f for f in result.findings if f.check == "servicemember")
    assert finding.level == "info"


def test_a_third_party_collector_flag_reads_as_a_collection_agency() -> None:
    from negplan.core.case import CreditorKind

    agency = make_case(creditor={"name": "Acme Recovery", "is_third_party_collector": True})
    own = make_case()
    buyer = make_case(creditor={"name": "Debt Buyer LLC", "kind": "debt_buyer"})
    assert agency.creditor.effective_kind is CreditorKind.collection_agency
    assert own.creditor.effective_kind is CreditorKind.original_creditor
    assert (agency.creditor.is_debt_collector, own.creditor.is_debt_collector) == (True, False)
    assert buyer.creditor.is_debt_collector
