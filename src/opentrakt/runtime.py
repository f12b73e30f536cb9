"""What a running server shares between requests: settings, clock, database engine and the
short-lived caches of this process."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from opentrakt.clock import Clock
from opentrakt.config import Settings
from opentrakt.db.engine import create_engine
from opentrakt.ttl_cache import TtlCache

# Distinct (kind, start, days) windows of the global calendars kept at once: clients ask for a
# handful (this week, the next), and odd dates or lengths must not grow memory without bound (a
# 31-day window of a large catalogue is thousands of airings, megabytes as Python objects).
CALENDAR_WINDOWS_KEPT = 8
# Items whose summary counters are kept at once: the titles being looked at (each entry is small).
ITEM_ACTIVITIES_KEPT = 5_000


def _calendar_cache() -> TtlCache[Any, Any]:
    return TtlCache(max_entries=CALENDAR_WINDOWS_KEPT)


def _item_activity_cache() -> TtlCache[Any, Any]:
    return TtlCache(max_entries=ITEM_ACTIVITIES_KEPT)


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    clock: Clock = field(default_factory=Clock)
    # What every caller gets alike, kept for ``settings.shared_cache_seconds``: global calendar
    # renderings (the protocol adapter owns their keys and values) and summary counters.
    calendar_cache: TtlCache[Any, Any] = field(default_factory=_calendar_cache)
    item_activity_cache: TtlCache[Any, Any] = field(default_factory=_item_activity_cache)

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock | None = None) -> Runtime:
        engine = create_engine(settings.resolved_database_url, pool_size=settings.db_pool_size)
        return cls(settings=settings, engine=engine, clock=clock or Clock())
