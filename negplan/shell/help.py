"""Help screens in the user's words: what to type, never the Python type behind it.

Typer prints each parameter's Python annotation beside it (``DIR... <list[Path]>``,
``CASE <str>``, ``--help <bool>``) and marks required arguments ``{CASE}`` in the usage line.
A collections executive reading ``negplan prep --help`` needs the metavar (``CASE``, ``DIR...``,
``YYYY-MM-DD``) and, for a choice, its values; nothing else. The command and group classes here
give every parameter of a command that view; the app uses them for every command.

In Rich's options table choices are listed with a space either side of each ``|``: it wraps
a cell only at spaces and otherwise folds a word (``co/nversation`` at 80 columns). A default is
written once, in the option's own help as "(default: x)", as most defaults are words ("today",
"the machine's cores") that Typer's "[default: x]" could not show; Typer's is switched off.
The description is laid out by :mod:`negplan.shell.help_text`.

They also word a refused value as the check that refused it: Typer reports a value its own
checks turn down (a choice such as ``--channel fax``) through pydantic, whose message starts
"Value error, "; the executive is shown the check's own sentence.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import ValidationError
from typer import BadParameter
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from negplan.display import printable
from negplan.shell.help_text import for_rich


def _choices(param: TyperArgument | TyperOption) -> str | None:
    """``md|html|pdf`` for a choice, else None."""
    desc = param.type_descriptor
    if desc.is_choice and desc.choices is not None:
        return "|".join(str(getattr(choice, "value", choice)) for choice in desc.choices)
    return None


def _spaced(shown: str | None, ctx: Any) -> str | None:
    """``a | b | c`` for ``a|b|c`` in Rich's table, which may then wrap between values, never in
    one. Click's plain help gives a long option its own line and never wraps it: ``a|b|c``."""
    if shown is None or getattr(ctx.command, "rich_markup_mode", None) != "rich":
        return shown
    return " | ".join(part.strip() for part in shown.split("|"))


def _reworded(exc: BadParameter) -> BadParameter:
    """``exc`` with the sentence of the check that raised it, when pydantic wrapped one (a
    ``value_error`` carries the original exception; decided on the error's type, not its text)."""
    cause = exc.__cause__
    if isinstance(cause, ValidationError):
        first = cause.errors(include_url=False)[0]
        error = first.get("ctx", {}).get("error")
        if first["type"] == "value_error" and isinstance(error, ValueError):
            exc.message = printable(str(error))
    return exc


def _checked(process: Any, ctx: Any, value: Any) -> Any:
    """``process(ctx, value)``, a refused value worded by :func:`_reworded`."""
    try:
        return process(ctx, value)
    except BadParameter as exc:
        raise _reworded(exc) from exc.__cause__


class _Argument(TyperArgument):
    def display_type_rich(self, ctx: Any) -> str | None:
        return _spaced(_choices(self), ctx)

    def process_value(self, ctx: Any, value: Any) -> Any:
        return _checked(super().process_value, ctx, value)

    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        if self.nargs != 1 and not name.endswith("..."):
            name += "..."
        return name if self.required else f"[{name}]"


class _Option(TyperOption):
    def display_type_rich(self, ctx: Any) -> str | None:
        if self.is_flag or self.count:
            return None
        return _spaced(self.metavar or _choices(self) or self.name.upper(), ctx)

    def process_value(self, ctx: Any, value: Any) -> Any:
        return _checked(super().process_value, ctx, value)


def _plain(param: Any) -> Any:
    param.show_default = False  # the help says "(default: x)" itself
    if type(param) is TyperArgument:
        param.__class__ = _Argument
    elif type(param) is TyperOption:
        param.__class__ = _Option
    return param


def _short(help_text: str | None) -> str | None:
    """The first paragraph, whole: the command list shows it instead of cutting it with "..."."""
    if not help_text:
        return None
    return " ".join(help_text.strip().split("\n\n", 1)[0].split())


def _rich_help(command: TyperCommand | TyperGroup, ctx: Any) -> bool:
    """The command's help as Typer prints it, its description laid out for the terminal.

    Typer's :meth:`format_help` hands the command to ``rich_format_help``, which prints
    ``command.help`` as it finds it; it is given a copy whose help is already laid out for the
    width Rich will print in (its console's, less the one-column margin either side). False
    when the help is not Rich's: click's own formatter lays out plain help already."""
    if command.rich_markup_mode != "rich" or not command.help:
        return False
    from typer import rich_utils

    shown = copy.copy(command)
    shown.help = for_rich(command.help, rich_utils._get_rich_console().width - 2)
    rich_utils.rich_format_help(obj=shown, ctx=ctx, markup_mode="rich")
    return True


class _PlainHelp:
    """What a command and the app share: plain parameters, help laid out for the terminal."""

    __slots__ = ()

    def _plain_params(self) -> None:
        for param in self.params:  # type: ignore[attr-defined]
            _plain(param)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        if not _rich_help(self, ctx):  # type: ignore[arg-type]
            super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        return None if option is None else _plain(option)


class PlainHelpCommand(_PlainHelp, TyperCommand):
    """A command whose help shows metavars, not Python types, and is listed whole by the app."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plain_params()
        if self.short_help is None:
            self.short_help = _short(self.help)


class PlainHelpGroup(_PlainHelp, TyperGroup):
    """The app itself: the same plain view for ``--version`` and ``--help``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plain_params()
