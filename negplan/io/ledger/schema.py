"""The ledger's tables (SQLAlchemy Core 2): append-only events keyed by ``case_id`` (SPEC §8).

Rows are only ever inserted. States (kept, broken, superseded…) are derived from the events by
:mod:`negplan.core.arrangements`, never stored, so a late import or a reversal changes the
answer without an ``UPDATE`` that could be half-done.

* Every event has an ``event_id`` (a random UUID, unique): ``ledger import`` of a JSON Lines
  export skips what is already there, so moving or merging ledgers never doubles an event.
* Money is ``TEXT`` holding the exact decimal (``"1234.50"``), never a float: SQLite has no
  exact decimal type, and one representation on both databases keeps exports byte-identical.
* Dates are ISO ``TEXT`` (``YYYY-MM-DD``), timestamps ISO 8601 with their offset, for the same
  reason: what was written is what is read back, on SQLite and PostgreSQL alike.

The migrations in ``migrations/versions`` create exactly these tables; a test compares them.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text, UniqueConstraint

#: The schema this negplan writes. A ledger with a higher number (or an Alembic revision this
#: negplan does not ship) was written by a newer negplan and is refused, not guessed at.
SCHEMA_VERSION: Final = 8

metadata = MetaData()


def _event(name: str, *columns: Column[object], **indexes: tuple[str, ...]) -> Table:
    """A table of events: an id, the event id, the case, when it was recorded, and ``columns``."""
    table = Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("case_id", String(64), nullable=False),
        Column("recorded_at", String(40), nullable=False),
        *columns,
    )
    Index(f"ix_{name}_case_id", table.c.case_id)
    return table


contacts = _event(
    "contacts",
    Column("at", String(40), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("by_name", Text),
    Column("note", Text),
)

opt_outs = _event(
    "opt_outs",
    Column("place", String(20), nullable=False),
    Column("at", String(40), nullable=False),
    Column("by_name", Text),
)

promises = _event(
    "promises",
    Column("made_on", String(10), nullable=False),
    Column("due", String(10), nullable=False),
    Column("amount", String(40), nullable=False),
    Column("by_name", Text),
)

agreements = _event(
    "agreements",
    Column("fingerprint", String(80), nullable=False, unique=True),
    Column("currency", String(3), nullable=False),
    Column("issued", String(10), nullable=False),
    Column("signed_on", String(10), nullable=False),
    Column("total", String(40), nullable=False),
    Column("grace_days", Integer, nullable=False),
    Column("missed_before_default", Integer, nullable=False),
    Column("source", Text),
    Column("terms", Text, nullable=False),  # the embedded record, canonical JSON
)

installments = Table(
    "installments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("fingerprint", String(80), nullable=False),
    Column("number", Integer, nullable=False),
    Column("due", String(10), nullable=False),
    Column("amount", String(40), nullable=False),
    UniqueConstraint("fingerprint", "number", name="uq_installments_fingerprint_number"),
)

payments = _event(
    "payments",
    Column("reference", String(200), nullable=False, unique=True),
    Column("paid_on", String(10), nullable=False),
    Column("amount", String(40), nullable=False),
    Column("source", Text),
    Column("line", Integer),
)

documents = _event(
    "documents",
    Column("fingerprint", String(80), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("issued_on", String(10), nullable=False),
    Column("path", Text),
)

#: Which rule set planned a case, and what that plan expected (SPEC §10, champion/challenger).
#: ``batch --experiment`` and ``simulate`` write one row per case planned; ``report --by rules``
#: and "collected against the expected value planned" read them. ``affordable`` is the debtor's
#: affordable monthly payment at planning time, so ``calibrate`` can put each arrangement in a
#: burden band (largest installment ÷ affordable, SPEC §4).
assignments = _event(
    "assignments",
    Column("experiment", String(80), nullable=False),
    Column("rule_set", String(20), nullable=False),  # champion | challenger
    Column("rules_label", Text, nullable=False),  # the rules file's name, or "packaged defaults"
    Column("planned_on", String(10), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("jurisdiction", String(16), nullable=False),
    Column("balance", String(40), nullable=False),
    Column("affordable", String(40), nullable=False),
    Column("option", String(40)),  # the recommended option's kind; NULL when no deal
    Column("expected_value", String(40)),  # its expected value; NULL when no deal
)

#: Follow-up actions issued (SPEC §9): ``key`` names an action for ever, and is unique, so a
#: re-run or a second executive running ``followup`` at the same time issues nothing twice.
followups = _event(
    "followups",
    Column("key", String(200), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),
    Column("due_on", String(10), nullable=False),
    Column("issued_on", String(10), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("fingerprint", String(80)),  # the letter's, when the action is a letter
    Column("by_name", Text),
    Column("path", Text),
)

#: What the case file said when an agreement was issued (SPEC §9, §6a): the debtor's opt-outs
#: (``opt_outs``, a JSON list) and the ``no_deal.actions`` lawful for this debt then
#: (``consequences``, a JSON list; NULL when the case file recorded no ``no_deal``), with the
#: last day a suit could be brought (``litigation_until``). ``negplan agreement`` writes a row
#: beside the document it records; ``followup`` holds every letter to them and to the ledger's
#: later opt-outs. The ledger holds no case file: these few facts are all it keeps of one.
#: ``debtor_mobile`` (schema 7) is the debtor's mobile number in E.164 form, for SMS reminders;
#: NULL when the case file gave none (and in every row written before schema 7).
#: ``contact_hours`` (schema 8) is where the debtor may be and the times they said are
#: inconvenient (a JSON object, ``ContactHours.to_data``), for the hours of SMS reminders and
#: call tasks; NULL in every row written before schema 8.
agreement_facts = _event(
    "agreement_facts",
    Column("fingerprint", String(80), nullable=False),
    Column("opt_outs", Text, nullable=False),
    Column("consequences", Text),
    Column("litigation_until", String(10)),
    Column("source", Text),
    Column("debtor_mobile", String(40)),
    Column("contact_hours", Text),
)
Index("ix_agreement_facts_fingerprint", agreement_facts.c.fingerprint)

#: An arrangement the creditor cancelled (``negplan cancel``): from ``cancelled_on`` it takes no
#: payment and keeps no case out of the call queue; ``reason`` and ``by_name`` are the audit trail.
cancellations = _event(
    "cancellations",
    Column("fingerprint", String(80), nullable=False),
    Column("cancelled_on", String(10), nullable=False),
    Column("reason", Text, nullable=False),
    Column("by_name", Text),
)

ledger_meta = Table(
    "ledger_meta",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

#: The event tables in the order an export writes them (agreements before their installments).
EVENT_TABLES: Final = (
    contacts,
    opt_outs,
    promises,
    agreements,
    payments,
    documents,
    assignments,
    followups,
    agreement_facts,
    cancellations,
)
