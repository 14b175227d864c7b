"""Comparing an agreement file with the document its terms give (SPEC §5a).

``negplan verify`` renders the document again from the record it carries and compares:

* **Markdown and HTML** character for character, after undoing what copying a file may do
  without changing what anyone sees: a byte-order mark and Windows line endings. Everything
  else counts, because everything else can change what a reader sees: a ``hidden`` attribute,
  ``style="display:none"``, a ``<style>`` or ``<link rel=stylesheet>``, a comment, a zero-width
  character, trailing text.
* **PDF** byte for byte. WeasyPrint writes the same bytes for the same HTML, fonts and date
  (the record fixes the date and ``SOURCE_DATE_EPOCH``), so any change to text, position,
  colour, page, annotation, metadata or attachment fails. When the pages' drawing instructions
  are the same and only the rest differs, the message says so; when the bytes differ because
  the verifying machine has other fonts or another WeasyPrint, the message names that
  possibility too (the creditor verifies on the installation that wrote the file).
"""

from __future__ import annotations

import io
from typing import Final

from negplan.display import printable

_SHOWN: Final = 100  # characters of a differing line shown in a message


def _normalised(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _shown(line: str) -> str:
    line = printable(line).replace("\n", "\\n")
    return line if len(line) <= _SHOWN else line[: _SHOWN - 1] + "…"


def text_differences(original: str, expected: str) -> list[str]:
    """Where a Markdown or HTML file departs from the document its terms give (at most one
    message: the first differing line, with what the terms give there)."""
    have, want = _normalised(original), _normalised(expected)
    if have == want:
        return []
    have_lines, want_lines = have.split("\n"), want.split("\n")
    for number, (line, wanted) in enumerate(zip(have_lines, want_lines, strict=False), start=1):
        if line != wanted:
            return [
                f"line {number} is not what the terms give: it reads “{_shown(line)}”; the terms "
                f"give “{_shown(wanted)}”"
            ]
    number = min(len(have_lines), len(want_lines)) + 1
    if len(have_lines) > len(want_lines):
        return [f"line {number} and after were added: “{_shown(have_lines[number - 1])}”"]
    return [f"line {number} and after are missing: “{_shown(want_lines[number - 1])}”"]


def _page_drawings(data: bytes) -> list[bytes] | None:
    """Each page's drawing instructions (text, positions, colours), or None if unreadable."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = []
        for page in reader.pages:
            contents = page.get_contents()
            pages.append(b"" if contents is None else contents.get_data())
        return pages
    except Exception:  # pypdf raises many kinds of errors on damaged files
        return None


def pdf_differences(original: bytes, expected: bytes) -> list[str]:
    """Whether a PDF is, byte for byte, the one its terms give; if not, where it departs."""
    if original == expected:
        return []
    have, want = _page_drawings(original), _page_drawings(expected)
    if have is None or want is None:
        return ["the file is not the PDF its terms give"]
    if len(have) != len(want):
        return [f"the file has {len(have)} page(s); the terms give {len(want)}"]
    changed = [
        number for number, (a, b) in enumerate(zip(have, want, strict=True), start=1) if a != b
    ]
    if changed:
        pages = ", ".join(str(n) for n in changed[:10])
        return [
            f"page {pages} is not what the terms give (text, position or colour differs; or "
            "the file was written with other fonts or another version of WeasyPrint)"
        ]
    return [
        "the pages draw the same, but the file is not the PDF its terms give (its metadata, "
        "annotations, attachments or actions differ)"
    ]
