"""Each example's header says what a planner should conclude; its capacity class must be the one
negplan computes (SPEC §4), or the example teaches the reader something the tool does not do."""

from __future__ import annotations

import re

import pytest

from negplan.core.plan import build_plan
from negplan.io.case_file import load_case
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules, rules_for_case
from tests.helpers import AS_OF, DEFAULT_NOW, EXAMPLES, NOW

CLAIM = re.compile(r"^#.*\bcapacity (full_now|full_by_plan|partial|none)\b", re.MULTILINE)
CLAIMS = {
    path.stem: match.group(1)
    for path in sorted(EXAMPLES.glob("*.yaml"))
    if (match := CLAIM.search(path.read_text(encoding="utf-8")))
}


def test_most_examples_state_their_capacity() -> None:
    assert len(CLAIMS) >= 8, CLAIMS


@pytest.mark.parametrize(("name", "claimed"), sorted(CLAIMS.items()))
def test_the_header_names_the_capacity_negplan_computes(name: str, claimed: str) -> None:
    case = load_case(EXAMPLES / f"{name}.yaml", AS_OF)
    rules = rules_for_case(load_rules(), None, case.jurisdiction)
    plan = build_plan(case, rules, load_tables(), AS_OF, NOW.get(name, DEFAULT_NOW))
    assert plan.affordability.capacity == claimed
