"""Reading a short plain case file without the separate event pass (issue 20) must change
nothing: every text gives the same data, node tree and refusal as the long way (events first)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from negplan.errors import InputError
from negplan.io import yaml as negplan_yaml
from negplan.io.yaml import parse_yaml
from negplan.io.yaml_events import MAX_EVENTS, check_events
from negplan.io.yaml_tree import SHORT, built
from tests.helpers import BASE_CASE

DEEP_VALUE = "a: " + "[" * 33 + "]" * 33 + "\n"
DEEP_KEY = "? " + "[" * 33 + "1" + "]" * 33 + "\n: b\n"
DEEP_BLOCK = "".join("  " * i + f"k{i}:\n" for i in range(34)) + "  " * 34 + "v\n"
BOMB = 'a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]\n' + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)
)
TEXTS = [
    BASE_CASE,
    "a: 1.50\nb: [1, 2, {c: 2026-11-22}]\n",
    "# only a comment\n",
    "a: 0150\nb: 2026-13-01\n",  # values deferred as problems
    "a: 1\na: 2\n",  # a duplicate key
    "a: [1, 2\nb: 3\n",  # a flow list never closed
    "a: *nowhere\n",  # an undefined alias
    "a: 1\n---\nb: 2\n",  # two documents
    DEEP_VALUE,
    DEEP_KEY,
    DEEP_BLOCK,
    "a: " + "[" * 32 + "]" * 32 + "\n",  # exactly at the bound
    "a: !!binary aGVsbG8=\n",  # a tag: the long way
    'a: "\\e[31mred"\n',  # an escape: the long way
    "a: &x [1]\nb: *x\n",  # an anchor: the long way
    BOMB,  # aliases that would expand to 10**10 values: the long way, refused
    "a:\n\t- 1\n",  # a tab in the indentation
]


def read(text: str, **kwargs: Any) -> tuple[str, Any]:
    """What parse_yaml gives: the data and the tree's shape, or the refusal's words."""
    try:
        data, node = parse_yaml(text, "case.yaml", **kwargs)
    except InputError as exc:
        return "refused", [str(p) for p in exc.problems]
    return "read", (data, None if node is None else yaml.serialize(node))


@pytest.mark.parametrize("text", TEXTS)
def test_the_quick_path_reads_and_refuses_exactly_as_the_long_way(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick = read(text), read(text, value_problems=[])
    monkeypatch.setattr(negplan_yaml, "plain_and_short", lambda text: False)
    assert (read(text), read(text, value_problems=[])) == quick


def test_a_plain_case_skips_the_event_pass_and_a_deep_one_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    passes: list[str] = []

    def counted(text: str, name: str) -> None:
        passes.append(text)
        check_events(text, name)

    monkeypatch.setattr(negplan_yaml, "check_events", counted)
    parse_yaml(BASE_CASE, "case.yaml")
    assert passes == []
    for deep in (DEEP_VALUE, DEEP_KEY, DEEP_BLOCK):
        with pytest.raises(InputError, match="nested more than 32 levels"):
            parse_yaml(deep, "case.yaml")
    assert passes == [DEEP_VALUE, DEEP_KEY, DEEP_BLOCK]


def events(text: str) -> int:
    """The events the event pass would count, up to the end or the first syntax error."""
    parser = yaml.CSafeLoader(text)
    count = 0
    try:
        while parser.get_event() is not None:
            count += 1
    except yaml.YAMLError:
        pass
    finally:
        parser.dispose()
    return count


@pytest.mark.parametrize(
    ("head", "unit", "tail"),
    [
        ("[", "[?],", "]"),
        ("{", "?,", "}"),
        ("[", "? : ,", "]"),
        ("", "?\n", ""),
        ("", "- ? \n", ""),
        ("", "---\n", ""),
        ("", "- [a, {b: c}]\n", ""),
        ("", ":\n", ""),
    ],
)
def test_a_short_text_cannot_reach_the_event_limit(head: str, unit: str, tail: str) -> None:
    """The densest shapes found give about 1.5 events a character: a text of ``SHORT``
    characters stays far below :data:`MAX_EVENTS` (the quick path's premise)."""
    text = head + unit * ((SHORT - len(head + tail)) // len(unit)) + tail
    assert len(text) <= SHORT
    assert events(text) < 2 * len(text) + 8 < MAX_EVENTS // 2


SCALARS = ["", "~", "null", "yes", "No", "on", "1.5", "1_000", "0150", "0x1F", "2:30", ".inf",
           "-.NaN", "2026-11-22", "2026-11-22T10:00:00-08:00", "=", "<<", "phone", "+1 415",
           "true", "12", "-0", "x" * 80]  # fmt: skip


def pyyaml_tag(kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool]) -> Any:
    return yaml.SafeLoader("").resolve(kind, value, implicit)  # type: ignore[no-untyped-call]


@pytest.mark.parametrize("value", SCALARS)
def test_kept_tags_are_pyyamls_own(value: str) -> None:
    """The tags kept per process (issue 20) are those PyYAML's resolver gives, every time."""
    loader = negplan_yaml._FastLoader("")
    try:
        for implicit in ((True, False), (False, True), (False, False)):
            expected = pyyaml_tag(yaml.ScalarNode, value, implicit)
            for _ in range(2):
                assert loader.resolve(yaml.ScalarNode, value, implicit) == expected
        for kind in (yaml.MappingNode, yaml.SequenceNode):
            assert loader.resolve(kind, None, (True, False)) == pyyaml_tag(
                kind, None, (True, False)
            )
    finally:
        loader.dispose()


BUILT = [
    BASE_CASE,
    "1: a\n1.0: b\n",  # two keys that build equal: the later value, the first key
    "yes: 1\nno: 2\n~: 3\n",
    "a: 2026-11-22\nb: 2026-11-22T10:00:00-08:00\nc: 2026-11-22 10:00:00\n",
    "a: [1, [2, {b: null}], '', \"x\"]\nb: {}\nc: []\n",
    "a: .inf\nb: -.nan\nc: 1.50\n",
    "=: x\n",
    "a: =\n",
    "<<: {a: 1}\n",
    "? [a]\n: b\n",
    "? {a: 1}\n: b\n",
    "a: !!str 5\n",
    "a: !!map x\n",
    "a: 2026-02-30\nb: 0150\nc: 7_000\n",
    "a: 1\na: 2\n",
    "[1, 2]\n",
    "5\n",
]


def construction(text: str, deferred: bool, quick: bool) -> tuple[str, str, list[str]]:
    loader = negplan_yaml._FastLoader(text)
    try:
        if deferred:
            loader.deferred = []
        node = loader.get_single_node()
        try:
            data = built(loader, node, text) if quick else loader.construct_document(node)
        except Exception as exc:
            outcome = ("error", f"{type(exc).__name__}: {exc}")
        else:
            outcome = ("data", repr(data))
        return (*outcome, [str(e) for e in loader.deferred or []])
    finally:
        loader.dispose()


@pytest.mark.parametrize("text", BUILT)
@pytest.mark.parametrize("deferred", [False, True])
def test_a_tree_is_built_as_pyyaml_builds_it(text: str, deferred: bool) -> None:
    """The direct build (issue 20) gives PyYAML's data, errors and kept problems exactly."""
    assert construction(text, deferred, quick=True) == construction(text, deferred, quick=False)
