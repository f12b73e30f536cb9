"""movie/stats, show/stats, show/episode/stats, and the summaries' stats and top lists."""

from __future__ import annotations

from typing import Any

import httpx

from opentrakt.db.tables.tracking import ACTION_CHECKIN, ACTION_SCROBBLE
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import add_episode, add_show, catalog_writer, the_social_network, the_walking_dead
from tests.discovery import activity as rows
from tests.support import Account, make_user

MOVIE = "the-social-network-2010"


def zero_stats() -> dict[str, Any]:
    return {
        "ratings": {
            "percentage": 0,
            "votes": 0,
            "loved": 0,
            "hated": 0,
            "distribution": {str(n): 0 for n in range(1, 11)},
        },
        "watchers": 0,
        "plays": 0,
        "scrobbles": {"all": 0, "users": 0},
        "checkins": {"all": 0, "users": 0},
        "collection": {"all": 0, "users": 0},
        "lists": {"all": 0, "watchlist": 0, "custom": 0},
        "comments": {"all": 0, "shouts": 0, "reviews": 0},
    }


async def users(runtime: Runtime, *names: str, **profile: Any) -> list[Account]:
    return [await make_user(runtime, name, **profile) for name in names]


async def test_movie_stats_of_an_untouched_movie_are_eight_zeroed_keys(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        await the_social_network(conn)
    response = await client.get(f"/movie/stats.json/{alice.key}/{MOVIE}")
    assert response.status_code == 200
    assert response.json() == zero_stats()
    assert len(response.json()) == 8


async def test_movie_stats_count_every_family(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice, bob, carol = await users(runtime, "alice", "bob", "carol")
    async with catalog_writer(runtime) as conn:
        movie = await the_social_network(conn)
        await rows.play_movie(conn, alice.user_id, movie, action=ACTION_SCROBBLE)
        await rows.play_movie(conn, alice.user_id, movie, action=ACTION_SCROBBLE)
        await rows.play_movie(conn, bob.user_id, movie, action=ACTION_CHECKIN)
        await rows.play_movie(conn, carol.user_id, movie, count=3)  # a "seen" sync of three plays
        await rows.collect_movie(conn, alice.user_id, movie)
        await rows.collect_movie(conn, carol.user_id, movie)
        await rows.rate_movie(conn, alice.user_id, movie, 10)
        await rows.rate_movie(conn, bob.user_id, movie, 7)
        await rows.rate_movie(conn, carol.user_id, movie, 2)
        await rows.watchlist_movie(conn, bob.user_id, movie)
        await rows.custom_list_with(conn, alice.user_id, "movie", movie, "Favourites")
        await rows.custom_list_with(conn, carol.user_id, "movie", movie, "Fincher")
        await rows.comment(conn, bob.user_id, "movie", movie, review=False)
        await rows.comment(conn, carol.user_id, "movie", movie, review=True)
    response = await client.post(f"/movie/stats.json/{alice.key}/tt1285016", json={})
    distribution = {str(n): 0 for n in range(1, 11)} | {"2": 1, "7": 1, "10": 1}
    assert response.json() == {
        "ratings": {"percentage": 63, "votes": 3, "loved": 2, "hated": 1, "distribution": distribution},
        "watchers": 3,
        "plays": 6,
        "scrobbles": {"all": 2, "users": 1},
        "checkins": {"all": 1, "users": 1},
        "collection": {"all": 2, "users": 2},
        "lists": {"all": 3, "watchlist": 1, "custom": 2},
        "comments": {"all": 2, "shouts": 1, "reviews": 1},
    }


async def test_show_and_episode_stats(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice, bob = await users(runtime, "alice", "bob")
    async with catalog_writer(runtime) as conn:
        show = await the_walking_dead(conn)
        pilot = await add_episode(conn, show, 3, 1, title="Seed")
        second = await add_episode(conn, show, 3, 2, title="Sick")
        await rows.play_episode(conn, alice.user_id, show, pilot, action=ACTION_SCROBBLE)
        await rows.play_episode(conn, alice.user_id, show, second, action=ACTION_SCROBBLE)
        await rows.play_episode(conn, bob.user_id, show, pilot, action=ACTION_CHECKIN)
        await rows.collect_episode(conn, bob.user_id, show, pilot)
        await rows.collect_episode(conn, bob.user_id, show, second)
        await rows.rate_show(conn, alice.user_id, show, 9)
        await rows.rate_episode(conn, bob.user_id, show, pilot, 4)
        await rows.watchlist_show(conn, bob.user_id, show)
        await rows.watchlist_episode(conn, alice.user_id, show, second)
        await rows.comment(conn, alice.user_id, "show", show, review=False)
        await rows.comment(conn, bob.user_id, "episode", pilot, review=False)
    show_stats = (await client.get(f"/show/stats.json/{alice.key}/the-walking-dead")).json()
    assert len(show_stats) == 8
    assert show_stats["watchers"] == 2
    assert show_stats["plays"] == 3
    assert show_stats["scrobbles"] == {"all": 2, "users": 1}
    assert show_stats["checkins"] == {"all": 1, "users": 1}
    assert show_stats["collection"] == {"all": 2, "users": 1}
    # The show's own ratings, lists and comments; the episodes' belong to the episodes.
    assert show_stats["ratings"]["votes"] == 1
    assert show_stats["ratings"]["distribution"]["9"] == 1
    assert show_stats["lists"] == {"all": 1, "watchlist": 1, "custom": 0}
    assert show_stats["comments"] == {"all": 1, "shouts": 1, "reviews": 0}

    episode_stats = (await client.get(f"/show/episode/stats.json/{alice.key}/153021/3/1")).json()
    assert len(episode_stats) == 8
    assert episode_stats["watchers"] == 2
    assert episode_stats["plays"] == 2
    assert episode_stats["collection"] == {"all": 1, "users": 1}
    assert episode_stats["ratings"]["hated"] == 1
    assert episode_stats["lists"] == {"all": 0, "watchlist": 0, "custom": 0}
    assert episode_stats["comments"]["shouts"] == 1


async def test_stats_of_unknown_items_fail(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        await the_walking_dead(conn)
    movie = await client.get(f"/movie/stats.json/{alice.key}/no-such-movie-1999")
    assert (movie.status_code, movie.json()) == (404, {"status": "failure", "error": "movie not found"})
    show = await client.get(f"/show/stats.json/{alice.key}/no-such-show")
    assert (show.status_code, show.json()["error"]) == (404, "show not found")
    episode = await client.get(f"/show/episode/stats.json/{alice.key}/the-walking-dead/9/9")
    assert (episode.status_code, episode.json()["error"]) == (400, "episode not found")


async def test_movie_summary_reports_stats_and_top_watchers_by_plays(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    alice, bob, carol = await users(runtime, "alice", "bob", "carol")
    async with catalog_writer(runtime) as conn:
        movie = await the_social_network(conn)
        await rows.play_movie(conn, alice.user_id, movie, action=ACTION_SCROBBLE)
        await rows.play_movie(conn, bob.user_id, movie, count=4)
        await rows.play_movie(conn, carol.user_id, movie, action=ACTION_CHECKIN, count=2)
        await rows.collect_movie(conn, bob.user_id, movie)
    summary = (await client.get(f"/movie/summary.json/{alice.key}/{MOVIE}")).json()
    assert summary["stats"] == {
        "watchers": 3,
        "plays": 7,
        "scrobbles": 1,
        "scrobbles_unique": 1,
        "checkins": 2,
        "checkins_unique": 1,
        "collection": 1,
        "collection_unique": 1,
    }
    assert [(w["username"], w["plays"]) for w in summary["top_watchers"]] == [
        ("bob", 4),
        ("carol", 2),
        ("alice", 1),
    ]
    assert summary["top_watchers"][0]["url"].endswith("/user/bob")


async def test_top_watchers_follow_the_visibility_rule(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice, bob = await users(runtime, "alice", "bob")
    (hidden,) = await users(runtime, "hidden", protected=True)
    async with catalog_writer(runtime) as conn:
        movie = await the_social_network(conn)
        await rows.play_movie(conn, hidden.user_id, movie, count=9)
        await rows.play_movie(conn, alice.user_id, movie)
        await rows.befriend(conn, bob.user_id, hidden.user_id)

    def names(response: httpx.Response) -> list[str]:
        return [w["username"] for w in response.json()["top_watchers"]]

    url = f"/movie/summary.json/{alice.key}/{MOVIE}"
    anonymous = await client.get(url)
    assert names(anonymous) == ["alice"]
    # The counters are aggregates: they count everyone and name no one.
    assert anonymous.json()["stats"]["watchers"] == 2
    assert names(await client.post(url, json=alice.body)) == ["alice"]
    assert names(await client.post(url, json=bob.body)) == ["hidden", "alice"]
    assert names(await client.post(url, json=hidden.body)) == ["hidden", "alice"]


async def test_show_summary_top_episodes_and_stats(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice, bob = await users(runtime, "alice", "bob")
    async with catalog_writer(runtime) as conn:
        show = await add_show(conn, "Quiet Show", 2001, tvdb_id=555)
        first = await add_episode(conn, show, 1, 1, title="One")
        second = await add_episode(conn, show, 1, 2, title="Two")
        await add_episode(conn, show, 1, 3, title="Three")
        await rows.play_episode(conn, alice.user_id, show, second, count=2)
        await rows.play_episode(conn, bob.user_id, show, second)
        await rows.play_episode(conn, bob.user_id, show, first)
    summary = (await client.get(f"/show/summary.json/{alice.key}/quiet-show")).json()
    assert [(e["season"], e["number"], e["plays"]) for e in summary["top_episodes"]] == [(1, 2, 3), (1, 1, 1)]
    assert summary["top_episodes"][0]["title"] == "Two"
    assert (summary["stats"]["watchers"], summary["stats"]["plays"]) == (2, 4)
    assert [(w["username"], w["plays"]) for w in summary["top_watchers"]] == [("alice", 2), ("bob", 2)]
