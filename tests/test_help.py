"""Every command's help in the user's words: no Python types, no cut descriptions (issue 19)."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from negplan.shell.app import app

runner = CliRunner()
COMMANDS = ["prep", "batch", "new", "validate", "schema", "rules", "agreement", "verify"]

#: What Typer would print of the Python side: ``<list[Path]>``, ``<str>``, ``<bool>``, ``{CASE}``.
INTERNAL = re.compile(r"<(list\[\w+\]|str|int|bool|path|Path|float|datetime)>|\{[A-Z_.]+\}")


@pytest.fixture(params=[None, "rich"], ids=["plain", "rich"])
def markup(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str | None:
    monkeypatch.setattr(app, "rich_markup_mode", request.param)
    return request.param  # type: ignore[no-any-return]


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_names_what_to_type_not_python_types(command: str | None, markup: str | None) -> None:
    args = [command, "--help"] if command else ["--help"]
    result = runner.invoke(app, args, env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert INTERNAL.findall(result.output) == []
    assert " <" not in result.output  # no <type> column at all
    if command is None:
        assert "..." not in result.output.replace("[ARGS]...", "")  # descriptions listed whole


@pytest.mark.parametrize("command", ["validate", "agreement"])
def test_as_of_help_does_not_mention_a_now_option_the_command_lacks(command: str) -> None:
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "100"})
    assert "--as-of" in result.output
    assert "--now" not in result.output
