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

app = typer.Typer(
    name="negplan",
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


def _funnel(func: F) -> F:
    """The one error funnel: domain errors become messages and exit codes, never tracebacks."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NegplanError as exc:
            _error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
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


def resolve_moments(as_of: Any, now: Any) -> tuple[date, datetime]:
    """Defaults: ``now`` is the current time; ``as_of`` is the date of ``now``."""
    moment = now if isinstance(now, datetime) else datetime.now(timezone.utc).astimezone()
    day = as_of if isinstance(as_of, date) else moment.date()
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
def new(
    path: Annotated[Path, typer.Argument(help="Where to write the case file.", metavar="PATH")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented case-file template to fill in.

    Example: negplan new cases/NW-2026-00188.yaml
    """
    from importlib import resources

    from negplan.errors import OutputError
    from negplan.fsio import write_atomic

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

    Example: negplan validate examples/*.yaml
    """
    from negplan.validate import validate_file

    day, _ = resolve_moments(as_of, None)
    failed = 0
    for file in files:
        try:
            kind, what = validate_file(file, day)
        except InputError as exc:
            failed += 1
            _error(str(exc))
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

    Example: negplan schema case > case.schema.json
    """
    import json

    from negplan.validate import json_schema

    typer.echo(json.dumps(json_schema(kind.value), indent=2, ensure_ascii=False))


@app.command()
@_funnel
def rules(rules: RulesOption = None) -> None:
    """Print the effective rules as YAML (the defaults, or your --rules merged over them).

    Example: negplan rules --rules examples/rules-override.yaml
    """
    from negplan.validate import effective_rules_yaml

    typer.echo(effective_rules_yaml(rules), nl=False)


def main() -> None:
    """Console-script entry point."""
    app()
