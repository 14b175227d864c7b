"""A command's description laid out for the terminal it is read on.

Click's own help (piped, or ``NO_COLOR``) re-flows each paragraph of a docstring and keeps a
block marked ``\\b`` line by line. Typer's Rich help does neither: it prints every paragraph
after the first with the docstring's own line breaks, so at 80 columns a sentence broke as
"... if any case failed. / With / --challenger ...", and it prints the ``\\b`` marker itself.
:func:`for_rich` gives Rich the text it needs to do what click does: each paragraph on one line
(Rich wraps it at the terminal's width, ``COLUMNS`` included) and each ``\\b`` block line by line.

An example command line too long for the terminal is broken between words, never inside a
quoted word, with a shell continuation (`` \\``) and a deeper indent: the lines stay indented
under ``Example:`` and can still be copied and pasted as one command.
"""

from __future__ import annotations

import inspect
import re

#: A word of a command line: quoted text stays whole (``--by "Sam Patel"``).
_WORD = re.compile(r"""(?:"[^"]*"|'[^']*'|\S)+""")
#: How much deeper a continued command line is indented than its first line.
_CONTINUED = "  "


def fitted(line: str, width: int) -> list[str]:
    """``line`` as lines of at most ``width`` characters, broken between words with `` \\``.

    A single word longer than the width is left whole (the terminal folds it; cutting it would
    change the command)."""
    if len(line) <= width:
        return [line]
    indent = line[: len(line) - len(line.lstrip())]
    lines: list[str] = []
    current = indent
    for word in _WORD.findall(line):
        lead = indent if not lines else indent + _CONTINUED
        candidate = word if current == lead else f"{current} {word}"
        if current != lead and len(candidate) + len(" \\") > width:
            lines.append(current + " \\")
            current = indent + _CONTINUED + word
        else:
            current = lead + word if current == lead else candidate
    lines.append(current)
    return lines


def for_rich(help_text: str, width: int) -> str:
    """``help_text`` as Rich should print it in ``width`` columns: paragraphs joined into one
    line each, ``\\b`` blocks kept line by line (without the marker), long lines of a block
    broken by :func:`fitted`. Anything after a line ``\\f`` is dropped, as click does."""
    text = inspect.cleandoc(help_text).partition("\f")[0]
    paragraphs = []
    for paragraph in text.split("\n\n"):
        if paragraph.startswith("\b"):
            lines = paragraph[1:].lstrip("\n").splitlines()
            paragraphs.append("\n".join(part for line in lines for part in fitted(line, width)))
        else:
            paragraphs.append(" ".join(paragraph.split()))
    return "\n\n".join(paragraphs)
