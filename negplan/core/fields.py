"""Annotated field types shared by the case and rules models.

Each type validates one kind of value the way a collections file needs it: money that never
passes through a float, dates that are real ISO dates (not Unix timestamps), times of day that
YAML cannot mistake for numbers.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, WithJsonSchema

from negplan.money import MAX_AMOUNT, MINOR_UNITS, quantize, to_decimal

_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def _number(value: Any) -> Decimal:
    """An amount or rate: ASCII digits only when written as text. ``Decimal`` would read
    Arabic-Indic or full-width digits and ``7_000``; a file a reviewer reads as one number
    must not be planned as another."""
    if isinstance(value, str) and not _PLAIN_NUMBER.fullmatch(value.strip()):
        raise ValueError(
            f"not a number: {value[:40]!r} (write digits 0-9 and one '.', no separators)"
        )
    return to_decimal(value)


def _money(value: Decimal, info: ValidationInfo) -> Decimal:
    if value < 0 or value.is_signed():  # -0.00 too: it would change a fingerprint
        raise ValueError("must be ≥ 0")
    if value > MAX_AMOUNT:
        raise ValueError(f"must be at most {MAX_AMOUNT:,} (is this a typo?)")
    currency = (info.context or {}).get("currency")
    if currency in MINOR_UNITS:
        # Refused, not rounded: 8123.405 is a typo or a figure from another system, and the
        # agreement's --down-payment 250.555 is refused the same way (SPEC §1, exact money).
        if value != quantize(value, currency):
            places = MINOR_UNITS[currency]
            raise ValueError(
                f"{value:f} has more decimal places than {currency} allows ({places}); "
                "write the amount as the statement shows it"
            )
        return quantize(value, currency)
    return value


_NUMBER_SCHEMA = {
    "anyOf": [
        {"type": "number"},
        {"type": "string", "pattern": r"^\s*[0-9]+(\.[0-9]+)?\s*$"},
    ]
}

#: A non-negative amount in the case currency, quantized to its minor unit when the validation
#: context names the currency (``negplan.core.case.parse_case`` always does).
Money = Annotated[
    Decimal,
    BeforeValidator(_number),
    AfterValidator(_money),
    WithJsonSchema(_NUMBER_SCHEMA | {"minimum": 0}),
]


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise ValueError("must be more than 0: a payment of nothing is no payment")
    return value


#: An amount that must be more than zero: a payment the rules ask for (``plans.min_payment``,
#: ``plans.token_payment``); at 0 a plan could schedule payments of 0.00.
PositiveMoney = Annotated[Money, AfterValidator(_positive)]


def _fraction(value: Decimal) -> Decimal:
    if value.is_signed() or not Decimal(0) <= value <= Decimal(1):
        raise ValueError("must be a fraction between 0 and 1 (e.g. 0.15 for 15%)")
    return value


#: A share or rate written as a fraction (0.1499 for 14.99%).
Fraction = Annotated[
    Decimal,
    BeforeValidator(_number),
    AfterValidator(_fraction),
    WithJsonSchema(_NUMBER_SCHEMA | {"minimum": 0, "maximum": 1}),
]


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?"
)
#: Timestamps this far from year 1 and 9999 convert to any zone without overflowing.
_EARLIEST, _LATEST = datetime(1900, 1, 1), datetime(9000, 1, 1)


def _iso_date(value: Any) -> date:
    if isinstance(value, datetime):
        raise ValueError("expected a date (YYYY-MM-DD), got a timestamp")
    if isinstance(value, str):
        # Python reads ``20260601`` and ``2026-W22-1`` as ISO dates too; a case file says
        # YYYY-MM-DD, the one form a reviewer reads the same way.
        try:
            if not _ISO_DAY.fullmatch(value.strip()):
                raise ValueError
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"not an ISO date (YYYY-MM-DD): {value[:40]!r}") from None
    if not isinstance(value, date):
        raise ValueError("expected a date (YYYY-MM-DD)")
    return in_date_range(value)


def in_date_range(value: date) -> date:
    """Dates between 1900 and 9000: a date at year 1 or 9999 is a typo, and date arithmetic
    on it (a month later, a week earlier, a zone's offset) would overflow."""
    if not _EARLIEST.date() <= value <= _LATEST.date():
        raise ValueError(f"date out of range (years 1900 to 9000): {value.isoformat()}")
    return value


#: The same strictness for dates given on the command line (``--as-of``).
parse_iso_date = _iso_date

IsoDate = Annotated[
    date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]


def _aware_timestamp(value: Any) -> datetime:
    if isinstance(value, str):
        try:
            if not _ISO_MOMENT.fullmatch(value.strip()):
                raise ValueError
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"not an ISO 8601 timestamp: {value[:60]!r}") from None
    if not isinstance(value, datetime):
        raise ValueError(
            "expected an ISO 8601 timestamp with offset, e.g. 2026-11-18T10:15:00-08:00"
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("timestamp needs a UTC offset, e.g. 2026-11-18T10:15:00-08:00")
    if not _EARLIEST <= value.replace(tzinfo=None) <= _LATEST:
        raise ValueError(f"timestamp out of range (years 1900 to 9000): {value.isoformat()}")
    return value


#: The same strictness for moments given on the command line (``--now``).
parse_timestamp = _aware_timestamp

Timestamp = Annotated[
    datetime,
    BeforeValidator(_aware_timestamp),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]

_TIME_RANGE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


def parse_time_range(text: str) -> tuple[time, time]:
    """Parse ``"08:00-10:00"`` into (start, end); ``24:00`` means end of day."""
    match = _TIME_RANGE.match(text.strip())
    if not match:
        raise ValueError(f'expected a local time range like "08:00-10:00", got {text!r}')
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start = time(h1, m1)
    end = time.max if (h2, m2) == (24, 0) else time(h2, m2)
    if h2 == 24 and m2 != 0:
        raise ValueError(f"not a time of day: {text!r}")
    if end <= start:
        raise ValueError(f"the range must end after it starts: {text!r}")
    return start, end


def _time_range(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError('write the range as a quoted string, e.g. "08:00-10:00"')
    parse_time_range(value)
    return value.strip()


TimeRange = Annotated[
    str,
    BeforeValidator(_time_range),
    WithJsonSchema({"type": "string", "pattern": _TIME_RANGE.pattern}),
]


def _time_of_day(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d|24:00", value):
        raise ValueError('expected a quoted local time like "08:00"')
    return value


TimeOfDay = Annotated[
    str,
    BeforeValidator(_time_of_day),
    WithJsonSchema({"type": "string", "pattern": r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$"}),
]

PositiveInt = Annotated[int, Field(strict=True, ge=1)]
NonNegativeInt = Annotated[int, Field(strict=True, ge=0)]


#: Zone names negplan accepts: the IANA zones the tz database lists, minus the host-dependent
#: ``localtime``, the placeholder ``Factory`` and the ``posix/``/``right/`` copies (SPEC §2).
_ZONE_NAME = re.compile(r"[A-Za-z0-9_+\-]{1,30}(/[A-Za-z0-9_+\-]{1,30}){0,2}")
_NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})


def zone_name(value: str) -> str:
    """An IANA zone name, or a ValueError that says so (never an OSError from the file system:
    ``America`` is a folder of the tz database, a 5,000-character name is too long for it)."""
    shown = value if len(value) <= 40 else f"{value[:37]}..."
    if (
        not _ZONE_NAME.fullmatch(value)
        or value in _NOT_ZONES
        or value.startswith(("posix/", "right/"))
        or not _is_zone(value)
    ):
        raise ValueError(
            f"unknown IANA time zone {shown!r} (e.g. America/New_York, Europe/London, Asia/Kolkata)"
        )
    return value


def _is_zone(name: str) -> bool:
    """Whether the tz database has a zone ``name`` (a name the pattern above allowed).

    Asking for the one zone reads its file, which planning reads anyway; listing every zone
    (``zoneinfo.available_timezones()``) walked and opened the whole database, 30-90 ms of a
    ``negplan prep`` that starts once per call (issue 20). ``ZoneInfo`` finds the same files:
    the tz database folders, then the ``tzdata`` package.
    """
    from zoneinfo import ZoneInfo

    if name not in _ZONES:
        try:
            ZoneInfo(name)
        except (KeyError, ValueError, OSError):  # not found (a KeyError), not TZif, a folder
            return False
        _ZONES.add(name)  # a batch of thousands of cases asks once per zone
    return True


_ZONES: set[str] = set()


#: Device names Windows reserves in every folder (``CON.plan.json`` cannot be created there).
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in "123456789\u00b9\u00b2\u00b3"}
)


def _case_id(value: str) -> str:
    """A case id that names files on every system: not a Windows device name."""
    if value.split(".")[0].upper() in _RESERVED:
        raise ValueError(
            f"{value!r} is a device name on Windows, so its files could not be written there; "
            "use another case id"
        )
    return value


CaseId = Annotated[str, AfterValidator(_case_id)]
