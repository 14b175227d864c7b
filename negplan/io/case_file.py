"""Case files: read, parse and validate, with every problem located (SPEC §2, §7)."""

from __future__ import annotations

import typing
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from negplan.core.case import Case
from negplan.core.case_dates import date_problems, partial_date_problems
from negplan.errors import InputError, Problem, TermsRefused
from negplan.io.case_validator import validate_case
from negplan.io.phones import place_case
from negplan.io.problems import located, validation_problems
from negplan.io.yaml import parse_yaml, read_text, require_mapping


def load_case(source: str | Path, as_of: date, *, stdin: typing.TextIO | None = None) -> Case:
    """Read, parse and validate a case file; raise :class:`InputError` with every problem."""
    text, name = read_text(source, stdin=stdin)
    return case_from_text(text, name, as_of)


def case_from_text(text: str, name: str, as_of: date) -> Case:
    """Parse and validate case text; dates are checked against the planning date ``as_of``."""
    wrong_values: list[Problem] = []  # an impossible date is one problem among the others
    data, root = parse_yaml(text, name, value_problems=wrong_values)
    require_mapping(data, name, "case fields")
    try:
        case = validate_case(data)
    except ValidationError as exc:
        # The wrong value, left as its text, fails validation too: its own words say more.
        said = {p.path for p in wrong_values if p.path}
        problems = [p for p in validation_problems(exc, Case, name, root) if p.path not in said]
        problems += wrong_values
        problems += located(partial_date_problems(data, as_of), name, root)
        raise InputError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0))) from None
    problems = located(date_problems(case, as_of), name, root)
    if wrong_values:  # in a text field (``notes: 2026-13-01``), so it validated
        problems = sorted(wrong_values + problems, key=lambda p: (p.line or 0, p.column or 0))
    if problems:
        raise InputError(problems)
    place_case(case)
    return case


def locate_in_case(
    error: InputError | TermsRefused, source: str | Path, section: str = "agreement"
) -> InputError | TermsRefused:
    """``error`` located in the case file it came from: an agreement taken from the case's
    ``agreement:`` section is refused or rejected at that section's line, as any other case
    problem is (SPEC §7). ``source`` ``-`` (stdin) cannot be read again: ``error`` unchanged."""
    if str(source) == "-":
        return error
    try:
        text, name = read_text(source)
        _, root = parse_yaml(text, name)
    except InputError:
        return error
    if isinstance(error, InputError):
        problems = [p if p.file else _at(p, name, root) for p in error.problems]
        return InputError(problems)
    [where] = located([Problem("", path=section)], name, root)
    head = str(where).rstrip(": ").rstrip()
    return TermsRefused(
        error.reasons,
        error.nearest,
        heading=f"{head}: the case file's terms are refused, for these reasons:",
    )


def _at(problem: Problem, name: str, root: typing.Any) -> Problem:
    [where] = located([problem], name, root)
    return where
