"""Shared test fixtures. Shared constants and helpers live in ``tests/helpers.py``."""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from negplan.io.cache import cache_dir
from tests.helpers import Writer

CACHE_ENV = "NEGPLAN_CACHE_DIR"
_saved_env: dict[str, str | None] = {}


def pytest_configure(config: pytest.Config) -> None:
    """Point negplan's per-user cache at a fresh temporary folder before collection starts.

    Some test modules load the packaged rules at import time, so a fixture alone would be too
    late: no test run may write to the user's home (``~/.cache/negplan``), and no test may pass
    because of what an earlier run left there. Subprocesses started by tests inherit the variable.
    ``COLUMNS`` from the developer's shell is set aside too: piped output follows it, and the
    goldens are written at the default width.
    """
    for name in (CACHE_ENV, "NEGPLAN_NO_CACHE", "COLUMNS"):
        _saved_env[name] = os.environ.pop(name, None)
    os.environ[CACHE_ENV] = tempfile.mkdtemp(prefix="negplan-test-cache-")
    cache_dir.cache_clear()


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the session's cache folder and restore the environment."""
    folder = os.environ.get(CACHE_ENV)
    if folder and _saved_env:
        shutil.rmtree(folder, ignore_errors=True)
    for name, value in _saved_env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    cache_dir.cache_clear()


@pytest.fixture(autouse=True, scope="session")
def isolated_cache() -> Iterator[Path]:
    """The session's cache folder; fails the run if something pointed the cache elsewhere."""
    folder = Path(os.environ[CACHE_ENV])
    assert cache_dir() in (folder, None), f"the cache escaped to {cache_dir()}"
    yield folder


@pytest.fixture
def write(tmp_path: Path) -> Writer:
    """Write text to a file in a temporary folder and return its path."""

    def _write(text: str, name: str = "case.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write
