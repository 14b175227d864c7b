"""One arrangement and its payments, as the follow-up tests play them day by day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from negplan.core.arrangements import case_status
from negplan.core.case import OptOut
from negplan.core.followup_terms import Action, AgreedTerms
from negplan.core.followups import case_actions
from negplan.core.ledger_events import Arrangement, CaseHistory, Installment, LedgerPayment

CASE = "UK-2026-0042"
PRINT = "sha256:" + "ab" * 32
GRACE = 3
REMINDER_DAYS = 3
DUES = (date(2026, 12, 4), date(2026, 12, 10), date(2026, 12, 17), date(2026, 12, 31),
        date(2027, 1, 7))  # fmt: skip
AMOUNT = Decimal("100.00")

TERMS = AgreedTerms(
    fingerprint=PRINT,
    case_id=CASE,
    jurisdiction="GB-ENG",
    country="GB",
    currency="GBP",
    creditor="Thames Credit Ltd",
    creditor_phone="0800 000 0000",
    creditor_address="1 Bank St, London E14 5AA",
    debtor="Sam Taylor",
    debtor_address="9 High St, Leeds LS1 1AA",
    debtor_email="sam@example.org",
    account_ref="TC-991",
    settlement=False,
    balance=Decimal("500.00"),
    total=Decimal("500.00"),
    cure_days=7,
    reinstate_on_default=True,
    reports_to_bureaus=True,
    agreed_on=date(2026, 11, 30),
)


def arrangement(**changes: object) -> Arrangement:
    base = Arrangement(
        PRINT,
        CASE,
        "GBP",
        date(2026, 11, 30),
        date(2026, 11, 30),
        AMOUNT * len(DUES),
        tuple(Installment(n, due, AMOUNT) for n, due in enumerate(DUES, start=1)),
        GRACE,
        2,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def paid(day: date, amount: str, n: int) -> LedgerPayment:
    return LedgerPayment(f"ref-{n}", CASE, day, Decimal(amount), n)


def play(
    history: CaseHistory,
    first: date,
    last: date,
    terms: AgreedTerms = TERMS,
    opt_outs: frozenset[OptOut] = frozenset(),
) -> dict[date, list[Action]]:
    """Run ``followup`` every day from ``first`` to ``last``: what each day issues."""
    issued: dict[str, date] = {}
    days: dict[date, list[Action]] = {}
    day = first
    while day <= last:
        status = case_status(history, day, GRACE)
        new = [
            a
            for a in case_actions(
                status, {terms.fingerprint: terms}, opt_outs, day, REMINDER_DAYS, GRACE, issued
            )
            if a.key not in issued
        ]
        issued |= {a.key: day for a in new}
        if new:
            days[day] = new
        day += timedelta(days=1)
    return days


#: Everything paid on 1 December: the arrangement is completed that day.
PAID_AT_ONCE = (paid(date(2026, 12, 1), "500.00", 1),)
