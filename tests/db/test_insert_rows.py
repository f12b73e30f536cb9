"""Bulk inserts from one parameter: every value arrives as sent, in order, on both backends."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, select

from opentrakt.db.engine import write_connection
from opentrakt.db.sql import insert_rows
from opentrakt.db.tables.social import activity_events
from opentrakt.db.tables.tracking import movie_collection, movie_plays
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import add_movie, catalog_writer
from tests.support import make_user

BIG = 2**62 + 12_345  # beyond what a double holds exactly
PLAY_COLUMNS = ("user_id", "movie_id", "watched_at", "action", "count")
EVENT_COLUMNS = ("user_id", "created_at", "action", "item_type", "movie_id", "show_id", "payload")
COLLECTION_COLUMNS = ("user_id", "movie_id", "collected_at")


async def _insert(
    runtime: Runtime, *batches: tuple[Table, Sequence[str], list[tuple[Any, ...]], bool]
) -> None:
    async with runtime.engine.connect() as conn:
        conn = await write_connection(conn)
        async with conn.begin():
            for table, columns, rows, ignore in batches:
                await insert_rows(conn, table, columns, rows, ignore_conflicts=ignore)


async def _stored(
    runtime: Runtime, table: Table, columns: Sequence[str], order: str
) -> list[tuple[Any, ...]]:
    async with runtime.engine.connect() as conn:
        query = select(*(table.c[name] for name in columns)).order_by(table.c[order])
        return [tuple(row) for row in await conn.execute(query)]


async def test_values_arrive_as_sent_in_order(runtime: Runtime) -> None:
    user = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        movie_ids = [await add_movie(conn, f"Movie {n}", 2000 + n) for n in range(3)]
    plays = [
        (user.user_id, movie_ids[0], BIG, "seen", 2**31 - 1),
        (user.user_id, movie_ids[1], 0, 'it\'s "ü"', 1),
        (user.user_id, movie_ids[2], -5, "scrobble", 7),
        (user.user_id, movie_ids[0], 1, "checkin", 2),
    ]
    events = [
        (user.user_id, 10, "seen", "movie", movie_ids[0], None, '{"a": [1, 2]}'),
        (user.user_id, 11, "rating", "show", None, None, None),
    ]
    await _insert(
        runtime,
        (movie_plays, PLAY_COLUMNS, plays, False),
        (activity_events, EVENT_COLUMNS, events, False),
        (movie_plays, PLAY_COLUMNS, [], False),
    )
    assert await _stored(runtime, movie_plays, PLAY_COLUMNS, "id") == plays
    assert await _stored(runtime, activity_events, EVENT_COLUMNS, "id") == events


async def test_ignoring_conflicts_keeps_the_rows_already_there(runtime: Runtime) -> None:
    user = await make_user(runtime, "bob")
    async with catalog_writer(runtime) as conn:
        first, second = await add_movie(conn, "First", 2001), await add_movie(conn, "Second", 2002)
    await _insert(runtime, (movie_collection, COLLECTION_COLUMNS, [(user.user_id, first, 100)], True))
    later = [(user.user_id, first, 200), (user.user_id, second, 300)]
    await _insert(runtime, (movie_collection, COLLECTION_COLUMNS, later, True))
    assert await _stored(runtime, movie_collection, COLLECTION_COLUMNS, "movie_id") == [
        (user.user_id, first, 100),
        (user.user_id, second, 300),
    ]
