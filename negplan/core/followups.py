"""The day's follow-up actions for a tracked arrangement, derived from the ledger (SPEC §9).

Pure: a case's :class:`~negplan.core.arrangements.CaseStatus`, the terms its signed agreement
states (:class:`AgreedTerms`, read from the record embedded in the agreement) and a date in;
the actions due on or before that date out. Each action has a ``key`` that names it for ever
(``<fingerprint>:reminder:3``): the ledger records the keys issued, so a re-run, or a second
executive running the same command, issues nothing twice (``negplan.io.ledger.followups``).

An action is offered only while it is still true on ``as_of``: a reminder only before its
due date and while the installment is unpaid, a missed-payment letter only while the arrears
are unpaid, a consequence only while the default is not remedied. Once the arrangement is
completed the only letter is the paid-in-full or settled-in-full letter: nothing else is ever
sent about an account already paid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from negplan.core.arrangements import (
    ArrangementState,
    ArrangementStatus,
    CaseStatus,
    InstallmentState,
    InstallmentStatus,
    PromiseState,
)
from negplan.core.case import OptOut
from negplan.core.followup_terms import Action, ActionKind, AgreedTerms
from negplan.core.reasons import Reason
from negplan.money import ZERO

#: Days to cure a missed payment when the agreement's record states none: the Uniform Consumer
#: Credit Code's right to cure (20 days after the notice, e.g. Iowa Code § 537.5110), the
#: default of the rules' ``agreements.cure_days``.
DEFAULT_CURE_DAYS: Final = 20
#: A UK default notice gives at least 14 days after service to remedy (Consumer Credit Act 1974
#: s.88(2)); a posted notice is deemed served on the second business day after posting
#: (Interpretation Act 1978 s.7, CPR 6.26), so negplan dates the remedy 14 days after that.
UK_REMEDY_DAYS: Final = 14
POSTAL_DAYS: Final = 4
#: Forgiven debt of $600 or more is reported on Form 1099-C by an applicable financial entity
#: (26 CFR 1.6050P-1(a)).
FORM_1099C_THRESHOLD: Final = Decimal("600")
#: Arrears equal to the last two payments due trigger the arrears notice (CCA 1974 s.86B(1)).
UK_ARREARS_INSTALLMENTS: Final = 2


def reminder_channel(terms: AgreedTerms, opt_outs: frozenset[OptOut]) -> str | None:
    """Email where the debtor gave an address and did not opt out (12 CFR 1006.6(d)(4), (e));
    else an SMS text to their mobile unless they opted out of texts or of the phone (12 CFR
    1006.14(h): a debtor who said "do not phone me" is not texted either); else a letter
    unless they opted out of post too; else no reminder (docs/decisions.md)."""
    if terms.debtor_email and OptOut.email not in opt_outs:
        return "email"
    if terms.debtor_mobile and not opt_outs & {OptOut.sms, OptOut.phone}:
        return "sms"
    if terms.debtor_address and OptOut.letter not in opt_outs:
        return "letter"
    return None


def written_channel(terms: AgreedTerms, opt_outs: frozenset[OptOut]) -> str | None:
    """A written notice goes by post, or by email where the debtor asked for no post (12 CFR
    1006.14(h): never by a medium the debtor asked us not to use); else it is not sent."""
    if terms.debtor_address and OptOut.letter not in opt_outs:
        return "letter"
    if terms.debtor_email and OptOut.email not in opt_outs:
        return "email"
    return None


#: Notices the law requires on paper whatever the debtor's preferences (CCA 1974 s.86B, s.87
#: and s.189: "notice" means notice in writing, served under s.176; the debtor cannot waive it).
STATUTORY_KINDS: Final = frozenset({"arrears_notice", "default_notice"})


def lawful_consequences(t: AgreedTerms, on: date) -> tuple[str, ...]:
    """The decided ``no_deal.actions`` still lawful on ``on``: legal action only up to the last
    day a suit could be brought (12 CFR 1006.26(b): never on a time-barred debt)."""
    if t.litigation_until is None or on <= t.litigation_until:
        return t.decided
    return tuple(a for a in t.decided if a != "litigation")


def _arrears(rows: tuple[InstallmentStatus, ...], as_of: date) -> Decimal:
    return sum((r.amount - r.paid for r in rows if r.due < as_of and r.paid < r.amount), ZERO)


def _missed_rows(a: ArrangementStatus) -> list[InstallmentStatus]:
    late = (InstallmentState.missed, InstallmentState.partial)
    return [r for r in a.installments if r.state in late]


def _missed_on(row: InstallmentStatus, grace: int) -> date:
    """The first day an installment counts as missed (after its grace days)."""
    return row.due + timedelta(days=grace + 1)


def _completion(a: ArrangementStatus, t: AgreedTerms, as_of: date) -> Action:
    kind = ActionKind.settled_in_full if t.settlement else ActionKind.paid_in_full
    forgiven = t.balance - t.total if t.settlement else None
    rule = "agreement completion clause; FCRA 15 U.S.C. § 1681s-2(a)(2)"
    return Action(
        f"{t.fingerprint}:completion",
        t.case_id,
        kind,
        as_of,
        "letter",
        t.fingerprint,
        Reason(kind.value, rule, "every payment of the agreement has been made"),
        amount=a.paid,
        forgiven=forgiven,
    )


def _schedule_actions(
    a: ArrangementStatus, t: AgreedTerms, as_of: date, reminder_days: int, channel: str | None
) -> list[Action]:
    out: list[Action] = []
    grace = a.arrangement.grace_days
    for row in a.installments:
        remind_on = row.due - timedelta(days=reminder_days)
        if channel and row.state is InstallmentState.scheduled and remind_on <= as_of:
            out.append(
                Action(
                    f"{t.fingerprint}:reminder:{row.number}",
                    t.case_id,
                    ActionKind.reminder,
                    remind_on,
                    channel,
                    t.fingerprint,
                    Reason(
                        "reminder",
                        "rules followup.reminder_days",
                        f"payment {row.number} is due on {row.due}",
                    ),
                    amount=row.amount - row.paid,
                    by=row.due,
                    installment=row.number,
                )
            )
    missed = _missed_rows(a)
    if t.country == "GB" and a.state is ArrangementState.broken:
        # In default, the s.87 default notice is the letter that states the arrears and what
        # remedies them, by when (CCA 1974 s.87, s.88). A missed-payment letter not sent before
        # the default (a catch-up run after days followup did not run) would arrive with it,
        # naming another sum and another date: not clear, and not fair (PRIN 2.1.1R Principle 7;
        # CONC 7.3.4R).
        missed = []
    for row in missed:
        missed_on = _missed_on(row, grace)
        out.append(
            Action(
                f"{t.fingerprint}:missed:{row.number}",
                t.case_id,
                ActionKind.missed_payment,
                missed_on,
                "letter",
                t.fingerprint,
                Reason(
                    "missed_payment",
                    "agreements.grace_period_days; agreements.cure_days",
                    f"payment {row.number} due {row.due} was not made within {grace} days",
                ),
                amount=_arrears(a.installments, as_of),
                # The agreement gives the cure days from the date of the notice: a notice sent
                # late (a day followup did not run) still gives them all.
                by=max(missed_on, as_of) + timedelta(days=t.cure_days),
                installment=row.number,
                due=row.due,
            )
        )
    return out


def _default_actions(
    a: ArrangementStatus, t: AgreedTerms, as_of: date, issued: Mapping[str, date]
) -> list[Action]:
    """After the agreement's default: the UK's s.87 notice, then the consequence it states.

    Periods run from the notice that gives them, as issued (``issued``: the ledger's issue date
    of each action key), or, not issued yet, as it would be today: a notice sent late still
    gives every day of its period (CCA 1974 s.88(2); the agreement's cure days).
    """
    grace = a.arrangement.grace_days
    missed = _missed_rows(a)
    if a.state is not ArrangementState.broken or not missed:
        return []
    count = a.arrangement.missed_before_default
    last = missed[min(count, len(missed)) - 1]
    defaulted_on = _missed_on(last, grace)
    arrears = _arrears(a.installments, as_of)
    out: list[Action] = []
    if t.country == "GB":
        notice_key = f"{t.fingerprint}:default_notice"
        sent = issued.get(notice_key, max(defaulted_on, as_of))
        remedy_by = sent + timedelta(days=POSTAL_DAYS + UK_REMEDY_DAYS)
        out.append(
            Action(
                f"{t.fingerprint}:default_notice",
                t.case_id,
                ActionKind.default_notice,
                defaulted_on,
                "letter",
                t.fingerprint,
                Reason(
                    "default_notice",
                    "Consumer Credit Act 1974 s.87, s.88",
                    "the agreement is in default; nothing may be done on it before a default "
                    "notice expires",
                ),
                amount=arrears,
                by=remedy_by,
                balance_due=t.balance - a.paid if t.reinstate_on_default else None,
                decided=lawful_consequences(t, remedy_by + timedelta(days=1)),
            )
        )
        act_on = remedy_by + timedelta(days=1)
    else:
        sent = issued.get(f"{t.fingerprint}:missed:{last.number}", max(defaulted_on, as_of))
        act_on = sent + timedelta(days=t.cure_days + 1)
    if arrears <= ZERO or as_of < act_on:
        return out
    decided = lawful_consequences(t, act_on)
    out.append(
        Action(
            f"{t.fingerprint}:consequence",
            t.case_id,
            ActionKind.consequence,
            act_on,
            "letter",
            t.fingerprint,
            Reason(
                "consequence",
                "the agreement's default clause; no_deal.actions lawful for this debt",
                "the default was not remedied by the date given",
            ),
            amount=arrears,
            by=act_on,
            balance_due=t.balance - a.paid if t.reinstate_on_default else None,
            paid=a.paid,
            decided=decided,
        )
    )
    if not decided:  # the creditor decided nothing: someone must, before anything is done
        out.append(_review_task(a, t, act_on))
    return out


def _review_task(a: ArrangementStatus, t: AgreedTerms, on: date) -> Action:
    return Action(
        f"{t.fingerprint}:default_review",
        t.case_id,
        ActionKind.call_task,
        on,
        "phone",
        t.fingerprint,
        Reason(
            "default_review",
            "agreements.missed_payments_before_default",
            "the arrangement is in default and nothing is decided beyond its end (no_deal): "
            "call to agree what happens next",
        ),
        amount=_arrears(a.installments, on),
    )


def _uk_arrears_notice(a: ArrangementStatus, t: AgreedTerms, as_of: date) -> list[Action]:
    missed = _missed_rows(a)
    if t.country != "GB" or len(missed) < UK_ARREARS_INSTALLMENTS:
        return []
    on = _missed_on(missed[UK_ARREARS_INSTALLMENTS - 1], a.arrangement.grace_days)
    return [
        Action(
            f"{t.fingerprint}:arrears_notice",
            t.case_id,
            ActionKind.arrears_notice,
            on,
            "letter",
            t.fingerprint,
            Reason(
                "arrears_notice",
                "Consumer Credit Act 1974 s.86B",
                "the arrears equal at least the last two payments due",
            ),
            amount=_arrears(a.installments, as_of),
        )
    ]


def case_actions(
    status: CaseStatus,
    terms: dict[str, AgreedTerms],
    opt_outs: frozenset[OptOut],
    as_of: date,
    reminder_days: int,
    promise_grace_days: int,
    issued: Mapping[str, date] | None = None,
) -> list[Action]:
    """Every action due for the case on or before ``as_of`` that is still true on ``as_of``;
    ``issued`` is when each action already issued was (the ledger's ``followups``)."""
    out: list[Action] = []
    current = status.current
    t = None if current is None else terms.get(current.arrangement.fingerprint)
    held = opt_outs if t is None else opt_outs | t.case_opt_outs
    if current is not None and t is not None:
        if current.state is ArrangementState.completed:
            return _by_channel([_completion(current, t, as_of)], t, held)
        out.append(
            Action(
                f"{t.fingerprint}:confirmation",
                t.case_id,
                ActionKind.confirmation,
                current.arrangement.signed_on,
                "letter",
                t.fingerprint,
                Reason("confirmation", "SPEC §9", "a new arrangement is confirmed in writing"),
                amount=None if current.next_payment is None else current.next_payment[1],
                by=None if current.next_payment is None else current.next_payment[0],
            )
        )
        channel = reminder_channel(t, held)
        out += _schedule_actions(current, t, as_of, reminder_days, channel)
        out += _uk_arrears_notice(current, t, as_of)
        out += _default_actions(current, t, as_of, issued or {})
        out = _by_channel(out, t, held)
    for p in status.promises if OptOut.phone not in held else ():
        if p.state in (PromiseState.broken, PromiseState.partly_kept):
            promise = p.promise
            out.append(
                Action(
                    f"promise:{promise.event_id}",
                    status.case_id,
                    ActionKind.call_task,
                    promise.due + timedelta(days=promise_grace_days + 1),
                    "phone",
                    None,
                    Reason(
                        "broken_promise",
                        "agreements.grace_period_days",
                        f"the promise to pay {promise.amount} by {promise.due} was not kept",
                    ),
                    amount=promise.amount - p.paid,
                    by=promise.due,
                )
            )
    return sorted((a for a in out if a.on <= as_of), key=lambda a: (a.on, a.kind.value, a.key))


def _by_channel(actions: list[Action], t: AgreedTerms, held: frozenset[OptOut]) -> list[Action]:
    """Each action by a channel the debtor allows (SPEC §6a; 12 CFR 1006.14(h)): a written
    letter by post or, where post is refused, by email; a call task only where calls are not;
    statutory UK notices always on paper. An action with no allowed channel is not issued."""
    written = written_channel(t, held)
    out: list[Action] = []
    for a in actions:
        if a.kind is ActionKind.call_task:
            if OptOut.phone not in held:
                out.append(a)
        elif a.kind is ActionKind.reminder or a.kind.value in STATUTORY_KINDS:
            out.append(a)
        elif written is not None:
            out.append(a if written == a.channel else replace(a, channel=written))
    return out
