"""Agreements that lay out well and say each thing once (issue 19)."""

from __future__ import annotations

import re
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


def _pdf_pages(tmp_path: Path, name: str, *args: str) -> list[str]:
    import pypdf

    out = tmp_path / f"{name}.pdf"
    result = CliRunner().invoke(
        app,
        ["agreement", str(EXAMPLES / f"{name}.yaml"), "--as-of", "2026-11-23", *args,
         "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return [page.extract_text() or "" for page in pypdf.PdfReader(out).pages]


def test_the_signatures_share_a_page_with_the_text_before_them(tmp_path: Path) -> None:
    pages = _pdf_pages(
        tmp_path, "maria-lopez-plan", "--option", "plan_full_12m", "--down-payment", "250"
    )
    # The signature block never stands alone on its page (the page count grew with the
    # honest-words clauses of issue 14: how to pay, the notice and cure period, the letter).
    assert len(pages) <= 3
    last = pages[-1]
    assert "SIGNATURES" in last.upper() and "IMPORTANT INFORMATION" in last.upper()


def test_the_uk_schedule_runs_on_in_pages_and_the_total_stays_with_its_rows(
    tmp_path: Path,
) -> None:
    pages = _pdf_pages(tmp_path, "uk-gbp", "--option", "plan_reduced_36m")
    assert len(pages) <= 3  # 36 payments: about 30 rows a page, never one
    row = re.compile(
        r"\d+ (?:Monday|Tuesday|Wednesday|Thursday|Friday) \d{1,2} [A-Z][a-z]+ 20\d\d £[\d,]+\.\d\d"
    )
    rows_per_page = [len(row.findall(" ".join(text.split()))) for text in pages]
    assert sum(rows_per_page) == 36
    assert max(rows_per_page) >= 25
    last_row = row.findall(" ".join(" ".join(pages).split()))[-1]
    total_page = next(" ".join(text.split()) for text in pages if "Total £" in text)
    assert last_row in total_page  # the last payment, on the page of the total


def test_a_phone_sized_page_wraps_instead_of_clipping() -> None:
    css = (Path(__file__).resolve().parent.parent / "templates" / "agreement.css").read_text()
    narrow = css[css.index("@media screen and (max-width: 640px)") :]
    narrow = narrow[: narrow.index("@media print")]
    for rule in (".balance { min-width: 0", "word-break: break-all", ".schedule .date"):
        assert rule in narrow
