"""The packaged reference tables the core plans with, passed in rather than read.

The core opens no file: :func:`negplan.io.packaged.load_tables` reads the shipped data
(``negplan/data/compliance/``) once, validates it and hands the core this one object. Tests build
their own ``Tables`` to plan against other data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from negplan.core.case import CreditorKind
from negplan.records import record

if TYPE_CHECKING:
    from negplan.core.compliance.profiles import Profile


@record
class LimitationPeriod:
    """A limitation period in years, with where the figure comes from."""

    years: int
    source: str


@record
class StateDisclosure:
    """One row of ``us_time_barred_disclosures.csv``: a US state's own time-barred-debt duty."""

    code: str
    state: str
    requires_disclosure: str
    summary: str
    citation: str
    source: str


@record
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


@record
class StateWords:
    """One row of prescribed words for a time-barred debt (``us_time_barred_words.yaml``): a
    state's, New York City's, or a state's for one kind of creditor (California's debt buyers).
    Used by :mod:`negplan.core.time_barred_words`."""

    code: str
    citation: str
    applies_to: frozenset[CreditorKind]
    reported: str
    not_reported: str | None = None
    obsolete: str | None = None
    no_revival: str | None = None
    revival: bool = False
    source: str = ""
    #: The citation printed after ``no_revival`` when it differs (New York City prints the
    #: State's words, which the city accepts).
    no_revival_citation: str | None = None
    #: Where the row applies: a state code, or ``US-NY-NYC`` (defaults to ``code``).
    place: str = ""
    #: Rows this one replaces where both apply (New York City's over New York's).
    supersedes: frozenset[str] = frozenset()
    #: How a written notice must be set out, for the executive (6 RCNY § 2-191).
    print_note: str | None = None
    #: A written notice stands next to the amount claimed, set off in color (6 RCNY § 2-191).
    beside_amount: bool = False
    #: True only when every word was checked against the official text; while false the
    #: script and the brief say the words are to be confirmed with counsel (``checked``).
    verified: bool = False
    checked: str = ""


@record
class StateContactRule:
    """One row of ``us_state_contact_rules.csv``: a state's own cap on communications.

    ``binds`` is ``everyone`` or ``collectors`` (debt buyers and agencies, not an original
    creditor); ``channels`` are the channels counted; ``counts`` is ``communications`` (a call
    counts when answered or a message is left, a text, email or letter when sent) or
    ``attempts`` (every outbound contact).
    """

    code: str
    place: str
    binds: str
    max_in_7_days: int
    channels: tuple[str, ...]
    counts: str
    citation: str
    note: str


def no_phone_zones(number: str, region: str) -> tuple[str, ...]:
    """The resolver a table without a phone library uses: no zone is known."""
    return ()


def read_zone(name: str) -> ZoneInfo | None:
    """The IANA zone ``name`` (``None`` if unknown), for tables built without the io layer."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@record
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
    * ``place_zones``: the IANA zones of a US state (``US-TX``) or a country (``GB``), every zone
      a place spans (``us_state_zones.csv``, from the IANA tz database's zone1970.tab), its
      main zone first.
    * ``zip_zones``: the zones of ZIP prefixes (3 or 5 digits) in the states that span two zones.
    * ``state_contact_rules``: US states' and cities' own caps on communications.
    * ``recording_consent``: all-party-consent states, with their law.
    * ``phone_zones``: a phone number's IANA zones (``number``, default ``region``), resolved by
      the io layer with the ``phonenumbers`` library so that the core loads no data itself.
    * ``zone_info``: an IANA zone by name, read by the io layer when the case is loaded.
    * ``time_barred_words``: the words those states (and New York City) prescribe, where known,
      by row name (a state code, ``US-NY-NYC``, ``US-CA-DEBT-BUYER``).
    """

    profiles: Mapping[str, Profile]
    us_limitation: Mapping[str, Mapping[str, LimitationPeriod]]
    other_limitation: Mapping[str, LimitationPeriod]
    payment_does_not_revive: Mapping[str, str]
    extinguishes: Mapping[str, str]
    disclosures: Mapping[str, StateDisclosure]
    #: Wage-garnishment limits by code (``US`` and the states with their own), for litigation.
    garnishment: Mapping[str, GarnishmentRule] = field(default_factory=dict)
    place_zones: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    zip_zones: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    state_contact_rules: tuple[StateContactRule, ...] = ()
    recording_consent: Mapping[str, str] = field(default_factory=dict)
    phone_zones: Callable[[str, str], tuple[str, ...]] = no_phone_zones
    zone_info: Callable[[str], ZoneInfo | None] = read_zone
    time_barred_words: Mapping[str, StateWords] = field(default_factory=dict)

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
