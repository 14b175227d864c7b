"""The statistics of SPEC §10 (negplan.core.evaluation): intervals, lift and stable assignment."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

from negplan.core.evaluation import (
    ArmSums,
    Rate,
    band_label,
    burden_band,
    challenger_fraction,
    is_challenger,
    lift,
    wilson,
)


def test_wilson_matches_published_values() -> None:
    # Brown, Cai & DasGupta (2001): 0 of 10 → [0, 0.2775]; 5 of 10 → [0.2366, 0.7634].
    low, high = wilson(0, 10)  # type: ignore[misc]
    assert low == 0 and high == pytest.approx(0.2775, abs=1e-4)
    low, high = wilson(5, 10)  # type: ignore[misc]
    assert low == pytest.approx(0.2366, abs=1e-4) and high == pytest.approx(0.7634, abs=1e-4)
    assert wilson(0, 0) is None
    assert Rate(3, 0).value is None and not Rate(3, 29).enough and Rate(3, 30).enough


def test_lift_is_the_difference_of_means_with_a_welch_interval() -> None:
    champion = ArmSums(4, 400.0, 4 * 100.0**2)  # all 100: no variance
    challenger = ArmSums(4, 4 * 150.0, 2 * 140.0**2 + 2 * 160.0**2)  # sd 11.547
    found = lift(champion, challenger)
    assert found is not None
    assert found.difference == pytest.approx(50)
    half = 1.959963984540054 * (11.547005383792516**2 / 4) ** 0.5
    assert found.low == pytest.approx(50 - half) and found.high == pytest.approx(50 + half)
    assert found.relative == pytest.approx(0.5)
    assert lift(ArmSums(1, 1.0, 1.0), challenger) is None


def test_assignment_is_sha256_of_experiment_and_case_id() -> None:
    digest = hashlib.sha256(b"dec-2026:NW-2026-00187").digest()
    assert (
        challenger_fraction("dec-2026", "NW-2026-00187")
        == int.from_bytes(digest[:8], "big") / 2**64
    )
    cases = [f"C-{n}" for n in range(4000)]
    chosen = [c for c in cases if is_challenger("dec-2026", c, 0.2)]
    assert 0.18 < len(chosen) / len(cases) < 0.22
    assert chosen == [c for c in cases if is_challenger("dec-2026", c, 0.2)]  # stable
    other = {c for c in cases if is_challenger("jan-2027", c, 0.2)}
    assert 0.1 < len(other & set(chosen)) / len(chosen) < 0.3  # a new experiment reshuffles


def test_burden_bands_follow_the_hazard_table() -> None:
    ceilings = [Decimal("0.5"), Decimal("0.8"), Decimal("1.0"), None]
    assert [burden_band(Decimal(b), ceilings) for b in ("0.2", "0.5", "0.51", "1.0", "3")] == [
        0, 0, 1, 2, 3,
    ]  # fmt: skip
    assert burden_band(None, ceilings) == 3  # nothing affordable: the open-ended band
    assert band_label(0, ceilings) == "0 to 0.5" and band_label(3, ceilings) == "above 1.0"
