"""The terms asked for on the command line or in the case's ``agreement:`` section, parsed.

How a term is named back to the user (``--first-due`` on the command line,
``agreement.first_due`` in a case file) is the caller's business: the shell passes a ``spell``
function, so nothing here knows the command line's flags.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal

from negplan.core.case import Case
from negplan.errors import InputError
from negplan.money import MAX_AMOUNT, minor_unit, quantize, to_decimal
from negplan.records import record

#: Names a term the way the user wrote it: ``first_due`` → ``--first-due`` (the shell's).
Spelling = Callable[[str], str]


def field_name(term: str) -> str:
    """The default spelling: the term's own field name (library callers)."""
    return term


@record
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
    spell: Spelling = field_name  # how the caller names a term given on its command line

    def name(self, field: str) -> str:
        """How the user wrote ``field``: ``--first-due`` or ``agreement.first_due``."""
        return f"agreement.{field}" if self.from_case else self.spell(field)

    @property
    def changes_payments(self) -> bool:
        changes = (self.amount, self.installments, self.months, self.down_payment)
        return changes != (None, None, None, None)

    def args(self, *, first_due: date | None = None) -> list[str]:
        """Command-line arguments asking for these terms again (``first_due`` replacing the
        asked one). Terms from the case file are repeated as overrides of its section."""
        terms: list[tuple[str, str]] = [] if self.from_case else [("option", self.option)]
        if self.amount is not None:
            terms.append(("amount", f"{self.amount:f}"))
        if self.down_payment is not None:
            terms.append(("down_payment", f"{self.down_payment:f}"))
        if self.installments is not None:
            terms.append(("installments", str(self.installments)))
        if self.months is not None:
            terms.append(("months", str(self.months)))
        day = first_due or self.first_due
        if day is not None:
            terms.append(("first_due", day.isoformat()))
        if self.approved_by is not None:
            terms.append(("approved_by", self.approved_by))
        return self.spelled(terms)

    def ask(self, *terms: tuple[str, str]) -> str:
        """``ask(("option", "plan_full"), ("months", "N"))`` → ``--option plan_full --months N``:
        how to ask for other terms, in the caller's words."""
        return " ".join(self.spelled(list(terms)))

    def spelled(self, terms: list[tuple[str, str]]) -> list[str]:
        """``[("months", "12")]`` → ``["--months", "12"]``: terms as the caller's arguments."""
        return [part for term, value in terms for part in (self.spell(term), value)]


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
    spell: Spelling = field_name,
) -> TermsRequest:
    """The terms asked for: the command line's, else the case's ``agreement:`` section.

    With ``--option`` every term comes from the command line (an approval in the case file was
    given for *its* terms, not these). Without it, the case's section is used and any of
    ``--amount``, ``--down-payment``, ``--installments``, ``--months``, ``--first-due``,
    ``--approved-by`` given on the command line overrides its value.
    """
    parsed_amount = (
        None if amount is None else _parse_amount(amount, case.currency, spell("amount"))
    )
    parsed_down = (
        None
        if down_payment is None
        else _parse_amount(down_payment, case.currency, spell("down_payment"))
    )
    approver = _approver(approved_by, spell("approved_by"))
    if option is not None:
        return TermsRequest(
            option=option.strip(),
            amount=parsed_amount,
            installments=installments,
            months=months,
            first_due=first_due,
            approved_by=approver,
            down_payment=parsed_down,
            spell=spell,
        )
    agreed = case.agreement
    if agreed is None:
        raise InputError.single(
            f"no terms to put in writing: pass {spell('option')} (a plan option id such as "
            "plan_full_12m, or a kind such as settlement) or add an agreement: section to the "
            "case file",
            file=case_name,
        )
    return TermsRequest(
        option=agreed.option.value,
        amount=agreed.amount if parsed_amount is None else parsed_amount,
        installments=agreed.installments if installments is None else installments,
        months=agreed.months if months is None else months,
        first_due=agreed.first_due if first_due is None else first_due,
        approved_by=(
            _approver(agreed.approved_by, "agreement.approved_by") if approver is None else approver
        ),
        down_payment=(agreed.down_payment or None) if parsed_down is None else parsed_down,
        from_case=True,
        spell=spell,
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


def _approver(name: str | None, where: str) -> str | None:
    if name is None or not name.strip():
        return None
    cleaned = " ".join(name.split())
    if len(cleaned) > 200 or any(ord(c) < 32 or ord(c) == 127 for c in cleaned):
        raise InputError.single("must be a name of at most 200 printable characters", path=where)
    return cleaned
