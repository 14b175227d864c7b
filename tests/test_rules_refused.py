"""A loosening override the law refuses is said wherever the rules are shown (issue 13).

A US call window of 07:00–22:00 showed as in effect in ``negplan rules``, and the brief said "No
compliance findings"; only the JSON said "ignored".
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from negplan.core.compliance.overrides import ComplianceOverrides
from negplan.core.compliance.profiles import refused_overrides
from negplan.io.packaged import load_tables
from negplan.shell.app import app

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
LOOSE = """\
compliance:
  profiles:
    US: {call_window: {start: "07:00", end: "22:00"}}
    US-MA: {max_calls_in_7_days: 5}
    GB: {max_calls_in_7_days: 3}
"""
runner = CliRunner()


def loose_rules(tmp_path: Path) -> Path:
    path = tmp_path / "loose.yaml"
    path.write_text(LOOSE, encoding="utf-8")
    return path


def test_each_refused_override_is_listed_once() -> None:
    overrides = ComplianceOverrides.model_validate(
        {"profiles": {"US": {"call_window": {"start": "07:00", "end": "22:00"}}}}
    )
    refused = refused_overrides(overrides, load_tables().profile)
    assert len(refused) == 1
    assert "07:00–22:00 ignored" in refused[0]
    tighter = ComplianceOverrides.model_validate({"profiles": {"GB": {"max_calls_in_7_days": 3}}})
    assert refused_overrides(tighter, load_tables().profile) == []


def test_negplan_rules_says_what_it_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "--rules", str(loose_rules(tmp_path))])
    assert result.exit_code == 0, result.output
    header = result.stdout.split("\ncurrency:", 1)[0]
    assert "REFUSED" in header
    assert "call_window 07:00–22:00 ignored" in header
    assert "max_calls_in_7_days: 5 ignored" in header  # Massachusetts allows 2 (940 CMR 7.04)
    assert "GB" not in header  # a tighter override is not refused


def test_negplan_validate_says_what_it_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(loose_rules(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "2 override(s) REFUSED" in result.stdout
    assert "call_window 07:00–22:00 ignored" in result.stdout


def test_the_brief_shows_a_refused_override(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "prep",
            str(EXAMPLES / "full-pay-now.yaml"),
            "--rules",
            str(loose_rules(tmp_path)),
            "--out",
            str(tmp_path),
            "--as-of",
            "2026-11-22",
            "--now",
            "2026-11-23T20:00:00+00:00",
        ],
    )
    assert result.exit_code == 0, result.output
    verdict = result.stdout.split("\n==", 2)[1]
    assert "call_window 07:00–22:00 ignored" in verdict
    assert "Every pre-flight check passed" not in result.stdout
