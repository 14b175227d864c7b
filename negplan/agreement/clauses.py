"""The clauses of a written agreement: the sentences that state the terms, what completes the
deal, what happens on a missed payment, credit reporting, the required disclosures, delivery and
approval.

Each clause is stored word for word in the agreement's record (``negplan.agreement.record``), so
``negplan verify`` can check that a document still says it.
"""

from __future__ import annotations

from negplan.agreement.draft import REDUCED, Agreement
from negplan.core.case import CreditorKind, OptionKind
from negplan.core.compliance.profiles import resolve_profile
from negplan.core.time_barred_words import (
    acknowledgment_revives,
    reportable,
    time_barred_notice,
)
from negplan.jurisdictions import parse_jurisdiction
from negplan.wording import Figures, document_language_note, plural, weekday_text


def _balance_name(a: Agreement) -> str:
    """What the agreement covers: "balance", or "undisputed balance" while a dispute is open."""
    return "undisputed balance" if a.disputed_amount else "balance"


def terms_clauses(a: Agreement, fig: Figures) -> list[str]:
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
            f"{fig.money(down.amount)} ({fig.words(down.amount)}), received on "
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
    # The FDCPA is cited only by a debt collector: a first-party creditor's agreement promises
    # no FDCPA rights (SPEC §6a), though it still sets the disputed part aside.
    us = (
        parse_jurisdiction(a.case.jurisdiction).country == "US"
        and a.case.creditor.is_debt_collector
    )
    return (
        f"A further {fig.money(a.disputed_amount)} of the account is disputed and has not been "
        "verified. It is set aside and is not part of this agreement: no payment under this "
        "agreement is asked for it or applied to it, and completing this agreement neither "
        "settles it nor admits it." + (" (15 U.S.C.\u00a0§\u00a01692g(b))" if us else "")
    )


#: Days after the last payment within which the paid-in-full or settled-in-full letter is sent.
#: Firm practice, matching the monthly cycle in which a furnisher updates the credit file
#: (15 U.S.C. § 1681s-2(a)(2)); a collector's confirmation of a settlement is expected in
#: writing (23 NYCRR § 1.4; FCA CONC 7.6).
LETTER_DAYS = 30


def _when_paid(a: Agreement) -> str:
    """``When the payment has been made`` for a single payment, else ``When every payment …``."""
    single = len(a.payments) == 1 and a.down_payment is None
    return f"When {'the payment' if single else 'every payment'} has been made"


def _completion(a: Agreement, fig: Figures) -> str:
    """What completing the agreement gives the Debtor, and only what the case establishes: no
    interest added only where interest would otherwise accrue (``debt.interest_accrues``); "paid
    in full" only for the full balance, "settled in full" for less (SPEC §6a "Benefits")."""
    kind = a.kind
    who = _creditor_word(a)
    accrues = a.case.debt.interest_accrues
    frozen = a.rules.plans.interest == "frozen" and accrues
    covered = _balance_name(a)
    paid = "the undisputed balance" if a.disputed_amount else "the account"
    no_interest = (
        " No interest or fees will be added while the payments are made as agreed."
        if accrues
        else ""
    )
    if kind in REDUCED:
        return (
            f"{_when_paid(a)}, {who} will accept {fig.money(a.total)} in "
            f"full and final settlement of the {covered} of {fig.money(a.balance)} and will not "
            f"pursue the remaining {fig.money(a.waived)}.{no_interest} Within {LETTER_DAYS} days "
            f"of the last payment, {who} will send the Debtor a letter confirming that {paid} "
            "is settled in full."
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
            f"are made, {who} {hold}. The arrangement will be reviewed on or before "
            f"{weekday_text(review)} in the light of the Debtor's circumstances at that time."
        )
    letter = (
        f" Within {LETTER_DAYS} days of the last payment, {who} will send the Debtor a letter "
        f"confirming that {paid} is paid in full."
    )
    if a.total > a.balance:
        return (
            f"The total includes interest of {fig.money(a.total - a.balance)} at the contract "
            f"rate. {_when_paid(a)}, {paid} will be paid in full.{letter}"
        )
    return f"{_when_paid(a)}, {paid} will be paid in full.{no_interest}{letter}"


def missed_payment_clauses(a: Agreement, fig: Figures) -> list[str]:
    """A missed payment gets a written notice and a cure period before it counts towards
    default (``agreements.cure_days``, ``agreements.missed_payments_before_default``; FCA
    CONC 7.3.4R, PS24/2; UCCC right to cure, e.g. Iowa Code § 537.5110)."""
    rule = a.rules.agreements
    grace, cure = rule.grace_period_days, rule.cure_days
    allowed = min(rule.missed_payments_before_default, len(a.payments))
    missed = (
        f"A payment counts as missed if it has not been received within {grace} "
        f"{plural(grace, 'day', 'days')} after its due date."
        if grace
        else "A payment counts as missed if it has not been received by its due date."
    )
    if cure:
        notice = (
            f"{_creditor_word(a, start=True)} will then send the Debtor a written notice of "
            f"the missed payment, and the Debtor has {cure} {plural(cure, 'day', 'days')} from "
            "the date of that notice to make it up; a payment made up in time is not missed."
        )
    else:
        notice = (
            f"{_creditor_word(a, start=True)} will then send the Debtor a written notice of it."
        )
    if len(a.payments) == 1:
        default = "If the payment is still missed after that, this agreement is in default."
    elif allowed == 1:
        default = "If a payment is still missed after that, this agreement is in default."
    else:
        default = (
            f"This agreement is in default only when {allowed} payments are missed and not made up."
        )
    balance = f"{_balance_name(a)} of {fig.money(a.balance)}"
    who = _creditor_word(a)
    if a.plan.time_barred:
        # Payment of a time-barred debt is voluntary: saying anything "becomes due" on default
        # would imply it could be enforced (12 CFR 1006.26(b); CONC 7.15.4R).
        then = (
            "On default this agreement ends. The payments made under it are credited to the "
            "account; any further payment is voluntary."
        )
    elif a.kind is OptionKind.hardship_token:
        then = (
            f"On default the arrangement ends: the {balance}, less the payments made, remains "
            f"owed and {who} may resume collection."
        )
    elif a.kind in REDUCED and rule.reinstate_balance_on_default:
        then = (
            f"On default the reduction ends: the {balance}, less every payment made under "
            f"this agreement, is owed again and {who} may resume collection."
        )
    elif a.kind in REDUCED:
        then = (
            f"On default {who} may end this agreement: the unpaid part of the agreed "
            f"{fig.money(a.total)} becomes due."
        )
    else:
        then = (
            f"On default {who} may end this agreement: the {balance}, less the payments "
            f"made under this agreement, is owed and {who} may resume collection."
        )
    return [
        f"{missed} {notice} {default}",
        then,
        "If the Debtor expects to miss a payment, the Debtor should contact "
        f"{who} before its due date: the payments can be reviewed if the Debtor's "
        "circumstances change.",
    ]


def credit_reporting_clauses(a: Agreement) -> list[str]:
    if not a.case.creditor.reports_to_credit_bureaus:
        return []
    country = parse_jurisdiction(a.case.jurisdiction).country
    settled = a.kind in REDUCED
    who = f"The {party_word(a)}"
    if country == "US" and not reportable(a.case, a.issued):
        return []  # past the reporting period: nothing about it may be reported (15 USC 1681c)
    if country == "GB":
        end = (
            f" {_when_paid(a)}, the account will be reported as partially settled."
            if settled
            else f" {_when_paid(a)}, the account will be reported as settled."
        )
        if a.kind is OptionKind.hardship_token:
            end = ""
        return [
            f"{who} reports to credit reference agencies. While this agreement is kept, "
            "the account will be reported as subject to an arrangement to pay; missed payments "
            f"may be reported.{end} Information stays on a credit file for six years. "
            "(Principles for the Reporting of Arrears, Arrangements and Defaults at Credit "
            "Reference Agencies)"
        ]
    if country == "IN":
        end = (
            f" {_when_paid(a)}, the account will be reported as settled, not as closed."
            if settled
            else f" {_when_paid(a)}, the account will be reported as closed."
        )
        if a.kind is OptionKind.hardship_token:
            end = ""
        return [
            f"{who} reports to credit information companies under the Credit Information "
            "Companies (Regulation) Act, 2005. Payments and missed payments under this "
            f"agreement will be reported.{end}"
        ]
    end = (
        f" {_when_paid(a)}, the credit file will be updated to show the account "
        "as settled for less than the full balance."
        if settled
        else f" {_when_paid(a)}, the credit file will be updated to show the "
        "account as paid in full."
    )
    if a.kind is OptionKind.hardship_token:
        end = " The account will continue to be reported with its balance while it is reviewed."
    return [
        f"{who} reports to the consumer reporting agencies. Payments made under this "
        f"agreement will be reported as they are received, and a missed payment may be "
        f"reported as late.{end} (Fair Credit Reporting Act, 15 U.S.C.\u00a0§\u00a01681s-2)"
    ]


def disclosures(a: Agreement, fig: Figures) -> list[str]:
    """The jurisdiction's required statements, addressed to the debtor: the collector
    disclosure of the profile, a time-barred-debt notice, and those a written agreement needs."""
    case = a.case
    jurisdiction = parse_jurisdiction(case.jurisdiction)
    country = jurisdiction.country
    out: list[str] = []
    profile = resolve_profile(
        a.plan.tables.profile(jurisdiction.code), jurisdiction, a.rules.compliance
    ).profile
    collector = profile.collector_disclosure
    if collector is not None and case.creditor.is_debt_collector:
        out.append(f"{' '.join(collector.text.split())} ({collector.rule})")
    if country == "US":
        if a.plan.time_barred:
            out.extend(_us_time_barred_notice(a))
        if case.currency == "USD" and a.waived >= 600:
            out.append(
                f"The {fig.money(a.waived)} {_creditor_word(a)} agrees not to pursue may be "
                "reported to the Internal Revenue Service on Form 1099-C as cancelled debt and "
                "may be taxable income; the Debtor may wish to ask a tax adviser. "
                "(26 U.S.C.\u00a0§\u00a06050P)"
            )
    elif country == "GB":
        if a.plan.time_barred:
            out.append(
                f"This debt is statute-barred: {_creditor_word(a)} will not take court action to "
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
            f"to {_creditor_word(a)} and then, if not satisfied, to the Financial Ombudsman "
            "Service (financial-ombudsman.org.uk). (FCA DISP 1)"
        )
    elif country == "IN":
        if a.plan.time_barred:
            out.append(
                f"The period within which {_creditor_word(a)} could sue on this debt has "
                "expired. A written promise to pay a time-barred debt, signed by the Debtor, is a "
                "valid contract. (Indian Contract Act, 1872, section 25(3))"
            )
        out.append(
            f"The Debtor may raise any grievance with {_creditor_word(a)}'s grievance redressal "
            "officer; if it is not resolved within 30 days, the Debtor may complain to the RBI "
            "Ombudsman under the Reserve Bank – Integrated Ombudsman Scheme, 2021 "
            "(cms.rbi.org.in). Payments should be made only through "
            f"{_creditor_word(a)}'s own payment channels, against a receipt."
        )
    return out


def _us_time_barred_notice(a: Agreement, *, beside_amount: bool = False) -> list[str]:
    """The notice for a time-barred debt: the state's own words where it prescribes them, else
    the federal model wording, each rule's words with its citation (negplan.core.
    time_barred_words). The call script reads out the same words (the pre-flight's
    disclosures). ``beside_amount``: the parts printed next to the amount claimed instead."""
    notice = time_barred_notice(a.case, a.plan.tables, a.issued)
    assert notice is not None  # a US case
    return notice.printed(beside_amount=beside_amount)


def beside_amount(a: Agreement) -> list[str]:
    """A notice the law wants next to the amount claimed, set off in color: New York City's
    time-barred notice (6 RCNY § 2-191). Printed under the balance."""
    us = parse_jurisdiction(a.case.jurisdiction).country == "US"
    return _us_time_barred_notice(a, beside_amount=True) if us and a.plan.time_barred else []


def delivery(a: Agreement) -> list[str]:
    flags = a.case.debtor.flags
    if not flags.attorney_represented:
        return []
    contact = flags.attorney_contact or "contact details not on file"
    return [
        f"The Debtor is represented by an attorney ({contact}). This agreement is sent to the "
        "attorney, not to the Debtor directly."
    ]


def parties(a: Agreement) -> list[str]:
    """A collection agency is named as acting for its client, never as the creditor
    (15 U.S.C. § 1692e(14); SPEC §6a)."""
    creditor = a.case.creditor
    if creditor.effective_kind is not CreditorKind.collection_agency:
        return []
    client = creditor.client or "the creditor that owns the account"
    return [
        f"{creditor.name} (the “Collector”) is a debt collector acting for its client, "
        f"{client}, the owner of the account. Payments under this agreement are accepted for "
        f"{client}, and the Collector agrees these terms on its behalf."
    ]


def party_word(a: Agreement) -> str:
    """How the clauses name the other party: the Collector for an agency, else the Creditor."""
    agency = a.case.creditor.effective_kind is CreditorKind.collection_agency
    return "Collector" if agency else "Creditor"


def _creditor_word(a: Agreement, *, start: bool = False) -> str:
    """``the Creditor`` / ``the Collector`` (``The …`` at the start of a sentence)."""
    return f"{'The' if start else 'the'} {party_word(a)}"


def _sentence(text: str) -> str:
    """``text`` ended with one full stop (a name such as ``N.A.`` already has one)."""
    return text if text.endswith(".") else f"{text}."


def payment(a: Agreement) -> list[str]:
    """How and where to pay, with the reference (SPEC §2a ``creditor.payment_instructions``)."""
    creditor = a.case.creditor
    ref = a.case.case_id  # the agreement's own reference, printed at its head
    if creditor.payment_instructions:
        how = _sentence(" ".join(creditor.payment_instructions.split()))
        return [f"How to pay: {how} Quote the reference {ref} with every payment."]
    ask = f" by calling {creditor.phone}" if creditor.phone else ""
    return [
        f"How to pay: ask {_creditor_word(a)}{ask} for its payment details, and quote the "
        "reference "
        + _sentence(
            f"{ref} with every payment. Pay only into an account in the name of {creditor.name}"
        )
    ]


def debtor_signs(a: Agreement) -> bool:
    """Whether the Debtor signs: not on a time-barred debt where a signed written promise could
    restart the limitation period; there the record is a confirmation the creditor issues
    (negplan.core.time_barred_words.acknowledgment_revives; docs/decisions.md)."""
    return not (a.plan.time_barred and acknowledgment_revives(a.case, a.plan.tables))


def effect(a: Agreement, fig: Figures) -> list[str]:
    """When the terms take effect, what the down payment taken on the call counts for, and
    the language the document is written in when the debtor asked for another."""
    down = a.down_payment
    received = (
        f" The down payment of {fig.money(down.amount)} received on "
        f"{weekday_text(down.date.due)} is credited to the account."
        if down is not None
        else ""
    )
    signs = debtor_signs(a)
    note = document_language_note(
        a.case.debtor.language, _creditor_word(a), "signing" if signs else "paying"
    )
    language = [] if note is None else [note]  # SPEC §6a "Language"
    if not signs:
        return [
            *language,
            f"This is {_creditor_word(a)}'s written confirmation of the terms agreed with the "
            "Debtor. The Debtor does not need to sign it or send it back; paying as scheduled "
            f"is all that is needed, and every payment is voluntary.{received}",
        ]
    return [
        *language,
        "Keep a copy of this agreement. Each party signs below; the agreement takes effect "
        f"when both have signed.{received}",
    ]
