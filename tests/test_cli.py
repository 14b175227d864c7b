"""The command line: help everywhere, the foundation commands, exit codes (SPEC §5)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
import yaml
from typer.testing import CliRunner

from negplan import __version__
from negplan.shell.app import app
from tests.helpers import BASE_CASE

runner = CliRunner()


def command_names() -> list[str]:
    group = typer.main.get_group(app)
    return sorted(group.commands)


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"negplan {__version__}"


def test_no_arguments_shows_help() -> None:
    result = runner.invoke(app, [])
    # A usage error (exit 2) since Click 8.2; older Clicks exit 0 after the help.
    assert result.exit_code in (0, 2), result.output
    assert "Usage" in result.output
    assert "Commands" in result.output


@pytest.mark.parametrize("name", command_names())
def test_every_command_has_help_with_an_example(name: str) -> None:
    group = typer.main.get_group(app)
    command = group.commands[name]
    assert command.help and "Example:" in command.help, name
    assert command.get_short_help_str(), name
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output


def test_new_writes_a_template_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    result = runner.invoke(app, ["new", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_mode & 0o777 == 0o600
    result = runner.invoke(app, ["validate", str(target), "--as-of", "2026-11-22"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["new", str(target)])
    assert again.exit_code == 1, again.output
    assert "already exists" in again.output


def test_new_template_names_every_case_field() -> None:
    from negplan.core.case import Case

    text = (Path(__file__).parent.parent / "negplan/data/new_case.yaml").read_text()
    for field in Case.model_fields:
        assert f"{field}:" in text, field


def test_validate_lists_every_problem_and_exits_1(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(BASE_CASE)
    bad = tmp_path / "bad.yaml"
    bad.write_text(BASE_CASE.replace("3200.00", "-1").replace("USD", "XYZ"))
    result = runner.invoke(app, ["validate", str(good), str(bad), "--as-of", "2026-11-22"])
    assert result.exit_code == 1, result.output
    assert f"ok {good} (case T-0001)" in result.stdout
    assert "currency: unknown or unsupported currency 'XYZ'" in result.output
    assert "finances.income[0].amount: must be ≥ 0" in result.output
    assert "Traceback" not in result.output


def test_validate_accepts_rules_files(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("plans: {max_months: 24}\n")
    result = runner.invoke(app, ["validate", str(rules)])
    assert result.exit_code == 0, result.output
    assert "(rules)" in result.output


def test_an_empty_mapping_is_an_invalid_case_not_a_rules_file(tmp_path: Path) -> None:
    """validate and batch agree on what a rules file is: at least one rules section."""
    empty = tmp_path / "empty.yaml"
    empty.write_text("{}\n")
    result = runner.invoke(app, ["validate", str(empty)])
    assert result.exit_code == 1, result.output
    assert "(rules)" not in result.output


def test_usage_errors_exit_2() -> None:
    result = runner.invoke(app, ["validate", "x.yaml", "--as-of", "yesterday"])
    assert result.exit_code == 2, result.output
    assert "yesterday" in result.output


def test_schema_case_is_json_schema() -> None:
    result = runner.invoke(app, ["schema", "case"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["additionalProperties"] is False
    assert "case_id" in schema["required"]


def test_examples_validate_against_the_json_schema(tmp_path: Path) -> None:
    """A standard validator (check-jsonschema) accepts the shipped examples against our schema."""
    schema = tmp_path / "case.schema.json"
    printed = runner.invoke(app, ["schema", "case"])
    assert printed.exit_code == 0, printed.output
    schema.write_text(printed.stdout)
    examples = sorted(
        p
        for p in (Path(__file__).parent.parent / "examples").glob("*.yaml")
        if not p.name.startswith("rules")
    )
    assert examples
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--schemafile",
            str(schema),
            *map(str, examples),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_rules_prints_commented_defaults_and_merged_overrides(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0, result.output
    assert "# negplan default rules" in result.stdout
    override = tmp_path / "r.yaml"
    override.write_text("plans: {max_months: 48}\n")
    result = runner.invoke(app, ["rules", "--rules", str(override)])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.stdout)
    assert data["plans"]["max_months"] == 48
    assert data["plans"]["min_payment"] == 25.0
    assert data["affordability"]["guidelines"]["food"][0] == 497


def test_a_call_before_the_planning_date_is_a_usage_error(tmp_path: Path) -> None:
    case = tmp_path / "c.yaml"
    case.write_text(BASE_CASE)
    result = runner.invoke(
        app, ["prep", str(case), "--as-of", "2026-11-26", "--now", "2026-11-01T10:00:00-08:00"]
    )
    assert result.exit_code == 2, result.output
    assert "before the planning date" in result.output


def test_validate_prints_problems_in_the_spec_form(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BASE_CASE.replace("3200.00", "-1"))
    result = runner.invoke(app, ["validate", str(bad), "--as-of", "2026-11-22"])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[0] == f"{bad}:18:32: finances.income[0].amount: must be ≥ 0"
