"""A UK arrangement played day by day: exactly what ``followup`` issues on each day (SPEC §9).

Five payments of £100: the first on time, the second late but within the grace days, the third
missed and then cured within the cure period, the fourth and fifth missed (the arrears notice,
the s.87 default notice with its remedy date, then on the day after that date the consequence
the agreement states), and finally the rest paid: the paid-in-full letter, and nothing after it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from negplan.core.case import OptOut
from negplan.core.followup_terms import ActionKind
from negplan.core.followups import POSTAL_DAYS, UK_REMEDY_DAYS
from negplan.core.ledger_events import CaseHistory, Promise
from tests.followups.story import CASE, GRACE, TERMS, arrangement, paid, play

D = date
PAYMENTS = (
    paid(D(2026, 12, 3), "100.00", 1),  # on time
    paid(D(2026, 12, 12), "100.00", 2),  # two days late, within the 3 grace days
    paid(D(2026, 12, 24), "100.00", 3),  # cures the missed third payment before 28 December
    paid(D(2027, 2, 2), "200.00", 4),  # after the consequence: everything left
)


def _story() -> dict[date, list[tuple[str, str, str | None, str | None]]]:
    history = CaseHistory(CASE, arrangements=(arrangement(),), payments=PAYMENTS)
    return {
        day: [
            (
                a.key.split(":", 2)[-1],
                a.channel,
                None if a.amount is None else str(a.amount),
                None if a.by is None else a.by.isoformat(),
            )
            for a in actions
        ]
        for day, actions in play(history, D(2026, 11, 29), D(2027, 3, 1)).items()
    }


def test_each_day_issues_exactly_its_actions() -> None:
    assert _story() == {
        D(2026, 11, 30): [("confirmation", "letter", "100.00", "2026-12-04")],
        D(2026, 12, 1): [("reminder:1", "email", "100.00", "2026-12-04")],
        D(2026, 12, 7): [("reminder:2", "email", "100.00", "2026-12-10")],
        D(2026, 12, 14): [("reminder:3", "email", "100.00", "2026-12-17")],
        # 17 December + 3 grace days: missed on the 21st; 7 days to cure.
        D(2026, 12, 21): [("missed:3", "letter", "100.00", "2026-12-28")],
        D(2026, 12, 28): [("reminder:4", "email", "100.00", "2026-12-31")],
        D(2027, 1, 4): [
            ("missed:4", "letter", "100.00", "2027-01-11"),
            ("reminder:5", "email", "100.00", "2027-01-07"),
        ],
        # Two payments missed at once: the agreement's default; s.86B and s.87 notices.
        D(2027, 1, 11): [
            ("arrears_notice", "letter", "200.00", None),
            ("default_notice", "letter", "200.00", "2027-01-29"),
        ],
        # The default clause on its date; the creditor decided nothing more (no no_deal in the
        # case file), so an executive is asked to call and agree what happens next.
        D(2027, 1, 30): [
            ("default_review", "phone", "200.00", None),
            ("consequence", "letter", "200.00", "2027-01-30"),
        ],
        D(2027, 2, 2): [("completion", "letter", "500.00", None)],
    }


def test_the_uk_default_notice_gives_at_least_14_days_after_service() -> None:
    history = CaseHistory(CASE, arrangements=(arrangement(),), payments=PAYMENTS[:3])
    days = play(history, D(2026, 11, 29), D(2027, 3, 1))
    notice = next(a for acts in days.values() for a in acts if a.kind is ActionKind.default_notice)
    consequence = next(
        a for acts in days.values() for a in acts if a.kind is ActionKind.consequence
    )
    assert notice.by is not None
    assert notice.by - notice.on >= timedelta(days=UK_REMEDY_DAYS + POSTAL_DAYS)
    assert consequence.on > notice.by  # nothing is done before the notice expires (s.87(1))
    assert consequence.balance_due == Decimal("200.00")


def test_the_arrears_notice_waits_for_two_payments_in_arrears() -> None:
    one_missed = PAYMENTS[:2]  # the third is missed, the fourth and fifth never fall due
    short = arrangement(installments=arrangement().installments[:3], total=Decimal("300.00"))
    history = CaseHistory(CASE, arrangements=(short,), payments=one_missed)
    kinds = {
        a.kind for acts in play(history, D(2026, 11, 29), D(2027, 3, 1)).values() for a in acts
    }
    assert ActionKind.missed_payment in kinds
    assert not kinds & {ActionKind.arrears_notice, ActionKind.default_notice}


def test_a_remedied_default_has_no_consequence() -> None:
    remedy = (*PAYMENTS[:3], paid(D(2027, 1, 20), "200.00", 4))
    history = CaseHistory(CASE, arrangements=(arrangement(),), payments=remedy)
    kinds = [
        a.kind for acts in play(history, D(2026, 11, 29), D(2027, 3, 1)).values() for a in acts
    ]
    assert ActionKind.default_notice in kinds
    assert ActionKind.consequence not in kinds
    assert kinds[-1] is ActionKind.paid_in_full


def test_nothing_but_the_completion_letter_once_everything_is_paid() -> None:
    early = (paid(D(2026, 12, 1), "500.00", 1),)
    history = CaseHistory(CASE, arrangements=(arrangement(),), payments=early)
    days = play(history, D(2026, 11, 29), D(2027, 3, 1))
    assert [(d, [a.kind for a in acts]) for d, acts in days.items()] == [
        (D(2026, 11, 30), [ActionKind.confirmation]),
        (D(2026, 12, 1), [ActionKind.paid_in_full]),
    ]


def test_a_settlement_completes_with_the_settled_letter() -> None:
    settled = replace(TERMS, settlement=True, balance=Decimal("900.00"))
    history = CaseHistory(
        CASE, arrangements=(arrangement(),), payments=(paid(D(2026, 12, 1), "500.00", 1),)
    )
    days = play(history, D(2026, 12, 1), D(2026, 12, 1), terms=settled)
    (letter,) = days[D(2026, 12, 1)][-1:]
    assert letter.kind is ActionKind.settled_in_full
    assert letter.forgiven == Decimal("400.00")


def test_opt_outs_choose_the_reminder_channel() -> None:
    history = CaseHistory(CASE, arrangements=(arrangement(),))
    day = D(2026, 12, 1)

    def reminder_channels(opt_outs: frozenset[OptOut]) -> list[str]:
        acts = play(history, day, day, opt_outs=opt_outs).get(day, [])
        return [a.channel for a in acts if a.kind is ActionKind.reminder]

    assert reminder_channels(frozenset()) == ["email"]
    assert reminder_channels(frozenset({OptOut.email})) == ["letter"]
    assert reminder_channels(frozenset({OptOut.email, OptOut.letter})) == []


def test_a_broken_promise_is_a_call_task_after_its_grace_days() -> None:
    promise = Promise("p-1", CASE, D(2026, 12, 1), D(2026, 12, 5), Decimal("50.00"))
    history = CaseHistory(CASE, promises=(promise,))
    days = play(history, D(2026, 12, 1), D(2026, 12, 20))
    assert list(days) == [D(2026, 12, 9)]  # 5 December + 3 grace days + 1
    (task,) = days[D(2026, 12, 9)]
    assert (task.kind, task.channel, task.amount) == (
        ActionKind.call_task,
        "phone",
        Decimal("50.00"),
    )


def _kinds_and_channels(
    terms: object, opt_outs: frozenset[OptOut] = frozenset()
) -> set[tuple[str, str]]:
    history = CaseHistory(CASE, arrangements=(arrangement(),), payments=PAYMENTS[:3])
    days = play(history, D(2026, 11, 29), D(2027, 3, 1), terms=terms, opt_outs=opt_outs)  # type: ignore[arg-type]
    return {(a.kind.value, a.channel) for acts in days.values() for a in acts}


def test_opt_outs_in_the_case_file_and_in_the_ledger_both_hold() -> None:
    """The case file's opt-outs as of the agreement (agreement_facts) and opt-outs the ledger
    recorded later are one set: no follow-up uses either (SPEC §6a; 12 CFR 1006.14(h))."""
    from_case = replace(TERMS, case_opt_outs=frozenset({OptOut.email}))
    assert ("reminder", "email") not in _kinds_and_channels(from_case)
    assert ("reminder", "letter") in _kinds_and_channels(from_case)
    both = _kinds_and_channels(from_case, frozenset({OptOut.letter, OptOut.phone}))
    assert not {kind for kind, _ in both} & {"reminder", "call_task"}
    # No post and no email: the UK's statutory notices still go on paper; nothing else does.
    assert {(k, c) for k, c in both} == {
        ("arrears_notice", "letter"),
        ("default_notice", "letter"),
    }


def test_a_letter_opt_out_sends_written_notices_by_email() -> None:
    no_post = _kinds_and_channels(TERMS, frozenset({OptOut.letter}))
    assert {
        ("missed_payment", "email"),
        ("confirmation", "email"),
        ("consequence", "email"),
    } <= no_post
    assert ("default_notice", "letter") in no_post  # CCA s.87: a notice on paper


def test_the_consequence_names_only_decided_lawful_actions_on_its_date() -> None:
    history = CaseHistory(CASE, arrangements=(arrangement(),), payments=PAYMENTS[:3])

    def consequence(terms: object) -> tuple[tuple[str, ...], set[str]]:
        days = play(history, D(2026, 11, 29), D(2027, 3, 1), terms=terms)  # type: ignore[arg-type]
        acts = [a for day in days.values() for a in day]
        letter = next(a for a in acts if a.kind is ActionKind.consequence)
        return letter.decided, {
            a.key.rsplit(":", 1)[-1] for a in acts if a.kind is ActionKind.call_task
        }

    decided = replace(TERMS, decided=("agency", "litigation"), litigation_until=D(2030, 1, 1))
    assert consequence(decided) == (("agency", "litigation"), set())
    # The limitation period ends before the consequence's date: no legal action may be named.
    barred = replace(decided, litigation_until=D(2027, 1, 29))
    assert consequence(barred) == (("agency",), set())
    assert consequence(TERMS) == ((), {"default_review"})


def test_a_default_notice_issued_late_still_gives_its_full_period() -> None:
    """A day followup did not run: the s.87 notice issued 12 days after the default gives 14
    days after deemed service from its own date, and the consequence waits for that."""
    from negplan.core.arrangements import case_status
    from negplan.core.followup_terms import Action
    from negplan.core.followups import case_actions

    history = CaseHistory(CASE, arrangements=(arrangement(),), payments=PAYMENTS[:3])
    late = D(2027, 1, 23)  # the default was on 11 January

    def actions(day: date, issued: dict[str, date]) -> list[Action]:
        status = case_status(history, day, GRACE)
        terms = {TERMS.fingerprint: TERMS}
        found = case_actions(status, terms, frozenset(), day, 3, GRACE, issued)
        return [a for a in found if a.key not in issued]

    (notice,) = [a for a in actions(late, {}) if a.kind is ActionKind.default_notice]
    assert notice.by == late + timedelta(days=UK_REMEDY_DAYS + POSTAL_DAYS)
    keys = ("default_notice", "arrears_notice", "missed:3")
    issued = {f"{TERMS.fingerprint}:{key}": late for key in keys}
    assert ActionKind.consequence not in [a.kind for a in actions(notice.by, issued)]
    after = [a.kind for a in actions(notice.by + timedelta(days=1), issued)]
    assert ActionKind.consequence in after


def test_a_catch_up_run_in_default_sends_the_notices_without_a_missed_payment_letter() -> None:
    """followup did not run from 13 to 22 December: the second payment was missed on the 14th
    and the third put the agreement in default on the 21st. On the 23rd the s.86B and s.87
    notices go out, and not the missed-payment letter of the 14th beside them, with another
    sum and another date to pay by (CONC 7.3.4R; docs/decisions.md)."""
    history = CaseHistory(CASE, arrangements=(arrangement(),), payments=PAYMENTS[:1])
    before = play(history, D(2026, 11, 29), D(2026, 12, 12))
    assert ActionKind.missed_payment not in {a.kind for day in before.values() for a in day}
    caught_up = play(history, D(2026, 12, 23), D(2026, 12, 23))[D(2026, 12, 23)]
    kinds = {a.kind for a in caught_up}
    assert {ActionKind.arrears_notice, ActionKind.default_notice} <= kinds
    assert ActionKind.missed_payment not in kinds
