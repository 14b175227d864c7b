"""The statistics behind ``report``, ``calibrate`` and champion/challenger (SPEC §10), pure.

Everything here is arithmetic on counts and sums the ledger's queries return: intervals for
rates, the lift between two rule sets, the burden band a plan falls in, and the stable hash that
assigns a case to a rule set. No database, no file, no clock.

* **Rates** get a Wilson score interval (Wilson 1927; Brown, Cai & DasGupta 2001 recommend it over
  the normal "Wald" interval, which misbehaves for rates near 0 or 1 and small counts). A monthly
  break hazard is a rate per installment-month at risk (each month an arrangement either breaks
  or survives), so it gets the same interval over its exposure.
* **Lift** of a challenger over the champion is the difference of mean collected per case, with a
  Welch (unequal variances) normal-approximation interval: cases are independent, the arms'
  variances differ, and the arms are large in any experiment worth reading.
* **Assignment** to the challenger: the first 8 bytes of SHA-256 over ``"{experiment}:{case_id}"``
  (UTF-8), read as a big-endian integer and divided by 2^64, is below the challenger share. The
  same case in the same experiment always lands in the same arm, on any machine and in any run,
  and a new experiment name reshuffles the cases independently of the last.
"""

from __future__ import annotations

import hashlib
import math
from decimal import Decimal
from typing import Final

from negplan.records import record

#: z for a two-sided 95% interval.
Z95: Final = 1.959963984540054
#: Below this many observations a figure is reported as "too little data", never fitted
#: (with fewer than 30 arrangements a hazard's interval is wider than the hazard itself).
MIN_OBSERVATIONS: Final = 30


@record
class Rate:
    """``events`` out of ``trials``, with a 95% Wilson interval; ``None`` when nothing to count."""

    events: int
    trials: int

    @property
    def value(self) -> float | None:
        return None if self.trials == 0 else self.events / self.trials

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson(self.events, self.trials)

    @property
    def enough(self) -> bool:
        return self.trials >= MIN_OBSERVATIONS


def wilson(events: int, trials: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval for ``events`` successes in ``trials`` (None when trials is 0)."""
    if trials <= 0:
        return None
    p = events / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@record
class ArmSums:
    """One arm of an experiment: cases, and the sum and sum of squares of collected per case."""

    cases: int
    total: float
    squares: float

    @property
    def mean(self) -> float | None:
        return None if self.cases == 0 else self.total / self.cases

    @property
    def variance(self) -> float | None:
        """The sample variance (n − 1), clamped at 0 against rounding."""
        if self.cases < 2:
            return None
        mean = self.total / self.cases
        return max(0.0, (self.squares - self.cases * mean * mean) / (self.cases - 1))


@record
class Lift:
    """Challenger minus champion, in mean collected per case, with a 95% Welch interval."""

    difference: float
    low: float
    high: float
    relative: float | None  # the difference ÷ the champion's mean


def lift(champion: ArmSums, challenger: ArmSums, z: float = Z95) -> Lift | None:
    """The realised lift; ``None`` when either arm has fewer than two cases."""
    if champion.variance is None or challenger.variance is None:
        return None
    assert champion.mean is not None and challenger.mean is not None
    difference = challenger.mean - champion.mean
    error = math.sqrt(champion.variance / champion.cases + challenger.variance / challenger.cases)
    relative = None if champion.mean == 0 else difference / champion.mean
    return Lift(difference, difference - z * error, difference + z * error, relative)


def challenger_fraction(experiment: str, case_id: str) -> float:
    """Where the case falls in [0, 1) for this experiment: SHA-256, first 8 bytes ÷ 2^64."""
    digest = hashlib.sha256(f"{experiment}:{case_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def is_challenger(experiment: str, case_id: str, share: float) -> bool:
    """Whether the case is planned with the challenger's rules in this experiment."""
    return challenger_fraction(experiment, case_id) < share


def burden_band(burden: Decimal | None, ceilings: list[Decimal | None]) -> int:
    """The index of the first band whose ceiling holds ``burden`` (``value.monthly_break_hazard``).

    ``None`` burden (nothing affordable) falls in the last, open-ended band, as in valuation.
    """
    for index, ceiling in enumerate(ceilings):
        if ceiling is None or (burden is not None and burden <= ceiling):
            return index
    return len(ceilings) - 1


def band_label(index: int, ceilings: list[Decimal | None]) -> str:
    """``0.50–0.80`` style label of a burden band, for people and for the override's comments."""
    low = Decimal(0) if index == 0 else ceilings[index - 1]
    high = ceilings[index]
    return f"{low} to {high}" if high is not None else f"above {low}"
