"""``negplan cancel``: the creditor cancels the arrangement in force for a case (SPEC §8).

Why a command of its own rather than an option of ``track``: ``track`` takes signed documents and
proves them with ``verify``; a cancellation has no document, only a case, a date, a reason and who
decided it, the facts an auditor asks for when a deal the debtor signed stops counting.

It is one write transaction: the case's events are read and the cancellation recorded on the same
connection, so of two executives cancelling at once both events land and the earliest date holds.
From the cancellation date the arrangement takes no payment (later money goes to promises or is
listed unallocated), it no longer keeps the case out of the call queue, and ``status`` shows it
``cancelled`` with the reason. A completed arrangement has nothing left to cancel and is refused.
"""

from __future__ import annotations

from typing import Annotated

import typer

from negplan.display import printable
from negplan.errors import InputError
from negplan.shell.funnel import funnel
from negplan.shell.ledger_commands import _case_id, _now
from negplan.shell.options import LedgerOption, parse_as_of

#: The longest reason kept: a sentence or two for the audit trail, as ``log --note`` allows more.
REASON_MAX = 500


@funnel
def cancel(
    case_id: Annotated[str, typer.Argument(help="The case id.", metavar="CASE", callback=_case_id)],
    reason: Annotated[
        str, typer.Option("--reason", help="Why it is cancelled (kept in the ledger).", metavar="T")
    ],
    on: Annotated[
        str | None,
        typer.Option("--on", help="From when (default: today).", metavar="YYYY-MM-DD"),
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who decided it.", metavar="NAME")] = None,
    ledger: LedgerOption = None,
) -> None:
    """Cancel the arrangement in force for a case; the case returns to the call queue.

    Payments after the date are no longer held to its schedule; status shows it cancelled.

    \b
    Example:
      negplan cancel NW-2026-00187 --reason "debtor asked to end the plan" --by "J. Lee"
    """
    from negplan.core.arrangements import ArrangementState, case_status
    from negplan.io.ledger import Ledger
    from negplan.io.ledger.events import histories, record_cancellation
    from negplan.shell.ledger_prep import existing_ledger

    why = " ".join(reason.split())
    if not why:
        raise InputError.single("say why the arrangement is cancelled", path="--reason")
    if len(why) > REASON_MAX or printable(why) != why:
        raise InputError.single(f"at most {REASON_MAX} printable characters", path="--reason")
    day = parse_as_of(on) or _now().date()
    ledger = existing_ledger(ledger, "cancel")
    with Ledger(ledger) as book, book.write() as conn:
        history = histories(conn, [case_id])[case_id]
        # Arrangement states do not depend on the promises' grace days; 0 is never read here.
        current = case_status(history, day, 0).current
        if current is None:
            raise InputError.single(
                f"{case_id} has no arrangement in force on {day} to cancel "
                "(negplan status shows what the ledger holds)"
            )
        deal = current.arrangement
        if current.state is ArrangementState.completed:
            raise InputError.single(
                f"{case_id}: the arrangement {deal.fingerprint} is completed (every installment "
                "paid); there is nothing to cancel"
            )
        if day < deal.signed_on:
            raise InputError.single(
                f"{day} is before the arrangement was signed ({deal.signed_on})", path="--on"
            )
        record_cancellation(conn, deal, on=day, reason=why, by=by)
    typer.echo(
        f"cancelled the arrangement {deal.fingerprint} for {case_id} from {day} "
        f"(it was {current.state.value}): {why}"
    )
