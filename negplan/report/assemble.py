"""Run the report's queries once, in one read transaction, and hand the formats plain data."""

from __future__ import annotations

from sqlalchemy import Connection

from negplan.report.cohorts import cohorts
from negplan.report.facts import reset
from negplan.report.metrics import By, Period, gather
from negplan.report.tables import ReportData


def report_data(
    conn: Connection, by: By | None, period: Period, promise_grace: int, *, charts: bool
) -> ReportData:
    """The figures grouped ``by``; with ``charts``, also by option and by rule set (the HTML's
    kept-rate charts and planned-against-collected need those whatever ``--by`` says)."""
    reset(conn)
    figures = gather(conn, by, period, promise_grace)
    data = ReportData(figures, cohorts(conn, period))
    if charts:
        for extra in (By.option, By.rules):
            data.extra[extra.value] = (
                figures if by is extra else gather(conn, extra, period, promise_grace)
            )
    return data
