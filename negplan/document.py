"""The written agreement: its record, fingerprint, Markdown/HTML/PDF forms, and verification.

Every agreement carries a **record**: the terms (parties, account, balance, kind, total, payments,
missed-payment rules, approval) and the text of every clause the document states (terms,
completion, default, credit reporting, disclosures). The **fingerprint** is SHA-256 over the
record's canonical JSON (sorted keys, no whitespace, amounts as decimal strings), so two copies of
one deal in different formats share it. Each format embeds the record and shows the fingerprint:

* Markdown: ``<!-- negplan-terms: {...} -->`` at the end, after a visible fingerprint line;
* HTML: ``<script type="application/json" id="negplan-terms">`` (``<``, ``>``, ``&`` escaped as
  ``\\u003c`` …, so no case data can close the script) plus the visible fingerprint;
* PDF: the record as an embedded file ``negplan-terms.json``, the fingerprint in the document's
  Subject metadata and in its text.

:func:`verify_file` recomputes the fingerprint from the embedded record and then checks that the
visible document still says what the record says: every clause, the parties, the balance lines,
each schedule row (number, date, amount) in order, the total, and that no amount or date appears
that the record does not contain. A changed digit anywhere in the terms therefore fails, whether
it was changed in the record, in the fingerprint or in the text a reader sees (docs/agreements.md).
The check detects alteration, not forgery: anyone can recompute an unkeyed hash, so the anchor
is the fingerprint on the creditor's own copy.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Final, Literal

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from negplan import __version__
from negplan.agreement import REDUCED, AgreedPayment, Agreement
from negplan.case import OptionKind
from negplan.compliance.preflight import state_disclosures
from negplan.compliance.profiles import resolve_profile
from negplan.errors import InputError, OutputError
from negplan.fsio import output_path
from negplan.jurisdictions import parse_jurisdiction
from negplan.money import minor_unit, quantize
from negplan.render import currency, render, template_dirs
from negplan.schedule import monthly_due_dates

DocFormat = Literal["md", "html", "pdf"]
FORMATS: Final[tuple[DocFormat, ...]] = ("md", "html", "pdf")
RECORD_FORMAT: Final = "negplan-agreement/1"
EMBED_ID: Final = "negplan-terms"
ATTACHMENT: Final = "negplan-terms.json"
MAX_VERIFY_BYTES: Final = 10 * 1024 * 1024

_LOCALES: Final = {"US": "en_US", "GB": "en_GB", "IN": "en_IN"}
_PAGE_SIZES: Final = {"US": "Letter"}
_MONTHS: Final = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
_WEEKDAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
BALANCE_LABELS: Final = ("Principal", "Interest", "Fees", "Balance owed")
#: While part of the balance is disputed: the lines of the undisputed balance, then the rest.
UNDISPUTED_LABELS: Final = ("Principal", "Interest", "Fees", "Undisputed balance")
DISPUTED_LABEL: Final = "Disputed, set aside (not part of this agreement)"
DOWN_PAYMENT_NOTE: Final = "down payment, on the date of this agreement"

_TITLES: Final = {
    OptionKind.pay_in_full: "Agreement to pay in full",
    OptionKind.settlement: "Settlement agreement",
    OptionKind.settlement_installments: "Settlement agreement",
    OptionKind.plan_full: "Repayment plan agreement",
    OptionKind.plan_reduced: "Repayment plan and settlement agreement",
    OptionKind.hardship_token: "Hardship payment arrangement",
}


# ----------------------------------------------------------------------------- words and figures


def document_locale(jurisdiction: str) -> str:
    """The babel locale amounts are written in: ``en_US``, ``en_GB`` or ``en_IN``."""
    return _LOCALES.get(parse_jurisdiction(jurisdiction).country, "en_US")


def day_text(day: date) -> str:
    """``7 December 2026`` (fixed English names: independent of the process locale)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def weekday_text(day: date) -> str:
    """``Monday 7 December 2026``."""
    return f"{_WEEKDAYS[day.weekday()]} {day_text(day)}"


_ONES: Final = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
)
_TENS: Final = (
    *("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"),
)


def _below_thousand(n: int, british: bool) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [f"{_ONES[hundreds]} hundred"] if hundreds else []
    if rest:
        tens, ones = divmod(rest, 10)
        words = _ONES[rest] if rest < 20 else _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
        parts.append(("and " if hundreds and british else "") + words)
    return " ".join(parts)


def number_in_words(n: int, *, british: bool = False, indian: bool = False) -> str:
    """``1234`` → "one thousand two hundred thirty-four" (US), "… two hundred and thirty-four"
    (British and Indian English); Indian English counts in lakh and crore."""
    if n == 0:
        return "zero"
    scales = (
        [(10**7, "crore"), (10**5, "lakh"), (10**3, "thousand")]
        if indian
        else [(10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand")]
    )
    parts: list[str] = []
    for size, name in scales:
        if n >= size:
            count, n = divmod(n, size)
            parts.append(f"{number_in_words(count, british=british, indian=indian)} {name}")
    if n:
        words = _below_thousand(n, british)
        parts.append(("and " if parts and british and n < 100 else "") + words)
    return " ".join(parts)


_CURRENCY_WORDS: Final = {
    "USD": ("US dollar", "US dollars", "cent", "cents"),
    "GBP": ("pound sterling", "pounds sterling", "penny", "pence"),
    "INR": ("rupee", "rupees", "paisa", "paise"),
    "EUR": ("euro", "euros", "cent", "cents"),
}


def amount_in_words(amount: Decimal, code: str, locale: str) -> str:
    """The amount in words, as a cheque or contract writes it alongside the figures."""
    value = quantize(amount, code)
    places = minor_unit(code)
    major = int(value)
    minor = int((value - major).scaleb(places))
    style = {"british": not locale.endswith("_US"), "indian": locale.endswith("_IN")}
    names = _CURRENCY_WORDS.get(code)
    if names is None:
        from babel.numbers import get_currency_name

        unit = get_currency_name(code, count=major, locale=locale)
        text = f"{number_in_words(major, **style)} {unit}"
        return text + (f" and {minor:0{places}d}/{10**places}" if minor else "")
    one, many, sub_one, sub_many = names
    major_text = f"{number_in_words(major, **style)} {one if major == 1 else many}"
    minor_text = f"{number_in_words(minor, **style)} {sub_one if minor == 1 else sub_many}"
    if not minor:
        return major_text
    return minor_text if major == 0 else f"{major_text} and {minor_text}"


@dataclass(frozen=True)
class Figures:
    """Amounts as the document writes them: ``$1,733.33`` in figures, and in words."""

    code: str
    locale: str

    def money(self, amount: Decimal) -> str:
        return currency(amount, self.code, self.locale)

    def words(self, amount: Decimal) -> str:
        return amount_in_words(amount, self.code, self.locale)


# ----------------------------------------------------------------------------- the clauses


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _balance_name(a: Agreement) -> str:
    """What the agreement covers: "balance", or "undisputed balance" while a dispute is open."""
    return "undisputed balance" if a.disputed_amount else "balance"


def _terms_clauses(a: Agreement, fig: Figures) -> list[str]:
    payments = a.payments
    count = len(payments)
    amounts = [p.amount for p in payments]
    first, last = weekday_text(payments[0].date.due), weekday_text(payments[-1].date.due)
    if count == 1:
        how = f"in one payment due on {first}"
    elif len(set(amounts)) == 1:
        how = (
            f"in {count} monthly payments of {fig.money(amounts[0])}, the first due on {first} "
            f"and the last on {last}"
        )
    elif len(set(amounts[:-1])) == 1:
        how = (
            f"in {count} monthly payments, {count - 1} of {fig.money(amounts[0])} and a final "
            f"payment of {fig.money(amounts[-1])}, the first due on {first} and the last on {last}"
        )
    else:
        how = f"in {count} monthly payments, the first due on {first} and the last on {last}"
    terms = f"{fig.money(a.total)} ({fig.words(a.total)}) {how}"
    down = a.down_payment
    if down is not None:
        rest = a.total - down.amount
        terms = (
            f"{fig.money(a.total)} ({fig.words(a.total)}): a down payment of "
            f"{fig.money(down.amount)} ({fig.words(down.amount)}) on "
            f"{weekday_text(down.date.due)}, the date of this agreement, and the remaining "
            f"{fig.money(rest)} ({fig.words(rest)}) {how}"
        )
    kind = a.kind
    if kind is OptionKind.pay_in_full:
        main = f"The Debtor will pay the {_balance_name(a)} of {terms}."
    elif kind is OptionKind.plan_full:
        main = f"The Debtor will repay {terms}."
    elif kind is OptionKind.hardship_token:
        token = all(amount <= a.rules.plans.token_payment for amount in amounts)
        main = f"The Debtor will make {'token ' if token else ''}payments totalling {terms}."
    else:
        main = f"The Debtor will pay {terms}."
    clauses = [main]
    if any(p.date.moved for p in payments):
        clauses.append(
            "Due dates that fall on a weekend or a public holiday have been moved to the next "
            "business day, as shown in the payment schedule."
        )
    clauses.append(_completion(a, fig))
    if a.disputed_amount:
        clauses.append(_disputed_clause(a, fig))
    return clauses


def _disputed_clause(a: Agreement, fig: Figures) -> str:
    """A written dispute of part of the debt stops collection of that part until it is
    verified (15 U.S.C. § 1692g(b)): the agreement says it covers only the rest."""
    us = parse_jurisdiction(a.case.jurisdiction).country == "US"
    return (
        f"A further {fig.money(a.disputed_amount)} of the account is disputed and has not been "
        "verified. It is set aside and is not part of this agreement: no payment under this "
        "agreement is asked for it or applied to it, and completing this agreement neither "
        "settles it nor admits it." + (" (15 U.S.C.\u00a0§\u00a01692g(b))" if us else "")
    )


def _completion(a: Agreement, fig: Figures) -> str:
    kind = a.kind
    frozen = a.rules.plans.interest == "frozen"
    covered = _balance_name(a)
    paid = "the undisputed balance" if a.disputed_amount else "the account"
    if kind in REDUCED:
        return (
            f"When every payment has been made, the Creditor will accept {fig.money(a.total)} in "
            f"full and final settlement of the {covered} of {fig.money(a.balance)} and will not "
            f"pursue the remaining {fig.money(a.waived)}. No interest or fees will be added "
            "while the payments are made as agreed."
        )
    if kind is OptionKind.hardship_token:
        review = a.review_date
        assert review is not None
        hold = (
            "will take no further collection action and will add no interest or fees"
            if frozen
            else "will take no further collection action"
        )
        return (
            f"This is a holding arrangement, not a settlement: the {covered} of "
            f"{fig.money(a.balance)}, less the payments made, remains owed. While the payments "
            f"are made, the Creditor {hold}. The arrangement will be reviewed on or before "
            f"{weekday_text(review)} in the light of the Debtor's circumstances at that time."
        )
    if a.total > a.balance:
        return (
            f"The total includes interest of {fig.money(a.total - a.balance)} at the contract "
            f"rate. When every payment has been made, {paid} will be paid in full."
        )
    return (
        f"When every payment has been made, {paid} will be paid in full. No interest or "
        "fees will be added while the payments are made as agreed."
    )


def _missed_payment_clauses(a: Agreement, fig: Figures) -> list[str]:
    rule = a.rules.agreements
    grace, allowed = rule.grace_period_days, rule.missed_payments_before_default
    missed = (
        f"A payment counts as missed if it has not been received within {grace} "
        f"{_plural(grace, 'day', 'days')} after its due date."
        if grace
        else "A payment counts as missed if it has not been received by its due date."
    )
    default = (
        "If a payment is missed, this agreement is in default."
        if allowed == 1
        else f"If {allowed} payments are missed, this agreement is in default."
    )
    balance = f"{_balance_name(a)} of {fig.money(a.balance)}"
    if a.plan.time_barred:
        # Payment of a time-barred debt is voluntary: saying anything "becomes due" on default
        # would imply it could be enforced (12 CFR 1006.26(b); CONC 7.15.4R). The call script
        # says the same: the agreement ends (negplan.script.missed_payment_terms).
        then = (
            "On default this agreement ends. The payments made under it are credited to the "
            "account; any further payment is voluntary."
        )
    elif a.kind is OptionKind.hardship_token:
        then = (
            f"On default the arrangement ends: the {balance}, less the payments made, remains "
            "due and the Creditor may resume collection."
        )
    elif a.kind in REDUCED and rule.reinstate_balance_on_default:
        then = (
            f"On default the reduction ends: the full {balance}, less the payments made under "
            "this agreement, becomes due again and the Creditor may resume collection."
        )
    elif a.kind in REDUCED:
        then = (
            f"On default the Creditor may end this agreement: the unpaid part of the agreed "
            f"{fig.money(a.total)} becomes due at once."
        )
    else:
        then = (
            f"On default the Creditor may end this agreement: the {balance}, less the payments "
            "made under this agreement, becomes due and the Creditor may resume collection."
        )
    return [
        f"{missed} {default}",
        then,
        "If the Debtor expects to miss a payment, the Debtor should contact the Creditor before "
        "its due date to discuss the options.",
    ]


def _credit_reporting_clauses(a: Agreement) -> list[str]:
    if not a.case.creditor.reports_to_credit_bureaus:
        return []
    country = parse_jurisdiction(a.case.jurisdiction).country
    settled = a.kind in REDUCED
    if country == "GB":
        end = (
            " When every payment has been made, the account will be reported as partially settled."
            if settled
            else " When every payment has been made, the account will be reported as settled."
        )
        if a.kind is OptionKind.hardship_token:
            end = ""
        return [
            "The Creditor reports to credit reference agencies. While this agreement is kept, "
            "the account will be reported as subject to an arrangement to pay; missed payments "
            f"may be reported.{end} Information stays on a credit file for six years. "
            "(Principles for the Reporting of Arrears, Arrangements and Defaults at Credit "
            "Reference Agencies)"
        ]
    if country == "IN":
        end = (
            " When every payment has been made, the account will be reported as settled, not "
            "as closed."
            if settled
            else " When every payment has been made, the account will be reported as closed."
        )
        if a.kind is OptionKind.hardship_token:
            end = ""
        return [
            "The Creditor reports to credit information companies under the Credit Information "
            "Companies (Regulation) Act, 2005. Payments and missed payments under this "
            f"agreement will be reported.{end}"
        ]
    end = (
        " When every payment has been made, the account will be reported as settled for less "
        "than the full balance."
        if settled
        else " When every payment has been made, the account will be reported as paid in full."
    )
    if a.kind is OptionKind.hardship_token:
        end = " The account will continue to be reported with its balance while it is reviewed."
    return [
        "The Creditor reports to the consumer reporting agencies. Payments made under this "
        f"agreement will be reported as they are received, and a missed payment may be "
        f"reported as late.{end} (Fair Credit Reporting Act, 15 U.S.C.\u00a0§\u00a01681s-2)"
    ]


def _disclosures(a: Agreement, fig: Figures) -> list[str]:
    """The jurisdiction's required statements, addressed to the debtor: the collector
    disclosure of the profile, a time-barred-debt notice, and those a written agreement needs."""
    case = a.case
    jurisdiction = parse_jurisdiction(case.jurisdiction)
    country = jurisdiction.country
    out: list[str] = []
    collector = resolve_profile(jurisdiction, a.rules.compliance).profile.collector_disclosure
    if collector is not None and case.creditor.is_third_party_collector:
        out.append(f"{' '.join(collector.text.split())} ({collector.rule})")
    if country == "US":
        if a.plan.time_barred:
            out.append(_us_time_barred_notice(a))
        if case.currency == "USD" and a.waived >= 600:
            out.append(
                f"The {fig.money(a.waived)} the Creditor agrees not to pursue may be reported "
                "to the Internal Revenue Service on Form 1099-C as cancelled debt and may be "
                "taxable income; the Debtor may wish to ask a tax adviser. "
                "(26 U.S.C.\u00a0§\u00a06050P)"
            )
    elif country == "GB":
        if a.plan.time_barred:
            out.append(
                "This debt is statute-barred: the Creditor will not take court action to "
                "recover it, and payments under this agreement are made voluntarily. "
                "(FCA CONC 7.15)"
            )
        out.append(
            "Free, independent and confidential debt advice is available from MoneyHelper "
            "(moneyhelper.org.uk), StepChange (stepchange.org), National Debtline "
            "(nationaldebtline.org) and Citizens Advice. (FCA CONC 7.3)"
        )
        out.append(
            "If the Debtor is unhappy with how the account is handled, the Debtor may complain "
            "to the Creditor and then, if not satisfied, to the Financial Ombudsman Service "
            "(financial-ombudsman.org.uk). (FCA DISP 1)"
        )
    elif country == "IN":
        if a.plan.time_barred:
            out.append(
                "The period within which the Creditor could sue on this debt has expired. A "
                "written promise to pay a time-barred debt, signed by the Debtor, is a valid "
                "contract. (Indian Contract Act, 1872, section 25(3))"
            )
        out.append(
            "The Debtor may raise any grievance with the Creditor's grievance redressal "
            "officer; if it is not resolved within 30 days, the Debtor may complain to the RBI "
            "Ombudsman under the Reserve Bank – Integrated Ombudsman Scheme, 2021 "
            "(cms.rbi.org.in). Payments should be made only through the Creditor's own payment "
            "channels, against a receipt."
        )
    return out


def _us_time_barred_notice(a: Agreement) -> str:
    """The notice for a time-barred debt: the model wording of the CFPB's proposal, which
    California (Civ. Code § 1788.14(d)) and others require in writing, with its credit-reporting
    sentence when the creditor reports. Reporting ends 7 years and 180 days after the
    delinquency (15 U.S.C. § 1681c(a)(4), (c))."""
    case = a.case
    text = (
        "The law limits how long you can be sued on a debt. Because of the age of this debt, "
        "the Creditor will not sue you for it."
    )
    if case.creditor.reports_to_credit_bureaus:
        start = case.debt.first_delinquency
        obsolete = start + relativedelta(years=7, days=180) <= a.issued
        text += (
            " The Creditor will not report it to any credit reporting agency."
            if obsolete
            else " If you do not pay it, the Creditor may continue to report it to the credit "
            "reporting agencies as unpaid for as long as the law permits this reporting."
        )
    sources = ["12 CFR 1006.26(b)"]
    row = state_disclosures().get(case.jurisdiction)
    if row is not None and row["requires_disclosure"].startswith("yes"):
        sources.append(row["citation"].split(";")[0].strip())
    return f"{text} ({'; '.join(sources)})"


def _delivery(a: Agreement) -> list[str]:
    flags = a.case.debtor.flags
    if not flags.attorney_represented:
        return []
    contact = flags.attorney_contact or "contact details not on file"
    return [
        f"The Debtor is represented by an attorney ({contact}). This agreement is sent to the "
        "attorney, not to the Debtor directly."
    ]


def _approval(a: Agreement) -> list[str]:
    if a.approved_by is None:
        return []
    why = (
        ", as they are below the authority of the executive who agreed them"
        if a.approval_required
        else ""
    )
    return [f"These terms were approved by {a.approved_by}{why}."]


# ----------------------------------------------------------------------------- the record


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
        },
        "approved_by": None if a.approved_by is None else _text(a.approved_by),
        "clauses": {
            "delivery": [_text(c) for c in _delivery(a)],
            "terms": [_text(c) for c in _terms_clauses(a, fig)],
            "missed_payment": [_text(c) for c in _missed_payment_clauses(a, fig)],
            "approval": [_text(c) for c in _approval(a)],
            "credit_reporting": [_text(c) for c in _credit_reporting_clauses(a)],
            "disclosures": [_text(c) for c in _disclosures(a, fig)],
        },
    }


def canonical_json(record: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 text: the one serialisation the fingerprint hashes."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def fingerprint(record: Any) -> str:
    """``sha256:`` + the hex SHA-256 of the record's canonical JSON."""
    return "sha256:" + hashlib.sha256(canonical_json(record).encode("utf-8")).hexdigest()


def _embedded(record: dict[str, Any], print_: str, text_digest: str | None = None) -> str:
    """The envelope as embedded in a document: safe inside an HTML comment or script.

    Markdown and HTML also carry ``text_sha256``, the digest of their visible text as written,
    so that any later change to what a reader sees is detected, not only changes to the terms.
    """
    envelope: dict[str, Any] = {"fingerprint": print_, "terms": record}
    if text_digest is not None:
        envelope["text_sha256"] = text_digest
    text = json.dumps(envelope, sort_keys=True, ensure_ascii=False, indent=None)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


# ----------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Document:
    format: DocFormat
    content: str | bytes
    fingerprint: str
    summary: str


def balance_lines(record: dict[str, Any], fig: Figures) -> list[tuple[str, str, bool]]:
    """The balance table as (label, amount, is a total): the balance broken down, or, while part
    of it is disputed, the undisputed balance broken down and then the disputed amount."""
    balance = record["balance"]
    disputed = Decimal(balance.get("disputed", "0"))
    labels = UNDISPUTED_LABELS if disputed else BALANCE_LABELS
    keys = ("principal", "interest", "fees", "total")
    lines = [
        (label, fig.money(Decimal(balance[key])), key == "total")
        for label, key in zip(labels, keys, strict=True)
    ]
    if disputed:
        lines.append((DISPUTED_LABEL, fig.money(disputed), False))
    return lines


def schedule_rows(record: dict[str, Any]) -> list[dict[str, str]]:
    """The schedule table's rows: the down payment as row 0, then the payments from 1."""
    down = record.get("down_payment")
    numbered = [(0, down)] if down else []
    numbered += list(enumerate(record["payments"], start=1))
    fig = Figures(record["currency"], record["locale"])
    return [
        {
            "number": str(number),
            "due": weekday_text(date.fromisoformat(p["due"])),
            "amount": fig.money(Decimal(p["amount"])),
            "note": p["note"],
        }
        for number, p in numbered
    ]


def _context(a: Agreement, record: dict[str, Any], print_: str, fmt: DocFormat) -> dict[str, Any]:
    case = a.case
    fig = Figures(case.currency, record["locale"])
    contacts = record["contacts"]
    country = parse_jurisdiction(case.jurisdiction).country
    schedule = schedule_rows(record)
    scheduled = len(record["payments"])
    payments_label = "one" if scheduled == 1 else f"{scheduled} monthly"
    if a.down_payment is not None:
        payments_label = f"a down payment and {payments_label}"
    return {
        "format": fmt,
        "title": _TITLES[a.kind],
        "case_id": case.case_id,
        "issued": day_text(a.issued),
        "issued_iso": a.issued.isoformat(),
        "jurisdiction": parse_jurisdiction(case.jurisdiction).name,
        "account_ref": record["account_ref"],
        "product": case.debt.product.value.replace("_", " "),
        "creditor": {
            "name": record["creditor"],
            "address": contacts["creditor_address"],
            "phone": contacts["creditor_phone"],
            "signatory": case.creditor.collector_name or "",
        },
        "debtor": {
            "name": record["debtor"],
            "address": contacts["debtor_address"],
            "email": contacts["debtor_email"],
        },
        "balance": [
            {"label": label, "amount": amount, "strong": strong}
            for label, amount, strong in balance_lines(record, fig)
        ],
        "clauses": record["clauses"],
        "schedule": schedule,
        "down_payment": "" if a.down_payment is None else fig.money(a.down_payment.amount),
        "first_due": weekday_text(a.payments[0].date.due),
        "total": fig.money(a.total),
        "payments_label": payments_label,
        "approved_by": record["approved_by"] or "",
        "fingerprint": print_,
        "short_fingerprint": print_[:19],
        "terms_json": Markup(_embedded(record, print_)),
        "page_size": _PAGE_SIZES.get(country, "A4"),
        "generator": f"negplan {__version__}",
    }


def render_agreement(a: Agreement, fmt: DocFormat) -> Document:
    """The agreement as Markdown, HTML or PDF, with its record embedded."""
    record = agreement_record(a)
    print_ = fingerprint(record)
    fig = Figures(a.case.currency, record["locale"])
    count = len(a.payments)
    down = "" if a.down_payment is None else f"a down payment of {fig.money(a.down_amount)} and "
    summary = (
        f"{_TITLES[a.kind].lower()}: {down}{count} {_plural(count, 'payment', 'payments')}, "
        f"total {fig.money(a.total)}, first due {day_text(a.payments[0].date.due)}; "
        f"fingerprint {print_}"
    )
    if fmt == "pdf":
        html = render("agreement.html.j2", _context(a, record, print_, fmt))
        pdf = html_to_pdf(html, _embedded(record, print_), a.issued)
        return Document("pdf", pdf, print_, summary)
    template = f"agreement.{fmt}.j2"
    context = _context(a, record, print_, fmt)
    draft = render(template, context)
    reader = _md_content if fmt == "md" else _html_content
    digest = _text_digest(reader(draft, template).digest_text)
    context["terms_json"] = Markup(_embedded(record, print_, digest))
    return Document(fmt, render(template, context), print_, summary)


def _text_digest(visible: str) -> str:
    return "sha256:" + hashlib.sha256(_collapse(visible).encode("utf-8")).hexdigest()


def html_to_pdf(html: str, embedded: str, issued: date) -> bytes:
    """Render with WeasyPrint (imported here: it is slow), fetching nothing but the package's
    own template assets, with the record attached as ``negplan-terms.json``. Dates inside the
    PDF are the agreement's date, so the same inputs give the same bytes."""
    import logging

    import weasyprint

    # Font-subsetting notices and the like are for developers, not for the collector's terminal.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fetcher = asset_fetcher()
    stamp = datetime.combine(issued, time(0), tzinfo=timezone.utc)
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher)
    attachment = weasyprint.Attachment(
        string=embedded,
        url_fetcher=fetcher,
        name=ATTACHMENT,
        description="negplan agreement record (JSON)",
        created=stamp,
        modified=stamp,
    )
    with _source_date_epoch(stamp):
        pdf: bytes = document.write_pdf(attachments=[attachment])
    return pdf


@contextlib.contextmanager
def _source_date_epoch(stamp: datetime) -> Iterator[None]:
    """Font subsetting (fontTools) stamps each embedded font with the current time unless
    ``SOURCE_DATE_EPOCH`` is set (reproducible-builds.org): pin it while rendering."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def _is_asset(url: str) -> bool:
    """Whether ``url`` is a file inside one of the template folders."""
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(url2pathname(parts.path)).resolve()
    return path.is_file() and any(path.is_relative_to(d.resolve()) for d in template_dirs())


def asset_fetcher() -> Any:
    """A WeasyPrint URL fetcher that refuses every URL but the package's template assets:
    no network, no other file (SPEC §7)."""
    import weasyprint

    def refuse(url: str) -> None:
        if not _is_asset(url):
            raise ValueError(f"negplan fetches nothing but its own assets; refused {url[:200]}")

    if hasattr(weasyprint, "URLFetcher"):  # WeasyPrint ≥ 68

        class AssetFetcher(weasyprint.URLFetcher):  # type: ignore[misc]
            def fetch(self, url: str, headers: Any = None) -> Any:
                refuse(url)
                return super().fetch(url, headers)

        return AssetFetcher(allowed_protocols=("file",))

    def fetch(url: str, timeout: int = 10, ssl_context: Any = None) -> Any:
        refuse(url)
        return weasyprint.default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)

    return fetch


_SUFFIXES: Final[dict[str, DocFormat]] = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}


def agreement_format(requested: str | None, out: str | None) -> DocFormat:
    """``--format``, else the ``--out`` file's suffix, else Markdown.

    An ``--out`` suffix negplan cannot write (``.docx``, ``.txt`` …) is refused rather than
    given content of another format, and so is a suffix that contradicts ``--format``.
    """
    fmt = None if requested is None else _format_name(requested)
    suffix = Path(out).suffix if out and out != "-" else ""
    if not suffix:
        return fmt or "md"
    known = _SUFFIXES.get(suffix.lower())
    if known is None:
        raise InputError.single(
            f"cannot write an agreement as {suffix}: the formats are md, html and pdf "
            "(end the file name with .md, .html or .pdf)",
            path="--out",
        )
    if fmt is not None and fmt != known:
        raise InputError.single(
            f"--format {fmt} does not match the {suffix} file name; drop --format or use "
            f"--format {known}",
            path="--out",
        )
    return known


def _format_name(name: str) -> DocFormat:
    for fmt in FORMATS:
        if name == fmt:
            return fmt
    raise InputError.single(f"unknown format {name!r}; use md, html or pdf", path="--format")


def agreement_path(case_file: str, case_id: str, fmt: DocFormat) -> Path:
    """``CASE_ID.agreement.<ext>`` beside the case file (the working folder for stdin)."""
    folder = Path.cwd() if case_file == "-" else Path(case_file).parent
    return output_path(folder, f"{case_id}.agreement.{fmt}")


def check_stdout(fmt: DocFormat, is_terminal: bool) -> None:
    if fmt == "pdf" and is_terminal:
        raise OutputError("refusing to write a PDF to a terminal; use --out FILE or a pipe")


# ----------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class Verification:
    file: str
    format: DocFormat
    fingerprint: str | None  # recomputed from the embedded record
    problems: list[str]
    summary: str

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Content:
    visible: str  # the text a reader sees
    embedded: str | None  # the embedded envelope (JSON text)
    shown_prints: list[str]  # fingerprints found outside the text (PDF, HTML metadata)
    presentation: str = ""  # what else shapes what a reader sees: HTML title, metadata, style

    @property
    def digest_text(self) -> str:
        return f"{self.presentation}\n{self.visible}"


_INVISIBLE: Final = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def _collapse(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_INVISIBLE).split())


def _squeeze(text: str) -> str:
    """Without any whitespace: line breaks in a PDF may fall anywhere, even after a hyphen."""
    return "".join(unicodedata.normalize("NFKC", text).translate(_INVISIBLE).split())


def verify_file(path: Path) -> Verification:
    """Recompute the fingerprint of the agreement in ``path`` and check its visible text."""
    try:
        if path.stat().st_size > MAX_VERIFY_BYTES:
            raise InputError.single("file is over 10 MB: not an agreement negplan wrote", file=path)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError.single(f"cannot read ({exc.strerror})", file=path) from None
    return verify_bytes(data, str(path))


def verify_bytes(data: bytes, name: str) -> Verification:
    fmt: DocFormat
    if data.startswith(b"%PDF-"):
        fmt, content = "pdf", _pdf_content(data, name)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError.single(
                "not a negplan agreement (not text or PDF)", file=name
            ) from None
        head = text.lstrip("\ufeff \t\r\n")[:200].lower()
        if head.startswith(("<!doctype html", "<html")):
            fmt, content = "html", _html_content(text, name)
        else:
            fmt, content = "md", _md_content(text, name)
    if content.embedded is None:
        raise InputError.single("not a negplan agreement: no embedded terms found", file=name)
    return _verify(name, fmt, content)


def _verify(name: str, fmt: DocFormat, content: _Content) -> Verification:
    problems: list[str] = []
    try:
        envelope = json.loads(content.embedded or "")
        record = envelope["terms"]
        recorded_print = envelope["fingerprint"]
        expected_keys = {"fingerprint", "terms"} | (set() if fmt == "pdf" else {"text_sha256"})
        if (
            not isinstance(record, dict)
            or not isinstance(recorded_print, str)
            or set(envelope) != expected_keys
        ):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return Verification(name, fmt, None, ["the embedded terms are damaged"], "")
    computed = fingerprint(record)
    if recorded_print != computed:
        problems.append(
            f"the embedded terms do not match their fingerprint (recorded {recorded_print}, "
            f"recomputed {computed})"
        )
    visible = _collapse(content.visible)
    shown = re.findall(r"sha256:([0-9a-f]{8,64})", visible) + [
        s.removeprefix("sha256:") for s in content.shown_prints
    ]
    if not any(s == computed.removeprefix("sha256:") for s in shown):
        problems.append(f"the document does not show the fingerprint {computed}")
    for seen in shown:
        if not computed.removeprefix("sha256:").startswith(seen):
            problems.append(f"the document shows the fingerprint sha256:{seen}, not {computed}")
    digest = envelope.get("text_sha256")
    if fmt != "pdf" and digest != _text_digest(content.digest_text):
        problems.append("the visible text has been changed since the document was written")
    try:
        problems += _visible_problems(record, visible)
    except (KeyError, TypeError, ValueError, InvalidOperation, IndexError):
        problems.append("the embedded terms are damaged (not a negplan-agreement/1 record)")
        return Verification(name, fmt, computed, problems, "")
    return Verification(name, fmt, computed, problems, _verified_summary(record))


def _verified_summary(record: dict[str, Any]) -> str:
    fig = Figures(record["currency"], record["locale"])
    count = len(record["payments"])
    down = record.get("down_payment")
    first = f"a down payment of {fig.money(Decimal(down['amount']))} and " if down else ""
    return (
        f"agreement {record['case_id']} between {record['creditor']} and {record['debtor']}: "
        f"{first}{count} {_plural(count, 'payment', 'payments')}, total "
        f"{fig.money(Decimal(record['total']))}"
    )


def _visible_problems(record: dict[str, Any], visible: str) -> list[str]:
    """What the visible text says that the record does not (or fails to say that it does)."""
    if record.get("format") != RECORD_FORMAT:
        return [f"unknown record format {record.get('format')!r}"]
    fig = Figures(record["currency"], record["locale"])
    squeezed = _squeeze(visible)
    problems: list[str] = []

    def must_show(label: str, phrase: str) -> None:
        if _squeeze(phrase) not in squeezed:
            problems.append(f"{label}: the document no longer says “{_collapse(phrase)}”")

    for label, key in (("creditor", "creditor"), ("debtor", "debtor")):
        must_show(label, record[key])
    for key, shown in record["contacts"].items():
        if shown:
            must_show(key.replace("_", " "), shown)
    must_show("account", record["account_ref"])
    must_show("case", record["case_id"])
    for label, amount, _ in balance_lines(record, fig):
        must_show("balance", f"{label} {amount}")
    total = Decimal(record["total"])
    must_show("total", f"Total {fig.money(total)}")
    clauses: list[str] = [c for group in record["clauses"].values() for c in group]
    for clause in clauses:
        must_show("clause", clause)
    if record["approved_by"]:
        must_show("approval", record["approved_by"])

    rows = schedule_rows(record)
    expected = [(r["number"], r["due"], r["amount"]) for r in rows]
    problems += _schedule_problems(expected, visible, fig)
    for row in rows:
        if row["note"]:
            must_show(
                f"payment {row['number']}",
                f"{row['number']} {row['due']} {row['amount']} {row['note']}",
            )
    problems += _census(record, visible, fig, clauses)
    return problems


def _money_pattern(fig: Figures) -> str:
    from babel.numbers import get_currency_symbol

    symbol = unicodedata.normalize("NFKC", get_currency_symbol(fig.code, locale=fig.locale))
    return re.escape(symbol) + r"\d[\d,]*(?:\.\d+)?"


_DATE = r"\d{1,2} (?:" + "|".join(_MONTHS) + r") \d{4}"
_ISO_DATE = r"\b\d{4}-\d{2}-\d{2}\b"


def _schedule_problems(
    expected: list[tuple[str, str, str]], visible: str, fig: Figures
) -> list[str]:
    row = re.compile(
        r"(?<!\S)(\d{1,3}) ((?:"
        + "|".join(_WEEKDAYS)
        + r") "
        + _DATE
        + r") ("
        + _money_pattern(fig)
        + r")"
    )
    found: list[tuple[str, str, str]] = [
        (m.group(1), m.group(2), m.group(3)) for m in row.finditer(visible)
    ]
    if found == expected:
        return []
    problems: list[str] = []
    # Rows are aligned as a diff, so one missing or extra row is named as such, not as a
    # change to every row after it.
    matcher = difflib.SequenceMatcher(a=expected, b=found, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        says_rows, shows_rows = expected[i1:i2], found[j1:j2]
        for says, shows in zip(says_rows, shows_rows, strict=False):
            problems.append(
                f"schedule: payment {says[0]} shows {shows[2]} on {shows[1]}; the terms say "
                f"{says[2]} on {says[1]}"
            )
        for says in says_rows[len(shows_rows) :]:
            problems.append(f"schedule: payment {says[0]} ({says[2]} on {says[1]}) is missing")
        for shows in shows_rows[len(says_rows) :]:
            problems.append(f"schedule: an extra row “{' '.join(shows)}”")
    return problems[:5]


def _census(record: dict[str, Any], visible: str, fig: Figures, clauses: list[str]) -> list[str]:
    """Every amount and date the document shows must be one the record contains."""
    money_re = re.compile(_money_pattern(fig))
    balance = record["balance"]
    total = Decimal(record["total"])
    full = Decimal(balance["total"])
    amounts = {Decimal(v) for v in balance.values()} | {total, abs(full - total)}
    amounts |= {Decimal(p["amount"]) for p in record["payments"]}
    if record.get("down_payment"):
        amounts.add(Decimal(record["down_payment"]["amount"]))
    allowed_money = {fig.money(v) for v in amounts}
    clause_text = _collapse(" ".join(clauses))
    allowed_money |= set(money_re.findall(clause_text))

    days = {date.fromisoformat(record["issued"])}
    days |= {date.fromisoformat(p["due"]) for p in record["payments"]}
    # The nominal monthly dates, shown where a payment moved, and the review date after them.
    count = len(record["payments"])
    days |= set(monthly_due_dates(date.fromisoformat(record["first_due"]), count + 1))
    allowed_dates = {day_text(d) for d in days} | set(re.findall(_DATE, clause_text))
    allowed_iso = {d.isoformat() for d in days} | set(re.findall(_ISO_DATE, clause_text))

    problems = [
        f"an amount {m} appears that the terms do not contain"
        for m in dict.fromkeys(money_re.findall(visible))
        if m not in allowed_money
    ]
    problems += [
        f"a date {d} appears that the terms do not contain"
        for d in dict.fromkeys(re.findall(_DATE, visible))
        if d not in allowed_dates
    ]
    problems += [
        f"a date {d} appears that the terms do not contain"
        for d in dict.fromkeys(re.findall(_ISO_DATE, visible))
        if d not in allowed_iso
    ]
    return problems


# ----------------------------------------------------------------------------- reading documents


#: The record's comment starts a line; case data never does (``|md`` escapes it, and every
#: line the template starts with case data has a prefix), so data cannot forge or hide one.
_MD_RECORD = re.compile(r"^<!-- " + EMBED_ID + r": (.*?) -->[ \t\r]*$", re.DOTALL | re.MULTILINE)
_MD_TOKEN = re.compile(r"\\(.)|(\*\*|[*_|])|([^\\*_|]+)", re.DOTALL)
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _md_content(text: str, name: str) -> _Content:
    records = _MD_RECORD.findall(text)
    if len(records) > 1:
        raise InputError.single("more than one embedded record: not one agreement", file=name)
    body = _MD_RECORD.sub(" ", text)
    lines: list[str] = []
    for line in body.splitlines():
        if _MD_RULE.match(line):
            continue
        line = re.sub(r"^\s*(#{1,6}\s|>\s?|[-+]\s)", "", line)
        out: list[str] = []
        for m in _MD_TOKEN.finditer(line):
            if m.group(1) is not None:
                out.append(m.group(1))
            elif m.group(2):
                out.append(" " if m.group(2) == "|" else "")
            else:
                out.append(m.group(3))
        lines.append("".join(out))
    return _Content("\n".join(lines), records[0] if records else None, [])


_BLOCK_TAGS: Final = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
        *("figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header"),
        *("hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td"),
        *("tfoot", "th", "thead", "tr", "ul"),
    }
)
_HIDDEN_TAGS: Final = frozenset({"script", "style", "head", "title", "template", "noscript"})


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.records: list[str] = []
        self.presentation: list[str] = []  # title, metadata and style: not text, but shown
        self.prints: list[str] = []
        self._hidden: list[str] = []
        self._record: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and ("id", EMBED_ID) in attrs:
            self._record = []
        if tag == "meta":
            self.presentation.append(repr(sorted(attrs)))
            if ("name", "description") in attrs:
                self.prints += re.findall(
                    r"sha256:[0-9a-f]{8,64}", dict(attrs).get("content") or ""
                )
        if tag in _HIDDEN_TAGS:
            self._hidden.append(tag)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS and tag in self._hidden:
            while self._hidden and self._hidden.pop() != tag:
                pass
            if tag == "script" and self._record is not None:
                self.records.append("".join(self._record))
                self._record = None
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._record is not None:
            self._record.append(data)
        elif not self._hidden:
            self.parts.append(data)
        elif self._hidden[-1] in ("title", "style"):
            self.presentation.append(data)


def _html_content(text: str, name: str) -> _Content:
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    if len(parser.records) > 1:
        raise InputError.single("more than one embedded record: not one agreement", file=name)
    record = parser.records[0] if parser.records else None
    presentation = _collapse(" ".join(parser.presentation))
    return _Content("".join(parser.parts), record, parser.prints, presentation)


def _pdf_content(data: bytes, name: str) -> _Content:
    try:
        from pypdf import PdfReader
    except ImportError:
        raise InputError.single(
            "verifying a PDF needs pypdf (pip install pypdf)", file=name
        ) from None
    import io
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        attached = reader.attachments.get(ATTACHMENT, [])
        metadata = reader.metadata
        subject = str(metadata.get("/Subject", "") or "") if metadata is not None else ""
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise InputError.single(f"not a readable PDF ({type(exc).__name__})", file=name) from None
    if len(attached) > 1:
        raise InputError.single("more than one embedded record: not one agreement", file=name)
    record = attached[0].decode("utf-8", "replace") if attached else None
    prints = re.findall(r"sha256:[0-9a-f]{8,64}", subject)
    text = "\n".join(_strip_running_footer(page) for page in pages)
    return _Content(text, record, prints)


def _strip_running_footer(page: str) -> str:
    """Remove the page footer a PDF viewer repeats on every page (it may land mid-paragraph)."""
    return re.sub(r"Agreement \S+ · sha256:[0-9a-f]{12}… · page \d+ of \d+", " ", page)


__all__ = [
    "FORMATS",
    "Document",
    "Verification",
    "agreement_format",
    "agreement_path",
    "agreement_record",
    "amount_in_words",
    "fingerprint",
    "render_agreement",
    "verify_bytes",
    "verify_file",
]
