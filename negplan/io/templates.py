"""The Jinja environment: one for every document negplan writes.

* ``StrictUndefined``: a financial document fails on a missing variable instead of printing "".
* Autoescape by the template's *inner* suffix (``agreement.html.j2`` escapes, ``*.md.j2`` does not).
* A ``finalize`` that refuses a raw ``Decimal``: every amount must pass through ``|money``, so
  no figure is printed without its currency and rounding.
* Templates are looked up first in the user's ``--templates`` folder, then in the package.
* Case data is data: Markdown templates escape it with ``|md`` so a name like ``*Bob*`` or
  ``{{ 7*7 }}`` is printed literally and cannot change the document's structure.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from negplan.errors import InputError
from negplan.money import display, quantize


def template_dirs(user_dir: Path | None = None) -> list[Path]:
    """Where templates are looked up, user folder first. The package's copy ships in the wheel;
    in a source checkout the top-level ``templates/`` folder is used."""
    dirs: list[Path] = []
    if user_dir is not None:
        if not user_dir.is_dir():
            raise InputError.single("templates folder not found", file=user_dir)
        dirs.append(user_dir)
    packaged = Path(str(resources.files("negplan"))) / "templates"
    source = Path(__file__).resolve().parents[2] / "templates"
    dirs.append(packaged if packaged.is_dir() else source)
    return dirs


def _autoescape(name: str | None) -> bool:
    if name is None:
        return False
    stem = name[:-3] if name.endswith(".j2") else name
    return stem.endswith((".html", ".htm", ".xml"))


def _finalize(value: Any) -> Any:
    if isinstance(value, Decimal):
        raise jinja2.TemplateRuntimeError(
            "a raw Decimal reached a template; format amounts with |money"
        )
    return "" if value is None else value


def money(amount: Decimal | None, currency: str) -> str:
    """``1,234.50 USD``: grouped, quantized to the currency, with its ISO code."""
    if amount is None:
        return "—"
    return display(amount, currency)


def currency(amount: Decimal | None, code: str, locale: str = "en_US") -> str:
    """``$1,234.50``, ``£1,234.50``, ``₹1,23,456.00``: the amount quantized to the currency
    (half up, SPEC §1) and written the way readers in ``locale`` expect, with babel (imported
    here: only agreements need it)."""
    if amount is None:
        return "—"
    from babel.numbers import format_currency

    return str(format_currency(quantize(amount, code), code, locale=locale))


def iso_date(value: date | None) -> str:
    return "—" if value is None else value.isoformat()


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


def long_date(value: date | None) -> str:
    """``5 December 2026``: unambiguous across US, UK and Indian readers (and locale-proof)."""
    return "—" if value is None else f"{value.day} {MONTHS[value.month - 1]} {value.year}"


#: Characters Markdown may read as markup anywhere in a line, each escaped with a backslash.
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|~"})
#: What only matters at the start of a line: list markers ("- ", "+ ", "1. ") and setext rules.
_MD_LINE_START = re.compile(r"^(\s*)(?:([-+])(?=\s)|(\d+)\.(?=\s)|(=+\s*$))", re.MULTILINE)


#: Text that cannot mean anything to Markdown: no special character, no line break, and not
#: starting with a list marker, a numbered-list marker or a rule.
_MD_PLAIN = re.compile(r"(?![ \t]*(?:[-+=]|\d+\.))[^\\`*_\[\]<>#|~\r\n]*")


def _escape_line_start(match: re.Match[str]) -> str:
    indent, bullet, number, rule = match.groups()
    if bullet:
        return f"{indent}\\{bullet}"
    if number:
        return f"{indent}{number}\\."
    return f"{indent}\\{rule}"


def markdown_escape(value: Any) -> str:
    """Escape text so Markdown shows it literally (no emphasis, links, headings or HTML).

    Only what Markdown would interpret is escaped: ``333.50`` and ``-5`` stay as they are.
    """
    text = "" if value is None else str(value)
    if _MD_PLAIN.fullmatch(text):  # most case data (names, amounts, dates) needs nothing
        return text
    text = _MD_LINE_START.sub(_escape_line_start, text.translate(_MD_SPECIAL))
    return text.replace("\r", " ").replace("\n", " ")


def percent(value: Decimal | None, places: int = 0) -> str:
    if value is None:
        return "—"
    return f"{(value * 100).quantize(Decimal(1).scaleb(-places)):f}%"


def plain_number(value: Decimal) -> str:
    """A Decimal that is not money (a burden, a rate) as plain text."""
    return format(value, "f")


@lru_cache(maxsize=8)
def environment(user_dir: Path | None = None) -> jinja2.Environment:
    """The shared environment (cached per user template folder)."""
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in template_dirs(user_dir)])
    from negplan.io.cache import jinja_bytecode_cache

    env = jinja2.Environment(
        loader=loader,
        bytecode_cache=jinja_bytecode_cache(),  # type: ignore[arg-type]
        # negplan runs are short: templates are not stat-ed before every render (a long-lived
        # caller that edits user templates would need a fresh environment).
        auto_reload=False,
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.filters.update(
        money=money,
        currency=currency,
        date=iso_date,
        long_date=long_date,
        md=markdown_escape,
        percent=percent,
        number=plain_number,
    )
    return env


def render(template: str, context: dict[str, Any], user_dir: Path | None = None) -> str:
    """Render a named template; template errors become input errors naming the template."""
    env = environment(user_dir)
    try:
        return env.get_template(template).render(**context)
    except jinja2.TemplateNotFound:
        raise InputError.single(f"template {template!r} not found") from None
    except jinja2.UndefinedError as exc:
        raise InputError.single(f"template {template}: {exc.message}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise InputError.single(
            f"template syntax error: {exc.message}", file=exc.filename or template
        ) from None
