"""The house by layer: the planning core reads no file (issue 11)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from negplan.core import build_plan
from negplan.io.case_file import load_case
from negplan.io.packaged import load_tables
from negplan.io.rules_file import load_rules

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AS_OF = date(2026, 11, 22)

#: Files opened while the audit is on, other than Python modules being imported.
_opened: list[str] | None = None
_CODE = (".py", ".pyc", ".so", ".pyd")


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _opened is None or event != "open":
        return
    target = args[0]
    if isinstance(target, int):  # os.fdopen of a descriptor opened elsewhere
        _opened.append(f"fd {target}")
    elif not str(target).endswith(_CODE):
        _opened.append(str(target))


sys.addaudithook(_audit)


@contextmanager
def files_opened() -> Iterator[list[str]]:
    """Record every file opened in the block (importing a module is not reading data)."""
    global _opened
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


def test_build_plan_opens_no_file_for_any_example() -> None:
    rules = load_rules()
    tables = load_tables()
    now = datetime(2026, 11, 24, 17, 0, tzinfo=timezone.utc)
    paths = [p for p in sorted(EXAMPLES.glob("*.yaml")) if not p.name.startswith("rules-")]
    cases = [load_case(path, AS_OF) for path in paths]
    assert cases
    with files_opened() as opened:
        for case in cases:
            build_plan(case, rules, tables, AS_OF, now)
    assert opened == []


def test_the_audit_sees_a_file_read() -> None:
    """The check above can fail: reading a data file is recorded."""
    with files_opened() as opened:
        (EXAMPLES / "maria-lopez-plan.yaml").read_text(encoding="utf-8")
    assert opened and opened[0].endswith("maria-lopez-plan.yaml")


def test_no_module_is_over_450_lines() -> None:
    """Modules that each do one thing (issue 11): none grows past 450 lines."""
    package = Path(__file__).resolve().parent.parent / "negplan"
    long = {
        str(path.relative_to(package)): lines
        for path in package.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 450
    }
    assert long == {}


def test_the_user_cache_is_keyed_on_negplan_own_code(tmp_path: Path) -> None:
    """A pickle written by other code (another install, an edited checkout) is never read back."""
    import os

    from negplan.io import cache

    before = cache._fingerprint("tables", "same source")
    module = Path(cache.__file__)
    stat = module.stat()
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    try:
        cache.code_stamp.cache_clear()
        assert cache._fingerprint("tables", "same source") != before
    finally:
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        cache.code_stamp.cache_clear()
