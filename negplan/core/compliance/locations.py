"""Every place the debtor may be (SPEC §6a): the zones a call must be lawful in.

Regulation F's commentary on 12 CFR 1006.6(b)(1)(i) (comment 6(b)(1)(i)-1): when a collector has
conflicting or ambiguous information about the consumer's location, a time is convenient only if
it is convenient in every location the collector has. So the call window must hold in:

* the debtor's own zone (``debtor.timezone``);
* the zone of the address: a US state and ZIP named in it (``…, CA 94110``), or the case's
  country; in a state that spans two zones the ZIP prefix decides (``us_zip_zones.csv``: El
  Paso's 799 is Mountain, the rest of Texas Central), and a prefix that straddles the line gives
  both;
* each phone number's zones, as the ``phonenumbers`` library knows them (a 415 number: Pacific).

A place is also where state law is read from: the address's state (and New York City) adds its
own limits to the jurisdiction's (:mod:`negplan.core.compliance.state_rules`).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from negplan.jurisdictions import US_STATES, parse_jurisdiction
from negplan.records import record

if TYPE_CHECKING:
    from negplan.core.case import Case
    from negplan.core.tables import Tables

#: A US state code followed by a ZIP code, as at the end of a US address: ``…, CA 94110``.
_STATE_ZIP = re.compile(r"\b([A-Z]{2})\s+(\d{5})(?:-\d{4})?\b")
#: The first three ZIP digits of the five boroughs (USPS sectional centers 100–104, 111–114,
#: 116; 110 is shared with Nassau County and is not counted).
_NYC_ZIP3 = frozenset({"100", "101", "102", "103", "104", "111", "112", "113", "114", "116"})


@record
class Location:
    """A zone the call must be lawful in, and why negplan thinks the debtor may be there."""

    zone: str
    source: str
    tz: ZoneInfo


def address_zips(case: Case) -> list[tuple[str, str]]:
    """The (state code, ZIP code) pairs the debtor's US address names."""
    if not case.jurisdiction.startswith("US"):
        return []
    found = _STATE_ZIP.findall(case.debtor.address or "")
    return [(f"US-{state}", zip_code) for state, zip_code in found if state in US_STATES]


def zip_zones(state: str, zip_code: str, tables: Tables) -> tuple[str, ...]:
    """The zones of an address: its ZIP prefix's in a split state, else its state's."""
    zones = tables.place_zones.get(state, ())
    if len(zones) < 2:
        return zones
    for prefix in (zip_code, zip_code[:3]):
        if prefix in tables.zip_zones:
            return tables.zip_zones[prefix]
    return zones[:1]


def address_places(case: Case) -> tuple[str, ...]:
    """The places named by the debtor's address: its US state code (``US-CA``), and
    ``US-NY-NYC`` for a New York City ZIP code. Empty when the address names none."""
    places: list[str] = []
    for state, zip_code in address_zips(case):
        places.append(state)
        if state == "US-NY" and zip_code[:3] in _NYC_ZIP3:
            places.append("US-NY-NYC")
    return tuple(dict.fromkeys(places))


def case_places(case: Case) -> tuple[str, ...]:
    """The jurisdiction's code and every place the address names, most general first."""
    return tuple(dict.fromkeys((parse_jurisdiction(case.jurisdiction).code, *address_places(case))))


#: The instants two zones are compared at: noon UTC on each day of 2026–2028.
_SAMPLES = [datetime(2026, 1, 1, 12, tzinfo=timezone.utc) + timedelta(days=n) for n in range(1096)]


@lru_cache(maxsize=256)
def same_clock(one: ZoneInfo, other: ZoneInfo) -> bool:
    """Whether two zones keep the same time every day (one is another's old name)."""
    if one.key == other.key:
        return True
    return all(one.utcoffset(m) == other.utcoffset(m) for m in _SAMPLES)


def debtor_locations(case: Case, tables: Tables) -> list[Location]:
    """Every zone the call must be lawful in: the debtor's first, then the address's, then each
    phone number's; each zone once, with every reason it is there."""
    jurisdiction = parse_jurisdiction(case.jurisdiction)
    found: dict[str, list[str]] = {case.debtor.timezone: ["the debtor's zone"]}
    infos: dict[str, ZoneInfo] = {case.debtor.timezone: case.debtor.zone}

    def add(zone: str, source: str) -> None:
        info = infos.get(zone) or tables.zone_info(zone)
        if info is None:
            return
        # An old name of a zone already listed (phonenumbers' Asia/Calcutta for Asia/Kolkata)
        # keeps the clock of that zone: list it once, under the first name.
        zone = next((name for name, seen in infos.items() if same_clock(seen, info)), zone)
        infos.setdefault(zone, info)
        found.setdefault(zone, []).append(source)

    addresses = address_zips(case)
    if addresses:
        for state, zip_code in addresses:
            for zone in zip_zones(state, zip_code, tables):
                add(zone, f"address in {state} {zip_code}")
    elif case.debtor.address:
        for zone in tables.place_zones.get(jurisdiction.country, ()):
            add(zone, f"address in {jurisdiction.country}")
    if case.debtor.phone:
        for zone in tables.phone_zones(case.debtor.phone, jurisdiction.country):
            add(zone, f"phone {case.debtor.phone}")
    return [Location(zone, "; ".join(sources), infos[zone]) for zone, sources in found.items()]
