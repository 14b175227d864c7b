"""The nearest terms the creditor would accept, when the asked ones are refused.

Each suggestion is judged by the same evaluator as the plan's options and phrased as the
arguments that ask for it again (spelled by the caller, see :mod:`negplan.agreement.request`).
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

from negplan.agreement.refusals import down_payment_refusals, refusals
from negplan.agreement.request import TermsRequest
from negplan.core.case import OptionKind
from negplan.core.options import (
    PLAN_KINDS,
    SETTLEMENT_KINDS,
    Judge,
    Option,
    evaluate,
    full_plan_amounts,
    plan_total,
)
from negplan.core.plan import Plan
from negplan.core.terms import plan_terms
from negplan.money import ZERO, split_evenly
from negplan.records import record

_MAX_NEAREST = 3


def base_amounts(option: Option) -> list[Decimal]:
    return [p.amount for p in option.payments]


@record
class _Candidate:
    option: Option
    terms: tuple[tuple[str, str], ...]  # (term, value) pairs that ask for it again
    label: str


def nearest_terms(
    plan: Plan,
    judge: Judge,
    request: TermsRequest,
    refused: Option,
    command: str,
    first_due: date,
) -> list[str]:
    """The acceptable terms closest to ``refused``, each as a command to rerun.

    The plan's recommended option comes first. Then, when only the authority or the first
    payment date stands in the way, the same terms put right. Then candidates judged by the
    same evaluator, only those it accepts, the same kind first, then the same number of
    payments, then the nearest total. ``first_due`` is the first payment date to suggest (the
    asked one, or the latest allowed).
    """
    covered = _covered(plan)
    extra: list[tuple[str, str]] = []
    if request.first_due is not None or first_due != judge.first_due:
        extra += [("first_due", first_due.isoformat())]

    def approval(option: Option) -> list[tuple[str, str]]:
        if request.approved_by is not None:
            return [("approved_by", request.approved_by)]
        return [] if option.within_authority else [("approved_by", "NAME")]

    def accepted(candidates: Iterable[_Candidate]) -> list[_Candidate]:
        return [c for c in candidates if not refusals(c.option, plan, request.approved_by)]

    lines: list[str] = []
    recommended = plan.recommended
    if recommended is not None:
        label = "the plan's recommendation: " + _describe(recommended, judge.money, covered)
        if not recommended.within_authority and request.approved_by is None:
            label += " (needs approval)"
        args = request.spelled([("option", recommended.id), *extra, *approval(recommended)])
        lines.append(f"{label}: {command} {shlex.join(args)}")

    too_late = first_due != judge.first_due
    fixable = (
        refused.affordable
        and refused.meets_minimum
        and refused.within_policy
        and not down_payment_refusals(request.down_payment or ZERO, plan)
    )
    if recommended is not None and _same(recommended, refused):
        fixable = False  # the recommendation, just suggested, is these very terms
    if fixable and (too_late or not refused.within_authority):
        changes = []
        if too_late:
            changes.append(f"first due on {first_due}")
        if not refused.within_authority and request.approved_by is None:
            changes.append("approved by a manager")
        args = request.args(first_due=first_due if too_late else None)
        if not refused.within_authority and request.approved_by is None:
            args += request.spelled([("approved_by", "NAME")])
        lines.append(f"the same terms, {' and '.join(changes)}: {command} {shlex.join(args)}")

    candidates = accepted(_candidates(plan, judge, refused))

    def distance(c: _Candidate) -> tuple[int, int, Decimal]:
        same = c.option.kind is refused.kind
        family = _family(c.option.kind) == _family(refused.kind)
        return (
            0 if same else 1 if family else 2,
            abs(c.option.count - refused.count),
            abs(c.option.total - refused.total),
        )

    chosen: list[_Candidate] = []
    for candidate in sorted(candidates, key=distance):  # the nearest of each kind
        if recommended is not None and _same(recommended, candidate.option):
            continue
        if all(candidate.option.kind is not c.option.kind for c in chosen):
            chosen.append(candidate)
    for candidate in chosen[:_MAX_NEAREST]:
        args = request.spelled([*candidate.terms, *extra, *approval(candidate.option)])
        lines.append(f"{candidate.label}: {command} {shlex.join(args)}")
    if not lines:
        batna = plan.batna
        lines.append(
            f"none: no terms within this plan are acceptable; the creditor's best alternative "
            f"is {batna.kind.replace('_', ' ')}, worth {judge.money(batna.value or ZERO)}"
        )
    return lines


def _same(a: Option, b: Option) -> bool:
    return a.kind is b.kind and base_amounts(a) == base_amounts(b)


def _family(kind: OptionKind) -> str:
    if kind in SETTLEMENT_KINDS:
        return "settlement"
    if kind in PLAN_KINDS or kind is OptionKind.pay_in_full:
        return "repayment"
    return str(kind.value)


def _candidates(plan: Plan, judge: Judge, refused: Option) -> list[_Candidate]:
    """Terms worth trying: minimum settlements in 1..max installments, full plans of every
    length, reduced plans at the minimum payment, and the plan's own options."""
    case = judge.case
    rules = judge.rules
    cur = case.currency
    money = judge.money
    covered = _covered(plan)
    minimum = judge.minimum
    out: list[_Candidate] = []

    def add(kind: OptionKind, amounts: list[Decimal], terms: list[tuple[str, str]]) -> None:
        option = evaluate(judge, kind.value, kind, amounts)
        out.append(_Candidate(option, tuple(terms), _describe(option, money, covered)))

    totals = {minimum.minimum_settlement, minimum.executive_min_settlement}
    if refused.kind in SETTLEMENT_KINDS and minimum.minimum_settlement <= refused.total:
        totals.add(refused.total)
    for total in sorted(totals):
        if total >= case.balance:
            continue
        for k in range(1, rules.settlement.max_installments + 1):
            kind = OptionKind.settlement if k == 1 else OptionKind.settlement_installments
            asked = [("option", kind.value), ("amount", f"{total:f}")]
            add(
                kind,
                split_evenly(total, k, cur),
                asked + ([("installments", str(k))] if k > 1 else []),
            )

    for months in range(1, rules.plans.max_months + 1):
        add(
            OptionKind.plan_full,
            full_plan_amounts(judge, months),
            [("option", "plan_full"), ("months", str(months))],
        )

    terms = set(plan_terms(rules))
    if refused.kind in PLAN_KINDS and refused.count <= rules.plans.max_months:
        terms.add(refused.count)
    for months in sorted(terms):
        payment = minimum.plan_minimum(months)
        if payment is None:
            continue
        total = payment * months
        if total >= plan_total(judge, months):
            continue
        asked = [("option", "plan_reduced"), ("amount", f"{total:f}"), ("months", str(months))]
        add(OptionKind.plan_reduced, [payment] * months, asked)

    for option in plan.options:  # verdicts do not depend on the dates: judged as proposed
        if option.kind is OptionKind.hardship_token and refused.kind is not option.kind:
            continue  # a holding arrangement is no substitute for terms the debtor can pay
        out.append(_Candidate(option, (("option", option.id),), _describe(option, money, covered)))
    return out


def _covered(plan: Plan) -> str:
    return "undisputed balance" if plan.disputed_amount else "balance"


def _describe(option: Option, fmt: Callable[[Decimal], str], covered: str = "balance") -> str:
    """The terms in a few words; ``covered`` is "balance" or "undisputed balance"."""
    first = option.payments[0].amount
    count = option.count
    if option.kind is OptionKind.pay_in_full:
        return f"pay the {covered} of {fmt(option.total)} in one payment"
    if option.kind is OptionKind.settlement:
        return f"settle for {fmt(option.total)} in one payment"
    if option.kind is OptionKind.settlement_installments:
        return f"settle for {fmt(option.total)} in {count} monthly payments"
    if option.kind is OptionKind.plan_full and count == 1:
        return f"repay the {covered} of {fmt(option.total)} in one payment"
    if option.kind is OptionKind.plan_full:
        return f"repay the {covered} in {count} monthly payments of about {fmt(first)}"
    if option.kind is OptionKind.plan_reduced:
        return f"pay {fmt(first)} a month for {count} months ({fmt(option.total)} in all)"
    return f"payments of {fmt(first)} a month for {count} months until a review"
