"""The report's formats: JSON and CSV for machines, Markdown and HTML for people.

* JSON: amounts and rates as decimal strings (exact; a float would round), counts as numbers.
* CSV: one long table (``table, group, currency, measure, value, low, high, events, trials``) so
  every section fits one file a spreadsheet or a script can pivot; a cell a spreadsheet would run
  as a formula (leading ``=``, ``+``, ``-``, ``@``) is neutralised with a leading apostrophe
  (SPEC 5a): an executive's name or a group key comes from people's input.
* HTML: one self-contained file, charts inlined as SVG, no script, no external URL.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from negplan.core.evaluation import Rate
from negplan.io.templates import render as render_template
from negplan.report import charts
from negplan.report.tables import (
    RATES,
    ReportData,
    cohort_rows,
    group_row,
    lift_row,
    money_row,
    rate_cell,
    rates_of,
)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A spreadsheet must show the cell, never run it (OWASP CSV injection; SPEC 5a).

    Numbers negplan writes itself (``-12.50`` as a reversal total) are left as numbers.
    """
    if cell.startswith(FORMULA_START):
        try:
            Decimal(cell)
        except ArithmeticError:
            return "'" + cell
        return cell
    return cell


def _period(data: ReportData) -> dict[str, str]:
    period = data.figures.period
    return {
        "from": period.start.isoformat() if period.start else "",
        "to": period.end.isoformat(),
        "by": data.figures.by.value if data.figures.by else "",
    }


def to_json(data: ReportData) -> str:
    document = {
        "period": _period(data),
        "groups": [group_row(g) for g in data.figures.groups],
        "money": [money_row(m) for m in data.figures.money],
        "lift": [lift_row(r) for r in data.lifts],
        "cohorts": cohort_rows(data.cohorts),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def to_csv(data: ReportData) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["table", "group", "currency", "measure", "value", "low", "high", "events", "trials"]
    )

    def row(*cells: Any) -> None:
        writer.writerow([neutralise(str(c)) for c in cells])

    for g in data.figures.groups:
        line = group_row(g)
        for name in (
            "call_attempts",
            "conversations",
            "promises",
            "promises_fallen_due",
            "promises_kept",
            "arrangements",
            "completed",
            "broken",
            "fell_into_arrears",
            "cured",
            "days_to_first_payment",
        ):
            row("metrics", g.key, "", name, line[name], "", "", "", "")
        for name, rate in line["rates"].items():
            row(
                "metrics",
                g.key,
                "",
                name,
                rate["value"],
                rate["low"],
                rate["high"],
                rate["events"],
                rate["trials"],
            )
    for m in data.figures.money:
        for name, value in money_row(m).items():
            if name not in ("group", "currency"):
                row("money", m.key, m.currency, name, value, "", "", "", "")
    for lifted in data.lifts:
        cells = lift_row(lifted)
        row(
            "lift",
            "challenger − champion",
            lifted.currency,
            "lift_per_case",
            cells["lift_per_case"],
            cells["lift_low"],
            cells["lift_high"],
            "",
            "",
        )
        for name in (
            "champion_collected_per_case",
            "challenger_collected_per_case",
            "relative_lift",
        ):
            row("lift", "challenger − champion", lifted.currency, name, cells[name], "", "", "", "")
    for c in cohort_rows(data.cohorts):
        row(
            "cohort",
            c["cohort"],
            c["currency"],
            f"liquidation_month_{c['months_since_agreement']}",
            c["liquidation"],
            "",
            "",
            "",
            "",
        )
    return buffer.getvalue()


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows]
    return lines


def human_tables(data: ReportData) -> list[tuple[str, list[str], list[list[str]]]]:
    """The tables people read (terminal, Markdown, HTML): title, header, rows."""
    by = data.figures.by.value if data.figures.by else "group"
    counts = [
        [
            g.key,
            str(g.attempts),
            str(g.conversations),
            str(g.promises),
            str(g.arrangements),
            "–" if g.days_to_first_payment is None else format(g.days_to_first_payment, "f"),
        ]
        for g in data.figures.groups
    ]
    tables = [
        (
            "Activity",
            [
                by,
                "call attempts",
                "conversations",
                "promises",
                "arrangements",
                "days to first payment",
            ],
            counts,
        ),
        (
            "Rates (95% Wilson interval, events/trials)",
            [by, *(name.replace("_", " ").removesuffix(" rate") for name, _ in RATES)],
            [[g.key, *(rate_cell(r) for r in rates_of(g).values())] for g in data.figures.groups],
        ),
    ]
    money = [
        [
            m["group"],
            m["currency"],
            m["balance_under_arrangement"],
            m["collected"],
            m["liquidation"],
            m["expected_value_planned"],
            m["collected_since_planned"],
            m["collected_vs_planned"],
        ]
        for m in (money_row(x) for x in data.figures.money)
    ]
    tables.append(
        (
            "Money (per currency)",
            [
                by,
                "currency",
                "balance under arrangement",
                "collected",
                "liquidation",
                "expected value planned",
                "collected since planned",
                "collected ÷ planned",
            ],
            money,
        )
    )
    if data.lifts:
        lifts = [
            [
                r["currency"],
                f"{r['champion_collected_per_case']} ({r['champion_cases']})",
                f"{r['challenger_collected_per_case']} ({r['challenger_cases']})",
                r["lift_per_case"],
                f"{r['lift_low']} to {r['lift_high']}",
                r["relative_lift"],
            ]
            for r in (lift_row(x) for x in data.lifts)
        ]
        tables.append(
            (
                "Realised lift of the challenger (collected per case since planning)",
                [
                    "currency",
                    "champion (cases)",
                    "challenger (cases)",
                    "lift",
                    "95% interval",
                    "relative",
                ],
                lifts,
            )
        )
    return tables


def to_markdown(data: ReportData) -> str:
    period = _period(data)
    lines = [
        "# negplan report",
        "",
        f"Period: {period['from'] or 'the beginning'} to {period['to']}. "
        "Formulas: docs/metrics.md.",
    ]
    for title, header, rows in human_tables(data):
        lines += ["", f"## {title}", "", *_md_table(header, rows)]
    return "\n".join(lines) + "\n"


def _kept_bars(figures: Any) -> list[tuple[str, float | None, tuple[float, float] | None]]:
    """Kept rate per group: arrangements not broken, and promises kept, each with its interval."""
    bars = []
    for g in figures.groups:
        if g.arrangements:
            kept = Rate(g.arrangements - g.broken, g.arrangements)
            bars.append((g.key, kept.value, kept.interval))
        elif g.promises_due:
            bars.append((g.key, g.promise_kept.value, g.promise_kept.interval))
    return bars


def to_html(data: ReportData) -> str:
    series = [
        (f"{c.month} {c.currency} ({c.arrangements})", [float(x) for x in c.liquidation()])
        for c in data.cohorts
        if c.balance
    ]
    planned: dict[str, list[tuple[str, float, float]]] = {}
    for m in data.extra["rules"].money if "rules" in data.extra else []:
        planned.setdefault(m.currency, []).append(
            (m.key, m.planned / 100, m.collected_since_plan / 100)
        )
    context = {
        "period": _period(data),
        "tables": human_tables(data),
        "cohort_chart": Markup(charts.cohort_curves(series)),
        "option_chart": Markup(
            charts.rate_bars(_kept_bars(data.extra["option"]), "kept, % (95% interval)")
        ),
        "rules_chart": Markup(
            charts.rate_bars(_kept_bars(data.extra["rules"]), "kept, % (95% interval)")
        ),
        "planned_charts": [
            (currency, Markup(charts.planned_vs_collected(groups, currency)))
            for currency, groups in sorted(planned.items())
        ],
    }
    return render_template("report.html.j2", context)
