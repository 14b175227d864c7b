"""The day's work list (SPEC §9): whether a case is to be called today, in which lawful window,
and why.

Pure: a planned case, what the ledger says about it (or nothing) and the end of the executive's
day in; one :class:`WorkItem` out. The shell reads the files, plans the cases, orders the items
(:func:`call_order`) and prints them.

* **When.** The compliance pre-flight decides (:mod:`negplan.core.compliance.preflight`): its
  next lawful moment, and the lawful window that moment falls in
  (:attr:`~negplan.core.compliance.verdict.Preflight.window`: the call window, the debtor's
  inconvenient times, every zone the debtor may be in, the call caps and quiet periods). A case
  is to be called today when that moment comes before the executive's day ends.
* **Whether at all.** A debtor keeping to an arrangement (on track or cured), a promise to pay
  not yet due, or an installment due but still inside its grace days is left alone: chasing a
  debtor who is keeping to the deal is what the practitioner guides warn against, and the
  agreement's own grace period is a promise too (rules ``agreements.grace_period_days``).
* **Why call.** A missed payment or a broken arrangement first (the deal is slipping), then a
  broken promise, then a new case (no contact logged yet), then an open balance with no deal.
  A case left alone still says what a call would be about (``arrangement_in_force``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from negplan.core.arrangements import (
    ArrangementState,
    InstallmentState,
    PromiseState,
    standing,
)
from negplan.core.reasons import Reason
from negplan.display import display
from negplan.money import ZERO
from negplan.records import record

if TYPE_CHECKING:
    from negplan.core.arrangements import ArrangementStatus, CaseStatus
    from negplan.core.compliance.verdict import Finding
    from negplan.core.plan import Plan

#: Blocks that only say "not at this hour": the window itself, read in every place.
_HOUR_CHECKS = frozenset({"call_window", "inconvenient_time"})
_GRACE = "agreements.grace_period_days"


@record
class WorkItem:
    """One case on the day's list: to call today (``call``), or not today and why."""

    case_id: str
    call: bool
    #: Why the executive calls (always set: also what the call would be about on another day).
    reason: Reason
    #: Why not today, or None when the case is to be called today.
    not_today: Reason | None
    #: The lawful window of today's call, in the debtor's local time (None when not today).
    opens: datetime | None
    closes: datetime | None
    #: The next lawful moment, whatever the day (None when no end of a block is known).
    next_window: datetime | None
    #: Checks the call needs care with (the pre-flight's caution findings, by code).
    cautions: tuple[str, ...]
    #: Expected value of the recommended option over the BATNA (0 without an option).
    gain: Decimal


def work_item(
    plan: Plan, status: CaseStatus | None, day_ends: datetime, promise_grace_days: int
) -> WorkItem:
    """Where ``plan``'s case stands on the executive's day that ends at ``day_ends``.

    ``status`` is the case's ledger status on the planning date (None without a ledger);
    ``promise_grace_days`` is the rules' ``agreements.grace_period_days``.
    """
    pre = plan.compliance
    best = plan.recommended
    gain = best.expected_value - (plan.batna.value or ZERO) if best is not None else ZERO
    cautions = tuple(dict.fromkeys(f.check for f in pre.findings if f.level == "caution"))
    reason = why_call(plan, status)
    not_today = _left_alone(plan, status, promise_grace_days)
    if not_today is None:
        not_today = _not_lawful_today(pre.findings, pre.next_window, day_ends)
    window = pre.window if not_today is None else None
    return WorkItem(
        case_id=plan.case_id,
        call=not_today is None,
        reason=reason,
        not_today=not_today,
        opens=None if window is None else window[0],
        closes=None if window is None else window[1],
        next_window=pre.next_window,
        cautions=cautions,
        gain=gain,
    )


def call_order(closes: datetime, gain: Decimal) -> tuple[datetime, Decimal]:
    """The list's order: the window that closes first comes first (a call missed there cannot be
    made later today), then the larger expected gain over the BATNA."""
    return closes, -gain


def why_call(plan: Plan, status: CaseStatus | None) -> Reason:
    """What the call is about, the most pressing first."""
    currency = plan.currency
    current = status.current if status is not None else None
    if current is not None and current.state is ArrangementState.broken:
        return Reason(
            "arrangement_broken",
            "agreements.missed_payments_before_default",
            f"arrangement broken: {current.reason}",
        )
    if current is not None and current.state is ArrangementState.in_arrears:
        missed = _missed(current)
        if missed is not None:
            return Reason("missed_payment", _GRACE, missed)
    if current is not None:  # kept, cured, completed or inside its grace days
        state = current.state.value.replace("_", " ")
        return Reason("arrangement_in_force", "ledger: arrangement", f"arrangement {state}")
    if status is not None:
        broken = [
            p for p in status.promises if p.state in (PromiseState.broken, PromiseState.partly_kept)
        ]
        if broken:
            last = max(broken, key=lambda p: (p.promise.due, p.promise.made_on))
            promised = display(last.promise.amount, currency)
            paid = display(last.paid, currency)
            return Reason(
                "broken_promise",
                _GRACE,
                f"broken promise: {promised} due {last.promise.due}, {paid} paid",
            )
    contacts = plan.case.contacts
    if not contacts:
        return Reason("new_case", "contacts", "new case: no contact logged yet")
    latest = max(contacts, key=lambda c: c.at)
    outcome = latest.outcome.value.replace("_", " ")
    on = latest.at.astimezone(plan.case.debtor.zone).date()
    said = f"{latest.channel.value} {outcome}"
    return Reason("open_balance", "contacts", f"no deal yet; last contact {on}: {said}")


def _missed(current: ArrangementStatus) -> str | None:
    """The first installment past its grace days and unpaid, in words; None inside the grace."""
    late = (InstallmentState.missed, InstallmentState.partial)
    rows = [r for r in current.installments if r.state in late]
    if not rows:
        return None
    row = rows[0]
    currency = current.arrangement.currency
    owed = display(row.amount - row.paid, currency)
    return f"missed payment: installment {row.number} due {row.due}, {owed} unpaid"


def completed(status: CaseStatus) -> Reason | None:
    """An arrangement paid to the end: never called about, and not even planned (its payments
    may cover the case file's balance, which leaves nothing to plan)."""
    current = status.current
    if current is None or current.state is not ArrangementState.completed:
        return None
    return Reason(
        "arrangement_completed",
        "ledger: arrangement",
        "arrangement completed: every installment is paid, nothing is collected by phone",
    )


def _left_alone(plan: Plan, status: CaseStatus | None, grace: int) -> Reason | None:
    """A debtor keeping to a deal, or still inside its grace, is not called (SPEC §8)."""
    if status is None:
        return None
    currency = plan.currency
    current = status.current
    done = completed(status)
    if done is not None:
        return done
    if current is not None and current.state in (ArrangementState.on_track, ArrangementState.cured):
        return Reason(
            "keeping_to_deal",
            "ledger: arrangement",
            f"{standing(current, currency)}: the debtor is keeping to the deal",
        )
    in_arrears = current is not None and current.state is ArrangementState.in_arrears
    if current is not None and in_arrears and _missed(current) is None:
        owed = [r for r in current.installments if r.state is InstallmentState.due]
        when = f"installment {owed[0].number} due {owed[0].due}" if owed else "an installment"
        days = current.arrangement.grace_days
        return Reason(
            "within_grace", _GRACE, f"{when} is unpaid but within its {days}-day grace period"
        )
    pending = [p for p in status.promises if p.state is PromiseState.pending]
    if pending and (current is None or current.state is not ArrangementState.broken):
        first = min(pending, key=lambda p: p.promise.due)
        promised = display(first.promise.amount, currency)
        return Reason(
            "promise_pending",
            _GRACE,
            f"promise to pay {promised} by {first.promise.due} is pending (grace {grace} days)",
        )
    return None


def _not_lawful_today(
    findings: list[Finding], next_window: datetime | None, day_ends: datetime
) -> Reason | None:
    """None when a lawful moment comes before the day ends; else the block that keeps it away."""
    if next_window is not None and next_window < day_ends:
        return None
    blocked = [f for f in findings if f.level == "blocked"]
    lasting = [f for f in blocked if f.check not in _HOUR_CHECKS]
    if next_window is None:
        named = lasting or blocked
        if not named:  # the pre-flight always names the block it cannot see the end of
            return Reason("no_window", "", "no lawful time to call is known")
        return Reason(named[0].check, named[0].rule, named[0].message)
    yours = next_window.astimezone(day_ends.tzinfo)
    when = (
        f"next lawful window {next_window.strftime('%Y-%m-%d %H:%M %Z')} (debtor's time), "
        f"{yours.strftime('%Y-%m-%d %H:%M %Z')} (yours)"
    )
    if not lasting:  # only the hour: today's window has closed, or opens after the day ends
        rule = blocked[0].rule if blocked else ""
        return Reason("window_closed", rule, f"no lawful hour left in your day; {when}")
    first = lasting[0]
    return Reason(first.check, first.rule, f"{when}: {first.message}")
