"""The record of a written agreement, and its fingerprint.

Every agreement carries a **record**: the terms (parties and their contact lines, the signatory,
account and product, balance, kind, total, payments, missed-payment rules, whether the debtor
signs) and the text of every clause the document states (the collector's client, terms,
completion, how to pay, default, credit reporting, disclosures, when it takes effect). An internal
approval is not part of it: it is never shown to the debtor. The record is everything the
document shows: the templates derive the rest from it, so ``negplan verify`` can render the
document again from the record and compare. The
**fingerprint** is SHA-256 over the record's canonical JSON (sorted keys, no whitespace,
amounts as decimal strings), so two copies of one deal in different formats share it. Each
format embeds the record and shows the fingerprint:

* Markdown: ``<!-- negplan-terms: {...} -->`` at the end, after a visible fingerprint line;
* HTML: ``<script type="application/json" id="negplan-terms">`` (``<``, ``>``, ``&`` escaped as
  ``\\u003c`` …, so no case data can close the script) plus the visible fingerprint;
* PDF: the record as an embedded file ``negplan-terms.json``, the fingerprint in the document's
  Subject metadata and in its text.

Verification is ``negplan.agreement.verify``; docs/agreements.md says exactly what the
fingerprint covers.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from decimal import Decimal
from typing import Any, Final

from negplan.agreement.clauses import (
    beside_amount,
    credit_reporting_clauses,
    debtor_signs,
    delivery,
    disclosures,
    effect,
    missed_payment_clauses,
    parties,
    party_word,
    payment,
    terms_clauses,
)
from negplan.agreement.draft import AgreedPayment, Agreement
from negplan.money import quantize
from negplan.wording import Figures, document_locale, weekday_text

RECORD_FORMAT: Final = "negplan-agreement/1"
EMBED_ID: Final = "negplan-terms"
ATTACHMENT: Final = "negplan-terms.json"
DOWN_PAYMENT_NOTE: Final = "down payment, received on the date of this agreement"


def _amount(value: Decimal) -> str:
    return format(value, "f")


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def _note(payment: AgreedPayment) -> str:
    """Why a due date moved: ``moved from Saturday 5 December 2026 (weekend)``."""
    if not payment.date.moved:
        return ""
    return f"moved from {weekday_text(payment.date.nominal)} ({', '.join(payment.date.skipped)})"


def agreement_record(a: Agreement) -> dict[str, Any]:
    """Everything the document asserts, as plain JSON data (the fingerprint's input).

    ``balance`` is the balance the agreement covers (while part of the debt is disputed, the
    undisputed balance, with ``disputed`` the amount set aside); ``payments`` are the scheduled
    payments and ``down_payment`` the one paid on the agreement date (``null`` when none).
    """
    case = a.case
    locale = document_locale(case.jurisdiction)
    fig = Figures(case.currency, locale)
    parts = case.debt.balance
    rule = a.rules.agreements
    return {
        "format": RECORD_FORMAT,
        "case_id": case.case_id,
        "jurisdiction": case.jurisdiction,
        "locale": locale,
        "currency": case.currency,
        "issued": a.issued.isoformat(),
        "creditor": _text(case.creditor.name),
        "debtor": _text(case.debtor.name),
        "contacts": {
            "creditor_address": _text(case.creditor.address or ""),
            "creditor_phone": _text(case.creditor.phone or ""),
            "debtor_address": _text(case.debtor.address or ""),
            "debtor_email": _text(case.debtor.email or ""),
        },
        "account_ref": _text(case.debt.account_ref),
        "product": case.debt.product.value,
        "signatory": None
        if case.creditor.collector_name is None
        else _text(case.creditor.collector_name),
        "balance": {
            "principal": _amount(parts.principal),
            "interest": _amount(parts.interest),
            "fees": _amount(parts.fees),
            "total": _amount(a.balance),
            "disputed": _amount(quantize(a.disputed_amount, case.currency)),
        },
        "option": a.kind.value,
        "total": _amount(a.total),
        "down_payment": None
        if a.down_payment is None
        else {
            "due": a.down_payment.date.due.isoformat(),
            "amount": _amount(a.down_payment.amount),
            "note": DOWN_PAYMENT_NOTE,
        },
        "first_due": a.first_due.isoformat(),
        "payments": [
            {"due": p.date.due.isoformat(), "amount": _amount(p.amount), "note": _note(p)}
            for p in a.payments
        ],
        "missed_payment": {
            "grace_period_days": rule.grace_period_days,
            "missed_payments_before_default": rule.missed_payments_before_default,
            "reinstate_balance_on_default": rule.reinstate_balance_on_default,
            "cure_days": rule.cure_days,
        },
        # An internal approval is the creditor's business, not the debtor's: it is not part of
        # what the document asserts (SPEC §6a); the command reports it to the executive.
        "approved_by": None,
        "party": party_word(a),
        "debtor_signs": debtor_signs(a),
        "clauses": {
            "delivery": [_text(c) for c in delivery(a)],
            "parties": [_text(c) for c in parties(a)],
            "terms": [_text(c) for c in terms_clauses(a, fig)],
            "payment": [_text(c) for c in payment(a)],
            "missed_payment": [_text(c) for c in missed_payment_clauses(a, fig)],
            "credit_reporting": [_text(c) for c in credit_reporting_clauses(a)],
            "disclosures": [_text(c) for c in disclosures(a, fig)],
            "effect": [_text(c) for c in effect(a, fig)],
            # Only when there is one, so the records of every other agreement stay as they were.
            **({"beside_amount": [_text(c) for c in near]} if (near := beside_amount(a)) else {}),
        },
    }


def canonical_json(record: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 text: the one serialisation the fingerprint hashes."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def fingerprint(record: Any) -> str:
    """``sha256:`` + the hex SHA-256 of the record's canonical JSON."""
    return "sha256:" + hashlib.sha256(canonical_json(record).encode("utf-8")).hexdigest()


def embedded(record: dict[str, Any], print_: str) -> str:
    """The envelope as embedded in a document: safe inside an HTML comment or script.

    It holds the record and its fingerprint, nothing else: what a reader sees is checked by
    rendering the record again (``negplan.agreement.verify``), not by a digest beside it.
    """
    envelope: dict[str, Any] = {"fingerprint": print_, "terms": record}
    text = json.dumps(envelope, sort_keys=True, ensure_ascii=False, indent=None)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
