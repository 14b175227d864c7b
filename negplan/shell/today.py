"""``negplan today``: the day's work list over folders of cases (SPEC §9).

It runs on batch's machinery: the files are found by :func:`negplan.shell.batch_discovery.discover`
(stable order, lazily) and planned in batch's worker pool (:mod:`negplan.shell.batch_pool`: a dead
worker never hangs the run, Ctrl-C and SIGTERM stop it cleanly), so a folder of thousands of
cases takes about what ``batch`` takes less writing its plans and scripts. Each worker plans a
chunk of cases as ``batch`` does (the same rules per jurisdiction, the same ledger view, the
chunk's ledger events read in one transaction) and returns one small :class:`Entry` a case: the
row of ``today.csv`` as text and the two numbers the list is ordered by.

``today`` writes nothing but ``today.csv``: no plan, no script, and nothing in the ledger (the
follow-ups it shows are issued and recorded only by ``negplan followup``).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negplan.core.worklist import call_order
from negplan.errors import InputError, NegplanError, Problem
from negplan.records import record
from negplan.shell.batch_discovery import Job, discover
from negplan.shell.batch_pool import Pool, signals_interrupt, worker_signals

if TYPE_CHECKING:
    from negplan.core.case import Case
    from negplan.shell.batch_ledger import ChunkEvents

#: today.csv's columns. ``window_*`` are in the executive's zone, ``debtor_window_*`` and
#: ``next_window`` in the debtor's, all ISO 8601 with their UTC offset.
TODAY_COLUMNS = (
    "rank", "status", "case_id", "debtor_name", "phone", "window_opens", "window_closes",
    "debtor_window_opens", "debtor_window_closes", "debtor_timezone", "reason_code", "reason",
    "caution", "gain_over_batna", "currency", "recommended", "not_today_code", "not_today",
    "next_window", "file", "error", "channel",
)  # fmt: skip

#: Not a column: the number as the table shows it (``+1 415-555-0142``).
SHOWN_PHONE = "phone_shown"

WINDOW = 512  # files in flight (as batch)
CHUNK = 32


@record
class Settings:
    as_of: date
    now: datetime
    zone: tzinfo  # the executive's
    rules_file: Path | None = None
    ledger: str | None = None


@record
class Entry:
    """One file's place on the list: ``call``, ``not_today``, ``error`` or ``skipped``."""

    file: str
    status: str
    row: dict[str, str] = field(default_factory=dict)
    closes: datetime | None = None  # the order: earliest closing first ...
    gain_cents: int = 0  # ... then the largest gain over the BATNA


@dataclass
class Day:
    """The run's result: the list in order, and what went wrong."""

    calls: list[Entry] = field(default_factory=list)
    not_today: list[Entry] = field(default_factory=list)
    errors: list[Entry] = field(default_factory=list)
    #: The follow-ups ``negplan followup`` has still to issue today for these cases (rows of
    #: today.csv with ``status`` ``followup``), and how many it has for other cases.
    followups: list[dict[str, str]] = field(default_factory=list)
    followups_elsewhere: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)
    interrupted: bool = False
    signal: int = 0

    @property
    def total(self) -> int:
        return len(self.calls) + len(self.not_today) + len(self.errors) + self.skipped

    def rows(self) -> Iterator[dict[str, str]]:
        """today.csv's rows: the calls ranked, the follow-ups, the cases not today, the errors."""
        for rank, entry in enumerate(self.calls, start=1):
            yield {**entry.row, "rank": str(rank)}
        yield from self.followups
        for entry in (*self.not_today, *self.errors):
            yield entry.row


def day_ends(now: datetime, zone: tzinfo) -> datetime:
    """The end of the executive's day: the midnight after ``now`` in their zone."""
    local = now.astimezone(zone)
    naive = datetime.combine(local.date() + timedelta(days=1), time(0))
    return naive.replace(tzinfo=zone)


# ----------------------------------------------------------------------------- the worker

_RULES: Any = None
_SETTINGS: Settings | None = None


def _init_worker(settings: Settings, rules: Any) -> None:
    global _RULES, _SETTINGS
    _SETTINGS, _RULES = settings, rules


def _init_pool_worker(settings: Settings, rules: Any) -> None:
    worker_signals()
    _init_worker(settings, rules)


def _stamp(moment: datetime | None, zone: tzinfo | None = None) -> str:
    if moment is None:
        return ""
    return (moment if zone is None else moment.astimezone(zone)).isoformat(timespec="minutes")


def _failed(job: Job, message: str, case_id: str = "") -> Entry:
    row = dict.fromkeys(TODAY_COLUMNS, "")
    row.update(status="error", case_id=case_id, file=job.display, error=message)
    return Entry(job.display, "error", row)


def plan_chunk(jobs: Sequence[Job]) -> list[Entry]:
    """Place a chunk of case files on the day's list, one entry each, in order; never raises
    for a bad case. With a ledger the chunk's events are read at once, as ``batch`` reads them
    (:func:`negplan.shell.batch_ledger.read_chunk`: one transaction and one query a table per
    chunk, not per case)."""
    from negplan.shell.batch_ledger import read_chunk

    settings = _SETTINGS
    assert settings is not None
    loaded = [_load(job, settings) for job in jobs]
    events: ChunkEvents | None = None
    if settings.ledger is not None:
        cases = [case.case_id for case in loaded if not isinstance(case, Entry)]
        events = read_chunk(settings.ledger, cases)
    return [_place(job, case, settings, events) for job, case in zip(jobs, loaded, strict=True)]


def _load(job: Job, settings: Settings) -> Case | Entry:
    """The case in ``job``'s file, or the entry that says why it is not one."""
    from negplan.io.case_file import load_case
    from negplan.shell.batch import _looks_like_rules

    try:
        return load_case(job.source, settings.as_of)
    except Exception as exc:  # one bad file must not stop the run
        if not isinstance(exc, InputError):
            return _failed(job, f"{job.display}: internal error ({type(exc).__name__}: {exc})")
        if _looks_like_rules(job.source):
            return Entry(job.display, "skipped")
        return _failed(job, "; ".join(str(p) for p in exc.problems))


def _place(job: Job, case: Case | Entry, settings: Settings, events: ChunkEvents | None) -> Entry:
    """Plan one loaded case and place it on the day's list; never raises for a bad case."""
    if isinstance(case, Entry):  # not a case: the entry says why
        return case
    from negplan.core.arrangements import case_status
    from negplan.core.ledger_case import with_ledger
    from negplan.core.ledger_events import CaseHistory
    from negplan.core.plan import build_plan
    from negplan.core.worklist import completed, work_item
    from negplan.io.packaged import load_tables
    from negplan.io.phones import display_number
    from negplan.io.rules_file import rules_for_case
    from negplan.jurisdictions import parse_jurisdiction

    try:
        rules = rules_for_case(_RULES, settings.rules_file, case.jurisdiction)
        grace = rules.agreements.grace_period_days
        status = None
        if events is not None:
            if events.error is not None:
                raise events.error
            history = events.histories.get(case.case_id) or CaseHistory(case.case_id)
            status = case_status(history, settings.as_of, grace)
            if (done := completed(status)) is not None:
                return _left_alone(job, case, done)
            case = with_ledger(case, history, settings.as_of, grace).case
        plan = build_plan(case, rules, load_tables(), settings.as_of, settings.now)
        item = work_item(plan, status, day_ends(settings.now, settings.zone), grace)
    except Exception as exc:  # a bad case (or a bug) costs one case, never the run
        detail = str(exc) if isinstance(exc, NegplanError) else f"internal error ({exc!r})"
        return _failed(job, f"{job.display}: {detail}", case.case_id)
    country = parse_jurisdiction(case.jurisdiction).country
    phone = case.debtor.phone
    best = plan.recommended
    row = dict.fromkeys(TODAY_COLUMNS, "")
    row.update(
        status="call" if item.call else "not_today",
        case_id=case.case_id,
        debtor_name=case.debtor.name,
        phone="" if phone is None else display_number(phone, country, dial_link=True),
        window_opens=_stamp(item.opens, settings.zone),
        window_closes=_stamp(item.closes, settings.zone),
        debtor_window_opens=_stamp(item.opens),
        debtor_window_closes=_stamp(item.closes),
        debtor_timezone=case.debtor.timezone,
        reason_code=item.reason.code,
        reason=item.reason.text,
        caution="; ".join(item.cautions),
        gain_over_batna=format(item.gain, "f"),
        currency=plan.currency,
        recommended=best.id if best is not None else "",
        not_today_code=item.not_today.code if item.not_today is not None else "",
        not_today=item.not_today.text if item.not_today is not None else "",
        next_window=_stamp(item.next_window),
        file=job.display,
        channel="phone" if item.call else "",
    )
    row[SHOWN_PHONE] = "" if phone is None else display_number(phone, country)
    return Entry(
        job.display, row["status"], row, item.closes, int(item.gain.scaleb(2).to_integral())
    )


def _left_alone(job: Job, case: Any, reason: Any) -> Entry:
    """A case not even planned (its arrangement is completed): who, and why not."""
    row = dict.fromkeys(TODAY_COLUMNS, "")
    row.update(
        status="not_today",
        case_id=case.case_id,
        debtor_name=case.debtor.name,
        debtor_timezone=case.debtor.timezone,
        reason_code="arrangement_in_force",
        reason="arrangement completed",
        currency=case.currency,
        not_today_code=reason.code,
        not_today=reason.text,
        file=job.display,
    )
    return Entry(job.display, "not_today", row)


def _dead_worker(job: Job) -> Entry:
    return _failed(
        job,
        f"{job.display}: the worker planning this file died twice (killed, or out of memory); "
        "the other files were planned",
    )


# ----------------------------------------------------------------------------- the run


def _entries(
    jobs: Iterable[Job], settings: Settings, rules: Any, pool: Pool[Job, Entry] | None, workers: int
) -> Iterator[Entry]:
    if pool is None:
        _init_worker(settings, rules)
        remaining = iter(jobs)
        while chunk := list(islice(remaining, CHUNK)):
            yield from plan_chunk(chunk)
        return
    size = max(1, min(CHUNK, WINDOW // (4 * workers)))
    yield from pool.map_chunks(plan_chunk, jobs, window=2 * WINDOW, chunk=size)


def run(
    roots: list[Path],
    settings: Settings,
    *,
    workers: int,
    out: Path | None = None,
    on_entry: Callable[[Entry], None] | None = None,
) -> Day:
    """Place every case under ``roots`` on the day's list, in order. ``out`` (where today.csv
    goes) is not searched for cases."""
    from negplan.io.rules_file import load_rules

    rules = load_rules(settings.rules_file)  # parsed once; the workers inherit it
    missing = [root for root in roots if not (root.is_dir() or root.is_file())]
    if missing:
        raise InputError([Problem("no such file or folder", file=str(root)) for root in missing])
    day = Day()
    keyed: list[tuple[tuple[datetime, Decimal], int, Entry]] = []
    pool: Pool[Job, Entry] | None = None
    if workers > 1:
        pool = Pool(workers, _init_pool_worker, (settings, rules), on_dead=_dead_worker)
    try:
        with signals_interrupt():
            jobs = discover(roots, out or Path(os.devnull), day.warnings)
            for order, entry in enumerate(_entries(jobs, settings, rules, pool, workers)):
                if entry.status == "call" and entry.closes is not None:
                    rank = call_order(entry.closes, Decimal(entry.gain_cents))
                    keyed.append((rank, order, entry))
                elif entry.status == "not_today":
                    day.not_today.append(entry)
                elif entry.status == "skipped":
                    day.skipped += 1
                else:
                    day.errors.append(entry)
                if on_entry is not None:
                    on_entry(entry)
    except KeyboardInterrupt as exc:
        day.interrupted = True
        day.signal = getattr(exc, "signum", signal.SIGINT)
        return day
    finally:
        if pool is not None:
            pool.close(interrupted=day.interrupted)
    day.calls = [entry for *_, entry in sorted(keyed, key=lambda k: k[:2])]
    _mark_duplicates(day)
    return day


def _mark_duplicates(day: Day) -> None:
    """Two files with one ``case_id`` are one debtor listed twice, or a mistake: neither is
    listed, both are errors (as batch treats them)."""
    files: dict[str, list[str]] = {}
    for entry in (*day.calls, *day.not_today):
        files.setdefault(entry.row["case_id"].casefold(), []).append(entry.file)
    twice = {key: found for key, found in files.items() if len(found) > 1}
    if not twice:
        return

    def marked(entry: Entry) -> Entry:
        found = twice[entry.row["case_id"].casefold()]
        others = ", ".join(f for f in found if f != entry.file)
        row = {**dict.fromkeys(TODAY_COLUMNS, ""), "case_id": entry.row["case_id"]}
        row.update(status="error", file=entry.file, error=f"duplicate case_id also in {others}")
        return replace(entry, status="error", row=row)

    for group in (day.calls, day.not_today):
        kept = [e for e in group if e.row["case_id"].casefold() not in twice]
        day.errors += [marked(e) for e in group if e.row["case_id"].casefold() in twice]
        group[:] = kept
