"""Expressions SQLite and PostgreSQL spell differently, compiled per dialect.

The ledger stores money as exact decimal text and dates as ISO text (``negplan.io.ledger.schema``).
Sums are taken in **integer cents** so they stay exact on both databases: the ledger refuses
amounts with more than two decimal places, so ``round(amount × 100)`` is the amount exactly
(a SQLite REAL holds every two-place amount below 10^12 to well under half a cent), and an
integer ``SUM`` never rounds.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, String, cast, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement


class cents(FunctionElement[int]):
    """An amount column (decimal text) as integer cents."""

    type = Integer()
    inherit_cache = True


@compiles(cents, "sqlite")
def _cents_sqlite(element: cents, compiler: Any, **kw: Any) -> str:
    arg = compiler.process(element.clauses, **kw)
    return f"CAST(ROUND(CAST({arg} AS REAL) * 100) AS INTEGER)"


@compiles(cents)
def _cents_default(element: cents, compiler: Any, **kw: Any) -> str:
    arg = compiler.process(element.clauses, **kw)
    return f"CAST(ROUND(CAST({arg} AS NUMERIC) * 100) AS BIGINT)"


class plus_days(FunctionElement[str]):
    """An ISO date (text) plus a whole number of days, as ISO text."""

    type = String()
    inherit_cache = True


@compiles(plus_days, "sqlite")
def _plus_days_sqlite(element: plus_days, compiler: Any, **kw: Any) -> str:
    day, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"date({day}, '+' || ({days}) || ' days')"


@compiles(plus_days)
def _plus_days_default(element: plus_days, compiler: Any, **kw: Any) -> str:
    day, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"to_char(CAST({day} AS DATE) + ({days}), 'YYYY-MM-DD')"


class days_between(FunctionElement[int]):
    """Whole days from the second ISO date to the first."""

    type = Integer()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


@compiles(days_between)
def _days_default(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(CAST({later} AS DATE) - CAST({earlier} AS DATE))"


class json_text(FunctionElement[str]):
    """A text field of a JSON document stored as text: ``json_text(col, "balance", "total")``."""

    type = String()
    inherit_cache = True


@compiles(json_text, "sqlite")
def _json_sqlite(element: json_text, compiler: Any, **kw: Any) -> str:
    column, *keys = list(element.clauses)
    path = "$." + ".".join(k.value for k in keys)
    return f"json_extract({compiler.process(column, **kw)}, '{path}')"


@compiles(json_text)
def _json_default(element: json_text, compiler: Any, **kw: Any) -> str:
    column, *keys = list(element.clauses)
    text = f"CAST({compiler.process(column, **kw)} AS JSON)"
    for key in keys[:-1]:
        text += f" -> '{key.value}'"
    return f"({text} ->> '{keys[-1].value}')"


def month_number(day: ColumnElement[Any]) -> ColumnElement[int]:
    """``year × 12 + month`` of an ISO date or timestamp: calendar months subtract exactly."""
    year = cast(func.substr(day, 1, 4), Integer)
    month = cast(func.substr(day, 6, 2), Integer)
    return year * 12 + month


def month_of(day: ColumnElement[Any]) -> ColumnElement[str]:
    """``YYYY-MM`` of an ISO date or timestamp (the ``--by month`` key)."""
    return func.substr(day, 1, 7)
