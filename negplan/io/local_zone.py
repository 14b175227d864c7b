"""The executive's time zone: the machine's own, read here because finding it reads files.

``negplan today`` shows each call's window in the debtor's time and in the executive's. Without
``--tz`` the executive is taken to sit where the machine's clock is set, which is where a desk
computer is: ``$TZ`` when it names an IANA zone, else the zone ``/etc/localtime`` links to (as
``timedatectl`` and macOS set it), else the clock's current UTC offset (a fixed offset: right
today, wrong across a daylight-saving change, so a warning asks for ``--tz``).
"""

from __future__ import annotations

import os
from datetime import datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from negplan.core.fields import zone_name

_LOCALTIME = Path("/etc/localtime")


def _named(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(zone_name(name))
    except (ValueError, ZoneInfoNotFoundError):
        return None


def machine_zone() -> tuple[tzinfo, str, bool]:
    """The machine's zone, its name, and whether it is a real IANA zone (False: an offset)."""
    env = os.environ.get("TZ", "").lstrip(":")
    if env and (zone := _named(env)) is not None:
        return zone, env, True
    try:
        target = str(_LOCALTIME.resolve()) if _LOCALTIME.is_symlink() else ""
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        name = target.split("zoneinfo/", 1)[1]
        if (zone := _named(name)) is not None:
            return zone, name, True
    offset = datetime.now().astimezone().tzinfo
    assert offset is not None  # astimezone() always gives an aware moment
    return offset, str(offset), False


def named_zone(name: str) -> ZoneInfo:
    """``--tz``: an IANA zone, or a ValueError naming a few."""
    return ZoneInfo(zone_name(name))
