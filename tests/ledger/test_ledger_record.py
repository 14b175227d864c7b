"""The ledger's payments and promise outcomes count as the case file's would (SPEC §4a, §8)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from negplan.core.case import Case, NegotiationOutcome
from negplan.core.compliance import limitation_status
from negplan.core.ledger_case import with_ledger
from negplan.core.ledger_events import (
    Arrangement,
    CaseHistory,
    Installment,
    LedgerPayment,
    Promise,
)
from negplan.core.valuation import promise_record, track_record_factor
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules
from tests.helpers import case_data

D = Decimal
AS_OF = date(2026, 11, 22)


def case(negotiations: list[dict[str, Any]] | None = None, **debt: object) -> Case:
    data = case_data()
    data["debt"] = {**data["debt"], **debt}
    if negotiations is not None:
        data["previous_negotiations"] = negotiations
    return Case.model_validate(data)


def promise(made: str, due: str, amount: str, event: str = "p1") -> Promise:
    return Promise(event, "T-0001", date.fromisoformat(made), date.fromisoformat(due), D(amount))


def paid(day: str, amount: str, ref: str, sequence: int = 0) -> LedgerPayment:
    return LedgerPayment(ref, "T-0001", date.fromisoformat(day), D(amount), sequence)


def deal(issued: str, signed: str, *dues: str) -> Arrangement:
    rows = tuple(Installment(n, date.fromisoformat(d), D("100")) for n, d in enumerate(dues, 1))
    return Arrangement(
        "sha256:" + issued, "T-0001", "USD", date.fromisoformat(issued),
        date.fromisoformat(signed), D(100 * len(dues)), rows, 10, 1,
    )  # fmt: skip


# ------------------------------------------------------------------ the debtor's record (§4a)

KEPT_IN_LEDGER = CaseHistory(
    "T-0001",
    promises=(promise("2026-09-01", "2026-09-10", "50.00"),),
    payments=(paid("2026-09-08", "50.00", "K"),),
)
BROKEN_IN_LEDGER = CaseHistory("T-0001", promises=(promise("2026-09-01", "2026-09-10", "50.00"),))


@pytest.mark.parametrize(
    ("negotiations", "history", "record"),
    [
        ([], KEPT_IN_LEDGER, (1, 0)),
        ([], BROKEN_IN_LEDGER, (0, 1)),
        # the same promise in the case file and the ledger: once, with the ledger's outcome
        ([{"date": "2026-09-01", "terms": "50 by 09-10", "outcome": "broken_promise"}],
         KEPT_IN_LEDGER, (1, 0)),
        ([{"date": "2026-09-01", "terms": "50 by 09-10", "outcome": "kept"}],
         BROKEN_IN_LEDGER, (0, 1)),
        # another day's promise in the case file is another promise
        ([{"date": "2026-08-10", "terms": "6 x 250.00", "outcome": "broken_promise"}],
         KEPT_IN_LEDGER, (1, 1)),
        # a refusal on the same day is not a promise: it stays, and counts as nothing
        ([{"date": "2026-09-01", "terms": "asked for 1,000", "outcome": "refused"}],
         KEPT_IN_LEDGER, (1, 0)),
        # a promise still pending is no outcome yet
        ([], CaseHistory("T-0001", promises=(promise("2026-11-20", "2026-11-30", "50"),)), (0, 0)),
    ],
)  # fmt: skip
def test_ledger_promises_are_the_debtors_record_counted_once(
    negotiations: list[dict[str, Any]], history: CaseHistory, record: tuple[int, int]
) -> None:
    view = with_ledger(case(negotiations), history, AS_OF, 10)
    assert promise_record(view.case) == record
    assert len([n for n in view.case.previous_negotiations if n.date == date(2026, 9, 1)]) <= 2


def test_the_record_moves_the_break_hazard() -> None:
    value = load_rules().value
    plain = case()
    kept = with_ledger(plain, KEPT_IN_LEDGER, AS_OF, 10).case
    broken = with_ledger(plain, BROKEN_IN_LEDGER, AS_OF, 10).case
    assert track_record_factor(kept, value) < track_record_factor(plain, value)
    assert track_record_factor(broken, value) > track_record_factor(plain, value)


BOTH_PAID = (paid("2026-10-05", "100", "A"), paid("2026-11-05", "100", "B"))


@pytest.mark.parametrize(
    ("dues", "payments", "outcome"),
    [
        (("2026-10-05", "2026-11-05"), BOTH_PAID, "kept"),  # completed
        (("2026-10-05", "2026-11-05"), (), "broken_promise"),
        (("2026-10-05", "2026-11-05", "2026-12-05"), BOTH_PAID, None),  # on track: no outcome yet
    ],
)
def test_completed_and_broken_arrangements_count_once(
    dues: tuple[str, ...], payments: tuple[LedgerPayment, ...], outcome: str | None
) -> None:
    plan = deal("2026-09-28", "2026-10-01", *dues)
    history = CaseHistory("T-0001", arrangements=(plan,), payments=payments)
    signed_in_file = [{"date": "2026-10-01", "terms": "3 x 100", "outcome": "kept"}]
    view = with_ledger(case(signed_in_file), history, AS_OF, 10)
    outcomes = [n.outcome for n in view.case.previous_negotiations]
    if outcome is None:
        assert outcomes == [NegotiationOutcome.kept]  # the case file's entry, untouched
    else:
        assert outcomes == [NegotiationOutcome(outcome)]  # the ledger's, not both


# ------------------------------------------------------------------ payments as the case file's


def test_a_ledger_payment_is_recorded_as_the_case_file_would_record_it() -> None:
    history = CaseHistory("T-0001", payments=(paid("2026-11-21", "100.00", "A"),))
    view = with_ledger(case(balance_as_of="2026-11-20"), history, AS_OF, 10)
    assert view.case.debt.last_payment == date(2026, 11, 21)
    assert view.case.payment_history[-1].date == date(2026, 11, 21)
    assert view.case.payment_history[-1].amount == D("100.00")
    assert any("last payment 2026-11-21 (ledger)" in n for n in view.notes)


def test_a_payment_already_in_the_case_file_is_not_added_again() -> None:
    data = case_data(payment_history=[{"date": "2026-11-21", "amount": "100.00"}])
    data["debt"] = {**data["debt"], "last_payment": "2026-11-21"}
    history = CaseHistory("T-0001", payments=(paid("2026-11-21", "100.00", "A"),))
    view = with_ledger(Case.model_validate(data), history, AS_OF, 10)
    assert len(view.case.payment_history) == 1
    assert not any("last payment" in n for n in view.notes)


@pytest.mark.parametrize(
    ("payments", "last"),
    [
        ((paid("2026-11-01", "100", "A", 1), paid("2026-11-10", "-100", "R", 2)), "2026-05-02"),
        (
            (paid("2026-10-01", "80", "A", 1), paid("2026-11-01", "100", "B", 2),
             paid("2026-11-10", "-100", "R", 3)),
            "2026-10-01",
        ),
        ((paid("2026-11-01", "100", "A", 1), paid("2026-11-10", "-40", "R", 2)), "2026-11-01"),
        ((paid("2026-11-01", "100", "A", 1),), "2026-11-01"),
    ],
)  # fmt: skip
def test_a_reversed_payment_is_no_last_payment(
    payments: tuple[LedgerPayment, ...], last: str
) -> None:
    view = with_ledger(case(), CaseHistory("T-0001", payments=payments), AS_OF, 10)
    assert view.case.debt.last_payment == date.fromisoformat(last)
    dated = [p.date for p in view.case.payment_history]
    assert (date(2026, 11, 1) in dated) == (last == "2026-11-01")


def barred_case(jurisdiction: str) -> Case:
    """A debt time-barred on the planning date by the case file alone (4 years in California,
    3 in New York, counted from 2021)."""
    data = case_data(jurisdiction=jurisdiction)
    if jurisdiction == "US-NY":
        data["debtor"] = {**data["debtor"], "timezone": "America/New_York"}
    data["debt"] = {**data["debt"], "first_delinquency": "2021-06-01", "last_payment": "2021-05-02"}
    return Case.model_validate(data)


@pytest.mark.parametrize(
    ("jurisdiction", "payments", "barred"),
    [
        ("US-CA", (), True),
        ("US-CA", (paid("2026-11-01", "25.00", "A"),), False),  # revives, as in the case file
        ("US-CA", (paid("2026-11-01", "25.00", "A", 1), paid("2026-11-09", "-25.00", "R", 2)),
         True),  # returned: it never revived anything
        ("US-NY", (paid("2026-11-01", "25.00", "A"),), True),  # CPLR 214-i: never revives
    ],
)  # fmt: skip
def test_ledger_payments_reach_the_limitation_rules_through_the_case_file_path(
    jurisdiction: str, payments: tuple[LedgerPayment, ...], barred: bool
) -> None:
    rules, tables = load_rules(), load_tables()
    original = barred_case(jurisdiction)
    view = with_ledger(original, CaseHistory("T-0001", payments=payments), AS_OF, 10)
    as_file = original.model_copy(
        update={
            "debt": original.debt.model_copy(update={"last_payment": view.case.debt.last_payment})
        }
    )
    from_ledger = limitation_status(view.case, rules, tables, AS_OF)
    assert from_ledger.time_barred is barred
    assert from_ledger == limitation_status(as_file, rules, tables, AS_OF)
