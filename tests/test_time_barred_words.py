"""The states' own time-barred words (issue 14, SPEC §6a "Words"): each row read out in the
script and printed in the agreement word for word, New York City's and California's debt-buyer
rows, and words not yet verified against the official text flagged for counsel wherever the
executive looks (script, brief, the agreement command's summary).

Each test names what it guards; each failed before the fix.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from negplan.agreement.document import render_agreement
from negplan.agreement.record import agreement_record
from negplan.core.case import parse_case
from negplan.core.plan import build_plan
from negplan.core.time_barred_words import time_barred_notice
from negplan.display import markdown_escape
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules
from negplan.script.compose import render_script
from negplan.shell.app import app
from tests.helpers import AS_OF
from tests.words_helpers import NOW, agreement_for, agreement_md, flat, planned, time_barred

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
runner = CliRunner()

#: An address in Brooklyn (ZIP 112xx: New York City) and one in Albany (not).
NYC_ADDRESS = "200 Court St, Brooklyn, NY 11201"
ALBANY_ADDRESS = "50 State St, Albany, NY 12207"

#: Each row of us_time_barred_words.yaml: the case that reads it (jurisdiction, creditor kind,
#: debtor address) and the words it prints, whole, with the citation after them.
ROWS: dict[str, tuple[str, str, str | None]] = {
    "US-CA": ("US-CA", "original_creditor", None),
    "US-CA-DEBT-BUYER": ("US-CA", "debt_buyer", None),
    "US-MA": ("US-MA", "original_creditor", None),
    "US-NM": ("US-NM", "original_creditor", None),
    "US-NY": ("US-NY", "debt_buyer", ALBANY_ADDRESS),
    "US-NY-NYC": ("US-NY", "collection_agency", NYC_ADDRESS),
    "US-TX": ("US-TX", "debt_buyer", None),
    "US-WV": ("US-WV", "original_creditor", None),
}

CA_1788_14 = (
    "The law limits how long you can be sued on a debt. Because of the age of your debt, we will "
    "not sue you for it. If you do not pay the debt, Northwind Lending LLC may continue to report "
    "it to the credit reporting agencies as unpaid for as long as the law permits this "
    "reporting. (Cal. Civ. Code § 1788.14(d))"
)
#: New York's words since CPLR 214-i: no warning that paying or promising restarts the period.
NY_NO_REVIVAL = (
    "We are required by regulation of the New York State Department of Financial Services to "
    "notify you of the following information. This information is NOT legal advice: Your "
    "creditor or debt collector believes that the legal time limit (statute of limitations) for "
    "suing you to collect this debt may have expired. It is a violation of the Fair Debt "
    "Collection Practices Act, 15 U.S.C. section 1692 et seq., to sue to collect on a debt for "
    "which the statute of limitations has expired. If a creditor sues you to collect on this "
    "debt, you may be able to prevent the creditor from obtaining a judgment against you. To do "
    "so, you must tell the court that the statute of limitations has expired. Even if the "
    "statute of limitations has expired, you may choose to make payments on the debt. We are "
    "also required to tell you that, for certain kinds of debts, if you make a payment on a "
    "debt, admit to owing a debt, or promise to pay a debt, the time period in which the debt is "
    "enforceable in court may start again. However, your creditor or debt collector believes "
    "that restarting the time period on this debt is prohibited by law, and whether or not you "
    "acknowledge, promise to pay, or make a payment on this debt, your creditor or debt "
    "collector will NOT sue you to collect this debt. If you waive the statute of limitations on "
    "a debt, the time period in which the debt is enforceable in court may start again. If you "
    "would like to learn more about your legal rights and options, you can consult an attorney "
    "or a legal assistance or legal aid organization."
)
#: New York City's rule accepts the State's words (its letter of 2015-07-31): both are cited.
NYC_CITATION = "(23 NYCRR § 1.3(c); NYC Admin. Code § 20-493.2(b); 6 RCNY § 2-191)"

STATE_WORDS = {
    "US-CA": CA_1788_14,
    "US-CA-DEBT-BUYER": (
        f"{CA_1788_14}\nThe law limits how long you can be sued on a debt. Because of the age of "
        "your debt, Northwind Lending LLC cannot sue you for it. If you do not pay the debt, "
        "Northwind Lending LLC may report or continue to report it to the credit reporting "
        "agencies as unpaid. (Cal. Civ. Code § 1788.52(d))"
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
        "We are required by New Mexico Attorney General rule to notify you of the following "
        "information. This information is not legal advice. This debt may be too old for you to "
        "be sued upon in court. If it is too old, you can’t be required to pay it through a "
        "lawsuit. You can renew the debt and start the time for the filing of a lawsuit against "
        "you to collect the debt if you do any of the following: make any payment of the debt; "
        "sign a paper in which you admit that you owe the debt or in which you make a new "
        "promise to pay; sign a paper in which you give up (“waive”) your right to stop the debt "
        "collector from suing you in court to collect the debt. (12.2.12.9 NMAC)"
    ),
    "US-NY": f"{NY_NO_REVIVAL} (23 NYCRR § 1.3(c))",
    "US-NY-NYC": f"{NY_NO_REVIVAL} {NYC_CITATION}",
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


def row_case(row: str, **changes: Any) -> Any:
    """The time-barred case that reads ``row``'s words."""
    code, kind, address = ROWS[row]
    data = time_barred(code, **changes)
    data["creditor"] = {**data["creditor"], "kind": kind}
    if kind == "collection_agency":
        data["creditor"]["client"] = "Northwind Lending LLC"
        data["creditor"]["name"] = "Hudson Recovery LLC"
    if address is not None:
        data["debtor"] = {**data["debtor"], "address": address}
    return data


@pytest.mark.parametrize("row", sorted(STATE_WORDS))
def test_each_row_is_read_out_and_printed_word_for_word(row: str) -> None:
    case, plan, rules = planned(row_case(row))
    assert plan.time_barred
    script = flat(render_script(case, plan, rules))
    agreement = flat(agreement_md(case, plan, rules))
    for part in STATE_WORDS[row].split("\n"):  # one disclosure per rule
        expected = flat(markdown_escape(part))
        assert expected in script
        assert expected in agreement
    assert "summary" not in flat(" ".join(plan.compliance.disclosures)).lower()


def test_every_row_of_words_is_tested() -> None:
    assert sorted(load_tables().time_barred_words) == sorted(STATE_WORDS) == sorted(ROWS)


@pytest.mark.parametrize("code", ["US-CT", "US-NC"])
def test_a_summary_row_is_for_counsel_never_words_to_read(code: str) -> None:
    data = time_barred("US-MA")
    data["jurisdiction"] = code
    _, plan, _ = planned(data)
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


def test_a_california_debt_buyer_past_the_reporting_period_says_it_cannot_report() -> None:
    data = row_case("US-CA-DEBT-BUYER")
    data["debt"] = {
        **data["debt"],
        "first_delinquency": date(2015, 6, 1),
        "last_payment": date(2015, 5, 2),
    }
    case, plan, rules = planned(data)
    said = flat(render_script(case, plan, rules))
    assert (
        "Because of the age of your debt, Northwind Lending LLC cannot sue you for it, and "
        "Northwind Lending LLC cannot report it to any credit reporting agencies. "
        "(Cal. Civ. Code § 1788.52(d))"
    ) in said
    assert "we will not report it to any credit reporting agency. (Cal. Civ. Code" in said
    assert "may report or continue to report" not in said


def test_an_original_creditor_in_california_gives_no_debt_buyer_notice() -> None:
    case, plan, rules = planned(row_case("US-CA"))
    assert "1788.52" not in render_script(case, plan, rules)


def test_new_york_outside_the_city_reads_the_states_words_only() -> None:
    case, plan, rules = planned(row_case("US-NY"))
    script = render_script(case, plan, rules)
    assert "(23 NYCRR § 1.3(c))" in flat(script)
    assert "20-493.2" not in script
    assert not any(f.check == "time_barred_print_format" for f in plan.compliance.findings)


def test_new_york_city_words_replace_the_states_and_say_how_to_print_them() -> None:
    case, plan, rules = planned(row_case("US-NY-NYC"))
    script = flat(render_script(case, plan, rules))
    assert "(23 NYCRR § 1.3(c))" not in script  # the city's row supersedes the State's
    assert script.count("We are required by regulation of the New York State") == 1
    [note] = [f for f in plan.compliance.findings if f.check == "time_barred_print_format"]
    assert "12-point type" in note.message and note.rule.startswith("NYC Admin. Code")
    assert "12-point type" in script
    summary = render_agreement(agreement_for(case, plan, rules), "md").summary
    assert "sharply contrasting color" in summary
    assert "12-point" not in agreement_md(case, plan, rules)  # an executive's note only


def test_new_york_citys_notice_stands_next_to_the_amount_set_off_in_color() -> None:
    case, plan, rules = planned(row_case("US-NY-NYC"))
    agreement = agreement_for(case, plan, rules)
    notice = flat(markdown_escape(STATE_WORDS["US-NY-NYC"]))
    md = render_agreement(agreement, "md").content
    assert isinstance(md, str)
    account, rest = md.split("<!-- negplan-terms")[0].split("## 3. The agreed terms")
    assert notice in flat(account) and notice not in flat(rest)  # under the balance, once
    assert f"> **{notice}**" in flat(account)
    html = render_agreement(agreement, "html").content
    assert isinstance(html, str)
    assert '<p class="beside-amount">We are required by regulation' in html
    assert ".beside-amount {" in html and "font-size: 12pt;" in html


def test_outside_new_york_city_nothing_stands_next_to_the_amount() -> None:
    case, plan, rules = planned(row_case("US-NY"))
    html = render_agreement(agreement_for(case, plan, rules), "html").content
    assert isinstance(html, str) and '<p class="beside-amount">' not in html
    record = agreement_record(agreement_for(case, plan, rules))
    assert "beside_amount" not in record["clauses"]  # every other record stays as it was


def test_new_york_city_words_warn_of_revival_only_where_a_payment_still_revives() -> None:
    # CPLR 214-i: in New York a payment no longer restarts the period, so the city's own words
    # ("if you make a payment ... may start again") would be false and are not used; with
    # tables where a payment still revives, they are.
    case = parse_case(row_case("US-NY-NYC"))
    tables = dataclasses.replace(load_tables(), payment_does_not_revive={})
    notice = time_barred_notice(case, tables, AS_OF)
    assert notice is not None and notice.revival
    assert notice.citation == "NYC Admin. Code § 20-493.2(b); 6 RCNY § 2-191"
    assert notice.words.startswith("WE ARE REQUIRED BY LAW TO GIVE YOU THE FOLLOWING")
    assert notice.words.endswith(
        "the creditor’s right to sue you to make you pay the entire debt may start again."
    )
    shipped = time_barred_notice(case, load_tables(), AS_OF)
    assert shipped is not None and not shipped.revival
    assert "may start again" not in shipped.words.split("If you waive")[0].split("However")[1]


def test_an_original_creditor_in_new_york_city_reads_the_federal_words() -> None:
    data = row_case("US-NY-NYC")
    data["creditor"] = {"name": "Northwind Lending LLC", "kind": "original_creditor"}
    case, plan, _ = planned(data)
    notice = time_barred_notice(case, plan.tables, AS_OF)
    assert notice is not None and notice.citation == "12 CFR 1006.26(b)"


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


def test_in_new_york_city_the_debtor_signs_as_in_new_york() -> None:
    # CPLR 214-i: a signed promise does not revive a New York debt, in the city as elsewhere.
    case, plan, rules = planned(row_case("US-NY-NYC"))
    assert "The Debtor, Maria Lopez" in agreement_md(case, plan, rules)


# ----------------------------------------------------------------------------- unverified words


@pytest.mark.parametrize("row", sorted(STATE_WORDS))
def test_unverified_words_are_to_be_confirmed_with_counsel_in_the_script(row: str) -> None:
    case, plan, rules = planned(row_case(row))
    found = [f for f in plan.compliance.findings if f.check == "time_barred_words_unverified"]
    assert found and all(f.level == "caution" for f in found)
    assert plan.compliance.verdict != "clear"
    script = flat(render_script(case, plan, rules))
    assert "are to be confirmed with counsel before they are read out or sent" in script
    summary = render_agreement(agreement_for(case, plan, rules), "md").summary
    assert "confirm with counsel before sending" in summary
    assert "confirm with counsel" not in agreement_md(case, plan, rules)


def test_verified_words_carry_no_caution() -> None:
    shipped = load_tables()
    words = {
        name: dataclasses.replace(row, verified=True)
        for name, row in shipped.time_barred_words.items()
    }
    tables = dataclasses.replace(shipped, time_barred_words=words)
    case = parse_case(row_case("US-MA"))
    plan = build_plan(case, load_rules(), tables, AS_OF, NOW)
    assert not any(f.check == "time_barred_words_unverified" for f in plan.compliance.findings)
    summary = render_agreement(agreement_for(case, plan, load_rules()), "md").summary
    assert "confirm with counsel" not in summary


def test_the_brief_says_the_words_are_to_be_confirmed_with_counsel(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            *("prep", str(EXAMPLES / "time-barred.yaml"), "--out", str(tmp_path)),
            *("--as-of", AS_OF.isoformat(), "--now", "2026-11-23T11:00:00-08:00"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "are to be confirmed with counsel" in flat(result.output)


def test_every_row_says_what_it_was_checked_against() -> None:
    raw = yaml.safe_load(
        (
            Path(__file__).resolve().parent.parent
            / "negplan/data/compliance/us_time_barred_words.yaml"
        ).read_text("utf-8")
    )
    for name, row in raw.items():
        assert "verified" in row, name
        assert row["verified"] or row["checked"].strip(), name
        assert "Checked 2026-11-30" in row["source"], name
