"""Due dates: monthly stepping, and moving dates off weekends and public holidays.

Monthly dates are stepped from the first due date itself (not from the previous step), so a plan
that starts on 31 January falls due on 28/29 February and back on 31 March
(``dateutil.relativedelta`` clamps to the month's last day).

In a plan, due dates are nominal. A written agreement moves each one that falls on a weekend or a
public holiday of the jurisdiction to the next business day (:func:`business_day`), with the
holiday calendars of the ``holidays`` package.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from negplan.jurisdictions import parse_jurisdiction


def monthly_due_dates(first_due: date, count: int) -> list[date]:
    """``count`` monthly due dates starting at ``first_due``."""
    return [first_due + relativedelta(months=i) for i in range(count)]


@lru_cache(maxsize=64)
def _holiday_calendar(jurisdiction: str, first_year: int, last_year: int) -> dict[date, str]:
    import holidays  # imported here: it is slow to import and only agreements need it

    parsed = parse_jurisdiction(jurisdiction)
    subdivision = parsed.subdivision
    if parsed.country == "IN":
        # The package lists national holidays for India; state calendars vary too much to
        # guess, so only the subdivisions it knows are passed on.
        known = holidays.country_holidays("IN").subdivisions
        if subdivision not in known:
            subdivision = None
    calendar = holidays.country_holidays(
        parsed.country, subdiv=subdivision, years=range(first_year, last_year + 1)
    )
    return dict(calendar.items())


def holiday_lookup(jurisdiction: str, years: range) -> Callable[[date], str | None]:
    """A function telling whether a date is a public holiday (its name) in ``jurisdiction``."""
    calendar = _holiday_calendar(jurisdiction, years.start, years.stop - 1)
    return calendar.get


def business_day(day: date, is_holiday: Callable[[date], str | None]) -> date:
    """``day`` itself if it is a business day, else the next one (skipping weekends, holidays)."""
    while day.weekday() >= 5 or is_holiday(day):
        day += timedelta(days=1)
    return day
