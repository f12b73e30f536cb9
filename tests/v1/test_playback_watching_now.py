"""user/watching and the */watchingnow lists: shapes, lapses, and who may see whom."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import update

from opentrakt.accounts import service as accounts
from opentrakt.clock import FrozenClock
from opentrakt.db.tables.accounts import users
from opentrakt.runtime import Runtime
from opentrakt.social import follows
from tests.catalog_fixtures import catalog_writer, the_walking_dead
from tests.playback.support import BATMAN_IMDB, batman_begins
from tests.spec_examples import example
from tests.support import Account, make_user

BATMAN = {"imdb_id": BATMAN_IMDB, "title": "Batman Begins", "year": 2005}
PILOT = {"tvdb_id": 153021, "season": 1, "episode": 1}


async def post(client: httpx.AsyncClient, method: str, account: Account, **fields: Any) -> httpx.Response:
    response = await client.post(f"/{method}/{account.key}", json={**account.body, **fields})
    assert response.status_code == 200, response.json()
    return response


async def catalogue(runtime: Runtime) -> None:
    async with catalog_writer(runtime) as conn:
        await batman_begins(conn)
        await the_walking_dead(conn)


async def protect(runtime: Runtime, account: Account) -> None:
    async with catalog_writer(runtime) as conn:
        await conn.execute(update(users).where(users.c.id == account.user_id).values(protected=True))


async def test_user_watching_is_an_empty_list_when_idle(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    response = await client.get(f"/user/watching.json/{alice.key}/alice")
    assert (response.status_code, response.json()) == (200, [])


async def test_user_watching_a_movie_matches_the_documented_shape(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await make_user(runtime, "alice")
    await catalogue(runtime)
    await post(client, "movie/watching", alice, **BATMAN, duration=140, progress=50)
    response = await client.get(f"/user/watching.json/{alice.key}/alice")
    assert response.json() == {
        "type": "movie",
        "action": "watching",
        "movie": {
            "title": "Batman Begins",
            "year": 2005,
            "url": "http://trakt.tv/movie/batman-begins-2005",
            "imdb_id": "tt0372784",
            "tmdb_id": "272",
        },
    }
    # Lapsed 30 minutes after the ping, whether or not the duty has run.
    clock.advance(30 * 60)
    assert (await client.get(f"/user/watching.json/{alice.key}/alice")).json() == []


async def test_user_watching_an_episode_checkin(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await make_user(runtime, "alice")
    await catalogue(runtime)
    await post(client, "show/checkin", alice, **PILOT)
    response = await client.post(f"/user/watching.json/{alice.key}/alice", json=alice.body)
    assert response.json() == {
        "type": "episode",
        "action": "checkin",
        "show": {
            "title": "The Walking Dead",
            "url": "http://trakt.tv/show/the-walking-dead",
            "imdb_id": "tt1520211",
            "tvdb_id": "153021",
            "tvrage_id": "25056",
        },
        "episode": {
            "season": 1,
            "number": 1,
            "title": "Days Gone Bye",
            "url": "http://trakt.tv/show/the-walking-dead/season/1/episode/1",
            # 2010-10-31 21:00 Eastern written as a Pacific wall-clock reading.
            "first_aired": 1288584000,
        },
    }
    clock.advance(60 * 60)  # the show's 60-minute runtime
    assert (await client.get(f"/user/watching.json/{alice.key}/alice")).json() == []


async def test_scrobble_and_cancel_end_the_watching_state(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    alice = await make_user(runtime, "alice")
    await catalogue(runtime)
    url = f"/user/watching.json/{alice.key}/alice"
    await post(client, "show/watching", alice, **PILOT, duration=60, progress=10)
    assert (await client.get(url)).json()["action"] == "watching"
    await post(client, "show/cancelwatching", alice)
    assert (await client.get(url)).json() == []
    await post(client, "show/watching", alice, **PILOT, duration=60, progress=80)
    await post(client, "show/scrobble", alice, **PILOT, duration=60, progress=95)
    assert (await client.get(url)).json() == []
    # Cancelling with nothing to cancel still succeeds: clients send it after every stop.
    await post(client, "movie/cancelwatching", alice)


async def test_protected_users_watching_is_seen_by_themselves_and_friends(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await make_user(runtime, "alice")
    bob = await make_user(runtime, "bob")
    carol = await make_user(runtime, "carol")
    await catalogue(runtime)
    await protect(runtime, alice)
    await post(client, "movie/watching", alice, **BATMAN)
    async with catalog_writer(runtime) as conn:
        a, b = await accounts.require_user(conn, "alice"), await accounts.require_user(conn, "bob")
        await follows.follow(conn, a, b, clock.now())
        await follows.follow(conn, b, a, clock.now())
        await follows.approve(conn, a, b, clock.now())
    url = f"/user/watching.json/{carol.key}/alice"
    assert (await client.get(url)).json() == []  # anonymous
    assert (await client.post(url, json=carol.body)).json() == []  # not a friend
    assert (await client.post(url, json=bob.body)).json()["type"] == "movie"  # a friend
    assert (await client.post(url, json=alice.body)).json()["type"] == "movie"  # herself


async def test_user_watching_of_an_unknown_user(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    response = await client.get(f"/user/watching.json/{alice.key}/nobody")
    assert response.status_code == 404
    assert response.json()["status"] == "failure"


async def test_watchingnow_lists_public_watchers(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await make_user(runtime, "alice")
    bob = await make_user(runtime, "bob")
    carol = await make_user(runtime, "carol")
    dave = await make_user(runtime, "dave")
    await catalogue(runtime)
    await protect(runtime, dave)
    await post(client, "movie/checkin", alice, **BATMAN)
    clock.advance(1)
    await post(client, "movie/watching", bob, **BATMAN, duration=140, progress=90)  # 14 minutes left
    await post(client, "show/watching", carol, **PILOT)
    await post(client, "show/checkin", dave, **{**PILOT, "episode": 2})

    movie = await client.get(f"/movie/watchingnow.json/{alice.key}/batman-begins-2005")
    assert [user["username"] for user in movie.json()] == ["alice", "bob"]
    assert set(movie.json()[0]) == {
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
    }
    show = await client.post(f"/show/watchingnow.json/{alice.key}/the-walking-dead", json={})
    assert [user["username"] for user in show.json()] == ["carol"]  # dave is protected
    pilot = await client.get(f"/show/episode/watchingnow.json/{alice.key}/153021/1/1")
    assert [user["username"] for user in pilot.json()] == ["carol"]
    second = await client.get(f"/show/episode/watchingnow.json/{alice.key}/the-walking-dead/1/2")
    assert second.json() == []
    clock.advance(14 * 60)
    by_imdb = await client.get(f"/movie/watchingnow.json/{alice.key}/{BATMAN_IMDB}")
    assert [user["username"] for user in by_imdb.json()] == ["alice"]  # bob's state lapsed


async def test_watchingnow_of_unknown_items(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    await catalogue(runtime)
    movie = await client.get(f"/movie/watchingnow.json/{alice.key}/blah")
    assert (movie.status_code, movie.json()) == (404, {"status": "failure", "error": "movie not found"})
    show = await client.get(f"/show/watchingnow.json/{alice.key}/blah")
    assert (show.status_code, show.json()) == (404, {"status": "failure", "error": "show not found"})
    for season, number in (("1", "99"), ("x", "1"), ("-1", "1")):
        episode = await client.get(
            f"/show/episode/watchingnow.json/{alice.key}/the-walking-dead/{season}/{number}"
        )
        assert (episode.status_code, episode.json()) == (
            400,
            {"status": "failure", "error": "episode not found"},
        )


def shape(value: Any) -> Any:
    """Keys in order and JSON types, without the values."""
    if isinstance(value, dict):
        return [(key, shape(item)) for key, item in value.items()]
    return type(value).__name__


async def test_user_watching_has_the_shapes_of_the_spec_examples(
    client: httpx.AsyncClient, runtime: Runtime, shared_dir: Path
) -> None:
    alice = await make_user(runtime, "alice")
    await catalogue(runtime)
    heading = "2.21 user/watching [doc, complete]"
    movie_example = example(shared_dir / "spec" / "v1", "user", heading, 0)
    episode_example = example(shared_dir / "spec" / "v1", "user", heading, 1)
    await post(client, "movie/watching", alice, **BATMAN)
    movie = (await client.get(f"/user/watching.json/{alice.key}/alice")).json()
    await post(client, "show/checkin", alice, **PILOT)
    episode = (await client.get(f"/user/watching.json/{alice.key}/alice")).json()
    assert shape(movie) == shape(movie_example)
    assert shape(episode) == shape(episode_example)
    assert (episode["type"], episode["action"]) == (episode_example["type"], episode_example["action"])
