"""Golden files: rendered documents compared byte for byte with a stored copy.

A golden file is the reviewed output of a document (a call script, a brief, an agreement) for a
fixed input. When the output changes on purpose, refresh the stored copies with one command, the
one the failing assertion prints, and review the diff in git::

    NEGPLAN_UPDATE_GOLDEN=1 pytest tests/test_script.py

Golden files live under ``tests/golden/<kind>/``.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

#: Set to 1 to (re)write golden files instead of comparing against them.
UPDATE_ENV = "NEGPLAN_UPDATE_GOLDEN"
GOLDEN_DIR = Path(__file__).parent / "golden"
_MAX_DIFF_LINES = 60


def refresh_command(test_file: str) -> str:
    """The one command that rewrites the golden files of ``test_file`` (from the repo root)."""
    return f"{UPDATE_ENV}=1 pytest {test_file}"


def assert_golden(actual: str, name: str, *, test_file: str) -> None:
    """Compare ``actual`` with ``tests/golden/<name>``, or rewrite it when refreshing.

    ``test_file`` is the test module, from the repository root (``tests/test_script.py``), so the
    failure message can print the exact refresh command.
    """
    path = GOLDEN_DIR / name
    command = refresh_command(test_file)
    if os.environ.get(UPDATE_ENV) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        return
    if not path.exists():
        pytest.fail(f"golden file {path} is missing; create it with:\n    {command}", pytrace=False)
    expected = path.read_bytes().decode("utf-8")
    if actual == expected:
        return
    diff = list(
        difflib.unified_diff(
            expected.splitlines(),
            actual.splitlines(),
            fromfile=f"golden/{name}",
            tofile="rendered",
            lineterm="",
        )
    )
    shown = "\n".join(diff[:_MAX_DIFF_LINES])
    more = (
        f"\n… {len(diff) - _MAX_DIFF_LINES} more diff lines" if len(diff) > _MAX_DIFF_LINES else ""
    )
    pytest.fail(
        f"rendered output differs from golden/{name}.\n"
        f"If the change is intended, refresh the golden files with:\n    {command}\n"
        f"and review the diff in git.\n\n{shown}{more}",
        pytrace=False,
    )
