"""Loading case files: exact Decimal money, every problem located, hostile input refused."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from negplan.errors import InputError
from negplan.io.case_file import load_case
from tests.helpers import AS_OF, BASE_CASE, Writer


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_case(path, AS_OF)
    return [str(p) for p in info.value.problems]


def test_base_case_loads_with_exact_decimal_money(write: Writer) -> None:
    case = load_case(write(BASE_CASE), AS_OF)
    assert case.debt.balance.principal == Decimal("8123.40")
    assert str(case.debt.balance.principal) == "8123.40"  # keeps its digits
    assert case.balance == Decimal("8885.58")
    assert case.debt.annual_rate == Decimal("0.1499")


def test_yaml_floats_never_pass_through_binary_float(write: Writer) -> None:
    text = (
        BASE_CASE.replace("principal: 8123.40", "principal: 0.1")
        .replace("interest: 612.18", "interest: 0.2")
        .replace("fees: 150.00", "fees: 0")
    )
    case = load_case(write(text), AS_OF)
    assert case.balance == Decimal("0.30")


def test_amounts_as_strings_are_accepted_and_quantized(write: Writer) -> None:
    text = BASE_CASE.replace("principal: 8123.40", 'principal: "8123.4"')
    case = load_case(write(text), AS_OF)
    assert case.debt.balance.principal == Decimal("8123.40")


@pytest.mark.parametrize("written", ['"8123.405"', "8123.405"])
def test_more_places_than_the_currency_has_are_refused_not_rounded(
    write: Writer, written: str
) -> None:
    # As --down-payment 250.555 is refused (issue 19): a silent rounding hides a typo.
    text = BASE_CASE.replace("principal: 8123.40", f"principal: {written}")
    with pytest.raises(InputError) as info:
        load_case(write(text), AS_OF)
    problem = info.value.problems[0]
    assert problem.path == "debt.balance.principal"
    assert "8123.405 has more decimal places than USD allows (2)" in problem.message


def test_jpy_amounts_have_no_minor_unit(write: Writer) -> None:
    text = BASE_CASE.replace("currency: USD", "currency: JPY")
    with pytest.raises(InputError) as info:
        load_case(write(text), AS_OF)
    assert "8123.40 has more decimal places than JPY allows (0)" in str(info.value)


def test_every_problem_is_reported_with_line_column_and_field_path(write: Writer) -> None:
    path = write(
        BASE_CASE.replace("amount: 3200.00", "amount: -3200.00").replace(
            "timezone: America/Los_Angeles", "timezone: Mars/Olympus_Mons"
        )
    )
    found = problems(path)
    assert f"{path}:7:13: debtor.timezone: unknown IANA time zone 'Mars/Olympus_Mons'" in found[0]
    assert found[1] == f"{path}:18:32: finances.income[0].amount: must be ≥ 0"
    assert len(found) == 2


def test_missing_field_points_at_its_parent(write: Writer) -> None:
    path = write(BASE_CASE.replace('  account_ref: "****4821"\n', ""))
    (found,) = problems(path)
    assert found == f"{path}:10:3: debt.account_ref: required field is missing"


def test_unknown_key_is_an_error_with_a_suggestion(write: Writer) -> None:
    path = write(BASE_CASE.replace("household_size: 3", "houshold_size: 3"))
    (found,) = problems(path)
    assert found.startswith(f"{path}:8:3: debtor.houshold_size: unknown key 'houshold_size'")
    assert "did you mean 'household_size'?" in found


def test_unknown_enum_value_lists_the_allowed_ones(write: Writer) -> None:
    path = write(BASE_CASE.replace("product: personal_loan", "product: payday"))
    (found,) = problems(path)
    assert "debt.product: must be one of 'personal_loan', 'credit_card'" in found


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("currency: USD", "currency: XYZ"), "currency: unknown or unsupported currency 'XYZ'"),
        (("jurisdiction: US-CA", "jurisdiction: FR"), "unknown jurisdiction 'FR'"),
        (("jurisdiction: US-CA", "jurisdiction: UK"), "the ISO 3166 code for the UK is GB"),
        (("principal: 8123.40", "principal: 1e400"), "not a number: '1e400'"),
        (("principal: 8123.40", "principal: 1.0e+13"), "must be at most 1,000,000,000,000"),
        (("principal: 8123.40", "principal: 1.0e+400"), "must be at most"),
        (("principal: 8123.40", "principal: .inf"), "must be a finite number"),
        (("principal: 8123.40", "principal: .nan"), "must be a finite number"),
        (("principal: 8123.40", "principal: lots"), "not a number: 'lots'"),
        (("annual_rate: 0.1499", "annual_rate: 14.99"), "must be a fraction between 0 and 1"),
        (
            ("first_delinquency: 2026-06-01", "first_delinquency: 2027-01-01"),
            "debt.first_delinquency: first delinquency 2027-01-01 is after the planning date",
        ),
        (
            ("first_delinquency: 2026-06-01", "first_delinquency: 1780000000"),
            "expected a date (YYYY-MM-DD)",
        ),
        (("household_size: 3", "household_size: 0"), "debtor.household_size"),
        (("case_id: T-0001", "case_id: ../../etc/passwd"), "case_id: a case id is 1 to 64 letters"),
        (("case_id: T-0001", "case_id: .hidden"), "not starting with '.'"),
        (("case_id: T-0001", "case_id: 12345"), "expected text, got a number: put it in quotes"),
    ],
)
def test_bad_values_are_refused_clearly(
    write: Writer, change: tuple[str, str], expected: str
) -> None:
    path = write(BASE_CASE.replace(*change))
    assert any(expected in p for p in problems(path)), problems(path)


def test_payments_in_the_future_are_refused(write: Writer) -> None:
    path = write(BASE_CASE + "payment_history:\n  - {date: 2026-12-01, amount: 10}\n")
    (found,) = problems(path)
    assert found == (
        f"{path}:22:12: payment_history[0].date: payment 2026-12-01 is after the planning date "
        "2026-11-22"
    )


def test_schema_errors_and_dates_in_the_future_are_reported_together(write: Writer) -> None:
    """Every problem at once: a bad amount does not hide a payment dated in the future."""
    text = BASE_CASE.replace("household_size: 3", "household_size: -3")
    text = text.replace("first_delinquency: 2026-06-01", "first_delinquency: 2027-01-01")
    payments = "  - {date: 2026-12-01, amount: 10}\n  - {date: 2026-01-05, amount: x}\n"
    path = write(text + "payment_history:\n" + payments)
    found = problems(path)
    assert any("debtor.household_size" in p for p in found), found
    assert any("payment_history[1].amount" in p for p in found), found
    assert any(
        "debt.first_delinquency: first delinquency 2027-01-01 is after the planning date" in p
        for p in found
    ), found
    assert any(
        ":22:12: payment_history[0].date: payment 2026-12-01 is after the planning date" in p
        for p in found
    ), found
    assert found == sorted(found, key=lambda p: [int(n) for n in p.split(":")[1:3]])


def test_yaml_syntax_error_carries_its_line(write: Writer) -> None:
    path = write(BASE_CASE + "notes: [unclosed\n")
    (found,) = problems(path)
    assert found.startswith(f"{path}:2")
    assert "invalid YAML" in found


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "file is empty"),
        (b"   \n\n", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        (b"\xff\xfe\xfa not utf8", "not UTF-8"),
        (b"- just\n- a list\n", "expected a mapping of case fields at the top level, got a list"),
        (b"42\n", "got a single value (int)"),
        (b"---\na: 1\n---\nb: 2\n", "invalid YAML"),
    ],
)
def test_hostile_files_get_one_clear_message(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes(content)
    (found,) = problems(path)
    assert expected in found


def test_files_over_ten_megabytes_are_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"a: 1\n" + b"#" * (10 * 1024 * 1024))
    (found,) = problems(path)
    assert "limited to 10 MB" in found


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    (found,) = problems(path)
    assert "alias bomb" in found


@pytest.mark.parametrize("depth", [100, 50_000])
def test_deep_nesting_is_refused_without_crashing(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * depth + "]" * depth + "\n")
    (found,) = problems(path)
    assert "nested more than" in found


def test_deep_block_nesting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("- " * 40_000 + "x\n")
    (found,) = problems(path)
    assert "nested more than" in found


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert "no such file" in problems(tmp_path / "nope.yaml")[0]
    assert "is a folder" in problems(tmp_path)[0]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("first_delinquency: 2026-06-01", "first_delinquency: 2026-02-30"),
            "14:22: debt.first_delinquency: not a real date: '2026-02-30': day is out of range",
        ),
        (
            ("household_size: 3", "household_size: " + "9" * 5000),
            "8:19: debtor.household_size: invalid value '999",
        ),
        (("fees: 150.00", "fees: 0150"), "'0150' is not a plain decimal number"),
        (("fees: 150.00", "fees: 2:30"), "'2:30' is not a plain decimal number"),
        (("currency: USD", "currency: USD\ncurrency: GBP"), "4:1: duplicate key 'currency'"),
    ],
)
def test_yaml_values_that_cannot_be_right_are_located_errors(
    write: Writer, change: tuple[str, str], expected: str
) -> None:
    """No internal error, no silent octal: each is one located message."""
    path = write(BASE_CASE.replace(*change))
    (found,) = problems(path)
    assert found.startswith(f"{path}:")
    assert expected in found
