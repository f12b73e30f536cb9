"""The deprecated friends/*, user/friends and user/library/*/loved|hated, on follows and ratings."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import insert

from opentrakt.db.tables.tracking import episode_plays, movie_plays
from opentrakt.ratings import service as ratings
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import add_episode, add_movie, add_show, catalog_writer
from tests.conftest import START
from tests.social.cast import SEES_OWNER, make_cast
from tests.support import Account, make_user


async def _friends(client: httpx.AsyncClient, who: Account, method: str, **fields: Any) -> httpx.Response:
    return await client.post(f"/friends/{method}/{who.key}", json={**who.body, **fields})


async def _read(client: httpx.AsyncClient, path: str, viewer: Account | None = None) -> httpx.Response:
    if viewer is None:
        return await client.get(path)
    return await client.post(path, json=viewer.body)


async def test_friend_request_approve_and_list(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    carol = await make_user(runtime, "carol", protected=True)
    response = await _friends(client, alice, "add", friend="carol")
    assert response.json() == {"status": "success", "message": "follow request sent to carol"}
    requests = (await _friends(client, carol, "requests")).json()
    assert [(r["username"], r["requested"]) for r in requests] == [("alice", START)]

    response = await _friends(client, carol, "approve", friend="alice")
    assert response.json() == {"status": "success", "message": "approved alice and followed back"}
    for me, other in ((alice, "carol"), (carol, "alice")):
        listed = (await _friends(client, me, "all")).json()
        assert [(f["username"], f["approved"]) for f in listed] == [(other, START)]
        assert "since" not in listed[0]


async def test_friends_add_of_a_public_user_is_immediate(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice, bob = await make_user(runtime, "alice"), await make_user(runtime, "bob")
    assert (await _friends(client, alice, "add", friend="bob")).json()["message"] == "now following bob"
    assert (await _friends(client, bob, "all")).json() == []  # one-way is not a friendship
    await _friends(client, bob, "add", friend="alice")
    assert [f["username"] for f in (await _friends(client, bob, "all")).json()] == ["alice"]


async def test_delete_and_deny(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice, bob = await make_user(runtime, "alice"), await make_user(runtime, "bob")
    carol = await make_user(runtime, "carol", protected=True)
    await _friends(client, alice, "add", friend="bob")
    await _friends(client, bob, "add", friend="alice")
    assert (await _friends(client, alice, "delete", friend="bob")).json() == {
        "status": "success",
        "message": "stopped following bob",
    }
    assert (await _friends(client, bob, "all")).json() == []
    await _friends(client, alice, "add", friend="carol")
    assert (await _friends(client, carol, "deny", friend="alice")).json()["message"] == "denied alice"
    assert (await _friends(client, carol, "requests")).json() == []


async def test_friend_failures(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    await make_user(runtime, "bob")
    cases = [
        ("add", {"user": "bob"}, 400, "friend is required"),  # network/* naming is not read here
        ("add", {"friend": "alice"}, 400, "you can't follow yourself"),
        ("approve", {"friend": "bob"}, 404, "there is no follow request from bob"),
        ("deny", {"friend": "bob"}, 404, "there is no follow request from bob"),
        ("delete", {"friend": "bob"}, 404, "you are not following bob"),
        ("delete", {"friend": "ghost"}, 404, "user ghost not found"),
    ]
    for method, fields, status, error in cases:
        response = await _friends(client, alice, method, **fields)
        assert (response.status_code, response.json()) == (status, {"status": "failure", "error": error}), (
            method
        )
    assert (await _friends(client, alice, "all")).json() == []
    anonymous = await client.post(f"/friends/all/{alice.key}", json={})
    assert anonymous.status_code == 401


async def _add_plays(runtime: Runtime, user_id: int) -> None:
    async with catalog_writer(runtime) as conn:
        heat = await add_movie(conn, "Heat", 1995, imdb_id="tt0113277")
        show = await add_show(conn, "Portlandia", 2011, tvdb_id=213221)
        episode = await add_episode(conn, show, 1, 1, title="Dream of the 1890s")
        await conn.execute(
            insert(movie_plays).values(
                user_id=user_id, movie_id=heat, watched_at=START - 100, action="seen", count=1
            )
        )
        await conn.execute(
            insert(episode_plays).values(
                user_id=user_id,
                episode_id=episode,
                show_id=show,
                watched_at=START - 50,
                action="scrobble",
                count=1,
            )
        )


async def test_user_friends_shows_what_friends_watch(client: httpx.AsyncClient, runtime: Runtime) -> None:
    cast = await make_cast(runtime)
    await _add_plays(runtime, cast.friend.user_id)
    watching = await client.post(
        f"/movie/watching/{cast.friend.key}",
        json={**cast.friend.body, "imdb_id": "tt0113277", "title": "Heat", "year": 1995, "duration": 170},
    )
    assert watching.status_code == 200
    path = f"/user/friends.json/{cast.owner.key}/owner"
    (friend,) = (await _read(client, path, cast.owner)).json()
    assert friend["username"] == "friend"
    assert friend["watching"]["type"] == "movie"
    assert friend["watching"]["movie"]["title"] == "Heat"
    assert [(w["type"], w["action"], w["watched"]) for w in friend["watched"]] == [
        ("episode", "scrobble", START - 50),
        ("movie", "seen", START - 100),
    ]
    assert friend["watched"][0]["show"]["title"] == "Portlandia"
    assert friend["watched"][0]["episode"]["number"] == 1
    assert "watched_movies" not in friend

    (extended,) = (await _read(client, f"{path}/extended", cast.owner)).json()
    assert [w["movie"]["title"] for w in extended["watched_movies"]] == ["Heat"]
    assert [w["episode"]["title"] for w in extended["watched_episodes"]] == ["Dream of the 1890s"]


async def test_user_friends_privacy(client: httpx.AsyncClient, runtime: Runtime) -> None:
    cast = await make_cast(runtime)
    for viewer, sees in SEES_OWNER.items():
        response = await _read(client, f"/user/friends.json/{cast.owner.key}/owner", cast.viewer(viewer))
        assert response.status_code == 200
        assert [f["username"] for f in response.json()] == (["friend"] if sees else []), viewer


async def test_a_protected_friend_shows_nothing_to_strangers(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    cast = await make_cast(runtime)
    await _add_plays(runtime, cast.owner.user_id)
    # The friend is public, so anyone may list the friend's friends: the protected owner.
    path = f"/user/friends.json/{cast.owner.key}/friend"
    for viewer, sees in SEES_OWNER.items():
        (owner,) = (await _read(client, path, cast.viewer(viewer))).json()
        assert owner["username"] == "owner"
        assert (owner["full_name"], len(owner["watched"])) == (("Owen Owner", 2) if sees else (None, 0)), (
            viewer
        )
        assert owner["watching"] == []


async def test_loved_and_hated_libraries(client: httpx.AsyncClient, runtime: Runtime) -> None:
    cast = await make_cast(runtime)
    async with catalog_writer(runtime) as conn:
        loved = await add_movie(conn, "Heat", 1995, imdb_id="tt0113277", tmdb_id=949)
        hated = await add_movie(conn, "Bad", 2001)
        middling = await add_movie(conn, "Fine", 2002)
        show = await add_show(conn, "Portlandia", 2011, tvdb_id=213221)
        await ratings.rate(conn, cast.owner.user_id, "movie", {loved: 10, hated: 1, middling: 6}, START)
        await ratings.rate(conn, cast.owner.user_id, "show", {show: 5}, START)
    base = f"/user/library/%s.json/{cast.owner.key}/owner"
    expected = {
        "movies/loved": ["Fine", "Heat"],
        "movies/hated": ["Bad"],
        "shows/loved": [],
        "shows/hated": ["Portlandia"],
    }
    for section, titles in expected.items():
        for viewer, sees in SEES_OWNER.items():
            response = await _read(client, base % section, cast.viewer(viewer))
            assert response.status_code == 200
            assert sorted(item["title"] for item in response.json()) == (titles if sees else []), (
                section,
                viewer,
            )
    minimal = (await _read(client, f"{base % 'movies/loved'}/min", cast.owner)).json()
    assert {"title": "Heat", "year": 1995, "imdb_id": "tt0113277", "tmdb_id": "949"} in minimal
    full = (await _read(client, f"{base % 'shows/hated'}/extended", cast.owner)).json()
    assert "last_updated" in full[0] and "rating" not in full[0]
    unknown = await client.get(f"/user/library/movies/loved.json/{cast.owner.key}/ghost")
    assert unknown.status_code == 404
