"""The activity feeds over the wire: envelope, recorded item shape, filters, flags, every method
and who may read what."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from opentrakt.runtime import Runtime
from opentrakt.social.events import ActivityEvent, record_events
from opentrakt.v1.presenters.activity_item import elapsed, when
from tests.catalog_fixtures import add_episode, add_movie, add_show, catalog_writer
from tests.conftest import START, FrozenClock
from tests.social.cast import SEES_OWNER, Cast, make_cast
from tests.support import SPEC, Account, make_user

HEAT = {"imdb_id": "tt0113277", "title": "Heat", "year": 1995}
RONIN = {"imdb_id": "tt0122690", "title": "Ronin", "year": 1998}
DEXTER = {"tvdb_id": "79349", "title": "Dexter", "year": 2006}


async def _post(client: httpx.AsyncClient, who: Account, method: str, **fields: Any) -> httpx.Response:
    response = await client.post(f"/{method}/{who.key}", json={**who.body, **fields})
    assert response.status_code == 200, response.text
    return response


async def _catalog(runtime: Runtime) -> dict[str, int]:
    async with catalog_writer(runtime) as conn:
        heat = await add_movie(
            conn, "Heat", 1995, imdb_id="tt0113277", tmdb_id=949, runtime=170, genre_names=["Crime"]
        )
        await add_movie(conn, "Ronin", 1998, imdb_id="tt0122690")
        dexter = await add_show(conn, "Dexter", 2006, tvdb_id=79349, imdb_id="tt0773262")
        e11 = await add_episode(conn, dexter, 1, 1, title="Dexter", tvdb_id=1001)
        e12 = await add_episode(conn, dexter, 1, 2, title="Crocodile", tvdb_id=1002)
        e21 = await add_episode(conn, dexter, 2, 1, title="It's Alive", tvdb_id=2001)
    return {"heat": heat, "dexter": dexter, "e11": e11, "e12": e12, "e21": e21}


async def _events(runtime: Runtime, *events: ActivityEvent) -> None:
    async with catalog_writer(runtime) as conn:
        await record_events(conn, events)


def _actions(response: httpx.Response) -> list[tuple[str, str]]:
    return [(item["type"], item["action"]) for item in response.json()["activity"]]


# Envelope and recorded shape.


async def test_envelope_and_recorded_item_shape(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await make_user(runtime, "alice")
    await _catalog(runtime)
    await _post(client, alice, "movie/watching", **HEAT, duration=170, progress=10)
    clock.advance(65)
    response = await client.get(f"/activity/community.json/{alice.key}/movie/watching/{START - 10}")
    assert response.status_code == 200
    body = response.json()
    assert body["timestamps"] == {"start": START - 10, "end": START + 65, "current": START + 65}

    recorded = json.loads((SPEC / "recorded" / "should_get_community_activity.json").read_text())
    expected = recorded[0]["response_body"]
    assert list(body) == list(expected)
    item, model = body["activity"][0], expected["activity"][0]
    assert list(item) == list(model)
    assert list(item["user"]) == list(model["user"])  # no "joined"
    assert list(item["movie"]) == list(model["movie"])  # ratings before genres
    assert item["elapsed"] == {"full": "1 minute, 5 seconds", "short": "1m 5s"}
    assert item["timestamp"] == START
    # 1700000000 is Tue 14 Nov 2023 14:13 PST.
    assert item["when"] == {"day": "Tue", "time": "2:13 pm"}
    assert item["movie"]["imdb_id"] == "tt0113277" and item["movie"]["genres"] == ["Crime"]


async def test_start_defaults_to_the_oldest_item_and_end_to_current(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await make_user(runtime, "alice")
    empty = (await client.get(f"/activity/community/{alice.key}")).json()
    assert empty == {"timestamps": {"start": START, "end": START, "current": START}, "activity": []}
    await _catalog(runtime)
    await _post(client, alice, "movie/watchlist", movies=[HEAT])
    clock.advance(30)
    await _post(client, alice, "rate/movie", **HEAT, rating=9)
    clock.advance(30)
    body = (await client.get(f"/activity/community.json/{alice.key}/all/all/0/{START + 40}")).json()
    assert body["timestamps"] == {"start": 0, "end": START + 40, "current": START + 60}
    body = (await client.get(f"/activity/community.json/{alice.key}")).json()
    assert body["timestamps"]["start"] == START


# Every action the other parts emit, written through the API.


async def test_actions_written_through_the_api(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await make_user(runtime, "alice")
    await _catalog(runtime)
    steps: list[tuple[str, dict[str, Any]]] = [
        ("movie/seen", {"movies": [{**RONIN, "plays": 1, "last_played": START - 500}]}),
        ("movie/watching", {**HEAT, "duration": 170, "progress": 10}),
        ("movie/scrobble", {**HEAT, "duration": 170, "progress": 95}),
        ("movie/library", {"movies": [HEAT]}),
        ("movie/watchlist", {"movies": [HEAT]}),
        ("rate/movie", {**HEAT, "rating": 8}),
        ("comment/movie", {**HEAT, "comment": "Great <b>heist</b>", "spoiler": True}),
        (
            "show/episode/seen",
            {**DEXTER, "episodes": [{"season": 1, "episode": 1}, {"season": 1, "episode": 2}]},
        ),
        ("show/episode/library", {**DEXTER, "episodes": [{"season": 2, "episode": 1}]}),
        ("rate/show", {**DEXTER, "rating": "love"}),
        ("lists/add", {"name": "Crime", "privacy": "public"}),
        ("lists/items/add", {"slug": "crime", "items": [{"type": "movie", **HEAT}]}),
    ]
    for method, body in steps:
        await _post(client, alice, method, **body)
        clock.advance(1)
    response = await client.get(f"/activity/user.json/{alice.key}/alice")
    assert _actions(response) == [
        ("list", "item_added"),
        ("list", "created"),
        ("show", "rating"),
        ("episode", "collection"),
        ("episode", "seen"),
        ("movie", "shout"),
        ("movie", "rating"),
        ("movie", "watchlist"),
        ("movie", "collection"),
        ("movie", "scrobble"),
        ("movie", "watching"),
        ("movie", "seen"),
    ]
    items = response.json()["activity"]
    added, created, show_rating, collected, seen, shout, rating = items[:7]
    assert added["list"]["slug"] == "crime" and added["list_item"]["type"] == "movie"
    assert added["list_item"]["movie"]["title"] == "Heat"
    assert set(created["list"]) == {
        "name",
        "slug",
        "url",
        "description",
        "privacy",
        "show_numbers",
        "allow_shouts",
    }
    assert "list_item" not in created
    assert show_rating["show"]["title"] == "Dexter" and show_rating["rating"] == "love"
    assert "episode" not in show_rating and "episodes" not in show_rating
    assert collected["episode"]["season"] == 2 and "episodes" not in collected
    assert [(e["season"], e["number"]) for e in seen["episodes"]] == [(1, 1), (1, 2)]
    assert shout["shout"]["text"] == "Great <b>heist</b>"
    assert shout["shout"]["text_html"] == "<p>Great &lt;b&gt;heist&lt;/b&gt;</p>"
    assert shout["shout"]["spoiler"] is True and isinstance(shout["shout"]["id"], int)
    assert (rating["rating"], rating["rating_advanced"], rating["use_rating_advanced"]) == ("love", 8, False)
    assert items[11]["watched"] == START - 500  # the synced play's own time


async def test_undo_actions_are_hidden_and_whole_show_writes_list_their_episodes(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await make_user(runtime, "alice")
    await _catalog(runtime)
    await _post(client, alice, "movie/library", movies=[HEAT])
    clock.advance(1)
    await _post(client, alice, "movie/unlibrary", movies=[HEAT])
    clock.advance(1)
    await _post(client, alice, "show/season/seen", **DEXTER, season=2)
    clock.advance(1)
    await _post(client, alice, "show/seen", **DEXTER)
    body = (await client.get(f"/activity/user.json/{alice.key}/alice")).json()
    assert [(i["type"], i["action"]) for i in body["activity"]] == [
        ("episode", "seen"),
        ("episode", "seen"),
        ("movie", "collection"),
    ]
    whole, season = body["activity"][0], body["activity"][1]
    assert [(e["season"], e["number"]) for e in season["episodes"]] == [(2, 1)]
    assert [(e["season"], e["number"]) for e in whole["episodes"]] == [(1, 1), (1, 2), (2, 1)]


# Filters, ordering and the cap.


async def _mixed(runtime: Runtime, ids: dict[str, int], user_id: int) -> None:
    await _events(
        runtime,
        ActivityEvent(user_id, START + 1, "seen", "movie", movie_id=ids["heat"]),
        ActivityEvent(user_id, START + 2, "checkin", "episode", show_id=ids["dexter"], episode_id=ids["e11"]),
        ActivityEvent(
            user_id, START + 3, "rating", "show", show_id=ids["dexter"], payload={"rating": "hate"}
        ),
        ActivityEvent(user_id, START + 4, "watching", "movie", movie_id=ids["heat"]),
    )


@pytest.mark.parametrize(
    ("segments", "expected"),
    [
        ("", [("movie", "watching"), ("show", "rating"), ("episode", "checkin"), ("movie", "seen")]),
        ("/movie", [("movie", "watching"), ("movie", "seen")]),
        ("/movie,show", [("movie", "watching"), ("show", "rating"), ("movie", "seen")]),
        ("/all/checkin,seen", [("episode", "checkin"), ("movie", "seen")]),
        ("/episode/seen", []),
        ("/all/all/1700000002", [("movie", "watching"), ("show", "rating"), ("episode", "checkin")]),
        ("/all/all/1700000002/1700000003", [("show", "rating"), ("episode", "checkin")]),
        ("/list", []),
    ],
)
async def test_filters(
    client: httpx.AsyncClient, runtime: Runtime, segments: str, expected: list[tuple[str, str]]
) -> None:
    alice = await make_user(runtime, "alice")
    await _mixed(runtime, await _catalog(runtime), alice.user_id)
    for path in (
        f"/activity/user.json/{alice.key}/alice{segments}",
        f"/activity/community.json/{alice.key}{segments}",
    ):
        assert _actions(await client.get(path)) == expected


async def test_bad_timestamp_is_a_failure(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    response = await client.get(f"/activity/community.json/{alice.key}/all/all/yesterday")
    assert response.status_code == 400 and response.json()["status"] == "failure"


async def test_at_most_100_newest_first(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    ids = await _catalog(runtime)
    await _events(
        runtime,
        *(
            ActivityEvent(alice.user_id, START + i % 7, "seen", "movie", movie_id=ids["heat"])
            for i in range(130)
        ),
    )
    items = (await client.get(f"/activity/community.json/{alice.key}")).json()["activity"]
    assert len(items) == 100
    stamps = [item["timestamp"] for item in items]
    assert stamps == sorted(stamps, reverse=True) and stamps[0] == START + 6


async def test_min_and_images(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    await _mixed(runtime, await _catalog(runtime), alice.user_id)
    items = (await client.get(f"/activity/user.json/{alice.key}/alice/all/checkin,seen?min=1")).json()[
        "activity"
    ]
    assert items == [
        {
            "timestamp": START + 2,
            "type": "episode",
            "action": "checkin",
            "user": {"username": "alice"},
            "show": {"imdb_id": "tt0773262", "tvdb_id": "79349"},
            "episode": {"season": 1, "number": 1, "tvdb_id": "1001"},
        },
        {
            "timestamp": START + 1,
            "type": "movie",
            "action": "seen",
            "user": {"username": "alice"},
            "movie": {"imdb_id": "tt0113277", "tmdb_id": "949"},
        },
    ]
    with_images = (await client.get(f"/activity/user/{alice.key}/alice/movie?min=1&images=1")).json()[
        "activity"
    ]
    assert set(with_images[0]["movie"]["images"]) == {"poster", "fanart"}
    normal = (await client.get(f"/activity/user/{alice.key}/alice/movie?min=0")).json()["activity"]
    assert "when" in normal[0] and "images" in normal[0]["movie"]


# Item feeds.


async def test_item_feeds(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice, bob = await make_user(runtime, "alice"), await make_user(runtime, "bob")
    ids = await _catalog(runtime)
    dexter = ids["dexter"]
    await _events(
        runtime,
        ActivityEvent(alice.user_id, START + 1, "seen", "movie", movie_id=ids["heat"]),
        ActivityEvent(bob.user_id, START + 2, "rating", "show", show_id=dexter, payload={"rating": "love"}),
        ActivityEvent(
            alice.user_id,
            START + 3,
            "seen",
            "episode",
            show_id=dexter,
            payload={"episode_ids": [ids["e11"], ids["e12"]]},
        ),
        ActivityEvent(
            bob.user_id, START + 4, "collection", "season", show_id=dexter, season=2, payload={"episodes": 1}
        ),
        ActivityEvent(alice.user_id, START + 5, "seen", "show", show_id=dexter, payload={"episodes": 3}),
        ActivityEvent(bob.user_id, START + 6, "watchlist", "episode", show_id=dexter, episode_id=ids["e21"]),
    )
    key = alice.key

    async def stamps(path: str) -> list[int]:
        response = await client.get(path)
        assert response.status_code == 200, response.text
        return [item["timestamp"] - START for item in response.json()["activity"]]

    assert await stamps(f"/activity/movies.json/{key}/tt0113277") == [1]
    assert await stamps(f"/activity/movies.json/{key}/heat-1995,unknown-title") == [1]
    assert await stamps(f"/activity/shows.json/{key}/dexter") == [6, 5, 4, 3, 2]
    assert await stamps(f"/activity/shows.json/{key}/79349/rating") == [2]
    assert await stamps(f"/activity/seasons.json/{key}/dexter/1") == [5, 3]
    assert await stamps(f"/activity/seasons.json/{key}/dexter/1,2") == [6, 5, 4, 3]
    assert await stamps(f"/activity/episodes.json/{key}/dexter/1/2") == [5, 3]
    assert await stamps(f"/activity/episodes.json/{key}/dexter/2/1/watchlist") == [6]
    assert await stamps(f"/activity/user/movies.json/{key}/alice/tt0113277") == [1]
    assert await stamps(f"/activity/user/shows.json/{key}/bob/dexter") == [6, 4, 2]
    assert await stamps(f"/activity/user/seasons.json/{key}/bob/dexter/2") == [6, 4]
    assert await stamps(f"/activity/user/episodes.json/{key}/alice/dexter/1/1/seen/{START + 4}") == [5]
    missing = await client.get(f"/activity/movies.json/{key}/nothing-like-it")
    assert missing.status_code == 404 and missing.json()["error"] == "movie not found"
    missing = await client.get(f"/activity/shows.json/{key}/nothing-like-it")
    assert missing.status_code == 404 and missing.json()["error"] == "show not found"


# Who may see what.


async def _cast_activity(runtime: Runtime) -> Cast:
    cast = await make_cast(runtime)
    ids = await _catalog(runtime)
    await _events(
        runtime,
        *(
            ActivityEvent(account.user_id, START + n, "seen", "movie", movie_id=ids["heat"])
            for n, account in enumerate((cast.owner, cast.friend, cast.pending, cast.fan, cast.stranger))
        ),
    )
    return cast


VIEWERS = ["owner", "friend", "pending", "fan", "stranger", None]


async def _users(client: httpx.AsyncClient, path: str, viewer: Account | None, cast: Cast) -> list[str]:
    if viewer is None:
        response = await client.get(path.format(key=cast.stranger.key))
    else:
        response = await client.post(path.format(key=viewer.key), json=viewer.body)
    assert response.status_code == 200, response.text
    return [item["user"]["username"] for item in response.json()["activity"]]


@pytest.mark.parametrize("name", VIEWERS)
async def test_privacy_of_public_feeds(client: httpx.AsyncClient, runtime: Runtime, name: str | None) -> None:
    cast = await _cast_activity(runtime)
    viewer = cast.viewer(name)
    everyone = ["stranger", "fan", "pending", "friend"]
    shown = [*everyone, "owner"] if SEES_OWNER[name] else everyone
    for path in (
        "/activity/community.json/{key}",
        "/activity/movies.json/{key}/tt0113277",
        "/activity/shows.json/{key}/dexter",
    ):
        expected = [] if "shows" in path else shown
        assert await _users(client, path, viewer, cast) == expected, path


@pytest.mark.parametrize("name", VIEWERS)
async def test_privacy_of_user_feeds(client: httpx.AsyncClient, runtime: Runtime, name: str | None) -> None:
    cast = await _cast_activity(runtime)
    viewer = cast.viewer(name)
    for path in (
        "/activity/user.json/{key}/owner",
        "/activity/user/movies.json/{key}/owner/tt0113277",
        "/activity/user/shows.json/{key}/owner/dexter",
        "/activity/user/seasons.json/{key}/owner/dexter/1",
        "/activity/user/episodes.json/{key}/owner/dexter/1/1",
    ):
        if viewer is None:
            response = await client.get(path.format(key=cast.stranger.key))
        else:
            response = await client.post(path.format(key=viewer.key), json=viewer.body)
        assert response.status_code == 200
        if SEES_OWNER[name]:
            expected = ["owner"] if path.endswith("owner") or "movies" in path else []
            assert [i["user"]["username"] for i in response.json()["activity"]] == expected, path
        else:
            assert response.json() == {"status": "error", "error": "this user's activity is protected"}, path


@pytest.mark.parametrize(
    ("method", "names"),
    [
        # owner follows friend and pending (pending is waiting); friend and fan follow owner.
        ("friends", ["friend"]),
        ("friendsme", ["friend", "owner"]),
        ("following", ["pending", "friend"]),
        ("followers", ["fan", "friend"]),
    ],
)
async def test_network_feeds_of_the_owner(
    client: httpx.AsyncClient, runtime: Runtime, method: str, names: list[str]
) -> None:
    cast = await _cast_activity(runtime)
    path = f"/activity/{method}.json/{{key}}/all/all"
    assert await _users(client, path, cast.owner, cast) == sorted(
        names, key=["stranger", "fan", "pending", "friend", "owner"].index
    )
    assert (await client.get(f"/activity/{method}.json/{cast.owner.key}")).status_code == 401


async def test_network_feeds_hide_a_protected_user_from_non_friends(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    cast = await _cast_activity(runtime)
    # fan follows the owner with approval, but they are not friends: the owner stays hidden.
    assert await _users(client, "/activity/following.json/{key}", cast.fan, cast) == []
    assert await _users(client, "/activity/friendsme.json/{key}", cast.friend, cast) == ["friend", "owner"]


async def test_list_events_follow_list_privacy(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice, bob = await make_user(runtime, "alice"), await make_user(runtime, "bob")
    carol = await make_user(runtime, "carol")
    await _post(client, alice, "network/follow", user="bob")
    await _post(client, bob, "network/follow", user="alice")
    for privacy in ("public", "friends", "private"):
        await _post(client, alice, "lists/add", name=f"{privacy} picks", privacy=privacy)

    async def names(viewer: Account) -> list[str]:
        response = await client.post(f"/activity/user.json/{viewer.key}/alice/list", json=viewer.body)
        return sorted(item["list"]["privacy"] for item in response.json()["activity"])

    assert await names(alice) == ["friends", "private", "public"]
    assert await names(bob) == ["friends", "public"]
    assert await names(carol) == ["public"]


def test_when_and_elapsed_match_every_recorded_item() -> None:
    recorded = json.loads((SPEC / "recorded" / "should_get_community_activity.json").read_text())
    body = recorded[0]["response_body"]
    current = body["timestamps"]["current"]
    for item in body["activity"]:
        assert when(item["timestamp"]) == item["when"]
        assert elapsed(current - item["timestamp"]) == item["elapsed"]


@pytest.mark.parametrize(
    ("seconds", "full", "short"),
    [
        (0, "0 seconds", "0s"),
        (240, "4 minutes", "4m"),
        (3900, "1 hour, 5 minutes", "1h 5m"),
        (2 * 86_400 + 59, "2 days", "2d"),
    ],
)
def test_elapsed_longer_spans(seconds: int, full: str, short: str) -> None:
    assert elapsed(seconds) == {"full": full, "short": short}
