"""`negplan verify` against an adversary (issue 18): whatever a reader would see differently,
hidden or added, fails; crafted files fail quickly and alone; messages carry no escapes."""

from __future__ import annotations

import contextlib
import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from negplan.agreement.document import html_to_pdf, pdf_html
from negplan.agreement.record import embedded, fingerprint
from negplan.agreement.verify import verify_bytes
from negplan.errors import InputError
from negplan.shell.app import app
from tests.test_verify import agreements  # noqa: F401  (the module's fixture)

runner = CliRunner()
MISSED = "<p>A payment counts as missed if it has not been received within 10 days"
FEE = (
    "<p>The Debtor also owes a collection fee of USD 2,500 and waives every right to dispute "
    "this debt.</p>"
)


def _terms(html: str) -> dict[str, Any]:
    record = json.loads(html.split('id="negplan-terms">')[1].split("</script>")[0])
    terms: dict[str, Any] = record["terms"]
    return terms


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (MISSED, MISSED.replace("<p>", "<p hidden>")),
        (MISSED, MISSED.replace("<p>", '<p style="display:none">')),
        ("</head>", '<link rel="stylesheet" href="data:text/css,p{display:none}">\n</head>'),
        ("</head>", "<style>section p { color: white }</style>\n</head>"),
        ("</head>", "<!-- -->\n</head>"),
        (MISSED, MISSED.replace("<p>", "<p>\u200b", 1)),
    ],
    ids=["hidden", "display-none", "link-stylesheet", "style", "comment", "zero-width"],
)
def test_hidden_or_restyled_html_fails(agreements: dict[str, Path], old: str, new: str) -> None:  # noqa: F811
    html = agreements["html"].read_text("utf-8")
    assert old in html
    result = verify_bytes(html.replace(old, new, 1).encode("utf-8"), "deal.html")
    assert not result.ok
    assert any("is not what the terms give" in p for p in result.problems), result.problems


def test_a_markdown_edit_with_a_recomputed_text_digest_fails(agreements: dict[str, Path]) -> None:  # noqa: F811
    """The old unkeyed ``text_sha256`` could be recomputed after an edit; it no longer counts."""
    text = agreements["md"].read_text("utf-8")
    edited = text.replace("If a payment is missed", "If a payment is late by a day", 1)
    assert edited != text
    record_line = next(line for line in edited.splitlines() if line.startswith("<!-- negplan"))
    envelope = json.loads(record_line.removeprefix("<!-- negplan-terms: ").removesuffix(" -->"))
    envelope["text_sha256"] = "sha256:" + "0" * 64
    forged = edited.replace(
        record_line, f"<!-- negplan-terms: {json.dumps(envelope, ensure_ascii=False)} -->"
    )
    assert not verify_bytes(forged.encode("utf-8"), "deal.md").ok
    assert not verify_bytes(edited.encode("utf-8"), "deal.md").ok


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (MISSED, FEE + MISSED),
        (MISSED, "<p>The following does NOT apply:</p>" + MISSED),
        (MISSED, MISSED.replace("<p>", '<p style="color:#fff;font-size:1px">')),
        ("Maria Lopez", "Maria Lopez and John Lopez"),
    ],
    ids=["added-fee", "does-not-apply", "white-1px-text", "second-debtor"],
)
def test_a_re_rendered_pdf_with_added_or_hidden_content_fails(
    agreements: dict[str, Path],  # noqa: F811
    old: str,
    new: str,
) -> None:
    record = _terms(agreements["html"].read_text("utf-8"))
    html = pdf_html(record)
    assert old in html
    envelope = embedded(record, fingerprint(record))
    issued = date.fromisoformat(record["issued"])
    assert verify_bytes(html_to_pdf(html, envelope, issued), "same.pdf").ok
    result = verify_bytes(html_to_pdf(html.replace(old, new), envelope, issued), "forged.pdf")
    assert not result.ok
    differs = ("is not what the terms give", "page(s); the terms give")
    assert any(d in p for p in result.problems for d in differs), result.problems


@pytest.mark.parametrize(
    "data",
    [
        "<!-- negplan-terms: x" * 4_000,  # 88 KB of unclosed record openings
        "# Agreement\n" + " " * 30_000 + "\n<!-- negplan-terms: {} -->\n",  # a 30,000-space line
        "| " + " " * 30_000 + "-\n" * 3,
    ],
    ids=["unclosed-openings", "spaces", "spaces-before-a-rule"],
)
def test_crafted_markdown_is_answered_quickly(data: str) -> None:
    started = time.monotonic()
    with contextlib.suppress(InputError):
        verify_bytes(data.encode("utf-8"), "crafted.md")
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    "change",
    [
        {"payments": "x"},
        {"payments": [{"due": 5, "amount": "1.00", "note": ""}]},
        {"payments": []},
        {"balance": []},
        {"clauses": {"terms": 5}},
        {"contacts": None},
        {"creditor": ["a"]},
        {"option": "free_money"},
        {"issued": "9999-99-99"},
    ],
)
def test_records_of_wrong_shapes_fail_alone(
    agreements: dict[str, Path],  # noqa: F811
    tmp_path: Path,
    change: dict[str, Any],
) -> None:
    text = agreements["md"].read_text("utf-8")
    record_line = next(line for line in text.splitlines() if line.startswith("<!-- negplan"))
    envelope = json.loads(record_line.removeprefix("<!-- negplan-terms: ").removesuffix(" -->"))
    envelope["terms"].update(change)
    envelope["fingerprint"] = fingerprint(envelope["terms"])
    bad = tmp_path / "bad.md"
    bad.write_text(text.replace(record_line, f"<!-- negplan-terms: {json.dumps(envelope)} -->"))
    result = runner.invoke(app, ["verify", str(bad), str(agreements["md"])])
    assert result.exit_code == 1
    assert f"{bad}: ALTERED" in result.output
    assert "the embedded terms are damaged" in result.output
    assert "internal error" not in result.output
    assert f"ok {agreements['md']}" in result.output


def test_escapes_in_a_record_are_never_printed_raw(
    agreements: dict[str, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    text = agreements["md"].read_text("utf-8")
    record_line = next(line for line in text.splitlines() if line.startswith("<!-- negplan"))
    envelope = json.loads(record_line.removeprefix("<!-- negplan-terms: ").removesuffix(" -->"))
    envelope["terms"]["debtor"] = "Maria \x1b]0;owned\x07\x1b[31mLopez"
    bad = tmp_path / "bad.md"
    bad.write_text(text.replace(record_line, f"<!-- negplan-terms: {json.dumps(envelope)} -->"))
    result = runner.invoke(app, ["verify", str(bad)])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b" in result.output


def test_escapes_in_a_consistent_forgery_are_never_printed_raw(
    agreements: dict[str, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    from negplan.agreement.document import render_record

    record = _terms(agreements["html"].read_text("utf-8"))
    record["debtor"] = "Maria \x1b]0;owned\x07\x1b[31mLopez"
    forged = tmp_path / "forged.md"
    forged.write_text(str(render_record(record, "md")), "utf-8")
    result = runner.invoke(app, ["verify", str(forged)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
