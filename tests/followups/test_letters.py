"""Letters: one golden Markdown letter of each kind (reviewed by eye), and ``verify`` on each
letter in every format, including catching a changed figure."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from negplan.core.followup_terms import Action, ActionKind, AgreedTerms
from negplan.letters.document import render_letter
from negplan.letters.verify import verify_bytes
from tests.followups.story import CASE, PAID_AT_ONCE, TERMS, arrangement, play
from tests.golden import assert_golden

#: The agreement's own words, as main's agreements write them (negplan.agreement.clauses).
UK = replace(
    TERMS,
    payment_clause="How to pay: Pay by bank transfer to Thames Credit Ltd, sort code 40-47-84, "
    "account 70872490, or by debit card on 0800 000 0000. Quote the reference UK-2026-0042 with "
    "every payment.",
    default_clause="On default the Creditor may end this agreement: the balance of £500.00, less "
    "the payments made under this agreement, is owed and the Creditor may resume collection.",
    decided=("agency",),
)
US = replace(
    TERMS,
    payment_clause="How to pay: ask the Creditor by calling +1 800 555 0100 for its payment "
    "details, and quote the reference UK-2026-0042 with every payment. Pay only into an account "
    "in the name of Northwind Lending LLC.",
    default_clause="On default the Creditor may end this agreement: the balance of $500.00, less "
    "the payments made under this agreement, is owed and the Creditor may resume collection.",
    decided=("credit_reporting", "litigation"),
    litigation_until=date(2030, 1, 1),
    jurisdiction="US-CA",
    country="US",
    currency="USD",
    creditor="Northwind Lending LLC",
    creditor_phone="+1 800 555 0100",
    creditor_address="100 Market St, San Francisco, CA 94105",
    debtor="Maria *Lopez*",  # case data is data: Markdown must print it literally
    debtor_address="2457 Mission St, Apt 3, San Francisco, CA 94110",
    account_ref="****4821",
    collector_notice="This communication is from a debt collector. (15 U.S.C. § 1692e(11))",
)
ISSUED = date(2027, 2, 2)


def _letters() -> dict[str, tuple[Action, AgreedTerms]]:
    """One action of each letter kind, from the UK story and a US variant of it."""
    from negplan.core.ledger_events import CaseHistory
    from tests.followups.story import paid

    payments = (
        paid(date(2026, 12, 3), "100.00", 1),
        paid(date(2026, 12, 12), "100.00", 2),
        paid(date(2026, 12, 24), "100.00", 3),
        paid(date(2027, 2, 2), "200.00", 4),
    )
    found: dict[str, tuple[Action, AgreedTerms]] = {}
    for terms in (UK, US):
        history = CaseHistory(CASE, arrangements=(arrangement(),), payments=payments)
        for actions in play(history, date(2026, 11, 29), date(2027, 3, 1), terms=terms).values():
            for a in (a for a in actions if a.is_letter):
                name = f"{terms.country.lower()}-{a.kind.value}"
                found.setdefault(name, (a, terms))
    settled = replace(US, settlement=True, balance=Decimal("1200.00"))
    history = CaseHistory(CASE, arrangements=(arrangement(),), payments=PAID_AT_ONCE)
    done = play(history, date(2026, 12, 1), date(2026, 12, 1), terms=settled)
    found["us-settled_in_full"] = (done[date(2026, 12, 1)][-1], settled)
    return found


LETTERS = _letters()


def test_every_letter_kind_is_covered() -> None:
    kinds = {a.kind for a, _ in LETTERS.values()}
    assert kinds == set(ActionKind) - {ActionKind.call_task}


@pytest.mark.parametrize("name", sorted(LETTERS))
def test_golden_letter(name: str) -> None:
    action, terms = LETTERS[name]
    document = render_letter(action, terms, action.on, "md")  # issued the day it is due
    assert isinstance(document.content, str)
    assert_golden(
        document.content, f"letters/{name}.md", test_file="tests/followups/test_letters.py"
    )


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("name", sorted(LETTERS))
def test_verify_accepts_each_letter_and_catches_a_changed_figure(name: str, fmt: str) -> None:
    action, terms = LETTERS[name]
    document = render_letter(action, terms, ISSUED, fmt)  # type: ignore[arg-type]
    assert isinstance(document.content, str)
    result = verify_bytes(document.content.encode(), name)
    assert result.ok, result.problems
    assert result.fingerprint == document.fingerprint
    altered = document.content.replace("100.00", "10.00", 1).replace("2 February", "3 February", 1)
    assert altered != document.content
    assert not verify_bytes(altered.encode(), name).ok


def test_the_us_letters_carry_what_the_law_requires() -> None:
    reminder = render_letter(*LETTERS["us-reminder"], ISSUED, "md").content
    assert "reply to this email with the word STOP" in str(reminder)  # 12 CFR 1006.6(e)
    assert "from a debt collector" in str(reminder)  # 15 U.S.C. § 1692e(11)
    settled = str(render_letter(*LETTERS["us-settled_in_full"], ISSUED, "md").content)
    assert "Form 1099-C" in settled and "$700.00" in settled
    paid_in_full = str(render_letter(*LETTERS["us-paid_in_full"], ISSUED, "md").content)
    assert "1099-C" not in paid_in_full  # nothing was forgiven


def test_a_small_settlement_has_no_1099c_note() -> None:
    action, terms = LETTERS["us-settled_in_full"]
    small = replace(action, forgiven=Decimal("599.99"))
    assert "1099-C" not in str(render_letter(small, terms, ISSUED, "md").content)


def test_every_letter_kind_as_pdf_verifies(tmp_path: Path) -> None:
    for name, (action, terms) in sorted(LETTERS.items()):
        document = render_letter(action, terms, ISSUED, "pdf")
        assert isinstance(document.content, bytes)
        (tmp_path / f"{name}.pdf").write_bytes(document.content)
        result = verify_bytes(document.content, name)
        assert result.ok, (name, result.problems)
