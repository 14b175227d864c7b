"""The ledger's payments and promise outcomes written into the case as the case file records them.

SPEC §8: the case file is the snapshot, the ledger what happened since. Two parts of the ledger
change what the plan must know about the debtor, and each is written into the case in the very
fields a case file would use, so that every rule reading those fields applies unchanged:

* **Payments** join ``payment_history`` and move ``debt.last_payment`` forward. The limitation
  rules then count from the ledger's payment exactly as from one the case file recorded,
  including where a payment does not revive the period (New York, CPLR 214-i; see
  :func:`negplan.core.compliance.limitation_status`). A reversal (a negative amount, a returned
  payment) takes back the most recent payments first, as allocation does
  (:mod:`negplan.core.arrangements`), and a payment it takes back in full is no payment: it
  neither shows as the last payment nor restarts a limitation period. A payment already in
  ``payment_history`` (same date, same amount) is not added again.
* **Kept and broken promises and arrangements** join ``previous_negotiations``, the record the
  break hazard's ``value.track_record`` factor reads (SPEC §4a). A promise is one record: a
  case-file entry with a promise outcome (``kept`` or ``broken_promise``) dated the day a ledger
  promise was made, or the day a tracked agreement was issued or signed, is that promise, and
  the ledger's outcome (computed from the payments) replaces it. Pending promises, and
  arrangements still running, superseded or cancelled, are no outcome yet and are not counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from negplan.core.arrangements import ArrangementState, CaseStatus, PromiseState
from negplan.core.case import Case, NegotiationOutcome, Payment, PreviousNegotiation
from negplan.core.ledger_events import LedgerPayment
from negplan.display import display
from negplan.money import ZERO
from negplan.records import record

#: Case-file outcomes that record a promise to pay (the others, ``refused`` and
#: ``no_agreement``, record a call that made none, so no ledger promise can duplicate them).
PROMISE_OUTCOMES = frozenset({NegotiationOutcome.kept, NegotiationOutcome.broken_promise})

_PROMISE = {
    PromiseState.kept: NegotiationOutcome.kept,
    PromiseState.partly_kept: NegotiationOutcome.broken_promise,
    PromiseState.broken: NegotiationOutcome.broken_promise,
}
_ARRANGEMENT = {
    ArrangementState.completed: NegotiationOutcome.kept,
    ArrangementState.broken: NegotiationOutcome.broken_promise,
}


@record
class Record:
    """``previous_negotiations`` with the ledger's outcomes, and what was counted."""

    negotiations: list[PreviousNegotiation]
    kept: int  # outcomes from the ledger, each counted once
    broken: int
    replaced: int  # case-file entries that were the same promise as a ledger one


def with_ledger_outcomes(case: Case, status: CaseStatus, as_of: date) -> Record:
    """The case's record of promises with the ledger's settled outcomes merged in, once each."""
    found: list[tuple[frozenset[date], PreviousNegotiation]] = []
    for p in status.promises:
        outcome = _PROMISE.get(p.state)
        if outcome is not None and p.promise.made_on <= as_of:
            amount = display(p.promise.amount, case.currency)
            terms = f"promise of {amount} due {p.promise.due} (ledger)"
            record = PreviousNegotiation(date=p.promise.made_on, terms=terms, outcome=outcome)
            found.append((frozenset({p.promise.made_on}), record))
    for a in status.arrangements:
        outcome = _ARRANGEMENT.get(a.state)
        if outcome is not None and a.arrangement.issued <= as_of:
            deal = a.arrangement
            terms = (
                f"agreement of {display(deal.total, deal.currency)} in "
                f"{len(deal.installments)} payment(s), signed {deal.signed_on} (ledger)"
            )
            record = PreviousNegotiation(date=deal.issued, terms=terms, outcome=outcome)
            found.append((frozenset({deal.issued, deal.signed_on}), record))
    days: set[date] = set().union(*(d for d, _ in found))
    kept_file = [
        n
        for n in case.previous_negotiations
        if not (n.outcome in PROMISE_OUTCOMES and n.date in days)
    ]
    merged = sorted([*kept_file, *(n for _, n in found)], key=lambda n: n.date)
    outcomes = [n.outcome for _, n in found]
    return Record(
        merged,
        outcomes.count(NegotiationOutcome.kept),
        outcomes.count(NegotiationOutcome.broken_promise),
        len(case.previous_negotiations) - len(kept_file),
    )


def standing_payments(payments: Iterable[LedgerPayment], as_of: date) -> list[Payment]:
    """The ledger's payments up to ``as_of`` that still stand after its reversals.

    Payments are replayed in date order (import order within a day); a reversal takes back the
    most recent money first, so the payment it returns is the one it removes. What is left of a
    partly reversed payment stands, for what is left.
    """
    stack: list[tuple[date, Decimal]] = []
    for p in sorted((p for p in payments if p.paid_on <= as_of), key=_order):
        if p.amount > ZERO:
            stack.append((p.paid_on, p.amount))
            continue
        back = -p.amount
        while back > ZERO and stack:
            day, left = stack.pop()
            take = min(left, back)
            back -= take
            if take < left:
                stack.append((day, left - take))
    return [Payment(date=day, amount=amount) for day, amount in stack]


def _order(p: LedgerPayment) -> tuple[date, int]:
    return p.paid_on, p.sequence


def with_ledger_payments(case: Case, standing: list[Payment]) -> tuple[list[Payment], date | None]:
    """``payment_history`` and ``debt.last_payment`` with the standing ledger payments, each
    once: a payment of the same date and amount already in the history is the same payment."""
    have = Counter((p.date, p.amount) for p in case.payment_history)
    added: list[Payment] = []
    for p in standing:
        key = (p.date, p.amount)
        if have[key]:
            have[key] -= 1
            continue
        added.append(p)
    history = sorted([*case.payment_history, *added], key=lambda p: p.date)
    last = case.debt.last_payment
    if standing:
        newest = max(p.date for p in standing)
        last = newest if last is None else max(last, newest)
    return history, last
