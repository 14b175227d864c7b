"""Jurisdiction profiles: the shipped data (``data/compliance/profiles.yaml``) as models.

A profile says, for one jurisdiction, when a call may be made, how often, what each debtor flag
means, and what must be said or avoided. The country profile (``US``) is merged with its
subdivision's (``US-MA``) key by key; the creditor's rules (``compliance.profiles``) then override
both, most specific code last. Settings the data marks ``statutory`` can only be tightened by the
rules: a loosening override is dropped and reported, so the script stays lawful by construction.

The data is read and validated by :mod:`negplan.io.packaged` and passed in as
:class:`~negplan.core.tables.Tables`; a profile is resolved per case with a few look-ups.
"""

from collections.abc import Callable
from datetime import time
from typing import Any

from pydantic import BaseModel, ConfigDict

from negplan.core.compliance.overrides import ComplianceOverrides, FlagName, Level, ProfileOverride
from negplan.core.fields import TimeOfDay
from negplan.jurisdictions import Jurisdiction
from negplan.records import record

#: Order of severity, for "an override may only tighten".
SEVERITY: dict[str, int] = {"info": 0, "caution": 1, "blocked": 2}


class _Data(BaseModel):
    """Shipped profile data: strict about keys so a typo in the YAML fails the test suite."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class CallWindowRule(_Data):
    start: TimeOfDay
    end: TimeOfDay
    statutory: bool = False
    rule: str
    note: str | None = None

    @property
    def start_time(self) -> time:
        return _time_of_day(self.start)

    @property
    def end_time(self) -> time:
        return _time_of_day(self.end)


class InconvenientRule(_Data):
    level: Level
    rule: str


class FrequencyRule(_Data):
    max_calls_in_7_days: int | None = None
    days_after_conversation: int | None = None
    statutory: bool = False
    rule: str
    note: str | None = None


class FlagRule(_Data):
    level: Level
    statutory: bool = False
    rule: str
    message: str
    #: For a moratorium of known length: days after its start date during which it runs.
    lifts_after_days: int | None = None


class NoticeRule(_Data):
    level: Level
    rule: str
    message: str


class TimeBarredRule(_Data):
    level: Level
    rule: str
    message: str
    avoid: list[str]
    extinguished_message: str
    extinguished_avoid: list[str]


class LimitationUnknownRule(_Data):
    level: Level
    rule: str
    avoid: list[str]


class DisclosureRule(_Data):
    rule: str
    text: str


class DutyRule(_Data):
    """A duty the collector owes on every call in the jurisdiction (UK CONC 7.3, RBI)."""

    check: str
    level: Level
    rule: str
    message: str


class ContactRules(_Data):
    """Where the debtor's own choices about contact come from in this jurisdiction."""

    #: A channel the debtor opted out of (``debtor.opt_outs``).
    opt_out_rule: str
    #: Contact at the debtor's place of work after they asked for none.
    work_rule: str


class VulnerabilityRule(_Data):
    level: Level
    rule: str
    prompts: dict[str, str]


class Profile(_Data):
    """The effective compliance settings for one jurisdiction."""

    code: str
    name: str
    note: str | None = None
    call_window: CallWindowRule
    inconvenient_times: InconvenientRule
    call_frequency: FrequencyRule
    flags: dict[FlagName, FlagRule]
    validation_notice: NoticeRule | None = None
    time_barred: TimeBarredRule
    limitation_unknown: LimitationUnknownRule
    collector_disclosure: DisclosureRule | None = None
    contact: ContactRules
    #: A collector furnishing to a credit bureau before communicating (12 CFR 1006.30(a)).
    credit_reporting: NoticeRule | None = None
    #: The notice that opens a recorded call where every party must consent.
    recording_notice: DisclosureRule | None = None
    duties: list[DutyRule] = []
    vulnerability: VulnerabilityRule | None = None
    avoid: list[str] = []


@record
class ResolvedProfile:
    """A profile with the rules applied, and notes on overrides that were refused."""

    profile: Profile
    refused: tuple[str, ...] = ()


def _time_of_day(text: str) -> time:
    """``"21:00"`` → 21:00; ``"24:00"`` → the end of the day."""
    if text == "24:00":
        return time.max
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _tighter_window(
    shipped: CallWindowRule, start: str, end: str, where: str, refused: list[str]
) -> CallWindowRule:
    wanted = CallWindowRule(start=start, end=end, statutory=shipped.statutory, rule="")
    if wanted.end_time <= wanted.start_time:
        refused.append(f"{where}.call_window {start}–{end} ignored: it must end after it starts")
        return shipped
    if shipped.statutory and (
        wanted.start_time < shipped.start_time or wanted.end_time > shipped.end_time
    ):
        refused.append(
            f"{where}.call_window {start}–{end} ignored: it would widen the legal window "
            f"{shipped.start}–{shipped.end} ({shipped.rule})"
        )
        return shipped
    return shipped.model_copy(
        update={"start": start, "end": end, "rule": f"{where}.call_window; {shipped.rule}"}
    )


def _tighter_limit(
    shipped: int | None, wanted: int, statutory: bool, name: str, where: str, refused: list[str]
) -> tuple[int | None, bool]:
    """Apply a numeric override where a larger number is looser (more calls, fewer days)."""
    looser = shipped is not None and (
        wanted > shipped if name == "max_calls_in_7_days" else wanted < shipped
    )
    if statutory and looser:
        refused.append(
            f"{where}.{name}: {wanted} ignored: it would loosen the legal limit of {shipped}"
        )
        return shipped, False
    return wanted, True


def _apply(profile: Profile, override: ProfileOverride, where: str, refused: list[str]) -> Profile:
    update: dict[str, Any] = {}
    if override.call_window is not None:
        window = override.call_window
        update["call_window"] = _tighter_window(
            profile.call_window, window.start, window.end, where, refused
        )
    frequency = profile.call_frequency
    changed: list[str] = []
    for name in ("max_calls_in_7_days", "days_after_conversation"):
        wanted = getattr(override, name)
        if wanted is None:
            continue
        value, applied = _tighter_limit(
            getattr(frequency, name), wanted, frequency.statutory, name, where, refused
        )
        if applied:
            frequency = frequency.model_copy(update={name: value})
            changed.append(f"{where}.{name}")
    if changed:
        update["call_frequency"] = frequency.model_copy(
            update={"rule": f"{', '.join(changed)}; {frequency.rule}"}
        )
    if override.flags:
        flags = dict(profile.flags)
        for flag, flag_override in override.flags.items():
            shipped = flags[flag]
            if shipped.statutory and SEVERITY[flag_override.level] < SEVERITY[shipped.level]:
                refused.append(
                    f"{where}.flags.{flag}: {flag_override.level} ignored: the law makes it "
                    f"{shipped.level} ({shipped.rule})"
                )
                continue
            flags[flag] = shipped.model_copy(
                update={
                    "level": flag_override.level,
                    "rule": f"{where}.flags.{flag}; {shipped.rule}",
                }
            )
        update["flags"] = flags
    return profile.model_copy(update=update) if update else profile


def resolve_profile(
    shipped: Profile, jurisdiction: Jurisdiction, overrides: ComplianceOverrides
) -> ResolvedProfile:
    """The profile for a case: the ``shipped`` one (``Tables.profile``), then the rules' country
    and subdivision overrides."""
    profile = shipped
    if not overrides.profiles:
        return ResolvedProfile(profile)
    refused: list[str] = []
    codes = [jurisdiction.country]
    if jurisdiction.subdivision is not None:
        codes.append(jurisdiction.code)
    for code in codes:
        override = overrides.profiles.get(code)
        if override is not None:
            where = f"rules compliance.profiles.{code}"
            profile = _apply(profile, override, where, refused)
            if code != jurisdiction.country:
                profile = profile.model_copy(update={"code": code})
    return ResolvedProfile(profile, tuple(refused))


def refused_overrides(
    overrides: ComplianceOverrides, shipped: Callable[[str], Profile]
) -> list[str]:
    """Every override in the rules that a shipped legal limit refuses, for the places the rules
    are shown (``negplan rules``, ``negplan validate``): each code's layer is resolved against
    the shipped profile ``shipped(code)`` (``Tables.profile``)."""
    from negplan.jurisdictions import parse_jurisdiction

    refused: list[str] = []
    for code in overrides.profiles:
        jurisdiction = parse_jurisdiction(code)
        only = ComplianceOverrides(profiles={code: overrides.profiles[code]})
        refused += resolve_profile(shipped(code), jurisdiction, only).refused
    return list(dict.fromkeys(refused))
