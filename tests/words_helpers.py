"""Cases and documents for the honest-words tests (issue 14, SPEC §6a "Words")."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from negplan.agreement.document import render_agreement
from negplan.agreement.draft import Agreement, draft_agreement
from negplan.agreement.request import terms_request
from negplan.core.case import Case, parse_case
from negplan.core.plan import Plan, build_plan
from negplan.core.rules import Rules
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules
from tests.helpers import AS_OF, case_data

NOW = datetime(2026, 11, 22, 19, 0, tzinfo=timezone.utc)

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
