"""Helpers shared by the test modules: the base case, rules with overrides, agreement runs.

Test modules import from here (and from ``tests.golden``), never from one another or from the
conftest, so each test file can be read, run and changed on its own. Fixtures live in
``tests/conftest.py``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner, Result

from negplan.core.case import Case, parse_case
from negplan.core.plan import Plan, build_plan
from negplan.core.rules import Rules
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules
from negplan.io.yaml import deep_merge, parse_yaml
from negplan.shell.app import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

AS_OF = date(2026, 11, 22)

#: The moment of the call for the examples with golden files (UTC), chosen to show a typical
#: state of each.
NOW = {
    # Blocked until 26 November by the 7-day rule: a time-limited block, with the full script.
    "maria-lopez-plan": datetime(2026, 11, 22, 23, 0, tzinfo=timezone.utc),
    # 17:00 in Sacramento, after his working hours: callable with care (time-barred).
    "time-barred": datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc),
    # 18:30 in Leeds, after his shift: clear.
    "uk-gbp": datetime(2026, 11, 22, 18, 30, tzinfo=timezone.utc),
}

#: The moment of the call for an example without its own moment in NOW.
DEFAULT_NOW = datetime(2026, 11, 22, 23, 0, tzinfo=timezone.utc)
#: 11:00 in Los Angeles on the planning date: a lawful moment to call the base case.
BASE_NOW = datetime(2026, 11, 22, 19, 0, tzinfo=timezone.utc)

#: A small, valid US case; tests copy it and change what they are about.
BASE_CASE = textwrap.dedent(
    """\
    case_id: T-0001
    jurisdiction: US-CA
    currency: USD
    creditor: {name: Northwind Lending LLC}
    debtor:
      name: Maria Lopez
      timezone: America/Los_Angeles
      household_size: 3
    debt:
      account_ref: "****4821"
      product: personal_loan
      annual_rate: 0.1499
      balance: {principal: 8123.40, interest: 612.18, fees: 150.00}
      first_delinquency: 2026-06-01
      last_payment: 2026-05-02
    finances:
      income:
        - {source: salary, amount: 3200.00, frequency: monthly}
      expenses:
        - {category: housing, amount: 1450.00}
    """
)

#: Savings enough for a lump-sum settlement (the base case has a surplus of 1,700.00 a month).
SAVER = {
    "income": [{"source": "salary", "amount": "3200.00"}],
    "expenses": [{"category": "housing", "amount": "1450.00"}],
    # 10,500.00 in cash: 9,050.00 above the emergency buffer of one month's 1,450.00 spending.
    "assets": [{"kind": "cash", "value": "10500.00"}],
}

runner = CliRunner()

#: The ``write`` fixture: ``write(text, name="case.yaml")`` writes a file, returns its path.
Writer = Callable[..., Path]


def case_data(**changes: Any) -> Any:
    """The base case as data, with top-level keys replaced."""
    data, _ = parse_yaml(BASE_CASE, "base case")  # Decimal money, as from a file
    data.update(changes)
    return data


def rules_with(**overrides: Any) -> Rules:
    """The packaged default rules with ``overrides`` merged over them key by key.

    ``rules_with(plans={"interest": "contract"})`` changes one value and keeps the rest, as a
    ``--rules`` file would.
    """
    return Rules.model_validate(deep_merge(load_rules().model_dump(mode="python"), overrides))


def plain(value: Any) -> Any:
    """Case data with Decimals as strings, for writing as YAML."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def case_with(**changes: Any) -> dict[str, Any]:
    """The base case as plain data; ``debtor__name="X"`` changes one nested field."""
    data: dict[str, Any] = plain(case_data())
    for key, value in changes.items():
        target = data
        *path, last = key.split("__")
        for part in path:
            target = target.setdefault(part, {})
        target[last] = plain(value)
    return data


def write_case(folder: Path, data: dict[str, Any], name: str = "case.yaml") -> Path:
    """Write case data as a YAML file in ``folder`` and return its path."""
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def agree(*args: str) -> Result:
    """Run ``negplan agreement`` with ``args`` on the test planning date."""
    return runner.invoke(app, ["agreement", *args, "--as-of", AS_OF.isoformat()])


def from_data(
    data: Any, rules: Rules | None = None, now: datetime = BASE_NOW
) -> tuple[Case, Plan, Rules]:
    """Parse case data and plan it with ``rules`` (default: the packaged rules) at ``now``."""
    rules = rules or load_rules()
    case = parse_case(data)
    return case, build_plan(case, rules, load_tables(), AS_OF, now), rules
