"""From a signed agreement file to the arrangement the ledger tracks (``negplan track``, SPEC §8).

Only a document that ``negplan verify`` passes is tracked: the schedule the ledger holds the debtor
to must be exactly the one the debtor read and signed. The schedule, the grace days and the
default clause are taken from the embedded terms record (``negplan.agreement.record``), which the
fingerprint covers, never from the visible text or from today's rules.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from negplan.agreement.record import RECORD_FORMAT
from negplan.agreement.text import Content, html_content, md_content, pdf_content
from negplan.agreement.verify import MAX_VERIFY_BYTES, verify_bytes
from negplan.core.ledger_events import Arrangement, Installment
from negplan.errors import InputError, Problem
from negplan.records import record


@record
class SignedAgreement:
    file: str
    fingerprint: str
    terms: dict[str, Any]
    summary: str


def read_signed(path: Path) -> SignedAgreement:
    """The verified terms of the agreement in ``path``; refuses one ``verify`` does not pass."""
    name = str(path)
    try:
        if path.stat().st_size > MAX_VERIFY_BYTES:
            raise InputError.single("file is over 10 MB: not an agreement negplan wrote", file=name)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError.single(f"cannot read ({exc.strerror})", file=name) from None
    result = verify_bytes(data, name)
    if not result.ok or result.fingerprint is None:
        raise InputError(
            [Problem(f"not tracked: verify fails: {p}", file=name) for p in result.problems]
        )
    envelope = json.loads(_content(data, name).embedded or "{}")
    terms = envelope["terms"]
    if terms.get("format") != RECORD_FORMAT:
        raise InputError.single(f"unknown record format {terms.get('format')!r}", file=name)
    return SignedAgreement(name, result.fingerprint, terms, result.summary)


def _content(data: bytes, name: str) -> Content:
    """The embedded record, found as ``verify_bytes`` finds it (the bytes it has just passed)."""
    if data.startswith(b"%PDF-"):
        return pdf_content(data, name)
    text = data.decode("utf-8-sig")
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith(("<!doctype html", "<html")):
        return html_content(text, name)
    return md_content(text, name)


def arrangement(signed: SignedAgreement, signed_on: date | None) -> Arrangement:
    """The arrangement the terms set up: a down payment is installment 0, then 1, 2 … n.

    A down payment taken on the call is an installment like the others: the payments import
    brings the money in, and counting it as paid without a payment would count it twice
    (SPEC §8: "a payment is never counted twice").
    """
    terms = signed.terms
    issued = date.fromisoformat(terms["issued"][:10])
    rows: list[Installment] = []
    down = terms.get("down_payment")
    if down:
        rows.append(Installment(0, date.fromisoformat(down["due"]), Decimal(down["amount"])))
    rows += [
        Installment(n, date.fromisoformat(p["due"]), Decimal(p["amount"]))
        for n, p in enumerate(terms["payments"], start=1)
    ]
    missed = terms["missed_payment"]
    when = signed_on or issued
    if when < issued:
        raise InputError.single(
            f"--signed-on {when} is before the agreement was issued ({issued})", file=signed.file
        )
    return Arrangement(
        fingerprint=signed.fingerprint,
        case_id=terms["case_id"],
        currency=terms["currency"],
        issued=issued,
        signed_on=when,
        total=Decimal(terms["total"]),
        installments=tuple(rows),
        grace_days=int(missed["grace_period_days"]),
        missed_before_default=int(missed["missed_payments_before_default"]),
    )
