"""The ledger commands end to end through the CLI, on SQLite and on PostgreSQL.

The Maria story (issue 15): after the call, a conversation is logged, the signed 12-month plan
is tracked, the bank's payments are imported (twice), a returned payment breaks the plan, and a
new agreement supersedes it; ``status`` says so at each step, and a JSON Lines backup moves it all.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from negplan.shell.app import app

runner = CliRunner()
MARIA = Path(__file__).parents[2] / "examples" / "maria-lopez-plan.yaml"
CASE = "NW-2026-00187"


def run(*args: str, ledger: str) -> str:
    result = runner.invoke(app, [*args, "--ledger", ledger])
    assert result.exit_code == 0, result.output
    return result.output


def fails(*args: str, ledger: str) -> str:
    result = runner.invoke(app, [*args, "--ledger", ledger])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output


def status(ledger: str, as_of: str, *cases: str) -> dict[str, Any]:
    return json.loads(run("status", *cases, "--as-of", as_of, "--json", ledger=ledger))  # type: ignore[no-any-return]


def nothing_recorded(ledger: str) -> bool:
    """No ledger was left behind, or the one left holds no case."""
    return not Path(ledger).exists() or status(ledger, "2026-12-31")["cases"] == []


def agreement(tmp_path: Path, name: str, *terms: str) -> Path:
    out = tmp_path / name
    result = runner.invoke(app, ["agreement", str(MARIA), *terms, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_the_maria_story(ledger_url: str, tmp_path: Path) -> None:
    ledger = ledger_url
    plan = agreement(tmp_path, "maria.md", "--option", "plan_full_12m", "--as-of", "2026-11-22")
    out = run(
        "log", CASE, "--outcome", "conversation", "--at", "2026-11-22T10:05:00-08:00",
        "--by", "Sam Patel", "--note", "agreed a 12-month plan", ledger=ledger,
    )  # fmt: skip
    assert "phone conversation" in out
    run("log", CASE, "--opt-out", "work", "--by", "Sam Patel", ledger=ledger)

    out = run("track", str(plan), "--signed-on", "2026-11-23", ledger=ledger)
    assert out.startswith(f"tracked {plan}") and "12 payments" in out
    assert "already tracked" in run("track", str(plan), ledger=ledger)

    bank = tmp_path / "bank.csv"
    bank.write_text(
        "Account,Posted,Amount,Ref\n"
        f"{CASE},2026-12-07,740.46,TX-1001\n"
        "NW-2026-99999,2026-12-07,12.00,TX-1002\n",
        encoding="utf-8",
    )
    columns = ["--columns", "case_id=Account,date=Posted,amount=Amount,reference=Ref"]
    out = run("payments", "import", str(bank), *columns, ledger=ledger)
    assert "imported 2 payment(s)" in out
    assert f"unallocated: {bank}:3: NW-2026-99999" in out
    out = run("payments", "import", str(bank), *columns, ledger=ledger)
    assert "imported 0 payment(s)" in out and "2 already in the ledger" in out

    maria = status(ledger, "2026-12-20", CASE)["cases"][0]
    (deal,) = maria["arrangements"]
    assert deal["state"] == "on_track", deal["reason"]
    assert deal["installments"][0] == {
        "number": 1, "due": "2026-12-07", "amount": "740.46", "paid": "740.46", "state": "paid",
    }  # fmt: skip
    assert deal["next_payment"] == {"due": "2027-01-06", "amount": "740.46"}
    assert deal["outstanding"] == "8145.12"
    assert (maria["contacts"], maria["opt_outs"]) == (1, ["work"])
    assert "on_track" in run("status", CASE, "--as-of", "2026-12-20", ledger=ledger)
    brief = run("prep", str(MARIA), "--as-of", "2026-12-20", "--now", "2026-12-21T18:00:00Z",
                "--out", str(tmp_path), ledger=ledger)  # fmt: skip
    assert "ARRANGEMENT ON TRACK: NO COLLECTION CALL" in brief  # not "CLEAR: callable now"
    assert "callable now" not in brief
    assert "next payment 740.46 USD on 2027-01-06" in " ".join(brief.split())

    returned = tmp_path / "returns.csv"
    returned.write_text(
        f"case_id,date,amount,reference\n{CASE},2026-12-21,-740.46,TX-1001-R\n", encoding="utf-8"
    )
    run("payments", "import", str(returned), ledger=ledger)
    deal = status(ledger, "2026-12-22", CASE)["cases"][0]["arrangements"][0]
    # One payment missed is arrears, not default: the agreement defaults only after
    # agreements.missed_payments_before_default (2) payments missed and not made up.
    assert deal["state"] == "in_arrears", deal["reason"]
    assert deal["installments"][0]["state"] == "missed"

    newer = agreement(tmp_path, "maria-9.md", "--option", "plan_full", "--months", "9",
                      "--as-of", "2026-12-22")  # fmt: skip
    out = run("track", str(newer), "--signed-on", "2026-12-23", ledger=ledger)
    assert "supersedes sha256:" in out
    old, new = status(ledger, "2027-01-05", CASE)["cases"][0]["arrangements"]
    assert (old["state"], new["state"]) == ("superseded", "on_track")

    backup = tmp_path / "backup.jsonl"
    run("ledger", "export", "--out", str(backup), ledger=ledger)
    assert backup.stat().st_mode & 0o777 == 0o600
    moved = str(tmp_path / "moved.db")
    assert "imported 2 agreements, 1 contacts, 1 opt_outs, 3 payments" in run(
        "ledger", "import", str(backup), ledger=moved
    )
    assert status(moved, "2027-01-05") == status(ledger, "2027-01-05")


def test_track_refuses_an_altered_agreement_and_tracks_nothing(tmp_path: Path) -> None:
    ledger = str(tmp_path / "negplan.db")
    plan = agreement(tmp_path, "maria.md", "--option", "plan_full_12m", "--as-of", "2026-11-22")
    good = agreement(tmp_path, "maria-6.md", "--option", "plan_full", "--months", "6",
                     "--as-of", "2026-11-22")  # fmt: skip
    plan.write_text(plan.read_text(encoding="utf-8").replace("740.46", "74.46"), encoding="utf-8")
    out = fails("track", str(good), str(plan), ledger=ledger)
    assert f"{plan}: not tracked: verify fails" in out
    assert nothing_recorded(ledger)


def test_a_malformed_row_imports_nothing_of_the_file(tmp_path: Path) -> None:
    ledger = str(tmp_path / "negplan.db")
    bank = tmp_path / "bank.csv"
    bank.write_text(
        "case_id,date,amount,reference\nC-1,2026-12-01,10.00,A\nC-1,2026-12-02,ten,B\n",
        encoding="utf-8",
    )
    out = fails("payments", "import", str(bank), ledger=ledger)
    assert f"{bank}:3: amount: not a number: 'ten'" in out
    assert nothing_recorded(ledger)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["log", "C-1"], "say what happened"),
        (["promise", "C-1", "--amount", "-5", "--due", "2099-01-01"], "more than zero"),
        (["promise", "C-1", "--amount", "1.005", "--due", "2099-01-01"], "decimal places"),
        (["promise", "C-1", "--amount", "5", "--due", "2000-01-01"], "before the promise"),
        (["payments", "import", "missing.csv"], "cannot read"),
        (["ledger", "import", "missing.jsonl"], "cannot read"),
    ],
)
def test_errors_are_one_clear_message(tmp_path: Path, args: list[str], message: str) -> None:
    assert message in fails(*args, ledger=str(tmp_path / "negplan.db"))


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["log", "../etc", "--outcome", "busy", "--ledger", str(tmp_path / "l.db")]
    )
    assert result.exit_code == 2
    result = runner.invoke(
        app, ["status", "--as-of", "tomorrow", "--ledger", str(tmp_path / "l.db")]
    )
    assert result.exit_code == 2


def test_a_promise_is_kept_by_a_payment(tmp_path: Path) -> None:
    ledger = str(tmp_path / "negplan.db")
    run("promise", "C-1", "--amount", "250.00", "--due", "2026-12-05", "--at",
        "2026-11-30T10:00:00+00:00", "--by", "Sam", ledger=ledger)  # fmt: skip
    bank = tmp_path / "bank.csv"
    bank.write_text("case_id,date,amount,reference\nC-1,2026-12-04,250.00,P-1\n", encoding="utf-8")
    out = run("payments", "import", str(bank), ledger=ledger)
    assert "unallocated" not in out
    (promise,) = status(ledger, "2026-12-06")["cases"][0]["promises"]
    assert (promise["state"], promise["paid"], promise["by"]) == ("kept", "250.00", "Sam")


def test_starting_negplan_imports_no_database_code() -> None:
    code = "import sys, negplan.shell.app as a; a.whole_app(); print(sorted(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    loaded = result.stdout
    assert "negplan.shell.ledger_commands" in loaded
    assert "'sqlalchemy" not in loaded and "'alembic" not in loaded


def test_agreement_records_what_it_issues_and_verify_checks_it(
    ledger_url: str, tmp_path: Path
) -> None:
    terms = ["agreement", str(MARIA), "--option", "plan_full_12m", "--as-of", "2026-11-22"]
    elsewhere = tmp_path / "elsewhere.md"
    result = runner.invoke(app, [*terms, "--out", str(elsewhere)])  # no ledger: not recorded
    assert result.exit_code == 0, result.output
    out = fails("verify", str(elsewhere), ledger=ledger_url)
    assert "not issued here: the ledger has no record of sha256:" in out

    issued = tmp_path / "issued.html"
    run(*terms, "--option", "plan_full", "--months", "6", "--out", str(issued), ledger=ledger_url)
    assert "ok " in run("verify", str(issued), ledger=ledger_url)
    result = runner.invoke(app, ["verify", str(elsewhere)])  # no ledger: as before
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "command",
    [
        ("status",),
        ("ledger", "export"),
        ("followup", "--out", "letters"),
        ("cancel", CASE, "--reason", "asked to stop"),
    ],
)
def test_a_mistyped_ledger_is_an_error_not_an_empty_one(
    command: tuple[str, ...], tmp_path: Path
) -> None:
    """A typo in --ledger must not start an empty ledger and report that nothing is due."""
    typo = tmp_path / "negplan-typo.db"
    out = fails(*command, ledger=str(typo))
    assert f"no ledger at {typo}" in out and "never creates one" in out
    assert not typo.exists()


def test_status_heads_its_installments_and_mentions_later_payments(tmp_path: Path) -> None:
    ledger = str(tmp_path / "l.db")
    plan = agreement(tmp_path, "maria.md", "--option", "plan_full_12m", "--as-of", "2026-11-22")
    run("track", str(plan), "--signed-on", "2026-11-23", ledger=ledger)
    bank = tmp_path / "bank.csv"
    bank.write_text(f"case_id,date,amount,reference\n{CASE},2026-12-07,740.46,B1\n")
    run("payments", "import", str(bank), ledger=ledger)
    before = run("status", CASE, "--as-of", "2026-12-01", ledger=ledger).splitlines()
    head = next(n for n, line in enumerate(before) if "no." in line)
    assert before[head].split() == ["no.", "due", "on", "amount", "paid", "state"]
    assert before[head + 1].split() == [
        "1",
        "2026-12-07",
        "740.46",
        "USD",
        "0.00",
        "USD",
        "scheduled",
    ]
    assert "1 payment(s) dated after 2026-12-01, not counted as of that day" in before[-1]
    after = run("status", CASE, "--as-of", "2026-12-20", ledger=ledger)
    assert "dated after" not in after


def test_simulate_says_how_to_see_what_it_played(tmp_path: Path) -> None:
    ledger = str(tmp_path / "demo.db")
    folder = MARIA.parent
    out = run("simulate", str(folder), "--months", "2", "--seed", "7", "--start", "2026-11-30",
              ledger=ledger)  # fmt: skip
    assert f"to see it: negplan report --to 2027-01-30 --ledger {ledger}" in out
