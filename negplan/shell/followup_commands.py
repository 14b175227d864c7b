"""``negplan followup``: the ledger turned into the day's letters and calls, each once (SPEC §9).

The core (:func:`negplan.core.followups.case_actions`) says what is due; this module claims each
action in the ledger (one transaction; a key already there is skipped, so a re-run or a second
executive issues nothing twice), renders the letters (``negplan.letters``), records their
fingerprints for ``verify``, and writes the calendar. SQLAlchemy, Jinja and WeasyPrint are
imported inside the command: ``negplan --help`` does not pay for them.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from negplan.records import record
from negplan.shell.funnel import funnel
from negplan.shell.options import LedgerOption, RulesOption, TemplatesOption, parse_as_of

if TYPE_CHECKING:
    from negplan.core.compliance.overrides import ComplianceOverrides
    from negplan.core.followup_terms import Action, AgreedTerms
    from negplan.core.tables import Tables
    from negplan.letters.calendar import DueDate

_SUFFIX = {"md": "md", "html": "html", "pdf": "pdf"}


@record
class Planned:
    """Every action due today that the ledger has not issued yet, with what they need."""

    actions: list[Action]
    terms: dict[str, AgreedTerms]
    due_dates: list[DueDate]
    #: When the run read the ledger: its claims carry this moment, so an event written while it
    #: rendered (a payment imported meanwhile) is newer than the run and seen by the next one.
    read_at: str = ""


def collector_clauses(tables: Tables) -> frozenset[str]:
    """Each shipped collector disclosure as an agreement prints it (``text (rule)``)."""
    return frozenset(
        f"{' '.join(p.collector_disclosure.text.split())} ({p.collector_disclosure.rule})"
        for p in tables.profiles.values()
        if p.collector_disclosure is not None
    )


def contact_window(
    tables: Tables, t: AgreedTerms, day: date, overrides: ComplianceOverrides | None = None
) -> str:
    """The hours of ``day`` in which a text or a call about ``t``'s agreement is lawful, in
    words with their rule: the call window (the rules may tighten it) in every place the debtor
    may be, outside the times they said are inconvenient (12 CFR 1006.6(b)(1)(i) and comment
    6(b)(1)(i)-1; a text at an inconvenient time is as unlawful as a call)."""
    from negplan.core.compliance.contact_hours import day_stretches, stretches_in_words
    from negplan.core.compliance.profiles import resolve_profile
    from negplan.jurisdictions import parse_jurisdiction

    profile = tables.profile(t.jurisdiction)
    if overrides is not None:
        profile = resolve_profile(profile, parse_jurisdiction(t.jurisdiction), overrides).profile
    window = profile.call_window
    hours = t.contact_hours
    if hours is None:  # recorded before the ledger kept them (schema 8)
        return (
            f"{window.start}–{window.end} the debtor's local time ({window.rule}); the ledger "
            "does not record where this debtor may be or the times they said are "
            "inconvenient (the agreement was recorded before negplan kept them): check the "
            "case file first"
        )
    rules = [window.rule]
    if hours.places:
        rules.append(
            "every place: " + ("comment 6(b)(1)(i)-1" if t.country == "US" else "firm practice")
        )
    if hours.inconvenient:
        rules.append(f"inconvenient times: {profile.inconvenient_times.rule}")
    stretches = day_stretches(hours, day, (window.start_time, window.end_time), tables.zone_info)
    return stretches_in_words(hours, day, stretches, "; ".join(dict.fromkeys(rules)))


def plan_followups(
    location: str | None,
    day: date,
    reminder_days: int,
    grace: int,
    due_dates: bool = False,
    overrides: ComplianceOverrides | None = None,
) -> Planned:
    """Read the ledger (one read transaction) and work out what is due and not yet issued.

    Only the cases something can have happened to since followup last issued are replayed
    (:func:`negplan.io.ledger.followups.candidate_cases`); with ``due_dates`` (``--ics``) every
    case is, for the calendar's open installments.
    """
    from negplan.core.arrangements import InstallmentState, case_status
    from negplan.core.followups import case_actions
    from negplan.io.ledger import Ledger
    from negplan.io.ledger.events import all_case_ids, recorded_now
    from negplan.io.ledger.followup_reads import candidate_cases, case_reads
    from negplan.io.ledger.followups import issued_keys
    from negplan.io.packaged import load_tables
    from negplan.letters.calendar import DueDate
    from negplan.wording import Figures, document_locale

    tables = load_tables()
    clauses = collector_clauses(tables)
    read_at = recorded_now()
    with Ledger(location) as book, book.read() as conn:
        cases = None if due_dates else candidate_cases(conn, day, reminder_days)
        found, terms = case_reads(conn, all_case_ids(conn) if cases is None else cases, clauses)
        issued = issued_keys(conn)
    actions: list[Action] = []
    dates: list[DueDate] = []
    for case_id, history in found.items():
        status = case_status(history, day, grace)
        todo = case_actions(status, terms, history.opt_outs, day, reminder_days, grace, issued)
        actions += [
            _with_window(a, terms, tables, day, overrides) for a in todo if a.key not in issued
        ]
        current = status.current
        t = None if current is None else terms.get(current.arrangement.fingerprint)
        if not due_dates or current is None or t is None:
            continue
        fig = Figures(t.currency, document_locale(t.jurisdiction))
        dates += [
            DueDate(case_id, t.fingerprint, r.number, r.due, fig.money(r.amount - r.paid))
            for r in current.installments
            if r.state in (InstallmentState.scheduled, InstallmentState.due) and r.due >= day
        ]
    return Planned(actions, terms, dates, read_at)


def _with_window(
    action: Action,
    terms: dict[str, AgreedTerms],
    tables: Tables,
    day: date,
    overrides: ComplianceOverrides | None,
) -> Action:
    """A text, an email or a call about an agreement carries the hours of its day in which it
    may be made (:func:`contact_window`), worked out before anything is claimed. Hours that
    cannot be worked out (a zone this machine does not know) fall back to the profile's window
    and say to check the case file: a claimed action is never left without its line."""
    from dataclasses import replace

    t = terms.get(action.fingerprint or "")
    if action.channel == "letter" or t is None:
        return action
    try:
        window = contact_window(tables, t, day, overrides)
    except (ValueError, LookupError):
        window = contact_window(tables, replace(t, contact_hours=None), day, overrides)
    return replace(action, window=window)


def _file_name(action: Action, day: date, suffix: str) -> str:
    part = "" if action.installment is None else f"-{action.installment}"
    channel = f".{action.channel}" if action.channel in ("email", "sms") else ""
    return f"{action.case_id}.{action.kind.value}{part}.{day.isoformat()}{channel}.{suffix}"


def issue(
    location: str | None,
    planned: Planned,
    day: date,
    out: Path,
    fmt: Literal["md", "html", "pdf"],
    by: str | None,
    templates: Path | None = None,
) -> list[tuple[Action, Path | None]]:
    """Claim and issue every planned action in one write transaction; return what was issued."""
    from negplan.io.ledger import Ledger
    from negplan.io.ledger.events import record_document
    from negplan.io.ledger.followups import claim
    from negplan.io.outputs import write_atomic
    from negplan.letters.document import render_letter
    from negplan.letters.sms import sms_sheet

    issued: list[tuple[Action, Path | None]] = []
    with Ledger(location) as book, book.write() as conn:
        for action in planned.actions:
            terms = planned.terms.get(action.fingerprint or "")
            if not action.is_letter or terms is None:
                if claim(conn, action, day, by, recorded_at=planned.read_at):
                    issued.append((action, None))
                continue
            if action.channel == "sms":  # a text: no letter, the sheet that sends it lawfully
                target = out / _file_name(action, day, "txt")
                if claim(conn, action, day, by, None, str(target), planned.read_at):
                    write_atomic(target, sms_sheet(action, terms, day).encode())
                    issued.append((action, target))
                continue
            # An email is sent as text: its body is the Markdown letter.
            kind = "md" if action.channel == "email" else fmt
            document = render_letter(action, terms, day, kind, templates)
            target = out / _file_name(action, day, _SUFFIX[kind])
            at = planned.read_at
            if not claim(conn, action, day, by, document.fingerprint, str(target), at):
                continue  # another executive issued it a moment ago
            write_atomic(target, document.content)
            record_document(
                conn, action.case_id, document.fingerprint, action.kind.value, day, str(target)
            )
            issued.append((action, target))
    return issued


#: A call about a promise (its places and times are recorded beside agreements, not promises):
#: the pre-flight of ``negplan today`` (or ``prep``) on the case file gives its window.
NO_WINDOW = "the lawful window negplan today gives for the case"


def _line(action: Action, target: Path | None) -> str:
    what = action.kind.value.replace("_", " ")
    window = action.window or NO_WINDOW
    if target is None:
        return f"call    {action.case_id}: {action.reason.text}; within {window}"
    how = action.channel
    when = f"; send within {window}" if how != "letter" else ""
    return f"{how:<7} {action.case_id}: {what} → {target}{when}"


@funnel
def followup(
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="The day to act for (default: today).", metavar="YYYY-MM-DD"),
    ] = None,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Folder for the letters (default: followups).",
            metavar="DIR",
            file_okay=False,
        ),
    ] = Path("followups"),
    fmt: Annotated[
        str,
        typer.Option(
            "--format", help="Letters as md, html or pdf (default: md).", metavar="md|html|pdf"
        ),
    ] = "md",
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics", help="Also write the actions and due dates as iCalendar.", metavar="FILE"
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", help="Who issues them (recorded in the ledger).", metavar="NAME"),
    ] = None,
    rules: RulesOption = None,
    templates: TemplatesOption = None,
    ledger: LedgerOption = None,
) -> None:
    """Issue today's follow-ups from the ledger: letters, reminders and call tasks, each once.

    Confirmations of new arrangements, reminders before due dates (rules followup.reminder_days)
    by a channel the debtor allows, missed-payment letters with the amount and date that cure
    them, UK arrears and default notices, the consequence the agreement states, the paid-in-full
    or settled-in-full letter, and a call task for each broken promise. A re-run issues nothing
    twice.

    Example: negplan followup --as-of 2026-12-02 --out letters/ --format pdf --ics today.ics
    """
    from negplan.errors import InputError
    from negplan.io.outputs import write_atomic
    from negplan.io.rules_file import load_rules
    from negplan.letters.calendar import calendar_ics
    from negplan.shell.ledger_prep import existing_ledger

    if fmt not in _SUFFIX:
        raise InputError.single(f"--format: expected md, html or pdf, got {fmt!r}")
    day = parse_as_of(as_of) or datetime.now(timezone.utc).astimezone().date()
    loaded = load_rules(rules)
    ledger = existing_ledger(ledger, "followup")
    planned = plan_followups(
        ledger,
        day,
        loaded.followup.reminder_days,
        loaded.agreements.grace_period_days,
        due_dates=ics is not None,
        overrides=loaded.compliance,
    )
    if planned.actions:
        out.mkdir(parents=True, exist_ok=True)
    issued = issue(ledger, planned, day, out, fmt, by, templates)  # type: ignore[arg-type]
    for action, target in issued:
        typer.echo(_line(action, target))
    if not issued:
        typer.echo(f"nothing to issue on {day}: no follow-up is due that was not issued already")
    if ics is not None:
        stamp = datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc)
        data = calendar_ics([a for a, _ in issued], planned.due_dates, {}, stamp)
        write_atomic(ics, data)
        typer.echo(f"wrote {ics}: {len(issued)} action(s), {len(planned.due_dates)} due date(s)")
