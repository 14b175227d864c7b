"""The plan as JSON: the public interface of SPEC §5 that scripts parse.

Top-level keys are fixed; money values are decimal strings (``"5200.00"``), dates ISO strings;
never a float. See ``docs/compatibility.md`` for what may change between versions.
"""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from negplan import __version__
from negplan.core.options import Option
from negplan.core.plan import Plan
from negplan.core.reasons import Reason, texts


def _plain(value: Any) -> Any:
    """Decimals as strings, dates as ISO strings, enums as values; never a float."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, float):
        raise TypeError("a float reached the plan JSON")
    return value


def codes(reasons: list[Reason]) -> list[dict[str, str]]:
    """Each reason's stable code and rule key, in the order of the ``reasons`` texts."""
    return [{"code": r.code, "rule": r.rule} for r in reasons]


def _option_json(option: Option) -> dict[str, Any]:
    return {
        "id": option.id,
        "kind": option.kind.value,
        "total": _plain(option.total),
        "payments": [
            {"due": p.due.isoformat(), "amount": format(p.amount, "f")} for p in option.payments
        ],
        "burden": _plain(option.burden),
        "expected_value": _plain(option.expected_value),
        "affordable": option.affordable,
        "meets_minimum": option.meets_minimum,
        "within_authority": option.within_authority,
        "within_policy": option.within_policy,
        "reasons": texts(option.reasons),
        "reason_codes": codes(option.reasons),
    }


def plan_json(plan: Plan) -> dict[str, Any]:
    """The plan as the public JSON interface of SPEC §5 (fixed top-level keys)."""
    afford = plan.affordability
    minimum = plan.minimum_terms
    compliance = plan.compliance.to_json()
    return {
        "negplan_version": __version__,
        "case_id": plan.case_id,
        "as_of": plan.as_of.isoformat(),
        "currency": plan.currency,
        "balance": _plain(plan.balance),
        "days_past_due": plan.days_past_due,
        "compliance": compliance,
        "affordability": {
            "income": _plain(afford.income),
            "essential_expenses": _plain(afford.essential_expenses),
            "priority_payments": _plain(afford.priority_payments),
            "surplus": _plain(afford.surplus),
            "contingency": _plain(afford.contingency),
            "affordable_monthly": _plain(afford.affordable_monthly),
            "lump_sum_capacity": _plain(afford.lump_sum_capacity),
            "emergency_buffer": _plain(afford.emergency_buffer),
            "collection_potential": _plain(afford.collection_potential),
            "capacity": afford.capacity,
            "flags": list(afford.flags),
            "reasons": texts(afford.reasons),
            "reason_codes": codes(afford.reasons),
        },
        "alternatives": [
            {"kind": a.kind, "available": a.available, "value": _plain(a.value), "reason": a.reason}
            for a in plan.alternatives
        ],
        "batna": {"kind": plan.batna.kind, "value": _plain(plan.batna.value)},
        "minimum_terms": {
            "minimum_settlement": _plain(minimum.minimum_settlement),
            "minimum_plan_payment": {
                str(n): _plain(p) for n, p in minimum.minimum_plan_payment.items()
            },
            "good_faith_payment": _plain(minimum.good_faith_payment),
            "executive_min_settlement": _plain(minimum.executive_min_settlement),
            "reasons": texts(minimum.reasons),
            "reason_codes": codes(minimum.reasons),
        },
        "zopa": {
            "settlement": _plain(plan.zopa.settlement),
            "plan": {str(n): _plain(r) for n, r in plan.zopa.plan.items()},
        },
        "options": [_option_json(o) for o in plan.options],
        "recommended": plan.recommended.id if plan.recommended else None,
        "ladder": [
            {
                "step": r.step,
                "offer": r.offer,
                "amount": _plain(r.amount),
                "condition": r.condition,
                "expected_value": _plain(r.expected_value),
                "kind": r.option.kind.value,
                "installments": r.option.count,
                "trade": r.trade,
                **_rung_reason(plan.ladder_note if r is plan.ladder[-1] else None),
            }
            for r in plan.ladder
        ],
        "time_barred": plan.time_barred,
    }


def _rung_reason(reason: Reason | None) -> dict[str, Any]:
    """A rung's ``reason`` and ``reason_code``: on the target, why it is worth more than the
    opening ask (SPEC §4a); ``null`` elsewhere. Inside the rung: SPEC §5 fixes the top level."""
    if reason is None:
        return {"reason": None, "reason_code": None}
    return {"reason": reason.text, "reason_code": {"code": reason.code, "rule": reason.rule}}


def dumps(plan: Plan, *, compact: bool = False) -> str:
    """The plan JSON as text: stable key order, trailing newline.

    Indented for people by default; ``compact`` (one line, the C encoder) for batch runs, where
    it is several times faster. ``jq .`` indents it again.
    """
    if compact:
        return json.dumps(plan_json(plan), ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(plan_json(plan), indent=2, ensure_ascii=False) + "\n"
