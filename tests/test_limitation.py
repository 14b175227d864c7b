"""Limitation periods (SPEC §6): by state and contract type, counted from the later of the last
payment and the first delinquency, overridable in the rules."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from negplan.core.case import Case, ContractType, parse_case
from negplan.core.compliance import Limitation, limitation_status
from negplan.core.compliance.overrides import ComplianceOverrides
from negplan.core.rules import Rules
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules
from negplan.jurisdictions import US_STATES

CURRENCY = {"US": "USD", "GB": "GBP", "IN": "INR"}
ZONE = {"US": "America/New_York", "GB": "Europe/London", "IN": "Asia/Kolkata"}


def debt_case(
    jurisdiction: str,
    first_delinquency: str,
    last_payment: str | None = None,
    contract: str = "written",
) -> Case:
    country = jurisdiction[:2]
    debt: dict[str, Any] = {
        "account_ref": "A-1",
        "product": "credit_card",
        "balance": {"principal": "1000.00"},
        "first_delinquency": first_delinquency,
        "last_payment": last_payment,
        "contract": contract,
    }
    return parse_case(
        {
            "case_id": "L-1",
            "jurisdiction": jurisdiction,
            "currency": CURRENCY[country],
            "creditor": {"name": "Northwind"},
            "debtor": {"name": "Maria", "timezone": ZONE[country]},
            "debt": debt,
        }
    )


def status(case: Case, as_of: str, rules: Rules | None = None) -> Limitation:
    return limitation_status(case, rules or load_rules(), load_tables(), date.fromisoformat(as_of))


def overrides(limitation_years: dict[str, Any]) -> Rules:
    compliance = ComplianceOverrides.model_validate({"limitation_years": limitation_years})
    return load_rules().model_copy(update={"compliance": compliance})


@pytest.mark.parametrize(
    ("jurisdiction", "contract", "years"),
    [
        ("US-CA", "written", 4),
        ("US-CA", "oral", 2),
        ("US-CA", "open_account", 4),
        ("US-AZ", "written", 6),
        ("US-AZ", "open_account", 3),
        ("US-MD", "promissory_note", 6),
        ("US-NV", "promissory_note", 3),
        ("US-KY", "written", 15),
        ("US-NY", "written", 3),  # CPLR 214-i, not the older tables' 6
        ("US-OH", "oral", 4),  # Ohio SB 13
        ("GB-ENG", "written", 6),
        ("GB-WLS", "oral", 6),
        ("GB-NIR", "written", 6),
        ("GB-SCT", "written", 5),
        ("IN", "written", 3),
        ("IN-MH", "open_account", 3),
    ],
)
def test_period_by_jurisdiction_and_contract_type(
    jurisdiction: str, contract: str, years: int
) -> None:
    result = status(debt_case(jurisdiction, "2026-01-10", contract=contract), "2026-11-22")
    assert result.years == years
    assert result.expires == date(2026 + years, 1, 10)
    assert not result.time_barred


def test_counted_from_the_later_of_last_payment_and_first_delinquency() -> None:
    # The usual order: the last payment, then the first missed one.
    usual = status(debt_case("US-CA", "2020-06-01", "2020-05-02"), "2026-11-22")
    assert usual.counted_from == date(2020, 6, 1)
    assert usual.expires == date(2024, 6, 1)
    # A payment made after the delinquency restarts the period.
    restarted = status(debt_case("US-CA", "2020-06-01", "2023-02-15"), "2026-11-22")
    assert restarted.counted_from == date(2023, 2, 15)
    assert restarted.expires == date(2027, 2, 15)
    assert not restarted.time_barred
    # No payment on record: the first delinquency.
    assert status(debt_case("US-CA", "2020-06-01"), "2026-11-22").counted_from == date(2020, 6, 1)


@pytest.mark.parametrize(
    ("as_of", "time_barred"),
    [
        ("2024-05-31", False),
        ("2024-06-01", False),  # the anniversary: the last day a suit could be filed
        ("2024-06-02", True),
    ],
)
def test_the_boundary_day(as_of: str, time_barred: bool) -> None:
    result = status(debt_case("US-CA", "2020-06-01", "2020-05-02"), as_of)
    assert result.expires == date(2024, 6, 1)
    assert result.time_barred is time_barred
    assert result.reason.startswith("Time-barred" if time_barred else "Not time-barred")


def test_a_leap_day_start_ends_on_the_last_day_of_february() -> None:
    result = status(debt_case("US-NY", "2024-02-29"), "2026-11-22")
    assert result.expires == date(2027, 2, 28)


def test_source_names_the_table_and_its_agreement() -> None:
    result = status(debt_case("US-CA", "2026-01-10"), "2026-11-22")
    assert (
        result.source == "US-CA written: 4 years (us_limitation_periods.csv; all 9 sources agree)"
    )


def test_source_keeps_the_note_where_sources_disagree() -> None:
    result = status(debt_case("US-AK", "2026-01-10"), "2026-11-22")
    assert result.source.startswith("US-AK written: 3 years (us_limitation_periods.csv; written: 3")
    assert "1997" in result.source  # the general caveat on the row


def test_rules_override_the_period_for_the_state() -> None:
    rules = overrides({"US-CA": {"written": 6}})
    result = status(debt_case("US-CA", "2020-06-01"), "2025-11-22", rules)
    assert result.years == 6
    assert not result.time_barred
    assert result.source == "rules override compliance.limitation_years.US-CA.written"
    # Other contract types keep the shipped value.
    assert status(debt_case("US-CA", "2020-06-01", contract="oral"), "2025-11-22", rules).years == 2


def test_the_most_specific_code_wins() -> None:
    rules = overrides({"US": {"written": 10}, "US-TX": {"written": 5}})
    assert status(debt_case("US-TX", "2020-06-01"), "2026-11-22", rules).years == 5
    # A state row in the shipped table is more specific than a country-wide override …
    assert status(debt_case("US-CA", "2020-06-01"), "2026-11-22", rules).years == 4
    # … and the country-wide override fills in where no state is known.
    plain = status(debt_case("US", "2020-06-01"), "2026-11-22", rules)
    assert plain.years == 10
    assert plain.source == "rules override compliance.limitation_years.US.written"


def test_plain_us_has_no_known_period() -> None:
    result = status(debt_case("US", "2010-06-01"), "2026-11-22")
    assert result.years is None
    assert result.expires is None
    assert result.time_barred is False  # unknown, not barred: the pre-flight flags it instead
    assert "names no state" in result.reason


def test_plain_gb_has_no_single_period() -> None:
    result = status(debt_case("GB", "2010-06-01"), "2026-11-22")
    assert result.years is None
    assert "GB-SCT" in result.reason


def test_scotland_prescribes_after_five_years_and_extinguishes_the_debt() -> None:
    result = status(debt_case("GB-SCT", "2021-01-10"), "2026-11-22")
    assert result.years == 5
    assert result.time_barred
    assert result.extinguished_by is not None
    assert "s.6" in result.extinguished_by
    assert "Prescription and Limitation (Scotland) Act 1973 s.6" in result.source


def test_england_six_years_not_yet_run() -> None:
    result = status(debt_case("GB-ENG", "2021-01-10"), "2026-11-22")
    assert result.years == 6
    assert not result.time_barred
    assert result.extinguished_by is None
    assert "Limitation Act 1980 s.5" in result.source


def test_india_three_years() -> None:
    result = status(debt_case("IN-KA", "2023-01-10", "2023-06-30"), "2026-11-22")
    assert result.years == 3
    assert result.counted_from == date(2023, 6, 30)
    assert result.time_barred
    assert "Limitation Act 1963" in result.source


@pytest.mark.parametrize("code", ["US-MS", "US-WI"])
def test_mississippi_and_wisconsin_extinguish_the_debt(code: str) -> None:
    barred = status(debt_case(code, "2010-01-10"), "2026-11-22")
    assert barred.time_barred
    assert barred.extinguished_by is not None
    assert "extinguishes the debt itself" in barred.reason
    assert status(debt_case(code, "2026-01-10"), "2026-11-22").extinguished_by is None


def test_new_york_payments_do_not_revive_the_period() -> None:
    result = status(debt_case("US-NY", "2021-06-01", "2023-02-15"), "2026-11-22")
    assert result.counted_from == date(2021, 6, 1)
    assert result.time_barred
    assert "CPLR 214-i" in result.source


def test_the_us_table_covers_every_state_and_dc_for_every_contract_type() -> None:
    table = load_tables().us_limitation
    assert set(table) == {f"US-{state}" for state in US_STATES}
    for code, periods in table.items():
        assert set(periods) == {c.value for c in ContractType}, code
        assert all(0 < p.years <= 20 for p in periods.values()), code
