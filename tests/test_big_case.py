"""A case with thousands of flow-style rows is read by libyaml, not PyYAML in Python (issue 20).

A nesting pre-check that counted every ``{`` and ``[`` once sent such a file to the pure-Python
parser: a case with 2,000 contacts and 1,000 payments cost 3-4 times a plain one, 5,000 contacts
8 times. The depth is now measured on libyaml's events, so the Python parser and composer must
never run for a case file, however many rows it has.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from negplan.io.case_file import load_case
from tests.helpers import AS_OF, BASE_CASE


def _refuse(*_: object, **__: object) -> None:
    raise AssertionError("PyYAML's pure-Python parser or composer ran")


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML without libyaml")
def test_thousands_of_flow_rows_never_reach_the_python_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yaml.parser.Parser, "parse_node", _refuse)
    monkeypatch.setattr(yaml.parser.Parser, "parse_flow_mapping_key", _refuse)
    monkeypatch.setattr(yaml.composer.Composer, "compose_node", _refuse)
    paid = [
        f"  - {{date: {(date(2026, 5, 2) - timedelta(days=n)).isoformat()}, amount: 3.35}}"
        for n in range(1000)
    ]
    calls = [
        f"  - {{at: 2026-0{1 + n % 9}-{1 + n % 28:02d}T10:{n % 60:02d}:00-08:00, "
        "channel: letter, outcome: no_answer}"
        for n in range(2000)
    ]
    path = tmp_path / "big.yaml"
    path.write_text(
        BASE_CASE + "payment_history:\n" + "\n".join(paid) + "\ncontacts:\n" + "\n".join(calls)
    )
    case = load_case(path, AS_OF)
    assert len(case.payment_history) == 1000
    assert len(case.contacts) == 2000
