"""recommendations/movies, recommendations/shows and their dismissals."""

from __future__ import annotations

from typing import Any

import httpx

from opentrakt.discovery.neighbours import refresh_neighbours
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import add_episode, add_movie, add_show, catalog_writer
from tests.discovery import activity as rows
from tests.support import Account, make_user


async def neighbourhood(runtime: Runtime) -> tuple[Account, dict[str, int]]:
    """``me`` loves A and hates H. People who liked A liked X (two of them) and Y (one, and Y
    has another liker); the one who liked H liked Z. Q is an unrelated action movie one person
    liked, P a comedy two people liked; W and V go with A but are on my watchlist / dismissed."""
    me = await make_user(runtime, "me")
    n1, n2, n3, n4, n5 = [await make_user(runtime, f"n{i}") for i in range(1, 6)]
    async with catalog_writer(runtime) as conn:
        ids = {
            "A": await add_movie(conn, "A", 2000, genre_names=["Action"], imdb_id="tt0000100"),
            "H": await add_movie(conn, "H", 2000, genre_names=["Horror"]),
            "X": await add_movie(conn, "X", 2001, genre_names=["Action"]),
            "Y": await add_movie(conn, "Y", 2002, genre_names=["Drama"]),
            "Z": await add_movie(conn, "Z", 2003, genre_names=["Horror"]),
            "Q": await add_movie(conn, "Q", 2003, genre_names=["Action"]),
            "P": await add_movie(conn, "P", 2004, genre_names=["Comedy"]),
            "W": await add_movie(conn, "W", 2005, genre_names=["Action"]),
            "V": await add_movie(conn, "V", 2006, genre_names=["Action"], imdb_id="tt0000106"),
        }
        await rows.rate_movie(conn, me.user_id, ids["A"], 10)
        await rows.rate_movie(conn, me.user_id, ids["H"], 1)
        await rows.watchlist_movie(conn, me.user_id, ids["W"])
        for user, liked in (
            (n1, "A X W"),
            (n2, "A X Y V"),
            (n3, "H Z"),
            (n4, "Y P"),
            (n5, "P Q"),
        ):
            for title in liked.split():
                await rows.play_movie(conn, user.user_id, ids[title])
    return me, ids


async def recommended(
    client: httpx.AsyncClient, runtime: Runtime, me: Account, kind: str = "movies", **body: Any
) -> list[str]:
    """The titles recommended to ``me``, after the background refresh of the neighbours."""
    await refresh_neighbours(runtime.engine, now=runtime.clock.now())
    response = await client.post(f"/recommendations/{kind}/{me.key}", json={**me.body, **body})
    assert response.status_code == 200, response.json()
    return [item["title"] for item in response.json()]


async def test_movies_from_people_who_share_the_users_taste(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    me, _ = await neighbourhood(runtime)
    # From A's likers: X (two of them), V (one, its only liker), Y (one, with another liker);
    # then popular action (Q, the user's genre). Never Z (goes with the hated H), W
    # (watchlisted), A and H (rated), P (another genre).
    assert await recommended(client, runtime, me) == ["X", "V", "Y", "Q"]


async def test_dismissed_movies_never_come_back(client: httpx.AsyncClient, runtime: Runtime) -> None:
    me, _ = await neighbourhood(runtime)
    response = await client.post(
        f"/recommendations/movies/dismiss/{me.key}", json={**me.body, "imdb_id": "tt0000106"}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["message"], body["movie"]["title"]) == ("success", "dismissed V (2006)", "V")
    again = await client.post(
        f"/recommendations/movies/dismiss/{me.key}", json={**me.body, "title": "V", "year": 2006}
    )
    assert again.json()["status"] == "success"
    assert await recommended(client, runtime, me) == ["X", "Y", "Q"]


async def test_filters_narrow_by_genre_and_year(client: httpx.AsyncClient, runtime: Runtime) -> None:
    me, _ = await neighbourhood(runtime)
    assert await recommended(client, runtime, me, genre="action") == ["X", "V", "Q"]
    assert await recommended(client, runtime, me, start_year=2002, end_year="2003") == ["Y", "Q"]
    assert await recommended(client, runtime, me, genre="no-such-genre") == []
    assert await recommended(client, runtime, me, hide_collected=True, hide_watchlisted="true") == [
        "X",
        "V",
        "Y",
        "Q",
    ]


async def test_new_users_get_the_most_liked_movies(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await neighbourhood(runtime)
    newbie = await make_user(runtime, "newbie")
    # A has three likers (me loved it); X, Y and P two, in catalogue order; then the rest.
    titles = await recommended(client, runtime, newbie)
    assert titles[:4] == ["A", "X", "Y", "P"]
    assert sorted(titles[4:]) == ["H", "Q", "V", "W", "Z"]
    # Someone who only collected an action movie gets action first, popular action only.
    async with catalog_writer(runtime) as conn:
        await rows.collect_movie(
            conn, newbie.user_id, (await add_movie(conn, "Mine", 1999, genre_names=["Action"]))
        )
    assert await recommended(client, runtime, newbie) == ["A", "X", "Q", "W", "V"]


async def test_an_empty_catalogue_recommends_nothing(client: httpx.AsyncClient, runtime: Runtime) -> None:
    me = await make_user(runtime, "me")
    assert await recommended(client, runtime, me) == []
    assert await recommended(client, runtime, me, "shows") == []


async def test_bad_input_and_missing_credentials(client: httpx.AsyncClient, runtime: Runtime) -> None:
    me, _ = await neighbourhood(runtime)
    anonymous = await client.post(f"/recommendations/movies/{me.key}", json={})
    assert anonymous.status_code == 401
    for body in (
        {"start_year": "soon"},
        {"end_year": 20001},
        {"hide_collected": "maybe"},
        {"genre": ["action"]},
    ):
        response = await client.post(f"/recommendations/movies/{me.key}", json={**me.body, **body})
        assert response.status_code == 400, body
        assert response.json()["status"] == "failure"
    unknown = await client.post(
        f"/recommendations/movies/dismiss/{me.key}", json={**me.body, "imdb_id": "tt9999999"}
    )
    assert (unknown.status_code, unknown.json()["error"]) == (404, "movie not found")


async def test_shows_from_co_watching_with_dismissal(client: httpx.AsyncClient, runtime: Runtime) -> None:
    me, fan = await make_user(runtime, "me"), await make_user(runtime, "fan")
    async with catalog_writer(runtime) as conn:
        mine = await add_show(conn, "Mine", 2001, tvdb_id=1, genre_names=["Drama"])
        paired = await add_show(conn, "Paired", 2002, tvdb_id=2, genre_names=["Comedy"])
        listed = await add_show(conn, "Listed", 2003, tvdb_id=3, genre_names=["Drama"])
        for show in (mine, paired, listed):
            episode = await add_episode(conn, show, 1, 1)
            await rows.play_episode(conn, fan.user_id, show, episode)
            if show == mine:
                await rows.play_episode(conn, me.user_id, show, episode)
        await rows.watchlist_show(conn, me.user_id, listed)
    assert await recommended(client, runtime, me, "shows") == ["Paired"]
    response = await client.post(f"/recommendations/shows/dismiss/{me.key}", json={**me.body, "tvdb_id": 2})
    assert (response.json()["message"], response.json()["show"]["title"]) == (
        "dismissed Paired (2002)",
        "Paired",
    )
    assert await recommended(client, runtime, me, "shows") == []
    unknown = await client.post(f"/recommendations/shows/dismiss/{me.key}", json={**me.body, "tvdb_id": 99})
    assert (unknown.status_code, unknown.json()["error"]) == (404, "show not found")
