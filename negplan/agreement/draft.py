"""Agreed terms → a judged, dated payment schedule, or a refusal naming the nearest acceptable
terms.

The terms an executive agreed on the call are judged by the planning core's one evaluator
(:func:`negplan.core.options.evaluate`), exactly as the plan's own options were: the same
minimum, the same affordability, the same policy limits and the same authority. Terms the
creditor cannot accept are refused with the reasons and the nearest terms that *would* be
accepted, each checked by that same evaluator and phrased as a command to rerun
(docs/agreements.md).

A debtor the law protects from collection right now (bankruptcy stay, cease-communication
request, unverified dispute, breathing space, death) gets no agreement at all: a written
agreement is a demand for payment. Nor does a debt the end of its limitation period has
extinguished (Mississippi, Wisconsin, Scotland): it is no longer owed.

While part of the balance is disputed and not yet verified, an agreement covers only the
undisputed balance (15 U.S.C. § 1692g(b)): the plan's own case (:attr:`Plan.case`) has the
disputed amount set aside, and every balance, ceiling and clause here is that case's.

A down payment (paid on the day of the agreement) is judged by the same evaluator as the first of
the payments, so the scheduled payments are valued one month later than they fall: the value is
understated, never overstated, and a down payment counts as one of the payments that
``settlement.max_installments`` and ``plans.max_months`` limit (docs/agreements.md).
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

from negplan.agreement.nearest import base_amounts, nearest_terms
from negplan.agreement.refusals import refusals
from negplan.agreement.request import TermsRequest
from negplan.core.case import Case, OptionKind
from negplan.core.options import (
    REDUCTION_KINDS,
    SETTLEMENT_KINDS,
    SINGLE_PAYMENT,
    Judge,
    Option,
    evaluate,
    full_plan_amounts,
    plan_total,
)
from negplan.core.plan import Plan, judge_for
from negplan.core.proposals import step_up_amounts
from negplan.core.rules import Rules
from negplan.core.schedule import DueDate, agreement_due_dates
from negplan.errors import InputError, TermsRefused
from negplan.money import ZERO, quantize, split_evenly
from negplan.records import record

#: Kinds that settle the account for less than the balance: the concession is lost on default.
REDUCED = REDUCTION_KINDS

#: Pre-flight checks whose "blocked" verdict also forbids a written demand for payment. A block
#: on calling (time of day, call frequency) does not; an attorney-represented debtor gets the
#: agreement through the attorney (the document says so).
COLLECTION_BLOCKS = (
    "in_bankruptcy",
    "cease_communication",
    "deceased",
    "disputed",
    "breathing_space",
)


@record
class AgreedPayment:
    number: int
    date: DueDate
    amount: Decimal


@record
class Agreement:
    """Terms the creditor accepts, with their business-day schedule.

    ``case`` is the case as planned (``plan.case``): with a partial dispute open, its balance is
    the undisputed balance. ``payments`` are the scheduled payments (numbered from 1); a down
    payment, paid on the agreement date, is ``down_payment`` (number 0).
    """

    case: Case
    rules: Rules
    plan: Plan
    option: Option  # as judged by the evaluator (nominal monthly dates; down payment first)
    payments: list[AgreedPayment]
    approved_by: str | None
    issued: date
    down_payment: AgreedPayment | None = None

    @property
    def kind(self) -> OptionKind:
        return self.option.kind

    @property
    def total(self) -> Decimal:
        return self.option.total

    @property
    def balance(self) -> Decimal:
        """The balance the agreement covers: the undisputed balance while a dispute is open."""
        return self.plan.case.balance

    @property
    def disputed_amount(self) -> Decimal:
        """The disputed amount set aside: not part of this agreement (0 when none)."""
        return self.plan.disputed_amount

    @property
    def down_amount(self) -> Decimal:
        return ZERO if self.down_payment is None else self.down_payment.amount

    @property
    def first_due(self) -> date:
        """The nominal first due date the monthly dates are stepped from."""
        return self.payments[0].date.nominal

    @property
    def approval_required(self) -> bool:
        return not self.option.within_authority

    @property
    def waived(self) -> Decimal:
        """What the creditor gives up if every payment is made (0 unless a reduction)."""
        return max(ZERO, self.balance - self.total) if self.kind in REDUCED else ZERO

    @property
    def review_date(self) -> date | None:
        """When a hardship arrangement is reviewed: a month after its last nominal due date, moved
        off weekends and public holidays as the due dates are (nobody holds a review on Sunday)."""
        if self.kind is not OptionKind.hardship_token:
            return None
        count = len(self.payments) + 1
        return agreement_due_dates(self.first_due, count, self.case.jurisdiction)[-1].due


@record
class _Terms:
    """Resolved terms: a kind and its payments, ready for the evaluator."""

    option_id: str
    kind: OptionKind
    amounts: list[Decimal]


def draft_agreement(
    case: Case,
    rules: Rules,
    plan: Plan,
    request: TermsRequest,
    *,
    as_of: date,
    command: str,
) -> Agreement:
    """Judge ``request`` against ``plan``; the agreement, or :class:`TermsRefused`.

    ``case`` is the case as read; the agreement is drawn on the case as planned
    (``plan.case``: the undisputed balance while part of it is disputed). ``command`` starts the
    rerun commands quoted as the nearest acceptable terms: the real ``negplan agreement PATH``
    (with ``--rules`` and ``--as-of`` when given).
    """
    if case.case_id != plan.case_id:
        raise ValueError("the plan is not this case's plan")
    _check_lawful(plan)
    first_due = request.first_due or plan.first_due
    if first_due < as_of:
        raise InputError.single(
            f"the first payment date {first_due} is before the agreement date {as_of}",
            path=request.name("first_due"),
        )
    if request.down_payment is not None and first_due <= as_of:
        raise InputError.single(
            f"the down payment is paid on the agreement date {as_of}; the first scheduled "
            "payment must fall after it",
            path=request.name("first_due"),
        )
    judge = dataclasses.replace(judge_for(plan, rules), first_due=first_due)
    terms = _resolve(plan, judge, request)
    option = evaluate(
        judge, terms.option_id, terms.kind, terms.amounts, down_payment=request.down_payment
    )
    reasons = refusals(option, plan, request.approved_by, request.down_payment)
    latest = as_of + timedelta(days=rules.agreements.max_first_payment_days)
    if first_due > latest:
        reasons.append(
            f"outside policy: the first scheduled payment on {first_due} is more than "
            f"agreements.max_first_payment_days = {rules.agreements.max_first_payment_days} "
            f"days after the agreement date {as_of}; the latest allowed is {latest}"
        )
    if reasons:
        nearest = nearest_terms(plan, judge, request, option, command, min(first_due, latest))
        raise TermsRefused(reasons, nearest)
    plan_case = plan.case
    scheduled = option.payments[1:] if request.down_payment is not None else option.payments
    dates = agreement_due_dates(first_due, len(scheduled), plan_case.jurisdiction)
    payments = [
        AgreedPayment(number, when, paid.amount)
        for number, (when, paid) in enumerate(zip(dates, scheduled, strict=True), start=1)
    ]
    down = None
    if request.down_payment is not None:
        # Paid on the day of the agreement, whatever day that is: it is taken on the call.
        down = AgreedPayment(0, DueDate(as_of, as_of), option.payments[0].amount)
    return Agreement(
        case=plan_case,
        rules=rules,
        plan=plan,
        option=option,
        payments=payments,
        approved_by=request.approved_by,
        issued=as_of,
        down_payment=down,
    )


def _check_lawful(plan: Plan) -> None:
    blocks = [
        f"compliance ({f.check}): {f.message} [{f.rule}]"
        for f in plan.compliance.findings
        if f.level == "blocked" and f.check in COLLECTION_BLOCKS
    ]
    if blocks:
        raise TermsRefused(
            [*blocks, "a written agreement asks for payment: none may be sent while this lasts"]
        )
    limitation = plan.limitation
    if limitation.extinguished_by is not None:
        raise TermsRefused(
            [
                f"the debt is extinguished ({limitation.extinguished_by}): its limitation "
                f"period ran out after {limitation.expires}, and there the end of the period "
                "ends the debt itself, not only the right to sue, so it is no longer owed",
                "a written agreement asks for payment of it: none may be sent; take counsel's "
                "advice before asking the debtor for any payment",
            ]
        )


def _resolve(plan: Plan, judge: Judge, request: TermsRequest) -> _Terms:
    """The kind and payments ``request`` stands for (docs/agreements.md, "Terms")."""
    base = plan.option(request.option)
    if base is not None and not request.changes_payments:
        return _Terms(base.id, base.kind, [p.amount for p in base.payments])
    if base is not None:
        kind = base.kind
    else:
        try:
            kind = OptionKind(request.option)
        except ValueError:
            ids = ", ".join(o.id for o in plan.options) or "none"
            kinds = ", ".join(k.value for k in OptionKind)
            raise InputError.single(
                f"unknown option {request.option!r}; this plan's options: {ids}; kinds: {kinds}",
                path=request.name("option"),
            ) from None
    kind, amounts = _payments(kind, request, judge, base, plan.disputed_amount)
    same_as_base = base is not None and base.kind is kind and amounts == base_amounts(base)
    return _Terms(base.id if same_as_base and base else kind.value, kind, amounts)


def _payments(
    kind: OptionKind, request: TermsRequest, judge: Judge, base: Option | None, disputed: Decimal
) -> tuple[OptionKind, list[Decimal]]:
    """Payments for ``kind``: the requested amount is always the total; defaults come from ``base``.

    A down payment comes first and is part of the total; ``--installments`` and ``--months``
    schedule the rest. With one, a single payment becomes two (a settlement in installments;
    payment in full, a full plan of the rest in one payment).
    """
    case = judge.case  # the case as planned: the undisputed balance
    rules = judge.rules
    total = request.amount if request.amount is not None else (base.total if base else None)
    count_default = base.count if base else None
    if base is not None and request.down_payment is not None and base.kind in SINGLE_PAYMENT:
        count_default = 1  # the rest of a single payment, after the down payment
    amount, installments, months = (request.name(n) for n in ("amount", "installments", "months"))
    down = request.down_payment
    balance = balance_words(judge, disputed)

    if kind is OptionKind.pay_in_full:
        # ``installments: 1`` (or ``months: 1``) is one payment (examples/full-pay-now.yaml).
        if not {request.installments, request.months} <= {None, 1}:
            raise InputError.single(
                "payment in full is one payment of the balance; for monthly payments use "
                + request.ask(("option", "plan_full"), ("months", "N")),
                path=request.name("option"),
            )
        if request.amount is not None and request.amount != case.balance:
            raise InputError.single(
                f"payment in full is {balance}; for less, use "
                + request.ask(("option", "settlement"), ("amount", "A")),
                path=amount,
            )
        if down is None:
            return kind, [case.balance]
        _check_down(down, case.balance, request, judge)
        kind = OptionKind.plan_full
        _check_no_interest_on_down(judge, 1, request)
        return kind, [down, case.balance - down]

    if kind in SETTLEMENT_KINDS:
        if request.months is not None:
            raise InputError.single(
                f"a settlement is split with {installments}, not {months}", path=months
            )
        count = request.installments or count_default
        if count is None and kind is OptionKind.settlement:
            count = 1
        if total is None or count is None:
            raise InputError.single(
                f"a settlement in installments needs {amount} (the total) and {installments}"
                if kind is OptionKind.settlement_installments
                else f"a settlement needs {amount} (the total to pay)",
                path=amount if total is None else installments,
            )
        if down is not None:
            _check_down(down, total, request, judge)
            rest = split_evenly(total - down, count, case.currency)
            return OptionKind.settlement_installments, [down, *rest]
        settled = OptionKind.settlement if count == 1 else OptionKind.settlement_installments
        return settled, split_evenly(total, count, case.currency)

    if request.installments is not None:
        raise InputError.single(
            f"{kind.value.replace('_', ' ')} runs for {months}, not {installments}",
            path=installments,
        )
    term = request.months or count_default

    if kind is OptionKind.plan_full:
        if term is None:
            raise InputError.single(f"a full plan needs {months}", path=months)
        if down is not None:
            _check_no_interest_on_down(judge, term, request)
            _check_down(down, case.balance, request, judge)
            if request.amount is not None and request.amount != case.balance:
                raise InputError.single(
                    f"a full plan repays {balance}; for less, use "
                    + request.ask(
                        ("option", "plan_reduced"), ("amount", "A"), ("months", str(term))
                    ),
                    path=amount,
                )
            return kind, [down, *split_evenly(case.balance - down, term, case.currency)]
        repaid = plan_total(judge, term)
        if request.amount is not None and request.amount != repaid:
            raise InputError.single(
                f"a full plan over {term} months repays {judge.money(repaid)}; for less, use "
                + request.ask(("option", "plan_reduced"), ("amount", "A"), ("months", str(term))),
                path=amount,
            )
        return kind, full_plan_amounts(judge, term)

    if kind is OptionKind.plan_reduced:
        if total is None or term is None:
            raise InputError.single(
                f"a reduced plan needs {amount} (the total) and {months}",
                path=amount if total is None else months,
            )
        if down is not None:
            _check_down(down, total, request, judge)
            return kind, [down, *split_evenly(total - down, term, case.currency)]
        return kind, split_evenly(total, term, case.currency)

    if kind is OptionKind.plan_step_up:
        return kind, _step_up(request, judge, base)

    # hardship_token: the same payment each month until the review
    if request.amount is not None:
        raise InputError.single(
            "a hardship arrangement pays what the debtor can afford (at least "
            f"plans.token_payment {judge.money(rules.plans.token_payment)}) each month until "
            f"the review; it takes no {amount}",
            path=amount,
        )
    if down is not None:
        raise InputError.single(
            "a hardship arrangement is the same payment each month until a review; it takes no "
            "down payment",
            path=request.name("down_payment"),
        )
    term = term or rules.plans.hardship_review_months
    # As the plan proposes it: what the debtor can afford until the review, at least the token.
    if base is not None and base.kind is kind:
        payment = base.installment
    else:
        token = quantize(rules.plans.token_payment, case.currency)
        payment = max(token, judge.affordability.affordable_monthly)
    return kind, [payment] * term


def _step_up(request: TermsRequest, judge: Judge, base: Option | None) -> list[Decimal]:
    """A step-up plan as the plan proposes it (SPEC §4a): its amounts follow from the hardship's
    expected end and plans.max_months, so none of them is set on the command line."""
    for key in ("amount", "months", "down_payment"):
        if getattr(request, key) is not None:
            raise InputError.single(
                "a step-up plan pays what the debtor can afford until the review after the "
                "hardship's expected end, then the payment that repays the balance within "
                f"plans.max_months, so {request.name(key)} does not apply; for terms of your "
                "own, use " + request.ask(("option", "plan_full"), ("months", "N")),
                path=request.name(key),
            )
    if base is not None and base.kind is OptionKind.plan_step_up:
        return [p.amount for p in base.payments]
    amounts = step_up_amounts(judge)
    if amounts is None:
        raise InputError.single(
            "a step-up plan needs a temporary hardship with an expected end after the first "
            "payment (finances.hardship: temporary: true, expected_end: DATE)",
            path=request.name("option"),
        )
    return amounts


def balance_words(judge: Judge, disputed: Decimal) -> str:
    """The balance as a message names it: "the balance 8,885.58 USD", or, while part of it is
    disputed, "the undisputed balance 8,685.58 USD (200.00 USD disputed is set aside until
    verified)"."""
    shown = judge.money(judge.case.balance)
    if not disputed:
        return f"the balance {shown}"
    return (
        f"the undisputed balance {shown} ({judge.money(disputed)} disputed is set aside until "
        "verified)"
    )


def _check_down(down: Decimal, total: Decimal, request: TermsRequest, judge: Judge) -> None:
    if down >= total:
        raise InputError.single(
            f"the down payment {judge.money(down)} must be less than the total "
            f"{judge.money(total)}: it is part of the total, and the rest is scheduled",
            path=request.name("down_payment"),
        )


def _check_no_interest_on_down(judge: Judge, term: int, request: TermsRequest) -> None:
    """Under ``plans.interest: contract`` a full plan is an annuity on the balance; a down
    payment would change the interest in a way the evaluator does not model, so repaying the
    balance with a down payment is not offered there."""
    if plan_total(judge, term + 1) != judge.case.balance:
        raise InputError.single(
            "repaying the balance with contract interest (plans.interest: contract) takes no "
            "down payment; agree a reduced plan (plan_reduced) with it, or none",
            path=request.name("down_payment"),
        )
