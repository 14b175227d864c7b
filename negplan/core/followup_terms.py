"""The vocabulary of follow-ups (SPEC §9): what an action is, and the agreed terms it relies on.

:mod:`negplan.core.followups` derives the actions; ``negplan.letters`` words them;
``negplan.io.ledger.followups`` reads the terms from the signed agreement's record.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Final

from negplan.core.case import OptOut
from negplan.core.compliance.contact_hours import ContactHours
from negplan.core.reasons import Reason
from negplan.records import record


class ActionKind(str, Enum):
    confirmation = "confirmation"
    reminder = "reminder"
    missed_payment = "missed_payment"
    arrears_notice = "arrears_notice"
    default_notice = "default_notice"
    consequence = "consequence"
    paid_in_full = "paid_in_full"
    settled_in_full = "settled_in_full"
    call_task = "call_task"


#: Kinds that are letters (rendered, fingerprinted); the rest are tasks for the executive.
LETTER_KINDS: Final = frozenset(ActionKind) - {ActionKind.call_task}


@record
class AgreedTerms:
    """What the signed agreement states, that a follow-up relies on (from its record)."""

    fingerprint: str
    case_id: str
    jurisdiction: str
    country: str
    currency: str
    creditor: str
    creditor_phone: str
    creditor_address: str
    debtor: str
    debtor_address: str
    debtor_email: str
    account_ref: str
    settlement: bool  # the total is less than the balance: "settled", not "paid", in full
    balance: Decimal
    total: Decimal
    cure_days: int
    reinstate_on_default: bool
    reports_to_bureaus: bool
    #: The collector disclosure the agreement made (15 U.S.C. § 1692e(11)), repeated in every
    #: later communication; empty for a creditor collecting its own debt.
    collector_notice: str = ""
    #: The agreement's own words: how to pay, with the reference (its ``payment`` clause), and
    #: what happens on default (the second ``missed_payment`` clause). Letters quote them, so a
    #: letter never says anything about paying or default that the agreement did not.
    payment_clause: str = ""
    default_clause: str = ""
    #: What the case file said when the agreement was issued (``agreement_facts`` in the
    #: ledger): the debtor's opt-outs (SPEC §6a), the ``no_deal.actions`` that were lawful for
    #: this debt (SPEC §9; ``negplan.script.facts.lawful_actions``), and the last day a suit
    #: could be brought. Ledger opt-outs recorded later hold as well.
    case_opt_outs: frozenset[OptOut] = frozenset()
    decided: tuple[str, ...] = ()
    litigation_until: date | None = None
    #: The agreement's date, by which letters name it to the debtor.
    agreed_on: date | None = None
    #: The debtor's mobile number (E.164) as the case file gave it when the agreement was
    #: issued (``agreement_facts.debtor_mobile``); empty when none was known. Reminders may be
    #: texted to it (SPEC §9; 12 CFR 1006.6(d)(4), (e)).
    debtor_mobile: str = ""
    #: Where the debtor may be and the times they said are inconvenient, as the case file said
    #: when the agreement was issued (``agreement_facts.contact_hours``, schema 8): the hours an
    #: SMS or a call on a given day may use (12 CFR 1006.6(b)(1)(i)). None for an agreement
    #: recorded before negplan kept them.
    contact_hours: ContactHours | None = None


@record
class Action:
    """One thing to do: a letter to issue or a call to make, on ``on``, once (``key``)."""

    key: str
    case_id: str
    kind: ActionKind
    on: date
    channel: str  # letter, email, sms or phone
    fingerprint: str | None  # the agreement it is about (None: a promise)
    reason: Reason
    amount: Decimal | None = None  # the amount the action is about (due, arrears, balance)
    by: date | None = None  # the date that matters: due date, cure date, remedy date
    installment: int | None = None
    due: date | None = None  # a missed-payment letter: the day the missed payment was due
    forgiven: Decimal | None = None  # settled-in-full: the amount not pursued
    balance_due: Decimal | None = None  # default: the balance less payments, as reinstated
    paid: Decimal | None = None  # consequence: what the debtor paid under the agreement
    decided: tuple[str, ...] = ()  # consequence: the no_deal actions lawful on its date
    #: A text, an email or a call: the debtor's lawful hours on its day, in words with their
    #: rule, set where the compliance profiles are read (12 CFR 1006.6(b)(1)(i) covers texts).
    window: str = ""

    @property
    def is_letter(self) -> bool:
        return self.kind in LETTER_KINDS
