"""Shows' air time zones."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# trakt's reference zone: v1 timestamps are US Pacific wall clocks, and a show without a known
# zone airs on Pacific time.
PACIFIC = ZoneInfo("America/Los_Angeles")


@lru_cache(maxsize=512)
def zone(name: str | None) -> ZoneInfo:
    """The zone a show airs in (Pacific when it has none or an unknown one)."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return PACIFIC
