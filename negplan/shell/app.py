"""The ``negplan`` command line: a thin Typer shell over the core.

Each command parses its options, calls the library, and presents the result; the commands live in
``*_commands.py`` beside this file. Errors pass through one funnel
(:func:`negplan.shell.funnel.funnel`). Heavy modules are imported inside the commands so that
``negplan --help`` and ``negplan prep`` start fast.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from negplan import __version__
from negplan.shell import (
    agreement_commands,
    file_commands,
    followup_commands,
    ledger_cancel,
    ledger_commands,
    plan_commands,
    report_commands,
    today_commands,
)
from negplan.shell.help import PlainHelpCommand, PlainHelpGroup

#: Rich help and error panels on a terminal; plain text when piped (SPEC §5), where box drawing
#: would get in the way of grep and of people reading logs.
_RICH = sys.stdout.isatty() and sys.stderr.isatty() and "NO_COLOR" not in os.environ

app = typer.Typer(
    name="negplan",
    rich_markup_mode="rich" if _RICH else None,
    help="Plan debt-collection negotiations: affordability, BATNA, minimum terms, a lawful call "
    "script and the written agreement.",
    no_args_is_help=True,
    cls=PlainHelpGroup,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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


for command in (
    plan_commands.prep,
    plan_commands.batch,
    today_commands.today,
    file_commands.new,
    file_commands.validate,
    file_commands.schema,
    file_commands.rules,
    agreement_commands.agreement,
    agreement_commands.verify,
    ledger_commands.log,
    ledger_commands.promise,
    ledger_commands.track,
    ledger_cancel.cancel,
    ledger_commands.status,
    followup_commands.followup,
    report_commands.report,
    report_commands.calibrate,
    report_commands.compare,
    report_commands.simulate,
):
    app.command(cls=PlainHelpCommand)(command)
app.add_typer(ledger_commands.payments_app)
app.add_typer(ledger_commands.ledger_app)


def main() -> None:
    """Console-script entry point."""
    app_for(sys.argv[1:2])()


def app_for(words: list[str]) -> typer.Typer:
    """The app, or for ``negplan <command> …`` a copy that holds that one command.

    Typer turns every registered command into a click command, reading each function's signature
    and annotations, before it parses anything: 18 commands took 35 ms of CPU at load 10, ~6% of
    a ``negplan prep`` that starts once per call (issue 20), for one command used. The copy has
    the app's settings, callback (``--version``) and help classes, so it parses, prints help
    and reports errors exactly as the app does; anything else (no command, ``--help``, a
    command group, a typo that needs the list of commands) gets the whole app.
    """
    import copy

    from typer.main import get_command_name

    if not words:
        return app
    named = [
        info
        for info in app.registered_commands
        if (info.name or get_command_name(info.callback.__name__ if info.callback else ""))
        == words[0]
    ]
    if len(named) != 1:
        return app
    one = copy.copy(app)
    one.registered_commands = named
    one.registered_groups = []
    return one
