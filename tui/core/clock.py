"""Which time zone "today" is in, and what day it is there."""
from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _valid(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def local_zone_name() -> str:
    """The system's local zone as an IANA name; "UTC" when none can be named."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz and _valid(tz):
        return tz
    try:
        with open("/etc/timezone", encoding="utf-8") as fh:
            name = fh.read().strip()
        if name and _valid(name):
            return name
    except OSError:
        pass
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            name = target.split("zoneinfo/", 1)[1]
            if _valid(name):
                return name
    except OSError:
        pass
    return "UTC"


def zone_name(configured: str | None) -> str:
    return configured or local_zone_name()


def today(zone: str, now: datetime | None = None) -> date:
    """The date in `zone`; `now` (aware) lets tests freeze the clock."""
    moment = now or datetime.now(tz=ZoneInfo(zone))
    return moment.astimezone(ZoneInfo(zone)).date()
