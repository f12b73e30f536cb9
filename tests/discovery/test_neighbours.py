"""The precomputed neighbours: cosine similarity, the kept lists, and the refresh's claim."""

from __future__ import annotations

import asyncio
import math
from typing import Any

import pytest
from sqlalchemy import delete, insert, select

from opentrakt.db.tables.discovery import discovery_refreshes
from opentrakt.db.tables.tracking import movie_plays
from opentrakt.discovery import neighbours
from opentrakt.discovery.neighbours import (
    ABANDONED_AFTER,
    REFRESH_AFTER,
    REFRESH_NAME,
    Neighbour,
    NeighbourDuty,
    most_similar,
    neighbours_of,
    refresh_if_due,
    refresh_neighbours,
)
from opentrakt.discovery.recommendations import recommend
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import add_movie, catalog_writer
from tests.discovery import activity as rows
from tests.support import make_user

NOW = 1_800_000_000


def test_similarity_is_the_cosine_of_the_sets_of_likers() -> None:
    # Item 1 is liked by users 10, 11, 12; item 2 by 10 and 11; item 3 by 12 only; 4 by 13 only.
    liked = {10: [1, 2], 11: [1, 2], 12: [1, 3], 13: [4]}
    lists = most_similar(liked)
    assert lists[1] == [Neighbour(2, 2 / math.sqrt(3 * 2), 2), Neighbour(3, 1 / math.sqrt(3 * 1), 1)]
    assert lists[2] == [Neighbour(1, 2 / math.sqrt(2 * 3), 3)]
    assert 3 not in lists and 4 not in lists  # one liker: no one to share it with


def test_lists_keep_the_most_similar_with_stable_ties() -> None:
    liked = {10: [1, 2, 3, 4], 11: [1, 2, 3, 4]}
    assert [n.item_id for n in most_similar(liked, limit=2)[1]] == [2, 3]
    assert [n.item_id for n in most_similar(liked, limit=2)[4]] == [1, 2]


async def test_a_large_count_runs_in_a_process_of_its_own_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    liked = {user: [(user * 7 + n) % 40 for n in range(12)] for user in range(60)}
    monkeypatch.setattr(neighbours, "OFFLOAD_FROM", 0)
    spawned: list[object] = []
    real_pool = neighbours.ProcessPoolExecutor

    def counting_pool(*args: Any, **kwargs: Any) -> Any:
        spawned.append(kwargs.get("mp_context"))
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(neighbours, "ProcessPoolExecutor", counting_pool)
    assert await neighbours._count_aside(liked) == most_similar(liked)
    assert len(spawned) == 1


async def test_refresh_rewrites_the_lists_and_drops_those_of_items_no_longer_shared(
    runtime: Runtime,
) -> None:
    ann, ben = await make_user(runtime, "ann"), await make_user(runtime, "ben")
    async with catalog_writer(runtime) as conn:
        first, second = await add_movie(conn, "First", 2000), await add_movie(conn, "Second", 2001)
        for user in (ann, ben):
            await rows.play_movie(conn, user.user_id, first)
            await rows.play_movie(conn, user.user_id, second)
    await refresh_neighbours(runtime.engine, now=NOW)
    async with runtime.engine.connect() as conn:
        found = await neighbours_of(conn, "movie", [first, second])
    assert found == {first: [Neighbour(second, 1.0, 2)], second: [Neighbour(first, 1.0, 2)]}
    async with catalog_writer(runtime) as conn:
        await conn.execute(delete(movie_plays).where(movie_plays.c.user_id == ben.user_id))
    await refresh_neighbours(runtime.engine, now=NOW)
    async with runtime.engine.connect() as conn:
        assert await neighbours_of(conn, "movie", [first, second]) == {}


async def test_recommendations_use_the_last_refresh(runtime: Runtime) -> None:
    ann, ben = await make_user(runtime, "ann"), await make_user(runtime, "ben")
    async with catalog_writer(runtime) as conn:
        shared = await add_movie(conn, "Shared", 2000)
        other = await add_movie(conn, "Other", 2001)
        await rows.play_movie(conn, ann.user_id, shared)
        await rows.play_movie(conn, ben.user_id, shared)
        await rows.play_movie(conn, ben.user_id, other)
    async with runtime.engine.connect() as conn:
        before = await recommend(conn, "movie", ann.user_id)
    assert [(r.item_id, r.popular) for r in before] == [(other, True)]  # only the popular fill-in
    await refresh_neighbours(runtime.engine, now=NOW)
    async with runtime.engine.connect() as conn:
        after = await recommend(conn, "movie", ann.user_id)
    assert [(r.item_id, r.popular) for r in after] == [(other, False)]
    assert after[0].score > 0


async def test_one_process_claims_a_due_refresh(runtime: Runtime) -> None:
    engine = runtime.engine
    assert await refresh_if_due(engine, NOW)  # never refreshed: due
    assert not await refresh_if_due(engine, NOW + REFRESH_AFTER - 1)
    assert await refresh_if_due(engine, NOW + REFRESH_AFTER)
    async with engine.connect() as conn:
        row = (
            await conn.execute(select(discovery_refreshes).where(discovery_refreshes.c.name == REFRESH_NAME))
        ).one()
    assert row.started_at == NOW + REFRESH_AFTER
    assert row.finished_at >= row.started_at


async def test_recent_seeds_steer_more_than_old_ones(runtime: Runtime) -> None:
    me, fan = await make_user(runtime, "me"), await make_user(runtime, "fan")
    other = await make_user(runtime, "other")
    async with catalog_writer(runtime) as conn:
        old, new = await add_movie(conn, "Old", 2000), await add_movie(conn, "New", 2001)
        with_old, with_new = await add_movie(conn, "WithOld", 2002), await add_movie(conn, "WithNew", 2003)
        await rows.play_movie(conn, me.user_id, old, at=NOW - 1000)
        await rows.play_movie(conn, me.user_id, new, at=NOW - 10)
        # Equally similar pairs: the old seed's candidate is the older catalogue entry, so it
        # would come first on a tie; recency must break the tie the other way.
        for person, seed, candidate in ((fan, old, with_old), (other, new, with_new)):
            await rows.play_movie(conn, person.user_id, seed)
            await rows.play_movie(conn, person.user_id, candidate)
    await refresh_neighbours(runtime.engine, now=NOW)
    async with runtime.engine.connect() as conn:
        found = await recommend(conn, "movie", me.user_id)
    assert [r.item_id for r in found] == [with_new, with_old]
    assert found[0].score > found[1].score > 0


async def test_the_duty_refreshes_in_the_background(runtime: Runtime) -> None:
    fast = Runtime(
        settings=runtime.settings.model_copy(update={"duty_interval_seconds": 0.01}),
        engine=runtime.engine,
        clock=runtime.clock,
    )
    duty = NeighbourDuty(fast)
    duty.start()
    try:
        for _ in range(500):
            await asyncio.sleep(0.01)
            async with runtime.engine.connect() as conn:
                if (await conn.execute(select(discovery_refreshes.c.finished_at))).first():
                    break
    finally:
        await duty.stop()
    async with runtime.engine.connect() as conn:
        (started,) = (await conn.execute(select(discovery_refreshes.c.started_at))).one()
    assert started == runtime.clock.now()


async def test_a_refresh_in_progress_is_left_to_its_process(runtime: Runtime) -> None:
    engine = runtime.engine
    async with catalog_writer(runtime) as conn:
        await conn.execute(
            insert(discovery_refreshes).values(name=REFRESH_NAME, started_at=NOW, finished_at=NOW - 100)
        )
    assert not await refresh_if_due(engine, NOW + REFRESH_AFTER)
    assert not await refresh_if_due(engine, NOW + ABANDONED_AFTER - 1)
    assert await refresh_if_due(engine, NOW + ABANDONED_AFTER)
