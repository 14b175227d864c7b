"""Start-up work kept out of each run (issue 20): the cached case validator and the process
settings of negplan's own command line. Behaviour only; speed is measured in benchmarks/."""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from negplan.core.case import parse_case
from negplan.io import cache, case_validator
from negplan.io.yaml import parse_yaml
from tests.helpers import BASE_CASE

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ARGS = ["--as-of", "2026-11-22", "--now", "2026-11-23T11:00:00-08:00"]


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty user cache, and no validator remembered from an earlier test."""
    monkeypatch.setenv("NEGPLAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NEGPLAN_NO_CACHE", raising=False)
    cache.cache_dir.cache_clear()
    case_validator.case_validator.cache_clear()
    yield tmp_path / "cache"
    cache.cache_dir.cache_clear()
    case_validator.case_validator.cache_clear()


def _data(text: str) -> Any:
    return parse_yaml(text, "case.yaml")[0]


def _errors(exc: ValidationError) -> list[dict[str, Any]]:
    """Every error's fields, the exceptions in its context by their text (they are new objects
    on each run)."""
    return [
        {**e, "ctx": {k: str(v) for k, v in e.get("ctx", {}).items()}}
        for e in exc.errors(include_url=False)
    ]


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_the_cached_validator_reads_every_example_as_the_model_does(
    fresh_cache: Path, example: str
) -> None:
    data = _data((EXAMPLES / example).read_text(encoding="utf-8"))
    if "case_id" not in data:
        pytest.skip("a rules file")
    case_validator.validate_case(data)  # builds and stores it
    case_validator.case_validator.cache_clear()
    from_cache = case_validator.validate_case(data)  # read back from the cache
    assert list(fresh_cache.glob("case-validator-*.pickle"))
    assert from_cache == parse_case(data)


@pytest.mark.parametrize(
    "old, new",
    [
        ("principal: 8123.40", "principal: 8123.405"),  # more places than the currency has
        ("principal: 8123.40", "principal: -1"),
        ("debtor:", "debtr:\n  name: X\ndebtor:"),  # an unknown key
        ("timezone: America/Los_Angeles", "timezone: Mars/Olympus"),
        ("case_id: T-0001", "case_id: ../x"),
    ],
)
def test_the_cached_validator_gives_the_model_s_errors(
    fresh_cache: Path, old: str, new: str
) -> None:
    assert old in BASE_CASE
    data = _data(BASE_CASE.replace(old, new))
    case_validator.case_validator()
    case_validator.case_validator.cache_clear()  # the next call reads the stored one
    with pytest.raises(ValidationError) as from_model:
        parse_case(data)
    with pytest.raises(ValidationError) as from_cache:
        case_validator.validate_case(data)
    assert _errors(from_cache.value) == _errors(from_model.value)
    assert str(from_cache.value) == str(from_model.value)


def test_amounts_are_quantized_to_the_case_currency(fresh_cache: Path) -> None:
    data = _data(BASE_CASE.replace("principal: 8123.40", "principal: 8123.4"))
    assert case_validator.validate_case(data).debt.balance.principal == Decimal("8123.40")


def test_a_validator_stored_by_other_code_is_never_used(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another checkout or version of negplan shares the cache folder: its validator (here one
    that accepts anything) must not be read by this code."""
    from pydantic_core import SchemaValidator, core_schema

    monkeypatch.setattr(cache, "code_stamp", lambda: "some other negplan's code")
    anything = SchemaValidator(core_schema.any_schema())
    assert cache.load_or_build("case-validator", "", lambda: anything) is anything
    monkeypatch.undo()
    monkeypatch.setenv("NEGPLAN_CACHE_DIR", str(fresh_cache))
    validator = case_validator.case_validator()
    assert validator is not anything
    with pytest.raises(ValidationError):
        validator.validate_python({"case_id": "x"})
    assert len(list(fresh_cache.glob("case-validator-*.pickle"))) == 2


def test_a_corrupt_cache_entry_is_rebuilt(fresh_cache: Path) -> None:
    case_validator.case_validator()
    (stored,) = fresh_cache.glob("case-validator-*.pickle")
    stored.write_bytes(pickle.dumps("not a validator")[:5])
    case_validator.case_validator.cache_clear()
    data = _data(BASE_CASE)
    assert case_validator.validate_case(data) == parse_case(data)


def test_the_stored_schema_keeps_no_metadata_but_keeps_a_field_called_metadata() -> None:
    schema = {
        "type": "model-fields",
        "metadata": {"note": object()},
        "fields": {"metadata": {"type": "model-field", "schema": {"type": "str"}}},
    }
    assert case_validator.without_metadata(schema) == {
        "type": "model-fields",
        "fields": {"metadata": {"type": "model-field", "schema": {"type": "str"}}},
    }


def test_the_command_line_turns_off_the_collector_and_pydantic_plugins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from negplan.shell import app, launch

    ran: list[tuple[bool, str | None]] = []
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    monkeypatch.setattr(
        app, "main", lambda: ran.append((gc.isenabled(), os.environ["PYDANTIC_DISABLE_PLUGINS"]))
    )
    try:
        launch.main()
    finally:
        gc.enable()
    assert ran == [(False, "__all__")]


def test_a_user_s_own_plugin_setting_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    from negplan.shell import app, launch

    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "logfire")
    monkeypatch.setattr(app, "main", lambda: None)
    try:
        launch.main()
    finally:
        gc.enable()
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "logfire"


def test_batch_turns_the_collector_back_on_for_its_long_lived_workers(tmp_path: Path) -> None:
    from negplan.shell.app import app

    case = tmp_path / "cases" / "case.yaml"
    case.parent.mkdir()
    case.write_text(BASE_CASE, encoding="utf-8")
    gc.disable()  # as negplan's own process starts
    try:
        result = CliRunner().invoke(
            app,
            ["batch", str(case.parent), "--out", str(tmp_path / "out"), "--jobs", "1", *ARGS],
        )
        enabled = gc.isenabled()
    finally:
        gc.enable()
    assert result.exit_code == 0, result.output
    assert enabled
