"""The agreement document: words and figures, escaping, disclosures, PDF, outputs."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner

from negplan.agreement.document import asset_fetcher
from negplan.display import currency
from negplan.errors import OutputError
from negplan.io.templates import template_dirs
from negplan.shell.agreement_commands import check_stdout
from negplan.shell.app import app
from negplan.wording import amount_in_words, number_in_words
from tests.helpers import SAVER, agree, case_with, write_case

runner = CliRunner()


# ----------------------------------------------------------------------------- words and figures


@pytest.mark.parametrize(
    ("amount", "code", "locale", "words"),
    [
        ("5200.00", "USD", "en_US", "five thousand two hundred US dollars"),
        (
            "1733.33",
            "USD",
            "en_US",
            "one thousand seven hundred thirty-three US dollars and thirty-three cents",
        ),
        ("1.01", "USD", "en_US", "one US dollar and one cent"),
        ("0.50", "USD", "en_US", "fifty cents"),
        (
            "3630.24",
            "GBP",
            "en_GB",
            "three thousand six hundred and thirty pounds sterling and twenty-four pence",
        ),
        ("1005.01", "GBP", "en_GB", "one thousand and five pounds sterling and one penny"),
        ("240000.00", "INR", "en_IN", "two lakh forty thousand rupees"),
        (
            "12345678.90",
            "INR",
            "en_IN",
            "one crore twenty-three lakh forty-five thousand six hundred and seventy-eight rupees "
            "and ninety paise",
        ),
        ("2500000000", "USD", "en_US", "two billion five hundred million US dollars"),
        ("1500", "JPY", "en_US", "one thousand five hundred Japanese yen"),
    ],
)
def test_amounts_in_words(amount: str, code: str, locale: str, words: str) -> None:
    assert amount_in_words(Decimal(amount), code, locale) == words


def test_number_words_scales() -> None:
    assert number_in_words(0) == "zero"
    assert number_in_words(110, british=True) == "one hundred and ten"
    assert number_in_words(110) == "one hundred ten"
    assert number_in_words(10**9, indian=True) == "one hundred crore"


@pytest.mark.parametrize(
    ("amount", "code", "locale", "shown"),
    [
        ("1733.333", "USD", "en_US", "$1,733.33"),
        ("0.005", "USD", "en_US", "$0.01"),  # half up, never to even
        ("1733.33", "GBP", "en_GB", "£1,733.33"),
        ("1234567.50", "INR", "en_IN", "₹12,34,567.50"),
    ],
)
def test_currency_for_the_locale(amount: str, code: str, locale: str, shown: str) -> None:
    assert currency(Decimal(amount), code, locale) == shown


# ----------------------------------------------------------------------------- hostile case data

HOSTILE_NAME = "<script>alert(1)</script> {{ 7*7 }} *Bob* | x"
HOSTILE_ADDRESS = '</script><img src=x onerror="alert(2)"> --> <!-- & # [link](http://x)'


def hostile_case(folder: Path) -> Path:
    debtor = {**case_with()["debtor"], "name": HOSTILE_NAME, "address": HOSTILE_ADDRESS}
    creditor = {"name": "Ruiz & Sons <Collections>", "address": "1 <b>Main</b> St"}
    return write_case(folder, case_with(debtor=debtor, creditor=creditor))


def test_html_escapes_hostile_case_data(tmp_path: Path) -> None:
    case = hostile_case(tmp_path)
    result = agree(str(case), "--option", "plan_full_11m", "--format", "html")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "T-0001.agreement.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} *Bob* | x" in html
    assert "&lt;/script&gt;&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in html
    assert "Ruiz &amp; Sons &lt;Collections&gt;" in html
    assert "<img" not in html and "<b>Main" not in html and "alert(1)</script>" not in html
    # Only our own scripts: the record cannot close its script element or open a comment.
    assert html.count("<script") == 1 and html.count("</script>") == 1
    record = html.split('id="negplan-terms">')[1].split("</script>")[0]
    assert "<" not in record and ">" not in record
    assert json.loads(record)["terms"]["debtor"] == HOSTILE_NAME
    verified = runner.invoke(app, ["verify", str(tmp_path / "T-0001.agreement.html")])
    assert verified.exit_code == 0, verified.output


def test_markdown_shows_hostile_case_data_literally(tmp_path: Path) -> None:
    case = hostile_case(tmp_path)
    result = agree(str(case), "--option", "plan_full_11m")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "T-0001.agreement.md").read_text("utf-8")
    assert r"\<script\>alert(1)\</script\> {{ 7\*7 }} \*Bob\* \| x" in text
    assert r"--\> \<!-- & \# \[link\](http://x)" in text  # cannot end or start a comment
    assert text.count("\n<!-- negplan-terms: ") == 1
    verified = runner.invoke(app, ["verify", str(tmp_path / "T-0001.agreement.md")])
    assert verified.exit_code == 0, verified.output


# ----------------------------------------------------------------------------- the contents


def test_us_collector_and_time_barred_disclosures(tmp_path: Path) -> None:
    creditor = {
        "name": "Pacific Crest Portfolio Recovery LLC",
        "is_third_party_collector": True,
        "reports_to_credit_bureaus": True,
    }
    debt = {
        **case_with()["debt"],
        "first_delinquency": "2021-06-01",
        "last_payment": "2021-05-02",
    }
    case = write_case(tmp_path, case_with(creditor=creditor, debt=debt, finances=SAVER))
    result = agree(str(case), "--option", "settlement", "--amount", "5400")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "T-0001.agreement.md").read_text("utf-8")
    assert "This is a communication from a debt collector." in text
    # California's own words, with the reporting sentence because this collector reports.
    assert (
        "The law limits how long you can be sued on a debt. Because of the age of your debt, we "
        "will not sue you for it. If you do not pay the debt, Pacific Crest Portfolio Recovery "
        "LLC may continue to report it to the credit reporting agencies as unpaid for as long "
        "as the law permits this reporting. (Cal. Civ. Code § 1788.14(d))"
    ) in " ".join(text.split())
    assert "The $3,485.58 the Collector agrees not to pursue may be reported" in text
    # A signed promise could revive it (Cal. Code Civ. Proc. § 360): a confirmation instead.
    assert "The Debtor, " not in text
    assert "The Debtor does not need to sign it" in text
    assert "Form 1099-C" in text
    assert "updated to show the account as settled for less than the full balance" in text


def test_uk_agreement_in_pounds_with_debt_advice(tmp_path: Path) -> None:
    debtor = {**case_with()["debtor"], "timezone": "Europe/London"}
    creditor = {"name": "Pennine Card Services Ltd", "reports_to_credit_bureaus": True}
    data = case_with(jurisdiction="GB-ENG", currency="GBP", debtor=debtor, creditor=creditor)
    result = agree(str(write_case(tmp_path, data)), "--option", "plan_full_11m")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "T-0001.agreement.md").read_text("utf-8")
    assert "| **Balance owed** | **£8,885.58** |" in text
    assert "eight thousand eight hundred and eighty-five pounds sterling and fifty-eight pence" in (
        text
    )
    assert "MoneyHelper (moneyhelper.org.uk)" in text
    assert "Financial Ombudsman Service" in text
    assert "reported as subject to an arrangement to pay" in text
    assert "Free, independent" in text and "debt collector" not in text


def test_missed_payment_terms_follow_the_rules(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "agreements: {grace_period_days: 5, missed_payments_before_default: 2}\n", "utf-8"
    )
    case = write_case(tmp_path, case_with(finances=SAVER))
    args = ["--rules", str(rules), "--option", "settlement", "--amount", "7000"]
    args += ["--installments", "2"]
    result = agree(str(case), *args)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "T-0001.agreement.md").read_text("utf-8")
    assert "not been received within 5 days after its due date" in text
    assert "written notice of the missed payment, and the Debtor has 20 days" in text
    assert "in default only when 2 payments are missed and not made up." in text
    assert (
        "On default the reduction ends: the balance of $8,885.58, less every payment made "
        "under this agreement, is owed again"
    ) in text


def test_a_down_payment_in_html_and_pdf(tmp_path: Path) -> None:
    case = write_case(tmp_path, case_with(finances=SAVER))
    args = ["--option", "plan_full_11m", "--down-payment", "500"]
    result = agree(str(case), *args, "--out", str(tmp_path / "a.html"))
    assert result.exit_code == 0, result.output
    html = (tmp_path / "a.html").read_text("utf-8")
    assert '<span class="k">Down payment</span><span class="v">$500.00</span>' in html
    assert '<span class="k">Payments</span><span class="v">then 11 monthly</span>' in html
    assert '<span class="v">Monday 7 December 2026</span>' in html  # the first scheduled one
    assert (
        '<td class="num">Down</td><td class="date">Sunday 22 November 2026</td>'
        '<td class="num">$500.00</td>'
    ) in html
    result = agree(str(case), *args, "--out", str(tmp_path / "a.pdf"))
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(tmp_path / "a.pdf")
    flat = " ".join(" ".join((page.extract_text() or "") for page in reader.pages).split())
    assert "Down Sunday 22 November 2026 $500.00" in flat
    assert "Total $8,885.58" in flat
    for name in ("a.html", "a.pdf"):
        verified = runner.invoke(app, ["verify", str(tmp_path / name)])
        assert verified.exit_code == 0, verified.output
        assert "a down payment of $500.00 and 11 payments, total $8,885.58" in verified.output


@pytest.mark.parametrize("suffix", ["html", "pdf"])
def test_a_document_from_before_the_down_row_was_labelled_still_verifies(
    tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from negplan.agreement import document

    case = write_case(tmp_path, case_with(finances=SAVER))
    monkeypatch.setattr(document, "DOWN_ROW", "0")  # as negplan wrote it until issue 19
    args = ["--option", "plan_full_11m", "--down-payment", "500", "--out", f"{tmp_path}/a.{suffix}"]
    assert agree(str(case), *args).exit_code == 0
    monkeypatch.undo()
    text = (tmp_path / f"a.{suffix}").read_bytes()
    assert suffix == "pdf" or b'<td class="num">0</td>' in text
    verified = runner.invoke(app, ["verify", str(tmp_path / f"a.{suffix}")])
    assert verified.exit_code == 0, verified.output


def test_a_disputed_amount_in_html(tmp_path: Path) -> None:
    debtor = {**case_with()["debtor"], "flags": {"disputed": True, "disputed_amount": "200"}}
    case = write_case(tmp_path, case_with(debtor=debtor))
    result = agree(str(case), "--option", "plan_full", "--months", "6", "--format", "html")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "T-0001.agreement.html").read_text("utf-8")
    assert (
        '<tr class="sum"><th scope="row">Undisputed balance</th><td class="num">$8,685.58</td>'
    ) in html
    assert (
        '<tr><th scope="row">Disputed, set aside (not part of this agreement)</th>'
        '<td class="num">$200.00</td></tr>'
    ) in html
    assert "When every payment has been made, the undisputed balance will be paid in full." in html
    verified = runner.invoke(app, ["verify", str(tmp_path / "T-0001.agreement.html")])
    assert verified.exit_code == 0, verified.output


def test_an_attorney_represented_debtor_gets_it_through_the_attorney(tmp_path: Path) -> None:
    flags = {"attorney_represented": True, "attorney_contact": "R. Stein, Esq., 1500 Walnut St"}
    debtor = {**case_with()["debtor"], "flags": flags}
    result = agree(str(write_case(tmp_path, case_with(debtor=debtor))), "--option", "plan_full_11m")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "T-0001.agreement.md").read_text("utf-8")
    assert "represented by an attorney (R. Stein, Esq., 1500 Walnut St)" in text


# ----------------------------------------------------------------------------- outputs


def test_pdf_reads_back_with_names_amounts_and_record(tmp_path: Path) -> None:
    case = write_case(tmp_path, case_with())
    result = agree(str(case), "--option", "plan_full_11m", "--out", str(tmp_path / "deal.pdf"))
    assert result.exit_code == 0, result.output  # the format follows the --out suffix
    pdf = tmp_path / "deal.pdf"
    assert pdf.stat().st_mode & 0o777 == 0o600
    reader = pypdf.PdfReader(pdf)
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    flat = " ".join(text.split())
    for expected in (
        "Northwind Lending LLC",
        "Maria Lopez",
        "****4821",
        "Balance owed $8,885.58",
        "1 Monday 7 December 2026 $807.78",
        "11 Wednesday 6 October 2027 $807.78",
        "Total $8,885.58",
    ):
        assert expected in flat, expected
    record = json.loads(reader.attachments["negplan-terms.json"][0])
    fingerprint = record["fingerprint"]
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", fingerprint)
    assert fingerprint in flat
    assert reader.metadata is not None and reader.metadata["/Subject"] == fingerprint
    assert record["terms"]["total"] == "8885.58"
    assert len(record["terms"]["payments"]) == 11


def test_the_pdf_fetches_nothing_but_package_assets() -> None:
    fetcher = asset_fetcher()
    for url in (
        "http://127.0.0.1:9/x.css",
        "https://example.com/logo.png",
        "file:///etc/passwd",
        "data:text/css,body{}",
        f"file://{template_dirs()[0].resolve()}/../pyproject.toml",
    ):
        with pytest.raises(ValueError, match="fetches nothing but its own assets"):
            fetcher(url)
    own = (template_dirs()[0] / "agreement.css").resolve().as_uri()
    response = fetcher(own)
    body = response.read() if hasattr(response, "read") else response["string"]
    assert b"@page" in body


def test_stdout_and_formats(tmp_path: Path) -> None:
    case = write_case(tmp_path, case_with())
    result = agree(str(case), "--option", "plan_full_11m", "--out", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Repayment plan agreement")
    assert "fingerprint sha256:" in result.stderr
    result = agree(str(case), "--option", "plan_full_11m", "--format", "pdf", "--out", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"%PDF-")
    assert pypdf.PdfReader(io.BytesIO(result.stdout_bytes)).pages
    result = agree(str(case), "--option", "plan_full_11m", "--out", str(tmp_path / "a.html"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a.html").read_text("utf-8").startswith("<!DOCTYPE html>")
    assert not (tmp_path / "T-0001.agreement.md").exists()


def test_same_inputs_same_bytes(tmp_path: Path) -> None:
    case = write_case(tmp_path, case_with())
    outputs = []
    for run in range(2):
        for fmt in ("md", "pdf"):
            out = tmp_path / f"{run}.{fmt}"
            result = agree(str(case), "--option", "plan_full_11m", "--out", str(out))
            assert result.exit_code == 0, result.output
            outputs.append(out.read_bytes())
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]


def test_reading_the_case_from_stdin_writes_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = write_case(tmp_path, case_with(), name="in.yaml")
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    result = runner.invoke(
        app,
        ["agreement", "-", "--option", "plan_full_11m", "--as-of", "2026-11-22"],
        input=case.read_text("utf-8"),
    )
    assert result.exit_code == 0, result.output
    assert (out / "T-0001.agreement.md").exists()


def test_a_pdf_is_never_written_to_a_terminal() -> None:
    with pytest.raises(OutputError, match="refusing to write a PDF to a terminal"):
        check_stdout("pdf", is_terminal=True)
    check_stdout("pdf", is_terminal=False)
    check_stdout("md", is_terminal=True)
