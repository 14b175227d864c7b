"""How negplan writes figures and dates for people: the one place amounts become text.

Two audiences, two forms, both quantized to the currency's minor unit half up (SPEC §1):

* :func:`display` — ``1,234.50 USD``: reasons, refusals and the brief, where an ISO code is
  unambiguous and no locale data is needed (the core writes its reasons with it).
* :func:`currency` — ``$1,234.50``, ``£1,234.50``, ``₹1,23,456.00``: what the debtor reads or
  hears (agreements, the call script), in the locale of the debtor's country, with babel.

Templates reach both through the ``|money`` and ``|currency`` filters; nothing else formats money.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from negplan.money import quantize

#: Currencies whose readers group digits in lakhs and crores (1,23,45,678.00): the rupee, as
#: the Indian numbering system writes it and as babel's ``en_IN`` locale prints it.
_LAKH_GROUPED = frozenset({"INR"})


def grouped(amount: Decimal, currency: str) -> str:
    """The amount rounded to the currency and grouped the way its readers group it: ``1,234.50``;
    ``2,40,000.00`` for rupees, the same grouping the agreement's ``₹2,40,000.00`` uses."""
    text = f"{quantize(amount, currency):,}"
    if currency not in _LAKH_GROUPED:
        return text
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, fraction = digits.replace(",", "").partition(".")
    if len(whole) > 3:
        head, tail = whole[:-3], whole[-3:]
        pairs = [head[max(0, i - 2) : i] for i in range(len(head), 0, -2)][::-1]
        whole = ",".join([*pairs, tail])
    return f"{sign}{whole}{dot}{fraction}"


def display(amount: Decimal, currency: str, *, code: bool = True) -> str:
    """``1,234.50 USD`` (or ``1,234.50`` with ``code=False``, where a column names the currency):
    the amount rounded to the currency, grouped as its readers group it (:func:`grouped`)."""
    text = grouped(amount, currency)
    return f"{text} {currency}" if code else text


def money(amount: Decimal | None, currency: str) -> str:
    """``1,234.50 USD``: grouped, quantized to the currency, with its ISO code."""
    if amount is None:
        return "—"
    return display(amount, currency)


def currency(amount: Decimal | None, code: str, locale: str = "en_US") -> str:
    """``$1,234.50``, ``£1,234.50``, ``₹1,23,456.00``: the amount quantized to the currency
    (half up, SPEC §1) and written the way readers in ``locale`` expect, with babel (imported
    here: only agreements need it)."""
    if amount is None:
        return "—"
    from babel.numbers import format_currency

    return str(format_currency(quantize(amount, code), code, locale=locale))


def iso_date(value: date | None) -> str:
    return "—" if value is None else value.isoformat()


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


def long_date(value: date | None) -> str:
    """``5 December 2026``: unambiguous across US, UK and Indian readers (and locale-proof)."""
    return "—" if value is None else f"{value.day} {MONTHS[value.month - 1]} {value.year}"


#: Characters Markdown may read as markup anywhere in a line, each escaped with a backslash.
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|~"})
#: What only matters at the start of a line: list markers ("- ", "+ ", "1. ") and setext rules.
_MD_LINE_START = re.compile(r"^(\s*)(?:([-+])(?=\s)|(\d+)\.(?=\s)|(=+\s*$))", re.MULTILINE)


#: Text that cannot mean anything to Markdown: no special character, no line break, and not
#: starting with a list marker, a numbered-list marker or a rule.
_MD_PLAIN = re.compile(r"(?![ \t]*(?:[-+=]|\d+\.))[^\\`*_\[\]<>#|~\r\n]*")


def _escape_line_start(match: re.Match[str]) -> str:
    indent, bullet, number, rule = match.groups()
    if bullet:
        return f"{indent}\\{bullet}"
    if number:
        return f"{indent}{number}\\."
    return f"{indent}\\{rule}"


def markdown_escape(value: Any) -> str:
    """Escape text so Markdown shows it literally (no emphasis, links, headings or HTML).

    Only what Markdown would interpret is escaped: ``333.50`` and ``-5`` stay as they are.
    """
    text = "" if value is None else str(value)
    if _MD_PLAIN.fullmatch(text):  # most case data (names, amounts, dates) needs nothing
        return text
    text = _MD_LINE_START.sub(_escape_line_start, text.translate(_MD_SPECIAL))
    return text.replace("\r", " ").replace("\n", " ")


def percent(value: Decimal | None, places: int = 0) -> str:
    if value is None:
        return "—"
    return f"{(value * 100).quantize(Decimal(1).scaleb(-places)):f}%"


def plain_number(value: Decimal) -> str:
    """A Decimal that is not money (a burden, a rate) as plain text."""
    return format(value, "f")


#: What a terminal would act on rather than show: C0 controls but tab and line feed, DEL, C1
#: controls, and the bidirectional overrides that reorder a line (SPEC §7a).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters shown as ``\\x1b``, ``\\u202e``
    (a file name or an agreement's record may carry an escape sequence or an OSC title)."""
    return _CONTROL.sub(lambda m: ascii(m.group())[1:-1], text)
