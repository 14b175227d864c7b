"""Why the creditor cannot accept agreed terms, in the evaluator's own reasons.

Each refusal quotes the reason the planning core gave (:func:`negplan.core.options.evaluate`),
chosen by its code, with what it means for a written agreement.
"""

from __future__ import annotations

from decimal import Decimal

from negplan.core.case import OptionKind
from negplan.core.options import Option
from negplan.core.plan import Plan
from negplan.core.reasons import Reason, texts, with_code
from negplan.display import display


def refusals(
    option: Option, plan: Plan, approved_by: str | None, down_payment: Decimal | None = None
) -> list[str]:
    """Why the creditor cannot accept ``option``; empty when it can.

    Below the minimum, an approval cannot help: the authority is then not mentioned.
    """
    out: list[str] = []
    below_minimum = False
    if option.kind is OptionKind.hardship_token:
        # A holding arrangement, not a settlement: allowed only where the plan offers one, and
        # it only holds the account until a review, so affordability and the minimum are not
        # judged.
        if plan.option("hardship_token") is None:
            out.append(
                "the plan offers no hardship arrangement: token payments are for a debtor with "
                "no capacity to pay or a temporary hardship"
            )
    else:
        if down_payment is not None:
            out += down_payment_refusals(down_payment, plan)
        if not option.affordable:
            out += _picked(option, _NOT_AFFORDABLE, "not affordable for the debtor")
        if not option.meets_minimum:
            below_minimum = True
            out += _picked(option, _BELOW_MINIMUM, "below the creditor's minimum acceptable terms")
    if not option.within_policy:
        breaches = [r for r in option.reasons if r.code.startswith(_POLICY_PREFIX)]
        out += [_policy_note(b, plan, down_payment) for b in breaches] or ["outside policy"]
    if not option.within_authority and approved_by is None and not below_minimum:
        out += _picked(option, _BELOW_AUTHORITY, "below the executive's authority")
    return out


def down_payment_refusals(down: Decimal, plan: Plan) -> list[str]:
    """A down payment is paid now: from savings and this month's affordable payment at most
    (the good-faith payment's limit, SPEC §4)."""
    afford = plan.affordability
    now = afford.lump_sum_capacity + afford.affordable_monthly
    if down <= now:
        return []
    cur = plan.currency
    return [
        f"not affordable: the down payment {display(down, cur)} is more than the debtor can "
        f"pay now, {display(now, cur)} (lump sum capacity "
        f"{display(afford.lump_sum_capacity, cur)} + one month's affordable payment "
        f"{display(afford.affordable_monthly, cur)})"
    ]


def _policy_note(breach: Reason, plan: Plan, down_payment: Decimal | None) -> str:
    """The evaluator's policy breach, with what it means for a written agreement."""
    cur = plan.currency
    if breach.code == "outside_policy_more_than_owed" and plan.disputed_amount:
        return (
            f"outside policy: more than the undisputed balance {display(plan.balance, cur)}; the "
            f"disputed {display(plan.disputed_amount, cur)} is set aside until it is verified and "
            "cannot be part of an agreement (15 U.S.C. § 1692g(b))"
        )
    counts = ("outside_policy_max_installments", "outside_policy_max_months")
    if down_payment is not None and breach.code in counts:
        return f"{breach.text} (the down payment counts as one of the payments)"
    return breach.text


#: The evaluator's reason codes behind each refusal (negplan.core.options.evaluate).
_NOT_AFFORDABLE = ("not_affordable",)
_BELOW_MINIMUM = ("below_minimum_settlement", "below_minimum_plan")
_BELOW_AUTHORITY = ("below_authority",)
_POLICY_PREFIX = "outside_policy_"


def _picked(option: Option, codes: tuple[str, ...], fallback: str) -> list[str]:
    """The texts of the option's reasons with these codes, or ``fallback`` when none."""
    return texts(with_code(option.reasons, *codes)) or [fallback]
