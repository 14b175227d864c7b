"""``negplan cancel`` (SPEC §8): an arrangement becomes ``cancelled``, as one recorded event that
``status``, ``prep`` and ``batch`` follow; on SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from negplan.shell.app import app
from tests.ledger.test_ledger_cli import CASE, MARIA, agreement, fails, run, status

runner = CliRunner()
NOW = "2026-12-04T17:00:00-08:00"


def tracked(tmp_path: Path, ledger: str) -> None:
    deal = agreement(tmp_path, "deal.md", "--option", "plan_full_12m", "--as-of", "2026-11-22")
    run("track", str(deal), "--signed-on", "2026-11-23", ledger=ledger)


def test_cancel_is_recorded_shown_and_exported(ledger_url: str, tmp_path: Path) -> None:
    tracked(tmp_path, ledger_url)
    out = run(
        "cancel", CASE, "--reason", "debtor asked to end the plan", "--on", "2026-12-01",
        "--by", "J. Lee", ledger=ledger_url,
    )  # fmt: skip
    assert "cancelled the arrangement sha256:" in out and "(it was on_track)" in out
    (deal,) = status(ledger_url, "2026-12-02", CASE)["cases"][0]["arrangements"]
    assert deal["state"] == "cancelled"
    assert deal["reason"] == "cancelled on 2026-12-01 by J. Lee: debtor asked to end the plan"
    # before the date it was in force, and a status of then says so
    (before,) = status(ledger_url, "2026-11-30", CASE)["cases"][0]["arrangements"]
    assert before["state"] == "on_track"
    assert "cancelled (cancelled on 2026-12-01" in run(
        "status", CASE, "--as-of", "2026-12-02", ledger=ledger_url
    )
    backup = tmp_path / "backup.jsonl"
    run("ledger", "export", "--out", str(backup), ledger=ledger_url)
    moved = str(tmp_path / "moved.db")
    assert "1 cancellations" in run("ledger", "import", str(backup), ledger=moved)
    assert status(moved, "2026-12-02") == status(ledger_url, "2026-12-02")


def test_a_payment_after_the_cancellation_pays_no_installment(
    ledger_url: str, tmp_path: Path
) -> None:
    tracked(tmp_path, ledger_url)
    run("cancel", CASE, "--reason", "replaced by a settlement", "--on", "2026-12-01",
        ledger=ledger_url)  # fmt: skip
    bank = tmp_path / "bank.csv"
    bank.write_text(f"case_id,date,amount,reference\n{CASE},2026-12-07,740.46,T1\n", "utf-8")
    run("payments", "import", str(bank), ledger=ledger_url)
    maria = status(ledger_url, "2026-12-20", CASE)["cases"][0]
    assert maria["arrangements"][0]["paid"] == "0"
    assert [u["amount"] for u in maria["unallocated"]] == ["740.46"]


def test_what_cannot_be_cancelled_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    ledger = str(tmp_path / "l.db")
    assert "no ledger at" in fails("cancel", CASE, "--reason", "x", ledger=ledger)
    run("log", CASE, "--outcome", "no_answer", ledger=ledger)
    assert "no arrangement in force" in fails("cancel", CASE, "--reason", "x", ledger=ledger)
    tracked(tmp_path, ledger)
    assert "before the arrangement was signed" in fails(
        "cancel", CASE, "--reason", "x", "--on", "2026-11-01", ledger=ledger
    )
    assert "--reason" in fails("cancel", CASE, "--reason", "  ", ledger=ledger)
    assert "printable" in fails("cancel", CASE, "--reason", "a\x1b]0;x\x07", ledger=ledger)
    (deal,) = status(ledger, "2026-12-02", CASE)["cases"][0]["arrangements"]
    assert deal["state"] == "on_track"
    run("cancel", CASE, "--reason", "ended", "--on", "2026-12-01", ledger=ledger)
    again = fails("cancel", CASE, "--reason", "again", "--on", "2026-12-02", ledger=ledger)
    assert "no arrangement in force" in again
    usage = runner.invoke(app, ["cancel", CASE, "--ledger", ledger])
    assert usage.exit_code == 2 and "--reason" in usage.output


def test_a_completed_arrangement_is_refused(tmp_path: Path) -> None:
    ledger = str(tmp_path / "l.db")
    tracked(tmp_path, ledger)
    (terms,) = status(ledger, "2026-11-24", CASE)["cases"][0]["arrangements"]
    bank = tmp_path / "bank.csv"  # the whole balance at once: every installment paid
    row = f"{CASE},2026-11-24,{terms['total']},T"
    bank.write_text(f"case_id,date,amount,reference\n{row}\n", "utf-8")
    run("payments", "import", str(bank), ledger=ledger)
    out = fails("cancel", CASE, "--reason", "x", "--on", "2026-11-25", ledger=ledger)
    assert "is completed" in out


def test_prep_and_batch_follow_a_cancellation(tmp_path: Path) -> None:
    ledger = str(tmp_path / "team.db")
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy(MARIA, cases / "maria.yaml")
    tracked(tmp_path, ledger)

    def queued(name: str) -> list[str]:
        out = tmp_path / name
        result = runner.invoke(
            app, ["batch", str(cases), "--now", NOW, "--out", str(out), "--ledger", ledger]
        )
        assert result.exit_code == 0, result.output
        with (out / "queue.csv").open(encoding="utf-8") as rows:
            return [row["case_id"] for row in csv.DictReader(rows)]

    prep = ["prep", str(MARIA), "--now", NOW, "--out", str(tmp_path / "p"), "--ledger", ledger]
    assert queued("before") == []
    assert "keeping to the deal" in runner.invoke(app, prep).output
    run("cancel", CASE, "--reason", "debtor asked to end the plan", "--on", "2026-12-01",
        ledger=ledger)  # fmt: skip
    assert queued("after") == [CASE]
    brief = runner.invoke(app, prep).output
    assert "keeping to the deal" not in brief
    assert "arrangement cancelled on 2026-12-01: debtor asked to end the plan (no deal" in brief


def test_followup_reads_the_cancellation_too(ledger_url: str, tmp_path: Path) -> None:
    """``followup`` reads the ledger its own way; a cancelled arrangement gets no more letters."""
    from negplan.core.arrangements import case_status
    from negplan.io.ledger import Ledger
    from negplan.io.ledger.followup_reads import case_reads

    tracked(tmp_path, ledger_url)
    run("cancel", CASE, "--reason", "ended", "--on", "2026-12-01", ledger=ledger_url)
    with Ledger(ledger_url) as book, book.read() as conn:
        found, _ = case_reads(conn, [CASE])
    (deal,) = found[CASE].arrangements
    assert (deal.cancelled_on, deal.cancel_reason) == (date(2026, 12, 1), "ended")
    assert case_status(found[CASE], date(2026, 12, 2), 10).current is None
