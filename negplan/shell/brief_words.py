"""The brief's words: plain names for the plan's codes, each offer in a line, and the objections
this case is likely to hear.

The plan speaks in codes (``full_by_plan``, ``plan_full_12m``, ``write_off``, ``dining_out``):
stable keys for JSON, rules and tests. An executive reading the brief a minute before a call needs
words instead; the codes stay in the plan JSON and the call script's reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from negplan.core.case import Case, HardshipReason, NegotiationOutcome, OptionKind
from negplan.core.options import Option
from negplan.core.plan import Plan
from negplan.core.schedule import review_after
from negplan.shell.layout import keep

if TYPE_CHECKING:
    from negplan.core.arrangements import ArrangementStatus
    from negplan.script.compose import Objection

#: ``affordability.capacity`` (SPEC §2) in words.
CAPACITY = {
    "full_now": "can pay in full now",
    "full_by_plan": "can repay in full by monthly plan",
    "partial": "can pay part of the balance",
    "none": "no capacity to pay now",
}

#: The creditor's alternatives to a deal (SPEC §2, BATNA) in words.
ALTERNATIVE = {
    "litigation": "court action",
    "agency": "collection agency",
    "debt_sale": "sell the debt",
    "write_off": "write-off",
}

#: The kinds of deal (SPEC §4) in words.
KIND = {
    OptionKind.pay_in_full: "Pay in full",
    OptionKind.settlement: "Settle in one payment",
    OptionKind.settlement_installments: "Settle in instalments",
    OptionKind.plan_full: "Repay in full by plan",
    OptionKind.plan_reduced: "Reduced plan",
    OptionKind.plan_step_up: "Step-up plan",
    OptionKind.hardship_token: "Token payments",
}

#: Spending categories whose code is not already a plain word once its underscores go.
_CATEGORY = {
    "dining_out": "eating out",
    "gifts_donations": "gifts and donations",
    "phone_internet": "phone and internet",
    "personal_care": "personal care",
}


def category(code: str) -> str:
    """``dining_out`` → ``eating out``; ``food`` → ``food``."""
    return _CATEGORY.get(code, code.replace("_", " "))


def flag_words(flag: str) -> str:
    """A spending flag from the affordability check, its category in words, its rule key dropped
    (the key is in the plan JSON and the call script)."""
    text = flag.rsplit(" (", 1)[0]
    code, sep, rest = text.partition(": ")
    return f"{category(code)}: {rest}" if sep and " " not in code else text


Money = Callable[[Decimal | None], str]


def _runs(option: Option) -> tuple[list[tuple[Decimal, int]], bool]:
    """The payments as runs of equal amounts (``[(400, 3), (800, 9)]``), and whether a last odd
    payment (the rounding remainder) was folded into the run before it, making it "about"."""
    runs: list[tuple[Decimal, int]] = []
    for payment in option.payments:
        if runs and runs[-1][0] == payment.amount:
            runs[-1] = (payment.amount, runs[-1][1] + 1)
        else:
            runs.append((payment.amount, 1))
    if len(runs) > 1 and runs[-1][1] == 1:
        last = runs.pop()
        runs[-1] = (runs[-1][0], runs[-1][1] + last[1])
        return runs, True
    return runs, False


def offer_line(option: Option, m: Money, *, short: bool = False) -> str:
    """``Repay in full by plan: 12 × 740.46 a month from 2026-12-07 (8,885.58 in all)``.

    Runs of equal payments are shown in turn (a step-up plan: ``3 × 400.00, then 9 × 800.00``);
    a last payment that differs only by the rounding remainder makes the line say "about". A
    ``short`` line (a ladder rung, under the recommendation that gives the start date) leaves
    out the start date, and the total where it is the whole balance.
    """
    first = option.payments[0]
    if option.count == 1:
        shape = f"{m(option.total)} in one payment by {first.due}"
    else:
        runs, about = _runs(option)
        shape = ", then ".join(keep(f"{n} × {m(amount)}") for amount, n in runs)
        shape = ("about " if about and len(runs) == 1 else "") + shape + " a month"
        shape += "" if short else f" from {first.due}"
        if not (short and option.kind in (OptionKind.plan_full, OptionKind.pay_in_full)):
            shape += f" ({m(option.total)} in all)"
    return f"{KIND[option.kind]}: {shape}"


#: How many objections the brief shows; the call script has them all.
SHOWN = 3

_HARDSHIP = {
    HardshipReason.job_loss: "job loss",
    HardshipReason.reduced_hours: "reduced hours",
    HardshipReason.medical: "medical",
    HardshipReason.divorce: "divorce",
    HardshipReason.bereavement: "bereavement",
    HardshipReason.other: "hardship",
}


def holding_note(plan: Plan, money: Callable[[Decimal], str]) -> str | None:
    """Why a hardship arrangement is recommended, when it is the fallback (SPEC §4: no offer
    the debtor can afford clears the minimum and the hardship is temporary), else None.

    It is a holding arrangement, not a settlement, and it may be worth less than the BATNA: the
    executive should know both before offering it, and when it is reviewed (a month after the
    last token payment, ``plans.hardship_review_months``, as the call script says).
    """
    option = plan.recommended
    if option is None or option.kind is not OptionKind.hardship_token or option.feasible:
        return None
    review = review_after(option.payments[0].due, len(option.payments))
    text = (
        "a holding arrangement while the hardship lasts, not a settlement: no offer the debtor "
        f"can afford clears the minimum; review it on {review}"
    )
    worth = plan.batna.value
    if worth is not None and option.expected_value < worth:
        text += (
            f"; worth less than the BATNA ({ALTERNATIVE[plan.batna.kind]} {money(worth)}), "
            "which stays open if it breaks"
        )
    return text


def hardship(case: Case) -> str | None:
    """``job loss (temporary, to 2027-03-31)``, or None without a hardship."""
    found = case.finances.hardship
    if found.reason is HardshipReason.none:
        return None
    text = _HARDSHIP[found.reason]
    if found.temporary:
        text += f" (temporary, to {found.expected_end})" if found.expected_end else " (temporary)"
    return text


def likely_objections(case: Case, plan: Plan, playbook: Iterable[Objection]) -> list[Objection]:
    """The objections this debtor is most likely to raise, most likely first, at most
    :data:`SHOWN`: chosen from the case's flags, hardship, history and capacity.

    A time-barred debt first (the debtor may say "it's too old", and the answer is regulated);
    a dispute on file; a hardship or a capacity short of the balance ("I can't afford it"); a
    broken promise ("I'll pay later" again); a bankruptcy or attorney flag. What is left is
    filled in playbook order.
    """
    by_code = {objection.code: objection for objection in playbook}
    flags = case.debtor.flags
    history = case.previous_negotiations
    broken = any(n.outcome is NegotiationOutcome.broken_promise for n in history)
    refused = any(n.outcome is NegotiationOutcome.refused for n in history)
    wanted = [
        ("time_barred", plan.time_barred),
        ("dispute", flags.disputed or flags.disputed_amount is not None),
        (
            "cant_afford",
            hardship(case) is not None or plan.affordability.capacity in ("partial", "none"),
        ),
        ("pay_later", broken),
        ("bankruptcy", flags.in_bankruptcy or flags.attorney_represented),
        ("hostile", refused),
    ]
    codes = [code for code, applies in wanted if applies]
    codes += [code for code in by_code if code not in codes]
    return [by_code[code] for code in codes if code in by_code][:SHOWN]


def on_track_line(status: ArrangementStatus, currency: str) -> str:
    """The banner's line for a debtor keeping to an arrangement in the ledger (SPEC §8).

    Arrangements are imported here: only a ledger's case needs them, and prep without one is
    quicker to start without (issue 20)."""
    from negplan.core.arrangements import standing

    words = standing(status, currency)
    return (
        f"{words[0].upper()}{words[1:]}: the debtor is keeping to the deal, and no collection "
        "call is due while it holds."
    )
