"""The call script (issue 5): golden files, lawful wording, blocked cases, injection, overrides.

Golden files under tests/golden/script/ are the reviewed scripts of three example cases. After an
intended change, refresh them with ``NEGPLAN_UPDATE_GOLDEN=1 pytest tests/test_script.py`` and
review the diff.
"""

from __future__ import annotations

import copy
import os
import re
import shlex
import subprocess
import sys
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from negplan.core.case import Case, HardshipReason, NoDeal, NoDealAction
from negplan.core.plan import Plan, build_plan
from negplan.core.rules import Rules
from negplan.display import markdown_escape
from negplan.io.case_file import load_case
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules, rules_for_case
from negplan.script.compose import (
    agreement_command,
    benefits,
    consequences,
    empathy_prompts,
    missed_payment_terms,
    objections,
    quoted_texts,
    render_script,
    say_not,
    script_context,
    script_violations,
    unlawful_lines,
)
from negplan.script.facts import Speech
from negplan.script.points import offer_words, trade_words
from tests.golden import assert_golden
from tests.helpers import AS_OF, DEFAULT_NOW, EXAMPLES, NOW, case_data, from_data, rules_with

TEST_FILE = "tests/test_script.py"


#: Legal-action wording a time-barred script must not use in its own words.
SUIT_WORDS = re.compile(
    r"\b(law ?suits?|su(e|ed|es|ing)|court|legal action|legal proceedings|judge?ments?|garnish\w*)",
    re.IGNORECASE,
)


def example(name: str) -> tuple[Case, Plan, Rules]:
    case = load_case(EXAMPLES / f"{name}.yaml", AS_OF)
    rules = rules_for_case(load_rules(), None, case.jurisdiction)  # as `negplan prep` picks them
    return case, build_plan(case, rules, load_tables(), AS_OF, NOW.get(name, DEFAULT_NOW)), rules


def with_flags(**flags: Any) -> Any:
    data = case_data()
    data["debtor"] = {**data["debtor"], "flags": flags}
    return data


def suing() -> Rules:
    """Rules under which the base case's BATNA is litigation: no agency placement (with one, a
    fresh account's agency recovery beats a suit whose costs are paid at filing)."""
    return rules_with(alternatives={"agency": {"enabled": False}})


def section(script: str, heading: str) -> str:
    """The text of the ``## heading…`` section, up to the next ``## `` heading."""
    start = script.index(f"\n## {heading}")
    end = script.find("\n## ", start + 1)
    return script[start : end if end != -1 else len(script)]


def headings(script: str) -> list[str]:
    return [line for line in script.splitlines() if line.startswith("## ")]


def without_quotes(script: str, case: Case, plan: Plan) -> str:
    """The script's own words: case data, disclosures and the do-not-say list removed."""
    own = script
    for text in quoted_texts(case, plan):
        own = own.replace(markdown_escape(text), " ")
    return own


EXAMPLE_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.yaml") if not p.stem.startswith("rules"))


# ----------------------------------------------------------------------------- golden files


@pytest.mark.parametrize("name", sorted(NOW))
def test_script_matches_golden_file(name: str) -> None:
    case, plan, rules = example(name)
    assert_golden(render_script(case, plan, rules), f"script/{name}.md", test_file=TEST_FILE)


def prep_in_a_new_process(cache: Path, out: Path, hash_seed: str) -> tuple[bytes, bytes]:
    """``negplan prep --json`` on an example in its own Python process; (JSON, script) bytes."""
    env = {
        **os.environ,
        "NEGPLAN_CACHE_DIR": str(cache),
        "PYTHONHASHSEED": hash_seed,
        "NO_COLOR": "1",
    }
    env.pop("NEGPLAN_NO_CACHE", None)
    moment = NOW["maria-lopez-plan"].isoformat()
    command = [sys.executable, "-m", "negplan", "prep", str(EXAMPLES / "maria-lopez-plan.yaml")]
    command += ["--json", "--as-of", AS_OF.isoformat(), "--now", moment, "--out", str(out)]
    result = subprocess.run(command, capture_output=True, env=env, check=False, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    (script,) = out.glob("*.script.md")
    return result.stdout, script.read_bytes()


def test_plan_and_script_are_the_same_bytes_in_separate_processes(tmp_path: Path) -> None:
    """Two processes with cold caches (and different hash seeds), then one with a warm cache,
    print the same plan JSON and write the same script: nothing depends on set order, on the
    process or on what the cache held."""
    first = prep_in_a_new_process(tmp_path / "cache-1", tmp_path / "out-1", "1")
    second = prep_in_a_new_process(tmp_path / "cache-2", tmp_path / "out-2", "2")
    assert any((tmp_path / "cache-1").iterdir()), "the cache was not used: not a cold start"
    warm = prep_in_a_new_process(tmp_path / "cache-1", tmp_path / "out-3", "3")
    assert first[0].startswith(b"{") and b"NW-2026-00187" in first[1]
    assert first == second
    assert first == warm


# ----------------------------------------------------------------------------- structure


def test_sections_follow_the_order_of_the_call() -> None:
    case, plan, rules = example("uk-gbp")
    script = render_script(case, plan, rules)
    assert [h.split(". ", 1)[1] for h in headings(script) if h[3].isdigit()] == [
        "Pre-call checklist",
        "Opening and required disclosures",
        "The debt and its facts",
        "Find out the reason",
        "Listen and acknowledge",
        "State what you need",
        "Ask for their comments",
        "Get a counter-offer, and pause",
        "Conditional concessions",
        "The good-faith payment",
        "Objections",
        "What happens without a deal",
        "Confirm the terms and put them in writing",
        "Follow-up plan",
    ]


def test_the_ladder_is_numbered_conditional_steps_with_pauses() -> None:
    case, plan, rules = example("maria-lopez-plan")
    ladder = section(render_script(case, plan, rules), "9. Conditional concessions")
    for step, rung in enumerate(plan.ladder[1:], 1):
        assert f"### Step {step}: {markdown_escape(rung.offer)}" in ladder  # executive's label
        says = offer_words(plan, rung.option, Speech.of(case)) + trade_words(rung, Speech.of(case))
        assert f'> "{markdown_escape(says)}"' in ladder
        assert rung.trade is not None  # each concession is traded for something (SPEC §4a)
    assert '> "If you can pay $987.28 a month for 9 months starting 6 December 2026' in ladder
    assert "That is if you also set the payments up as automatic payments." in ladder
    assert ladder.count("*Pause: let them answer before you move.*") == len(plan.ladder) - 2
    assert "only after a counter-offer" in ladder
    assert "This is your target, the last step of the ladder" in ladder


def test_the_target_is_the_aim_and_the_walk_away_the_floor() -> None:
    """The target is not called the floor: the walk-away (below it) is, with authority rules."""
    case, plan, rules = example("time-barred")  # authority above the walk-away
    minimum = plan.minimum_terms
    assert minimum.executive_min_settlement > minimum.minimum_settlement
    script = render_script(case, plan, rules)
    ladder = section(script, "9. Conditional concessions")
    assert "Do not go below it" not in script
    assert "the deal to aim for, not the floor" in ladder
    assert "The floor is the walk-away in section 1: 1,532.72 USD in one payment" in ladder
    assert "Never agree below it." in ladder
    assert "settlements down to 2,043.63 USD; below that, only with approval" in ladder
    limits = script[script.index("### Your limits") :].split("## 2.")[0]
    assert "| Target (recommended: aim for this) |" in limits
    assert "**1,532.72 USD** in one payment" in limits

    case, plan, rules = from_data(with_flags(disputed=True, disputed_amount="5000.00"))
    assert len(plan.ladder) == 1  # the anchor is also the target: the same rule, no ladder
    ladder = section(render_script(case, plan, rules), "9. Conditional concessions")
    assert "the opening offer is also the target, the deal to aim for" in ladder
    assert "The floor is the walk-away in section 1: 2,914.19 USD in one payment" in ladder


def test_the_walk_away_is_for_the_executive_only() -> None:
    case, plan, rules = example("maria-lopez-plan")
    script = render_script(case, plan, rules)
    limits = script[script.index("### Your limits (executive only: never read out)") :]
    assert "**6,664.19 USD** in one payment" in limits.split("## 2.")[0]
    said = spoken(script, case)
    assert said, "no line to be said was found: the check below would pass on nothing"
    assert not any("6,664.19" in line for line in said)  # never in a line to be said


def test_terms_are_confirmed_and_sent_in_writing() -> None:
    case, plan, rules = example("maria-lopez-plan")
    confirm = section(render_script(case, plan, rules), "13. Confirm the terms")
    assert "I'll send you this agreement in writing today" in confirm
    assert (
        "negplan agreement CASE_FILE --option plan_full --months 12 --first-due 2026-12-06 "
        "--down-payment 444.28\n"
    ) in confirm
    assert "10 days late" in confirm  # the rules' grace period


def test_follow_up_respects_the_seven_day_rule_after_a_conversation() -> None:
    case, plan, rules = example("time-barred")  # the call is on 22 November (local)
    follow = section(render_script(case, plan, rules), "14. Follow-up plan")
    assert "no further call through 28 November 2026" in follow
    assert "next call on 29 November 2026 or later" in follow
    assert "reminder (email, text or letter) on 3 December 2026" in follow  # 3 days before due


def test_a_time_limited_block_heads_the_full_script_with_when_it_lifts() -> None:
    case, plan, rules = example("maria-lopez-plan")
    script = render_script(case, plan, rules)
    assert headings(script)[0] == "## ⛔ DO NOT CALL NOW"
    assert "**Calls may resume:** Thursday 26 November 2026, 10:00 (America/Los\\_Angeles" in script
    assert "## 2. Opening and required disclosures" in script  # the script for that call follows


# ----------------------------------------------------------------------------- lawful wording


def test_time_barred_script_never_threatens_suit() -> None:
    case, plan, rules = example("time-barred")
    assert plan.time_barred
    script = render_script(case, plan, rules)

    # What happens without a deal: nothing legal, in any words. Nothing is decided in the
    # example (no no_deal), so nothing is said; with a suit and an agency placement decided,
    # the placement is said and the suit never is.
    assert consequences(case, plan, rules) == []
    assert not SUIT_WORDS.search(section(script, "12. What happens without a deal"))
    both = NoDeal(actions=[NoDealAction.litigation, NoDealAction.agency])
    decided = case.model_copy(update={"no_deal": both})
    decided_plan = build_plan(decided, rules, load_tables(), AS_OF, DEFAULT_NOW)
    said = consequences(decided, decided_plan, rules)
    assert said
    assert not any(SUIT_WORDS.search(line) for line in said)

    # The required disclosure (which says the collector will not sue) and the do-not-say list are
    # quoted as they are; nothing else in the script may use legal-action words.
    disclosure = next(d for d in plan.compliance.disclosures if "sued on a debt" in d)
    assert markdown_escape(disclosure) in script
    assert "Do not threaten or mention a lawsuit" in script
    own = without_quotes(script, case, plan)
    assert [line for line in own.splitlines() if SUIT_WORDS.search(line)] == []


def test_time_barred_missed_payment_terms_do_not_revive_the_balance() -> None:
    case, plan, rules = example("time-barred")
    confirm = section(render_script(case, plan, rules), "13. Confirm the terms")
    missed = next(line for line in confirm.splitlines() if "counts as missed" in line)
    assert missed.endswith("after 2 missed payments not made up, the agreement simply ends.")
    assert "due" not in missed.split("counts as missed", 1)[1]


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_do_not_say_rule_is_listed_and_honoured(name: str) -> None:
    case, plan, rules = example(name)
    script = render_script(case, plan, rules)
    if plan.compliance.verdict == "blocked" and plan.compliance.next_window is None:
        assert "## 1. Pre-call checklist" not in script  # no call script at all
        return
    do_not_say = script.split("**Do not say:**", 1)[1].split("\n## ", 1)[0]
    assert plan.compliance.avoid, "every case has things not to say"
    for rule in plan.compliance.avoid:
        assert f"- {markdown_escape(rule)}" in do_not_say
    assert unlawful_lines(script, case, plan) == []


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_do_not_say_rule_maps_to_a_check_or_to_the_script_structure(name: str) -> None:
    """Each avoid line forbids a class of phrases, or is kept by the script's order."""
    case, plan, _ = example(name)
    checked = {rule.rule for rule in say_not(case, plan)}
    structural = re.compile(r"anyone but the debtor|anyone until you have established|disputed")
    assert plan.compliance.avoid, "every case has things not to say"
    for rule in plan.compliance.avoid:
        assert rule in checked or structural.search(rule), rule


def test_the_debt_is_not_discussed_before_right_party_verification() -> None:
    case, plan, rules = example("third-party-collector")
    script = render_script(case, plan, rules)
    verify = script.index("### Right-party verification")
    opening = script.index("## 2. Opening")
    assert verify < opening < script.index("## 3. The debt and its facts")
    assert "Never mention the debt to them" in script
    assert "Verify who you are speaking to (section 1). Then:" in script


def test_the_check_catches_a_template_that_threatens_suit(tmp_path: Path) -> None:
    case, plan, rules = example("time-barred")
    (tmp_path / "call_script.md.j2").write_text(
        "Pay {{ plan.balance|money(currency) }} or we will sue you in court.\n", encoding="utf-8"
    )
    script = render_script(case, plan, rules, tmp_path)
    names = {rule.name for rule, _ in unlawful_lines(script, case, plan)}
    assert "legal action" in names
    assert any("sue you" in line for line in script_violations(script, case, plan))


def test_a_uk_statute_barred_debt_stops_when_the_customer_says_so() -> None:
    data = case_data(jurisdiction="GB-ENG", currency="GBP")
    data["debtor"] = {**data["debtor"], "timezone": "Europe/London"}
    data["debt"] = {**data["debt"], "first_delinquency": date(2018, 1, 10), "last_payment": None}
    case, plan, rules = from_data(data, now=datetime(2026, 11, 22, 18, 0, tzinfo=timezone.utc))
    assert plan.time_barred
    script = render_script(case, plan, rules)
    assert "stop asking for payment, thank them and end the call (CONC 7.15.8)" in script
    assert unlawful_lines(script, case, plan) == []
    assert not SUIT_WORDS.search(section(script, "12. What happens without a deal"))


def test_no_legal_action_is_mentioned_while_the_limitation_period_is_unknown() -> None:
    data = case_data(jurisdiction="US")
    data["creditor"] = {**data["creditor"], "reports_to_credit_bureaus": True}
    data["no_deal"] = {"actions": ["litigation", "credit_reporting"], "decided_by": "J. Lee"}
    case, plan, rules = from_data(data, suing())
    assert plan.limitation.years is None
    assert plan.batna.kind == "litigation"
    said = consequences(case, plan, rules)
    assert any("credit bureaus" in line for line in said)  # what may be said still is
    assert not any(SUIT_WORDS.search(line) for line in said)
    script = render_script(case, plan, rules)
    assert unlawful_lines(script, case, plan) == []


# ----------------------------------------------------------------------------- consequences


def test_consequences_of_an_agency_batna_do_not_mention_court() -> None:
    case, plan, rules = example("uk-gbp")
    assert plan.batna.kind == "agency"
    # The model's BATNA is not a decision: without no_deal nothing is said (15 USC 1692e(5)).
    assert consequences(case.model_copy(update={"no_deal": None}), plan, rules) == []
    decided = case.model_copy(update={"no_deal": NoDeal(actions=[NoDealAction.agency])})
    said = consequences(decided, plan, rules)
    assert any("collection agency" in line for line in said)
    assert not any(SUIT_WORDS.search(line) for line in said)
    assert not SUIT_WORDS.search(section(render_script(case, plan, rules), "12. What happens"))


def test_litigation_is_stated_only_when_it_is_the_batna_and_lawful() -> None:
    case, plan, rules = from_data(case_data(), suing())
    assert plan.batna.kind == "litigation"
    assert consequences(case, plan, rules) == []  # a model's ranking is not an intention
    decided = case.model_copy(update={"no_deal": NoDeal(actions=[NoDealAction.litigation])})
    assert consequences(decided, plan, rules) == [
        "Northwind Lending LLC has decided that, without an agreement, it will refer the "
        "account for legal action to recover the $8,885.58 balance."
    ]


def test_credit_reporting_is_a_consequence_only_when_the_creditor_reports() -> None:
    data = case_data()
    quiet = consequences(*from_data(data))
    assert not any("credit bureaus" in line for line in quiet)
    data["no_deal"] = {"actions": ["credit_reporting"]}
    assert not any("credit bureaus" in line for line in consequences(*from_data(data)))
    data["creditor"] = {**data["creditor"], "reports_to_credit_bureaus": True}
    assert any("credit bureaus as unpaid" in line for line in consequences(*from_data(data)))


def test_nothing_is_threatened_in_bankruptcy_and_a_write_off_is_never_announced() -> None:
    case, plan, rules = from_data(with_flags(in_bankruptcy=True))
    assert consequences(case, plan, rules) == []
    write_off_only = rules_with(
        alternatives={
            "litigation": {"enabled": False},
            "agency": {"enabled": False},
            "debt_sale": {"enabled": False},
        }
    )
    case, plan, rules = from_data(case_data(), rules=write_off_only)
    assert plan.batna.kind == "write_off"
    assert consequences(case, plan, rules) == []
    script = render_script(case, plan, rules)
    assert "Say nothing about what happens without a deal" in script
    said = spoken(script, case)
    assert said, "no line to be said was found: the check below would pass on nothing"
    assert not any(re.search(r"writ(e|ten)[- ]off", line, re.IGNORECASE) for line in said)


# ----------------------------------------------------------------------------- benefits


def test_interest_is_said_to_be_frozen_only_when_the_rules_freeze_it() -> None:
    case, plan, rules = from_data(case_data())
    assert any("interest is frozen" in b for b in benefits(case, plan, rules))
    case, plan, rules = from_data(case_data(), rules=rules_with(plans={"interest": "contract"}))
    assert not any("interest" in b for b in benefits(case, plan, rules))


def test_a_reduction_states_the_saving_in_money() -> None:
    case, plan, rules = example("uk-gbp")  # target: a reduced plan of 3,630.60 GBP
    said = benefits(case, plan, rules)
    assert any("£3,630.60 instead of the £4,112.75 balance: £482.15 less" in b for b in said)
    assert any("settled for less than the full balance" in b for b in said)  # it reports


def test_no_credit_file_benefit_when_the_creditor_does_not_report() -> None:
    case, plan, rules = from_data(case_data())
    assert not any("credit" in b for b in benefits(case, plan, rules))


# ----------------------------------------------------------------------------- conversation


@pytest.mark.parametrize("reason", list(HardshipReason))
def test_empathy_prompts_are_tailored_to_the_hardship(reason: HardshipReason) -> None:
    data = case_data()
    data["finances"] = {
        **data["finances"],
        "hardship": {"reason": reason.value, "temporary": True, "expected_end": date(2027, 3, 1)},
    }
    prompts = empathy_prompts(*from_data(data))
    expected = {
        HardshipReason.job_loss: "job",
        HardshipReason.reduced_hours: "hours",
        HardshipReason.medical: "illness",
        HardshipReason.divorce: "separation",
        HardshipReason.bereavement: "loss",
        HardshipReason.other: "difficult",
        HardshipReason.none: "slipped",
    }[reason]
    assert expected in prompts[0]
    if reason is not HardshipReason.none:
        assert any("1 March 2027" in p for p in prompts)


def test_objections_use_the_cases_numbers_and_lawful_answers() -> None:
    case, plan, rules = example("third-party-collector")
    by_title = {o.says: o for o in objections(case, plan, rules)}
    assert set(by_title) == {
        "I can't afford it.",
        "It's not my debt. / I dispute it.",
        "I'll pay later.",
        "I'm going to file for bankruptcy.",
        "A hostile caller.",
    }
    afford = " ".join(by_title["I can't afford it."].answers)
    assert "$356.00 a month" in afford
    # The good-faith payment: one month's affordable payment, not 5% (410.53), since his 970.00
    # of savings is less than a month's essential spending and stays as his emergency buffer.
    assert plan.minimum_terms.good_faith_payment == Decimal("356.00")
    assert "first payment of $356.00 now" in afford
    dispute = " ".join(by_title["It's not my debt. / I dispute it."].notes)
    assert "15 USC 1692g(b)" in dispute
    assert "Stop asking for payment of the disputed part" in dispute
    bankruptcy = " ".join(by_title["I'm going to file for bankruptcy."].notes)
    assert "11 USC 362" in bankruptcy


def test_a_debtor_with_no_capacity_is_offered_the_hardship_arrangement() -> None:
    case, plan, rules = example("no-capacity-temporary-hardship")
    afford = next(o for o in objections(case, plan, rules) if o.says == "I can't afford it.")
    assert any("$5.00 a month for 3 months from 6 December 2026" in a for a in afford.answers)
    # ...while one who can afford a real plan is not offered token payments.
    case, plan, rules = example("maria-lopez-plan")
    afford = next(o for o in objections(case, plan, rules) if o.says == "I can't afford it.")
    assert not any("$5.00 a month" in a for a in afford.answers)


# ----------------------------------------------------------------------------- no ZOPA


def test_no_zopa_ends_without_burning_bridges() -> None:
    case, plan, rules = example("no-capacity-temporary-hardship")
    assert plan.zopa.empty
    script = render_script(case, plan, rules)
    ending = section(script, "15. No deal possible today: end without burning bridges")
    assert "hold the account on $5.00 a month for 3 months" in ending
    assert "I'd like to speak again around 1 February 2027" in ending  # the hardship's end
    assert "If anything changes before then, call us on" in ending
    case, plan, rules = example("uk-gbp")  # a ZOPA: no such section
    assert "No deal possible today" not in render_script(case, plan, rules)


# ----------------------------------------------------------------------------- blocked cases


def test_an_attorney_represented_case_opens_with_do_not_call_and_the_attorney() -> None:
    case, plan, rules = example("blocked-attorney")
    script = render_script(case, plan, rules)
    assert script.startswith("# Call script: LBCF-2026-27054\n\n## ⛔ DO NOT CALL THIS DEBTOR\n")
    contact = markdown_escape(case.debtor.flags.attorney_contact)
    assert f"Contact the attorney instead: {contact}" in script
    assert "not until the flag is cleared in the case file" in script
    assert "## 2. Opening" not in script  # no words to say to the debtor
    assert "## Terms for a proposal through the representative" in script


def test_a_cease_communication_case_gets_only_the_lawful_steps() -> None:
    case, plan, rules = from_data(with_flags(cease_communication=True))
    script = render_script(case, plan, rules)
    assert headings(script)[0] == "## ⛔ DO NOT CALL THIS DEBTOR"
    assert "Write only as 15 USC 1692c(c) allows" in script
    assert "## 1. Pre-call checklist" not in script
    assert "## Terms for a proposal" not in script  # nobody to negotiate with


def test_a_bankruptcy_case_stops_collection() -> None:
    case, plan, rules = from_data(with_flags(in_bankruptcy=True))
    script = render_script(case, plan, rules)
    assert headings(script)[0] == "## ⛔ DO NOT CALL THIS DEBTOR"
    assert "Stop all collection. Note the bankruptcy case number" in script
    assert "11 USC 362" in script


# ----------------------------------------------------------------------------- case data is data

HOSTILE = "{{ 7*7 }} <script>alert(1)</script> **bold** # heading"


def test_case_data_is_rendered_literally() -> None:
    data = copy.deepcopy(case_data())
    data["debtor"] = {**data["debtor"], "name": HOSTILE, "address": "[x](http://evil) | 1. a"}
    data["creditor"] = {"name": "Evil | Corp {% raw %}", "phone": "`rm -rf`"}
    data["notes"] = "line one\n# Heading from data\n1. list from data\n{{ 6*7 }}"
    data["contacts"] = [
        {
            "at": datetime(2026, 11, 10, 10, 0, tzinfo=timezone.utc),
            "channel": "phone",
            "outcome": "conversation",
            "note": "## injected\n> quote",
        }
    ]
    case, plan, rules = from_data(data)
    script = render_script(case, plan, rules)

    assert "49" not in script.replace("1,490", "")  # {{ 7*7 }} was not evaluated…
    assert "42" not in re.sub(r"\d[\d,]*\.\d\d", "", script)  # …nor {{ 6*7 }}
    assert markdown_escape(HOSTILE) in script
    assert "{{ 7\\*7 }} \\<script\\>alert(1)\\</script\\> \\*\\*bold\\*\\* \\# heading" in script
    assert "<script>" not in script
    assert "Evil \\| Corp {% raw %}" in script  # a table cell stays one cell
    # Nothing from the data starts a line: every heading is the template's own.
    own_headings = [line for line in script.splitlines() if line.startswith("#")]
    assert all("data" not in h and "injected" not in h and "heading" not in h for h in own_headings)
    assert not any(
        line.startswith(("1. list", "> quote", "# Heading", "<")) for line in script.splitlines()
    )


def block_structure(script: str) -> list[tuple[str, str]]:
    """The Markdown block structure of a script (headings, lists, tables, quotes, HTML…)."""
    markdown_it = pytest.importorskip("markdown_it")  # installed with rich
    tokens = markdown_it.MarkdownIt("commonmark").enable("table").parse(script)
    blocks = [(t.type, t.tag) for t in tokens if t.type != "inline"]
    html = [(c.type, c.content) for t in tokens for c in t.children or [] if "html" in c.type]
    return blocks + html


def test_markdown_in_case_data_cannot_change_the_structure() -> None:
    plain = case_data()
    plain["notes"] = "plain note"
    hostile = copy.deepcopy(plain)
    hostile["debtor"] = {**hostile["debtor"], "name": HOSTILE, "address": "1. a\n- b\n| c |"}
    hostile["creditor"] = {"name": "| x | y |\n# h\n<div>", "phone": "> quoted"}
    hostile["notes"] = "```\n# not a heading\n```\n<img src=x onerror=alert(1)>\n---"
    structure = block_structure(render_script(*from_data(plain)))
    assert block_structure(render_script(*from_data(hostile))) == structure
    assert ("html_block", "") not in structure


def test_hostile_data_does_not_add_table_columns() -> None:
    data = case_data()
    data["creditor"] = {"name": "A | B | C"}
    script = render_script(*from_data(data))
    table = [line for line in script.splitlines() if line.startswith("| No deal (BATNA)")]
    assert len(table) == 1
    assert re.sub(r"\\\|", "", table[0]).count("|") == 3


# ----------------------------------------------------------------------------- user templates


def test_a_user_template_overrides_the_packaged_one(tmp_path: Path) -> None:
    (tmp_path / "call_script.md.j2").write_text(
        "# Our script for {{ case.debtor.name|md }}\n"
        "Open at {{ anchor.offer|md }}; walk away below "
        "{{ plan.minimum_terms.minimum_settlement|money(currency) }}.\n",
        encoding="utf-8",
    )
    case, plan, rules = from_data(case_data())
    script = render_script(case, plan, rules, tmp_path)
    assert script == (
        "# Our script for Maria Lopez\n"
        f"Open at {plan.ladder[0].offer}; walk away below 6,664.19 USD.\n"
    )


def test_a_user_folder_without_the_script_falls_back_to_the_packaged_template(
    tmp_path: Path,
) -> None:
    case, plan, rules = from_data(case_data())
    assert render_script(case, plan, rules, tmp_path) == render_script(case, plan, rules)


def test_prep_warns_when_a_user_template_breaks_the_do_not_say_list(tmp_path: Path) -> None:
    """A user template that threatens suit on a time-barred debt is flagged on stderr."""
    from typer.testing import CliRunner

    from negplan.shell.app import app

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "call_script.md.j2").write_text(
        "# {{ case.case_id|md }}\nIf you do not pay we will sue you in court.\n"
    )
    result = CliRunner().invoke(
        app,
        [
            "prep",
            str(EXAMPLES / "time-barred.yaml"),
            "--out",
            str(tmp_path),
            "--templates",
            str(templates),
            "--as-of",
            "2026-11-22",
            "--now",
            "2026-11-22T17:00:00-08:00",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "warning: call script:" in result.stderr
    assert "sue" in result.stderr


# ----------------------------------------------------------------------------- said to the debtor

#: Lines the executive reads out: quoted sayings and quoted list items.
SPOKEN_PREFIXES = ('> "', '- "')
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
ISO_MONEY = re.compile(r"\d (USD|GBP|EUR|INR|JPY)\b")


def spoken(script: str, case: Case) -> list[str]:
    """The script's lines read aloud, without case data (a note on file may hold any text)."""
    lines = [line for line in script.splitlines() if line.startswith(SPOKEN_PREFIXES)]
    data = [markdown_escape(n.terms) for n in case.previous_negotiations]
    return [line for line in lines if not any(d in line for d in data)]


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_lines_read_aloud_use_long_dates_and_locale_money(name: str) -> None:
    case, plan, rules = example(name)
    said = spoken(render_script(case, plan, rules), case)
    if plan.compliance.verdict == "blocked" and plan.compliance.next_window is None:
        assert said == []  # no call, so nothing to say
        return
    assert said, "no line to be said was found: the checks below would pass on nothing"
    assert [line for line in said if ISO_DATE.search(line)] == []
    assert [line for line in said if ISO_MONEY.search(line)] == []


def test_spoken_amounts_follow_the_debtors_locale() -> None:
    symbols = {"maria-lopez-plan": "$", "uk-gbp": "£", "india-inr": "₹"}
    for name, symbol in symbols.items():
        case, plan, rules = example(name)
        said = "\n".join(spoken(render_script(case, plan, rules), case))
        assert f"a balance of {symbol}" in said, name
    case, plan, rules = example("india-inr")
    assert "₹2,40,000.00" in render_script(case, plan, rules)  # Indian digit grouping
    # The executive's tables keep the ISO code.
    # (Planned with the Indian defaults in INR: a ₹2,000 contingency cap, not a $50 one.)
    assert "| Affordable monthly payment | 640.00 INR |" in render_script(case, plan, rules)


# ----------------------------------------------------------------------------- agreement command


def test_the_agreement_command_names_the_case_file_and_the_down_payment() -> None:
    case, plan, rules = example("maria-lopez-plan")
    script = render_script(case, plan, rules, case_file="cases/maria lopez.yaml")
    confirm = section(script, "13. Confirm the terms")
    assert (
        "negplan agreement 'cases/maria lopez.yaml' --option plan_full --months 12 "
        "--first-due 2026-12-06 --down-payment 444.28\n"
    ) in confirm
    assert "CASE_FILE" not in script
    good_faith = section(script, "10. The good-faith payment")
    assert "recorded in the written agreement as a down payment" in good_faith
    assert "`--down-payment`" in good_faith
    context = script_context(case, plan, rules, case_file="cases/maria lopez.yaml")
    assert context["case_file"] == "cases/maria lopez.yaml"
    assert script_context(case, plan, rules)["case_file"] == "CASE_FILE"
    # Without a good-faith payment, no --down-payment.
    target = plan.recommended
    assert target is not None
    assert "--down-payment" not in agreement_command(case, rules, target)


def test_a_case_file_path_cannot_break_out_of_the_code_block() -> None:
    case, plan, rules = example("maria-lopez-plan")
    path = "odd ```\n# heading`````.yaml"
    script = render_script(case, plan, rules, case_file=path)
    structure = block_structure(script)
    assert structure == block_structure(render_script(case, plan, rules))
    assert "``````\nnegplan agreement" in script  # a fence longer than the path's backticks


# ----------------------------------------------------------------------------- missed payments


def test_missed_payment_terms_follow_the_agreement_for_each_kind() -> None:
    def missed(name: str) -> str:
        _, plan, rules = example(name)
        text = missed_payment_terms(plan, rules)
        assert text is not None
        return text

    assert missed("maria-lopez-plan").endswith(
        "the agreement ends and the balance, less the payments made, becomes due."
    )
    assert missed("uk-gbp").endswith(
        "the reduction ends: the full balance, less the payments made, becomes due again."
    )
    assert missed("no-capacity-temporary-hardship").endswith(
        "the arrangement ends, and the balance, less the payments made, remains due."
    )
    assert missed("time-barred").endswith("the agreement simply ends.")


# ----------------------------------------------------------------------------- a partial dispute


def disputed_case(amount: str = "1000.00") -> tuple[Case, Plan, Rules]:
    return from_data(with_flags(disputed=True, disputed_amount=amount), suing())


def test_a_partial_dispute_is_planned_on_the_undisputed_part_and_said_so() -> None:
    case, plan, rules = disputed_case("5000.00")
    assert plan.disputed_amount == 5000 and plan.balance == case.balance - 5000
    script = render_script(case, plan, rules)
    need = section(script, "6. State what you need")
    assert (
        "**5,000.00 USD of the 8,885.58 USD balance is disputed; the figures below cover the "
        "undisputed 3,885.58 USD.**"
    ) in need
    assert "re-planned" not in need and "do not put them" not in need
    assert "I'd like to resolve the undisputed $3,885.58 today." in need
    facts = section(script, "1. Pre-call checklist")
    assert "**Balance:** 8,885.58 USD (principal 8,123.40 USD" in facts
    assert "**Disputed:** 5,000.00 USD, not yet verified" in facts
    assert "**Undisputed:** 3,885.58 USD" in facts
    said = section(script, "3. The debt and its facts")
    assert "You have disputed $5,000.00 of the balance. We won't ask you to pay that part" in said
    # The script's own do-not-say line formats the amount (the pre-flight's are its own).
    assert (
        "- Do not mention legal action while the dispute is open, and say nothing about what "
        "could happen over the disputed 5,000.00 USD (15 USC 1692g(b))"
    ) in script


def test_no_legal_action_and_nothing_about_the_disputed_part_while_a_dispute_is_open() -> None:
    case, plan, rules = disputed_case()
    assert plan.batna.kind == "litigation"  # would be stated without the dispute
    suit = {"actions": ["litigation"], "decided_by": "J. Lee"}
    undisputed = case_data(no_deal=suit)
    assert consequences(*from_data(undisputed, suing()))  # as it is without the dispute
    # A suit is the only step decided, and none may be mentioned while the dispute is open.
    decided = case.model_copy(update={"no_deal": NoDeal(actions=[NoDealAction.litigation])})
    decided_plan = build_plan(decided, rules, load_tables(), AS_OF, DEFAULT_NOW)
    assert consequences(decided, decided_plan, rules) == []
    script = render_script(case, plan, rules)
    assert not SUIT_WORDS.search(section(script, "12. What happens without a deal"))
    # Reporting covers the whole account, disputed part included: not said while it is open.
    data = with_flags(disputed=True, disputed_amount="1000.00")
    data["creditor"] = {**data["creditor"], "reports_to_credit_bureaus": True}
    data["no_deal"] = {"actions": ["agency", "credit_reporting"], "decided_by": "J. Lee"}
    # Nothing decided is put to the debtor while the dispute is open: not the placement, and
    # not the reporting (which would cover the disputed part too).
    assert consequences(*from_data(data)) == []
    del data["debtor"]["flags"]
    resolved = consequences(*from_data(data))
    assert any("credit bureaus" in line for line in resolved)  # once it is answered, they are
    assert "legal action (a dispute is open)" in {rule.name for rule in say_not(case, plan)}
    assert unlawful_lines(script, case, plan) == []
    own = without_quotes(script, case, plan)
    assert [line for line in own.splitlines() if SUIT_WORDS.search(line)] == []


def test_the_check_catches_legal_action_while_a_dispute_is_open(tmp_path: Path) -> None:
    case, plan, rules = disputed_case()
    (tmp_path / "call_script.md.j2").write_text(
        "If this is not paid we will take legal action.\n", encoding="utf-8"
    )
    script = render_script(case, plan, rules, tmp_path)
    assert any("legal action" in line for line in script_violations(script, case, plan))


def test_a_partial_dispute_in_the_uk_gets_the_scripts_own_do_not_say_lines() -> None:
    data = with_flags(disputed=True, disputed_amount="500.00")
    data.update(jurisdiction="GB-ENG", currency="GBP")
    data["debtor"] = {**data["debtor"], "timezone": "Europe/London"}
    case, plan, rules = from_data(data, now=datetime(2026, 11, 22, 18, 0, tzinfo=timezone.utc))
    script = render_script(case, plan, rules)
    do_not_say = script.split("**Do not say:**", 1)[1].split("\n## ", 1)[0]
    assert "Do not ask for payment of the disputed 500.00 GBP until it is resolved" in do_not_say
    assert "the undisputed £" in section(script, "6. State what you need")
    assert unlawful_lines(script, case, plan) == []


# ----------------------------------------------------------------------------- extinguished debts


def extinguished_case(jurisdiction: str, zone: str) -> tuple[Case, Plan, Rules]:
    data = case_data(jurisdiction=jurisdiction)
    data["debtor"] = {**data["debtor"], "timezone": zone}
    data["debt"] = {**data["debt"], "first_delinquency": date(2019, 1, 10), "last_payment": None}
    return from_data(data, now=datetime(2026, 11, 22, 18, 0, tzinfo=timezone.utc))


@pytest.mark.parametrize(
    ("jurisdiction", "zone"), [("US-MS", "America/Chicago"), ("GB-SCT", "Europe/London")]
)
def test_an_extinguished_debt_gets_no_offer_no_payment_request_and_no_agreement(
    jurisdiction: str, zone: str
) -> None:
    case, plan, rules = extinguished_case(jurisdiction, zone)
    assert plan.limitation.extinguished_by is not None
    assert plan.recommended is not None  # the engine still plans; the script asks for nothing
    script = render_script(case, plan, rules)
    assert "negplan agreement" not in script
    assert "--option" not in script
    assert missed_payment_terms(plan, rules) is None
    assert consequences(case, plan, rules) == []
    assert benefits(case, plan, rules) == []
    assert "Do not ask for payment." in section(script, "6. State what you need")
    assert "extinguished" in section(script, "10. The good-faith payment")
    assert "There are no terms to confirm" in section(script, "13. Confirm the terms")
    said = spoken(script, case)
    assert said, "no line to be said was found: the checks below would pass on nothing"
    money_said = re.compile(r"[$£€₹]\s?\d")
    assert [line for line in said if money_said.search(line)] == []  # no figure said as due
    assert not any(
        re.search(r"could you (make|pay)|which date could you pay", line, re.I) for line in said
    )
    assert unlawful_lines(script, case, plan) == []
    for objection in objections(case, plan, rules):
        assert not any(money_said.search(a) for a in objection.answers), objection.says


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_the_suggested_agreement_command_is_accepted(name: str, tmp_path: Path) -> None:
    """The command in section 13, run as written, produces the agreement (exit 0)."""
    from typer.testing import CliRunner

    from negplan.shell.app import app

    case, plan, rules = example(name)
    path = EXAMPLES / f"{name}.yaml"
    script = render_script(case, plan, rules, case_file=str(path))
    commands = [line for line in script.splitlines() if line.startswith("negplan agreement ")]
    if not commands:
        assert plan.recommended is None or "## 13." not in script
        return
    args = shlex.split(commands[0])[1:]
    assert args[1] == str(path)
    args = [("Test Manager" if a == "NAME" else a) for a in args]
    args += ["--as-of", AS_OF.isoformat(), "--out", str(tmp_path / "agreement.md")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("locale", ["en_US", "en_GB", "en_IN"])
@pytest.mark.parametrize("code", ["USD", "GBP", "EUR", "INR", "JPY", "CHF"])
def test_spoken_money_is_the_currency_filter_byte_for_byte(code: str, locale: str) -> None:
    """Speech.money learns babel's layout once per currency and locale; it must match it."""
    import random

    from negplan.display import currency

    speech = Speech(code, locale)
    rng = random.Random(f"{code}{locale}")
    amounts = [Decimal(0), Decimal("0.005"), Decimal("-12.5"), Decimal("999999999999.99")]
    amounts += [
        Decimal(rng.randint(0, 10 ** rng.randint(1, 13))).scaleb(-rng.randint(0, 3))
        for _ in range(500)
    ]
    assert [speech.money(a) for a in amounts] == [currency(a, code, locale) for a in amounts]
