"""What is true about one case for its call script: the deal worked towards, what may be asked
for, the disputed part, and how figures are said to the debtor.

Every other ``negplan.script_*`` module asks these questions here, so that the talking points,
the objections, the do-not-say check and the template agree on them:

* :func:`target`, :func:`token` and :func:`good_faith_ask`: the deal, the hardship arrangement and
  the first payment the script asks for. None of them exists for an **extinguished** debt
  (:func:`extinguished`): where the end of the limitation period extinguishes the debt itself
  (Miss. Code 15-1-3, Wis. Stat. 893.05, Prescription and Limitation (Scotland) Act 1973 s.6),
  the pre-flight says to take counsel's advice before asking for any payment, and the script asks
  for none.
* :func:`dispute`: the part of the balance set aside while a written dispute is open. The plan's
  figures already cover only the undisputed part (``Plan.case``); the script says so.
* :class:`Speech`: lines read aloud to the debtor write amounts the way the debtor reads them
  (``$1,480.93``, ``£482.51``, ``₹1,23,456.00``, with babel, as the written agreement does) and
  dates in full (``10 December 2026``). Tables for the executive keep ``1,480.93 USD``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from negplan.core.case import Case, CreditorKind, OptionKind, Product
from negplan.core.options import PLAN_KINDS, Option
from negplan.core.plan import Plan
from negplan.core.rules import Rules
from negplan.core.schedule import review_after
from negplan.display import currency, long_date, money
from negplan.jurisdictions import parse_jurisdiction
from negplan.money import ZERO, minor_unit, quantize
from negplan.records import record
from negplan.wording import document_locale

#: Kinds of deal that pay less than the balance.
REDUCTIONS = frozenset(
    {OptionKind.settlement, OptionKind.settlement_installments, OptionKind.plan_reduced}
)
#: Kinds of deal paid monthly from income, to which a frozen plan interest applies.
PLANS = PLAN_KINDS

PRODUCT_WORDS = {
    Product.personal_loan: "personal loan",
    Product.credit_card: "credit card",
    Product.auto_loan: "auto loan",
    Product.medical: "medical bill",
    Product.utility: "utility account",
    Product.other: "account",
}


def country(case: Case) -> str:
    """``US``, ``GB``, ``IN``…: the rules of the call follow the country."""
    return _country_of(case.jurisdiction)


@lru_cache(maxsize=64)
def _country_of(jurisdiction: str) -> str:
    return parse_jurisdiction(jurisdiction).country


def script_locale(case: Case) -> str:
    """``en_US``, ``en_GB`` or ``en_IN``: how the debtor expects amounts to be written (the
    written agreement's locale)."""
    return document_locale(case.jurisdiction)


def _spoken_money(amount: Decimal, code: str, locale: str) -> str:
    """``render.currency(amount, code, locale)``, byte for byte, but quick.

    babel takes ~25 µs a figure, a fifth of a batch's time per case at a dozen spoken figures;
    so the layout babel gives a currency in a locale (symbol, separators, digit grouping) is
    learnt once from babel itself and checked against it (:func:`_currency_layout`).
    """
    layout = _currency_layout(code, locale)
    if layout is None or amount < 0:
        return currency(amount, code, locale)
    return layout.write(amount)


@record
class _Layout:
    """How babel writes an amount of one currency in one locale: ``$`` ``1,234,567`` ``.89``."""

    code: str
    prefix: str
    suffix: str
    group: str
    decimal: str
    primary: int  # digits in the last group (3)
    secondary: int  # digits in each group before it (3; 2 in India: 12,34,567)

    def write(self, amount: Decimal) -> str:
        whole, _, fraction = f"{quantize(amount, self.code):f}".partition(".")
        groups = []
        size = self.primary
        while len(whole) > size:
            groups.append(whole[-size:])
            whole = whole[:-size]
            size = self.secondary
        groups.append(whole)
        number = self.group.join(reversed(groups))
        if fraction:
            number += self.decimal + fraction
        return self.prefix + number + self.suffix


_PROBES = tuple(
    Decimal(text)
    for text in ("0", "0.5", "7", "12.34", "999.99", "1000", "123456.78", "1234567.89", "1e9")
)


@lru_cache(maxsize=64)
def _currency_layout(code: str, locale: str) -> _Layout | None:
    """The layout babel gives ``code`` in ``locale``, learnt once per user (``negplan.io.cache``):
    importing babel alone costs ~25 ms, a tenth of ``negplan prep``'s start-up."""
    from negplan.io.cache import load_or_build, module_stamp

    return load_or_build(
        f"money-layout-{code}-{locale}",
        module_stamp("babel"),
        lambda: _learn_layout(code, locale),
    )


def _learn_layout(code: str, locale: str) -> _Layout | None:
    """The layout of babel's ``1234567.89`` in ``code`` and ``locale``, if it reproduces babel
    on every probe amount; ``None`` (babel for every figure) otherwise."""
    sample = currency(Decimal("1234567.89"), code, locale)
    digits = [i for i, char in enumerate(sample) if char.isdigit()]
    prefix, suffix = sample[: digits[0]], sample[digits[-1] + 1 :]
    number = sample[digits[0] : digits[-1] + 1]
    places = minor_unit(code)
    decimal = number[-places - 1] if places else "."
    whole = number[: -places - 1] if places else number
    separators = {char for char in whole if not char.isdigit()}
    group = separators.pop() if len(separators) == 1 else ""
    sizes = [len(part) for part in whole.split(group)] if group else [len(whole)]
    if not group or len(sizes) < 3:
        return None
    layout = _Layout(code, prefix, suffix, group, decimal, sizes[-1], sizes[-2])
    if any(layout.write(p) != currency(p, code, locale) for p in _PROBES):
        return None
    return layout


@record
class Speech:
    """How a line said to the debtor writes figures: locale currency and long dates."""

    currency: str
    locale: str

    @classmethod
    def of(cls, case: Case) -> Speech:
        return cls(case.currency, script_locale(case))

    def money(self, amount: Decimal) -> str:
        """``$1,480.93`` (the ``|currency`` filter)."""
        return _spoken_money(amount, self.currency, self.locale)

    @staticmethod
    def date(day: date) -> str:
        """``10 December 2026`` (the ``|long_date`` filter)."""
        return long_date(day)


def bureaus(case: Case) -> str:
    return {
        "GB": "credit reference agencies",
        "IN": "credit information companies",
    }.get(country(case), "credit bureaus")


def adviser(case: Case) -> str:
    return {
        "US": "an attorney or a nonprofit credit counselor",
        "GB": "a free debt adviser such as MoneyHelper, StepChange or National Debtline",
        "IN": "a lawyer or a financial adviser",
    }.get(country(case), "an independent adviser")


# ----------------------------------------------------------------------------- the dispute


class Dispute(NamedTuple):
    """The part of the balance under an open written dispute, and the rest (what is planned)."""

    disputed: Decimal
    undisputed: Decimal

    @property
    def balance(self) -> Decimal:
        """The whole balance on the account, disputed part included."""
        return self.disputed + self.undisputed


def dispute(plan: Plan) -> Dispute | None:
    """The disputed part set aside by the plan (15 USC 1692g(b)), or ``None``."""
    if plan.disputed_amount <= ZERO:
        return None
    return Dispute(plan.disputed_amount, plan.balance)


def dispute_summary(plan: Plan) -> str | None:
    """``5,000.00 USD of the 8,885.58 USD balance is disputed; the figures below cover the
    undisputed 3,885.58 USD`` (for the executive)."""
    part = dispute(plan)
    if part is None:
        return None
    cur = plan.currency
    return (
        f"{money(part.disputed, cur)} of the {money(part.balance, cur)} balance is disputed; "
        f"the figures below cover the undisputed {money(part.undisputed, cur)}"
    )


def balance_words(plan: Plan, speech: Speech) -> str:
    """``the $8,885.58 balance``, or ``the undisputed $3,885.58`` while a dispute is open."""
    part = dispute(plan)
    if part is not None:
        return f"the undisputed {speech.money(part.undisputed)}"
    return f"the {speech.money(plan.balance)} balance"


# ----------------------------------------------------------------------------- what may be asked


def extinguished(plan: Plan) -> str | None:
    """The law under which the debt itself is extinguished, or ``None``.

    Such a debt gets no offer, no request for payment and no agreement: the pre-flight's "do not
    say" list forbids implying it is still owed, and its finding asks for counsel's advice first.
    """
    return plan.limitation.extinguished_by


def target(plan: Plan) -> Option | None:
    """The deal the script works towards: the recommended option (none if extinguished)."""
    if extinguished(plan):
        return None
    return plan.recommended


def token(plan: Plan) -> Option | None:
    """The hardship arrangement, when it is what this debtor needs: no capacity now, or it is
    the recommendation. (A debtor who can afford a real plan is not offered token payments.)"""
    arrangement = plan.option("hardship_token")
    aim = target(plan)
    if arrangement is None or extinguished(plan):
        return None
    if plan.affordability.capacity == "none" or aim is None or aim is arrangement:
        return arrangement
    return None


def no_zopa(plan: Plan) -> bool:
    """No deal at or above the minimum that the debtor can afford: end without burning bridges.

    Not said of an extinguished debt: there no deal is sought at all.
    """
    if extinguished(plan):
        return False
    aim = target(plan)
    return plan.zopa.empty or aim is None or aim.kind is OptionKind.hardship_token


def good_faith_ask(plan: Plan) -> Decimal:
    """The good-faith payment to ask for on the call (0: none).

    The plan's ``good_faith_payment`` (SPEC §4). None under a hardship arrangement: its first
    token payment is the commitment, and asking for more now would defeat it (the written
    arrangement takes no down payment either). None on an extinguished debt.
    """
    aim = target(plan)
    if extinguished(plan) or (aim is not None and aim.kind is OptionKind.hardship_token):
        return ZERO
    return plan.minimum_terms.good_faith_payment


def review_date(plan: Plan, rules: Rules) -> date:
    """When a hardship arrangement is reviewed: a month after its last token payment."""
    return review_after(plan.first_due, rules.plans.hardship_review_months)


# ----------------------------------------------------------------------------- what may be said


def reportable(case: Case, as_of: date) -> bool:
    """May the account still appear on a credit file?

    US: 7 years from the start of the delinquency, plus 180 days (15 USC 1681c(a)(4), (c)(1)).
    UK: a default stays on file 6 years from the default date (credit reference agency practice,
    ICO/CRA guidance). Elsewhere no limit is assumed.
    """
    where = country(case)
    start = case.debt.first_delinquency
    if where == "US":
        return as_of < start + relativedelta(years=7, days=180)
    if where == "GB":
        return as_of < (case.debt.charged_off or start) + relativedelta(years=6)
    return True


def collection_on_hold(case: Case, plan: Plan) -> bool:
    """A bankruptcy stay, a breathing space, a death, a cease request or an extinguished debt:
    no consequence may be stated."""
    flags = case.debtor.flags
    return bool(
        flags.in_bankruptcy
        or flags.breathing_space
        or flags.deceased
        or flags.cease_communication
        or extinguished(plan)
    )


def litigation_lawful(case: Case, plan: Plan) -> bool:
    """Legal action may be mentioned only if available, not time-barred, the period known, and
    no dispute is open (the disputed part may not be pressed, 15 USC 1692g(b))."""
    flags = case.debtor.flags
    return not (
        plan.time_barred
        or plan.limitation.years is None
        or flags.in_bankruptcy
        or flags.breathing_space
        or dispute(plan) is not None
    )


def lawful_actions(case: Case, plan: Plan) -> frozenset[str]:
    """The ``no_deal.actions`` the creditor decided on that may be named to this debtor.

    None without ``no_deal`` (15 USC 1692e(5): a model's ranking is not an intention), and none
    while collection is on hold or a dispute is open (15 USC 1692g(b)). Legal action only when
    :func:`litigation_lawful` (never on a time-barred debt, 12 CFR 1006.26(b), nor while the
    period is unknown or a stay applies). A sale only of a debt the creditor owns (not an
    agency's). No sale, suit or reporting while a hospital financial-assistance application is
    pending (SPEC §6a). Reporting only when this creditor reports and the debt is still
    reportable (15 USC 1681c).
    """
    decided = case.no_deal
    if decided is None or collection_on_hold(case, plan) or dispute(plan) is not None:
        return frozenset()  # nothing is pressed while a stay or a dispute is open
    flags = case.debtor.flags
    assistance = flags.financial_assistance_pending
    out: set[str] = set()
    for action in decided.actions:
        name = action.value
        if name == "agency" or (
            name == "litigation" and litigation_lawful(case, plan) and not assistance
        ):
            out.add(name)
        elif name == "debt_sale":
            agency = case.creditor.effective_kind is CreditorKind.collection_agency
            if not agency and not assistance:
                out.add(name)
        elif name == "credit_reporting":
            reports = case.creditor.reports_to_credit_bureaus
            if reports and reportable(case, plan.as_of) and not assistance:
                out.add(name)
    return frozenset(out)
