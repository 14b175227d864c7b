"""Rules files (SPEC §3): the packaged defaults, and a user's file merged over them.

A complete default rules file ships inside the package (``negplan/data/default_rules.yaml``, each
value commented with its source). A user's ``--rules FILE`` is deep-merged over it: mappings merge
key by key, anything else (numbers, lists) is replaced whole. Unknown keys are errors, located in
the override file.

Without ``--rules``, a case is planned with the defaults of its country (SPEC §6a): UK cases in
pounds (``default_rules_gb.yaml``), Indian cases in rupees (``default_rules_in.yaml``), each
merged over the base defaults; every other case with the base (US dollar) defaults.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from negplan.core.rules import Rules
from negplan.errors import InputError
from negplan.io.packaged import DEFAULT_RULES_FILE, packaged_text

DEFAULT_RULES_NAME = "default rules (negplan/data/default_rules.yaml)"
#: The packaged defaults of countries whose cases are not planned in US dollars.
COUNTRY_RULES_FILES = {"GB": "data/default_rules_gb.yaml", "IN": "data/default_rules_in.yaml"}


def default_rules_text() -> str:
    """The packaged default rules, as written (with their source comments)."""
    return packaged_text(DEFAULT_RULES_FILE)


@lru_cache(maxsize=1)
def _default_rules_data() -> dict[str, Any]:
    from negplan.io.yaml import parse_yaml

    data, _ = parse_yaml(default_rules_text(), DEFAULT_RULES_NAME)
    assert isinstance(data, dict)
    return data


def load_rules(source: str | Path | None = None) -> Rules:
    """The effective rules: the packaged defaults, with ``source`` merged over them if given."""
    if source is None:
        return _default_rules()
    from negplan.io.problems import validation_problems
    from negplan.io.yaml import deep_merge, parse_yaml, read_text, require_mapping

    text, name = read_text(source)
    override, root = parse_yaml(text, name)
    if override is None:
        return _default_rules()
    require_mapping(override, name, "rules")
    merged = deep_merge(_default_rules_data(), override)
    try:
        return Rules.model_validate(merged)
    except ValidationError as exc:
        raise InputError(validation_problems(exc, Rules, name, root)) from None


def rules_for_case(rules: Rules, source: str | Path | None, jurisdiction: str) -> Rules:
    """The rules to plan a case of ``jurisdiction`` with: ``rules`` (loaded from ``source``) when
    a rules file was given, else the packaged defaults of the case's country."""
    if source is not None:
        return rules
    return country_rules(jurisdiction.partition("-")[0])


@lru_cache(maxsize=4)
def country_rules(country: str) -> Rules:
    """The packaged defaults for ``country`` (``GB``, ``IN``), or the base defaults."""
    name = COUNTRY_RULES_FILES.get(country)
    if name is None:
        return _default_rules()
    from negplan.io.cache import load_or_build
    from negplan.io.packaged import packaged_text
    from negplan.io.yaml import deep_merge, parse_yaml

    text = packaged_text(name)

    def build() -> Rules:
        overlay, _ = parse_yaml(text, f"default rules (negplan/{name})")
        return Rules.model_validate(deep_merge(_default_rules_data(), overlay))

    return load_or_build(f"default-rules-{country}", default_rules_text() + "\0" + text, build)


@lru_cache(maxsize=1)
def _default_rules() -> Rules:
    from negplan.io.cache import load_or_build

    return load_or_build(
        "default-rules",
        default_rules_text(),
        lambda: Rules.model_validate(_default_rules_data()),
    )
