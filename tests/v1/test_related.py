"""movie/related and show/related: shared genres, people and co-watching, top 10."""

from __future__ import annotations

import httpx

from opentrakt.runtime import Runtime
from tests.catalog_fixtures import Role, add_credits, add_episode, add_movie, add_show, catalog_writer
from tests.discovery import activity as rows
from tests.support import Account, make_user


async def heist_and_friends(runtime: Runtime, alice: Account, bob: Account) -> dict[str, int]:
    """A target movie and candidates scoring 6 (co-watched twice), 3 (star + genre),
    2 (both genres), 1 (one genre) and 0 (nothing shared)."""
    async with catalog_writer(runtime) as conn:
        ids = {
            "heist": await add_movie(conn, "Heist", 2001, genre_names=["Action", "Drama"]),
            "cowatched": await add_movie(conn, "Cowatched", 2002),
            "star": await add_movie(conn, "Same Star", 2003, genre_names=["Drama"]),
            "genres": await add_movie(conn, "Same Genres", 2004, genre_names=["Action", "Drama"]),
            "one": await add_movie(conn, "One Genre", 2005, genre_names=["Action"]),
            "unrelated": await add_movie(conn, "Unrelated", 2006, genre_names=["Comedy"]),
        }
        await add_credits(
            conn, "movie", ids["heist"], [Role("Ann Actor"), Role("Dee Rector", role="director")]
        )
        # One person credited twice still counts once.
        await add_credits(conn, "movie", ids["star"], [Role("Ann Actor"), Role("Ann Actor", role="producer")])
        for user in (alice, bob):
            await rows.play_movie(conn, user.user_id, ids["heist"])
            await rows.play_movie(conn, user.user_id, ids["cowatched"])
        await rows.play_movie(conn, alice.user_id, ids["cowatched"])  # a rewatch is still one person
    return ids


def titles(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [item["title"] for item in response.json()]


async def test_movies_rank_by_shared_people_genres_and_co_watching(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    alice, bob = await make_user(runtime, "alice"), await make_user(runtime, "bob")
    await heist_and_friends(runtime, alice, bob)
    response = await client.get(f"/movie/related.json/{alice.key}/heist-2001")
    assert titles(response) == ["Cowatched", "Same Star", "Same Genres", "One Genre"]
    first = response.json()[0]
    assert first["url"].endswith("/movie/cowatched-2002")
    assert "people" not in first and "stats" not in first and "watched" not in first


async def test_hidewatched_applies_only_with_credentials(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice, bob = await make_user(runtime, "alice"), await make_user(runtime, "bob")
    await heist_and_friends(runtime, alice, bob)
    url = f"/movie/related.json/{alice.key}/heist-2001"
    anonymous = await client.get(f"{url}/hidewatched")
    assert titles(anonymous)[0] == "Cowatched"
    hidden = await client.post(f"{url}/hidewatched", json=alice.body)
    assert titles(hidden) == ["Same Star", "Same Genres", "One Genre"]
    shown = await client.post(url, json=alice.body)
    assert titles(shown)[0] == "Cowatched"
    assert (shown.json()[0]["watched"], shown.json()[0]["plays"]) == (True, 2)
    assert "Unrelated" not in titles(shown)


async def test_at_most_ten_and_nothing_shared_is_empty(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        await add_movie(conn, "Drama Zero", 1990, genre_names=["Drama"])
        for n in range(1, 13):
            await add_movie(conn, f"Drama {n}", 1990 + n, genre_names=["Drama"])
        await add_movie(conn, "Alone", 1980)
    response = await client.get(f"/movie/related.json/{alice.key}/drama-zero-1990")
    # Equal scores: the catalogue's order, oldest entry first.
    assert titles(response) == [f"Drama {n}" for n in range(1, 11)]
    assert (await client.get(f"/movie/related.json/{alice.key}/alone-1980")).json() == []
    missing = await client.get(f"/movie/related.json/{alice.key}/nothing-here-1900")
    assert (missing.status_code, missing.json()["error"]) == (404, "movie not found")


async def test_shows_relate_by_genre_and_co_watching(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice, bob = await make_user(runtime, "alice"), await make_user(runtime, "bob")
    async with catalog_writer(runtime) as conn:
        target = await add_show(conn, "Target", 2001, tvdb_id=1, genre_names=["Drama"])
        paired = await add_show(conn, "Paired", 2002, tvdb_id=2)
        await add_show(conn, "Genre Mate", 2003, tvdb_id=3, genre_names=["Drama"])
        await add_show(conn, "Stranger", 2004, tvdb_id=4, genre_names=["Comedy"])
        await add_credits(conn, "show", target, [Role("Sam Star")])
        target_pilot = await add_episode(conn, target, 1, 1)
        paired_pilot = await add_episode(conn, paired, 1, 1)
        await rows.play_episode(conn, bob.user_id, target, target_pilot)
        await rows.play_episode(conn, bob.user_id, paired, paired_pilot)
        await rows.play_episode(conn, alice.user_id, paired, paired_pilot)
    url = f"/show/related.json/{alice.key}/target"
    assert titles(await client.get(url)) == ["Paired", "Genre Mate"]
    # Trakt-for-Mediaportal puts hidewatched where extended goes.
    assert titles(await client.post(f"{url}/hidewatched", json=alice.body)) == ["Genre Mate"]
    extended = await client.post(f"{url}/extended/hidewatched", json=alice.body)
    assert titles(extended) == ["Genre Mate"]
    assert "status" in extended.json()[0]  # the full show object
    assert extended.json()[0]["in_watchlist"] is False
