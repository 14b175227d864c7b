"""Batch under attack (issue 18): dead workers, SIGTERM, planted symlinks, shared --out folders,
formula injection, odd file names and folders, a full disk."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from negplan.io.outputs import remove_temporaries
from negplan.shell.batch_outputs import spreadsheet_safe
from tests.test_batch import ARGS, batch, case_text, read_csv, write


def _start(tmp_path: Path, count: int) -> tuple[subprocess.Popen[str], Path]:
    for i in range(count):
        write(tmp_path / "in" / f"c{i:03d}.yaml", case_text(f"C-{i:03d}"))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "negplan", "batch", str(tmp_path / "in"), "--out", str(out)]
    process = subprocess.Popen(
        [*command, "--jobs", "2", *ARGS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not list(out.rglob("*.plan.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    return process, out


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_sigterm_is_handled_like_ctrl_c(tmp_path: Path) -> None:
    process, out = _start(tmp_path, 400)
    process.send_signal(signal.SIGTERM)  # the parent only, as a service manager would
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stdout + stderr
    assert "Interrupted after" in stdout
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
    assert not list(out.rglob("*.tmp")), "temporary files left behind"
    assert not (out / "summary.csv").exists()


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_a_killed_worker_neither_hangs_the_batch_nor_loses_its_files(tmp_path: Path) -> None:
    process, out = _start(tmp_path, 300)
    workers = _children(process.pid)
    assert workers, "no worker processes found"
    os.kill(workers[0], signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stdout + stderr
    summary = read_csv(out / "summary.csv")
    assert len(summary) == 300
    assert {row["status"] for row in summary} == {"ok"}


def test_a_planted_symlink_is_never_followed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    victim.chmod(0o644)
    # The old scratch name was predictable: .summary.csv.<pid>.rows.tmp of the running process.
    (out / f".summary.csv.{os.getpid()}.rows.tmp").symlink_to(victim)
    write(tmp_path / "in" / "a.yaml", case_text("A-1"))
    result = batch(str(tmp_path / "in"), "--out", str(out), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "precious"


def test_cleanup_removes_only_this_runs_temporaries(tmp_path: Path) -> None:
    ours = tmp_path / f".A-1.plan.json.{os.getpid()}.0.tmp"
    theirs = [
        tmp_path / ".A-1.plan.json.99999999.0.tmp",  # another run's write in progress
        tmp_path / ".summary.csv.99999999.rows.tmp",  # another run's scratch rows
        tmp_path / ".notes.abcdefgh.tmp",  # another program's file
    ]
    for path in [ours, *theirs]:
        path.write_text("x")
    assert remove_temporaries(tmp_path, {os.getpid()}) == 1
    assert not ours.exists()
    assert all(path.exists() for path in theirs)


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+2", "'+1+2"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-12.50", "-12.50"),
        ("plain", "plain"),
    ],
)
def test_spreadsheet_formulas_are_neutralised(cell: str, shown: str) -> None:
    assert spreadsheet_safe(cell) == shown


def test_formula_file_names_and_case_ids_land_inert_in_the_tables(tmp_path: Path) -> None:
    write(tmp_path / "in" / "=1+1.yaml", case_text("-A1"))
    write(tmp_path / "in" / "line\nbreak.yaml", case_text("B-1"))
    out = tmp_path / "out"
    result = batch(str(tmp_path / "in"), "--out", str(out), "--jobs", "1")
    assert result.exit_code == 0, result.output
    summary = read_csv(out / "summary.csv")
    assert [(row["case_id"], row["file"]) for row in summary] == [
        ("'-A1", str(tmp_path / "in" / "=1+1.yaml")),
        ("B-1", str(tmp_path / "in" / "line\\nbreak.yaml")),  # one line, visibly escaped
    ]
    queue = read_csv(out / "queue.csv")
    assert {row["case_id"] for row in queue} == {"'-A1", "B-1"}


def test_case_ids_differing_only_in_case_are_a_conflict(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.yaml", case_text("Case-1"))
    write(tmp_path / "in" / "b.yaml", case_text("CASE-1"))
    result = batch(str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert result.exit_code == 1
    assert "duplicate case_id 'Case-1'" in result.output


def test_an_input_folder_named_summary_csv(tmp_path: Path) -> None:
    write(tmp_path / "summary.csv" / "a.yaml", case_text("A-1"))
    out = tmp_path / "out"
    result = batch(str(tmp_path / "summary.csv"), "--out", str(out), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert (out / "summary.csv").is_file()
    assert (out / "summary.csv-2" / "A-1.plan.json").is_file()


def test_a_very_deep_folder_chain_is_a_warning(tmp_path: Path) -> None:
    deep = tmp_path / "in"
    write(deep / "a.yaml", case_text("A-1"))
    chain = [deep]
    for _ in range(1200):  # os.makedirs and shutil.rmtree recurse: build and remove by hand
        chain.append(chain[-1] / "d")
        chain[-1].mkdir()
    try:
        result = batch(str(deep), "--out", str(tmp_path / "out"), "--jobs", "1")
    finally:
        for folder in reversed(chain[1:]):
            folder.rmdir()
    assert result.exit_code == 0, result.output
    assert "more than 64 levels deep and were not searched" in result.output


def test_a_full_disk_is_a_message_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")

    def full_disk(**kwargs: object) -> tuple[int, str]:
        return os.open("/dev/full", os.O_RDWR), str(tmp_path / "out" / ".summary.csv.x.rows.tmp")

    monkeypatch.setattr("negplan.shell.batch.tempfile.mkstemp", full_disk)
    write(tmp_path / "in" / "a.yaml", case_text("A-1"))
    result = batch(str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert result.exit_code == 1
    assert "cannot write the summary (No space left on device)" in result.output
    assert "internal error" not in result.output


def test_escape_sequences_in_file_names_are_never_printed_raw(tmp_path: Path) -> None:
    write(tmp_path / "in" / "\x1b]0;owned\x07\x1b[31m.yaml", "case_id: [")
    result = batch(str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b]0;owned\\x07\\x1b[31m.yaml" in result.output
