"""The words said and printed about a time-barred debt (SPEC §6a "Words").

A time-barred debt may still be collected, but only with the truth told about it. Where a US
state prescribes the words (``negplan/data/compliance/us_time_barred_words.yaml``, each with its
citation: Cal. Civ. Code §§ 1788.14(d) and, for a debt buyer, 1788.52(d), 940 CMR 7.07(24),
12.2.12.9 NMAC, 23 NYCRR § 1.3(c), and in New York City NYC Admin. Code § 20-493.2(b) and
6 RCNY § 2-191, Tex. Fin. Code § 392.307, W. Va. Code § 46A-2-128(f)), :func:`time_barred_notice`
returns those words, word for word, for this creditor: the credit-reporting sentence follows
whether *this*
creditor reports and whether the debt is still reportable (15 U.S.C. § 1681c(a)(4), (c)), never
a step it will not take (15 U.S.C. § 1692e(5)). Elsewhere in the US it returns the federal model
wording (12 CFR 1006.26(b) and the CFPB's proposed safe harbour). A state whose duty is known
only as a summary (Connecticut, North Carolina) gets the federal wording to read and the summary
as a caution to adapt with counsel: a paraphrase is never put in an executive's mouth. Words
not yet checked word for word against the official text (each row's ``verified``) are still
read and printed, the best text reachable, and the notice says so, so that the script and the
brief tell the executive to have them confirmed with counsel (docs/decisions.md, "Unverified
time-barred words").

:func:`acknowledgment_revives` says whether a written promise the debtor signs could restart the
period: where it could, the written record of a deal is a confirmation the creditor issues and
the debtor does not sign (docs/decisions.md, "Time-barred debts: a confirmation, not a
signature").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from datetime import date

from dateutil.relativedelta import relativedelta

from negplan.core.case import Case, CreditorKind
from negplan.core.compliance.locations import address_places
from negplan.core.tables import StateDisclosure, StateWords, Tables
from negplan.jurisdictions import parse_jurisdiction
from negplan.records import record

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


@record
class NoticePart:
    """One rule's words, and the rule printed after them."""

    words: str
    citation: str
    #: Printed next to the amount claimed, set off in color (6 RCNY § 2-191).
    beside_amount: bool = False


@record
class TimeBarredNotice:
    """What is read out on the call and printed in the agreement, with its citations.

    ``parts`` are the rules' words in order: usually one; two where two rules each prescribe
    their own (a California debt buyer: Cal. Civ. Code §§ 1788.14(d) and 1788.52(d)).
    ``revival`` is true when the words themselves warn that paying or promising may restart the
    period. ``summary`` is a state duty known only as a paraphrase: for the executive, to adapt
    with counsel, never read out. ``unverified`` says, for each part whose words were not all
    checked against the official text, what they were checked against: the script and the brief
    tell the executive to have them confirmed with counsel. ``print_notes`` say how a written
    notice must be set out (New York City's type size, color and placement), each with its rule.
    """

    parts: tuple[NoticePart, ...]
    revival: bool
    summary: StateDisclosure | None = field(default=None)
    unverified: tuple[str, ...] = ()
    print_notes: tuple[tuple[str, str], ...] = ()

    @property
    def words(self) -> str:
        """Every part's words, in order."""
        return " ".join(part.words for part in self.parts)

    @property
    def citation(self) -> str:
        """Every part's rule, in order."""
        return "; ".join(part.citation for part in self.parts)

    @property
    def texts(self) -> list[str]:
        """Each part's words followed by its citation: one disclosure each, as printed."""
        return [f"{part.words} ({part.citation})" for part in self.parts]

    def printed(self, *, beside_amount: bool) -> list[str]:
        """The parts a document prints next to the amount claimed, or with the other
        disclosures."""
        return [
            f"{part.words} ({part.citation})"
            for part in self.parts
            if part.beside_amount is beside_amount
        ]


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


def state_rows(case: Case, tables: Tables) -> list[StateWords]:
    """The rows of prescribed words that bind this creditor where this debtor is: the state's
    (``case.jurisdiction``) and, within it, New York City's for an address in the five boroughs
    (:func:`~negplan.core.compliance.locations.address_places`), less any row another one
    supersedes (the city's rule over the State's: NYC's letter of 2015-07-31)."""
    code = parse_jurisdiction(case.jurisdiction).code
    places = {code, *(place for place in address_places(case) if place.startswith(f"{code}-"))}
    kind = case.creditor.effective_kind
    rows = [
        row
        for row in tables.time_barred_words.values()
        if (row.place or row.code) in places and kind in row.applies_to
    ]
    replaced = {name for row in rows for name in row.supersedes}
    return [row for row in rows if row.code not in replaced]


def time_barred_notice(case: Case, tables: Tables, as_of: date) -> TimeBarredNotice | None:
    """The notice for a time-barred US debt (call it only for one); ``None`` outside the US."""
    jurisdiction = parse_jurisdiction(case.jurisdiction)
    if jurisdiction.country != "US":
        return None
    reports = case.creditor.reports_to_credit_bureaus
    still = reportable(case, as_of)
    names = {"owner": owner_name(case), "collector": case.creditor.name}
    rows = state_rows(case, tables)
    if rows:
        no_revival = jurisdiction.code in tables.payment_does_not_revive
        parts: list[NoticePart] = []
        revival = False
        for row in rows:
            words, warns = _variant(row, no_revival=no_revival, reports=reports, still=still)
            cited = row.no_revival_citation if words == row.no_revival else None
            parts.append(NoticePart(_fill(words, names), cited or row.citation, row.beside_amount))
            revival = revival or warns
        return TimeBarredNotice(
            tuple(parts),
            revival,
            unverified=tuple(
                f"{row.citation}: {' '.join(row.checked.split())}"
                for row in rows
                if not row.verified
            ),
            print_notes=tuple(
                (" ".join(r.print_note.split()), r.citation) for r in rows if r.print_note
            ),
        )
    federal = FEDERAL_WORDS["reported" if reports and still else "not_reported"]
    summary = tables.disclosures.get(jurisdiction.code)
    if summary is not None and not summary.requires_disclosure.startswith(("yes", "partial")):
        summary = None
    if any(
        (row.place or row.code) == jurisdiction.code for row in tables.time_barred_words.values()
    ):
        summary = None  # the state's words exist but do not bind this kind of creditor
    return TimeBarredNotice((NoticePart(_fill(federal, names), FEDERAL_CITATION),), False, summary)


def notice_cautions(notice: TimeBarredNotice) -> list[tuple[str, str, str]]:
    """What the executive must know about the notice, as (check, message, rule) cautions: a
    state duty known only as a summary (to adapt with counsel, never read out); words not yet
    checked word for word against the official text (to confirm with counsel before reading
    them out or sending them); how a written notice must be set out (6 RCNY § 2-191)."""
    out: list[tuple[str, str, str]] = []
    row = notice.summary
    if row is not None:
        out.append(
            (
                "time_barred_state_duty",
                f"{row.state} may require its own time-barred-debt notice (requirement: "
                f"{row.requires_disclosure}). Summary to adapt with counsel, not words to read: "
                f"{row.summary}",
                row.citation,
            )
        )
    for checked in notice.unverified:
        citation, _, how = checked.partition(": ")
        out.append(
            (
                "time_barred_words_unverified",
                f"The time-barred words of {citation} are to be confirmed with counsel before "
                "they are read out or sent: they are not verified word for word against the "
                f"official text. What they were checked against: {how}",
                citation,
            )
        )
    for note, citation in notice.print_notes:
        out.append(("time_barred_print_format", note, citation))
    return out


def _variant(row: StateWords, *, no_revival: bool, reports: bool, still: bool) -> tuple[str, bool]:
    """The row's words for this debt, and whether they warn that paying may restart the
    period: the words without that warning where a payment no longer revives it (CPLR 214-i),
    else by whether the debt is still reportable and whether this creditor reports."""
    if no_revival and row.no_revival:
        return row.no_revival, False
    if not still:
        return row.obsolete or row.not_reported or row.reported, row.revival
    if reports:
        return row.reported, row.revival
    return row.not_reported or row.reported, row.revival


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
