"""``negplan new``, ``validate``, ``schema`` and ``rules``: case and rules files themselves."""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from negplan.errors import InputError
from negplan.shell.funnel import error, funnel, report, warn
from negplan.shell.options import PlanningDateOption, RulesOption, resolve_moments


@funnel
def new(
    path: Annotated[Path, typer.Argument(help="Where to write the case file.", metavar="PATH")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented case-file template to fill in.

    \b
    Example:
      negplan new cases/NW-2026-00188.yaml
    """
    from importlib import resources

    from negplan.errors import OutputError
    from negplan.io.outputs import write_atomic

    if path.exists() and not force:
        raise OutputError(f"{path} already exists (use --force to overwrite)")
    text = resources.files("negplan").joinpath("data/new_case.yaml").read_text("utf-8")
    write_atomic(path, text)
    typer.echo(f"wrote {path}; fill it in, then run: negplan validate {path}")


class _Kind(str, Enum):
    case = "case"
    rules = "rules"


@funnel
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Case or rules files, or folders of them (searched recursively).",
            metavar="PATH...",
        ),
    ],
    as_of: PlanningDateOption = None,
) -> None:
    """Check case (or rules) files, or folders of them, and list every problem, not just the first.

    \b
    Example:
      negplan validate examples/*.yaml
    """
    from negplan.io.validate import validate_file

    day, _ = resolve_moments(as_of, None)
    files = list(_case_files(paths))
    failed = 0
    for file in files:
        try:
            kind, what = validate_file(file, day)
        except InputError as exc:
            failed += 1
            report(exc)
            continue
        except Exception as exc:  # a bug in one file's check must not hide the others
            failed += 1
            error(f"{file}: internal error ({type(exc).__name__}: {exc}); please report it")
            continue
        typer.echo(f"ok {file} ({kind} {what})" if what else f"ok {file} ({kind})")
    if failed:
        typer.echo(f"{failed} of {len(files)} file(s) invalid", err=True)
        raise typer.Exit(1)


def _case_files(paths: list[Path]) -> Iterator[Path]:
    """Each path given; for a folder, its ``*.yaml``/``*.yml`` files, recursively and sorted,
    skipping hidden ones (the files ``negplan batch`` would plan)."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        found = sorted(
            p
            for p in path.rglob("*")
            if p.suffix in (".yaml", ".yml")
            and p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        if not found:
            warn(f"{path}: no case files (*.yaml, *.yml) in this folder")
        yield from found


@funnel
def schema(
    kind: Annotated[
        _Kind, typer.Argument(help="Which schema (default: case).", metavar="KIND")
    ] = _Kind.case,
) -> None:
    """Print the JSON Schema of case files or rules files, for editors and other tools.

    \b
    Example:
      negplan schema case > case.schema.json
    """
    import json

    from negplan.io.validate import json_schema

    typer.echo(json.dumps(json_schema(kind.value), indent=2, ensure_ascii=False))


@funnel
def rules(rules: RulesOption = None) -> None:
    """Print the effective rules as YAML (the defaults, or your --rules merged over them).

    \b
    Example:
      negplan rules --rules examples/rules-override.yaml
    """
    from negplan.io.validate import effective_rules_yaml

    typer.echo(effective_rules_yaml(rules), nl=False)
