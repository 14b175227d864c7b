"""The ``negplan`` command line: a thin Typer shell over the core.

Each command parses its options, calls the core, and presents the result. Errors from the core
pass through one funnel (:func:`_funnel`) that prints them as ``file:line:col: field: message``
on stderr and exits 1; usage errors exit 2 (Click). Heavy modules are imported inside the
commands so that ``negplan --help`` and ``negplan prep`` start fast.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import date, datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from negplan import __version__
from negplan.errors import InputError, NegplanError

#: Rich help and error panels on a terminal; plain text when piped (SPEC §5), where box drawing
#: would get in the way of grep and of people reading logs.
_RICH = sys.stdout.isatty() and sys.stderr.isatty() and "NO_COLOR" not in os.environ

app = typer.Typer(
    name="negplan",
    rich_markup_mode="rich" if _RICH else None,
    help="Plan debt-collection negotiations: affordability, BATNA, minimum terms, a lawful call "
    "script and the written agreement.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])


def _color(stream: Any) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def _error(message: str) -> None:
    prefix = typer.style("error:", fg="red", bold=True) if _color(sys.stderr) else "error:"
    for line in message.splitlines() or [""]:
        typer.echo(f"{prefix} {line}", err=True)


def _report(exc: NegplanError) -> None:
    """Print an error. Located problems are printed as ``file:line:col: field: message`` (SPEC §5,
    the form editors and grep understand); anything else as ``error: message``."""
    if isinstance(exc, InputError):
        for problem in exc.problems:
            if problem.file is None:
                _error(str(problem))
            else:
                line = str(problem)
                typer.echo(typer.style(line, fg="red") if _color(sys.stderr) else line, err=True)
        return
    _error(str(exc))


def _funnel(func: F) -> F:
    """The one error funnel: domain errors become messages and exit codes, never tracebacks."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NegplanError as exc:
            _report(exc)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, typer.BadParameter, KeyboardInterrupt):
            raise  # exits and usage errors (exit 2) are the CLI's own
        except BrokenPipeError:  # the reader went away (| head): stop quietly, like Unix tools
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except Exception as exc:  # a bug: say so in one line unless asked for the traceback
            if os.environ.get("NEGPLAN_DEBUG"):
                raise
            _error(
                f"internal error ({type(exc).__name__}: {exc}); "
                "rerun with NEGPLAN_DEBUG=1 for a traceback and report it"
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


# ----------------------------------------------------------------------------- option parsing


def _parse_as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}") from None


def _parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"expected an ISO 8601 timestamp with offset (2026-11-22T10:00:00-08:00), got {value!r}"
        ) from None
    if moment.tzinfo is None:
        raise typer.BadParameter("the timestamp needs a UTC offset, e.g. 2026-11-22T10:00:00-08:00")
    return moment


RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--rules",
        help="Creditor rules YAML, merged key by key over the defaults.",
        metavar="FILE",
        rich_help_panel="Inputs",
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Planning date (default: today, or the date of --now).",
        metavar="YYYY-MM-DD",
        callback=_parse_as_of,
        rich_help_panel="Inputs",
    ),
]
NowOption = Annotated[
    str | None,
    typer.Option(
        "--now",
        help="The moment of the call, for the compliance check (default: now).",
        metavar="DATETIME",
        callback=_parse_now,
        rich_help_panel="Inputs",
    ),
]


TemplatesOption = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        help="Folder of templates that override the built-in ones.",
        metavar="DIR",
        rich_help_panel="Outputs",
    ),
]


def resolve_moments(as_of: Any, now: Any) -> tuple[date, datetime]:
    """Defaults: ``now`` is the current time; ``as_of`` is the date of ``now``.

    A call cannot be planned for before the planning date: ``--now`` earlier than ``--as-of`` is
    a usage error (exit 2).
    """
    moment = now if isinstance(now, datetime) else datetime.now(timezone.utc).astimezone()
    day = as_of if isinstance(as_of, date) else moment.date()
    if isinstance(now, datetime) and now.date() < day:
        raise typer.BadParameter(
            f"the call ({now.isoformat()}) is before the planning date {day}; "
            "give a --now on or after --as-of",
            param_hint="'--now'",
        )
    return day, moment


def _version(value: bool) -> None:
    if value:
        typer.echo(f"negplan {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", is_eager=True, callback=_version
        ),
    ] = False,
) -> None:
    """Plan debt-collection negotiations from a case file and the creditor's rules."""


# ----------------------------------------------------------------------------- commands


@app.command()
@_funnel
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
) -> None:
    """Prepare a call: compliance pre-flight, affordability, BATNA, minimum terms, offer ladder.

    Prints the brief and writes the call script CASE_ID.script.md.

    \b
    Example:
      negplan prep examples/maria-lopez-plan.yaml --now 2026-11-26T10:00:00-08:00
    """
    from negplan.core.plan import build_plan
    from negplan.io.case_file import load_case
    from negplan.io.outputs import output_path, write_atomic
    from negplan.io.packaged import load_tables
    from negplan.io.rules_file import load_rules
    from negplan.script.compose import objections, render_script, script_violations
    from negplan.shell.plan_json import dumps

    day, moment = resolve_moments(as_of, now)
    effective = load_rules(rules)
    case = load_case(case_file, day)
    plan = build_plan(case, effective, load_tables(), day, moment)
    warning = effective.currency_warning(case.currency)
    if warning:
        typer.echo(f"warning: {warning}", err=True)
    script = render_script(
        case, plan, effective, templates, case_file=None if case_file == "-" else case_file
    )
    if templates is not None:  # a user's own template must still keep the "do not say" list
        for violation in script_violations(script, case, plan):
            typer.echo(f"warning: call script: {violation}", err=True)
    folder = (
        out if out is not None else (Path.cwd() if case_file == "-" else Path(case_file).parent)
    )
    target = write_atomic(output_path(folder, f"{case.case_id}.script.md"), script)
    if as_json:
        sys.stdout.write(dumps(plan))
        typer.echo(f"call script: {target}", err=True)
        return
    from negplan.shell.present import print_brief

    print_brief(sys.stdout, case, plan, objections(case, plan, effective))
    typer.echo(f"Call script written to {target}")


@app.command()
@_funnel
def batch(
    folders: Annotated[
        list[Path],
        typer.Argument(help="Folders of case files (searched recursively).", metavar="DIR..."),
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
) -> None:
    """Plan every case under the folders: plans, call scripts, summary.csv and a call queue.

    A bad case is reported and skipped; the exit code is 1 if any case failed.

    \b
    Example:
      negplan batch cases/ --out today/ --now 2026-11-23T09:00:00-05:00
    """
    from negplan.shell.batch import Settings, default_workers, run
    from negplan.shell.present import batch_progress, print_batch_report

    day, moment = resolve_moments(as_of, now)
    settings = Settings(out=out, as_of=day, now=moment, rules_file=rules, templates=templates)
    with batch_progress(sys.stderr) as on_outcome:
        report = run(folders, settings, workers=jobs or default_workers(), on_outcome=on_outcome)
    print_batch_report(sys.stdout, sys.stderr, report)
    if not report.success:
        raise typer.Exit(1)


@app.command()
@_funnel
def new(
    path: Annotated[Path, typer.Argument(help="Where to write the case file.", metavar="PATH")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented case-file template to fill in.

    \b
    Example:
      negplan new cases/NW-2026-00188.yaml
    """
    from importlib import resources

    from negplan.errors import OutputError
    from negplan.io.outputs import write_atomic

    if path.exists() and not force:
        raise OutputError(f"{path} already exists (use --force to overwrite)")
    text = resources.files("negplan").joinpath("data/new_case.yaml").read_text("utf-8")
    write_atomic(path, text)
    typer.echo(f"wrote {path}; fill it in, then run: negplan validate {path}")


class _Kind(str, Enum):
    case = "case"
    rules = "rules"


@app.command()
@_funnel
def validate(
    files: Annotated[list[Path], typer.Argument(help="Case or rules files.", metavar="FILE...")],
    as_of: AsOfOption = None,
) -> None:
    """Check case (or rules) files and list every problem, not just the first.

    \b
    Example:
      negplan validate examples/*.yaml
    """
    from negplan.io.validate import validate_file

    day, _ = resolve_moments(as_of, None)
    failed = 0
    for file in files:
        try:
            kind, what = validate_file(file, day)
        except InputError as exc:
            failed += 1
            _report(exc)
            continue
        except Exception as exc:  # a bug in one file's check must not hide the others
            failed += 1
            _error(f"{file}: internal error ({type(exc).__name__}: {exc}); please report it")
            continue
        typer.echo(f"ok {file} ({kind} {what})" if what else f"ok {file} ({kind})")
    if failed:
        typer.echo(f"{failed} of {len(files)} file(s) invalid", err=True)
        raise typer.Exit(1)


@app.command()
@_funnel
def schema(
    kind: Annotated[_Kind, typer.Argument(help="Which schema.")] = _Kind.case,
) -> None:
    """Print the JSON Schema of case files or rules files, for editors and other tools.

    \b
    Example:
      negplan schema case > case.schema.json
    """
    import json

    from negplan.io.validate import json_schema

    typer.echo(json.dumps(json_schema(kind.value), indent=2, ensure_ascii=False))


@app.command()
@_funnel
def rules(rules: RulesOption = None) -> None:
    """Print the effective rules as YAML (the defaults, or your --rules merged over them).

    \b
    Example:
      negplan rules --rules examples/rules-override.yaml
    """
    from negplan.io.validate import effective_rules_yaml

    typer.echo(effective_rules_yaml(rules), nl=False)


class _DocFormat(str, Enum):
    md = "md"
    html = "html"
    pdf = "pdf"


@app.command()
@_funnel
def agreement(
    case_file: Annotated[
        str,
        typer.Argument(help="The case file (YAML), or - to read it from stdin.", metavar="CASE"),
    ],
    option: Annotated[
        str | None,
        typer.Option(
            "--option",
            help="A plan option id (e.g. plan_full_12m) or a kind: pay_in_full, settlement, "
            "settlement_installments, plan_full, plan_reduced, hardship_token. "
            "Default: the case's agreement: section.",
            metavar="ID",
            rich_help_panel="Terms",
        ),
    ] = None,
    amount: Annotated[
        str | None,
        typer.Option(
            "--amount",
            help="The TOTAL to be paid (any down payment included).",
            metavar="A",
            rich_help_panel="Terms",
        ),
    ] = None,
    down_payment: Annotated[
        str | None,
        typer.Option(
            "--down-payment",
            help="Paid on the agreement date (e.g. a good-faith payment taken on the call); "
            "part of the total, the rest is scheduled (overrides the case's down_payment).",
            metavar="A",
            rich_help_panel="Terms",
        ),
    ] = None,
    installments: Annotated[
        int | None,
        typer.Option(
            "--installments",
            min=1,
            max=600,
            help="Monthly payments of a settlement.",
            metavar="N",
            rich_help_panel="Terms",
        ),
    ] = None,
    months: Annotated[
        int | None,
        typer.Option(
            "--months",
            min=1,
            max=600,
            help="Months of a plan or hardship arrangement.",
            metavar="N",
            rich_help_panel="Terms",
        ),
    ] = None,
    first_due: Annotated[
        str | None,
        typer.Option(
            "--first-due",
            help="The first scheduled payment's date (default: the plan's; at most "
            "agreements.max_first_payment_days after the agreement date). Weekends and public "
            "holidays move to the next business day.",
            metavar="YYYY-MM-DD",
            callback=_parse_as_of,
            rich_help_panel="Terms",
        ),
    ] = None,
    approved_by: Annotated[
        str | None,
        typer.Option(
            "--approved-by",
            help="Who approved terms below your authority (overrides the case's approved_by).",
            metavar="NAME",
            rich_help_panel="Terms",
        ),
    ] = None,
    doc_format: Annotated[
        _DocFormat | None,
        typer.Option(
            "--format",
            help="md, html or pdf (default: from the --out suffix .md, .html or .pdf, else md).",
            rich_help_panel="Outputs",
        ),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            help="The file to write, ending .md, .html or .pdf (default: "
            "CASE_ID.agreement.<ext> beside the case file; - for stdout).",
            metavar="FILE",
            rich_help_panel="Outputs",
        ),
    ] = None,
    rules: RulesOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Write the agreement for terms agreed on the call, once they pass the plan's checks.

    Terms below the minimum, unaffordable or outside policy are refused (exit 1, nothing written).

    So are terms below your authority without --approved-by. A refusal names the nearest terms,
    the plan's recommendation first.

    Example: negplan agreement examples/maria-lopez-plan.yaml --option plan_full_12m --format pdf
    """
    import shlex

    from negplan.agreement.document import (
        agreement_format,
        agreement_path,
        check_stdout,
        render_agreement,
    )
    from negplan.agreement.draft import agreement_moment, draft_agreement, terms_request
    from negplan.core.plan import build_plan
    from negplan.io.case_file import load_case
    from negplan.io.outputs import write_atomic
    from negplan.io.packaged import load_tables
    from negplan.io.rules_file import load_rules

    day, _ = resolve_moments(as_of, None)
    fmt = agreement_format(doc_format.value if doc_format else None, out)
    if out == "-":
        check_stdout(fmt, sys.stdout.isatty())
    effective = load_rules(rules)
    case = load_case(case_file, day)
    plan = build_plan(case, effective, load_tables(), day, agreement_moment(day, case))
    request = terms_request(
        case,
        option=option,
        amount=amount,
        installments=installments,
        months=months,
        first_due=first_due,  # type: ignore[arg-type]  # the callback made it a date
        approved_by=approved_by,
        down_payment=down_payment,
        case_name=case_file,
    )
    rerun = ["negplan", "agreement", case_file]
    rerun += ["--rules", str(rules)] if rules else []
    rerun += ["--as-of", day.isoformat()] if as_of else []
    drafted = draft_agreement(case, effective, plan, request, as_of=day, command=shlex.join(rerun))
    document = render_agreement(drafted, fmt)
    if out == "-":
        if isinstance(document.content, bytes):
            sys.stdout.buffer.write(document.content)
            sys.stdout.flush()
        else:
            sys.stdout.write(document.content)
        typer.echo(document.summary, err=True)
        return
    target = Path(out) if out else agreement_path(case_file, case.case_id, fmt)
    write_atomic(target, document.content)
    typer.echo(f"wrote {target}: {document.summary}")


@app.command()
@_funnel
def verify(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Agreements written by negplan agreement (md, html or pdf).", metavar="FILE..."
        ),
    ],
) -> None:
    """Check that agreements are unaltered: fingerprint and visible text against embedded terms.

    Exit 0 when every file is unaltered, 1 otherwise.

    This detects alteration, not forgery: the fingerprint is an unkeyed SHA-256 that anyone can
    recompute for a document they wrote themselves. Compare it with the fingerprint on the
    creditor's signed copy or in its own records.

    Example: negplan verify examples/NW-2026-00187.agreement.pdf
    """
    from negplan.agreement.verify import verify_file

    failed = 0
    for file in files:
        try:
            result = verify_file(file)
        except InputError as exc:
            failed += 1
            _error(str(exc))
            continue
        if result.ok:
            typer.echo(f"ok {file}: unaltered {result.summary}; fingerprint {result.fingerprint}")
            continue
        failed += 1
        _error(f"{file}: ALTERED")
        for problem in result.problems:
            _error(f"  - {problem}")
    if failed:
        raise typer.Exit(1)


def main() -> None:
    """Console-script entry point."""
    app()
