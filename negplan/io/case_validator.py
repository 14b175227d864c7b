"""The case file's validator, built once per negplan version and kept in the user cache.

Building the :class:`~negplan.core.case.Case` validator means generating pydantic's core schema
for eighteen models, which was the largest single piece of work in a run of ``negplan prep``
(issue 20: 24.8 ms of about 30 ms of real work). The core schema is the same on every run until
negplan, pydantic or Python changes, so it is kept in the user cache (:mod:`negplan.io.cache`,
keyed on all three and on negplan's own code, so a cache written by other code is never used)
and a run builds the validator from it in Rust.

The schema is stored without its ``metadata`` entries: they only describe how to write a JSON
Schema (``negplan schema`` still asks the model), they are not used to validate, and they hold
closures that cannot be pickled. Anything unexpected while building or reading the cache falls
back to the model's own validator, which gives the same values and the same errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from pydantic_core import SchemaValidator

from negplan.core.case import Case, case_context


def validate_case(data: Mapping[str, Any]) -> Case:
    """Validate raw case data exactly as :func:`negplan.core.case.parse_case` does."""
    case = case_validator().validate_python(data, context=case_context(data))
    assert isinstance(case, Case)
    return case


@lru_cache(maxsize=1)
def case_validator() -> SchemaValidator:
    """The Case validator, from the user cache when negplan has built it before."""
    from negplan.io.cache import load_or_build

    try:
        cached = load_or_build("case-validator", "", _build)
    except Exception:  # a pydantic that builds differently: use the model's own validator
        cached = None
    if isinstance(cached, SchemaValidator):
        return cached
    Case.model_rebuild()
    return Case.__pydantic_validator__  # type: ignore[return-value]


def _build() -> SchemaValidator:
    """The model's validator, rebuilt from its core schema without the JSON Schema notes."""
    Case.model_rebuild()
    built = Case.__pydantic_validator__
    # What pydantic built it from: the core schema, its config and pydantic-core's options.
    arguments: tuple[Any, ...] = built.__reduce__()[1]  # type: ignore[assignment]
    schema, *options = arguments
    return SchemaValidator(without_metadata(schema), *options)


def without_metadata(node: Any) -> Any:
    """A core schema with the ``metadata`` of every schema node left out."""
    if isinstance(node, dict):
        is_schema = isinstance(node.get("type"), str)
        return {
            key: without_metadata(value)
            for key, value in node.items()
            if not (is_schema and key == "metadata")
        }
    if isinstance(node, list):
        return [without_metadata(value) for value in node]
    if isinstance(node, tuple):
        return tuple(without_metadata(value) for value in node)
    return node
