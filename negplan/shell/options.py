"""Options shared by several commands, and how their values are parsed."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Annotated, Any

import typer

from negplan.core.fields import parse_iso_date, parse_timestamp


def parse_as_of(value: str | None) -> date | None:
    """A planning date, as strict as a case file's dates (YYYY-MM-DD, years 1900 to 9000: a
    date at year 9999 overflowed the planning arithmetic)."""
    if value is None:
        return None
    try:
        return parse_iso_date(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def parse_now(value: str | None) -> datetime | None:
    """The moment of the call, as strict as a case file's timestamps."""
    if value is None:
        return None
    try:
        return parse_timestamp(value)
    except ValueError as exc:
        raise typer.BadParameter(
            f"{exc} (expected an ISO 8601 timestamp with offset, e.g. 2026-11-22T10:00:00-08:00)"
        ) from None


RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--rules",
        help="Creditor rules YAML, merged key by key over the defaults.",
        metavar="FILE",
        rich_help_panel="Inputs",
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Planning date (default: today, or the date of --now).",
        metavar="YYYY-MM-DD",
        callback=parse_as_of,
        rich_help_panel="Inputs",
    ),
]
#: ``--as-of`` for commands without ``--now`` (validate, agreement): its help cannot point there.
PlanningDateOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Planning date (default: today).",
        metavar="YYYY-MM-DD",
        callback=parse_as_of,
        rich_help_panel="Inputs",
    ),
]
NowOption = Annotated[
    str | None,
    typer.Option(
        "--now",
        help="The moment of the call, for the compliance check (default: now).",
        metavar="DATETIME",
        callback=parse_now,
        rich_help_panel="Inputs",
    ),
]
#: ``today``'s ``--now``: not one call's moment but the start of the list's day.
ListNowOption = Annotated[
    str | None,
    typer.Option(
        "--now",
        help="The moment the list is made for: a case is a call today if it may lawfully be "
        "called between then and the end of your day (default: now).",
        metavar="DATETIME",
        callback=parse_now,
        rich_help_panel="Inputs",
    ),
]


#: The ledger every ledger-aware command reads or writes (SPEC §8).
LedgerOption = Annotated[
    str | None,
    typer.Option(
        "--ledger",
        envvar="NEGPLAN_LEDGER",
        help="The ledger: a SQLite file or a postgresql:// URL (default: $NEGPLAN_LEDGER, "
        "else negplan.db in the current folder).",
        metavar="PATH|URL",
        rich_help_panel="Ledger",
    ),
]

TemplatesOption = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        help="Folder of templates that override the built-in ones.",
        metavar="DIR",
        rich_help_panel="Outputs",
    ),
]


#: ``batch`` and ``today`` plan many files on a pool of worker processes.
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        help="Worker processes (default: the machine's cores).",
        metavar="N",
    ),
]


def resolve_moments(as_of: Any, now: Any) -> tuple[date, datetime]:
    """Defaults: ``now`` is the current time; ``as_of`` is the date of ``now``.

    A call cannot be planned for before the planning date: ``--now`` earlier than ``--as-of`` is
    a usage error (exit 2).
    """
    moment = now if isinstance(now, datetime) else datetime.now(timezone.utc).astimezone()
    day = as_of if isinstance(as_of, date) else moment.date()
    if isinstance(now, datetime) and now.date() < day:
        raise typer.BadParameter(
            f"the call ({now.isoformat()}) is before the planning date {day}; "
            "give a --now on or after --as-of",
            param_hint="'--now'",
        )
    if isinstance(now, datetime) and isinstance(as_of, date) and now.date() != day:
        from negplan.shell.funnel import warn

        warn(
            f"--now is on {now.date()} but --as-of is {day}: amounts and dates are planned as of "
            f"{day}, the compliance check is for the call at {now.isoformat()}; give both the "
            "same day unless you mean to plan ahead"
        )
    return day, moment
