"""The ``compliance:`` section of the rules: a creditor's overrides of the shipped profiles.

Profiles are keyed by jurisdiction code, most specific wins: ``US-CA`` over ``US``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from negplan.case import ContractType, Model
from negplan.types import TimeOfDay


class CallWindow(Model):
    start: TimeOfDay
    end: TimeOfDay


class ProfileOverride(Model):
    """Any subset of a profile's settings."""

    call_window: CallWindow | None = None
    max_calls_in_7_days: Annotated[int, Field(strict=True, ge=0, le=100)] | None = None
    days_after_conversation: Annotated[int, Field(strict=True, ge=0, le=30)] | None = None


class ComplianceOverrides(Model):
    profiles: dict[str, ProfileOverride] = Field(default_factory=dict)
    #: Limitation periods in years by jurisdiction and contract type, e.g. ``US-KY: {written: 10}``.
    limitation_years: dict[
        str, dict[ContractType, Annotated[int, Field(strict=True, ge=0, le=50)]]
    ] = Field(default_factory=dict)
