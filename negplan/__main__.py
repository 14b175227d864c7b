"""Allow ``python -m negplan``."""

from negplan.shell.launch import main

main()
