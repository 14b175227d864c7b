"""The one error funnel: domain errors become messages and exit codes, never tracebacks.

Located problems print as ``file:line:col: field: message`` (SPEC §5); anything else as
``error: message`` on stderr, exit 1. Usage errors stay Click's (exit 2). A problem about a term
given on the command line (:attr:`negplan.errors.Problem.path` naming a request field) is named
by its flag, since only the shell knows flags.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from negplan.display import printable
from negplan.errors import InputError, NegplanError

F = TypeVar("F", bound=Callable[..., Any])


def _color(stream: Any) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def error(message: str) -> None:
    prefix = typer.style("error:", fg="red", bold=True) if _color(sys.stderr) else "error:"
    for line in printable(message).splitlines() or [""]:
        typer.echo(f"{prefix} {line}", err=True)


def warn(message: str, stream: Any = None) -> None:
    """``warning: message`` on stderr. Piped, one line (scripts grep it); on a terminal, wrapped
    at word boundaries to its width with a hanging indent, so the terminal never cuts a word."""
    stream = sys.stderr if stream is None else stream
    text = f"warning: {message}"
    if hasattr(stream, "isatty") and stream.isatty():
        import shutil
        import textwrap

        width = shutil.get_terminal_size((100, 24)).columns - 1
        wrapped = textwrap.wrap(
            text, width, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
        )
        text = "\n".join(wrapped)
    stream.write(text + "\n")
    stream.flush()


def report(exc: NegplanError) -> None:
    """Print an error. Located problems are printed as ``file:line:col: field: message`` (SPEC §5,
    the form editors and grep understand); anything else as ``error: message``."""
    if isinstance(exc, InputError):
        for problem in exc.problems:
            if problem.file is None:
                error(str(problem))
            else:
                line = printable(str(problem))
                typer.echo(typer.style(line, fg="red") if _color(sys.stderr) else line, err=True)
        return
    error(str(exc))


def funnel(func: F) -> F:
    """The one error funnel: domain errors become messages and exit codes, never tracebacks."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NegplanError as exc:
            report(exc)
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
            error(
                f"internal error ({type(exc).__name__}: {exc}); "
                "rerun with NEGPLAN_DEBUG=1 for a traceback and report it"
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]
