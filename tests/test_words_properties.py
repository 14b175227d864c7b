"""Property (issue 14, SPEC §6a "Consequences"): over random cases, no call script and no written
agreement states an action the creditor has not decided on (``no_deal.actions``), and none
states a suit on a time-barred debt (15 USC 1692e(5); 12 CFR 1006.26(b))."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal as D
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negplan.agreement.document import render_agreement
from negplan.agreement.draft import draft_agreement
from negplan.agreement.request import terms_request
from negplan.core.case import parse_case
from negplan.core.plan import build_plan
from negplan.errors import NegplanError
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules
from negplan.script.compose import render_script
from tests.helpers import AS_OF

NOW = datetime(2026, 11, 22, 19, 0, tzinfo=timezone.utc)
ZONES = {
    "US-CA": "America/Los_Angeles",
    "US-NY": "America/New_York",
    "US-MA": "America/New_York",
    "US-NM": "America/Denver",
    "US-TX": "America/Chicago",
    "US-WV": "America/New_York",
    "US-NC": "America/New_York",
    "GB-ENG": "Europe/London",
    "IN-MH": "Asia/Kolkata",
}
CURRENCIES = {"GB-ENG": "GBP", "IN-MH": "INR"}

#: How each action is stated when it is threatened: the creditor will or may take it.
STATED = {
    "litigation": re.compile(
        r"legal action to recover|refer the account for legal action"
        r"|(?<!not take )court action to recover|file (?:a )?(?:law)?suit"
        r"|(?<!not )(?<!cannot )(?<!NOT )(?<!CANNOT )\bsue you\b(?! for it)",
        re.IGNORECASE,
    ),
    "agency": re.compile(r"\bplace [^.]* with (?:a|another) collection agency", re.IGNORECASE),
    "debt_sale": re.compile(r"\bsell the account\b", re.IGNORECASE),
    "credit_reporting": re.compile(r"\bkeep reporting the account\b", re.IGNORECASE),
}


@st.composite
def cases(draw: st.DrawFn) -> Any:
    code = draw(st.sampled_from(sorted(ZONES)))
    days_late = draw(st.integers(min_value=30, max_value=4000))
    delinquent = AS_OF - timedelta(days=days_late)
    kind = draw(st.sampled_from(["original_creditor", "debt_buyer", "collection_agency"]))
    flags: dict[str, Any] = draw(
        st.fixed_dictionaries(
            {
                "disputed": st.booleans(),
                "financial_assistance_pending": st.booleans(),
            }
        )
    )
    if flags["disputed"]:
        flags["disputed_amount"] = D("100.00")
    return {
        "case_id": "P-1",
        "jurisdiction": code,
        "currency": CURRENCIES.get(code, "USD"),
        "creditor": {
            "name": "Northwind Lending LLC",
            "kind": kind,
            "client": "Commonwealth Card Services" if kind == "collection_agency" else None,
            "reports_to_credit_bureaus": draw(st.booleans()),
        },
        "debtor": {"name": "Maria Lopez", "timezone": ZONES[code], "flags": flags},
        "debt": {
            "account_ref": "A-1",
            "product": draw(st.sampled_from(["personal_loan", "credit_card", "medical"])),
            "annual_rate": D("0.12"),
            "balance": {"principal": D("4000.00"), "interest": D("200.00"), "fees": D("0")},
            "first_delinquency": delinquent,
            "last_payment": delinquent - timedelta(days=30),
            "interest_accrues": draw(st.booleans()),
        },
        "finances": {
            "income": [{"source": "pay", "amount": draw(st.sampled_from(["900", "3200"]))}],
            "expenses": [{"category": "housing", "amount": D("800")}],
            "assets": [{"kind": "cash", "value": draw(st.sampled_from([D("0"), D("6000")]))}],
        },
        "no_deal": draw(
            st.one_of(
                st.none(),
                st.builds(
                    lambda actions: {"actions": actions},
                    st.lists(st.sampled_from(sorted(STATED)), unique=True, max_size=4),
                ),
            )
        ),
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_no_action_beyond_no_deal_and_no_suit_on_a_time_barred_debt(data: Any) -> None:
    rules = load_rules()
    case = parse_case(data)
    plan = build_plan(case, rules, load_tables(), AS_OF, NOW)
    texts = [render_script(case, plan, rules)]
    if plan.recommended is not None:
        try:
            request = terms_request(case, option=plan.recommended.id)
            agreed = draft_agreement(case, rules, plan, request, as_of=AS_OF, command="negplan")
        except NegplanError:
            pass  # refused (e.g. a dispute or an extinguished debt): no document to read
        else:
            content = render_agreement(agreed, "md").content
            assert isinstance(content, str)
            texts.append(content)
    decided = {a.value for a in case.no_deal.actions} if case.no_deal else set()
    for text in texts:
        flat = " ".join(text.split())
        for action, stated in STATED.items():
            if action not in decided or (action == "litigation" and plan.time_barred):
                assert not stated.search(flat), (action, stated.search(flat))
