"""The planning core: pure, deterministic functions from a case, rules and tables to a plan.

Owns affordability, the creditor's alternatives (BATNA), valuation, minimum terms, options, the
offer ladder, payment schedules and the compliance checks. It opens no file, keeps no cache on
disk, reads no clock and imports neither Typer, Rich, Jinja, YAML nor ``importlib.resources``:
the packaged tables are loaded by :mod:`negplan.io` and passed in. It may import only the shared
vocabulary (:mod:`negplan.errors`, :mod:`negplan.money`, :mod:`negplan.jurisdictions`).
"""

from negplan.core.plan import Plan, build_plan

__all__ = ["Plan", "build_plan"]
