"""Reading YAML safely, with positions kept for error messages.

* Floats are built as ``Decimal`` from their source text (never through a binary float).
* Hostile input is refused before it can hurt: special files and files over 10 MB
  (:mod:`negplan.io.reading`), binary and empty files, then on the parser's events alone
  (:mod:`negplan.io.yaml_events`) too many values, nesting deeper than :data:`MAX_DEPTH`, odd tags
  and control characters; after composing, alias bombs that would expand past
  :data:`MAX_NODES`, duplicate keys and merge keys (``<<``).
* The composed node tree is returned beside the data, so :mod:`negplan.io.problems` can point
  each validation error at its line and column.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from negplan.errors import InputError, Problem
from negplan.io.reading import MAX_BYTES, read_text
from negplan.io.yaml_events import MAX_DEPTH, check_events
from negplan.io.yaml_tree import built, plain_and_short, within_depth

__all__ = ["MAX_BYTES", "MAX_DEPTH", "deep_merge", "parse_yaml", "read_text", "require_mapping"]

MAX_NODES = 100_000

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | str:
    """Build YAML floats as exact Decimals from their source digits."""
    text = str(loader.construct_scalar(node)).strip()
    if "_" in text:
        raise _grouped(text, node)
    lowered = text.lower()
    if lowered in (".inf", "+.inf"):
        return Decimal("Infinity")
    if lowered == "-.inf":
        return Decimal("-Infinity")
    if lowered == ".nan":
        return Decimal("NaN")
    try:
        return Decimal(text)
    except InvalidOperation:  # sexagesimal and other YAML 1.1 oddities stay text
        return text


_DECIMAL_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")


def _grouped(text: str, node: yaml.Node) -> yaml.constructor.ConstructorError:
    """YAML 1.1 reads ``7_000`` as 7000; a typo for ``7.000`` or ``70.00`` must not become money."""
    return yaml.constructor.ConstructorError(
        None,
        None,
        f"{text[:40]!r}: write numbers without '_' separators (7000, not 7_000)",
        node.start_mark,
    )


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    """Integers as YAML 1.2 reads them: ``0150`` is not octal 104, ``2:30`` is not 150."""
    text = str(loader.construct_scalar(node)).strip()
    if "_" in text:
        raise _grouped(text, node)
    if not _DECIMAL_INT.fullmatch(text):
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"{text!r} is not a plain decimal number (YAML 1.1 would read it as octal, hex or "
            "base 60); write it without leading zeros, or in quotes if it is text",
            node.start_mark,
        )
    return int(text)


class _Strict:
    """Construction that refuses duplicate keys and turns bad values into located errors.

    With :attr:`deferred` set, a value that cannot be right (``2026-13-01``, ``0150``, a
    5,000-digit number) does not stop the build: its error is kept there, the value stays its
    source text, and the rest of the document is built, so that the case's other problems can be
    reported with it (SPEC §7: every problem at once).
    """

    deferred: list[yaml.constructor.ConstructorError] | None = None
    deep_construct: bool  # PyYAML's BaseConstructor's

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        was_deep = self.deep_construct
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except (ValueError, OverflowError) as exc:  # e.g. 2026-02-30, a 5,000-digit number
            shown = str(getattr(node, "value", ""))
            shown = shown if len(shown) <= 40 else f"{shown[:37]}..."
            error = yaml.constructor.ConstructorError(
                None, None, f"invalid value {shown!r}: {exc}", node.start_mark
            )
        except yaml.constructor.ConstructorError as exc:  # 0150, 7_000; a duplicate key
            error = exc
        if self.deferred is None or not isinstance(node, yaml.ScalarNode):
            raise error from None  # a mapping's error (duplicate or merge key) stops the build
        # Keep the error, and the value as its text, as if it had been built.
        self.deep_construct = was_deep
        self.recursive_objects.pop(node, None)  # type: ignore[attr-defined]
        self.constructed_objects[node] = node.value  # type: ignore[attr-defined]
        self.deferred.append(error)
        return node.value

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        seen: set[str] = set()
        for key, _ in node.value:
            if key.tag == "tag:yaml.org,2002:merge":
                # A merge key copies another mapping's keys in, past the duplicate-key check
                # (``{<<: [{principal: 1.00}, {principal: 99999.00}]}``): write keys out.
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    "merge keys (<<) are not allowed: write each key out",
                    key.start_mark,
                )
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key.value!r}", key.start_mark
                    )
                seen.add(key.value)
        return super().construct_mapping(node, deep)  # type: ignore[misc]


#: Plain scalars' tags by (text, implicit flags): the same field names, outcomes and dates
#: recur in every case file, and PyYAML resolves each one with a row of regular expressions
#: (issue 20). Short texts only, and a bounded number, so that no file can grow it unduly.
_RESOLVED: dict[tuple[str, tuple[bool, bool]], str] = {}
_RESOLVED_MAX = 4096
_RESOLVED_LENGTH = 64


class _FastLoader(_Strict, _BaseLoader):  # type: ignore[valid-type,misc]
    """The C loader (when available) with Decimal floats, strict ints and keys."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> Any:
        """PyYAML's tag for a node, kept per process for short scalars: it depends on the text,
        the flags and the loader's resolver tables alone (fixed: no path resolvers, none added
        after import)."""
        if kind is not yaml.ScalarNode or len(value) > _RESOLVED_LENGTH:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = _RESOLVED.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(_RESOLVED) < _RESOLVED_MAX:
                _RESOLVED[key] = tag
        return tag


_FastLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_FastLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


# ----------------------------------------------------------------------------- reading


def _marked_problem(
    exc: yaml.MarkedYAMLError, text: str, name: str, root: yaml.Node | None
) -> Problem:
    """A YAML error in the words of someone editing a case file, at the place to fix."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    path = ""
    lines = text.splitlines()
    if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
        problem = (
            "a tab character in the indentation: YAML indents with spaces only; replace the tab "
            "with spaces"
        )
    elif exc.context and exc.context.startswith("while parsing a flow") and exc.context_mark:
        opened = "[" if "sequence" in exc.context else "{"
        closing = "]" if opened == "[" else "}"
        where = exc.problem_mark
        reached = f"line {where.line + 1}, column {where.column + 1}" if where else "the end"
        problem = (
            f"invalid YAML: the {opened} here is never closed (no {closing} before {reached}); "
            f"close it, or put the value in quotes if the {opened} is part of the text"
        )
        mark = exc.context_mark
    elif isinstance(exc, yaml.constructor.ConstructorError):
        if mark is not None and root is not None:
            path = _path_at(root, mark.line, mark.column)
        if problem.startswith("invalid value") and re.search(r"\d{4}-\d\d-\d\d", problem):
            problem = "not a real date: " + problem[len("invalid value ") :]
    elif "maximum nesting depth" in problem:  # libyaml's own bound, met before ours
        problem = f"nested more than {MAX_DEPTH} levels deep; a case file is a few levels deep"
    else:
        problem = f"invalid YAML: {problem}"
    return Problem(
        problem,
        path=path,
        file=name,
        line=None if mark is None else mark.line + 1,
        column=None if mark is None else mark.column + 1,
    )


def _path_at(root: yaml.Node, line: int, column: int) -> str:
    """The field path (``debt.first_delinquency``) of the value that starts at line:column."""
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, path = stack.pop()
        start = node.start_mark
        if (
            isinstance(node, yaml.ScalarNode)
            and path
            and (start.line, start.column)
            == (
                line,
                column,
            )
        ):
            return path
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                part = key.value if isinstance(key, yaml.ScalarNode) else "?"
                stack.append((value, f"{path}.{part}" if path else str(part)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, f"{path}[{i}]") for i, item in enumerate(node.value))
    return ""


# ----------------------------------------------------------------------------- parsing


def _too_deep(name: str) -> InputError:
    return InputError.single(
        f"nested more than {MAX_DEPTH} levels deep; a case file is a few levels deep", file=name
    )


def _check_depth(root: yaml.Node, name: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH (a document without aliases: a tree)."""
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep(name)
        if isinstance(node, yaml.MappingNode):
            stack.extend(
                (v, depth + 1) for _, v in node.value if not isinstance(v, yaml.ScalarNode)
            )
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((v, depth + 1) for v in node.value if not isinstance(v, yaml.ScalarNode))


def _check_shape(root: yaml.Node, name: str) -> None:
    """Refuse deep nesting and alias bombs by measuring the node graph without expanding it."""
    expanded: dict[int, int] = {}
    # Iterative post-order walk: (node, depth, children_done)
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    in_progress: set[int] = set()
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if depth > MAX_DEPTH:
            raise _too_deep(name)
        children = list(_children(node))
        if done:
            in_progress.discard(key)
            expanded[key] = 1 + sum(expanded[id(c)] for c in children)
            if expanded[key] > MAX_NODES:
                raise InputError.single(
                    "YAML aliases expand to more than 100,000 values (an alias bomb?)", file=name
                )
            continue
        if key in expanded:
            continue
        if key in in_progress:
            raise InputError.single("recursive YAML alias (a value contains itself)", file=name)
        in_progress.add(key)
        stack.append((node, depth, True))
        stack.extend((c, depth + 1, False) for c in children if id(c) not in expanded)


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        yield from node.value
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            yield k
            yield v


def _composed(text: str, name: str) -> tuple[_FastLoader, yaml.Node | None, bool]:
    """The loader and the document's node tree, refused on the parser's events first
    (:func:`~negplan.io.yaml_events.check_events`).

    A short plain text (:func:`plain_and_short`) is composed at once and its depth measured
    on the tree, which is what the event pass would find (issue 20: that pass was a fifth of
    reading a case). Any trouble (a syntax error, too deep) and it is read again the long way,
    events first, so that every file is refused with exactly the same words and place."""
    if plain_and_short(text):
        loader = _FastLoader(text)
        try:
            node = loader.get_single_node()
            if node is None or within_depth(node):
                return loader, node, True
        except (yaml.YAMLError, RecursionError):
            pass
        loader.dispose()
    check_events(text, name)  # bounds first: what passes is safe for the C composer
    loader = _FastLoader(text)
    try:
        return loader, loader.get_single_node(), False
    except BaseException:
        loader.dispose()
        raise


def parse_yaml(
    text: str, name: str, *, value_problems: list[Problem] | None = None
) -> tuple[Any, yaml.Node | None]:
    """Parse one YAML document into Python data (Decimal floats) and its node tree.

    A stream with no document (only comments) gives ``(None, None)``. A value that cannot be
    right (an impossible date, an octal-looking number) raises :class:`InputError`; given
    ``value_problems``, it is appended there as a located problem instead, the value is left as
    its text and the rest is built, for the caller to report with the document's other problems.
    """
    deferred: list[yaml.constructor.ConstructorError] = []
    loader: _FastLoader | None = None
    node: yaml.Node | None = None
    try:
        # Bounds first, on events alone: what passes is at most 32 levels deep (safe for the C
        # composer) and small enough to build quickly.
        loader, node, measured = _composed(text, name)
        if value_problems is not None:
            loader.deferred = deferred
        if node is None:
            return None, None
        if "&" in text:  # anchors, so perhaps aliases: measure the expanded graph
            _check_shape(node, name)
        elif not measured:  # a plain tree: only its depth can hurt
            _check_depth(node, name)
        data = built(loader, node, text)
        if value_problems is not None:
            value_problems += (_marked_problem(e, text, name, node) for e in deferred)
    except yaml.MarkedYAMLError as exc:
        composed = node if isinstance(exc, yaml.constructor.ConstructorError) else None
        raise InputError([_marked_problem(exc, text, name, composed)]) from None
    except yaml.YAMLError as exc:
        raise InputError.single(f"invalid YAML: {exc}", file=name) from None
    except RecursionError:
        raise _too_deep(name) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, node


def require_mapping(data: Any, name: str, what: str) -> None:
    """Refuse a document whose top level is not a mapping."""
    if isinstance(data, dict):
        return
    if data is None:
        kind = "nothing"
    elif isinstance(data, list):
        kind = "a list"
    else:
        kind = f"a single value ({type(data).__name__})"
    raise InputError.single(f"expected a mapping of {what} at the top level, got {kind}", file=name)


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge ``override`` into a copy of ``base``: mappings key by key, other values replaced.

    The one merge negplan uses: rules over the packaged defaults (SPEC §3), and a jurisdiction's
    profile layer over its country's.
    """
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged
