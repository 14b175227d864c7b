"""Exact money: one constructor, currency minor units, frequency normalisation.

Every amount in negplan is a :class:`decimal.Decimal`. Binary floats never hold money: the YAML
loader builds ``Decimal`` straight from the source text, and :func:`to_decimal` refuses floats.
Amounts are quantized to the currency's minor unit with ROUND_HALF_UP (SPEC §1); the few places
that must round in one direction (an affordable payment rounds down, a minimum rounds up) say so.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum
from typing import Final

ZERO: Final = Decimal(0)
ONE: Final = Decimal(1)

#: The largest amount negplan accepts anywhere (a trillion units). Anything larger is a typo
#: or a hostile file, and would only make the arithmetic meaningless.
MAX_AMOUNT: Final = Decimal("1000000000000")

#: ISO 4217 minor units for the currencies negplan formats and plans in. A currency not listed
#: here is refused as unknown rather than guessed.
MINOR_UNITS: Final[dict[str, int]] = {
    "AED": 2,
    "AUD": 2,
    "BRL": 2,
    "CAD": 2,
    "CHF": 2,
    "CNY": 2,
    "CZK": 2,
    "DKK": 2,
    "EUR": 2,
    "GBP": 2,
    "HKD": 2,
    "HUF": 2,
    "IDR": 2,
    "ILS": 2,
    "INR": 2,
    "JPY": 0,
    "KRW": 0,
    "MXN": 2,
    "MYR": 2,
    "NOK": 2,
    "NZD": 2,
    "PHP": 2,
    "PKR": 2,
    "PLN": 2,
    "SAR": 2,
    "SEK": 2,
    "SGD": 2,
    "THB": 2,
    "TRY": 2,
    "USD": 2,
    "ZAR": 2,
}


class Frequency(str, Enum):
    """How often an income or expense recurs; normalised to a monthly figure."""

    weekly = "weekly"
    biweekly = "biweekly"
    semimonthly = "semimonthly"
    monthly = "monthly"
    quarterly = "quarterly"
    annually = "annually"


#: Monthly factors as exact fractions (numerator, denominator): weekly is 52/12 a month,
#: biweekly 26/12 (SPEC §2). Applying them as fractions keeps 150 × 52 / 12 exact until the
#: final quantization instead of multiplying by a rounded 4.333….
_MONTHLY_FACTOR: Final[dict[Frequency, tuple[int, int]]] = {
    Frequency.weekly: (52, 12),
    Frequency.biweekly: (26, 12),
    Frequency.semimonthly: (2, 1),
    Frequency.monthly: (1, 1),
    Frequency.quarterly: (1, 3),
    Frequency.annually: (1, 12),
}


def to_decimal(value: object) -> Decimal:
    """Return ``value`` as a finite Decimal: the one way a number becomes money.

    Accepts ``Decimal``, ``int`` and numeric strings (``"1234.10"``, ``"1,234.10"`` is refused:
    separators are ambiguous across locales). Refuses ``float`` (it has already lost digits),
    ``bool``, NaN and infinities.
    """
    if isinstance(value, bool):
        raise ValueError("expected an amount, got true/false")
    if isinstance(value, float):
        raise ValueError("binary floats cannot hold money; write the amount as a string or decimal")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        text = value.strip()
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
    else:
        raise ValueError(f"expected an amount, got {type(value).__name__}")
    if not result.is_finite():
        raise ValueError("must be a finite number")
    return result


def minor_unit(currency: str) -> int:
    """Decimal places of ``currency`` (2 for USD/GBP/EUR/INR, 0 for JPY)."""
    return MINOR_UNITS[currency]


#: The smallest amount of each currency (0.01, 1 …), made once: every rounding needs one.
_QUANTUM: Final[dict[str, Decimal]] = {
    code: Decimal(1).scaleb(-places) for code, places in MINOR_UNITS.items()
}


def _quantum(currency: str) -> Decimal:
    return _QUANTUM[currency]


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round to the currency's minor unit, half up (SPEC §1)."""
    return amount.quantize(_quantum(currency), rounding=ROUND_HALF_UP)


def quantize_down(amount: Decimal, currency: str) -> Decimal:
    """Round toward minus infinity: what a debtor can afford is never rounded up."""
    return amount.quantize(_quantum(currency), rounding=ROUND_FLOOR)


def quantize_up(amount: Decimal, currency: str) -> Decimal:
    """Round toward plus infinity: a creditor's minimum is never rounded down."""
    return amount.quantize(_quantum(currency), rounding=ROUND_CEILING)


def monthly(amount: Decimal, frequency: Frequency) -> Decimal:
    """Normalise ``amount`` paid at ``frequency`` to a monthly amount (exact, unrounded)."""
    numerator, denominator = _MONTHLY_FACTOR[frequency]
    return amount * numerator / denominator


def split_evenly(total: Decimal, count: int, currency: str) -> list[Decimal]:
    """Split ``total`` into ``count`` installments that sum to it exactly.

    Equal installments are rounded down to the minor unit and the remainder is added to the
    last one (SPEC §1), so a schedule's payments always add up to the agreed total.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    each = quantize_down(total / count, currency)
    return [each] * (count - 1) + [total - each * (count - 1)]
