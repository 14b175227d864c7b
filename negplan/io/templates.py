"""The Jinja environment: one for every document negplan writes.

* ``StrictUndefined``: a financial document fails on a missing variable instead of printing "".
* Autoescape by the template's *inner* suffix (``agreement.html.j2`` escapes, ``*.md.j2`` does not).
* A ``finalize`` that refuses a raw ``Decimal``: every amount must pass through ``|money``, so
  no figure is printed without its currency and rounding.
* Templates are looked up first in the user's ``--templates`` folder, then in the package.
* Case data is data: Markdown templates escape it with ``|md`` so a name like ``*Bob*`` or
  ``{{ 7*7 }}`` is printed literally and cannot change the document's structure.
* Templates run sandboxed (``jinja2.sandbox.SandboxedEnvironment``): a template in a shared
  ``--templates`` folder cannot reach ``__globals__``, ``os`` or any other unsafe attribute, so
  it can shape a script but never run code on the collector's machine.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from negplan.display import (
    currency,
    iso_date,
    long_date,
    markdown_escape,
    money,
    percent,
    plain_number,
)
from negplan.errors import InputError


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


class _Sandbox(SandboxedEnvironment):
    """The sandbox, with its verdict on each attribute kept per (type of object, name).

    Jinja's verdict (``attr`` private, or internal to a function, method, type, code object,
    frame, traceback or generator: :func:`jinja2.sandbox.is_internal_attribute`) depends on
    the object's type and the name alone, never on the object or the value; a call script
    reads some 130 attributes, each judged afresh per case before (issue 20). Calls and
    unsafe names are refused exactly as before."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


@lru_cache(maxsize=8)
def environment(user_dir: Path | None = None) -> SandboxedEnvironment:
    """The shared environment (cached per user template folder)."""
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in template_dirs(user_dir)])
    from negplan.io.cache import jinja_bytecode_cache

    env = _Sandbox(
        loader=loader,
        bytecode_cache=jinja_bytecode_cache(),
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
    except jinja2.exceptions.SecurityError as exc:
        raise InputError.single(f"template {template}: not allowed ({exc})") from None
    except jinja2.TemplateSyntaxError as exc:
        raise InputError.single(
            f"template syntax error: {exc.message}", file=exc.filename or template
        ) from None
