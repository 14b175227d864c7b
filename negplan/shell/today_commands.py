"""``negplan today``: the executive's day's work list across time zones (SPEC §9)."""

from __future__ import annotations

import os
import sys
from datetime import tzinfo
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from negplan.shell.funnel import funnel, warn
from negplan.shell.options import (
    AsOfOption,
    JobsOption,
    LedgerOption,
    ListNowOption,
    RulesOption,
    resolve_moments,
)


class TodayFormat(str, Enum):
    auto = "auto"
    table = "table"
    csv = "csv"


@funnel
def today(
    folders: Annotated[
        list[Path],
        typer.Argument(
            help="Folders of case files (searched recursively), or case files.",
            metavar="DIR...",
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder to write today.csv into (default: none is written).",
            metavar="DIR",
            file_okay=False,
            rich_help_panel="Outputs",
        ),
    ] = None,
    output_format: Annotated[
        TodayFormat,
        typer.Option(
            "--format",
            help="auto: a table on a terminal, CSV when piped; or table; or csv (default: auto).",
            rich_help_panel="Outputs",
        ),
    ] = TodayFormat.auto,
    rules: RulesOption = None,
    as_of: AsOfOption = None,
    now: ListNowOption = None,
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            help="Your time zone, for the windows (default: the machine's, $TZ or /etc/localtime).",
            metavar="ZONE",
            rich_help_panel="Inputs",
        ),
    ] = None,
    jobs: JobsOption = None,
    ledger: LedgerOption = None,
) -> None:
    """The day's work list: every case to call today, in the window the call is lawful in.

    Earliest closing window first, then the largest expected gain over the BATNA; each with the
    debtor's name and number, the window in your time and the debtor's, and why to call (a new
    case, a broken promise, a missed payment: from the ledger when one is configured). Then the
    follow-ups still to issue today (letters, reminders, call tasks: negplan followup issues
    them), and the cases not to call today with why. Reads only: nothing is written to the
    ledger.

    \b
    Example:
      negplan today cases/ --tz America/New_York --now 2026-11-30T09:00:00-05:00
      negplan today cases/ --out today/ --format csv > calls.csv
    """
    from negplan.io.local_zone import machine_zone, named_zone
    from negplan.shell.batch import default_workers
    from negplan.shell.batch_discovery import discover
    from negplan.shell.ledger_prep import configured
    from negplan.shell.present import batch_progress
    from negplan.shell.today import Settings, run
    from negplan.shell.today_present import print_counts, print_table, write_csv, write_today_csv

    day, moment = resolve_moments(as_of, now)
    zone: tzinfo
    if tz is not None:
        try:
            zone, zone_name = named_zone(tz), tz
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="'--tz'") from None
    else:
        zone, zone_name, named = machine_zone()
        if not named:
            warn(
                f"the machine's time zone has no name (offset {zone_name}): windows are shown "
                "at today's offset; give --tz ZONE (e.g. --tz Europe/London)"
            )
    location = configured(ledger)
    if location is not None:
        from negplan.shell.batch_ledger import check

        check(location)
    settings = Settings(as_of=day, now=moment, zone=zone, rules_file=rules, ledger=location)
    if out is not None:
        _writable(out)

    def count() -> int:
        return sum(1 for _ in discover(folders, out or Path(os.devnull)))

    with batch_progress(sys.stderr, count, label="listing today's calls") as on_entry:
        result = run(
            folders, settings, workers=jobs or default_workers(), out=out, on_entry=on_entry
        )
    for entry in result.errors:
        typer.echo(f"error: {entry.row['error']}", err=True)
    for warning in result.warnings:
        warn(warning)
    if result.interrupted:
        typer.echo(
            f"Interrupted after {result.total} case(s); today.csv was not written.", err=True
        )
        raise typer.Exit(128 + result.signal)
    if result.total == 0:
        warn("no case files (*.yaml, *.yml) found in the folders given")
        raise typer.Exit(1)
    if location is not None:  # read only: followup issues and records them
        from negplan.shell.today_followups import followups_due

        due = followups_due(location, day, rules, result)
        result.followups, result.followups_elsewhere = due.rows, due.elsewhere
    target = write_today_csv(out, result) if out is not None else None
    as_csv = output_format is TodayFormat.csv or (
        output_format is TodayFormat.auto and not sys.stdout.isatty()
    )
    if as_csv:
        write_csv(sys.stdout, result.rows())
        print_counts(sys.stderr, result, target)
    else:
        print_table(sys.stdout, result, zone, zone_name, moment)
        print_counts(sys.stdout, result, target)
    if result.errors:
        raise typer.Exit(1)


def _writable(out: Path) -> None:
    """Create ``--out`` (owner-only) and check it can be written, before any case is planned."""
    from negplan.errors import OutputError

    try:
        out.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create ({exc.strerror})") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise OutputError(f"{out}: cannot write here (permission denied)")
