"""The case as the ledger says it stands today: what ``prep`` plans with when a ledger is set.

The case file is the snapshot of the account; the ledger is what happened since (SPEC §8). Pure:
a case, the case's history and a date in; the case brought up to date and what changed out.

* **Contacts** from every executive and channel join the case's own (duplicates once), so the
  call caps and quiet periods count them (12 CFR 1006.14(b)(2)).
* **Opt-outs** join ``debtor.opt_outs`` (12 CFR 1006.14(h)).
* **Payments after** ``debt.balance_as_of`` (up to the planning date, reversals netted) reduce
  the balance: fees first, then interest, then principal, the order most loan contracts apply
  payments in. Without ``balance_as_of`` negplan cannot tell which payments the balance already
  reflects, so none is applied and the notes say so: a payment is never counted twice.
* Every **payment** that still stands after the ledger's reversals joins ``payment_history`` and
  ``debt.last_payment``, so the limitation rules treat it as a case-file payment, and **kept and
  broken promises and arrangements** join ``previous_negotiations``, the debtor's record the
  valuation reads (:mod:`negplan.core.ledger_record`).
* The **arrangement in force** is reported.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from negplan.core.arrangements import (
    ArrangementState,
    ArrangementStatus,
    case_status,
    standing,
)
from negplan.core.case import Balance, Case, Channel, Contact, ContactOutcome
from negplan.core.ledger_events import CaseHistory
from negplan.core.ledger_record import (
    standing_payments,
    with_ledger_outcomes,
    with_ledger_payments,
)
from negplan.display import display
from negplan.errors import InputError
from negplan.money import ZERO
from negplan.records import record

#: Arrangement states in which the debtor is keeping to a deal: no collection call is due.
KEEPING: frozenset[ArrangementState] = frozenset(
    {ArrangementState.on_track, ArrangementState.cured}
)


@record
class LedgerView:
    case: Case  # the case brought up to date
    applied: Decimal  # payments after balance_as_of that reduced the balance
    arrangement: ArrangementStatus | None  # the arrangement in force, if any
    kept_promises: int  # promises and arrangements the ledger shows kept (counted once)
    broken_promises: int  # … broken or partly kept
    notes: tuple[str, ...]  # what changed, for the brief

    @property
    def keeping_to_a_deal(self) -> bool:
        """An arrangement on track: the case is not queued for a call (SPEC §8)."""
        return self.arrangement is not None and self.arrangement.state in KEEPING


def with_ledger(
    case: Case, history: CaseHistory, as_of: date, promise_grace_days: int
) -> LedgerView:
    """``case`` with the ledger's contacts, opt-outs and payments since ``balance_as_of``."""
    status = case_status(history, as_of, promise_grace_days)
    notes: list[str] = []
    contacts = _merged_contacts(case, history)
    added = len(contacts) - len(case.contacts)
    if added:
        notes.append(f"{added} contact(s) from the ledger count toward the call limits")
    opt_outs = list(dict.fromkeys([*case.debtor.opt_outs, *sorted(history.opt_outs)]))
    if len(opt_outs) > len(case.debtor.opt_outs):
        notes.append(f"opted out (ledger): {', '.join(o.value for o in opt_outs)}")
    balance, applied = case.debt.balance, ZERO
    since = case.debt.balance_as_of
    if since is None:
        if history.payments:
            notes.append(
                "ledger payments not applied: the case has no debt.balance_as_of, so negplan "
                "cannot tell which payments its balance already reflects"
            )
    else:
        applied = sum((p.amount for p in history.payments if since < p.paid_on <= as_of), ZERO)
        if applied:
            balance = _reduced(case, applied)
            notes.append(
                f"{display(applied, case.currency)} paid since {since} (ledger) reduces the "
                f"balance to {display(balance.total, case.currency)}"
            )
    history_paid, last_payment = with_ledger_payments(
        case, standing_payments(history.payments, as_of)
    )
    if last_payment != case.debt.last_payment:
        notes.append(f"last payment {last_payment} (ledger)")
    current = status.current
    if current is not None:
        notes.append(_arrangement_note(current, case.currency))
    elif status.arrangements and status.arrangements[-1].state is ArrangementState.cancelled:
        notes.append(
            f"arrangement {status.arrangements[-1].reason} (no deal in force: the case is called "
            "as usual)"
        )
    record = with_ledger_outcomes(case, status, as_of)
    if record.kept or record.broken:
        once = f"; {record.replaced} also in the case file, counted once" if record.replaced else ""
        notes.append(
            f"promises in the ledger: {record.kept} kept, {record.broken} broken or partly kept, "
            f"counted in the debtor's record (value.track_record){once}"
        )
    updated = case.model_copy(
        update={
            "contacts": contacts,
            "debtor": case.debtor.model_copy(update={"opt_outs": opt_outs}),
            "debt": case.debt.model_copy(update={"balance": balance, "last_payment": last_payment}),
            "payment_history": history_paid,
            "previous_negotiations": record.negotiations,
        }
    )
    return LedgerView(updated, applied, current, record.kept, record.broken, tuple(notes))


def _merged_contacts(case: Case, history: CaseHistory) -> list[Contact]:
    seen = {(c.at, c.channel.value, c.outcome.value) for c in case.contacts}
    merged = list(case.contacts)
    for c in history.contacts:
        key = (c.at, c.channel, c.outcome)
        if key in seen:
            continue
        seen.add(key)
        merged.append(
            Contact(
                at=c.at,
                channel=Channel(c.channel),
                outcome=ContactOutcome(c.outcome),
                note=c.note,
            )
        )
    return sorted(merged, key=lambda c: c.at)


def _reduced(case: Case, paid: Decimal) -> Balance:
    """The balance less ``paid``: fees, then interest, then principal (a net reversal adds back
    to principal)."""
    parts = case.debt.balance
    if paid >= parts.total:
        raise InputError.single(
            f"the ledger's payments since {case.debt.balance_as_of} "
            f"({display(paid, case.currency)}) cover the balance of "
            f"{display(parts.total, case.currency)}: nothing is left to collect"
        )
    if paid < ZERO:
        return Balance(principal=parts.principal - paid, interest=parts.interest, fees=parts.fees)
    fees_paid = min(parts.fees, paid)
    interest_paid = min(parts.interest, paid - fees_paid)
    principal_paid = paid - fees_paid - interest_paid
    return Balance(
        principal=parts.principal - principal_paid,
        interest=parts.interest - interest_paid,
        fees=parts.fees - fees_paid,
    )


def _arrangement_note(current: ArrangementStatus, currency: str) -> str:
    if current.state in KEEPING:
        return (
            f"{standing(current, currency)}: the debtor is keeping to the deal, no collection call"
        )
    return f"{standing(current, currency)} ({current.reason})"
