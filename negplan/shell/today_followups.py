"""The follow-ups due today on the day's list: read from the ledger, never issued here (SPEC §9).

``negplan followup`` issues each action once and records it; ``negplan today`` only shows what
is still to be issued, by asking the same planner the same question with the same rules
(:func:`negplan.shell.followup_commands.plan_followups`, one read transaction). An executive's
list shows the follow-ups of the cases in its folders; those of other cases in a shared ledger
are counted, so nobody thinks the ledger has none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from negplan.shell.today import TODAY_COLUMNS, Day


@dataclass
class DueFollowups:
    """Rows for the list (``status`` ``followup``) and how many belong to other cases."""

    rows: list[dict[str, str]] = field(default_factory=list)
    elsewhere: int = 0


def followups_due(location: str, day: date, rules_file: Path | None, listed: Day) -> DueFollowups:
    """The actions ``negplan followup`` would issue on ``day`` for the cases on ``listed``."""
    from negplan.io.rules_file import load_rules
    from negplan.shell.followup_commands import plan_followups

    rules = load_rules(rules_file)  # as followup reads them: one rules file for the ledger
    planned = plan_followups(
        location, day, rules.followup.reminder_days, rules.agreements.grace_period_days
    )
    cases = {e.row["case_id"]: e.row for e in (*listed.calls, *listed.not_today)}
    due = DueFollowups()
    for action in sorted(planned.actions, key=lambda a: (a.case_id, a.kind.value, a.key)):
        case = cases.get(action.case_id)
        if case is None:
            due.elsewhere += 1
            continue
        row = dict.fromkeys(TODAY_COLUMNS, "")
        row.update(
            status="followup",
            case_id=action.case_id,
            debtor_name=case["debtor_name"],
            phone=case["phone"] if action.channel == "phone" else "",
            debtor_timezone=case["debtor_timezone"],
            reason_code=action.kind.value,
            reason=action.reason.text,
            currency=case["currency"],
            file=case["file"],
            channel=action.channel,
        )
        due.rows.append(row)
    return due
