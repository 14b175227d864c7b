"""The "stack floor": what any program doing ``negplan prep``'s job with its stack cannot avoid.

A Typer 0.29 command with ``prep``'s arguments and options that defines as many pydantic models
as a case and the rules need (45: the case's 18 and 27 rules and compliance sections, with the
same kinds of fields), parses a case file with PyYAML's C loader, validates it as a nested model,
renders a Jinja template and writes it to ``--out``. No planning, no compliance tables, no cache.
``benchmarks/run.py`` times ``negplan prep`` against it (issue 20: prep ≤ 1.10× this floor).

    python benchmarks/stack_floor.py prep examples/maria-lopez-plan.yaml --out /tmp/x
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import jinja2
import typer
import yaml
from pydantic import BaseModel, ConfigDict, Field, create_model

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Money = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2)]


class Channel(str, Enum):
    phone = "phone"
    sms = "sms"
    email = "email"
    letter = "letter"
    in_person = "in_person"


class Outcome(str, Enum):
    no_answer = "no_answer"
    voicemail = "voicemail"
    conversation = "conversation"
    promise = "promise"
    refused = "refused"
    wrong_number = "wrong_number"


class Creditor(Model):
    name: str = Field(min_length=1, max_length=200)
    collector_name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=400)
    is_third_party_collector: bool = False
    kind: str | None = None
    client: str | None = None
    payment_instructions: str | None = None
    reports_to_credit_bureaus: bool = False


class DebtorFlags(Model):
    cease_communication: bool = False
    attorney_represented: bool = False
    in_bankruptcy: bool = False
    disputed: bool = False
    breathing_space: bool = False
    deceased: bool = False
    breathing_space_start: date | None = None
    disputed_amount: Money | None = None
    attorney_contact: str | None = None
    servicemember: bool = False
    financial_assistance_pending: bool = False


class Debtor(Model):
    name: str = Field(min_length=1, max_length=200)
    timezone: str
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    household_size: int = Field(default=1, ge=1, le=30)
    inconvenient_times: list[str] = Field(default_factory=list, max_length=24)
    flags: DebtorFlags = Field(default_factory=DebtorFlags)
    opt_outs: list[str] = Field(default_factory=list)
    preferred_payment_day: int | None = None
    vulnerabilities: list[str] = Field(default_factory=list)


class Balance(Model):
    principal: Money
    interest: Money = Decimal(0)
    fees: Money = Decimal(0)


class Debt(Model):
    account_ref: str
    product: str
    original_principal: Money | None = None
    annual_rate: Decimal = Decimal(0)
    opened: date | None = None
    balance: Balance
    first_delinquency: date
    last_payment: date | None = None
    charged_off: date | None = None
    secured_by: str | None = None
    contract: str = "written"
    validation_notice_sent: date | None = None
    interest_accrues: bool = True
    balance_as_of: date | None = None


class Payment(Model):
    date: date
    amount: Money


class Contact(Model):
    at: datetime
    channel: Channel
    outcome: Outcome
    direction: str = "outbound"
    note: str | None = None


class PreviousNegotiation(Model):
    date: date
    terms: str
    outcome: str


class Income(Model):
    source: str
    amount: Money
    frequency: str = "monthly"


class Expense(Model):
    category: str
    amount: Money
    frequency: str = "monthly"


class OtherDebt(Model):
    creditor: str
    balance: Money
    payment: Money
    priority: bool = False


class Asset(Model):
    kind: str
    value: Money
    secured_debt: Money = Decimal(0)
    exempt: bool = False


class Hardship(Model):
    reason: str = "none"
    temporary: bool = False
    expected_end: date | None = None


class Finances(Model):
    income: list[Income] = Field(default_factory=list)
    expenses: list[Expense] = Field(default_factory=list)
    debts: list[OtherDebt] = Field(default_factory=list)
    assets: list[Asset] = Field(default_factory=list)
    hardship: Hardship = Field(default_factory=Hardship)


class NoDeal(Model):
    actions: list[str] = Field(default_factory=list, max_length=4)
    decided_by: str | None = None


class AgreedTerms(Model):
    option: str
    amount: Money | None = None
    down_payment: Money | None = None
    installments: int | None = None
    months: int | None = None
    first_due: date | None = None
    approved_by: str | None = None


class Case(Model):
    case_id: str = Field(pattern=r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$")
    jurisdiction: str
    currency: str
    creditor: Creditor
    debtor: Debtor
    debt: Debt
    payment_history: list[Payment] = Field(default_factory=list, max_length=2000)
    contacts: list[Contact] = Field(default_factory=list, max_length=5000)
    previous_negotiations: list[PreviousNegotiation] = Field(default_factory=list)
    finances: Finances = Field(default_factory=Finances)
    agreement: AgreedTerms | None = None
    no_deal: NoDeal | None = None
    notes: str | None = None


#: The rules and compliance sections: 27 models of four to eight fields, as negplan's have.
_FIELD_KINDS: list[Any] = [
    (Decimal, Decimal("0.5")),
    (int, 7),
    (bool, False),
    (str | None, None),
    (Decimal | None, None),
    (list[str], []),
]
RULES_SECTIONS = [
    create_model(
        f"Section{n}",
        __base__=Model,
        **{f"field_{k}": _FIELD_KINDS[(n + k) % len(_FIELD_KINDS)] for k in range(4 + n % 5)},
    )
    for n in range(27)
]

TEMPLATE = """\
# Call script: {{ case.debtor.name }} ({{ case.case_id }})

Balance {{ case.debt.balance.principal + case.debt.balance.interest + case.debt.balance.fees }}
{{ case.currency }}, delinquent since {{ case.debt.first_delinquency }}.

## Contacts
{% for contact in case.contacts %}- {{ contact.at }}: {{ contact.channel.value }}, \
{{ contact.outcome.value }}
{% endfor %}
## Budget
{% for row in case.finances.income %}- {{ row.source }}: {{ row.amount }} {{ row.frequency }}
{% endfor %}{% for row in case.finances.expenses %}- {{ row.category }}: {{ row.amount }}
{% endfor %}"""


@app.callback()
def main(version: Annotated[bool, typer.Option("--version")] = False) -> None:
    """The floor program has one command, as negplan has several."""


@app.command()
def prep(
    case_file: Annotated[str, typer.Argument()],
    rules: Annotated[Path | None, typer.Option("--rules")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of")] = None,
    now: Annotated[str | None, typer.Option("--now")] = None,
    out: Annotated[Path | None, typer.Option("--out")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    templates: Annotated[Path | None, typer.Option("--templates")] = None,
    place_phone: Annotated[bool, typer.Option("--place-phone")] = False,
) -> None:
    """Parse, validate and render one case: the work no implementation can skip.

    ``--place-phone`` also finds the zones the debtor's number may ring in with ``phonenumbers``
    (SPEC §6a), as ``prep`` must: the floor with the one library it adds to the stack."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(Path(case_file).read_text(encoding="utf-8"), Loader=loader)
    case = Case.model_validate(data)
    zones: tuple[str, ...] = ()
    if place_phone and case.debtor.phone:
        import phonenumbers
        from phonenumbers import timezone

        number = phonenumbers.parse(case.debtor.phone, "US")
        zones = tuple(sorted(timezone.time_zones_for_number(number)))
    text = jinja2.Environment(autoescape=False).from_string(TEMPLATE).render(case=case)
    text += "".join(f"\nZone: {zone}" for zone in zones)
    folder = out if out is not None else Path(case_file).parent
    (folder / f"{case.case_id}.script.md").write_text(text, encoding="utf-8")
    typer.echo(f"{case.case_id}: {len(text)} characters")


if __name__ == "__main__":
    app()
