"""Reasons as data: every verdict, figure and refusal says why as a (code, rule, text) record.

Code decides by ``code`` (a stable identifier, documented in ``docs/reasons.md``); people read
``text``; ``rule`` names the rules key or the regulation the figure comes from. Nothing in negplan
chooses what to do by matching a reason's sentence.
"""

from __future__ import annotations

from collections.abc import Iterable

from negplan.records import record


@record
class Reason:
    """Why: a stable ``code``, the ``rule`` behind it, and the sentence a person reads."""

    code: str
    rule: str
    text: str

    def __str__(self) -> str:
        return self.text


def texts(reasons: Iterable[Reason]) -> list[str]:
    """The sentences, in order, for people."""
    return [r.text for r in reasons]


def with_code(reasons: Iterable[Reason], *codes: str) -> list[Reason]:
    """The reasons whose code is one of ``codes``, in order."""
    return [r for r in reasons if r.code in codes]
