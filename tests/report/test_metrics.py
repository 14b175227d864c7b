"""The report's formulas (docs/metrics.md) on small ledgers built by hand, on both databases.

Each figure is worked out by hand in the test's comments; the per-arrangement states the SQL
derives are also checked against ``negplan.core.arrangements`` (what ``negplan status`` says).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection

from negplan.core.arrangements import ArrangementState, case_status
from negplan.core.ledger_events import Arrangement, Installment
from negplan.io.ledger import Ledger
from negplan.io.ledger import schema as t
from negplan.io.ledger.events import histories, record_agreement, record_contact, record_promise
from negplan.report.assemble import report_data
from negplan.report.cohorts import cohorts
from negplan.report.facts import materialise
from negplan.report.metrics import By, Period, gather

AS_OF = date(2027, 3, 1)


def _contact(conn: Connection, case: str, day: str, outcome: str, by: str = "Sam") -> None:
    moment = datetime.fromisoformat(f"{day}T10:00:00+00:00")
    record_contact(conn, case, at=moment, channel="phone", outcome=outcome, by=by, note=None)


def _deal(
    conn: Connection,
    case: str,
    signed: str,
    amounts: list[str],
    m: int = 2,
    balance: str = "1000.00",
) -> None:
    start = date.fromisoformat(signed)
    dues = [date(start.year + (start.month + k) // 12, (start.month + k) % 12 + 1, 1)
            for k in range(len(amounts))]  # fmt: skip
    plan = tuple(
        Installment(n, d, Decimal(a)) for n, (d, a) in enumerate(zip(dues, amounts, strict=True), 1)
    )
    total = sum((i.amount for i in plan), Decimal(0))
    arrangement = Arrangement(f"sha256:{case}", case, "USD", start, start, total, plan, 5, m)
    terms = {"option": "plan_full", "jurisdiction": "US-CA", "balance": {"total": balance}}
    record_agreement(conn, arrangement, terms, None)


def _pay(conn: Connection, case: str, day: str, amount: str) -> None:
    conn.execute(
        t.payments.insert().values(
            event_id=f"e-{case}-{day}-{amount}", case_id=case, recorded_at="2027-01-01",
            reference=f"R-{case}-{day}-{amount}", paid_on=day, amount=amount,
        )
    )  # fmt: skip


def build(conn: Connection) -> None:
    # Contacts: A has 2 no-answers then a conversation; B a conversation; C a voicemail and a
    # conversation; a letter "sent" is not a call attempt. 6 attempts, 3 conversations.
    for case, day, outcome in [
        ("A", "2026-12-01", "no_answer"), ("A", "2026-12-02", "no_answer"),
        ("A", "2026-12-03", "conversation"), ("B", "2026-12-03", "conversation"),
        ("C", "2026-12-04", "voicemail"), ("C", "2026-12-05", "conversation"),
        ("C", "2026-12-06", "sent"),
    ]:  # fmt: skip
        _contact(conn, case, day, outcome, by="Lee" if case == "C" else "Sam")
    # Promises: P1 kept (paid in full within due + grace), P2 broken (nothing paid), P3 due
    # after as_of (pending, not fallen due). Promise rate 3 ÷ 3 conversations.
    record_promise(conn, "P1", made_on=date(2026, 12, 3), due=date(2026, 12, 10),
                   amount=Decimal("50.00"), by="Sam")  # fmt: skip
    _pay(conn, "P1", "2026-12-12", "50.00")  # within the 3 grace days
    record_promise(conn, "P2", made_on=date(2026, 12, 3), due=date(2026, 12, 10),
                   amount=Decimal("80.00"), by="Sam")  # fmt: skip
    record_promise(conn, "P3", made_on=date(2027, 2, 25), due=date(2027, 3, 20),
                   amount=Decimal("80.00"), by="Lee")  # fmt: skip
    # Arrangements signed 2026-12-05, installments due the 1st of Jan, Feb, Mar (grace 5 days).
    _deal(conn, "A", "2026-12-05", ["100.00", "100.00"])  # completed: both paid on time
    _pay(conn, "A", "2027-01-01", "100.00")
    _pay(conn, "A", "2027-02-01", "100.00")
    _deal(conn, "B", "2026-12-05", ["100.00", "100.00", "100.00"])  # broken: pays nothing
    _deal(conn, "C", "2026-12-05", ["100.00", "100.00", "100.00"])  # cured: late, caught up
    _pay(conn, "C", "2027-01-03", "100.00")  # two days late: in arrears, paid within grace
    _pay(conn, "C", "2027-02-01", "100.00")
    _deal(conn, "D", "2026-12-05", ["100.00", "100.00", "100.00"])  # first paid, then stops
    _pay(conn, "D", "2027-01-01", "100.00")


def test_formulas_on_a_hand_built_ledger(ledger_url: str) -> None:
    with Ledger(ledger_url) as book:
        with book.write() as conn:
            build(conn)
        with book.read() as conn:
            figures = gather(conn, None, Period(None, AS_OF), promise_grace=3)
    (g,) = figures.groups
    assert (g.attempts, g.conversations) == (6, 3)  # right-party contact 3 ÷ 6
    assert g.right_party_contact.value == 0.5
    assert (g.promises, g.promises_due, g.promises_kept) == (3, 2, 1)  # P3 not fallen due
    assert g.promise_rate.value == 1.0
    assert g.arrangements == 4
    # B broke (installments of Jan and Feb missed at once, m = 2); D: Feb missed, Mar not yet
    # past its grace on 2027-03-01, so one missed: in arrears, not broken.
    assert g.broken == 1
    assert g.completed == 1 and g.completion_base == 1  # only A has completed or matured
    # Fell into arrears: B, C (2 days late), D. Cured: C only (D is still in arrears).
    assert (g.fell_behind, g.cured) == (3, 1)
    # First payment honoured: A, C, D of the 4 (B paid nothing).
    assert (g.first_honoured, g.first_due) == (3, 4)
    # Days to first payment: A 27, C 29, D 27 → 83 / 3.
    assert g.days_to_first_payment == Decimal("27.7")
    (money,) = figures.money
    # Balance under arrangement 4 × 1000.00; collected 200 + 200 + 100 (promise money excluded).
    assert (money.balance, money.collected) == (400_000, 50_000)
    assert money.liquidation == Decimal("0.125")


def test_arrangement_states_match_negplan_status(ledger_url: str) -> None:
    """What the SQL derives for each arrangement agrees with the core's replay of its events."""
    with Ledger(ledger_url) as book:
        with book.write() as conn:
            build(conn)
        with book.read() as conn:
            facts = materialise(conn, AS_OF)
            rows = {r.case_id: r for r in conn.execute(facts.select())}
            found = histories(conn, ["A", "B", "C", "D"])
    for case, history in found.items():
        (state,) = case_status(history, AS_OF, 3).arrangements
        row = rows[case]
        assert (row.broke_at is not None) == (state.state is ArrangementState.broken), case
        assert (row.collected >= row.total) == (state.state is ArrangementState.completed), case
        assert (state.state is ArrangementState.cured) == (
            row.fell_behind == 1 and row.broke_at is None and row.behind_now == 0
        ), case
        assert row.collected == int(state.paid * 100), case
    assert rows["B"].broke_at == 1  # the debtor stopped at the first installment


def test_grouped_by_executive_and_month(ledger_url: str) -> None:
    with Ledger(ledger_url) as book:
        with book.write() as conn:
            build(conn)
        with book.read() as conn:
            by_exec = {g.key: g for g in gather(conn, By.executive, Period(None, AS_OF), 3).groups}
            by_month = {g.key: g for g in gather(conn, By.month, Period(None, AS_OF), 3).groups}
            window = gather(conn, None, Period(date(2027, 1, 1), AS_OF), 3).groups
    # C's conversation was Lee's, so C's arrangement is Lee's; A's, B's are Sam's; D has no
    # conversation logged.
    assert by_exec["Lee"].conversations == 1 and by_exec["Lee"].arrangements == 1
    assert by_exec["Sam"].arrangements == 2
    assert by_exec["(not logged)"].arrangements == 1
    assert by_month["2026-12"].arrangements == 4 and by_month["2027-02"].promises == 1
    assert [(g.attempts, g.promises, g.arrangements) for g in window] == [(0, 1, 0)]


def test_cohort_curve_is_cumulative_collected_over_balance(ledger_url: str) -> None:
    with Ledger(ledger_url) as book:
        with book.write() as conn:
            build(conn)
        with book.read() as conn:
            (cohort,) = cohorts(conn, Period(None, AS_OF))
    assert (cohort.month, cohort.currency, cohort.arrangements) == ("2026-12", "USD", 4)
    # Month 0 (December) nothing; month 1 (January) A, C, D pay 300; month 2 A, C pay 200.
    assert cohort.collected == [0, 30_000, 50_000, 50_000]
    assert cohort.liquidation()[2] == Decimal("0.125")


def test_lift_by_rules_from_assignments(ledger_url: str) -> None:
    """Champion cases collect 100 each, challenger cases 150 ± 10: lift 50 with its interval."""
    with Ledger(ledger_url) as book:
        with book.write() as conn:
            for n in range(40):
                arm = "challenger" if n % 2 else "champion"
                case = f"L{n}"
                conn.execute(
                    t.assignments.insert().values(
                        event_id=f"a{n}", case_id=case, recorded_at="2027-01-01",
                        experiment="x", rule_set=arm, rules_label="r.yaml",
                        planned_on="2027-01-01", currency="USD", jurisdiction="US-CA",
                        balance="1000.00", affordable="100.00", option="plan_full",
                        expected_value="120.00",
                    )
                )  # fmt: skip
                amount = "100.00" if arm == "champion" else ("140.00", "160.00")[n % 4 == 1]
                _pay(conn, case, "2027-01-15", amount)
        with book.read() as conn:
            data = report_data(conn, By.rules, Period(None, AS_OF), 3, charts=False)
    (row,) = data.lifts
    assert row.lift is not None
    assert (row.champion_cases, row.challenger_cases) == (20, 20)
    assert abs(row.lift.difference - 50) < 1e-9
    assert row.lift.low < 50 < row.lift.high and row.lift.low > 40
    money = {m.key: m for m in data.figures.money}
    assert money["champion"].planned == 20 * 12_000
    assert money["challenger"].collected_since_plan == 20 * 15_000
    from negplan.report.render import to_json

    lift = json.loads(to_json(data))["lift"][0]
    assert lift["lift_per_case"] == "50.00" and isinstance(lift["lift_low"], str)


def test_an_empty_ledger_reports_nothing_without_failing(tmp_path: Path) -> None:
    with Ledger(str(tmp_path / "l.db")) as book, book.read() as conn:
        data = report_data(conn, None, Period(None, AS_OF), 3, charts=True)
    assert data.figures.groups == [] and data.cohorts == []


def test_a_second_report_on_the_same_ledger_sees_new_events(ledger_url: str) -> None:
    """The scratch tables live on a pooled connection; a later report must not reuse them."""
    with Ledger(ledger_url) as book:
        with book.write() as conn:
            build(conn)
        with book.read() as conn:
            before = report_data(conn, None, Period(None, AS_OF), 3, charts=False)
        with book.write() as conn:
            _pay(conn, "B", "2027-01-02", "100.00")
        with book.read() as conn:
            after = report_data(conn, None, Period(None, AS_OF), 3, charts=False)
    assert after.figures.money[0].collected == before.figures.money[0].collected + 10_000
    assert after.figures.groups[0].first_honoured == before.figures.groups[0].first_honoured + 1
