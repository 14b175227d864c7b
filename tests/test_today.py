"""negplan today: the day's calls across time zones, in the lawful window, with why (SPEC §9)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner, Result

from negplan.core.compliance.calls import lawful_window
from negplan.shell.app import app
from negplan.shell.today import TODAY_COLUMNS
from tests.helpers import case_with, write_case

runner = CliRunner()
NY, LA, LONDON = (ZoneInfo(z) for z in ("America/New_York", "America/Los_Angeles", "Europe/London"))
#: 09:00 in New York on a Monday: 14:00 in London, 06:00 in Los Angeles.
NOW = "2026-11-30T09:00:00-05:00"


def today(*args: str, now: str = NOW) -> Result:
    return runner.invoke(
        app, ["today", *args, "--as-of", "2026-11-30", "--now", now, "--tz", "America/New_York"]
    )


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def ny_case(case_id: str, **changes: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "case_id": case_id,
        "jurisdiction": "US-NY",
        "debtor__name": f"Debtor {case_id}",
        "debtor__timezone": "America/New_York",
        "debtor__phone": "212-555-0101",
    }
    return case_with(**{**fields, **changes})


def ca_case(case_id: str) -> dict[str, object]:
    return case_with(
        case_id=case_id,
        debtor__name="Carla Reyes",
        debtor__phone="(415) 555-0142",
        debtor__address="12 Mission St, San Francisco, CA 94105",
    )


def uk_case(case_id: str) -> dict[str, object]:
    return case_with(
        case_id=case_id,
        jurisdiction="GB-ENG",
        currency="GBP",
        debtor__name="Oliver Hughes",
        debtor__timezone="Europe/London",
        debtor__phone="0113 496 0000",
    )


@pytest.fixture
def three_zones(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    write_case(folder, ca_case("CA-1"), "a-ca.yaml")
    write_case(folder, ny_case("NY-1"), "b-ny.yaml")
    write_case(folder, uk_case("UK-1"), "c-uk.yaml")
    return folder


def test_calls_are_ordered_by_the_window_that_closes_first_across_zones(three_zones: Path) -> None:
    result = today(str(three_zones), "--format", "csv")
    assert result.exit_code == 0, result.output
    listed = rows(result.stdout)
    # London closes at 21:00 GMT = 16:00 in New York; New York at 21:00; California at 00:00.
    assert [(r["rank"], r["case_id"]) for r in listed] == [
        ("1", "UK-1"),
        ("2", "NY-1"),
        ("3", "CA-1"),
    ]
    uk, ny, ca = listed
    assert (uk["window_closes"], uk["debtor_window_closes"]) == (
        "2026-11-30T16:00-05:00",
        "2026-11-30T21:00+00:00",
    )
    assert (ca["window_opens"], ca["debtor_window_opens"]) == (
        "2026-11-30T11:00-05:00",
        "2026-11-30T08:00-08:00",
    )
    assert ny["window_closes"] == "2026-11-30T21:00-05:00"
    assert [r["phone"] for r in listed] == [
        "tel:+44-113-496-0000",
        "tel:+1-212-555-0101",
        "tel:+1-415-555-0142",
    ]
    assert {r["reason_code"] for r in listed} == {"new_case"}
    assert all(r["status"] == "call" and r["not_today"] == "" for r in listed)


def test_the_larger_gain_comes_first_when_windows_close_together(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    write_case(folder, ny_case("NY-SMALL"), "a.yaml")
    richer = ny_case("NY-RICH")
    richer["finances"]["income"][0]["amount"] = "4800.00"  # type: ignore[index]
    write_case(folder, richer, "b.yaml")
    listed = rows(today(str(folder), "--format", "csv").stdout)
    assert [r["case_id"] for r in listed] == ["NY-RICH", "NY-SMALL"]
    gains = [float(r["gain_over_batna"]) for r in listed]
    assert gains[0] > gains[1]


def test_a_case_whose_window_has_closed_is_listed_for_another_day(three_zones: Path) -> None:
    # 17:00 in New York: 22:00 in London, past its 21:00 close; still lawful in NY and CA.
    result = today(str(three_zones), "--format", "csv", now="2026-11-30T17:00:00-05:00")
    listed = rows(result.stdout)
    assert [(r["status"], r["case_id"]) for r in listed] == [
        ("call", "NY-1"),
        ("call", "CA-1"),
        ("not_today", "UK-1"),
    ]
    uk = listed[2]
    assert uk["rank"] == "" and uk["window_opens"] == ""
    assert uk["not_today_code"] == "window_closed"
    assert uk["next_window"] == "2026-12-01T08:00+00:00"
    assert uk["not_today"] == (
        "no lawful hour left in your day; next lawful window 2026-12-01 08:00 GMT (debtor's "
        "time), 2026-12-01 03:00 EST (yours)"
    )


def test_an_opted_out_debtor_is_not_called_and_says_why(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    write_case(folder, ny_case("NY-1"), "a.yaml")
    write_case(folder, ny_case("NY-OUT", debtor__opt_outs=["phone"]), "b.yaml")
    listed = rows(today(str(folder), "--format", "csv").stdout)
    assert [(r["status"], r["case_id"]) for r in listed] == [
        ("call", "NY-1"),
        ("not_today", "NY-OUT"),
    ]
    out = listed[1]
    assert out["not_today_code"] == "opt_out_phone"
    assert out["next_window"] == "" and "asked not to be called" in out["not_today"]


def test_a_broken_promise_in_the_ledger_is_the_reason_to_call(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    write_case(folder, ny_case("NY-BROKE"), "a.yaml")
    write_case(folder, ny_case("NY-WAIT"), "b.yaml")
    write_case(folder, ny_case("NY-NEW"), "c.yaml")
    ledger = str(tmp_path / "negplan.db")
    for case_id, due in (("NY-BROKE", "2026-11-10"), ("NY-WAIT", "2026-12-04")):
        made = runner.invoke(
            app,
            ["promise", case_id, "--amount", "250.00", "--due", due, "--at",
             "2026-11-06T10:00:00-05:00", "--ledger", ledger],
        )  # fmt: skip
        assert made.exit_code == 0, made.output
    result = today(str(folder), "--format", "csv", "--ledger", ledger)
    assert result.exit_code == 0, result.output
    listed = rows(result.stdout)
    by_id = {r["case_id"]: r for r in listed if r["status"] != "followup"}
    broke = by_id["NY-BROKE"]
    assert (broke["status"], broke["reason_code"]) == ("call", "broken_promise")
    assert broke["reason"] == "broken promise: 250.00 USD due 2026-11-10, 0.00 USD paid"
    wait = by_id["NY-WAIT"]
    assert (wait["status"], wait["not_today_code"]) == ("not_today", "promise_pending")
    assert "2026-12-04" in wait["not_today"]
    assert by_id["NY-NEW"]["reason_code"] == "new_case"
    # negplan followup's call task for the broken promise is shown, not issued.
    tasks = [(r["case_id"], r["reason_code"]) for r in listed if r["status"] == "followup"]
    assert tasks == [("NY-BROKE", "call_task")]


def test_today_never_writes_to_the_ledger(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    write_case(folder, ny_case("NY-1"), "a.yaml")
    ledger = tmp_path / "negplan.db"
    runner.invoke(app, ["log", "NY-1", "--outcome", "no_answer", "--at",
                        "2026-11-27T10:00:00-05:00", "--ledger", str(ledger)])  # fmt: skip
    exported = tmp_path / "before.jsonl"
    runner.invoke(app, ["ledger", "export", "--out", str(exported), "--ledger", str(ledger)])
    before = exported.read_text()
    result = today(str(folder), "--format", "csv", "--ledger", str(ledger))
    assert result.exit_code == 0, result.output
    assert rows(result.stdout)[0]["reason_code"] == "open_balance"
    runner.invoke(app, ["ledger", "export", "--out", str(exported), "--ledger", str(ledger)])
    assert exported.read_text() == before


def test_today_csv_in_out_has_the_documented_columns(three_zones: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = today(str(three_zones), "--out", str(out), "--format", "csv")
    assert result.exit_code == 0, result.output
    written = (out / "today.csv").read_text(encoding="utf-8")
    assert written == result.stdout
    assert written.splitlines()[0] == ",".join(TODAY_COLUMNS)
    assert (out / "today.csv").stat().st_mode & 0o777 == 0o600
    assert f"today.csv: {out / 'today.csv'}" in result.stderr


def test_an_empty_folder_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    out = tmp_path / "out"
    result = today(str(tmp_path / "empty"), "--out", str(out))
    assert result.exit_code == 1
    assert "no case files (*.yaml, *.yml)" in result.stderr
    assert not (out / "today.csv").exists()


def test_a_broken_file_is_listed_and_the_others_still_make_the_list(three_zones: Path) -> None:
    (three_zones / "broken.yaml").write_text("case_id: X-1\ndebtor: [unclosed\n", encoding="utf-8")
    result = today(str(three_zones), "--format", "csv")
    assert result.exit_code == 1
    assert "error: " in result.stderr and "broken.yaml" in result.stderr
    listed = rows(result.stdout)
    assert [r["status"] for r in listed] == ["call", "call", "call", "error"]
    assert "broken.yaml" in listed[3]["file"] and listed[3]["error"]


def test_the_table_names_both_times_and_the_number(three_zones: Path) -> None:
    result = today(str(three_zones), "--format", "table")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Calls for Mon 30 Nov 2026, your time 09:00 (America/New_York)" in text
    assert "03:00–16:00" in text and "08:00–21:00 GMT" in text  # UK: yours, then theirs
    assert "11:00–00:00+1" in text and "08:00–21:00 PST" in text  # California
    assert "+44 113 496 0000" in text and "Oliver Hughes" in text
    assert "calls today: 3 · not today: 0 · failed: 0" in text


def test_piped_output_is_csv_by_default(three_zones: Path) -> None:
    result = runner.invoke(
        app, ["today", str(three_zones), "--now", NOW, "--tz", "America/New_York"]
    )
    assert result.stdout.startswith("rank,status,case_id,")


def test_an_unknown_zone_is_a_usage_error(three_zones: Path) -> None:
    result = runner.invoke(app, ["today", str(three_zones), "--tz", "Mars/Olympus"])
    assert result.exit_code == 2
    assert "unknown IANA time zone" in result.output


def test_the_lawful_window_is_the_intersection_of_every_zone() -> None:
    """A New York debtor with a Los Angeles number: 11:00–21:00 New York time."""
    window = (time(8), time(21))
    spans = [(NY, [window]), (LA, [window])]
    moment = datetime(2026, 11, 30, 17, 0, tzinfo=timezone.utc)  # 12:00 NY, 09:00 LA
    opens, closes = lawful_window(moment, NY, spans)
    assert (opens.isoformat(), closes.isoformat()) == (
        "2026-11-30T11:00:00-05:00",
        "2026-11-30T21:00:00-05:00",
    )
    # Inconvenient 12:00–14:00 in the debtor's zone splits the day: the window holding 15:00.
    split = [(NY, [(time(8), time(12)), (time(14), time(21))])]
    opens, closes = lawful_window(datetime(2026, 11, 30, 20, 0, tzinfo=timezone.utc), NY, split)
    assert (opens.hour, closes.hour) == (14, 21)
    assert opens.date() == date(2026, 11, 30)


def test_an_arrangement_is_left_alone_while_kept_and_called_about_once_missed(
    tmp_path: Path,
) -> None:
    """Maria's signed 12-month plan in a real ledger: on track before the first due date, a
    missed payment once its grace days have passed unpaid."""
    maria = Path(__file__).parent.parent / "examples" / "maria-lopez-plan.yaml"
    ledger = str(tmp_path / "negplan.db")
    document = tmp_path / "maria.md"
    made = runner.invoke(
        app,
        ["agreement", str(maria), "--option", "plan_full_12m", "--as-of", "2026-11-22",
         "--out", str(document)],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    tracked = runner.invoke(
        app, ["track", str(document), "--signed-on", "2026-11-23", "--ledger", ledger]
    )
    assert tracked.exit_code == 0, tracked.output

    def listed(day: str) -> dict[str, str]:
        result = runner.invoke(
            app,
            ["today", str(maria), "--format", "csv", "--ledger", ledger, "--as-of", day,
             "--now", f"{day}T10:00:00-08:00", "--tz", "America/Los_Angeles"],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        found = rows(result.stdout)
        (row,) = [r for r in found if r["status"] != "followup"]
        due[day] = [(r["reason_code"], r["channel"]) for r in found if r["status"] == "followup"]
        return row

    due: dict[str, list[tuple[str, str]]] = {}
    before = listed("2026-12-01")
    assert (before["status"], before["not_today_code"]) == ("not_today", "keeping_to_deal")
    assert before["not_today"] == (
        "arrangement on track, next payment 740.46 USD on 2026-12-07: the debtor is keeping to "
        "the deal"
    )
    late = listed("2026-12-28")
    assert (late["status"], late["reason_code"]) == ("call", "missed_payment")
    assert late["reason"] == "missed payment: installment 1 due 2026-12-07, 740.46 USD unpaid"
    # The follow-ups negplan followup would issue: the confirmation (today only shows it, so it
    # stays due until followup issues it), the missed-payment letter once the payment is missed.
    assert due["2026-12-01"] == [("confirmation", "letter")]
    assert ("missed_payment", "letter") in due["2026-12-28"]
    issued = runner.invoke(
        app, ["followup", "--as-of", "2026-12-01", "--out", str(tmp_path / "letters"),
              "--ledger", ledger],
    )  # fmt: skip
    assert issued.exit_code == 0, issued.output
    assert "confirmation" in issued.output
    assert listed("2026-12-01")["status"] == "not_today" and due["2026-12-01"] == []


def test_case_data_is_data_in_the_csv_and_on_the_terminal(tmp_path: Path) -> None:
    """SPEC §5a and §7a: a name a spreadsheet would run, or one that looks like Rich markup."""
    folder = tmp_path / "cases"
    folder.mkdir()
    write_case(folder, ny_case("NY-1", debtor__name='=HYPERLINK("http://x","y")'), "a.yaml")
    write_case(folder, ny_case("NY-2", debtor__name="[bold red]Eve[/] Mallory"), "b.yaml")
    listed = rows(today(str(folder), "--format", "csv").stdout)
    names = {r["case_id"]: r["debtor_name"] for r in listed}
    assert names["NY-1"] == '\'=HYPERLINK("http://x","y")'
    table = today(str(folder), "--format", "table").stdout
    assert "[bold red]Eve[/] Mallory" in table


def test_a_paid_up_arrangement_is_left_alone_not_failed(tmp_path: Path) -> None:
    """Payments that clear the balance leave nothing to plan: not an error, not a call."""
    example = Path(__file__).parent.parent / "examples" / "maria-lopez-plan.yaml"
    maria = tmp_path / "maria.yaml"  # with balance_as_of, so the ledger's payments apply
    text = example.read_text(encoding="utf-8")
    maria.write_text(text.replace("\ndebt:\n", "\ndebt:\n  balance_as_of: 2026-11-22\n"))
    ledger = str(tmp_path / "negplan.db")
    document = tmp_path / "maria.md"
    made = runner.invoke(
        app,
        ["agreement", str(maria), "--option", "plan_full_12m", "--as-of", "2026-11-22",
         "--out", str(document)],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    runner.invoke(app, ["track", str(document), "--signed-on", "2026-11-23", "--ledger", ledger])
    bank = tmp_path / "bank.csv"
    bank.write_text(
        "case_id,date,amount,reference\nNW-2026-00187,2026-12-01,8885.58,TX-ALL\n", encoding="utf-8"
    )
    imported = runner.invoke(app, ["payments", "import", str(bank), "--ledger", ledger])
    assert imported.exit_code == 0, imported.output
    result = runner.invoke(
        app,
        ["today", str(maria), "--format", "csv", "--ledger", ledger, "--as-of", "2026-12-02",
         "--now", "2026-12-02T10:00:00-08:00", "--tz", "America/Los_Angeles"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (row,) = [r for r in rows(result.stdout) if r["status"] != "followup"]
    assert (row["status"], row["not_today_code"]) == ("not_today", "arrangement_completed")


def test_a_ledger_that_cannot_be_read_fails_each_case_of_the_chunk_not_the_run(
    tmp_path: Path,
) -> None:
    """The worker reads a chunk's events at once; when that read fails, every case of the chunk
    says so as its own error (as batch's cases do) and the run returns its list."""
    from negplan.shell.batch_discovery import discover
    from negplan.shell.today import Settings, _init_worker, plan_chunk

    folder = tmp_path / "cases"
    folder.mkdir()
    write_case(folder, ny_case("NY-1"), "a.yaml")
    write_case(folder, ny_case("NY-2"), "b.yaml")
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is not a database file" * 100)
    now = datetime.fromisoformat(NOW)
    settings = Settings(date(2026, 11, 30), now, NY, ledger=str(broken))
    _init_worker(settings, None)
    entries = plan_chunk(list(discover([folder], tmp_path / "out", [])))
    assert [(e.status, e.row["case_id"]) for e in entries] == [
        ("error", "NY-1"),
        ("error", "NY-2"),
    ]
    assert all("database" in e.row["error"] for e in entries)


def test_the_piped_table_follows_columns(three_zones: Path) -> None:
    # Piped, the table was always 100 columns wide, whatever COLUMNS said.
    args = ["today", str(three_zones), "--format", "table", "--as-of", "2026-11-30",
            "--now", NOW, "--tz", "America/New_York"]  # fmt: skip
    narrow = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert narrow.exit_code == 0, narrow.output
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 80
    wide = runner.invoke(app, args, env={"COLUMNS": None})
    assert max(len(line) for line in wide.stdout.splitlines()) > 80
