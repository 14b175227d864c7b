"""The pre-call brief and the batch report: views of a Plan that fit one terminal screen.

Presentation only: every figure comes from the plan; nothing here computes money. The brief's
content is built once (:func:`brief_content`, plain data) and drawn two ways: with Rich on a
terminal (colour, a panel for the compliance verdict), or as plain wrapped text when piped
(``COLUMNS`` columns, or :data:`PLAIN_WIDTH` without it; no escape codes, and no Rich import at
all, which keeps ``negplan prep`` quick to start). ``NO_COLOR`` turns colour off on a terminal.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import field
from typing import IO, TYPE_CHECKING, Any, Protocol

from negplan.core.case import Case
from negplan.core.plan import Plan
from negplan.display import grouped
from negplan.records import record
from negplan.shell import brief_words
from negplan.shell.layout import NBSP, PLAIN_WIDTH, Pieces, keep, piped_width, plain, wrap
from negplan.wording import language_gap

if TYPE_CHECKING:
    from rich.console import Console

    from negplan.core.arrangements import ArrangementStatus
    from negplan.script.compose import Objection
    from negplan.shell.batch_outputs import Report


class Counted(Protocol):
    """What the progress bar reads of a file's outcome (batch's, or today's)."""

    @property
    def status(self) -> str: ...


LABEL_WIDTH = 12
#: Columns between the label and the text.
GUTTER = 2


@record
class Row:
    label: str
    pieces: Pieces

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.pieces).replace(NBSP, " ")


@record
class Brief:
    header: str
    verdict: str  # clear | caution | blocked
    verdict_title: str
    verdict_lines: list[Pieces]
    rows: list[Row] = field(default_factory=list)


def is_terminal(stream: IO[str]) -> bool:
    return hasattr(stream, "isatty") and stream.isatty()


def _local(moment: Any) -> str:
    return f"{moment:%Y-%m-%d %H:%M} {moment.tzname() or ''} ({moment:%z})".replace("  ", " ")


def _verdict(plan: Plan, on_track: ArrangementStatus | None) -> tuple[str, list[Pieces]]:
    pre = plan.compliance
    lines: list[Pieces] = []
    if pre.verdict == "blocked":
        title = "BLOCKED: DO NOT CALL"
    elif on_track is not None:  # SPEC §8: a debtor keeping to the deal is not called to collect
        title = "ARRANGEMENT ON TRACK: NO COLLECTION CALL"
        lines.append([(brief_words.on_track_line(on_track, plan.currency), "bold")])
    elif pre.callable_now:
        title = f"{pre.verdict.upper()}: callable now"
    else:
        title = f"{pre.verdict.upper()}: not callable now"
    for finding in pre.findings:
        # A refused loosening override is only "info" for the call, but the reader must see it.
        if finding.level == "info" and finding.check != "rules_override":
            continue
        blocked = finding.level == "blocked"
        lines.append(
            [
                ("✗ " if blocked else "! ", "red" if blocked else "yellow"),
                (f"{finding.message} ", ""),
                (f"({keep(finding.rule) if len(finding.rule) <= 30 else finding.rule})", "dim"),
            ]
        )
    gap = language_gap(plan.case.debtor.language)
    if gap is not None:
        lines.append([("! ", "yellow"), (gap, "")])
    if on_track is None and (pre.verdict == "blocked" or not pre.callable_now):
        when = (
            _local(pre.next_window)
            if pre.next_window is not None
            else "none until the blocking flag is cleared"
        )
        lines.append([(f"Next lawful window: {keep(when)}", "bold")])
    if not lines:
        lines.append([("Every pre-flight check passed: nothing to watch for on this call.", "")])
    return title, lines


def _months(n: int) -> str:
    return keep(f"{n} mo")


def brief_content(
    case: Case,
    plan: Plan,
    objections: Iterable[Objection] = (),
    on_track: ArrangementStatus | None = None,
) -> Brief:
    """Everything the brief shows, in order, as plain data, in words (codes stay in the JSON).

    ``on_track`` is the ledger's arrangement when the debtor is keeping to it: the banner then
    says no collection call is due, where it would otherwise say "callable now" (SPEC §8).

    Amounts are grouped as the currency's readers group them (``2,40,000.00`` for rupees); a
    label and its amount (``12 mo 555.35``) are kept on one line.
    """
    cur = plan.currency

    def m(amount: Any) -> str:
        return "—" if amount is None else grouped(amount, cur)

    def row(label: str, *pieces: str | tuple[str, str]) -> Row:
        return Row(label, [p if isinstance(p, tuple) else (p, "") for p in pieces])

    debt = case.debt
    afford = plan.affordability
    minimum = plan.minimum_terms
    header = (
        f"{case.case_id} · {case.debtor.name} · {case.jurisdiction} · "
        f"{debt.product.value.replace('_', ' ')} {debt.account_ref} · {cur} · as of {plan.as_of}"
    )
    if case.payment_history:
        last = case.payment_history[-1]
        last_payment = f"{last.date} ({m(last.amount)})"
    else:
        last_payment = str(debt.last_payment) if debt.last_payment else "none recorded"
    contacts = f"{len(case.contacts)} logged"
    if case.contacts:
        latest = max(case.contacts, key=lambda c: c.at)
        contacts += (
            f"; last {latest.at:%Y-%m-%d %H:%M} {latest.channel.value} "
            f"{latest.outcome.value.replace('_', ' ')}"
        )
        if latest.note:
            contacts += f" — “{latest.note}”"
    broken = [n for n in case.previous_negotiations if n.outcome.value == "broken_promise"]
    if broken:
        history = f"{len(broken)} broken promise{'s' if len(broken) > 1 else ''}: " + "; ".join(
            f"{n.date} {n.terms}" for n in broken
        )
    else:
        count = len(case.previous_negotiations)
        history = f"{count} earlier negotiation{'' if count == 1 else 's'}, no broken promise"
    hardship = brief_words.hardship(case)
    if hardship:
        history += f" · hardship: {hardship}"
    barred = " · TIME-BARRED" if plan.time_barred else ""
    rows = [
        row(
            "Debt",
            f"{m(plan.balance)} = principal {keep(m(debt.balance.principal))} + interest "
            f"{keep(m(debt.balance.interest))} + fees {keep(m(debt.balance.fees))}",
        ),
        row(
            "",
            f"{plan.days_past_due} days past due · last payment {keep(last_payment)}",
            (barred, "bold red"),
        ),
        row("Contacts", contacts),
        row("History", history),
        row(
            "Afford",
            f"income {m(afford.income)} − essentials {m(afford.essential_expenses)} − "
            f"priority debts {keep(m(afford.priority_payments))} = surplus {m(afford.surplus)}",
        ),
        row(
            "",
            "affordable ",
            (f"{m(afford.affordable_monthly)} a month", "bold"),
            f" · lump sum {m(afford.lump_sum_capacity)} · ",
            (brief_words.CAPACITY[afford.capacity], "bold"),
        ),
    ]
    # The header names the currency: the flags' "1,500.00 INR" reads "1,500.00" like the rest.
    shown = [brief_words.flag_words(flag).replace(f" {cur}", "") for flag in afford.flags[:3]]
    rows += [row("", (f"discuss {flag}", "yellow")) for flag in shown]
    if len(afford.flags) > 3:
        rows.append(row("", (f"… and {len(afford.flags) - 3} more in the call script", "yellow")))
    rows += [
        row(
            "Alternatives",
            " · ".join(
                keep(f"{brief_words.ALTERNATIVE[a.kind]} {m(a.value) if a.available else 'n/a'}")
                for a in plan.alternatives
            ),
        ),
        row(
            "BATNA",
            (f"{brief_words.ALTERNATIVE[plan.batna.kind]}, worth {m(plan.batna.value)}", "bold"),
        ),
        row(
            "Minimum",
            "settlement ",
            (m(minimum.minimum_settlement), "bold"),
            f" · good-faith payment {m(minimum.good_faith_payment)} · your authority down to "
            f"{m(minimum.executive_min_settlement)}",
        ),
    ]
    payments = minimum.minimum_plan_payment
    plan_minimum = " · ".join(f"{_months(n)}{NBSP}{m(p)}" for n, p in payments.items())
    if any(p is None for p in payments.values()):
        plan_minimum += " (— no affordable payment over that term is worth the BATNA)"
    rows.append(row("", f"plan payment at least: {plan_minimum}"))
    zopa = plan.zopa
    lump = (
        f"lump sum {keep(m(zopa.settlement[0]) + '–' + m(zopa.settlement[1]))}"
        if zopa.settlement
        else "no lump sum"
    )
    plans = [f"{_months(n)}{NBSP}{m(r[0])}–{m(r[1])}" for n, r in zopa.plan.items() if r]
    rows.append(row("ZOPA", lump + " · plans: " + (" · ".join(plans) if plans else "none")))
    if plan.recommended is not None:
        option = plan.recommended
        rows.append(
            row(
                "Recommend",
                (brief_words.offer_line(option, m), "bold green"),
                f"; worth {m(option.expected_value)}",
            )
        )
        if note := brief_words.holding_note(plan, m):
            rows.append(row("", note))
    else:
        batna = brief_words.ALTERNATIVE[plan.batna.kind]
        rows.append(
            row("Recommend", (f"no deal clears the minimum: fall back on {batna}", "bold red"))
        )
    for number, rung in enumerate(plan.ladder, start=1):
        rows.append(
            row(
                "Ladder" if number == 1 else "",
                f"{number}. ",
                (brief_words.offer_line(rung.option, m, short=True), "bold"),
                f"; worth {m(rung.expected_value)}",
            )
        )
    if plan.ladder_note:
        rows.append(row("", (plan.ladder_note.text, "dim")))
    for i, objection in enumerate(brief_words.likely_objections(case, plan, objections)):
        answer = objection.answers[0] if objection.answers else ""
        rows.append(row("Objections" if i == 0 else "", f"“{objection.says}” → {answer}"))
    title, verdict_lines = _verdict(plan, on_track)
    return Brief(header, plan.compliance.verdict, title, verdict_lines, rows)


# ----------------------------------------------------------------------------- drawing


def brief_lines(content: Brief, width: int) -> list[Pieces]:
    """The rows laid out for ``width`` columns: the label, then the text wrapped beside it."""
    indent = LABEL_WIDTH + GUTTER
    out: list[Pieces] = []
    for row in content.rows:
        for i, line in enumerate(wrap(row.pieces, width - indent)):
            label = f"{row.label if i == 0 else '':<{LABEL_WIDTH}}{' ' * GUTTER}"
            out.append([(label, "bold"), *line])
    return out


def _verdict_lines(content: Brief, width: int) -> list[Pieces]:
    out: list[Pieces] = []
    for pieces in content.verdict_lines:
        for i, line in enumerate(wrap(pieces, width - 2)):
            out.append([("  " if i else "", ""), *line])
    return out


def plain_brief(content: Brief, width: int = PLAIN_WIDTH) -> str:
    """The brief as plain text: no colour, no escape codes, wrapped to ``width``."""
    out = [plain(line) for line in wrap([(content.header, "")], width)]
    bar = "=" * max(0, width - len(content.verdict_title) - 4)
    out.append(f"== {content.verdict_title} {bar}")
    out += ["  " + plain(line) for line in _verdict_lines(content, width - 2)]
    out.append("=" * width)
    out += [plain(line).rstrip() for line in brief_lines(content, width)]
    return "\n".join(out) + "\n"


def render_brief(console: Console, content: Brief) -> None:
    """Draw the brief on a Rich console, laid out for its width (a panel for the verdict)."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    width = console.width

    def text(pieces: Pieces) -> Text:
        return Text.assemble(*pieces, no_wrap=True, overflow="crop")

    style = {"blocked": "bold red", "caution": "bold yellow", "clear": "bold green"}
    panel = Panel(
        Group(*(text(line) for line in _verdict_lines(content, width - 4))),
        title=content.verdict_title,
        title_align="left",
        border_style=style[content.verdict],
    )
    header = [text([(plain(line), "bold")]) for line in wrap([(content.header, "")], width)]
    console.print(Group(*header, panel, *(text(line) for line in brief_lines(content, width))))


def rich_console(stream: IO[str]) -> Console:
    from rich.console import Console

    return Console(file=stream, highlight=False, no_color="NO_COLOR" in os.environ or None)


def print_brief(
    stream: IO[str],
    case: Case,
    plan: Plan,
    objections: Iterable[Objection] = (),
    on_track: ArrangementStatus | None = None,
) -> None:
    """Print the brief: Rich on a terminal, plain text otherwise."""
    content = brief_content(case, plan, objections, on_track)
    if is_terminal(stream):
        render_brief(rich_console(stream), content)
    else:
        stream.write(plain_brief(content, piped_width()))


@contextlib.contextmanager
def batch_progress(
    stream: IO[str], total: Callable[[], int] | None = None, label: str = "planning cases"
) -> Iterator[Callable[[Counted], None]]:
    """A progress display on a terminal (nothing when piped); yields the per-case callback.

    ``total`` counts the cases (only called on a terminal: it walks the folders once more), so
    the bar shows ``done/total`` and the time left. The callback reads only an outcome's
    ``status`` (``negplan today`` passes its own outcomes).
    """
    if not is_terminal(stream):
        yield lambda outcome: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    progress = Progress(
        SpinnerColumn(),
        TextColumn(label),
        BarColumn(bar_width=None),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=rich_console(stream),
        transient=True,
    )
    with progress:
        task = progress.add_task("plan", total=total() if total else None, failed=0)
        failed = 0

        def advance(outcome: Counted) -> None:
            nonlocal failed
            failed += outcome.status == "error"
            progress.update(task, advance=1, failed=failed)

        yield advance


def print_batch_report(stream: IO[str], errors: IO[str], report: Report) -> None:
    """The closing summary: counts and output paths on ``stream``, failures on ``errors``."""
    for error in report.errors:  # one line each when piped: scripts grep these
        errors.write(f"error: {error}\n")
    from negplan.shell.funnel import warn

    for warning in report.warnings:
        warn(warning, errors)
    if report.total == 0 and not report.interrupted:
        warn("no case files (*.yaml, *.yml) found in the folders given", errors)
    if report.interrupted:
        stream.write(
            f"Interrupted after {report.total} case(s): their plans and scripts are complete "
            "(so are those of cases in progress that finished; no file is partial); "
            "summary.csv and queue.csv were not written.\n"
        )
        return
    counts = {
        "cases": report.total, "planned": report.ok, "failed": report.failed,
        "conflicts": report.conflicts, "skipped": report.skipped,
        "callable now": report.callable_now,
    }  # fmt: skip
    if is_terminal(stream):
        from rich.table import Table

        table = Table(title="negplan batch", title_justify="left")
        for name in counts:
            table.add_column(name, justify="right")
        table.add_row(*(str(v) for v in counts.values()))
        rich_console(stream).print(table)
    else:
        stream.write(" · ".join(f"{name}: {value}" for name, value in counts.items()) + "\n")
    stream.write(f"summary: {report.summary}\ncall queue: {report.queue}\n")
