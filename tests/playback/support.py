"""Helpers for the playback tests: catalogue items, items as the services take them, play rows."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts.models import USER_PERMISSIONS
from opentrakt.accounts.passwords import hash_secret, sha1_hex
from opentrakt.accounts.service import new_api_key
from opentrakt.db.engine import write_connection
from opentrakt.db.tables.accounts import api_keys, user_settings, users
from opentrakt.db.tables.catalog import episodes
from opentrakt.db.tables.playback import playback_sessions
from opentrakt.db.tables.social import activity_events
from opentrakt.db.tables.tracking import episode_plays, movie_plays
from opentrakt.playback import service
from opentrakt.playback.items import episode_item, movie_item
from opentrakt.playback.models import (
    CheckedIn,
    CheckinRequest,
    EpisodeItem,
    MovieItem,
    PlaybackItem,
    Scrobbled,
    State,
    Watching,
)
from opentrakt.playback.queries import now_playing
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import add_movie, catalog_writer, the_walking_dead
from tests.support import Account

T = TypeVar("T")

BATMAN_IMDB = "tt0372784"
BATMAN_RUNTIME = 140
WALKING_DEAD_TVDB = 153021


async def batman_begins(conn: AsyncConnection) -> int:
    """The movie of the spec's scrobble, watching and check-in examples."""
    return await add_movie(
        conn, "Batman Begins", 2005, imdb_id=BATMAN_IMDB, tmdb_id=272, runtime=BATMAN_RUNTIME
    )


async def in_transaction(runtime: Runtime, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    """Run ``work`` in a write transaction of its own, as a request would."""
    async with runtime.engine.connect() as conn:
        conn = await write_connection(conn)
        async with conn.begin():
            return await work(conn)


async def add_users(
    runtime: Runtime, count: int, prefix: str = "user", password: str = "secret"
) -> list[Account]:
    """``count`` users with keys, sharing one password hash: Argon2 per user would dominate the test."""
    password_hash = await asyncio.to_thread(hash_secret, sha1_hex(password))
    now = runtime.clock.now()
    names = [f"{prefix}{n}" for n in range(count)]
    async with catalog_writer(runtime) as conn:
        rows = [
            {
                "username": name,
                "username_key": name,
                "email": f"{name}@example.org",
                "email_key": f"{name}@example.org",
                "password_hash": password_hash,
                "protected": False,
                "vip": False,
                "is_admin": False,
                "joined": now,
                "last_login": 0,
            }
            for name in names
        ]
        ids = [
            row.id
            for row in await conn.execute(
                insert(users).returning(users.c.id, sort_by_parameter_order=True), rows
            )
        ]
        await conn.execute(insert(user_settings), [{"user_id": user_id} for user_id in ids])
        keys = [new_api_key() for _ in ids]
        permissions = ",".join(sorted(USER_PERMISSIONS))
        await conn.execute(
            insert(api_keys),
            [
                {"key": key, "user_id": user_id, "permissions": permissions, "created_at": now}
                for key, user_id in zip(keys, ids, strict=True)
            ],
        )
    return [
        Account(username=name, password=password, key=key, user_id=user_id)
        for name, key, user_id in zip(names, keys, ids, strict=True)
    ]


@asynccontextmanager
async def open_write(runtime: Runtime) -> AsyncIterator[AsyncConnection]:
    """A write transaction left open for the block, committed at its end: what it locks stays
    locked meanwhile, so a test can start a rival and see it wait."""
    async with runtime.engine.connect() as conn:
        conn = await write_connection(conn)
        async with conn.begin():
            yield conn


# How long a rival may take to reach the lock on a busy machine.
LOCK_WAIT_SECONDS = 15.0


async def waits_for_a_lock(runtime: Runtime, rival: asyncio.Task[Any]) -> bool:
    """Whether ``rival`` is stuck behind a lock of an open transaction (rather than finished).

    PostgreSQL shows it: a backend of the test's database waiting on a lock. SQLite cannot, so
    there the rival must merely still be running half a second later (it sits in BEGIN IMMEDIATE).
    """
    if runtime.engine.dialect.name != "postgresql":
        await asyncio.sleep(0.5)
        return not rival.done()
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    loop = asyncio.get_running_loop()
    deadline = loop.time() + LOCK_WAIT_SECONDS
    while not rival.done() and loop.time() < deadline:
        async with runtime.engine.connect() as conn:
            if await conn.scalar(waiting):
                return True
        await asyncio.sleep(0.02)
    return False


async def batman_item(runtime: Runtime) -> MovieItem:
    async with catalog_writer(runtime) as conn:
        item = await movie_item(conn, await batman_begins(conn))
    assert item is not None
    return item


async def walking_dead_items(runtime: Runtime) -> list[EpisodeItem]:
    """The Walking Dead's first season (six episodes, 60-minute show runtime)."""
    async with catalog_writer(runtime) as conn:
        await the_walking_dead(conn)
        rows = await conn.execute(
            select(episodes.c.id).where(episodes.c.season == 1).order_by(episodes.c.number)
        )
        items = [await episode_item(conn, row.id) for row in rows]
    return [item for item in items if item is not None]


async def movie_play_rows(runtime: Runtime, user_id: int) -> list[tuple[int, int, str]]:
    """(movie_id, watched_at, action) of the user's movie plays, oldest first."""
    async with runtime.engine.connect() as conn:
        rows = await conn.execute(
            select(movie_plays.c.movie_id, movie_plays.c.watched_at, movie_plays.c.action)
            .where(movie_plays.c.user_id == user_id)
            .order_by(movie_plays.c.watched_at, movie_plays.c.id)
        )
        return [(row.movie_id, row.watched_at, row.action) for row in rows]


async def episode_play_rows(runtime: Runtime, user_id: int) -> list[tuple[int, int, str]]:
    """(episode_id, watched_at, action) of the user's episode plays, oldest first."""
    async with runtime.engine.connect() as conn:
        rows = await conn.execute(
            select(episode_plays.c.episode_id, episode_plays.c.watched_at, episode_plays.c.action)
            .where(episode_plays.c.user_id == user_id)
            .order_by(episode_plays.c.watched_at, episode_plays.c.id)
        )
        return [(row.episode_id, row.watched_at, row.action) for row in rows]


async def event_actions(runtime: Runtime, user_id: int) -> list[tuple[str, str, int]]:
    """(action, item_type, created_at) of the user's activity events, oldest first."""
    async with runtime.engine.connect() as conn:
        rows = await conn.execute(
            select(activity_events.c.action, activity_events.c.item_type, activity_events.c.created_at)
            .where(activity_events.c.user_id == user_id)
            .order_by(activity_events.c.id)
        )
        return [(row.action, row.item_type, row.created_at) for row in rows]


async def session_state(runtime: Runtime, user_id: int) -> str | None:
    """The stored state of the user's playback row (None: no row yet)."""
    async with runtime.engine.connect() as conn:
        return (
            await conn.execute(
                select(playback_sessions.c.state).where(playback_sessions.c.user_id == user_id)
            )
        ).scalar()


@dataclass(frozen=True)
class Player:
    """One user's playback calls, each in a transaction of its own at the runtime clock's now."""

    runtime: Runtime
    user_id: int

    def _run(self, work: Callable[[AsyncConnection, int], Awaitable[T]]) -> Awaitable[T]:
        now = self.runtime.clock.now()
        return in_transaction(self.runtime, lambda conn: work(conn, now))

    async def watch(
        self,
        item: PlaybackItem,
        *,
        duration: int | None = None,
        progress: int | None = None,
        identity_key: str | None = None,
    ) -> Watching:
        return await self._run(
            lambda conn, now: service.watch(
                conn,
                self.user_id,
                item,
                duration=duration,
                progress=progress,
                now=now,
                identity_key=identity_key,
            )
        )

    async def scrobble(self, item: PlaybackItem, *, duration: int | None = None) -> Scrobbled:
        return await self._run(
            lambda conn, now: service.scrobble(conn, self.user_id, item, duration=duration, now=now)
        )

    async def check_in(self, item: PlaybackItem, request: CheckinRequest | None = None) -> CheckedIn:
        return await self._run(
            lambda conn, now: service.check_in(conn, self.user_id, item, request or CheckinRequest(), now=now)
        )

    async def cancel_watching(self) -> bool:
        return await self._run(lambda conn, now: service.cancel_watching(conn, self.user_id, now))

    async def cancel_checkin(self) -> bool:
        return await self._run(lambda conn, now: service.cancel_checkin(conn, self.user_id, now))

    async def state(self) -> State | None:
        """What reads report the user doing now (None: idle)."""
        playing = await self._run(lambda conn, now: now_playing(conn, self.user_id, now))
        return playing.state if playing else None
