"""Batch's two tables: ``summary.csv`` (one row per case) and ``queue.csv`` (callable cases,
highest expected gain over the BATNA first), built from the rows the workers streamed to a
scratch file; and the conflicts of two files with one ``case_id``.

The scratch file holds one JSON array per line (a file name may contain a line break; JSON
escapes it, so a row is always one line). The tables neutralise every cell a spreadsheet would
run as a formula (SPEC §5a): a file name or case id starting with ``=``, ``+``, ``-`` or ``@``
is written with a leading ``'``, as OWASP recommends; plain numbers (``-12.50``) stay numbers.
"""

from __future__ import annotations

import contextlib
import csv
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from negplan.display import printable
from negplan.io.outputs import atomic_text_writer

SUMMARY_COLUMNS = (
    "case_id", "file", "status", "currency", "balance", "days_past_due", "capacity",
    "affordable_monthly", "batna_kind", "batna_value", "minimum_settlement", "recommended",
    "recommended_value", "gain_over_batna", "verdict", "callable_now", "next_window",
    "language", "error", "rule_set",
)  # fmt: skip
#: What the queue adds to a case's summary row, for the executive who makes the call (issue
#: 16): who, which number (RFC 3966, ``tel:+1-415-555-0142``), the lawful window now open in the
#: debtor's time (ISO 8601 with their offset), and the pre-flight's caution checks by code.
QUEUE_EXTRA = (
    "debtor_name", "phone", "debtor_timezone", "window_opens", "window_closes", "caution",
)  # fmt: skip
#: queue.csv's ``script`` is relative to ``--out``, so the folder can be moved as a whole. New
#: columns are appended, so a script reading columns by position keeps working.
QUEUE_COLUMNS = (
    "rank", "case_id", "file", "gain_over_batna", "recommended", "recommended_value", "currency",
    "verdict", "script", *QUEUE_EXTRA,
)  # fmt: skip
#: A planned case's scratch row: the summary cells, its two outputs, then :data:`QUEUE_EXTRA`.
OUTPUTS = 2


@dataclass
class Report:
    """What a batch run did: counts, messages, and the two tables it wrote."""

    total: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    conflicts: int = 0
    callable_now: int = 0
    interrupted: bool = False
    signal: int = 0  # what interrupted the run: SIGINT (Ctrl-C) or SIGTERM
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    summary: Path | None = None
    queue: Path | None = None
    #: ``--experiment``: (case_id, rule set, jurisdiction, currency, balance, affordable,
    #: option, value) for each case planned, recorded in the ledger after the run.
    assignments: list[tuple[str | None, ...]] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return not (self.failed or self.conflicts or self.interrupted)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def spreadsheet_safe(cell: object) -> str:
    """The cell as text a spreadsheet shows and never runs (SPEC §5a), and a terminal
    showing the file never acts on (SPEC §7a)."""
    text = printable(str(cell))
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_line(values: Iterable[str]) -> bytes:
    """One scratch row: a JSON array on one line."""
    return json.dumps(list(values), ensure_ascii=False).encode("utf-8") + b"\n"


def row_at(scratch: BinaryIO, offset: int) -> list[str]:
    scratch.seek(offset)
    row: list[str] = json.loads(scratch.readline())
    return row


def resolve_conflicts(
    scratch: BinaryIO, conflicts: dict[str, list[int]], report: Report
) -> dict[int, str]:
    """Report duplicate case ids and remove their outputs; returns row offset → the message."""
    file_at = SUMMARY_COLUMNS.index("file")
    marked: dict[int, str] = {}
    for case_id, offsets in conflicts.items():
        rows = [row_at(scratch, offset) for offset in offsets]
        files = [row[file_at] for row in rows]
        report.conflicts += len(files)
        report.ok -= len(files)
        report.errors.append(f"duplicate case_id {case_id!r} in {', '.join(files)}")
        for offset, row in zip(offsets, rows, strict=True):
            others = ", ".join(f for f in files if f != row[file_at])
            marked[offset] = f"duplicate case_id also in {others}"
            for output in row[len(SUMMARY_COLUMNS) : len(SUMMARY_COLUMNS) + OUTPUTS]:
                with contextlib.suppress(OSError):
                    Path(output).unlink()
    return marked


def write_summary(out: Path, scratch: BinaryIO, conflicting: dict[int, str]) -> Path:
    """Stream the scratch rows into summary.csv, marking conflicting case ids."""
    target = out / "summary.csv"
    status_at, error_at = SUMMARY_COLUMNS.index("status"), SUMMARY_COLUMNS.index("error")
    with atomic_text_writer(target) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SUMMARY_COLUMNS)
        while True:
            offset = scratch.tell()
            line = scratch.readline()
            if not line:
                break
            row = json.loads(line)[: len(SUMMARY_COLUMNS)]
            if offset in conflicting:
                row[status_at], row[error_at] = "conflict", conflicting[offset]
            writer.writerow([spreadsheet_safe(cell) for cell in row])
    return target


def write_queue(out: Path, scratch: BinaryIO, ranked: list[tuple[str, int, int, int]]) -> Path:
    """queue.csv: callable cases, highest expected gain over the BATNA first.

    Gains in different currencies cannot be compared, so cases are ranked within each currency
    (``rank`` restarts at 1 for each); cases with no deal to offer come last; ties keep the order
    the files were found in.
    """
    target = out / "queue.csv"
    column = {name: i for i, name in enumerate(SUMMARY_COLUMNS)}
    with atomic_text_writer(target) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(QUEUE_COLUMNS)
        rank, currency = 0, None
        for entry_currency, _, _, offset in ranked:
            rank = rank + 1 if entry_currency == currency else 1
            currency = entry_currency
            row = row_at(scratch, offset)
            script = Path(row[len(SUMMARY_COLUMNS) + 1]).relative_to(out)
            writer.writerow(
                [
                    spreadsheet_safe(cell)
                    for cell in (
                        rank,
                        *(
                            row[column[c]]
                            for c in (
                                "case_id",
                                "file",
                                "gain_over_batna",
                                "recommended",
                                "recommended_value",
                                "currency",
                                "verdict",
                            )
                        ),
                        script,
                        *row[len(SUMMARY_COLUMNS) + OUTPUTS :],
                    )
                ]
            )
    return target
