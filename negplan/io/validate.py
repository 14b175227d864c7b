"""Checking input files, their JSON Schemas, and the effective rules as YAML."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import yaml

#: Top-level keys that say a YAML file is a case file rather than a rules file.
_CASE_MARKERS = frozenset({"case_id", "debtor", "debt", "creditor"})


def validate_file(path: Path, as_of: date) -> tuple[str, str]:
    """Validate a case or rules file; return (kind, a short description). Raises InputError."""
    from negplan.core.rules import Rules
    from negplan.io.case_file import case_from_text
    from negplan.io.rules_file import load_rules
    from negplan.io.yaml import parse_yaml, read_text

    text, name = read_text(path)
    data, _ = parse_yaml(text, name, value_problems=[])  # a case's are reported with the rest
    if isinstance(data, dict) and looks_like_rules(data, Rules):
        refused = refused_overrides_of(load_rules(path))
        if refused:
            return "rules", f"with {len(refused)} override(s) REFUSED: " + "; ".join(refused)
        return "rules", ""
    case = case_from_text(text, name, as_of)
    return "case", case.case_id


def refused_overrides_of(rules: Any) -> list[str]:
    """The rules' compliance overrides that would loosen a legal limit, which negplan ignores
    (the pre-flight, ``negplan rules`` and ``negplan validate`` all say so)."""
    from negplan.core.compliance.profiles import refused_overrides
    from negplan.io.packaged import load_tables

    return refused_overrides(rules.compliance, load_tables().profile)


def looks_like_rules(data: dict[str, Any], rules_model: Any) -> bool:
    """A mapping with rules sections and none of a case file's keys is a rules file."""
    keys = set(data)
    return bool(keys) and not (_CASE_MARKERS & keys) and keys <= set(rules_model.model_fields)


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``case`` or ``rules`` files."""
    from negplan.core.case import Case
    from negplan.core.rules import Rules

    model = Case if kind == "case" else Rules
    schema = model.model_json_schema(mode="validation")
    title = "negplan case file" if kind == "case" else "negplan rules file"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:negplan:schema:{kind}",
        **schema,
        "title": title,
    }


class _RulesDumper(yaml.SafeDumper):
    """Dump Decimals as plain numbers and enums as their values."""


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


def _represent_enum(dumper: yaml.SafeDumper, value: Enum) -> yaml.Node:
    return dumper.represent_str(str(value.value))


_RulesDumper.add_representer(Decimal, _represent_decimal)
_RulesDumper.add_multi_representer(Enum, _represent_enum)


def effective_rules_yaml(source: Path | None) -> str:
    """The effective rules as YAML: the commented defaults verbatim, or the merged result."""
    from negplan.io.rules_file import default_rules_text, load_rules

    if source is None:
        return default_rules_text()
    effective = load_rules(source)
    body = yaml.dump(
        effective.model_dump(mode="python"),
        Dumper=_RulesDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=None,
        width=100,
    )
    header = f"# effective rules: negplan defaults with {source} merged over them\n"
    refused = refused_overrides_of(effective)
    if refused:
        header += "# REFUSED (a legal limit can only be tightened; these overrides are ignored):\n"
        header += "".join(f"#   - {line}\n" for line in refused)
    return header + body
