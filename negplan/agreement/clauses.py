"""The clauses of a written agreement: the sentences that state the terms, what completes the
deal, what happens on a missed payment, credit reporting, the required disclosures, delivery and
approval.

Each clause is stored word for word in the agreement's record (``negplan.agreement.record``), so
``negplan verify`` can check that a document still says it.
"""

from __future__ import annotations

from dateutil.relativedelta import relativedelta

from negplan.agreement.draft import REDUCED, Agreement
from negplan.core.case import OptionKind
from negplan.core.compliance.profiles import resolve_profile
from negplan.jurisdictions import parse_jurisdiction
from negplan.wording import Figures, plural, weekday_text


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


def missed_payment_clauses(a: Agreement, fig: Figures) -> list[str]:
    rule = a.rules.agreements
    grace, allowed = rule.grace_period_days, rule.missed_payments_before_default
    missed = (
        f"A payment counts as missed if it has not been received within {grace} "
        f"{plural(grace, 'day', 'days')} after its due date."
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
        # says the same: the agreement ends (negplan.script.compose.missed_payment_terms).
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


def credit_reporting_clauses(a: Agreement) -> list[str]:
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
    row = a.plan.tables.disclosures.get(case.jurisdiction)
    if row is not None and row.requires_disclosure.startswith("yes"):
        sources.append(row.citation.split(";")[0].strip())
    return f"{text} ({'; '.join(sources)})"


def delivery(a: Agreement) -> list[str]:
    flags = a.case.debtor.flags
    if not flags.attorney_represented:
        return []
    contact = flags.attorney_contact or "contact details not on file"
    return [
        f"The Debtor is represented by an attorney ({contact}). This agreement is sent to the "
        "attorney, not to the Debtor directly."
    ]


def approval(a: Agreement) -> list[str]:
    if a.approved_by is None:
        return []
    why = (
        ", as they are below the authority of the executive who agreed them"
        if a.approval_required
        else ""
    )
    return [f"These terms were approved by {a.approved_by}{why}."]
