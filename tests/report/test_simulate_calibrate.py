"""``simulate`` plays a stated model forward; ``calibrate`` must recover the rates it was given.

The portfolio is the shipped examples, each played as many accounts (``--copies``), under rules
whose honour rate and break hazards are known. Every figure ``calibrate`` fits must hold the
true value inside its stated 95% interval. The seed is fixed, so the test is deterministic.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from typer.testing import CliRunner

from negplan.shell.app import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()
# Flat within each calibration band (burdens up to 0.5; 0.5 to 1.0; above 1.25), a ramp between
# 1.0 and 1.25 whose band has no single true value, and no month factor.
KNOWN = """\
value:
  lump_sum_honor_rate: 0.75
  monthly_break_hazard:
    - {burden: 0.50, hazard: 0.04}
    - {burden: 1.00, hazard: 0.04}
    - {burden: 1.25, hazard: 0.30}
    - {burden: 2.00, hazard: 0.30}
  hazard_month_factors:
    - {max_month: null, factor: 1.0}
"""
TRUE_HONOUR = 0.75
TRUE_HAZARDS: list[float | None] = [0.04, 0.04, None, 0.30]
TRUE = {"honour": TRUE_HONOUR, "hazards": TRUE_HAZARDS}
INTERVAL = re.compile(r"95% Wilson interval ([0-9.]+) to ([0-9.]+)")


def portfolio(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        if not example.name.startswith("rules-"):
            shutil.copy(example, folder / example.name)
    return folder


def test_calibrate_recovers_the_simulated_rates(tmp_path: Path) -> None:
    rules = tmp_path / "known.yaml"
    rules.write_text(KNOWN)
    ledger = str(tmp_path / "sim.db")
    played = runner.invoke(
        app,
        ["simulate", str(portfolio(tmp_path)), "--months", "18", "--seed", "4",
         "--start", "2026-12-01", "--copies", "150", "--rules", str(rules), "--ledger", ledger],
    )  # fmt: skip
    assert played.exit_code == 0, played.output
    assert "1500 account(s)" in played.output
    out = tmp_path / "calibrated.yaml"
    result = runner.invoke(
        app,
        ["calibrate", "--as-of", "2028-06-01", "--rules", str(rules), "--ledger", ledger,
         "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = out.read_text()
    override = yaml.safe_load(text)["value"]
    honour_line = next(line for line in text.splitlines() if "lump_sum_honor_rate: too" in line
                       or ("was " in line and "burden" not in line))  # fmt: skip
    low, high = (float(x) for x in INTERVAL.search(honour_line).groups())  # type: ignore[union-attr]
    honour = TRUE_HONOUR
    assert low <= honour <= high, honour_line
    assert abs(override["lump_sum_honor_rate"] - TRUE["honour"]) < 0.05
    band_lines = [line for line in text.splitlines() if line.startswith("    # burden")]
    assert len(band_lines) == 4
    checked = 0
    for line, truth, row in zip(
        band_lines, TRUE_HAZARDS, override["monthly_break_hazard"], strict=True
    ):
        found = INTERVAL.search(line)
        if truth is None or found is None:  # a ramp, or too little data (said, not fitted)
            assert found is not None or "too little data" in line
            continue
        low, high = (float(x) for x in found.groups())
        assert low <= truth <= high, line
        assert low <= row["hazard"] <= high
        checked += 1
    assert checked >= 2
    # The override is a valid rules file negplan accepts as --rules.
    check = runner.invoke(app, ["rules", "--rules", str(out)])
    assert check.exit_code == 0, check.output


def test_too_little_data_is_said_not_fitted(tmp_path: Path) -> None:
    ledger = str(tmp_path / "small.db")
    folder = portfolio(tmp_path)
    played = runner.invoke(
        app,
        ["simulate", str(folder), "--months", "6", "--seed", "1", "--start", "2026-12-01",
         "--ledger", ledger],
    )  # fmt: skip
    assert played.exit_code == 0, played.output
    result = runner.invoke(app, ["calibrate", "--as-of", "2027-06-01", "--ledger", ledger])
    assert result.exit_code == 0, result.output
    assert "too little data" in result.output
    override = yaml.safe_load(result.output)["value"]
    assert override["lump_sum_honor_rate"] == 0.9  # the current rule, not fitted from a handful


def test_simulate_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    folder = portfolio(tmp_path)
    exports = []
    for name in ("one", "two"):
        ledger = str(tmp_path / f"{name}.db")
        args = ["simulate", str(folder), "--months", "6", "--seed", "9", "--start",
                "2026-12-01", "--copies", "3", "--ledger", ledger]  # fmt: skip
        assert runner.invoke(app, args).exit_code == 0
        exported = runner.invoke(app, ["ledger", "export", "--ledger", ledger])
        assert exported.exit_code == 0, exported.output
        exports.append(exported.output)
    assert exports[0] == exports[1] and exports[0].count("\n") > 100
    other = str(tmp_path / "other.db")
    args = ["simulate", str(folder), "--months", "6", "--seed", "10", "--start", "2026-12-01",
            "--copies", "3", "--ledger", other]  # fmt: skip
    assert runner.invoke(app, args).exit_code == 0
    assert runner.invoke(app, ["ledger", "export", "--ledger", other]).output != exports[0]
