"""Checking a written agreement: ``negplan verify``.

:func:`verify_file` recomputes the fingerprint from the embedded record and then checks that the
visible document still says what the record says: every clause, the parties, the balance lines,
each schedule row (number, date, amount) in order, the total, and that no amount or date appears
that the record does not contain. A changed digit anywhere in the terms therefore fails, whether
it was changed in the record, in the fingerprint or in the text a reader sees (docs/agreements.md).
The check detects alteration, not forgery: anyone can recompute an unkeyed hash, so the anchor
is the fingerprint on the creditor's own copy.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final

from negplan.agreement.document import (
    DOWN_ROW,
    LEGACY_DOWN_ROW,
    balance_lines,
    schedule_rows,
    text_digest,
)
from negplan.agreement.formats import DocFormat
from negplan.agreement.record import RECORD_FORMAT, fingerprint
from negplan.agreement.text import Content, collapse, html_content, md_content, pdf_content, squeeze
from negplan.core.schedule import monthly_due_dates
from negplan.display import MONTHS, long_date
from negplan.errors import InputError
from negplan.wording import WEEKDAYS, Figures, plural

MAX_VERIFY_BYTES: Final = 10 * 1024 * 1024


@dataclass(frozen=True)
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
    """Recompute the fingerprint of the agreement in ``path`` and check its visible text."""
    try:
        if path.stat().st_size > MAX_VERIFY_BYTES:
            raise InputError.single("file is over 10 MB: not an agreement negplan wrote", file=path)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError.single(f"cannot read ({exc.strerror})", file=path) from None
    return verify_bytes(data, str(path))


def verify_bytes(data: bytes, name: str) -> Verification:
    fmt: DocFormat
    if data.startswith(b"%PDF-"):
        fmt, content = "pdf", pdf_content(data, name)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError.single(
                "not a negplan agreement (not text or PDF)", file=name
            ) from None
        head = text.lstrip("\ufeff \t\r\n")[:200].lower()
        if head.startswith(("<!doctype html", "<html")):
            fmt, content = "html", html_content(text, name)
        else:
            fmt, content = "md", md_content(text, name)
    if content.embedded is None:
        raise InputError.single("not a negplan agreement: no embedded terms found", file=name)
    return _verify(name, fmt, content)


def _verify(name: str, fmt: DocFormat, content: Content) -> Verification:
    problems: list[str] = []
    try:
        envelope = json.loads(content.embedded or "")
        record = envelope["terms"]
        recorded_print = envelope["fingerprint"]
        expected_keys = {"fingerprint", "terms"} | (set() if fmt == "pdf" else {"text_sha256"})
        if (
            not isinstance(record, dict)
            or not isinstance(recorded_print, str)
            or set(envelope) != expected_keys
        ):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return Verification(name, fmt, None, ["the embedded terms are damaged"], "")
    computed = fingerprint(record)
    if recorded_print != computed:
        problems.append(
            f"the embedded terms do not match their fingerprint (recorded {recorded_print}, "
            f"recomputed {computed})"
        )
    visible = collapse(content.visible)
    shown = re.findall(r"sha256:([0-9a-f]{8,64})", visible) + [
        s.removeprefix("sha256:") for s in content.shown_prints
    ]
    if not any(s == computed.removeprefix("sha256:") for s in shown):
        problems.append(f"the document does not show the fingerprint {computed}")
    for seen in shown:
        if not computed.removeprefix("sha256:").startswith(seen):
            problems.append(f"the document shows the fingerprint sha256:{seen}, not {computed}")
    digest = envelope.get("text_sha256")
    if fmt != "pdf" and digest != text_digest(content.digest_text):
        problems.append("the visible text has been changed since the document was written")
    try:
        problems += _visible_problems(record, visible)
    except (KeyError, TypeError, ValueError, InvalidOperation, IndexError):
        problems.append("the embedded terms are damaged (not a negplan-agreement/1 record)")
        return Verification(name, fmt, computed, problems, "")
    return Verification(name, fmt, computed, problems, _verified_summary(record))


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
    if record.get("format") != RECORD_FORMAT:
        return [f"unknown record format {record.get('format')!r}"]
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
        found[0] = (
            DOWN_ROW,
            found[0][1],
            found[0][2],
        )  # written before the row was labelled "Down"
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
