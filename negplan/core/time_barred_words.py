"""The words said and printed about a time-barred debt (SPEC §6a "Words").

A time-barred debt may still be collected, but only with the truth told about it. Where a US
state prescribes the words (``negplan/data/compliance/us_time_barred_words.yaml``, each with its
citation: Cal. Civ. Code § 1788.14(d), 940 CMR 7.07(24), 12.2.12.9 NMAC, 23 NYCRR § 1.3(c),
Tex. Fin. Code § 392.307, W. Va. Code § 46A-2-128(f)), :func:`time_barred_notice` returns those
words, word for word, for this creditor: the credit-reporting sentence follows whether *this*
creditor reports and whether the debt is still reportable (15 U.S.C. § 1681c(a)(4), (c)), never
a step it will not take (15 U.S.C. § 1692e(5)). Elsewhere in the US it returns the federal model
wording (12 CFR 1006.26(b) and the CFPB's proposed safe harbour). A state whose duty is known
only as a summary (Connecticut, North Carolina) gets the federal wording to read and the summary
as a caution to adapt with counsel: a paraphrase is never put in an executive's mouth.

:func:`acknowledgment_revives` says whether a written promise the debtor signs could restart the
period: where it could, the written record of a deal is a confirmation the creditor issues and
the debtor does not sign (docs/decisions.md, "Time-barred debts: a confirmation, not a
signature").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta

from negplan.core.case import Case, CreditorKind
from negplan.core.tables import StateDisclosure, Tables
from negplan.jurisdictions import parse_jurisdiction

#: The federal model wording (CFPB proposed 12 CFR 1006.26(c) safe harbour, the same first
#: sentences as Cal. Civ. Code § 1788.14(d)): no suit, and the reporting sentence when true.
FEDERAL_WORDS = {
    "reported": (
        "The law limits how long you can be sued on a debt. Because of the age of your debt, "
        "{owner} will not sue you for it. If you do not pay the debt, {collector} may continue "
        "to report it to the credit reporting agencies as unpaid for as long as the law permits "
        "this reporting."
    ),
    "not_reported": (
        "The law limits how long you can be sued on a debt. Because of the age of your debt, "
        "{owner} will not sue you for it, and {collector} will not report it to any credit "
        "reporting agency."
    ),
}
FEDERAL_CITATION = "12 CFR 1006.26(b)"


@dataclass(frozen=True)
class TimeBarredNotice:
    """What is read out on the call and printed in the agreement, with its citation.

    ``revival`` is true when the words themselves warn that paying or promising may restart the
    period. ``summary`` is a state duty known only as a paraphrase: for the executive, to adapt
    with counsel, never read out.
    """

    words: str
    citation: str
    revival: bool
    summary: StateDisclosure | None = field(default=None)

    @property
    def text(self) -> str:
        """The words followed by their citation, as printed."""
        return f"{self.words} ({self.citation})"


def reportable(case: Case, as_of: date) -> bool:
    """Still within the US reporting period: 7 years and 180 days from the start of the
    delinquency (15 U.S.C. § 1681c(a)(4), (c)(1))."""
    return as_of < case.debt.first_delinquency + relativedelta(years=7, days=180)


def owner_name(case: Case) -> str:
    """The creditor that owns the debt: an agency's client when the case names it, else the
    creditor on file (SPEC §2a ``creditor.client``)."""
    creditor = case.creditor
    if creditor.effective_kind is CreditorKind.collection_agency and creditor.client:
        return creditor.client
    return creditor.name


def time_barred_notice(case: Case, tables: Tables, as_of: date) -> TimeBarredNotice | None:
    """The notice for a time-barred US debt (call it only for one); ``None`` outside the US."""
    jurisdiction = parse_jurisdiction(case.jurisdiction)
    if jurisdiction.country != "US":
        return None
    reports = case.creditor.reports_to_credit_bureaus
    still = reportable(case, as_of)
    names = {"owner": owner_name(case), "collector": case.creditor.name}
    state = tables.time_barred_words.get(jurisdiction.code)
    kind = case.creditor.effective_kind
    if state is not None and kind in state.applies_to:
        if jurisdiction.code in tables.payment_does_not_revive and state.no_revival:
            words, revival = state.no_revival, False
        elif not still:
            words = state.obsolete or state.not_reported or state.reported
            revival = state.revival
        elif reports:
            words, revival = state.reported, state.revival
        else:
            words, revival = state.not_reported or state.reported, state.revival
        return TimeBarredNotice(_fill(words, names), state.citation, revival)
    federal = FEDERAL_WORDS["reported" if reports and still else "not_reported"]
    summary = tables.disclosures.get(jurisdiction.code)
    if summary is not None and not summary.requires_disclosure.startswith(("yes", "partial")):
        summary = None
    if state is not None:
        summary = None  # the state's words exist but do not bind this kind of creditor
    return TimeBarredNotice(_fill(federal, names), FEDERAL_CITATION, False, summary)


def _fill(words: str, names: Mapping[str, str]) -> str:
    """The words with the names put in (upper case where the statute writes in capitals)."""
    shout = words.isupper() or words[:40].isupper()
    filled = words
    for key, name in names.items():
        filled = filled.replace("{" + key + "}", name.upper() if shout else name)
    return " ".join(filled.split())


def acknowledgment_revives(case: Case, tables: Tables) -> bool:
    """Could a written promise signed by the debtor restart the period of a time-barred debt?

    Not where the law says nothing revives it: New York consumer credit (CPLR 214-i), a Texas
    debt buyer's debt (Tex. Fin. Code § 392.307(d)), England, Wales and Northern Ireland
    (Limitation Act 1980 s.29(7); Limitation (NI) Order 1989 art. 53). Elsewhere it could
    (e.g. NMSA 1978 § 37-1-16, 940 CMR 7.07(24), Cal. Code Civ. Proc. § 360; India: Indian
    Contract Act 1872 s.25(3)), so the written record must not be one the debtor signs.
    """
    jurisdiction = parse_jurisdiction(case.jurisdiction)
    if jurisdiction.code in tables.payment_does_not_revive:
        return False
    if jurisdiction.code == "US-TX" and case.creditor.effective_kind is CreditorKind.debt_buyer:
        return False
    return jurisdiction.code not in ("GB-ENG", "GB-WLS", "GB-NIR", "GB")
