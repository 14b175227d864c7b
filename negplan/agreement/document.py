"""The written agreement as a document: Markdown, self-contained HTML, or PDF (WeasyPrint).

The record and fingerprint are :mod:`~negplan.agreement.record`; the clauses
:mod:`~negplan.agreement.clauses`; checking a document again is :mod:`~negplan.agreement.verify`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import date, datetime, time, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from markupsafe import Markup

from negplan import __version__
from negplan.agreement.draft import Agreement
from negplan.agreement.formats import DocFormat
from negplan.agreement.record import ATTACHMENT, agreement_record, embedded, fingerprint
from negplan.core.case import OptionKind
from negplan.core.time_barred_words import time_barred_notice
from negplan.display import long_date
from negplan.errors import OutputError
from negplan.io.templates import render, template_dirs
from negplan.jurisdictions import parse_jurisdiction
from negplan.records import record
from negplan.wording import Figures, plural, weekday_text

_PAGE_SIZES: Final = {"US": "Letter"}
BALANCE_LABELS: Final = ("Principal", "Interest", "Fees", "Balance owed")
#: While part of the balance is disputed: the lines of the undisputed balance, then the rest.
UNDISPUTED_LABELS: Final = ("Principal", "Interest", "Fees", "Undisputed balance")
DISPUTED_LABEL: Final = "Disputed, set aside (not part of this agreement)"

CONFIRMATION_TITLE: Final = "Confirmation of the terms agreed"
_TITLES: Final = {
    OptionKind.pay_in_full: "Agreement to pay in full",
    OptionKind.settlement: "Settlement agreement",
    OptionKind.settlement_installments: "Settlement agreement",
    OptionKind.plan_full: "Repayment plan agreement",
    OptionKind.plan_reduced: "Repayment plan and settlement agreement",
    OptionKind.plan_step_up: "Step-up repayment plan agreement",
    OptionKind.hardship_token: "Hardship payment arrangement",
}


@record
class Document:
    format: DocFormat
    content: str | bytes
    fingerprint: str
    summary: str


def balance_lines(record: dict[str, Any], fig: Figures) -> list[tuple[str, str, bool]]:
    """The balance table as (label, amount, is a total): the balance broken down, or, while part
    of it is disputed, the undisputed balance broken down and then the disputed amount."""
    balance = record["balance"]
    disputed = Decimal(balance.get("disputed", "0"))
    labels = UNDISPUTED_LABELS if disputed else BALANCE_LABELS
    keys = ("principal", "interest", "fees", "total")
    lines = [
        (label, fig.money(Decimal(balance[key])), key == "total")
        for label, key in zip(labels, keys, strict=True)
    ]
    if disputed:
        lines.append((DISPUTED_LABEL, fig.money(disputed), False))
    return lines


#: The schedule's label for the down payment row. Documents written before it was introduced
#: label that row "0" (:data:`LEGACY_DOWN_ROW`); ``negplan verify`` accepts both.
DOWN_ROW: Final = "Down"
LEGACY_DOWN_ROW: Final = "0"


def schedule_rows(record: dict[str, Any], down_label: str | None = None) -> list[dict[str, str]]:
    """The schedule table's rows: the down payment first, labelled :data:`DOWN_ROW` (not "0",
    which reads as a payment of nothing), then the payments numbered from 1."""
    down = record.get("down_payment")
    label = DOWN_ROW if down_label is None else down_label
    numbered: list[tuple[int | str, Any]] = [(label, down)] if down else []
    numbered += list(enumerate(record["payments"], start=1))
    fig = Figures(record["currency"], record["locale"])
    return [
        {
            "number": str(number),
            "due": weekday_text(date.fromisoformat(p["due"])),
            "amount": fig.money(Decimal(p["amount"])),
            "note": p["note"],
        }
        for number, p in numbered
    ]


def _context(
    record: dict[str, Any], print_: str, fmt: DocFormat, down_label: str | None = None
) -> dict[str, Any]:
    """Everything the templates show, from the record alone: so ``negplan verify`` can render
    the document again from the terms it carries and compare (SPEC §5a)."""
    fig = Figures(record["currency"], record["locale"])
    contacts = record["contacts"]
    jurisdiction = parse_jurisdiction(record["jurisdiction"])
    scheduled = len(record["payments"])
    down = record["down_payment"]
    # The down payment has a box of its own beside this one: this box counts what follows it.
    payments_label = "one" if scheduled == 1 else f"{scheduled} monthly"
    if down is not None:
        payments_label = f"then {payments_label}"
    issued = date.fromisoformat(record["issued"])
    kind = OptionKind(record["option"])  # a record naming no known kind is damaged
    return {
        "format": fmt,
        # Where a signed promise could revive a time-barred debt, the creditor confirms the
        # terms agreed on the call and the debtor signs nothing (clauses.debtor_signs).
        "title": _TITLES[kind] if record["debtor_signs"] else CONFIRMATION_TITLE,
        "case_id": record["case_id"],
        "issued": long_date(issued),
        "issued_iso": issued.isoformat(),
        "jurisdiction": jurisdiction.name,
        "account_ref": record["account_ref"],
        "product": record["product"].replace("_", " "),
        "creditor": {
            "name": record["creditor"],
            "address": contacts["creditor_address"],
            "phone": contacts["creditor_phone"],
            "signatory": record["signatory"] or "",
        },
        "debtor": {
            "name": record["debtor"],
            "address": contacts["debtor_address"],
            "email": contacts["debtor_email"],
        },
        "balance": [
            {"label": label, "amount": amount, "strong": strong}
            for label, amount, strong in balance_lines(record, fig)
        ],
        # A notice set off next to the amount claimed (6 RCNY § 2-191): only some records have one.
        "clauses": {"beside_amount": [], **record["clauses"]},
        "schedule": schedule_rows(record, down_label),
        "down_payment": "" if down is None else fig.money(Decimal(down["amount"])),
        "first_due": weekday_text(date.fromisoformat(record["payments"][0]["due"])),
        "total": fig.money(Decimal(record["total"])),
        "payments_label": payments_label,
        "party": record["party"],
        "debtor_signs": record["debtor_signs"],
        "fingerprint": print_,
        "short_fingerprint": print_[:19],
        "terms_json": Markup(embedded(record, print_)),
        "page_size": _PAGE_SIZES.get(jurisdiction.country, "A4"),
        "generator": f"negplan {__version__}",
    }


def render_record(
    record: dict[str, Any], fmt: DocFormat, down_label: str | None = None
) -> str | bytes:
    """The document for ``record``: what ``negplan agreement`` writes, and what ``negplan
    verify`` renders again to compare with a file. Same record, same bytes. (``down_label``
    is for ``verify`` only: :data:`LEGACY_DOWN_ROW` renders as documents were written before.)"""
    print_ = fingerprint(record)
    if fmt == "pdf":
        issued = date.fromisoformat(record["issued"])
        return html_to_pdf(pdf_html(record, down_label), embedded(record, print_), issued)
    return render(f"agreement.{fmt}.j2", _context(record, print_, fmt, down_label))


def pdf_html(record: dict[str, Any], down_label: str | None = None) -> str:
    """The HTML that WeasyPrint lays out as the PDF of ``record``."""
    return render("agreement.html.j2", _context(record, fingerprint(record), "pdf", down_label))


def render_agreement(a: Agreement, fmt: DocFormat) -> Document:
    """The agreement as Markdown, HTML or PDF, with its record embedded."""
    record = agreement_record(a)
    print_ = fingerprint(record)
    fig = Figures(a.case.currency, record["locale"])
    count = len(a.payments)
    down = "" if a.down_payment is None else f"a down payment of {fig.money(a.down_amount)} and "
    summary = (
        f"{_TITLES[a.kind].lower()}: {down}{count} {plural(count, 'payment', 'payments')}, "
        f"total {fig.money(a.total)}, first due {long_date(a.payments[0].date.due)}; "
        f"fingerprint {print_}"
    )
    if a.approved_by is not None:
        summary += f"; approved by {a.approved_by} (kept out of the document the debtor reads)"
    summary += "".join(f"; {note}" for note in executive_notes(a))
    return Document(fmt, render_record(record, fmt), print_, summary)


def executive_notes(a: Agreement) -> list[str]:
    """What the executive (and the compliance officer who signs off) must know before sending
    the agreement, kept out of the document the debtor reads: time-barred words not yet
    checked word for word against the official text, to be confirmed with counsel, and how a
    written notice must be set out (6 RCNY § 2-191). SPEC §6a "Words"; docs/decisions.md,
    "Unverified time-barred words"."""
    notice = time_barred_notice(a.case, a.plan.tables, a.issued) if a.plan.time_barred else None
    if notice is None:
        return []
    cited = [checked.partition(": ")[0] for checked in notice.unverified]
    notes = (
        [
            "confirm with counsel before sending: the time-barred disclosure of "
            f"{' and '.join(cited)} {'is' if len(cited) == 1 else 'are'} not verified word for "
            "word against the official text"
        ]
        if cited
        else []
    )
    return notes + [note for note, _ in notice.print_notes]


#: What a PDF needs beyond pip: WeasyPrint draws text with the system's Pango library.
PANGO_MISSING = (
    "writing a PDF needs the Pango text library, which is not installed: on Debian or Ubuntu "
    "run 'sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0', on Fedora 'sudo dnf install "
    "pango', on macOS 'brew install pango'; or write --format html and print it to PDF"
)


def load_weasyprint() -> Any:
    """Import WeasyPrint, or say what to install when the system libraries it needs are missing.

    Without Pango, WeasyPrint prints a banner on stdout (where a PDF may be going) and raises
    ``OSError: cannot load library 'libgobject-2.0-0'``; both are kept from the user.
    """
    import io

    try:
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint
    except OSError:
        raise OutputError(PANGO_MISSING) from None
    return weasyprint


def html_to_pdf(html: str, embedded: str, issued: date) -> bytes:
    """Render with WeasyPrint (imported here: it is slow), fetching nothing but the package's
    own template assets, with the record attached as ``negplan-terms.json``. Dates inside the
    PDF are the agreement's date, so the same inputs give the same bytes."""
    import logging

    weasyprint = load_weasyprint()
    # Font-subsetting notices and the like are for developers, not for the collector's terminal.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fetcher = asset_fetcher()
    stamp = datetime.combine(issued, time(0), tzinfo=timezone.utc)
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher)
    attachment = weasyprint.Attachment(
        string=embedded,
        url_fetcher=fetcher,
        name=ATTACHMENT,
        description="negplan agreement record (JSON)",
        created=stamp,
        modified=stamp,
    )
    with _source_date_epoch(stamp):
        pdf: bytes = document.write_pdf(attachments=[attachment])
    return pdf


@contextlib.contextmanager
def _source_date_epoch(stamp: datetime) -> Iterator[None]:
    """Font subsetting (fontTools) stamps each embedded font with the current time unless
    ``SOURCE_DATE_EPOCH`` is set (reproducible-builds.org): pin it while rendering."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def _is_asset(url: str) -> bool:
    """Whether ``url`` is a file inside one of the template folders."""
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(url2pathname(parts.path)).resolve()
    return path.is_file() and any(path.is_relative_to(d.resolve()) for d in template_dirs())


def asset_fetcher() -> Any:
    """A WeasyPrint URL fetcher that refuses every URL but the package's template assets:
    no network, no other file (SPEC §7)."""
    weasyprint = load_weasyprint()

    def refuse(url: str) -> None:
        if not _is_asset(url):
            raise ValueError(f"negplan fetches nothing but its own assets; refused {url[:200]}")

    if hasattr(weasyprint, "URLFetcher"):  # WeasyPrint ≥ 68

        class AssetFetcher(weasyprint.URLFetcher):  # type: ignore[misc,name-defined]
            def fetch(self, url: str, headers: Any = None) -> Any:
                refuse(url)
                return super().fetch(url, headers)

        return AssetFetcher(allowed_protocols=("file",))

    def fetch(url: str, timeout: int = 10, ssl_context: Any = None) -> Any:
        refuse(url)
        return weasyprint.default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)

    return fetch
