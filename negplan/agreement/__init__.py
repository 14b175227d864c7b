"""The written agreement: the requested terms, the draft judged as the plan's options are, the
nearest acceptable terms when refused, clauses, the fingerprinted record, documents (md, html,
pdf) and ``verify``.

May import the core, io and the shared vocabulary; never the call script or the shell.
"""
