"""The command line as a person meets it: paths, warnings, stale outputs (issue 19)."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from negplan.shell.app import app
from negplan.shell.funnel import warn

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def cases(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(EXAMPLES / f"{name}.yaml", folder / f"{name}.yaml")
    return folder


def test_validate_accepts_a_folder(tmp_path: Path) -> None:
    folder = cases(tmp_path, "uk-gbp", "time-barred")
    (folder / ".hidden.yaml").write_text("not: [valid")
    result = runner.invoke(app, ["validate", str(folder), "--as-of", "2026-11-22"])
    assert result.exit_code == 0, result.output
    assert result.output.count("ok ") == 2


def test_batch_accepts_case_files(tmp_path: Path) -> None:
    folder = cases(tmp_path, "uk-gbp", "time-barred")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["batch", str(folder / "uk-gbp.yaml"), str(folder / "time-barred.yaml"), "--out", str(out),
         "--as-of", "2026-11-22", "-j", "1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "cases: 2 · planned: 2" in result.stdout
    assert (out / "cases" / "PCS-GB-2026-04471.plan.json").exists()


def test_batch_names_outputs_left_by_a_removed_case(tmp_path: Path) -> None:
    folder = cases(tmp_path, "uk-gbp", "time-barred")
    out = tmp_path / "out"
    args = ["batch", str(folder), "--out", str(out), "--as-of", "2026-11-22", "-j", "1"]
    assert runner.invoke(app, args).exit_code == 0
    (folder / "uk-gbp.yaml").unlink()
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "2 plan or script file(s)" in result.stderr
    assert "PCS-GB-2026-04471" in result.stderr
    again = runner.invoke(app, ["batch", str(folder), "--out", str(tmp_path / "fresh"), "-j", "1"])
    assert "not written by this run" not in again.stderr


def test_batch_into_a_folder_it_cannot_write_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = cases(tmp_path, "uk-gbp")
    out = tmp_path / "locked"
    out.mkdir(mode=0o500)
    real = os.access

    def access(path: object, mode: int, **kwargs: object) -> bool:  # as if run by a user
        return not (Path(str(path)) == out and mode & os.W_OK) and real(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    result = runner.invoke(app, ["batch", str(folder), "--out", str(out)])
    assert result.exit_code != 0
    assert f"{out}: cannot write here" in result.stderr
    assert "internal error" not in result.stderr


def test_now_and_as_of_on_different_days_are_warned(tmp_path: Path) -> None:
    folder = cases(tmp_path, "uk-gbp")
    result = runner.invoke(
        app,
        ["prep", str(folder / "uk-gbp.yaml"), "--out", str(tmp_path), "--as-of", "2026-11-22",
         "--now", "2026-11-24T18:30:00+00:00"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "warning: --now is on 2026-11-24 but --as-of is 2026-11-22" in result.stderr
    same = runner.invoke(
        app,
        ["prep", str(folder / "uk-gbp.yaml"), "--out", str(tmp_path), "--as-of", "2026-11-22",
         "--now", "2026-11-22T18:30:00+00:00"],
    )  # fmt: skip
    assert "--as-of" not in same.stderr


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_warnings_wrap_at_words_on_a_terminal_and_stay_one_line_when_piped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    message = "the rules' amounts are in USD but this case is in INR: plan it with rules for INR"
    terminal = Terminal()
    warn(message, terminal)
    lines = terminal.getvalue().splitlines()
    assert len(lines) > 1 and all(len(line) <= 40 for line in lines)
    words = message.split()
    assert " ".join(" ".join(lines).split()) == "warning: " + " ".join(words)  # no word cut
    piped = io.StringIO()
    warn(message, piped)
    assert piped.getvalue() == f"warning: {message}\n"
