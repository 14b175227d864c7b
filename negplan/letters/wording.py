"""What each follow-up letter says, sentence by sentence, from the action and the agreed terms.

Every sentence states a fact the ledger establishes (an amount due, a payment missed, a date) or
a term the signed agreement states; none threatens what the agreement does not say (15 U.S.C.
§ 1692e(5); FCA CONC 7.3.10R). Each paragraph is stored word for word in the letter's record
(``negplan.letters.document``), so ``negplan verify`` can check a letter as it checks an agreement.
"""

from __future__ import annotations

from typing import Final

from negplan.core.followup_terms import Action, ActionKind, AgreedTerms
from negplan.core.followups import FORM_1099C_THRESHOLD
from negplan.display import long_date
from negplan.records import record
from negplan.wording import Figures, document_locale, weekday_text

TITLES: Final = {
    ActionKind.confirmation: "Confirmation of your payment arrangement",
    ActionKind.reminder: "Reminder: a payment is due soon",
    ActionKind.missed_payment: "A payment has been missed",
    ActionKind.arrears_notice: "Notice of sums in arrears",
    ActionKind.default_notice: "Default notice under section 87(1) of the Consumer Credit Act 1974",
    ActionKind.consequence: "Your arrangement is in default",
    ActionKind.paid_in_full: "Your account is paid in full",
    ActionKind.settled_in_full: "Your account is settled in full",
}

#: The statutory sentences of a default notice, in capitals as prescribed (Consumer Credit
#: (Enforcement, Default and Termination Notices) Regulations 1983, Schedule 2, paras 3 and 4).
UK_DEFAULT_STATUTORY: Final = (
    "IF THE ACTION REQUIRED BY THIS NOTICE IS TAKEN BEFORE THE DATE SHOWN NO FURTHER ENFORCEMENT "
    "ACTION WILL BE TAKEN IN RESPECT OF THE BREACH.",
    "IF YOU HAVE DIFFICULTY IN PAYING ANY SUM OWING UNDER THE AGREEMENT OR TAKING ANY OTHER "
    "ACTION REQUIRED BY THIS NOTICE, YOU CAN APPLY TO THE COURT WHICH MAY MAKE AN ORDER ALLOWING "
    "YOU OR ANY SURETY MORE TIME.",
)
UK_ADVICE: Final = (
    "Free, independent and confidential debt advice is available from MoneyHelper "
    "(moneyhelper.org.uk), StepChange (stepchange.org), National Debtline (nationaldebtline.org) "
    "and Citizens Advice. (FCA CONC 7.3)"
)


@record
class LetterText:
    title: str
    paragraphs: tuple[str, ...]


def _call_us(t: AgreedTerms) -> str:
    return f"call us on {t.creditor_phone}" if t.creditor_phone else "contact us"


def _opt_out(t: AgreedTerms) -> str:
    """The electronic-communication opt-out notice (12 CFR 1006.6(e))."""
    how = f" or call {t.creditor_phone}" if t.creditor_phone else ""
    cite = " (12 CFR 1006.6(e))" if t.country == "US" else ""
    return (
        f"To stop receiving emails from {t.creditor}, reply to this email with the word STOP"
        f"{how}. We will then no longer contact you by email.{cite}"
    )


def _agreement(a: Action, t: AgreedTerms) -> str:
    """The agreement a letter follows, as the debtor knows it: by its date (the fingerprint is
    in the letter's record, ``agreement``); by fingerprint only when the record has no date."""
    if t.agreed_on is not None:
        return f"your written agreement of {long_date(t.agreed_on)}"
    return f"your written agreement (fingerprint {a.fingerprint})"


def _how_to_pay(t: AgreedTerms) -> str:
    """The agreement's own payment clause (instructions and reference, SPEC §2a), else the
    reference alone: a letter never gives other payment details than the agreement did."""
    return t.payment_clause or f"Please quote {t.case_id} with every payment."


def _confirmation(a: Action, t: AgreedTerms, fig: Figures) -> list[str]:
    out = [
        f"This letter confirms the payment arrangement agreed for account {t.account_ref}: "
        f"{fig.money(t.total)} in total, on the terms of {_agreement(a, t)} (fingerprint "
        f"{a.fingerprint}).",
    ]
    if a.amount is not None and a.by is not None:
        out.append(f"Your next payment of {fig.money(a.amount)} is due on {weekday_text(a.by)}.")
    out += [
        _how_to_pay(t),
        f"If anything here differs from what you agreed, please {_call_us(t)}.",
    ]
    return out


def _reminder(a: Action, t: AgreedTerms, fig: Figures) -> list[str]:
    assert a.amount is not None and a.by is not None
    out = [
        f"Payment {a.installment} of {fig.money(a.amount)} under your arrangement for account "
        f"{t.account_ref} is due on {weekday_text(a.by)}.",
        _how_to_pay(t),
        "If you have already paid, thank you: please ignore this reminder.",
        f"If you cannot make this payment, please {_call_us(t)} before it is due, so that we can "
        "talk about it.",
    ]
    if a.channel == "email":
        out.append(_opt_out(t))
    return out


def _agreement_says(a: Action, t: AgreedTerms) -> str:
    """What default means, in the agreement's own words (its missed-payment clause)."""
    if t.default_clause:
        return (
            f"{_agreement(a, t)[0].upper()}{_agreement(a, t)[1:]} says what happens on "
            f"default: “{t.default_clause}”"
        )
    return (
        f"The missed-payment terms of your written agreement (fingerprint {a.fingerprint}) apply."
    )


def _due_on(a: Action) -> str:
    """Which payment was missed, by its due date as the schedule gave it (a letter names the
    fact it relies on: 15 U.S.C. § 1692e(2)(A), the character and amount of the debt)."""
    return "" if a.due is None else f", due on {weekday_text(a.due)},"


def _missed(a: Action, t: AgreedTerms, fig: Figures) -> list[str]:
    assert a.amount is not None and a.by is not None
    return [
        f"We have not received payment {a.installment}{_due_on(a)} under your arrangement for "
        f"account {t.account_ref}.",
        f"To bring the arrangement up to date, please pay {fig.money(a.amount)} by "
        f"{weekday_text(a.by)}. If you do, the arrangement continues as agreed.",
        _how_to_pay(t),
        _agreement_says(a, t),
        f"If your circumstances have changed, please {_call_us(t)}: we will look at whether the "
        "arrangement can be changed.",
    ]


def _arrears_notice(a: Action, t: AgreedTerms, fig: Figures) -> list[str]:
    assert a.amount is not None
    return [
        "This notice is given under section 86B of the Consumer Credit Act 1974.",
        f"Payments due under your agreement for account {t.account_ref} have not been made: the "
        f"sum in arrears is {fig.money(a.amount)}.",
        "With this notice you should receive the Financial Conduct Authority's information "
        f"sheet on arrears. If it is missing, please {_call_us(t)} and we will send it.",
        f"If you are having difficulty paying, please {_call_us(t)}: we will look at what you "
        "can afford.",
    ]


def _default_notice(a: Action, t: AgreedTerms, fig: Figures) -> list[str]:
    assert a.amount is not None and a.by is not None
    out = [
        f"You have not made the payments due under {_agreement(a, t)} for account "
        f"{t.account_ref}: {fig.money(a.amount)} is unpaid.",
        f"To remedy this breach, please pay {fig.money(a.amount)} on or before "
        f"{weekday_text(a.by)}.",
        _how_to_pay(t),
        f"If it is not paid by that date, the agreement is in default. {_agreement_says(a, t)}",
        *_decided(t, a.decided, "If the breach is not remedied by that date"),
    ]
    return [*out, *UK_DEFAULT_STATUTORY]


def _decided(
    t: AgreedTerms, actions: tuple[str, ...], lead: str = "Unless a new arrangement is agreed"
) -> list[str]:
    """The ``no_deal.actions`` the creditor decided, lawful for this debt on this date
    (``negplan.core.followups.lawful_consequences``): stated as decisions, because they are
    (15 U.S.C. § 1692e(5): never an action not intended; FCA CONC 7.11.6R)."""
    who = t.creditor
    bureaus = "credit reference agencies" if t.country == "GB" else "credit bureaus"
    words = {
        "litigation": f"{who} has decided to refer the account for legal action",
        "agency": f"{who} has decided to place the account with a collection agency, which "
        "would then contact you about it",
        "debt_sale": f"{who} has decided to sell the account to a debt buyer, who would then "
        "collect it from you",
        "credit_reporting": f"{who} will report the account to the {bureaus} as unpaid until "
        "it is resolved",
    }
    return [
        f"{lead}, {words[name]}."
        for name in ("litigation", "agency", "debt_sale", "credit_reporting")
        if name in actions
    ]


def _consequence(a: Action, t: AgreedTerms, fig: Figures) -> list[str]:
    assert a.amount is not None
    out = [
        f"The {fig.money(a.amount)} missed under your arrangement for account {t.account_ref} "
        "was not paid by the date we gave you, so the arrangement is in default.",
        _agreement_says(a, t),
    ]
    if a.paid:
        out.append(
            f"The payments you made under the agreement, {fig.money(a.paid)}, are credited to "
            "the account."
        )
    out += _decided(t, a.decided)
    out.append(f"Please {_call_us(t)} to talk about what can be done.")
    return out


def _completion(a: Action, t: AgreedTerms, fig: Figures) -> list[str]:
    out: list[str] = []
    bureaus = "credit reference agencies" if t.country == "GB" else "credit bureaus"
    if a.kind is ActionKind.settled_in_full and a.forgiven is not None:
        out.append(
            f"We have received every payment under your arrangement: {fig.money(t.total)} in "
            f"full and final settlement of the balance of {fig.money(t.balance)} on account "
            f"{t.account_ref}. We will not pursue the remaining {fig.money(a.forgiven)}, and you "
            "owe nothing more on this account."
        )
        shown = "settled"
    else:
        out.append(
            f"We have received every payment under your arrangement: account {t.account_ref} is "
            "paid in full, and you owe nothing more on it."
        )
        shown = "paid in full"
    if t.reports_to_bureaus:
        out.append(
            f"We will tell the {bureaus} we report to that the account is {shown}. "
            "(15 U.S.C. § 1681s-2(a)(2))"
            if t.country == "US"
            else f"We will tell the {bureaus} we report to that the account is {shown}."
        )
    forgiven = a.forgiven
    if t.country == "US" and t.currency == "USD" and forgiven and forgiven >= FORM_1099C_THRESHOLD:
        out.append(
            f"The {fig.money(forgiven)} we agreed not to pursue may be reported to the Internal "
            "Revenue Service on Form 1099-C as cancelled debt, and may be taxable income; you may "
            "wish to ask a tax adviser. (26 U.S.C. § 6050P; 26 CFR 1.6050P-1)"
        )
    out.append("Please keep this letter as your record.")
    return out


_WRITERS: Final = {
    ActionKind.confirmation: _confirmation,
    ActionKind.reminder: _reminder,
    ActionKind.missed_payment: _missed,
    ActionKind.arrears_notice: _arrears_notice,
    ActionKind.default_notice: _default_notice,
    ActionKind.consequence: _consequence,
    ActionKind.paid_in_full: _completion,
    ActionKind.settled_in_full: _completion,
}


def letter_text(a: Action, t: AgreedTerms) -> LetterText:
    """The title and paragraphs of the letter for ``a``; the standing notices come last."""
    fig = Figures(t.currency, document_locale(t.jurisdiction))
    paragraphs = _WRITERS[a.kind](a, t, fig)
    if t.collector_notice:
        paragraphs.append(t.collector_notice)
    if t.country == "GB":
        paragraphs.append(UK_ADVICE)
    return LetterText(TITLES[a.kind], tuple(" ".join(p.split()) for p in paragraphs))
