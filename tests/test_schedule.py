"""Payment schedules: exact sums, month ends, leap years, weekends and public holidays."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negplan.core.schedule import agreement_due_dates, monthly_due_dates
from negplan.jurisdictions import parse_jurisdiction
from negplan.money import split_evenly


@pytest.mark.parametrize(
    ("total", "count", "currency", "expected"),
    [
        ("1000.00", 3, "USD", ["333.33", "333.33", "333.34"]),
        ("100.00", 7, "GBP", ["14.28"] * 6 + ["14.32"]),
        ("0.05", 3, "USD", ["0.01", "0.01", "0.03"]),
        ("5200.00", 3, "USD", ["1733.33", "1733.33", "1733.34"]),
        ("10000", 3, "JPY", ["3333", "3333", "3334"]),
        ("240000.00", 7, "INR", ["34285.71"] * 6 + ["34285.74"]),
    ],
)
def test_awkward_totals_split_exactly(
    total: str, count: int, currency: str, expected: list[str]
) -> None:
    payments = split_evenly(Decimal(total), count, currency)
    assert payments == [Decimal(e) for e in expected]
    assert sum(payments) == Decimal(total)


@given(
    cents=st.integers(min_value=1, max_value=10**11),
    count=st.integers(min_value=1, max_value=60),
)
def test_installments_always_sum_to_the_total(cents: int, count: int) -> None:
    total = Decimal(cents).scaleb(-2)
    payments = split_evenly(total, count, "USD")
    assert sum(payments) == total
    assert len(set(payments[:-1])) <= 1  # equal, rounded down …
    assert Decimal(0) <= payments[-1] - payments[0] < Decimal("0.01") * count  # … rest on last


def test_the_31st_falls_due_on_the_last_day_of_shorter_months() -> None:
    assert monthly_due_dates(date(2027, 1, 31), 4) == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]


def test_leap_years() -> None:
    assert monthly_due_dates(date(2028, 1, 31), 2)[1] == date(2028, 2, 29)
    assert monthly_due_dates(date(2028, 2, 29), 13)[-1] == date(2029, 2, 28)
    # Stepped from the first date, not from the previous one: back to the 29th in March.
    assert monthly_due_dates(date(2028, 2, 29), 2)[1] == date(2028, 3, 29)


def dues(first: date, count: int, jurisdiction: str) -> list[date]:
    return [d.due for d in agreement_due_dates(first, count, jurisdiction)]


def test_us_thanksgiving_and_christmas() -> None:
    # Thanksgiving 2026 is Thursday 26 November. New York observes only the federal holiday;
    # California also closes the day after, so its payment waits for Monday.
    assert dues(date(2026, 11, 26), 1, "US-NY") == [date(2026, 11, 27)]
    moved = agreement_due_dates(date(2026, 11, 26), 1, "US-CA")[0]
    assert moved.due == date(2026, 11, 30)
    assert moved.skipped == ("Thanksgiving Day", "Day After Thanksgiving", "weekend")
    # Christmas 2026 is a Friday: Monday 28 December.
    assert dues(date(2026, 11, 25), 2, "US-NY") == [date(2026, 11, 25), date(2026, 12, 28)]


def test_a_date_not_moved_says_so() -> None:
    same = agreement_due_dates(date(2027, 1, 6), 1, "US-CA")[0]
    assert (same.due, same.moved, same.skipped) == (date(2027, 1, 6), False, ())


def test_uk_bank_holidays_differ_by_nation() -> None:
    # Christmas 2026 is a Friday and Boxing Day a Saturday, observed on Monday 28 December.
    assert dues(date(2026, 12, 25), 1, "GB-ENG") == [date(2026, 12, 29)]
    # Easter Monday 2027 (29 March) is a bank holiday in England and Wales, not in Scotland.
    assert dues(date(2027, 3, 29), 1, "GB-ENG") == [date(2027, 3, 30)]
    assert dues(date(2027, 3, 29), 1, "GB-SCT") == [date(2027, 3, 29)]
    # GB without a nation uses England and Wales.
    assert dues(date(2027, 3, 29), 1, "GB") == [date(2027, 3, 30)]
    # St Andrew's Day, Tuesday 30 November 2027, only in Scotland.
    assert dues(date(2027, 11, 30), 1, "GB-SCT") == [date(2027, 12, 1)]
    assert dues(date(2027, 11, 30), 1, "GB-ENG") == [date(2027, 11, 30)]


def test_indian_national_and_state_holidays() -> None:
    # Republic Day, Tuesday 26 January 2027, everywhere in India.
    assert dues(date(2027, 1, 26), 1, "IN") == [date(2027, 1, 27)]
    # Gudi Padwa, Wednesday 7 April 2027, a Maharashtra holiday only.
    moved = agreement_due_dates(date(2027, 4, 7), 1, "IN-MH")[0]
    assert (moved.due, moved.skipped) == (date(2027, 4, 8), ("Gudi Padwa",))
    assert dues(date(2027, 4, 7), 1, "IN-TN") == [date(2027, 4, 7)]
    # Karnataka Rajyotsava, Monday 1 November 2027, a Karnataka holiday only.
    assert dues(date(2027, 11, 1), 1, "IN-KA") == [date(2027, 11, 2)]
    assert dues(date(2027, 11, 1), 1, "IN-TN") == [date(2027, 11, 1)]
    # Diwali, Friday 29 October 2027: the weekend follows, so Monday.
    assert dues(date(2027, 10, 29), 1, "IN-DL") == [date(2027, 11, 1)]


def test_replaced_indian_codes_keep_their_state_holidays() -> None:
    # Uttarakhand's ISO code was IN-UT until 2020 (the holidays package says UK): Harela,
    # Friday 16 July 2027, is an Uttarakhand holiday, so the payment waits for Monday.
    assert dues(date(2027, 7, 16), 1, "IN-UT") == [date(2027, 7, 19)]
    assert dues(date(2027, 7, 16), 1, "IN-UK") == [date(2027, 7, 19)]
    assert dues(date(2027, 7, 16), 1, "IN") == [date(2027, 7, 16)]


def test_month_end_dates_move_after_clamping() -> None:
    # 31 January 2027 is a Sunday; 28 February 2027 is a Sunday too.
    assert dues(date(2027, 1, 31), 3, "US-NY") == [
        date(2027, 2, 1),
        date(2027, 3, 1),
        date(2027, 3, 31),
    ]


def test_a_move_can_cross_into_the_next_year() -> None:
    # New Year's Day 2028 is a Saturday, observed on Friday 31 December 2027.
    assert dues(date(2027, 12, 31), 1, "US-NY") == [date(2028, 1, 3)]


def test_us_federal_holidays_a_state_does_not_observe_still_move_a_payment() -> None:
    # Columbus Day, Monday 11 October 2027: a federal (bank) holiday, not a California one.
    moved = agreement_due_dates(date(2027, 10, 11), 1, "US-CA")[0]
    assert (moved.due, moved.skipped) == (date(2027, 10, 12), ("Columbus Day",))
    # Veterans Day, Thursday 11 November 2027, is in both calendars: named once.
    moved = agreement_due_dates(date(2027, 11, 11), 1, "US-CA")[0]
    assert (moved.due, moved.skipped) == (date(2027, 11, 12), ("Veterans Day",))
    # A state-only holiday still counts too: Cesar Chavez Day, Wednesday 31 March 2027.
    assert dues(date(2027, 3, 31), 1, "US-CA") == [date(2027, 4, 1)]
    assert dues(date(2027, 3, 31), 1, "US-NY") == [date(2027, 3, 31)]


def test_telangana_under_its_current_and_its_former_iso_code() -> None:
    """ISO 3166-2:IN replaced IN-TG with IN-TS; cases may carry either."""
    for code in ("IN-TS", "IN-TG"):
        assert parse_jurisdiction(code).subdivision == code[3:]
        assert dues(date(2027, 4, 7), 1, code) == [date(2027, 4, 7)]
