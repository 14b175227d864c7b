"""Documents and the ledger: ``agreement`` records what it issues, ``verify`` checks it (SPEC §8).

With a ledger configured (the same rule as ``prep``: ``--ledger``, ``$NEGPLAN_LEDGER`` or a
``negplan.db`` in the current folder), every agreement negplan writes is recorded by fingerprint,
so ``verify`` can tell a document negplan issued from one it did not (SPEC §5a): an unaltered
document whose fingerprint the ledger never recorded was not issued here. Without a ledger both
commands behave as before and import no database code.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from negplan.records import record

if TYPE_CHECKING:
    from negplan.core.case import Case, OptOut
    from negplan.core.compliance.contact_hours import ContactHours
    from negplan.core.plan import Plan


@record
class CaseFacts:
    """What the case file says that the ledger must keep beside an agreement (SPEC §6a, §9):
    ``followup`` reads no case file, yet must honour its opt-outs and name only the
    consequences the creditor decided that are lawful for this debt."""

    opt_outs: frozenset[OptOut]
    decided: frozenset[str] | None  # None: the case file records no ``no_deal``
    litigation_until: date | None
    source: str
    mobile: str | None = None  # E.164, for SMS reminders (``negplan.io.phones.mobile_number``)
    #: Where the debtor may be and when not to contact them: the hours of texts and calls.
    hours: ContactHours | None = None


def case_facts(case: Case, plan: Plan, source: str) -> CaseFacts:
    """The facts of ``case`` as planned: the decided ``no_deal.actions`` lawful for this debt
    (``negplan.script.facts.lawful_actions``, the same test the call script applies) and, when
    legal action is among them, the last day a suit could be brought; and the debtor's mobile
    number, when the case file's phone is one, so ``followup`` can text reminders (SPEC §9), and
    only in the hours lawful wherever the debtor may be and outside the times they said are
    inconvenient (12 CFR 1006.6(b)(1)(i))."""
    from negplan.core.compliance.contact_hours import ContactHours
    from negplan.io.packaged import load_tables
    from negplan.io.phones import mobile_number
    from negplan.jurisdictions import parse_jurisdiction
    from negplan.script.facts import lawful_actions

    decided = None if case.no_deal is None else lawful_actions(case, plan)
    until = plan.limitation.expires if decided and "litigation" in decided else None
    phone = case.debtor.phone
    country = parse_jurisdiction(case.jurisdiction).country
    mobile = None if phone is None else mobile_number(phone, country)
    hours = ContactHours.of_case(case, load_tables())
    return CaseFacts(frozenset(case.debtor.opt_outs), decided, until, source, mobile, hours)


def record_issued(
    location: str,
    case_id: str,
    fingerprint: str,
    kind: str,
    issued_on: date,
    path: str | None,
    facts: CaseFacts | None = None,
) -> None:
    """Record one issued document (and the case file's facts beside it), in one transaction."""
    from negplan.io.ledger import Ledger
    from negplan.io.ledger.events import record_document
    from negplan.io.ledger.followups import record_facts

    with Ledger(location) as book, book.write() as conn:
        record_document(conn, case_id, fingerprint, kind, issued_on, path)
        if facts is not None:
            record_facts(
                conn,
                case_id,
                fingerprint,
                facts.opt_outs,
                facts.decided,
                facts.litigation_until,
                facts.source,
                facts.mobile,
                facts.hours,
            )


def issued_here(location: str, fingerprint: str) -> bool:
    """Whether the ledger recorded issuing (or tracking) a document with this fingerprint."""
    from negplan.io.ledger import Ledger
    from negplan.io.ledger.events import issued_fingerprint

    with Ledger(location) as book, book.read() as conn:
        return issued_fingerprint(conn, fingerprint)
