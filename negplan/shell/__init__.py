"""The command line: the Typer app, the one error funnel, presenters (Rich or plain text), batch
and the plan JSON. The only package that knows about flags and terminals; it computes no money.
"""
