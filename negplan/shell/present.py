"""The pre-call brief and the batch report: views of a Plan that fit one terminal screen.

Presentation only: every figure comes from the plan; nothing here computes money. The brief's
content is built once (:func:`brief_content`, plain data) and drawn two ways: with Rich on a
terminal (colour, a panel for the compliance verdict), or as plain wrapped text when piped
(:data:`PLAIN_WIDTH` columns, no escape codes, and no Rich import at all, which keeps
``negplan prep`` quick to start). ``NO_COLOR`` turns colour off on a terminal.
"""

from __future__ import annotations

import contextlib
import os
import textwrap
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from negplan.core.case import Case, OptionKind
from negplan.core.options import Option
from negplan.core.plan import Plan
from negplan.money import quantize

if TYPE_CHECKING:
    from rich.console import Console

    from negplan.script.compose import Objection
    from negplan.shell.batch import Outcome
    from negplan.shell.batch_outputs import Report

PLAIN_WIDTH = 100
LABEL_WIDTH = 13

#: (text, style) pieces of a line; the style is a Rich style, ignored in plain text.
Pieces = list[tuple[str, str]]


@dataclass(frozen=True)
class Row:
    label: str
    pieces: Pieces

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.pieces)


@dataclass(frozen=True)
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


def _option_line(plan: Plan, option: Option) -> str:
    cur = plan.currency
    low, high = option.payments[0].amount, option.payments[-1].amount
    if option.count == 1:
        shape = f"{quantize(option.total, cur):,} in one payment by {option.payments[0].due}"
    elif option.kind is OptionKind.plan_step_up:
        months = sum(1 for p in option.payments if p.amount == low)
        shape = (
            f"{months} × {quantize(low, cur):,} a month from {option.payments[0].due}, then "
            f"{option.count - months} × about {quantize(high, cur):,} "
            f"({quantize(option.total, cur):,} in all)"
        )
    else:
        shape = (
            f"{option.count} × about {quantize(option.installment, cur):,} a month from "
            f"{option.payments[0].due} ({quantize(option.total, cur):,} in all)"
        )
    return f"{option.id}: {shape}; worth {quantize(option.expected_value, cur):,}"


def _verdict(plan: Plan) -> tuple[str, list[Pieces]]:
    pre = plan.compliance
    if pre.verdict == "blocked":
        title = "BLOCKED: DO NOT CALL"
    elif pre.callable_now:
        title = f"{pre.verdict.upper()}: callable now"
    else:
        title = f"{pre.verdict.upper()}: not callable now"
    lines: list[Pieces] = []
    for finding in pre.findings:
        # A refused loosening override is only "info" for the call, but the reader must see it.
        if finding.level == "info" and finding.check != "rules_override":
            continue
        blocked = finding.level == "blocked"
        lines.append(
            [
                ("✗ " if blocked else "! ", "red" if blocked else "yellow"),
                (f"{finding.message} ", ""),
                (f"({finding.rule})", "dim"),
            ]
        )
    if pre.verdict == "blocked" or not pre.callable_now:
        when = (
            _local(pre.next_window)
            if pre.next_window is not None
            else "none until the blocking flag is cleared"
        )
        lines.append([(f"Next lawful window: {when}", "bold")])
    if not lines:
        lines.append([("No compliance findings.", "")])
    return title, lines


def brief_content(case: Case, plan: Plan, objections: Iterable[Objection] = ()) -> Brief:
    """Everything the brief shows, in order, as plain data."""
    cur = plan.currency

    def m(amount: Any) -> str:
        return "—" if amount is None else f"{quantize(amount, cur):,}"

    def row(label: str, *pieces: str | tuple[str, str]) -> Row:
        return Row(label, [p if isinstance(p, tuple) else (p, "") for p in pieces])

    debt = case.debt
    afford = plan.affordability
    minimum = plan.minimum_terms
    header = (
        f"{case.case_id} · {case.debtor.name} · {case.jurisdiction} · {debt.product.value} "
        f"{debt.account_ref} · as of {plan.as_of} · amounts in {cur}"
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
            f"; last {latest.at:%Y-%m-%d %H:%M} {latest.channel.value} {latest.outcome.value}"
        )
        if latest.note:
            contacts += f" — “{latest.note}”"
    broken = [n for n in case.previous_negotiations if n.outcome.value == "broken_promise"]
    history = (
        f"{len(broken)} broken promise(s): " + "; ".join(f"{n.date} {n.terms}" for n in broken)
        if broken
        else f"{len(case.previous_negotiations)} previous negotiation(s), none broken"
    )
    barred = " · TIME-BARRED" if plan.time_barred else ""
    rows = [
        row(
            "Debt",
            f"{m(plan.balance)} = principal {m(debt.balance.principal)} + interest "
            f"{m(debt.balance.interest)} + fees {m(debt.balance.fees)}",
        ),
        row(
            "",
            f"{plan.days_past_due} days past due · last payment {last_payment}",
            (barred, "bold red"),
        ),
        row("Contacts", contacts),
        row("History", history),
        row(
            "Afford",
            f"income {m(afford.income)} − essentials {m(afford.essential_expenses)} − "
            f"priority debts {m(afford.priority_payments)} = surplus {m(afford.surplus)}",
        ),
        row(
            "",
            "affordable ",
            (f"{m(afford.affordable_monthly)}/month", "bold"),
            f" · lump sum {m(afford.lump_sum_capacity)} · capacity ",
            (afford.capacity, "bold"),
        ),
    ]
    # The rule key behind each flag is in the plan JSON and the script; the brief keeps it short.
    shown = [flag.rsplit(" (", 1)[0] for flag in afford.flags[:3]]
    rows += [row("", (f"discuss: {flag}", "yellow")) for flag in shown]
    if len(afford.flags) > 3:
        rows.append(row("", (f"… and {len(afford.flags) - 3} more in the call script", "yellow")))
    rows += [
        row(
            "Alternatives",
            " · ".join(
                f"{a.kind} {m(a.value)}" if a.available else f"{a.kind} n/a"
                for a in plan.alternatives
            ),
        ),
        row("BATNA", (f"{plan.batna.kind} worth {m(plan.batna.value)}", "bold")),
        row(
            "Minimum",
            "settlement ",
            (m(minimum.minimum_settlement), "bold"),
            f" · good-faith payment {m(minimum.good_faith_payment)} · your authority down to "
            f"{m(minimum.executive_min_settlement)}",
        ),
        row(
            "",
            "monthly plan minimum: "
            + " · ".join(
                f"{n}m {m(p) if p is not None else 'none'}"
                for n, p in minimum.minimum_plan_payment.items()
            ),
        ),
    ]
    zopa = plan.zopa
    lump = (
        f"lump sum {m(zopa.settlement[0])}–{m(zopa.settlement[1])}"
        if zopa.settlement
        else "lump sum: none"
    )
    plans = [f"{n}m {m(r[0])}–{m(r[1])}" for n, r in zopa.plan.items() if r is not None]
    rows.append(row("ZOPA", lump + " · plans: " + (" · ".join(plans) if plans else "none")))
    if plan.recommended is not None:
        rows.append(row("Recommend", (_option_line(plan, plan.recommended), "bold green")))
    else:
        rows.append(
            row(
                "Recommend",
                (
                    f"no deal clears the minimum: fall back on the BATNA ({plan.batna.kind})",
                    "bold red",
                ),
            )
        )
    for rung in plan.ladder:
        rows.append(
            row(
                "Ladder" if rung.step == 0 else "",
                f"{rung.step}. ",
                (rung.offer, "bold"),
                f" (worth {m(rung.expected_value)})",
            )
        )
    if plan.ladder_note:
        rows.append(row("", plan.ladder_note))
    for i, objection in enumerate(objections):
        answer = objection.answers[0] if objection.answers else ""
        rows.append(row("Objections" if i == 0 else "", f"“{objection.says}” → {answer}"))
    title, verdict_lines = _verdict(plan)
    return Brief(header, plan.compliance.verdict, title, verdict_lines, rows)


# ----------------------------------------------------------------------------- drawing


def plain_brief(content: Brief, width: int = PLAIN_WIDTH) -> str:
    """The brief as plain text: no colour, no escape codes, wrapped to ``width``."""
    out = [content.header]
    bar = "=" * max(0, width - len(content.verdict_title) - 4)
    out.append(f"== {content.verdict_title} {bar}")
    for pieces in content.verdict_lines:
        text = "".join(t for t, _ in pieces)
        out += textwrap.wrap(text, width, initial_indent="  ", subsequent_indent="    ")
    out.append("=" * width)
    indent = " " * (LABEL_WIDTH + 2)
    for row in content.rows:
        first = f"{row.label:<{LABEL_WIDTH}}  "
        out += textwrap.wrap(row.text, width, initial_indent=first, subsequent_indent=indent)
    return "\n".join(out) + "\n"


def _rich_brief(content: Brief) -> Any:
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    style = {"blocked": "bold red", "caution": "bold yellow", "clear": "bold green"}
    panel = Panel(
        Group(*(Text.assemble(*pieces) for pieces in content.verdict_lines)),
        title=content.verdict_title,
        title_align="left",
        border_style=style[content.verdict],
    )
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True, min_width=LABEL_WIDTH)
    grid.add_column(overflow="fold")
    for row in content.rows:
        grid.add_row(row.label, Text.assemble(*row.pieces))
    return Group(Text(content.header, style="bold"), panel, grid)


def rich_console(stream: IO[str]) -> Console:
    from rich.console import Console

    return Console(file=stream, highlight=False, no_color="NO_COLOR" in os.environ or None)


def print_brief(
    stream: IO[str], case: Case, plan: Plan, objections: Iterable[Objection] = ()
) -> None:
    """Print the brief: Rich on a terminal, plain text otherwise."""
    content = brief_content(case, plan, objections)
    if is_terminal(stream):
        rich_console(stream).print(_rich_brief(content))
    else:
        stream.write(plain_brief(content))


@contextlib.contextmanager
def batch_progress(stream: IO[str]) -> Iterator[Callable[[Outcome], None]]:
    """A progress display on a terminal (nothing when piped); yields the per-case callback."""
    if not is_terminal(stream):
        yield lambda outcome: None
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(
        SpinnerColumn(),
        TextColumn("planning cases"),
        BarColumn(bar_width=None),
        TextColumn("{task.completed} done, {task.fields[failed]} failed"),
        TimeElapsedColumn(),
        console=rich_console(stream),
        transient=True,
    )
    with progress:
        task = progress.add_task("plan", total=None, failed=0)
        failed = 0

        def advance(outcome: Outcome) -> None:
            nonlocal failed
            failed += outcome.status == "error"
            progress.update(task, advance=1, failed=failed)

        yield advance


def print_batch_report(stream: IO[str], errors: IO[str], report: Report) -> None:
    """The closing summary: counts and output paths on ``stream``, failures on ``errors``."""
    for error in report.errors:  # one line each, never wrapped: scripts grep these
        errors.write(f"error: {error}\n")
    for warning in report.warnings:
        errors.write(f"warning: {warning}\n")
    if report.total == 0 and not report.interrupted:
        errors.write("warning: no case files (*.yaml, *.yml) found in the folders given\n")
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
