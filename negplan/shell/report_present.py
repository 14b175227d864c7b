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
from typing import Any

from negplan.report.compare import Comparison, comparison_rows
from negplan.report.render import human_tables, neutralise
from negplan.report.tables import ReportData


def _clean(text: str) -> str:
    """No control character from case or ledger data reaches the terminal (SPEC 7a)."""
    return "".join(c if c.isprintable() else "?" for c in text)


#: Columns a bordered Rich table spends on each column (a space either side and a rule).
_PER_COLUMN = 3


def _header_lines(name: str, width: int) -> str:
    """The header broken at spaces only, each line within ``width`` (a word is never cut)."""
    import textwrap

    return "\n".join(
        textwrap.wrap(name, width, break_long_words=False, break_on_hyphens=False) or [""]
    )


def rich_table(
    title: str, header: Sequence[str], rows: Sequence[Sequence[str]], console: Any = None
) -> None:
    """One table on the terminal, every figure whole on its line.

    A column is as wide as its widest cell, or its header's longest word; headers break at
    spaces. When the columns do not fit the terminal (the rates at 80 columns: each cell is a
    rate with its interval and counts, about 27 characters), each row is printed as a block of
    "header  value" lines instead: an executive reads the same figures, none cut in two. A
    table with no row says so in words.
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = console or Console()
    cells = [[_clean(c) for c in row] for row in rows]
    if not cells:
        console.print(Text(title, style="italic"))
        console.print("Nothing recorded for this period.\n")
        return
    widths = [
        max([*(len(w) for w in name.split()), *(len(r[i]) for r in cells)], default=1)
        for i, name in enumerate(header)
    ]
    if sum(widths) + _PER_COLUMN * len(widths) + 1 <= console.width:
        table = Table(title=title, title_justify="left", show_lines=False)
        for index, (name, width) in enumerate(zip(header, widths, strict=True)):
            table.add_column(
                _header_lines(name, width),
                justify="left" if index == 0 else "right",
                no_wrap=True,
                min_width=width,
            )
        for row in cells:
            table.add_row(*row)
        console.print(table)
        return
    _stacked(console, title, header, cells)


def _stacked(console: Any, title: str, header: Sequence[str], cells: list[list[str]]) -> None:
    """Each row as a block: its first cell as a heading, then one "header  value" line a figure."""
    from rich.table import Table
    from rich.text import Text

    console.print(Text(title, style="italic"))
    for row in cells:
        block = Table(title=f"{header[0]}: {row[0]}", title_justify="left", box=None)
        # Labels are short and stay on one line; a long value wraps at its spaces.
        block.add_column("", no_wrap=True, min_width=max(len(name) for name in header[1:]))
        block.add_column("", justify="right", overflow="fold")
        block.show_header = False
        for name, value in zip(header[1:], row[1:], strict=True):
            block.add_row(name, value)
        console.print(block)
        console.print()


def _plain_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    cells = [list(header), *([_clean(c) for c in r] for r in rows)]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    sys.stdout.write(f"{title}\n")
    for r in cells:
        sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
        sys.stdout.write("\n")
    sys.stdout.write("\n")


def print_report(data: ReportData, console: Any = None) -> None:
    """The report as Rich tables (only called on a terminal; ``console`` for a fixed width)."""
    for title, header, rows in human_tables(data):
        rich_table(title, header, rows, console)


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
    show = rich_table if sys.stdout.isatty() else _plain_table
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
