"""What a user reads is what is tested: README.md's tour runs, every command is documented.

In the manner of sqlite-utils' ``test_docs.py``: a command without help, without an example or
missing from the README fails here, and so does a tour command that no longer works.
"""

from __future__ import annotations

import glob
import json
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from negplan.shell.app import app
from tests.helpers import AS_OF, EXAMPLES, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
runner = CliRunner()

#: Tour commands expected to fail on purpose, by a fragment of their text, with their exit code.
#: Empty today: the tour shows no refusal by itself.
MEANT_TO_FAIL: dict[str, int] = {}


def fenced_blocks(markdown: str, after_heading: str) -> list[str]:
    """The ``sh`` code blocks of the section under ``after_heading``."""
    start = markdown.index(f"\n## {after_heading}\n")
    end = markdown.find("\n## ", start + 1)
    section = markdown[start : end if end != -1 else len(markdown)]
    return re.findall(r"```sh\n(.*?)```", section, re.DOTALL)


def tour_commands() -> list[str]:
    """The commands of "A short tour", one per line, without their trailing comments."""
    (block,) = fenced_blocks(README, "A short tour")
    commands = []
    for line in block.splitlines():
        text = line.split("  #", 1)[0].strip()
        if text and not text.startswith("#"):  # a line holding only a comment continues one
            commands.append(text)
    return commands


def command_names() -> list[str]:
    return sorted(typer.main.get_group(app).commands)


def command(name: str) -> Any:
    """The Click command behind ``negplan name`` (Typer's vendored Click: no Click types here)."""
    return typer.main.get_group(app).commands[name]


def options(name: str) -> list[Any]:
    """The options of ``negplan name``, ``--help`` left out."""
    params = command(name).params
    return [p for p in params if p.param_type_name == "option" and p.name != "help"]


def tour_folder(folder: Path) -> None:
    """The files the tour names, filled with the shipped examples."""
    cases = folder / "cases"
    cases.mkdir()
    for example in EXAMPLES.glob("*.yaml"):
        if not example.name.startswith("rules"):
            shutil.copy(example, cases / example.name)
    shutil.copy(EXAMPLES / "maria-lopez-plan.yaml", folder / "case.yaml")  # NW-2026-00187
    shutil.copy(EXAMPLES / "rules-override.yaml", folder / "my-rules.yaml")
    (folder / "bank.csv").write_text(
        "case_id,date,amount,reference\nNW-2026-00187,2026-12-07,250.00,TX-1\n", encoding="utf-8"
    )


def with_fixed_date(args: list[str]) -> list[str]:
    """``args`` with ``--as-of`` the tests' planning date, where the command takes one.

    The tour uses today's date; the test pins it so that it gives the same result every day.
    """
    known = typer.main.get_group(app).commands.get(args[0])
    if known is None:
        return args  # an unknown command: let the CLI say so
    options = {opt for param in known.params for opt in param.opts}
    if "--as-of" in options and "--as-of" not in args:
        return [*args, "--as-of", AS_OF.isoformat()]
    return args


def test_the_tour_is_found_and_names_every_step() -> None:
    commands = tour_commands()
    assert len(commands) >= 10, commands
    assert all(line.startswith("negplan ") for line in commands), commands


def test_every_command_of_the_readme_tour_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run the tour in order in a folder of example files, as a user would type it."""
    tour_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    for line in tour_commands():
        pipe = None
        redirect = None
        if " | " in line:
            line, pipe = (part.strip() for part in line.split(" | ", 1))
        if " > " in line:
            line, redirect = (part.strip() for part in line.split(" > ", 1))
        words = shlex.split(line)
        assert words[0] == "negplan", line
        args: list[str] = []
        for word in words[1:]:
            matches = sorted(glob.glob(word)) if "*" in word else [word]
            assert matches, f"{word!r} matches no file in the tour folder"
            args.extend(matches)
        result = runner.invoke(app, with_fixed_date(args))
        expected = next((code for text, code in MEANT_TO_FAIL.items() if text in line), 0)
        assert result.exit_code == expected, f"{line}\n{result.output}"
        if redirect is not None:
            Path(redirect).write_text(result.stdout, encoding="utf-8")
        if pipe is not None:
            # `jq .key`: the output is JSON with that key.
            tool, key = shlex.split(pipe)
            assert tool == "jq" and key.startswith("."), f"unsupported pipe in the tour: {pipe}"
            assert key[1:] in json.loads(result.stdout), f"{line}: no {key} in the JSON"

    # What the tour says it leaves behind.
    assert (tmp_path / "cases" / "NW-2026-00188.yaml").exists()
    assert (tmp_path / "NW-2026-00187.script.md").exists()
    assert (tmp_path / "NW-2026-00187.agreement.pdf").exists()
    assert (tmp_path / "today" / "summary.csv").exists()
    assert json.loads((tmp_path / "case.schema.json").read_text())["type"] == "object"


@pytest.mark.parametrize("name", command_names())
def test_every_command_has_help_with_an_example_and_is_in_the_readme(name: str) -> None:
    help_text = command(name).help or ""
    assert "Example:" in help_text, f"negplan {name} --help has no example"
    example = help_text.split("Example:", 1)[1].strip().splitlines()[0].strip()
    assert example.startswith(f"negplan {name}"), f"the example of {name} runs another command"
    assert f"negplan {name}" in README, f"negplan {name} is not mentioned in README.md"
    for option in options(name):
        assert option.help, f"negplan {name} {option.opts[0]} has no help text"


def test_the_option_check_sees_the_options() -> None:
    """The help-text check above is not vacuous: it finds prep's options."""
    assert {"--rules", "--as-of", "--json"} <= {o.opts[0] for o in options("prep")}


def test_every_command_appears_in_the_tour() -> None:
    toured = {line.split()[1] for line in tour_commands()}
    assert set(command_names()) <= toured, set(command_names()) - toured


def test_ci_runs_the_readmes_test_command() -> None:
    """.ci/run runs exactly the test command the README gives contributors."""
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    (test_command,) = [b.strip() for b in blocks if "pytest" in b]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"readme_test_command='{test_command}'\n" in ci, f"{test_command!r} not in .ci/run"
    assert 'bash -c "$readme_test_command"\n' in ci
