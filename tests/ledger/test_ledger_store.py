"""The ledger itself, on SQLite and on a real PostgreSQL: schema, migrations, imports, exports.

Every test here runs once per backend (``ledger_url`` is parametrized); nothing is mocked.
"""

from __future__ import annotations

import io
import textwrap
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Table, create_engine, func, select, text

from negplan.core.arrangements import ArrangementState, case_status
from negplan.core.ledger_events import Arrangement, Installment
from negplan.errors import InputError
from negplan.io.ledger import Ledger
from negplan.io.ledger import schema as t
from negplan.io.ledger.connect import REVISIONS, alembic_config
from negplan.io.ledger.connect import ledger_url as to_url
from negplan.io.ledger.events import (
    histories,
    issued_fingerprint,
    record_agreement,
    record_contact,
    record_document,
    record_promise,
)
from negplan.io.ledger.jsonl import export_lines, import_lines
from negplan.io.ledger.payments import import_payments, parse_columns, read_payments
from tests.ledger.pg import _unavailable, postgres_database

D = Decimal


def csv_file(tmp_path: Path, body: str, name: str = "bank.csv") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def count(book: Ledger, table: Table) -> int:
    with book.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def arrangement(fingerprint: str = "sha256:aa", case_id: str = "C-1") -> Arrangement:
    rows = (
        Installment(1, date(2026, 12, 5), D("100.00")),
        Installment(2, date(2027, 1, 5), D("100.00")),
    )
    return Arrangement(
        fingerprint,
        case_id,
        "USD",
        date(2026, 11, 30),
        date(2026, 11, 30),
        D("200.00"),
        rows,
        10,
        1,
    )


def test_the_migrations_create_exactly_the_schema(ledger_url: str) -> None:
    with Ledger(ledger_url) as book, book.read() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), t.metadata)
        version = conn.execute(select(t.ledger_meta.c.value)).scalar_one()
    assert differences == []
    assert version == str(t.SCHEMA_VERSION)


def test_migrates_a_ledger_of_the_older_schema_keeping_its_events(ledger_url: str) -> None:
    engine = create_engine(to_url(ledger_url))
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001_events")
        conn.execute(
            text(
                "INSERT INTO payments (event_id, case_id, recorded_at, reference, paid_on, amount)"
                " VALUES ('e1', 'C-1', '2026-11-30', 'REF-1', '2026-11-29', '12.30')"
            )
        )
    engine.dispose()
    with Ledger(ledger_url) as book, book.read() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == REVISIONS[-1]
        assert histories(conn, ["C-1"])["C-1"].payments[0].amount == D("12.30")
        assert conn.dialect.has_table(conn, "documents")


def test_migrates_a_version_3_ledger_to_the_followups_schema(ledger_url: str) -> None:
    """A ledger written by the negplan before ``followup`` (schema 3, assignments) gains the
    ``followups`` and ``agreement_facts`` tables and keeps its assignments; ``followup`` can
    then record in it."""
    engine = create_engine(to_url(ledger_url))
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0003_assignments")
        assert conn.execute(select(t.ledger_meta.c.value)).scalar_one() == "3"
        conn.execute(
            text(
                "INSERT INTO assignments (event_id, case_id, recorded_at, experiment, rule_set,"
                " rules_label, planned_on, currency, jurisdiction, balance, affordable)"
                " VALUES ('a1', 'C-1', '2026-11-30', 'x', 'champion', 'packaged defaults',"
                " '2026-11-30', 'USD', 'US-CA', '200.00', '50.00')"
            )
        )
        assert not conn.dialect.has_table(conn, "followups")
    engine.dispose()
    with Ledger(ledger_url) as book:
        with book.read() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == REVISIONS[-1]
            assert conn.execute(select(t.ledger_meta.c.value)).scalar_one() == str(t.SCHEMA_VERSION)
            assert conn.dialect.has_table(conn, "cancellations")
            assert conn.execute(select(t.assignments.c.event_id)).scalars().all() == ["a1"]
        with book.write() as conn:
            conn.execute(
                t.followups.insert().values(
                    event_id="f1",
                    case_id="C-1",
                    recorded_at="2026-11-30",
                    key="sha256:aa:reminder:1",
                    kind="reminder",
                    due_on="2026-12-05",
                    issued_on="2026-11-30",
                    channel="post",
                )
            )
        assert count(book, t.followups) == 1


def _old_ledger(ledger_url: str, revision: str, row: str) -> None:
    """A ledger migrated only up to ``revision`` (as an older negplan left it), with ``row``."""
    engine = create_engine(to_url(ledger_url))
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)
        version = revision.split("_")[0].lstrip("0")
        assert conn.execute(select(t.ledger_meta.c.value)).scalar_one() == version
        conn.execute(text(row))
    engine.dispose()


def test_migrates_a_version_6_ledger_to_the_debtor_mobile_schema(ledger_url: str) -> None:
    """A schema-6 ledger gains ``agreement_facts.debtor_mobile``: its old rows keep their facts
    and have no mobile (their agreements get no SMS reminder); new rows record one."""
    from negplan.io.ledger.followups import apply_facts, record_facts
    from tests.followups.story import PRINT, TERMS

    _old_ledger(
        ledger_url,
        "0006_cancellations",
        "INSERT INTO agreement_facts (event_id, case_id, recorded_at, fingerprint, opt_outs)"
        f" VALUES ('f6', 'C-1', '2026-11-30', '{PRINT}', '[\"letter\"]')",
    )
    with Ledger(ledger_url) as book:
        with book.read() as conn:
            assert conn.execute(select(t.ledger_meta.c.value)).scalar_one() == "8"
            assert conn.execute(select(t.agreement_facts.c.debtor_mobile)).scalar_one() is None
            old = apply_facts(conn, None, {PRINT: TERMS})[PRINT]
            assert old.debtor_mobile == "" and {o.value for o in old.case_opt_outs} == {"letter"}
        with book.write() as conn:
            record_facts(conn, "C-1", PRINT, (), None, None, "case", "+447400123456")
        with book.read() as conn:
            assert apply_facts(conn, None, {PRINT: TERMS})[PRINT].debtor_mobile == "+447400123456"


def test_migrates_a_version_7_ledger_to_the_contact_hours_schema(ledger_url: str) -> None:
    """A schema-7 ledger gains ``agreement_facts.contact_hours``: its old rows have none (their
    texts and calls show the profile's window and say to check the case file); new rows keep
    where the debtor may be and the times they said are inconvenient."""
    from negplan.core.compliance.contact_hours import ContactHours
    from negplan.io.ledger.followups import apply_facts, record_facts
    from tests.followups.story import PRINT, TERMS

    _old_ledger(
        ledger_url,
        "0007_debtor_mobile",
        "INSERT INTO agreement_facts (event_id, case_id, recorded_at, fingerprint, opt_outs,"
        f" debtor_mobile) VALUES ('f7', 'C-1', '2026-11-30', '{PRINT}', '[]', '+14155550134')",
    )
    hours = ContactHours("America/Los_Angeles", ("America/New_York",), ("08:00-10:00",))
    with Ledger(ledger_url) as book:
        with book.read() as conn:
            assert conn.execute(select(t.ledger_meta.c.value)).scalar_one() == "8"
            old = apply_facts(conn, None, {PRINT: TERMS})[PRINT]
            assert old.contact_hours is None and old.debtor_mobile == "+14155550134"
        with book.write() as conn:
            record_facts(conn, "C-1", PRINT, (), None, None, "case", None, hours)
        with book.read() as conn:
            assert apply_facts(conn, None, {PRINT: TERMS})[PRINT].contact_hours == hours


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE alembic_version SET version_num = '0099_from_the_future'",
        "UPDATE ledger_meta SET value = '99' WHERE key = 'schema_version'",
    ],
)
def test_refuses_a_ledger_from_a_newer_negplan(ledger_url: str, sql: str) -> None:
    Ledger(ledger_url).close()
    engine = create_engine(to_url(ledger_url))
    with engine.begin() as conn:
        conn.execute(text(sql))
    engine.dispose()
    with pytest.raises(InputError, match="newer negplan"):
        Ledger(ledger_url)


def test_events_round_trip_with_exact_money(ledger_url: str) -> None:
    at = datetime(2026, 11, 30, 10, 15, tzinfo=timezone.utc)
    with Ledger(ledger_url) as book:
        with book.write() as conn:
            record_contact(
                conn, "C-1", at=at, channel="phone", outcome="conversation", by="Sam", note="ok"
            )
            record_promise(
                conn,
                "C-1",
                made_on=date(2026, 11, 30),
                due=date(2026, 12, 5),
                amount=D("0.10"),
                by=None,
            )
            record_promise(
                conn,
                "C-1",
                made_on=date(2026, 11, 30),
                due=date(2026, 12, 6),
                amount=D("1E+2"),
                by=None,
            )
            assert record_agreement(conn, arrangement(), {"format": "x"}, "a.md").new
            record_document(conn, "C-1", "sha256:letter", "letter", date(2026, 12, 1), None)
        with book.read() as conn:
            history = histories(conn, ["C-1", "NOBODY"])
            assert issued_fingerprint(conn, "sha256:letter")
            assert issued_fingerprint(conn, "sha256:aa")
            assert not issued_fingerprint(conn, "sha256:other")
    case = history["C-1"]
    assert [p.amount for p in case.promises] == [D("0.10"), D("100")]
    assert str(case.promises[0].amount) == "0.10"
    assert case.contacts[0].at == at
    assert case.arrangements[0].installments == arrangement().installments
    assert history["NOBODY"].arrangements == ()


def test_tracking_twice_writes_nothing_new(ledger_url: str) -> None:
    with Ledger(ledger_url) as book:
        for expected in (True, False):
            with book.write() as conn:
                assert record_agreement(conn, arrangement(), {}, None).new is expected
        assert count(book, t.agreements) == 1
        assert count(book, t.installments) == 2


PAYMENTS = """\
    case_id,date,amount,reference
    C-1,2026-12-05,100.00,B-1
    C-1,2026-12-06,-100.00,B-2
    C-1,2026-12-07,100.00,B-3
    ZZ-9,2026-12-07,55.10,B-4
    """


def test_payments_import_is_idempotent_by_reference(ledger_url: str, tmp_path: Path) -> None:
    path = csv_file(tmp_path, PAYMENTS)
    rows = read_payments(path, parse_columns(None))
    with Ledger(ledger_url) as book:
        with book.write() as conn:
            record_agreement(conn, arrangement(), {}, None)
        with book.write() as conn:
            first = import_payments(conn, rows, str(path))
        with book.write() as conn:
            again = import_payments(conn, rows, str(path))
        assert (first.imported, first.already) == (4, 0)
        assert (again.imported, again.already) == (0, 4)
        assert [(r.line, r.case_id) for r in first.unmatched] == [(5, "ZZ-9")]
        assert count(book, t.payments) == 4
        with book.read() as conn:
            found = histories(conn)
    status = case_status(found["C-1"], date(2026, 12, 8), 10)
    assert status.arrangements[0].state is ArrangementState.cured
    assert status.arrangements[0].installments[0].paid == D("100.00")
    assert [u.amount for u in case_status(found["ZZ-9"], date(2026, 12, 8), 10).unallocated] == [
        D("55.10")
    ]


def test_a_reference_back_with_other_figures_is_refused(ledger_url: str, tmp_path: Path) -> None:
    with Ledger(ledger_url) as book:
        with book.write() as conn:
            import_payments(
                conn, read_payments(csv_file(tmp_path, PAYMENTS), parse_columns(None)), "a"
            )
        changed = csv_file(tmp_path, PAYMENTS.replace("55.10", "55.20"), "changed.csv")
        rows = read_payments(changed, parse_columns(None))
        with (
            pytest.raises(
                InputError, match=r"changed.csv:5: reference: reference 'B-4' is already"
            ),
            book.write() as conn,
        ):
            import_payments(conn, rows, str(changed))
        assert count(book, t.payments) == 4


def test_mapped_columns_and_every_bad_row_reported_with_its_line(tmp_path: Path) -> None:
    good = csv_file(tmp_path, "Acct,Posted,Amt,Ref\nC-1,2026-12-05,10,R1\n")
    rows = read_payments(good, parse_columns("case_id=Acct,date=Posted,amount=Amt,reference=Ref"))
    assert [(r.case_id, r.amount) for r in rows] == [("C-1", D("10"))]
    bad = csv_file(
        tmp_path,
        """\
        case_id,date,amount,reference
        C-1,2026-12-05,10.00,R1
        C-1,05/12/2026,10.00,R2
        C-1,2026-12-05,"1,234.10",R3
        ../x,2026-12-05,1.001,R4
        C-1,2026-12-05,0,R5
        C-1,2026-12-05,10.00,R1
        C-1,2026-12-05,11.00,R1
        """,
        "bad.csv",
    )
    with pytest.raises(InputError) as caught:
        read_payments(bad, parse_columns(None))
    lines = [(p.line, p.path) for p in caught.value.problems]
    assert lines == [
        (3, "date"),
        (4, "amount"),
        (5, "case_id"),
        (5, "amount"),
        (6, "amount"),
        (8, "reference"),
    ]
    with pytest.raises(
        InputError, match=r"bank.csv:1: no column for amount \(column 'Missing'\)"
    ) as no:
        read_payments(good, parse_columns("case_id=Acct,date=Posted,amount=Missing,reference=Ref"))
    # What the file does have, and how to say which column is which.
    assert "the header has 'Acct', 'Posted', 'Amt', 'Ref'" in str(no.value)
    assert str(no.value).endswith("with --columns amount=COLUMN")
    with pytest.raises(InputError, match="--columns"):
        parse_columns("account=Acct")


def test_export_then_import_into_another_ledger_and_again_adds_nothing(
    ledger_url: str, tmp_path: Path
) -> None:
    at = datetime(2026, 11, 30, 10, 15, tzinfo=timezone.utc)
    with Ledger(ledger_url) as book:
        with book.write() as conn:
            record_contact(conn, "C-1", at=at, channel="sms", outcome="sent", by=None, note=None)
            record_agreement(conn, arrangement(), {"format": "x"}, None)
            import_payments(
                conn, read_payments(csv_file(tmp_path, PAYMENTS), parse_columns(None)), "bank.csv"
            )
        with book.read() as conn:
            exported = "".join(line + "\n" for line in export_lines(conn))
    target = str(tmp_path / "moved.db")
    with Ledger(target) as moved:
        with moved.write() as conn:
            loaded = import_lines(conn, io.StringIO(exported), "backup.jsonl")
        with moved.write() as conn:
            again = import_lines(conn, io.StringIO(exported), "backup.jsonl")
        with moved.read() as conn:
            assert "".join(line + "\n" for line in export_lines(conn)) == exported
    assert loaded.added == {"agreements": 1, "contacts": 1, "payments": 4}
    assert (again.added, again.skipped) == ({}, 6)


def test_import_refuses_a_newer_export_and_bad_lines(tmp_path: Path) -> None:
    book = Ledger(str(tmp_path / "l.db"))
    with pytest.raises(InputError, match="newer negplan"), book.write() as conn:
        import_lines(conn, io.StringIO('{"format": "negplan-ledger", "schema_version": 99}\n'), "x")
    lines = '{"format": "negplan-ledger", "schema_version": 2}\n{"table": "nope"}\nnot json\n'
    with pytest.raises(InputError) as caught, book.write() as conn:
        import_lines(conn, io.StringIO(lines), "x.jsonl")
    book.close()
    assert [p.line for p in caught.value.problems] == [2, 3]


def test_sqlite_ledger_is_owner_only_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "negplan.db"
    with Ledger(str(path)) as book, book.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert int(conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) >= 1000
    assert path.stat().st_mode & 0o777 == 0o600


def test_an_empty_file_is_migrated_and_the_environment_names_the_ledger(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    monkeypatch.setenv("NEGPLAN_LEDGER", str(path))
    with Ledger() as book:
        assert book.shown.endswith("empty.db")
        assert count(book, t.contacts) == 0
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEGPLAN_LEDGER")
    Ledger().close()
    assert (tmp_path / "negplan.db").exists()


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("mysql://u@h/db", "unsupported database"),
        ("sqlite://", "needs a file"),
        ("/no/such/folder/negplan.db", "does not exist"),
        ("postgresql://nobody@/x?host=/nonexistent-socket-dir", "cannot open the ledger"),
    ],
)
def test_bad_locations_are_one_clear_error(location: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        Ledger(location)
    assert "Traceback" not in str(caught.value)


def test_postgres_password_is_never_shown(postgres_server: str) -> None:
    url = postgres_database(postgres_server).replace("negplan@", "negplan:s3cret@")
    with Ledger(url) as book:
        assert "s3cret" not in book.shown
    with pytest.raises(InputError) as caught:
        Ledger(url.replace("/ledger_", "/missing_"))
    assert "s3cret" not in str(caught.value)


def test_in_ci_missing_postgres_fails_instead_of_skipping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        _unavailable("no pg_ctl")
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        _unavailable("no pg_ctl")


def test_the_revisions_negplan_knows_are_the_migrations_it_ships(tmp_path: Path) -> None:
    from alembic.script import ScriptDirectory

    with Ledger(str(tmp_path / "l.db")) as book, book.read() as conn:
        scripts = ScriptDirectory.from_config(alembic_config(conn))
        shipped = [s.revision for s in scripts.walk_revisions()]
    assert tuple(reversed(shipped)) == REVISIONS


def test_a_sqlite_ledger_moves_to_postgresql_and_back(postgres_server: str, tmp_path: Path) -> None:
    at = datetime(2026, 11, 30, 10, 15, tzinfo=timezone.utc)
    source = str(tmp_path / "team.db")
    with Ledger(source) as book, book.write() as conn:
        record_contact(conn, "C-1", at=at, channel="email", outcome="sent", by="Ana", note="é")
        record_agreement(conn, arrangement(), {"format": "x"}, "a.md")
        import_payments(conn, read_payments(csv_file(tmp_path, PAYMENTS), parse_columns(None)), "b")
    with Ledger(source) as book, book.read() as conn:
        exported = "".join(line + "\n" for line in export_lines(conn))
    server = postgres_database(postgres_server)
    with Ledger(server) as book:
        with book.write() as conn:
            import_lines(conn, io.StringIO(exported), "backup.jsonl")
        with book.read() as conn:
            assert "".join(line + "\n" for line in export_lines(conn)) == exported
