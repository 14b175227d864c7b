"""States of arrangements, installments and promises, derived from the ledger's events (SPEC §8).

Pure: a :class:`~negplan.core.ledger_events.CaseHistory` and a date in, states out. Nothing is
stored as a state; every state is recomputed from the append-only events, so a reversal imported
later, or a newer agreement, changes the answer without rewriting history.

How money is allocated (SPEC §8, "allocated to the oldest open installment"):

* payments are taken in date order (import order within a day) up to ``as_of``;
* a payment goes to the arrangement in force on its date (the latest one signed on or before it,
  not cancelled), oldest open installment first; what is left goes to the case's open promises,
  oldest first; what is still left is unallocated (listed, never dropped);
* a negative amount is a reversal (a returned payment): it takes back the most recent allocations
  first, so it reopens exactly what the money it reverses had paid.

States, each with the term of the agreement it applies:

* installment ``scheduled`` before its due date, ``due`` from its due date through the grace
  period, then ``paid``, ``partial`` or ``missed`` (``agreements.grace_period_days``);
* arrangement ``on_track``; ``in_arrears`` while an installment is past its due date and unpaid;
  ``broken`` once ``agreements.missed_payments_before_default`` installments are missed at the
  same time (the agreement's own default clause); ``cured`` when arrears were paid before that;
  ``completed`` when every installment is paid; ``superseded`` by a newer signed agreement for the
  case; ``cancelled``;
* promise ``pending`` until its due date plus the grace days, then ``kept``, ``partly_kept`` or
  ``broken``; a promise paid in full early is ``kept`` at once.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from itertools import islice, pairwise

from negplan.core.ledger_events import (
    Arrangement,
    CaseHistory,
    Installment,
    LedgerPayment,
    Promise,
)
from negplan.display import display
from negplan.money import ZERO
from negplan.records import record


class InstallmentState(str, Enum):
    scheduled = "scheduled"
    due = "due"
    paid = "paid"
    partial = "partial"
    missed = "missed"


class ArrangementState(str, Enum):
    on_track = "on_track"
    in_arrears = "in_arrears"
    cured = "cured"
    broken = "broken"
    completed = "completed"
    superseded = "superseded"
    cancelled = "cancelled"


class PromiseState(str, Enum):
    pending = "pending"
    kept = "kept"
    partly_kept = "partly_kept"
    broken = "broken"


@record
class InstallmentStatus:
    number: int
    due: date
    amount: Decimal
    paid: Decimal
    state: InstallmentState


@record
class ArrangementStatus:
    arrangement: Arrangement
    state: ArrangementState
    installments: tuple[InstallmentStatus, ...]
    paid: Decimal
    outstanding: Decimal
    #: The first installment not yet paid in full: its due date and what remains of it.
    next_payment: tuple[date, Decimal] | None
    #: Why the state is what it is, naming the term it applies (a sentence for people).
    reason: str


@record
class PromiseStatus:
    promise: Promise
    paid: Decimal
    state: PromiseState


@record
class Unallocated:
    """Money that no arrangement or promise took: the payment and the part left over."""

    payment: LedgerPayment
    amount: Decimal


@record
class CaseStatus:
    case_id: str
    as_of: date
    arrangements: tuple[ArrangementStatus, ...]
    promises: tuple[PromiseStatus, ...]
    unallocated: tuple[Unallocated, ...]
    #: Every payment up to ``as_of`` (reversals netted): what reduces the balance (SPEC 2a).
    total_paid: Decimal

    @property
    def current(self) -> ArrangementStatus | None:
        """The arrangement in force: the newest one neither superseded nor cancelled."""
        live = [
            a
            for a in self.arrangements
            if a.state not in (ArrangementState.superseded, ArrangementState.cancelled)
        ]
        return live[-1] if live else None


@dataclass
class _Ledger:
    """Running allocation for one case while its payments are replayed in date order."""

    paid: dict[tuple[str, int], Decimal] = field(default_factory=dict)  # (fingerprint, number)
    promised: dict[str, Decimal] = field(default_factory=dict)  # promise event id
    #: Allocations in the order made: (kind, key, amount, payment), for reversals (LIFO).
    stack: list[tuple[str, object, Decimal, LedgerPayment]] = field(default_factory=list)
    #: Reversals of more than the case had received: listed (negative), never silently dropped.
    over_reversed: list[Unallocated] = field(default_factory=list)


def _start(a: Arrangement) -> date:
    return a.signed_on


def ordered(arrangements: tuple[Arrangement, ...]) -> list[Arrangement]:
    """Oldest first: by signing date, then issue date (a re-issued deal signed the same day)."""
    return sorted(arrangements, key=lambda a: (a.signed_on, a.issued))


def _superseded_on(arrangements: list[Arrangement]) -> dict[str, date]:
    return {old.fingerprint: new.signed_on for old, new in pairwise(arrangements)}


def _in_force(
    arrangements: list[Arrangement], ends: dict[str, date], day: date
) -> Arrangement | None:
    for a in reversed(arrangements):
        if _start(a) <= day < ends.get(a.fingerprint, date.max) and not _cancelled(a, day):
            return a
    return None


def _cancelled(a: Arrangement, day: date) -> bool:
    return a.cancelled_on is not None and a.cancelled_on <= day


def _apply(
    book: _Ledger,
    payment: LedgerPayment,
    target: Arrangement | None,
    schedule: tuple[Installment, ...],
    promises: list[Promise],
    grace: int,
) -> None:
    """Allocate one payment to ``target``, the arrangement in force (``schedule``: its
    installments in due-date order), then to ``promises`` (the case's, oldest first)."""
    if payment.amount < ZERO:
        left_over = _reverse(book, -payment.amount)
        if left_over > ZERO:
            book.over_reversed.append(Unallocated(payment, -left_over))
        return
    left = payment.amount
    fingerprint = "" if target is None else target.fingerprint
    for inst in schedule:
        key = (fingerprint, inst.number)
        gap = inst.amount - book.paid.get(key, ZERO)
        if left <= ZERO:
            break
        if gap > ZERO:
            take = min(gap, left)
            book.paid[key] = book.paid.get(key, ZERO) + take
            book.stack.append(("installment", key, take, payment))
            left -= take
    for promise in promises:
        if left <= ZERO:
            break
        if not promise.made_on <= payment.paid_on <= promise.due + timedelta(days=grace):
            continue
        gap = promise.amount - book.promised.get(promise.event_id, ZERO)
        if gap > ZERO:
            take = min(gap, left)
            book.promised[promise.event_id] = book.promised.get(promise.event_id, ZERO) + take
            book.stack.append(("promise", promise.event_id, take, payment))
            left -= take
    if left > ZERO:
        book.stack.append(("unallocated", payment.reference, left, payment))


def _reverse(book: _Ledger, amount: Decimal) -> Decimal:
    """Take back ``amount`` from the most recent allocations: it reopens what it had paid.

    Returns what could not be taken back (a reversal of money the ledger never received).
    """
    while amount > ZERO and book.stack:
        kind, key, taken, payment = book.stack.pop()
        back = min(taken, amount)
        if kind == "installment":
            assert isinstance(key, tuple)
            book.paid[key] -= back
        elif kind == "promise":
            assert isinstance(key, str)
            book.promised[key] -= back
        if taken > back:
            book.stack.append((kind, key, taken - back, payment))
        amount -= back
    return amount


def _by_due(a: Arrangement) -> tuple[Installment, ...]:
    return tuple(sorted(a.installments, key=lambda i: (i.due, i.number)))


def _checkpoints(
    arrangements: list[Arrangement], payments: list[LedgerPayment], as_of: date
) -> list[date]:
    """The days on which a state can change, up to ``as_of``: a payment's day, the day after an
    installment falls due (overdue) and the day after its grace days (missed), and ``as_of``."""
    days = {as_of} | {p.paid_on for p in payments}
    overdue = timedelta(days=1)
    for a in arrangements:
        missed = timedelta(days=a.grace_days + 1)
        days.update(i.due + overdue for i in a.installments)
        days.update(i.due + missed for i in a.installments)
    return sorted(d for d in days if d <= as_of)


def _note_lateness(
    a: Arrangement,
    schedule: tuple[Installment, ...],
    book: _Ledger,
    days: list[date],
    was_late: set[str],
    broken_on: dict[str, date],
) -> None:
    """Record whether ``a`` was overdue on any of ``days``, and the first of them on which
    ``agreements.missed_payments_before_default`` of its installments were missed.

    ``days`` are checkpoints between two payment days, so the allocation is the same on each:
    the installments overdue, and those missed, can only grow from one to the next. Overdue on
    any day is therefore overdue on the last; the default falls on the first day on or after
    the ``missed_before_default``-th unpaid installment's missed date (due date + grace days +
    1; ``schedule`` is in due-date order, so that installment is the ``missed_before_default``-th
    unpaid one in it).
    """
    fingerprint, paid, count = a.fingerprint, book.paid, a.missed_before_default
    if count <= 0 and fingerprint not in broken_on:
        broken_on[fingerprint] = days[0]
    unpaid = (i for i in schedule if paid.get((fingerprint, i.number), ZERO) < i.amount)
    first = next(unpaid, None)
    if first is None or first.due >= days[-1]:
        return  # nothing overdue on any of ``days``, so nothing missed either
    was_late.add(fingerprint)
    if fingerprint in broken_on:
        return
    nth = first if count == 1 else next(islice(unpaid, count - 2, None), None)
    if nth is None:
        return
    at = bisect_left(days, nth.due + timedelta(days=a.grace_days + 1))
    if at < len(days):
        broken_on[fingerprint] = days[at]


def case_status(history: CaseHistory, as_of: date, promise_grace_days: int) -> CaseStatus:
    """Replay the case's payments up to ``as_of`` and state every arrangement and promise.

    ``promise_grace_days`` is the rules' ``agreements.grace_period_days``: a promise made on a
    call has no written terms of its own, so the creditor's policy on lateness applies to it.

    The replay jumps from payment day to payment day: between two, nothing is allocated, and
    whether an arrangement is late or in default follows from its unpaid installments' dates
    (:func:`_note_lateness`), without visiting the days in between. The states are those of a
    day-by-day replay (``tests/test_replay_property.py`` holds the two equal).
    """
    arrangements = ordered(history.arrangements)
    ends = _superseded_on(arrangements)
    payments = sorted(
        (p for p in history.payments if p.paid_on <= as_of), key=lambda p: (p.paid_on, p.sequence)
    )
    days = _checkpoints(arrangements, payments, as_of)
    schedules = {a.fingerprint: _by_due(a) for a in arrangements}
    promises = sorted(history.promises, key=lambda p: (p.made_on, p.due))
    # In force from its signing to the next signing or its cancellation (``_in_force``).
    spans = [
        (a, a.signed_on, min(ends.get(a.fingerprint, date.max), a.cancelled_on or date.max))
        for a in arrangements
    ]
    book = _Ledger()
    was_late: set[str] = set()
    broken_on: dict[str, date] = {}
    paid_days = sorted({p.paid_on for p in payments})
    bounds = [date.min, *paid_days, date.max]
    at = 0
    for low, high in pairwise(bounds):
        while at < len(payments) and payments[at].paid_on <= low:
            payment = payments[at]
            target = _in_force(arrangements, ends, payment.paid_on)
            schedule = () if target is None else schedules[target.fingerprint]
            _apply(book, payment, target, schedule, promises, promise_grace_days)
            at += 1
        for a, start, end in spans:
            first = bisect_left(days, max(low, start))
            last = bisect_left(days, min(high, end))
            if first < last:
                _note_lateness(
                    a, schedules[a.fingerprint], book, days[first:last], was_late, broken_on
                )
    statuses = tuple(
        _arrangement_status(a, book, as_of, ends.get(a.fingerprint), was_late, broken_on)
        for a in arrangements
    )
    promise_states = tuple(
        _promise_status(p, book.promised.get(p.event_id, ZERO), as_of, promise_grace_days)
        for p in promises
    )
    unallocated = tuple(
        Unallocated(payment, amount)
        for kind, _, amount, payment in book.stack
        if kind == "unallocated"
    ) + tuple(book.over_reversed)
    return CaseStatus(
        history.case_id,
        as_of,
        statuses,
        promise_states,
        unallocated,
        sum((p.amount for p in payments), ZERO),
    )


def installment_state(
    due: date, amount: Decimal, paid: Decimal, as_of: date, grace: int
) -> InstallmentState:
    """``scheduled → due → paid | partial | missed``; missed only after the grace days."""
    if paid >= amount:
        return InstallmentState.paid
    if as_of < due:
        return InstallmentState.scheduled
    if as_of <= due + timedelta(days=grace):
        return InstallmentState.due
    return InstallmentState.partial if paid > ZERO else InstallmentState.missed


def _arrangement_status(
    a: Arrangement,
    book: _Ledger,
    as_of: date,
    superseded_on: date | None,
    was_late: set[str],
    broken_on: dict[str, date],
) -> ArrangementStatus:
    rows = tuple(
        InstallmentStatus(
            i.number,
            i.due,
            i.amount,
            paid := book.paid.get((a.fingerprint, i.number), ZERO),
            installment_state(i.due, i.amount, paid, as_of, a.grace_days),
        )
        for i in sorted(a.installments, key=lambda i: (i.due, i.number))
    )
    paid_total = sum((r.paid for r in rows), ZERO)
    open_rows = [r for r in rows if r.paid < r.amount]
    next_payment = (
        (open_rows[0].due, open_rows[0].amount - open_rows[0].paid) if open_rows else None
    )
    overdue = [r for r in open_rows if r.due < as_of]
    state, reason = ArrangementState.on_track, "no installment is overdue"
    if a.cancelled_on is not None and a.cancelled_on <= as_of:
        by = f" by {a.cancelled_by}" if a.cancelled_by else ""
        why = f": {a.cancel_reason}" if a.cancel_reason else ""
        state, reason = ArrangementState.cancelled, f"cancelled on {a.cancelled_on}{by}{why}"
    elif superseded_on is not None and superseded_on <= as_of:
        state, reason = (
            ArrangementState.superseded,
            f"a newer agreement for the case was signed on {superseded_on}",
        )
    elif not open_rows:
        state, reason = ArrangementState.completed, "every installment is paid"
    elif a.fingerprint in broken_on:
        state, reason = (
            ArrangementState.broken,
            f"agreements.missed_payments_before_default: {a.missed_before_default} "
            f"installment(s) unpaid {a.grace_days} days after their due date on "
            f"{broken_on[a.fingerprint]}",
        )
    elif overdue:
        state, reason = (
            ArrangementState.in_arrears,
            f"installment {overdue[0].number} due {overdue[0].due} is unpaid "
            f"(agreements.grace_period_days: missed after {a.grace_days} days)",
        )
    elif a.fingerprint in was_late:
        state, reason = ArrangementState.cured, "the arrears were paid before the default"
    return ArrangementStatus(a, state, rows, paid_total, a.total - paid_total, next_payment, reason)


def _promise_status(p: Promise, paid: Decimal, as_of: date, grace: int) -> PromiseStatus:
    if paid >= p.amount:
        state = PromiseState.kept
    elif as_of <= p.due + timedelta(days=grace):
        state = PromiseState.pending
    elif paid > ZERO:
        state = PromiseState.partly_kept
    else:
        state = PromiseState.broken
    return PromiseStatus(p, paid, state)


def standing(status: ArrangementStatus, currency: str) -> str:
    """``arrangement on track, next payment 740.46 USD on 2027-01-06``: the words the brief, the
    ledger notes and the day's work list all use for where an arrangement stands (SPEC §8)."""
    words = f"arrangement {status.state.value.replace('_', ' ')}"
    if status.next_payment is None:
        return words
    when, amount = status.next_payment
    return f"{words}, next payment {display(amount, currency)} on {when.isoformat()}"
