"""US states' and cities' own limits on communications, on top of Regulation F (SPEC §6a).

Each row of ``data/compliance/us_state_contact_rules.csv`` caps the communications about a debt in
any seven consecutive days, counting the channels the state counts (Massachusetts: calls and
texts, 940 CMR 7.04(1)(f); Washington: every channel, RCW 19.16.250(13); New York City:
calls, texts and emails, 6 RCNY 5-77). A row applies when the case's jurisdiction or the debtor's
address is in its place, and only to the creditors it binds. A row can only tighten: it adds a
block, it never lifts one of Regulation F's.

Counting follows the Regulation F frequency check (:mod:`.calls`): a call on local day D is
refused when the communications already made on D−6 … D reach the cap; the first day it is not,
the block lifts. ``communications`` counts a call that reached the debtor (a conversation or a
message left) and a text, email or letter sent; ``attempts`` counts every outbound contact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from negplan.core.case import Contact, ContactOutcome, Direction
from negplan.core.compliance.overrides import Level
from negplan.core.tables import StateContactRule
from negplan.records import record

#: Outcomes that make a contact a communication (a call with no answer conveys nothing).
_COMMUNICATED = frozenset(
    {ContactOutcome.conversation, ContactOutcome.voicemail, ContactOutcome.sent}
)


@record
class StateLimit:
    """Where one state row leaves the call on the debtor's local day of ``now``."""

    row: StateContactRule
    today: date
    counted: int  # communications on today − 6 … today, at or before now
    lifts: date  # the first day ≥ today a further communication is allowed

    @property
    def blocked(self) -> bool:
        return self.lifts != self.today

    @property
    def level(self) -> Level:
        return "blocked" if self.blocked else "info"

    @property
    def message(self) -> str:
        """The count, and when a further communication is allowed if not now."""
        row = self.row
        count = (
            f"{row.place}: {self.counted} communication{'s' * (self.counted != 1)} "
            f"({', '.join(row.channels)}) in the 7 days to {self.today.isoformat()}, of at most "
            f"{row.max_in_7_days}"
        )
        if not self.blocked:
            return f"{count}."
        return (
            f"{count}: another one now would be too many. Calls may resume on "
            f"{self.lifts.isoformat()}."
        )


def applicable_rows(
    rows: Iterable[StateContactRule], places: Iterable[str], is_debt_collector: bool
) -> list[StateContactRule]:
    """The rows for these places that bind this creditor."""
    wanted = set(places)
    return [
        row for row in rows if row.code in wanted and (row.binds == "everyone" or is_debt_collector)
    ]


def counts(contact: Contact, row: StateContactRule) -> bool:
    """Whether a logged contact counts toward the row's cap."""
    if contact.direction is not Direction.outbound or contact.channel.value not in row.channels:
        return False
    return row.counts == "attempts" or contact.outcome in _COMMUNICATED


def state_limit(
    row: StateContactRule, contacts: Iterable[Contact], zone: ZoneInfo, now: datetime
) -> StateLimit:
    """Count the row's communications in the seven days ending today and find when a further
    one is allowed."""
    today = now.astimezone(zone).date()
    per_day: Counter[date] = Counter(
        contact.at.astimezone(zone).date()
        for contact in contacts
        if contact.at <= now and counts(contact, row)
    )

    def counted_on(day: date) -> int:
        return sum(per_day[day - timedelta(days=back)] for back in range(7))

    lifts = today
    for _ in range(7):  # seven days after the last counted one, none is left in the window
        if counted_on(lifts) < row.max_in_7_days:
            break
        lifts += timedelta(days=1)
    return StateLimit(row=row, today=today, counted=counted_on(today), lifts=lifts)
