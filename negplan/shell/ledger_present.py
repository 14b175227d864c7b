"""Presenting ledger states: ``negplan status`` as text and as JSON (amounts as strings).

The core decides every state (:mod:`negplan.core.arrangements`); this module only writes them
down. The JSON is for scripts: stable keys, amounts as decimal strings, dates ISO.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from negplan.core.arrangements import ArrangementStatus, CaseStatus, PromiseStatus
from negplan.core.ledger_events import CaseHistory
from negplan.display import display


def _amount(value: Any) -> str:
    return format(value, "f")


def arrangement_json(a: ArrangementStatus) -> dict[str, Any]:
    terms = a.arrangement
    return {
        "fingerprint": terms.fingerprint,
        "state": a.state.value,
        "reason": a.reason,
        "currency": terms.currency,
        "issued": terms.issued.isoformat(),
        "signed_on": terms.signed_on.isoformat(),
        "total": _amount(terms.total),
        "paid": _amount(a.paid),
        "outstanding": _amount(a.outstanding),
        "next_payment": None
        if a.next_payment is None
        else {"due": a.next_payment[0].isoformat(), "amount": _amount(a.next_payment[1])},
        "installments": [
            {
                "number": i.number,
                "due": i.due.isoformat(),
                "amount": _amount(i.amount),
                "paid": _amount(i.paid),
                "state": i.state.value,
            }
            for i in a.installments
        ],
    }


def promise_json(p: PromiseStatus) -> dict[str, Any]:
    return {
        "made_on": p.promise.made_on.isoformat(),
        "due": p.promise.due.isoformat(),
        "amount": _amount(p.promise.amount),
        "paid": _amount(p.paid),
        "state": p.state.value,
        "by": p.promise.by,
    }


def case_json(status: CaseStatus, history: CaseHistory) -> dict[str, Any]:
    return {
        "case_id": status.case_id,
        "arrangements": [arrangement_json(a) for a in status.arrangements],
        "promises": [promise_json(p) for p in status.promises],
        "payments_total": _amount(status.total_paid),
        "unallocated": [
            {
                "reference": u.payment.reference,
                "date": u.payment.paid_on.isoformat(),
                "amount": _amount(u.amount),
            }
            for u in status.unallocated
        ],
        "contacts": len(history.contacts),
        "opt_outs": sorted(place.value for place in history.opt_outs),
    }


def status_json(as_of: date, cases: list[tuple[CaseStatus, CaseHistory]]) -> str:
    document = {"as_of": as_of.isoformat(), "cases": [case_json(s, h) for s, h in cases]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _money(value: Any, currency: str | None) -> str:
    return display(value, currency) if currency else _amount(value)


def status_lines(status: CaseStatus, history: CaseHistory) -> list[str]:
    """A case's states for people: one line an arrangement or promise, installments indented."""
    currency = status.arrangements[-1].arrangement.currency if status.arrangements else None
    lines = [f"{status.case_id} (as of {status.as_of})"]
    for a in status.arrangements:
        terms = a.arrangement
        nxt = (
            f", next payment {_money(a.next_payment[1], currency)} on {a.next_payment[0]}"
            if a.next_payment and a.state.value in ("on_track", "in_arrears", "cured")
            else ""
        )
        lines.append(
            f"  agreement {terms.fingerprint[:19]}… signed {terms.signed_on}: {a.state.value} "
            f"({a.reason}); paid {_money(a.paid, currency)} of "
            f"{_money(terms.total, currency)}{nxt}"
        )
        if a.installments:
            lines.append(f"    {'no.':>3}  {'due on':<10}  {'amount':>16}  {'paid':>16}  state")
        for i in a.installments:
            lines.append(
                f"    {i.number:>3}  {i.due}  {_money(i.amount, currency):>16}  "
                f"{_money(i.paid, currency):>16}  {i.state.value}"
            )
    for p in status.promises:
        lines.append(
            f"  promise of {_money(p.promise.amount, currency)} by {p.promise.due} "
            f"(made {p.promise.made_on}): {p.state.value}, paid {_money(p.paid, currency)}"
        )
    for u in status.unallocated:
        lines.append(
            f"  unallocated: {_money(u.amount, currency)} of payment {u.payment.reference} "
            f"on {u.payment.paid_on}"
        )
    if history.contacts:
        last = max(history.contacts, key=lambda c: c.at)
        lines.append(
            f"  contacts: {len(history.contacts)}, last {last.at.isoformat()} "
            f"{last.channel} {last.outcome}"
        )
    if history.opt_outs:
        lines.append(f"  opted out of: {', '.join(sorted(p.value for p in history.opt_outs))}")
    later = [p for p in history.payments if p.paid_on > status.as_of]
    if later:
        lines.append(
            f"  {len(later)} payment(s) dated after {status.as_of}, not counted as of that day "
            "(--as-of a later day counts them)"
        )
    if len(lines) == 1:
        lines.append("  nothing recorded")
    return lines
