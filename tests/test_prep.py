"""negplan prep: the brief (golden, plain), the call script file, JSON, stdin, safety (issue 5)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from negplan.core.plan import build_plan
from negplan.io.case_file import load_case
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules, rules_for_case
from negplan.script.compose import objections
from negplan.shell.app import app
from negplan.shell.present import brief_content, plain_brief
from tests.golden import assert_golden
from tests.helpers import AS_OF, BASE_CASE, NOW

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
runner = CliRunner()


@pytest.mark.parametrize("name", sorted(NOW))
def test_brief_matches_its_golden_file(name: str) -> None:
    case = load_case(EXAMPLES / f"{name}.yaml", AS_OF)
    rules = rules_for_case(load_rules(), None, case.jurisdiction)  # as `negplan prep` picks them
    plan = build_plan(case, rules, load_tables(), AS_OF, NOW[name])
    text = plain_brief(brief_content(case, plan, objections(case, plan, rules)))
    assert_golden(text, f"brief/{name}.txt", test_file="tests/test_prep.py")


def prep(*args: str, input: str | None = None) -> Result:
    return runner.invoke(app, ["prep", *args, "--as-of", "2026-11-22"], input=input)


def test_prep_prints_the_brief_and_writes_the_script_owner_only(tmp_path: Path) -> None:
    result = prep(
        str(EXAMPLES / "uk-gbp.yaml"), "--out", str(tmp_path), "--now", "2026-11-22T18:30:00+00:00"
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("PCS-GB-2026-04471 · ")
    assert lines[1].startswith("== CAUTION: callable now")  # the CONC 7.3 duties (SPEC §6a)
    assert "\x1b[" not in result.stdout  # piped output is plain
    script = tmp_path / "PCS-GB-2026-04471.script.md"
    assert f"Call script written to {script}" in result.stdout
    assert script.stat().st_mode & 0o777 == 0o600
    assert script.read_text().startswith("# Call script: PCS-GB-2026-04471")


def test_blocked_case_says_so_first(tmp_path: Path) -> None:
    result = prep(
        str(EXAMPLES / "blocked-attorney.yaml"),
        "--out",
        str(tmp_path),
        "--now",
        "2026-11-22T15:00:00-05:00",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith("== BLOCKED: DO NOT CALL")
    assert "Next lawful window: none until the blocking flag is cleared" in result.stdout


def test_json_prints_the_plan_and_nothing_else_on_stdout(tmp_path: Path) -> None:
    result = prep(
        str(EXAMPLES / "maria-lopez-plan.yaml"),
        "--out",
        str(tmp_path),
        "--json",
        "--now",
        "2026-11-26T10:00:00-08:00",
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["case_id"] == "NW-2026-00187"
    assert plan["compliance"]["callable_now"] is True
    assert "call script:" in result.stderr


def test_case_from_stdin_writes_the_script_into_out(tmp_path: Path) -> None:
    result = prep("-", "--out", str(tmp_path), "--json", input=BASE_CASE)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["case_id"] == "T-0001"
    assert (tmp_path / "T-0001.script.md").exists()


def test_bad_case_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BASE_CASE.replace("currency: USD", "currency: ZZZ"))
    result = prep(str(bad), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    # SPEC §5: file:line:col: field.path: message, nothing before it
    assert result.stderr.startswith(f"{bad}:3:11: currency: unknown or unsupported currency 'ZZZ'")
    assert not (tmp_path / "out").exists()


def test_bad_rules_file_is_located(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("plans:\n  max_months: many\n")
    result = prep(str(EXAMPLES / "uk-gbp.yaml"), "--rules", str(rules), "--out", str(tmp_path))
    assert result.exit_code == 1
    assert f"{rules}:2:15: plans.max_months:" in result.output


def test_now_needs_an_offset() -> None:
    result = prep(str(EXAMPLES / "uk-gbp.yaml"), "--now", "2026-11-22T10:00")
    assert result.exit_code == 2
    assert "UTC offset" in result.output


def test_the_piped_brief_follows_columns_and_keeps_its_default_width_without(
    tmp_path: Path,
) -> None:
    # A newcomer's `COLUMNS=80 negplan prep ... | cat` printed 100-column lines and rule.
    args = ["prep", str(EXAMPLES / "maria-lopez-plan.yaml"), "--as-of", "2026-11-22",
            "--now", "2026-11-22T10:00:00-08:00", "--out", str(tmp_path)]  # fmt: skip
    narrow = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert narrow.exit_code == 0, narrow.output
    assert "=" * 80 in narrow.stdout.splitlines() and "=" * 81 not in narrow.stdout
    default = runner.invoke(app, args, env={"COLUMNS": None})
    case = load_case(EXAMPLES / "maria-lopez-plan.yaml", AS_OF)
    rules = rules_for_case(load_rules(), None, case.jurisdiction)
    now = datetime.fromisoformat("2026-11-22T10:00:00-08:00")
    content = brief_content(case, plan := build_plan(case, rules, load_tables(), AS_OF, now),
                            objections(case, plan, rules))  # fmt: skip
    brief_80, brief_100 = plain_brief(content, 80), plain_brief(content)
    assert max(len(line) for line in brief_80.splitlines()) == 80
    assert narrow.stdout.startswith(brief_80) and default.stdout.startswith(brief_100)
    assert runner.invoke(app, args, env={"COLUMNS": "wide"}).stdout == default.stdout
