"""Errors a person can act on: where, in the case file's words, and what to do (issue 19)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from negplan.errors import InputError
from negplan.io.case_file import load_case
from negplan.shell.app import app_for
from tests.helpers import AS_OF, BASE_CASE


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_case(path, AS_OF)
    return [str(problem) for problem in info.value.problems]


def test_a_latin_1_file_gets_line_column_and_re_save_as_utf_8(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    text = BASE_CASE.replace("name: Maria Lopez", "name: María López")
    path.write_bytes(text.encode("latin-1"))
    line = text.splitlines().index("  name: María López") + 1
    [message] = problems(path)
    assert message.startswith(f"{path}:{line}:12: not UTF-8 text")
    assert "re-save it as UTF-8" in message


def test_a_tab_in_the_indentation_is_named(tmp_path: Path) -> None:
    path = tmp_path / "tab.yaml"
    path.write_text(BASE_CASE.replace("\n  name: Maria Lopez", "\n\tname: Maria Lopez"))
    [message] = problems(path)
    assert "a tab character in the indentation" in message
    assert "spaces" in message


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2.5", "debtor.household_size: expected a whole number (like 3), got 2.5"),
        ("three", "debtor.household_size: expected a whole number (like 3), got 'three'"),
        ("0", "debtor.household_size: must be at least 1"),
    ],
)
def test_validation_errors_are_in_plain_words(tmp_path: Path, written: str, expected: str) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(BASE_CASE.replace("household_size: 3", f"household_size: {written}"))
    [message] = problems(path)
    assert message.endswith(expected)
    assert "Input should" not in message


def test_an_impossible_date_names_its_field(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(
        BASE_CASE.replace("first_delinquency: 2026-06-01", "first_delinquency: 2026-13-01")
    )
    [message] = problems(path)
    assert "debt.first_delinquency: not a real date: '2026-13-01'" in message


def test_an_impossible_date_is_one_problem_among_all_the_others(tmp_path: Path) -> None:
    """SPEC §7: every problem at once; an impossible date once hid the case's schema errors."""
    path = tmp_path / "case.yaml"
    text = (
        BASE_CASE.replace("first_delinquency: 2026-06-01", "first_delinquency: 2026-13-01")
        .replace("household_size: 3", "household_size: 0")
        .replace("  product: personal_loan", "  product: personal_loan\n  contrct: written")
    )
    path.write_text(text)
    assert problems(path) == [
        f"{path}:8:19: debtor.household_size: must be at least 1",
        f"{path}:12:3: debt.contrct: unknown key 'contrct'; did you mean 'contract'?",
        f"{path}:15:22: debt.first_delinquency: not a real date: '2026-13-01': month must be in "
        "1..12",
    ]


def test_validate_reports_an_impossible_date_with_the_other_problems(tmp_path: Path) -> None:
    """``negplan validate`` first reads a file to tell a case from rules: not where it stops."""
    from negplan.io.validate import validate_file

    path = tmp_path / "case.yaml"
    path.write_text(
        BASE_CASE.replace("first_delinquency: 2026-06-01", "first_delinquency: 2026-13-01").replace(
            "household_size: 3", "household_size: 0"
        )
    )
    with pytest.raises(InputError) as info:
        validate_file(path, AS_OF)
    assert [p.path for p in info.value.problems] == [
        "debtor.household_size",
        "debt.first_delinquency",
    ]


def test_an_unclosed_flow_is_reported_where_it_was_opened(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    text = BASE_CASE.replace("  name: Maria Lopez", "  name: [unclosed")
    path.write_text(text)
    line = text.splitlines().index("  name: [unclosed") + 1
    [message] = problems(path)
    assert message.startswith(f"{path}:{line}:9: invalid YAML: the [ here is never closed")
    assert f"line {line + 1}" in message


def test_a_pdf_without_pango_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from typer.testing import CliRunner

    from negplan.shell.app import app

    class NoPango:  # what importing WeasyPrint does on a machine without the system libraries
        def find_spec(self, name: str, *args: object) -> None:
            if name == "weasyprint":
                print("\n-----\n\nWeasyPrint could not import some external libraries.")
                raise OSError("cannot load library 'libgobject-2.0-0'")

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [NoPango(), *sys.meta_path])
    examples = Path(__file__).resolve().parent.parent / "examples"
    result = CliRunner().invoke(
        app,
        ["agreement", str(examples / "maria-lopez-plan.yaml"), "--option", "plan_full_12m",
         "--out", str(tmp_path / "a.pdf"), "--as-of", "2026-11-22"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "needs the Pango text library" in result.stderr
    assert "libpango-1.0-0" in result.stderr
    assert "internal error" not in result.output and "WeasyPrint could not" not in result.output
    assert not (tmp_path / "a.pdf").exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["log", "C-1", "--channel", "fax"], "Invalid value for '--channel': 'fax' is not one of"),
        (["agreement", "x.yaml", "--format", "doc"], "Invalid value for '--format': 'doc' is not"),
        (["log", "C-1", "--channel", "f\x1bx"], "'f\\x1bx' is not one of"),
    ],
)
def test_a_refused_choice_is_worded_as_the_check_words_it(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    """Not pydantic's "Value error, " prefix; a control character typed in is shown escaped."""
    result = CliRunner().invoke(app_for(args[:1]), [*args, "--ledger", str(tmp_path / "l.db")])
    assert result.exit_code == 2
    assert expected in result.output
    assert "Value error" not in result.output
    assert "\x1b" not in result.output
