"""negplan batch: folders in, plans + scripts + summary.csv + queue.csv out (SPEC §5, issue 7)."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from negplan.shell.app import app
from tests.helpers import BASE_CASE

runner = CliRunner()
ARGS = ["--as-of", "2026-11-22", "--now", "2026-11-23T11:00:00-08:00"]


def case_text(case_id: str, **replace: str) -> str:
    text = BASE_CASE.replace("case_id: T-0001", f"case_id: {case_id}")
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def batch(*args: str) -> Result:
    return runner.invoke(app, ["batch", *args, *ARGS])


def test_mixed_folder_reports_bad_cases_and_plans_the_rest(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    write(cases / "a.yaml", case_text("A-1"))
    write(cases / "b.yml", case_text("B-1", **{"3200.00": "4100.00"}))
    write(cases / "bad.yaml", case_text("C-1", **{"currency: USD": "currency: XYZ"}))
    write(cases / "notes.txt", "not a case")
    out = tmp_path / "out"
    result = batch(str(cases), "--out", str(out), "--jobs", "1")
    assert result.exit_code == 1, result.output
    assert "bad.yaml:3:11: currency: unknown or unsupported currency 'XYZ'" in result.output
    summary = read_csv(out / "summary.csv")
    assert [r["status"] for r in summary] == ["ok", "ok", "error"], summary
    assert summary[0]["balance"] == "8885.58"
    plan = json.loads((out / "cases" / "A-1.plan.json").read_text())
    assert plan["case_id"] == "A-1" and plan["balance"] == "8885.58"
    assert (out / "cases" / "B-1.script.md").stat().st_mode & 0o777 == 0o600
    queue = read_csv(out / "queue.csv")
    assert [q["case_id"] for q in queue] == ["B-1", "A-1"]  # more surplus, more to gain
    assert float(queue[0]["gain_over_batna"]) >= float(queue[1]["gain_over_batna"])


def test_the_queue_says_who_to_call_on_which_number_until_when_and_with_what_care(
    tmp_path: Path,
) -> None:
    """issue 16: the queue is something to call from, not only a ranking."""
    at = "  household_size: 3\n"
    more = at + "  phone: 415 555 0142\n  flags: {servicemember: true}\n"
    write(tmp_path / "in" / "a.yaml", case_text("A-1", **{at: more}))
    out = tmp_path / "out"
    result = batch(str(tmp_path / "in"), "--out", str(out), "--jobs", "1")
    assert result.exit_code == 0, result.output
    header = (out / "queue.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:9] == ["rank", "case_id", "file", "gain_over_batna", "recommended",
                          "recommended_value", "currency", "verdict", "script"]  # fmt: skip
    (row,) = read_csv(out / "queue.csv")
    assert (row["debtor_name"], row["phone"], row["debtor_timezone"]) == (
        "Maria Lopez",
        "tel:+1-415-555-0142",
        "America/Los_Angeles",
    )
    # --now is 11:00 in Los Angeles: the window opened at 08:00 and closes at 21:00 there.
    assert (row["window_opens"], row["window_closes"]) == (
        "2026-11-23T08:00-08:00",
        "2026-11-23T21:00-08:00",
    )
    assert row["caution"] == "servicemember"  # the pre-flight's caution checks, by code


def test_nested_folders_with_equal_file_names_do_not_collide(tmp_path: Path) -> None:
    write(tmp_path / "in" / "east" / "case.yaml", case_text("E-1"))
    write(tmp_path / "in" / "west" / "case.yaml", case_text("W-1"))
    out = tmp_path / "out"
    result = batch(str(tmp_path / "in"), "--out", str(out), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert (out / "in" / "east" / "E-1.plan.json").exists()
    assert (out / "in" / "west" / "W-1.plan.json").exists()


def test_duplicate_case_ids_are_a_conflict(tmp_path: Path) -> None:
    write(tmp_path / "in" / "one.yaml", case_text("SAME"))
    write(tmp_path / "in" / "sub" / "two.yaml", case_text("SAME"))
    out = tmp_path / "out"
    result = batch(str(tmp_path / "in"), "--out", str(out), "--jobs", "2")
    assert result.exit_code == 1
    assert "duplicate case_id 'SAME'" in result.output
    assert [r["status"] for r in read_csv(out / "summary.csv")] == ["conflict", "conflict"]
    assert read_csv(out / "queue.csv") == []
    assert not list(out.rglob("SAME.*"))


def test_empty_folder_writes_empty_summary(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    out = tmp_path / "out"
    result = batch(str(tmp_path / "empty"), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "summary.csv").read_text().startswith("case_id,file,status")
    assert read_csv(out / "summary.csv") == []


def test_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    result = batch(str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "no such file or folder" in result.output


def test_jobs_1_and_jobs_2_write_byte_identical_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small windows, so several are in flight at once and chunks are split across workers.
    monkeypatch.setattr("negplan.shell.batch.WINDOW", 5)
    for i in range(23):
        income = f"{2000 + 150 * i}.00"
        write(tmp_path / "in" / f"c{i:02d}.yaml", case_text(f"C-{i:02d}", **{"3200.00": income}))
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        result = batch(str(tmp_path / "in"), "--out", str(out), "--jobs", jobs)
        assert result.exit_code == 0, result.output
        outputs[jobs] = {
            p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
        }
    assert outputs["1"] == outputs["2"]
    assert len(outputs["1"]) == 23 * 2 + 2
    summary = outputs["1"][Path("summary.csv")].decode().splitlines()[1:]
    assert [row.split(",")[0] for row in summary] == [f"C-{i:02d}" for i in range(23)]


def test_ctrl_c_leaves_no_partial_files_and_says_how_far_it_got(tmp_path: Path) -> None:
    for i in range(400):
        write(tmp_path / "in" / f"c{i:03d}.yaml", case_text(f"C-{i:03d}"))
    out = tmp_path / "out"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "negplan",
            "batch",
            str(tmp_path / "in"),
            "--out",
            str(out),
            "--jobs",
            "2",
            *ARGS,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not list(out.rglob("*.plan.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)  # like Ctrl-C in a terminal: the whole group
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stdout + stderr
    assert "Interrupted after" in stdout
    assert not list(out.rglob("*.tmp")), "temporary files left behind"
    assert not (out / "summary.csv").exists()
    for plan in out.rglob("*.plan.json"):
        json.loads(plan.read_text())  # every file written is whole


def test_one_malformed_file_fails_alone_and_nothing_is_left_world_readable(tmp_path: Path) -> None:
    """An impossible date is a located error for that file; the rest are planned."""
    write(tmp_path / "in" / "good.yaml", case_text("G-1"))
    write(
        tmp_path / "in" / "feb30.yaml",
        case_text("F-1", **{"first_delinquency: 2026-06-01": "first_delinquency: 2026-02-30"}),
    )
    out = tmp_path / "out"
    result = batch(str(tmp_path / "in"), "--out", str(out), "--jobs", "2")
    assert result.exit_code == 1
    assert (
        "feb30.yaml:14:22: debt.first_delinquency: not a real date: '2026-02-30'" in result.output
    )
    assert [r["status"] for r in read_csv(out / "summary.csv")] == ["error", "ok"]
    leftovers = [p for p in out.rglob("*") if p.is_file() and p.name.startswith(".")]
    assert leftovers == []
    for path in out.rglob("*"):
        if path.is_file():
            assert path.stat().st_mode & 0o077 == 0, path


def test_missing_folder_creates_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = batch(str(tmp_path / "nope"), "--out", str(out))
    assert result.exit_code == 1
    assert not out.exists()


def test_queue_ranks_within_each_currency(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.yaml", case_text("US-1"))
    write(tmp_path / "in" / "b.yaml", case_text("US-2", **{"3200.00": "4100.00"}))
    write(tmp_path / "in" / "c.yaml", case_text("GB-1", **{"currency: USD": "currency: GBP"}))
    out = tmp_path / "out"
    result = batch(str(tmp_path / "in"), "--out", str(out), "--jobs", "1")
    assert result.exit_code == 0, result.output
    queue = [(q["currency"], q["rank"], q["case_id"]) for q in read_csv(out / "queue.csv")]
    assert queue == [("GBP", "1", "GB-1"), ("USD", "1", "US-2"), ("USD", "2", "US-1")]
