"""The compliance pre-flight (SPEC §6): may this debtor be called now, and what must be said?

:func:`preflight` runs every check of the jurisdiction's profile and returns a
:class:`Preflight`: a verdict (``clear``, ``caution`` or ``blocked``), the findings behind it,
each naming its source, the texts the collector must say, the things the script must not say, and
the next moment a call would be lawful (``None`` when a flag blocks calls with no known end).

The verdict is ``blocked`` if any finding is, else ``caution`` if any finding is, else ``clear``.
Time-based blocks (call window, inconvenient times, call frequency, a breathing space of known
length) lift by themselves; :attr:`Preflight.next_window` is the first moment at which all of them
have lifted, found by walking forward day by day in the debtor's local time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from negplan.core.compliance import conduct
from negplan.core.compliance.calls import (
    Span,
    call_frequency,
    contains,
    lawful_in,
    lawful_window,
    next_window,
    open_intervals,
)
from negplan.core.compliance.limitation import Limitation
from negplan.core.compliance.locations import case_places, debtor_locations
from negplan.core.compliance.overrides import FlagName, Level
from negplan.core.compliance.profiles import FlagRule, Profile, resolve_profile
from negplan.core.compliance.state_rules import applicable_rows, state_limit
from negplan.core.compliance.verdict import (
    Finding,
    Preflight,
    Verdict,
    verdict_of,
    verdict_reason,
)
from negplan.core.time_barred_words import notice_cautions, time_barred_notice
from negplan.jurisdictions import Jurisdiction, parse_jurisdiction

if TYPE_CHECKING:
    from negplan.core.case import Case
    from negplan.core.rules import Rules
    from negplan.core.tables import Tables

#: Flags whose block has no end the pre-flight can know (someone must clear the flag).
_OPEN_ENDED_FLAGS: tuple[FlagName, ...] = (
    "cease_communication",
    "attorney_represented",
    "in_bankruptcy",
    "deceased",
)
#: Flags that ask for care on the call rather than block it (their level comes from the profile).
_CAUTION_FLAGS: tuple[FlagName, ...] = ("servicemember", "financial_assistance_pending")


class _Fill(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, **values: str) -> str:
    """Fill ``{placeholders}`` in profile text; unknown ones are left as written."""
    try:
        return " ".join(template.format_map(_Fill(values)).split())
    except (ValueError, IndexError, AttributeError):
        return " ".join(template.split())


def _short(source: str) -> str:
    """A limitation source without its notes: ``US-CA written: 4 years``."""
    return source.split(" (", 1)[0]


def _local(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def _offset(moment: datetime) -> str:
    text = moment.strftime("%z")
    return f"UTC{text[:3]}:{text[3:]}"


class _Checks:
    """Collects findings, disclosures and avoid-lines for one case."""

    def __init__(self, case: Case, profile: Profile, tables: Tables, now: datetime) -> None:
        self.case = case
        self.tables = tables
        self.profile = profile
        self.now = now
        self.zone = case.debtor.zone
        self.local_now = now.astimezone(self.zone)
        self.today = self.local_now.date()
        self.findings: list[Finding] = []
        self.disclosures: list[str] = []
        self.avoid: list[str] = []
        self.open_ended = False  # a block with no known end
        self.first_day = self.today  # first local day the dated blocks allow a call
        self.spans: list[Span] = []  # each zone with the times a call is lawful there
        self.locations = debtor_locations(case, tables)
        self.places = case_places(case)

    def add(self, check: str, level: Level, message: str, rule: str) -> None:
        self.findings.append(Finding(check=check, level=level, message=message, rule=rule))

    def not_before(self, day: date) -> None:
        self.first_day = max(self.first_day, day)

    # ------------------------------------------------------------------ time of the call

    def call_window(self) -> None:
        """The window must hold in every zone the debtor may be in (Reg F comment
        6(b)(1)(i)-1); the debtor's stated inconvenient times are read in their own zone."""
        rule = self.profile.call_window
        window = (rule.start_time, rule.end_time)
        moment = self.local_now.time()
        outside = [
            place for place in self.locations if not lawful_in(self.now, (place.tz, [window]))
        ]
        where = "; ".join(
            f"{_local(self.now.astimezone(p.tz))} in {p.zone} ({p.source})"
            for p in (outside or self.locations)
        )
        if not outside:
            message = (
                f"Inside the call window {rule.start}–{rule.end} everywhere the debtor may "
                f"be: {where}."
            )
            self.add("call_window", "info", message, rule.rule)
        else:
            message = (
                f"Outside the call window {rule.start}–{rule.end} where the debtor may be: "
                f"{where}. A time is convenient only if it is in every location known."
            )
            # Regulation F's commentary; elsewhere the same care is firm practice.
            every = (
                "comment 6(b)(1)(i)-1" if self.profile.code.startswith("US") else "firm practice"
            )
            self.add("call_window", "blocked", message, f"{rule.rule}; every place: {every}")

        inconvenient = self.case.debtor.inconvenient_ranges
        blocking = self.profile.inconvenient_times.level == "blocked"
        self.spans = [(self.zone, open_intervals(window, inconvenient if blocking else []))]
        self.spans += [
            (p.tz, [window]) for p in self.locations if p.zone != self.case.debtor.timezone
        ]
        listed = ", ".join(self.case.debtor.inconvenient_times)
        hit = [
            r
            for r, span in zip(self.case.debtor.inconvenient_times, inconvenient, strict=True)
            if contains(span, moment)
        ]
        if hit:
            self.add(
                "inconvenient_time",
                self.profile.inconvenient_times.level,
                f"The debtor said {hit[0]} local time is inconvenient, and it is "
                f"{_local(self.local_now)} there.",
                self.profile.inconvenient_times.rule,
            )
        elif listed:
            self.add(
                "inconvenient_time",
                "info",
                f"The debtor said these local times are inconvenient: {listed}; now is not one.",
                self.profile.inconvenient_times.rule,
            )

    def call_frequency(self) -> None:
        rule = self.profile.call_frequency
        if rule.max_calls_in_7_days is None and not rule.days_after_conversation:
            return
        frequency = call_frequency(
            self.case.contacts,
            self.zone,
            self.now,
            rule.max_calls_in_7_days,
            rule.days_after_conversation,
        )
        span = f"{frequency.window_start.isoformat()} to {frequency.today.isoformat()}"
        parts: list[str] = []
        cap = frequency.max_calls
        if cap is not None:
            count = f"{frequency.calls} outbound call{'s' * (frequency.calls != 1)} in {span}"
            if frequency.calls >= cap:
                parts.append(
                    f"{count}: a call now would be call {frequency.calls + 1}, more than "
                    f"{cap} in 7 consecutive days"
                )
            else:
                parts.append(f"{count}: a call now would be call {frequency.calls + 1} of {cap}")
        if frequency.conversation is not None and frequency.quiet_until is not None:
            parts.append(
                f"a telephone conversation on {frequency.conversation.isoformat()} (day 1) "
                f"means no calls through {frequency.quiet_until.isoformat()}"
            )
        message = "; ".join(parts)
        message = message[:1].upper() + message[1:]
        if not frequency.blocked:
            self.add("call_frequency", "info", message + ".", rule.rule)
        elif frequency.lifts is None:
            self.open_ended = True
            self.add("call_frequency", "blocked", message + ": no calls allowed.", rule.rule)
        else:
            self.not_before(frequency.lifts)
            self.add(
                "call_frequency",
                "blocked",
                f"{message}. Calls may resume on {frequency.lifts.isoformat()}.",
                rule.rule,
            )

    def state_limits(self) -> None:
        """State and city caps on communications (``us_state_contact_rules.csv``)."""
        rows = applicable_rows(
            self.tables.state_contact_rules, self.places, self.case.creditor.is_debt_collector
        )
        for row in rows:
            limit = state_limit(row, self.case.contacts, self.zone, self.now)
            if limit.blocked:
                self.not_before(limit.lifts)
            self.add("state_contact_limit", limit.level, limit.message, row.citation)

    # ------------------------------------------------------------------ the debtor's flags

    def flags(self) -> None:
        flags = self.case.debtor.flags
        contact = flags.attorney_contact or "no contact details on file"
        for name in _OPEN_ENDED_FLAGS:
            if getattr(flags, name):
                rule = self.profile.flags[name]
                message = _fill(rule.message, attorney_contact=contact)
                self.add(name, rule.level, message, rule.rule)
                self.open_ended |= rule.level == "blocked"
        if flags.disputed:
            self.disputed(self.profile.flags["disputed"])
        if flags.breathing_space:
            self.breathing_space(self.profile.flags["breathing_space"])
        for name in _CAUTION_FLAGS:
            if getattr(flags, name):
                rule = self.profile.flags[name]
                self.add(name, rule.level, " ".join(rule.message.split()), rule.rule)
        if flags.financial_assistance_pending and self.profile.flags[
            "financial_assistance_pending"
        ].level in ("caution", "blocked"):
            self.avoid.append(
                "Do not mention a sale of the debt, credit reporting or legal action while the "
                "financial-assistance application is open (26 CFR 1.501(r)-6(c)(8))"
            )

    def disputed(self, rule: FlagRule) -> None:
        """A dispute blocks the disputed amount (1692g(b)); the rest may still be collected."""
        disputed = self.case.debtor.flags.disputed_amount
        balance = self.case.balance
        if rule.level == "blocked" and disputed is not None and disputed < balance:
            currency = self.case.currency
            undisputed = balance - disputed
            message = (
                f"{disputed} {currency} of the {balance} {currency} balance is disputed and not "
                f"yet verified: do not collect that part until verification is mailed; only the "
                f"undisputed {undisputed} {currency} may be discussed."
            )
            self.add("disputed", "caution", message, rule.rule)
            self.avoid.append(
                f"Do not ask for payment of the disputed {disputed} {currency} until it is "
                f"verified ({rule.rule})"
            )
            return
        self.add("disputed", rule.level, _fill(rule.message), rule.rule)
        self.open_ended |= rule.level == "blocked"

    def breathing_space(self, rule: FlagRule) -> None:
        start = self.case.debtor.flags.breathing_space_start
        if rule.level != "blocked":
            self.add("breathing_space", rule.level, _fill(rule.message), rule.rule)
            return
        if rule.lifts_after_days is None or start is None:
            ends = "its end date is unknown: set flags.breathing_space_start, or clear the flag"
            if rule.lifts_after_days is None:
                ends = "its end date is unknown: clear the flag once it has ended"
            self.add("breathing_space", "blocked", _fill(rule.message, ends=ends), rule.rule)
            self.open_ended = True
            return
        # Conservative reading: the moratorium runs through the 60th day after its start.
        last_day = start + timedelta(days=rule.lifts_after_days)
        if self.today <= last_day:
            ends = (
                f"it started on {start.isoformat()} and runs through {last_day.isoformat()}; "
                f"calls may resume on {(last_day + timedelta(days=1)).isoformat()}"
            )
            self.add("breathing_space", "blocked", _fill(rule.message, ends=ends), rule.rule)
            self.not_before(last_day + timedelta(days=1))
            return
        self.add(
            "breathing_space",
            "caution",
            f"The breathing-space flag is still set, but a standard moratorium that started on "
            f"{start.isoformat()} ended after {last_day.isoformat()}: check the Insolvency "
            f"Service register (a mental health crisis moratorium lasts longer) and clear the "
            f"flag before asking for payment.",
            rule.rule,
        )

    # ------------------------------------------------------------------ notices and wording

    def initial_communication(self) -> date | None:
        """The local day of the first communication about the debt, if any is logged."""
        return conduct.initial_communication(self.case, self.zone, self.now)

    def validation_notice(self) -> None:
        rule = self.profile.validation_notice
        if rule is None or self.case.debt.validation_notice_sent is not None:
            return
        if not self.case.creditor.is_debt_collector:
            return  # 15 USC 1692a(6): an original creditor owes no validation notice
        first = self.initial_communication()
        if first is None:
            due = self.today + timedelta(days=5)
            when = (
                f"This call may be the initial communication: the notice must go with it or "
                f"within 5 days after it (by {due.isoformat()})."
            )
        else:
            due = first + timedelta(days=5)
            late = "was due" if self.today > due else "is due"
            when = (
                f"The initial communication was on {first.isoformat()}, so the notice {late} "
                f"by {due.isoformat()}."
            )
        self.add("validation_notice", rule.level, f"{rule.message} {when}", rule.rule)

    def time_barred(self, limitation: Limitation, jurisdiction: Jurisdiction) -> None:
        if limitation.years is None:
            unknown = self.profile.limitation_unknown
            self.add("time_barred", unknown.level, limitation.reason, unknown.rule)
            self.avoid.extend(unknown.avoid)
            return
        if not limitation.time_barred:
            self.add("time_barred", "info", limitation.reason, _short(limitation.source))
            return
        rule = self.profile.time_barred
        message = f"{limitation.reason} {_fill(rule.message)}"
        avoid = list(rule.avoid)
        if limitation.extinguished_by is not None:
            by = limitation.extinguished_by
            message += " " + _fill(rule.extinguished_message, extinguished_by=by)
            avoid += [_fill(line, extinguished_by=by) for line in rule.extinguished_avoid]
        self.add("time_barred", rule.level, message, f"{rule.rule}; {_short(limitation.source)}")
        self.avoid.extend(avoid)
        if limitation.extinguished_by is not None:
            return
        # The words to read out, exactly (SPEC §6a "Words"); a duty known only as a summary is
        # a caution for counsel, never words to read (negplan.core.time_barred_words).
        notice = time_barred_notice(self.case, self.tables, self.today)
        if notice is None:
            return
        self.disclosures.extend(notice.texts)
        for check, message, cited in notice_cautions(notice):
            self.add(check, "caution", message, cited)

    def collector_disclosure(self) -> None:
        rule = self.profile.collector_disclosure
        if rule is None or not self.case.creditor.is_debt_collector:
            return
        self.disclosures.insert(0, _fill(rule.text))
        self.add(
            "collector_disclosure",
            "info",
            "Debt collector: open the call with the debt-collector disclosure.",
            rule.rule,
        )


def _conduct(checks: _Checks, recorded: bool) -> None:
    out = conduct.Conduct()
    case, profile = checks.case, checks.profile
    conduct.first_party(case, profile, out)
    conduct.opt_outs(case, profile, out)
    conduct.credit_reporting(case, profile, checks.initial_communication() is not None, out)
    conduct.recording(case, profile, checks.tables, checks.places, recorded, out)
    conduct.duties(case, profile, out)
    checks.findings += out.findings
    checks.disclosures[:0] = out.disclosures
    checks.open_ended |= out.open_ended


def preflight(
    case: Case, rules: Rules, tables: Tables, now: datetime, limitation: Limitation
) -> Preflight:
    """Check whether ``case``'s debtor may be called at ``now`` (an aware datetime)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    jurisdiction = parse_jurisdiction(case.jurisdiction)
    resolved = resolve_profile(tables.profile(jurisdiction.code), jurisdiction, rules.compliance)
    profile = resolved.profile
    checks = _Checks(case, profile, tables, now)
    for refused in resolved.refused:
        checks.add("rules_override", "info", refused, "statutory limits can only be tightened")
    checks.call_window()
    checks.call_frequency()
    checks.flags()
    checks.validation_notice()
    checks.time_barred(limitation, jurisdiction)
    checks.collector_disclosure()
    checks.state_limits()
    _conduct(checks, rules.compliance.calls_recorded)

    window = None
    if not checks.open_ended:
        window = next_window(now, checks.zone, checks.first_day, checks.spans)
        if window is None:  # e.g. a New York debtor with a Honolulu and an Indian number
            checks.add(
                "no_common_window",
                "blocked",
                "No hour is inside the call window in every place the debtor may be: write "
                "instead, or confirm where the debtor is and correct the case file.",
                profile.call_window.rule,
            )
    verdict = verdict_of(checks.findings)
    return Preflight(
        verdict=verdict,
        callable_now=verdict != "blocked",
        next_window=window,
        findings=checks.findings,
        disclosures=checks.disclosures,
        avoid=list(dict.fromkeys(checks.avoid + profile.avoid)),
        profile=profile.code,
        reason=verdict_reason(verdict, checks.findings, window),
        window=None if window is None else lawful_window(window, checks.zone, checks.spans),
    )


__all__ = ["Finding", "Preflight", "Verdict", "preflight"]
