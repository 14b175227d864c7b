"""A first pass over a YAML file's events, before any of it is built (SPEC §7a).

Building a document is what costs time and memory: a 10 MB file of 2.4 million list items took
44 s and 1.6 GB to build and only then met the list limits. This pass reads the parser's events
(libyaml's C parser when available: iterative, so nesting cannot overflow its stack), keeps
nothing but a depth and a count, and stops at the first event that breaks a bound:

* more than :data:`MAX_EVENTS` events: values, the starts and ends of lists and mappings, and
  documents (a case file at every list limit has about 80,000);
* nesting deeper than :data:`MAX_DEPTH`;
* an explicit tag other than the plain ones (``!!binary`` bytes, ``!!set``, ``!!python/…``);
* a text value carrying control characters (terminal escapes such as ``\\e[31m`` or an OSC
  title, written as YAML escapes): case data is printed on collectors' terminals (SPEC §7a).

What passes builds within bounded time and memory; the later checks (aliases, duplicate and
merge keys, the models' own limits) run on a small document.
"""

from __future__ import annotations

import re
from typing import Final

import yaml

from negplan.errors import InputError, Problem

MAX_DEPTH: Final = 32
MAX_EVENTS: Final = 200_000

_Parser: Final[type] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PLAIN_TAGS: Final = frozenset(
    "tag:yaml.org,2002:" + kind for kind in ("str", "int", "float", "bool", "null", "map", "seq")
) | {"!"}

#: C0 controls but tab and line breaks, DEL, C1 controls, and the bidirectional overrides that
#: reorder what a terminal shows (the "Trojan Source" characters).
CONTROL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _refuse(message: str, name: str, mark: yaml.Mark | None) -> InputError:
    return InputError(
        [
            Problem(
                message,
                file=name,
                line=None if mark is None else mark.line + 1,
                column=None if mark is None else mark.column + 1,
            )
        ]
    )


def check_events(text: str, name: str) -> None:
    """Refuse ``text`` at the first event past a bound (raises YAML errors for bad syntax)."""
    parser = _Parser(text)
    depth = 0
    count = 0
    try:
        while True:
            event = parser.get_event()
            if event is None:
                return
            count += 1
            kind = type(event)
            if kind is yaml.ScalarEvent or kind is yaml.AliasEvent:
                tag = getattr(event, "tag", None)
                if tag is not None and tag not in _PLAIN_TAGS:
                    shown = tag.replace("tag:yaml.org,2002:", "!!")[:40]
                    raise _refuse(
                        f"the tag {shown!r} is not allowed: write the value as plain text or a "
                        "number",
                        name,
                        event.start_mark,
                    )
                if kind is yaml.ScalarEvent and CONTROL.search(event.value):
                    raise _refuse(
                        "control characters (such as terminal escapes) are not allowed in text",
                        name,
                        event.start_mark,
                    )
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                depth += 1
                tag = event.tag
                if tag is not None and tag not in _PLAIN_TAGS:
                    shown = tag.replace("tag:yaml.org,2002:", "!!")[:40]
                    raise _refuse(f"the tag {shown!r} is not allowed here", name, event.start_mark)
                if depth > MAX_DEPTH:
                    raise _refuse(
                        f"nested more than {MAX_DEPTH} levels deep; a case file is a few levels "
                        "deep",
                        name,
                        event.start_mark,
                    )
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
            if count > MAX_EVENTS:
                raise _refuse(
                    f"more than {MAX_EVENTS:,} values and structures; a case or rules file has "
                    "far fewer (contacts and payments are limited to a few thousand)",
                    name,
                    event.start_mark,
                )
    finally:
        parser.dispose()
