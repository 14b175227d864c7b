"""docs/compatibility.md says what the plan JSON and template context promise: hold it to the code.

A key added to the plan JSON or a variable removed from a template's context fails here until the
note (and, for a breaking change, CHANGELOG.md) says so.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest
from jinja2 import meta

from negplan.core.plan import build_plan
from negplan.io.case_file import load_case
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules
from negplan.io.templates import environment
from negplan.script.compose import script_context
from negplan.shell.batch_outputs import QUEUE_COLUMNS
from negplan.shell.plan_json import dumps, plan_json
from negplan.shell.today import TODAY_COLUMNS
from tests.helpers import AS_OF, EXAMPLES, NOW, ROOT

NOTE = (ROOT / "docs" / "compatibility.md").read_text(encoding="utf-8")


def documented(heading: str) -> list[str]:
    """The names at the start of each ``- `name` …`` bullet of the section whose heading starts
    with ``heading``."""
    start = NOTE.index(f"\n{heading}")
    end = NOTE.find("\n#", start + 1)
    section = NOTE[start : end if end != -1 else len(NOTE)]
    names = []
    for line in section.splitlines():
        names += re.findall(r"^- `(\w+)`|; `(\w+)` —", line)
    return [a or b for a, b in names]


def plan_for(name: str) -> tuple[Any, Any, Any]:
    rules = load_rules()
    case = load_case(EXAMPLES / f"{name}.yaml", AS_OF)
    when = NOW.get(name, datetime(2026, 11, 22, 23, 0, tzinfo=timezone.utc))
    return case, build_plan(case, rules, load_tables(), AS_OF, when), rules


def test_the_plan_json_has_exactly_the_documented_top_level_keys_in_order() -> None:
    keys = documented("### Fixed top-level keys")
    assert len(keys) == 16, keys  # SPEC §5, no more
    for name in ("maria-lopez-plan", "time-barred", "blocked-attorney"):
        _, plan, _ = plan_for(name)
        assert list(json.loads(dumps(plan))) == keys, name


def test_money_in_the_plan_json_is_a_decimal_string_never_a_number() -> None:
    _, plan, _ = plan_for("maria-lopez-plan")
    data = plan_json(plan)
    assert isinstance(data["balance"], str) and Decimal(data["balance"]) > 0
    amounts = [data["affordability"]["affordable_monthly"], data["batna"]["value"]]
    amounts += [p["amount"] for o in data["options"] for p in o["payments"]]
    assert amounts and all(isinstance(a, str) and Decimal(a) == Decimal(a) for a in amounts)

    def floats(value: Any) -> list[float]:
        if isinstance(value, float):
            return [value]
        if isinstance(value, dict):
            return [f for v in value.values() for f in floats(v)]
        if isinstance(value, list):
            return [f for v in value for f in floats(v)]
        return []

    assert floats(json.loads(dumps(plan), parse_float=float)) == []


def test_the_call_script_context_is_the_documented_one() -> None:
    names = documented("### `call_script.md.j2`")
    case, plan, rules = plan_for("maria-lopez-plan")
    assert names and sorted(names) == sorted(script_context(case, plan, rules))


def test_every_packaged_template_is_documented() -> None:
    templates = sorted(p.name for p in (ROOT / "templates").iterdir())
    assert templates
    for name in templates:
        assert f"`{name}`" in NOTE, f"templates/{name} is not in docs/compatibility.md"


@pytest.mark.parametrize(
    ("template", "heading"),
    [
        ("call_script.md.j2", "### `call_script.md.j2`"),
        ("agreement.md.j2", "### `agreement.md.j2`"),
        ("agreement.html.j2", "### `agreement.md.j2`"),
    ],
)
def test_every_variable_a_packaged_template_uses_is_documented(template: str, heading: str) -> None:
    """The packaged templates are the examples --templates users copy: all they use is listed."""
    source = (ROOT / "templates" / template).read_text(encoding="utf-8")
    macros = set(re.findall(r"{%-?\s*macro\s+(\w+)", source))
    used = meta.find_undeclared_variables(environment().parse(source)) - macros
    assert used, f"no variables found in {template}"
    assert used <= set(documented(heading)), used - set(documented(heading))


def documented_bullets(heading: str) -> dict[str, str]:
    """Each ``- `name` …`` bullet of the section under ``heading``: name → the bullet's text."""
    start = NOTE.index(f"\n{heading}")
    end = NOTE.find("\n#", start + 1)
    bullets: dict[str, str] = {}
    name = None
    for line in NOTE[start:end].splitlines():
        found = re.match(r"- `(\w+)`", line)
        if found:
            name = found.group(1)
            bullets[name] = line
        elif name is not None and line.startswith("  "):
            bullets[name] += " " + line.strip()
        else:
            name = None
    return bullets


def nested_keys(value: Any) -> set[str]:
    """The keys of an object, or of the objects in a list (one level down)."""
    if isinstance(value, dict):
        return {str(k) for k in value}
    if isinstance(value, list):
        return {str(k) for item in value if isinstance(item, dict) for k in item}
    return set()


def test_every_key_one_level_down_is_documented() -> None:
    """A key added inside compliance, an option or the ladder is listed in the note too."""
    bullets = documented_bullets("### Fixed top-level keys")
    checked = 0
    for name in ("maria-lopez-plan", "uk-gbp", "time-barred"):
        _, plan, _ = plan_for(name)
        for key, value in json.loads(dumps(plan)).items():
            keys = nested_keys(value)
            named = set(re.findall(r"`(\w+)`", bullets[key]))
            assert keys <= named, f"{key}: {sorted(keys - named)} not in docs/compatibility.md"
            checked += len(keys)
    assert checked > 50


@pytest.mark.parametrize(
    ("heading", "columns"),
    [("### `queue.csv` columns", QUEUE_COLUMNS), ("### `today.csv` columns", TODAY_COLUMNS)],
)
def test_the_call_lists_have_exactly_the_documented_columns_in_order(
    heading: str, columns: tuple[str, ...]
) -> None:
    assert documented(heading) == list(columns)
