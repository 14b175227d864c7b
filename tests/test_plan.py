"""SPEC §4 worked by hand: BATNA, minimum terms, ZOPA, options, recommendation, ladder.

The base case (tests/conftest.py): balance 8,885.58 USD, 174 days past due on 2026-11-22,
income 3,200.00, housing 1,450.00, no other debts, no savings. So: surplus 1,750.00,
contingency 50.00, affordable 1,700.00 a month, lump-sum capacity 0, capacity full_by_plan.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from decimal import ROUND_CEILING
from decimal import Decimal as D
from typing import Any

import pytest

from negplan.core.case import parse_case
from negplan.core.plan import Plan, build_plan
from negplan.core.rules import Rules
from negplan.core.valuation import promise_value
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules
from negplan.shell.plan_json import dumps, plan_json
from tests.helpers import AS_OF, case_data, rules_with

NOW = datetime(2026, 11, 22, 19, 0, tzinfo=timezone.utc)  # 11:00 in Los Angeles
BALANCE = D("8885.58")
MONTH = D(1) + D("0.10") / 12  # one month's discount factor


def up(x: D) -> D:
    return x.quantize(D("0.01"), rounding=ROUND_CEILING)


def cents(x: D) -> D:
    return x.quantize(D("0.01"), rounding="ROUND_HALF_UP")


def plan_for(rules: Rules | None = None, **changes: Any) -> Plan:
    case = parse_case(case_data(**changes))
    return build_plan(case, rules or load_rules(), load_tables(), AS_OF, NOW)


def series(payments: list[D], hazard: D) -> D:
    """Σ p_t × (1 − h)^(t−1) / d^t, written out."""
    return sum((p * (1 - hazard) ** (t - 1) / MONTH**t for t, p in enumerate(payments, 1)), D(0))


def test_days_past_due_and_affordability() -> None:
    plan = plan_for()
    assert plan.days_past_due == 174  # 2026-06-01 → 2026-11-22
    assert plan.affordability.affordable_monthly == D("1700.00")
    assert plan.affordability.lump_sum_capacity == D("0.00")
    assert plan.affordability.capacity == "full_by_plan"


def test_alternatives_valued_in_present_money() -> None:
    plan = plan_for()
    values = {a.kind: a.value for a in plan.alternatives}
    # Litigation (SPEC §4a): 0.45 × balance collected = 3,998.51 (under the reach cap: California
    # garnishes at most 20% of 3,200.00 = 640.00 a month, × 24 months); × 0.80 judgment rate =
    # 3,198.81, received in 14 months; the 1,200.00 court costs are paid at filing, undiscounted.
    received = cents(D("3198.81") / MONTH**14)
    assert values["litigation"] == received - D("1200.00") == D("1647.94")
    # Agency: 0.30 recovered at 174 days past delinquency (recovery_by_days_since_default[0]).
    agency = cents(D("0.30") * BALANCE * (1 - D("0.30")))
    assert agency == D("1865.97")
    assert values["agency"] == cents(agency / MONTH**9) == D("1731.68")
    # Not charged off: no sale (alternatives.debt_sale.before_charge_off: false).
    assert values["debt_sale"] is None
    assert values["write_off"] == D("0.00")
    assert (plan.batna.kind, plan.batna.value) == ("agency", D("1731.68"))


def test_litigation_unavailable_when_time_barred_bankrupt_or_small() -> None:
    barred = plan_for(
        debt={
            **case_data()["debt"],
            "first_delinquency": "2020-01-10",
            "last_payment": "2020-01-10",
        }
    )
    assert barred.time_barred  # California, written contract: 4 years
    litigation = next(a for a in barred.alternatives if a.kind == "litigation")
    assert not litigation.available and "time-barred" in litigation.reason
    assert barred.batna.kind != "litigation"

    bankrupt = plan_for(debtor={**case_data()["debtor"], "flags": {"in_bankruptcy": True}})
    assert "bankruptcy" in next(a for a in bankrupt.alternatives if a.kind == "litigation").reason

    small = plan_for(debt={**case_data()["debt"], "balance": {"principal": "2000.00"}})
    assert "min_balance" in next(a for a in small.alternatives if a.kind == "litigation").reason


def test_minimum_terms_by_hand() -> None:
    terms = plan_for().minimum_terms
    floor = up(D("0.75") * BALANCE)  # settlement.floors[1]: 91–180 days past due
    # S × 0.90 / d + 0.10 × BATNA / d ≥ BATNA: the BATNA is still there if S is not paid.
    batna_lump = up(D("1731.68") * (MONTH - 1 + D("0.90")) / D("0.90"))
    assert floor == D("6664.19") and batna_lump == D("1747.72")
    assert terms.minimum_settlement == max(floor, batna_lump)
    # 12 months: the floor spread over 12 (555.35) is worth far more than the BATNA at burden
    # 555.35 / 1700 ≈ 0.33 (hazard 0.02), so the floor binds.
    assert terms.minimum_plan_payment[12] == up(D("0.75") * BALANCE / 12) == D("555.35")
    assert terms.minimum_plan_payment[36] == up(D("0.75") * BALANCE / 36) == D("185.12")
    assert terms.good_faith_payment == up(D("0.05") * BALANCE) == D("444.28")
    assert terms.executive_min_settlement == D("6664.19")  # 60% authority is below the floor


def test_minimum_settlement_follows_the_batna_when_the_floor_is_low() -> None:
    rules = rules_with(settlement={"floors": [{"max_days_past_due": None, "min_share": "0.10"}]})
    plan = plan_for(rules)
    batna = D("1731.68")
    assert plan.minimum_terms.minimum_settlement == up(batna * (MONTH - 1 + D("0.90")) / D("0.90"))
    # 36 months: the smallest payment whose plan is worth the BATNA (one cent less is not).
    least = plan.minimum_terms.minimum_plan_payment[36]
    assert least is not None

    def worth(payment: D) -> D:
        return promise_value([payment] * 36, payment / D("1700.00"), plan.valuer)

    assert worth(least) >= batna > worth(least - D("0.01"))


def test_zopa() -> None:
    zopa = plan_for().zopa
    assert zopa.settlement is None  # no savings for a lump sum
    assert zopa.plan[12] == (D("555.35"), up(BALANCE / 12))  # capped at the balance over 12
    assert zopa.plan[3] is None  # 2,221.40 a month is more than the 1,700.00 affordable


def test_full_plans_at_each_burden_band_and_the_recommendation() -> None:
    plan = plan_for()
    full = {o.id: o for o in plan.options if o.kind.value == "plan_full"}
    # 1,700 (burden 1.0), 1,530 (0.9), 1,360 (0.8), 1,190 (0.7), 1,020 (0.6) and 850 (0.5) a
    # month need 6, 6, 7, 8, 9 and 11 months.
    assert set(full) == {f"plan_full_{n}m" for n in (6, 7, 8, 9, 11)}
    for option in full.values():
        assert sum(p.amount for p in option.payments) == BALANCE
    seven = [D("1269.36")] * 6 + [D("1269.42")]
    assert [p.amount for p in full["plan_full_7m"].payments] == seven
    best = max((o for o in plan.options if o.feasible), key=lambda o: o.expected_value)
    assert plan.recommended is not None and plan.recommended.id == best.id == "plan_full_9m"


def test_ladder_opens_at_the_shortest_affordable_full_plan() -> None:
    plan = plan_for()
    ladder = plan.ladder
    assert ladder[0].option.id == "plan_full_6m"
    assert ladder[-1].option == plan.recommended
    assert [r.option.count for r in ladder] == [6, 8, 9]  # 6 + 3 × (4/7, 6/7 → 9 taken, 1)
    worth = [r.expected_value for r in ladder]
    assert worth == sorted(worth)  # the target is worth more: the brief says why
    assert plan.ladder_note is not None
    assert plan.ladder_note.code == "target_kept_lighter_payment"
    assert "If you can pay" in ladder[1].condition
    assert ladder[1].trade == "automatic_payments"
    assert "automatic payments" in ladder[1].condition


def test_full_now_recommends_a_lump_sum_or_equivalent() -> None:
    # 10,500.00 saved: 9,050.00 above the one-month buffer (1,450.00 essential spending).
    finances = {**case_data()["finances"], "assets": [{"kind": "savings", "value": "10500.00"}]}
    plan = plan_for(finances=finances)
    assert plan.affordability.capacity == "full_now"
    pay = plan.option("pay_in_full")
    assert pay is not None and pay.affordable and pay.meets_minimum
    # Honoured at 0.90; if not, the creditor falls back on its BATNA (agency, 1,731.68).
    assert pay.expected_value == cents((BALANCE * D("0.90") + D("0.10") * D("1731.68")) / MONTH)
    assert plan.recommended is not None and plan.recommended.id == "pay_in_full"
    assert plan.zopa.settlement == (D("6664.19"), BALANCE)


def test_partial_capacity_gets_a_reduced_plan_when_it_beats_the_batna() -> None:
    finances = {
        "income": [{"source": "pension", "amount": "1700.00"}],
        "expenses": [{"category": "housing", "amount": "1500.00"}],
    }
    # affordable 180.00; 36 × 180 = 6,480 < balance → partial. Floor 45% after 365 days.
    debt = {**case_data()["debt"], "first_delinquency": "2025-06-01", "last_payment": "2025-05-02"}
    plan = plan_for(finances=finances, debt=debt)
    assert plan.affordability.capacity == "partial"
    assert plan.recommended is not None
    assert plan.recommended.kind.value == "plan_reduced"
    assert plan.recommended.affordable and plan.recommended.meets_minimum
    assert plan.recommended.total >= up(D("0.45") * BALANCE)


def test_no_capacity_recommends_a_hardship_arrangement_only_when_temporary() -> None:
    finances = {
        "income": [{"source": "benefits", "amount": "900.00"}],
        "expenses": [{"category": "housing", "amount": "900.00"}],
        "hardship": {"reason": "job_loss", "temporary": True, "expected_end": "2027-03-01"},
    }
    plan = plan_for(finances=finances)
    assert plan.affordability.capacity == "none"
    assert plan.zopa.empty
    assert plan.recommended is not None and plan.recommended.id == "hardship_token"
    assert plan.ladder == []

    permanent = {**finances, "hardship": {"reason": "medical", "temporary": False}}
    plan = plan_for(finances=permanent)
    assert plan.recommended is None  # the brief names the BATNA instead
    # A suit could reach nothing: no assets, and 900.00 a month is under the federal
    # 30 × minimum wage protection (15 U.S.C. § 1673(a)); the costs make it a loss.
    litigation = next(a for a in plan.alternatives if a.kind == "litigation")
    assert litigation.value == D("-1200.00")
    assert plan.batna.kind == "agency"


def test_contract_interest_is_charged_on_full_plans() -> None:
    plan = plan_for(rules_with(plans={"interest": "contract"}))
    full = [o for o in plan.options if o.kind.value == "plan_full"]
    assert full and all(o.total > BALANCE for o in full)


def test_plan_json_has_the_fixed_keys_and_no_floats() -> None:
    plan = plan_for()
    data = plan_json(plan)
    assert list(data) == [
        "negplan_version",
        "case_id",
        "as_of",
        "currency",
        "balance",
        "days_past_due",
        "compliance",
        "affordability",
        "alternatives",
        "batna",
        "minimum_terms",
        "zopa",
        "options",
        "recommended",
        "ladder",
        "time_barred",
    ]
    assert data["balance"] == "8885.58"
    assert data["minimum_terms"]["minimum_plan_payment"]["12"] == "555.35"
    assert data["zopa"]["plan"]["12"] == ["555.35", "740.47"]
    assert set(data["compliance"]) >= {"verdict", "callable_now", "next_window", "findings"}
    *steps, target = data["ladder"]
    assert target["reason_code"] == {
        "code": "target_kept_lighter_payment",
        "rule": "value.monthly_break_hazard",
    }
    assert all(step["reason"] is None and step["reason_code"] is None for step in steps)

    def walk(value: Any) -> None:
        assert not isinstance(value, float), value
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(json.loads(dumps(plan), parse_float=lambda s: pytest.fail(f"float {s}")))


def test_same_inputs_same_bytes() -> None:
    assert dumps(plan_for()) == dumps(plan_for())


def test_as_of_changes_days_past_due_and_floor() -> None:
    case = parse_case(case_data())
    later = build_plan(case, load_rules(), load_tables(), date(2027, 1, 1), NOW)
    assert later.days_past_due == 214
    assert later.minimum_terms.floor.share == D("0.60")


def test_settlement_in_installments_is_the_most_savings_and_surplus_can_fund() -> None:
    """Savings 0, affordable 1,700, a low floor: three payments of 1,700 (not the minimum split)."""
    rules = rules_with(settlement={"floors": [{"max_days_past_due": None, "min_share": "0.10"}]})
    plan = plan_for(rules)
    three = plan.option("settlement_3x")
    assert three is not None
    assert [p.amount for p in three.payments] == [D("1700.00")] * 3
    assert three.affordable


def test_a_hardship_arrangement_asks_for_what_the_debtor_can_afford() -> None:
    finances = {
        "income": [{"source": "part-time", "amount": "1000.00"}],
        "expenses": [{"category": "housing", "amount": "760.00"}],
        "hardship": {"reason": "reduced_hours", "temporary": True},
    }
    plan = plan_for(finances=finances)  # surplus 240, contingency 24 → affordable 216.00
    token = plan.option("hardship_token")
    assert token is not None
    assert [p.amount for p in token.payments] == [D("216.00")] * 3


def test_burden_is_the_largest_payment_over_the_affordable_payment() -> None:
    """SPEC §4: burden = payment ÷ affordable, whatever the savings."""
    finances = {**case_data()["finances"], "assets": [{"kind": "savings", "value": "20000.00"}]}
    plan = plan_for(finances=finances)
    six = plan.option("plan_full_6m")
    assert six is not None and six.burden == (D("1480.93") / D("1700.00")).quantize(D("0.0001"))


def test_a_zero_balance_is_refused(write) -> None:  # type: ignore[no-untyped-def]
    from negplan.errors import InputError
    from negplan.io.case_file import load_case
    from tests.helpers import BASE_CASE

    text = BASE_CASE.replace("principal: 8123.40, interest: 612.18, fees: 150.00", "principal: 0")
    with pytest.raises(InputError, match=r"debt\.balance: the balance is 0: there is nothing"):
        load_case(write(text), AS_OF)


def test_every_collection_alternative_stops_during_a_bankruptcy_stay() -> None:
    plan = plan_for(debtor={**case_data()["debtor"], "flags": {"in_bankruptcy": True}})
    available = {a.kind: a.available for a in plan.alternatives}
    assert available == {
        "litigation": False,
        "agency": False,
        "debt_sale": False,
        "write_off": True,
    }
    assert plan.batna.kind == "write_off"


def test_reasons_state_their_results() -> None:
    reasons = {r.code: r for r in plan_for().affordability.reasons}
    assert reasons["affordable_monthly"].text.startswith("affordable monthly 1,700.00 USD: surplus")
    assert reasons["affordable_monthly"].rule == "affordability.allocation"


def test_every_reason_in_the_plan_json_has_a_code_and_a_rule() -> None:
    data = plan_json(plan_for())
    sections = [data["affordability"], data["minimum_terms"], *data["options"]]
    for section in sections:
        assert len(section["reason_codes"]) == len(section["reasons"]) > 0
        for code in section["reason_codes"]:
            assert code["code"].replace("_", "").isalpha() and code["rule"]


# ----------------------------------------------------------------------------- SPEC §4a


def test_contract_interest_counts_in_capacity_and_the_zopa_ceiling() -> None:
    """1,700 a month over 36 months covers the 8,885.58 balance frozen, but at 24.99% contract
    interest a 6-month plan repays more; the ZOPA's ceiling is the annuity payment."""
    debt = {**case_data()["debt"], "annual_rate": "0.2499"}
    contract = rules_with(plans={"interest": "contract"})
    plan = plan_for(contract, debt=debt)
    annuity = D("8885.58") * (D("0.2499") / 12) / (1 - (1 + D("0.2499") / 12) ** -6)
    total6 = cents(annuity * 6)
    assert total6 > BALANCE
    top = plan.zopa.plan[6]
    assert top is not None and top[1] == min(D("1700.00"), up(total6 / 6))
    # Income just enough for the balance frozen over 36 months, not with interest.
    finances = {
        "income": [{"source": "pension", "amount": "1800.00"}],
        "expenses": [{"category": "housing", "amount": "1500.00"}],
    }
    frozen = plan_for(finances=finances, debt=debt)  # affordable 270: 9,720 ≥ balance
    assert frozen.affordability.capacity == "full_by_plan"
    charged = plan_for(contract, finances=finances, debt=debt)
    assert charged.affordability.capacity == "partial"  # 36 × 270 < the annuity's total


def test_authority_by_age() -> None:
    table = [
        {"max_days_past_due": 90, "min_share": "0.95"},
        {"max_days_past_due": 180, "min_share": "0.85"},
        {"max_days_past_due": None, "min_share": "0.60"},
    ]
    plan = plan_for(rules_with(authority={"executive_min_share": table}))  # 174 days past due
    assert plan.minimum_terms.executive_min_settlement == up(D("0.85") * BALANCE)
    reason = next(r for r in plan.minimum_terms.reasons if r.code == "executive_authority")
    assert reason.rule == "authority.executive_min_share[1]"


def test_temporary_hardship_with_an_end_gets_a_step_up_plan() -> None:
    """Affordable 100.00 now, hardship ending 2027-04-30: 100.00 a month until the review after
    it (6 months: reviews every 3), then the payment that repays the rest by month 36."""
    finances = {
        "income": [{"source": "benefits", "amount": "1611.11"}],
        "expenses": [{"category": "housing", "amount": "1500.00"}],
        "hardship": {"reason": "job_loss", "temporary": True, "expected_end": "2027-04-30"},
    }
    plan = plan_for(finances=finances)
    assert plan.affordability.affordable_monthly == D("100.00")
    step = plan.option("plan_step_up")
    assert step is not None
    amounts = [p.amount for p in step.payments]
    assert amounts[:6] == [D("100.00")] * 6 and amounts[6] > D("100.00")
    assert len(amounts) == 36 and sum(amounts) == BALANCE
    assert amounts[6] == ((BALANCE - 600) / 30).quantize(D("0.01"), rounding="ROUND_FLOOR")
    assert step.affordable  # today's payment fits; the step is after the hardship's end
    assert step.meets_minimum and step.within_policy


def test_retirement_and_locked_assets_never_count() -> None:
    finances = {
        **case_data()["finances"],
        "assets": [
            {"kind": "retirement", "value": "50000.00"},
            {"kind": "locked", "value": "20000.00"},
        ],
    }
    plan = plan_for(rules_with(affordability={"count_assets": "equity"}), finances=finances)
    assert plan.affordability.lump_sum_capacity == D("0.00")
    assert plan.affordability.capacity == "full_by_plan"
