"""``negplan prep`` and ``negplan batch``: plan one case before a call, or whole folders."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from negplan.shell.funnel import funnel, warn
from negplan.shell.ledger_commands import LedgerOption
from negplan.shell.options import (
    AsOfOption,
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
    if (location := configured(ledger)) is not None:  # SPEC §8: what happened since the file
        view = bring_up_to_date(case, location, day, effective.agreements.grace_period_days)
        case, ledger_notes = view.case, view.notes
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

    print_brief(sys.stdout, case, plan, objections(case, plan, effective))
    typer.echo(f"Call script written to {target}")


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
            help="Folder for plans, scripts, summary.csv and queue.csv.",
            metavar="DIR",
            rich_help_panel="Outputs",
        ),
    ] = Path("negplan-out"),
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Worker processes (default: the machine's cores).",
            metavar="N",
        ),
    ] = None,
    rules: RulesOption = None,
    as_of: AsOfOption = None,
    now: NowOption = None,
    templates: TemplatesOption = None,
    ledger: LedgerOption = None,
) -> None:
    """Plan every case under the folders (or the case files given): plans, call scripts,
    summary.csv and a call queue.

    A bad case is reported and skipped; the exit code is 1 if any case failed.

    \b
    Example:
      negplan batch cases/ --out today/ --now 2026-11-23T09:00:00-05:00
    """
    import time

    from negplan.shell.batch import Settings, default_workers, discover, run
    from negplan.shell.launch import restore_collector
    from negplan.shell.ledger_prep import configured
    from negplan.shell.present import batch_progress, print_batch_report

    restore_collector()  # workers live for thousands of cases: their cycles must be collected

    day, moment = resolve_moments(as_of, now)
    location = configured(ledger)
    if location is not None:
        from negplan.shell.batch_ledger import check

        check(location)
    settings = Settings(
        out=out, as_of=day, now=moment, rules_file=rules, templates=templates, ledger=location
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
    if report.interrupted:  # as shells report a signal: 130 for Ctrl-C, 143 for SIGTERM
        raise typer.Exit(128 + report.signal)
    if not report.success:
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
