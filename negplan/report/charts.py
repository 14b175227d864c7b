"""The report's charts as inline SVG (matplotlib), byte-identical for the same ledger.

Deterministic by construction: the Agg backend (no display), a fixed ``svg.hashsalt`` (the ids
matplotlib gives clip paths), ``metadata={"Date": None}`` (no timestamp), text kept as text
(``svg.fonttype: none``: no font glyphs that depend on the machine's fonts) and a fixed style.
The XML header, DOCTYPE, RDF metadata and namespace declarations are dropped so each
SVG can sit inside the HTML page, which stays one offline file: no image, font or script is
fetched from anywhere.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any, Final

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt

_STYLE: Final[Any] = {
    "svg.hashsalt": "negplan-report",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.dpi": 72,
}
COLOURS: Final = ("#1f5f8b", "#d1495b", "#2e933c", "#edae49", "#66468c", "#00798c", "#8a8a8a")


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(figure)
    text = buffer.getvalue()
    text = re.sub(r"<\?xml[^>]*\?>\s*", "", text)
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text)
    # The RDF metadata and namespace declarations name URLs (never fetched, but an offline
    # report should not even name one); the HTML parser needs neither for inline SVG.
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.DOTALL)
    text = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", text)
    return text.strip()


def cohort_curves(series: Sequence[tuple[str, Sequence[float]]]) -> str:
    """Liquidation (cumulative collected ÷ balance) by month since agreement, one line a cohort."""
    with plt.rc_context(_STYLE):
        figure, axes = plt.subplots(figsize=(7.5, 3.6))
        for index, (label, values) in enumerate(series):
            axes.plot(
                range(len(values)),
                [v * 100 for v in values],
                marker="o",
                markersize=3,
                color=COLOURS[index % len(COLOURS)],
                label=label,
            )
        axes.set_xlabel("months since agreement")
        axes.set_ylabel("collected, % of balance")
        if series:
            axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        else:
            axes.text(0.5, 0.5, "no arrangements in the period", ha="center", va="center")
        return _svg(figure)


def rate_bars(
    bars: Sequence[tuple[str, float | None, tuple[float, float] | None]], ylabel: str
) -> str:
    """One bar a group with its 95% interval as an error bar; groups with no data say so."""
    with plt.rc_context(_STYLE):
        figure, axes = plt.subplots(figsize=(7.5, 3.0))
        labels = [label for label, _, _ in bars]
        values = [0.0 if v is None else v * 100 for _, v, _ in bars]
        low = [0.0 if v is None or i is None else v * 100 - i[0] * 100 for _, v, i in bars]
        high = [0.0 if v is None or i is None else i[1] * 100 - v * 100 for _, v, i in bars]
        axes.bar(labels, values, color=COLOURS[0], yerr=[low, high], capsize=3)
        for x, (_, value, _) in enumerate(bars):
            if value is None:
                axes.text(x, 1, "no data", ha="center", fontsize=8)
        axes.set_ylim(0, 105)
        axes.set_ylabel(ylabel)
        if not bars:
            axes.text(0.5, 0.5, "no data", ha="center", va="center", transform=axes.transAxes)
        axes.tick_params(axis="x", labelrotation=15)
        return _svg(figure)


def planned_vs_collected(groups: Sequence[tuple[str, float, float]], currency: str) -> str:
    """Expected value planned beside what was collected since, per group, in one currency."""
    with plt.rc_context(_STYLE):
        figure, axes = plt.subplots(figsize=(7.5, 3.0))
        positions = range(len(groups))
        axes.bar(
            [p - 0.2 for p in positions],
            [g[1] for g in groups],
            width=0.4,
            color=COLOURS[0],
            label="expected value planned",
        )
        axes.bar(
            [p + 0.2 for p in positions],
            [g[2] for g in groups],
            width=0.4,
            color=COLOURS[2],
            label="collected since",
        )
        axes.set_xticks(list(positions), [g[0] for g in groups])
        axes.set_ylabel(currency)
        axes.legend(loc="upper right", fontsize=8, frameon=False)
        return _svg(figure)
