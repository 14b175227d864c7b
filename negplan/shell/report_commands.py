"""Evaluate and improve (SPEC §10): ``report``, ``calibrate``, ``compare`` and ``simulate``.

Each maps its options onto :mod:`negplan.report`; the figures are computed there, by the
database, and the formats are rendered there too. Heavy imports (SQLAlchemy, matplotlib) happen
inside the commands, so ``negplan prep`` never pays for them.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from negplan.errors import InputError
from negplan.shell.funnel import funnel
from negplan.shell.options import (
    AsOfOption,
    LedgerOption,
    NowOption,
    RulesOption,
    parse_as_of,
    resolve_moments,
)


class ReportFormat(str, Enum):
    html = "html"
    md = "md"
    csv = "csv"
    json = "json"


class ReportBy(str, Enum):
    executive = "executive"
    rules = "rules"
    option = "option"
    jurisdiction = "jurisdiction"
    month = "month"


def _today() -> date:
    return datetime.now(timezone.utc).astimezone().date()


def _existing(ledger: str | None) -> str:
    """Reports read a ledger; they never create one (a typo would report on an empty ledger)."""
    from negplan.io.ledger import ledger_location
    from negplan.shell.ledger_prep import must_exist

    location = ledger_location(ledger)
    must_exist(location)
    return location


def _write(out: Path | None, text: str, what: str) -> None:
    from negplan.io.outputs import write_atomic

    if out is None:
        sys.stdout.write(text)
        return
    write_atomic(out, text)
    typer.echo(f"wrote {what} to {out}", err=True)


@funnel
def report(
    date_from: Annotated[
        str | None, typer.Option("--from", help="First day counted.", metavar="YYYY-MM-DD")
    ] = None,
    date_to: Annotated[
        str | None,
        typer.Option(
            "--to",
            help="Last day counted; states are judged on it (default: today).",
            metavar="YYYY-MM-DD",
        ),
    ] = None,
    by: Annotated[
        ReportBy | None,
        typer.Option(
            "--by", help="One row per executive, rule set, option, jurisdiction or month."
        ),
    ] = None,
    output_format: Annotated[
        ReportFormat | None,
        typer.Option("--format", help="html, md, csv or json (default: a table, or md piped)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="The file to write (default: stdout).", metavar="FILE"),
    ] = None,
    rules: RulesOption = None,
    ledger: LedgerOption = None,
) -> None:
    """Report outcomes from the ledger: contact, promise, kept, completion, break and cure
    rates with their intervals, liquidation by cohort, days to first payment, collected
    against the expected value planned, and the lift of a challenger. Formulas: docs/metrics.md.

    \b
    Example:
      negplan report --from 2026-01-01 --by executive
      negplan report --by rules --format html --out report.html
    """
    from negplan.io.ledger import Ledger
    from negplan.io.rules_file import load_rules
    from negplan.report.assemble import report_data
    from negplan.report.metrics import By, Period
    from negplan.report.render import to_csv, to_html, to_json, to_markdown

    start, end = parse_as_of(date_from), parse_as_of(date_to) or _today()
    if start is not None and start > end:
        raise InputError.single(f"--from {start} is after --to {end}")
    grace = load_rules(rules).agreements.grace_period_days
    html = output_format is ReportFormat.html
    with Ledger(_existing(ledger)) as book, book.read() as conn:
        data = report_data(
            conn, By(by.value) if by else None, Period(start, end), grace, charts=html
        )
    if output_format is None and out is None and sys.stdout.isatty():
        from negplan.shell.report_present import print_report

        print_report(data)
        return
    chosen = output_format or ReportFormat.md
    render = {"html": to_html, "md": to_markdown, "csv": to_csv, "json": to_json}[chosen.value]
    _write(out, render(data), f"the {chosen.value} report")


@funnel
def calibrate(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Write the rules override here (default: stdout).", metavar="rules.yaml"
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Judge outcomes on this day (default: today).", metavar="YYYY-MM-DD"
        ),
    ] = None,
    rules: RulesOption = None,
    ledger: LedgerOption = None,
) -> None:
    """Estimate the break hazard by burden band and month, and the honour rate, from outcomes.

    Writes a rules override with the counts and 95% intervals as comments, for a person to
    review and pass with --rules; it is never applied by itself. Too little data is said, not
    fitted.

    Example: negplan calibrate --out calibrated-rules.yaml
    """
    from negplan.io.ledger import Ledger
    from negplan.io.rules_file import load_rules
    from negplan.report.calibration import calibrate as estimate
    from negplan.report.calibration import override_yaml

    current = load_rules(rules)
    day = parse_as_of(as_of) or _today()
    with Ledger(_existing(ledger)) as book, book.read() as conn:
        result = estimate(conn, current, day)
    _write(out, override_yaml(result), "the calibrated rules override (review before use)")


@funnel
def compare(
    folders: Annotated[list[Path], typer.Argument(help="Folders of case files.", metavar="DIR...")],
    rules: Annotated[
        list[Path],
        typer.Option("--rules", help="Two rules files: A, then B.", metavar="FILE"),
    ],
    as_of: AsOfOption = None,
    now: NowOption = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format", help="table, csv or json (default: table).", metavar="table|csv|json"
        ),
    ] = "table",
    changed_only: Annotated[
        bool, typer.Option("--changed-only", help="List only the cases that change.")
    ] = False,
) -> None:
    """Show, before any call, how two rule sets differ over a portfolio: recommendations,
    expected values, minimums, and the cases that change.

    Example: negplan compare --rules champion.yaml --rules challenger.yaml cases/
    """
    from negplan.io.case_file import load_case
    from negplan.io.packaged import load_tables
    from negplan.io.rules_file import load_rules
    from negplan.report.compare import Comparison, compare_case
    from negplan.report.simulate import case_files
    from negplan.shell.batch import _looks_like_rules
    from negplan.shell.report_present import print_comparison

    if len(rules) != 2:
        raise typer.BadParameter(
            "give exactly two rule sets: --rules A --rules B", param_hint="'--rules'"
        )
    if output_format not in ("table", "csv", "json"):
        raise typer.BadParameter("table, csv or json", param_hint="'--format'")
    day, moment = resolve_moments(as_of, now)
    a, b = load_rules(rules[0]), load_rules(rules[1])
    tables = load_tables()
    result = Comparison()
    for path in case_files(folders):
        try:
            case = load_case(path, day)
        except InputError as exc:
            why = "a rules file, not a case" if _looks_like_rules(path) else exc.problems[0]
            result.failed.append(f"{path}: {why}")
            continue
        result.cases.append(compare_case(case, str(path), a, b, tables, day, moment))
    print_comparison(result, output_format, changed_only, rules[0].name, rules[1].name)


@funnel
def simulate(
    folder: Annotated[Path, typer.Argument(help="Folder of case files.", metavar="PORTFOLIO_DIR")],
    months: Annotated[int, typer.Option("--months", min=1, max=120, help="How far to play.")],
    rules: RulesOption = None,
    seed: Annotated[int, typer.Option("--seed", help="The random seed (default: 1).")] = 1,
    start: Annotated[
        str | None,
        typer.Option(
            "--start", help="The first day played (default: today).", metavar="YYYY-MM-DD"
        ),
    ] = None,
    copies: Annotated[
        int,
        typer.Option(
            "--copies",
            min=1,
            max=100_000,
            help="Accounts played per case file, each its own case id (default: 1).",
        ),
    ] = 1,
    ledger: LedgerOption = None,
) -> None:
    """Play a portfolio forward under the stated outcome model (docs/metrics.md) into a ledger:
    calls, promises kept or broken, arrangements, payments made or missed. The same seed,
    start and files give the same ledger.

    Example: negplan simulate cases/ --months 12 --seed 7 --ledger demo.db
    """
    from dateutil.relativedelta import relativedelta

    from negplan.io.case_file import load_case
    from negplan.io.ledger import Ledger
    from negplan.io.packaged import load_tables
    from negplan.io.rules_file import load_rules
    from negplan.report.simulate import case_files
    from negplan.report.simulate import simulate as play

    day = parse_as_of(start) or _today()
    effective = load_rules(rules)
    cases, skipped = [], 0
    for path in case_files([folder]):
        try:
            cases.append((load_case(path, day), str(path)))
        except InputError:
            skipped += 1
    if not cases:
        raise InputError.single("no case file to simulate", file=folder)
    label = rules.name if rules is not None else "packaged defaults"
    with Ledger(ledger) as book, book.write() as conn:
        played = play(conn, cases, effective, label, load_tables(), start=day, months=months,
                      seed=seed, copies=copies)  # fmt: skip
    typer.echo(
        f"simulated {played.accounts} account(s) from {played.cases} case file(s) over "
        f"{months} month(s) from {day} (seed {seed}): {played.contacts} contacts, "
        f"{played.promises} promises, {played.arrangements} arrangements, "
        f"{played.payments} payments"
        + (f"; {skipped} file(s) skipped (not valid cases)" if skipped else "")
    )
    # The portfolio is played into the future; report and calibrate judge as of today unless
    # told otherwise, and would find nothing yet.
    horizon = day + relativedelta(months=months)
    where = f" --ledger {ledger}" if ledger else ""
    typer.echo(f"to see it: negplan report --to {horizon}{where}")
