"""A reminder texted to the debtor's mobile (SPEC §9): the message, and the sheet that sends it.

A text must be short, so it says only what the reminder letter's first sentence says (who is
writing, the amount, the due date), the number to call, and how to stop texts: a clear and
reasonable way to opt out of electronic communications, which every such message must carry
(12 CFR 1006.6(e)). A collector repeats that it is one (15 U.S.C. § 1692e(11)).

A text sent at an inconvenient time is as unlawful as a call (12 CFR 1006.6(b)(1)(i) applies to
electronic communications), so the file written for each text states the number it goes to, the
day and the debtor's lawful window, and the text itself; the executive or gateway sends it then.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from negplan.core.followup_terms import Action, AgreedTerms
from negplan.wording import Figures, document_locale, weekday_text

#: The opt-out instruction every text carries (12 CFR 1006.6(e)); ``STOP`` is the keyword
#: carriers and gateways honour (CTIA Messaging Principles and Best Practices §5).
STOP_SENTENCE: Final = "Reply STOP to stop texts."


def _collector_sentence(t: AgreedTerms) -> str:
    """The collector disclosure without its citation (which a text has no room for)."""
    text, sep, _rule = t.collector_notice.rpartition(" (")
    return text if sep else t.collector_notice


def sms_text(action: Action, t: AgreedTerms) -> str:
    """The reminder as one short text: creditor, amount, due date, the number, how to stop."""
    assert action.amount is not None and action.by is not None
    fig = Figures(t.currency, document_locale(t.jurisdiction))
    parts = [
        f"{t.creditor}: payment {action.installment} of {fig.money(action.amount)} on account "
        f"{t.account_ref} is due {weekday_text(action.by)}.",
        "Already paid? Thank you, ignore this.",
    ]
    if t.creditor_phone:
        parts.append(f"Can't pay? Call {t.creditor_phone}.")
    if t.collector_notice:
        parts.append(_collector_sentence(t))
    parts.append(STOP_SENTENCE)
    return " ".join(parts)


def sms_sheet(action: Action, t: AgreedTerms, day: date) -> str:
    """What the executive (or an SMS gateway) needs to send the text lawfully on ``day`` (the
    day ``followup`` issues it), then the text."""
    text = sms_text(action, t)
    window = action.window or "the debtor's lawful hours"
    return "\n".join(
        (
            f"SMS reminder for {action.case_id} ({action.key})",
            f"To: {t.debtor_mobile}",
            f"Send on: {day.isoformat()}, only within {window}",
            f"A reply of STOP is an opt-out of texts: record it (negplan log {action.case_id} "
            "--opt-out sms) and send no more texts (12 CFR 1006.6(e), 1006.14(h)).",
            f"Message ({len(text)} characters):",
            "",
            text,
            "",
        )
    )
