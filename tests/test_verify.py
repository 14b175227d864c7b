"""`negplan verify`: untouched agreements pass; one changed digit anywhere meaningful fails."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner

from negplan.agreement.document import html_to_pdf, pdf_html
from negplan.agreement.verify import verify_bytes
from negplan.shell.app import app
from tests.helpers import SAVER, agree, case_with, write_case

runner = CliRunner()


@pytest.fixture(scope="module")
def agreements(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One deal with every kind of content: settlement in installments with a moved date,
    disclosures with citations, credit reporting and an approval, in all three formats."""
    folder = tmp_path_factory.mktemp("agreements")
    creditor = {
        "name": "Pacific Crest Portfolio Recovery LLC",
        "address": "1010 J St, Suite 600, Sacramento, CA 95814",
        "phone": "+1 916 555 0190",
        "is_third_party_collector": True,
        "reports_to_credit_bureaus": True,
    }
    debt = {**case_with()["debt"], "first_delinquency": "2021-06-01", "last_payment": "2021-05-02"}
    debtor = {**case_with()["debtor"], "address": "3527 Freeport Blvd, Sacramento, CA 95818"}
    case = write_case(
        folder, case_with(creditor=creditor, debt=debt, debtor=debtor, finances=SAVER)
    )
    files = {}
    for fmt in ("md", "html", "pdf"):
        out = folder / f"deal.{fmt}"
        result = agree(
            str(case),
            *("--option", "settlement", "--amount", "5400", "--installments", "2"),
            *("--approved-by", "Dana Whitfield", "--first-due", "2026-12-05", "--out", str(out)),
        )
        assert result.exit_code == 0, result.output
        files[fmt] = out
    return files


def verify(path: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["verify", str(path)])
    return result.exit_code, result.output


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_untouched_files_pass(agreements: dict[str, Path], fmt: str) -> None:
    code, output = verify(agreements[fmt])
    assert code == 0, output
    assert output.startswith(f"ok {agreements[fmt]}: unaltered agreement T-0001 between")
    assert "2 payments, total $5,400.00" in output


def test_every_format_carries_the_same_fingerprint(agreements: dict[str, Path]) -> None:
    prints = {verify_bytes(p.read_bytes(), p.name).fingerprint for p in agreements.values()}
    assert len(prints) == 1


def changed(text: str, index: int) -> str:
    return text[:index] + str((int(text[index]) + 1) % 10) + text[index + 1 :]


def test_one_changed_digit_anywhere_in_markdown_fails(agreements: dict[str, Path]) -> None:
    text = agreements["md"].read_text("utf-8")
    record_at = text.index("\n<!-- negplan-terms: ")
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    visible = [i for i in digits if i < record_at and not _in_heading(text, i)]
    recorded = [i for i in digits if i > record_at][::5]
    assert len(visible) > 200 and len(recorded) > 50
    for i in visible + recorded:
        result = verify_bytes(changed(text, i).encode("utf-8"), "deal.md")
        assert not result.ok, text[max(0, i - 40) : i + 10]


def _in_heading(text: str, index: int) -> bool:
    """Section numbers ("## 4. Payment schedule") are the only digits with no meaning."""
    return text[text.rfind("\n", 0, index) + 1 :].startswith("#")


def test_one_changed_digit_anywhere_visible_in_html_fails(agreements: dict[str, Path]) -> None:
    html = agreements["html"].read_text("utf-8")
    body = html.index("<body>")
    script = html.index('<script type="application/json"')
    text_digits = [
        m.start() + j
        for m in re.finditer(r">([^<]+)<", html[body:script])
        for j, c in enumerate(m.group(0))
        if c.isdigit()
    ]
    assert len(text_digits) > 200
    for i in text_digits[::2]:
        result = verify_bytes(changed(html, body + i).encode("utf-8"), "deal.html")
        assert not result.ok, html[body + i - 40 : body + i + 10]


def test_reports_say_what_changed(agreements: dict[str, Path], tmp_path: Path) -> None:
    text = agreements["md"].read_text("utf-8")
    row = "| 2 | Tuesday 5 January 2027 | $2,700.00 |"
    assert row in text
    altered = tmp_path / "altered.md"
    altered.write_text(text.replace(row, row.replace("$2,700.00", "$2,700.01")), "utf-8")
    code, output = verify(altered)
    assert code == 1
    assert f"error: {altered}: ALTERED" in output
    assert (
        "schedule: payment 2 shows $2,700.01 on Tuesday 5 January 2027; the terms say "
        "$2,700.00 on Tuesday 5 January 2027"
    ) in output
    assert "an amount $2,700.01 appears that the terms do not contain" in output
    line = next(n for n, text_line in enumerate(text.splitlines(), 1) if row in text_line)
    assert (
        f"line {line} is not what the terms give: it reads “| 2 | Tuesday 5 January 2027 | "
        "$2,700.01 |"
    ) in output


def test_a_changed_record_fails_even_with_the_text_left_alone(
    agreements: dict[str, Path], tmp_path: Path
) -> None:
    text = agreements["md"].read_text("utf-8")
    forged = tmp_path / "forged.md"
    forged.write_text(text.replace('"amount": "2700.00"', '"amount": "2000.00"', 1), "utf-8")
    code, output = verify(forged)
    assert code == 1
    assert "the embedded terms do not match their fingerprint" in output


def test_pdf_metadata_digit_changed(agreements: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(agreements["pdf"])
    assert reader.metadata is not None
    subject = str(reader.metadata["/Subject"])
    i = next(i for i, c in enumerate(subject) if c.isdigit() and i > len("sha256:"))
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.add_metadata({"/Subject": changed(subject, i)})
    buffer = io.BytesIO()
    writer.write(buffer)
    result = verify_bytes(buffer.getvalue(), "deal.pdf")
    assert not result.ok
    assert any("the pages draw the same, but the file is not the PDF" in p for p in result.problems)


def _record_for_pdf(html: str) -> str:
    return html.split('id="negplan-terms">')[1].split("</script>")[0]


def test_pdf_with_one_visible_digit_changed_fails(agreements: dict[str, Path]) -> None:
    record = json.loads(_record_for_pdf(agreements["html"].read_text("utf-8")))["terms"]
    html = pdf_html(record)
    issued = date(2026, 11, 22)
    same = verify_bytes(html_to_pdf(html, _record_for_pdf(html), issued), "same.pdf")
    assert same.ok, same.problems
    # The second payment's amount, as printed in the schedule table.
    cell = '<td class="num">$2,700.00</td><td class="note"></td>'
    assert html.count(cell) == 1
    edited = html.replace(cell, cell.replace("$2,700.00", "$2,709.00"))
    result = verify_bytes(html_to_pdf(edited, _record_for_pdf(html), issued), "edited.pdf")
    assert not result.ok
    assert any(p.startswith("schedule: payment 2 shows $2,709.00") for p in result.problems)


def test_pdf_with_a_changed_record_fails(agreements: dict[str, Path]) -> None:
    html = agreements["html"].read_text("utf-8")
    record = _record_for_pdf(html).replace('"amount": "2700.00"', '"amount": "2000.00"', 1)
    result = verify_bytes(html_to_pdf(html, record, date(2026, 11, 22)), "forged.pdf")
    assert not result.ok
    assert any("do not match their fingerprint" in p for p in result.problems)


def test_the_pdf_record_is_the_embedded_file(agreements: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(agreements["pdf"])
    envelope = json.loads(reader.attachments["negplan-terms.json"][0])
    assert set(envelope) == {"fingerprint", "terms"}
    assert envelope["terms"]["approved_by"] is None  # never shown to the debtor (SPEC §6a)
    assert [p["amount"] for p in envelope["terms"]["payments"]] == ["2700.00", "2700.00"]


def test_files_that_are_not_agreements(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# Call notes\n\nPaid $20.\n", "utf-8")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\xff\xfe")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n garbage")
    for path, message in (
        (notes, "not a negplan agreement: no embedded terms found"),
        (binary, "not a negplan agreement (not text or PDF)"),
        (broken, "not a readable PDF"),
        (tmp_path / "missing.md", "no such file"),
    ):
        code, output = verify(path)
        assert code == 1, output
        assert message in output
        assert "Traceback" not in output


def test_one_bad_file_fails_the_run(agreements: dict[str, Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text(agreements["html"].read_text("utf-8").replace("Debtor", "Dbtor"), "utf-8")
    result = runner.invoke(app, ["verify", str(agreements["md"]), str(bad)])
    assert result.exit_code == 1
    assert f"ok {agreements['md']}" in result.output
    assert f"{bad}: ALTERED" in result.output


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_line_endings_and_a_byte_order_mark_are_not_alterations(
    agreements: dict[str, Path], fmt: str
) -> None:
    data = agreements[fmt].read_bytes().replace(b"\n", b"\r\n")
    result = verify_bytes(b"\xef\xbb\xbf" + data, f"deal.{fmt}")
    assert result.ok, result.problems


def test_case_data_cannot_forge_a_second_record(tmp_path: Path) -> None:
    fake = '<!-- negplan-terms: {"fingerprint": "x", "terms": {}} -->'
    debtor = {**case_with()["debtor"], "address": fake}
    case = write_case(tmp_path, case_with(debtor=debtor))
    result = agree(str(case), "--option", "plan_full_11m")
    assert result.exit_code == 0, result.output
    code, output = verify(tmp_path / "T-0001.agreement.md")
    assert code == 0, output


@pytest.fixture(scope="module")
def down_and_disputed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A settlement with a down payment on a partly disputed debt, in Markdown."""
    folder = tmp_path_factory.mktemp("down")
    debtor = {**case_with()["debtor"], "flags": {"disputed": True, "disputed_amount": "200"}}
    case = write_case(folder, case_with(debtor=debtor, finances=SAVER))
    out = folder / "deal.md"
    result = agree(
        str(case),
        *("--option", "settlement", "--amount", "7000", "--installments", "2"),
        *("--down-payment", "1000", "--out", str(out)),
    )
    assert result.exit_code == 0, result.output
    return out


def test_the_down_payment_row_and_the_disputed_line_are_checked(
    down_and_disputed: Path, tmp_path: Path
) -> None:
    text = down_and_disputed.read_text("utf-8")
    code, output = verify(down_and_disputed)
    assert code == 0, output
    row = (
        "| Down | Sunday 22 November 2026 | $1,000.00 "
        "| down payment, received on the date of this agreement |"
    )
    disputed = "| Disputed, set aside (not part of this agreement) | $200.00 |"
    assert row in text and disputed in text
    for old, new, problem in (
        (row, row.replace("$1,000.00", "$1,500.00"), "schedule: the down payment shows $1,500.00"),
        (row, "", "schedule: the down payment ($1,000.00 on Sunday 22 November 2026) is missing"),
        (disputed, disputed.replace("$200.00", "$20.00"), "balance: the document no longer says"),
    ):
        altered = tmp_path / "altered.md"
        altered.write_text(text.replace(old, new), "utf-8")
        code, output = verify(altered)
        assert code == 1
        assert problem in output, output


def test_verify_says_it_detects_alteration_not_forgery() -> None:
    result = runner.invoke(app, ["verify", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "detects alteration, not forgery" in flat
    assert "unkeyed SHA-256" in flat
