"""Big batches and heavy users cost a bounded number of SQL statements."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.sql import SQLITE_IN_BATCH
from opentrakt.db.tables.catalog import movies
from opentrakt.db.tables.tracking import episode_plays, movie_plays
from opentrakt.runtime import Runtime
from opentrakt.tracking import episodes
from opentrakt.tracking import movies as movie_writes
from opentrakt.tracking.batches import EpisodeSeen, MovieSeen
from opentrakt.tracking.library import library_show_episodes, library_shows
from opentrakt.tracking.progress import show_progress
from tests.conftest import START
from tests.tracking.factories import add_episodes, add_show, aired_season


@contextmanager
def statements(runtime: Runtime) -> Iterator[list[str]]:
    """Every statement sent to the database inside the block (an executemany counts once)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(runtime.engine.sync_engine, "before_cursor_execute", record)


async def test_ten_thousand_episodes_in_one_call(
    conn: AsyncConnection, user_id: int, runtime: Runtime
) -> None:
    show_id = await add_show(conn, "Coronation Street", 1960)
    ep = await add_episodes(
        conn, show_id, [row for season in range(1, 21) for row in aired_season(season, 500)]
    )
    ids = list(ep.values())
    assert len(ids) == 10_000

    with statements(runtime) as sent:
        result = await episodes.mark_episodes_seen(
            conn, user_id, show_id, [EpisodeSeen(i) for i in ids], START
        )
    assert result.count == 10_000
    assert len(sent) <= 8
    count = select(func.count()).where(episode_plays.c.user_id == user_id)
    assert await conn.scalar(count) == 10_000

    with statements(runtime) as sent:
        again = await episodes.mark_episodes_seen(
            conn, user_id, show_id, [EpisodeSeen(i) for i in ids], START
        )
    assert again.unchanged == 10_000
    assert len(sent) <= 3

    with statements(runtime) as sent:
        collected = await episodes.add_episodes_to_collection(conn, user_id, show_id, ids, START)
    assert collected.count == 10_000
    assert len(sent) <= 6

    # Removals delete in id batches: a few statements per 900 ids on SQLite, one on PostgreSQL.
    removal_budget = 6 + 10_000 // SQLITE_IN_BATCH + 1
    with statements(runtime) as sent:
        unseen = await episodes.mark_episodes_unseen(conn, user_id, show_id, ids, START)
    assert unseen.count == 10_000
    assert len(sent) <= removal_budget
    assert await conn.scalar(count) == 0

    with statements(runtime) as sent:
        await library_show_episodes(conn, user_id, "collection")
        await library_show_episodes(conn, user_id, "unseen")
    assert len(sent) == 2


async def test_ten_thousand_movies_in_one_call(conn: AsyncConnection, user_id: int, runtime: Runtime) -> None:
    rows = [
        {
            "slug": f"movie-{n}",
            "title": f"Movie {n}",
            "title_key": f"movie {n}",
            "created_at": 0,
            "updated_at": 0,
        }
        for n in range(10_000)
    ]
    await conn.execute(insert(movies), rows)
    ids = list((await conn.scalars(select(movies.c.id))).all())

    batches = -(-10_000 // SQLITE_IN_BATCH)
    with statements(runtime) as sent:
        result = await movie_writes.mark_movies_seen(conn, user_id, [MovieSeen(i) for i in ids], START)
    assert result.count == 10_000
    # Reads and deletes go in id batches; inserts, last activity and events are one statement each.
    assert len(sent) <= 2 * batches + 3
    assert await conn.scalar(select(func.count()).where(movie_plays.c.user_id == user_id)) == 10_000


async def test_heavy_user_reads_use_a_constant_number_of_queries(
    conn: AsyncConnection, user_id: int, runtime: Runtime
) -> None:
    for n in range(60):
        show_id = await add_show(conn, f"Show {n:02d}", 2000)
        ep = await add_episodes(conn, show_id, [*aired_season(1, 20), *aired_season(2, 20)])
        await episodes.mark_episodes_seen(
            conn, user_id, show_id, [EpisodeSeen(i) for i in ep.values()], START
        )
        await episodes.add_episodes_to_collection(conn, user_id, show_id, list(ep.values())[:10], START)

    with statements(runtime) as sent:
        watched = await library_show_episodes(conn, user_id, "watched")
        summary = await library_shows(conn, user_id)
    assert len(watched) == len(summary) == 60
    assert len(sent) == 2

    # Progress: shows, seasons and completed specials; and the episodes left, for the shows the
    # user is behind on (every show's collection, none of what they watched).
    with statements(runtime) as sent:
        progress = await show_progress(conn, user_id, "watched", START, sort="most-completed")
    assert len(progress) == 60
    assert len(sent) == 3
    with statements(runtime) as sent:
        progress = await show_progress(conn, user_id, "collected", START)
    assert [p.completion.completed for p in progress] == [10] * 60
    assert len(sent) == 4
