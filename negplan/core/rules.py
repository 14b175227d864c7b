"""The creditor's rules (SPEC §3) as models.

Loading them (the packaged defaults, a user's file merged over them key by key) is
:mod:`negplan.io.rules_file`.

Amounts in the rules are in the currency of the case being planned.
"""

from decimal import Decimal
from typing import Annotated, Final, Literal

from pydantic import Field, field_validator, model_validator

from negplan.core.case import ExpenseCategory, Model
from negplan.core.compliance.overrides import ComplianceOverrides
from negplan.core.fields import Fraction, Money, NonNegativeInt, PositiveInt, PositiveMoney

#: Guideline amounts for household sizes 1, 2, 3, 4, and each person beyond four.
Guideline = Annotated[list[Money], Field(min_length=5, max_length=5)]


class Contingency(Model):
    share: Fraction
    cap: Money


class EmergencyBuffer(Model):
    """Savings the debtor keeps for emergencies (SPEC §4a): never part of lump-sum capacity or
    the good-faith payment."""

    #: Months of the debtor's allowed essential spending kept back.
    essential_months: Annotated[Decimal, Field(ge=0, le=12)]
    #: A floor on the buffer, in the rules' currency.
    min_amount: Money = Decimal(0)


class Affordability(Model):
    essential_categories: list[ExpenseCategory]
    #: ``null`` in a rules file: no spending guidelines (none are published for the currency).
    guidelines: dict[ExpenseCategory, Guideline] | None = Field(default_factory=dict)
    guideline_method: Literal["flag", "cap"]
    contingency: Contingency
    allocation: Literal["after_other_debts", "pro_rata"]
    count_assets: Literal["liquid", "equity"]
    quick_sale_factor: Fraction
    emergency_buffer: EmergencyBuffer

    def guideline_for(self, category: ExpenseCategory, household_size: int) -> Decimal | None:
        """The monthly guideline for a category and household size, if the rules set one."""
        row = (self.guidelines or {}).get(category)
        if row is None:
            return None
        if household_size <= 4:
            return row[household_size - 1]
        return row[3] + row[4] * (household_size - 4)


class SettlementFloor(Model):
    max_days_past_due: NonNegativeInt | None
    min_share: Fraction


class GoodFaith(Model):
    min_amount: Money
    share: Fraction


class Settlement(Model):
    floors: list[SettlementFloor] = Field(min_length=1)
    max_installments: Annotated[int, Field(strict=True, ge=1, le=24)]
    opening_share: Fraction
    concession_steps: Annotated[int, Field(strict=True, ge=1, le=10)]
    good_faith: GoodFaith

    @field_validator("floors")
    @classmethod
    def _ordered_and_closed(cls, floors: list[SettlementFloor]) -> list[SettlementFloor]:
        bounds = [f.max_days_past_due for f in floors]
        if bounds[-1] is not None:
            raise ValueError("the last floor must have max_days_past_due: null (covers the rest)")
        finite = [b for b in bounds[:-1] if b is not None]
        if len(finite) != len(bounds) - 1 or finite != sorted(set(finite)):
            raise ValueError("floors must be in increasing max_days_past_due, only the last null")
        return floors


class Plans(Model):
    first_payment_days: Annotated[int, Field(strict=True, ge=0, le=90)]
    max_months: Annotated[int, Field(strict=True, ge=1, le=120)]
    min_payment: PositiveMoney
    interest: Literal["frozen", "contract"]
    hardship_review_months: Annotated[int, Field(strict=True, ge=1, le=24)]
    token_payment: PositiveMoney


class BreakHazard(Model):
    """One point of the break-hazard curve: at this burden, this monthly chance of breaking."""

    burden: Annotated[Decimal, Field(ge=0, le=100)]
    hazard: Fraction


class MonthFactor(Model):
    """The hazard is multiplied by ``factor`` in months up to ``max_month`` (plans break most in
    their first months)."""

    max_month: PositiveInt | None
    factor: Annotated[Decimal, Field(ge=0, le=10)]


class TrackRecord(Model):
    """How the debtor's record moves the hazard: × (1 + per_broken × broken − per_kept × kept),
    kept within [min_factor, max_factor]."""

    per_broken: Annotated[Decimal, Field(ge=0, le=10)]
    per_kept: Annotated[Decimal, Field(ge=0, le=1)]
    min_factor: Annotated[Decimal, Field(ge=0, le=10)]
    max_factor: Annotated[Decimal, Field(ge=0, le=10)]

    @model_validator(mode="after")
    def _ordered(self) -> "TrackRecord":
        if self.min_factor > self.max_factor:
            raise ValueError("min_factor must not be above max_factor")
        return self


class Value(Model):
    annual_discount_rate: Fraction
    lump_sum_honor_rate: Fraction
    #: Points (burden, hazard), interpolated linearly in burden, flat beyond both ends.
    monthly_break_hazard: list[BreakHazard] = Field(min_length=1)
    hazard_month_factors: list[MonthFactor] = Field(min_length=1)
    track_record: TrackRecord

    @model_validator(mode="before")
    @classmethod
    def _bands_as_points(cls, data: object) -> object:
        """Rules written before 2026-11-30 gave hazard bands ({max_burden, hazard}, the last
        null): each band's ceiling becomes a point, the open band a point a quarter above the
        last ceiling (as the shipped defaults do)."""
        if not isinstance(data, dict):
            return data
        rows = data.get("monthly_break_hazard")
        if not isinstance(rows, list) or not all(
            isinstance(r, dict) and "max_burden" in r and "burden" not in r for r in rows
        ):
            return data
        points = []
        last = None
        for row in rows:
            bound = row["max_burden"]
            if bound is None:
                bound = Decimal(str(last)) + Decimal("0.25") if last is not None else Decimal(0)
            points.append({"burden": bound, "hazard": row["hazard"]})
            last = bound
        return {**data, "monthly_break_hazard": points}

    @field_validator("monthly_break_hazard")
    @classmethod
    def _increasing(cls, rows: list[BreakHazard]) -> list[BreakHazard]:
        bounds = [r.burden for r in rows]
        if bounds != sorted(set(bounds)):
            raise ValueError("points must be in strictly increasing burden")
        if [r.hazard for r in rows] != sorted(r.hazard for r in rows):
            raise ValueError("the hazard must not fall as the burden rises")
        return rows

    @field_validator("hazard_month_factors")
    @classmethod
    def _closed(cls, rows: list[MonthFactor]) -> list[MonthFactor]:
        if rows[-1].max_month is not None:
            raise ValueError("the last row must have max_month: null (covers the rest)")
        bounds = [r.max_month for r in rows[:-1]]
        if any(b is None for b in bounds) or bounds != sorted(set(bounds)):  # type: ignore[type-var]
            raise ValueError("rows must be in increasing max_month, only the last null")
        return rows


class Litigation(Model):
    enabled: bool
    min_balance: Money
    judgment_rate: Fraction
    collect_rate: Fraction
    #: Paid at filing (month 0), not discounted with the recovery.
    cost: Money
    months: Annotated[int, Field(strict=True, ge=0, le=120)]
    #: Months of wage garnishment a judgment is assumed to run: the reach cap's wage part.
    collection_months: Annotated[int, Field(strict=True, ge=0, le=240)]


class AgencyRecovery(Model):
    max_days: NonNegativeInt | None
    rate: Fraction


def _closed_by_days(rows: "list[SalePrice] | list[AgencyRecovery]") -> None:
    bounds = [r.max_days for r in rows]
    if bounds[-1] is not None:
        raise ValueError("the last row must have max_days: null (covers the rest)")
    finite = [b for b in bounds[:-1] if b is not None]
    if len(finite) != len(bounds) - 1 or finite != sorted(set(finite)):
        raise ValueError("rows must be in increasing max_days, only the last null")


class Agency(Model):
    enabled: bool
    #: Share of the balance recovered, by days since charge-off (or first delinquency).
    recovery_by_days_since_default: list[AgencyRecovery] = Field(min_length=1)
    fee: Fraction
    months: Annotated[int, Field(strict=True, ge=0, le=120)]

    @model_validator(mode="before")
    @classmethod
    def _flat_rate(cls, data: object) -> object:
        """Rules written before 2026-11-30 gave one ``recovery_rate`` for any age."""
        if isinstance(data, dict) and "recovery_rate" in data:
            rest = {k: v for k, v in data.items() if k != "recovery_rate"}
            rows = [{"max_days": None, "rate": data["recovery_rate"]}]
            return {**rest, "recovery_by_days_since_default": rows}
        return data

    @field_validator("recovery_by_days_since_default")
    @classmethod
    def _closed(cls, rows: list[AgencyRecovery]) -> list[AgencyRecovery]:
        _closed_by_days(rows)
        return rows


class SalePrice(Model):
    max_days: NonNegativeInt | None
    share: Fraction


class DebtSale(Model):
    enabled: bool
    #: Debt is sold once charged off (it leaves the creditor's books); true allows earlier sales.
    before_charge_off: bool = False
    price_by_days_since_default: list[SalePrice] = Field(min_length=1)

    @field_validator("price_by_days_since_default")
    @classmethod
    def _closed(cls, rows: list[SalePrice]) -> list[SalePrice]:
        _closed_by_days(rows)
        return rows


class WriteOff(Model):
    enabled: bool


class Alternatives(Model):
    litigation: Litigation
    agency: Agency
    debt_sale: DebtSale
    write_off: WriteOff

    @model_validator(mode="after")
    def _one_enabled(self) -> "Alternatives":
        if not any(
            (
                self.litigation.enabled,
                self.agency.enabled,
                self.debt_sale.enabled,
                self.write_off.enabled,
            )
        ):
            raise ValueError("at least one alternative must be enabled (write_off is the usual)")
        return self


class AuthorityShare(Model):
    max_days_past_due: NonNegativeInt | None
    min_share: Fraction


class Authority(Model):
    #: One share, or a table by days past due like ``settlement.floors``.
    executive_min_share: Fraction | list[AuthorityShare]

    @field_validator("executive_min_share")
    @classmethod
    def _closed(cls, value: Decimal | list[AuthorityShare]) -> Decimal | list[AuthorityShare]:
        if isinstance(value, list):
            if not value:
                raise ValueError("give at least one row, the last with max_days_past_due: null")
            bounds = [r.max_days_past_due for r in value]
            finite = [b for b in bounds[:-1] if b is not None]
            if bounds[-1] is not None or finite != sorted(set(finite)) or None in bounds[:-1]:
                raise ValueError("rows must be in increasing max_days_past_due, only the last null")
        return value

    def share_for(self, days_past_due: int) -> tuple[Decimal, int | None]:
        """The executive's least share for a debt this old, and the table row used (if any)."""
        rows = self.executive_min_share
        if not isinstance(rows, list):
            return rows, None
        for index, row in enumerate(rows):
            if row.max_days_past_due is None or days_past_due <= row.max_days_past_due:
                return row.min_share, index
        raise AssertionError("validation guarantees an open-ended last row")


#: The most grace days the rules may give (``agreements.grace_period_days``): ``followup``
#: looks this far back for promises whose call task a change of the rules can bring due.
MAX_GRACE_DAYS: Final = 60


class Agreements(Model):
    """What a written agreement says happens when a payment is missed: a written notice and
    ``cure_days`` to make it up before it counts towards default (SPEC §6a; FCA CONC 7.3,
    PS24/2; the Uniform Consumer Credit Code's right to cure, e.g. Iowa Code § 537.5110)."""

    grace_period_days: Annotated[int, Field(strict=True, ge=0, le=MAX_GRACE_DAYS)]
    max_first_payment_days: Annotated[int, Field(strict=True, ge=0, le=365)]
    missed_payments_before_default: PositiveInt
    reinstate_balance_on_default: bool
    #: Days after the written notice of a missed payment to make it up (0: no cure period).
    cure_days: Annotated[int, Field(strict=True, ge=0, le=90)] = 20


class Followup(Model):
    """When ``negplan followup`` reminds a debtor of a payment (SPEC §9)."""

    #: Days before each due date on which the reminder is sent. Policy: three days reaches the
    #: debtor before the payment leaves their account without crowding the due date.
    reminder_days: Annotated[int, Field(strict=True, ge=0, le=30)] = 3


class Rules(Model):
    #: The currency the rules' amounts are written in (minimum payments, costs, guidelines).
    currency: str = "USD"
    affordability: Affordability
    settlement: Settlement
    plans: Plans
    value: Value
    alternatives: Alternatives
    authority: Authority
    agreements: Agreements
    compliance: ComplianceOverrides = Field(default_factory=ComplianceOverrides)
    followup: Followup = Field(default_factory=Followup)

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        from negplan.money import MINOR_UNITS

        if value not in MINOR_UNITS:
            raise ValueError(f"unknown or unsupported currency {value!r}")
        return value

    def currency_warning(self, case_currency: str) -> str | None:
        """A warning when the rules' amounts are in another currency than the case's."""
        if case_currency == self.currency:
            return None
        return (
            f"the rules' amounts are in {self.currency} but this case is in {case_currency}: "
            f"minimum payments, costs and spending guidelines are applied as {case_currency} "
            f"figures; plan it with rules written for {case_currency} (--rules, currency: "
            f"{case_currency})"
        )
