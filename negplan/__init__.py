"""negplan: a negotiation planner for debt-collection calls.

The core is :func:`negplan.core.plan.build_plan`, a pure function from a case, the creditor's rules
and a moment in time to a :class:`negplan.core.plan.Plan`. Everything else (the CLI, rendering,
batch runs) is a shell around it.
"""

__version__ = "0.1.0"
