"""The Pacific-encoded air-time conventions of v1.

The database stores true UTC instants. v1 wrote air times as wall-clock readings encoded as if
they were US-Pacific (``first_aired``: the local air time; ``first_aired_utc``: the UTC wall
clock), and ISO strings with the network's standard (not daylight) offset.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PACIFIC = ZoneInfo("America/Los_Angeles")


def zone(name: str | None) -> ZoneInfo:
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return PACIFIC


def _as_pacific(naive: datetime) -> int:
    return int(naive.replace(tzinfo=PACIFIC).timestamp())


def local_as_pacific(instant: int | None, zone_name: str | None) -> int:
    """``first_aired``: the local wall clock of the airing, read as a Pacific time."""
    if not instant:
        return 0
    local = datetime.fromtimestamp(instant, zone(zone_name))
    return _as_pacific(local.replace(tzinfo=None))


def _standard_offset(moment: datetime) -> timedelta:
    return (moment.utcoffset() or timedelta()) - (moment.dst() or timedelta())


def utc_as_pacific(instant: int | None, zone_name: str | None) -> int:
    """``first_aired_utc``: the local wall clock shifted by the zone's standard offset (v1 ignored
    daylight saving), read as a Pacific time."""
    if not instant:
        return 0
    local = datetime.fromtimestamp(instant, zone(zone_name))
    return _as_pacific(local.replace(tzinfo=None) - _standard_offset(local))


def iso_standard_offset(instant: int | None, zone_name: str | None) -> str:
    """``first_aired_iso``: the local wall clock labelled with the zone's standard offset."""
    if not instant:
        return ""
    local = datetime.fromtimestamp(instant, zone(zone_name))
    return local.replace(tzinfo=timezone(_standard_offset(local))).isoformat()
