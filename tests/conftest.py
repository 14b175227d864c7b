"""Shared test fixtures: small cases written inline, as in the spec."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from negplan.io.yaml import parse_yaml

AS_OF = date(2026, 11, 22)

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


def case_data(**changes: Any) -> Any:
    """The base case as data, with top-level keys replaced."""
    data, _ = parse_yaml(BASE_CASE, "base case")  # Decimal money, as from a file
    data.update(changes)
    return data


@pytest.fixture
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write text to a file in a temporary folder and return its path."""

    def _write(text: str, name: str = "case.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write
