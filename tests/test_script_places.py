"""The call script keeps to the pre-flight's places and opt-outs (SPEC §6a, issue 13): no
follow-up by an opted-out channel, and a state's cap explained where it blocks the call."""

from __future__ import annotations

from datetime import datetime, timezone

from negplan.script.compose import render_script
from tests.helpers import case_data, from_data


def test_the_reminder_uses_only_channels_the_debtor_allows() -> None:
    data = case_data()
    data["debtor"] = {**data["debtor"], "opt_outs": ["email", "sms"]}
    script = render_script(*from_data(data))
    assert "Send a written reminder (letter) on" in script
    assert "(email, text or letter)" not in script
    data["debtor"] = {**data["debtor"], "opt_outs": ["email", "sms", "letter"]}
    assert "Send a written reminder" not in render_script(*from_data(data))


def test_a_massachusetts_cap_block_says_when_and_why() -> None:
    data = case_data(jurisdiction="US-MA")
    data["debtor"] = {**data["debtor"], "timezone": "America/New_York", "address": None}
    data["contacts"] = [
        {"at": "2026-11-20T10:00:00-05:00", "channel": "sms", "outcome": "sent"},
        {"at": "2026-11-21T10:00:00-05:00", "channel": "phone", "outcome": "voicemail"},
    ]
    case, plan, rules = from_data(data, now=datetime(2026, 11, 22, 16, 0, tzinfo=timezone.utc))
    assert plan.compliance.verdict == "blocked"
    script = render_script(case, plan, rules)
    assert "nor send what the state counts. Massachusetts: 2 communications" in script
