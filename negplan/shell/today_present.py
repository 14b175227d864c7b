"""The day's work list, shown: a Rich table on a terminal, CSV for scripts and spreadsheets.

The table fits 80 columns: each window is one cell of two lines (the executive's time, then the
debtor's with the zone's abbreviation), the debtor's name sits above the number, and the reason
wraps. Cells come from the rows of ``today.csv`` (the same text a script reads), with control
characters from case data made visible (SPEC §7a). The CSV neutralises cells a spreadsheet would
run as a formula (SPEC §5a), as batch's tables do.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date, datetime, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING
from zoneinfo import ZoneInfo

from negplan.display import grouped, printable
from negplan.io.outputs import atomic_text_writer
from negplan.shell.batch_outputs import spreadsheet_safe
from negplan.shell.layout import piped_width
from negplan.shell.present import is_terminal, rich_console
from negplan.shell.today import SHOWN_PHONE, TODAY_COLUMNS, Day

if TYPE_CHECKING:
    from rich.table import Table


def write_csv(handle: IO[str], rows: Iterable[dict[str, str]]) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(TODAY_COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_safe(row.get(column, "")) for column in TODAY_COLUMNS])


def write_today_csv(out: Path, day: Day) -> Path:
    """``OUT/today.csv``, written atomically and owner-only (it holds names and numbers)."""
    target = out / "today.csv"
    with atomic_text_writer(target) as handle:
        write_csv(handle, day.rows())
    return target


def _clock(stamp: str, zone: tzinfo, today: date) -> str:
    """``HH:MM`` of an ISO stamp in ``zone``, marked ``+1`` (``-1``) when it falls on the day
    after (before) ``today`` there: a UK debtor's window seen from Los Angeles starts at night."""
    moment = datetime.fromisoformat(stamp).astimezone(zone)
    shift = (moment.date() - today).days
    return moment.strftime("%H:%M") + (f"{shift:+d}" if shift else "")


def window_cell(row: dict[str, str], zone: tzinfo, now: datetime) -> tuple[str, str]:
    """(``13:00–16:00``, ``08:00–11:00 EST``): the lawful window in your time, then in the
    debtor's with their zone's abbreviation."""
    today = now.astimezone(zone).date()
    yours = (
        f"{_clock(row['window_opens'], zone, today)}–{_clock(row['window_closes'], zone, today)}"
    )
    debtor = ZoneInfo(row["debtor_timezone"])
    opens = datetime.fromisoformat(row["debtor_window_opens"]).astimezone(debtor)
    closes = datetime.fromisoformat(row["debtor_window_closes"]).astimezone(debtor)
    return yours, f"{opens.strftime('%H:%M')}–{closes.strftime('%H:%M %Z')}"


def _gain(row: dict[str, str]) -> str:
    if not row["gain_over_batna"]:
        return ""
    return f"{grouped(Decimal(row['gain_over_batna']), row['currency'])} {row['currency']}"


def print_table(stream: IO[str], day: Day, zone: tzinfo, zone_name: str, now: datetime) -> None:
    """The calls in order, then the cases not to call today with why."""
    from rich.table import Table
    from rich.text import Text

    console = rich_console(stream)
    if not is_terminal(stream):
        console.width = piped_width()  # COLUMNS, else 100 (``--format table`` to a pipe)
    local = now.astimezone(zone)
    title = (
        f"Calls for {local.strftime('%a %d %b %Y')}, your time {local.strftime('%H:%M')} "
        f"({printable(zone_name)})"
    )
    calls = Table(title=title, title_justify="left", box=None, padding=(0, 1), expand=False)
    calls.add_column("#", justify="right", no_wrap=True)
    calls.add_column("Window\n(yours / debtor's)", no_wrap=True)
    calls.add_column("Debtor", ratio=2)
    calls.add_column("Why", ratio=3, overflow="fold")
    calls.add_column("Gain over BATNA", justify="right", no_wrap=True)
    for rank, entry in enumerate(day.calls, start=1):
        row = entry.row
        yours, theirs = window_cell(row, zone, now)
        window = Text(yours, style="bold")
        window.append("\n" + theirs, style="dim")
        debtor = Text(printable(row["debtor_name"]))
        debtor.append("\n" + (printable(row[SHOWN_PHONE]) or "no number on file"), style="cyan")
        why = Text(printable(row["reason"]))
        if row["caution"]:
            care = printable(row["caution"]).replace(";", ",").replace("_", " ")
            why.append(f"\ncare: {care}", style="yellow")
        calls.add_row(str(rank), window, debtor, why, _gain(row))
    if day.calls:
        console.print(calls)
    else:
        console.print(Text(title + ": no call is due today.", style="bold"))
    if day.followups:
        console.print()
        console.print(_followup_table(day))
    if day.not_today:
        later = Table(
            title=f"Not to call today ({len(day.not_today)})",
            title_justify="left",
            box=None,
            padding=(0, 1),
        )
        later.add_column("Case", no_wrap=True)
        later.add_column("Debtor", ratio=1)
        later.add_column("Why not today", ratio=3)
        for entry in day.not_today:
            row = entry.row
            later.add_row(
                printable(row["case_id"]),
                printable(row["debtor_name"]),
                printable(row["not_today"]),
            )
        console.print()
        console.print(later)


def _followup_table(day: Day) -> Table:
    """What ``negplan followup`` has still to issue today for these cases: shown, not issued."""
    from rich.table import Table

    table = Table(
        title=f"Follow-ups due today ({len(day.followups)}): negplan followup issues them",
        title_justify="left",
        box=None,
        padding=(0, 1),
    )
    table.add_column("Case", no_wrap=True)
    table.add_column("Debtor", ratio=1)
    table.add_column("Action", no_wrap=True)
    table.add_column("Why", ratio=2, overflow="fold")
    for row in day.followups:
        action = f"{row['reason_code'].replace('_', ' ')}\nby {row['channel']}"
        table.add_row(
            printable(row["case_id"]),
            printable(row["debtor_name"]),
            action,
            printable(row["reason"]),
        )
    return table


def print_counts(stream: IO[str], day: Day, target: Path | None) -> None:
    """One closing line: how many calls, how many not today, how many files failed."""
    parts = [
        f"calls today: {len(day.calls)}",
        f"not today: {len(day.not_today)}",
        f"failed: {len(day.errors)}",
    ]
    if day.followups:
        parts.insert(1, f"follow-ups: {len(day.followups)}")
    if day.skipped:
        parts.append(f"skipped: {day.skipped}")
    stream.write(" · ".join(parts) + "\n")
    if day.followups_elsewhere:
        stream.write(
            f"{day.followups_elsewhere} more follow-up(s) due in the ledger for cases not in "
            "these folders (negplan followup issues them all)\n"
        )
    if target is not None:
        stream.write(f"today.csv: {target}\n")
