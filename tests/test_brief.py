"""The brief as a person sees it: Rich at 80 and 100 columns, plain words, one screen (issue 19)."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from rich.console import Console

from negplan.core.plan import build_plan
from negplan.display import display, grouped
from negplan.io.case_file import load_case
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules
from negplan.script.compose import objections
from negplan.shell.layout import keep, plain, wrap
from negplan.shell.present import brief_content, plain_brief, render_brief
from tests.helpers import AS_OF, DEFAULT_NOW, NOW

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CASES = sorted(p.stem for p in EXAMPLES.glob("*.yaml") if not p.stem.startswith("rules"))

#: A code identifier: lower-case words joined by underscores (full_by_plan, plan_full_12m).
IDENTIFIER = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def brief(name: str, width: int) -> str:
    rules = load_rules()
    case = load_case(EXAMPLES / f"{name}.yaml", AS_OF)
    now = NOW.get(name, DEFAULT_NOW)
    plan = build_plan(case, rules, load_tables(), AS_OF, now)
    console = Console(record=True, width=width, file=io.StringIO())
    render_brief(console, brief_content(case, plan, objections(case, plan, rules)))
    return console.export_text()


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("name", CASES)
def test_the_brief_speaks_plain_words_and_fits_its_width(name: str, width: int) -> None:
    text = brief(name, width)
    assert IDENTIFIER.findall(text) == []
    assert max(len(line) for line in text.splitlines()) <= width
    assert not re.search(r"^ +0\. ", text, re.MULTILINE)  # the ladder counts from 1
    if "Ladder" in text:
        assert re.search(r"^Ladder +1\. ", text, re.MULTILINE)
    # A term and its amount are never split: no line ends on "24 mo" or on a bare "3 ×".
    assert not re.search(r"\d+ (mo|×)$", text, re.MULTILINE)


def test_a_typical_brief_fits_one_100_by_40_screen() -> None:
    # Maria Lopez: a compliance block, a broken promise, a hardship, a four-rung ladder.
    text = brief("maria-lopez-plan", 100)
    assert len(text.splitlines()) + 1 <= 40  # + "Call script written to …"
    assert len(brief("maria-lopez-plan", 80).splitlines()) + 1 <= 44


def test_the_objections_are_chosen_for_the_case() -> None:
    maria = brief("maria-lopez-plan", 100)  # hardship and a broken promise
    barred = brief("time-barred", 100)
    assert "I can't afford it." in maria and "I'll pay later." in maria
    objections_of_barred = barred[barred.index("Objections") :]
    assert "too old" in objections_of_barred.splitlines()[0].lower() or (
        "time" in objections_of_barred.splitlines()[0].lower()
    )
    assert maria[maria.index("Objections") :] != objections_of_barred


def test_a_term_with_no_minimum_payment_is_explained() -> None:
    rules = load_rules()
    case = load_case(EXAMPLES / "india-inr.yaml", AS_OF)
    plan = build_plan(case, rules, load_tables(), AS_OF, DEFAULT_NOW)
    payments = dict(plan.minimum_terms.minimum_plan_payment) | {12: None}
    minimum = dataclasses.replace(plan.minimum_terms, minimum_plan_payment=payments)
    plan = dataclasses.replace(plan, minimum_terms=minimum)
    text = plain_brief(brief_content(case, plan))
    assert "12 mo —" in text
    assert "no affordable payment over that term is worth the BATNA" in text
    assert "none" not in text.split("plan payment at least")[1].splitlines()[0]


def test_rupees_are_grouped_in_lakhs_everywhere() -> None:
    text = brief("india-inr", 100)
    assert "2,40,000.00 = principal 2,15,410.73" in text
    assert grouped(Decimal("240000"), "INR") == "2,40,000.00"
    assert grouped(Decimal("-123456789.5"), "INR") == "-12,34,56,789.50"
    assert display(Decimal("999"), "INR") == "999.00 INR"
    assert grouped(Decimal("240000"), "USD") == "240,000.00"


def test_the_plain_brief_breaks_lines_at_the_same_places() -> None:
    rules = load_rules()
    case = load_case(EXAMPLES / "maria-lopez-plan.yaml", AS_OF)
    plan = build_plan(case, rules, load_tables(), AS_OF, datetime.fromisoformat(
        "2026-11-26T10:00:00-08:00"
    ))  # fmt: skip
    text = plain_brief(brief_content(case, plan, objections(case, plan, rules)), width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "\u00a0" not in text


def test_wrap_keeps_marked_pairs_together_and_folds_only_what_cannot_fit() -> None:
    pieces = [("plans: ", ""), (keep("24 mo 277.68"), "bold"), (" · more words here", "")]
    lines = [plain(line) for line in wrap(pieces, 14)]
    assert lines == ["plans:", "24 mo 277.68 ·", "more words", "here"]
    assert [plain(line) for line in wrap([("x" * 25, "")], 10)] == ["x" * 10, "x" * 10, "x" * 5]


def test_a_hardship_fallback_says_why_it_is_recommended() -> None:
    """SPEC §4: with no offer the debtor can afford above the minimum and a temporary hardship,
    a holding arrangement is recommended; the brief says so, its review date, and that it is
    worth less than the BATNA when it is."""
    text = " ".join(brief("no-capacity-temporary-hardship", 100).split())
    assert "a holding arrangement while the hardship lasts, not a settlement" in text
    assert "review it on 2027-03-06" in text
    assert "worth less than the BATNA (collection agency 949.14)" in text
    assert "holding arrangement" not in brief("maria-lopez-plan", 100)


def test_a_clear_verdict_says_every_check_passed_not_that_there_were_none() -> None:
    """The pre-flight always has findings (the call window, the frequency count: info level);
    a clear banner says they all passed rather than "no findings" (the JSON lists them)."""
    text = brief("full-pay-now", 100)
    assert "Every pre-flight check passed: nothing to watch for on this call." in text
    assert "No compliance findings" not in text
