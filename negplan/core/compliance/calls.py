"""When a call may be made: call window, inconvenient times and call frequency, in local time.

The window is wall-clock time in each zone the debtor may be in (:mod:`.locations`): on a
daylight-saving change day 08:00 is still 08:00 local, at a different UTC offset, and a call is
lawful only at an instant inside the window in every zone (Regulation F comment 6(b)(1)(i)-1).
Days for the frequency limits are the debtor's local calendar days.

Call frequency follows Regulation F's presumption (12 CFR 1006.14(b)(2)): a call on day D is
refused when the calls already placed on D−6 … D reach the cap (the call now would be one too
many), or when a telephone conversation took place on C with C ≤ D ≤ C + n − 1 (the conversation's
day is day one). Every outbound phone call counts, answered or not; a conversation counts
whichever side placed the call. Only contacts at or before ``now`` are counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from negplan.core.case import Channel, Contact, ContactOutcome, Direction
from negplan.records import record

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


#: A zone and the wall-clock intervals a call is lawful in there.
Span = tuple[ZoneInfo, list[Interval]]


def lawful_in(moment: datetime, span: Span) -> bool:
    """Whether the instant ``moment`` falls inside one of the span's intervals, read in its zone."""
    zone, intervals = span
    local = moment.astimezone(zone).time()
    return any(contains(interval, local) for interval in intervals)


def lawful_everywhere(moment: datetime, spans: list[Span]) -> bool:
    """Whether ``moment`` is lawful in every zone (an empty list of spans allows nothing)."""
    return bool(spans) and all(lawful_in(moment, span) for span in spans)


def _openings(span: Span, day: date) -> list[datetime]:
    zone, intervals = span
    return [local_moment(day, start, zone) for start, _ in intervals]


def next_window(
    now: datetime, zone: ZoneInfo, first_day: date, spans: list[Span]
) -> datetime | None:
    """The earliest instant ≥ ``now``, on or after ``first_day`` (a day in ``zone``, the
    debtor's), that is lawful in every span.

    The intersection of intervals opens either now or when one of them opens, so the candidates
    are ``now``, the start of ``first_day`` and every interval's opening in every zone; they are
    tried in order, a fortnight at a time. Returned in ``zone`` with its UTC offset; ``None`` when
    there is none within :data:`MAX_SEARCH_DAYS`.
    """
    start_day = max(first_day, now.astimezone(zone).date())
    earliest = max(now, local_moment(start_day, time(0), zone))
    if lawful_everywhere(earliest, spans):
        # The smallest candidate of all, and the usual answer (the debtor is callable now):
        # no openings need listing (issue 20: listing them was a fifth of planning a case).
        return earliest.astimezone(zone)
    frozen = tuple((span_zone, tuple(intervals)) for span_zone, intervals in spans)
    return _search(earliest, zone, start_day, frozen)


@lru_cache(maxsize=1024)
def _search(
    earliest: datetime,
    zone: ZoneInfo,
    start_day: date,
    spans: tuple[tuple[ZoneInfo, tuple[Interval, ...]], ...],
) -> datetime | None:
    """:func:`next_window`'s search past ``earliest``, kept per process: a batch plans every case
    at one ``now``, and its debtors share a few zones and windows, so a search that finds no
    common window (up to :data:`MAX_SEARCH_DAYS` of openings) is made once per combination,
    not once per case (issue 20). The answer depends on ``earliest``'s instant only (it is
    returned converted to ``zone``), so equal instants may share it."""
    listed: list[Span] = [(span_zone, list(intervals)) for span_zone, intervals in spans]
    chunk = 14
    for offset in range(0, MAX_SEARCH_DAYS, chunk):
        first = start_day + timedelta(days=offset)
        bound = local_moment(first + timedelta(days=chunk), time(0), zone)
        candidates = {earliest} if offset == 0 else set()
        for span in listed:
            for back in range(-1, chunk + 1):
                candidates.update(_openings(span, first + timedelta(days=back)))
        for moment in sorted(c for c in candidates if earliest <= c < bound):
            if lawful_everywhere(moment, listed):
                return moment.astimezone(zone)
    return None


def lawful_window(moment: datetime, zone: ZoneInfo, spans: list[Span]) -> tuple[datetime, datetime]:
    """The stretch of lawful time that holds ``moment`` (an instant lawful in every span): when
    it opened and when it closes, both in ``zone`` (the debtor's).

    In each span it is the wall-clock interval that holds ``moment`` read there; the window is
    their intersection, kept within the debtor's local day of ``moment`` (the call caps and quiet
    periods count the debtor's local days, 12 CFR 1006.14(b)(2), so the next day is judged on
    its own). It serves the day's work list: ordered by the time each window closes.
    """
    day = moment.astimezone(zone).date()
    opens = local_moment(day, time(0), zone)
    closes = local_moment(day, time.max, zone)
    for span_zone, intervals in spans:
        local = moment.astimezone(span_zone)
        for interval in intervals:
            if contains(interval, local.time()):
                start, end = interval
                opens = max(opens, local_moment(local.date(), start, span_zone))
                closes = min(closes, local_moment(local.date(), end, span_zone))
                break
    return opens.astimezone(zone), closes.astimezone(zone)


@record
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
