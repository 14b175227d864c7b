"""What the debtor can afford, monthly and as a lump sum, from their disclosed finances (SPEC §4).

The method follows money-advice practice (the UK Standard Financial Statement; the IRS
collection financial standards): essential spending and priority debts come first, a small
contingency is kept back, and only what remains can go to this debt.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import field
from decimal import Decimal
from typing import Literal

from negplan.core.case import LIQUID_ASSETS, PROTECTED_ASSETS, Case, ExpenseCategory
from negplan.core.reasons import Reason
from negplan.core.rules import Rules
from negplan.core.valuation import full_plan_total
from negplan.display import display
from negplan.money import ZERO, monthly, quantize, quantize_down, quantize_up
from negplan.records import record

Capacity = Literal["full_now", "full_by_plan", "partial", "none"]


@record
class Affordability:
    """The debtor's capacity to pay, with the reasons behind each figure."""

    income: Decimal
    essential_expenses: Decimal
    priority_payments: Decimal
    surplus: Decimal
    contingency: Decimal
    affordable_monthly: Decimal
    lump_sum_capacity: Decimal
    collection_potential: Decimal
    capacity: Capacity
    flags: list[str] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    non_essential_spending: Decimal = ZERO
    other_payments: Decimal = ZERO
    #: Savings kept back for emergencies (affordability.emergency_buffer), at most the savings.
    emergency_buffer: Decimal = ZERO


def assess_affordability(case: Case, rules: Rules) -> Affordability:
    """Monthly surplus, affordable payment, lump-sum capacity and capacity class."""
    policy = rules.affordability
    cur = case.currency
    fin = case.finances
    balance = case.balance
    flags: list[str] = []
    reasons: list[Reason] = []

    income = sum((monthly(i.amount, i.frequency) for i in fin.income), ZERO)

    by_category: dict[ExpenseCategory, Decimal] = defaultdict(lambda: ZERO)
    for expense in fin.expenses:
        by_category[expense.category] += monthly(expense.amount, expense.frequency)
    essential = ZERO
    non_essential = ZERO
    for category, actual in sorted(by_category.items(), key=lambda kv: kv[0].value):
        if category not in policy.essential_categories:
            non_essential += actual
            flags.append(
                f"{category.value}: {display(actual, cur)} a month is not essential spending "
                "(not allowed for: affordability.essential_categories)"
            )
            continue
        guideline = policy.guideline_for(category, case.debtor.household_size)
        allowed = actual
        if guideline is not None and actual > guideline:
            people = case.debtor.household_size
            if policy.guideline_method == "cap":
                allowed = guideline
                flags.append(
                    f"{category.value}: {display(actual, cur)} a month is above the guideline of "
                    f"{display(guideline, cur)} for {people} "
                    f"{'person' if people == 1 else 'people'} "
                    "(only the guideline is allowed: affordability.guideline_method cap)"
                )
            else:
                flags.append(
                    f"{category.value}: {display(actual, cur)} a month is above the guideline of "
                    f"{display(guideline, cur)} for {people} "
                    f"{'person' if people == 1 else 'people'} "
                    "(discuss it on the call: affordability.guideline_method flag)"
                )
        essential += allowed

    # Each part is quantized before it is added, so every sum printed adds up exactly with the
    # figures printed beside it (SPEC §4a, "Figures add up as shown").
    income = quantize(income, cur)
    essential = quantize(essential, cur)
    priority = quantize(sum((d.payment for d in fin.debts if d.priority), ZERO), cur)
    surplus = income - essential - priority
    surplus_text = (
        f"surplus {display(surplus, cur)} = income {display(income, cur)} − essential spending "
        f"{display(essential, cur)} − priority debts {display(priority, cur)} "
        "(affordability.essential_categories, guideline_method "
        f"{policy.guideline_method})"
    )
    reasons.append(Reason("surplus", "affordability.essential_categories", surplus_text))

    contingency = ZERO
    if surplus > 0:
        contingency = quantize(min(policy.contingency.share * surplus, policy.contingency.cap), cur)
    other_payments = quantize(sum((d.payment for d in fin.debts if not d.priority), ZERO), cur)

    if policy.allocation == "after_other_debts":
        available = surplus - contingency - other_payments
        rule = "affordability.allocation"
        how = (
            f"surplus {display(surplus, cur)} − contingency {display(contingency, cur)} − other "
            f"creditors' payments {display(other_payments, cur)} "
            "(affordability.allocation: after_other_debts; contingency: "
            f"min({policy.contingency.share} × surplus, {policy.contingency.cap}))"
        )
    else:
        secured = quantize(
            sum((d.payment for d in fin.debts if not d.priority and d.secured), ZERO), cur
        )
        unsecured_balances = sum(
            (d.balance for d in fin.debts if not d.priority and not d.secured), ZERO
        )
        share = balance / (balance + unsecured_balances) if balance > 0 else ZERO
        available = (surplus - contingency - secured) * share
        rule = "affordability.allocation"
        how = (
            f"(surplus {display(surplus, cur)} − contingency {display(contingency, cur)} − "
            f"secured payments {display(secured, cur)}) × this debt's share {share:.4f} of "
            f"unsecured balances {display(balance + unsecured_balances, cur)}, rounded down "
            "(affordability.allocation: pro_rata)"
        )
    affordable = quantize_down(max(ZERO, available), cur)
    reasons.append(
        Reason("affordable_monthly", rule, f"affordable monthly {display(affordable, cur)}: {how}")
    )

    liquid = quantize(sum((a.value for a in fin.assets if a.kind in LIQUID_ASSETS), ZERO), cur)
    # The debtor keeps an emergency buffer out of savings (SPEC §4a); retirement and locked
    # assets never count (PROTECTED_ASSETS).
    buffer_rule = policy.emergency_buffer
    buffer = quantize_up(max(buffer_rule.min_amount, buffer_rule.essential_months * essential), cur)
    kept = min(liquid, buffer)
    spare = liquid - kept
    lump = spare
    buffer_text = (
        f"cash and savings {display(liquid, cur)} − emergency buffer kept "
        f"{display(kept, cur)} (affordability.emergency_buffer: {buffer_rule.essential_months} "
        f"month(s) of essential spending, {display(buffer, cur)})"
    )
    if policy.count_assets == "equity":
        equity = quantize_down(
            sum(
                (
                    max(ZERO, policy.quick_sale_factor * a.value - a.secured_debt)
                    for a in fin.assets
                    if a.kind not in LIQUID_ASSETS and a.kind not in PROTECTED_ASSETS
                ),
                ZERO,
            ),
            cur,
        )
        lump += equity
        reasons.append(
            Reason(
                "lump_sum_capacity",
                "affordability.count_assets",
                f"lump sum capacity {display(lump, cur)} = {buffer_text} + quick-sale equity "
                f"{display(equity, cur)} (affordability.count_assets: equity, quick_sale_factor "
                f"{policy.quick_sale_factor}; retirement and locked assets never count)",
            )
        )
    else:
        reasons.append(
            Reason(
                "lump_sum_capacity",
                "affordability.count_assets",
                f"lump sum capacity {display(lump, cur)} = {buffer_text} "
                "(affordability.count_assets: liquid; retirement and locked assets never count)",
            )
        )
    potential = lump + affordable * 12
    full_plan = full_plan_total(case, rules, rules.plans.max_months)

    good_faith_minimum = rules.settlement.good_faith.min_amount
    if lump >= balance:
        capacity: Capacity = "full_now"
        why = f"cash and savings cover the balance {display(balance, cur)}"
    elif affordable * rules.plans.max_months >= full_plan:
        capacity = "full_by_plan"
        why = f"{rules.plans.max_months} payments of {display(affordable, cur)} cover the " + (
            "balance"
            if full_plan == balance
            else f"balance with contract interest, {display(full_plan, cur)} (plans.interest)"
        )
    elif affordable < rules.plans.min_payment and lump < good_faith_minimum:
        capacity = "none"
        why = (
            f"affordable {display(affordable, cur)} is under plans.min_payment and savings under "
            "settlement.good_faith.min_amount"
        )
    else:
        capacity = "partial"
        why = "can pay something, but not the whole balance within plans.max_months"
    reasons.append(Reason("capacity", "plans.max_months", f"capacity {capacity}: {why}"))

    return Affordability(
        income=income,
        essential_expenses=essential,
        priority_payments=priority,
        surplus=surplus,
        contingency=contingency,
        affordable_monthly=affordable,
        lump_sum_capacity=lump,
        collection_potential=potential,
        capacity=capacity,
        flags=flags,
        reasons=reasons,
        non_essential_spending=quantize(non_essential, cur),
        other_payments=other_payments,
        emergency_buffer=kept,
    )
