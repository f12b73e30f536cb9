"""Movie writes: seen/unseen, collection, watchlist and single plays from playback."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.tables.social import activity_events
from opentrakt.db.tables.tracking import movie_collection, movie_plays, movie_unseen, movie_watchlist
from opentrakt.errors import Invalid
from opentrakt.tracking import movies as tracking
from opentrakt.tracking.batches import MovieSeen
from tests.conftest import START
from tests.tracking.factories import add_movie


async def _plays(conn: AsyncConnection, user_id: int) -> list[tuple[int, int, str, int]]:
    rows = await conn.execute(
        select(movie_plays.c.movie_id, movie_plays.c.watched_at, movie_plays.c.action, movie_plays.c.count)
        .where(movie_plays.c.user_id == user_id)
        .order_by(movie_plays.c.id)
    )
    return [tuple(row) for row in rows]


async def _ids(conn: AsyncConnection, table, user_id: int) -> set[int]:
    return set((await conn.scalars(select(table.c.movie_id).where(table.c.user_id == user_id))).all())


async def _events(conn: AsyncConnection, user_id: int) -> list[tuple[str, str, int | None, dict | None]]:
    rows = await conn.execute(
        select(
            activity_events.c.action,
            activity_events.c.item_type,
            activity_events.c.movie_id,
            activity_events.c.payload,
        )
        .where(activity_events.c.user_id == user_id)
        .order_by(activity_events.c.id)
    )
    return [(a, t, m, orjson.loads(p) if p else None) for a, t, m, p in rows]


async def test_seen_inserts_new_movies_with_plays_and_last_played(
    conn: AsyncConnection, user_id: int
) -> None:
    monkeys = await add_movie(conn, "Twelve Monkeys", 1995)
    heat = await add_movie(conn, "Heat", 1995)
    result = await tracking.mark_movies_seen(
        conn, user_id, [MovieSeen(monkeys, plays=3, last_played=1_255_960_578), MovieSeen(heat)], START
    )
    assert result.changed == (True, True)
    assert (result.count, result.unchanged, result.unchanged_positions) == (2, 0, [])
    assert await _plays(conn, user_id) == [(monkeys, 1_255_960_578, "seen", 3), (heat, START, "seen", 1)]


async def test_seen_of_a_watched_movie_is_already_exist_and_adds_no_play(
    conn: AsyncConnection, user_id: int
) -> None:
    monkeys = await add_movie(conn, "Twelve Monkeys", 1995)
    await tracking.mark_movies_seen(conn, user_id, [MovieSeen(monkeys)], START)
    result = await tracking.mark_movies_seen(
        conn, user_id, [MovieSeen(monkeys, plays=1, last_played=1_255_960_578)], START + 10
    )
    assert result.changed == (False,)
    assert result.unchanged_positions == [0]
    assert len(await _plays(conn, user_id)) == 1


async def test_duplicates_in_one_batch_count_once(conn: AsyncConnection, user_id: int) -> None:
    monkeys = await add_movie(conn, "Twelve Monkeys", 1995)
    heat = await add_movie(conn, "Heat", 1995)
    result = await tracking.mark_movies_seen(
        conn, user_id, [MovieSeen(monkeys, plays=2), MovieSeen(heat), MovieSeen(monkeys, plays=5)], START
    )
    assert result.changed == (True, True, False)
    assert result.unchanged_positions == [2]
    # The first occurrence wins.
    assert await _plays(conn, user_id) == [(monkeys, START, "seen", 2), (heat, START, "seen", 1)]


async def test_seen_rejects_fewer_than_one_play_before_writing(conn: AsyncConnection, user_id: int) -> None:
    monkeys = await add_movie(conn, "Twelve Monkeys", 1995)
    heat = await add_movie(conn, "Heat", 1995)
    with pytest.raises(Invalid):
        await tracking.mark_movies_seen(conn, user_id, [MovieSeen(heat), MovieSeen(monkeys, plays=0)], START)
    with pytest.raises(Invalid):
        await tracking.mark_movies_seen(conn, user_id, [MovieSeen(heat, plays=2**31)], START)
    with pytest.raises(Invalid):
        await tracking.mark_movies_seen(conn, user_id, [MovieSeen(heat, last_played=2**63)], START)
    assert await _plays(conn, user_id) == []


async def test_non_positive_last_played_means_now(conn: AsyncConnection, user_id: int) -> None:
    monkeys = await add_movie(conn, "Twelve Monkeys", 1995)
    await tracking.mark_movies_seen(conn, user_id, [MovieSeen(monkeys, last_played=0)], START)
    assert await _plays(conn, user_id) == [(monkeys, START, "seen", 1)]


async def test_unseen_removes_plays_and_marks_then_seen_clears_the_mark(
    conn: AsyncConnection, user_id: int
) -> None:
    monkeys = await add_movie(conn, "Twelve Monkeys", 1995)
    heat = await add_movie(conn, "Heat", 1995)
    await tracking.mark_movies_seen(conn, user_id, [MovieSeen(monkeys, plays=4)], START)
    await tracking.record_movie_play(conn, user_id, monkeys, START + 5, "scrobble")

    result = await tracking.mark_movies_unseen(conn, user_id, [monkeys, heat, monkeys], START + 10)
    # Both change (plays removed; a new mark), the repeat does not.
    assert result.changed == (True, True, False)
    assert await _plays(conn, user_id) == []
    assert await _ids(conn, movie_unseen, user_id) == {monkeys, heat}

    again = await tracking.mark_movies_unseen(conn, user_id, [heat], START + 20)
    assert again.changed == (False,)

    await tracking.mark_movies_seen(conn, user_id, [MovieSeen(heat)], START + 30)
    assert await _ids(conn, movie_unseen, user_id) == {monkeys}


async def test_collection_add_and_remove(conn: AsyncConnection, user_id: int) -> None:
    monkeys = await add_movie(conn, "Twelve Monkeys", 1995)
    heat = await add_movie(conn, "Heat", 1995)
    first = await tracking.add_movies_to_collection(conn, user_id, [monkeys], START)
    assert first.changed == (True,)
    second = await tracking.add_movies_to_collection(conn, user_id, [heat, monkeys, heat], START)
    assert second.changed == (True, False, False)
    assert second.unchanged_positions == [1, 2]
    assert await _ids(conn, movie_collection, user_id) == {monkeys, heat}

    removed = await tracking.remove_movies_from_collection(conn, user_id, [monkeys, monkeys], START)
    assert removed.changed == (True, False)
    absent = await tracking.remove_movies_from_collection(conn, user_id, [monkeys], START)
    assert absent.changed == (False,)
    assert await _ids(conn, movie_collection, user_id) == {heat}


async def test_watchlist_add_and_remove(conn: AsyncConnection, user_id: int) -> None:
    monkeys = await add_movie(conn, "Twelve Monkeys", 1995)
    added = await tracking.add_movies_to_watchlist(conn, user_id, [monkeys, monkeys], START)
    assert added.changed == (True, False)
    listed_at = await conn.scalar(
        select(movie_watchlist.c.listed_at).where(movie_watchlist.c.movie_id == monkeys)
    )
    assert listed_at == START
    assert (await tracking.add_movies_to_watchlist(conn, user_id, [monkeys], START + 1)).changed == (False,)
    assert (await tracking.remove_movies_from_watchlist(conn, user_id, [monkeys], START + 2)).changed == (
        True,
    )
    assert await _ids(conn, movie_watchlist, user_id) == set()


async def test_record_play_always_adds_a_play_and_clears_the_mark(
    conn: AsyncConnection, user_id: int
) -> None:
    monkeys = await add_movie(conn, "Twelve Monkeys", 1995)
    await tracking.mark_movies_unseen(conn, user_id, [monkeys], START)
    await tracking.record_movie_play(conn, user_id, monkeys, START + 100, "scrobble")
    await tracking.record_movie_play(conn, user_id, monkeys, START + 200, "checkin", now=START + 300)
    assert await _plays(conn, user_id) == [
        (monkeys, START + 100, "scrobble", 1),
        (monkeys, START + 200, "checkin", 1),
    ]
    assert await _ids(conn, movie_unseen, user_id) == set()
    with pytest.raises(Invalid):
        await tracking.record_movie_play(conn, user_id, monkeys, START, "watching")


async def test_events_name_each_changed_movie_once(conn: AsyncConnection, user_id: int) -> None:
    monkeys = await add_movie(conn, "Twelve Monkeys", 1995)
    heat = await add_movie(conn, "Heat", 1995)
    await tracking.mark_movies_seen(
        conn, user_id, [MovieSeen(monkeys, 2, 1_000_000), MovieSeen(monkeys)], START
    )
    await tracking.mark_movies_seen(conn, user_id, [MovieSeen(monkeys)], START)  # nothing changes
    await tracking.add_movies_to_collection(conn, user_id, [heat], START)
    await tracking.remove_movies_from_collection(conn, user_id, [heat], START)
    await tracking.add_movies_to_watchlist(conn, user_id, [heat], START)
    await tracking.remove_movies_from_watchlist(conn, user_id, [heat], START)
    await tracking.mark_movies_unseen(conn, user_id, [monkeys], START)
    await tracking.record_movie_play(conn, user_id, heat, START, "checkin")
    assert await _events(conn, user_id) == [
        ("seen", "movie", monkeys, {"watched_at": 1_000_000, "plays": 2}),
        ("collection", "movie", heat, None),
        ("uncollection", "movie", heat, None),
        ("watchlist", "movie", heat, None),
        ("unwatchlist", "movie", heat, None),
        ("unseen", "movie", monkeys, None),
        ("checkin", "movie", heat, None),
    ]


async def test_empty_batches_write_nothing(conn: AsyncConnection, user_id: int) -> None:
    assert (await tracking.mark_movies_seen(conn, user_id, [], START)).changed == ()
    assert (await tracking.mark_movies_unseen(conn, user_id, [], START)).changed == ()
    assert (await tracking.add_movies_to_collection(conn, user_id, [], START)).changed == ()
    assert await _events(conn, user_id) == []
