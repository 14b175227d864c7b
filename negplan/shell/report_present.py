"""Presenting the report and the comparison: Rich tables on a terminal, plain text when piped.

Cells that come from people's input (executive names, case ids, file names) pass through
:func:`negplan.display` helpers' control-character scrubbing (SPEC 7a) before they reach a
terminal.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Sequence

from negplan.report.compare import Comparison, comparison_rows
from negplan.report.render import human_tables, neutralise
from negplan.report.tables import ReportData


def _clean(text: str) -> str:
    """No control character from case or ledger data reaches the terminal (SPEC 7a)."""
    return "".join(c if c.isprintable() else "?" for c in text)


def _rich_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False)
    for index, name in enumerate(header):
        table.add_column(name, justify="left" if index == 0 else "right", overflow="fold")
    for row in rows:
        table.add_row(*(_clean(c) for c in row))
    Console().print(table)


def _plain_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    cells = [list(header), *([_clean(c) for c in r] for r in rows)]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    sys.stdout.write(f"{title}\n")
    for r in cells:
        sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
        sys.stdout.write("\n")
    sys.stdout.write("\n")


def print_report(data: ReportData) -> None:
    """The report as Rich tables (only called on a terminal)."""
    for title, header, rows in human_tables(data):
        _rich_table(title, header, rows)


def print_comparison(
    result: Comparison, output_format: str, changed_only: bool, name_a: str, name_b: str
) -> None:
    rows = comparison_rows(result, changed_only=changed_only)
    if output_format == "json":
        document = {
            "rules_a": name_a,
            "rules_b": name_b,
            "cases": len(result.cases),
            "changed": len(result.changed),
            "expected_value_totals": {
                currency: {"a": format(a, "f"), "b": format(b, "f")}
                for currency, (a, b) in result.totals().items()
            },
            "rows": rows,
            "failed": result.failed,
        }
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if rows:
            writer.writerow(list(rows[0]))
        for row in rows:
            writer.writerow([neutralise(v) for v in row.values()])
        sys.stdout.write(buffer.getvalue())
        return
    show = _rich_table if sys.stdout.isatty() else _plain_table
    header = ["case", "changes", "recommended A→B", "expected value A→B", "minimum settlement A→B"]
    table = [
        [r["case_id"], r["changes"] or "—", f"{r['recommended_a']} → {r['recommended_b']}",
         f"{r['expected_value_a']} → {r['expected_value_b']}",
         f"{r['minimum_settlement_a']} → {r['minimum_settlement_b']}"]
        for r in rows
    ]  # fmt: skip
    show(f"A = {name_a}, B = {name_b}", header, table)
    totals = "; ".join(
        f"{currency} {format(a, 'f')} → {format(b, 'f')}"
        for currency, (a, b) in result.totals().items()
    )
    sys.stdout.write(
        f"{len(result.changed)} of {len(result.cases)} case(s) change. "
        f"Expected value of the recommendations: {totals or 'none'}.\n"
    )
    for failure in result.failed:
        sys.stderr.write(f"skipped {_clean(failure)}\n")
