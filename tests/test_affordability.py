"""SPEC §4 affordability, worked by hand from the formulas (not by calling the code)."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from negplan.core.affordability import assess_affordability
from negplan.core.case import parse_case
from negplan.core.rules import Rules
from negplan.io.rules_file import load_rules
from tests.helpers import case_data, rules_with

FINANCES: dict[str, Any] = {
    "income": [
        {"source": "salary", "amount": "3200.00", "frequency": "monthly"},
        {"source": "delivery driving", "amount": "150.00", "frequency": "weekly"},  # 650.00
    ],
    "expenses": [
        {"category": "housing", "amount": "1450.00"},
        {"category": "food", "amount": "1100.00"},  # guideline for 3 people: 1068
        {"category": "dining_out", "amount": "100.00"},  # not essential
    ],
    "debts": [
        {"creditor": "Visa", "balance": "4200.00", "payment": "120.00", "priority": False},
        {"creditor": "County tax", "balance": "900.00", "payment": "75.00", "priority": True},
    ],
    "assets": [
        {"kind": "cash", "value": "900.00"},
        {"kind": "vehicle", "value": "6000.00", "secured_debt": "2000.00"},
    ],
}


def assess(rules: Rules | None = None, **finances: Any):  # type: ignore[no-untyped-def]
    case = parse_case(case_data(finances={**FINANCES, **finances}))
    return assess_affordability(case, rules or load_rules())


def test_after_other_debts_with_flagged_spending() -> None:
    a = assess()
    # income 3200 + 150 × 52/12 = 3850; essential 1450 + 1100; priority 75
    assert a.income == D("3850.00")
    assert a.essential_expenses == D("2550.00")
    assert a.priority_payments == D("75.00")
    assert a.surplus == D("1225.00")  # 3850 − 2550 − 75
    assert a.contingency == D("50.00")  # min(0.10 × 1225, 50)
    assert a.affordable_monthly == D("1055.00")  # 1225 − 50 − 120 (Visa)
    # liquid: cash only, less the emergency buffer of one month's essential spending (2550.00)
    assert a.emergency_buffer == D("900.00")
    assert a.lump_sum_capacity == D("0.00")
    assert a.collection_potential == D("12660.00")  # 0 + 1055 × 12
    assert a.capacity == "full_by_plan"  # 1055 × 36 ≥ 8885.58
    assert any(
        f.startswith("food: 1,100.00 USD a month is above the guideline of 1,068.00")
        for f in a.flags
    )
    assert any(f.startswith("dining_out: 100.00 USD") for f in a.flags)


def test_cap_method_allows_only_the_guideline() -> None:
    a = assess(rules_with(affordability={"guideline_method": "cap"}))
    assert a.essential_expenses == D("2518.00")  # 1450 + 1068
    assert a.affordable_monthly == D("1087.00")  # 3850 − 2518 − 75 − 50 − 120


def test_pro_rata_shares_the_surplus_by_balance() -> None:
    a = assess(rules_with(affordability={"allocation": "pro_rata"}))
    balance = D("8885.58")
    expected = (D("1225") - D("50")) * balance / (balance + D("4200.00"))  # Visa is unsecured
    assert a.affordable_monthly == expected.quantize(D("0.01"), rounding="ROUND_FLOOR")
    assert a.affordable_monthly == D("797.86")


def test_equity_counts_quick_sale_value_less_secured_debt() -> None:
    a = assess(rules_with(affordability={"count_assets": "equity"}))
    # cash 900 all kept as the buffer; + (0.80 × 6000 − 2000) quick-sale equity
    assert a.lump_sum_capacity == D("2800.00")


def test_contingency_is_nothing_without_a_surplus() -> None:
    a = assess(
        income=[{"source": "benefits", "amount": "1000.00"}],
        expenses=[{"category": "housing", "amount": "1200.00"}],
        debts=[],
        assets=[],
    )
    assert a.surplus == D("-200.00")
    assert a.contingency == D("0.00")
    assert a.affordable_monthly == D("0.00")
    assert a.capacity == "none"


def test_full_now_when_savings_cover_the_balance() -> None:
    a = assess(assets=[{"kind": "savings", "value": "11500.00"}])
    assert a.lump_sum_capacity == D("8950.00")  # 11500 − one month's essential spending 2550
    assert a.capacity == "full_now"


def test_partial_when_a_plan_cannot_clear_it() -> None:
    a = assess(
        income=[{"source": "pension", "amount": "1800.00"}],
        expenses=[{"category": "housing", "amount": "1500.00"}],
        debts=[],
        assets=[],
    )
    # surplus 300, contingency 30 → 270; 270 × 36 = 9720 ≥ 8885.58 → still full by plan
    assert a.affordable_monthly == D("270.00")
    assert a.capacity == "full_by_plan"
    a = assess(
        income=[{"source": "pension", "amount": "1700.00"}],
        expenses=[{"category": "housing", "amount": "1500.00"}],
        debts=[],
        assets=[],
    )
    # surplus 200, contingency 20 → 180; 180 × 36 = 6480 < 8885.58 → partial
    assert a.affordable_monthly == D("180.00")
    assert a.capacity == "partial"


@pytest.mark.parametrize(
    ("frequency", "monthly"),
    [
        ("biweekly", "1300.00"),
        ("semimonthly", "1200.00"),
        ("quarterly", "200.00"),
        ("annually", "50.00"),
    ],
)
def test_every_frequency_is_normalised(frequency: str, monthly: str) -> None:
    a = assess(income=[{"source": "x", "amount": "600.00", "frequency": frequency}])
    assert a.income == D(monthly)
