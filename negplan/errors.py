"""The error tree. The CLI's one error funnel turns these into messages and exit codes.

``InputError`` subclasses ``ValueError`` as well as ``NegplanError`` so that library callers can
catch either (the copier pattern).
"""

from __future__ import annotations

from pathlib import Path

from negplan.records import record


@record
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    message: str
    path: str = ""  # the field path, e.g. ``finances.income[1].amount``
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        field = f"{self.path}: " if self.path else ""
        return f"{where}{field}{self.message}"


class NegplanError(Exception):
    """Base of every error negplan reports to a user (exit code 1)."""

    exit_code = 1


class InputError(NegplanError, ValueError):
    """A case, rules or option value is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(cls, message: str, *, file: str | Path | None = None, path: str = "") -> InputError:
        return cls([Problem(message, path=path, file=None if file is None else str(file))])


class TermsRefused(NegplanError):
    """Proposed agreement terms break the creditor's minimum, authority or policy."""

    def __init__(
        self, reasons: list[str], nearest: list[str] | None = None, heading: str = "terms refused:"
    ) -> None:
        self.reasons = reasons
        self.nearest = nearest or []
        self.heading = heading
        lines = [heading, *(f"  - {r}" for r in reasons)]
        if self.nearest:
            lines += ["nearest acceptable terms:", *(f"  - {n}" for n in self.nearest)]
        super().__init__("\n".join(lines))


class OutputError(NegplanError):
    """An output could not be written (permissions, a path outside ``--out``, disk full)."""
