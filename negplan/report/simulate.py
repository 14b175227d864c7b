"""``negplan simulate``: a portfolio played forward under a stated outcome model (SPEC §10).

For demos, for training, and for testing that ``calibrate`` recovers the rates it was given.
Every case is planned once with the rules, then played month by month; each draw uses a random
generator seeded by SHA-256 of ``"{seed}:{account}"``, so the same portfolio, rules, seed and
start date give the same ledger, event ids and timestamps included, whatever the order of files.

The outcome model (the same in docs/metrics.md):

1. **Calls.** Each month until the debtor is reached, up to ``ATTEMPTS_PER_MONTH`` calls two days
   apart; each reaches the right party with probability ``RIGHT_PARTY_RATE`` (a conversation),
   otherwise it is a no-answer, busy or voicemail (equally likely).
2. **The conversation.** With a recommended option the debtor agrees to it with probability
   ``AGREE_RATE`` (the arrangement is signed that day, its schedule moved to start from it);
   otherwise the debtor promises the good-faith payment, due in ``PROMISE_DAYS`` days, with
   probability ``PROMISE_RATE``; otherwise nothing is agreed and the case is called next month.
3. **Promises and first payments** are honoured at the rules' ``value.lump_sum_honor_rate``
   (SPEC 4a: the first payment is a promise too). An arrangement whose first payment is not
   honoured is never paid.
4. **Breaks.** Before each later installment *t* the arrangement breaks with the rules' hazard
   for its burden (largest installment ÷ affordable monthly; ``value.monthly_break_hazard``
   interpolated between its points, SPEC 4a) times ``value.hazard_month_factors`` for month
   *t*; a broken arrangement is never paid again. The debtor's track record is not simulated.
5. Paid installments are paid in full on their due date; nothing is paid after the horizon.

The debtor's record, interest and reversals are not simulated.
"""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection

from negplan.core.case import Case
from negplan.core.plan import Plan, build_plan
from negplan.core.rules import Rules
from negplan.core.valuation import burden_hazard, month_factor
from negplan.errors import InputError
from negplan.io.ledger import schema as t

RIGHT_PARTY_RATE: Final = 0.5
ATTEMPTS_PER_MONTH: Final = 3
AGREE_RATE: Final = 0.6
PROMISE_RATE: Final = 0.5
PROMISE_DAYS: Final = 7
EXECUTIVES: Final = ("Executive A", "Executive B", "Executive C")
EXPERIMENT: Final = "simulation"
RECORD_FORMAT: Final = "negplan-simulated/1"


@dataclass
class Played:
    """What the simulation wrote."""

    cases: int = 0
    accounts: int = 0
    skipped: int = 0
    contacts: int = 0
    promises: int = 0
    arrangements: int = 0
    payments: int = 0


def case_files(folders: list[Path]) -> Iterator[Path]:
    """Every ``*.yaml``/``*.yml`` under the folders, sorted, as ``batch`` finds them."""
    for folder in folders:
        if not folder.is_dir():
            raise InputError.single("not a folder", file=folder)
        yield from sorted(
            p
            for p in folder.rglob("*")
            if p.suffix in (".yaml", ".yml") and p.is_file() and not p.name.startswith(".")
        )


class _Writer:
    """Rows for one account, with deterministic ids and timestamps."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rows: dict[str, list[dict[str, Any]]] = {}

    def add(self, table: str, case_id: str, moment: str, **values: Any) -> None:
        event_id = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        row = {"event_id": event_id, "case_id": case_id, "recorded_at": moment, **values}
        self.rows.setdefault(table, []).append(row)


def _stamp(day: date) -> str:
    return datetime.combine(day, time(10, 0), timezone.utc).isoformat()


def _money(value: Decimal) -> str:
    return format(value, "f")


def _hazard(rules: Rules, burden: Decimal | None, month: int) -> float:
    """The rules' hazard for the burden (linear between points, SPEC 4a) × the month's factor."""
    value = rules.value
    return min(1.0, float(burden_hazard(burden, value) * month_factor(month, value)))


def play_account(
    writer: _Writer, case: Case, plan: Plan, account: str, rules: Rules, start: date, months: int
) -> None:
    """Play one account forward from ``start`` for ``months`` months into ``writer``."""
    rng = writer.rng
    horizon = start + relativedelta(months=months)
    honour = float(rules.value.lump_sum_honor_rate)
    executive = EXECUTIVES[rng.randrange(len(EXECUTIVES))]
    option = plan.recommended
    for month in range(months):
        reached: date | None = None
        for attempt in range(ATTEMPTS_PER_MONTH):
            day = start + relativedelta(months=month) + timedelta(days=2 * attempt)
            if day >= horizon:
                break
            talk = rng.random() < RIGHT_PARTY_RATE
            outcome = "conversation" if talk else rng.choice(("no_answer", "busy", "voicemail"))
            writer.add(
                "contacts", account, _stamp(day), at=_stamp(day), channel="phone",
                outcome=outcome, by_name=executive, note=None,
            )  # fmt: skip
            if talk:
                reached = day
                break
        if reached is None:
            continue
        if option is not None and option.payments and rng.random() < AGREE_RATE:
            _arrangement(writer, case, plan, account, rules, reached, horizon, honour)
            return
        if rng.random() < PROMISE_RATE:
            due = reached + timedelta(days=PROMISE_DAYS)
            amount = plan.minimum_terms.good_faith_payment
            writer.add(
                "promises", account, _stamp(reached), made_on=reached.isoformat(),
                due=due.isoformat(), amount=_money(amount), by_name=executive,
            )  # fmt: skip
            if rng.random() < honour and due < horizon:
                _payment(writer, account, due, amount, "P")


def _payment(writer: _Writer, account: str, day: date, amount: Decimal, tag: str) -> None:
    number = len(writer.rows.get("payments", []))
    writer.add(
        "payments", account, _stamp(day), reference=f"SIM-{account}-{tag}{number}",
        paid_on=day.isoformat(), amount=_money(amount), source="negplan simulate", line=None,
    )  # fmt: skip


def _arrangement(
    writer: _Writer,
    case: Case,
    plan: Plan,
    account: str,
    rules: Rules,
    signed: date,
    horizon: date,
    honour: float,
) -> None:
    assert plan.recommended is not None
    option = plan.recommended
    shift = signed - plan.as_of
    schedule = [(p.due + shift, p.amount) for p in option.payments]
    terms = {
        "format": RECORD_FORMAT,
        "case_id": account,
        "jurisdiction": case.jurisdiction,
        "currency": plan.currency,
        "issued": signed.isoformat(),
        "option": option.kind.value,
        "balance": {"total": _money(plan.balance)},
        "total": _money(option.total),
        "payments": [{"due": d.isoformat(), "amount": _money(a)} for d, a in schedule],
    }
    text = json.dumps(terms, sort_keys=True, separators=(",", ":"))
    fingerprint = "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    writer.add(
        "agreements", account, _stamp(signed), fingerprint=fingerprint, currency=plan.currency,
        issued=signed.isoformat(), signed_on=signed.isoformat(), total=_money(option.total),
        grace_days=rules.agreements.grace_period_days,
        missed_before_default=rules.agreements.missed_payments_before_default,
        source="negplan simulate", terms=text,
    )  # fmt: skip
    writer.rows.setdefault("installments", []).extend(
        {"fingerprint": fingerprint, "number": n, "due": d.isoformat(), "amount": _money(a)}
        for n, (d, a) in enumerate(schedule, start=1)
    )
    if writer.rng.random() >= honour:
        return
    affordable = plan.affordability.affordable_monthly
    largest = max(a for _, a in schedule)
    burden = largest / affordable if affordable > 0 else None
    for n, (due, amount) in enumerate(schedule, start=1):
        if n > 1 and writer.rng.random() < _hazard(rules, burden, n):
            return
        if due >= horizon:
            return
        _payment(writer, account, due, amount, "A")


def _seeded(seed: int, account: str) -> random.Random:
    digest = hashlib.sha256(f"{seed}:{account}".encode()).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


def simulate(
    conn: Connection,
    cases: list[tuple[Case, str]],
    rules: Rules,
    rules_label: str,
    tables: Any,
    *,
    start: date,
    months: int,
    seed: int,
    copies: int = 1,
) -> Played:
    """Plan each case once and play ``copies`` accounts of it forward, writing the ledger."""
    played = Played()
    now = datetime.combine(start, time(10, 0), timezone.utc)
    tables_by_name = {table.name: table for table in (*t.EVENT_TABLES, t.installments)}
    for case, _source in cases:
        plan = build_plan(case, rules, tables, start, now)
        played.cases += 1
        option = plan.recommended
        for copy in range(copies):
            account = case.case_id if copies == 1 else f"{case.case_id}-S{copy:05d}"
            writer = _Writer(_seeded(seed, account))
            writer.add(
                "assignments", account, _stamp(start), experiment=EXPERIMENT,
                rule_set="champion", rules_label=rules_label, planned_on=start.isoformat(),
                currency=plan.currency, jurisdiction=case.jurisdiction,
                balance=_money(plan.balance),
                affordable=_money(plan.affordability.affordable_monthly),
                option=option.kind.value if option else None,
                expected_value=_money(option.expected_value) if option else None,
            )  # fmt: skip
            play_account(writer, case, plan, account, rules, start, months)
            for name, rows in writer.rows.items():
                conn.execute(tables_by_name[name].insert(), rows)
            played.accounts += 1
            played.contacts += len(writer.rows.get("contacts", []))
            played.promises += len(writer.rows.get("promises", []))
            played.arrangements += len(writer.rows.get("agreements", []))
            played.payments += len(writer.rows.get("payments", []))
    return played
