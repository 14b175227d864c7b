"""``negplan <command>`` builds that command alone, and behaves exactly as the whole app (issue 20).

Typer builds a click command for every registered command before parsing; a run uses one, so
:func:`negplan.shell.app.app_for` gives it a copy of the app holding only that command. These
tests hold the copy to the app's own output: help, errors and a real run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command_name
from typer.testing import CliRunner

from negplan.shell.app import COMMANDS, GROUPS, app, app_for

NAMES_IN_ORDER = [
    info.name or get_command_name(info.callback.__name__)
    for info in app.registered_commands
    if info.callback is not None
]
NAMES = sorted(NAMES_IN_ORDER)


def test_a_command_gets_an_app_of_its_own_and_anything_else_the_whole_app() -> None:
    assert "prep" in NAMES and "batch" in NAMES
    one = app_for(["prep"])
    assert one is not app
    assert [info.callback for info in one.registered_commands] == [
        info.callback
        for info in app.registered_commands
        if info.callback is not None and info.callback.__name__ == "prep"
    ]
    assert one.registered_groups == []
    assert len(app.registered_commands) == len(NAMES)  # the app itself is untouched
    for words in ([], ["--help"], ["--version"], ["prp"], ["payments"], ["ledger"]):
        assert app_for(words) is app


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("tail", [["--help"], ["--no-such-option"], []])
def test_help_and_errors_are_the_whole_app_s(
    name: str, tail: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Some commands run without arguments (``status`` opens ./negplan.db): each in a folder
    # of its own, never the checkout's.
    monkeypatch.delenv("NEGPLAN_LEDGER", raising=False)
    runner = CliRunner()
    results = []
    for which, runner_app in (("whole", app), ("alone", app_for([name]))):
        (tmp_path / which).mkdir()
        monkeypatch.chdir(tmp_path / which)
        results.append(runner.invoke(runner_app, [name, *tail], prog_name="negplan"))
    whole, alone = results
    assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output)


def test_prep_writes_the_same_files(tmp_path: Path) -> None:
    runner = CliRunner()
    case = Path(__file__).parents[1] / "examples" / "maria-lopez-plan.yaml"
    outputs = []
    for runner_app, folder in ((app, tmp_path / "whole"), (app_for(["prep"]), tmp_path / "one")):
        args = ["prep", str(case), "--as-of", "2026-11-22", "--now", "2026-11-22T10:00:00-08:00"]
        result = runner.invoke(runner_app, [*args, "--out", str(folder)], prog_name="negplan")
        assert result.exit_code == 0, result.output
        files = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
        outputs.append((result.output.replace(str(folder), "OUT"), files))
    assert outputs[0] == outputs[1]
    assert outputs[0][1]


def test_the_table_names_each_command_as_typer_does() -> None:
    assert [name for name, _, _ in COMMANDS] == NAMES_IN_ORDER
    groups = [
        info.typer_instance.info.name for info in app.registered_groups if info.typer_instance
    ]
    assert [name for name, _, _ in GROUPS] == groups


def test_a_command_imports_no_other_command_s_module() -> None:
    """``negplan prep`` pays for prep's module, not for the ledger's or the report's."""
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from negplan.shell.app import app_for; app_for(['prep']); "
            "print(' '.join(m for m in sys.modules if m.startswith('negplan.shell.')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "negplan.shell.plan_commands" in shown
    others = {f"negplan.shell.{module}" for _, module, _ in COMMANDS} - {
        "negplan.shell.plan_commands"
    }
    assert not others & set(shown)
