"""Checking a follow-up letter: ``negplan verify`` on a letter (agreements are passed on).

A letter is checked as an agreement is (``negplan.agreement.verify``, SPEC §5a): the fingerprint
is recomputed from the embedded record, the letter is rendered again from that record alone and
compared with the file (Markdown and HTML character for character, PDF byte for byte,
:mod:`negplan.agreement.compare`). When they differ, the paragraphs, parties and references a
reader no longer sees are named. A document whose record is an agreement's is verified by
``negplan.agreement.verify`` unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

from negplan.agreement import verify as agreement_verify
from negplan.agreement.compare import pdf_differences, text_differences
from negplan.agreement.formats import DocFormat
from negplan.agreement.record import canonical_json, fingerprint
from negplan.agreement.text import (
    collapse,
    html_content,
    html_record,
    md_content,
    pdf_content,
    pdf_record,
    squeeze,
)
from negplan.agreement.verify import MAX_VERIFY_BYTES, Verification
from negplan.errors import InputError
from negplan.io.reading import read_limited
from negplan.letters.document import LETTER_FORMAT, render_record

#: A letter has a few short paragraphs: a crafted record beyond this is refused before rendering.
_MAX_RECORD_TEXT: Final = 100_000


def verify_file(path: Path, templates: Path | None = None) -> Verification:
    """Verify the letter or agreement in ``path`` (a regular file of at most 10 MB); letters
    are rendered again with ``templates`` when followup wrote them with ``--templates``."""
    data = read_limited(path, str(path), MAX_VERIFY_BYTES)
    return verify_bytes(data, str(path), templates)


def _embedded(data: bytes, name: str) -> tuple[DocFormat, str | None, str | bytes]:
    """The format, the embedded envelope (JSON text) and the document as compared."""
    if data.startswith(b"%PDF-"):
        return "pdf", pdf_record(data, name), data
    text = data.decode("utf-8-sig")
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith(("<!doctype html", "<html")):
        return "html", html_record(text, name), text
    return "md", md_content(text, name).embedded, text


def _letter_envelope(embedded: str | None) -> dict[str, Any] | None:
    try:
        envelope = json.loads(embedded or "")
        record = envelope["terms"]
    except (ValueError, KeyError, TypeError):
        return None
    is_letter = isinstance(record, dict) and record.get("format") == LETTER_FORMAT
    return envelope if is_letter else None


def verify_bytes(data: bytes, name: str, templates: Path | None = None) -> Verification:
    """A letter is rendered again from its record and compared; anything else is an agreement's
    to check (including every error message about a file that is neither)."""
    try:
        fmt, embedded, original = _embedded(data, name)
    except (InputError, UnicodeDecodeError):
        return agreement_verify.verify_bytes(data, name)
    envelope = _letter_envelope(embedded)
    if envelope is None:
        return agreement_verify.verify_bytes(data, name)
    record = envelope["terms"]
    computed = fingerprint(record)
    problems: list[str] = []
    if envelope.get("fingerprint") != computed or set(envelope) != {"fingerprint", "terms"}:
        problems.append(
            f"the embedded record does not match its fingerprint (recorded "
            f"{str(envelope.get('fingerprint'))[:80]}, recomputed {computed})"
        )
    try:
        if len(canonical_json(record)) > _MAX_RECORD_TEXT:
            raise ValueError("too long")
        expected = render_record(record, fmt, templates)
        summary = f"letter {record['kind']} to {record['debtor']} ({record['case_id']})"
    except Exception:  # a record of any other shape: this file fails, the others are checked
        problems.append("the embedded record is damaged (not a negplan-letter/1 record)")
        return Verification(name, fmt, computed, problems, "")
    if isinstance(original, bytes) and isinstance(expected, bytes):
        differences = pdf_differences(original, expected)
    elif isinstance(original, str) and isinstance(expected, str):
        differences = text_differences(original, expected)
    else:
        differences = ["the file is not the letter its record gives"]
    if differences:
        problems += differences + _missing(record, data, fmt, name)
    return Verification(name, fmt, computed, problems, summary)


def _missing(record: dict[str, Any], data: bytes, fmt: DocFormat, name: str) -> list[str]:
    """Which of the record's words a reader of the file no longer sees."""
    try:
        if fmt == "pdf":
            visible = pdf_content(data, name).visible
        else:
            text = data.decode("utf-8-sig")
            visible = (html_content if fmt == "html" else md_content)(text, name).visible
    except Exception:
        return ["the letter no longer shows the words it carries"]
    squeezed = squeeze(visible)
    expected = [
        ("debtor", record["debtor"]),
        ("creditor", record["creditor"]),
        ("reference", record["case_id"]),
        ("account", record["account_ref"]),
        ("title", record["title"]),
        *(("paragraph", p) for p in record["paragraphs"]),
    ]
    return [
        f"{label}: the letter no longer says “{collapse(str(phrase))}”"
        for label, phrase in expected
        if squeeze(str(phrase)) not in squeezed
    ]
