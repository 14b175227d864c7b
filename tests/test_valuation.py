"""What a promise is worth (SPEC §4, §4a): present values and annuities cross-checked against
numpy-financial (independent code); the continuous break hazard, its month and track-record
factors; recovery through the BATNA when a promise breaks; litigation capped by what a judgment
could reach — each worked by hand."""

from __future__ import annotations

from decimal import Decimal as D

import numpy_financial as npf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from negplan.core.affordability import assess_affordability
from negplan.core.alternatives import Fallback, judgment_reach, value_alternatives
from negplan.core.case import parse_case
from negplan.core.rules import Value
from negplan.core.valuation import (
    Valuer,
    annuity_payment,
    burden_hazard,
    month_factor,
    present_value,
    promise_value,
    track_record_factor,
)
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules
from tests.helpers import AS_OF, case_data, rules_with

VALUE = load_rules().value  # annual_discount_rate 0.10


@given(
    amount=st.decimals(min_value=D("0.01"), max_value=D("1000000"), places=2),
    month=st.integers(min_value=0, max_value=120),
)
def test_present_value_matches_numpy_financial(amount: D, month: int) -> None:
    expected = -npf.pv(0.10 / 12, month, 0, float(amount))
    assert float(present_value(amount, month, VALUE)) == pytest.approx(expected, rel=1e-12)


@given(
    principal=st.decimals(min_value=D("100"), max_value=D("500000"), places=2),
    rate=st.decimals(min_value=D("0.0001"), max_value=D("0.36"), places=4),
    months=st.integers(min_value=1, max_value=120),
)
def test_annuity_payment_matches_numpy_financial(principal: D, rate: D, months: int) -> None:
    expected = -npf.pmt(float(rate) / 12, months, float(principal))
    assert float(annuity_payment(principal, rate, months)) == pytest.approx(expected, rel=1e-9)


def test_annuity_without_interest_is_principal_over_months() -> None:
    assert annuity_payment(D("1200"), D("0"), 12) == D("100")


def plain_value(**changes: object) -> Value:
    """The default value rules with some keys replaced."""
    return Value.model_validate({**VALUE.model_dump(mode="python"), **changes})


#: No break hazard, no honour discount: a promise is then a plain annuity.
CERTAIN = plain_value(
    lump_sum_honor_rate="1",
    monthly_break_hazard=[{"burden": "0", "hazard": "0"}],
)
D_MONTH = D(1) + D("0.10") / 12


def valuer(value: Value, balance: str = "1000", fallback: object = None) -> Valuer:
    fall = fallback if fallback is not None else (lambda amount: D(0))
    return Valuer(value, D(balance), D(1), fall)  # type: ignore[arg-type]


def test_a_certain_level_plan_is_an_annuity_present_value() -> None:
    value = promise_value([D("100")] * 24, D("0.5"), valuer(CERTAIN, "2400"))
    expected = -npf.pv(0.10 / 12, 24, 100)  # ordinary annuity: first payment in month 1
    assert float(value) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("burden", "hazard"),
    [
        (D("0"), "0.02"),  # flat below the first point
        (D("0.50"), "0.02"),
        (D("0.65"), "0.03"),  # halfway from 0.50 (0.02) to 0.80 (0.04)
        (D("0.80"), "0.04"),
        (D("0.90"), "0.055"),  # halfway from 0.80 (0.04) to 1.00 (0.07)
        (D("1.00"), "0.07"),
        (D("1.125"), "0.16"),  # halfway from 1.00 (0.07) to 1.25 (0.25)
        (D("3"), "0.25"),  # flat beyond the last point
        (None, "0.25"),  # no surplus at all
    ],
)
def test_break_hazard_is_linear_between_the_points(burden: D | None, hazard: str) -> None:
    assert burden_hazard(burden, VALUE) == D(hazard)


@given(st.decimals(min_value=D("0"), max_value=D("2"), places=4))
def test_break_hazard_is_continuous_and_never_falls_with_the_burden(burden: D) -> None:
    """No step: a cent more a month never jumps the hazard (issue 12: 240.32 = 0.800 × 300.40)."""
    step = D("0.0001")
    here, there = burden_hazard(burden, VALUE), burden_hazard(burden + step, VALUE)
    assert here <= there <= here + D("0.72") * step * 10  # steepest slope 0.72 per unit


def test_month_and_track_record_factors() -> None:
    assert [month_factor(t, VALUE) for t in (1, 3, 4, 6, 7, 36)] == [
        D("1.50"),
        D("1.50"),
        D("1.00"),
        D("1.00"),
        D("0.80"),
        D("0.80"),
    ]
    kept = {"date": "2025-01-01", "terms": "x", "outcome": "kept"}
    broken = {**kept, "outcome": "broken_promise"}
    assert track_record_factor(parse_case(case_data()), VALUE) == D(1)
    two_broken = parse_case(case_data(previous_negotiations=[broken, broken]))
    assert track_record_factor(two_broken, VALUE) == D("1.50")  # 1 + 2 × 0.25
    many_kept = parse_case(case_data(previous_negotiations=[kept] * 5))
    assert track_record_factor(many_kept, VALUE) == D("0.70")  # 1 − 0.5, floored at 0.70


def test_recovery_on_break_by_hand() -> None:
    """A 3-month plan of 100 on a 1,000 balance; hazard 0.04 at burden 0.8, × 1.5 in months
    1–3 = 0.06; first payment honoured at 0.90; a break falls back on a BATNA worth 30% of the
    unpaid balance. SPEC §4a, written out."""
    h = D("0.04") * D("1.50")
    alive = [D(1), D("0.90"), D("0.90") * (1 - h), D("0.90") * (1 - h) ** 2]
    unpaid = [D(1000), D(900), D(800)]
    paid = sum((alive[t] * 100 / D_MONTH**t for t in (1, 2, 3)), D(0))
    recovered = sum(
        ((alive[t - 1] - alive[t]) * D("0.30") * unpaid[t - 1] / D_MONTH**t for t in (1, 2, 3)),
        D(0),
    )
    by_hand = paid + recovered
    got = promise_value([D(100)] * 3, D("0.8"), valuer(VALUE, "1000", lambda u: D("0.30") * u))
    assert abs(got - by_hand) < D("1e-20")
    # Cross-check the discounting with numpy-financial: each month's cash flow, as npv.
    flows = [0.0] + [
        float(alive[t] * 100 + (alive[t - 1] - alive[t]) * D("0.30") * unpaid[t - 1])
        for t in (1, 2, 3)
    ]
    assert float(got) == pytest.approx(npf.npv(0.10 / 12, flows), rel=1e-12)
    # Without the fallback a broken plan would be worth nothing: the recovery is what it adds.
    bare = promise_value([D(100)] * 3, D("0.8"), valuer(VALUE, "1000"))
    assert abs((got - bare) - recovered) < D("1e-20") and recovered > 0


def test_a_lump_sum_falls_back_on_the_batna_when_it_is_not_paid() -> None:
    got = promise_value([D("1000")], None, valuer(VALUE, "1000", lambda u: D("200")))
    assert got == (D("0.90") * 1000 + D("0.10") * 200) / D_MONTH


def test_a_down_payment_is_certain_and_lowers_the_balance_a_break_falls_back_on() -> None:
    fall = lambda u: D("0.5") * u  # noqa: E731
    got = promise_value([D(100)], None, valuer(VALUE, "1000", fall), down_payment=D("300"))
    by_hand = D(300) + (D("0.90") * 100 + D("0.10") * D("0.5") * 700) / D_MONTH
    assert abs(got - by_hand) < D("1e-20")


# ----------------------------------------------------------------------------- litigation


def test_litigation_reach_cap_by_hand() -> None:
    """Texas bars wage garnishment for consumer debt (Tex. Prop. Code § 42.001(b)(1)): a
    judgment reaches only non-exempt assets, so a 20,000 balance recovers what savings hold."""
    finances = {
        "income": [{"source": "salary", "amount": "4000.00"}],
        "expenses": [{"category": "housing", "amount": "1000.00"}],
        "assets": [
            {"kind": "savings", "value": "1500.00"},
            {"kind": "vehicle", "value": "9000.00"},  # exempt (motor-vehicle exemption)
            {"kind": "retirement", "value": "50000.00"},  # protected
        ],
    }
    debt = {**case_data()["debt"], "balance": {"principal": "20000.00"}}
    rules = load_rules()
    for code, wages in (("US-TX", D("0.00")), ("US-CA", D("800.00"))):
        case = parse_case(case_data(jurisdiction=code, finances=finances, debt=debt))
        afford = assess_affordability(case, rules)
        reach = judgment_reach(case, rules, load_tables(), afford)
        # Federal: min(25% × 4,000, 4,000 − 217.50 × 52/12 = 3,057.50) = 1,000; California
        # 20% × 4,000 = 800 tightens it; Texas: none.
        assert (reach.assets, reach.monthly_wages) == (D("1500.00"), wages)
        assert reach.total == D("1500.00") + wages * 24
        alternatives, _ = value_alternatives(
            case, rules, load_tables(), afford, AS_OF, time_barred=False
        )
        litigation = next(a for a in alternatives if a.kind == "litigation")
        collected = min(D("0.45") * D("20000"), reach.total or D(0))  # 9,000 uncapped
        recovery = (D("0.80") * collected).quantize(D("0.01"))
        received = (recovery / D_MONTH**14).quantize(D("0.01"))
        assert litigation.value == received - D("1200.00")  # costs at filing, undiscounted
        assert float(received) == pytest.approx(
            -npf.pv(0.10 / 12, 14, 0, float(recovery)), abs=0.006
        )
    texas = parse_case(case_data(jurisdiction="US-TX", finances=finances, debt=debt))
    reach = judgment_reach(texas, rules, load_tables(), assess_affordability(texas, rules))
    assert "42.001" in reach.source and "1673" in reach.source


def test_every_garnishment_row_cites_its_source() -> None:
    rows = load_tables().garnishment
    assert {"US", "US-PA", "US-TX", "US-NC", "US-SC"} <= set(rows)
    assert rows["US"].max_share == D("0.25") and rows["US"].protected_weekly == D("217.50")
    for code in ("US-PA", "US-TX", "US-NC", "US-SC"):
        assert not rows[code].consumer_wages
    for row in rows.values():
        assert "§" in row.source or "CPLR" in row.source or "ILCS" in row.source


def test_a_collection_agency_has_only_what_its_client_allows() -> None:
    creditor = {**case_data()["creditor"], "kind": "collection_agency"}
    case = parse_case(case_data(creditor=creditor))
    rules = load_rules()
    afford = assess_affordability(case, rules)
    tables = load_tables()
    alternatives, _ = value_alternatives(case, rules, tables, afford, AS_OF, time_barred=False)
    available = {a.kind for a in alternatives if a.available}
    assert available == {"write_off"}  # no no_deal: the account goes back to the client
    allowed = parse_case(
        case_data(creditor=creditor, no_deal={"actions": ["litigation", "debt_sale"]})
    )
    alternatives, _ = value_alternatives(allowed, rules, tables, afford, AS_OF, time_barred=False)
    sale = next(a for a in alternatives if a.kind == "debt_sale")
    assert not sale.available and "does not own" in sale.reason
    assert {a.kind for a in alternatives if a.available} == {"litigation", "write_off"}


def test_agency_recovery_falls_with_age_and_sale_waits_for_charge_off() -> None:
    rules = load_rules()
    tables = load_tables()

    def alternatives(**debt: object) -> dict[str, object]:
        case = parse_case(case_data(debt={**case_data()["debt"], **debt}))
        found, _ = value_alternatives(
            case, rules, tables, assess_affordability(case, rules), AS_OF, time_barred=False
        )
        return {a.kind: a.value for a in found}

    fresh = alternatives()  # 174 days past delinquency: 0.30
    old = alternatives(first_delinquency="2024-06-01", last_payment="2024-05-01")  # > 730: 0.05
    assert fresh["agency"] > old["agency"]  # type: ignore[operator]
    assert fresh["debt_sale"] is None  # not charged off
    charged = alternatives(charged_off="2026-07-01")
    assert charged["debt_sale"] == (D("0.12") * D("8885.58")).quantize(D("0.01"))
    early = rules_with(alternatives={"debt_sale": {"before_charge_off": True}})
    case = parse_case(case_data())
    found, _ = value_alternatives(
        case, early, tables, assess_affordability(case, early), AS_OF, time_barred=False
    )
    assert next(a for a in found if a.kind == "debt_sale").available


def test_the_fallback_values_the_batna_on_the_unpaid_balance() -> None:
    case = parse_case(case_data())
    rules = load_rules()
    afford = assess_affordability(case, rules)
    alternatives, fallback = value_alternatives(
        case, rules, load_tables(), afford, AS_OF, time_barred=False
    )
    assert isinstance(fallback, Fallback)
    best = max(a.value for a in alternatives if a.available and a.value is not None)
    assert abs(fallback(case.balance) - best) < D("0.01")  # unrounded; the BATNA is rounded
    assert fallback(D("1000.00")) < best  # less unpaid, less to recover
    assert fallback(D("0")) == D("0")
