"""When a call may be made: call window, inconvenient times and call frequency, in local time.

Everything is judged in the debtor's IANA zone (``case.debtor.zone``): the window is wall-clock
time there, so on a daylight-saving change day 08:00 is still 08:00 local, at a different UTC
offset. Days for the frequency limits are the debtor's local calendar days.

Call frequency follows Regulation F's presumption (12 CFR 1006.14(b)(2)): a call on day D is
refused when the calls already placed on D−6 … D reach the cap (the call now would be one too
many), or when a telephone conversation took place on C with C ≤ D ≤ C + n − 1 (the conversation's
day is day one). Every outbound phone call counts, answered or not; a conversation counts
whichever side placed the call. Only contacts at or before ``now`` are counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from negplan.core.case import Channel, Contact, ContactOutcome, Direction

#: How far ahead the next call window is searched for (SPEC: bounded search).
MAX_SEARCH_DAYS = 400

Interval = tuple[time, time]


def open_intervals(window: Interval, blocked: Iterable[Interval]) -> list[Interval]:
    """The parts of the call window (wall-clock) outside the blocked ranges, in order."""
    intervals = [window]
    for block_start, block_end in blocked:
        remaining: list[Interval] = []
        for start, end in intervals:
            if block_end <= start or block_start >= end:
                remaining.append((start, end))
                continue
            if start < block_start:
                remaining.append((start, block_start))
            if block_end < end:
                remaining.append((block_end, end))
        intervals = remaining
    return sorted(intervals)


def contains(interval: Interval, moment: time) -> bool:
    """Whether a wall-clock time lies in ``[start, end)`` (``time.max`` ends the day)."""
    start, end = interval
    return start <= moment < end or (end == time.max and moment >= start)


def local_moment(day: date, moment: time, zone: ZoneInfo) -> datetime:
    """The aware instant of a wall-clock time on a local day.

    ``time.max`` is the following midnight. A time skipped by a daylight-saving change (02:30 on
    the day clocks go forward) becomes the instant the clocks jump to; a repeated time (the hour
    clocks go back) is its first occurrence.
    """
    if moment == time.max:
        naive = datetime.combine(day + timedelta(days=1), time(0))
    else:
        naive = datetime.combine(day, moment)
    return naive.replace(tzinfo=zone).astimezone(timezone.utc).astimezone(zone)


def next_window(
    now: datetime, zone: ZoneInfo, first_day: date, intervals: list[Interval]
) -> datetime | None:
    """The earliest instant ≥ ``now``, on or after ``first_day``, inside one of ``intervals``.

    Returned in the debtor's zone with its UTC offset; ``None`` when there is none within
    :data:`MAX_SEARCH_DAYS`.
    """
    day = max(first_day, now.astimezone(zone).date())
    for _ in range(MAX_SEARCH_DAYS):
        for start, end in intervals:
            opens = max(local_moment(day, start, zone), now)
            if opens < local_moment(day, end, zone):
                return opens.astimezone(zone)
        day += timedelta(days=1)
    return None


@dataclass(frozen=True)
class Frequency:
    """The call-frequency position on the local day of ``now``."""

    today: date
    calls: int  # outbound phone calls on today − 6 … today, at or before now
    max_calls: int | None
    conversation: date | None  # the conversation whose quiet period covers today, if any
    quiet_until: date | None  # last day of that quiet period
    lifts: date | None  # first day ≥ today a call is allowed; None if never

    @property
    def blocked(self) -> bool:
        return self.lifts != self.today

    @property
    def window_start(self) -> date:
        return self.today - timedelta(days=6)


def call_frequency(
    contacts: Iterable[Contact],
    zone: ZoneInfo,
    now: datetime,
    max_calls: int | None,
    days_after_conversation: int | None,
) -> Frequency:
    """Count calls and conversations and find the first day a call is allowed again."""
    today = now.astimezone(zone).date()
    calls: Counter[date] = Counter()
    conversations: set[date] = set()
    for contact in contacts:
        if contact.channel is not Channel.phone or contact.at > now:
            continue
        day = contact.at.astimezone(zone).date()
        if contact.direction is Direction.outbound:
            calls[day] += 1
        if contact.outcome is ContactOutcome.conversation:
            conversations.add(day)
    quiet = days_after_conversation or 0

    def calls_before(day: date) -> int:
        return sum(calls[day - timedelta(days=back)] for back in range(7))

    def quiet_period(day: date) -> date | None:
        covering = [c for c in conversations if c <= day <= c + timedelta(days=quiet - 1)]
        return max(covering) if covering else None

    def allowed(day: date) -> bool:
        if max_calls is not None and calls_before(day) >= max_calls:
            return False
        return quiet_period(day) is None

    lifts: date | None = None
    if max_calls != 0:
        for ahead in range(8 + quiet):  # past every logged call's window and quiet period
            day = today + timedelta(days=ahead)
            if allowed(day):
                lifts = day
                break
    conversation = quiet_period(today)
    return Frequency(
        today=today,
        calls=calls_before(today),
        max_calls=max_calls,
        conversation=conversation,
        quiet_until=None if conversation is None else conversation + timedelta(days=quiet - 1),
        lifts=lifts,
    )
