"""What a running server shares between requests: settings, clock and database engine."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from opentrakt.clock import Clock
from opentrakt.config import Settings
from opentrakt.db.engine import create_engine


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    clock: Clock = field(default_factory=Clock)

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock | None = None) -> Runtime:
        engine = create_engine(settings.resolved_database_url, pool_size=settings.db_pool_size)
        return cls(settings=settings, engine=engine, clock=clock or Clock())
