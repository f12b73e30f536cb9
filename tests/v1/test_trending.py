"""movies/trending and shows/trending: who is watching now plus recent plays."""

from __future__ import annotations

import httpx

from opentrakt.clock import FrozenClock
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import add_episode, add_movie, add_show, catalog_writer
from tests.discovery import activity as rows
from tests.support import make_user

HOUR = 3600


async def test_nothing_trending_is_an_empty_list(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        await add_movie(conn, "Quiet", 2000)
    assert (await client.get(f"/movies/trending.json/{alice.key}")).json() == []
    assert (await client.get(f"/shows/trending.json/{alice.key}")).json() == []


async def test_movies_rank_by_people_watching_now_or_lately(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock
) -> None:
    now = clock.now()
    people = [await make_user(runtime, name) for name in ("ann", "ben", "cat", "dan", "eve")]
    ann, ben, cat, dan, eve = (p.user_id for p in people)
    async with catalog_writer(runtime) as conn:
        live = await add_movie(conn, "Live", 2001, imdb_id="tt0000001", genre_names=["Drama"])
        recent = await add_movie(conn, "Recent", 2002)
        tied = await add_movie(conn, "Tied", 2003)
        stale = await add_movie(conn, "Stale", 2004)
        # Two watching now; one of them also finished it an hour ago (still one person).
        await rows.watching(conn, ann, movie_id=live, started_at=now - 600, ends_at=now + 3000)
        await rows.watching(conn, ben, movie_id=live, started_at=now - 60, ends_at=now + 3000)
        await rows.play_movie(conn, ann, live, at=now - HOUR)
        # Three people who played it within the day.
        for user in (cat, dan, eve):
            await rows.play_movie(conn, user, recent, at=now - 20 * HOUR)
        # Two recent plays by the same person: one watcher.
        await rows.play_movie(conn, cat, tied, at=now - HOUR)
        await rows.play_movie(conn, cat, tied, at=now - 2 * HOUR)
        await rows.watching(conn, dan, movie_id=tied, started_at=now - 7200, ends_at=now - 1)  # lapsed
        # Played, but longer ago than the window.
        await rows.play_movie(conn, dan, stale, at=now - 25 * HOUR)
    response = await client.get(f"/movies/trending.json/{people[0].key}")
    assert response.status_code == 200
    body = response.json()
    assert [(m["title"], m["watchers"]) for m in body] == [("Recent", 3), ("Live", 2), ("Tied", 1)]
    first_live = body[1]
    assert first_live["url"].endswith("/movie/live-2001")
    assert first_live["genres"] == ["Drama"]
    assert "watched" not in first_live  # anonymous: no per-user fields


async def test_ties_go_to_the_item_people_are_watching_now(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock
) -> None:
    now = clock.now()
    ann = await make_user(runtime, "ann")
    ben = await make_user(runtime, "ben")
    async with catalog_writer(runtime) as conn:
        earlier = await add_movie(conn, "Earlier", 2001)
        watched_now = await add_movie(conn, "Now", 2002)
        await rows.play_movie(conn, ann.user_id, earlier, at=now - HOUR)
        await rows.watching(conn, ben.user_id, movie_id=watched_now, started_at=now, ends_at=now + 60)
    titles = [m["title"] for m in (await client.get(f"/movies/trending.json/{ann.key}")).json()]
    assert titles == ["Now", "Earlier"]


async def test_trending_movies_carry_the_callers_fields_with_credentials(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock
) -> None:
    now = clock.now()
    ann = await make_user(runtime, "ann")
    async with catalog_writer(runtime) as conn:
        movie = await add_movie(conn, "Mine", 2001)
        await rows.play_movie(conn, ann.user_id, movie, at=now - HOUR)
        await rows.rate_movie(conn, ann.user_id, movie, 8)
    (item,) = (await client.post(f"/movies/trending.json/{ann.key}", json=ann.body)).json()
    assert (item["watched"], item["plays"], item["rating"], item["rating_advanced"]) == (True, 1, "love", 8)
    assert item["in_collection"] is False


async def test_shows_count_people_on_any_episode(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock
) -> None:
    now = clock.now()
    ann = await make_user(runtime, "ann")
    ben = await make_user(runtime, "ben")
    cat = await make_user(runtime, "cat")
    async with catalog_writer(runtime) as conn:
        busy = await add_show(conn, "Busy", 2001, tvdb_id=101)
        quiet = await add_show(conn, "Quiet", 2002, tvdb_id=102)
        one = await add_episode(conn, busy, 1, 1)
        two = await add_episode(conn, busy, 1, 2)
        other = await add_episode(conn, quiet, 1, 1)
        await rows.play_episode(conn, ann.user_id, busy, one, at=now - HOUR)
        await rows.play_episode(conn, ann.user_id, busy, two, at=now - HOUR // 2)
        await rows.watching(conn, ben.user_id, show_id=busy, episode_id=two, started_at=now, ends_at=now + 60)
        await rows.play_episode(conn, cat.user_id, quiet, other, at=now - HOUR)
    body = (await client.post(f"/shows/trending.json/{ann.key}", json=ann.body)).json()
    assert [(s["title"], s["watchers"]) for s in body] == [("Busy", 2), ("Quiet", 1)]
    assert body[0]["tvdb_id"] == "101"
    assert (body[0]["rating"], body[0]["in_watchlist"]) == (False, False)
