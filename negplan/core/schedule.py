"""Due dates: monthly stepping, and moving dates off weekends and public holidays.

Monthly dates are stepped from the first due date itself (not from the previous step), so a plan
that starts on 31 January falls due on 28/29 February and back on 31 March
(``dateutil.relativedelta`` clamps to the month's last day).

In a plan, due dates are nominal. A written agreement moves each one that falls on a weekend or a
public holiday of the jurisdiction to the next business day (:func:`business_day`), with the
holiday calendars of the ``holidays`` package (:func:`agreement_due_dates`).

Calendars: a US state or territory adds its own holidays to the federal ones, and a federal
holiday the state does not observe (California drops Columbus Day) still counts, because banks
close on it and a payment cannot clear; ``GB`` without a nation uses the bank holidays of England
and Wales (where most UK debtors live; name ``GB-SCT`` or ``GB-NIR`` for theirs); an Indian state
adds its own holidays to the national list, and the ISO codes replaced since 2020 (``IN-CT``,
``IN-OR``, ``IN-UT``, ``IN-TG``) are mapped to the codes the package uses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache
from typing import Final

from dateutil.relativedelta import relativedelta

from negplan.jurisdictions import parse_jurisdiction
from negplan.records import record


def preferred_first_due(as_of: date, usual: date, latest: date, day: int | None) -> date:
    """The first due date, on the debtor's preferred day of the month when possible (SPEC §2a
    ``debtor.preferred_payment_day``: a payment due just after pay day is the one that is
    kept).

    ``usual`` is the date the rules would pick (``plans.first_payment_days`` after ``as_of``);
    ``latest`` the policy's last (``agreements.max_first_payment_days``). The preferred day on
    or after ``usual`` if it is not past ``latest``, else the one before ``usual`` if it is
    after ``as_of``, else ``usual``.
    """
    if day is None:
        return usual
    month = usual.replace(day=1)
    after = month.replace(day=day)
    if after < usual:
        after = (month + relativedelta(months=1)).replace(day=day)
    if after <= latest:
        return after
    before = after - relativedelta(months=1)
    return before if before > as_of else usual


def monthly_due_dates(first_due: date, count: int) -> list[date]:
    """``count`` monthly due dates starting at ``first_due``."""
    return list(_monthly_due_dates(first_due, count))


@lru_cache(maxsize=512)
def _monthly_due_dates(first_due: date, count: int) -> tuple[date, ...]:
    # Every option of a plan starts on the same date: the steps are worked out once.
    return tuple(first_due + relativedelta(months=i) for i in range(count))


def review_after(first_due: date, payments: int) -> date:
    """When a hardship arrangement of ``payments`` monthly token payments from ``first_due`` is
    reviewed: a month after its last payment (``plans.hardship_review_months``, SPEC §4)."""
    return monthly_due_dates(first_due, payments + 1)[-1]


#: ISO 3166-2:IN codes replaced since 2020, as the ``holidays`` package spells those states.
_IN_SUBDIVISION_ALIASES: Final[dict[str, str]] = {"CT": "CG", "OR": "OD", "UT": "UK", "TG": "TS"}


@lru_cache(maxsize=64)
def _holiday_calendar(jurisdiction: str, first_year: int, last_year: int) -> dict[date, str]:
    import holidays  # imported here: it is slow to import and only agreements need it

    parsed = parse_jurisdiction(jurisdiction)
    subdivision = parsed.subdivision
    if parsed.country == "GB" and subdivision is None:
        subdivision = "ENG"  # England and Wales: the UK-wide list lacks Easter Monday and August
    if parsed.country == "IN":
        subdivision = _IN_SUBDIVISION_ALIASES.get(subdivision or "", subdivision)
        # The package lists national holidays for India; state calendars vary too much to
        # guess, so only the subdivisions it knows are passed on.
        known = holidays.country_holidays("IN").subdivisions
        if subdivision not in known:
            subdivision = None
    years = range(first_year, last_year + 1)
    calendar = dict(
        holidays.country_holidays(parsed.country, subdiv=subdivision, years=years).items()
    )
    if parsed.country == "US" and subdivision is not None:
        # A state calendar drops the federal holidays the state does not observe (California:
        # Columbus Day); banks still close on them, so a payment due then cannot be made.
        federal = holidays.country_holidays("US", years=years)
        for day, name in federal.items():
            calendar[day] = _merged(calendar.get(day), name)
    return calendar


def _merged(names: str | None, more: str) -> str:
    """``"A; B"`` plus the names in ``more`` not already there."""
    listed = names.split("; ") if names else []
    listed += [n for n in more.split("; ") if n not in listed]
    return "; ".join(listed)


def holiday_lookup(jurisdiction: str, years: range) -> Callable[[date], str | None]:
    """A function telling whether a date is a public holiday (its name) in ``jurisdiction``."""
    calendar = _holiday_calendar(jurisdiction, years.start, years.stop - 1)
    return calendar.get


def business_day(day: date, is_holiday: Callable[[date], str | None]) -> date:
    """``day`` itself if it is a business day, else the next one (skipping weekends, holidays)."""
    while day.weekday() >= 5 or is_holiday(day):
        day += timedelta(days=1)
    return day


_WEEKEND: Final = "weekend"


@record
class DueDate:
    """One payment's due date in a written agreement."""

    nominal: date  # the monthly date as agreed (``first_due`` plus whole months)
    due: date  # the business day the payment is due on
    skipped: tuple[str, ...] = ()  # why earlier days were not business days ("weekend", holidays)

    @property
    def moved(self) -> bool:
        return self.due != self.nominal


def agreement_due_dates(first_due: date, count: int, jurisdiction: str) -> list[DueDate]:
    """``count`` monthly due dates from ``first_due``, each moved to a business day.

    Each date is stepped from ``first_due`` (a 31st falls due on the last day of shorter months)
    and then moved past weekends and the jurisdiction's public holidays. The calendar covers one
    year beyond the last nominal date, so a payment due on 31 December can still move into
    January.
    """
    nominal = monthly_due_dates(first_due, count)
    if not nominal:
        return []
    is_holiday = holiday_lookup(jurisdiction, range(nominal[0].year, nominal[-1].year + 2))
    dates: list[DueDate] = []
    for day in nominal:
        due = business_day(day, is_holiday)
        skipped: list[str] = []
        cursor = day
        while cursor < due:
            # One name per holiday: the calendar may list a day under several ("Presidents'
            # Day; Susan B. Anthony Day", and the federal "Washington's Birthday"); the first
            # is the jurisdiction's own name for it.
            reason = (is_holiday(cursor) or "").split("; ")[0]
            if reason and reason not in skipped:
                skipped.append(reason)
            if cursor.weekday() >= 5 and _WEEKEND not in skipped:
                skipped.append(_WEEKEND)
            cursor += timedelta(days=1)
        dates.append(DueDate(day, due, tuple(skipped)))
    return dates
