"""Compliance pre-flight: is it lawful to call this debtor now, and what must be said or avoided.

``limitation_status`` decides whether the debt is time-barred; ``preflight`` runs every check of
the jurisdiction's profile (SPEC §6) at a given moment. Profiles and limitation periods are data
under ``negplan/data/compliance/``, overridable under ``compliance:`` in the rules.
"""

from negplan.core.compliance.limitation import Limitation, limitation_status
from negplan.core.compliance.preflight import Finding, Preflight, Verdict, preflight

__all__ = ["Finding", "Limitation", "Preflight", "Verdict", "limitation_status", "preflight"]
