"""``negplan calibrate``: the creditor's own break hazard and honour rate, from outcomes (SPEC §10).

Two figures value every plan (SPEC §4, 4a): ``value.lump_sum_honor_rate``, the chance a promised
first payment arrives, and ``value.monthly_break_hazard``, the chance per month that a plan
breaks, by burden (largest installment ÷ the affordable monthly payment). Both are estimated
from the arrangements in the ledger, counted by the database:

* **honour rate** = arrangements whose first installment was paid by the end of its grace
  period ÷ arrangements whose first installment's grace period has ended;
* **break hazard** in burden band *b* (burdens above the rules' point *b − 1* up to point *b*,
  the last band open-ended; the estimate is written as the hazard at point *b*; it averages over
  months, so compare it with the point's hazard times ``value.hazard_month_factors``) and by
  month *t* since the agreement (*t* ≥ 2) = arrangements
  that broke at installment *t* ÷ installment-months at risk: installment *t* of an arrangement
  whose first payment was honoured and which had not broken before *t*, counted only once the
  default it would cause can be seen (installment *t + m − 1* exists and its grace has ended,
  *m* the agreement's ``missed_payments_before_default``), so recent arrangements do not look
  safer than they are. An arrangement's burden needs the affordable payment planned for its case
  (``batch --experiment`` or ``simulate`` records it); without one it is left out and counted.

Each figure carries its counts and a 95% Wilson interval; a figure from fewer than
``MIN_OBSERVATIONS`` is reported as too little data and not written. The override is a file for
a person to review and merge with ``--rules``; negplan never applies it by itself.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, case, func, literal, select

from negplan.core.evaluation import MIN_OBSERVATIONS, Rate, band_label
from negplan.core.rules import Rules
from negplan.records import record
from negplan.report.facts import latest_assignments, materialise, reset, schedule
from negplan.report.sql import cents, plus_days


@record
class Calibration:
    as_of: date
    honour: Rate
    #: label, the point's burden, the estimate, the rules' hazard at that point
    bands: list[tuple[str, Decimal, Rate, Decimal]]
    by_month: dict[int, Rate]  # month since agreement → hazard over every band
    without_burden: int  # arrangements left out: no affordable payment recorded for the case
    current_honour: Decimal


def _band_case(burden_cents: Any, affordable_cents: Any, ceilings: list[Decimal | None]) -> Any:
    """The band index of ``burden = largest installment ÷ affordable`` (the last when none)."""
    whens = []
    for index, ceiling in enumerate(ceilings):
        if ceiling is None:
            break
        whens.append(
            (
                and_(
                    affordable_cents > 0,
                    burden_cents * 10_000 <= affordable_cents * int(ceiling * 10_000),
                ),
                index,
            )
        )
    return case(*whens, else_=len(ceilings) - 1)


def calibrate(conn: Connection, rules: Rules, as_of: date) -> Calibration:
    today = as_of.isoformat()
    points = rules.value.monthly_break_hazard
    # Band k holds the burdens nearest point k from below: (point k−1, point k]; the last band
    # is open-ended, as the hazard is flat beyond the last point (SPEC 4a).
    ceilings: list[Decimal | None] = [row.burden for row in points[:-1]] + [None]
    reset(conn)
    f, a = materialise(conn, as_of), latest_assignments(conn)
    largest = f.c.largest
    affordable = cents(a.c.affordable)
    band = _band_case(largest, affordable, ceilings).label("band")
    honour_row = conn.execute(
        select(func.sum(func.coalesce(f.c.first_honoured, 0)), func.sum(f.c.first_due))
    ).one()
    honour = Rate(int(honour_row[0] or 0), int(honour_row[1] or 0))
    left_out = conn.execute(
        select(func.count())
        .select_from(f.outerjoin(a, a.c.case_id == f.c.case_id))
        .where(a.c.affordable.is_(None))
    ).scalar_one()
    per_arrangement = (
        select(f.c.fingerprint, f.c.broke_at, f.c.grace_days, f.c.m, f.c.ends, band)
        .select_from(f.join(a, a.c.case_id == f.c.case_id))
        .where(f.c.first_honoured == 1)
        .subquery("at_risk")
    )
    s, later = schedule.alias("s"), schedule.alias("observed")
    r = per_arrangement
    seen = plus_days(later.c.due, r.c.grace_days + 1)
    exposures = (
        select(
            r.c.band,
            s.c.rank,
            func.count().label("at_risk"),
            func.sum(case((r.c.broke_at == s.c.rank, 1), else_=0)).label("broke"),
        )
        .select_from(
            r.join(s, s.c.fingerprint == r.c.fingerprint).join(
                later,
                and_(
                    later.c.fingerprint == r.c.fingerprint,
                    later.c.rank == s.c.rank + r.c.m - 1,
                ),
            )
        )
        .where(
            s.c.rank >= 2,
            s.c.rank <= func.coalesce(r.c.broke_at, literal(1_000_000)),
            seen <= today,
            seen < r.c.ends,
        )
        .group_by(r.c.band, s.c.rank)
    )
    per_band: dict[int, list[int]] = {}
    per_month: dict[int, list[int]] = {}
    for band_index, rank, at_risk, broke in conn.execute(exposures):
        for bucket, key in ((per_band, int(band_index)), (per_month, int(rank))):
            counts = bucket.setdefault(key, [0, 0])
            counts[0] += int(broke or 0)
            counts[1] += int(at_risk)
    bands = [
        (
            band_label(index, ceilings),
            points[index].burden,
            Rate(*per_band.get(index, [0, 0])),
            points[index].hazard,
        )
        for index in range(len(ceilings))
    ]
    months = {month: Rate(*counts) for month, counts in sorted(per_month.items())}
    return Calibration(as_of, honour, bands, months, int(left_out), rules.value.lump_sum_honor_rate)


def _rounded(value: float) -> str:
    return format(Decimal(str(round(value, 4))).normalize(), "f")


def _figure(rate: Rate) -> str:
    interval = rate.interval
    if interval is None or rate.value is None:
        return "no observations"
    low, high = interval
    return (
        f"{_rounded(rate.value)} from {rate.events} of {rate.trials} "
        f"(95% Wilson interval {_rounded(low)} to {_rounded(high)})"
    )


def override_yaml(result: Calibration) -> str:
    """The reviewable rules override: estimates with counts and intervals as comments.

    Only figures backed by at least ``MIN_OBSERVATIONS`` are written as values; the rest keep
    the current rule, with a comment saying there was too little data to fit them.
    """
    lines = [
        "# Rules override estimated by `negplan calibrate` from the ledger's outcomes",
        f"# (arrangements judged as of {result.as_of}). Review it before use: merge it with",
        "# `--rules FILE`; negplan never applies it by itself. Formulas: docs/metrics.md.",
        f"# A figure needs at least {MIN_OBSERVATIONS} observations; with fewer the current",
        "# rule is kept and the comment says so.",
    ]
    if result.without_burden:
        lines.append(
            f"# {result.without_burden} arrangement(s) had no planned affordable payment "
            "(no batch --experiment or simulate row) and are not in the break hazards."
        )
    lines.append("value:")
    honour = result.honour
    if honour.enough and honour.value is not None:
        lines.append(f"  # was {result.current_honour}; {_figure(honour)}")
        lines.append(f"  lump_sum_honor_rate: {_rounded(honour.value)}")
    else:
        lines.append(
            f"  # lump_sum_honor_rate: too little data ({honour.trials} first payments fallen "
            f"due, fewer than {MIN_OBSERVATIONS}); kept at {result.current_honour}"
        )
        lines.append(f"  lump_sum_honor_rate: {result.current_honour}")
    lines.append("  monthly_break_hazard:")
    floor = Decimal(0)
    for label, point, rate, current in result.bands:
        if rate.enough and rate.value is not None:
            lines.append(f"    # burden {label}: was {current}; {_figure(rate)} installment-months")
            hazard = Decimal(_rounded(rate.value))
        else:
            lines.append(
                f"    # burden {label}: too little data ({rate.trials} installment-months at "
                f"risk, fewer than {MIN_OBSERVATIONS}); kept at {current}"
            )
            hazard = current
        if hazard < floor:  # the rules require a hazard that never falls as the burden rises
            lines.append(
                f"    # raised from {hazard} to {floor}: a heavier burden never breaks less"
            )
            hazard = floor
        floor = hazard
        lines.append(f"    - {{burden: {point}, hazard: {hazard}}}")
    lines.append(
        "# Break hazard by month since the agreement (all bands), to review against"
        " value.hazard_month_factors (not fitted):"
    )
    for month, rate in result.by_month.items():
        text = _figure(rate) if rate.enough else f"too little data ({rate.trials} at risk)"
        lines.append(f"#   month {month}: {text}")
    return "\n".join(lines) + "\n"
