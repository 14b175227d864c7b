"""The end of the call and after it: the terms in writing, a missed payment, the follow-up, and
ending a call that cannot reach a deal.

* :func:`agreement_command`: the ``negplan agreement`` command that puts the recommended terms in
  writing, for the real case file, with the good-faith payment taken on the call as
  ``--down-payment`` (it is part of the agreed total).
* :func:`how_to_pay`: how and where to pay, with the reference, as the agreement says it.
* :func:`missed_payment_terms`: what the written agreement says happens on a missed payment
  (``agreements`` rules), in the agreement's own terms.
* :func:`follow_up`: the written agreement, a reminder, checking the first payment, and the next
  lawful call (Regulation F's 7 days after a conversation, 12 CFR 1006.14(b)(2)).
* :func:`closing_without_deal`: keep the door open when no deal is possible today.
"""

from __future__ import annotations

import re
import shlex
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from negplan.core.case import Case, OptionKind
from negplan.core.compliance.profiles import resolve_profile
from negplan.core.options import Option
from negplan.core.plan import Plan
from negplan.core.rules import Rules
from negplan.core.tables import Tables
from negplan.jurisdictions import parse_jurisdiction
from negplan.money import ZERO, quantize
from negplan.script.facts import (
    REDUCTIONS,
    Speech,
    country,
    dispute,
    extinguished,
    review_date,
    target,
    token,
)

#: What the agreement command names the case file when the caller does not know its path.
CASE_FILE_PLACEHOLDER = "CASE_FILE"

#: Days before calling again after a conversation that ended without a deal, where the law sets
#: no quiet period (UK, India): a week, mirroring Regulation F's 7-day benchmark. Firm practice.
FOLLOW_UP_DAYS = 7


# ----------------------------------------------------------------------------- in writing


def agreement_command(
    case: Case,
    rules: Rules,
    option: Option,
    *,
    case_file: str | Path | None = None,
    down_payment: Decimal = ZERO,
) -> str:
    """The ``negplan agreement`` call that puts ``option`` in writing.

    ``case_file`` is shell-quoted (``CASE_FILE`` when not known). ``down_payment`` is the
    good-faith payment taken on the call (see :func:`recorded_down_payment`): part of the total
    and one of its payments, so where the option already has the most payments the rules allow
    (``settlement.max_installments``, ``plans.max_months``), one fewer is scheduled after it.
    """
    path = CASE_FILE_PLACEHOLDER if case_file is None else shlex.quote(str(case_file))
    scheduled = option.count
    if down_payment > ZERO:
        limit = (
            rules.settlement.max_installments
            if option.kind is OptionKind.settlement_installments
            else rules.plans.max_months
        )
        if scheduled + 1 > limit:
            scheduled -= 1
    parts = ["negplan agreement", path, f"--option {option.kind.value}"]
    if option.kind in REDUCTIONS:
        parts.append(f"--amount {quantize(option.total, case.currency)}")
    if option.kind is OptionKind.settlement_installments:
        parts.append(f"--installments {scheduled}")
    if option.kind in (OptionKind.plan_full, OptionKind.plan_reduced, OptionKind.hardship_token):
        parts.append(f"--months {scheduled}")
    parts.append(f"--first-due {option.payments[0].due.isoformat()}")
    if down_payment > ZERO:
        parts.append(f"--down-payment {quantize(down_payment, case.currency)}")
    if not option.within_authority:
        parts.append("--approved-by NAME")
    return " ".join(parts)


def how_to_pay(case: Case) -> dict[str, str | None]:
    """How and where to pay, with the reference, as the written agreement prints it
    (``creditor.payment_instructions``; SPEC §6a "Agreements";
    :func:`negplan.agreement.clauses.payment`): ``instructions`` to convey (written for the
    document, so not read out as they stand), ``say`` the reference to quote, and a ``note``
    for the executive when the case file has no instructions."""
    creditor = case.creditor
    say = f"Please quote the reference {case.case_id} with every payment."
    if creditor.payment_instructions:
        how = " ".join(creditor.payment_instructions.split())
        return {"instructions": how, "say": say, "note": None}
    name = creditor.name if creditor.name.endswith(".") else f"{creditor.name}."
    return {
        "instructions": None,
        "say": f"{say} Pay only into an account in the name of {name}",
        "note": "The case file has no payment instructions: give them your payment details from "
        "your own system, and add them to the case file as creditor.payment_instructions so the "
        "written agreement prints them.",
    }


def recorded_down_payment(plan: Plan, rules: Rules, option: Option, good_faith: Decimal) -> Decimal:
    """The good-faith payment as the agreement's ``--down-payment``, or 0 where the written
    agreement cannot record one: a hardship arrangement (the same payment each month) or a
    step-up plan (its amounts follow from the hardship's expected end), a down payment not
    below the total, or a full repayment under contract interest (an annuity on the
    balance, which a down payment would change)."""
    if good_faith <= ZERO or option.kind in (OptionKind.hardship_token, OptionKind.plan_step_up):
        return ZERO
    if good_faith >= option.total:
        return ZERO
    full = option.kind in (OptionKind.pay_in_full, OptionKind.plan_full)
    if full and rules.plans.interest == "contract" and plan.case.debt.annual_rate > 0:
        return ZERO
    return good_faith


def code_fence(text: str) -> str:
    """A Markdown fence longer than any run of backticks in ``text`` (a path may hold some)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def missed_payment_terms(plan: Plan, rules: Rules) -> str | None:
    """What the agreement says about a missed payment (``agreements`` rules); ``None`` when no
    agreement is proposed (an extinguished debt).

    On a time-barred debt the arrangement simply ends: a balance falling due again is not
    mentioned, since it could not be enforced and saying it would imply it could
    (12 CFR 1006.26(b); CONC 7.15.4R). While a dispute is open, only the undisputed balance is
    spoken of (15 USC 1692g(b)).
    """
    if extinguished(plan):
        return None
    terms = rules.agreements
    count = terms.missed_payments_before_default
    grace = terms.grace_period_days
    late = (
        f"A payment more than {grace} day{'s' * (grace != 1)} late counts as missed"
        if grace
        else "A payment not received by its due date counts as missed"
    )
    cure = terms.cure_days
    notice = (
        f"; we send a written notice and they have {cure} days to make it up"
        if cure
        else "; we send a written notice"
    )
    text = f"{late}{notice}; after {count} missed payment{'s' * (count != 1)} not made up,"
    aim = target(plan)
    balance = "the undisputed balance" if dispute(plan) is not None else "the balance"
    if plan.time_barred or aim is None:
        return f"{text} the agreement simply ends."
    if aim.kind is OptionKind.hardship_token:
        return f"{text} the arrangement ends, and {balance}, less the payments made, remains due."
    if aim.kind in REDUCTIONS and terms.reinstate_balance_on_default:
        full = "the full undisputed balance" if dispute(plan) is not None else "the full balance"
        return f"{text} the reduction ends: {full}, less the payments made, becomes due again."
    if aim.kind in REDUCTIONS:
        return (
            f"{text} the agreement ends and the unpaid part of the agreed total becomes due "
            "at once."
        )
    return f"{text} the agreement ends and {balance}, less the payments made, becomes due."


# ----------------------------------------------------------------------------- after the call


def quiet_days(case: Case, rules: Rules, tables: Tables) -> int | None:
    """Days (the conversation's day counting as day 1) with no further call after a conversation."""
    jurisdiction = parse_jurisdiction(case.jurisdiction)
    shipped = tables.profile(jurisdiction.code)
    profile = resolve_profile(shipped, jurisdiction, rules.compliance).profile
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
    quiet = quiet_days(case, rules, plan.tables)
    next_call = day + timedelta(days=quiet or FOLLOW_UP_DAYS)
    aim = target(plan)
    first_due = plan.first_due
    grace = rules.agreements.grace_period_days
    when = Speech.date
    out: list[str] = []
    if quiet:
        out.append(
            f"Log this call as a conversation in the case file. It starts a {quiet}-day quiet "
            f"period: no further call through {when(next_call - timedelta(days=1))}; "
            f"the next call may be on {when(next_call)} or later, unless they ask for "
            "one sooner on this call."
        )
    else:
        out.append(
            "Log this call and its outcome in the case file. Without a deal, give them a week "
            f"before the next call: {when(next_call)} or later (firm practice)."
        )
    by = extinguished(plan)
    if by:
        out.append(
            f"Refer the account to counsel before any further contact about it: the debt is "
            f"extinguished ({by}). Send no agreement and no written request for payment."
        )
        return out
    if aim is not None:
        out.append(
            "Send the written agreement today, so it arrives before the first payment on "
            f"{when(first_due)}."
        )
        remind = max(first_due - timedelta(days=3), day + timedelta(days=1))
        # Only by a channel the debtor has not opted out of (debtor.opt_outs, 12 CFR 1006.14(h)).
        allowed = [
            word
            for channel, word in (("email", "email"), ("sms", "text"), ("letter", "letter"))
            if channel not in {o.value for o in case.debtor.opt_outs}
        ]
        if allowed:
            how = " or ".join(allowed) if len(allowed) < 3 else "email, text or letter"
            reminder = f"Send a written reminder ({how}) on {when(remind)}"
            if country(case) == "US" and {"email", "text"} & set(allowed):
                reminder += "; an email or text must offer a way to opt out (12 CFR 1006.6(e))"
            out.append(reminder + ".")
        check = max(first_due + timedelta(days=1), next_call)
        out.append(
            f"Check the first payment on {when(first_due)}. If it has not arrived, call "
            f"on {when(check)} or later, within the {grace}-day grace period (until "
            f"{when(first_due + timedelta(days=grace))})."
        )
    if aim is not None and aim.kind is OptionKind.hardship_token:
        out.append(
            f"Review the hardship arrangement on {when(review_date(plan, rules))}: ask for "
            "an updated budget and re-plan."
        )
    if aim is None or aim.kind is OptionKind.hardship_token:
        out.append(
            "If nothing is agreed: speak again around "
            f"{when(next_conversation(case, plan, rules))}, and not before {when(next_call)}."
        )
    elif quiet:
        out.append(f"If nothing is agreed: next call on {when(next_call)} or later.")
    return out


def next_conversation(case: Case, plan: Plan, rules: Rules) -> date:
    """When to speak again after a call without a deal: after the quiet period, or when a
    temporary hardship is expected to end, whichever is later."""
    hardship = case.finances.hardship
    next_call = call_day(case, plan) + timedelta(
        days=quiet_days(case, rules, plan.tables) or FOLLOW_UP_DAYS
    )
    if hardship.temporary and hardship.expected_end is not None:
        return max(hardship.expected_end, next_call)
    return next_call


def closing_without_deal(case: Case, plan: Plan, rules: Rules) -> list[str]:
    """How to end a call that cannot reach a deal, keeping the door open."""
    speech = Speech.of(case)
    hardship = case.finances.hardship
    arrangement = token(plan)
    out = [
        "Thank you for talking this through with me today. I know it isn't easy.",
        "Let me make sure I've understood your situation: [summarise what you heard].",
    ]
    if arrangement is not None and hardship.temporary:
        out.append(
            f"While things are hard, we can hold the account on "
            f"{speech.money(arrangement.installment)} a month for {arrangement.count} months, "
            f"and look at it again on {speech.date(review_date(plan, rules))}."
        )
    out.append(
        f"I'd like to speak again around {speech.date(next_conversation(case, plan, rules))}. "
        "If anything changes before then, "
        + (f"call us on {case.creditor.phone}." if case.creditor.phone else "please call us.")
    )
    if country(case) == "GB":
        out.append(
            "Free, independent debt advice is available from MoneyHelper, StepChange and "
            "National Debtline."
        )
    return out
