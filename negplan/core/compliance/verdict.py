"""The pre-flight's result: findings, the verdict they add up to, and its one-line reason.

The verdict is ``blocked`` if any finding is, else ``caution`` if any finding is, else ``clear``
(SPEC §6). Each finding's ``check`` is its stable code; ``rule`` names the law or rules key.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from negplan.core.compliance.overrides import Level
from negplan.records import record

Verdict = Literal["clear", "caution", "blocked"]


@record
class Finding:
    """One check's result: what it found, how serious, and the rule it comes from."""

    check: str
    level: Level
    message: str
    rule: str


@record
class Preflight:
    """The pre-flight result, as embedded in the plan (``plan["compliance"]``).

    A plain value built by negplan's own checks, so a dataclass rather than a validating model.
    """

    verdict: Verdict
    callable_now: bool
    #: Earliest moment ≥ now (debtor's local time, with offset) when every time-based block has
    #: lifted; ``None`` when a block has no known end.
    next_window: datetime | None
    findings: list[Finding]
    #: Texts the collector must say (the collector disclosure first, at the start of the call).
    disclosures: list[str]
    #: What the script must not say or do.
    avoid: list[str]
    #: The jurisdiction profile used (the most specific code with a shipped or rules layer).
    profile: str
    #: One sentence: the verdict and what drives it.
    reason: str
    #: The lawful window ``next_window`` falls in, (opens, closes) in the debtor's local time;
    #: it opened before ``next_window`` when a call is lawful now. ``None`` with no next window.
    #: Not part of the plan JSON; ``negplan today`` lists the day's calls by it.
    window: tuple[datetime, datetime] | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON-ready: ``next_window`` in ISO 8601 with the debtor's offset."""
        return {
            "verdict": self.verdict,
            "callable_now": self.callable_now,
            "next_window": None if self.next_window is None else self.next_window.isoformat(),
            "findings": [
                {"check": f.check, "level": f.level, "message": f.message, "rule": f.rule}
                for f in self.findings
            ],
            "disclosures": list(self.disclosures),
            "avoid": list(self.avoid),
            "profile": self.profile,
            "reason": self.reason,
        }


def verdict_of(findings: list[Finding]) -> Verdict:
    levels = {f.level for f in findings}
    if "blocked" in levels:
        return "blocked"
    return "caution" if "caution" in levels else "clear"


def verdict_reason(verdict: Verdict, findings: list[Finding], window: datetime | None) -> str:
    if verdict == "clear":
        return "Clear to call now: no check blocks the call or needs care."
    if verdict == "caution":
        checks = ", ".join(dict.fromkeys(f.check for f in findings if f.level == "caution"))
        return f"Call allowed with care ({checks})."
    checks = ", ".join(dict.fromkeys(f.check for f in findings if f.level == "blocked"))
    if window is None:
        return f"Do not call ({checks}); no time is known when calls may resume."
    return f"Do not call now ({checks}); next lawful window {window.isoformat()}."
