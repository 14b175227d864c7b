"""Validation errors mapped back onto the YAML node tree, as located problems.

The dagster approach: each pydantic ``err["loc"]`` is walked down the composed nodes; a missing
field points at its parent. Messages are rewritten from pydantic's wording into the words of a
case file.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from negplan.errors import Problem


def format_loc(loc: tuple[int | str, ...]) -> str:
    """``("finances", "income", 1, "amount")`` → ``finances.income[1].amount``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_loc(path: str) -> tuple[int | str, ...]:
    """Inverse of :func:`format_loc`."""
    return tuple(int(index) if index else key for key, index in _PATH_PART.findall(path))


def locate(
    root: yaml.Node | None, loc: tuple[int | str, ...], *, key: bool = False
) -> yaml.Node | None:
    """The node at ``loc``, or its nearest existing ancestor; ``key=True`` returns a key node."""
    node = root
    for depth, part in enumerate(loc):
        if node is None:
            return None
        last = depth == len(loc) - 1
        if isinstance(node, yaml.MappingNode):
            match = next(
                (
                    (k, v)
                    for k, v in node.value
                    if isinstance(k, yaml.ScalarNode) and k.value == str(part)
                ),
                None,
            )
            if match is None:
                return node
            node = match[0] if (last and key) else match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return node
            node = node.value[part]
        else:
            return node
    return node


def _problem_at(
    message: str,
    loc: tuple[int | str, ...],
    name: str,
    root: yaml.Node | None,
    *,
    key: bool = False,
) -> Problem:
    node = locate(root, loc, key=key)
    line = column = None
    if node is not None:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
    return Problem(message, path=format_loc(loc), file=name, line=line, column=column)


# ----------------------------------------------------------------------------- validation errors


def _model_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model class that holds the field at ``loc`` (for suggesting keys)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return None
            current = field.annotation
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/list/Annotated wrappers down to the model class inside, if any."""
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated or origin in (list, tuple):
            annotation = get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            models = [a for a in get_args(annotation) if a is not type(None)]
            annotation = models[0] if len(models) == 1 else annotation
            if len(models) != 1:
                return annotation
        else:
            return annotation


_PYDANTIC_PREFIXES = ("Value error, ", "Assertion failed, ")


def _message(err: Mapping[str, Any], model: type[BaseModel]) -> str:
    kind = err["type"]
    loc = tuple(err["loc"])
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        text = f"unknown key {loc[-1]!r}"
        if parent is not None:
            import difflib  # only a typo needs it

            close = difflib.get_close_matches(str(loc[-1]), list(parent.model_fields), n=1)
            if close:
                text += f"; did you mean {close[0]!r}?"
            else:
                text += f" (allowed: {', '.join(parent.model_fields)})"
        return text
    if kind == "string_type" and isinstance(err.get("input"), int | Decimal):
        return 'expected text, got a number: put it in quotes (e.g. "00123")'
    if kind == "string_pattern_mismatch" and loc == ("case_id",):
        return "a case id is 1 to 64 letters, digits, '.', '_' or '-', not starting with '.'"
    plain = _plain_message(kind, err.get("ctx") or {}, err.get("input"))
    if plain is not None:
        return plain
    msg = str(err["msg"])
    for prefix in _PYDANTIC_PREFIXES:
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    if kind == "enum" and "expected" in err.get("ctx", {}):
        msg = f"must be one of {err['ctx']['expected']}"
    if msg.startswith("Input should be "):  # pydantic's voice, for a kind not mapped above
        msg = "should be " + msg[len("Input should be ") :]
    return msg


def _plain_message(kind: str, ctx: Mapping[str, Any], given: Any) -> str | None:
    """Pydantic's library wording ("Input should be a valid integer") in a case file's words."""
    if kind in ("int_type", "int_parsing", "int_from_float"):
        if isinstance(given, str) and given.strip().isdigit():
            return f"expected a whole number, got the text {given!r}: remove the quotes"
        return f"expected a whole number (like 3), got {_shown(given)}"
    if kind in ("decimal_type", "decimal_parsing", "float_type", "float_parsing"):
        return f"expected a number (like 1234.50), got {_shown(given)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_shown(given)}"
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing"):
        return f"expected a date YYYY-MM-DD, got {_shown(given)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "expected a section of key: value lines here"
    if kind == "list_type":
        return "expected a list here (one '- ' line per item)"
    if kind == "string_type":
        return f"expected text, got {_shown(given)}"
    bounds = {
        "greater_than_equal": ("ge", "must be at least {}"),
        "greater_than": ("gt", "must be more than {}"),
        "less_than_equal": ("le", "must be at most {}"),
        "less_than": ("lt", "must be less than {}"),
        "string_too_long": ("max_length", "is too long: at most {} characters"),
        "too_long": ("max_length", "has too many items: at most {}"),
    }
    if kind in bounds and bounds[kind][0] in ctx:
        key, text = bounds[kind]
        return text.format(ctx[key])
    if kind == "string_too_short":
        return "must not be empty" if ctx.get("min_length") == 1 else None
    return None


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a section of keys"
    if isinstance(value, list):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def validation_problems(
    exc: ValidationError,
    model: type[BaseModel],
    name: str,
    root: yaml.Node | None,
) -> list[Problem]:
    """Turn a pydantic ValidationError into located problems, one per error."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        problems.append(
            _problem_at(_message(err, model), loc, name, root, key=err["type"] == "extra_forbidden")
        )
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def located(problems: list[Problem], name: str, root: yaml.Node | None) -> list[Problem]:
    """Attach file/line/column to problems that carry only a field path."""
    return [_problem_at(p.message, parse_loc(p.path), name, root) for p in problems]
