"""``prep`` reads the ledger when one is configured (SPEC §8), and only then."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from negplan.core.case import Case, OptOut
from negplan.core.ledger_case import with_ledger
from negplan.core.ledger_events import (
    Arrangement,
    CaseHistory,
    Installment,
    LedgerContact,
    LedgerPayment,
    Promise,
)
from negplan.errors import InputError
from negplan.shell.app import app
from tests.helpers import case_data

runner = CliRunner()
D = Decimal
MARIA = Path(__file__).parents[2] / "examples" / "maria-lopez-plan.yaml"


def case(**debt: object) -> Case:
    data = case_data()
    data["debt"] = {**data["debt"], **debt}
    return Case.model_validate(data)


def paid(day: str, amount: str, ref: str = "R") -> LedgerPayment:
    return LedgerPayment(ref + day, "T-0001", date.fromisoformat(day), D(amount))


@pytest.mark.parametrize(
    ("payments", "principal", "interest", "fees", "applied"),
    [
        ([paid("2026-11-21", "100.00")], "8123.40", "612.18", "50.00", "100.00"),
        ([paid("2026-11-21", "500.00")], "8123.40", "262.18", "0.00", "500.00"),
        ([paid("2026-11-21", "1000.00")], "7885.58", "0.00", "0.00", "1000.00"),
        ([paid("2026-11-20", "100.00")], "8123.40", "612.18", "150.00", "0"),  # already in it
        ([paid("2026-11-23", "100.00")], "8123.40", "612.18", "150.00", "0"),  # after as_of
        (
            [paid("2026-11-21", "100"), paid("2026-11-22", "-100", "X")],
            "8123.40",
            "612.18",
            "150.00",
            "0",
        ),
        ([paid("2026-11-21", "-40.00")], "8163.40", "612.18", "150.00", "-40.00"),
    ],
)
def test_payments_after_balance_as_of_reduce_the_balance_once(
    payments: list[LedgerPayment], principal: str, interest: str, fees: str, applied: str
) -> None:
    history = CaseHistory("T-0001", payments=tuple(payments))
    view = with_ledger(case(balance_as_of="2026-11-20"), history, date(2026, 11, 22), 10)
    parts = view.case.debt.balance
    assert (parts.principal, parts.interest, parts.fees) == (D(principal), D(interest), D(fees))
    assert view.applied == D(applied)


def test_without_balance_as_of_no_payment_is_applied_and_the_brief_says_why() -> None:
    history = CaseHistory("T-0001", payments=(paid("2026-11-21", "100"),))
    view = with_ledger(case(), history, date(2026, 11, 22), 10)
    assert view.case.balance == case().balance
    assert any("no debt.balance_as_of" in note for note in view.notes)


def test_payments_covering_the_balance_are_one_clear_error() -> None:
    history = CaseHistory("T-0001", payments=(paid("2026-11-21", "9000"),))
    with pytest.raises(InputError, match="nothing is left to collect"):
        with_ledger(case(balance_as_of="2026-11-20"), history, date(2026, 11, 22), 10)


def test_contacts_opt_outs_arrangement_and_promises_join_the_case() -> None:
    at = datetime(2026, 11, 19, 17, 40, tzinfo=timezone.utc)
    plan = Arrangement(
        "sha256:p", "T-0001", "USD", date(2026, 11, 1), date(2026, 11, 1), D("200"),
        (Installment(1, date(2026, 11, 5), D("100")), Installment(2, date(2026, 12, 5), D("100"))),
        10, 1,
    )  # fmt: skip
    history = CaseHistory(
        "T-0001",
        arrangements=(plan,),
        promises=(Promise("p", "T-0001", date(2026, 10, 1), date(2026, 10, 5), D("50")),),
        payments=(paid("2026-11-05", "100"),),
        contacts=(
            LedgerContact("T-0001", at, "phone", "conversation", "Ana"),
            LedgerContact("T-0001", at, "phone", "conversation", "Ana"),
        ),
        opt_outs=frozenset({OptOut.work}),
    )
    view = with_ledger(case(), history, date(2026, 11, 22), 10)
    assert len(view.case.contacts) == 1
    assert view.case.debtor.opt_outs == [OptOut.work]
    assert view.keeping_to_a_deal
    assert (view.kept_promises, view.broken_promises) == (0, 1)
    assert any("next payment 100.00 USD on 2026-12-05" in n for n in view.notes)


def test_prep_reads_the_ledger_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEGPLAN_LEDGER", raising=False)
    text = MARIA.read_text(encoding="utf-8").replace(
        "  first_delinquency:", "  balance_as_of: 2026-11-20\n  first_delinquency:"
    )
    (tmp_path / "maria.yaml").write_text(text, encoding="utf-8")
    prep = ["prep", "maria.yaml", "--now", "2026-12-04T17:00:00-08:00"]
    before = runner.invoke(app, prep)
    assert before.exit_code == 0, before.output
    assert "ledger:" not in before.output and "CLEAR" in before.output

    log = ["log", "NW-2026-00187", "--outcome", "conversation", "--at", "2026-12-02T10:00:00-08:00"]
    assert runner.invoke(app, log).exit_code == 0
    (tmp_path / "bank.csv").write_text(
        "case_id,date,amount,reference\nNW-2026-00187,2026-11-28,500.00,TX-1\n", encoding="utf-8"
    )
    assert runner.invoke(app, ["payments", "import", "bank.csv"]).exit_code == 0
    after = runner.invoke(app, prep)
    assert after.exit_code == 0, after.output
    assert (
        "ledger: 500.00 USD paid since 2026-11-20 (ledger) reduces the balance to 8,385.58 USD"
        in after.output
    )
    assert "BLOCKED" in after.output  # the conversation logged on 12-02 starts a quiet period


def test_prep_never_creates_a_ledger(tmp_path: Path) -> None:
    result = runner.invoke(app, ["prep", str(MARIA), "--ledger", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "never creates one" in result.output
    assert not (tmp_path / "none.db").exists()


def test_prep_without_a_ledger_imports_no_database_code(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom negplan.shell.app import app\n"
        "try:\n    app([sys.argv[1], sys.argv[2], '--out', sys.argv[3]])\n"
        "except SystemExit:\n    pass\n"
        "print('DB', 'sqlalchemy' in sys.modules or 'alembic' in sys.modules)"
    )
    env = {k: v for k, v in __import__("os").environ.items() if k != "NEGPLAN_LEDGER"}
    result = subprocess.run(
        [sys.executable, "-c", code, "prep", str(MARIA), str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert "DB False" in result.stdout, result.stdout + result.stderr
    assert "Call script written" in result.stdout


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_does_not_queue_a_case_keeping_to_its_arrangement(tmp_path: Path, jobs: str) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy(MARIA, cases / "maria.yaml")
    ledger = str(tmp_path / "team.db")
    batch = ["batch", str(cases), "--now", "2026-12-04T17:00:00-08:00", "--jobs", jobs]

    def queued(*extra: str) -> list[str]:
        out = tmp_path / f"out{len(extra)}"
        result = runner.invoke(app, [*batch, "--out", str(out), *extra])
        assert result.exit_code == 0, result.output
        with (out / "queue.csv").open(encoding="utf-8") as rows:
            return [row["case_id"] for row in csv.DictReader(rows)]

    assert queued() == ["NW-2026-00187"]
    deal = tmp_path / "deal.md"
    made = runner.invoke(
        app, ["agreement", str(MARIA), "--option", "plan_full_12m", "--as-of", "2026-11-26",
              "--out", str(deal), "--ledger", ledger],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    assert runner.invoke(app, ["track", str(deal), "--ledger", ledger]).exit_code == 0
    assert queued("--ledger", ledger) == []
    missing = runner.invoke(app, [*batch, "--out", str(tmp_path / "x"), "--ledger", "nope.db"])
    assert missing.exit_code == 1 and "never creates one" in missing.output


def test_batch_reads_a_chunk_of_cases_in_one_transaction(tmp_path: Path) -> None:
    """40 cases, one of them keeping to its deal: two read transactions (chunks of 32), not 40,
    and each case still gets its own events."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    cases = tmp_path / "cases"
    cases.mkdir()
    text = MARIA.read_text(encoding="utf-8")
    for n in range(40):
        other = text.replace("NW-2026-00187", f"NW-2026-{n:05d}")
        (cases / f"c{n:02d}.yaml").write_text(other, encoding="utf-8")
    ledger = str(tmp_path / "team.db")
    deal = tmp_path / "deal.md"
    made = runner.invoke(
        app, ["agreement", str(cases / "c07.yaml"), "--option", "plan_full_12m", "--as-of",
              "2026-11-26", "--out", str(deal), "--ledger", ledger],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    assert runner.invoke(app, ["track", str(deal), "--ledger", ledger]).exit_code == 0
    reads: list[object] = []

    def begun(conn: Any) -> None:
        if conn.get_execution_options().get("negplan_read_only"):
            reads.append(conn)

    event.listen(Engine, "begin", begun)
    try:
        result = runner.invoke(
            app, ["batch", str(cases), "--now", "2026-12-04T17:00:00-08:00", "--jobs", "1",
                  "--out", str(tmp_path / "out"), "--ledger", ledger],
        )  # fmt: skip
    finally:
        event.remove(Engine, "begin", begun)
    assert result.exit_code == 0, result.output
    assert len(reads) == 2
    with (tmp_path / "out" / "queue.csv").open(encoding="utf-8") as rows:
        queued = [row["case_id"] for row in csv.DictReader(rows)]
    assert len(queued) == 39 and "NW-2026-00007" not in queued
