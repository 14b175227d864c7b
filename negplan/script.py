"""The call script's talking points: what to say, in which order, and what never to say.

The template (``templates/call_script.md.j2``) holds the prose and the order of the call; this
module decides what is *true* for one case and puts it into sentences with the case's numbers:

* :func:`consequences`: only what the creditor can and will do without a deal, i.e. its BATNA
  action (15 USC 1692e(5); CONC 7.11.6R; RBI circular of 12 Aug 2022), plus continued credit
  reporting when the creditor reports. No suit on a time-barred debt (12 CFR 1006.26(b)) or while
  the limitation period is unknown, nothing during a bankruptcy or a breathing space, and a
  write-off is never announced.
* :func:`benefits`: the advantages of a deal that hold for this case (interest frozen only when
  ``plans.interest`` is ``frozen``, a credit-file update only when the creditor reports…).
* :func:`empathy_prompts`, :func:`reason_questions` and :func:`objections`: the conversation,
  tailored to the hardship on file and to the jurisdiction's rules.
* :func:`do_not_call`: the notice that heads a blocked case's script, with when the block lifts
  and the steps that are still lawful.
* :func:`say_not` and :func:`unlawful_lines`: the phrases each "do not say" rule of the
  pre-flight forbids, and a check of a rendered script against them.

Everything returned is plain text containing case data; the template escapes it with ``|md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

from negplan.case import Case, HardshipReason, NegotiationOutcome, OptionKind, Product
from negplan.compliance.preflight import Finding
from negplan.compliance.profiles import resolve_profile
from negplan.jurisdictions import parse_jurisdiction
from negplan.ladder import describe
from negplan.money import quantize
from negplan.options import Option
from negplan.plan import Plan, judge_for
from negplan.render import long_date, markdown_escape, render
from negplan.rules import Rules
from negplan.schedule import monthly_due_dates

TEMPLATE = "call_script.md.j2"

#: Kinds of deal that pay less than the balance.
REDUCTIONS = frozenset(
    {OptionKind.settlement, OptionKind.settlement_installments, OptionKind.plan_reduced}
)
#: Kinds of deal paid monthly from income, to which a frozen plan interest applies.
PLANS = frozenset({OptionKind.plan_full, OptionKind.plan_reduced})

_PRODUCT_WORDS = {
    Product.personal_loan: "personal loan",
    Product.credit_card: "credit card",
    Product.auto_loan: "auto loan",
    Product.medical: "medical bill",
    Product.utility: "utility account",
    Product.other: "account",
}


def _money(amount: Decimal, currency: str) -> str:
    return f"{quantize(amount, currency):,} {currency}"


def _country(case: Case) -> str:
    return parse_jurisdiction(case.jurisdiction).country


def _bureaus(case: Case) -> str:
    return {
        "GB": "credit reference agencies",
        "IN": "credit information companies",
    }.get(_country(case), "credit bureaus")


def _adviser(case: Case) -> str:
    return {
        "US": "an attorney or a nonprofit credit counselor",
        "GB": "a free debt adviser such as MoneyHelper, StepChange or National Debtline",
        "IN": "a lawyer or a financial adviser",
    }.get(_country(case), "an independent adviser")


def _target(plan: Plan) -> Option | None:
    """The deal the script works towards: the recommended option."""
    return plan.recommended


def _token(plan: Plan) -> Option | None:
    """The hardship arrangement, when it is what this debtor needs: no capacity now, or it is
    the recommendation. (A debtor who can afford a real plan is not offered token payments.)"""
    token = plan.option("hardship_token")
    target = _target(plan)
    if token is None:
        return None
    if plan.affordability.capacity == "none" or target is None or target is token:
        return token
    return None


def no_zopa(plan: Plan) -> bool:
    """No deal at or above the minimum that the debtor can afford: end without burning bridges."""
    target = _target(plan)
    return plan.zopa.empty or target is None or target.kind is OptionKind.hardship_token


def reportable(case: Case, as_of: date) -> bool:
    """May the account still appear on a credit file?

    US: 7 years from the start of the delinquency, plus 180 days (15 USC 1681c(a)(4), (c)(1)).
    UK: a default stays on file 6 years from the default date (credit reference agency practice,
    ICO/CRA guidance). Elsewhere no limit is assumed.
    """
    country = _country(case)
    start = case.debt.first_delinquency
    if country == "US":
        return as_of < start + relativedelta(years=7, days=180)
    if country == "GB":
        return as_of < (case.debt.charged_off or start) + relativedelta(years=6)
    return True


def _collection_on_hold(case: Case) -> bool:
    """A bankruptcy stay, a breathing space, a death or a cease request: no consequence."""
    flags = case.debtor.flags
    return (
        flags.in_bankruptcy or flags.breathing_space or flags.deceased or flags.cease_communication
    )


def _litigation_lawful(case: Case, plan: Plan) -> bool:
    """Legal action may be mentioned only if available, not time-barred, period known."""
    flags = case.debtor.flags
    return not (
        plan.time_barred
        or plan.limitation.years is None
        or flags.in_bankruptcy
        or flags.breathing_space
    )


# ----------------------------------------------------------------------------- what is at stake


def consequences(case: Case, plan: Plan, rules: Rules) -> list[str]:
    """What the creditor can and will do without a deal: its BATNA action, stated lawfully."""
    if _collection_on_hold(case):
        return []
    creditor = case.creditor.name
    out: list[str] = []
    kind = plan.batna.kind
    if kind == "litigation" and _litigation_lawful(case, plan):
        out.append(
            f"{creditor} may refer the account for legal action to recover the "
            f"{_money(plan.balance, case.currency)} balance."
        )
    elif kind == "agency":
        other = "another" if case.creditor.is_third_party_collector else "a"
        out.append(
            f"{creditor} may place the account with {other} collection agency, which would "
            "then contact you about it."
        )
    elif kind == "debt_sale":
        out.append(
            f"{creditor} may sell the account to a debt buyer, who would then collect it from you."
        )
    # write_off: nothing is announced; the creditor does not say it will stop collecting.
    if case.creditor.reports_to_credit_bureaus and reportable(case, plan.as_of):
        out.append(
            f"{creditor} will keep reporting the account to the {_bureaus(case)} as unpaid "
            "until it is resolved."
        )
    return out


def benefits(case: Case, plan: Plan, rules: Rules) -> list[str]:
    """The advantages of a deal that are true for this case, in the debtor's terms."""
    target = _target(plan)
    if target is None:
        return []
    kinds = {r.option.kind for r in plan.ladder} | {target.kind}
    cur = case.currency
    out: list[str] = []
    if target.kind is OptionKind.hardship_token:
        review = review_date(plan, rules)
        out.append(
            f"A small payment of {_money(target.installment, cur)} a month holds the account "
            f"while things are hard, and we look at it again together around {long_date(review)}."
        )
    if target.kind in REDUCTIONS:
        saving = plan.balance - target.total
        out.append(
            f"The account is closed for {_money(target.total, cur)} instead of the "
            f"{_money(plan.balance, cur)} balance: {_money(saving, cur)} less, and the rest "
            "is not collected."
        )
    if kinds & PLANS and rules.plans.interest == "frozen":
        out.append("No further interest is added while the plan is kept: interest is frozen.")
    if target.affordable and target.count > 1:
        out.append(
            "The payments are set from the budget you gave us, so they are ones you can keep."
        )
    if case.creditor.reports_to_credit_bureaus:
        bureaus = _bureaus(case)
        if kinds - REDUCTIONS - {OptionKind.hardship_token}:
            out.append(
                f"When the balance is paid, we update the {bureaus} to show the account paid "
                "in full."
            )
        if kinds & REDUCTIONS:
            out.append(
                f"If you settle for less, the {bureaus} show the account as settled for less "
                "than the full balance, with nothing left to pay."
            )
    out.append("The collection calls stop: we contact you only about the agreement.")
    out.append("You get the agreement in writing, with every amount and date, before you pay.")
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
    if hardship.reason is HardshipReason.none and plan.days_past_due > 365:
        return [
            "This account goes back a while. How are things for you now?",
            "What would make it easiest for you to resolve it?",
        ]
    out = list(_EMPATHY[hardship.reason])
    if hardship.reason is HardshipReason.none:
        return out
    if hardship.temporary and hardship.expected_end is not None:
        out.append(
            f"You expected things to improve around {long_date(hardship.expected_end)}. "
            "Is that still the picture?"
        )
    elif hardship.temporary:
        out.append("When do you expect things to get back to normal?")
    else:
        out.append("Do you expect your situation to change, or is this how things will be?")
    if _country(case) == "GB" or hardship.reason is HardshipReason.medical:
        out.append(
            f"If it would help, {_adviser(case)} can go through your budget with you, "
            "free of charge."
            if _country(case) == "GB"
            else "Is there anything that makes it hard to talk about this now? We can take "
            "it at your pace."
        )
    return out


def reason_questions(case: Case, plan: Plan) -> list[str]:
    """Open questions to find out why the payments stopped (never "why haven't you paid?")."""
    out: list[str] = []
    last = case.payment_history[-1] if case.payment_history else None
    if last is not None:
        out.append(
            f"The last payment we have is {_money(last.amount, case.currency)} on "
            f"{long_date(last.date)}. What changed around then?"
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
            f"On {long_date(last_broken.date)} we agreed {last_broken.terms}, and it did not "
            "work out. What got in the way, and what would make a new arrangement stick?"
        )
    out.append("What else should I know about your situation?")
    return out


@dataclass(frozen=True)
class Objection:
    """One objection: what the debtor says, what to answer, and what to do (with the rule)."""

    says: str
    answers: list[str]
    notes: list[str]


def review_date(plan: Plan, rules: Rules) -> date:
    """When a hardship arrangement is reviewed: a month after its last token payment."""
    months = rules.plans.hardship_review_months
    return monthly_due_dates(plan.first_due, months + 1)[-1]


def _condition(case: Case, plan: Plan, rules: Rules, option: Option) -> str:
    return describe(judge_for(plan, rules), option)[1]


def objections(case: Case, plan: Plan, rules: Rules) -> list[Objection]:
    """The five classic objections, answered lawfully with this case's numbers."""
    out = [
        answer(case, plan, rules)
        for answer in (_cant_afford, _dispute, _pay_later, _bankruptcy, _hostile)
    ]
    if plan.time_barred:
        out.append(_time_barred_objection(case))
    return out


def _cant_afford(case: Case, plan: Plan, rules: Rules) -> Objection:
    """Objection "I can't afford it": the budget, the target, a first payment."""
    cur = case.currency
    country = _country(case)
    afford = plan.affordability
    target = _target(plan)
    token = _token(plan)
    good_faith = good_faith_ask(plan)
    answers = ["I understand. Whatever we agree has to be something you can actually keep up."]
    if afford.affordable_monthly > 0:
        answers.append(
            f"From the budget you gave us, about {_money(afford.affordable_monthly, cur)} a "
            "month is left after your essentials and other commitments. Does that still sound "
            "right?"
        )
    if target is not None and target.kind is not OptionKind.hardship_token:
        answers.append(_condition(case, plan, rules, target))
    if token is not None:
        answers.append(
            f"If even that is too much right now: {_condition(case, plan, rules, token)}"
        )
    if good_faith > 0:
        answers.append(
            f"Could you make a first payment of {_money(good_faith, cur)} now, so the "
            "arrangement can start?"
        )
    notes = [
        "Go through the budget with them; ask, don't accuse"
        + (" (budget items to discuss: section 1)." if afford.flags else ".")
    ]
    notes.append(
        "Never suggest borrowing, selling belongings or skipping priority bills (rent, energy, "
        "tax, child support) to pay this account" + (" (CONC 7.3.10R)." if country == "GB" else ".")
    )
    return Objection("I can't afford it.", answers, notes)


def _dispute(case: Case, plan: Plan, rules: Rules) -> Objection:
    """Objection "it's not my debt": stop collecting the disputed part; verification."""
    cur = case.currency
    country = _country(case)
    creditor = case.creditor
    answers = [
        "Thank you for telling me. Is it the whole account you don't recognise, or the amount?",
        f"I can send you the details: the account {case.debt.account_ref} with {creditor.name}, "
        f"and how the {_money(plan.balance, cur)} balance is made up.",
    ]
    notes = []
    if country == "US":
        where = f" at {creditor.address}" if creditor.address else ""
        answers.append(
            f"You can dispute it in writing to {creditor.name}{where}. If you do that within "
            "the validation period, we stop collecting the disputed part until we have mailed "
            "you verification."
        )
        sent = case.debt.validation_notice_sent
        notes.append(
            "Stop asking for payment of the disputed part now. Record the dispute in the case "
            "file (debtor.flags.disputed, and disputed_amount if only part is disputed): "
            "collection of the disputed amount stays stopped until verification is mailed "
            "(15 USC 1692g(b)). If the account is reported, report it as disputed "
            "(15 USC 1692e(8))."
        )
        notes.append(
            f"The validation notice was sent on {long_date(sent)}; the validation period runs "
            "30 days from its receipt (12 CFR 1006.34(b)(5))."
            if sent
            else "No validation notice has been sent yet, so the 30-day validation period has "
            "not started (12 CFR 1006.34)."
        )
    elif country == "GB":
        notes.append(
            "Suspend recovery steps while a dispute on valid grounds is investigated "
            "(CONC 7.14.1R, 7.14.3R), and send the account information (CONC 7.4)."
        )
    else:
        notes.append(
            "Log it as a grievance and share the statement of account before asking for "
            "payment (RBI Fair Practices Code, grievance redressal)."
        )
    notes.append(
        "If they say it is fraud or identity theft, take the details, refer it to the fraud "
        "team and do not ask for payment."
    )
    return Objection("It's not my debt. / I dispute it.", answers, notes)


def _pay_later(case: Case, plan: Plan, rules: Rules) -> Objection:
    """Objection "I'll pay later": turn it into a date, an amount and a payment method."""
    cur = case.currency
    token = _token(plan)
    good_faith = good_faith_ask(plan)
    hardship = case.finances.hardship
    answers = [
        "I hear you. Which date could you pay, and how much?",
        "What will be different on that date?",
    ]
    if hardship.temporary and hardship.expected_end is not None and token is not None:
        answers.append(
            f"You expect things to improve around {long_date(hardship.expected_end)}. Let's "
            f"set a small arrangement until then and look at it again on "
            f"{long_date(review_date(plan, rules))}."
        )
    if good_faith > 0:
        answers.append(
            f"Could we fix the first payment for {long_date(plan.first_due)}, with "
            f"{_money(good_faith, cur)} now to hold it?"
        )
    broken = sum(n.outcome is NegotiationOutcome.broken_promise for n in case.previous_negotiations)
    notes = [
        "A vague 'later' is not a promise: get a date, an amount and how they will pay, and "
        "confirm it in writing. The first payment should be no later than "
        f"{long_date(plan.first_due)} (plans.first_payment_days)."
    ]
    if broken:
        were = "promises on file were" if broken != 1 else "promise on file was"
        notes.append(
            f"{broken} earlier {were} broken: agree a smaller amount they will keep rather than "
            "a bigger one they won't."
        )
    return Objection("I'll pay later.", answers, notes)


def _bankruptcy(case: Case, plan: Plan, rules: Rules) -> Objection:
    """Objection "I'll file for bankruptcy": their right; stop if they already have."""
    country = _country(case)
    answers = [
        "That's your right, and it's a big decision. It may help to talk it through with "
        f"{_adviser(case)}.",
    ]
    if country == "US":
        answers.append(
            "If you do file, please let us know the case number and your attorney's details, "
            "so that we stop contacting you."
        )
    elif country == "GB":
        answers.append(
            "If you apply for bankruptcy or a debt relief order, please let us know, so that "
            "we can put the account on hold."
        )
    else:
        answers.append("If you begin insolvency proceedings, please let us know.")
    if _target(plan) is not None:
        answers.append("In the meantime, the arrangement we talked about is still open to you.")
    notes = ["Do not argue, advise against it, or say what filing would lead to."]
    if country == "US":
        notes.append(
            "If they have already filed: stop collecting at once (11 USC 362, the automatic "
            "stay). Take the bankruptcy case number and their attorney's name, end the call "
            "politely, set debtor.flags.in_bankruptcy and refer the account to counsel."
        )
        notes.append(
            "If they say an attorney is handling this debt: ask for the attorney's name and "
            "number, stop discussing the debt and end the call (15 USC 1692c(a)(2))."
        )
    elif country == "GB":
        notes.append(
            "If a bankruptcy order or DRO is made, deal with the official receiver or trustee, "
            "not the customer; until then treat them with forbearance (CONC 7.3)."
        )
    else:
        notes.append(
            "If proceedings have begun, stop and confirm with counsel whether a moratorium "
            "applies (Insolvency and Bankruptcy Code 2016, Part III)."
        )
    return Objection("I'm going to file for bankruptcy.", answers, notes)


def _hostile(case: Case, plan: Plan, rules: Rules) -> Objection:
    """A hostile caller: stay calm, offer another time, end politely."""
    country = _country(case)
    creditor = case.creditor
    answers = [
        "I can hear this is frustrating, and I do want to help sort it out.",
        "Would it be easier to talk at another time? When suits you?",
    ]
    if creditor.phone:
        answers.append(
            f"I'm going to end the call now. You can reach us on {creditor.phone} when "
            "you're ready."
        )
    else:
        answers.append("I'm going to end the call now. Please call us when you're ready.")
    rule = {
        "US": "15 USC 1692d",
        "GB": "CONC 7.3, 7.9",
        "IN": "RBI circular of 12 Aug 2022",
    }.get(country, "fair treatment")
    notes = [
        "Keep your voice low and slow; don't interrupt or match their tone; never threaten, "
        f"insult or use obscene language ({rule}). End politely only if the abuse goes on.",
        "If they ask you not to call at this number or at this time, honour it and record it "
        "in the case file" + (" (12 CFR 1006.6(b)(1)(i), 1006.14(h))." if country == "US" else "."),
    ]
    if country == "US":
        notes.append(
            "A call back within 7 days after this conversation is lawful only with their "
            "express consent, given on this call (12 CFR 1006.14(b)(3)(i))."
        )
    return Objection("A hostile caller.", answers, notes)


def _time_barred_objection(case: Case) -> Objection:
    """The debt is past its limitation period: never argue, never imply it can be enforced."""
    country = _country(case)
    if country == "GB":
        return Objection(
            "It's too old: it's statute-barred.",
            ["You're right that this debt is statute-barred. Any payment would be voluntary."],
            [
                "If they say they will not pay because it is statute-barred, stop asking for "
                "payment, thank them and end the call (CONC 7.15.8).",
            ],
        )
    rule = "12 CFR 1006.26(b)" if country == "US" else "the limitation law"
    return Objection(
        "It's too old. Why should I pay?",
        [
            "You're right that this debt is old. Paying it is your choice, and we can agree "
            "an amount that works for you.",
        ],
        [
            "Answer any question about the debt's age truthfully, using the time-barred "
            f"disclosure at the top of this script and nothing beyond it ({rule}).",
            "Do not comment on whether a payment affects the time limit; refer such "
            "questions to counsel.",
        ],
    )


def good_faith_ask(plan: Plan) -> Decimal:
    """The good-faith payment to ask for.

    The plan's ``good_faith_payment``; under a hardship arrangement, the first token payment
    instead (asking more than the token would defeat the arrangement).
    """
    target = _target(plan)
    if target is not None and target.kind is OptionKind.hardship_token:
        return min(target.installment, plan.minimum_terms.good_faith_payment)
    return plan.minimum_terms.good_faith_payment


# ----------------------------------------------------------------------------- blocked cases


@dataclass(frozen=True)
class DoNotCall:
    """The notice heading a blocked case's script."""

    findings: list[Finding]
    lifts: str | None  # when calls may resume, in the debtor's local time; None: not known
    open_ended: bool  # a flag blocks with no known end
    steps: list[str]  # what is still lawful
    representative: str | None  # whom terms may be discussed with instead, if anyone


def local_moment(moment: datetime, case: Case) -> str:
    """``Thursday 26 November 2026, 10:00 (America/Los_Angeles, UTC-08:00)``."""
    local = moment.astimezone(case.debtor.zone)
    offset = local.strftime("%z")
    return (
        f"{local:%A} {long_date(local.date())}, {local:%H:%M} "
        f"({case.debtor.timezone}, UTC{offset[:3]}:{offset[3:]})"
    )


def _block_steps(case: Case, finding: Finding, lifts: str | None) -> list[str]:
    country = _country(case)
    flags = case.debtor.flags
    check = finding.check
    if check == "call_frequency":
        when = f"before {lifts}" if lifts else "until the block lifts"
        return [
            f"Do not call {when}. The limit is on telephone calls; a letter or email is not "
            "counted."
        ]
    if check in ("call_window", "inconvenient_time"):
        when = f"before {lifts}" if lifts else "until the block lifts"
        step = f"Do not call, text or email {when}."
        if check == "inconvenient_time":
            times = ", ".join(case.debtor.inconvenient_times)
            step += f" They said these local times are inconvenient: {times}."
        return [step]
    if check == "attorney_represented":
        contact = flags.attorney_contact or (
            "no contact details on file: take them from the letter of representation"
        )
        steps = [
            f"Contact the attorney instead: {contact}. Put any proposal to counsel in writing.",
            "If the debtor calls you, be courteous, do not discuss the debt, and refer them to "
            "their attorney.",
        ]
        if country == "US":
            steps.append(
                "Direct contact may resume only if the attorney consents, does not respond "
                "within a reasonable time, or stops representing the debtor (15 USC 1692c(a)(2))."
            )
        return steps
    if check == "cease_communication":
        if country == "US":
            return [
                "No calls, texts or emails. Write only as 15 USC 1692c(c) allows: to say that "
                "collection is ending, or that the creditor may use, or will use, a specific "
                "remedy it ordinarily uses.",
            ]
        return ["Do not call. Write if contact is still needed, in the way they asked."]
    if check == "in_bankruptcy":
        where = {
            "US": "refer the account to counsel (11 USC 362, the automatic stay)",
            "GB": "deal with the trustee or official receiver",
        }.get(country, "confirm with counsel whether a moratorium applies")
        return [
            "Stop all collection. Note the bankruptcy case number and the debtor's attorney or "
            f"trustee in the case file, and {where}.",
        ]
    if check == "deceased":
        return [
            "Do not call the debtor's number. Deal only with the personal representative "
            "(executor or administrator) of the estate, and do not ask family members to pay.",
        ]
    if check == "disputed":
        return [
            "Mail verification of the debt (the account statement and the original creditor's "
            "name and address). Collection of the disputed amount stays stopped until it is "
            "mailed; then clear debtor.flags.disputed and re-run negplan prep.",
        ]
    if check == "breathing_space":
        return [
            "No contact asking for payment and no enforcement until the moratorium ends. "
            "Check the Insolvency Service register, and clear the flag once it has ended.",
        ]
    return [f"Resolve this before any call: {finding.message}"]


def do_not_call(case: Case, plan: Plan, rules: Rules) -> DoNotCall | None:
    """The do-not-call notice for a blocked case, or ``None`` when a call is allowed."""
    compliance = plan.compliance
    if compliance.verdict != "blocked":
        return None
    blocked = [f for f in compliance.findings if f.level == "blocked"]
    window = compliance.next_window
    lifts = local_moment(window, case) if window is not None else None
    steps: list[str] = []
    timed = {"call_window", "inconvenient_time", "call_frequency"}
    if window is None and any(f.check not in timed for f in blocked):
        blocked_steps = [f for f in blocked if f.check not in timed]  # the flag's steps suffice
    else:
        blocked_steps = blocked
    for finding in blocked_steps:
        for step in _block_steps(case, finding, lifts):
            if step not in steps:
                steps.append(step)
    if lifts:
        steps.append("Re-run negplan prep before you dial: the pre-flight is valid only as of now.")
    checks = {f.check for f in blocked}
    representative = None
    if "attorney_represented" in checks:
        representative = case.debtor.flags.attorney_contact or "the debtor's attorney"
    elif "deceased" in checks:
        representative = "the personal representative of the estate"
    return DoNotCall(blocked, lifts, window is None, steps, representative)


# ----------------------------------------------------------------------------- after the call


#: Days before calling again after a conversation that ended without a deal, where the law sets
#: no quiet period (UK, India): a week, mirroring Regulation F's 7-day benchmark. Firm practice.
FOLLOW_UP_DAYS = 7


def _quiet_days(case: Case, rules: Rules) -> int | None:
    """Days (the conversation's day counting as day 1) with no further call after a conversation."""
    profile = resolve_profile(parse_jurisdiction(case.jurisdiction), rules.compliance).profile
    return profile.call_frequency.days_after_conversation or None


def call_day(case: Case, plan: Plan) -> date:
    """The debtor's local day of the planned call: now, or when a time-based block lifts."""
    moment = plan.compliance.next_window or plan.now
    if plan.compliance.verdict != "blocked":
        moment = plan.now
    return moment.astimezone(case.debtor.zone).date()


def follow_up(case: Case, plan: Plan, rules: Rules) -> list[str]:
    """After the call: the written agreement, reminders and the next lawful contact."""
    day = call_day(case, plan)
    quiet = _quiet_days(case, rules)
    next_call = day + timedelta(days=quiet or FOLLOW_UP_DAYS)
    target = _target(plan)
    first_due = plan.first_due
    grace = rules.agreements.grace_period_days
    out: list[str] = []
    if quiet:
        out.append(
            f"Log this call as a conversation in the case file. It starts a {quiet}-day quiet "
            f"period: no further call through {long_date(next_call - timedelta(days=1))}; "
            f"the next call may be on {long_date(next_call)} or later, unless they ask for "
            "one sooner on this call."
        )
    else:
        out.append(
            "Log this call and its outcome in the case file. Without a deal, give them a week "
            f"before the next call: {long_date(next_call)} or later (firm practice)."
        )
    if target is not None:
        out.append(
            "Send the written agreement today, so it arrives before the first payment on "
            f"{long_date(first_due)}."
        )
        remind = max(first_due - timedelta(days=3), day + timedelta(days=1))
        reminder = f"Send a written reminder (email, text or letter) on {long_date(remind)}"
        if _country(case) == "US":
            reminder += "; an email or text must offer a way to opt out (12 CFR 1006.6(e))"
        out.append(reminder + ".")
        check = max(first_due + timedelta(days=1), next_call)
        out.append(
            f"Check the first payment on {long_date(first_due)}. If it has not arrived, call "
            f"on {long_date(check)} or later, within the {grace}-day grace period (until "
            f"{long_date(first_due + timedelta(days=grace))})."
        )
    if target is not None and target.kind is OptionKind.hardship_token:
        out.append(
            f"Review the hardship arrangement on {long_date(review_date(plan, rules))}: ask for "
            "an updated budget and re-plan."
        )
    if target is None or target.kind is OptionKind.hardship_token:
        out.append(
            "If nothing is agreed: speak again around "
            f"{long_date(next_conversation(case, plan, rules))}, and not before "
            f"{long_date(next_call)}."
        )
    elif quiet:
        out.append(f"If nothing is agreed: next call on {long_date(next_call)} or later.")
    return out


def next_conversation(case: Case, plan: Plan, rules: Rules) -> date:
    """When to speak again after a call without a deal: after the quiet period, or when a
    temporary hardship is expected to end, whichever is later."""
    hardship = case.finances.hardship
    next_call = call_day(case, plan) + timedelta(days=_quiet_days(case, rules) or FOLLOW_UP_DAYS)
    if hardship.temporary and hardship.expected_end is not None:
        return max(hardship.expected_end, next_call)
    return next_call


def closing_without_deal(case: Case, plan: Plan, rules: Rules) -> list[str]:
    """How to end a call that cannot reach a deal, keeping the door open."""
    cur = case.currency
    hardship = case.finances.hardship
    token = _token(plan)
    out = [
        "Thank you for talking this through with me today. I know it isn't easy.",
        "Let me make sure I've understood your situation: [summarise what you heard].",
    ]
    if token is not None and hardship.temporary:
        out.append(
            f"While things are hard, we can hold the account on {_money(token.installment, cur)} "
            f"a month for {token.count} months, and look at it again on "
            f"{long_date(review_date(plan, rules))}."
        )
    out.append(
        f"I'd like to speak again around {long_date(next_conversation(case, plan, rules))}. "
        "If anything changes before then, "
        + (f"call us on {case.creditor.phone}." if case.creditor.phone else "please call us.")
    )
    if _country(case) == "GB":
        out.append(
            "Free, independent debt advice is available from MoneyHelper, StepChange and "
            "National Debtline."
        )
    return out


# ----------------------------------------------------------------------------- the checklist


def debt_facts(case: Case, plan: Plan) -> list[tuple[str, str]]:
    """The facts to verify in the file before dialling."""
    cur = case.currency
    debt = case.debt
    parts = [f"principal {_money(debt.balance.principal, cur)}"]
    if debt.balance.interest:
        parts.append(f"interest {_money(debt.balance.interest, cur)}")
    if debt.balance.fees:
        parts.append(f"fees {_money(debt.balance.fees, cur)}")
    facts = [
        ("Account", f"{_PRODUCT_WORDS[debt.product]} {debt.account_ref} with {case.creditor.name}"),
        ("Balance", f"{_money(plan.balance, cur)} ({', '.join(parts)})"),
        (
            "Past due",
            f"since {long_date(debt.first_delinquency)} ({plan.days_past_due} days)",
        ),
    ]
    last = case.payment_history[-1] if case.payment_history else None
    if last is not None:
        facts.append(("Last payment", f"{_money(last.amount, cur)} on {long_date(last.date)}"))
    elif debt.last_payment is not None:
        facts.append(("Last payment", long_date(debt.last_payment)))
    else:
        facts.append(("Last payment", "none on record"))
    if debt.charged_off:
        word = "Defaulted" if _country(case) == "GB" else "Charged off"
        facts.append((word, long_date(debt.charged_off)))
    if _country(case) == "US":
        sent = debt.validation_notice_sent
        facts.append(("Validation notice", f"sent {long_date(sent)}" if sent else "not sent"))
    facts.append(("Limitation", plan.limitation.reason))
    return facts


def agreement_command(case: Case, option: Option) -> str:
    """The ``negplan agreement`` call that puts ``option`` in writing."""
    parts = ["negplan agreement CASE_FILE", f"--option {option.kind.value}"]
    if option.kind in REDUCTIONS:
        parts.append(f"--amount {quantize(option.total, case.currency)}")
    if option.kind is OptionKind.settlement_installments:
        parts.append(f"--installments {option.count}")
    if option.kind in (OptionKind.plan_full, OptionKind.plan_reduced, OptionKind.hardship_token):
        parts.append(f"--months {option.count}")
    parts.append(f"--first-due {option.payments[0].due.isoformat()}")
    if not option.within_authority:
        parts.append("--approved-by NAME")
    return " ".join(parts)


def missed_payment_terms(plan: Plan, rules: Rules) -> str:
    """What the agreement says about a missed payment (``agreements`` rules).

    On a time-barred debt the reinstated balance is not mentioned: it could not be enforced, and
    saying it is due again would imply it could (12 CFR 1006.26(b); CONC 7.15.4R).
    """
    terms = rules.agreements
    count = terms.missed_payments_before_default
    text = (
        f"A payment more than {terms.grace_period_days} days late counts as missed; after "
        f"{count} missed payment{'s' * (count != 1)} the agreement ends"
    )
    target = _target(plan)
    if not terms.reinstate_balance_on_default or plan.time_barred or target is None:
        return text + "."
    if target.kind in REDUCTIONS:
        return (
            text + " and the reduction is lost: the full balance, less what has been paid, is due."
        )
    if target.kind is OptionKind.hardship_token:
        return text + " and we review the account with them."
    return text + " and the rest of the balance is due at once."


# ----------------------------------------------------------------------------- do not say

_LEGAL_ACTION = (
    r"\b(law ?suits?|su(?:e|ed|es|ing)|court|legal (?:action|proceedings)|judge?ments?"
    r"|garnish\w*|wage attachment|bailiffs?|enforcement agents?|CCJs?)\b"
)
_OWED = (
    r"\b(you (?:still )?owe|legally (?:owed|owe|bound|required)|enforceable|obliged to pay"
    r"|have to pay|must pay)\b"
)
_THREAT = r"\b(arrest\w*|jail|prison|police|criminal|or else|last chance|final warning|seiz\w+)\b"
_THIRD_PARTIES = (
    r"\b(call|contact|speak to|tell|ask) (?:your|the debtor's|their) "
    r"(family|relatives|employer|neighbou?rs|friends|referees|colleagues)\b"
)
_ACTIONS = {
    "litigation": _LEGAL_ACTION,
    "agency": r"\b(collection agency|agency placement)\b",
    "debt_sale": r"\b(sell the account|debt buyer|sale of the account)\b",
}
_REPORTING = r"\b(credit (?:bureaus?|reference agenc\w+|information compan\w+|file|report|score))\b"


@dataclass(frozen=True)
class SayNot:
    """A class of phrases the script must not contain, and the rule it comes from."""

    name: str
    rule: str
    pattern: re.Pattern[str]


def say_not(case: Case, plan: Plan) -> list[SayNot]:
    """The phrases this case's script must not use, each tied to its "do not say" rule."""
    out: list[SayNot] = []

    def add(name: str, rule: str, pattern: str) -> None:
        out.append(SayNot(name, rule, re.compile(pattern, re.IGNORECASE)))

    for rule in plan.compliance.avoid:
        text = rule.lower()
        if re.search(r"lawsuit|court action|legal action|threatening suit", text):
            add("legal action", rule, _LEGAL_ACTION)
        if re.search(r"enforceable|legally owed|as if it were still owed", text):
            add("the debt is owed", rule, _OWED)
        if re.search(r"intimidate|humiliate", text):
            add("threats", rule, _THREAT)
        if re.search(r"family, referees|anyone but the debtor|anyone until", text):
            add("third parties", rule, _THIRD_PARTIES)
        if re.search(
            r"not intended|when legally it cannot|cannot legally be taken|false or misleading",
            text,
        ):
            lawful = {plan.batna.kind} if _batna_may_be_stated(case, plan) else set()
            for kind, pattern in _ACTIONS.items():
                if kind not in lawful:
                    add(f"{kind} (not the BATNA)", rule, pattern)
            add("threats", rule, _THREAT)
            if not case.creditor.reports_to_credit_bureaus:
                add("credit reporting (the creditor does not report)", rule, _REPORTING)
    return out


def _batna_may_be_stated(case: Case, plan: Plan) -> bool:
    """Whether the BATNA action is one the script may state (see :func:`consequences`)."""
    if _collection_on_hold(case):
        return False
    return plan.batna.kind != "litigation" or _litigation_lawful(case, plan)


def quoted_texts(case: Case, plan: Plan) -> list[str]:
    """Texts the script quotes rather than says: case data and the pre-flight's own wording."""
    texts: list[str | None] = [
        case.debtor.name,
        case.debtor.address,
        case.creditor.name,
        case.creditor.address,
        case.creditor.collector_name,
        case.debtor.flags.attorney_contact,
        case.notes,
        *(c.note for c in case.contacts),
        *(n.terms for n in case.previous_negotiations),
        *plan.compliance.disclosures,
        *plan.compliance.avoid,
        *(f.message for f in plan.compliance.findings),
        *(f.rule for f in plan.compliance.findings),
        plan.limitation.reason,
    ]
    return sorted({t for t in texts if t}, key=len, reverse=True)


def unlawful_lines(script: str, case: Case, plan: Plan) -> list[tuple[SayNot, str]]:
    """Lines of a rendered script that use a forbidden phrase in the script's own words.

    Quoted texts (case data, the required disclosures, the "do not say" list, the pre-flight's
    findings) are removed first: a note on file or a disclosure is not the script speaking.
    """
    own = script
    for text in quoted_texts(case, plan):
        own = own.replace(markdown_escape(text), " ").replace(text, " ")
    found: list[tuple[SayNot, str]] = []
    for line in own.splitlines():
        for rule in say_not(case, plan):
            if rule.pattern.search(line):
                found.append((rule, line))
    return found


# ----------------------------------------------------------------------------- rendering


def script_context(case: Case, plan: Plan, rules: Rules) -> dict[str, Any]:
    """Everything the template needs (a user template may use any of it)."""
    target = _target(plan)
    compliance = plan.compliance
    ladder = plan.ladder
    return {
        "case": case,
        "plan": plan,
        "rules": rules,
        "currency": case.currency,
        "country": _country(case),
        "product": _PRODUCT_WORDS[case.debt.product],
        "blocked": do_not_call(case, plan, rules),
        "cautions": [f for f in compliance.findings if f.level == "caution"],
        "disclosures": compliance.disclosures,
        "avoid": compliance.avoid,
        "facts": debt_facts(case, plan),
        "call_at": local_moment(
            compliance.next_window
            if compliance.verdict == "blocked" and compliance.next_window
            else plan.now,
            case,
        ),
        "contact_log": [c for c in case.contacts if c.note][-5:],
        "reason_questions": reason_questions(case, plan),
        "empathy": empathy_prompts(case, plan, rules),
        "target": target,
        "anchor": ladder[0] if ladder else None,
        "concessions": ladder[1:],
        "hardship_offer": (
            _condition(case, plan, rules, target)
            if target is not None and target.kind is OptionKind.hardship_token
            else None
        ),
        "benefits": benefits(case, plan, rules),
        "good_faith": good_faith_ask(plan),
        "objections": objections(case, plan, rules),
        "consequences": consequences(case, plan, rules),
        "agreement_command": agreement_command(case, target) if target is not None else None,
        "missed_payment": missed_payment_terms(plan, rules),
        "follow_up": follow_up(case, plan, rules),
        "no_zopa": no_zopa(plan),
        "closing": closing_without_deal(case, plan, rules),
        "plan_terms": sorted(plan.minimum_terms.minimum_plan_payment.items()),
        "disputed": disputed_part(case),
    }


def disputed_part(case: Case) -> tuple[Decimal, Decimal] | None:
    """(disputed, undisputed) when part of the balance is disputed and not yet verified."""
    flags = case.debtor.flags
    if not flags.disputed or flags.disputed_amount is None:
        return None
    if flags.disputed_amount >= case.balance:
        return None
    return flags.disputed_amount, case.balance - flags.disputed_amount


def render_script(case: Case, plan: Plan, rules: Rules, templates_dir: Path | None = None) -> str:
    """The call script ``CASE_ID.script.md`` as Markdown text."""
    return render(TEMPLATE, script_context(case, plan, rules), templates_dir)


def script_violations(script: str, case: Case, plan: Plan) -> Iterable[str]:
    """Human-readable lines for :func:`unlawful_lines` (e.g. to warn about a user template)."""
    for rule, line in unlawful_lines(script, case, plan):
        yield f"{rule.name} ({rule.rule}): {line.strip()}"
