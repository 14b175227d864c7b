"""Honest words (issue 14, SPEC §6a "Words"): no inferred threats, only true benefits, fair and
complete agreements (the states' time-barred words: tests/test_time_barred_words.py).

Each test names the finding of the issue it guards; each failed before the fix.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from negplan.agreement.document import render_agreement
from negplan.core.plan import build_plan
from negplan.io.case_file import load_case
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules
from negplan.script.compose import benefits, consequences, render_script
from negplan.shell.app import app
from tests.helpers import AS_OF, case_data
from tests.words_helpers import NOW, agreement_for, agreement_md, flat, planned, time_barred

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
runner = CliRunner()

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


def test_the_scripts_close_says_how_and_where_to_pay_with_the_reference() -> None:
    data = saver(
        creditor={
            "name": "Northwind Lending LLC",
            "payment_instructions": "Pay by bank transfer to Northwind Lending, routing 000, "
            "or by card at +1 800 555 0100.",
        }
    )
    close = flat(render_script(*planned(data)).split("## 13.")[1].split("## 14.")[0])
    assert (
        "Tell them how and where to pay, as the written agreement prints it: Pay by bank transfer "
        "to Northwind Lending, routing 000, or by card at +1 800 555 0100."
    ) in close
    assert 'Give them the reference: "Please quote the reference T-0001 with every payment."' in (
        close
    )
    assert "no payment instructions" not in close


def test_without_instructions_the_close_still_gives_the_reference() -> None:
    close = render_script(*planned(saver())).split("## 13.")[1].split("## 14.")[0]
    assert "Please quote the reference T-0001 with every payment." in close
    assert "The case file has no payment instructions" in close
    bank = saver(creditor={"name": "Lone Star Card Services, N.A."})
    close = render_script(*planned(bank)).split("## 13.")[1].split("## 14.")[0]
    assert 'in the name of Lone Star Card Services, N.A."' in close  # one full stop


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


@pytest.mark.parametrize(("example", "before"), [("third-party-collector", "signing")])
def test_an_agreement_says_its_language_when_the_debtor_asked_for_another(
    example: str, before: str
) -> None:
    case = load_case(EXAMPLES / f"{example}.yaml", AS_OF)
    spanish = case.model_copy(update={"debtor": case.debtor.model_copy(update={"language": "es"})})
    rules = load_rules()
    plan = build_plan(spanish, rules, load_tables(), AS_OF, NOW)
    text = flat(agreement_md(spanish, plan, rules))
    assert (
        "This document is written in English. The Debtor asked to be dealt with in Spanish, in "
        f"which it is not available: before {before}, the Debtor may ask the Collector to "
        "explain any part of it"
    ) in text
    assert "translat" not in text.lower()  # no translation promised that negplan does not make
    english = flat(agreement_md(case, build_plan(case, rules, load_tables(), AS_OF, NOW), rules))
    assert "written in English" not in english


def test_a_confirmation_in_another_language_says_before_paying() -> None:
    data = time_barred("US-MA")
    data["debtor"] = {**data["debtor"], "language": "vi"}
    text = flat(agreement_md(*planned(data)))
    assert "asked to be dealt with in Vietnamese" in text
    assert "before paying, the Debtor may ask the Creditor" in text


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
