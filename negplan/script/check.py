"""The "do not say" check: the phrases each line of the pre-flight's ``avoid`` list forbids, and a
check of a rendered call script against them.

:func:`script_avoid` adds the script's own lines to that list (while part of the balance is
disputed: no legal action, nothing about the disputed part, 15 USC 1692g(b)). :func:`say_not`
maps every line to a class of phrases; :func:`unlawful_lines` finds them in a script's own words,
after removing what it quotes (case data, disclosures, the list itself, the pre-flight's
findings). ``negplan prep`` runs it over a user's template; the tests run it over every example.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from negplan.core.case import Case
from negplan.core.plan import Plan
from negplan.display import markdown_escape, money
from negplan.records import record
from negplan.script.facts import country, dispute, lawful_actions

_LEGAL_ACTION = (
    r"\b(law ?suits?|su(?:e|ed|es|ing)|court|legal (?:action|proceedings)|judge?ments?"
    r"|garnish\w*|wage attachment|bailiffs?|enforcement agents?|CCJs?)\b"
)
_OWED = (
    r"\b(you (?:still )?owe|legally (?:owed|owe|bound|required)|enforceable|obliged to pay"
    r"|have to pay|must pay)\b"
)
_THREAT = r"\b(arrest\w*|jail|prison|police|criminal|or else|last chance|final warning|seiz\w+)\b"
_THIRD_PARTIES = (
    r"\b(call|contact|speak to|tell|ask) (?:your|the debtor's|their) "
    r"(family|relatives|employer|neighbou?rs|friends|referees|colleagues)\b"
)
_ACTIONS = {
    "litigation": _LEGAL_ACTION,
    "agency": r"\b(collection agency|agency placement)\b",
    "debt_sale": r"\b(sell the account|debt buyer|sale of the account)\b",
}
_REPORTING = r"\b(credit (?:bureaus?|reference agenc\w+|information compan\w+|file|report|score))\b"


@record
class SayNot:
    """A class of phrases the script must not contain, and the rule it comes from."""

    name: str
    rule: str
    pattern: re.Pattern[str]


def _dispute_rule(case: Case, plan: Plan) -> str:
    rule = next((f.rule for f in plan.compliance.findings if f.check == "disputed"), None)
    return rule or ("15 USC 1692g(b)" if country(case) == "US" else "the open dispute")


def script_avoid(case: Case, plan: Plan) -> list[str]:
    """The script's own "do not say" lines, added to the pre-flight's.

    While part of the balance is disputed, the pre-flight forbids asking for the disputed part
    (US); the script also keeps legal action and any consequence for that part out of the call,
    in every jurisdiction, since its figures cover only the undisputed part.
    """
    part = dispute(plan)
    if part is None:
        return []
    rule = _dispute_rule(case, plan)
    disputed = money(part.disputed, case.currency)
    out = [
        f"Do not mention legal action while the dispute is open, and say nothing about what "
        f"could happen over the disputed {disputed} ({rule})"
    ]
    if not any("disputed" in line for line in plan.compliance.avoid):
        out.insert(
            0, f"Do not ask for payment of the disputed {disputed} until it is resolved ({rule})"
        )
    return out


def say_not(case: Case, plan: Plan) -> list[SayNot]:
    """The phrases this case's script must not use, each tied to its "do not say" rule."""
    out: list[SayNot] = []

    def add(name: str, rule: str, pattern: str) -> None:
        out.append(SayNot(name, rule, re.compile(pattern, re.IGNORECASE)))

    for rule in plan.compliance.avoid:
        text = rule.lower()
        if re.search(r"lawsuit|court action|legal action|threatening suit", text):
            add("legal action", rule, _LEGAL_ACTION)
        if re.search(r"enforceable|legally owed|as if it were still owed", text):
            add("the debt is owed", rule, _OWED)
        if re.search(r"intimidate|humiliate", text):
            add("threats", rule, _THREAT)
        if re.search(r"family, referees|anyone but the debtor|anyone until", text):
            add("third parties", rule, _THIRD_PARTIES)
        if re.search(
            r"not intended|when legally it cannot|cannot legally be taken|false or misleading",
            text,
        ):
            lawful = lawful_actions(case, plan)
            for kind, pattern in _ACTIONS.items():
                if kind not in lawful:
                    add(f"{kind} (not decided in no_deal, or not lawful here)", rule, pattern)
            add("threats", rule, _THREAT)
            if not case.creditor.reports_to_credit_bureaus:
                add("credit reporting (the creditor does not report)", rule, _REPORTING)
    for rule in script_avoid(case, plan):
        if "legal action" in rule:
            add("legal action (a dispute is open)", rule, _LEGAL_ACTION)
    return out


def quoted_texts(case: Case, plan: Plan) -> list[str]:
    """Texts the script quotes rather than says: case data and the pre-flight's own wording."""
    texts: list[str | None] = [
        case.debtor.name,
        case.debtor.address,
        case.creditor.name,
        case.creditor.address,
        case.creditor.collector_name,
        case.debtor.flags.attorney_contact,
        case.notes,
        *(c.note for c in case.contacts),
        *(n.terms for n in case.previous_negotiations),
        *plan.compliance.disclosures,
        *plan.compliance.avoid,
        *script_avoid(case, plan),
        *(f.message for f in plan.compliance.findings),
        *(f.rule for f in plan.compliance.findings),
        plan.limitation.reason,
    ]
    return sorted({t for t in texts if t}, key=len, reverse=True)


def unlawful_lines(script: str, case: Case, plan: Plan) -> list[tuple[SayNot, str]]:
    """Lines of a rendered script that use a forbidden phrase in the script's own words.

    Quoted texts (case data, the required disclosures, the "do not say" list, the pre-flight's
    findings) are removed first: a note on file or a disclosure is not the script speaking.
    """
    own = script
    for text in quoted_texts(case, plan):
        own = own.replace(markdown_escape(text), " ").replace(text, " ")
    rules = say_not(case, plan)
    found: list[tuple[SayNot, str]] = []
    for line in own.splitlines():
        for rule in rules:
            if rule.pattern.search(line):
                found.append((rule, line))
    return found


def script_violations(script: str, case: Case, plan: Plan) -> Iterable[str]:
    """Human-readable lines for :func:`unlawful_lines` (e.g. to warn about a user template)."""
    for rule, line in unlawful_lines(script, case, plan):
        yield f"{rule.name} ({rule.rule}): {line.strip()}"
