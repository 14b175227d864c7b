"""The ``compliance:`` section of the rules: a creditor's overrides of the shipped profiles.

Profiles are keyed by jurisdiction code, most specific wins: ``US-CA`` over ``US``. A setting
the shipped profile marks ``statutory`` (a legal limit, such as Regulation F's call window) can
only be tightened here; the pre-flight ignores a loosening override and says so.
"""

from typing import Annotated, Literal

from pydantic import Field, field_validator

from negplan.core.case import ContractType, Model
from negplan.core.fields import TimeOfDay
from negplan.jurisdictions import parse_jurisdiction

#: How serious a finding is: ``blocked`` (do not call), ``caution`` (call with care), ``info``.
Level = Literal["blocked", "caution", "info"]

#: The debtor flags of the case file (SPEC §2) that a profile gives a level.
FlagName = Literal[
    "cease_communication",
    "attorney_represented",
    "in_bankruptcy",
    "disputed",
    "breathing_space",
    "deceased",
    "servicemember",
    "financial_assistance_pending",
]


class CallWindow(Model):
    start: TimeOfDay
    end: TimeOfDay


class FlagOverride(Model):
    """A creditor's own level for a debtor flag, e.g. ``attorney_represented: {level: blocked}``."""

    level: Level


class ProfileOverride(Model):
    """Any subset of a profile's settings."""

    call_window: CallWindow | None = None
    #: Calls allowed in any 7 consecutive days (Regulation F's presumption is 7).
    max_calls_in_7_days: Annotated[int, Field(strict=True, ge=0, le=100)] | None = None
    #: Days, counting the day of a telephone conversation as day one, with no further calls.
    days_after_conversation: Annotated[int, Field(strict=True, ge=0, le=30)] | None = None
    flags: dict[FlagName, FlagOverride] = Field(default_factory=dict)


def _check_codes(codes: dict[str, object]) -> None:
    for code in codes:
        canonical = parse_jurisdiction(code).code  # ValueError names the supported codes
        if canonical != code:
            raise ValueError(f"write the jurisdiction code as {canonical!r}, not {code!r}")


class ComplianceOverrides(Model):
    profiles: dict[str, ProfileOverride] = Field(default_factory=dict)
    #: Whether collection calls are recorded: in all-party-consent states the call then opens
    #: with the recording notice (e.g. Cal. Penal Code § 632).
    calls_recorded: bool = True
    #: Limitation periods in years by jurisdiction and contract type, e.g. ``US-KY: {written: 10}``.
    limitation_years: dict[
        str, dict[ContractType, Annotated[int, Field(strict=True, ge=0, le=50)]]
    ] = Field(default_factory=dict)

    @field_validator("profiles", "limitation_years")
    @classmethod
    def _known_jurisdictions(cls, value: dict[str, object]) -> dict[str, object]:
        """A misspelt code (``US-CAL``) would otherwise be silently ignored."""
        _check_codes(value)
        return value
