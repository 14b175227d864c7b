"""Hostile case files (issue 18): special files, huge shapes, merge keys, lenient values."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from negplan.errors import InputError
from negplan.io.case_file import load_case
from tests.helpers import AS_OF, BASE_CASE, Writer


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_case(path, AS_OF)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_symlink_to_a_device_is_refused_before_reading(tmp_path: Path, device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device}")
    link = tmp_path / "case.yaml"
    link.symlink_to(device)
    started = time.monotonic()
    (found,) = problems(link)
    assert "is a device, not a file" in found
    assert time.monotonic() - started < 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    (found,) = problems(fifo)
    assert "is a FIFO (named pipe), not a file" in found


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ("contacts:\n" + "- 1\n" * 2_600_000, "more than 200,000 values"),
        ("contacts: [" + "1," * 5_000_000 + "1]\n", "more than 200,000 values"),
        ("contacts: [" + "{a: 1}," * 1_400_000 + "]\n", "more than 200,000 values"),
    ],
    ids=["block list", "one-line flow list", "flow mappings"],
)
def test_ten_megabytes_of_list_items_are_refused_quickly(
    write: Writer, shape: str, expected: str
) -> None:
    path = write(BASE_CASE + shape)
    assert path.stat().st_size < 10 * 1024 * 1024
    started = time.monotonic()
    found = problems(path)
    assert time.monotonic() - started < 2
    assert expected in found[0]


def test_merge_keys_cannot_get_round_the_duplicate_key_check(write: Writer) -> None:
    merged = "balance: {<<: [{principal: 1.00}, {principal: 99999.00}], interest: 0, fees: 0}"
    path = write(
        BASE_CASE.replace("balance: {principal: 8123.40, interest: 612.18, fees: 150.00}", merged)
    )
    (found,) = problems(path)
    assert "merge keys (<<) are not allowed" in found


def test_binary_values_are_refused(write: Writer) -> None:
    (found,) = problems(write(BASE_CASE.replace("name: Maria Lopez", "name: !!binary TWFyaWE=")))
    assert "the tag '!!binary' is not allowed" in found


@pytest.mark.parametrize("escape", [r"\e[31mred", r"\e]0;owned\a", r"\x9b31m", r"\u202eevil"])
def test_terminal_escapes_in_case_text_are_refused(write: Writer, escape: str) -> None:
    (found,) = problems(write(BASE_CASE.replace("name: Maria Lopez", f'name: "Maria {escape}"')))
    assert "control characters" in found
    assert "\x1b" not in found and "\x9b" not in found


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("fees: 150.00", "fees: -0.00"), "must be ≥ 0"),
        (("fees: 150.00", 'fees: "-0"'), "must be ≥ 0"),
        (("fees: 150.00", "fees: 7_000"), "without '_' separators"),
        (("fees: 150.00", "fees: 7_000.00"), "without '_' separators"),
        (("fees: 150.00", 'fees: "٧٠٠٠"'), "not a number"),
        (("fees: 150.00", 'fees: "７０００"'), "not a number"),
        (("first_delinquency: 2026-06-01", 'first_delinquency: "20260601"'), "not an ISO date"),
        (("first_delinquency: 2026-06-01", 'first_delinquency: "2026-W22-1"'), "not an ISO date"),
        (("first_delinquency: 2026-06-01", "first_delinquency: 0001-01-01"), "out of range"),
        (("America/Los_Angeles", "America"), "unknown IANA time zone 'America'"),
        (("America/Los_Angeles", "Etc"), "unknown IANA time zone 'Etc'"),
        (("America/Los_Angeles", "A" * 5000), "unknown IANA time zone 'AAAA"),
        (("America/Los_Angeles", "localtime"), "unknown IANA time zone 'localtime'"),
        (("America/Los_Angeles", "Factory"), "unknown IANA time zone 'Factory'"),
        (("America/Los_Angeles", "posix/Europe/London"), "unknown IANA time zone"),
        (("case_id: T-0001", "case_id: CON"), "is a device name on Windows"),
        (("case_id: T-0001", "case_id: lpt1.x"), "is a device name on Windows"),
    ],
)
def test_lenient_values_are_refused(write: Writer, change: tuple[str, str], expected: str) -> None:
    found = problems(write(BASE_CASE.replace(*change)))
    assert any(expected in p for p in found), found


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:00-12:00"])
def test_timestamps_at_the_ends_of_the_calendar_are_located_errors(
    write: Writer, moment: str
) -> None:
    contact = (
        "contacts:\n  - {at: "
        f"'{moment}', channel: phone, direction: outbound, outcome: no_answer}}\n"
    )
    found = problems(write(BASE_CASE + contact))
    assert any("contacts[0].at: timestamp out of range" in p for p in found), found


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _cli(*args: str) -> tuple[int, str]:
    from typer.testing import CliRunner

    from negplan.shell.app import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        (("--as-of", "9999-12-31"), "date out of range (years 1900 to 9000): 9999-12-31"),
        (("--as-of", "20261122"), "not an ISO date (YYYY-MM-DD): '20261122'"),
        (("--now", "9999-12-31T23:00:00-12:00"), "timestamp out of range"),
        (("--now", "2026-11-22T10:00:00"), "timestamp needs a UTC offset"),
    ],
)
def test_planning_moments_at_the_ends_of_the_calendar_are_usage_errors(
    option: tuple[str, str], expected: str
) -> None:
    code, output = _cli("prep", str(EXAMPLES / "maria-lopez-plan.yaml"), *option)
    assert code == 2, output
    assert expected in output
    assert "internal error" not in output


def test_rules_cannot_ask_for_payments_of_nothing(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("plans:\n  min_payment: 0\n  token_payment: 0.00\n", "utf-8")
    case = EXAMPLES / "no-capacity-temporary-hardship.yaml"
    code, output = _cli("prep", str(case), "--rules", str(rules), "--as-of", "2026-11-22")
    assert code == 1
    assert "plans.min_payment: must be more than 0" in output
    assert "plans.token_payment: must be more than 0" in output


def test_an_agreement_never_schedules_a_payment_of_zero(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "plans: {min_payment: 0.01, token_payment: 0.01}\nsettlement:\n  floors:\n"
        "    - {max_days_past_due: null, min_share: 0}\n  max_installments: 12\n",
        "utf-8",
    )
    code, output = _cli(
        "agreement",
        str(EXAMPLES / "maria-lopez-plan.yaml"),
        *("--option", "settlement", "--amount", "0.05", "--installments", "10"),
        *("--rules", str(rules), "--as-of", "2026-11-22", "--out", str(tmp_path / "a.md")),
    )
    assert code == 1
    assert "terms refused" in output and "below the minimum" in output
    assert not (tmp_path / "a.md").exists()
