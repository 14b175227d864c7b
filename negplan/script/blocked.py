"""The notice that heads a blocked case's call script: the blocking findings, when calls may
resume (in the debtor's local time), and the steps that are still lawful.

A time-limited block (call window, 7-in-7, an inconvenient time) is followed by the full script
for the call at that time; a flag with no end (attorney, cease, bankruptcy, death, a dispute of
the whole balance) leaves the call out, and names whom terms may be discussed with instead.
"""

from __future__ import annotations

from datetime import datetime

from negplan.core.case import Case
from negplan.core.compliance.preflight import Finding
from negplan.core.plan import Plan
from negplan.core.rules import Rules
from negplan.display import long_date
from negplan.records import record
from negplan.script.facts import country


@record
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
    where = country(case)
    flags = case.debtor.flags
    check = finding.check
    if check == "call_frequency":
        when = f"before {lifts}" if lifts else "until the block lifts"
        return [
            f"Do not call {when}. The limit is on telephone calls; a letter or email is not "
            "counted."
        ]
    if check == "state_contact_limit":
        when = f"before {lifts}" if lifts else "until the block lifts"
        return [f"Do not call {when}, nor send what the state counts. {finding.message}"]
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
        if where == "US":
            steps.append(
                "Direct contact may resume only if the attorney consents, does not respond "
                "within a reasonable time, or stops representing the debtor (15 USC 1692c(a)(2))."
            )
        return steps
    if check == "cease_communication":
        if where == "US":
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
        }.get(where, "confirm with counsel whether a moratorium applies")
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
    timed = {"call_window", "inconvenient_time", "call_frequency", "state_contact_limit"}
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
