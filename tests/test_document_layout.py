"""Agreements that lay out well and say each thing once (issue 19)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from negplan.core.schedule import agreement_due_dates
from negplan.shell.app import app

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_a_holiday_is_named_once() -> None:
    # 15 February 2027: California's "Presidents' Day; Susan B. Anthony Day", and the federal
    # "Washington's Birthday": one day off, one name in the schedule's note.
    [due] = agreement_due_dates(date(2027, 2, 15), 1, "US-CA")
    assert due.due == date(2027, 2, 16)
    assert due.skipped == ("Presidents' Day",)


def test_india_s_review_date_is_a_business_day(tmp_path: Path) -> None:
    out = tmp_path / "in.md"
    result = CliRunner().invoke(
        app,
        ["agreement", str(EXAMPLES / "india-inr.yaml"), "--as-of", "2026-11-23",
         "--option", "hardship_token", "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    # A month after the last nominal due date is Sunday 7 March 2027.
    assert "reviewed on or before Monday 8 March 2027" in text
    assert "Sunday 7 March 2027" not in text
