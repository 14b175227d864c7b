"""Where a debtor may be: a phone number's time zones and the zone data, read here (SPEC §6a).

The ``phonenumbers`` library maps a number's prefix to the IANA zones it may ring in (a 415
number: Pacific; a US toll-free number: every US zone). It loads its prefix data on first use,
and each IANA zone is a file of the tz database, so both are read in this io layer: a case is
placed when it is loaded (:func:`place_case`), and the core reaches the results through
:attr:`negplan.core.tables.Tables.phone_zones` and :attr:`~negplan.core.tables.Tables.zone_info`
without opening a file. A number the library cannot parse, or one it knows no zone for, gives no
zone (the debtor's own zone and the address still count).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from negplan.core.case import Case

#: What ``phonenumbers`` answers when it knows no zone for a number.
_UNKNOWN = "Etc/Unknown"
#: Zones read so far, kept alive for the run (``ZoneInfo``'s own cache is weak past 8 zones).
_ZONES: dict[str, ZoneInfo | None] = {}


def zone_info(name: str) -> ZoneInfo | None:
    """The IANA zone ``name``, read once; ``None`` if the tz database has no such zone."""
    if name not in _ZONES:
        try:
            _ZONES[name] = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            _ZONES[name] = None
    return _ZONES[name]


@lru_cache(maxsize=4096)
def phone_zones(number: str, region: str) -> tuple[str, ...]:
    """The IANA zones ``number`` may ring in; ``region`` (``US``, ``GB``, ``IN``) reads a number
    written without its country code."""
    import phonenumbers
    from phonenumbers import timezone

    try:
        parsed = phonenumbers.parse(number, region or None)
    except phonenumbers.NumberParseException:
        return ()
    zones = timezone.time_zones_for_number(parsed)
    return tuple(sorted(zone for zone in zones if zone != _UNKNOWN))


def place_case(case: Case) -> None:
    """Read every zone the case's debtor may be in, so that planning it opens no file."""
    from negplan.core.compliance.locations import debtor_locations
    from negplan.io.packaged import load_tables

    debtor_locations(case, load_tables())


@lru_cache(maxsize=4096)
def display_number(number: str, region: str, *, dial_link: bool = False) -> str:
    """``number`` as an executive dials it from anywhere: the international format
    (``+1 415-555-0142``, ``+44 113 496 0000``), which names the country, so a list that mixes
    US, UK and Indian debtors is never misdialled. ``dial_link`` gives the RFC 3966 form
    (``tel:+1-415-555-0142``) for CSV files: dialers and softphones call it on a click, and no
    spreadsheet reads it as a formula, as it would read a leading ``+`` (SPEC §5a). A number
    the library cannot parse is shown as written (the case file is what the executive has)."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, region or None)
    except phonenumbers.NumberParseException:
        return number
    if not phonenumbers.is_possible_number(parsed):
        return number
    form = phonenumbers.PhoneNumberFormat
    return phonenumbers.format_number(parsed, form.RFC3966 if dial_link else form.INTERNATIONAL)


@lru_cache(maxsize=4096)
def mobile_number(number: str, region: str) -> str | None:
    """``number`` in E.164 form when it can receive a text: one ``phonenumbers`` classes as
    mobile, or as fixed-line-or-mobile (North American numbers, where the prefix cannot tell
    them apart; a text to a landline is simply not delivered). Anything else, or a number the
    library cannot parse or finds invalid, gives ``None``: no SMS (SPEC §9)."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, region or None)
    except phonenumbers.NumberParseException:
        return None
    kinds = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    if not phonenumbers.is_valid_number(parsed) or phonenumbers.number_type(parsed) not in kinds:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
