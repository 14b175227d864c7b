"""Compliance pre-flight: is it lawful to call this debtor now, and what must be said or avoided."""
