"""``negplan report`` formats, ``compare`` and champion/challenger in ``batch`` (SPEC §10)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from negplan.io.ledger import Ledger
from negplan.io.ledger import schema as t
from negplan.io.ledger.events import record_contact
from negplan.report.render import neutralise
from negplan.shell.app import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()
WHEN = ["--as-of", "2026-11-30", "--now", "2026-11-30T10:00:00-05:00"]


def cases(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        if not example.name.startswith("rules-"):
            shutil.copy(example, folder / example.name)
    return folder


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("sim")
    ledger = str(tmp / "sim.db")
    args = ["simulate", str(cases(tmp)), "--months", "9", "--seed", "2", "--start", "2026-12-01",
            "--copies", "4", "--ledger", ledger]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return ledger


def test_html_report_is_byte_identical_and_names_no_url(simulated: str, tmp_path: Path) -> None:
    pages = []
    for name in ("one.html", "two.html"):
        out = tmp_path / name
        args = ["report", "--to", "2027-09-01", "--format", "html", "--out", str(out),
                "--ledger", simulated]  # fmt: skip
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]
    html = pages[0].decode()
    assert not re.search(r"https?://|//[a-z]", html.replace('http-equiv="', ""))
    assert not re.search(r"<(script|link|img|iframe)\b", html)
    assert html.count("<svg") == 3 + len(re.findall(r"by rule set, in [A-Z]{3}", html))
    assert "Liquidation by cohort" in html and "Kept rate by option kind" in html


def test_json_keeps_amounts_as_strings_and_csv_is_long(simulated: str) -> None:
    args = ["report", "--to", "2027-09-01", "--format", "json", "--by", "option",
            "--ledger", simulated]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    money = document["money"][0]
    assert isinstance(money["collected"], str) and Decimal(money["collected"]) >= 0
    keys = {g["group"] for g in document["groups"]}
    assert {"promise", "(contacts)"} <= keys
    rate = document["groups"][0]["rates"]["right_party_contact_rate"]
    assert set(rate) == {"value", "low", "high", "events", "trials"}
    result = runner.invoke(app, [*args[:4], "csv", *args[5:]])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {r["table"] for r in rows} >= {"metrics", "money", "cohort"}


def test_csv_neutralises_formulas_from_people(tmp_path: Path) -> None:
    ledger = str(tmp_path / "l.db")
    with Ledger(ledger) as book, book.write() as conn:
        moment = datetime.fromisoformat("2026-11-02T10:00:00+00:00")
        record_contact(conn, "X-1", at=moment, channel="phone", outcome="conversation",
                       by='=HYPERLINK("http://evil")', note=None)  # fmt: skip
    args = ["report", "--to", "2026-11-30", "--by", "executive", "--format", "csv",
            "--ledger", ledger]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    groups = {r["group"] for r in csv.DictReader(io.StringIO(result.output))}
    assert groups == {'\'=HYPERLINK("http://evil")'}
    assert [neutralise(c) for c in ("+1", "-2.50", "@x", "ok", "-cmd")] == [
        "+1", "-2.50", "'@x", "ok", "'-cmd",
    ]  # fmt: skip


def test_report_refuses_a_period_that_ends_before_it_starts(simulated: str) -> None:
    args = ["report", "--from", "2026-12-01", "--to", "2026-11-01", "--ledger", simulated]
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and "after --to" in result.output


@pytest.mark.parametrize("command", ["report", "calibrate"])
def test_reports_never_create_a_ledger(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "typo.db"
    result = runner.invoke(app, [command, "--ledger", str(missing)])
    assert result.exit_code == 1 and "no ledger at" in result.output
    assert not missing.exists()


def test_compare_shows_exactly_the_cases_one_key_changes(tmp_path: Path) -> None:
    """B raises only the oldest bucket's settlement floor (over 365 days past due) to 0.70:
    exactly the cases in that bucket whose minimum settlement was below 70% change."""
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("plans:\n  min_payment: 25.00\n")
    b.write_text(
        "settlement:\n  floors:\n    - {max_days_past_due: 90, min_share: 0.90}\n"
        "    - {max_days_past_due: 180, min_share: 0.75}\n"
        "    - {max_days_past_due: 365, min_share: 0.60}\n"
        "    - {max_days_past_due: null, min_share: 0.70}\n"
    )
    folder = cases(tmp_path)
    result = runner.invoke(
        app, ["compare", "--rules", str(a), "--rules", str(b), str(folder), *WHEN,
              "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    changed = {r["case_id"] for r in document["rows"] if r["changes"]}
    batch_out = tmp_path / "out"
    runner.invoke(app, ["batch", str(folder), "--out", str(batch_out), "--rules", str(a), *WHEN])
    summary = list(csv.DictReader((batch_out / "summary.csv").open()))
    expected = {
        r["case_id"]
        for r in summary
        if r["status"] == "ok"
        and int(r["days_past_due"]) > 365
        and Decimal(r["minimum_settlement"]) < Decimal("0.70") * Decimal(r["balance"])
    }
    assert changed == expected == {"PCPR-2026-310277"}
    row = next(r for r in document["rows"] if r["case_id"] == "PCPR-2026-310277")
    assert row["changes"].startswith("minimum_settlement")
    assert document["cases"] == 10 and document["changed"] == 1


def test_batch_assigns_by_hash_and_records_the_experiment(tmp_path: Path) -> None:
    from negplan.core.evaluation import is_challenger

    folder, ledger = cases(tmp_path), str(tmp_path / "exp.db")
    challenger = tmp_path / "lenient.yaml"
    challenger.write_text("plans:\n  min_payment: 20.00\n")
    args = ["batch", str(folder), "--out", str(tmp_path / "out"), "--challenger",
            str(challenger), "--challenger-share", "0.5", "--experiment", "dec-26",
            "--ledger", ledger, "--jobs", "1", *WHEN]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    summary = list(csv.DictReader((tmp_path / "out" / "summary.csv").open()))
    arms = {r["case_id"]: r["rule_set"] for r in summary if r["status"] == "ok"}
    assert arms == {
        c: "challenger" if is_challenger("dec-26", c, 0.5) else "champion" for c in arms
    }
    assert set(arms.values()) == {"champion", "challenger"}
    with Ledger(ledger) as book, book.read() as conn:
        recorded = {r.case_id: r for r in conn.execute(t.assignments.select())}
    assert {c: r.rule_set for c, r in recorded.items()} == arms
    assert {r.experiment for r in recorded.values()} == {"dec-26"}
    assert {r.rules_label for r in recorded.values()} == {"packaged defaults", "lenient.yaml"}


def test_the_challenger_arm_is_planned_with_the_challenger_rules(tmp_path: Path) -> None:
    """The case the hash sends to the challenger is planned with the challenger's floor (0.70
    of the balance past 365 days), the champion's cases with the packaged defaults (0.60)."""
    from negplan.core.evaluation import is_challenger

    old_case = "PCPR-2026-310277"  # over 365 days past due
    experiment = next(
        name for n in range(100) if is_challenger(name := f"floor-{n}", old_case, 0.5)
    )
    challenger = tmp_path / "strict.yaml"
    challenger.write_text(
        "settlement:\n  floors:\n    - {max_days_past_due: 90, min_share: 0.90}\n"
        "    - {max_days_past_due: 180, min_share: 0.75}\n"
        "    - {max_days_past_due: 365, min_share: 0.60}\n"
        "    - {max_days_past_due: null, min_share: 0.70}\n"
    )
    args = ["batch", str(cases(tmp_path)), "--out", str(tmp_path / "out"), "--challenger",
            str(challenger), "--challenger-share", "0.5", "--experiment", experiment,
            "--ledger", str(tmp_path / "exp.db"), "--jobs", "1", *WHEN]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    summary = list(csv.DictReader((tmp_path / "out" / "summary.csv").open()))
    row = next(r for r in summary if r["case_id"] == old_case)
    assert row["rule_set"] == "challenger"
    assert Decimal(row["minimum_settlement"]) >= Decimal("0.70") * Decimal(row["balance"])


def test_challenger_needs_an_experiment(tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", str(tmp_path), "--challenger", "x.yaml"])
    assert result.exit_code == 2


def _terminal_report(
    ledger: str, width: int
) -> tuple[str, list[tuple[str, list[str], list[list[str]]]]]:
    """The report as a terminal ``width`` columns wide shows it, and the tables it shows."""
    from rich.console import Console

    from negplan.io.rules_file import load_rules
    from negplan.report.assemble import report_data
    from negplan.report.metrics import Period
    from negplan.report.render import human_tables
    from negplan.shell.report_present import print_report

    grace = load_rules().agreements.grace_period_days
    with Ledger(ledger) as book, book.read() as conn:
        data = report_data(
            conn, None, Period(None, datetime(2027, 9, 1).date()), grace, charts=False
        )
    console = Console(width=width, file=io.StringIO(), record=True)
    print_report(data, console)
    return console.export_text(), human_tables(data)


@pytest.mark.parametrize("width", [80, 100])
def test_the_terminal_report_keeps_every_figure_and_header_word_whole(
    simulated: str, width: int
) -> None:
    # At 80 columns "conversations" printed as "conversation/s" and "(20.7%–1 / 00.0%, 1/1)".
    text, tables = _terminal_report(simulated, width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    words = set(text.replace("│", " ").replace("┃", " ").split())
    for _title, header, rows in tables:
        assert rows
        for name in header:
            assert set(name.split()) <= words, name
        for row in rows:
            for cell in row:
                assert any(cell in line for line in lines), cell


def test_an_empty_terminal_table_says_so(tmp_path: Path) -> None:
    # The Money table of a ledger with calls but no payment was bare headers.
    ledger = str(tmp_path / "calls.db")
    for case, outcome in (("NW-1", "conversation"), ("NW-2", "no_answer")):
        args = ["log", case, "--outcome", outcome, "--at", "2026-11-20T10:00:00-05:00",
                "--ledger", ledger]  # fmt: skip
        assert runner.invoke(app, args).exit_code == 0
    text, tables = _terminal_report(ledger, 80)
    assert [title for title, _, rows in tables if not rows] == ["Money (per currency)"]
    assert "Money (per currency)\nNothing recorded for this period." in text
    assert "balance under arrangement" not in text
    assert "0.0% (0.0%–79.3%, 0/1)" in text


def test_a_stacked_row_keeps_its_labels_whole_beside_a_long_value() -> None:
    # compare at 80 columns: a long "changes" cell squeezed the labels out of the block.
    from rich.console import Console

    from negplan.shell.report_present import rich_table

    console = Console(width=80, file=io.StringIO(), record=True)
    changes = "recommended expected_value minimum_settlement minimum_plan_payment[3,6,12,24,48]"
    header = ["case", "changes", "recommended A→B", "expected value A→B"]
    rich_table(
        "A = a.yaml, B = b.yaml", header, [["NW-1", changes, "x → y", "1.00 → 2.00"]], console
    )
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    for label in header[1:]:
        assert re.search(rf"^ {re.escape(label)} ", text, re.MULTILINE), label
    assert "1.00 → 2.00" in text and "minimum_plan_payment[3,6,12,24,48]" in text
