"""How an agreement writes amounts and dates: amounts in figures the way readers in the
debtor's country expect, and in words; dates in full, with their weekday."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Final

from negplan.display import currency, long_date
from negplan.jurisdictions import parse_jurisdiction
from negplan.money import minor_unit, quantize
from negplan.records import record

_LOCALES: Final = {"US": "en_US", "GB": "en_GB", "IN": "en_IN"}
WEEKDAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def document_locale(jurisdiction: str) -> str:
    """The babel locale amounts are written in: ``en_US``, ``en_GB`` or ``en_IN``."""
    return _LOCALES.get(parse_jurisdiction(jurisdiction).country, "en_US")


def weekday_text(day: date) -> str:
    """``Monday 7 December 2026``."""
    return f"{WEEKDAYS[day.weekday()]} {long_date(day)}"


_ONES: Final = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
)
_TENS: Final = (
    *("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"),
)


def _below_thousand(n: int, british: bool) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [f"{_ONES[hundreds]} hundred"] if hundreds else []
    if rest:
        tens, ones = divmod(rest, 10)
        words = _ONES[rest] if rest < 20 else _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
        parts.append(("and " if hundreds and british else "") + words)
    return " ".join(parts)


def number_in_words(n: int, *, british: bool = False, indian: bool = False) -> str:
    """``1234`` → "one thousand two hundred thirty-four" (US), "… two hundred and thirty-four"
    (British and Indian English); Indian English counts in lakh and crore."""
    if n == 0:
        return "zero"
    scales = (
        [(10**7, "crore"), (10**5, "lakh"), (10**3, "thousand")]
        if indian
        else [(10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand")]
    )
    parts: list[str] = []
    for size, name in scales:
        if n >= size:
            count, n = divmod(n, size)
            parts.append(f"{number_in_words(count, british=british, indian=indian)} {name}")
    if n:
        words = _below_thousand(n, british)
        parts.append(("and " if parts and british and n < 100 else "") + words)
    return " ".join(parts)


_CURRENCY_WORDS: Final = {
    "USD": ("US dollar", "US dollars", "cent", "cents"),
    "GBP": ("pound sterling", "pounds sterling", "penny", "pence"),
    "INR": ("rupee", "rupees", "paisa", "paise"),
    "EUR": ("euro", "euros", "cent", "cents"),
}


def amount_in_words(amount: Decimal, code: str, locale: str) -> str:
    """The amount in words, as a cheque or contract writes it alongside the figures."""
    value = quantize(amount, code)
    places = minor_unit(code)
    major = int(value)
    minor = int((value - major).scaleb(places))
    style = {"british": not locale.endswith("_US"), "indian": locale.endswith("_IN")}
    names = _CURRENCY_WORDS.get(code)
    if names is None:
        from babel.numbers import get_currency_name

        unit = get_currency_name(code, count=major, locale=locale)
        text = f"{number_in_words(major, **style)} {unit}"
        return text + (f" and {minor:0{places}d}/{10**places}" if minor else "")
    one, many, sub_one, sub_many = names
    major_text = f"{number_in_words(major, **style)} {one if major == 1 else many}"
    minor_text = f"{number_in_words(minor, **style)} {sub_one if minor == 1 else sub_many}"
    if not minor:
        return major_text
    return minor_text if major == 0 else f"{major_text} and {minor_text}"


@record
class Figures:
    """Amounts as the document writes them: ``$1,733.33`` in figures, and in words."""

    code: str
    locale: str

    def money(self, amount: Decimal) -> str:
        return currency(amount, self.code, self.locale)

    def words(self, amount: Decimal) -> str:
        return amount_in_words(amount, self.code, self.locale)


def plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


#: The languages negplan writes scripts and documents in (``debtor.language``, SPEC §6a).
LANGUAGES = frozenset({"en"})


#: Names of languages a debtor may ask for, to name them in a document (ISO 639-1 codes); any
#: other is named by its code.
LANGUAGE_NAMES = {
    "ar": "Arabic", "bn": "Bengali", "cy": "Welsh", "de": "German", "fr": "French",
    "gu": "Gujarati", "hi": "Hindi", "ht": "Haitian Creole", "it": "Italian", "ko": "Korean",
    "mr": "Marathi", "pa": "Punjabi", "pl": "Polish", "pt": "Portuguese", "ru": "Russian",
    "so": "Somali", "es": "Spanish", "ta": "Tamil", "te": "Telugu", "tl": "Tagalog",
    "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese",
}  # fmt: skip


def document_language_note(language: str, party: str, before: str) -> str | None:
    """The sentence a document prints when the debtor asked for a language negplan does not
    write (SPEC §6a "Language": never silently English): the language it is written in, the
    one asked for, and where to turn, promising no translation negplan does not make. ``party``
    is how the document names the creditor (``the Collector``); ``before`` what the debtor does
    next (``signing``). ``None`` when negplan writes the debtor's language."""
    if language_gap(language) is None:
        return None
    base = language.split("-")[0].lower()
    name = LANGUAGE_NAMES.get(base, f"the language {language!r}")
    return (
        f"This document is written in English. The Debtor asked to be dealt with in {name}, "
        f"in which it is not available: before {before}, the Debtor may ask {party} to explain "
        "any part of it, or have it explained by someone the Debtor trusts."
    )


def language_gap(language: str) -> str | None:
    """What to say when the debtor needs a language negplan does not have (never silently
    English, SPEC §6a "Language"); ``None`` when it has it. ``en-GB`` is English."""
    base = language.split("-")[0].lower()
    if base in LANGUAGES:
        return None
    return (
        f"The debtor's language is {language!r}, which negplan does not have: the script and "
        "documents are in English. Arrange a qualified interpreter or a colleague who speaks "
        "it, and send a translation with the written agreement."
    )
