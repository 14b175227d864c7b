"""The ``negplan`` command line: a thin Typer shell over the core.

Each command parses its options, calls the library, and presents the result; the commands live in
``*_commands.py`` beside this file, listed in :data:`COMMANDS`. Errors pass through one funnel
(:func:`negplan.shell.funnel.funnel`). Heavy modules are imported inside the commands so that
``negplan --help`` and ``negplan prep`` start fast.
"""

from __future__ import annotations

import importlib
import os
import sys
from functools import cache
from typing import Annotated, Any

import typer

from negplan import __version__
from negplan.shell.help import PlainHelpCommand, PlainHelpGroup

#: Every command as ``negplan --help`` lists it: its name, and the module of this package and
#: the function that implement it. A run imports only the module of the command it names.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("prep", "plan_commands", "prep"),
    ("batch", "plan_commands", "batch"),
    ("today", "today_commands", "today"),
    ("new", "file_commands", "new"),
    ("validate", "file_commands", "validate"),
    ("schema", "file_commands", "schema"),
    ("rules", "file_commands", "rules"),
    ("agreement", "agreement_commands", "agreement"),
    ("verify", "agreement_commands", "verify"),
    ("log", "ledger_commands", "log"),
    ("promise", "ledger_commands", "promise"),
    ("track", "ledger_commands", "track"),
    ("cancel", "ledger_cancel", "cancel"),
    ("status", "ledger_commands", "status"),
    ("followup", "followup_commands", "followup"),
    ("report", "report_commands", "report"),
    ("calibrate", "report_commands", "calibrate"),
    ("compare", "report_commands", "compare"),
    ("simulate", "report_commands", "simulate"),
)
#: The command groups (``negplan payments …``, ``negplan ledger …``), the same way.
GROUPS: tuple[tuple[str, str, str], ...] = (
    ("payments", "ledger_commands", "payments_app"),
    ("ledger", "ledger_commands", "ledger_app"),
)

#: Rich help and error panels on a terminal; plain text when piped (SPEC §5), where box drawing
#: would get in the way of grep and of people reading logs.
_RICH = sys.stdout.isatty() and sys.stderr.isatty() and "NO_COLOR" not in os.environ


def _version(value: bool) -> None:
    if value:
        typer.echo(f"negplan {__version__}")
        raise typer.Exit()


def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", is_eager=True, callback=_version
        ),
    ] = False,
) -> None:
    """Plan debt-collection negotiations from a case file and the creditor's rules."""


def _bare_app() -> typer.Typer:
    """The app's settings and callback (``--version``), with no command yet."""
    bare = typer.Typer(
        name="negplan",
        rich_markup_mode="rich" if _RICH else None,
        help="Plan debt-collection negotiations: affordability, BATNA, minimum terms, a lawful "
        "call script and the written agreement.",
        no_args_is_help=True,
        cls=PlainHelpGroup,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    bare.callback()(_main)
    return bare


def _implementation(module: str, name: str) -> Any:
    return getattr(importlib.import_module(f"negplan.shell.{module}"), name)


@cache
def whole_app() -> typer.Typer:
    """The app with every command and group, in :data:`COMMANDS`' order."""
    whole = _bare_app()
    for _, module, function in COMMANDS:
        whole.command(cls=PlainHelpCommand)(_implementation(module, function))
    for _, module, group in GROUPS:
        whole.add_typer(_implementation(module, group))
    return whole


def __getattr__(name: str) -> Any:
    """``app``: the whole app, built when first asked for (tests and ``typer``'s tools)."""
    if name == "app":
        return whole_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point."""
    app_for(sys.argv[1:2])()


def app_for(words: list[str]) -> typer.Typer:
    """The whole app, or for ``negplan <command> …`` an app that holds that one command.

    Typer turns every registered command into a click command, reading each function's signature
    and annotations, before it parses anything, and each command's module imports what that
    command needs: 18 commands took 35 ms of CPU at load 10, and their modules ~10 M
    instructions, of a ``negplan prep`` that starts once per call (issue 20), for one command
    used. The one-command app has the whole app's settings, callback (``--version``) and help
    classes, so it parses, prints help and reports errors exactly as the whole app does;
    anything else (no command, ``--help``, a command group, a typo that needs the list of
    commands) gets the whole app.
    """
    named = [(module, function) for name, module, function in COMMANDS if words[:1] == [name]]
    if not named:
        return whole_app()
    ((module, function),) = named
    one = _bare_app()
    one.command(cls=PlainHelpCommand)(_implementation(module, function))
    return one
