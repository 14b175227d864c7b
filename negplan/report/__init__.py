"""Evaluate and improve (SPEC §10): what the ledger says happened, and what to change.

* ``sql``: the few expressions SQLite and PostgreSQL spell differently (exact cents from the
  ledger's decimal text, date arithmetic, JSON fields), compiled per dialect;
* ``facts``: one row per tracked arrangement (collected, broken at which installment, arrears,
  cured…) as a SQL subquery, never as Python objects;
* ``metrics``: the report's figures grouped by executive, rules, option, jurisdiction or month,
  aggregated by the database (``GROUP BY``), so memory does not grow with the ledger;
* ``cohorts``: liquidation curves by cohort month, and the realised lift of a challenger;
* ``calibration``: break hazard and honour rate from outcomes, as a reviewable rules override;
* ``charts`` and ``render``: the table, CSV, JSON, Markdown and the offline HTML report;
* ``simulate``: a portfolio played forward under a stated outcome model, into a ledger;
* ``compare``: how two rule sets differ over a portfolio before any call.

The formulas are in ``docs/metrics.md``. This package may import ``negplan.core`` and
``negplan.io``; the shell imports it.
"""
