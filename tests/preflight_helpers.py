"""Helpers for the pre-flight tests: a clean case in any jurisdiction, local moments, one run.

Shared by ``test_compliance`` and ``test_compliance_places`` so neither imports the other.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from negplan.core.case import Case, parse_case
from negplan.core.compliance import Preflight, limitation_status, preflight
from negplan.core.compliance.overrides import ComplianceOverrides
from negplan.core.rules import Rules
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules

ZONES = {
    "US": "America/New_York",
    "US-NY": "America/New_York",
    "US-CA": "America/Los_Angeles",
    "US-MA": "America/New_York",
    "US-MS": "America/Chicago",
    "US-TX": "America/Chicago",
    "GB": "Europe/London",
    "GB-ENG": "Europe/London",
    "GB-SCT": "Europe/London",
    "GB-NIR": "Europe/London",
    "IN": "Asia/Kolkata",
    "IN-MH": "Asia/Kolkata",
}
CURRENCY = {"US": "USD", "GB": "GBP", "IN": "INR"}


def make_case(jurisdiction: str = "US-NY", **changes: Any) -> Case:
    """A clean case in ``jurisdiction``; ``changes`` are merged into the top-level sections."""
    data: dict[str, Any] = {
        "case_id": "T-0001",
        "jurisdiction": jurisdiction,
        "currency": CURRENCY[jurisdiction[:2]],
        "creditor": {"name": "Northwind Lending", "is_third_party_collector": False},
        "debtor": {"name": "Maria Lopez", "timezone": ZONES[jurisdiction]},
        "debt": {
            "account_ref": "****4821",
            "product": "personal_loan",
            "balance": {"principal": "8000.00", "interest": "600.00", "fees": "150.00"},
            "first_delinquency": "2026-06-01",
            "last_payment": "2026-05-02",
            "validation_notice_sent": "2026-06-10",
        },
    }
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return parse_case(data)


def local(text: str, zone: str) -> datetime:
    """An aware moment from local wall-clock text, e.g. ``local("2026-11-20 08:00", "...")``."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def run(case: Case, now: datetime, rules: Rules | None = None) -> Preflight:
    rules = rules or load_rules()
    return preflight(
        case, rules, load_tables(), now, limitation_status(case, rules, load_tables(), now.date())
    )


def levels(result: Preflight, check: str) -> list[str]:
    return [f.level for f in result.findings if f.check == check]


def finding(result: Preflight, check: str) -> Any:
    found = [f for f in result.findings if f.check == check]
    assert len(found) == 1, result.findings
    return found[0]


def with_overrides(data: dict[str, Any]) -> Rules:
    rules = load_rules()
    return rules.model_copy(update={"compliance": ComplianceOverrides.model_validate(data)})
