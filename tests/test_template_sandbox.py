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
