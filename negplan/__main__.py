"""Allow ``python -m negplan``."""

from negplan.shell.app import main

main()
