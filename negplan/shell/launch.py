"""Start-up of negplan's own process (the ``negplan`` command and ``python -m negplan``).

negplan starts once per call an executive prepares, and most of a run is start-up: importing
the stack and creating classes (issue 20). Two settings that only a whole program may choose are
made here, before anything else is imported, and nowhere else, so that code importing negplan
as a library keeps Python's and pydantic's defaults:

- the cyclic garbage collector is off. A run of ``prep`` lasts well under a second and keeps
  nearly everything it allocates to the end; collecting while the stack's modules and classes
  are created and a case is validated scans the same long-lived objects again and again (on a
  case with 5,000 contacts one collection during validation cost more than the validation).
  Reference counting still frees everything that is not in a cycle. ``negplan batch``, whose
  workers live for thousands of cases, turns it back on before it starts them
  (:func:`restore_collector`).
- pydantic's plugins are not looked up (``PYDANTIC_DISABLE_PLUGINS``, unless the user set it):
  the lookup scans every installed package's entry points, and a plugin would only instrument
  negplan's own validation of case files.
"""

from __future__ import annotations

import gc
import os


def main() -> None:
    """Console-script entry point: settle the process, then run the command line."""
    gc.disable()
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from negplan.shell.app import main as run

    run()


def restore_collector() -> None:
    """Turn the garbage collector back on for a long-lived run (``negplan batch``)."""
    gc.enable()
