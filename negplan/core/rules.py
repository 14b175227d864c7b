"""The creditor's rules (SPEC §3) as models.

Loading them (the packaged defaults, a user's file merged over them key by key) is
:mod:`negplan.io.rules_file`.

Amounts in the rules are in the currency of the case being planned.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from negplan.core.case import ExpenseCategory, Model
from negplan.core.compliance.overrides import ComplianceOverrides
from negplan.core.fields import Fraction, Money, NonNegativeInt, PositiveInt

#: Guideline amounts for household sizes 1, 2, 3, 4, and each person beyond four.
Guideline = Annotated[list[Money], Field(min_length=5, max_length=5)]


class Contingency(Model):
    share: Fraction
    cap: Money


class Affordability(Model):
    essential_categories: list[ExpenseCategory]
    #: ``null`` in a rules file: no spending guidelines (none are published for the currency).
    guidelines: dict[ExpenseCategory, Guideline] | None = Field(default_factory=dict)
    guideline_method: Literal["flag", "cap"]
    contingency: Contingency
    allocation: Literal["after_other_debts", "pro_rata"]
    count_assets: Literal["liquid", "equity"]
    quick_sale_factor: Fraction

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
    min_payment: Money
    interest: Literal["frozen", "contract"]
    hardship_review_months: Annotated[int, Field(strict=True, ge=1, le=24)]
    token_payment: Money


class BreakHazard(Model):
    max_burden: Annotated[Decimal, Field(ge=0)] | None
    hazard: Fraction


class Value(Model):
    annual_discount_rate: Fraction
    lump_sum_honor_rate: Fraction
    monthly_break_hazard: list[BreakHazard] = Field(min_length=1)

    @field_validator("monthly_break_hazard")
    @classmethod
    def _ordered_and_closed(cls, rows: list[BreakHazard]) -> list[BreakHazard]:
        if rows[-1].max_burden is not None:
            raise ValueError("the last row must have max_burden: null (covers any burden)")
        bounds = [r.max_burden for r in rows[:-1]]
        if any(b is None for b in bounds) or bounds != sorted(bounds):  # type: ignore[type-var]
            raise ValueError("rows must be in increasing max_burden, only the last null")
        return rows


class Litigation(Model):
    enabled: bool
    min_balance: Money
    judgment_rate: Fraction
    collect_rate: Fraction
    cost: Money
    months: Annotated[int, Field(strict=True, ge=0, le=120)]


class Agency(Model):
    enabled: bool
    recovery_rate: Fraction
    fee: Fraction
    months: Annotated[int, Field(strict=True, ge=0, le=120)]


class SalePrice(Model):
    max_days: NonNegativeInt | None
    share: Fraction


class DebtSale(Model):
    enabled: bool
    price_by_days_since_default: list[SalePrice] = Field(min_length=1)

    @field_validator("price_by_days_since_default")
    @classmethod
    def _closed(cls, rows: list[SalePrice]) -> list[SalePrice]:
        if rows[-1].max_days is not None:
            raise ValueError("the last row must have max_days: null (covers the rest)")
        return rows


class WriteOff(Model):
    enabled: bool


class Alternatives(Model):
    litigation: Litigation
    agency: Agency
    debt_sale: DebtSale
    write_off: WriteOff

    @model_validator(mode="after")
    def _one_enabled(self) -> Alternatives:
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


class Authority(Model):
    executive_min_share: Fraction


class Agreements(Model):
    """What a written agreement says happens when a payment is missed."""

    grace_period_days: Annotated[int, Field(strict=True, ge=0, le=60)]
    max_first_payment_days: Annotated[int, Field(strict=True, ge=0, le=365)]
    missed_payments_before_default: PositiveInt
    reinstate_balance_on_default: bool


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
