"""Everything that touches the file system: the only package that opens files.

YAML with positions and Decimal money, case and rules files, the packaged data tables, the
per-user cache, templates on disk, and atomic owner-only outputs. It may import the core and the
shared vocabulary, never the renderers or the shell.
"""
