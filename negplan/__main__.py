"""Allow ``python -m negplan``."""

from negplan.cli import main

main()
