"""A follow-up letter as a document: Markdown, HTML or PDF, with its record and fingerprint.

The same envelope as an agreement (``negplan.agreement.record``): the letter's **record** (kind,
parties, reference, the agreement it follows, and every paragraph word for word) is embedded in
the document, and its **fingerprint** is SHA-256 over the record's canonical JSON, shown on the
letter. ``negplan verify`` checks a letter as it checks an agreement
(:mod:`negplan.letters.verify`): it renders the letter again from the record alone and
compares. Templates are ``templates/letters/letter.{md,html}.j2``, overridable with
``--templates`` (``verify --templates`` then checks letters with the same folder), rendered by
the shared environment (sandboxed, StrictUndefined, autoescaped HTML, ``|md`` for Markdown).
"""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path
from typing import Any, Final

from markupsafe import Markup

from negplan import __version__
from negplan.agreement.document import Document, html_to_pdf
from negplan.agreement.formats import DocFormat
from negplan.agreement.record import embedded, fingerprint
from negplan.core.followup_terms import Action, AgreedTerms
from negplan.display import long_date
from negplan.io.templates import render
from negplan.letters.wording import letter_text
from negplan.wording import document_locale

LETTER_FORMAT: Final = "negplan-letter/1"
_PAGE_SIZES: Final = {"US": "Letter"}


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def letter_record(action: Action, terms: AgreedTerms, issued: date) -> dict[str, Any]:
    """Everything the letter asserts, as plain JSON data (the fingerprint's input)."""
    text = letter_text(action, terms)
    return {
        "format": LETTER_FORMAT,
        "kind": action.kind.value,
        "action": action.key,
        "agreement": action.fingerprint,
        "case_id": terms.case_id,
        "jurisdiction": terms.jurisdiction,
        "locale": document_locale(terms.jurisdiction),
        "currency": terms.currency,
        "issued": issued.isoformat(),
        "channel": action.channel,
        "creditor": _nfc(terms.creditor),
        "debtor": _nfc(terms.debtor),
        "contacts": {
            "creditor_address": _nfc(terms.creditor_address),
            "creditor_phone": _nfc(terms.creditor_phone),
            "debtor_address": _nfc(terms.debtor_address),
        },
        "account_ref": _nfc(terms.account_ref),
        "title": text.title,
        "paragraphs": [_nfc(p) for p in text.paragraphs],
    }


def _context(record: dict[str, Any], print_: str, fmt: DocFormat) -> dict[str, Any]:
    contacts = record["contacts"]
    issued = date.fromisoformat(record["issued"])
    return {
        "format": fmt,
        "title": record["title"],
        "case_id": record["case_id"],
        "issued": long_date(issued),
        "issued_iso": record["issued"],
        "account_ref": record["account_ref"],
        "creditor": {
            "name": record["creditor"],
            "address": contacts["creditor_address"],
            "phone": contacts["creditor_phone"],
        },
        "debtor": {"name": record["debtor"], "address": contacts["debtor_address"]},
        "paragraphs": record["paragraphs"],
        "fingerprint": print_,
        "terms_json": Markup(embedded(record, print_)),
        "page_size": _PAGE_SIZES.get(record["jurisdiction"].partition("-")[0], "A4"),
        "generator": f"negplan {__version__}",
    }


def render_record(
    record: dict[str, Any], fmt: DocFormat, templates: Path | None = None
) -> str | bytes:
    """The letter for ``record``: what ``negplan followup`` writes, and what ``negplan verify``
    renders again to compare with a file. Same record and templates, same bytes."""
    print_ = fingerprint(record)
    context = _context(record, print_, fmt)
    if fmt == "pdf":
        html = render("letters/letter.html.j2", context, templates)
        return html_to_pdf(html, embedded(record, print_), date.fromisoformat(record["issued"]))
    return render(f"letters/letter.{fmt}.j2", context, templates)


def render_letter(
    action: Action,
    terms: AgreedTerms,
    issued: date,
    fmt: DocFormat,
    templates: Path | None = None,
) -> Document:
    """The letter for ``action`` as Markdown, HTML or PDF, with its record embedded."""
    record = letter_record(action, terms, issued)
    print_ = fingerprint(record)
    summary = f"{record['title'].lower()} ({record['case_id']}); fingerprint {print_}"
    return Document(fmt, render_record(record, fmt, templates), print_, summary)
