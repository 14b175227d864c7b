"""The day's work list in the core: why call, and when a debtor is left alone (SPEC §8, §9)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal as D

from negplan.core.arrangements import case_status
from negplan.core.ledger_events import (
    Arrangement,
    CaseHistory,
    Installment,
    LedgerPayment,
    Promise,
)
from negplan.core.worklist import WorkItem, call_order, work_item
from tests.helpers import BASE_NOW, case_data, from_data

#: The base case is callable at BASE_NOW (11:00 in Los Angeles); its executive's day ends at
#: midnight UTC, five hours later.
DAY_ENDS = datetime(2026, 11, 23, 0, 0, tzinfo=timezone.utc)
AS_OF = date(2026, 11, 22)


def arrangement(missed_before_default: int = 2) -> Arrangement:
    """Two payments of 100.00, due 5 and 15 November, 10 grace days each."""
    rows = (
        Installment(1, date(2026, 11, 5), D("100")),
        Installment(2, date(2026, 11, 15), D("100")),
    )
    return Arrangement(
        "sha256:a", "T-0001", "USD", date(2026, 11, 1), date(2026, 11, 1), D("200"), rows,
        10, missed_before_default,
    )  # fmt: skip


def item(history: CaseHistory, **case_changes: object) -> WorkItem:
    _, plan, _ = from_data(case_data(**case_changes))
    return work_item(plan, case_status(history, AS_OF, 10), DAY_ENDS, 10)


def test_a_payment_past_its_grace_days_is_a_missed_payment_to_call_about() -> None:
    paid_first = LedgerPayment("TX-1", "T-0001", date(2026, 11, 5), D("100"))
    history = CaseHistory("T-0001", arrangements=(arrangement(),), payments=(paid_first,))
    # On 22 November the second payment (due 15th) is unpaid but inside its 10 grace days.
    found = item(history)
    assert found.call is False and found.not_today is not None
    assert found.not_today.code == "within_grace"
    assert found.not_today.text == (
        "installment 2 due 2026-11-15 is unpaid but within its 10-day grace period"
    )


def test_two_missed_payments_break_the_arrangement_and_it_comes_first() -> None:
    history = CaseHistory(
        "T-0001",
        arrangements=(arrangement(missed_before_default=1),),
        promises=(Promise("p", "T-0001", date(2026, 10, 1), date(2026, 10, 5), D("50")),),
    )
    found = item(history)
    assert found.call is True
    assert found.reason.code == "arrangement_broken"
    assert found.reason.rule == "agreements.missed_payments_before_default"
    assert found.opens is not None and found.closes is not None
    assert (found.opens.hour, found.closes.hour) == (8, 21)


def test_a_partly_kept_promise_is_a_broken_promise() -> None:
    history = CaseHistory(
        "T-0001",
        promises=(Promise("p", "T-0001", date(2026, 11, 1), date(2026, 11, 5), D("50")),),
        payments=(LedgerPayment("TX-1", "T-0001", date(2026, 11, 5), D("20")),),
    )
    found = item(history)
    assert found.reason.code == "broken_promise"
    assert found.reason.text == "broken promise: 50.00 USD due 2026-11-05, 20.00 USD paid"


def test_a_completed_arrangement_is_never_called_about() -> None:
    payments = (
        LedgerPayment("TX-1", "T-0001", date(2026, 11, 5), D("100")),
        LedgerPayment("TX-2", "T-0001", date(2026, 11, 15), D("100")),
    )
    found = item(CaseHistory("T-0001", arrangements=(arrangement(),), payments=payments))
    assert found.call is False and found.not_today is not None
    assert found.not_today.code == "arrangement_completed"


def test_a_call_cap_reached_today_lifts_on_a_later_day_and_names_it() -> None:
    calls = [
        {"at": (BASE_NOW - timedelta(hours=2 + n)).isoformat(), "channel": "phone",
         "outcome": "no_answer"}
        for n in range(7)
    ]  # fmt: skip
    found = item(CaseHistory("T-0001"), contacts=calls)
    assert found.call is False and found.not_today is not None
    assert found.not_today.code == "call_frequency"
    assert found.not_today.text.startswith("next lawful window 2026-11-29 08:00 PST")
    assert found.reason.code == "open_balance"


def test_the_window_that_closes_first_comes_first_then_the_larger_gain() -> None:
    early = datetime(2026, 11, 30, 16, tzinfo=timezone.utc)
    late = early + timedelta(hours=1)
    keys = [call_order(late, D("900")), call_order(early, D("10")), call_order(early, D("50"))]
    assert sorted(keys) == [(early, D("-50")), (early, D("-10")), (late, D("-900"))]
