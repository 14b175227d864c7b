"""States of SPEC §8, table-driven: each row is a history in a few words and the state it gives."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negplan.core.arrangements import (
    ArrangementState,
    InstallmentState,
    PromiseState,
    case_status,
    installment_state,
)
from negplan.core.ledger_events import (
    Arrangement,
    CaseHistory,
    Installment,
    LedgerPayment,
    Promise,
    amount_problem,
)

D = Decimal
GRACE = 10


def plan(
    fingerprint: str = "sha256:a",
    signed: date = date(2026, 11, 30),
    amounts: tuple[str, ...] = ("100.00", "100.00", "100.00"),
    first: date = date(2026, 12, 5),
    before_default: int = 1,
    cancelled_on: date | None = None,
) -> Arrangement:
    rows = tuple(
        Installment(
            n,
            date(
                first.year + (first.month + n - 2) // 12, (first.month + n - 2) % 12 + 1, first.day
            ),
            D(a),
        )
        for n, a in enumerate(amounts, start=1)
    )
    return Arrangement(
        fingerprint,
        "T-1",
        "USD",
        signed,
        signed,
        sum((D(a) for a in amounts), D(0)),
        rows,
        GRACE,
        before_default,
        cancelled_on,
    )


def pay(day: str, amount: str, ref: str | None = None, seq: int = 0) -> LedgerPayment:
    return LedgerPayment(ref or f"R-{day}-{amount}", "T-1", date.fromisoformat(day), D(amount), seq)


@pytest.mark.parametrize(
    ("due", "amount", "paid", "as_of", "state"),
    [
        ("2026-12-05", "100", "0", "2026-12-01", InstallmentState.scheduled),
        ("2026-12-05", "100", "0", "2026-12-05", InstallmentState.due),
        ("2026-12-05", "100", "0", "2026-12-15", InstallmentState.due),  # last day of grace
        ("2026-12-05", "100", "0", "2026-12-16", InstallmentState.missed),
        ("2026-12-05", "100", "40", "2026-12-16", InstallmentState.partial),
        ("2026-12-05", "100", "40", "2026-12-10", InstallmentState.due),
        ("2026-12-05", "100", "100", "2026-12-01", InstallmentState.paid),  # paid early
        ("2026-12-05", "100", "120", "2026-12-20", InstallmentState.paid),
    ],
)
def test_installment_states(
    due: str, amount: str, paid: str, as_of: str, state: InstallmentState
) -> None:
    got = installment_state(
        date.fromisoformat(due), D(amount), D(paid), date.fromisoformat(as_of), GRACE
    )
    assert got is state


ARRANGEMENT_CASES = [
    # name, payments, as_of, arrangement state, installment states
    (
        "nothing due yet",
        [],
        "2026-12-01",
        ArrangementState.on_track,
        "scheduled scheduled scheduled",
    ),
    (
        "on time",
        [pay("2026-12-05", "100")],
        "2026-12-20",
        ArrangementState.on_track,
        "paid scheduled scheduled",
    ),
    ("due today unpaid", [], "2026-12-05", ArrangementState.on_track, "due scheduled scheduled"),
    (
        "late within grace, unpaid",
        [],
        "2026-12-10",
        ArrangementState.in_arrears,
        "due scheduled scheduled",
    ),
    (
        "late within grace, then paid",
        [pay("2026-12-12", "100")],
        "2026-12-20",
        ArrangementState.cured,
        "paid scheduled scheduled",
    ),
    ("missed", [], "2026-12-16", ArrangementState.broken, "missed scheduled scheduled"),
    (
        "partial",
        [pay("2026-12-05", "60")],
        "2026-12-16",
        ArrangementState.broken,
        "partial scheduled scheduled",
    ),
    (
        "broken stays broken",
        [pay("2027-01-02", "100")],
        "2027-01-03",
        ArrangementState.broken,
        "paid scheduled scheduled",
    ),
    (
        "paid ahead",
        [pay("2026-12-01", "250")],
        "2027-01-10",
        ArrangementState.on_track,
        "paid paid scheduled",
    ),
    (
        "completed",
        [pay("2026-12-05", "100"), pay("2027-01-05", "100"), pay("2027-02-05", "100")],
        "2027-02-06",
        ArrangementState.completed,
        "paid paid paid",
    ),
    (
        "completed late is still completed",
        [pay("2027-02-05", "300")],
        "2027-02-06",
        ArrangementState.completed,
        "paid paid paid",
    ),
    (
        "reversal reopens what it paid",
        [pay("2026-12-05", "100", seq=1), pay("2026-12-08", "-100", seq=2)],
        "2026-12-09",
        ArrangementState.in_arrears,
        "due scheduled scheduled",
    ),
    (
        "reversal after grace breaks",
        [pay("2026-12-05", "100", seq=1), pay("2026-12-20", "-100", seq=2)],
        "2026-12-21",
        ArrangementState.broken,
        "missed scheduled scheduled",
    ),
    (
        "partial reversal",
        [pay("2026-12-05", "100", seq=1), pay("2026-12-06", "-30", seq=2)],
        "2026-12-07",
        ArrangementState.in_arrears,
        "due scheduled scheduled",
    ),
]


@pytest.mark.parametrize(
    ("name", "payments", "as_of", "state", "rows"),
    ARRANGEMENT_CASES,
    ids=[c[0] for c in ARRANGEMENT_CASES],
)
def test_arrangement_states(
    name: str, payments: list[LedgerPayment], as_of: str, state: ArrangementState, rows: str
) -> None:
    history = CaseHistory("T-1", arrangements=(plan(),), payments=tuple(payments))
    status = case_status(history, date.fromisoformat(as_of), GRACE)
    (only,) = status.arrangements
    assert only.state is state, only.reason
    assert " ".join(r.state.value for r in only.installments) == rows


def test_two_missed_before_default_means_in_arrears_after_the_first() -> None:
    history = CaseHistory("T-1", arrangements=(plan(before_default=2),))
    first_missed = case_status(history, date(2026, 12, 20), GRACE).arrangements[0]
    assert first_missed.state is ArrangementState.in_arrears
    second_missed = case_status(history, date(2027, 1, 16), GRACE).arrangements[0]
    assert second_missed.state is ArrangementState.broken
    assert "missed_payments_before_default" in second_missed.reason


def test_cured_after_a_missed_payment_when_default_needs_two() -> None:
    history = CaseHistory(
        "T-1", arrangements=(plan(before_default=2),), payments=(pay("2026-12-28", "100"),)
    )
    status = case_status(history, date(2026, 12, 30), GRACE).arrangements[0]
    assert status.state is ArrangementState.cured


def test_newer_agreement_supersedes_and_takes_later_payments() -> None:
    old = plan("sha256:old", signed=date(2026, 11, 1), first=date(2026, 11, 5))
    new = plan(
        "sha256:new", signed=date(2026, 12, 1), amounts=("50.00",) * 6, first=date(2026, 12, 10)
    )
    history = CaseHistory(
        "T-1", arrangements=(new, old), payments=(pay("2026-11-05", "100"), pay("2026-12-10", "50"))
    )
    status = case_status(history, date(2026, 12, 11), GRACE)
    by_print = {a.arrangement.fingerprint: a for a in status.arrangements}
    assert by_print["sha256:old"].state is ArrangementState.superseded
    assert by_print["sha256:old"].paid == D("100.00")
    assert by_print["sha256:new"].state is ArrangementState.on_track
    assert by_print["sha256:new"].paid == D("50")
    assert status.current is by_print["sha256:new"]
    assert status.current.next_payment == (date(2027, 1, 10), D("50.00"))


def test_cancelled() -> None:
    history = CaseHistory(
        "T-1",
        arrangements=(plan(cancelled_on=date(2026, 12, 1)),),
        payments=(pay("2026-12-05", "100"),),
    )
    status = case_status(history, date(2026, 12, 6), GRACE)
    assert status.arrangements[0].state is ArrangementState.cancelled
    assert status.current is None
    assert [u.amount for u in status.unallocated] == [D("100")]


def test_overpayment_beyond_the_schedule_is_unallocated_not_lost() -> None:
    history = CaseHistory(
        "T-1", arrangements=(plan(),), payments=(pay("2026-12-05", "350", ref="BIG"),)
    )
    status = case_status(history, date(2026, 12, 6), GRACE)
    assert status.arrangements[0].state is ArrangementState.completed
    assert [(u.payment.reference, u.amount) for u in status.unallocated] == [("BIG", D("50"))]
    assert status.total_paid == D("350")


def test_payments_after_as_of_do_not_count() -> None:
    history = CaseHistory("T-1", arrangements=(plan(),), payments=(pay("2026-12-20", "100"),))
    status = case_status(history, date(2026, 12, 16), GRACE)
    assert status.arrangements[0].state is ArrangementState.broken
    assert status.total_paid == D(0)


def promise(made: str = "2026-11-30", due: str = "2026-12-10", amount: str = "200") -> Promise:
    return Promise("p1", "T-1", date.fromisoformat(made), date.fromisoformat(due), D(amount))


@pytest.mark.parametrize(
    ("payments", "as_of", "state", "paid"),
    [
        ([], "2026-12-05", PromiseState.pending, "0"),
        ([], "2026-12-20", PromiseState.pending, "0"),  # last day of grace
        ([], "2026-12-21", PromiseState.broken, "0"),
        ([pay("2026-12-09", "200")], "2026-12-09", PromiseState.kept, "200"),
        ([pay("2026-12-09", "50")], "2026-12-21", PromiseState.partly_kept, "50"),
        (
            [pay("2026-12-09", "150"), pay("2026-12-15", "50")],
            "2026-12-21",
            PromiseState.kept,
            "200",
        ),
        ([pay("2026-11-20", "200")], "2026-12-21", PromiseState.broken, "0"),  # before the promise
        ([pay("2026-12-25", "200")], "2026-12-26", PromiseState.broken, "0"),  # after its grace
        (
            [pay("2026-12-09", "200", seq=1), pay("2026-12-12", "-200", seq=2)],
            "2026-12-21",
            PromiseState.broken,
            "0",
        ),
    ],
)
def test_promise_states(
    payments: list[LedgerPayment], as_of: str, state: PromiseState, paid: str
) -> None:
    history = CaseHistory("T-1", promises=(promise(),), payments=tuple(payments))
    (only,) = case_status(history, date.fromisoformat(as_of), GRACE).promises
    assert only.state is state
    assert only.paid == D(paid)


def test_arrangement_takes_money_before_a_promise_and_it_is_never_counted_twice() -> None:
    history = CaseHistory(
        "T-1",
        arrangements=(plan(amounts=("100.00",)),),
        promises=(promise(amount="50"),),
        payments=(pay("2026-12-05", "130"),),
    )
    status = case_status(history, date(2026, 12, 6), GRACE)
    assert status.arrangements[0].paid == D("100.00")
    assert status.promises[0].paid == D("30")
    assert status.unallocated == ()
    assert status.arrangements[0].paid + status.promises[0].paid == status.total_paid


@pytest.mark.parametrize(
    ("text", "problem"),
    [("10.00", None), ("-3", None), ("1.001", "decimal places"), ("1e13", "larger")],
)
def test_amount_problem(text: str, problem: str | None) -> None:
    found = amount_problem(D(text))
    assert (found is None) if problem is None else (problem in (found or ""))


def test_a_reversal_of_more_than_was_received_is_listed_not_dropped() -> None:
    history = CaseHistory(
        "T-1", payments=(pay("2026-12-01", "30", seq=1), pay("2026-12-02", "-50", ref="RET", seq=2))
    )
    status = case_status(history, date(2026, 12, 3), GRACE)
    assert [(u.payment.reference, u.amount) for u in status.unallocated] == [("RET", D("-20"))]
    assert status.total_paid == D("-20")


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=120),
            st.decimals(min_value=-300, max_value=400, places=2, allow_nan=False).filter(bool),
        ),
        max_size=12,
    ),
    st.integers(min_value=1, max_value=3),
)
def test_every_payment_is_counted_once_and_never_beyond_what_is_owed(
    moves: list[tuple[int, Decimal]], before_default: int
) -> None:
    start = date(2026, 11, 25)
    payments = tuple(
        LedgerPayment(f"R{n}", "T-1", start + timedelta(days=day), amount, n)
        for n, (day, amount) in enumerate(moves)
    )
    history = CaseHistory(
        "T-1",
        arrangements=(plan(before_default=before_default),),
        promises=(promise(made="2026-11-25", due="2026-12-01", amount="80"),),
        payments=payments,
    )
    status = case_status(history, date(2027, 4, 1), GRACE)
    (deal,) = status.arrangements
    allocated = sum((i.paid for i in deal.installments), D(0)) + status.promises[0].paid
    assert allocated + sum((u.amount for u in status.unallocated), D(0)) == status.total_paid
    assert all(D(0) <= i.paid <= i.amount for i in deal.installments)
    assert D(0) <= status.promises[0].paid <= D("80")
    assert deal.paid + deal.outstanding == deal.arrangement.total
