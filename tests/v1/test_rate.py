"""rate/* and user/ratings/*: values, messages, aggregates, batches, concurrency and privacy."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from opentrakt.accounts import passwords
from opentrakt.app import Application
from opentrakt.clock import FrozenClock
from opentrakt.config import Settings
from opentrakt.db.tables.catalog import episodes, movies
from opentrakt.db.tables.ratings import movie_ratings
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import add_episode, add_movie, add_show, catalog_writer
from tests.conftest import START
from tests.social.cast import SEES_OWNER, make_cast
from tests.support import Account, make_user

NOT_SHARED = {"facebook": False, "twitter": False, "tumblr": False, "path": False}


async def _rate(client: httpx.AsyncClient, who: Account, method: str, **fields: Any) -> httpx.Response:
    return await client.post(f"/rate/{method}/{who.key}", json={**who.body, **fields})


async def _read(client: httpx.AsyncClient, path: str, viewer: Account | None = None) -> httpx.Response:
    """GET anonymously, or POST the viewer's credentials as script.trakt does."""
    if viewer is None:
        return await client.get(path)
    return await client.post(path, json=viewer.body)


async def _count(runtime: Runtime, table: Any) -> int:
    async with runtime.engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(table))).scalar_one()


@pytest.fixture
async def heat(runtime: Runtime) -> int:
    async with catalog_writer(runtime) as conn:
        return await add_movie(conn, "Heat", 1995, imdb_id="tt0113277", tmdb_id=949)


@pytest.fixture
async def portlandia(runtime: Runtime) -> tuple[int, int, int]:
    """(show id, 1x01 id, 1x02 id)."""
    async with catalog_writer(runtime) as conn:
        show = await add_show(conn, "Portlandia", 2011, tvdb_id=213221, imdb_id="tt1780441")
        first = await add_episode(conn, show, 1, 1, title="Dream of the 1890s")
        second = await add_episode(conn, show, 1, 2, title="Farm")
    return show, first, second


async def test_rate_movie_answers_as_documented(
    client: httpx.AsyncClient, runtime: Runtime, heat: int
) -> None:
    alice = await make_user(runtime, "alice")
    response = await _rate(
        client, alice, "movie", imdb_id="tt0113277", title="Heat", year=1995, rating="love"
    )
    assert response.status_code == 200
    assert response.json() == {
        "status": "success",
        "message": "rated Heat (1995)",
        "type": "movie",
        "rating": "love",
        "ratings": {"percentage": 100, "votes": 1, "loved": 1, "hated": 0},
        **NOT_SHARED,
    }


@pytest.mark.parametrize(("sent", "echo"), [(9, 9), ("5", "5"), (7.0, 7), ("HATE", "hate"), (" 8 ", "8")])
async def test_rating_values_are_echoed_as_sent(
    client: httpx.AsyncClient, runtime: Runtime, heat: int, sent: object, echo: object
) -> None:
    alice = await make_user(runtime, "alice")
    response = await _rate(client, alice, "movie", tmdb_id=949, rating=sent)
    assert response.json()["rating"] == echo


async def test_aggregate_percentage_is_the_mean_times_ten(
    client: httpx.AsyncClient, runtime: Runtime, heat: int
) -> None:
    for name, value in (("a", 10), ("b", 6), ("c", 3)):
        user = await make_user(runtime, name)
        response = await _rate(client, user, "movie", imdb_id="tt0113277", rating=value)
    assert response.json()["ratings"] == {"percentage": 63, "votes": 3, "loved": 2, "hated": 1}


async def test_unrate_removes_the_vote(client: httpx.AsyncClient, runtime: Runtime, heat: int) -> None:
    alice, bob = await make_user(runtime, "alice"), await make_user(runtime, "bob")
    await _rate(client, alice, "movie", imdb_id="tt0113277", rating=8)
    await _rate(client, bob, "movie", imdb_id="tt0113277", rating=2)
    response = await _rate(client, alice, "movie", imdb_id="tt0113277", rating="unrate")
    assert response.json()["message"] == "unrated Heat (1995)"
    assert response.json()["ratings"] == {"percentage": 20, "votes": 1, "loved": 0, "hated": 1}
    response = await _rate(client, bob, "movie", imdb_id="tt0113277", rating=0)
    assert response.json()["ratings"]["votes"] == 0
    assert await _count(runtime, movie_ratings) == 0


@pytest.mark.parametrize("bad", [11, -1, "11", "meh", 9.5, True, None, [], {"value": 5}])
async def test_bad_ratings_fail_and_change_nothing(
    client: httpx.AsyncClient, runtime: Runtime, heat: int, bad: object
) -> None:
    alice = await make_user(runtime, "alice")
    await _rate(client, alice, "movie", imdb_id="tt0113277", rating=4)
    # An unknown movie with enough identity would be auto-catalogued: the bad value stops that too.
    for fields in ({"imdb_id": "tt0113277"}, {"title": "New Film", "year": 2020}):
        response = await _rate(client, alice, "movie", rating=bad, **fields)
        assert response.status_code == 400
        assert response.json()["status"] == "failure"
        assert "rating" in response.json()["error"]
    async with runtime.engine.connect() as conn:
        rows = (await conn.execute(select(movie_ratings.c.rating))).scalars().all()
        aggregate = (await conn.execute(select(movies.c.rating_votes, movies.c.rating_total))).all()
    assert rows == [4]
    assert aggregate == [(1, 4)]


async def test_unknown_movies_are_catalogued_when_identified(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    alice = await make_user(runtime, "alice")
    response = await _rate(
        client, alice, "movie", title="Brand New", year=2021, imdb_id="tt9999991", rating=7
    )
    assert response.json()["message"] == "rated Brand New (2021)"
    assert response.json()["ratings"]["votes"] == 1
    for fields in ({}, {"year": 2021}, {"title": "Only A Title", "rating": "unrate"}):
        response = await _rate(client, alice, "movie", **{"rating": 7, **fields})
        assert (response.status_code, response.json()) == (
            404,
            {"status": "failure", "error": "movie not found"},
        )
    assert await _count(runtime, movies) == 1


async def test_rating_needs_credentials(client: httpx.AsyncClient, runtime: Runtime, heat: int) -> None:
    alice = await make_user(runtime, "alice")
    response = await client.post(f"/rate/movie/{alice.key}", json={"imdb_id": "tt0113277", "rating": 9})
    assert response.status_code == 401
    assert response.json() == {"status": "failure", "error": "failed authentication"}


async def test_rate_show_and_episode(
    client: httpx.AsyncClient, runtime: Runtime, portlandia: tuple[int, int, int]
) -> None:
    alice = await make_user(runtime, "alice")
    response = await _rate(
        client, alice, "show", tvdb_id=213221, title="Portlandia", year=2011, rating="love"
    )
    assert response.json() == {
        "status": "success",
        "message": "rated Portlandia",
        "type": "show",
        "rating": "love",
        "ratings": {"percentage": 100, "votes": 1, "loved": 1, "hated": 0},
        **NOT_SHARED,
    }
    response = await _rate(client, alice, "episode", tvdb_id="213221", season=1, episode=1, rating=4)
    assert response.json() == {
        "status": "success",
        "message": "rated Portlandia 1x01",
        "type": "episode",
        "rating": 4,
        "ratings": {"percentage": 40, "votes": 1, "loved": 0, "hated": 1},
        **NOT_SHARED,
    }


async def test_rate_episode_failures(
    client: httpx.AsyncClient, runtime: Runtime, portlandia: tuple[int, int, int]
) -> None:
    alice = await make_user(runtime, "alice")
    response = await _rate(client, alice, "episode", tvdb_id=213221, season="x", episode=1, rating=4)
    assert response.status_code == 400
    response = await _rate(client, alice, "episode", tvdb_id=1, season=1, episode=1, rating=4)
    assert (response.status_code, response.json()["error"]) == (404, "show not found")
    # Un-rating an episode the catalogue lacks creates nothing.
    response = await _rate(client, alice, "episode", tvdb_id=213221, season=9, episode=9, rating="unrate")
    assert (response.status_code, response.json()["error"]) == (400, "episode not found")
    assert await _count(runtime, episodes) == 2
    # Rating it adds it, as any write naming a new episode of a known show does.
    response = await _rate(client, alice, "episode", tvdb_id=213221, season=9, episode=9, rating=4)
    assert response.json()["message"] == "rated Portlandia 9x09"


async def test_batch_movies_rate_replace_and_skip(
    client: httpx.AsyncClient, runtime: Runtime, heat: int
) -> None:
    alice = await make_user(runtime, "alice")
    await _rate(client, alice, "movie", imdb_id="tt0113277", rating=2)
    response = await _rate(
        client,
        alice,
        "movies",
        movies=[
            {"imdb_id": "tt0113277", "title": "Heat", "year": 1995, "rating": 10},
            {"imdb_id": "tt0372784", "title": "Batman Begins", "year": 2005, "rating": "hate"},
            {"tmdb_id": 5, "rating": 7},
            "not an object",
        ],
    )
    assert response.json() == {
        "status": "success",
        "message": "rated 2 movies",
        "rated": 2,
        "unrated": 0,
        "skipped": 2,
        "skipped_movies": [{"tmdb_id": 5}, {}],
    }
    async with runtime.engine.connect() as conn:
        rows = (await conn.execute(select(movie_ratings.c.movie_id, movie_ratings.c.rating))).all()
        votes = (await conn.execute(select(movies.c.rating_votes).where(movies.c.id == heat))).scalar()
    assert sorted(rating for _, rating in rows) == [1, 10]
    assert votes == 1


async def test_batch_with_one_bad_value_writes_nothing(
    client: httpx.AsyncClient, runtime: Runtime, heat: int
) -> None:
    alice = await make_user(runtime, "alice")
    response = await _rate(
        client,
        alice,
        "movies",
        movies=[{"imdb_id": "tt0113277", "rating": 10}, {"title": "New", "year": 2001, "rating": 11}],
    )
    assert response.status_code == 400
    assert response.json()["error"].startswith("item 2: rating")
    assert await _count(runtime, movie_ratings) == 0
    assert await _count(runtime, movies) == 1


@pytest.mark.parametrize("body", [{"movies": "tt0113277"}, {"movies": {"imdb_id": "tt0113277"}}])
async def test_batch_needs_a_list(client: httpx.AsyncClient, runtime: Runtime, heat: int, body: dict) -> None:
    alice = await make_user(runtime, "alice")
    response = await _rate(client, alice, "movies", **body)
    assert (response.status_code, response.json()) == (
        400,
        {"status": "failure", "error": "movies must be a list"},
    )


async def test_batch_shows_and_episodes(
    client: httpx.AsyncClient, runtime: Runtime, portlandia: tuple[int, int, int]
) -> None:
    alice = await make_user(runtime, "alice")
    response = await _rate(
        client, alice, "shows", shows=[{"tvdb_id": 213221, "rating": 8}, {"title": "Nope", "rating": 3}]
    )
    assert response.json()["message"] == "rated 1 show"
    assert response.json()["skipped_shows"] == [{"title": "Nope"}]
    response = await _rate(
        client,
        alice,
        "episodes",
        episodes=[
            {"tvdb_id": 213221, "title": "Portlandia", "year": 2011, "season": 1, "episode": 1, "rating": 9},
            {"tvdb_id": 213221, "season": 1, "episode": 2, "rating": 5},
            {"tvdb_id": 213221, "season": 1, "rating": 5},
            {"title": "Another Show", "year": 2020, "season": 2, "episode": 3, "rating": "love"},
        ],
    )
    body = response.json()
    assert (body["message"], body["rated"], body["skipped"]) == ("rated 3 episodes", 3, 1)
    assert body["skipped_episodes"] == [{"tvdb_id": 213221, "season": 1}]
    listed = await client.get(f"/user/ratings/episodes.json/{alice.key}/alice/all/min")
    assert sorted(
        (i["show"]["title"], i["episode"]["number"], i["rating_advanced"]) for i in listed.json()
    ) == [
        ("Another Show", 3, 10),
        ("Portlandia", 1, 9),
        ("Portlandia", 2, 5),
    ]


async def test_fifty_parallel_raters_leave_an_exact_aggregate(
    client: httpx.AsyncClient, runtime: Runtime, heat: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # This is about concurrent rating; 100 full-cost Argon2 runs would only slow it down.
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    await _fifty_parallel_raters(client, runtime)


async def test_parallel_raters_never_outwait_sqlites_busy_timeout(
    client: httpx.AsyncClient, runtime: Runtime, heat: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A loaded machine makes a burst of writes outlast any busy timeout; a 1 ms timeout stands in
    for that. One process's writers take turns before connecting, so none of them waits in
    SQLite's busy handler (and none fails with "database is locked", answered 503)."""
    if runtime.engine.dialect.name != "sqlite":
        pytest.skip("only SQLite has a single write lock and a busy timeout")
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))

    _set_busy_timeout(runtime.engine, milliseconds=1)
    await runtime.engine.dispose()  # so that no connection made before keeps the long timeout
    await _fifty_parallel_raters(client, runtime)


async def test_two_processes_writers_take_turns_on_one_sqlite_file(
    client: httpx.AsyncClient,
    runtime: Runtime,
    settings: Settings,
    clock: FrozenClock,
    heat: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two server processes on one SQLite file (two engines: each has its own turn queue and its
    own lock file description) with a 1 ms busy timeout: their writers take turns across both,
    so no write outwaits SQLite's busy handler."""
    if runtime.engine.dialect.name != "sqlite":
        pytest.skip("only SQLite has a single write lock and a busy timeout")
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    other = Runtime.from_settings(settings, clock)
    for engine in (runtime.engine, other.engine):
        _set_busy_timeout(engine, milliseconds=1)
    await runtime.engine.dispose()
    raters = [await make_user(runtime, f"rater{n}") for n in range(40)]
    values = [n % 10 + 1 for n in range(40)]
    try:
        transport = httpx.ASGITransport(app=Application(other))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as second:
            responses = await asyncio.gather(
                *(
                    _rate((client, second)[n % 2], user, "movie", imdb_id="tt0113277", rating=value)
                    for n, (user, value) in enumerate(zip(raters, values, strict=True))
                )
            )
    finally:
        await other.engine.dispose()
    assert [r.status_code for r in responses] == [200] * 40
    async with runtime.engine.connect() as conn:
        votes, total = (await conn.execute(select(movies.c.rating_votes, movies.c.rating_total))).one()
    assert (votes, total) == (40, sum(values))


def _set_busy_timeout(engine: AsyncEngine, *, milliseconds: int) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _impatient(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={milliseconds}")
        cursor.close()


async def _fifty_parallel_raters(client: httpx.AsyncClient, runtime: Runtime) -> None:
    """Fifty users rate Heat at once: every request succeeds and the aggregate is exact."""
    # Created one after another: the subject is the parallel rating, not parallel sign-ups.
    raters = [await make_user(runtime, f"rater{n}") for n in range(50)]
    values = [n % 10 + 1 for n in range(50)]
    responses = await asyncio.gather(
        *(
            _rate(client, user, "movie", imdb_id="tt0113277", rating=value)
            for user, value in zip(raters, values, strict=True)
        )
    )
    assert [r.status_code for r in responses] == [200] * 50
    async with runtime.engine.connect() as conn:
        row = (
            await conn.execute(
                select(
                    movies.c.rating_votes, movies.c.rating_total, movies.c.rating_loved, movies.c.rating_hated
                )
            )
        ).one()
    assert tuple(row) == (50, sum(values), 25, 25)
    summary = await _rate(client, raters[0], "movie", imdb_id="tt0113277", rating=values[0])
    assert summary.json()["ratings"] == {"percentage": 55, "votes": 50, "loved": 25, "hated": 25}


async def _rate_as(runtime: Runtime, who: Account, kind: str, ratings: dict[int, int], at: int) -> None:
    from opentrakt.ratings import service as ratings_service

    async with catalog_writer(runtime) as conn:
        await ratings_service.rate(conn, who.user_id, kind, ratings, at)  # type: ignore[arg-type]


async def test_user_ratings_movies_lists_newest_first_with_filters(
    client: httpx.AsyncClient, runtime: Runtime, heat: int
) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        batman = await add_movie(conn, "Batman Begins", 2005, imdb_id="tt0372784", tmdb_id=272)
        third = await add_movie(conn, "Third", 2001)
    await _rate_as(runtime, alice, "movie", {heat: 10}, START)
    await _rate_as(runtime, alice, "movie", {batman: 3}, START + 10)
    await _rate_as(runtime, alice, "movie", {third: 7}, START + 20)
    base = f"/user/ratings/movies.json/{alice.key}/alice"

    everything = (await client.get(base)).json()
    assert [(m["title"], m["inserted"], m["rating"], m["rating_advanced"]) for m in everything] == [
        ("Third", START + 20, "love", 7),
        ("Batman Begins", START + 10, "hate", 3),
        ("Heat", START, "love", 10),
    ]
    assert "url" in everything[0] and "ratings" in everything[0]
    assert [m["title"] for m in (await client.get(f"{base}/love")).json()] == ["Third", "Heat"]
    assert [m["title"] for m in (await client.get(f"{base}/hate")).json()] == ["Batman Begins"]
    assert [m["title"] for m in (await client.get(f"{base}/7")).json()] == ["Third"]
    assert (await client.get(f"{base}/all/min")).json()[2] == {
        "title": "Heat",
        "year": 1995,
        "imdb_id": "tt0113277",
        "tmdb_id": "949",
        "inserted": START,
        "rating": "love",
        "rating_advanced": 10,
    }
    full = (await client.get(f"{base}/all/extended")).json()[0]
    assert "last_updated" in full
    bad = await client.get(f"{base}/11")
    assert bad.status_code == 400 and bad.json()["status"] == "failure"
    missing = await client.get(f"/user/ratings/movies.json/{alice.key}/nobody")
    assert missing.status_code == 404 and missing.json()["status"] == "failure"


async def test_user_ratings_shows(
    client: httpx.AsyncClient, runtime: Runtime, portlandia: tuple[int, int, int]
) -> None:
    alice = await make_user(runtime, "alice")
    await _rate_as(runtime, alice, "show", {portlandia[0]: 1}, START)
    shows = (await client.get(f"/user/ratings/shows.json/{alice.key}/alice/all/min")).json()
    assert shows == [
        {
            "title": "Portlandia",
            "year": 2011,
            "imdb_id": "tt1780441",
            "tvdb_id": "213221",
            "tvrage_id": "",
            "inserted": START,
            "rating": "hate",
            "rating_advanced": 1,
        }
    ]


async def test_user_ratings_episodes_shape(
    client: httpx.AsyncClient, runtime: Runtime, portlandia: tuple[int, int, int]
) -> None:
    alice = await make_user(runtime, "alice")
    await _rate_as(runtime, alice, "episode", {portlandia[1]: 9}, START)
    minimal = (await client.get(f"/user/ratings/episodes.json/{alice.key}/alice/all/min")).json()
    assert minimal == [
        {
            "inserted": START,
            "rating": "love",
            "rating_advanced": 9,
            "show": {
                "title": "Portlandia",
                "year": 2011,
                "imdb_id": "tt1780441",
                "tvdb_id": "213221",
                "tvrage_id": "",
            },
            "episode": {"season": 1, "number": 1, "title": "Dream of the 1890s", "tvdb_id": ""},
        }
    ]
    normal = (await client.get(f"/user/ratings/episodes.json/{alice.key}/alice")).json()[0]
    assert normal["episode"]["ratings"]["votes"] == 1
    assert normal["show"]["url"].endswith("/show/portlandia")


async def test_user_ratings_privacy(
    client: httpx.AsyncClient, runtime: Runtime, heat: int, portlandia: tuple[int, int, int]
) -> None:
    cast = await make_cast(runtime)
    await _rate_as(runtime, cast.owner, "movie", {heat: 8}, START)
    await _rate_as(runtime, cast.owner, "show", {portlandia[0]: 8}, START)
    await _rate_as(runtime, cast.owner, "episode", {portlandia[1]: 8}, START)
    for kind in ("movies", "shows", "episodes"):
        for viewer, sees in SEES_OWNER.items():
            response = await _read(
                client, f"/user/ratings/{kind}.json/{cast.owner.key}/owner", cast.viewer(viewer)
            )
            assert response.status_code == 200, (kind, viewer)
            assert len(response.json()) == (1 if sees else 0), (kind, viewer)


async def test_ratings_reach_item_objects(client: httpx.AsyncClient, runtime: Runtime, heat: int) -> None:
    alice, bob = await make_user(runtime, "alice"), await make_user(runtime, "bob")
    await _rate(client, alice, "movie", imdb_id="tt0113277", rating="love")
    await _rate(client, bob, "movie", imdb_id="tt0113277", rating=6)
    summary = (await client.post(f"/movie/summary.json/{alice.key}/tt0113277", json=alice.body)).json()
    assert summary["ratings"] == {"percentage": 80, "votes": 2, "loved": 2, "hated": 0}
    assert (summary["rating"], summary["rating_advanced"]) == ("love", 10)
    anonymous = (await client.get(f"/movie/summary.json/{alice.key}/tt0113277")).json()
    assert "rating_advanced" not in anonymous
