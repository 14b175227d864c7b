"""`negplan agreement`: which terms are accepted, how they are refused, what gets written."""

from __future__ import annotations

import dataclasses
import shlex
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from negplan.agreement.draft import draft_agreement
from negplan.agreement.request import agreement_moment, terms_request
from negplan.core.case import OptionKind, parse_case
from negplan.core.options import evaluate
from negplan.core.plan import build_plan, judge_for
from negplan.core.valuation import promise_value
from negplan.errors import InputError, TermsRefused
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules
from negplan.shell.app import app
from tests.helpers import AS_OF, SAVER, agree, case_data, case_with, write_case

runner = CliRunner()

#: The base case's balance, minimum settlement (75% floor at 174 days past due) and plan.
BALANCE = "8,885.58"
MINIMUM_SETTLEMENT = Decimal("6664.19")
COMMAND = "negplan agreement case.yaml"


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
    # What the debtor can afford until the review (at least the token payment), as planned.
    assert (
        "The Debtor will make payments totalling $5,100.00 (five thousand one hundred US dollars) "
        "in 3 monthly payments of $1,700.00"
    ) in text
    assert "This is a holding arrangement, not a settlement" in text
    # 6 March 2027 is a Saturday: the review moves to the next business day (issue 19).
    assert "reviewed on or before Monday 8 March 2027" in text


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
    # The approval is the creditor's internal business: the executive is told, the debtor's
    # document never shows it (SPEC §6a; issue 14: "below the authority of the executive").
    assert "Dana Whitfield" not in text
    assert "authority" not in text
    assert "approved by Dana Whitfield (kept out of the document" in result.output


def test_the_case_approval_counts_unless_overridden(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("authority: {executive_min_share: 0.90}\n", encoding="utf-8")
    terms = {"option": "settlement", "amount": "7000.00", "approved_by": "Lee Park"}
    case = write_case(tmp_path, case_with(finances=SAVER, agreement=terms))
    result = agree(str(case), "--rules", str(rules))
    assert result.exit_code == 0, result.output
    assert "approved by Lee Park" in result.output
    assert "Lee Park" not in (tmp_path / "T-0001.agreement.md").read_text("utf-8")
    result = agree(str(case), "--rules", str(rules), "--approved-by", "Ana Ruiz")
    assert result.exit_code == 0, result.output
    assert "approved by Ana Ruiz" in result.output
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
            ["--option", "plan_full_5m"],  # the form of an id, not one of this plan's
            "unknown option 'plan_full_5m'; this plan's options: pay_in_full, settlement",
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
    plan = build_plan(case, rules, load_tables(), AS_OF, agreement_moment(AS_OF, case))
    request = terms_request(case, option="plan_full_11m")
    agreement = draft_agreement(case, rules, plan, request, as_of=AS_OF, command=COMMAND)
    option = plan.option("plan_full_11m")
    assert option is not None
    assert agreement.option.expected_value == option.expected_value
    assert [p.amount for p in agreement.payments] == [p.amount for p in option.payments]
    assert sum(p.amount for p in agreement.payments) == case.balance
    with pytest.raises(TermsRefused) as refusal:
        draft_agreement(
            case,
            rules,
            plan,
            terms_request(case, option="settlement", amount="100"),
            as_of=AS_OF,
            command=COMMAND,
        )
    assert refusal.value.nearest
    with pytest.raises(InputError):
        terms_request(case, option=None)


# ----------------------------------------------------------------------------- partial dispute

#: 200.00 of the 8,885.58 balance disputed in writing and not yet verified (15 USC 1692g(b)):
#: the plan sets it aside, fees first (150.00), then interest (50.00).
DISPUTED_FLAGS = {"disputed": True, "disputed_amount": "200.00"}


def disputed_case(folder: Path, **changes: Any) -> Path:
    debtor = {**case_with()["debtor"], "flags": DISPUTED_FLAGS}
    return write_case(folder, case_with(debtor=debtor, **changes))


def test_a_partial_dispute_limits_the_agreement_to_the_undisputed_balance(tmp_path: Path) -> None:
    case = disputed_case(tmp_path, finances=SAVER)
    result = agree(str(case), "--option", "pay_in_full")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "T-0001.agreement.md").read_text("utf-8")
    assert "| Principal | $8,123.40 |" in text
    assert "| Interest | $562.18 |" in text
    assert "| Fees | $0.00 |" in text
    assert "| **Undisputed balance** | **$8,685.58** |" in text
    assert "| Disputed, set aside (not part of this agreement) | $200.00 |" in text
    assert "The Debtor will pay the undisputed balance of $8,685.58" in text
    assert "| | **Total** | **$8,685.58** | |" in text
    assert "A further $200.00 of the account is disputed and has not been verified." in text
    assert "It is set aside and is not part of this agreement" in text
    # A first-party creditor cites no FDCPA provision (SPEC §6a; issue 14).
    assert "1692g" not in text
    assert "$8,885.58" not in text


def test_a_settlement_under_a_dispute_settles_only_the_undisputed_balance(tmp_path: Path) -> None:
    case = disputed_case(tmp_path, finances=SAVER)
    result = agree(str(case), "--option", "settlement", "--amount", "7000")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "T-0001.agreement.md").read_text("utf-8")
    assert (
        "accept $7,000.00 in full and final settlement of the undisputed balance of $8,685.58 "
        "and will not pursue the remaining $1,685.58"
    ) in text
    assert "the undisputed balance of $8,685.58, less every payment made" in text
    assert "The $1,685.58 the Creditor agrees not to pursue may be reported" in text


def test_no_total_above_the_undisputed_balance(tmp_path: Path) -> None:
    case = disputed_case(tmp_path, finances=SAVER)
    output = refused(agree(str(case), "--option", "settlement", "--amount", "8800"), tmp_path)
    assert "more than the undisputed balance 8,685.58 USD" in output
    assert "the disputed 200.00 USD is set aside until it is verified" in output
    assert "pay the undisputed balance of 8,685.58 USD in one payment" in output
    result = agree(str(case), "--option", "pay_in_full", "--amount", "8885.58")
    assert result.exit_code == 1
    assert "payment in full is the undisputed balance 8,685.58 USD" in result.output
    result = agree(str(case), "--option", "plan_full", "--months", "6", "--amount", "8885.58")
    assert result.exit_code == 1
    assert "repays 8,685.58 USD" in result.output
    assert written(tmp_path) == []


# ----------------------------------------------------------------------------- limitation


@pytest.mark.parametrize(
    ("jurisdiction", "timezone", "currency", "law"),
    [
        ("US-WI", "America/Chicago", "USD", "Wis. Stat. § 893.05"),
        ("US-MS", "America/Chicago", "USD", "Miss. Code Ann. § 15-1-3"),
        ("GB-SCT", "Europe/London", "GBP", "Prescription and Limitation (Scotland) Act 1973"),
    ],
)
def test_no_agreement_for_an_extinguished_debt(
    tmp_path: Path, jurisdiction: str, timezone: str, currency: str, law: str
) -> None:
    debt = {**case_with()["debt"], "first_delinquency": "2015-06-01", "last_payment": "2015-05-02"}
    debtor = {**case_with()["debtor"], "timezone": timezone}
    data = case_with(
        jurisdiction=jurisdiction, currency=currency, debt=debt, debtor=debtor, finances=SAVER
    )
    output = refused(
        agree(str(write_case(tmp_path, data)), "--option", "settlement", "--amount", "5000"),
        tmp_path,
    )
    assert "the debt is extinguished (" in output and law in output
    assert "no longer owed" in output
    assert "take counsel's advice" in output
    assert "nearest acceptable terms" not in output


def test_a_time_barred_debt_gets_voluntary_payment_wording(tmp_path: Path) -> None:
    """Past the limitation period (California, 4 years) but not extinguished: the agreement is
    allowed, and a missed payment ends it, as the call script tells the debtor; nothing
    "becomes due"."""
    debt = {**case_with()["debt"], "first_delinquency": "2021-06-01", "last_payment": "2021-05-02"}
    case = write_case(tmp_path, case_with(debt=debt, finances=SAVER))
    for args in (
        ["--option", "settlement", "--amount", "5400", "--installments", "2"],
        ["--option", "plan_full", "--months", "6"],
    ):
        result = agree(str(case), *args, "--out", "-")
        assert result.exit_code == 0, result.output
        missed = result.stdout.split("## 5. If a payment is missed")[1].split("## 6.")[0]
        assert "On default this agreement ends." in missed
        assert "any further payment is voluntary" in missed
        for reinstating in ("becomes due", "due again", "remains due", "resume collection"):
            assert reinstating not in missed, (args, reinstating)

    prep = runner.invoke(
        app,
        ["prep", str(case), "--as-of", AS_OF.isoformat(), "--now", "2026-11-23T12:00:00-08:00"],
    )
    assert prep.exit_code == 0, prep.output
    script = (tmp_path / "T-0001.script.md").read_text("utf-8")
    told = [line for line in script.splitlines() if "counts as missed" in line]
    assert told and all("ends" in line and "due" not in line for line in told), told


# ----------------------------------------------------------------------------- first due date


def test_the_first_due_date_is_limited_by_the_rules(tmp_path: Path) -> None:
    case = write_case(tmp_path, case_with())
    # 22 November 2026 + agreements.max_first_payment_days (45) = 6 January 2027.
    output = refused(
        agree(str(case), "--option", "plan_full_11m", "--first-due", "2027-01-07"), tmp_path
    )
    assert "agreements.max_first_payment_days = 45" in output
    assert "the latest allowed is 2027-01-06" in output
    # The plan recommends these very terms: its recommendation, first, is them put right.
    assert (
        f": negplan agreement {shlex.quote(str(case))} --as-of 2026-11-22 --option plan_full_11m "
        "--first-due 2027-01-06\n"
    ) in output
    assert output.count("--first-due 2027-01-06") == output.count("negplan agreement")
    result = agree(str(case), "--option", "plan_full_11m", "--first-due", "2027-01-06")
    assert result.exit_code == 0, result.output

    (tmp_path / "T-0001.agreement.md").unlink()
    saver = write_case(tmp_path, case_with(finances=SAVER), name="saver.yaml")
    args = ["--option", "settlement", "--amount", "7000", "--first-due", "2027-02-01"]
    output = refused(agree(str(saver), *args), tmp_path)
    assert (
        f"the same terms, first due on 2027-01-06: negplan agreement {shlex.quote(str(saver))} "
        "--as-of 2026-11-22 --option settlement --amount 7000.00 --first-due 2027-01-06\n"
    ) in output

    rules = tmp_path / "rules.yaml"
    rules.write_text("agreements: {max_first_payment_days: 10}\n", encoding="utf-8")
    result = agree(str(case), "--rules", str(rules), "--option", "plan_full_11m")
    assert result.exit_code == 1, result.output
    output = result.output
    assert "agreements.max_first_payment_days = 10" in output  # the plan's own +14 days
    assert "the latest allowed is 2026-12-02" in output


# ----------------------------------------------------------------------------- down payment


def test_a_down_payment_is_paid_on_the_day_and_the_rest_scheduled(tmp_path: Path) -> None:
    case = write_case(tmp_path, case_with(finances=SAVER))
    args = ["--option", "settlement_installments", "--amount", "7000", "--installments", "2"]
    result = agree(str(case), *args, "--down-payment", "1000")
    assert result.exit_code == 0, result.output
    assert "a down payment of $1,000.00 and 2 payments, total $7,000.00" in result.output
    text = (tmp_path / "T-0001.agreement.md").read_text("utf-8")
    assert (
        "The Debtor will pay $7,000.00 (seven thousand US dollars): a down payment of $1,000.00 "
        "(one thousand US dollars), received on Sunday 22 November 2026, the date of this "
        "agreement, and the remaining $6,000.00 (six thousand US dollars) in 2 monthly "
        "payments of $3,000.00, the first due on Monday 7 December 2026"
    ) in text
    assert (
        "| Down | Sunday 22 November 2026 | $1,000.00 "
        "| down payment, received on the date of this agreement |"
    ) in text  # paid on the day of the call, a Sunday: not moved
    assert "| 1 | Monday 7 December 2026 | $3,000.00 |" in text
    assert "| 2 | Wednesday 6 January 2027 | $3,000.00 |" in text
    assert "| | **Total** | **$7,000.00** | |" in text
    assert '"down_payment": {"amount": "1000.00", "due": "2026-11-22"' in text


def test_the_case_down_payment_and_the_command_line_override(tmp_path: Path) -> None:
    terms = {"option": "settlement", "amount": "7000.00", "down_payment": "500.00"}
    case = write_case(tmp_path, case_with(finances=SAVER, agreement=terms))
    result = agree(str(case))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "T-0001.agreement.md").read_text("utf-8")
    assert "| Down | Sunday 22 November 2026 | $500.00 |" in text
    assert "| 1 | Monday 7 December 2026 | $6,500.00 |" in text
    result = agree(str(case), "--down-payment", "700")
    assert result.exit_code == 0, result.output
    assert "| Down | Sunday 22 November 2026 | $700.00 |" in (
        (tmp_path / "T-0001.agreement.md").read_text("utf-8")
    )


def test_a_down_payment_is_judged_as_paid_on_the_day() -> None:
    """The down payment is already paid (worth its amount); the burden and break hazard are the
    scheduled payments'; it counts towards the policy's payment limits."""
    case = parse_case(case_data())
    rules = load_rules()
    plan = build_plan(case, rules, load_tables(), AS_OF, agreement_moment(AS_OF, case))
    request = terms_request(case, option="plan_full_11m", down_payment="500")
    agreement = draft_agreement(case, rules, plan, request, as_of=AS_OF, command=COMMAND)
    amounts = [p.amount for p in agreement.option.payments]
    assert amounts[0] == Decimal("500.00") and len(amounts) == 12
    assert sum(amounts) == case.balance
    assert agreement.down_payment is not None
    assert agreement.down_payment.date.due == AS_OF
    assert [p.number for p in agreement.payments] == list(range(1, 12))
    judge = dataclasses.replace(judge_for(plan, rules), first_due=agreement.first_due)
    rest = evaluate(judge, "x", OptionKind.plan_full, amounts[1:])
    assert agreement.option.burden == rest.burden
    # Paid on the day: 500.00 certain and undiscounted, then the scheduled payments valued on the
    # balance left after it (a break falls back on the BATNA for less).
    expected = promise_value(amounts[1:], rest.burden, plan.valuer, down_payment=Decimal("500"))
    assert agreement.option.expected_value == expected.quantize(Decimal("0.01"))
    assert agreement.option.expected_value > rest.expected_value


def test_down_payment_refusals(tmp_path: Path) -> None:
    case = write_case(tmp_path, case_with())  # no savings; 1,700.00 a month affordable
    output = refused(
        agree(str(case), "--option", "plan_full_11m", "--down-payment", "2000"), tmp_path
    )
    assert (
        "not affordable: the down payment 2,000.00 USD is more than the debtor can pay now, "
        "1,700.00 USD (lump sum capacity 0.00 USD + one month's affordable payment 1,700.00 USD)"
    ) in output
    result = agree(
        str(case), "--option", "settlement", "--amount", "7000", "--down-payment", "7000.00"
    )
    assert result.exit_code == 1
    assert "--down-payment: the down payment 7,000.00 USD must be less than the total" in (
        result.output
    )
    saver = write_case(tmp_path, case_with(finances=SAVER))
    args = ["--option", "settlement_installments", "--amount", "7000", "--installments", "3"]
    output = refused(agree(str(saver), *args, "--down-payment", "500"), tmp_path)
    assert "settlement.max_installments = 3 payments (the down payment counts as one" in output
    result = agree(str(saver), "--option", "hardship_token", "--down-payment", "5")
    assert result.exit_code == 1 and "takes no down payment" in result.output
    assert written(tmp_path) == []


# ----------------------------------------------------------------------------- refusal wording


def test_below_the_minimum_does_not_ask_for_an_approval(tmp_path: Path) -> None:
    case = write_case(tmp_path, case_with(finances=SAVER))
    output = refused(agree(str(case), "--option", "settlement", "--amount", "3000"), tmp_path)
    assert "below the minimum settlement 6,664.19 USD" in output
    assert "needs approved_by" not in output
    assert "approved by a manager" not in output


def test_the_recommendation_comes_first_with_the_real_case_path(tmp_path: Path) -> None:
    folder = tmp_path / "my cases"
    folder.mkdir()
    case = write_case(folder, case_with())
    output = refused(agree(str(case), "--option", "settlement", "--amount", "5000"), folder)
    nearest = output.split("nearest acceptable terms:\n")[1].splitlines()
    assert nearest[0].startswith("error:   - the plan's recommendation: ")
    assert len(nearest) >= 2
    for line in nearest:
        command = shlex.split("negplan agreement " + line.split(": negplan agreement ", 1)[1])
        assert command[:3] == ["negplan", "agreement", str(case)], line
    assert "CASE" not in output


# ----------------------------------------------------------------------------- output format


@pytest.mark.parametrize("name", ["deal.docx", "deal.txt", "deal.agreement"])
def test_an_unknown_output_extension_is_refused(tmp_path: Path, name: str) -> None:
    case = write_case(tmp_path, case_with())
    result = agree(str(case), "--option", "plan_full_11m", "--out", str(tmp_path / name))
    assert result.exit_code == 1
    assert "--out: cannot write an agreement as" in result.output
    assert "md, html and pdf" in result.output
    assert written(tmp_path) == []


def test_out_may_be_a_folder_as_for_prep_and_batch(tmp_path: Path) -> None:
    """``--out`` names a folder for prep and batch; given one here, the agreement gets its usual
    name inside it (it was "cannot write (Is a directory)")."""
    case = write_case(tmp_path, case_with())
    folder = tmp_path / "signed"
    folder.mkdir()
    result = agree(str(case), "--option", "plan_full_11m", "--format", "html", "--out", str(folder))
    assert result.exit_code == 0, result.output
    [made] = folder.iterdir()
    assert made.name.endswith(".agreement.html") and made.read_text().startswith("<!DOCTYPE html>")


def test_the_format_follows_the_out_extension_and_must_agree(tmp_path: Path) -> None:
    case = write_case(tmp_path, case_with())
    result = agree(str(case), "--option", "plan_full_11m", "--out", str(tmp_path / "a.HTM"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a.HTM").read_text("utf-8").startswith("<!DOCTYPE html>")
    result = agree(
        str(case), "--option", "plan_full_11m", "--format", "md", "--out", str(tmp_path / "b.pdf")
    )
    assert result.exit_code == 1
    assert "--format md does not match the .pdf file name" in result.output
    assert not (tmp_path / "b.pdf").exists()


def test_refusals_are_chosen_by_reason_code_not_by_sentence() -> None:
    """A refusal quotes the evaluator's reason with the right code, whatever its wording."""
    from dataclasses import replace

    from negplan.agreement.refusals import refusals as _refusals
    from negplan.core.reasons import Reason

    case = parse_case(case_data())
    plan = build_plan(case, load_rules(), load_tables(), AS_OF, agreement_moment(AS_OF, case))
    option = replace(plan.options[0], affordable=True, within_policy=True, within_authority=True)
    reworded = replace(
        option,
        meets_minimum=False,
        reasons=[Reason("below_minimum_plan", "value.monthly_break_hazard", "any wording at all")],
    )
    assert _refusals(reworded, plan, approved_by=None) == ["any wording at all"]
    unexplained = replace(option, meets_minimum=False, reasons=[])
    assert _refusals(unexplained, plan, approved_by=None) == [
        "below the creditor's minimum acceptable terms"
    ]


# ----------------------------------------------------------------------------- step-up plans

#: Affordable 100.00 a month now; the hardship ends 2027-04-30 (SPEC §4a step-up plan).
STEPPING = {
    "income": [{"source": "benefits", "amount": "1611.11"}],
    "expenses": [{"category": "housing", "amount": "1500.00"}],
    "hardship": {"reason": "job_loss", "temporary": True, "expected_end": "2027-04-30"},
}


def test_a_step_up_plan_is_written_as_proposed(tmp_path: Path) -> None:
    case = write_case(tmp_path, case_with(finances=STEPPING))
    result = agree(str(case), "--option", "plan_step_up")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "T-0001.agreement.md").read_text("utf-8")
    assert "Step-up repayment plan agreement" in text
    assert "| 6 | Thursday 6 May 2027 | $100.00 |" in text
    assert "| 7 | Monday 7 June 2027 | $276.18 |" in text  # (8,885.58 − 6 × 100.00) / 30


def test_a_step_up_plan_refuses_terms_of_its_own_with_a_located_message(tmp_path: Path) -> None:
    case = write_case(tmp_path, case_with(finances=STEPPING))
    for flag, value in (("--months", "12"), ("--amount", "5000"), ("--down-payment", "50")):
        result = agree(str(case), "--option", "plan_step_up", flag, value)
        assert result.exit_code != 0
        assert f"{flag}: a step-up plan" in result.output
        assert "--option plan_full --months N" in result.output
    ended = write_case(tmp_path, case_with(finances={**STEPPING, "hardship": {"reason": "other"}}))
    result = agree(str(ended), "--option", "plan_step_up")
    assert result.exit_code != 0
    assert "--option: a step-up plan needs a temporary hardship" in result.output


def test_terms_refused_from_the_case_file_are_headed_by_where_they_are(tmp_path: Path) -> None:
    """The ``agreement:`` section's location heads the reasons (SPEC §7), it is not one of them."""
    example = Path(__file__).resolve().parents[1] / "examples" / "maria-lopez-plan.yaml"
    result = agree(str(example), "--as-of", "2026-11-22", "--out", str(tmp_path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"error: {example}:")
    assert lines[0].endswith("the case file's terms are refused, for these reasons:")
    assert lines[1].startswith("error:   - not affordable")
    assert all(": the case file's terms" not in line for line in lines[1:])
