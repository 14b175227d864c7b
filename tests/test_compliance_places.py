"""Lawful to call, place by place (SPEC §6a, issue 13): every location, state caps as data,
first-party creditors, opt-outs, credit reporting, recording notice, UK and India duties.

Each test is one finding of the issue's compliance review, as a case that failed before the fix.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negplan.core.compliance.calls import Span, lawful_everywhere, next_window
from negplan.core.compliance.locations import debtor_locations
from negplan.core.tables import StateContactRule
from negplan.io.packaged import load_tables
from tests.preflight_helpers import (
    ZONES,
    finding,
    levels,
    local,
    make_case,
    run,
    with_overrides,
)

NY = "America/New_York"
LA = "America/Los_Angeles"
COLLECTOR = {"name": "Acme Recovery", "kind": "collection_agency"}
ZONES.update({"US-AZ": "America/Phoenix", "US-WA": LA, "US-FL": NY})


def debtor(**changes: Any) -> dict[str, Any]:
    return {"name": "Maria Lopez", "timezone": NY, **changes}


def sent(at: str, channel: str, outcome: str = "sent") -> dict[str, str]:
    return {"at": at, "channel": channel, "outcome": outcome}


# ---------------------------------------------------------------------------- every location


def test_a_san_francisco_address_and_a_415_number_block_07_30_pacific() -> None:
    """The review's case: zone New York, address in San Francisco, a 415 number, 07:30 Pacific
    (10:30 in New York) was CLEAR; Regulation F comment 6(b)(1)(i)-1 makes it blocked."""
    who = debtor(address="1 Market St, San Francisco, CA 94105", phone="+1 415 555 0134")
    result = run(make_case(debtor=who), local("2026-11-20 07:30", LA))
    assert result.verdict == "blocked"
    hit = finding(result, "call_window")
    assert hit.level == "blocked"
    assert "07:30 in America/Los_Angeles" in hit.message
    assert "6(b)(1)(i)-1" in hit.rule
    # Lawful everywhere at 08:00 Pacific (11:00 New York), given in the debtor's own zone.
    assert result.next_window == local("2026-11-20 08:00", LA)
    assert result.next_window is not None and result.next_window.tzinfo == ZoneInfo(NY)


def test_the_window_closes_at_21_00_in_the_earliest_zone() -> None:
    """A Los Angeles debtor with a New York number: 18:30 Pacific is 21:30 in New York."""
    case = make_case("US-CA", debtor={"name": "M", "timezone": LA, "phone": "+1 212 555 0100"})
    result = run(case, local("2026-11-20 18:30", LA))
    assert levels(result, "call_window") == ["blocked"]
    assert result.next_window == local("2026-11-21 08:00", LA)


def test_the_places_are_the_zone_the_address_state_and_the_phone_zones() -> None:
    who = debtor(address="500 Main St, El Paso, TX 79901", phone="+1 415 555 0134")
    places = debtor_locations(make_case("US-TX", debtor=who), load_tables())
    assert [p.zone for p in places] == [NY, "America/Denver", LA]
    assert places[1].source == "address in US-TX 79901"
    assert places[2].source == "phone +1 415 555 0134"


@pytest.mark.parametrize(
    ("address", "zones"),
    [
        ("4810 Richmond Ave, Houston, TX 77027", ["America/Chicago"]),  # Texas's main zone
        ("1 Main St, Van Horn, TX 79855", ["America/Denver", "America/Chicago"]),  # straddles
        ("1 Main St, Pensacola, FL 32501", ["America/Chicago"]),
        ("1 Main St, Adak, AK 99546", ["America/Adak"]),  # a 5-digit row beats its 3-digit area
        ("1 Main St, Boston, MA 02108", [NY]),
    ],
)
def test_in_a_state_of_two_zones_the_zip_decides(address: str, zones: list[str]) -> None:
    who = {"name": "M", "timezone": "UTC", "address": address}
    places = debtor_locations(make_case(debtor=who), load_tables())
    assert [p.zone for p in places[1:]] == [z for z in zones if z != "UTC"]


def test_an_unparseable_phone_number_adds_no_place() -> None:
    places = debtor_locations(make_case(debtor=debtor(phone="call after 6")), load_tables())
    assert [p.zone for p in places] == [NY]


def test_places_with_no_common_hour_block_the_call_and_say_why() -> None:
    who = debtor(phone="+91 98765 43210", address="1 Ala Moana Blvd, Honolulu, HI 96814")
    result = run(make_case(debtor=who), local("2026-11-20 12:00", NY))
    assert result.verdict == "blocked"
    assert result.next_window is None
    assert finding(result, "no_common_window").level == "blocked"


@pytest.mark.parametrize(
    ("now", "lawful", "opens"),
    [
        # Saturday 2026-03-07: Phoenix is UTC-7, Los Angeles still UTC-8 (08:00 PST = 09:00 MST).
        ("2026-03-07 07:45", False, "2026-03-07 09:00"),
        ("2026-03-07 08:30", False, "2026-03-07 09:00"),
        # Los Angeles springs forward on Sunday 2026-03-08: both zones are UTC-7 from then on.
        ("2026-03-07 21:30", False, "2026-03-08 08:00"),
        ("2026-03-08 08:30", True, "2026-03-08 08:30"),
        # Sunday 2026-11-01: Los Angeles falls back, 08:00 PST is 09:00 in Phoenix again.
        ("2026-11-01 08:30", False, "2026-11-01 09:00"),
    ],
)
def test_every_location_across_a_daylight_saving_change(now: str, lawful: bool, opens: str) -> None:
    """Arizona keeps standard time all year; a California number follows daylight saving."""
    zone = "America/Phoenix"
    case = make_case("US-AZ", debtor={"name": "M", "timezone": zone, "phone": "+1 415 555 0134"})
    result = run(case, local(now, zone))
    assert result.callable_now is lawful
    assert result.next_window == local(opens, zone)


WINDOW = (datetime.min.time().replace(hour=8), datetime.min.time().replace(hour=21))
ZONE_NAMES = [NY, LA, "America/Phoenix", "Europe/London", "Asia/Kolkata", "Pacific/Honolulu"]


@settings(max_examples=150, deadline=None)
@given(
    zones=st.lists(st.sampled_from(ZONE_NAMES), min_size=1, max_size=3),
    extra=st.sampled_from(ZONE_NAMES),
    minutes=st.integers(min_value=0, max_value=60 * 24 * 400),
)
def test_adding_a_location_never_makes_an_unlawful_call_lawful(
    zones: list[str], extra: str, minutes: int
) -> None:
    moment = datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=minutes)
    spans: list[Span] = [(ZoneInfo(z), [WINDOW]) for z in zones]
    more = [*spans, (ZoneInfo(extra), [WINDOW])]
    if lawful_everywhere(moment, more):
        assert lawful_everywhere(moment, spans)
    first = ZoneInfo(zones[0])
    before = next_window(moment, first, moment.astimezone(first).date(), spans)
    after = next_window(moment, first, moment.astimezone(first).date(), more)
    if before is None:  # no hour is lawful in all of them (New York, Kolkata and Honolulu)
        assert after is None
    else:
        assert after is None or after >= before
    if after is not None:
        assert lawful_everywhere(after, more)


PHONES = [
    "+1 415 555 0134",
    "+1 212 555 0100",
    "+1 808 555 0100",
    "+44 20 7946 0000",
    "+91 98765 43210",
]


@settings(max_examples=60, deadline=None)
@given(
    phone=st.sampled_from(PHONES),
    minutes=st.integers(min_value=0, max_value=60 * 24 * 30),
)
def test_a_phone_number_never_makes_the_pre_flight_allow_a_call(phone: str, minutes: int) -> None:
    """The same property through the whole pre-flight: with a number on file, a call is
    allowed only if it was allowed without it, and never sooner."""
    now = datetime(2026, 10, 20, tzinfo=timezone.utc) + timedelta(minutes=minutes)
    without = run(make_case(debtor=debtor()), now)
    with_phone = run(make_case(debtor=debtor(phone=phone)), now)
    if with_phone.callable_now:
        assert without.callable_now
    if with_phone.next_window is not None:
        assert without.next_window is not None
        assert with_phone.next_window >= without.next_window


# ---------------------------------------------------------------------------- state rules


def test_massachusetts_counts_a_text_and_a_call() -> None:
    """940 CMR 7.04(1)(f): one text and one call (a message left) in a week is the limit."""
    contacts = [
        sent("2026-11-16T10:00:00-05:00", "sms"),
        sent("2026-11-18T10:00:00-05:00", "phone", "voicemail"),
    ]
    result = run(make_case("US-MA", contacts=contacts), local("2026-11-20 10:00", NY))
    hit = finding(result, "state_contact_limit")
    assert hit.level == "blocked"
    assert "940 CMR 7.04(1)(f)" in hit.rule
    assert "Calls may resume on 2026-11-23" in hit.message
    assert result.next_window == local("2026-11-23 08:00", NY)


def test_an_unanswered_call_is_not_a_massachusetts_communication() -> None:
    contacts = [
        sent("2026-11-16T10:00:00-05:00", "sms"),
        sent("2026-11-18T10:00:00-05:00", "phone", "no_answer"),
    ]
    result = run(make_case("US-MA", contacts=contacts), local("2026-11-20 10:00", NY))
    assert levels(result, "state_contact_limit") == ["info"]


def test_washington_counts_three_calls_and_an_email_for_a_collector() -> None:
    """RCW 19.16.250(13): three calls and an email gave CLEAR."""
    contacts = [
        sent("2026-11-14T10:00:00-08:00", "phone", "voicemail"),
        sent("2026-11-15T10:00:00-08:00", "phone", "voicemail"),
        sent("2026-11-16T10:00:00-08:00", "phone", "voicemail"),
        sent("2026-11-17T10:00:00-08:00", "email"),
    ]
    who = {"name": "M", "timezone": LA}
    case = make_case("US-WA", debtor=who, creditor=COLLECTOR, contacts=contacts)
    result = run(case, local("2026-11-19 10:00", LA))
    hit = finding(result, "state_contact_limit")
    assert (hit.level, hit.rule) == ("blocked", "RCW 19.16.250(13)")
    # Washington's Collection Agency Act does not bind a creditor collecting its own debt.
    own = make_case("US-WA", debtor=who, contacts=contacts)
    assert levels(run(own, local("2026-11-19 10:00", LA)), "state_contact_limit") == []


def test_a_new_york_city_address_brings_the_city_rule() -> None:
    contacts = [
        sent("2026-11-16T10:00:00-05:00", "email"),
        sent("2026-11-17T10:00:00-05:00", "sms"),
    ]
    who = debtor(address="350 5th Ave, New York, NY 10118")
    case = make_case(debtor=who, creditor=COLLECTOR, contacts=contacts)
    hit = finding(run(case, local("2026-11-20 10:00", NY)), "state_contact_limit")
    assert hit.level == "blocked" and "6 RCNY 5-77" in hit.rule
    upstate = make_case(debtor=debtor(address="1 Main St, Albany, NY 12207"), contacts=contacts)
    assert levels(run(upstate, local("2026-11-20 10:00", NY)), "state_contact_limit") == []


def _zone_of(row: StateContactRule) -> str:
    return load_tables().place_zones[row.code[:5]][0]


@pytest.mark.parametrize("row", load_tables().state_contact_rules, ids=lambda r: r.code)
def test_each_state_row_blocks_at_its_cap_and_not_below(row: StateContactRule) -> None:
    """Table-driven: every shipped row, at its cap and one below, on each channel it counts."""
    zone = _zone_of(row)
    address = "350 5th Ave, New York, NY 10118" if row.code == "US-NY-NYC" else None
    jurisdiction = row.code[:5]
    now = local("2026-11-20 10:00", zone)
    for channel in row.channels:
        outcome = "voicemail" if channel == "phone" else "sent"
        logged = [
            sent((now - timedelta(days=1 + n)).isoformat(), channel, outcome)
            for n in range(row.max_in_7_days)
        ]
        for contacts, blocked in ((logged, True), (logged[:-1], False)):
            who = {"name": "M", "timezone": zone, "address": address}
            case = make_case(jurisdiction, debtor=who, creditor=COLLECTOR, contacts=contacts)
            result = run(case, now)
            hit = finding(result, "state_contact_limit")
            assert hit.level == ("blocked" if blocked else "info"), (channel, hit)
            assert hit.rule == row.citation
    # A row only tightens: below its cap the federal 7-in-7 still decides.
    assert row.max_in_7_days < 7


# ---------------------------------------------------------------------------- who collects


def test_an_original_creditor_gets_no_collector_checks() -> None:
    """Five of ten examples got a false validation-notice caution (15 USC 1692a(6))."""
    case = make_case(debt={"validation_notice_sent": None})
    result = run(case, local("2026-11-20 10:00", NY))
    assert levels(result, "validation_notice") == []
    assert levels(result, "collector_disclosure") == []
    assert levels(result, "first_party") == ["info"]
    assert result.verdict == "clear"


@pytest.mark.parametrize("kind", ["debt_buyer", "collection_agency"])
def test_a_debt_buyer_and_an_agency_owe_the_notice_and_the_disclosure(kind: str) -> None:
    creditor = {"name": "Acme", "kind": kind}
    case = make_case(debt={"validation_notice_sent": None}, creditor=creditor)
    result = run(case, local("2026-11-20 10:00", NY))
    assert levels(result, "validation_notice") == ["caution"]
    assert result.disclosures[0].startswith("This is a communication from a debt collector.")


# ---------------------------------------------------------------------------- opt-outs


def test_a_phone_opt_out_blocks_the_call_with_no_known_end() -> None:
    result = run(make_case(debtor=debtor(opt_outs=["phone"])), local("2026-11-20 10:00", NY))
    assert finding(result, "opt_out_phone").level == "blocked"
    assert "1006.14(h)" in finding(result, "opt_out_phone").rule
    assert result.next_window is None


@pytest.mark.parametrize(("jurisdiction", "zone"), [("US-NY", NY), ("GB-ENG", "Europe/London")])
def test_a_work_opt_out_is_a_caution(jurisdiction: str, zone: str) -> None:
    who = {"name": "M", "timezone": zone, "opt_outs": ["work"]}
    result = run(make_case(jurisdiction, debtor=who), local("2026-11-20 10:00", zone))
    assert finding(result, "opt_out_work").level == "caution"


def test_email_and_text_opt_outs_are_named() -> None:
    result = run(make_case(debtor=debtor(opt_outs=["email", "sms"])), local("2026-11-20 10:00", NY))
    hit = finding(result, "opt_out_channels")
    assert "email, text messages" in hit.message
    assert result.verdict == "clear"


# ---------------------------------------------------------------------------- reporting, recording


def test_a_collector_may_not_report_before_communicating() -> None:
    creditor = {**COLLECTOR, "reports_to_credit_bureaus": True}
    first = run(make_case(creditor=creditor), local("2026-11-20 10:00", NY))
    assert finding(first, "credit_reporting").level == "caution"
    assert finding(first, "credit_reporting").rule == "12 CFR 1006.30(a)(1)"
    talked = [sent("2026-11-10T10:00:00-05:00", "phone", "conversation")]
    later = run(make_case(creditor=creditor, contacts=talked), local("2026-11-20 10:00", NY))
    assert finding(later, "credit_reporting").level == "info"
    own = run(make_case(creditor={"name": "N", "reports_to_credit_bureaus": True}), first_now())
    assert levels(own, "credit_reporting") == []


def first_now() -> datetime:
    return local("2026-11-20 10:00", NY)


def test_a_california_call_opens_with_the_recording_notice() -> None:
    case = make_case("US-CA", debtor={"name": "M", "timezone": LA}, creditor=COLLECTOR)
    result = run(case, local("2026-11-20 10:00", LA))
    assert result.disclosures[0] == "This call is recorded."
    assert "Cal. Penal Code § 632" in finding(result, "recording_consent").rule
    unrecorded = with_overrides({"calls_recorded": False})
    assert levels(run(case, local("2026-11-20 10:00", LA), unrecorded), "recording_consent") == []


def test_an_address_in_an_all_party_state_brings_the_notice() -> None:
    who = debtor(address="9 Elm St, Miami, FL 33101")
    result = run(make_case(debtor=who), local("2026-11-20 10:00", NY))
    assert "Fla. Stat. § 934.03" in finding(result, "recording_consent").rule
    assert levels(run(make_case(), first_now()), "recording_consent") == []


# ---------------------------------------------------------------------------- UK and India


def test_a_uk_call_carries_the_conc_7_3_duties_and_vulnerability_prompts() -> None:
    who = {"name": "D", "timezone": "Europe/London", "vulnerabilities": ["health", "life_event"]}
    result = run(make_case("GB-ENG", debtor=who), local("2026-11-20 10:00", "Europe/London"))
    assert result.verdict == "caution"
    assert "CONC 7.3.4R" in finding(result, "forbearance").rule
    assert "MoneyHelper" in finding(result, "debt_advice").message
    assert "borrowing" in finding(result, "no_pressure").message
    assert "FG21/1" in finding(result, "vulnerability_health").rule
    assert finding(result, "vulnerability_life_event").level == "caution"


def test_an_indian_call_states_the_recovery_agent_duties() -> None:
    result = run(make_case("IN"), local("2026-11-20 10:00", "Asia/Kolkata"))
    assert "authorisation" in finding(result, "recovery_agent_identity").message
    assert "relatives" in finding(result, "no_third_parties").message
    assert result.verdict == "clear"
