"""``negplan agreement`` and ``negplan verify``: the written agreement after the call."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Final

import typer

from negplan.agreement.formats import FORMATS, DocFormat
from negplan.core.case import OptionKind
from negplan.display import printable
from negplan.errors import InputError, OutputError, TermsRefused
from negplan.io.outputs import output_path
from negplan.shell.funnel import error, funnel
from negplan.shell.options import (
    LedgerOption,
    PlanningDateOption,
    RulesOption,
    parse_as_of,
    resolve_moments,
)


class _DocFormat(str, Enum):
    md = "md"
    html = "html"
    pdf = "pdf"


#: The kinds ``--option`` accepts, as its help and its refusal list them (one list, the core's).
OPTION_KINDS: Final = ", ".join(kind.value for kind in OptionKind)


def _option_name(value: str | None) -> str | None:
    """``--option`` as given, once it has the form of an option: a word that is neither a kind
    nor an option id is a usage error (exit 2), found before the case is read. An id of the
    right form that this plan lacks is found only by planning the case (exit 1, listing the
    plan's options)."""
    from negplan.core.proposals import is_option_name

    if value is not None and not is_option_name(value.strip()):
        raise typer.BadParameter(
            f"unknown option {value.strip()!r}; give a kind ({OPTION_KINDS}) or an option id "
            "of the plan, such as plan_full_12m or settlement_3x (negplan prep --json lists them)"
        )
    return value


@funnel
def agreement(
    case_file: Annotated[
        str,
        typer.Argument(help="The case file (YAML), or - to read it from stdin.", metavar="CASE"),
    ],
    option: Annotated[
        str | None,
        typer.Option(
            "--option",
            help=f"A plan option id (e.g. plan_full_12m) or a kind: {OPTION_KINDS} "
            "(default: the case's agreement: section).",
            metavar="ID",
            callback=_option_name,
            rich_help_panel="Terms",
        ),
    ] = None,
    amount: Annotated[
        str | None,
        typer.Option(
            "--amount",
            help="The TOTAL to be paid (any down payment included).",
            metavar="A",
            rich_help_panel="Terms",
        ),
    ] = None,
    down_payment: Annotated[
        str | None,
        typer.Option(
            "--down-payment",
            help="Paid on the agreement date (e.g. a good-faith payment taken on the call); "
            "part of the total, the rest is scheduled (overrides the case's down_payment).",
            metavar="A",
            rich_help_panel="Terms",
        ),
    ] = None,
    installments: Annotated[
        int | None,
        typer.Option(
            "--installments",
            min=1,
            max=600,
            help="Monthly payments of a settlement.",
            metavar="N",
            rich_help_panel="Terms",
        ),
    ] = None,
    months: Annotated[
        int | None,
        typer.Option(
            "--months",
            min=1,
            max=600,
            help="Months of a plan or hardship arrangement.",
            metavar="N",
            rich_help_panel="Terms",
        ),
    ] = None,
    first_due: Annotated[
        str | None,
        typer.Option(
            "--first-due",
            help="The first scheduled payment's date (default: the plan's; at most "
            "agreements.max_first_payment_days after the agreement date). Weekends and public "
            "holidays move to the next business day.",
            metavar="YYYY-MM-DD",
            callback=parse_as_of,
            rich_help_panel="Terms",
        ),
    ] = None,
    approved_by: Annotated[
        str | None,
        typer.Option(
            "--approved-by",
            help="Who approved terms below your authority (overrides the case's approved_by).",
            metavar="NAME",
            rich_help_panel="Terms",
        ),
    ] = None,
    doc_format: Annotated[
        _DocFormat | None,
        typer.Option(
            "--format",
            help="md, html or pdf (default: from the --out suffix .md, .html or .pdf, else md).",
            rich_help_panel="Outputs",
        ),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            help="The file to write, ending .md, .html or .pdf, or a folder to write "
            "CASE_ID.agreement.md, .html or .pdf in (default: beside the case file; - for "
            "stdout).",
            metavar="FILE",
            rich_help_panel="Outputs",
        ),
    ] = None,
    rules: RulesOption = None,
    as_of: PlanningDateOption = None,
    ledger: LedgerOption = None,
) -> None:
    """Write the agreement for terms agreed on the call, once they pass the plan's checks.

    Terms below the minimum, unaffordable or outside policy are refused (exit 1, nothing written).

    So are terms below your authority without --approved-by. A refusal names the nearest terms,
    the plan's recommendation first.

    \b
    Example:
      negplan agreement examples/maria-lopez-plan.yaml --option plan_full_12m --format pdf
    """
    import shlex

    from negplan.agreement.document import render_agreement
    from negplan.agreement.draft import draft_agreement
    from negplan.agreement.request import agreement_moment, terms_request
    from negplan.core.plan import build_plan
    from negplan.io.case_file import load_case, locate_in_case
    from negplan.io.outputs import write_atomic
    from negplan.io.packaged import load_tables
    from negplan.io.rules_file import load_rules, rules_for_case
    from negplan.shell.ledger_documents import case_facts, record_issued
    from negplan.shell.ledger_prep import configured

    day, _ = resolve_moments(as_of, None)
    fmt = agreement_format(doc_format.value if doc_format else None, out)
    if out == "-":
        check_stdout(fmt, sys.stdout.isatty())
    effective = load_rules(rules)
    case = load_case(case_file, day)
    effective = rules_for_case(effective, rules, case.jurisdiction)
    plan = build_plan(case, effective, load_tables(), day, agreement_moment(day, case))
    request = terms_request(
        case,
        option=option,
        amount=amount,
        installments=installments,
        months=months,
        first_due=first_due,  # type: ignore[arg-type]  # the callback made it a date
        approved_by=approved_by,
        down_payment=down_payment,
        case_name=case_file,
        spell=flag,
    )
    rerun = ["negplan", "agreement", case_file]
    rerun += ["--rules", str(rules)] if rules else []
    rerun += ["--as-of", day.isoformat()] if as_of else []
    try:
        drafted = draft_agreement(
            case, effective, plan, request, as_of=day, command=shlex.join(rerun)
        )
    except (InputError, TermsRefused) as error:
        if not request.from_case:
            raise
        raise locate_in_case(error, case_file) from None
    document = render_agreement(drafted, fmt)
    location = configured(ledger)
    facts = case_facts(case, plan, f"case file {case_file}")
    if out == "-":
        if isinstance(document.content, bytes):
            sys.stdout.buffer.write(document.content)
            sys.stdout.flush()
        else:
            sys.stdout.write(document.content)
        typer.echo(document.summary, err=True)
        if location is not None:  # SPEC §8: the ledger knows every document negplan issued
            record_issued(
                location, case.case_id, document.fingerprint, "agreement", day, None, facts
            )
        return
    target = Path(out) if out else agreement_path(case_file, case.case_id, fmt)
    if target.is_dir():  # a folder, as --out is for prep and batch: the usual name inside it
        target = output_path(target, f"{case.case_id}.agreement.{fmt}")
    write_atomic(target, document.content)
    if location is not None:
        record_issued(
            location, case.case_id, document.fingerprint, "agreement", day, str(target), facts
        )
    typer.echo(f"wrote {target}: {document.summary}")


@funnel
def verify(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Agreements and letters written by negplan agreement or negplan followup "
            "(md, html or pdf).",
            metavar="FILE...",
        ),
    ],
    ledger: LedgerOption = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            help="The folder followup --templates wrote the letters with (letters only: "
            "agreements always use the built-in templates).",
            metavar="DIR",
        ),
    ] = None,
) -> None:
    """Check that agreements and letters are unaltered: fingerprint and visible text.

    Exit 0 when every file is unaltered, 1 otherwise.

    This detects alteration, not forgery: the fingerprint is an unkeyed SHA-256 that anyone can
    recompute for a document they wrote themselves. Compare it with the fingerprint on the
    creditor's signed copy or in its own records. With a ledger configured, a document whose
    fingerprint the ledger never recorded issuing fails too.

    \b
    Example:
      negplan verify examples/NW-2026-00187.agreement.pdf
    """
    from negplan.letters.verify import verify_file
    from negplan.shell.ledger_documents import issued_here
    from negplan.shell.ledger_prep import configured

    location = configured(ledger)
    failed = 0
    for file in files:
        try:
            result = verify_file(file, templates)
        except InputError as exc:
            failed += 1
            error(str(exc))
            continue
        printed = result.fingerprint
        if result.ok and location is not None and printed and not issued_here(location, printed):
            failed += 1  # SPEC §5a: the ledger knows every document negplan issued
            error(f"{file}: unaltered, but not issued here: the ledger has no record of {printed}")
            continue
        if result.ok:
            line = f"ok {file}: unaltered {result.summary}; fingerprint {result.fingerprint}"
            typer.echo(printable(line).replace("\n", "\\n"))
            continue
        failed += 1
        error(f"{file}: ALTERED")
        for problem in result.problems:
            error(f"  - {problem}")
    if failed:
        raise typer.Exit(1)


# ----------------------------------------------------------------------------- output


def flag(term: str) -> str:
    """How a requested term is written on this command line: ``first_due`` → ``--first-due``."""
    return "--" + term.replace("_", "-")


_SUFFIXES: Final[dict[str, DocFormat]] = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}


def agreement_format(requested: str | None, out: str | None) -> DocFormat:
    """``--format``, else the ``--out`` file's suffix, else Markdown.

    An ``--out`` suffix negplan cannot write (``.docx``, ``.txt`` …) is refused rather than
    given content of another format, and so is a suffix that contradicts ``--format``.
    """
    fmt = None if requested is None else _format_name(requested)
    suffix = Path(out).suffix if out and out != "-" else ""
    if not suffix:
        return fmt or "md"
    known = _SUFFIXES.get(suffix.lower())
    if known is None:
        raise InputError.single(
            f"cannot write an agreement as {suffix}: the formats are md, html and pdf "
            "(end the file name with .md, .html or .pdf)",
            path="--out",
        )
    if fmt is not None and fmt != known:
        raise InputError.single(
            f"--format {fmt} does not match the {suffix} file name; drop --format or use "
            f"--format {known}",
            path="--out",
        )
    return known


def _format_name(name: str) -> DocFormat:
    for fmt in FORMATS:
        if name == fmt:
            return fmt
    raise InputError.single(f"unknown format {name!r}; use md, html or pdf", path="--format")


def agreement_path(case_file: str, case_id: str, fmt: DocFormat) -> Path:
    """``CASE_ID.agreement.<ext>`` beside the case file (the working folder for stdin)."""
    folder = Path.cwd() if case_file == "-" else Path(case_file).parent
    return output_path(folder, f"{case_id}.agreement.{fmt}")


def check_stdout(fmt: DocFormat, is_terminal: bool) -> None:
    if fmt == "pdf" and is_terminal:
        raise OutputError("refusing to write a PDF to a terminal; use --out FILE or a pipe")
