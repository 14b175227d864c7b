"""When, on a given day, a reminder may be texted or a follow-up call made (SPEC §9, §6a).

A text at an inconvenient time is as unlawful as a call: 12 CFR 1006.6(b)(1)(i) covers every
communication, and a time is convenient only if it is convenient in every location the
collector knows the consumer may be (comment 6(b)(1)(i)-1). A time the consumer said is
inconvenient is inconvenient (1006.6(b)(1)(i) again), whatever the clock says.

The ledger keeps no case file. So when ``negplan agreement`` records an agreement, it also
records where the debtor may be and the times they said are inconvenient (:class:`ContactHours`,
from the case file as it was then), and ``negplan followup`` works out, for the day an SMS or a
call task is issued, the stretches of that day that are inside the call window in every one of
those places and outside those times (:func:`day_stretches`). Excluding the stated times is
never wrong, so it is done for every jurisdiction, also where the profile only cautions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from negplan.core.compliance.calls import Interval, local_moment, open_intervals
from negplan.core.fields import parse_time_range
from negplan.records import record

if TYPE_CHECKING:
    from negplan.core.case import Case
    from negplan.core.tables import Tables

#: One lawful stretch of a day: when it opens and when it closes (aware instants).
Stretch = tuple[datetime, datetime]


@record
class ContactHours:
    """Where the debtor may be and when they said not to contact them, as the case file said
    when the agreement was issued (``agreement_facts.contact_hours`` in the ledger)."""

    zone: str  # the debtor's own time zone (``debtor.timezone``)
    #: Every other zone the debtor may be in: the address's, each phone number's
    #: (:func:`negplan.core.compliance.locations.debtor_locations`).
    places: tuple[str, ...] = ()
    #: ``debtor.inconvenient_times`` as written (``"12:00-14:00"``), in the debtor's zone.
    inconvenient: tuple[str, ...] = ()

    @classmethod
    def of_case(cls, case: Case, tables: Tables) -> ContactHours:
        from negplan.core.compliance.locations import debtor_locations

        own = case.debtor.timezone
        places = tuple(p.zone for p in debtor_locations(case, tables) if p.zone != own)
        return cls(own, places, tuple(case.debtor.inconvenient_times))

    def to_data(self) -> dict[str, Any]:
        return {
            "zone": self.zone,
            "places": list(self.places),
            "inconvenient": list(self.inconvenient),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ContactHours:
        return cls(
            str(data["zone"]),
            tuple(str(z) for z in data.get("places", ())),
            tuple(str(r) for r in data.get("inconvenient", ())),
        )


def _on_days(zone: ZoneInfo, intervals: Iterable[Interval], days: Iterable[date]) -> list[Stretch]:
    return [
        (local_moment(day, start, zone), local_moment(day, end, zone))
        for day in days
        for start, end in intervals
    ]


def _intersect(ours: list[Stretch], theirs: list[Stretch]) -> list[Stretch]:
    both = [
        (max(s1, s2), min(e1, e2))
        for s1, e1 in ours
        for s2, e2 in theirs
        if max(s1, s2) < min(e1, e2)
    ]
    return sorted(both)


def day_stretches(
    hours: ContactHours,
    day: date,
    window: Interval,
    zone_info: Callable[[str], ZoneInfo | None],
) -> list[Stretch]:
    """The stretches of the debtor's local ``day`` inside ``window`` (the profile's call window,
    wall-clock) in their zone and in every other place they may be, outside the times they said
    are inconvenient; in the debtor's zone, in order. Empty when no moment of the day is lawful
    everywhere. ``zone_info`` is :meth:`negplan.core.tables.Tables.zone_info` (a zone it does
    not know cannot be checked, and is skipped as the pre-flight skips it)."""
    own = zone_info(hours.zone)
    if own is None:
        raise ValueError(f"unknown time zone {hours.zone!r}")
    blocked = [parse_time_range(r) for r in hours.inconvenient]
    stretches = _on_days(own, open_intervals(window, blocked), [day])
    around = [day - timedelta(days=1), day, day + timedelta(days=1)]
    for place in hours.places:
        info = zone_info(place)
        if info is not None:
            stretches = _intersect(stretches, _on_days(info, [window], around))
    return [(start.astimezone(own), end.astimezone(own)) for start, end in stretches]


def _clock(moment: datetime, day: date) -> str:
    """``HH:MM`` on ``day``; the midnight that ends it is ``24:00``."""
    if moment.date() > day and moment.time() == time(0):
        return "24:00"
    return moment.strftime("%H:%M")


def stretches_in_words(hours: ContactHours, day: date, stretches: list[Stretch], rule: str) -> str:
    """The day's lawful stretches as the executive reads them on a sheet, a line or a calendar
    entry, with what they were worked out from and the rule."""
    if not stretches:
        where = ", ".join((hours.zone, *hours.places))
        return (
            f"no time on {day.isoformat()} is lawful in every place the debtor may be "
            f"({where}): do not contact them that day ({rule})"
        )
    times = " and ".join(f"{_clock(s, day)}–{_clock(e, day)}" for s, e in stretches)
    text = f"{times} the debtor's local time ({hours.zone})"
    if hours.places:
        text += f", lawful in every place they may be ({', '.join(hours.places)} too)"
    if hours.inconvenient:
        said = ", ".join(r.replace("-", "–") for r in hours.inconvenient)
        text += f"; not {said}, which the debtor said is inconvenient"
    return f"{text} ({rule})"
