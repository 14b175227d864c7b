"""Quicker ways through a plain case file's YAML, each giving exactly what the long way gives
(issue 20: reading a case file cost more than half again the floor's parse and validation).

* :func:`plain_and_short`: a short text with no tag, anchor, escape or control character can
  only be refused by the event pass (:mod:`negplan.io.yaml_events`) for its depth, which
  :func:`within_depth` measures on the composed tree instead.
* :func:`built`: a tree of plain values (text, numbers, booleans, nulls, dates, lists and
  mappings with distinct plain keys) built directly, instead of through PyYAML's constructor
  machinery (its state, its generators for lists and mappings, and a method call per value).
  Anything else, and any error, is left to PyYAML, whose words the user then reads.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import yaml

from negplan.io.yaml_events import CONTROL, MAX_DEPTH, MAX_EVENTS

_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = _TAG + "str", _TAG + "map", _TAG + "seq"
#: The plain scalar tags built with the loader's own constructors (``int`` and ``float`` are
#: negplan's: YAML 1.2 integers, ``Decimal`` amounts).
_SCALARS = tuple(_TAG + kind for kind in ("int", "float", "bool", "null", "timestamp"))


#: A text this short cannot hold :data:`MAX_EVENTS` events: the densest YAML measured gives
#: about 1.5 events a character plus a few per document (``? ? ?``, ``[[?],[?]]``), so 8 a
#: character leaves a wide margin (``tests/test_yaml_quick_path.py`` checks dense shapes).
SHORT = MAX_EVENTS // 8


def plain_and_short(text: str) -> bool:
    """Whether the event pass could refuse ``text`` for its depth alone: too short for too many
    events, no tag (``!``), no anchor (``&``), and no escape (``\\``) or control character for
    a value to carry. Case files almost always are (a few kilobytes of plain values)."""
    return (
        len(text) <= SHORT
        and "!" not in text
        and "\\" not in text
        and "&" not in text  # no anchor, so no alias: a tree, not a graph
        and CONTROL.search(text) is None
    )


def within_depth(root: yaml.Node) -> bool:
    """Whether no value, key or item of the tree nests deeper than :data:`MAX_DEPTH`: the depth
    the event pass measures (lists and mappings opened and not yet closed)."""
    scalar, mapping, sequence = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        depth += 1
        if isinstance(node, mapping):
            for key, value in node.value:
                if not isinstance(key, scalar):
                    stack.append((key, depth))
                if not isinstance(value, scalar):
                    stack.append((value, depth))
        elif isinstance(node, sequence):
            stack.extend((item, depth) for item in node.value if not isinstance(item, scalar))
    return True


class _NotPlain(Exception):
    """A value :func:`built` leaves to PyYAML."""


def built(loader: Any, root: yaml.Node, text: str) -> Any:
    """The document's data, as ``loader.construct_document(root)`` gives it.

    Without anchors the node tree is a tree, and a tree of plain values is built here in one
    walk; a merge key, a duplicate key, a key that is a list or mapping, an explicit odd tag,
    or a value that cannot be built (``2026-02-30``, ``0150``) is left to PyYAML, whose
    constructor refuses it, or keeps it as a located problem, in its own words."""
    if "&" in text:
        return loader.construct_document(root)
    constructors = {tag: loader.yaml_constructors[tag] for tag in _SCALARS}
    scalar, mapping, sequence = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode

    def build(node: yaml.Node) -> Any:
        kind, tag = type(node), node.tag
        if kind is scalar:
            if tag == _STR:
                return node.value
            construct = constructors.get(tag)
            if construct is None:
                raise _NotPlain
            return construct(loader, node)
        if kind is mapping and tag == _MAP:
            data: dict[Any, Any] = {}
            seen: set[str] = set()
            for key_node, value_node in node.value:
                if type(key_node) is scalar:
                    if key_node.value in seen:
                        raise _NotPlain  # a duplicate: refused by the loader
                    seen.add(key_node.value)
                key = build(key_node)
                if not isinstance(key, Hashable):
                    raise _NotPlain
                data[key] = build(value_node)
            return data
        if kind is sequence and tag == _SEQ:
            return [build(item) for item in node.value]
        raise _NotPlain

    try:
        return build(root)
    except Exception:
        return loader.construct_document(root)
