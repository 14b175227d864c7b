"""The objection playbook: the five classic objections (and "it's too old" on a time-barred
debt), each with what to say, in this case's figures, and what to do, with the rule behind it.

Answers are said to the debtor (locale amounts, long dates); notes are for the executive. On an
extinguished debt no answer asks for or offers a payment (see ``negplan.script.facts``).
"""

from __future__ import annotations

from dataclasses import replace

from negplan.core.case import Case, NegotiationOutcome, OptionKind
from negplan.core.plan import Plan
from negplan.core.rules import Rules
from negplan.core.time_barred_words import time_barred_notice
from negplan.display import money
from negplan.records import record
from negplan.script.facts import (
    Speech,
    adviser,
    country,
    dispute,
    extinguished,
    good_faith_ask,
    review_date,
    target,
    token,
)
from negplan.script.points import offer_words


@record
class Objection:
    """One objection: what the debtor says, what to answer, and what to do (with the rule)."""

    says: str
    answers: list[str]
    notes: list[str]
    #: Which objection this is (``cant_afford``, ``dispute``, ``pay_later``, ``bankruptcy``,
    #: ``hostile``, ``time_barred``): the brief picks the ones this case is likely to hear by it.
    code: str = ""


def objections(case: Case, plan: Plan, rules: Rules) -> list[Objection]:
    """The five classic objections, answered lawfully with this case's numbers."""
    playbook = (
        ("cant_afford", _cant_afford),
        ("dispute", _dispute),
        ("pay_later", _pay_later),
        ("bankruptcy", _bankruptcy),
        ("hostile", _hostile),
    )
    out = [replace(answer(case, plan, rules), code=code) for code, answer in playbook]
    if plan.time_barred:
        out.append(replace(_time_barred_objection(case, plan), code="time_barred"))
    return out


def _no_payment_note(plan: Plan) -> str:
    return (
        f"The debt is extinguished ({extinguished(plan)}): do not ask for a payment, a date or "
        "an amount. If they want to pay anyway, agree nothing, say you will write to them, and "
        "refer it to counsel."
    )


def _cant_afford(case: Case, plan: Plan, rules: Rules) -> Objection:
    """Objection "I can't afford it": the budget, the target, a first payment."""
    if extinguished(plan):
        return Objection(
            "I can't afford it.",
            ["I understand. I'm not asking you for a payment today."],
            [_no_payment_note(plan)],
        )
    speech = Speech.of(case)
    afford = plan.affordability
    aim = target(plan)
    arrangement = token(plan)
    good_faith = good_faith_ask(plan)
    answers = ["I understand. Whatever we agree has to be something you can actually keep up."]
    if afford.affordable_monthly > 0:
        answers.append(
            f"From the budget you gave us, about {speech.money(afford.affordable_monthly)} a "
            "month is left after your essentials and other commitments. Does that still sound "
            "right?"
        )
    if aim is not None and aim.kind is not OptionKind.hardship_token:
        answers.append(offer_words(plan, aim, speech))
    if arrangement is not None:
        words = offer_words(plan, arrangement, speech)
        answers.append(f"If even that is too much right now: {words[0].lower()}{words[1:]}")
    if good_faith > 0:
        answers.append(
            f"Could you make a first payment of {speech.money(good_faith)} now, so the "
            "arrangement can start?"
        )
    notes = [
        "Go through the budget with them; ask, don't accuse"
        + (" (budget items to discuss: section 1)." if afford.flags else ".")
    ]
    notes.append(
        "Never suggest borrowing, selling belongings or skipping priority bills (rent, energy, "
        "tax, child support) to pay this account"
        + (" (CONC 7.3.10R)." if country(case) == "GB" else ".")
    )
    return Objection("I can't afford it.", answers, notes)


def _dispute(case: Case, plan: Plan, rules: Rules) -> Objection:
    """Objection "it's not my debt": stop collecting the disputed part; verification."""
    speech = Speech.of(case)
    where = country(case)
    creditor = case.creditor
    part = dispute(plan)
    balance = part.balance if part is not None else plan.balance
    made_up = (
        "how its balance is made up"
        if extinguished(plan)
        else f"how the {speech.money(balance)} balance is made up"
    )
    answers = [
        "Thank you for telling me. Is it the whole account you don't recognise, or the amount?",
        f"I can send you the details: the account {case.debt.account_ref} with {creditor.name}, "
        f"and {made_up}.",
    ]
    notes = []
    if part is not None:
        notes.append(
            f"{money(part.disputed, case.currency)} is already disputed and set aside: the "
            "offers in this script cover only the rest. A new dispute of more of it means the "
            "case must be re-planned before any offer is made."
        )
    if where == "US" and not creditor.is_debt_collector:
        # A first-party creditor owes no FDCPA validation rights, and its script promises none
        # (SPEC §6a "First-party creditors"); it still looks into a dispute before collecting.
        address = f" at {creditor.address}" if creditor.address else ""
        answers.append(
            f"You can tell us in writing what you dispute, to {creditor.name}{address}. We will "
            "look into it and send you what we find."
        )
        notes.append(
            "Stop asking for payment of the disputed part now and record the dispute in the case "
            "file (debtor.flags.disputed, and disputed_amount if only part is disputed). If the "
            "account is reported, report it as disputed (15 USC 1681s-2(a)(3)). Do not promise "
            "debt-collector validation rights: they do not apply to a creditor collecting its "
            "own debt."
        )
    elif where == "US":
        address = f" at {creditor.address}" if creditor.address else ""
        answers.append(
            f"You can dispute it in writing to {creditor.name}{address}. If you do that within "
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
            f"The validation notice was sent on {Speech.date(sent)}; the validation period runs "
            "30 days from its receipt (12 CFR 1006.34(b)(5))."
            if sent
            else "No validation notice has been sent yet, so the 30-day validation period has "
            "not started (12 CFR 1006.34)."
        )
    elif where == "GB":
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
    if extinguished(plan):
        return Objection(
            "I'll pay later.",
            ["There's no need to promise anything today."],
            [_no_payment_note(plan)],
        )
    speech = Speech.of(case)
    arrangement = token(plan)
    good_faith = good_faith_ask(plan)
    hardship = case.finances.hardship
    answers = [
        "I hear you. Which date could you pay, and how much?",
        "What will be different on that date?",
    ]
    if hardship.temporary and hardship.expected_end is not None and arrangement is not None:
        answers.append(
            f"You expect things to improve around {speech.date(hardship.expected_end)}. Let's "
            f"set a small arrangement until then and look at it again on "
            f"{speech.date(review_date(plan, rules))}."
        )
    if good_faith > 0:
        answers.append(
            f"Could we fix the first payment for {speech.date(plan.first_due)}, with "
            f"{speech.money(good_faith)} now to hold it?"
        )
    broken = sum(n.outcome is NegotiationOutcome.broken_promise for n in case.previous_negotiations)
    notes = [
        "A vague 'later' is not a promise: get a date, an amount and how they will pay, and "
        "confirm it in writing. The first payment should be no later than "
        f"{Speech.date(plan.first_due)} (plans.first_payment_days)."
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
    where = country(case)
    answers = [
        "That's your right, and it's a big decision. It may help to talk it through with "
        f"{adviser(case)}.",
    ]
    if where == "US":
        answers.append(
            "If you do file, please let us know the case number and your attorney's details, "
            "so that we stop contacting you."
        )
    elif where == "GB":
        answers.append(
            "If you apply for bankruptcy or a debt relief order, please let us know, so that "
            "we can put the account on hold."
        )
    else:
        answers.append("If you begin insolvency proceedings, please let us know.")
    if target(plan) is not None:
        answers.append("In the meantime, the arrangement we talked about is still open to you.")
    notes = ["Do not argue, advise against it, or say what filing would lead to."]
    if where == "US":
        notes.append(
            "If they have already filed: stop collecting at once (11 USC 362, the automatic "
            "stay). Take the bankruptcy case number and their attorney's name, end the call "
            "politely, set debtor.flags.in_bankruptcy and refer the account to counsel."
        )
        notes.append(
            "If they say an attorney is handling this debt: ask for the attorney's name and "
            "number, stop discussing the debt and end the call (15 USC 1692c(a)(2))."
        )
    elif where == "GB":
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
    where = country(case)
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
    }.get(where, "fair treatment")
    notes = [
        "Keep your voice low and slow; don't interrupt or match their tone; never threaten, "
        f"insult or use obscene language ({rule}). End politely only if the abuse goes on.",
        "If they ask you not to call at this number or at this time, honour it and record it "
        "in the case file" + (" (12 CFR 1006.6(b)(1)(i), 1006.14(h))." if where == "US" else "."),
    ]
    if where == "US":
        notes.append(
            "A call back within 7 days after this conversation is lawful only with their "
            "express consent, given on this call (12 CFR 1006.14(b)(3)(i))."
        )
    return Objection("A hostile caller.", answers, notes)


def _time_barred_objection(case: Case, plan: Plan) -> Objection:
    """The debt is past its limitation period: never argue, never imply it can be enforced."""
    where = country(case)
    by = extinguished(plan)
    if by:
        return Objection(
            "It's too old. Why should I pay?",
            ["You're right that this debt is old. I'm not asking you to pay it."],
            [
                f"The debt is extinguished ({by}): do not ask for payment or suggest that any "
                "is owed. Refer any question about it to counsel.",
            ],
        )
    if where == "GB":
        return Objection(
            "It's too old: it's statute-barred.",
            ["You're right that this debt is statute-barred. Any payment would be voluntary."],
            [
                "If they say they will not pay because it is statute-barred, stop asking for "
                "payment, thank them and end the call (CONC 7.15.8).",
            ],
        )
    rule = "12 CFR 1006.26(b)" if where == "US" else "the limitation law"
    notice = time_barred_notice(case, plan.tables, plan.as_of) if where == "US" else None
    if notice is not None and notice.revival:
        restart = (
            "If they ask whether paying, promising or signing anything affects the time limit, "
            "read that part of the time-barred disclosure at the top of this script to them "
            f"again, word for word ({notice.citation}). Add nothing, and give no legal advice."
        )
    else:
        restart = (
            "If they ask whether paying affects the time limit, read the time-barred "
            "disclosure at the top of this script again, word for word, and add nothing: it "
            "says what the law requires here. Give no legal advice; they may ask "
            f"{adviser(case)}."
        )
    return Objection(
        "It's too old. Why should I pay?",
        [
            "You're right that this debt is old. Paying it is your choice, and we can agree "
            "an amount that works for you.",
        ],
        [
            "Answer any question about the debt's age truthfully, using the time-barred "
            f"disclosure at the top of this script and nothing beyond it ({rule}).",
            restart,
        ],
    )
