"""Checking a follow-up letter: ``negplan verify`` on a letter (agreements are passed on).

A letter is checked as an agreement is (``negplan.agreement.verify``): the fingerprint is
recomputed from the embedded record; the document must show it; in Markdown and HTML the
visible text must have the digest recorded when it was written; and every paragraph, the
parties and the references must still be shown word for word. A document whose record is an
agreement's is verified by ``negplan.agreement.verify`` unchanged.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from negplan.agreement import verify as agreement_verify
from negplan.agreement.document import text_digest
from negplan.agreement.formats import DocFormat
from negplan.agreement.record import fingerprint
from negplan.agreement.text import Content, collapse, html_content, md_content, pdf_content, squeeze
from negplan.agreement.verify import MAX_VERIFY_BYTES, Verification
from negplan.errors import InputError
from negplan.letters.document import LETTER_FORMAT


def verify_file(path: Path) -> Verification:
    """Verify the letter or agreement in ``path``."""
    try:
        if path.stat().st_size > MAX_VERIFY_BYTES:
            raise InputError.single("file is over 10 MB: not an agreement negplan wrote", file=path)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError.single(f"cannot read ({exc.strerror})", file=path) from None
    return verify_bytes(data, str(path))


def _read(data: bytes, name: str) -> tuple[DocFormat, Content]:
    if data.startswith(b"%PDF-"):
        return "pdf", pdf_content(data, name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError.single("not a negplan document (not text or PDF)", file=name) from None
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith(("<!doctype html", "<html")):
        return "html", html_content(text, name)
    return "md", md_content(text, name)


def _letter_record(content: Content) -> dict[str, Any] | None:
    try:
        envelope = json.loads(content.embedded or "")
        record = envelope["terms"]
    except (ValueError, KeyError, TypeError):
        return None
    return envelope if isinstance(record, dict) and record.get("format") == LETTER_FORMAT else None


def verify_bytes(data: bytes, name: str) -> Verification:
    try:
        fmt, content = _read(data, name)
    except InputError:  # not text, PDF or HTML a letter could be: the agreement's own message
        return agreement_verify.verify_bytes(data, name)
    envelope = None if content.embedded is None else _letter_record(content)
    if envelope is None:
        return agreement_verify.verify_bytes(data, name)
    record = envelope["terms"]
    problems: list[str] = []
    computed = fingerprint(record)
    if envelope.get("fingerprint") != computed:
        problems.append(
            f"the embedded record does not match its fingerprint (recorded "
            f"{envelope.get('fingerprint')}, recomputed {computed})"
        )
    visible = collapse(content.visible)
    shown = re.findall(r"sha256:([0-9a-f]{8,64})", visible) + [
        s.removeprefix("sha256:") for s in content.shown_prints
    ]
    if not any(s == computed.removeprefix("sha256:") for s in shown):
        problems.append(f"the letter does not show the fingerprint {computed}")
    if fmt != "pdf" and envelope.get("text_sha256") != text_digest(content.digest_text):
        problems.append("the visible text has been changed since the letter was written")
    squeezed = squeeze(visible)
    try:
        expected = [
            ("debtor", record["debtor"]),
            ("creditor", record["creditor"]),
            ("reference", record["case_id"]),
            ("account", record["account_ref"]),
            ("title", record["title"]),
            *(("paragraph", p) for p in record["paragraphs"]),
        ]
    except (KeyError, TypeError):
        return Verification(name, fmt, computed, ["the embedded record is damaged"], "")
    for label, phrase in expected:
        if squeeze(str(phrase)) not in squeezed:
            problems.append(f"{label}: the letter no longer says “{collapse(str(phrase))}”")
    summary = f"letter {record['kind']} to {record['debtor']} ({record['case_id']})"
    return Verification(name, fmt, computed, problems, summary)
