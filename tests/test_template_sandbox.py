"""A shared ``--templates`` folder cannot run code (issue 18): templates render sandboxed."""

from __future__ import annotations

from pathlib import Path

import pytest

from negplan.errors import InputError
from negplan.io.templates import render


@pytest.mark.parametrize(
    "payload",
    [
        "{{ cycler.__init__.__globals__.os.popen('echo pwned').read() }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ joiner.__init__.__globals__ }}",
    ],
)
def test_a_user_template_cannot_reach_python_internals(tmp_path: Path, payload: str) -> None:
    (tmp_path / "evil.md.j2").write_text(payload, encoding="utf-8")
    with pytest.raises(InputError) as info:
        render("evil.md.j2", {}, tmp_path)
    assert "not allowed" in str(info.value)


def test_an_unsafe_attribute_is_refused_every_time_it_is_read(tmp_path: Path) -> None:
    """The sandbox keeps its verdicts per type and name (issue 20): a name refused once is
    refused again, and a type's ``mro`` stays unsafe after a string's ``upper`` was allowed."""
    (tmp_path / "fine.md.j2").write_text("{{ name.upper() }}", encoding="utf-8")
    (tmp_path / "evil.md.j2").write_text("{{ kind.mro() }}", encoding="utf-8")
    for _ in range(2):
        assert render("fine.md.j2", {"name": "maria"}, tmp_path) == "MARIA"
        with pytest.raises(InputError, match="not allowed"):
            render("evil.md.j2", {"kind": str}, tmp_path)
