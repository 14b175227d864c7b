"""The call script: the facts an executive may state, talking points, objections, the close, the
blocked-case notice and the do-not-say check.

Renders a :class:`negplan.core.plan.Plan` through the Jinja environment of :mod:`negplan.io`.
May import the core, io and the shared vocabulary; never the agreement package or the shell.
"""
