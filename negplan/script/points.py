"""The call script's talking points: the offers, what is at stake, and the conversation.

This module decides what is *true* for one case and puts it into the sentences the executive
says, with the case's figures as the debtor reads them (:class:`~negplan.script.facts.Speech`):

* :func:`offer_words`: each offer as a conditional trade ("if you can pay …, we can …").
* :func:`debt_statement`: the facts of the debt, once, neutrally ("our records show").
* :func:`consequences`: only what the creditor has decided to do without a deal
  (``no_deal.actions``), and only what is lawful for this debt (15 USC 1692e(5); CONC 7.11.6R;
  RBI circular of 12 Aug 2022). Never the model's BATNA: without ``no_deal`` nothing is said.
* :func:`benefits`: the advantages of a deal that hold for this case (interest frozen only when
  ``plans.interest`` is ``frozen``, a credit-file update only when the creditor reports…).
* :func:`empathy_prompts` and :func:`reason_questions`: tailored to the hardship on file.

Everything returned is plain text containing case data; the template escapes it with ``|md``.
"""

from __future__ import annotations

from negplan.core.case import Case, HardshipReason, NegotiationOutcome, OptionKind
from negplan.core.ladder import Rung
from negplan.core.options import Option
from negplan.core.plan import Plan
from negplan.core.rules import Rules
from negplan.script.facts import (
    PLANS,
    PRODUCT_WORDS,
    REDUCTIONS,
    Speech,
    adviser,
    balance_words,
    bureaus,
    country,
    dispute,
    extinguished,
    lawful_actions,
    reportable,
    review_date,
    target,
)

# ----------------------------------------------------------------------------- the offers


def offer_words(plan: Plan, option: Option, speech: Speech) -> str:
    """The conditional trade for ``option``, as said to the debtor.

    The same terms as the ladder's ``condition`` (``negplan.core.ladder.describe``), for the ear:
    locale amounts and long dates. While a dispute is open, a settlement is of the undisputed
    part only, and says so.
    """
    say = speech.money
    first = speech.date(option.payments[0].due)
    total, per, count = say(option.total), say(option.installment), option.count
    settles = (
        f"in full settlement of {balance_words(plan, speech)}"
        if dispute(plan) is not None
        else "in full settlement"
    )
    if option.kind is OptionKind.pay_in_full:
        what = "the undisputed part is" if dispute(plan) is not None else "the account is closed,"
        return f"If you can pay {total} by {first}, {what} paid in full."
    if option.kind is OptionKind.settlement:
        return (
            f"If you can pay {total} by {first}, we can accept it in full settlement of "
            f"{balance_words(plan, speech)}."
        )
    if option.kind is OptionKind.settlement_installments:
        return (
            f"If you can pay {total} in {count} monthly payments of about {per} starting "
            f"{first}, we can accept that {settles}."
        )
    if option.kind is OptionKind.plan_full:
        repaid = (
            f"the undisputed part is repaid in full ({total})"
            if dispute(plan) is not None
            else f"the balance is repaid in full ({total})"
        )
        return f"If you can pay {per} a month for {count} months starting {first}, {repaid}."
    if option.kind is OptionKind.plan_reduced:
        return (
            f"If you can keep up {per} a month for {count} months starting {first} "
            f"({total} in all), we can accept that {settles}."
        )
    if option.kind is OptionKind.plan_step_up:
        low = option.payments[0].amount
        months = sum(1 for p in option.payments if p.amount == low)
        high = option.payments[-1]
        return (
            f"If you can pay {say(low)} a month for {months} months starting {first}, then about "
            f"{say(high.amount)} a month until {speech.date(high.due)}, the balance is repaid in "
            f"full ({total}). We review the arrangement with you before the payment goes up."
        )
    return (
        f"If you can pay {per} a month for {count} months from {first}, that holds the account, "
        "and we review the arrangement with you then."
    )


def trade_words(rung: Rung, speech: Speech) -> str:
    """What a ladder step's concession is traded for (SPEC §4a), said after the offer; empty
    for the anchor."""
    if rung.trade == "automatic_payments":
        return " That is if you also set the payments up as automatic payments."
    if rung.trade == "earlier_first_date":
        first = speech.date(rung.option.payments[0].due)
        return f" That is if you also make the first payment by {first}, sooner than usual."
    if rung.trade == "payment_by_date":
        return " That is if the payment arrives by that date, as agreed."
    return ""


def debt_statement(case: Case, plan: Plan, speech: Speech) -> str:
    """The facts of the debt, said once: the balance and its parts, the disputed part, the date.

    "Our records show", never "you owe" (15 USC 1692e(2); CONC 7.4). An extinguished debt's
    balance is not stated: a figure said as if due implies it is still owed.
    """
    say = speech.money
    debt = case.debt
    account = f"I'm calling about your {PRODUCT_WORDS[debt.product]} account {debt.account_ref}."
    since = speech.date(debt.first_delinquency)
    if extinguished(plan):
        return (
            f"{account} Our records show no payment on it since {since}. I'm not calling to "
            "ask you for a payment."
        )
    part = dispute(plan)
    whole = part.balance if part is not None else plan.balance
    parts = debt.balance
    breakdown = ""
    if part is None and (parts.interest or parts.fees):
        breakdown = f": {say(parts.principal)} principal"
        if parts.interest:
            breakdown += f", {say(parts.interest)} interest"
        if parts.fees:
            breakdown += f" and {say(parts.fees)} in fees"
    text = (
        f"{account} Our records show a balance of {say(whole)}{breakdown}. The account has "
        f"been past due since {since}."
    )
    if part is not None:
        check = "sent you verification" if country(case) == "US" else "looked into it with you"
        text += (
            f" You have disputed {say(part.disputed)} of the balance. We won't ask you to pay "
            f"that part until we have {check}. Today I'd like to talk only about the other "
            f"{say(part.undisputed)}."
        )
    return text


# ----------------------------------------------------------------------------- what is at stake


def consequences(case: Case, plan: Plan, rules: Rules) -> list[str]:
    """What the creditor has decided to do without a deal (``no_deal.actions``), each only
    where it is lawful for this debt (:func:`~negplan.script.facts.lawful_actions`). Without
    ``no_deal`` nothing is said: a model's best-valued alternative is not an intention, and
    stating it as one would threaten an action not intended (15 USC 1692e(5); CONC 7.11.6R)."""
    speech = Speech.of(case)
    creditor = case.creditor.name
    actions = lawful_actions(case, plan)
    out: list[str] = []
    if "litigation" in actions:
        out.append(
            f"{creditor} has decided that, without an agreement, it will refer the account for "
            f"legal action to recover {balance_words(plan, speech)}."
        )
    if "agency" in actions:
        out.append(
            f"{creditor} has decided that, without an agreement, it will place the account with "
            f"{_agency(case)}, which would then contact you about it."
        )
    if "debt_sale" in actions:
        out.append(
            f"{creditor} has decided that, without an agreement, it will sell the account to a "
            "debt buyer, who would then collect it from you."
        )
    if "credit_reporting" in actions:
        out.append(
            f"{creditor} will keep reporting the account to the {bureaus(case)} as unpaid "
            "until it is resolved."
        )
    return out


def _agency(case: Case) -> str:
    other = "another" if case.creditor.is_debt_collector else "a"
    return f"{other} collection agency"


def benefits(case: Case, plan: Plan, rules: Rules) -> list[str]:
    """The advantages of a deal that are true for this case, in the debtor's terms."""
    aim = target(plan)
    if aim is None:
        return []
    speech = Speech.of(case)
    say = speech.money
    part = dispute(plan)
    out: list[str] = []
    if aim.kind is OptionKind.hardship_token:
        out.append(
            f"A small payment of {say(aim.installment)} a month holds the account while things "
            f"are hard, and we look at it again together around "
            f"{speech.date(review_date(plan, rules))}."
        )
    if aim.kind in REDUCTIONS:
        saving = say(plan.balance - aim.total)
        if part is not None:
            out.append(
                f"The undisputed {say(part.undisputed)} is settled for {say(aim.total)}: "
                f"{saving} less, and the rest of it is not collected."
            )
        else:
            out.append(
                f"The account is closed for {say(aim.total)} instead of the "
                f"{say(plan.balance)} balance: {saving} less, and the rest is not collected."
            )
    # Only what would otherwise happen can be stopped (SPEC §6a "Benefits"): no interest claim
    # where none accrues (a charged-off account, a 0% utility bill).
    if aim.kind in PLANS and rules.plans.interest == "frozen" and case.debt.interest_accrues:
        out.append("No further interest is added while the plan is kept: interest is frozen.")
    if aim.affordable and aim.count > 1:
        out.append(
            "The payments are set from the budget you gave us, so they are ones you can keep."
        )
    # The target decides the one true word: "paid in full" for the full balance, "settled" for
    # less, never both (SPEC §6a "Benefits"); a letter confirms it either way.
    reports = case.creditor.reports_to_credit_bureaus and reportable(case, plan.as_of)
    where = bureaus(case)
    if aim.kind in REDUCTIONS:
        out.append(
            "When the last payment is made, we send you a letter confirming the account is "
            "settled in full, with nothing left to pay."
            + (
                f" The {where} will show it as settled for less than the full balance."
                if reports and part is None
                else ""
            )
        )
    elif aim.kind is not OptionKind.hardship_token:
        out.append(
            "When the last payment is made, we send you a letter confirming the account is "
            "paid in full."
            + (
                f" We update the {where} to show it paid in full."
                if reports and part is None
                else ""
            )
        )
    out.append("The collection calls stop: we contact you only about the agreement.")
    out.append("You get the agreement in writing, with every amount and date.")
    return out


# ----------------------------------------------------------------------------- the conversation


_EMPATHY: dict[HardshipReason, list[str]] = {
    HardshipReason.job_loss: [
        "I'm sorry to hear about your job. That's a lot to deal with.",
        "How is the search going? Is anything coming in meanwhile, such as benefits or "
        "severance pay?",
    ],
    HardshipReason.reduced_hours: [
        "It sounds like the cut in your hours has squeezed everything.",
        "Are your hours likely to come back? How has your budget changed since then?",
    ],
    HardshipReason.medical: [
        "I'm sorry you've been dealing with illness. How are things now?",
        "Are there still medical costs coming in each month? You don't need to tell me "
        "more than you want to.",
    ],
    HardshipReason.divorce: [
        "A separation is hard, practically as well as emotionally.",
        "Has the household budget settled down? Is any support being paid in or out?",
    ],
    HardshipReason.bereavement: [
        "I'm very sorry for your loss.",
        "Please take your time. Would another day be better for this conversation?",
    ],
    HardshipReason.other: [
        "It sounds like things have been difficult. Can you tell me a bit about what has changed?",
    ],
    HardshipReason.none: [
        "It sounds like this may simply have slipped. Is that right?",
        "What would make it easiest for you to get this sorted today?",
    ],
}

_HARDSHIP_WORDS = {
    HardshipReason.job_loss: "the loss of your job",
    HardshipReason.reduced_hours: "the cut in your hours",
    HardshipReason.medical: "the medical situation",
    HardshipReason.divorce: "the separation",
    HardshipReason.bereavement: "your bereavement",
    HardshipReason.other: "the difficulty you mentioned",
    HardshipReason.none: "",
}


def empathy_prompts(case: Case, plan: Plan, rules: Rules) -> list[str]:
    """Acknowledge the hardship on file, then ask whether and when it ends."""
    hardship = case.finances.hardship
    if hardship.reason is HardshipReason.none:
        out = (
            [
                "This account goes back a while. How are things for you now?",
                "What would make it easiest for you to resolve it?",
            ]
            if plan.days_past_due > 365
            else list(_EMPATHY[hardship.reason])
        )
        return out[:1] if extinguished(plan) else out  # the second line invites a payment
    out = list(_EMPATHY[hardship.reason])
    if hardship.temporary and hardship.expected_end is not None:
        out.append(
            f"You expected things to improve around {Speech.date(hardship.expected_end)}. "
            "Is that still the picture?"
        )
    elif hardship.temporary:
        out.append("When do you expect things to get back to normal?")
    else:
        out.append("Do you expect your situation to change, or is this how things will be?")
    if country(case) == "GB":
        out.append(
            f"If it would help, {adviser(case)} can go through your budget with you, "
            "free of charge."
        )
    elif hardship.reason is HardshipReason.medical:
        out.append(
            "Is there anything that makes it hard to talk about this now? We can take it at "
            "your pace."
        )
    return out


def reason_questions(case: Case, plan: Plan) -> list[str]:
    """Open questions to find out why the payments stopped (never "why haven't you paid?")."""
    speech = Speech.of(case)
    out: list[str] = []
    last = case.payment_history[-1] if case.payment_history else None
    if last is not None:
        out.append(
            f"The last payment we have is {speech.money(last.amount)} on "
            f"{speech.date(last.date)}. What changed around then?"
        )
    else:
        out.append("What has been happening since the payments stopped?")
    reason = case.finances.hardship.reason
    if reason is not HardshipReason.none:
        out.append(f"You told us about {_HARDSHIP_WORDS[reason]}. How are things now?")
    broken = [
        n for n in case.previous_negotiations if n.outcome is NegotiationOutcome.broken_promise
    ]
    if broken:
        last_broken = broken[-1]
        out.append(
            f"On {speech.date(last_broken.date)} we agreed {last_broken.terms}, and it did not "
            "work out. What got in the way, and what would make a new arrangement stick?"
        )
    out.append("What else should I know about your situation?")
    return out
