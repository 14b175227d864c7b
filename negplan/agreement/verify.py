"""Checking a written agreement: ``negplan verify`` (SPEC §5a).

:func:`verify_bytes` reads the record the document carries, recomputes its fingerprint, renders
the document again from that record alone, and compares the two
(:mod:`~negplan.agreement.compare`): Markdown and HTML character for character, hidden content
included (a ``hidden`` paragraph, ``display:none``, a stylesheet, a ``<link>``, a comment); a PDF
byte for byte (text, positions, colours, pages, metadata, annotations). Any difference fails.
When the document differs, the terms a reader sees are also checked one by one (parties,
balance lines, schedule rows, total, clauses, no amount or date the record does not contain)
to say what changed.

The check detects alteration, not forgery: anyone can recompute an unkeyed hash, so the anchor
is the fingerprint on the creditor's own copy (docs/agreements.md says what it covers).
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from negplan.agreement.compare import pdf_differences, text_differences
from negplan.agreement.document import (
    DOWN_ROW,
    LEGACY_DOWN_ROW,
    balance_lines,
    render_record,
    schedule_rows,
)
from negplan.agreement.formats import DocFormat
from negplan.agreement.record import RECORD_FORMAT, canonical_json, fingerprint
from negplan.agreement.text import (
    collapse,
    html_content,
    html_record,
    md_content,
    pdf_content,
    pdf_record,
    squeeze,
)
from negplan.core.schedule import monthly_due_dates
from negplan.display import MONTHS, long_date
from negplan.errors import InputError
from negplan.io.reading import read_limited
from negplan.records import record
from negplan.wording import WEEKDAYS, Figures, plural

MAX_VERIFY_BYTES: Final = 10 * 1024 * 1024


@record
class Verification:
    file: str
    format: DocFormat
    fingerprint: str | None  # recomputed from the embedded record
    problems: list[str]
    summary: str

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_file(path: Path) -> Verification:
    """Check the agreement in ``path``: a regular file of at most 10 MB (:func:`verify_bytes`)."""
    return verify_bytes(read_limited(path, str(path), MAX_VERIFY_BYTES), str(path))


def verify_bytes(data: bytes, name: str) -> Verification:
    """Render the document again from the terms it carries and compare it with ``data``."""
    fmt: DocFormat
    if data.startswith(b"%PDF-"):
        record = pdf_record(data, name)
        return _verify(name, "pdf", record, data, lambda: pdf_content(data, name).visible)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError.single("not a negplan agreement (not text or PDF)", file=name) from None
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith(("<!doctype html", "<html")):
        fmt, record = "html", html_record(text, name)
    else:
        fmt, record = "md", md_content(text, name).embedded
    reader = html_content if fmt == "html" else md_content
    return _verify(name, fmt, record, text, lambda: reader(text, name).visible)


def _verify(
    name: str,
    fmt: DocFormat,
    embedded: str | None,
    original: str | bytes,
    visible: Callable[[], str],
) -> Verification:
    if embedded is None:
        raise InputError.single("not a negplan agreement: no embedded terms found", file=name)
    problems: list[str] = []
    try:
        envelope = json.loads(embedded)
        record = envelope["terms"]
        recorded_print = envelope["fingerprint"]
        if (
            not isinstance(record, dict)
            or not isinstance(recorded_print, str)
            or set(envelope) != {"fingerprint", "terms"}
        ):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return Verification(name, fmt, None, ["the embedded terms are damaged"], "")
    computed = fingerprint(record)
    if recorded_print != computed:
        problems.append(
            f"the embedded terms do not match their fingerprint (recorded "
            f"{recorded_print[:80]}, recomputed {computed})"
        )
    if record.get("format") != RECORD_FORMAT:
        problems.append(f"unknown record format {str(record.get('format'))[:40]!r}")
        return Verification(name, fmt, computed, problems, "")
    try:
        _check_shape(record)
        expected = render_record(record, fmt)
        summary = _verified_summary(record)
    except Exception:  # a record of any other shape: this file fails, the others are checked
        problems.append("the embedded terms are damaged (not a negplan-agreement/1 record)")
        return Verification(name, fmt, computed, problems, "")
    differences = _differences(original, expected)
    # Written before the down payment's row was labelled "Down" (issue 19): that rendering.
    legacy = differences and record["down_payment"] is not None
    if legacy and not _differences(original, render_record(record, fmt, LEGACY_DOWN_ROW)):
        differences = []
    if not differences:
        return Verification(name, fmt, computed, problems, summary)
    problems += differences
    if len(original) > 2 * len(expected) + 100_000:  # mostly added content: say so, read no more
        problems.append(
            f"the file is {len(original):,} bytes; the document its terms give is {len(expected):,}"
        )
        return Verification(name, fmt, computed, problems, summary)
    try:  # say which terms a reader no longer sees, where that can be said
        problems += _visible_problems(record, collapse(visible()))
    except Exception:
        problems.append("the document no longer shows the terms it carries")
    return Verification(name, fmt, computed, problems, summary)


def _differences(original: str | bytes, expected: str | bytes) -> list[str]:
    if isinstance(original, bytes) and isinstance(expected, bytes):
        return pdf_differences(original, expected)
    if isinstance(original, str) and isinstance(expected, str):
        return text_differences(original, expected)
    return ["the file is not the document its terms give"]


#: Bounds on a record worth rendering: an agreement has at most 600 payments and short texts.
#: A crafted record beyond them is refused before it costs a long render.
_MAX_PAYMENTS: Final = 601
_MAX_RECORD_TEXT: Final = 200_000


def _check_shape(record: dict[str, Any]) -> None:
    payments = record["payments"]
    if not isinstance(payments, list) or not 1 <= len(payments) <= _MAX_PAYMENTS:
        raise ValueError("payments")
    if len(canonical_json(record)) > _MAX_RECORD_TEXT:
        raise ValueError("too long")
    for key in ("creditor", "debtor", "account_ref", "case_id", "currency", "locale"):
        if not isinstance(record[key], str):
            raise TypeError(key)
    for payment in payments:
        Decimal(payment["amount"])
        date.fromisoformat(payment["due"])


def _verified_summary(record: dict[str, Any]) -> str:
    fig = Figures(record["currency"], record["locale"])
    count = len(record["payments"])
    down = record.get("down_payment")
    first = f"a down payment of {fig.money(Decimal(down['amount']))} and " if down else ""
    return (
        f"agreement {record['case_id']} between {record['creditor']} and {record['debtor']}: "
        f"{first}{count} {plural(count, 'payment', 'payments')}, total "
        f"{fig.money(Decimal(record['total']))}"
    )


def _visible_problems(record: dict[str, Any], visible: str) -> list[str]:
    """What the visible text says that the record does not (or fails to say that it does)."""
    fig = Figures(record["currency"], record["locale"])
    squeezed = squeeze(visible)
    problems: list[str] = []

    def must_show(label: str, phrase: str) -> None:
        if squeeze(phrase) not in squeezed:
            problems.append(f"{label}: the document no longer says “{collapse(phrase)}”")

    for label, key in (("creditor", "creditor"), ("debtor", "debtor")):
        must_show(label, record[key])
    for key, shown in record["contacts"].items():
        if shown:
            must_show(key.replace("_", " "), shown)
    must_show("account", record["account_ref"])
    must_show("case", record["case_id"])
    for label, amount, _ in balance_lines(record, fig):
        must_show("balance", f"{label} {amount}")
    total = Decimal(record["total"])
    must_show("total", f"Total {fig.money(total)}")
    clauses: list[str] = [c for group in record["clauses"].values() for c in group]
    for clause in clauses:
        must_show("clause", clause)
    if record["approved_by"]:
        must_show("approval", record["approved_by"])

    rows = schedule_rows(record)
    expected = [(r["number"], r["due"], r["amount"]) for r in rows]
    problems += _schedule_problems(expected, visible, fig)
    for row in rows:
        if row["note"]:
            shown = f"{row['due']} {row['amount']} {row['note']}"
            legacy = row["number"] == DOWN_ROW and squeeze(f"{LEGACY_DOWN_ROW} {shown}") in squeezed
            if not legacy:
                must_show(f"payment {row['number']}", f"{row['number']} {shown}")
    problems += _census(record, visible, fig, clauses)
    return problems


def _money_pattern(fig: Figures) -> str:
    from babel.numbers import get_currency_symbol

    symbol = unicodedata.normalize("NFKC", get_currency_symbol(fig.code, locale=fig.locale))
    return re.escape(symbol) + r"\d[\d,]*(?:\.\d+)?"


_DATE = r"\d{1,2} (?:" + "|".join(MONTHS) + r") \d{4}"
_ISO_DATE = r"\b\d{4}-\d{2}-\d{2}\b"


def _schedule_problems(
    expected: list[tuple[str, str, str]], visible: str, fig: Figures
) -> list[str]:
    row = re.compile(
        rf"(?<!\S)(\d{{1,3}}|{DOWN_ROW}) ((?:"
        + "|".join(WEEKDAYS)
        + r") "
        + _DATE
        + r") ("
        + _money_pattern(fig)
        + r")"
    )
    found: list[tuple[str, str, str]] = [
        (m.group(1), m.group(2), m.group(3)) for m in row.finditer(visible)
    ]
    if expected and expected[0][0] == DOWN_ROW and found and found[0][0] == LEGACY_DOWN_ROW:
        found[0] = (DOWN_ROW, found[0][1], found[0][2])  # written before the row read "Down"
    if found == expected:
        return []
    problems: list[str] = []
    # Rows are aligned as a diff, so one missing or extra row is named as such, not as a
    # change to every row after it.
    matcher = difflib.SequenceMatcher(a=expected, b=found, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        says_rows, shows_rows = expected[i1:i2], found[j1:j2]
        for says, shows in zip(says_rows, shows_rows, strict=False):
            problems.append(
                f"schedule: {_payment(says[0])} shows {shows[2]} on {shows[1]}; the terms say "
                f"{says[2]} on {says[1]}"
            )
        for says in says_rows[len(shows_rows) :]:
            problems.append(f"schedule: {_payment(says[0])} ({says[2]} on {says[1]}) is missing")
        for shows in shows_rows[len(says_rows) :]:
            problems.append(f"schedule: an extra row “{' '.join(shows)}”")
    return problems[:5]


def _payment(number: str) -> str:
    return "the down payment" if number == DOWN_ROW else f"payment {number}"


def _census(record: dict[str, Any], visible: str, fig: Figures, clauses: list[str]) -> list[str]:
    """Every amount and date the document shows must be one the record contains."""
    money_re = re.compile(_money_pattern(fig))
    balance = record["balance"]
    total = Decimal(record["total"])
    full = Decimal(balance["total"])
    amounts = {Decimal(v) for v in balance.values()} | {total, abs(full - total)}
    amounts |= {Decimal(p["amount"]) for p in record["payments"]}
    if record.get("down_payment"):
        amounts.add(Decimal(record["down_payment"]["amount"]))
    allowed_money = {fig.money(v) for v in amounts}
    clause_text = collapse(" ".join(clauses))
    allowed_money |= set(money_re.findall(clause_text))

    days = {date.fromisoformat(record["issued"])}
    days |= {date.fromisoformat(p["due"]) for p in record["payments"]}
    # The nominal monthly dates, shown where a payment moved, and the review date after them.
    count = len(record["payments"])
    days |= set(monthly_due_dates(date.fromisoformat(record["first_due"]), count + 1))
    allowed_dates = {long_date(d) for d in days} | set(re.findall(_DATE, clause_text))
    allowed_iso = {d.isoformat() for d in days} | set(re.findall(_ISO_DATE, clause_text))

    problems = [
        f"an amount {m} appears that the terms do not contain"
        for m in dict.fromkeys(money_re.findall(visible))
        if m not in allowed_money
    ]
    problems += [
        f"a date {d} appears that the terms do not contain"
        for d in dict.fromkeys(re.findall(_DATE, visible))
        if d not in allowed_dates
    ]
    problems += [
        f"a date {d} appears that the terms do not contain"
        for d in dict.fromkeys(re.findall(_ISO_DATE, visible))
        if d not in allowed_iso
    ]
    return problems
