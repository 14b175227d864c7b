"""Help and usage errors as a newcomer meets them at an 80-column terminal (issue 21): paragraphs
re-flowed to the width, examples kept as commands, choices never cut inside a word, one way of
writing defaults, and a bad option value a usage error (exit 2)."""

from __future__ import annotations

import itertools
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner, Result

from negplan.core.case import OptionKind
from negplan.core.plan import build_plan
from negplan.core.proposals import is_option_name
from negplan.io.case_file import load_case
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules, rules_for_case
from negplan.shell.app import app
from negplan.shell.help_text import fitted, for_rich

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MARIA = str(EXAMPLES / "maria-lopez-plan.yaml")
#: Every command and subcommand, as typed.
EVERY = [
    *(["prep"], ["batch"], ["today"], ["new"], ["validate"], ["schema"], ["rules"]),
    *(["agreement"], ["verify"], ["log"], ["promise"], ["track"], ["cancel"], ["status"]),
    *(["followup"], ["report"], ["calibrate"], ["compare"], ["simulate"], ["payments"]),
    *(["payments", "import"], ["ledger"], ["ledger", "export"], ["ledger", "import"]),
]
WORDS = [" ".join(words) for words in EVERY]


@pytest.fixture(params=[None, "rich"], ids=["plain", "rich"])
def markup(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str | None:
    monkeypatch.setattr(app, "rich_markup_mode", request.param)
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def rich(monkeypatch: pytest.MonkeyPatch) -> None:
    """Help as on a terminal: Rich's panels (the app chooses them when both streams are ttys)."""
    monkeypatch.setattr(app, "rich_markup_mode", "rich")


def help_at(words: list[str], width: int) -> str:
    result = runner.invoke(
        app, [*words, "--help"], terminal_width=width, env={"COLUMNS": str(width)}
    )
    assert result.exit_code == 0, result.output
    return "\n".join(line.rstrip() for line in result.output.splitlines()) + "\n"


def description(output: str) -> list[list[str]]:
    """The paragraphs of the description: the lines between the usage and the first panel or
    section, without the margin; a ``\\b`` block is the paragraph starting "Example:"."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if "Usage:" in line) + 1
    end = next(
        (i for i, line in enumerate(lines) if line.startswith(("╭", "Arguments:", "Options:"))),
        len(lines),
    )
    paragraphs: list[list[str]] = [[]]
    for line in lines[start:end]:
        if line.strip():
            paragraphs[-1].append(line.rstrip()[1:] if line.startswith(" ") else line.rstrip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def reflowed(paragraph: list[str], width: int) -> bool:
    """Whether each line is as full as it can be: the next line's first word did not fit."""
    return all(
        len(line) + 1 + len(after.split()[0]) > width - 2
        for line, after in itertools.pairwise(paragraph)
    )


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("words", [["batch"], ["agreement"], ["today"], ["followup"],
                                   ["payments", "import"]], ids=" ".join)  # fmt: skip
def test_description_paragraphs_are_reflowed_to_the_terminal(
    words: list[str], width: int, rich: None
) -> None:
    output = help_at(words, width)
    paragraphs = description(output)
    prose = [p for p in paragraphs if not p[0].strip().startswith("Example")]
    assert prose and all(reflowed(p, width) for p in prose), output
    assert "\b" not in output
    assert all(len(line) <= width for line in output.splitlines())


def test_batch_description_reads_as_sentences_at_80_columns(rich: None) -> None:
    output = help_at(["batch"], 80)
    assert "failed.\n With\n" not in output
    assert "the exit code is 1 if any case failed.\n With --challenger and --experiment" in output


def test_a_long_example_is_continued_as_one_command_indented_under_example(rich: None) -> None:
    output = help_at(["batch"], 80)
    example = next(p for p in description(output) if p[0].strip() == "Example:")
    assert example[1:] == [
        "  negplan batch cases/ --out today/ --now 2026-11-23T09:00:00-05:00",
        "  negplan batch cases/ --challenger lenient.yaml --challenger-share 0.2 \\",
        "    --experiment dec-26",
    ]


def test_a_quoted_word_is_never_broken_and_a_short_line_is_left_alone() -> None:
    line = '  negplan log NW-1 --outcome conversation --by "Sam Patel" --note "pays on Friday"'
    lines = fitted(line, 60)
    assert lines == [
        '  negplan log NW-1 --outcome conversation --by "Sam Patel" \\',
        '    --note "pays on Friday"',
    ]
    assert fitted("  negplan prep case.yaml", 60) == ["  negplan prep case.yaml"]
    assert for_rich("One\nparagraph.\n\n\b\nExample:\n  negplan x\n\fhidden", 60) == (
        "One paragraph.\n\nExample:\n  negplan x"
    )


@pytest.mark.parametrize(
    ("words", "whole"),
    [
        (["log"], ["conversation", "sent", "in_person", "no_answer", "wrong_number"]),
        (["report"], ["jurisdiction", "executive"]),
        (["payments", "import"], ["FIELD=HEADER,..."]),
    ],
    ids=["log", "report", "payments import"],
)
def test_choices_are_never_cut_inside_a_word_at_80_columns(
    words: list[str], whole: list[str], markup: str | None
) -> None:
    tokens = re.split(r"[\s│|]+", help_at(words, 80))
    for value in whole:
        assert value in tokens


def _params() -> list[tuple[str, Any]]:
    """Every parameter of every command, with the command's words."""
    root = typer.main.get_command(app)
    found = []
    for words in EVERY:
        command: Any = root
        for word in words:
            command = command.commands[word] if hasattr(command, "commands") else None
            if command is None:
                break
        for param in getattr(command, "params", []):
            found.append((" ".join(words), param))
    return found


def test_every_choice_of_every_command_is_shown_whole_at_80_columns(rich: None) -> None:
    outputs = {words: help_at(words.split(), 80) for words in WORDS}
    for words, param in _params():
        for choice in param.type_descriptor.choices or []:
            value = str(getattr(choice, "value", choice))
            assert value in re.split(r"[\s│|]+", outputs[words]), (words, param.name, value)


@pytest.mark.parametrize("words", EVERY, ids=WORDS)
def test_help_shows_metavars_and_one_way_of_writing_defaults(
    words: list[str], markup: str | None
) -> None:
    output = help_at(words, 80)
    assert not re.findall(r"<(?:bool|path|str|int|float)>|\{[A-Za-z_.]+\}", output)
    assert "[default:" not in output
    assert "[[" not in output
    assert "CHALLENGER_SHARE" not in output


def test_every_default_is_written_in_the_options_help() -> None:
    for words, param in _params():
        if param.required or param.default in (None, False, (), []) or param.name == "help":
            continue
        assert "(default: " in (param.help or ""), (words, param.name)


def test_status_usage_and_payments_import_argument() -> None:
    assert "Usage: negplan status [OPTIONS] [CASE_ID...]\n" in help_at(["status"], 80)
    output = help_at(["payments", "import"], 80)
    assert "Usage: negplan payments import [OPTIONS] FILE.csv\n" in output
    assert "FILE.csv <path>" not in output


def test_agreement_option_help_lists_every_kind(markup: str | None) -> None:
    text = " ".join(help_at(["agreement"], 200).replace("│", " ").split())
    kinds = ", ".join(kind.value for kind in OptionKind)
    assert f"or a kind: {kinds} (default: " in text


def agreement(*args: str) -> Result:
    return runner.invoke(app, ["agreement", MARIA, "--as-of", "2026-11-22", *args])


def test_an_option_of_no_known_form_is_a_usage_error() -> None:
    result = agreement("--option", "bogus", "--out", "-")
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--option': unknown option 'bogus'" in result.output
    assert "plan_step_up" in result.output


def test_an_option_this_plan_lacks_is_found_by_planning_and_exits_1() -> None:
    result = agreement("--option", "plan_full_5m", "--out", "-")
    assert result.exit_code == 1, result.output
    assert "this plan's options: " in result.stderr


def test_every_option_id_a_plan_proposes_has_the_form_option_accepts() -> None:
    day = date(2026, 11, 22)
    tables = load_tables()
    for example in sorted(EXAMPLES.glob("*.yaml")):
        if "case_id" not in example.read_text(encoding="utf-8"):
            continue
        case = load_case(example, day)
        rules = rules_for_case(load_rules(None), None, case.jurisdiction)
        from negplan.agreement.request import agreement_moment

        plan = build_plan(case, rules, tables, day, agreement_moment(day, case))
        for option in plan.options:
            assert is_option_name(option.id), (example.name, option.id)
    assert not is_option_name("bogus") and not is_option_name("plan_full_m")


@pytest.mark.parametrize("command", ["prep", "batch"])
def test_an_out_folder_that_is_a_file_is_a_usage_error(command: str, tmp_path: Path) -> None:
    taken = tmp_path / "x.txt"
    taken.write_text("")
    result = runner.invoke(app, [command, MARIA, "--out", str(taken), "--as-of", "2026-11-22"])
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--out'" in result.output
