"""user/profile and the deprecated user/watched* methods: key set, counters, what is playing,
recent plays, and who may see them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from opentrakt.runtime import Runtime
from tests.catalog_fixtures import add_episode, add_movie, add_show, catalog_writer
from tests.conftest import START, FrozenClock
from tests.social.cast import SEES_OWNER, make_cast
from tests.support import Account, make_user

PROFILE_KEYS = [
    "username",
    "protected",
    "full_name",
    "gender",
    "age",
    "location",
    "about",
    "joined",
    "avatar",
    "url",
    "vip",
    "stats",
    "watched",
    "watching",
]
HEAT = {"imdb_id": "tt0113277", "title": "Heat", "year": 1995}
RONIN = {"imdb_id": "tt0122690", "title": "Ronin", "year": 1998}
DEXTER = {"tvdb_id": "79349", "title": "Dexter", "year": 2006}


async def _post(client: httpx.AsyncClient, who: Account, method: str, **fields: Any) -> httpx.Response:
    response = await client.post(f"/{method}/{who.key}", json={**who.body, **fields})
    assert response.status_code == 200, response.text
    return response


async def _read(client: httpx.AsyncClient, path: str, viewer: Account | None, key: str) -> httpx.Response:
    if viewer is None:
        return await client.get(path.format(key=key))
    return await client.post(path.format(key=viewer.key), json=viewer.body)


async def _catalog(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        await add_movie(conn, "Heat", 1995, imdb_id="tt0113277")
        await add_movie(conn, "Ronin", 1998, imdb_id="tt0122690")
        dexter = await add_show(conn, "Dexter", 2006, tvdb_id=79349)
        for season, number in ((1, 1), (1, 2), (1, 3)):
            await add_episode(conn, dexter, season, number, title=f"E{number}")


async def _history(client: httpx.AsyncClient, who: Account, clock: FrozenClock) -> None:
    """Two movie plays (seen, scrobble), two episode plays, collection, ratings, a friend."""
    await _post(client, who, "movie/seen", movies=[{**RONIN, "plays": 2, "last_played": START - 100}])
    clock.advance(10)
    await _post(client, who, "movie/scrobble", **HEAT, duration=170, progress=95)
    clock.advance(10)
    await _post(client, who, "show/episode/seen", **DEXTER, episodes=[{"season": 1, "episode": 1}])
    clock.advance(10)
    await _post(client, who, "show/episode/library", **DEXTER, episodes=[{"season": 1, "episode": 2}])
    await _post(client, who, "movie/library", movies=[HEAT, RONIN])
    await _post(client, who, "rate/movie", **HEAT, rating=9)
    await _post(client, who, "rate/movie", **RONIN, rating=3)
    await _post(client, who, "rate/show", **DEXTER, rating="love")
    await _post(client, who, "comment/movie", **HEAT, comment="Tight.")


async def test_profile_keys_stats_and_watched(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await make_user(runtime, "alice", full_name="Alice A", location="Lyon")
    bob = await make_user(runtime, "bob")
    await _catalog(runtime)
    await _history(client, alice, clock)
    await _post(client, alice, "network/follow", user="bob")
    await _post(client, bob, "network/follow", user="alice")

    profile = (await client.get(f"/user/profile.json/{alice.key}/alice")).json()
    assert list(profile) == PROFILE_KEYS
    assert (profile["username"], profile["full_name"], profile["location"]) == ("alice", "Alice A", "Lyon")
    assert profile["vip"] is False and profile["watching"] == []
    stats = profile["stats"]
    assert stats["friends"] == 1
    assert stats["shows"] == {
        "library": 1,
        "watched": 1,
        "collection": 1,
        "shouts": 0,
        "loved": 1,
        "hated": 0,
    }
    movies = stats["movies"]
    assert (movies["watched"], movies["watched_unique"]) == (3, 2)  # a seen of 2 plays and a scrobble
    assert (movies["scrobbles"], movies["scrobbles_unique"], movies["checkins"], movies["seen"]) == (
        1,
        1,
        0,
        2,
    )
    assert (movies["library"], movies["collection"], movies["unwatched"]) == (2, 2, 0)
    assert (movies["shouts"], movies["loved"], movies["hated"]) == (1, 1, 1)
    assert (movies["watched_trakt"], movies["watched_trakt_unique"], movies["watched_elsewhere"]) == (1, 1, 2)
    episodes = stats["episodes"]
    assert (episodes["watched"], episodes["seen"], episodes["collection"], episodes["unwatched"]) == (
        1,
        1,
        1,
        1,
    )
    assert "library" not in episodes

    watched = profile["watched"]
    assert [(w["type"], w["action"], w["watched"]) for w in watched] == [
        ("episode", "seen", START + 20),
        ("movie", "scrobble", START + 10),
        ("movie", "seen", START - 100),
    ]
    assert watched[0]["show"]["title"] == "Dexter" and watched[0]["episode"]["number"] == 1


async def test_profile_watching_now(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    await _catalog(runtime)
    await _post(client, alice, "movie/watching", **HEAT, duration=170, progress=5)
    watching = (await client.get(f"/user/profile.json/{alice.key}/alice")).json()["watching"]
    assert watching["type"] == "movie" and watching["action"] == "watching"
    assert watching["movie"]["title"] == "Heat"


async def test_unknown_user_is_not_found(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    response = await client.get(f"/user/profile.json/{alice.key}/nobody")
    assert response.status_code == 404 and response.json()["status"] == "failure"


@pytest.mark.parametrize("name", ["owner", "friend", "pending", "fan", "stranger", None])
async def test_profile_privacy(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock, name: str | None
) -> None:
    cast = await make_cast(runtime)
    await _catalog(runtime)
    await _history(client, cast.owner, clock)
    await _post(client, cast.owner, "movie/watching", **HEAT, duration=170, progress=5)
    profile = (
        await _read(client, "/user/profile.json/{key}/owner", cast.viewer(name), cast.stranger.key)
    ).json()
    assert list(profile) == PROFILE_KEYS
    assert profile["username"] == "owner" and profile["protected"] is True
    if SEES_OWNER[name]:
        assert profile["full_name"] == "Owen Owner" and profile["location"] == "Portland"
        assert profile["stats"]["movies"]["watched"] == 3 and len(profile["watched"]) == 3
        assert profile["watching"]["movie"]["title"] == "Heat"
    else:
        assert profile["full_name"] is None and profile["location"] is None and profile["age"] == ""
        assert profile["watched"] == [] and profile["watching"] == []
        counters = profile["stats"]
        assert counters["friends"] == 0
        assert set(counters["movies"].values()) == {0} and set(counters["shows"].values()) == {0}


# The deprecated user/watched*.


async def test_user_watched_lists_plays_newest_first(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await make_user(runtime, "alice")
    await _catalog(runtime)
    await _history(client, alice, clock)
    both = (await client.get(f"/user/watched.json/{alice.key}/alice")).json()
    assert [(w["type"], w["action"], w["watched"]) for w in both] == [
        ("episode", "seen", START + 20),
        ("movie", "scrobble", START + 10),
        ("movie", "seen", START - 100),
    ]
    assert set(both[1]) == {"type", "action", "watched", "movie"}
    assert set(both[0]) == {"type", "action", "watched", "show", "episode"}
    episodes = (await client.post(f"/user/watched/episodes.json/{alice.key}/alice", json=alice.body)).json()
    assert [w["type"] for w in episodes] == ["episode"]
    movies = (await client.get(f"/user/watched/movies/{alice.key}/alice")).json()
    assert [w["movie"]["title"] for w in movies] == ["Heat", "Ronin"]


async def test_user_watched_caps_at_100(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        for n in range(105):
            await add_movie(conn, f"Movie {n}", 2000, imdb_id=f"tt{9000000 + n}")
    await _post(
        client,
        alice,
        "movie/seen",
        movies=[{"imdb_id": f"tt{9000000 + n}", "last_played": START - 1000 + n} for n in range(105)],
    )
    movies = (await client.get(f"/user/watched/movies.json/{alice.key}/alice")).json()
    assert len(movies) == 100 and movies[0]["watched"] == START - 1000 + 104


@pytest.mark.parametrize("name", ["owner", "friend", "pending", "fan", "stranger", None])
async def test_user_watched_privacy(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock, name: str | None
) -> None:
    cast = await make_cast(runtime)
    await _catalog(runtime)
    await _history(client, cast.owner, clock)
    for method in ("user/watched", "user/watched/episodes", "user/watched/movies"):
        response = await _read(client, f"/{method}.json/{{key}}/owner", cast.viewer(name), cast.stranger.key)
        assert response.status_code == 200
        assert (response.json() != []) is SEES_OWNER[name], method
