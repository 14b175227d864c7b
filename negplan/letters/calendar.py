"""The follow-up actions and the due dates as an iCalendar file (RFC 5545, ``icalendar``).

One all-day event per action (the day it is due to be taken) and per open installment (its due
date), so an executive's calendar shows the work and the dates the debtor agreed to. A call task
carries the debtor's lawful call window in its description: a calendar reminder must not tempt
anyone to call outside it (12 CFR 1006.6(b)(1)(i); FCA CONC 7.9.4R). UIDs are the action keys,
so importing the file twice updates events instead of doubling them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Final

from negplan.core.followup_terms import Action, ActionKind
from negplan.letters.wording import TITLES
from negplan.records import record

UID_DOMAIN: Final = "negplan.invalid"
PRODID: Final = "-//negplan//follow-ups//EN"


@record
class DueDate:
    """An open installment: a date the debtor agreed to pay."""

    case_id: str
    fingerprint: str
    number: int
    due: date
    amount: str  # as the letter writes it, with its currency


def _summary(action: Action) -> str:
    if action.kind is ActionKind.call_task:
        return f"Call {action.case_id}"
    return f"{TITLES[action.kind]} ({action.case_id}, by {action.channel})"


def calendar_ics(
    actions: Iterable[Action],
    due_dates: Iterable[DueDate],
    windows: dict[str, str],
    stamp: datetime,
) -> bytes:
    """The calendar; ``windows`` maps a case to its lawful call window, said in words."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    for action in actions:
        event = Event()
        event.add("uid", f"{action.key}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", action.on)
        event.add("dtend", action.on + timedelta(days=1))
        event.add("summary", _summary(action))
        lines = [f"Why: {action.reason.text} ({action.reason.rule})."]
        if action.kind is ActionKind.call_task or action.channel != "letter":
            window = action.window or windows.get(action.case_id, "see negplan today")
            lines.append(f"Lawful window: {window}.")
        event.add("description", "\n".join(lines))
        event.add("categories", [action.kind.value])
        cal.add_component(event)
    for due in due_dates:
        event = Event()
        event.add("uid", f"{due.fingerprint}:due:{due.number}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", due.due)
        event.add("dtend", due.due + timedelta(days=1))
        event.add("summary", f"Payment {due.number} due: {due.amount} ({due.case_id})")
        event.add("categories", ["due_date"])
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data
