"""The ratings service: replacing ratings, exact aggregates, events and listings."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts import service as accounts
from opentrakt.catalog.models import Ratings
from opentrakt.db.tables.social import activity_events
from opentrakt.db.tables.tracking import user_last_activity
from opentrakt.errors import Invalid, NotFound
from opentrakt.ratings import service as ratings
from opentrakt.ratings.models import HATED, LOVED, RatingChange, RatingRange
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import add_episode, add_movie, add_show, catalog_writer
from tests.conftest import START
from tests.support import make_user


async def _aggregate(runtime: Runtime, kind: str, item_id: int) -> Ratings:
    async with runtime.engine.connect() as conn:
        return (await ratings.aggregates(conn, kind, [item_id]))[item_id]  # type: ignore[arg-type]


async def test_rating_replaces_and_removes_with_exact_aggregate(runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    bob = await make_user(runtime, "bob")
    async with catalog_writer(runtime) as conn:
        movie = await add_movie(conn, "Heat", 1995)
        first = await ratings.rate(conn, alice.user_id, "movie", {movie: 10}, START)
        await ratings.rate(conn, bob.user_id, "movie", {movie: 3}, START)
    assert first == [RatingChange(movie, 0, 10)]
    assert await _aggregate(runtime, "movie", movie) == Ratings(votes=2, total=13, loved=1, hated=1)

    async with catalog_writer(runtime) as conn:
        changed = await ratings.rate(conn, alice.user_id, "movie", {movie: 4}, START + 60)
    assert changed == [RatingChange(movie, 10, 4)]
    assert await _aggregate(runtime, "movie", movie) == Ratings(votes=2, total=7, loved=0, hated=2)

    async with catalog_writer(runtime) as conn:
        removed = await ratings.rate(conn, bob.user_id, "movie", {movie: 0}, START + 120)
        removed_again = await ratings.rate(conn, bob.user_id, "movie", {movie: 0}, START + 180)
    assert removed == [RatingChange(movie, 3, 0)]
    assert removed_again == [RatingChange(movie, 0, 0)]
    assert await _aggregate(runtime, "movie", movie) == Ratings(votes=1, total=4, loved=0, hated=1)


async def test_batch_rating_of_shows_and_episodes(runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        show = await add_show(conn, "Portlandia", 2011, tvdb_id=213221)
        other = await add_show(conn, "The League", 2009)
        e1 = await add_episode(conn, show, 1, 1)
        e2 = await add_episode(conn, show, 1, 2)
        await ratings.rate(conn, alice.user_id, "show", {show: 8, other: 1}, START)
        await ratings.rate(conn, alice.user_id, "episode", {e1: 9, e2: 5}, START)
        listed = await ratings.list_ratings(conn, alice.user_id, "episode")
        shows = await ratings.user_ratings(conn, alice.user_id, "show", [show, other, 999])
    assert shows == {show: 8, other: 1}
    assert sorted((r.item_id, r.rating, r.show_id) for r in listed) == [(e1, 9, show), (e2, 5, show)]
    assert await _aggregate(runtime, "episode", e1) == Ratings(votes=1, total=9, loved=1, hated=0)
    assert await _aggregate(runtime, "show", other) == Ratings(votes=1, total=1, loved=0, hated=1)


async def test_rating_an_unknown_episode_changes_nothing(runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        with pytest.raises(NotFound):
            await ratings.rate(conn, alice.user_id, "episode", {424242: 7}, START)
        assert await ratings.list_ratings(conn, alice.user_id, "episode") == []


async def test_out_of_range_values_are_refused(runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        movie = await add_movie(conn, "Heat", 1995)
        with pytest.raises(Invalid):
            await ratings.rate(conn, alice.user_id, "movie", {movie: 11}, START)
    assert await _aggregate(runtime, "movie", movie) == Ratings()


async def test_listing_filters_and_orders_newest_first(runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        ids = [await add_movie(conn, f"Film {n}", 2000 + n) for n in range(4)]
        for offset, (movie, value) in enumerate(zip(ids, (10, 2, 6, 5), strict=True)):
            await ratings.rate(conn, alice.user_id, "movie", {movie: value}, START + offset)
        everything = await ratings.list_ratings(conn, alice.user_id, "movie")
        loved = await ratings.list_ratings(conn, alice.user_id, "movie", LOVED)
        hated = await ratings.list_ratings(conn, alice.user_id, "movie", HATED)
        sixes = await ratings.list_ratings(conn, alice.user_id, "movie", RatingRange(6, 6))
    assert [r.item_id for r in everything] == list(reversed(ids))
    assert [r.rated_at for r in everything] == [START + 3, START + 2, START + 1, START]
    assert [r.item_id for r in loved] == [ids[2], ids[0]]
    assert [r.item_id for r in hated] == [ids[3], ids[1]]
    assert [r.item_id for r in sixes] == [ids[2]]


async def test_resending_the_same_rating_keeps_its_time_and_records_nothing(runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        movie = await add_movie(conn, "Heat", 1995)
        await ratings.rate(conn, alice.user_id, "movie", {movie: 7}, START)
        again = await ratings.rate(conn, alice.user_id, "movie", {movie: 7}, START + 500)
        listed = await ratings.list_ratings(conn, alice.user_id, "movie")
        events = (await conn.execute(select(activity_events))).all()
    assert again == [RatingChange(movie, 7, 7)]
    assert [r.rated_at for r in listed] == [START]
    assert len(events) == 1
    assert await _aggregate(runtime, "movie", movie) == Ratings(votes=1, total=7, loved=1, hated=0)


async def _events(conn: AsyncConnection) -> list[tuple[str, str, int | None, int | None, dict]]:
    rows = await conn.execute(select(activity_events).order_by(activity_events.c.id))
    return [
        (row.action, row.item_type, row.movie_id or row.show_id, row.episode_id, json.loads(row.payload))
        for row in rows
    ]


async def test_events_and_last_activity_follow_the_users_mode(runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        await accounts.set_ratings_mode(conn, "alice", "advanced")
        movie = await add_movie(conn, "Heat", 1995)
        show = await add_show(conn, "Portlandia", 2011)
        episode = await add_episode(conn, show, 1, 1)
        await ratings.rate(conn, alice.user_id, "movie", {movie: 7}, START)
        await ratings.rate(conn, alice.user_id, "movie", {movie: 0}, START + 10)
        await ratings.rate(conn, alice.user_id, "episode", {episode: 2}, START + 20)
        events = await _events(conn)
        last = (
            await conn.execute(
                select(user_last_activity).where(user_last_activity.c.user_id == alice.user_id)
            )
        ).one()
    advanced = {"use_rating_advanced": True}
    assert events == [
        ("rating", "movie", movie, None, {"rating": "love", "rating_advanced": 7, **advanced}),
        ("rating", "movie", movie, None, {"rating": False, "rating_advanced": 0, **advanced}),
        ("rating", "episode", show, episode, {"rating": "hate", "rating_advanced": 2, **advanced}),
    ]
    assert (last.movie_rating, last.episode_rating, last.show_rating) == (START + 10, START + 20, 0)


async def test_concurrent_raters_keep_the_aggregate_exact(runtime: Runtime) -> None:
    users = [await make_user(runtime, f"rater{n}") for n in range(20)]
    async with catalog_writer(runtime) as conn:
        movie = await add_movie(conn, "Heat", 1995)

    async def rate(user_id: int, value: int) -> None:
        async with catalog_writer(runtime) as conn:
            await ratings.rate(conn, user_id, "movie", {movie: value}, START)

    values = [n % 10 + 1 for n in range(len(users))]
    await asyncio.gather(*(rate(u.user_id, v) for u, v in zip(users, values, strict=True)))
    # Everyone changes their mind at once, half of them to no rating at all.
    changed = [0 if n % 2 else 10 for n in range(len(users))]
    await asyncio.gather(*(rate(u.user_id, v) for u, v in zip(users, changed, strict=True)))
    assert await _aggregate(runtime, "movie", movie) == Ratings(votes=10, total=100, loved=10, hated=0)


async def test_the_same_user_rating_at_once_from_two_requests(runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        movie = await add_movie(conn, "Heat", 1995)

    async def rate(value: int) -> None:
        async with catalog_writer(runtime) as conn:
            await ratings.rate(conn, alice.user_id, "movie", {movie: value}, START)

    await asyncio.gather(*(rate(value) for value in (3, 8, 5, 9)))
    aggregate = await _aggregate(runtime, "movie", movie)
    async with runtime.engine.connect() as conn:
        mine = await ratings.user_ratings(conn, alice.user_id, "movie", [movie])
    assert aggregate.votes == 1
    assert aggregate.total == mine[movie]
    assert aggregate.loved + aggregate.hated == 1
