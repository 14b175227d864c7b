"""A small per-user cache of work that depends only on negplan's own packaged files.

negplan starts once per call an executive prepares, so start-up time matters. Two things are the
same on every run until negplan itself changes: the compiled Jinja templates and the validated
packaged data (default rules, compliance profiles). Both are kept under the user's cache folder
(``$NEGPLAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/negplan``, else ``~/.cache/negplan``), owner-only,
keyed by a hash of their source text and the versions of negplan, Python and pydantic.

Never case data: nothing derived from a case file is cached. ``NEGPLAN_NO_CACHE=1`` turns the
cache off; an unwritable or corrupt cache is ignored and the work is simply done again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from negplan import __version__

T = TypeVar("T")


@lru_cache(maxsize=1)
def cache_dir() -> Path | None:
    """The cache folder (created 0700 and owned by this user), or None when unusable."""
    if os.environ.get("NEGPLAN_NO_CACHE"):
        return None
    explicit = os.environ.get("NEGPLAN_CACHE_DIR")
    if explicit:
        folder = Path(explicit)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = Path(base) / "negplan"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = folder.stat()
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            return None  # never trust a cache someone else owns
        if info.st_mode & 0o022:
            return None  # nor one that others may write to
    except OSError:
        return None
    return folder


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """Where negplan's own code is, and when each module last changed (names, sizes, mtimes).

    A cached value is a pickle of negplan's classes: one written by other code (an editable
    install being worked on, or two installs of one version sharing a cache folder) must never
    be read back, so the code itself is part of every key. Stat-ing the package costs well
    under a millisecond.
    """
    root = str(Path(__file__).resolve().parents[1])
    entries = [root]
    folders = [root]
    while folders:
        with os.scandir(folders.pop()) as listing:
            for entry in sorted(listing, key=lambda e: e.name):
                if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                    folders.append(entry.path)
                elif entry.name.endswith(".py"):
                    info = entry.stat()
                    entries.append(f"{entry.path}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(entries)


def module_stamp(name: str) -> str:
    """Which copy of an installed package ``name`` there is, without importing it: where its
    ``__init__`` is, with its size and modification time (an upgrade rewrites it).

    Cheaper than ``importlib.metadata.version`` (~5 ms: it scans every installed distribution's
    metadata) for keys read on every ``negplan prep``."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return f"{name}: not installed"
    info = Path(spec.origin).stat()
    return f"{name}: {spec.origin}:{info.st_size}:{info.st_mtime_ns}"


def _fingerprint(*parts: str | bytes) -> str:
    import pydantic

    digest = hashlib.sha256()
    for part in (__version__, sys.version, pydantic.VERSION, code_stamp(), *parts):
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def load_or_build(name: str, source: str, build: Callable[[], T]) -> T:
    """``build()``, or its pickled result from an earlier run with the same ``source`` text."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{_fingerprint(name, source)}.pickle"
    # A missing, stale or corrupt entry is simply rebuilt.
    with contextlib.suppress(Exception), path.open("rb") as handle:
        return pickle.load(handle)  # type: ignore[no-any-return]
    value = build()
    with contextlib.suppress(Exception):
        from negplan.io.outputs import write_atomic

        write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
    return value


def jinja_bytecode_cache() -> object | None:
    """A Jinja bytecode cache in the cache folder (compiled templates, never rendered output)."""
    folder = cache_dir()
    if folder is None:
        return None
    import jinja2

    target = folder / "jinja"
    try:
        target.mkdir(exist_ok=True, mode=0o700)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(target))
