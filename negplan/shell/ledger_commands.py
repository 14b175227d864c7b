"""The ledger commands (SPEC §8): ``log``, ``promise``, ``track``, ``payments import``,
``status`` and ``ledger export|import``.

Each maps its options onto :mod:`negplan.io.ledger` and :mod:`negplan.core.arrangements` and runs
as one transaction; ``app.py`` registers them and the ``payments`` and ``ledger`` groups.
SQLAlchemy is imported inside the commands, never at module level: this module is imported
whenever ``negplan`` starts, and ``prep`` must not pay for a database it does not use.
"""

from __future__ import annotations

import re
import sys
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from negplan.core.case import CASE_ID_PATTERN, Channel, ContactOutcome, OptOut
from negplan.errors import InputError
from negplan.shell.funnel import funnel
from negplan.shell.help import PlainHelpCommand, PlainHelpGroup
from negplan.shell.options import LedgerOption, parse_as_of, parse_now


def _case_id(value: str) -> str:
    if not re.match(CASE_ID_PATTERN, value):
        raise typer.BadParameter(f"not a case id (letters, digits, . _ -; up to 64): {value!r}")
    return value


def _now() -> datetime:
    return datetime.now(timezone.utc).astimezone().replace(microsecond=0)


def _amount(text: str) -> Decimal:
    from negplan.core.ledger_events import amount_problem  # not at start-up: prep needs none
    from negplan.money import to_decimal

    try:
        value = to_decimal(text)
    except ValueError as exc:
        raise InputError.single(str(exc), path="--amount") from None
    problem = "must be more than zero" if value <= 0 else amount_problem(value)
    if problem:
        raise InputError.single(f"{text} {problem}", path="--amount")
    return value


payments_app = typer.Typer(
    name="payments",
    help="Payments received, from your bank's CSV.\n\n"
    "Example: negplan payments import december.csv",
    no_args_is_help=True,
    cls=PlainHelpGroup,
)
ledger_app = typer.Typer(
    name="ledger",
    help="Back up, restore or move the ledger as JSON Lines.\n\n"
    "Example: negplan ledger export --out backup.jsonl",
    no_args_is_help=True,
    cls=PlainHelpGroup,
)


@funnel
def log(
    case_id: Annotated[str, typer.Argument(help="The case id.", metavar="CASE", callback=_case_id)],
    outcome: Annotated[
        ContactOutcome | None, typer.Option("--outcome", help="What happened.")
    ] = None,
    channel: Annotated[
        Channel, typer.Option("--channel", help="How (default: phone).")
    ] = Channel.phone,
    at: Annotated[
        str | None,
        typer.Option("--at", help="When, with offset (default: now).", metavar="DATETIME"),
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Who made the contact.", metavar="NAME")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A short note.", metavar="T")] = None,
    opt_out: Annotated[
        list[OptOut] | None,
        typer.Option("--opt-out", help="A channel or place the debtor asked us not to use."),
    ] = None,
    ledger: LedgerOption = None,
) -> None:
    """Record a contact with the debtor, or an opt-out, in the ledger.

    Contacts from every executive and channel count toward the call caps.

    \b
    Example:
      negplan log NW-2026-00187 --outcome conversation --by "Sam Patel" --note "pays Fri"
    """
    from negplan.io.ledger import Ledger
    from negplan.io.ledger.events import record_contact, record_opt_out

    if outcome is None and not opt_out:
        raise InputError.single("say what happened: --outcome, --opt-out, or both")
    if note is not None and len(note) > 2000:
        raise InputError.single("at most 2000 characters", path="--note")
    moment = parse_now(at) or _now()
    with Ledger(ledger) as book, book.write() as conn:
        if outcome is not None:
            record_contact(
                conn,
                case_id,
                at=moment,
                channel=channel.value,
                outcome=outcome.value,
                by=by,
                note=note,
            )
        for place in opt_out or []:
            record_opt_out(conn, case_id, place, at=moment, by=by)
    done = [f"{channel.value} {outcome.value}"] if outcome else []
    done += [f"opt-out of {p.value}" for p in opt_out or []]
    typer.echo(f"logged for {case_id}: {', '.join(done)} at {moment.isoformat()}")


@funnel
def promise(
    case_id: Annotated[str, typer.Argument(help="The case id.", metavar="CASE", callback=_case_id)],
    amount: Annotated[str, typer.Option("--amount", help="The amount promised.", metavar="A")],
    due: Annotated[str, typer.Option("--due", help="When it will be paid.", metavar="YYYY-MM-DD")],
    by: Annotated[
        str | None, typer.Option("--by", help="Who took the promise.", metavar="NAME")
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at", help="When it was made, with offset (default: now).", metavar="DATETIME"
        ),
    ] = None,
    ledger: LedgerOption = None,
) -> None:
    """Record a promise to pay made without a written agreement.

    Example: negplan promise NW-2026-00187 --amount 250.00 --due 2026-12-05 --by "Sam Patel"
    """
    from negplan.io.ledger import Ledger
    from negplan.io.ledger.events import record_promise

    value = _amount(amount)
    due_on = parse_as_of(due)
    assert due_on is not None
    made = parse_now(at) or _now()
    if due_on < made.date():
        raise InputError.single(
            f"{due_on} is before the promise was made ({made.date()})", path="--due"
        )
    with Ledger(ledger) as book, book.write() as conn:
        record_promise(conn, case_id, made_on=made.date(), due=due_on, amount=value, by=by)
    typer.echo(f"promise recorded for {case_id}: {format(value, 'f')} by {due_on}")


@funnel
def track(
    files: Annotated[
        list[Path],
        typer.Argument(help="Signed agreements (md, html or pdf).", metavar="AGREEMENT_FILE..."),
    ],
    signed_on: Annotated[
        str | None,
        typer.Option(
            "--signed-on",
            help="When the debtor signed (default: the agreement's date).",
            metavar="YYYY-MM-DD",
        ),
    ] = None,
    ledger: LedgerOption = None,
) -> None:
    """Track signed agreements: their schedules become installments the payments are held to.

    Only a document that negplan verify passes is tracked; tracking one twice changes nothing;
    a newer agreement for the same case supersedes the older one.

    Example: negplan track NW-2026-00187.agreement.pdf --signed-on 2026-11-28
    """
    from negplan.agreement.tracking import arrangement, read_signed
    from negplan.core.arrangements import ordered
    from negplan.io.ledger import Ledger
    from negplan.io.ledger.events import histories, record_agreement

    day = parse_as_of(signed_on)
    signed = [(f, read_signed(f)) for f in files]  # every file verified before any is written
    tracked = [(f, s, arrangement(s, day)) for f, s in signed]
    with Ledger(ledger) as book, book.write() as conn:
        results = [(f, s, record_agreement(conn, a, s.terms, f.name)) for f, s, a in tracked]
        known = histories(conn, {a.case_id for _, _, a in tracked})
    for file, sign, result in results:
        if not result.new:
            typer.echo(f"already tracked {file}: fingerprint {sign.fingerprint}")
            continue
        newest = ordered(known[result.arrangement.case_id].arrangements)
        position = [a.fingerprint for a in newest].index(sign.fingerprint)
        note = ""
        if position > 0:
            note = f"; supersedes {newest[position - 1].fingerprint}"
        if position < len(newest) - 1:
            note = f"; already superseded by {newest[-1].fingerprint}"
        typer.echo(f"tracked {file}: {sign.summary}; fingerprint {sign.fingerprint}{note}")


@payments_app.command("import", cls=PlainHelpCommand)
@funnel
def payments_import(
    file: Annotated[Path, typer.Argument(help="The CSV, with a header row.", metavar="FILE.csv")],
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            help="Which headers hold case_id, date, amount and reference, if named otherwise: "
            "FIELD=HEADER pairs joined by commas, e.g. case_id=Account,date=Posted.",
            metavar="FIELD=HEADER,...",
        ),
    ] = None,
    ledger: LedgerOption = None,
) -> None:
    """Import payments from a CSV in one transaction; each reference is imported once.

    A bad row is reported with its line and nothing of the file is imported. Negative amounts
    are reversals. Payments for a case with no agreement or promise are kept and listed.

    \b
    Example:
      negplan payments import bank.csv \\
        --columns case_id=Account,date=Posted,amount=Amount,reference=Ref
    """
    from negplan.io.ledger import Ledger
    from negplan.io.ledger.payments import import_payments, parse_columns, read_payments

    rows = read_payments(file, parse_columns(columns))
    with Ledger(ledger) as book, book.write() as conn:
        result = import_payments(conn, rows, str(file))
    typer.echo(
        f"imported {result.imported} payment(s) from {file}"
        + (f"; {result.already} already in the ledger" if result.already else "")
    )
    for row in result.unmatched:
        typer.echo(
            f"unallocated: {file}:{row.line}: {row.case_id} {row.paid_on} "
            f"{format(row.amount, 'f')} reference {row.reference} "
            "(no agreement or promise for this case)"
        )


@funnel
def status(
    case_ids: Annotated[
        list[str] | None,
        typer.Argument(help="Case ids (default: every case).", metavar="CASE_ID..."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="The date to judge states on (default: today).",
            metavar="YYYY-MM-DD",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (amounts as strings).")
    ] = False,
    rules: Annotated[
        Path | None,
        typer.Option("--rules", help="Rules for the grace days of promises.", metavar="FILE"),
    ] = None,
    ledger: LedgerOption = None,
) -> None:
    """Show each arrangement and promise with its state, and unallocated payments.

    Example: negplan status NW-2026-00187 --as-of 2026-12-20 --json
    """
    from negplan.core.arrangements import case_status
    from negplan.io.ledger import Ledger
    from negplan.io.ledger.events import all_case_ids, histories
    from negplan.io.rules_file import load_rules
    from negplan.shell.ledger_prep import existing_ledger
    from negplan.shell.ledger_present import status_json, status_lines

    for case in case_ids or []:
        _case_id(case)
    day = parse_as_of(as_of) or _now().date()
    grace = load_rules(rules).agreements.grace_period_days
    ledger = existing_ledger(ledger, "status")
    with Ledger(ledger) as book, book.read() as conn:
        wanted = case_ids or all_case_ids(conn)
        found = histories(conn, wanted)
    results = [(case_status(found[c], day, grace), found[c]) for c in wanted]
    if as_json:
        sys.stdout.write(status_json(day, results))
        return
    if not results:
        typer.echo("the ledger holds no case yet")
    for state, history in results:
        typer.echo("\n".join(status_lines(state, history)))


@ledger_app.command("export", cls=PlainHelpCommand)
@funnel
def ledger_export(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="The file to write (default: stdout).", metavar="FILE"),
    ] = None,
    ledger: LedgerOption = None,
) -> None:
    """Write every event of the ledger as JSON Lines.

    Example: negplan ledger export --out backup.jsonl
    """
    from negplan.io.ledger import Ledger
    from negplan.io.ledger.jsonl import export_lines
    from negplan.io.outputs import write_atomic
    from negplan.shell.ledger_prep import existing_ledger

    ledger = existing_ledger(ledger, "ledger export")
    with Ledger(ledger) as book, book.read() as conn:
        text = "".join(line + "\n" for line in export_lines(conn))
    if out is None:
        sys.stdout.write(text)
        return
    write_atomic(out, text)
    typer.echo(f"wrote {out}: {text.count(chr(10)) - 1} event(s)")


@ledger_app.command("import", cls=PlainHelpCommand)
@funnel
def ledger_import(
    file: Annotated[Path, typer.Argument(help="A ledger export (JSON Lines).", metavar="FILE")],
    ledger: LedgerOption = None,
) -> None:
    """Load a JSON Lines export into the ledger in one transaction; skip events already there.

    Example: negplan ledger import backup.jsonl --ledger postgresql://negplan@db.internal/negplan
    """
    from negplan.io.ledger import Ledger
    from negplan.io.ledger.jsonl import import_lines

    try:
        stream = file.open(encoding="utf-8")
    except OSError as exc:
        raise InputError.single(f"cannot read ({exc.strerror})", file=file) from None
    with stream, Ledger(ledger) as book, book.write() as conn:
        loaded = import_lines(conn, stream, str(file))
    added = ", ".join(f"{n} {table}" for table, n in sorted(loaded.added.items())) or "nothing"
    typer.echo(f"imported {added} from {file}; {loaded.skipped} already in the ledger")
