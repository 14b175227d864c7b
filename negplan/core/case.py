"""The case file (SPEC §2): one debtor, one debt, as pydantic models.

Unknown keys are errors (``extra="forbid"`` catches typos such as ``ballance``). Models are frozen:
the planning core reads a case, it never edits one. Build a case with :func:`parse_case`, which
sets the validation context so that every amount is quantized to the case currency.
"""

from collections.abc import Mapping
from datetime import time
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from negplan.core.fields import (
    CaseId,
    Fraction,
    IsoDate,
    Money,
    PositiveInt,
    TimeRange,
    Timestamp,
    parse_time_range,
    zone_name,
)
from negplan.jurisdictions import parse_jurisdiction
from negplan.money import MINOR_UNITS, ZERO, Frequency

#: Letters, digits, ``.``, ``_`` and ``-``, not starting with a dot (no hidden or ``..`` output
#: file names), at most 64 characters: the id names the output files.
CASE_ID_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$"


class Model(BaseModel):
    """Base of every input model: strict about keys, immutable once loaded.

    Validators are built on first use (``defer_build``): a run that takes the packaged rules
    from the cache never pays for building the rules' validators.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False, defer_build=True)


class Product(str, Enum):
    personal_loan = "personal_loan"
    credit_card = "credit_card"
    auto_loan = "auto_loan"
    medical = "medical"
    utility = "utility"
    other = "other"


class ContractType(str, Enum):
    """The kind of contract, which picks the limitation period."""

    written = "written"
    oral = "oral"
    open_account = "open_account"
    promissory_note = "promissory_note"


class Channel(str, Enum):
    phone = "phone"
    sms = "sms"
    email = "email"
    letter = "letter"
    in_person = "in_person"


class ContactOutcome(str, Enum):
    no_answer = "no_answer"
    busy = "busy"
    voicemail = "voicemail"
    conversation = "conversation"
    wrong_number = "wrong_number"
    sent = "sent"


class Direction(str, Enum):
    outbound = "outbound"
    inbound = "inbound"


class NegotiationOutcome(str, Enum):
    kept = "kept"
    broken_promise = "broken_promise"
    refused = "refused"
    no_agreement = "no_agreement"


class ExpenseCategory(str, Enum):
    """Spending categories; which are essential is a rule (affordability.essential_categories)."""

    housing = "housing"
    utilities = "utilities"
    food = "food"
    transport = "transport"
    healthcare = "healthcare"
    childcare = "childcare"
    insurance = "insurance"
    clothing = "clothing"
    personal_care = "personal_care"
    education = "education"
    phone_internet = "phone_internet"
    housekeeping = "housekeeping"
    entertainment = "entertainment"
    dining_out = "dining_out"
    subscriptions = "subscriptions"
    travel = "travel"
    tobacco_alcohol = "tobacco_alcohol"
    gambling = "gambling"
    gifts_donations = "gifts_donations"
    pets = "pets"
    other = "other"


class AssetKind(str, Enum):
    cash = "cash"
    savings = "savings"
    investment = "investment"
    vehicle = "vehicle"
    property = "property"
    #: Pension and retirement savings: protected, never counted as capacity (SPEC §4a).
    retirement = "retirement"
    #: Funds the debtor cannot reach (a fixed-term deposit, a frozen account): never counted.
    locked = "locked"
    other = "other"


LIQUID_ASSETS = frozenset({AssetKind.cash, AssetKind.savings})
#: Never counted as capacity to pay (SPEC §4a): retirement savings and funds out of reach.
PROTECTED_ASSETS = frozenset({AssetKind.retirement, AssetKind.locked})


class HardshipReason(str, Enum):
    job_loss = "job_loss"
    reduced_hours = "reduced_hours"
    medical = "medical"
    divorce = "divorce"
    bereavement = "bereavement"
    other = "other"
    none = "none"


class OptionKind(str, Enum):
    """The kinds of deal negplan can plan and put in writing (SPEC §4)."""

    pay_in_full = "pay_in_full"
    settlement = "settlement"
    settlement_installments = "settlement_installments"
    plan_full = "plan_full"
    plan_reduced = "plan_reduced"
    #: Temporary hardship with an expected end: what is affordable now until the review after
    #: that date, then the payment that repays the balance within plans.max_months (SPEC §4a).
    plan_step_up = "plan_step_up"
    hardship_token = "hardship_token"


class CreditorKind(str, Enum):
    """Who is collecting (SPEC §2a): the FDCPA and Regulation F collector duties apply to a
    ``debt_buyer`` and a ``collection_agency`` (15 U.S.C. § 1692a(6)), not to an original creditor
    collecting its own debt."""

    original_creditor = "original_creditor"
    debt_buyer = "debt_buyer"
    collection_agency = "collection_agency"


class Creditor(Model):
    name: str = Field(min_length=1, max_length=200)
    collector_name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=400)
    #: Read as ``kind: collection_agency`` when true and no ``kind`` is given (SPEC §2a).
    is_third_party_collector: bool = False
    kind: CreditorKind | None = None
    #: For a collection agency: the creditor it collects for.
    client: str | None = Field(default=None, max_length=200)
    #: How and where to pay, printed in agreements and letters.
    payment_instructions: str | None = Field(default=None, max_length=1000)
    reports_to_credit_bureaus: bool = False

    @property
    def effective_kind(self) -> CreditorKind:
        """``kind``, else ``collection_agency`` for ``is_third_party_collector: true``, else
        ``original_creditor``."""
        if self.kind is not None:
            return self.kind
        if self.is_third_party_collector:
            return CreditorKind.collection_agency
        return CreditorKind.original_creditor

    @property
    def is_debt_collector(self) -> bool:
        """A collector under the FDCPA (a debt buyer or an agency), not an original creditor."""
        return self.effective_kind is not CreditorKind.original_creditor


class DebtorFlags(Model):
    cease_communication: bool = False
    attorney_represented: bool = False
    in_bankruptcy: bool = False
    disputed: bool = False
    breathing_space: bool = False
    deceased: bool = False
    breathing_space_start: IsoDate | None = None
    disputed_amount: Money | None = None
    attorney_contact: str | None = Field(default=None, max_length=400)
    #: Active-duty servicemember (Servicemembers Civil Relief Act, 50 U.S.C. § 3901 ff.).
    servicemember: bool = False
    #: A hospital financial-assistance (charity care) application is open (26 CFR 1.501(r)-6).
    financial_assistance_pending: bool = False


class OptOut(str, Enum):
    """A channel or place the debtor asked not to be contacted by (12 CFR 1006.14(h))."""

    phone = "phone"
    sms = "sms"
    email = "email"
    letter = "letter"
    work = "work"


class Vulnerability(str, Enum):
    """The FCA's drivers of vulnerability (FG21/1 §2.9)."""

    health = "health"
    life_event = "life_event"
    low_resilience = "low_resilience"
    low_capability = "low_capability"


class Debtor(Model):
    name: str = Field(min_length=1, max_length=200)
    timezone: str
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=254)
    address: str | None = Field(default=None, max_length=400)
    household_size: PositiveInt = Field(default=1, le=30)
    inconvenient_times: list[TimeRange] = Field(default_factory=list, max_length=24)
    flags: DebtorFlags = Field(default_factory=DebtorFlags)
    opt_outs: list[OptOut] = Field(default_factory=list, max_length=5)
    #: Due dates fall on this day of the month when possible (1–28, so every month has it).
    preferred_payment_day: Annotated[int, Field(strict=True, ge=1, le=28)] | None = None
    vulnerabilities: list[Vulnerability] = Field(default_factory=list, max_length=4)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return zone_name(value)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def inconvenient_ranges(self) -> list[tuple[time, time]]:
        return [parse_time_range(r) for r in self.inconvenient_times]


class Balance(Model):
    principal: Money
    interest: Money = ZERO
    fees: Money = ZERO

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.fees

    @model_validator(mode="after")
    def _something_owed(self) -> "Balance":
        if self.principal + self.interest + self.fees <= 0:
            raise ValueError("the balance is 0: there is nothing to collect")
        return self


class Debt(Model):
    account_ref: str = Field(min_length=1, max_length=64)
    product: Product
    original_principal: Money | None = None
    annual_rate: Fraction = Decimal(0)
    opened: IsoDate | None = None
    balance: Balance
    first_delinquency: IsoDate
    last_payment: IsoDate | None = None
    charged_off: IsoDate | None = None
    secured_by: str | None = Field(default=None, max_length=200)
    contract: ContractType = ContractType.written
    validation_notice_sent: IsoDate | None = None
    #: Would interest or fees keep accruing without a deal? A deal may only claim to stop what
    #: would otherwise happen (SPEC §6a, "Benefits").
    interest_accrues: bool = True
    #: The date the balance was taken from the system of record; ledger payments after it
    #: reduce the balance (SPEC §8).
    balance_as_of: IsoDate | None = None


class Payment(Model):
    date: IsoDate
    amount: Money


class Contact(Model):
    at: Timestamp
    channel: Channel
    outcome: ContactOutcome
    direction: Direction = Direction.outbound
    note: str | None = Field(default=None, max_length=2000)


class PreviousNegotiation(Model):
    date: IsoDate
    terms: str = Field(max_length=200)
    outcome: NegotiationOutcome


class Income(Model):
    source: str = Field(min_length=1, max_length=100)
    amount: Money
    frequency: Frequency = Frequency.monthly


class Expense(Model):
    category: ExpenseCategory
    amount: Money
    frequency: Frequency = Frequency.monthly
    note: str | None = Field(default=None, max_length=200)


class OtherDebt(Model):
    creditor: str = Field(min_length=1, max_length=200)
    balance: Money
    payment: Money = ZERO
    priority: bool = False
    secured: bool = False


class Asset(Model):
    kind: AssetKind
    value: Money
    secured_debt: Money = ZERO
    description: str | None = Field(default=None, max_length=200)


class Hardship(Model):
    reason: HardshipReason = HardshipReason.none
    temporary: bool = False
    expected_end: IsoDate | None = None


class Finances(Model):
    income: list[Income] = Field(default_factory=list, max_length=100)
    expenses: list[Expense] = Field(default_factory=list, max_length=200)
    debts: list[OtherDebt] = Field(default_factory=list, max_length=100)
    assets: list[Asset] = Field(default_factory=list, max_length=100)
    hardship: Hardship = Field(default_factory=Hardship)


class NoDealAction(str, Enum):
    litigation = "litigation"
    agency = "agency"
    debt_sale = "debt_sale"
    credit_reporting = "credit_reporting"


class NoDeal(Model):
    """What the creditor has decided to do if no agreement is made (SPEC §2a). Only these
    actions may be named as consequences, and only where lawful (15 U.S.C. § 1692e(5))."""

    actions: list[NoDealAction] = Field(default_factory=list, max_length=4)
    decided_by: str | None = Field(default=None, max_length=200)


class AgreedTerms(Model):
    """The terms agreed on the call, for ``negplan agreement`` (all optional until used)."""

    option: OptionKind
    amount: Money | None = None
    #: Paid on the day of the agreement (e.g. the good-faith payment taken on the call); part of
    #: ``amount``, the rest is scheduled.
    down_payment: Money | None = None
    installments: Annotated[int, Field(strict=True, ge=1, le=600)] | None = None
    months: Annotated[int, Field(strict=True, ge=1, le=600)] | None = None
    first_due: IsoDate | None = None
    approved_by: str | None = Field(default=None, max_length=200)


class Case(Model):
    """One debtor and one debt, as read from a case file."""

    case_id: CaseId = Field(pattern=CASE_ID_PATTERN)
    jurisdiction: str
    currency: str
    creditor: Creditor
    debtor: Debtor
    debt: Debt
    payment_history: list[Payment] = Field(default_factory=list, max_length=2000)
    contacts: list[Contact] = Field(default_factory=list, max_length=5000)
    previous_negotiations: list[PreviousNegotiation] = Field(default_factory=list, max_length=200)
    finances: Finances = Field(default_factory=Finances)
    agreement: AgreedTerms | None = None
    no_deal: NoDeal | None = None
    notes: str | None = Field(default=None, max_length=10000)

    @field_validator("jurisdiction")
    @classmethod
    def _known_jurisdiction(cls, value: str) -> str:
        return parse_jurisdiction(value).code

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        if value not in MINOR_UNITS:
            known = ", ".join(sorted(MINOR_UNITS))
            raise ValueError(f"unknown or unsupported currency {value!r}; known: {known}")
        return value

    @property
    def balance(self) -> Decimal:
        """The amount owed: principal + interest + fees (SPEC §2)."""
        return self.debt.balance.total


def case_context(data: Mapping[str, Any]) -> dict[str, Any]:
    """The validation context of a case: its currency, to which every amount is quantized."""
    return {"currency": data.get("currency") if isinstance(data, Mapping) else None}


def parse_case(data: Mapping[str, Any]) -> Case:
    """Validate raw case data; every amount is quantized to the case currency's minor unit."""
    return Case.model_validate(data, context=case_context(data))
