"""Whole folders of cases: one plan JSON and one call script per case, a summary and a call queue.

* Files are found in a stable order (sorted, folder by folder) and planned in parallel worker
  processes; results come back in that same order, so ``--jobs 1`` and ``--jobs 4`` write
  byte-identical outputs.
* Outputs mirror the input folders under ``--out`` (``cases/east/a.yaml`` →
  ``OUT/cases/east/CASE_ID.plan.json``), so equal file names in two folders never collide.
* Memory stays flat: files are discovered lazily, fed to the workers in windows, and rows are
  streamed to a scratch file; per case the main process keeps only a few numbers (where its row
  is, and its gain to rank the queue), re-reading rows from the scratch file at the end.
* Every file is written atomically. A bad case is reported and skipped; the others still run.
  Two cases with one ``case_id`` (or ids differing only in case, which collide on
  case-insensitive file systems) are a conflict: both are reported and neither keeps outputs.
* A worker that dies does not hang the run, and SIGTERM stops it like Ctrl-C
  (:mod:`~negplan.shell.batch_pool`). The scratch file is unique to the run and created with
  ``O_EXCL|O_NOFOLLOW``; an interrupted run removes only its own temporary files.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from negplan.display import printable
from negplan.errors import InputError, NegplanError, OutputError, Problem
from negplan.io.outputs import output_path, remove_temporaries, write_atomic
from negplan.records import record
from negplan.shell.batch_discovery import Job, discover
from negplan.shell.batch_ledger import ChunkEvents
from negplan.shell.batch_outputs import (
    SUMMARY_COLUMNS,
    Report,
    csv_line,
    resolve_conflicts,
    write_queue,
    write_summary,
)
from negplan.shell.batch_pool import Pool, signals_interrupt, worker_signals
from negplan.wording import language_gap

if TYPE_CHECKING:
    from negplan.core.case import Case

__all__ = ["Job", "Outcome", "Report", "Settings", "default_workers", "discover", "run"]

WINDOW = 512  # files handed to the workers at a time (two windows are in flight)
CHUNK = 32  # files a worker takes at once: fewer hand-overs, less work for the main process


@record
class Settings:
    out: Path
    as_of: date
    now: datetime
    rules_file: Path | None = None
    templates: Path | None = None
    ledger: str | None = None  # SPEC §8: the ledger to bring each case up to date from
    #: Champion/challenger (SPEC §10): the challenger's rules file, its share of the cases and
    #: the experiment's name; a case's rule set is a stable hash of (experiment, case_id).
    challenger_file: Path | None = None
    challenger_share: float = 0.0
    experiment: str | None = None


@record
class Outcome:
    """What a worker reports about one file: small and ready to use, since the main process
    shares the machine's cores with the workers (its summary row comes already as CSV)."""

    file: str
    status: str  # ok | error | skipped
    line: bytes  # the summary row as CSV, followed by the outputs' paths
    case_id: str | None = None
    currency: str = ""
    rules_currency: str = ""  # the currency of the rules the case was planned with
    error: str | None = None
    callable_now: bool = False
    has_deal: bool = False
    gain_cents: int = 0  # gain over the BATNA in hundredths (the queue's order)
    #: For the ledger's assignments (``--experiment``): rule set, jurisdiction, currency,
    #: balance, affordable monthly, recommended option kind and its expected value.
    assignment: tuple[str, str, str, str, str, str | None, str | None] | None = None


# ----------------------------------------------------------------------------- discovery


# ----------------------------------------------------------------------------- the worker

_RULES: Any = None
_CHALLENGER: Any = None
_SETTINGS: Settings | None = None


def _init_worker(settings: Settings, rules: Any, challenger: Any = None) -> None:
    global _RULES, _SETTINGS, _CHALLENGER
    _SETTINGS = settings
    _RULES = rules
    _CHALLENGER = challenger


def _init_pool_worker(settings: Settings, rules: Any, challenger: Any = None) -> None:
    worker_signals()  # the parent handles Ctrl-C; SIGTERM cleans up the write in progress
    _init_worker(settings, rules, challenger)


def _money(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _looks_like_rules(path: Path) -> bool:
    """A rules override kept among the cases is skipped, not failed."""
    from negplan.core.rules import Rules
    from negplan.io.validate import looks_like_rules
    from negplan.io.yaml import parse_yaml, read_text

    try:
        data, _ = parse_yaml(*read_text(path))
    except NegplanError:
        return False
    return isinstance(data, dict) and looks_like_rules(data, Rules)


def _summary_line(row: dict[str, str], outputs: tuple[str, ...] = ()) -> bytes:
    """The case's summary.csv row, followed by its outputs' paths (for conflicts and the queue)."""
    return csv_line([*(row[c] for c in SUMMARY_COLUMNS), *outputs])


def plan_chunk(jobs: Sequence[Job]) -> list[Outcome]:
    """Plan a chunk of case files, one outcome each, in order; never raises for a bad case. With
    a ledger the chunk is loaded first and its events read at once (``batch_ledger``)."""
    settings = _SETTINGS
    assert settings is not None
    if settings.ledger is None:  # one file at a time: one case in memory
        return [_plan(job, _load(job, settings), settings, None) for job in jobs]
    from negplan.shell.batch_ledger import read_chunk

    loaded = [_load(job, settings) for job in jobs]
    events = read_chunk(settings.ledger, [c.case_id for c in loaded if not isinstance(c, Outcome)])
    return [_plan(job, item, settings, events) for job, item in zip(jobs, loaded, strict=True)]


def _load(job: Job, settings: Settings) -> Case | Outcome:
    """The case in ``job``'s file, or the outcome that reports why it is not one."""
    from negplan.io.case_file import load_case

    row = dict.fromkeys(SUMMARY_COLUMNS, "")
    row["file"] = job.display
    try:
        return load_case(job.source, settings.as_of)
    except Exception as exc:  # one bad file must not stop the run
        if not isinstance(exc, InputError):
            message = f"{job.display}: internal error ({type(exc).__name__}: {exc})"
            row.update(status="error", error=message)
            return Outcome(job.display, "error", _summary_line(row), error=message)
        if _looks_like_rules(job.source):
            row.update(status="skipped", error="a rules file, not a case")
            return Outcome(job.display, "skipped", _summary_line(row))
        row.update(status="error", error="; ".join(str(p) for p in exc.problems))
        errors = "\n".join(str(p) for p in exc.problems)
        return Outcome(job.display, "error", _summary_line(row), error=errors)


def _plan(
    job: Job, case: Case | Outcome, settings: Settings, events: ChunkEvents | None
) -> Outcome:
    """Plan a loaded case and write its outputs; never raises for a bad case."""
    if isinstance(case, Outcome):  # not a case: the outcome says why
        return case
    from negplan.core.plan import build_plan
    from negplan.io.packaged import load_tables
    from negplan.io.rules_file import rules_for_case
    from negplan.script.compose import render_script
    from negplan.shell.plan_json import dumps

    row = dict.fromkeys(SUMMARY_COLUMNS, "")
    row["file"] = job.display
    rules, source, rule_set = _RULES, settings.rules_file, ""
    if settings.experiment is not None:
        from negplan.core.evaluation import is_challenger

        rule_set = "champion"
        if is_challenger(settings.experiment, case.case_id, settings.challenger_share):
            rules, source, rule_set = _CHALLENGER, settings.challenger_file, "challenger"
    row["rule_set"] = rule_set
    try:
        rules = rules_for_case(rules, source, case.jurisdiction)
        keeping = False  # to an arrangement in the ledger: planned, not queued (SPEC §8)
        if events is not None:
            from negplan.shell.batch_ledger import brought_up_to_date

            grace = rules.agreements.grace_period_days
            view = brought_up_to_date(case, events, settings.as_of, grace)
            case, keeping = view.case, view.keeping_to_a_deal
        plan = build_plan(case, rules, load_tables(), settings.as_of, settings.now)
        script = render_script(case, plan, rules, settings.templates, case_file=job.display)
        plan_file = output_path(job.out_dir, f"{case.case_id}.plan.json")
        script_file = output_path(job.out_dir, f"{case.case_id}.script.md")
        write_atomic(plan_file, dumps(plan, compact=True), durable=False)
        write_atomic(script_file, script, durable=False)
    except Exception as exc:  # a bad case (or a bug) must cost one case, never the run
        if isinstance(exc, NegplanError):
            message = f"{job.display}: {exc}"
        else:
            message = (
                f"{job.display}: internal error ({type(exc).__name__}: {exc}); please report it"
            )
        row.update(case_id=case.case_id, status="error", error=message)
        return Outcome(
            job.display, "error", _summary_line(row), case_id=case.case_id, error=message
        )

    best = plan.recommended
    batna_value = plan.batna.value or Decimal(0)
    gain = (best.expected_value - batna_value) if best is not None else Decimal(0)
    pre = plan.compliance
    row.update(
        case_id=case.case_id,
        status="ok",
        currency=plan.currency,
        balance=_money(plan.balance),
        days_past_due=str(plan.days_past_due),
        capacity=plan.affordability.capacity,
        affordable_monthly=_money(plan.affordability.affordable_monthly),
        batna_kind=plan.batna.kind,
        batna_value=_money(plan.batna.value),
        minimum_settlement=_money(plan.minimum_terms.minimum_settlement),
        recommended=best.id if best else "",
        recommended_value=_money(best.expected_value) if best else "",
        gain_over_batna=_money(gain),
        verdict=pre.verdict,
        callable_now="yes" if pre.callable_now else "no",
        next_window=pre.next_window.isoformat() if pre.next_window else "",
        language=language_gap(case.debtor.language) or "",
    )
    return Outcome(
        job.display,
        "ok",
        _summary_line(row, (str(plan_file), str(script_file), *_queue_extra(case, plan))),
        case_id=case.case_id,
        currency=plan.currency,
        rules_currency=rules.currency,
        callable_now=pre.callable_now and not keeping,
        has_deal=best is not None,
        gain_cents=int(gain.scaleb(2)),
        assignment=None
        if not rule_set
        else (
            rule_set,
            case.jurisdiction,
            plan.currency,
            _money(plan.balance),
            _money(plan.affordability.affordable_monthly),
            best.kind.value if best else None,
            _money(best.expected_value) if best else None,
        ),
    )


def _queue_extra(case: Any, plan: Any) -> tuple[str, ...]:
    """queue.csv's cells for the caller (:data:`~negplan.shell.batch_outputs.QUEUE_EXTRA`)."""
    from negplan.io.phones import display_number
    from negplan.jurisdictions import parse_jurisdiction

    pre = plan.compliance
    phone = case.debtor.phone
    country = parse_jurisdiction(case.jurisdiction).country
    opens, closes = pre.window if pre.callable_now and pre.window else (None, None)
    return (
        case.debtor.name,
        "" if phone is None else display_number(phone, country, dial_link=True),
        case.debtor.timezone,
        "" if opens is None else opens.isoformat(timespec="minutes"),
        "" if closes is None else closes.isoformat(timespec="minutes"),
        "; ".join(dict.fromkeys(f.check for f in pre.findings if f.level == "caution")),
    )


# ----------------------------------------------------------------------------- the run


def _outcomes(
    jobs: Iterable[Job],
    workers: int,
    settings: Settings,
    rules: Any,
    pool: Pool[Job, Outcome] | None,
    challenger: Any = None,
) -> Iterator[Outcome]:
    if pool is None:
        _init_worker(settings, rules, challenger)
        iterator = iter(jobs)
        while chunk_jobs := list(islice(iterator, CHUNK)):
            yield from plan_chunk(chunk_jobs)
        return
    # Small runs are split finely enough to keep every worker busy; two windows are in flight,
    # so the workers never wait at a window's end.
    chunk = max(1, min(CHUNK, WINDOW // (4 * workers)))
    yield from pool.map_chunks(plan_chunk, jobs, window=2 * WINDOW, chunk=chunk)


def _dead_worker(job: Job) -> Outcome:
    """A file whose worker died twice (killed, or out of memory): an error of its own."""
    message = (
        f"{job.display}: the worker planning this file died twice (killed, or out of memory); "
        "the other files were planned"
    )
    row = dict.fromkeys(SUMMARY_COLUMNS, "")
    row.update(file=job.display, status="error", error=message)
    return Outcome(job.display, "error", _summary_line(row), error=message)


def run(
    roots: list[Path],
    settings: Settings,
    *,
    workers: int,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> Report:
    """Plan every case under ``roots``; write outputs, ``summary.csv`` and ``queue.csv``."""
    from negplan.io.rules_file import load_rules

    rules = load_rules(settings.rules_file)  # parsed once, here; workers inherit or receive it
    challenger = None if settings.challenger_file is None else load_rules(settings.challenger_file)
    if settings.templates is not None:
        from negplan.io.templates import template_dirs

        template_dirs(settings.templates)  # a missing folder fails now, not once per case
    out = settings.out
    missing = [root for root in roots if not (root.is_dir() or root.is_file())]
    if missing:  # before anything is created
        raise InputError([Problem("no such file or folder", file=str(root)) for root in missing])
    try:
        out.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create ({exc.strerror})") from None
    if not os.access(out, os.W_OK | os.X_OK):  # the words prep uses, before any case is planned
        raise OutputError(f"{out}: cannot write here (permission denied)")

    report = Report()
    pool: Pool[Job, Outcome] | None = (
        Pool(workers, _init_pool_worker, (settings, rules, challenger), on_dead=_dead_worker)
        if workers > 1
        else None
    )
    scratch_file: Path | None = None
    try:
        with signals_interrupt():
            # Unique per run, created owner-only with O_EXCL|O_NOFOLLOW (mkstemp): a planted
            # symlink is never followed, and two runs on one --out never share or delete it.
            fd, name = tempfile.mkstemp(prefix=".summary.csv.", suffix=".rows.tmp", dir=out)
            scratch_file = Path(name)
            with os.fdopen(fd, "w+b") as scratch:
                jobs = discover(roots, out, report.warnings)
                outcomes = _outcomes(jobs, workers, settings, rules, pool, challenger)
                other_currency = _collect(outcomes, scratch, out, report, on_outcome)
    except KeyboardInterrupt as exc:
        report.interrupted = True
        report.signal = getattr(exc, "signum", signal.SIGINT)
        return report
    except OSError as exc:  # the disk filled up, the folder went away
        raise OutputError(
            f"{out}: cannot write the summary ({exc.strerror}); the plans and scripts written "
            "so far are complete"
        ) from None
    finally:
        if pool is not None:
            pool.close(interrupted=report.interrupted)
        if scratch_file is not None:
            with contextlib.suppress(OSError):
                scratch_file.unlink()
        if report.interrupted:
            pids = {os.getpid()} | (pool.pids if pool is not None else set())
            remove_temporaries(out, pids)
    for (currency, written_in), count in sorted(other_currency.items()):
        report.warnings.append(
            f"{count} case(s) in {currency} were planned with rules written in {written_in}; "
            f"plan them with rules for {currency} (--rules, currency: {currency})"
        )
    return report


def _collect(
    outcomes: Iterable[Outcome],
    scratch: BinaryIO,
    out: Path,
    report: Report,
    on_outcome: Callable[[Outcome], None] | None,
) -> dict[tuple[str, str], int]:
    """Stream the rows to ``scratch``, then write the call queue and the summary from it.

    Returns the count of cases planned with rules written for another currency, by (case
    currency, rules currency)."""
    other_currency: dict[tuple[str, str], int] = {}
    # case_id, folded (T-1 and t-1 collide on case-insensitive file systems) → its first row
    seen: dict[str, tuple[str, int]] = {}
    conflicts: dict[str, list[int]] = {}
    queue: list[tuple[str, int, int, int]] = []  # (currency, no deal?, −gain ×100, row offset)
    for outcome in outcomes:
        report.total += 1
        offset = scratch.tell()
        scratch.write(outcome.line)
        if outcome.status == "skipped":
            report.skipped += 1
        elif outcome.status == "error":
            report.failed += 1
            report.errors.extend(printable(outcome.error or outcome.file).splitlines())
        else:
            report.ok += 1
            if outcome.currency != outcome.rules_currency:
                pair = (outcome.currency, outcome.rules_currency)
                other_currency[pair] = other_currency.get(pair, 0) + 1
            case_id = outcome.case_id or ""
            first_id, first_offset = seen.setdefault(case_id.casefold(), (case_id, offset))
            if first_offset != offset:
                conflicts.setdefault(first_id, [first_offset]).append(offset)
            if outcome.assignment is not None and case_id:
                report.assignments.append((case_id, *outcome.assignment))
            if outcome.callable_now:
                # Cases with a deal first, highest gain first; then those with none.
                no_deal = 0 if outcome.has_deal else 1
                queue.append((outcome.currency, no_deal, -outcome.gain_cents, offset))
        if on_outcome is not None:
            on_outcome(outcome)
    scratch.flush()
    conflicting = resolve_conflicts(scratch, conflicts, report)
    ranked = sorted(entry for entry in queue if entry[3] not in conflicting)
    report.callable_now = len(ranked)
    report.queue = write_queue(out, scratch, ranked)
    scratch.seek(0)
    report.summary = write_summary(out, scratch, conflicting)
    if conflicts:  # a case id two files claim is planned by neither: nothing to record
        claimed = {case_id.casefold() for case_id in conflicts}
        report.assignments = [a for a in report.assignments if str(a[0]).casefold() not in claimed]
    return other_currency


def default_workers() -> int:
    """The machine's cores available to this process."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1
