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


def _money(value: Decimal, info: ValidationInfo) -> Decimal:
    if value < 0:
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
    BeforeValidator(to_decimal),
    AfterValidator(_money),
    WithJsonSchema(_NUMBER_SCHEMA | {"minimum": 0}),
]


def _fraction(value: Decimal) -> Decimal:
    if not Decimal(0) <= value <= Decimal(1):
        raise ValueError("must be a fraction between 0 and 1 (e.g. 0.15 for 15%)")
    return value


#: A share or rate written as a fraction (0.1499 for 14.99%).
Fraction = Annotated[
    Decimal,
    BeforeValidator(to_decimal),
    AfterValidator(_fraction),
    WithJsonSchema(_NUMBER_SCHEMA | {"minimum": 0, "maximum": 1}),
]


def _iso_date(value: Any) -> date:
    if isinstance(value, datetime):
        raise ValueError("expected a date (YYYY-MM-DD), got a timestamp")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"not an ISO date (YYYY-MM-DD): {value!r}") from None
    raise ValueError("expected a date (YYYY-MM-DD)")


IsoDate = Annotated[
    date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]


def _aware_timestamp(value: Any) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"not an ISO 8601 timestamp: {value!r}") from None
    if not isinstance(value, datetime):
        raise ValueError(
            "expected an ISO 8601 timestamp with offset, e.g. 2026-11-18T10:15:00-08:00"
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("timestamp needs a UTC offset, e.g. 2026-11-18T10:15:00-08:00")
    return value


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
