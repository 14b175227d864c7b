"""Issue 12's four cases, as a practitioner found them in the examples; each failed before the
revised valuation model (SPEC §4a)."""

from __future__ import annotations

import itertools
from datetime import datetime, timezone
from decimal import Decimal as D
from pathlib import Path

from typer.testing import CliRunner

from negplan.core.case import OptionKind
from negplan.core.plan import Plan, build_plan
from negplan.io.case_file import load_case
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules
from negplan.shell.app import app
from tests.helpers import AS_OF

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NOW = datetime(2026, 11, 22, 18, 0, tzinfo=timezone.utc)


def example(name: str) -> Plan:
    case = load_case(EXAMPLES / f"{name}.yaml", AS_OF)
    return build_plan(case, load_rules(), load_tables(), AS_OF, NOW)


def test_more_money_is_never_refused(tmp_path: Path) -> None:
    """partial-capacity: $260/month over 36 months (affordable) was refused as "worth less than
    the BATNA" while $230/month was accepted."""
    plan = example("partial-capacity")
    assert plan.affordability.affordable_monthly == D("300.40")
    runner = CliRunner()
    for amount in ("8280", "9360"):  # 230.00 and 260.00 a month
        result = runner.invoke(
            app,
            [
                "agreement",
                str(EXAMPLES / "partial-capacity.yaml"),
                "--option",
                "plan_reduced",
                "--amount",
                amount,
                "--months",
                "36",
                "--as-of",
                AS_OF.isoformat(),
                "--out",
                str(tmp_path / f"{amount}.md"),
            ],
        )
        assert result.exit_code == 0, result.output


def test_a_debtor_with_the_cash_is_asked_for_it() -> None:
    """full-pay-now: $11,050 saved against a 3,629.39 balance was recommended a 2-month plan."""
    plan = example("full-pay-now")
    assert plan.affordability.capacity == "full_now"
    assert plan.recommended is not None
    assert plan.recommended.kind is OptionKind.pay_in_full
    assert [r.option.kind for r in plan.ladder] == [OptionKind.pay_in_full]
    header = (EXAMPLES / "full-pay-now.yaml").read_text("utf-8")
    assert "Recommend\n#     pay_in_full" in header or "Recommend pay_in_full" in header


def test_the_ladder_never_zig_zags() -> None:
    """Maria: worth 7,267.96 → 7,298.55 → 6,976.60 → 7,570.11."""
    plan = example("maria-lopez-plan")
    worth = [rung.expected_value for rung in plan.ladder]
    assert len(worth) >= 2
    assert worth == sorted(worth) or worth == sorted(worth, reverse=True)
    for before, after in itertools.pairwise(plan.ladder):
        ask_less = after.amount < before.amount or (
            after.amount == before.amount and after.option.count > before.option.count
        )
        assert ask_less
        assert after.trade is not None


def test_the_debtors_safety_net_is_kept_and_figures_add_up() -> None:
    """uk-gbp: the good-faith payment took £205.64 of £210 savings, and the affordable payment
    was 126.06 where 212.30 − 21.23 − 65.00 = 126.07."""
    plan = example("uk-gbp")
    afford = plan.affordability
    assert (afford.surplus, afford.contingency, afford.other_payments) == (
        D("212.30"),
        D("21.23"),
        D("65.00"),
    )
    assert afford.affordable_monthly == D("126.07")
    reason = next(r.text for r in afford.reasons if r.code == "affordable_monthly")
    assert "affordable monthly 126.07 GBP: surplus 212.30 GBP − contingency 21.23 GBP" in reason
    assert afford.emergency_buffer == D("210.00")  # all of it: less than a month's spending
    assert afford.lump_sum_capacity == D("0.00")
    assert plan.minimum_terms.good_faith_payment == D("126.07")  # this month's surplus only
