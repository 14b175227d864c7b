"""The call script ``CASE_ID.script.md``: its context, and rendering it.

The template (``templates/call_script.md.j2``) holds the prose and the order of the call; the
``negplan.script_*`` modules decide what is *true* for one case and put it into sentences:

* ``script_case``: the deal worked towards, what may be asked for (nothing on an extinguished
  debt), the disputed part, and how figures are said to the debtor;
* ``script_points``: the offers, the facts of the debt, what is at stake, the conversation;
* ``script_objections``: the objection playbook;
* ``script_close``: the terms in writing, a missed payment, the follow-up, ending without a deal;
* ``script_blocked``: the notice heading a blocked case;
* ``script_check``: the "do not say" list and the check of a rendered script against it.

This module assembles :func:`script_context` (everything a template, the packaged one or a
user's, may use) and renders it. The names other modules import from ``negplan.script.compose`` are
re-exported here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from negplan.core.case import Case, OptionKind
from negplan.core.ladder import Rung, describe
from negplan.core.plan import Plan, judge_for
from negplan.core.rules import Rules
from negplan.display import long_date, money
from negplan.io.templates import render
from negplan.money import ZERO
from negplan.records import record
from negplan.script.blocked import DoNotCall, do_not_call, local_moment
from negplan.script.check import (
    SayNot,
    quoted_texts,
    say_not,
    script_avoid,
    script_violations,
    unlawful_lines,
)
from negplan.script.close import (
    CASE_FILE_PLACEHOLDER,
    agreement_command,
    call_day,
    closing_without_deal,
    code_fence,
    follow_up,
    how_to_pay,
    missed_payment_terms,
    next_conversation,
    recorded_down_payment,
)
from negplan.script.facts import (
    PRODUCT_WORDS,
    Dispute,
    Speech,
    balance_words,
    country,
    dispute,
    dispute_summary,
    extinguished,
    good_faith_ask,
    no_zopa,
    reportable,
    review_date,
    script_locale,
    target,
)
from negplan.script.objections import Objection, objections
from negplan.script.points import (
    benefits,
    consequences,
    debt_statement,
    empathy_prompts,
    offer_words,
    reason_questions,
    trade_words,
)
from negplan.wording import language_gap

__all__ = [
    "TEMPLATE",
    "Dispute",
    "DoNotCall",
    "Objection",
    "SayNot",
    "ScriptStep",
    "agreement_command",
    "benefits",
    "call_day",
    "closing_without_deal",
    "consequences",
    "debt_facts",
    "do_not_call",
    "empathy_prompts",
    "follow_up",
    "good_faith_ask",
    "local_moment",
    "missed_payment_terms",
    "next_conversation",
    "no_zopa",
    "objections",
    "quoted_texts",
    "reason_questions",
    "render_script",
    "reportable",
    "review_date",
    "say_not",
    "script_context",
    "script_violations",
    "unlawful_lines",
]

TEMPLATE = "call_script.md.j2"

#: Why nothing may be said about a step the creditor has not decided on, by country.
NO_THREAT_RULES = {
    "US": "15 USC 1692e(5)",
    "GB": "CONC 7.11.6R",
    "IN": "RBI circular of 12 Aug 2022",
}


@record
class ScriptStep:
    """A concession on the ladder: the rung (executive's label, figures) and what to say."""

    rung: Rung
    says: str


def debt_facts(case: Case, plan: Plan) -> list[tuple[str, str]]:
    """The facts to verify in the file before dialling (for the executive: ISO-coded money)."""
    cur = case.currency
    debt = case.debt
    part = dispute(plan)
    parts = [f"principal {money(debt.balance.principal, cur)}"]
    if debt.balance.interest:
        parts.append(f"interest {money(debt.balance.interest, cur)}")
    if debt.balance.fees:
        parts.append(f"fees {money(debt.balance.fees, cur)}")
    whole = part.balance if part is not None else plan.balance
    facts = [
        ("Account", f"{PRODUCT_WORDS[debt.product]} {debt.account_ref} with {case.creditor.name}"),
        ("Balance", f"{money(whole, cur)} ({', '.join(parts)})"),
    ]
    if part is not None:
        facts.append(
            (
                "Disputed",
                f"{money(part.disputed, cur)}, not yet verified: not collected until the "
                "dispute is resolved",
            )
        )
        facts.append(
            ("Undisputed", f"{money(part.undisputed, cur)}: what this script's figures cover")
        )
    facts.append(
        ("Past due", f"since {long_date(debt.first_delinquency)} ({plan.days_past_due} days)")
    )
    last = case.payment_history[-1] if case.payment_history else None
    if last is not None:
        facts.append(("Last payment", f"{money(last.amount, cur)} on {long_date(last.date)}"))
    elif debt.last_payment is not None:
        facts.append(("Last payment", long_date(debt.last_payment)))
    else:
        facts.append(("Last payment", "none on record"))
    if debt.charged_off:
        word = "Defaulted" if country(case) == "GB" else "Charged off"
        facts.append((word, long_date(debt.charged_off)))
    if country(case) == "US":
        sent = debt.validation_notice_sent
        facts.append(("Validation notice", f"sent {long_date(sent)}" if sent else "not sent"))
    facts.append(("Limitation", plan.limitation.reason))
    return facts


def _opening(plan: Plan, speech: Speech) -> str:
    """What precedes the anchor in section 6."""
    if plan.time_barred:
        return "I'd like to help you resolve this account."
    if dispute(plan) is not None:
        return f"I'd like to resolve {balance_words(plan, speech)} today."
    return f"We need to resolve {balance_words(plan, speech)}."


def script_context(
    case: Case, plan: Plan, rules: Rules, case_file: str | Path | None = None
) -> dict[str, Any]:
    """Everything the template needs (a user template may use any of it).

    ``case`` is the case as loaded (its balance whole); ``plan.case`` is the case as planned.
    ``case_file`` is the path the ``negplan agreement`` command names (``CASE_FILE`` if not
    given).
    """
    aim = target(plan)
    compliance = plan.compliance
    speech = Speech.of(case)
    by = extinguished(plan)
    ladder = [] if by else plan.ladder
    anchor = ladder[0] if ladder else None
    good_faith = good_faith_ask(plan)
    hardship = aim if aim is not None and aim.kind is OptionKind.hardship_token else None
    down_payment = recorded_down_payment(plan, rules, aim, good_faith) if aim else ZERO
    command = (
        agreement_command(case, rules, aim, case_file=case_file, down_payment=down_payment)
        if aim is not None
        else None
    )
    return {
        "case": case,
        "plan": plan,
        "rules": rules,
        "currency": case.currency,
        "locale": script_locale(case),
        "speech": speech,
        "country": country(case),
        "product": PRODUCT_WORDS[case.debt.product],
        "blocked": do_not_call(case, plan, rules),
        "cautions": [f for f in compliance.findings if f.level == "caution"],
        "disclosures": compliance.disclosures,
        "avoid": [*compliance.avoid, *script_avoid(case, plan)],
        "facts": debt_facts(case, plan),
        "call_at": local_moment(
            compliance.next_window
            if compliance.verdict == "blocked" and compliance.next_window
            else plan.now,
            case,
        ),
        "contact_log": [c for c in case.contacts if c.note][-5:],
        "debt_said": debt_statement(case, plan, speech),
        "reason_questions": reason_questions(case, plan),
        "empathy": empathy_prompts(case, plan, rules),
        "target": aim,
        "target_offer": describe(judge_for(plan, rules), aim)[0] if aim is not None else None,
        "anchor": anchor,
        "anchor_says": (
            f"{_opening(plan, speech)} {offer_words(plan, anchor.option, speech)}"
            if anchor is not None
            else None
        ),
        "towards_says": f"I'd like to understand what you can do towards "
        f"{balance_words(plan, speech)}.",
        "concessions": ladder[1:],
        "steps": [
            ScriptStep(r, offer_words(plan, r.option, speech) + trade_words(r, speech))
            for r in ladder[1:]
        ],
        "hardship_offer": offer_words(plan, hardship, speech) if hardship is not None else None,
        "benefits": benefits(case, plan, rules),
        "good_faith": good_faith,
        "down_payment": down_payment,
        "objections": objections(case, plan, rules),
        "consequences": consequences(case, plan, rules),
        "agreement_command": command,
        "agreement_fence": code_fence(command or ""),
        "case_file": CASE_FILE_PLACEHOLDER if case_file is None else str(case_file),
        "missed_payment": missed_payment_terms(plan, rules),
        "how_to_pay": how_to_pay(case),
        "follow_up": follow_up(case, plan, rules),
        "no_zopa": no_zopa(plan),
        "closing": closing_without_deal(case, plan, rules),
        "plan_terms": sorted(plan.minimum_terms.minimum_plan_payment.items()),
        "disputed": dispute(plan),
        "dispute_note": dispute_summary(plan),
        "extinguished": by,
        "language_note": language_gap(case.debtor.language),
        "no_threat_rule": NO_THREAT_RULES.get(country(case), "15 USC 1692e(5)"),
    }


def render_script(
    case: Case,
    plan: Plan,
    rules: Rules,
    templates_dir: Path | None = None,
    case_file: str | Path | None = None,
) -> str:
    """The call script ``CASE_ID.script.md`` as Markdown text.

    ``case_file``: the case file's path, for the ``negplan agreement`` command in the script.
    """
    return render(TEMPLATE, script_context(case, plan, rules, case_file), templates_dir)
