"""What the ledger remembers about a case, as plain data for the pure core (SPEC §8).

The ledger (``negplan.io.ledger``) stores append-only events; it reads them back into these frozen
records, and :mod:`negplan.core.arrangements` derives every state from them. Nothing here opens a
file or a database: states are a function of the events and a date, so the same ledger gives the
same answer on SQLite and on PostgreSQL, and a test can state a history in a few lines.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date, datetime
from decimal import Decimal
from typing import Final

from negplan.core.case import OptOut
from negplan.records import record

#: The most decimal places an amount may carry: no currency negplan knows has a minor unit finer
#: than a hundredth (``negplan.money.MINOR_UNITS``), so a third place is a typo or a float.
MAX_PLACES: Final = 2


@record
class Installment:
    """One scheduled payment of a tracked agreement; number 0 is a down payment."""

    number: int
    due: date
    amount: Decimal


@record
class Arrangement:
    """A signed agreement as tracked: its schedule and the missed-payment terms it states.

    ``grace_days`` and ``missed_before_default`` come from the agreement's own record (the
    rules' ``agreements.grace_period_days`` and ``agreements.missed_payments_before_default`` at
    the time it was written): the debtor signed those terms, and a later change of policy does not
    rewrite a signed deal.
    """

    fingerprint: str
    case_id: str
    currency: str
    issued: date
    signed_on: date
    total: Decimal
    installments: tuple[Installment, ...]
    grace_days: int
    missed_before_default: int
    #: ``negplan cancel``: from this day the arrangement takes no payment and is not in force.
    cancelled_on: date | None = None
    cancel_reason: str | None = None
    cancelled_by: str | None = None


@record
class Promise:
    """A promise to pay without a written agreement (``negplan promise``)."""

    event_id: str
    case_id: str
    made_on: date
    due: date
    amount: Decimal
    by: str | None = None


@record
class LedgerPayment:
    """A payment as imported; a negative amount is a reversal (a returned payment)."""

    reference: str
    case_id: str
    paid_on: date
    amount: Decimal
    sequence: int = 0  # import order, to order payments of the same day


@record
class LedgerContact:
    """A contact logged with ``negplan log``, by any executive on any channel."""

    case_id: str
    at: datetime
    channel: str
    outcome: str
    by: str | None = None
    note: str | None = None


@record
class CaseHistory:
    """Everything the ledger holds for one case."""

    case_id: str
    arrangements: tuple[Arrangement, ...] = ()
    promises: tuple[Promise, ...] = ()
    payments: tuple[LedgerPayment, ...] = ()
    contacts: tuple[LedgerContact, ...] = ()
    opt_outs: frozenset[OptOut] = field(default_factory=frozenset)


def amount_problem(value: Decimal) -> str | None:
    """Why ``value`` cannot be a ledger amount, or ``None`` when it can."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        return f"has more than {MAX_PLACES} decimal places"
    if abs(value) >= Decimal("1000000000000"):
        return "is larger than any real payment (10^12)"
    return None
