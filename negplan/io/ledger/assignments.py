"""Recording which rule set planned each case, and what it expected (SPEC §10).

``batch --experiment`` writes one row per case planned, in one transaction after the run; the
report's ``--by rules``, the realised lift, "collected against the expected value planned" and
``calibrate``'s burden bands read them back (``negplan.report``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import Connection

from negplan.io.ledger import schema as t
from negplan.io.ledger.events import new_event_id, recorded_now


def record_assignments(
    conn: Connection,
    rows: Iterable[tuple[str | None, ...]],
    *,
    experiment: str,
    labels: dict[str, str],
    planned_on: date,
) -> int:
    """Insert ``(case_id, rule_set, jurisdiction, currency, balance, affordable, option,
    value)`` rows; ``labels`` names each rule set's file (``champion`` → ``rules.yaml``).
    Returns how many rows were written.
    """
    stamp = recorded_now()
    values = [
        {
            "event_id": new_event_id(),
            "case_id": case_id,
            "recorded_at": stamp,
            "experiment": experiment,
            "rule_set": rule_set,
            "rules_label": labels[str(rule_set)],
            "planned_on": planned_on.isoformat(),
            "currency": currency,
            "jurisdiction": jurisdiction,
            "balance": balance,
            "affordable": affordable,
            "option": option,
            "expected_value": value,
        }
        for case_id, rule_set, jurisdiction, currency, balance, affordable, option, value in rows
    ]
    if values:
        conn.execute(t.assignments.insert(), values)
    return len(values)
