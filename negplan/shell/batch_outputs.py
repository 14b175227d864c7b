"""Batch's two tables: ``summary.csv`` (one row per case) and ``queue.csv`` (callable cases,
highest expected gain over the BATNA first), built from the rows the workers streamed to a
scratch file; and the conflicts of two files with one ``case_id``.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from negplan.io.outputs import atomic_text_writer

SUMMARY_COLUMNS = (
    "case_id", "file", "status", "currency", "balance", "days_past_due", "capacity",
    "affordable_monthly", "batna_kind", "batna_value", "minimum_settlement", "recommended",
    "recommended_value", "gain_over_batna", "verdict", "callable_now", "next_window", "error",
    "rule_set",
)  # fmt: skip
#: queue.csv's ``script`` is relative to ``--out``, so the folder can be moved as a whole.
QUEUE_COLUMNS = (
    "rank", "case_id", "file", "gain_over_batna", "recommended", "recommended_value", "currency",
    "verdict", "script",
)  # fmt: skip


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


def csv_line(values: Iterable[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue().encode("utf-8")


def row_at(scratch: BinaryIO, offset: int) -> list[str]:
    scratch.seek(offset)
    return next(csv.reader([scratch.readline().decode("utf-8")]))


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
            for output in row[len(SUMMARY_COLUMNS) :]:
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
            row = next(csv.reader([line.decode("utf-8")]))[: len(SUMMARY_COLUMNS)]
            if offset in conflicting:
                row[status_at], row[error_at] = "conflict", conflicting[offset]
            writer.writerow(row)
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
                ]
            )
    return target
