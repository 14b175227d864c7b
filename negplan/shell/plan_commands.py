"""``negplan prep`` and ``negplan batch``: plan one case before a call, or whole folders."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from negplan.shell.funnel import funnel, warn
from negplan.shell.options import (
    AsOfOption,
    JobsOption,
    LedgerOption,
    NowOption,
    RulesOption,
    TemplatesOption,
    resolve_moments,
)


@funnel
def prep(
    case_file: Annotated[
        str,
        typer.Argument(help="The case file (YAML), or - to read it from stdin.", metavar="CASE"),
    ],
    rules: RulesOption = None,
    as_of: AsOfOption = None,
    now: NowOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for the call script (default: beside the case file).",
            metavar="DIR",
            file_okay=False,
            rich_help_panel="Outputs",
        ),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print the whole plan as JSON instead of the brief.",
            rich_help_panel="Outputs",
        ),
    ] = False,
    templates: TemplatesOption = None,
    ledger: LedgerOption = None,
) -> None:
    """Prepare a call: compliance pre-flight, affordability, BATNA, minimum terms, offer ladder.

    Prints the brief and writes the call script CASE_ID.script.md.

    \b
    Example:
      negplan prep examples/maria-lopez-plan.yaml --now 2026-11-30T10:00:00-08:00
    """
    from negplan.core.plan import build_plan
    from negplan.io.case_file import load_case
    from negplan.io.outputs import output_path, write_atomic
    from negplan.io.packaged import load_tables
    from negplan.io.rules_file import load_rules, rules_for_case
    from negplan.script.compose import objections, render_script, script_violations
    from negplan.shell.ledger_prep import bring_up_to_date, configured
    from negplan.shell.plan_json import dumps

    day, moment = resolve_moments(as_of, now)
    effective = load_rules(rules)
    case = load_case(case_file, day)
    effective = rules_for_case(effective, rules, case.jurisdiction)
    ledger_notes: tuple[str, ...] = ()
    on_track = None
    if (location := configured(ledger)) is not None:  # SPEC §8: what happened since the file
        view = bring_up_to_date(case, location, day, effective.agreements.grace_period_days)
        case, ledger_notes = view.case, view.notes
        on_track = view.arrangement if view.keeping_to_a_deal else None
    plan = build_plan(case, effective, load_tables(), day, moment)
    warning = effective.currency_warning(case.currency)
    if warning:
        warn(warning)
    script = render_script(
        case, plan, effective, templates, case_file=None if case_file == "-" else case_file
    )
    if templates is not None:  # a user's own template must still keep the "do not say" list
        for violation in script_violations(script, case, plan):
            warn(f"call script: {violation}")
    folder = (
        out if out is not None else (Path.cwd() if case_file == "-" else Path(case_file).parent)
    )
    target = write_atomic(output_path(folder, f"{case.case_id}.script.md"), script)
    for note in ledger_notes:
        typer.echo(f"ledger: {note}", err=as_json)
    if as_json:
        sys.stdout.write(dumps(plan))
        typer.echo(f"call script: {target}", err=True)
        return
    from negplan.shell.present import print_brief

    print_brief(sys.stdout, case, plan, objections(case, plan, effective), on_track)
    typer.echo(f"Call script written to {target}")


def _record_experiment(
    rows: list[tuple[str | None, ...]],
    experiment: str,
    champion: Path | None,
    challenger: Path,
    day: date,
    ledger: str | None,
) -> None:
    """Record which rule set planned each case, in one ledger transaction (SPEC §10)."""
    from negplan.io.ledger import Ledger
    from negplan.io.ledger.assignments import record_assignments

    labels = {
        "champion": champion.name if champion else "packaged defaults",
        "challenger": challenger.name,
    }
    with Ledger(ledger) as book, book.write() as conn:
        count = record_assignments(conn, rows, experiment=experiment, labels=labels, planned_on=day)
    challengers = sum(1 for row in rows if row[1] == "challenger")
    typer.echo(
        f"experiment {experiment}: {count} case(s) recorded in the ledger {book.shown} "
        f"({challengers} challenger, {count - challengers} champion)",
        err=True,
    )


@funnel
def batch(
    folders: Annotated[
        list[Path],
        typer.Argument(
            help="Folders of case files (searched recursively), or case files.",
            metavar="PATH...",
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Folder for plans, scripts, summary.csv and queue.csv (default: negplan-out).",
            metavar="DIR",
            file_okay=False,
            rich_help_panel="Outputs",
        ),
    ] = Path("negplan-out"),
    jobs: JobsOption = None,
    rules: RulesOption = None,
    as_of: AsOfOption = None,
    now: NowOption = None,
    templates: TemplatesOption = None,
    challenger: Annotated[
        Path | None,
        typer.Option(
            "--challenger",
            help="A challenger rules file: a share of the cases is planned with it.",
            metavar="RULES",
            rich_help_panel="Champion/challenger",
        ),
    ] = None,
    challenger_share: Annotated[
        float,
        typer.Option(
            "--challenger-share",
            min=0.0,
            max=1.0,
            help="The share of cases planned with the challenger, 0 to 1 (default: 0.2).",
            metavar="SHARE",
            rich_help_panel="Champion/challenger",
        ),
    ] = 0.2,
    experiment: Annotated[
        str | None,
        typer.Option(
            "--experiment",
            help="The experiment's name: cases are assigned by SHA-256 of (name, case id).",
            metavar="NAME",
            rich_help_panel="Champion/challenger",
        ),
    ] = None,
    ledger: LedgerOption = None,
) -> None:
    """Plan every case under the folders (or the case files given): plans, call scripts,
    summary.csv and a call queue.

    A bad case is reported and skipped; the exit code is 1 if any case failed. With
    --challenger and --experiment, each case is planned with the champion (--rules) or the
    challenger by a stable hash, and the assignment is recorded in summary.csv and the ledger.

    \b
    Example:
      negplan batch cases/ --out today/ --now 2026-11-23T09:00:00-05:00
      negplan batch cases/ --challenger lenient.yaml --challenger-share 0.2 --experiment dec-26
    """
    import time

    from negplan.shell.batch import Settings, default_workers, discover, run
    from negplan.shell.launch import restore_collector
    from negplan.shell.ledger_prep import configured
    from negplan.shell.present import batch_progress, print_batch_report

    restore_collector()  # workers live for thousands of cases: their cycles must be collected
    if (challenger is None) != (experiment is None):
        raise typer.BadParameter(
            "--challenger and --experiment go together", param_hint="'--experiment'"
        )
    if experiment is not None and not 0 < len(experiment) <= 80:
        raise typer.BadParameter("at most 80 characters", param_hint="'--experiment'")
    day, moment = resolve_moments(as_of, now)
    if experiment is not None:  # the experiment is recorded: the ledger is created if need be
        from negplan.io.ledger import Ledger

        Ledger(ledger).close()
    location = configured(ledger)
    if location is not None:
        from negplan.shell.batch_ledger import check

        check(location)
    settings = Settings(
        out=out,
        as_of=day,
        now=moment,
        rules_file=rules,
        templates=templates,
        challenger_file=challenger,
        challenger_share=challenger_share,
        experiment=experiment,
        ledger=location,
    )
    started = time.time_ns()

    def count() -> int:
        return sum(1 for _ in discover(folders, out))

    with batch_progress(sys.stderr, count) as on_outcome:
        report = run(folders, settings, workers=jobs or default_workers(), on_outcome=on_outcome)
    if not report.interrupted:
        stale = stale_outputs(out, started)
        if stale:
            report.warnings.append(
                f"{len(stale)} plan or script file(s) in {out} were not written by this run (a "
                f"case removed, renamed or failed), e.g. {stale[0]}; they are out of date: "
                "delete them, or write each run to a fresh --out folder"
            )
    print_batch_report(sys.stdout, sys.stderr, report)
    if experiment is not None and challenger is not None and not report.interrupted:
        _record_experiment(report.assignments, experiment, rules, challenger, day, ledger)
    if report.interrupted:  # as shells report a signal: 130 for Ctrl-C, 143 for SIGTERM
        raise typer.Exit(128 + report.signal)
    if not report.success or report.total == 0:  # SPEC §5a: no case file is a failed run
        raise typer.Exit(1)


def stale_outputs(out: Path, since_ns: int) -> list[Path]:
    """Plans and scripts under ``out`` older than this run: left by a case that is gone, or that
    failed this time. Batch never deletes them (they may be someone's only copy); it says so."""
    found = [
        path
        for pattern in ("*.plan.json", "*.script.md")
        for path in out.rglob(pattern)
        if path.stat().st_mtime_ns < since_ns
    ]
    return sorted(found)
