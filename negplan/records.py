"""Records: frozen dataclasses whose methods are made when first used.

negplan's results (an option, a ladder step, a verdict, a reason) are immutable values, and were
written as ``@dataclass(frozen=True)``. Python 3.10 and 3.11 compile six methods for each such class
while its module is imported (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``,
``__setattr__``, ``__delattr__``): about 0.7 ms a class, and ``negplan prep`` imports some 60 of
them to use a few (issue 20: most of a ``prep`` run is start-up).

:func:`record` gives the same class at a fraction of that cost:

- the fields are the standard library's (``dataclasses.fields``, ``replace``, ``asdict`` and
  ``is_dataclass`` work unchanged), read once, at decoration;
- ``__init__`` is compiled on the class's first instantiation, with the same signature and
  behaviour as the one ``dataclass`` writes (positional or keyword arguments, defaults, default
  factories, ``__post_init__``; a missing or unexpected argument is the same ``TypeError``);
- ``__eq__``, ``__hash__`` and ``__repr__`` are shared, reading the compared fields with one
  :func:`operator.attrgetter`, and agree with ``dataclass``'s: equal only to an instance of the
  same class with equal fields; ``repr`` as ``Name(field=value, ...)``;
- assigning or deleting an attribute raises :class:`dataclasses.FrozenInstanceError`.

Type checkers see a frozen dataclass (:pep:`681`).
"""

from __future__ import annotations

import dataclasses
import inspect
import sys
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar

if sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # pragma: no cover - Python 3.10
    from typing_extensions import dataclass_transform

_T = TypeVar("_T", bound=type)

#: Marks a parameter whose default comes from a factory, as ``dataclass`` does.
_FACTORY = object()


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: _T) -> _T:
    """Make ``cls`` a frozen dataclass (see the module's docstring) and return it."""
    if not cls.__doc__:  # what ``dataclass`` would work out with ``inspect.signature``, cheaply
        cls.__doc__ = f"{cls.__name__}({', '.join(_annotations(cls))})"
    dataclasses.dataclass(cls, init=False, repr=False, eq=False)
    fields = dataclasses.fields(cls)
    _check_order(fields)
    compared = tuple(f.name for f in fields if f.compare)
    key: Callable[[Any], Any] = attrgetter(*compared) if compared else _no_key
    cls._record_key = staticmethod(key)  # type: ignore[attr-defined]
    cls._record_repr = tuple(f.name for f in fields if f.repr)  # type: ignore[attr-defined]
    cls.__match_args__ = tuple(f.name for f in fields if f.init)  # type: ignore[attr-defined,misc]
    cls.__init__ = _first_init(cls)  # type: ignore[misc]
    cls.__eq__ = _eq  # type: ignore[assignment,method-assign]
    cls.__hash__ = _hash  # type: ignore[assignment,method-assign]
    cls.__repr__ = _repr  # type: ignore[assignment,method-assign]
    cls.__setattr__ = _frozen_setattr  # type: ignore[assignment,method-assign]
    cls.__delattr__ = _frozen_delattr  # type: ignore[assignment,method-assign]
    return cls


def _annotations(cls: type) -> list[str]:
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        names += [name for name in inspect.get_annotations(klass) if name not in names]
    return names


def _check_order(fields: tuple[dataclasses.Field[Any], ...]) -> None:
    """Refuse what ``dataclass`` refuses: a field without a default after one with a default
    (the ``__init__`` compiled later could not take them in that order)."""
    defaulted = False
    for f in fields:
        if not f.init:
            continue
        has_default = f.default is not dataclasses.MISSING or (
            f.default_factory is not dataclasses.MISSING
        )
        if defaulted and not has_default:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
        defaulted = defaulted or has_default


def _no_key(_: object) -> tuple[()]:
    return ()


def _eq(self: Any, other: Any) -> bool:
    if other.__class__ is self.__class__:
        return bool(self._record_key(self) == self._record_key(other))
    return NotImplemented  # type: ignore[no-any-return]


def _hash(self: Any) -> int:
    return hash(self._record_key(self))


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._record_repr)
    return f"{self.__class__.__qualname__}({shown})"


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: object, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _first_init(cls: type) -> Callable[..., None]:
    """An ``__init__`` that compiles the real one, puts it on ``cls`` and runs it."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if cls.__dict__["__init__"] is __init__:
            cls.__init__ = _compile_init(cls)  # type: ignore[misc]
        cls.__dict__["__init__"](self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _compile_init(cls: type) -> Callable[..., None]:
    """The ``__init__`` that ``dataclass(frozen=True)`` would write for ``cls``."""
    names: dict[str, Any] = {"__set": object.__setattr__, "__factory": _FACTORY}
    params: list[str] = []
    body: list[str] = []
    for f in dataclasses.fields(cls):
        if not f.init:
            if f.default_factory is not dataclasses.MISSING:
                names[f"__f_{f.name}"] = f.default_factory
                body.append(f"__set(self, {f.name!r}, __f_{f.name}())")
            elif f.default is not dataclasses.MISSING:
                names[f"__d_{f.name}"] = f.default
                body.append(f"__set(self, {f.name!r}, __d_{f.name})")
            continue
        if f.default_factory is not dataclasses.MISSING:
            names[f"__f_{f.name}"] = f.default_factory
            params.append(f"{f.name}=__factory")
            body.append(
                f"__set(self, {f.name!r}, __f_{f.name}() if {f.name} is __factory else {f.name})"
            )
        elif f.default is not dataclasses.MISSING:
            names[f"__d_{f.name}"] = f.default
            params.append(f"{f.name}=__d_{f.name}")
            body.append(f"__set(self, {f.name!r}, {f.name})")
        else:
            params.append(f.name)
            body.append(f"__set(self, {f.name!r}, {f.name})")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    source = f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(body or ["pass"])
    namespace: dict[str, Any] = {}
    exec(source, names, namespace)
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init
