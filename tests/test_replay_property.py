"""The event-driven replay of ``case_status`` against straightforward references (SPEC §8).

``case_status`` jumps from payment day to payment day and works out from the unpaid
installments' dates when an arrangement fell late or into default. Two references, kept here
only, replay the same histories the slow way:

* :func:`day_by_day` applies each day's payments and then looks at the arrangement in force,
  every day from the first event to ``as_of``: the definition of the states;
* :func:`checkpoint_replay` is the replay ``case_status`` used before (negplan 0.x, issue 16):
  every day on which a state can change, one after the other.

The new replay must equal the checkpoint replay on every history, and the day-by-day one on
every history whose installments fall due on or after their agreement's signing (the checkpoint
replay, like the new one, first looks at an arrangement on a checkpoint, not on the day it was
signed; an instalment already overdue when the agreement is signed is the only case where that
differs, see docs/decisions.md).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from negplan.core.arrangements import (
    CaseStatus,
    Unallocated,
    _apply,
    _arrangement_status,
    _by_due,
    _in_force,
    _Ledger,
    _promise_status,
    _superseded_on,
    case_status,
    ordered,
)
from negplan.core.ledger_events import (
    Arrangement,
    CaseHistory,
    Installment,
    LedgerPayment,
    Promise,
)
from negplan.money import ZERO

START = date(2026, 1, 1)
GRACE = 7


def _late(a: Arrangement, book: _Ledger, day: date) -> tuple[int, int]:
    overdue = missed = 0
    for inst in a.installments:
        if book.paid.get((a.fingerprint, inst.number), ZERO) >= inst.amount:
            continue
        if inst.due < day:
            overdue += 1
            if inst.due + timedelta(days=a.grace_days) < day:
                missed += 1
    return overdue, missed


def _replay(history: CaseHistory, as_of: date, days: list[date]) -> CaseStatus:
    """Apply the payments up to each of ``days`` and look at the arrangement in force."""
    arrangements = ordered(history.arrangements)
    ends = _superseded_on(arrangements)
    promises = sorted(history.promises, key=lambda p: (p.made_on, p.due))
    payments = sorted(
        (p for p in history.payments if p.paid_on <= as_of), key=lambda p: (p.paid_on, p.sequence)
    )
    book = _Ledger()
    was_late: set[str] = set()
    broken_on: dict[str, date] = {}
    pending = list(payments)
    for day in days:
        while pending and pending[0].paid_on <= day:
            payment = pending.pop(0)
            target = _in_force(arrangements, ends, payment.paid_on)
            schedule = () if target is None else _by_due(target)
            _apply(book, payment, target, schedule, promises, GRACE)
        a = _in_force(arrangements, ends, day)
        if a is None:
            continue
        overdue, missed = _late(a, book, day)
        if overdue:
            was_late.add(a.fingerprint)
        if missed >= a.missed_before_default and a.fingerprint not in broken_on:
            broken_on[a.fingerprint] = day
    return CaseStatus(
        history.case_id,
        as_of,
        tuple(
            _arrangement_status(a, book, as_of, ends.get(a.fingerprint), was_late, broken_on)
            for a in arrangements
        ),
        tuple(
            _promise_status(p, book.promised.get(p.event_id, ZERO), as_of, GRACE) for p in promises
        ),
        tuple(Unallocated(p, amount) for kind, _, amount, p in book.stack if kind == "unallocated")
        + tuple(book.over_reversed),
        sum((p.amount for p in payments), ZERO),
    )


def day_by_day(history: CaseHistory, as_of: date) -> CaseStatus:
    days = [START + timedelta(days=n) for n in range((as_of - START).days + 1)]
    return _replay(history, as_of, days)


def checkpoint_replay(history: CaseHistory, as_of: date) -> CaseStatus:
    checkpoints = {as_of} | {p.paid_on for p in history.payments if p.paid_on <= as_of}
    for a in history.arrangements:
        for inst in a.installments:
            checkpoints |= {
                inst.due + timedelta(days=1),
                inst.due + timedelta(days=a.grace_days + 1),
            }
    return _replay(history, as_of, sorted(d for d in checkpoints if d <= as_of))


AMOUNTS = st.sampled_from([Decimal("50.00"), Decimal("100.00"), Decimal("33.33"), Decimal("0.01")])


@st.composite
def histories(draw: st.DrawFn, due_after_signing: bool) -> tuple[CaseHistory, date]:
    arrangements = []
    for n in range(draw(st.integers(1, 3))):
        signed = START + timedelta(days=draw(st.integers(0, 200)))
        lowest = 0 if due_after_signing else -40
        offsets = draw(st.lists(st.integers(lowest, 150), min_size=1, max_size=6))
        amounts = [draw(AMOUNTS) for _ in offsets]
        cancelled = draw(st.none() | st.integers(0, 250))
        arrangements.append(
            Arrangement(
                f"sha256:{n}",
                "T-1",
                "USD",
                signed - timedelta(days=draw(st.integers(0, 3))),
                signed,
                sum(amounts, ZERO),
                tuple(
                    Installment(number, signed + timedelta(days=offset), amount)
                    for number, (offset, amount) in enumerate(zip(offsets, amounts, strict=True))
                ),
                draw(st.integers(0, 15)),
                draw(st.integers(1, 3)),  # rules: missed_payments_before_default >= 1
                None if cancelled is None else START + timedelta(days=cancelled),
            )
        )
    payments = tuple(
        LedgerPayment(
            f"R-{n}",
            "T-1",
            START + timedelta(days=draw(st.integers(0, 330))),
            draw(AMOUNTS) * draw(st.sampled_from([1, 1, 1, 2, -1])),
            draw(st.integers(0, 5)),
        )
        for n in range(draw(st.integers(0, 12)))
    )
    promises = tuple(
        Promise(
            f"pr-{n}",
            "T-1",
            (made := START + timedelta(days=draw(st.integers(0, 300)))),
            made + timedelta(days=draw(st.integers(0, 30))),
            draw(AMOUNTS),
        )
        for n in range(draw(st.integers(0, 2)))
    )
    as_of = START + timedelta(days=draw(st.integers(0, 340)))
    return CaseHistory("T-1", tuple(arrangements), promises, payments), as_of


@settings(max_examples=300, deadline=None)
@given(histories(due_after_signing=True))
def test_replay_equals_day_by_day(drawn: tuple[CaseHistory, date]) -> None:
    history, as_of = drawn
    assert case_status(history, as_of, GRACE) == day_by_day(history, as_of)


@settings(max_examples=300, deadline=None)
@given(histories(due_after_signing=False))
def test_replay_equals_the_checkpoint_replay_it_replaces(drawn: tuple[CaseHistory, date]) -> None:
    history, as_of = drawn
    assert case_status(history, as_of, GRACE) == checkpoint_replay(history, as_of)
