"""Packaged defaults by country (SPEC §6a, issue 13): a UK case is planned in pounds and an Indian
case in rupees without a rules file, so no example needs one just for its currency."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from negplan.io.rules_file import country_rules, load_rules, rules_for_case
from negplan.shell.app import app

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
runner = CliRunner()


@pytest.mark.parametrize(
    ("jurisdiction", "currency"),
    [("US-CA", "USD"), ("GB-ENG", "GBP"), ("GB-SCT", "GBP"), ("IN", "INR"), ("IN-MH", "INR")],
)
def test_without_a_rules_file_the_country_picks_the_defaults(
    jurisdiction: str, currency: str
) -> None:
    assert rules_for_case(load_rules(), None, jurisdiction).currency == currency


def test_the_uk_defaults_use_no_us_spending_guidelines() -> None:
    uk = country_rules("GB")
    assert uk.affordability.guidelines is None  # IRS figures are not pounds
    assert uk.plans.token_payment < load_rules().plans.token_payment
    assert uk.settlement.floors == load_rules().settlement.floors  # the rest is the base


def test_a_rules_file_wins_over_the_country_defaults() -> None:
    mine = load_rules(EXAMPLES / "rules-override.yaml")
    assert rules_for_case(mine, EXAMPLES / "rules-override.yaml", "GB-ENG") is mine


@pytest.mark.parametrize("name", ["uk-gbp", "india-inr"])
def test_prep_warns_of_no_currency_mismatch_without_a_rules_file(name: str, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["prep", str(EXAMPLES / f"{name}.yaml"), "--out", str(tmp_path), "--as-of", "2026-11-22"],
    )
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    assert "rules for" not in result.stderr


def test_batch_plans_uk_and_indian_cases_in_their_own_currency(tmp_path: Path) -> None:
    """Before, a batch of the examples warned that GBP and INR cases were planned in USD rules."""
    folder = tmp_path / "cases"
    folder.mkdir()
    for name in ("uk-gbp", "india-inr", "full-pay-now"):
        (folder / f"{name}.yaml").write_text(
            (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"), encoding="utf-8"
        )
    out = tmp_path / "out"
    args = ["batch", str(folder), "--out", str(out), "--jobs", "1", "--as-of", "2026-11-22"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "rules written in" not in result.output
    usd = tmp_path / "usd.yaml"
    usd.write_text("currency: USD\n", encoding="utf-8")
    mismatch = runner.invoke(
        app, [*args[:3], str(tmp_path / "out2"), *args[4:], "--rules", str(usd)]
    )
    assert "1 case(s) in GBP were planned with rules written in USD" in mismatch.output
    assert "1 case(s) in INR were planned with rules written in USD" in mismatch.output
