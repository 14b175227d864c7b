"""The pre-call brief: a Rich view of a Plan that fits one terminal screen.

Presentation only: every figure comes from the plan; nothing is computed here but layout.
On a terminal it is coloured; piped, it is plain text of a fixed width (``NO_COLOR`` honoured
by Rich itself).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from negplan.case import Case
from negplan.money import quantize
from negplan.options import Option
from negplan.plan import Plan

if TYPE_CHECKING:
    from negplan.batch import Outcome, Report
    from negplan.script import Objection

PLAIN_WIDTH = 100


def console_for(stream: IO[str], *, width: int | None = None) -> Console:
    """A console on ``stream``: rich on a terminal, plain and fixed-width when piped."""
    terminal = stream.isatty() if hasattr(stream, "isatty") else False
    if terminal:
        return Console(file=stream, highlight=False, width=width)
    return Console(
        file=stream,
        highlight=False,
        width=width or PLAIN_WIDTH,
        color_system=None,
        force_terminal=False,
        emoji=False,
        soft_wrap=False,
    )


def _rows(rows: Iterable[tuple[str, RenderableType]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True, min_width=13)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(label, value)
    return grid


def _compliance(plan: Plan) -> Panel:
    pre = plan.compliance
    style = {"blocked": "bold red", "caution": "bold yellow", "clear": "bold green"}[pre.verdict]
    if pre.verdict == "blocked":
        title = "BLOCKED: DO NOT CALL"
    elif pre.callable_now:
        title = f"{pre.verdict.upper()}: callable now"
    else:
        title = f"{pre.verdict.upper()}: not callable now"
    lines: list[Text] = []
    for finding in pre.findings:
        if finding.level == "info":
            continue
        mark = "✗" if finding.level == "blocked" else "!"
        line = Text(f"{mark} ", style="red" if finding.level == "blocked" else "yellow")
        line.append(f"{finding.message} ")
        line.append(f"({finding.rule})", style="dim")
        lines.append(line)
    if pre.verdict == "blocked" or not pre.callable_now:
        if pre.next_window is not None:
            lines.append(Text(f"Next lawful window: {_local(pre.next_window)}", style="bold"))
        else:
            lines.append(
                Text("Next lawful window: none until the blocking flag is cleared", style="bold")
            )
    if not lines:
        lines.append(Text("No compliance findings."))
    return Panel(Group(*lines), title=title, title_align="left", border_style=style, expand=True)


def _local(moment: Any) -> str:
    return f"{moment:%Y-%m-%d %H:%M} {moment.tzname() or ''} ({moment:%z})".replace("  ", " ")


def _option_line(plan: Plan, option: Option) -> str:
    cur = plan.currency
    if option.count == 1:
        shape = f"{quantize(option.total, cur):,} in one payment by {option.payments[0].due}"
    else:
        shape = (
            f"{option.count} × about {quantize(option.installment, cur):,} a month from "
            f"{option.payments[0].due} ({quantize(option.total, cur):,} in all)"
        )
    return f"{option.id}: {shape}; worth {quantize(option.expected_value, cur):,}"


def brief(case: Case, plan: Plan, objections: Iterable[Objection] = ()) -> Group:
    """The brief as one Rich renderable."""
    cur = plan.currency

    def m(amount: Any) -> str:
        return "—" if amount is None else f"{quantize(amount, cur):,}"

    debt = case.debt
    afford = plan.affordability
    minimum = plan.minimum_terms

    header = Text()
    header.append(f"{case.case_id}", style="bold")
    header.append(
        f" · {case.debtor.name} · {case.jurisdiction} · {debt.product.value} "
        f"{debt.account_ref} · as of {plan.as_of} · amounts in {cur}"
    )

    last_payment = "none recorded"
    if case.payment_history:
        last = case.payment_history[-1]
        last_payment = f"{last.date} ({m(last.amount)})"
    elif debt.last_payment:
        last_payment = str(debt.last_payment)
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
    rows: list[tuple[str, RenderableType]] = [
        (
            "Debt",
            f"{m(plan.balance)} = principal {m(debt.balance.principal)} + interest "
            f"{m(debt.balance.interest)} + fees {m(debt.balance.fees)}",
        ),
        ("", f"{plan.days_past_due} days past due · last payment {last_payment}{barred}"),
        ("Contacts", contacts),
        ("History", history),
        (
            "Afford",
            f"income {m(afford.income)} − essentials {m(afford.essential_expenses)} − "
            f"priority debts {m(afford.priority_payments)} = surplus {m(afford.surplus)}",
        ),
        (
            "",
            Text.assemble(
                ("affordable ", ""),
                (f"{m(afford.affordable_monthly)}/month", "bold"),
                f" · lump sum {m(afford.lump_sum_capacity)} · capacity ",
                (afford.capacity, "bold"),
            ),
        ),
    ]
    rows += [("", Text(f"discuss: {flag}", style="yellow")) for flag in afford.flags[:4]]
    alternatives = " · ".join(
        f"{a.kind} {m(a.value)}" if a.available and a.value is not None else f"{a.kind} n/a"
        for a in plan.alternatives
    )
    rows += [
        ("Alternatives", alternatives),
        ("BATNA", Text(f"{plan.batna.kind} worth {m(plan.batna.value)}", style="bold")),
        (
            "Minimum",
            Text.assemble(
                "settlement ",
                (m(minimum.minimum_settlement), "bold"),
                f" · good-faith payment {m(minimum.good_faith_payment)} · your authority down to "
                f"{m(minimum.executive_min_settlement)}",
            ),
        ),
        (
            "",
            "monthly plan minimum: "
            + " · ".join(
                f"{n}m {m(p) if p is not None else 'none'}"
                for n, p in minimum.minimum_plan_payment.items()
            ),
        ),
    ]
    zopa = plan.zopa
    settle = (
        f"lump sum {m(zopa.settlement[0])}–{m(zopa.settlement[1])}"
        if zopa.settlement
        else "lump sum: none"
    )
    plans = [f"{n}m {m(r[0])}–{m(r[1])}" for n, r in zopa.plan.items() if r is not None]
    rows.append(("ZOPA", settle + " · plans: " + (" · ".join(plans) if plans else "none")))
    if plan.recommended is not None:
        rows.append(("Recommend", Text(_option_line(plan, plan.recommended), style="bold green")))
    else:
        rows.append(
            (
                "Recommend",
                Text(
                    f"no deal clears the minimum: fall back on the BATNA ({plan.batna.kind})",
                    style="bold red",
                ),
            )
        )
    for rung in plan.ladder:
        rows.append(
            (
                "Ladder" if rung.step == 0 else "",
                Text.assemble(
                    f"{rung.step}. ",
                    (rung.offer, "bold"),
                    f" — {rung.condition} (worth {m(rung.expected_value)})",
                ),
            )
        )
    for i, objection in enumerate(objections):
        answer = objection.answers[0] if objection.answers else ""
        rows.append(("Objections" if i == 0 else "", f"“{objection.says}” → {answer}"))
    return Group(header, _compliance(plan), _rows(rows))


def print_brief(
    stream: IO[str], case: Case, plan: Plan, objections: Iterable[Objection] = ()
) -> None:
    console_for(stream).print(brief(case, plan, objections))


@contextlib.contextmanager
def batch_progress(stream: IO[str]) -> Iterator[Callable[[Outcome], None]]:
    """A progress display on a terminal (nothing when piped); yields the per-case callback."""
    if not (hasattr(stream, "isatty") and stream.isatty()):
        yield lambda outcome: None
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(
        SpinnerColumn(),
        TextColumn("planning cases"),
        BarColumn(bar_width=None),
        TextColumn("{task.completed} done, {task.fields[failed]} failed"),
        TimeElapsedColumn(),
        console=Console(file=stream),
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
    console = console_for(stream)
    for error in report.errors:  # one line each, never wrapped: scripts grep these
        console_for(errors).print(Text(f"error: {error}", style="red"), soft_wrap=True)
    if report.interrupted:
        console.print(
            f"[bold red]Interrupted[/] after {report.total} case(s): their plans and scripts are "
            "complete; summary.csv and queue.csv were not written."
        )
        return
    table = Table(title="negplan batch", title_justify="left", show_header=True)
    table.add_column("cases", justify="right")
    table.add_column("planned", justify="right")
    table.add_column("failed", justify="right")
    table.add_column("conflicts", justify="right")
    table.add_column("skipped", justify="right")
    table.add_column("callable now", justify="right")
    table.add_row(
        str(report.total),
        str(report.ok),
        str(report.failed),
        str(report.conflicts),
        str(report.skipped),
        str(report.callable_now),
    )
    console.print(table)
    console.print(f"summary: {report.summary}")
    console.print(f"call queue: {report.queue}")
