"""Which time zone "today" is in, and what day it is there.

Every zone name (from the files, `$TZ`, `/etc/timezone`, a cache entry) is checked by
`valid_zone`, which never raises: a name that is not a zone of the database — a folder of it
such as `America`, a path, garbage — is None.
"""
from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .files import Refused, read_file

UTC = "UTC"


def valid_zone(name: str) -> str | None:
    """`name` when it is an IANA zone of the database, else None."""
    if not name or name.startswith(("/", ".")) or "\0" in name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder (IsADirectoryError)
        return None
    return name


def tz_problem(environ: dict[str, str] | None = None) -> str | None:
    """Why `$TZ` cannot name the local zone (it is set, but not to a zone), or None."""
    tz = (os.environ if environ is None else environ).get("TZ", "").lstrip(":")
    if tz and valid_zone(tz) is None:
        return f"TZ={tz!r} is not a time zone of the IANA database; today is taken in UTC"
    return None


def local_zone_name() -> str:
    """The system's local zone as an IANA name; "UTC" when none can be named (and when `$TZ`
    is set to something that is not a zone: see `tz_problem`)."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz:
        return valid_zone(tz) or UTC
    try:
        name = read_file("/etc/timezone", 4096).decode("utf-8", "replace").strip()
        if valid_zone(name):
            return name
    except Refused:
        pass
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            name = target.split("zoneinfo/", 1)[1]
            if valid_zone(name):
                return name
    except OSError:
        pass
    return UTC


def zone_name(configured: str | None) -> str:
    return configured or local_zone_name()


def today(zone: str, now: datetime | None = None) -> date:
    """The date in `zone`; `now` (aware) lets tests freeze the clock."""
    info = ZoneInfo(valid_zone(zone) or UTC)
    moment = now or datetime.now(tz=info)
    return moment.astimezone(info).date()
