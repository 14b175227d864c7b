"""`negplan agreement`: which terms are accepted, how they are refused, what gets written."""

from __future__ import annotations

import shlex
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from negplan.agreement import agreement_moment, draft_agreement, terms_request
from negplan.case import parse_case
from negplan.cli import app
from negplan.errors import InputError, TermsRefused
from negplan.plan import build_plan
from negplan.rules import load_rules
from tests.conftest import AS_OF, case_data

runner = CliRunner()

#: Savings enough for a lump-sum settlement (the base case has a surplus of 1,700.00 a month).
SAVER = {
    "income": [{"source": "salary", "amount": "3200.00"}],
    "expenses": [{"category": "housing", "amount": "1450.00"}],
    "assets": [{"kind": "cash", "value": "9000.00"}],
}
#: The base case's balance, minimum settlement (75% floor at 174 days past due) and plan.
BALANCE = "8,885.58"
MINIMUM_SETTLEMENT = Decimal("6664.19")


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
    data = plain(case_data())
    for key, value in changes.items():
        target = data
        *path, last = key.split("__")
        for part in path:
            target = target.setdefault(part, {})
        target[last] = plain(value)
    return data


def write_case(folder: Path, data: dict[str, Any], name: str = "case.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def agree(*args: str) -> Result:
    return runner.invoke(app, ["agreement", *args, "--as-of", AS_OF.isoformat()])


def written(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix != ".yaml")


# ----------------------------------------------------------------------------- accepted terms


def test_a_plan_option_is_written_beside_the_case(tmp_path: Path) -> None:
    case = write_case(tmp_path, case_with())
    result = agree(str(case), "--option", "plan_full_11m")
    assert result.exit_code == 0, result.output
    target = tmp_path / "T-0001.agreement.md"
    assert f"wrote {target}" in result.output
    assert target.stat().st_mode & 0o777 == 0o600
    text = target.read_text("utf-8")
    assert "# Repayment plan agreement" in text
    assert "Northwind Lending LLC" in text and "Maria Lopez" in text
    assert "| **Balance owed** | **$8,885.58** |" in text
    assert "in 11 monthly payments of $807.78, the first due on Monday 7 December 2026" in text
    assert "(eight thousand eight hundred eighty-five US dollars and fifty-eight cents)" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "day " in line]
    assert len(rows) == 11
    # 1 December 2026 + 14 days = Sunday 6 December: due on Monday 7 December.
    assert rows[0] == (
        "| 1 | Monday 7 December 2026 | $807.78 | moved from Sunday 6 December 2026 (weekend) |"
    )
    assert "| | **Total** | **$8,885.58** | |" in text


def test_an_awkward_total_is_split_exactly(tmp_path: Path) -> None:
    small = case_with(debt__balance={"principal": "1200.00"})
    case = write_case(tmp_path, small)
    result = agree(
        str(case), "--option", "settlement_installments", "--amount", "1000", "--installments", "3"
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "T-0001.agreement.md").read_text("utf-8")
    assert "| 1 | Monday 7 December 2026 | $333.33 |" in text
    assert "| 2 | Wednesday 6 January 2027 | $333.33 |" in text
    assert "| 3 | Monday 8 February 2027 | $333.34 |" in text
    assert "| | **Total** | **$1,000.00** | |" in text
    assert "3 monthly payments, 2 of $333.33 and a final payment of $333.34" in text
    assert "accept $1,000.00 in full and final settlement of the balance of $1,200.00" in text
    assert "will not pursue the remaining $200.00" in text


def test_the_case_agreement_section_is_used_without_option(tmp_path: Path) -> None:
    data = case_with(
        finances=SAVER,
        agreement={"option": "settlement", "amount": "7000.00", "first_due": "2026-12-01"},
    )
    result = agree(str(write_case(tmp_path, data)))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "T-0001.agreement.md").read_text("utf-8")
    assert "The Debtor will pay $7,000.00 (seven thousand US dollars) in one payment due on " in (
        text
    )
    assert "| 1 | Tuesday 1 December 2026 | $7,000.00 |  |" in text


def test_command_line_values_override_the_case_section(tmp_path: Path) -> None:
    data = case_with(
        finances=SAVER, agreement={"option": "settlement", "amount": "5000.00"}
    )  # below the minimum as written; --amount fixes it
    result = agree(str(write_case(tmp_path, data)), "--amount", "6700")
    assert result.exit_code == 0, result.output
    assert "$6,700.00" in (tmp_path / "T-0001.agreement.md").read_text("utf-8")


def test_first_due_moves_off_us_thanksgiving(tmp_path: Path) -> None:
    case = write_case(tmp_path, case_with())
    result = agree(str(case), "--option", "plan_full", "--months", "6", "--first-due", "2026-11-26")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "T-0001.agreement.md").read_text("utf-8")
    assert (
        "| 1 | Monday 30 November 2026 | $1,480.93 | moved from Thursday 26 November 2026 "
        "(Thanksgiving Day, Day After Thanksgiving, weekend) |"
    ) in text
    assert (
        "| 2 | Monday 28 December 2026 | $1,480.93 | moved from Saturday 26 December 2026" in text
    )


def test_hardship_arrangement_when_the_plan_offers_one(tmp_path: Path) -> None:
    hardship = {"reason": "reduced_hours", "temporary": True, "expected_end": "2027-03-01"}
    finances = {**case_with()["finances"], "hardship": hardship}
    case = write_case(tmp_path, case_with(finances=finances))
    result = agree(str(case), "--option", "hardship_token", "--format", "md")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "T-0001.agreement.md").read_text("utf-8")
    assert "# Hardship payment arrangement" in text
    assert "token payments totalling $15.00 (fifteen US dollars) in 3 monthly payments" in text
    assert "This is a holding arrangement, not a settlement" in text
    assert "reviewed on or before Saturday 6 March 2027" in text


# ----------------------------------------------------------------------------- refusals


def refused(result: Result, folder: Path) -> str:
    assert result.exit_code == 1, result.output
    assert "terms refused:" in result.output
    assert written(folder) == [], "nothing may be written on a refusal"
    return result.output


def test_below_the_minimum_is_refused_with_the_nearest_terms(tmp_path: Path) -> None:
    case = write_case(tmp_path, case_with(finances=SAVER))
    output = refused(agree(str(case), "--option", "settlement", "--amount", "5000"), tmp_path)
    assert "below the minimum settlement 6,664.19 USD" in output
    assert "nearest acceptable terms:" in output
    assert "settle for 6,664.19 USD in one payment: negplan agreement" in output
    assert "--option settlement --amount 6664.19" in output


def test_the_nearest_terms_are_themselves_accepted(tmp_path: Path) -> None:
    case = write_case(tmp_path, case_with())  # no savings: no lump sum is affordable
    output = refused(
        agree(
            str(case),
            "--option",
            "settlement_installments",
            "--amount",
            "5200",
            "--installments",
            "3",
        ),
        tmp_path,
    )
    commands = [
        line.split(": negplan agreement ", 1)[1]
        for line in output.splitlines()
        if ": negplan agreement " in line
    ]
    assert len(commands) >= 2
    for command in commands:
        args = shlex.split(command)
        result = runner.invoke(app, ["agreement", *args, "--out", str(tmp_path / "x.md")])
        assert result.exit_code == 0, (command, result.output)


def test_unaffordable_terms_are_refused(tmp_path: Path) -> None:
    case = write_case(tmp_path, case_with())
    output = refused(agree(str(case), "--option", "pay_in_full"), tmp_path)
    assert "not affordable: more than the lump sum capacity 0.00 USD" in output
    output = refused(agree(str(case), "--option", "plan_full", "--months", "3"), tmp_path)
    assert "not affordable: a payment is more than the affordable monthly 1,700.00 USD" in output
    assert "repay the balance in 6 monthly payments" in output


def test_terms_beyond_policy_limits_are_refused(tmp_path: Path) -> None:
    case = write_case(tmp_path, case_with())
    output = refused(agree(str(case), "--option", "plan_full", "--months", "40"), tmp_path)
    assert "outside policy: longer than plans.max_months = 36" in output
    saver = write_case(tmp_path, case_with(finances=SAVER))
    output = refused(
        agree(
            str(saver),
            "--option",
            "settlement_installments",
            "--amount",
            "7000",
            "--installments",
            "4",
        ),
        tmp_path,
    )
    assert "settlement.max_installments = 3" in output
    output = refused(agree(str(saver), "--option", "settlement", "--amount", "9000"), tmp_path)
    assert "outside policy: more than is owed (8,885.58 USD)" in output


def test_below_authority_needs_an_approval_which_is_recorded(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("authority: {executive_min_share: 0.90}\n", encoding="utf-8")
    case = write_case(tmp_path, case_with(finances=SAVER))
    base = [str(case), "--rules", str(rules), "--option", "settlement", "--amount", "7000"]
    output = refused(agree(*base), tmp_path)
    assert "below the executive's authority 7,997.03 USD: needs approved_by" in output
    assert "the same terms, approved by a manager:" in output
    assert "--approved-by NAME" in output

    result = agree(*base, "--approved-by", "Dana Whitfield")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "T-0001.agreement.md").read_text("utf-8")
    assert "## 6. Approval" in text
    assert (
        "These terms were approved by Dana Whitfield, as they are below the authority of the "
        "executive who agreed them."
    ) in text
    assert "Approved by Dana Whitfield" in text


def test_the_case_approval_counts_unless_overridden(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("authority: {executive_min_share: 0.90}\n", encoding="utf-8")
    terms = {"option": "settlement", "amount": "7000.00", "approved_by": "Lee Park"}
    case = write_case(tmp_path, case_with(finances=SAVER, agreement=terms))
    result = agree(str(case), "--rules", str(rules))
    assert result.exit_code == 0, result.output
    assert "approved by Lee Park" in (tmp_path / "T-0001.agreement.md").read_text("utf-8")
    result = agree(str(case), "--rules", str(rules), "--approved-by", "Ana Ruiz")
    assert result.exit_code == 0, result.output
    assert "approved by Ana Ruiz" in (tmp_path / "T-0001.agreement.md").read_text("utf-8")
    # With --option the terms are new: the case's approval does not carry over.
    (tmp_path / "T-0001.agreement.md").unlink()
    refused(
        agree(str(case), "--rules", str(rules), "--option", "settlement", "--amount", "7000"),
        tmp_path,
    )


def test_an_approval_never_lifts_the_minimum(tmp_path: Path) -> None:
    case = write_case(tmp_path, case_with(finances=SAVER))
    output = refused(
        agree(str(case), "--option", "settlement", "--amount", "5000", "--approved-by", "Boss"),
        tmp_path,
    )
    assert "below the minimum settlement" in output


def test_no_hardship_arrangement_unless_the_plan_offers_one(tmp_path: Path) -> None:
    case = write_case(tmp_path, case_with())
    output = refused(agree(str(case), "--option", "hardship_token"), tmp_path)
    assert "the plan offers no hardship arrangement" in output


def test_no_agreement_for_a_debtor_in_bankruptcy(tmp_path: Path) -> None:
    debtor = {**case_with()["debtor"], "flags": {"in_bankruptcy": True}}
    case = write_case(tmp_path, case_with(debtor=debtor))
    output = refused(agree(str(case), "--option", "plan_full_11m"), tmp_path)
    assert "compliance (in_bankruptcy)" in output
    assert "a written agreement asks for payment" in output


# ----------------------------------------------------------------------------- input errors


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--option", "plan_reduced", "--months", "12"],
            "--amount: a reduced plan needs --amount (the total) and --months",
        ),
        (
            ["--option", "plan_reduced", "--amount", "7000"],
            "--months: a reduced plan needs --amount (the total) and --months",
        ),
        (
            ["--option", "settlement_installments", "--amount", "7000"],
            "a settlement in installments needs --amount",
        ),
        (
            ["--option", "settlement", "--amount", "7000", "--months", "3"],
            "--months: a settlement is split with --installments, not --months",
        ),
        (
            ["--option", "plan_full", "--installments", "3"],
            "plan full runs for --months, not --installments",
        ),
        (
            ["--option", "plan_full", "--months", "12", "--amount", "100"],
            "a full plan over 12 months repays 8,885.58 USD",
        ),
        (
            ["--option", "pay_in_full", "--amount", "100"],
            "payment in full is the balance 8,885.58 USD",
        ),
        (["--option", "hardship_token", "--amount", "100"], "it takes no --amount"),
        (
            ["--option", "plan_fulll_12m"],
            "unknown option 'plan_fulll_12m'; this plan's options: pay_in_full, settlement",
        ),
        (
            ["--option", "settlement", "--amount", "7000.001"],
            "--amount: 7000.001 has more decimal places than USD allows (2)",
        ),
        (["--option", "settlement", "--amount", "-5"], "--amount: must be more than 0"),
        (["--option", "settlement", "--amount", "lots"], "--amount: not a number: 'lots'"),
        (
            ["--option", "plan_full_11m", "--first-due", "2026-11-01"],
            "--first-due: the first payment date 2026-11-01 is before the agreement date",
        ),
        ([], "no terms to put in writing: pass --option"),
    ],
)
def test_input_errors_say_what_is_needed(tmp_path: Path, args: list[str], message: str) -> None:
    case = write_case(tmp_path, case_with())
    result = agree(str(case), *args)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert written(tmp_path) == []


def test_a_malformed_first_due_is_a_usage_error(tmp_path: Path) -> None:
    result = agree(
        str(write_case(tmp_path, case_with())), "--option", "plan_full_11m", "--first-due", "5 Dec"
    )
    assert result.exit_code == 2


# ----------------------------------------------------------------------------- the core


def test_the_core_judges_terms_like_the_plan() -> None:
    case = parse_case(case_data())
    rules = load_rules()
    plan = build_plan(case, rules, AS_OF, agreement_moment(AS_OF, case))
    request = terms_request(case, option="plan_full_11m")
    agreement = draft_agreement(case, rules, plan, request, as_of=AS_OF)
    option = plan.option("plan_full_11m")
    assert option is not None
    assert agreement.option.expected_value == option.expected_value
    assert [p.amount for p in agreement.payments] == [p.amount for p in option.payments]
    assert sum(p.amount for p in agreement.payments) == case.balance
    with pytest.raises(TermsRefused) as refusal:
        draft_agreement(
            case, rules, plan, terms_request(case, option="settlement", amount="100"), as_of=AS_OF
        )
    assert refusal.value.nearest
    with pytest.raises(InputError):
        terms_request(case, option=None)
