"""Honest words (issue 14, SPEC §6a "Words"): the state's own time-barred words read out and
printed, no inferred threats, only true benefits, fair and complete agreements.

Each test names the finding of the issue it guards; each failed before the fix.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from negplan.agreement.document import render_agreement
from negplan.agreement.draft import Agreement, draft_agreement
from negplan.agreement.request import terms_request
from negplan.core.case import Case, parse_case
from negplan.core.plan import Plan, build_plan
from negplan.core.rules import Rules
from negplan.core.time_barred_words import time_barred_notice
from negplan.display import markdown_escape
from negplan.io.case_file import load_case
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules
from negplan.script.compose import benefits, consequences, render_script
from negplan.shell.app import app
from tests.helpers import AS_OF, case_data

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NOW = datetime(2026, 11, 22, 19, 0, tzinfo=timezone.utc)
runner = CliRunner()

ZONES = {
    "US-CA": "America/Los_Angeles",
    "US-MA": "America/New_York",
    "US-NM": "America/Denver",
    "US-NY": "America/New_York",
    "US-TX": "America/Chicago",
    "US-WV": "America/New_York",
    "US-CT": "America/New_York",
    "US-NC": "America/New_York",
}

#: Each state's prescribed words begin and end like this (the data file holds them whole).
STATE_WORDS = {
    "US-CA": (
        "The law limits how long you can be sued on a debt. Because of the age of your debt, we "
        "will not sue you for it. If you do not pay the debt, Northwind Lending LLC may continue "
        "to report it to the credit reporting agencies as unpaid for as long as the law permits "
        "this reporting. (Cal. Civ. Code § 1788.14(d)(1))"
    ),
    "US-MA": (
        "WE ARE REQUIRED BY REGULATION OF THE MASSACHUSETTS ATTORNEY GENERAL TO NOTIFY YOU OF THE "
        "FOLLOWING INFORMATION. THIS INFORMATION IS NOT LEGAL ADVICE: THIS DEBT MAY BE TOO OLD "
        "FOR YOU TO BE SUED ON IT IN COURT. IF IT IS TOO OLD, YOU CANNOT BE REQUIRED TO PAY IT "
        "THROUGH A LAWSUIT. TAKE NOTE: YOU CAN RENEW THE DEBT AND THE STATUTE OF LIMITATIONS FOR "
        "THE FILING OF A LAWSUIT AGAINST YOU IF YOU DO ANY OF THE FOLLOWING: MAKE ANY PAYMENT ON "
        "THE DEBT, SIGN A PAPER IN WHICH YOU ADMIT THAT YOU OWE THE DEBT OR IN WHICH YOU MAKE A "
        "NEW PROMISE TO PAY; SIGN A PAPER IN WHICH YOU GIVE UP OR WAIVE YOUR RIGHT TO STOP THE "
        "CREDITOR FROM SUING YOU IN COURT TO COLLECT THE DEBT. WHILE THIS DEBT MAY NOT BE "
        "ENFORCEABLE THROUGH A LAWSUIT, IT MAY STILL AFFECT YOUR ABILITY TO OBTAIN CREDIT OR "
        "AFFECT YOUR CREDIT SCORE OR RATING. (940 CMR 7.07(24))"
    ),
    "US-NM": (
        "WE ARE REQUIRED BY NEW MEXICO ATTORNEY GENERAL TO NOTIFY YOU OF THE FOLLOWING "
        "INFORMATION. THIS INFORMATION IS NOT LEGAL ADVICE: THIS DEBT MAY BE TOO OLD FOR YOU TO "
        "BE SUED UPON IN COURT. IF IT IS TOO OLD, YOU CAN’T BE REQUIRED TO PAY IT THROUGH A "
        "LAWSUIT. YOU CAN RENEW THE DEBT AND START THE TIME FOR THE FILING OF A LAWSUIT AGAINST "
        "YOU TO COLLECT THE DEBT IF YOU DO ANY OF THE FOLLOWING: MAKE ANY PAYMENT OF THE DEBT; "
        "SIGN A PAPER IN WHICH YOU ADMIT THAT YOU OWE THE DEBT OR IN WHICH YOU MAKE A NEW PROMISE "
        "TO PAY; SIGN A PAPER IN WHICH YOU GIVE UP (“WAIVE”) YOUR RIGHT TO STOP THE DEBT "
        "COLLECTOR FROM SUING YOU IN COURT TO COLLECT THE DEBT. (12.2.12.9 NMAC)"
    ),
    "US-NY": (
        "We are required by regulation of the New York State Department of Financial Services to "
        "notify you of the following information. This information is NOT legal advice: Your "
        "creditor or debt collector believes that the legal time limit (statute of limitations) "
        "for suing you to collect this debt may have expired. It is a violation of the Fair Debt "
        "Collection Practices Act, 15 U.S.C. section 1692 et seq., to sue to collect on a debt "
        "for which the statute of limitations has expired. If a creditor sues you to collect on "
        "this debt, you may be able to prevent the creditor from obtaining a judgment against "
        "you. To do so, you must tell the court that the statute of limitations has expired. "
        "Even if the statute of limitations has expired, you may choose to make payments on the "
        "debt. We are also required to tell you that, for certain kinds of debts, if you make a "
        "payment on a debt, admit to owing a debt, or promise to pay a debt, the time period in "
        "which the debt is enforceable in court may start again. However, your creditor or debt "
        "collector believes that restarting the time period on this debt is prohibited by law, "
        "and whether or not you acknowledge, promise to pay, or make a payment on this debt, your "
        "creditor or debt collector will NOT sue you to collect this debt. If you waive the "
        "statute of limitations on a debt, the time period in which the debt is enforceable in "
        "court may start again. If you would like to learn more about your legal rights and "
        "options, you can consult an attorney or a legal assistance or legal aid organization. "
        "(23 NYCRR § 1.3(c))"
    ),
    "US-TX": (
        "THE LAW LIMITS HOW LONG YOU CAN BE SUED ON A DEBT. BECAUSE OF THE AGE OF YOUR DEBT, "
        "NORTHWIND LENDING LLC CANNOT SUE YOU FOR IT. IF YOU DO NOT PAY THE DEBT, NORTHWIND "
        "LENDING LLC MAY REPORT OR CONTINUE TO REPORT IT TO THE CREDIT REPORTING AGENCIES AS "
        "UNPAID. (Tex. Fin. Code § 392.307)"
    ),
    "US-WV": (
        "THE LAW LIMITS HOW LONG YOU CAN BE SUED ON A DEBT. BECAUSE OF THE AGE OF YOUR DEBT, "
        "NORTHWIND LENDING LLC CANNOT SUE YOU FOR IT AND NORTHWIND LENDING LLC CANNOT REPORT IT "
        "TO ANY CREDIT REPORTING AGENCIES. (W. Va. Code § 46A-2-128(f))"
    ),
}

#: The kind of creditor each state's words bind (Texas: debt buyers; New York: collectors).
KINDS = {"US-TX": "debt_buyer", "US-NY": "debt_buyer"}


def time_barred(code: str, **changes: Any) -> Any:
    """A reporting creditor's time-barred debt in ``code``, still reportable on AS_OF (West
    Virginia's 10-year period outlasts the reporting period: there it is past it)."""
    old = code == "US-WV"
    data = case_data(
        jurisdiction=code,
        creditor={
            "name": "Northwind Lending LLC",
            "kind": KINDS.get(code, "original_creditor"),
            "reports_to_credit_bureaus": True,
            "address": "100 Market St",
        },
    )
    data["debtor"] = {**data["debtor"], "timezone": ZONES[code]}
    data["debt"] = {
        **data["debt"],
        "first_delinquency": date(2015, 6, 1) if old else date(2019, 6, 1),
        "last_payment": date(2015, 5, 2) if old else date(2019, 5, 2),
        "interest_accrues": False,
    }
    data["finances"] = {
        **data["finances"],
        "assets": [{"kind": "cash", "value": "9000.00"}],
    }
    data.update(changes)
    return data


def planned(data: Any, rules: Rules | None = None) -> tuple[Case, Plan, Rules]:
    rules = rules or load_rules()
    case = parse_case(data)
    return case, build_plan(case, rules, load_tables(), AS_OF, NOW), rules


def agreement_for(
    case: Case, plan: Plan, rules: Rules, option: str | None = None, **terms: Any
) -> Agreement:
    target = option or (plan.recommended.id if plan.recommended else "settlement")
    request = terms_request(case, option=target, **terms)
    return draft_agreement(case, rules, plan, request, as_of=AS_OF, command="negplan agreement")


def agreement_md(case: Case, plan: Plan, rules: Rules, **terms: Any) -> str:
    content = render_agreement(agreement_for(case, plan, rules, **terms), "md").content
    assert isinstance(content, str)
    return content


def flat(text: str) -> str:
    return " ".join(text.split())


# ----------------------------------------------------------------------------- time-barred words


@pytest.mark.parametrize("code", sorted(STATE_WORDS))
def test_each_state_row_is_read_out_and_printed_word_for_word(code: str) -> None:
    case, plan, rules = planned(time_barred(code))
    assert plan.time_barred
    expected = STATE_WORDS[code]
    script = flat(render_script(case, plan, rules))
    assert flat(markdown_escape(expected)) in script
    assert flat(markdown_escape(expected)) in flat(agreement_md(case, plan, rules))
    assert "summary" not in flat(" ".join(plan.compliance.disclosures)).lower()


def test_every_state_with_words_is_tested() -> None:
    assert sorted(load_tables().time_barred_words) == sorted(STATE_WORDS)


@pytest.mark.parametrize("code", ["US-CT", "US-NC"])
def test_a_summary_row_is_for_counsel_never_words_to_read(code: str) -> None:
    _, plan, _ = planned(time_barred(code))
    assert plan.time_barred
    [notice] = [d for d in plan.compliance.disclosures if "sued on a debt" in d]
    assert notice.endswith("(12 CFR 1006.26(b))")
    [duty] = [f for f in plan.compliance.findings if f.check == "time_barred_state_duty"]
    assert duty.level == "caution"
    assert "Summary to adapt with counsel, not words to read" in duty.message
    assert not any("adapt with counsel" in d for d in plan.compliance.disclosures)


def test_californias_reporting_sentence_follows_whether_this_creditor_reports() -> None:
    data = time_barred("US-CA")
    data["creditor"] = {**data["creditor"], "reports_to_credit_bureaus": False}
    case, plan, _ = planned(data)
    notice = time_barred_notice(case, plan.tables, AS_OF)
    assert notice is not None
    assert "we will not report it to any credit reporting agency" in notice.words
    assert "may continue to report" not in notice.words


def test_the_script_never_says_not_to_comment_on_the_time_limit() -> None:
    for code in ("US-CA", "US-MA", "US-NM"):
        case, plan, rules = planned(time_barred(code))
        script = render_script(case, plan, rules)
        assert "Do not comment on whether a payment affects the time limit" not in script
        assert "word for word" in script


@pytest.mark.parametrize(("code", "signs"), [("US-MA", False), ("US-NM", False), ("US-NY", True)])
def test_where_a_signed_promise_revives_the_debtor_signs_nothing(code: str, signs: bool) -> None:
    case, plan, rules = planned(time_barred(code))
    text = agreement_md(case, plan, rules)
    assert ("The Debtor, Maria Lopez" in text) is signs
    assert ("The Debtor does not need to sign it" in text) is not signs


# ----------------------------------------------------------------------------- consequences


def test_the_models_batna_is_not_a_threat() -> None:
    # Whatever the model values best (litigation, an agency, a sale), without no_deal nothing
    # is said about what happens without a deal (15 USC 1692e(5)).
    for data in (case_data(), saver()):
        case, plan, rules = planned(data)
        assert plan.batna.kind in ("litigation", "agency", "debt_sale")
        assert consequences(case, plan, rules) == []
        section = render_script(case, plan, rules).split("## 12.")[1].split("## 13")[0]
        for words in ("legal action", "collection agency", "sell the account"):
            assert words not in section


def test_no_suit_on_a_time_barred_debt_even_if_decided() -> None:
    data = time_barred("US-CA", no_deal={"actions": ["litigation", "debt_sale"]})
    said = consequences(*planned(data))
    assert not any("legal action" in line for line in said)
    assert any("sell the account" in line for line in said)


def test_an_agency_never_threatens_to_sell_its_clients_debt() -> None:
    data = case_data(
        creditor={"name": "Northwind Collections", "kind": "collection_agency", "client": "X"},
        no_deal={"actions": ["debt_sale", "agency"]},
    )
    said = consequences(*planned(data))
    assert not any("sell" in line for line in said)
    assert any("collection agency" in line for line in said)


# ----------------------------------------------------------------------------- benefits


def test_no_interest_freeze_where_no_interest_accrues() -> None:
    rules = load_rules()
    data = case_data()
    data["debt"] = {**data["debt"], "interest_accrues": False}
    case, plan, rules = planned(
        data,
        rules.model_copy(update={"plans": rules.plans.model_copy(update={"interest": "frozen"})}),
    )
    assert not any("interest" in line for line in benefits(case, plan, rules))
    assert "No interest or fees will be added" not in agreement_md(case, plan, rules)


def test_paid_in_full_or_settled_never_both() -> None:
    # uk-gbp's ladder runs from payment in full to a settlement: its benefits named both.
    case = load_case(EXAMPLES / "uk-gbp.yaml", AS_OF)
    rules = load_rules()
    plan = build_plan(case, rules, load_tables(), AS_OF, NOW)
    said = " ".join(benefits(case, plan, rules))
    assert not ("paid in full" in said and "settled" in said), said


def test_a_first_party_creditor_promises_no_validation_rights() -> None:
    case, plan, rules = planned(case_data())
    assert not case.creditor.is_debt_collector
    script = render_script(case, plan, rules)
    assert "validation period" not in script
    assert "mailed you verification" not in script


# ----------------------------------------------------------------------------- agreements


def saver(**changes: Any) -> Any:
    data = case_data(**changes)
    data["finances"] = {**data["finances"], "assets": [{"kind": "cash", "value": "9000.00"}]}
    return data


def test_how_to_pay_with_the_reference() -> None:
    data = saver(
        creditor={
            "name": "Northwind Lending LLC",
            "payment_instructions": "Pay by bank transfer to Northwind Lending, routing 000, "
            "or by card at +1 800 555 0100.",
        }
    )
    text = flat(agreement_md(*planned(data), option="settlement", amount="7000"))
    assert (
        "How to pay: Pay by bank transfer to Northwind Lending, routing 000, or by card at +1 800 "
        "555 0100. Quote the reference T-0001 with every payment."
    ) in text


def test_due_dates_fall_on_the_preferred_payment_day() -> None:
    data = saver()
    data["debtor"] = {**data["debtor"], "preferred_payment_day": 20}
    case, plan, rules = planned(data)
    agreed = agreement_for(case, plan, rules, option="plan_full", months=6)
    assert all(p.date.nominal.day == 20 for p in agreed.payments)


def test_a_missed_payment_gets_a_notice_and_a_cure_period() -> None:
    text = flat(agreement_md(*planned(saver()), option="settlement", amount="7000"))
    assert "written notice of the missed payment, and the Debtor has 20 days" in text
    assert "If a payment is missed, this agreement is in default." not in text


def test_the_letter_and_the_credit_file_update_are_promised() -> None:
    data = saver(creditor={"name": "Northwind Lending LLC", "reports_to_credit_bureaus": True})
    text = flat(agreement_md(*planned(data), option="settlement", amount="7000"))
    assert "will send the Debtor a letter confirming that the account is settled in full" in text
    assert "the credit file will be updated to show the account as settled for less" in text
    assert "paid in full" not in text


def test_an_agency_acts_for_its_client_and_is_never_the_creditor() -> None:
    data = saver(
        creditor={
            "name": "Northwind Collections",
            "kind": "collection_agency",
            "client": "Commonwealth Card Services",
        }
    )
    text = agreement_md(*planned(data), option="settlement", amount="7000")
    assert "acting for its client, Commonwealth Card Services" in text
    assert "the “Creditor”" not in text
    assert "the Creditor" not in text


def test_an_internal_approval_is_never_shown(tmp_path: Path) -> None:
    case, plan, rules = planned(saver())
    agreed = agreement_for(
        case, plan, rules, option="settlement", amount="6700", approved_by="Dana"
    )
    document = render_agreement(agreed, "md")
    assert isinstance(document.content, str)
    assert "Dana" not in document.content
    assert "authority" not in document.content
    assert "approved by Dana" in document.summary


def test_a_down_payment_taken_on_the_call_is_acknowledged_as_received() -> None:
    text = flat(
        agreement_md(
            *planned(saver()),
            option="settlement_installments",
            amount="7000",
            installments=2,
            down_payment="1000",
        )
    )
    assert "a down payment of $1,000.00 (one thousand US dollars), received on" in text
    assert "The down payment of $1,000.00 received on" in text


def test_every_examples_own_agreement_renders_or_is_refused_at_its_line(tmp_path: Path) -> None:
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        if "agreement" not in data:
            continue
        out = tmp_path / f"{path.stem}.md"
        result = runner.invoke(
            app, ["agreement", str(path), "--as-of", AS_OF.isoformat(), "--out", str(out)]
        )
        if result.exit_code == 0:
            assert out.exists(), path
        else:
            assert re.search(rf"{re.escape(str(path))}:\d+:\d+: agreement", result.output), (
                result.output
            )
    full = tmp_path / "full-pay-now.md"
    assert full.exists()  # installments: 1 is payment in full


# ----------------------------------------------------------------------------- language


def test_a_language_negplan_lacks_is_said_in_the_brief_and_the_script(tmp_path: Path) -> None:
    data = case_data()
    data["debtor"] = {**data["debtor"], "language": "es"}
    case, plan, rules = planned(data)
    assert "'es', which negplan does not have" in render_script(case, plan, rules)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(_plain(data), allow_unicode=True), "utf-8")
    result = runner.invoke(
        app, ["prep", str(path), "--now", "2026-11-22T11:00:00-08:00", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "which negplan does not have" in flat(result.output)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (date,)):
        return value.isoformat()
    if hasattr(value, "as_tuple"):
        return format(value, "f")
    return value


# ----------------------------------------------------------------------------- golden agreements

#: Four examples' agreements, reviewed by eye (md here; the PDFs were looked at as images):
#: payment in full from the case's own section, a California debt buyer's time-barred
#: confirmation, an agency acting for its bank with a down payment on the debtor's pay day, and
#: a UK reduced plan.
GOLDEN_AGREEMENTS = {
    "full-pay-now": [],
    "time-barred": [
        *("--option", "plan_reduced", "--amount", "1532.76", "--months", "12"),
        *("--first-due", "2026-12-04", "--approved-by", "K. Moreno"),
    ],
    "third-party-collector": ["--option", "plan_full_33m", "--down-payment", "200.00"],
    "uk-gbp": ["--option", "plan_reduced_36m"],
}


@pytest.mark.parametrize("name", sorted(GOLDEN_AGREEMENTS))
def test_agreement_matches_golden_file(name: str, tmp_path: Path) -> None:
    from tests.golden import assert_golden

    out = tmp_path / f"{name}.agreement.md"
    args = ["agreement", str(EXAMPLES / f"{name}.yaml"), *GOLDEN_AGREEMENTS[name]]
    result = runner.invoke(app, [*args, "--as-of", AS_OF.isoformat(), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert_golden(out.read_text("utf-8"), f"agreement/{name}.md", test_file="tests/test_words.py")


def test_a_language_negplan_lacks_is_said_in_the_batch_summary(tmp_path: Path) -> None:
    import csv

    from tests.helpers import BASE_CASE

    cases = tmp_path / "cases"
    cases.mkdir()
    spanish = BASE_CASE.replace(
        "  timezone: America/Los_Angeles", "  timezone: America/Los_Angeles\n  language: es"
    )
    (cases / "es.yaml").write_text(spanish.replace("T-0001", "T-ES"), "utf-8")
    (cases / "en.yaml").write_text(BASE_CASE, "utf-8")
    out = tmp_path / "out"
    moment = ["--as-of", "2026-11-22", "--now", "2026-11-23T11:00:00-08:00"]
    result = runner.invoke(app, ["batch", str(cases), "--out", str(out), *moment])
    assert result.exit_code == 0, result.output
    with (out / "summary.csv").open(newline="", encoding="utf-8") as handle:
        rows = {row["case_id"]: row for row in csv.DictReader(handle)}
    assert "'es', which negplan does not have" in rows["T-ES"]["language"]
    assert rows["T-0001"]["language"] == ""


def test_nothing_is_pressed_while_a_dispute_is_open() -> None:
    data = saver(no_deal={"actions": ["agency", "litigation", "debt_sale"]})
    data["debtor"] = {**data["debtor"], "flags": {"disputed": True, "disputed_amount": "200.00"}}
    assert consequences(*planned(data)) == []


def test_no_sale_suit_or_reporting_while_financial_assistance_is_pending() -> None:
    data = saver(
        creditor={"name": "Northwind Lending LLC", "reports_to_credit_bureaus": True},
        no_deal={"actions": ["litigation", "debt_sale", "credit_reporting"]},
    )
    assert len(consequences(*planned(data))) == 3
    data["debtor"] = {**data["debtor"], "flags": {"financial_assistance_pending": True}}
    assert consequences(*planned(data)) == []


def test_a_collector_named_by_kind_alone_gives_the_collector_disclosure() -> None:
    # creditor.kind without the old is_third_party_collector flag (SPEC §2a) is a collector too.
    data = saver(creditor={"name": "Northwind Collections", "kind": "debt_buyer"})
    text = agreement_md(*planned(data), option="settlement", amount="7000")
    assert "This is a communication from a debt collector." in text
