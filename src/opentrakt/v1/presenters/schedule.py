"""Weekly air slots ("Monday", "9:00pm") and their conversion to UTC."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from opentrakt.catalog.zones import zone

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*([ap]m)\s*$", re.IGNORECASE)


def parse_time(value: str) -> tuple[int, int] | None:
    match = _TIME.match(value)
    if not match:
        return None
    hour, minute = int(match.group(1)) % 12, int(match.group(2))
    if match.group(3).lower() == "pm":
        hour += 12
    return hour, minute


def format_time(hour: int, minute: int) -> str:
    suffix = "am" if hour < 12 else "pm"
    return f"{(hour % 12) or 12}:{minute:02d}{suffix}"


def utc_air_slot(day: str | None, time: str | None, zone_name: str | None) -> tuple[str, str]:
    """The slot in UTC, using the zone's standard offset as v1 did; ``("", "")`` when unknown."""
    if not day or day not in DAYS or not time:
        return "", ""
    parsed = parse_time(time)
    if parsed is None:
        return "", ""
    tz = zone(zone_name)
    # A January reference week: standard time everywhere in the northern hemisphere.
    reference = datetime(2001, 1, 1 + DAYS.index(day), parsed[0], parsed[1], tzinfo=tz)
    standard = (reference.utcoffset() or timedelta()) - (reference.dst() or timedelta())
    utc = reference.replace(tzinfo=None) - standard
    return DAYS[utc.weekday()], format_time(utc.hour, utc.minute)
