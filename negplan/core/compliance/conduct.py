"""Checks about how the debtor may be contacted and what the collector owes them (SPEC §6a).

* **Opt-outs** (``debtor.opt_outs``): a phone opt-out blocks the call (12 CFR 1006.14(h)); a
  ``work`` opt-out forbids calling the debtor at work; an email, text or letter opt-out is a
  channel no follow-up may use.
* **Credit reporting** by a debt collector only after it has communicated with the debtor
  (12 CFR 1006.30(a)).
* **Recording:** where any place the debtor may be requires every party's consent, the call
  opens with the recording notice (``compliance.calls_recorded`` in the rules).
* **Duties** of the jurisdiction on every call (UK CONC 7.3 as amended by PS24/2; India's RBI
  recovery-agent instructions), and **vulnerability** prompts (FCA FG21/1).
* **First-party creditors**: an original creditor collecting its own debt is not a debt
  collector (15 USC 1692a(6)); the collector-only checks are skipped, and the brief says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from negplan.core.case import Channel, ContactOutcome, Direction, NoDealAction, OptOut
from negplan.core.compliance.overrides import Level
from negplan.core.compliance.verdict import Finding

if TYPE_CHECKING:
    from negplan.core.case import Case
    from negplan.core.compliance.profiles import Profile
    from negplan.core.tables import Tables

#: Opt-outs that name a channel no follow-up may use, with the words for it.
_CHANNEL_WORDS = {
    OptOut.sms: "text messages",
    OptOut.email: "email",
    OptOut.letter: "letters",
}


@dataclass
class Conduct:
    """Findings and disclosures from the contact and duty checks (the recording notice is the
    only disclosure, and it opens the call, before anything is said about the debt)."""

    findings: list[Finding] = field(default_factory=list)
    disclosures: list[str] = field(default_factory=list)
    #: A block no date lifts (a phone opt-out stays until the debtor withdraws it). The
    #: findings' messages say what to do; the avoid-lines stay with the profiles, each of which
    #: the script's wording check enforces.
    open_ended: bool = False

    def add(self, check: str, level: Level, message: str, rule: str) -> None:
        self.findings.append(Finding(check=check, level=level, message=message, rule=rule))


def initial_communication(case: Case, zone: ZoneInfo, now: datetime) -> date | None:
    """The local day of the first communication about the debt, if any is logged: a telephone
    conversation, a letter, email or text sent, or a meeting (15 USC 1692a(2))."""
    days = [
        contact.at.astimezone(zone).date()
        for contact in case.contacts
        if contact.at <= now
        and (
            (contact.channel is Channel.phone and contact.outcome is ContactOutcome.conversation)
            or (
                contact.channel in (Channel.letter, Channel.email, Channel.sms)
                and contact.direction is Direction.outbound
                and contact.outcome is ContactOutcome.sent
            )
            or contact.channel is Channel.in_person
        )
    ]
    return min(days) if days else None


def opt_outs(case: Case, profile: Profile, out: Conduct) -> None:
    chosen = case.debtor.opt_outs
    rules = profile.contact
    if OptOut.phone in chosen:
        out.add(
            "opt_out_phone",
            "blocked",
            "The debtor asked not to be called: do not call; use a channel they have not opted "
            "out of.",
            rules.opt_out_rule,
        )
        out.open_ended = True
    if OptOut.work in chosen:
        out.add(
            "opt_out_work",
            "caution",
            "The debtor asked not to be contacted at work: call only a personal number, and end "
            "the call if they say they are at work.",
            rules.work_rule,
        )
    channels = [_CHANNEL_WORDS[c] for c in chosen if c in _CHANNEL_WORDS]
    if channels:
        listed = ", ".join(channels)
        out.add(
            "opt_out_channels",
            "info",
            f"The debtor opted out of {listed}: do not promise or send anything by "
            f"{'that channel' if len(channels) == 1 else 'those channels'}.",
            rules.opt_out_rule,
        )


def first_party(case: Case, profile: Profile, out: Conduct) -> None:
    """Say why the collector-only checks were skipped for an original creditor."""
    if case.creditor.is_debt_collector or profile.collector_disclosure is None:
        return
    out.add(
        "first_party",
        "info",
        "Original creditor collecting its own debt: the FDCPA and Regulation F duties of debt "
        "collectors (validation notice, debt-collector disclosure) do not apply. negplan still "
        "keeps to Regulation F's call times and frequency.",
        "15 USC 1692a(6) (an original creditor is not a debt collector)",
    )


def credit_reporting(case: Case, profile: Profile, communicated: bool, out: Conduct) -> None:
    rule = profile.credit_reporting
    creditor = case.creditor
    if rule is None or not creditor.is_debt_collector:
        return
    plans_to = creditor.reports_to_credit_bureaus or (
        case.no_deal is not None and NoDealAction.credit_reporting in case.no_deal.actions
    )
    if not plans_to:
        return
    if communicated:
        out.add(
            "credit_reporting",
            "info",
            "The collector has communicated with the debtor about the debt, so it may report it.",
            rule.rule,
        )
        return
    out.add("credit_reporting", rule.level, " ".join(rule.message.split()), rule.rule)


def recording(
    case: Case,
    profile: Profile,
    tables: Tables,
    places: tuple[str, ...],
    recorded: bool,
    out: Conduct,
) -> None:
    rule = profile.recording_notice
    if rule is None or not recorded:
        return
    laws = [tables.recording_consent[p] for p in places if p in tables.recording_consent]
    if not laws:
        return
    out.disclosures.append(rule.text)
    out.add(
        "recording_consent",
        "info",
        "All-party consent to recording where the debtor may be: open the call by saying it is "
        "recorded, and stop recording if the debtor objects.",
        "; ".join(dict.fromkeys(laws)),
    )


def duties(case: Case, profile: Profile, out: Conduct) -> None:
    for duty in profile.duties:
        out.add(duty.check, duty.level, " ".join(duty.message.split()), duty.rule)
    rule = profile.vulnerability
    if rule is None:
        return
    for driver in case.debtor.vulnerabilities:
        prompt = rule.prompts.get(driver.value)
        if prompt is not None:
            out.add(
                f"vulnerability_{driver.value}", rule.level, " ".join(prompt.split()), rule.rule
            )
