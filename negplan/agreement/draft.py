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
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from negplan.core.case import Case, OptionKind
from negplan.core.options import Judge, Option, evaluate, full_plan_amounts, plan_total
from negplan.core.plan import Plan, judge_for
from negplan.core.reasons import Reason, texts, with_code
from negplan.core.rules import Rules
from negplan.core.schedule import DueDate, agreement_due_dates, monthly_due_dates
from negplan.core.terms import minimum_plan_payment, plan_terms
from negplan.display import display
from negplan.errors import InputError, TermsRefused
from negplan.money import MAX_AMOUNT, ZERO, minor_unit, quantize, split_evenly, to_decimal

#: Kinds that settle the account for less than the balance: the concession is lost on default.
REDUCED = frozenset(
    {OptionKind.settlement, OptionKind.settlement_installments, OptionKind.plan_reduced}
)
_SETTLEMENTS = frozenset({OptionKind.settlement, OptionKind.settlement_installments})
_PLANS = frozenset({OptionKind.plan_full, OptionKind.plan_reduced})

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

_MAX_NEAREST = 3


@dataclass(frozen=True)
class TermsRequest:
    """The terms as asked for, before they are judged."""

    option: str  # a plan option id or an option kind
    amount: Decimal | None = None  # the TOTAL to be paid
    installments: int | None = None  # settlements
    months: int | None = None  # plans and hardship arrangements
    first_due: date | None = None  # nominal first due date; default the plan's
    approved_by: str | None = None
    down_payment: Decimal | None = None  # paid on the agreement date; part of the total
    from_case: bool = False  # taken from the case's ``agreement:`` section

    def name(self, field: str) -> str:
        """How the user wrote ``field``: ``--first-due`` or ``agreement.first_due``."""
        return f"agreement.{field}" if self.from_case else "--" + field.replace("_", "-")

    @property
    def changes_payments(self) -> bool:
        changes = (self.amount, self.installments, self.months, self.down_payment)
        return changes != (None, None, None, None)

    def args(self, *, first_due: date | None = None) -> list[str]:
        """Command-line arguments asking for these terms again (``first_due`` replacing the
        asked one). Terms from the case file are repeated as overrides of its section."""
        args = [] if self.from_case else ["--option", self.option]
        if self.amount is not None:
            args += ["--amount", f"{self.amount:f}"]
        if self.down_payment is not None:
            args += ["--down-payment", f"{self.down_payment:f}"]
        if self.installments is not None:
            args += ["--installments", str(self.installments)]
        if self.months is not None:
            args += ["--months", str(self.months)]
        day = first_due or self.first_due
        if day is not None:
            args += ["--first-due", day.isoformat()]
        if self.approved_by is not None:
            args += ["--approved-by", self.approved_by]
        return args


@dataclass(frozen=True)
class AgreedPayment:
    number: int
    date: DueDate
    amount: Decimal


@dataclass(frozen=True)
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
        """When a hardship arrangement is reviewed: a month after its last nominal due date."""
        if self.kind is not OptionKind.hardship_token:
            return None
        return monthly_due_dates(self.first_due, len(self.payments) + 1)[-1]


# ----------------------------------------------------------------------------- the request


def agreement_moment(as_of: date, case: Case) -> datetime:
    """The moment the pre-flight is judged at for a written agreement: noon on ``as_of`` in the
    debtor's time zone (no call is placed, so the time of day does not matter; a fixed moment
    keeps the document the same for the same inputs)."""
    return datetime.combine(as_of, time(12), tzinfo=case.debtor.zone)


def terms_request(
    case: Case,
    *,
    option: str | None,
    amount: str | None = None,
    installments: int | None = None,
    months: int | None = None,
    first_due: date | None = None,
    approved_by: str | None = None,
    down_payment: str | None = None,
    case_name: str = "the case file",
) -> TermsRequest:
    """The terms asked for: the command line's, else the case's ``agreement:`` section.

    With ``--option`` every term comes from the command line (an approval in the case file was
    given for *its* terms, not these). Without it, the case's section is used and any of
    ``--amount``, ``--down-payment``, ``--installments``, ``--months``, ``--first-due``,
    ``--approved-by`` given on the command line overrides its value.
    """
    parsed_amount = None if amount is None else _parse_amount(amount, case.currency, "--amount")
    parsed_down = (
        None
        if down_payment is None
        else _parse_amount(down_payment, case.currency, "--down-payment")
    )
    approver = _approver(approved_by)
    if option is not None:
        return TermsRequest(
            option=option.strip(),
            amount=parsed_amount,
            installments=installments,
            months=months,
            first_due=first_due,
            approved_by=approver,
            down_payment=parsed_down,
        )
    agreed = case.agreement
    if agreed is None:
        raise InputError.single(
            "no terms to put in writing: pass --option (a plan option id such as plan_full_12m, "
            "or a kind such as settlement) or add an agreement: section to the case file",
            file=case_name,
        )
    return TermsRequest(
        option=agreed.option.value,
        amount=agreed.amount if parsed_amount is None else parsed_amount,
        installments=agreed.installments if installments is None else installments,
        months=agreed.months if months is None else months,
        first_due=agreed.first_due if first_due is None else first_due,
        approved_by=_approver(agreed.approved_by) if approver is None else approver,
        down_payment=(agreed.down_payment or None) if parsed_down is None else parsed_down,
        from_case=True,
    )


def _parse_amount(text: str, currency: str, name: str) -> Decimal:
    try:
        value = to_decimal(text)
    except ValueError as exc:
        raise InputError.single(str(exc), path=name) from None
    if value <= 0:
        raise InputError.single("must be more than 0", path=name)
    if value > MAX_AMOUNT:
        raise InputError.single(f"must be at most {MAX_AMOUNT:,} (is this a typo?)", path=name)
    if value != quantize(value, currency):
        places = minor_unit(currency)
        raise InputError.single(
            f"{text.strip()} has more decimal places than {currency} allows ({places})", path=name
        )
    return quantize(value, currency)


def _approver(name: str | None) -> str | None:
    if name is None or not name.strip():
        return None
    cleaned = " ".join(name.split())
    if len(cleaned) > 200 or any(ord(c) < 32 or ord(c) == 127 for c in cleaned):
        raise InputError.single(
            "must be a name of at most 200 printable characters", path="--approved-by"
        )
    return cleaned


# ----------------------------------------------------------------------------- judging


@dataclass(frozen=True)
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
    reasons = _refusals(option, plan, request.approved_by, request.down_payment)
    latest = as_of + timedelta(days=rules.agreements.max_first_payment_days)
    if first_due > latest:
        reasons.append(
            f"outside policy: the first scheduled payment on {first_due} is more than "
            f"agreements.max_first_payment_days = {rules.agreements.max_first_payment_days} "
            f"days after the agreement date {as_of}; the latest allowed is {latest}"
        )
    if reasons:
        nearest = _nearest(plan, judge, request, option, command, min(first_due, latest))
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


def base_amounts(option: Option) -> list[Decimal]:
    return [p.amount for p in option.payments]


def _payments(
    kind: OptionKind, request: TermsRequest, judge: Judge, base: Option | None, disputed: Decimal
) -> tuple[OptionKind, list[Decimal]]:
    """Payments for ``kind``: ``--amount`` is always the total; defaults come from ``base``.

    A down payment comes first and is part of the total; ``--installments`` and ``--months``
    schedule the rest. With one, a single payment becomes two (a settlement in installments;
    payment in full, a full plan of the rest in one payment).
    """
    case = judge.case  # the case as planned: the undisputed balance
    rules = judge.rules
    total = request.amount if request.amount is not None else (base.total if base else None)
    count_default = base.count if base else None
    if base is not None and request.down_payment is not None and base.kind in _SINGLE:
        count_default = 1  # the rest of a single payment, after the down payment
    amount, installments, months = (request.name(n) for n in ("amount", "installments", "months"))
    down = request.down_payment
    balance = balance_words(judge, disputed)

    if kind is OptionKind.pay_in_full:
        if request.installments is not None or request.months is not None:
            raise InputError.single(
                "payment in full is one payment of the balance; for monthly payments use "
                "--option plan_full --months N",
                path=request.name("option"),
            )
        if request.amount is not None and request.amount != case.balance:
            raise InputError.single(
                f"payment in full is {balance}; for less, use --option settlement --amount A",
                path=amount,
            )
        if down is None:
            return kind, [case.balance]
        _check_down(down, case.balance, request, judge)
        kind = OptionKind.plan_full
        _check_no_interest_on_down(judge, 1, request)
        return kind, [down, case.balance - down]

    if kind in _SETTLEMENTS:
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
                    f"a full plan repays {balance}; for less, use --option plan_reduced "
                    f"--amount A --months {term}",
                    path=amount,
                )
            return kind, [down, *split_evenly(case.balance - down, term, case.currency)]
        repaid = plan_total(judge, term)
        if request.amount is not None and request.amount != repaid:
            raise InputError.single(
                f"a full plan over {term} months repays {judge.money(repaid)}; for less, use "
                f"--option plan_reduced --amount A --months {term}",
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


_SINGLE = frozenset({OptionKind.pay_in_full, OptionKind.settlement})


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


def _refusals(
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
            out += _down_payment_refusals(down_payment, plan)
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


def _down_payment_refusals(down: Decimal, plan: Plan) -> list[str]:
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
_BELOW_MINIMUM = ("below_minimum_settlement", "below_policy_floor", "worth_less_than_batna")
_BELOW_AUTHORITY = ("below_authority",)
_POLICY_PREFIX = "outside_policy_"


def _picked(option: Option, codes: tuple[str, ...], fallback: str) -> list[str]:
    """The texts of the option's reasons with these codes, or ``fallback`` when none."""
    return texts(with_code(option.reasons, *codes)) or [fallback]


# ----------------------------------------------------------------------------- nearest terms


@dataclass(frozen=True)
class _Candidate:
    option: Option
    args: tuple[str, ...]
    label: str


def _nearest(
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
    extra: list[str] = []
    if request.first_due is not None or first_due != judge.first_due:
        extra += ["--first-due", first_due.isoformat()]

    def approval(option: Option) -> list[str]:
        if request.approved_by is not None:
            return ["--approved-by", request.approved_by]
        return [] if option.within_authority else ["--approved-by", "NAME"]

    def accepted(candidates: Iterable[_Candidate]) -> list[_Candidate]:
        return [c for c in candidates if not _refusals(c.option, plan, request.approved_by)]

    lines: list[str] = []
    recommended = plan.recommended
    if recommended is not None:
        label = "the plan's recommendation: " + _describe(recommended, judge.money, covered)
        if not recommended.within_authority and request.approved_by is None:
            label += " (needs approval)"
        args = ["--option", recommended.id, *extra, *approval(recommended)]
        lines.append(f"{label}: {command} {shlex.join(args)}")

    too_late = first_due != judge.first_due
    fixable = (
        refused.affordable
        and refused.meets_minimum
        and refused.within_policy
        and not _down_payment_refusals(request.down_payment or ZERO, plan)
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
            args += ["--approved-by", "NAME"]
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
        args = [*candidate.args, *extra, *approval(candidate.option)]
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
    if kind in _SETTLEMENTS:
        return "settlement"
    if kind in _PLANS or kind is OptionKind.pay_in_full:
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

    def add(kind: OptionKind, amounts: list[Decimal], args: list[str]) -> None:
        option = evaluate(judge, kind.value, kind, amounts)
        out.append(_Candidate(option, tuple(args), _describe(option, money, covered)))

    totals = {minimum.minimum_settlement, minimum.executive_min_settlement}
    if refused.kind in _SETTLEMENTS and minimum.minimum_settlement <= refused.total:
        totals.add(refused.total)
    for total in sorted(totals):
        if total >= case.balance:
            continue
        for k in range(1, rules.settlement.max_installments + 1):
            kind = OptionKind.settlement if k == 1 else OptionKind.settlement_installments
            args = ["--option", kind.value, "--amount", f"{total:f}"]
            add(
                kind,
                split_evenly(total, k, cur),
                args + (["--installments", str(k)] if k > 1 else []),
            )

    for months in range(1, rules.plans.max_months + 1):
        add(
            OptionKind.plan_full,
            full_plan_amounts(judge, months),
            ["--option", "plan_full", "--months", str(months)],
        )

    terms = set(plan_terms(rules))
    if refused.kind in _PLANS and refused.count <= rules.plans.max_months:
        terms.add(refused.count)
    batna = judge.batna_value
    for months in sorted(terms):
        payment = minimum_plan_payment(
            months, case, rules, judge.affordability.affordable_monthly, batna, minimum.floor.amount
        )
        if payment is None:
            continue
        total = payment * months
        if total >= plan_total(judge, months):
            continue
        args = ["--option", "plan_reduced", "--amount", f"{total:f}", "--months", str(months)]
        add(OptionKind.plan_reduced, [payment] * months, args)

    for option in plan.options:  # verdicts do not depend on the dates: judged as proposed
        if option.kind is OptionKind.hardship_token and refused.kind is not option.kind:
            continue  # a holding arrangement is no substitute for terms the debtor can pay
        out.append(_Candidate(option, ("--option", option.id), _describe(option, money, covered)))
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
