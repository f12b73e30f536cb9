"""The trending service: the window's edges and the limit."""

from __future__ import annotations

from opentrakt.discovery.trending import TRENDING_WINDOW, TrendingItem, trending
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import add_movie, catalog_writer
from tests.discovery import activity as rows
from tests.support import make_user

NOW = 1_800_000_000


async def test_plays_count_inside_the_window_only(runtime: Runtime) -> None:
    ann = await make_user(runtime, "ann")
    async with catalog_writer(runtime) as conn:
        edge = await add_movie(conn, "Edge", 2000)
        outside = await add_movie(conn, "Outside", 2001)
        future = await add_movie(conn, "Future", 2002)
        await rows.play_movie(conn, ann.user_id, edge, at=NOW - TRENDING_WINDOW + 1)
        await rows.play_movie(conn, ann.user_id, outside, at=NOW - TRENDING_WINDOW)
        await rows.play_movie(conn, ann.user_id, future, at=NOW + 1)  # a clock ahead of ours
    async with runtime.engine.connect() as conn:
        assert await trending(conn, "movie", now=NOW) == [TrendingItem(edge, 1, 0)]
        assert await trending(conn, "movie", now=NOW, window=TRENDING_WINDOW + 1) == [
            TrendingItem(edge, 1, 0),
            TrendingItem(outside, 1, 0),
        ]


async def test_limit_keeps_the_most_watched(runtime: Runtime) -> None:
    people = [await make_user(runtime, f"u{i}") for i in range(3)]
    async with catalog_writer(runtime) as conn:
        ids = [await add_movie(conn, f"M{i}", 2000 + i) for i in range(3)]
        for rank, movie in enumerate(ids):
            for person in people[: rank + 1]:
                await rows.play_movie(conn, person.user_id, movie, at=NOW - 60)
    async with runtime.engine.connect() as conn:
        top = await trending(conn, "movie", now=NOW, limit=2)
    assert [(item.item_id, item.watchers) for item in top] == [(ids[2], 3), (ids[1], 2)]
