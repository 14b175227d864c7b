"""Wrapping styled text for a terminal without breaking what belongs together.

Rich and :mod:`textwrap` break a line at any space, so at 80 columns ``24 mo 277.68`` could end
one line with ``24 mo`` and start the next with ``277.68``. The brief marks the spaces inside
such a pair as non-breaking (:data:`NBSP`); this wrapper breaks only at ordinary spaces and
prints the non-breaking ones as spaces. One wrapper serves the plain and the Rich brief, so both
break in the same places.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

#: (text, style) pieces of a line; the style is a Rich style, ignored in plain text.
Pieces = list[tuple[str, str]]

#: A space the wrapper never breaks at (printed as an ordinary space).
NBSP = "\u00a0"

#: Columns of text written to a file or pipe when ``COLUMNS`` does not say otherwise.
PLAIN_WIDTH = 100


def piped_width(environ: Mapping[str, str] | None = None) -> int:
    """Columns for output with no terminal to measure: ``COLUMNS`` if set, else :data:`PLAIN_WIDTH`.

    ``COLUMNS`` is how a user (or ``--help``, which already follows it) says how wide the text
    should be, so ``COLUMNS=80 negplan prep ... | less`` stays within 80 columns; a value that is
    not a positive whole number is ignored, as shells and Rich ignore it.
    """
    value = (os.environ if environ is None else environ).get("COLUMNS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else PLAIN_WIDTH


def keep(text: str) -> str:
    """``text`` with its spaces made non-breaking: it stays on one line if it fits one."""
    return text.replace(" ", NBSP)


def _words(pieces: Iterable[tuple[str, str]]) -> list[Pieces]:
    """Split pieces at ordinary spaces into words, each a list of styled fragments."""
    words: list[Pieces] = []
    current: Pieces = []
    for text, style in pieces:
        parts = text.replace(" · ", NBSP + "· ").split(" ")  # "·" ends a line, never starts one
        for i, part in enumerate(parts):
            if i > 0:  # a space ended the word before
                if current:
                    words.append(current)
                current = []
            if part:
                current.append((part, style))
    if current:
        words.append(current)
    return words


def _length(word: Pieces) -> int:
    return sum(len(text) for text, _ in word)


def _fold(word: Pieces, width: int) -> list[Pieces]:
    """A word longer than the line, cut into line-long parts (a long path, say)."""
    flat = [(ch, style) for text, style in word for ch in text]
    return [_merge(flat[i : i + width]) for i in range(0, len(flat), width)]


def _merge(fragments: Iterable[tuple[str, str]]) -> Pieces:
    out: Pieces = []
    for text, style in fragments:
        text = text.replace(NBSP, " ")
        if out and out[-1][1] == style:
            out[-1] = (out[-1][0] + text, style)
        elif text:
            out.append((text, style))
    return out


def wrap(pieces: Iterable[tuple[str, str]], width: int) -> list[Pieces]:
    """Greedy wrap of styled pieces to ``width`` columns, breaking only at ordinary spaces."""
    width = max(width, 10)
    lines: list[Pieces] = []
    line: Pieces = []
    used = 0
    for word in _words(pieces):
        size = _length(word)
        if size > width:
            if line:
                lines.append(_merge(line))
            *full, last = _fold(word, width)
            lines += full
            line, used = list(last), _length(last)
            continue
        if line and used + 1 + size > width:
            lines.append(_merge(line))
            line, used = [], 0
        if line:
            line.append((" ", ""))
            used += 1
        line += word
        used += size
    if line or not lines:
        lines.append(_merge(line))
    return lines


def plain(pieces: Pieces) -> str:
    return "".join(text for text, _ in pieces)
