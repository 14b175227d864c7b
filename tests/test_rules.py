"""SPEC §3: packaged default rules, deep-merged overrides, unknown keys refused where they are."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from negplan.core.case import ExpenseCategory
from negplan.core.rules import Rules
from negplan.errors import InputError
from negplan.io.rules_file import default_rules_text, load_rules
from negplan.io.yaml import deep_merge
from tests.helpers import Writer


def test_defaults_cover_every_key_of_the_spec() -> None:
    rules = load_rules()
    assert rules.settlement.floors[1].min_share == Decimal("0.75")
    assert rules.plans.max_months == 36
    assert rules.value.monthly_break_hazard[-1].burden == Decimal("1.25")
    assert rules.value.hazard_month_factors[-1].max_month is None
    assert rules.affordability.emergency_buffer.essential_months == Decimal("1")
    assert rules.alternatives.litigation.min_balance == Decimal("2500.00")
    assert rules.authority.executive_min_share == Decimal("0.60")


def test_every_default_value_line_has_a_source_comment_nearby() -> None:
    """Each top-level section is introduced by comments saying where its values come from."""
    text = default_rules_text()
    for section in Rules.model_fields:
        before = text.split(f"\n{section}:", 1)[0].rstrip().splitlines()
        after = text.split(f"\n{section}:", 1)[1].splitlines()[1]
        assert before[-1].startswith("#") or after.strip().startswith("#"), section


def test_deep_merge_merges_mappings_and_replaces_lists() -> None:
    base = {"a": {"b": 1, "c": [1, 2]}, "d": 4}
    merged = deep_merge(base, {"a": {"c": [9]}, "e": 5})
    assert merged == {"a": {"b": 1, "c": [9]}, "d": 4, "e": 5}
    assert base == {"a": {"b": 1, "c": [1, 2]}, "d": 4}


def test_override_changes_only_its_keys(write: Writer) -> None:
    path = write(
        """\
        plans:
          max_months: 48
        affordability:
          guideline_method: cap
        """,
        "rules.yaml",
    )
    rules = load_rules(path)
    assert rules.plans.max_months == 48
    assert rules.plans.min_payment == Decimal("25.00")
    assert rules.affordability.guideline_method == "cap"
    assert rules.affordability.allocation == "after_other_debts"


def test_unknown_keys_in_an_override_are_located_in_the_override(write: Writer) -> None:
    path = write(
        """\
        plans:
          max_monhts: 48
        """,
        "rules.yaml",
    )
    with pytest.raises(InputError) as info:
        load_rules(path)
    (problem,) = info.value.problems
    assert str(problem).startswith(f"{path}:2:3: plans.max_monhts: unknown key")
    assert "did you mean 'max_months'?" in str(problem)


def test_floors_must_end_open_ended(write: Writer) -> None:
    path = write(
        """\
        settlement:
          floors:
            - {max_days_past_due: 90, min_share: 0.9}
        """,
        "rules.yaml",
    )
    with pytest.raises(InputError, match="the last floor must have max_days_past_due: null"):
        load_rules(path)


def test_empty_override_means_defaults(write: Writer) -> None:
    assert load_rules(write("# nothing\n", "rules.yaml")) == load_rules()


def test_defaults_parse_as_yaml_with_decimal_values() -> None:
    data = yaml.safe_load(default_rules_text())
    assert set(data) == set(Rules.model_fields)


def test_rules_say_their_currency_and_a_mismatch_is_warned(write: Writer) -> None:
    from negplan.core.case import parse_case
    from negplan.core.plan import build_plan
    from negplan.io.packaged import load_tables
    from tests.helpers import AS_OF, case_data

    assert load_rules().currency == "USD"
    assert load_rules().currency_warning("USD") is None
    assert "in USD but this case is in INR" in (load_rules().currency_warning("INR") or "")
    case = parse_case(
        case_data(
            currency="INR", jurisdiction="IN-MH", debtor={"name": "A", "timezone": "Asia/Kolkata"}
        )
    )
    from datetime import datetime, timezone

    plan = build_plan(
        case, load_rules(), load_tables(), AS_OF, datetime(2026, 11, 22, 6, tzinfo=timezone.utc)
    )
    assert plan.minimum_terms.reasons[0].code == "currency_mismatch"
    assert plan.minimum_terms.reasons[0].text.startswith("warning: the rules' amounts are in USD")


def test_null_guidelines_in_an_override_mean_none(write: Writer) -> None:
    rules = load_rules(write("currency: INR\naffordability:\n  guidelines: null\n", "r.yaml"))
    assert rules.currency == "INR"
    assert rules.affordability.guidelines is None
    assert rules.affordability.guideline_for(ExpenseCategory.food, 3) is None


def test_rules_written_before_the_revised_valuation_still_load() -> None:
    """Hazard bands ({max_burden, hazard}, last null) become points; a flat agency recovery_rate
    becomes a one-row table by age."""
    data = load_rules().model_dump(mode="python")
    data["value"]["monthly_break_hazard"] = [
        {"max_burden": "0.50", "hazard": "0.02"},
        {"max_burden": "1.00", "hazard": "0.07"},
        {"max_burden": None, "hazard": "0.25"},
    ]
    agency = data["alternatives"]["agency"]
    del agency["recovery_by_days_since_default"]
    agency["recovery_rate"] = "0.22"
    rules = Rules.model_validate(data)
    points = [(p.burden, p.hazard) for p in rules.value.monthly_break_hazard]
    assert points == [
        (Decimal("0.50"), Decimal("0.02")),
        (Decimal("1.00"), Decimal("0.07")),
        (Decimal("1.25"), Decimal("0.25")),
    ]
    rows = rules.alternatives.agency.recovery_by_days_since_default
    assert [(r.max_days, r.rate) for r in rows] == [(None, Decimal("0.22"))]


def test_the_cache_is_kept_out_of_the_users_home(isolated_cache: Path) -> None:
    """The conftest points the per-user cache at a temporary folder, and negplan uses it."""
    from negplan.io.cache import cache_dir

    assert cache_dir() == isolated_cache
    assert cache_dir() != Path.home() / ".cache" / "negplan"
    load_rules()
    assert any(isolated_cache.glob("*.pickle")), "the packaged rules were not cached there"
