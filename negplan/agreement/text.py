"""Reading an agreement back: the text a reader sees and the record it carries, in each format.

Used by ``negplan.agreement.verify``: to find the record a document carries, and to say which
terms a reader no longer sees when a document is not the one its terms give.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from typing import Any, Final

from negplan.agreement.record import ATTACHMENT, EMBED_ID
from negplan.errors import InputError
from negplan.records import record


@record
class Content:
    visible: str  # the text a reader sees
    embedded: str | None  # the embedded envelope (JSON text)
    shown_prints: list[str]  # fingerprints found outside the text (PDF, HTML metadata)
    presentation: str = ""  # what else shapes what a reader sees: HTML title, metadata, style


_INVISIBLE: Final = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def collapse(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_INVISIBLE).split())


def squeeze(text: str) -> str:
    """Without any whitespace: line breaks in a PDF may fall anywhere, even after a hyphen."""
    return "".join(unicodedata.normalize("NFKC", text).translate(_INVISIBLE).split())


#: The record's comment is a line of its own; case data never starts a line (``|md`` escapes it,
#: and every line the template starts with case data has a prefix), so data cannot forge or hide
#: one. Found line by line, never by a pattern spanning lines (88 KB of unclosed openings took
#: a ``.*?`` pattern seven seconds).
_MD_OPEN: Final = "<!-- " + EMBED_ID + ": "
_MD_CLOSE: Final = " -->"
_MD_TOKEN = re.compile(r"\\(.)|(\*\*|[*_|])|([^\\*_|]+)", re.DOTALL)
_MD_RULE_CELL = re.compile(r":?-{3,}:?")


def _is_rule(line: str) -> bool:
    """A table's rule line (``|---|:---:|``), checked cell by cell: a pattern with adjacent
    ``\\s*`` took 18 s on a line of 30,000 spaces."""
    cells = line.strip().removeprefix("|").removesuffix("|").split("|")
    return all(_MD_RULE_CELL.fullmatch(cell.strip()) for cell in cells)


def _md_records(text: str) -> tuple[list[str], str]:
    """The embedded records, and the text with their lines blanked."""
    records: list[str] = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(_MD_OPEN):
            end = line.rstrip(" \t\r")
            if end.endswith(_MD_CLOSE):
                records.append(end[len(_MD_OPEN) : -len(_MD_CLOSE)])
                lines[i] = " "
    return records, "\n".join(lines)


def md_content(text: str, name: str) -> Content:
    records, body = _md_records(text)
    if len(records) > 1:
        raise InputError.single("more than one embedded record: not one agreement", file=name)
    lines: list[str] = []
    for line in body.splitlines():
        if _is_rule(line):
            continue
        line = re.sub(r"^\s*(#{1,6}\s|>\s?|[-+]\s)", "", line)
        out: list[str] = []
        for m in _MD_TOKEN.finditer(line):
            if m.group(1) is not None:
                out.append(m.group(1))
            elif m.group(2):
                out.append(" " if m.group(2) == "|" else "")
            else:
                out.append(m.group(3))
        lines.append("".join(out))
    return Content("\n".join(lines), records[0] if records else None, [])


_BLOCK_TAGS: Final = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
        *("figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header"),
        *("hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td"),
        *("tfoot", "th", "thead", "tr", "ul"),
    }
)
_HIDDEN_TAGS: Final = frozenset({"script", "style", "head", "title", "template", "noscript"})


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.records: list[str] = []
        self.presentation: list[str] = []  # title, metadata and style: not text, but shown
        self.prints: list[str] = []
        self._hidden: list[str] = []
        self._record: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and ("id", EMBED_ID) in attrs:
            self._record = []
        if tag == "meta":
            self.presentation.append(repr(sorted(attrs)))
            if ("name", "description") in attrs:
                self.prints += re.findall(
                    r"sha256:[0-9a-f]{8,64}", dict(attrs).get("content") or ""
                )
        if tag in _HIDDEN_TAGS:
            self._hidden.append(tag)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS and tag in self._hidden:
            while self._hidden and self._hidden.pop() != tag:
                pass
            if tag == "script" and self._record is not None:
                self.records.append("".join(self._record))
                self._record = None
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._record is not None:
            self._record.append(data)
        elif not self._hidden:
            self.parts.append(data)
        elif self._hidden[-1] in ("title", "style"):
            self.presentation.append(data)


_HTML_OPEN: Final = '<script type="application/json" id="' + EMBED_ID + '">'


def html_record(text: str, name: str) -> str | None:
    """The record an HTML agreement carries, found by plain search: the parser below is
    quadratic on crafted markup (10 MB of unclosed ``<!--``), and the record's JSON escapes
    ``<`` so no ``</script>`` can occur inside it."""
    start = text.find(_HTML_OPEN)
    if start < 0:
        return None
    if text.find(_HTML_OPEN, start + 1) >= 0:
        raise InputError.single("more than one embedded record: not one agreement", file=name)
    start += len(_HTML_OPEN)
    end = text.find("</script>", start)
    return None if end < 0 else text[start:end]


def html_content(text: str, name: str) -> Content:
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    if len(parser.records) > 1:
        raise InputError.single("more than one embedded record: not one agreement", file=name)
    record = parser.records[0] if parser.records else None
    presentation = collapse(" ".join(parser.presentation))
    return Content("".join(parser.parts), record, parser.prints, presentation)


def _pdf_reader(data: bytes, name: str) -> Any:
    try:
        from pypdf import PdfReader
    except ImportError:
        raise InputError.single(
            "verifying a PDF needs pypdf (pip install pypdf)", file=name
        ) from None
    import io
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        return PdfReader(io.BytesIO(data))
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise InputError.single(f"not a readable PDF ({type(exc).__name__})", file=name) from None


def pdf_record(data: bytes, name: str) -> str | None:
    """The record a PDF agreement carries (its attached ``negplan-terms.json``)."""
    reader = _pdf_reader(data, name)
    try:
        attached = reader.attachments.get(ATTACHMENT, [])
    except Exception as exc:
        raise InputError.single(f"not a readable PDF ({type(exc).__name__})", file=name) from None
    if len(attached) > 1:
        raise InputError.single("more than one embedded record: not one agreement", file=name)
    return attached[0].decode("utf-8", "replace") if attached else None


def pdf_content(data: bytes, name: str) -> Content:
    reader = _pdf_reader(data, name)
    try:
        pages = [page.extract_text() or "" for page in reader.pages]
        metadata = reader.metadata
        subject = str(metadata.get("/Subject", "") or "") if metadata is not None else ""
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise InputError.single(f"not a readable PDF ({type(exc).__name__})", file=name) from None
    prints = re.findall(r"sha256:[0-9a-f]{8,64}", subject)
    text = "\n".join(_strip_running_footer(page) for page in pages)
    return Content(text, pdf_record(data, name), prints)


def _strip_running_footer(page: str) -> str:
    """Remove the page footer a PDF viewer repeats on every page (it may land mid-paragraph)."""
    return re.sub(r"Agreement \S+ · sha256:[0-9a-f]{12}… · page \d+ of \d+", " ", page)
