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
  Two cases with one ``case_id`` are a conflict: both are reported and neither keeps outputs.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from negplan.errors import InputError, NegplanError, OutputError, Problem
from negplan.io.outputs import output_path, remove_temporaries, write_atomic
from negplan.shell.batch_outputs import (
    SUMMARY_COLUMNS,
    Report,
    csv_line,
    resolve_conflicts,
    write_queue,
    write_summary,
)

WINDOW = 512  # files handed to the workers at a time (two windows are in flight)
CHUNK = 32  # files a worker takes at once: fewer hand-overs, less work for the main process


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Job:
    source: Path
    out_dir: Path
    display: str


@dataclass(frozen=True)
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


def _mirror_names(roots: list[Path]) -> list[str]:
    """The folder under ``--out`` for each root: its name, made unique; a case file given on
    its own goes under its folder's name, shared by other files of that folder."""
    names: list[str] = []
    by_folder: dict[Path, str] = {}
    for root in roots:
        folder = root.resolve().parent if root.is_file() else root.resolve()
        if root.is_file() and folder in by_folder:
            names.append(by_folder[folder])
            continue
        base = folder.name or "cases"
        name, n = base, 2
        while name in names:
            name, n = f"{base}-{n}", n + 1
        names.append(name)
        by_folder.setdefault(folder, name)
    return names


def discover(roots: list[Path], out: Path) -> Iterator[Job]:
    """Every ``*.yaml``/``*.yml`` under ``roots``, recursively, in a stable order (lazily); a
    root that is a file is that one case (``negplan batch a.yaml b.yaml``)."""
    resolved_out = out.resolve()
    for root, mirror in zip(roots, _mirror_names(roots), strict=True):
        if root.is_file():
            yield Job(root, out / mirror, str(root))
            continue
        if not root.is_dir():
            raise InputError.single("no such file or folder", file=root)
        for folder, subfolders, files in os.walk(root):
            here = Path(folder)
            subfolders[:] = sorted(
                d
                for d in subfolders
                if not d.startswith(".") and (here / d).resolve() != resolved_out
            )
            relative = here.relative_to(root)
            for name in sorted(files):
                if name.startswith(".") or not name.endswith((".yaml", ".yml")):
                    continue
                yield Job(here / name, out / mirror / relative, str(here / name))


# ----------------------------------------------------------------------------- the worker

_RULES: Any = None
_CHALLENGER: Any = None
_SETTINGS: Settings | None = None


def _init_worker(settings: Settings, rules: Any, challenger: Any = None) -> None:
    global _RULES, _SETTINGS, _CHALLENGER
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    signal.signal(signal.SIGTERM, _exit_on_term)  # so interrupted writes clean up
    _SETTINGS = settings
    _RULES = rules
    _CHALLENGER = challenger


def _exit_on_term(signum: int, frame: Any) -> None:
    raise SystemExit(1)


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


def plan_one(job: Job) -> Outcome:
    """Plan one case file and write its outputs; never raises for a bad case."""
    from negplan.core.plan import build_plan
    from negplan.io.case_file import load_case
    from negplan.io.packaged import load_tables
    from negplan.io.rules_file import rules_for_case
    from negplan.script.compose import render_script
    from negplan.shell.plan_json import dumps

    assert _SETTINGS is not None
    settings = _SETTINGS
    row = dict.fromkeys(SUMMARY_COLUMNS, "")
    row["file"] = job.display
    try:
        case = load_case(job.source, settings.as_of)
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
    rules, rule_set = _RULES, ""
    if settings.experiment is not None:
        from negplan.core.evaluation import is_challenger

        chosen = is_challenger(settings.experiment, case.case_id, settings.challenger_share)
        rule_set = "challenger" if chosen else "champion"
        rules = _CHALLENGER if chosen else _RULES
    row["rule_set"] = rule_set
    try:
        rules = rules_for_case(_RULES, settings.rules_file, case.jurisdiction)
        keeping = False  # to an arrangement in the ledger: planned, not queued (SPEC §8)
        if settings.ledger is not None:
            from negplan.shell.batch_ledger import brought_up_to_date

            grace = rules.agreements.grace_period_days
            view = brought_up_to_date(case, settings.ledger, settings.as_of, grace)
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
    )
    return Outcome(
        job.display,
        "ok",
        _summary_line(row, (str(plan_file), str(script_file))),
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


# ----------------------------------------------------------------------------- the run


def _outcomes(
    jobs: Iterable[Job], workers: int, settings: Settings, rules: Any, challenger: Any
) -> Iterator[Outcome]:
    if workers <= 1:
        _init_worker(settings, rules, challenger)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for job in jobs:
            yield plan_one(job)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    pool = context.Pool(workers, initializer=_init_worker, initargs=(settings, rules, challenger))
    try:
        iterator = iter(jobs)
        # The next window is queued before this one's results are read, so the workers never
        # wait at a window's end; results still come back in the order the files were found.
        in_flight: deque[Iterator[Outcome]] = deque()
        while window := list(islice(iterator, WINDOW)):
            # Small runs are split finely enough to keep every worker busy.
            chunk = max(1, min(CHUNK, len(window) // (4 * workers)))
            in_flight.append(pool.imap(plan_one, window, chunksize=chunk))
            if len(in_flight) > 1:
                yield from in_flight.popleft()
        while in_flight:
            yield from in_flight.popleft()
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


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
    # (case currency, rules currency) → cases planned with rules written for another currency
    other_currency: dict[tuple[str, str], int] = {}
    seen: dict[str, int] = {}  # case_id → where its first row is in the scratch file
    conflicts: dict[str, list[int]] = {}  # case_id → where each of its rows is
    queue: list[tuple[str, int, int, int]] = []  # (currency, no deal?, −gain ×100, row offset)
    scratch_file = out / f".summary.csv.{os.getpid()}.rows.tmp"
    try:
        # Owner-only like every output: the rows hold case data.
        fd = os.open(scratch_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as scratch:
            for outcome in _outcomes(discover(roots, out), workers, settings, rules, challenger):
                report.total += 1
                offset = scratch.tell()
                scratch.write(outcome.line)
                if outcome.status == "skipped":
                    report.skipped += 1
                elif outcome.status == "error":
                    report.failed += 1
                    report.errors.extend((outcome.error or outcome.file).splitlines())
                else:
                    report.ok += 1
                    if outcome.currency != outcome.rules_currency:
                        pair = (outcome.currency, outcome.rules_currency)
                        other_currency[pair] = other_currency.get(pair, 0) + 1
                    case_id = outcome.case_id or ""
                    if case_id in seen:
                        conflicts.setdefault(case_id, [seen[case_id]]).append(offset)
                    else:
                        seen[case_id] = offset
                    if outcome.assignment is not None and case_id:
                        report.assignments.append((case_id, *outcome.assignment))
                    if outcome.callable_now:
                        # Cases with a deal first, highest gain first; then those with none.
                        no_deal = 0 if outcome.has_deal else 1
                        queue.append((outcome.currency, no_deal, -outcome.gain_cents, offset))
                if on_outcome is not None:
                    on_outcome(outcome)
        with scratch_file.open("rb") as scratch:
            conflicting = resolve_conflicts(scratch, conflicts, report)
            ranked = sorted(entry for entry in queue if entry[3] not in conflicting)
            report.callable_now = len(ranked)
            report.queue = write_queue(out, scratch, ranked)
            scratch.seek(0)
            report.summary = write_summary(out, scratch, conflicting)
        if conflicts:  # a case id two files claim is planned by neither: nothing to record
            report.assignments = [a for a in report.assignments if a[0] not in conflicts]
    except KeyboardInterrupt:
        report.interrupted = True
        remove_temporaries(out)
        return report
    finally:
        with contextlib.suppress(OSError):
            scratch_file.unlink()
    for (currency, written_in), count in sorted(other_currency.items()):
        report.warnings.append(
            f"{count} case(s) in {currency} were planned with rules written in {written_in}; "
            f"plan them with rules for {currency} (--rules, currency: {currency})"
        )
    return report


def default_workers() -> int:
    """The machine's cores available to this process."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1
