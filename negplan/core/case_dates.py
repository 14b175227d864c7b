"""Dates in a case that cannot be right as of the planning date (SPEC §7).

Events in the future, delinquency before the account was opened: reported with every other
problem in the file, including for the parts of a case that are valid while the rest is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError

from negplan.core.case import Case, Contact, Debt, Debtor, Payment, PreviousNegotiation
from negplan.errors import Problem


def date_problems(case: Case, as_of: date) -> list[Problem]:
    """Dates that cannot be right as of ``as_of``: events in the future, delinquency before opening.

    These are checked apart from the schema because they depend on the planning date.
    """
    return _date_problems(
        as_of,
        case.debt,
        enumerate(case.payment_history),
        enumerate(case.previous_negotiations),
        enumerate(case.contacts),
        case.debtor.zone,
    )


M = TypeVar("M", bound=BaseModel)


def partial_date_problems(data: Mapping[str, Any], as_of: date) -> list[Problem]:
    """The date problems of a case that failed validation, in the parts valid on their own.

    So a file with schema errors and a date in the future shows both at once, not one after the
    other. A part that is itself invalid is left to its schema errors.
    """
    currency = data.get("currency")
    context = {"currency": currency}

    def valid(model: type[M], value: Any) -> M | None:
        try:
            return model.model_validate(value, context=context)
        except (ValidationError, ValueError, KeyError, TypeError):
            return None

    def items(key: str, model: type[M]) -> list[tuple[int, M]]:
        values = data.get(key)
        if not isinstance(values, list):
            return []
        parsed = ((i, valid(model, value)) for i, value in enumerate(values))
        return [(i, item) for i, item in parsed if item is not None]

    debtor = valid(Debtor, data.get("debtor"))
    return _date_problems(
        as_of,
        valid(Debt, data.get("debt")),
        items("payment_history", Payment),
        items("previous_negotiations", PreviousNegotiation),
        items("contacts", Contact) if debtor is not None else [],
        debtor.zone if debtor is not None else None,
    )


def _date_problems(
    as_of: date,
    debt: Debt | None,
    payments: Iterable[tuple[int, Payment]],
    negotiations: Iterable[tuple[int, PreviousNegotiation]],
    contacts: Iterable[tuple[int, Contact]],
    zone: ZoneInfo | None,
) -> list[Problem]:
    problems: list[Problem] = []

    def future(path: str, when: date | None, what: str) -> None:
        if when is not None and when > as_of:
            problems.append(Problem(f"{what} {when} is after the planning date {as_of}", path))

    if debt is not None:
        future("debt.first_delinquency", debt.first_delinquency, "first delinquency")
        future("debt.last_payment", debt.last_payment, "last payment")
        future("debt.charged_off", debt.charged_off, "charge-off")
        future("debt.opened", debt.opened, "account opening")
        future("debt.validation_notice_sent", debt.validation_notice_sent, "validation notice")
        if debt.opened and debt.first_delinquency < debt.opened:
            problems.append(
                Problem(
                    f"first delinquency {debt.first_delinquency} is before the account was "
                    f"opened ({debt.opened})",
                    "debt.first_delinquency",
                )
            )
        if debt.charged_off and debt.charged_off < debt.first_delinquency:
            problems.append(
                Problem(
                    f"charge-off {debt.charged_off} is before the first delinquency "
                    f"({debt.first_delinquency})",
                    "debt.charged_off",
                )
            )
    for i, payment in payments:
        future(f"payment_history[{i}].date", payment.date, "payment")
    for i, negotiation in negotiations:
        future(f"previous_negotiations[{i}].date", negotiation.date, "negotiation")
    for i, contact in contacts:
        local_day = contact.at.astimezone(zone).date()
        if local_day > as_of:
            problems.append(
                Problem(
                    f"contact at {contact.at.isoformat()} is after the planning date {as_of}",
                    f"contacts[{i}].at",
                )
            )
    return problems
