"""The packaged reference tables the core plans with, passed in rather than read.

The core opens no file: :func:`negplan.io.packaged.load_tables` reads the shipped data
(``negplan/data/compliance/``) once, validates it and hands the core this one object. Tests build
their own ``Tables`` to plan against other data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from negplan.core.compliance.profiles import Profile


@dataclass(frozen=True)
class LimitationPeriod:
    """A limitation period in years, with where the figure comes from."""

    years: int
    source: str


@dataclass(frozen=True)
class StateDisclosure:
    """One row of ``us_time_barred_disclosures.csv``: a US state's own time-barred-debt duty."""

    code: str
    state: str
    requires_disclosure: str
    summary: str
    citation: str
    source: str


@dataclass(frozen=True)
class GarnishmentRule:
    """One row of ``garnishment.csv``: how much of a debtor's wages a consumer-debt judgment may
    take in a jurisdiction (SPEC §4a). A state row only tightens the federal row."""

    code: str
    #: False where wages cannot be garnished for consumer debt at all (PA, TX, NC, SC).
    consumer_wages: bool
    #: The most a garnishment may take, as a share of earnings.
    max_share: Decimal
    #: Weekly earnings protected outright (the federal 30 × minimum wage), if the row sets any.
    protected_weekly: Decimal | None
    source: str


@dataclass(frozen=True)
class Tables:
    """Compliance profiles, limitation periods and state disclosures, as shipped.

    * ``profiles``: the effective shipped profile for each country and each subdivision that has
      a layer of its own (``US``, ``US-MA``, ``GB-SCT``, …), layers already merged.
    * ``us_limitation``: US periods by state code and contract type (SPEC §6).
    * ``other_limitation``: periods for the UK nations and India, by code.
    * ``payment_does_not_revive``: codes where a payment does not restart the period, with the law.
    * ``extinguishes``: codes where the end of the period extinguishes the debt, with the law.
    * ``disclosures``: US states' time-barred-debt disclosure duties, by code.
    * ``garnishment``: wage-garnishment limits for consumer debt, by code (SPEC §4a).
    """

    profiles: Mapping[str, Profile]
    us_limitation: Mapping[str, Mapping[str, LimitationPeriod]]
    other_limitation: Mapping[str, LimitationPeriod]
    payment_does_not_revive: Mapping[str, str]
    extinguishes: Mapping[str, str]
    disclosures: Mapping[str, StateDisclosure]
    #: Wage-garnishment limits by code (``US`` and the states with their own), for litigation.
    garnishment: Mapping[str, GarnishmentRule] = field(default_factory=dict)

    def profile(self, code: str) -> Profile:
        """The shipped profile for a jurisdiction: its own layer if it has one, else its
        country's."""
        found = self.profiles.get(code)
        if found is not None:
            return found
        return self.profiles[code.partition("-")[0]]

    def limitation_period(self, code: str, contract: str) -> LimitationPeriod | None:
        """The shipped period for a code and contract type, if the tables have one."""
        if code.startswith("US"):
            return self.us_limitation.get(code, {}).get(contract)
        return self.other_limitation.get(code)
