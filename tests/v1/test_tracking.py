"""The tracking write and read methods over HTTP: seen, library, watchlist, library lists,
watchlists, progress and last activity."""

from __future__ import annotations

import httpx
import pytest

from opentrakt.clock import FrozenClock
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import catalog_writer, the_big_bang_theory, uncle_buck
from tests.conftest import START
from tests.support import Account, make_user

TWELVE_MONKEYS = {"imdb_id": "tt0114746", "title": "Twelve Monkeys", "year": 1995}


async def _post(client: httpx.AsyncClient, user: Account, method: str, body: dict) -> httpx.Response:
    return await client.post(f"/{method}/{user.key}", json={**user.body, **body})


async def _get(client: httpx.AsyncClient, user: Account, path: str) -> httpx.Response:
    return await client.get(f"/{path}".replace("KEY", user.key), headers=user.basic)


async def test_movie_seen_matches_the_recording(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    item = {**TWELVE_MONKEYS, "plays": 1, "last_played": 1255960578}
    first = await _post(client, alice, "movie/seen", {"movies": [item]})
    assert first.status_code == 200
    assert first.json() == {
        "status": "success",
        "inserted": 1,
        "already_exist": 0,
        "already_exist_movies": [],
        "skipped": 0,
        "skipped_movies": [],
    }
    again = await _post(client, alice, "movie/seen", {"movies": [item]})
    assert again.json() == {
        "status": "success",
        "inserted": 0,
        "already_exist": 1,
        "already_exist_movies": [item],
        "skipped": 0,
        "skipped_movies": [],
    }
    watched = await _get(client, alice, "user/library/movies/watched.json/KEY/alice/min")
    assert watched.json() == [
        {"title": "Twelve Monkeys", "year": 1995, "imdb_id": "tt0114746", "tmdb_id": "", "plays": 1}
    ]


async def test_bulk_write_reports_skipped_items_and_keeps_the_rest(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    alice = await make_user(runtime, "alice")
    junk = [{"title": None}, {"year": 2001}, "not an object", {"imdb_id": "nope"}]
    body = {"movies": [TWELVE_MONKEYS, *junk, TWELVE_MONKEYS]}
    response = await _post(client, alice, "movie/library", body)
    data = response.json()
    assert response.status_code == 200
    assert data["inserted"] == 1
    assert data["already_exist_movies"] == [TWELVE_MONKEYS]
    assert data["skipped_movies"] == junk
    collection = await _get(client, alice, "user/library/movies/collection.json/KEY/alice/min")
    assert collection.json() == [
        {"title": "Twelve Monkeys", "year": 1995, "imdb_id": "tt0114746", "tmdb_id": ""}
    ]


@pytest.mark.parametrize("body", [{}, {"movies": "tt0114746"}, {"movies": {"imdb_id": "tt0114746"}}])
async def test_movie_writes_need_a_movies_array(
    client: httpx.AsyncClient, runtime: Runtime, body: dict
) -> None:
    alice = await make_user(runtime, "alice")
    response = await _post(client, alice, "movie/seen", body)
    assert response.status_code == 400
    assert response.json() == {"status": "failure", "error": "movies must be a list"}


async def test_unseen_unlibrary_unwatchlist(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    body = {"movies": [TWELVE_MONKEYS]}
    for method in ("movie/seen", "movie/library", "movie/watchlist"):
        assert (await _post(client, alice, method, body)).status_code == 200
    assert (await _post(client, alice, "movie/unseen", body)).json() == {
        "status": "success",
        "message": "1 movies removed as seen",
    }
    everything = (await _get(client, alice, "user/library/movies/all.json/KEY/alice/min")).json()
    assert everything == [
        {
            "title": "Twelve Monkeys",
            "year": 1995,
            "imdb_id": "tt0114746",
            "tmdb_id": "",
            "plays": 0,
            "in_collection": True,
            "unseen": True,
        }
    ]
    watchlist = (await _get(client, alice, "user/watchlist/movies.json/KEY/alice")).json()
    assert [m["title"] for m in watchlist] == ["Twelve Monkeys"]
    assert watchlist[0]["inserted"] == START
    assert watchlist[0]["in_watchlist"] is True
    assert (await _post(client, alice, "movie/unlibrary", body)).json()[
        "message"
    ] == "1 movies removed from your library"
    assert (await _post(client, alice, "movie/unwatchlist", body)).json()["message"] == (
        "1 movies removed from your watchlist"
    )
    assert (await _get(client, alice, "user/watchlist/movies.json/KEY/alice")).json() == []


async def test_show_episode_seen_messages_match_the_recordings(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        await the_big_bang_theory(conn)
    show = {"title": "The Big Bang Theory", "year": 2007}
    seen = await _post(
        client, alice, "show/episode/seen", {**show, "episodes": [{"season": 1, "episode": 1}]}
    )
    assert seen.json() == {"status": "success", "message": "1 episodes marked as seen"}
    unseen = await _post(
        client, alice, "show/episode/unseen", {**show, "episodes": [{"season": 1, "episode": 1}]}
    )
    assert unseen.json() == {"status": "success", "message": "1 episodes removed as seen"}
    whole = await _post(client, alice, "show/seen", show)
    assert whole.json() == {"status": "success", "message": "122 episodes marked as seen"}
    watched = (await _get(client, alice, "user/library/shows/watched.json/KEY/alice/min")).json()
    assert len(watched) == 1
    assert list(watched[0]) == ["title", "year", "imdb_id", "tvdb_id", "tvrage_id", "seasons"]
    assert [s["season"] for s in watched[0]["seasons"]] == [6, 5, 4, 3, 2, 1]
    assert watched[0]["seasons"][-1]["episodes"] == list(range(1, 18))


async def test_episode_batch_with_loose_types_and_bad_items(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    alice = await make_user(runtime, "alice")
    body = {
        "tvdb_id": "80379",
        "title": "The Big Bang Theory",
        "year": "2007",
        "episodes": [
            {"season": "1", "episode": 2.0},
            {"season": -1, "episode": 1},
            {"season": 1},
            {"season": 1, "episode": 2},
        ],
    }
    response = await _post(client, alice, "show/episode/library", body)
    data = response.json()
    assert response.status_code == 200
    assert data["message"] == "1 episodes added to your library"
    assert data["skipped_episodes"] == [{"season": -1, "episode": 1}, {"season": 1}]
    collection = (await _get(client, alice, "user/library/shows/collection.json/KEY/alice/min")).json()
    assert collection[0]["tvdb_id"] == "80379"
    assert collection[0]["seasons"] == [{"season": 1, "episodes": [2]}]


async def test_unknown_show_without_identity_is_not_found(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    alice = await make_user(runtime, "alice")
    response = await _post(client, alice, "show/episode/seen", {"episodes": [{"season": 1, "episode": 1}]})
    assert response.status_code == 404
    assert response.json() == {"status": "failure", "error": "show not found"}


async def test_season_number_is_validated(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    response = await _post(client, alice, "show/season/seen", {"title": "Dexter", "year": 2006, "season": -2})
    assert response.status_code == 400
    assert response.json()["status"] == "failure"


async def test_lastactivity_moves_on_action_and_undo(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await make_user(runtime, "alice")
    fresh = (await _get(client, alice, "user/lastactivity.json/KEY/alice")).json()
    assert list(fresh) == ["all", "movie", "show", "episode"]
    assert fresh["all"] == 0
    await _post(client, alice, "movie/library", {"movies": [TWELVE_MONKEYS]})
    clock.advance(60)
    await _post(client, alice, "movie/unlibrary", {"movies": [TWELVE_MONKEYS]})
    after = (await _get(client, alice, "user/lastactivity.json/KEY/alice")).json()
    assert after["movie"]["collection"] == START + 60
    assert after["all"] == START + 60
    assert set(after["show"]) == {"rating", "watchlist", "comment", "review", "shout"}


async def test_protected_library_is_hidden_from_others(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice", protected=True)
    bob = await make_user(runtime, "bob")
    await _post(client, alice, "movie/seen", {"movies": [TWELVE_MONKEYS]})
    for path in (
        "user/library/movies/watched.json/KEY/alice",
        "user/library/movies/all.json/KEY/alice/min",
        "user/watchlist/movies.json/KEY/alice",
        "user/progress/watched.json/KEY/alice",
    ):
        anonymous = await client.get(f"/{path}".replace("KEY", bob.key))
        stranger = await _get(client, bob, path)
        owner = await _get(client, alice, path)
        assert anonymous.status_code == stranger.status_code == owner.status_code == 200
        assert anonymous.json() == stranger.json() == []
    own = await _get(client, alice, "user/library/movies/watched.json/KEY/alice")
    assert [m["title"] for m in own.json()] == ["Twelve Monkeys"]
    unknown = await _get(client, bob, "user/library/movies/watched.json/KEY/nobody")
    assert unknown.status_code == 404


async def test_summary_carries_the_callers_fields(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        await uncle_buck(conn)
    await _post(client, alice, "movie/seen", {"movies": [{"imdb_id": "tt0098554"}]})
    await _post(client, alice, "movie/library", {"movies": [{"imdb_id": "tt0098554"}]})
    summary = (await _get(client, alice, "movie/summary.json/KEY/tt0098554")).json()
    assert (summary["watched"], summary["plays"], summary["in_collection"], summary["in_watchlist"]) == (
        True,
        1,
        True,
        False,
    )


async def test_progress_watched(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        await the_big_bang_theory(conn)
    show = {"title": "The Big Bang Theory", "year": 2007}
    await _post(client, alice, "show/season/seen", {**show, "season": 1})
    progress = (await _get(client, alice, "user/progress/watched.json/KEY/alice")).json()
    assert len(progress) == 1
    entry = progress[0]
    assert list(entry) == ["show", "progress", "seasons", "hidden_seasons", "stats", "next_episode"]
    assert entry["show"] == {
        "title": "The Big Bang Theory",
        "year": 2007,
        "imdb_id": "tt0898266",
        "tvdb_id": "80379",
        "tvrage_id": "8511",
    }
    assert entry["progress"] == {"percentage": 14, "aired": 122, "completed": 17, "left": 105}
    assert entry["next_episode"]["season"] == 2
    assert entry["next_episode"]["number"] == 1
    [full] = (await _get(client, alice, "user/progress/watched.json/KEY/alice/all/title/full")).json()
    assert full["show"]["genres"] == ["Comedy"]
    [normal] = (await _get(client, alice, "user/progress/watched.json/KEY/alice/all/title/normal")).json()
    assert list(normal["show"]) == [*entry["show"], "url", "images"]
    bad = await _get(client, alice, "user/progress/watched.json/KEY/alice/all/sideways")
    assert bad.status_code == 400


async def test_library_shows_list_genres_except_at_min(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        await the_big_bang_theory(conn)
    await _post(
        client, alice, "show/season/seen", {"title": "The Big Bang Theory", "year": 2007, "season": 1}
    )
    for path in ("user/library/shows/watched.json/KEY/alice", "user/library/shows/all.json/KEY/alice"):
        [normal] = (await _get(client, alice, path)).json()
        assert normal["genres"] == ["Comedy"], path
        [minimal] = (await _get(client, alice, f"{path}/min")).json()
        assert "genres" not in minimal and minimal["title"] == "The Big Bang Theory", path


async def test_duplicates_inside_one_batch_count_once(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    same = [TWELVE_MONKEYS, {"imdb_id": "tt0114746"}, {"title": "twelve monkeys", "year": "1995"}]
    data = (await _post(client, alice, "movie/seen", {"movies": same})).json()
    assert data["inserted"] == 1
    assert data["already_exist_movies"] == same[1:]
    watched = (await _get(client, alice, "user/library/movies/watched.json/KEY/alice/min")).json()
    assert [(m["imdb_id"], m["plays"]) for m in watched] == [("tt0114746", 1)]


async def test_a_body_over_the_size_limit_writes_nothing(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    runtime.settings.max_body_bytes = 1_000_000
    movies = [{"imdb_id": f"tt{1_000_000 + n}", "title": f"Movie {n}", "year": 2000} for n in range(100_000)]
    response = await _post(client, alice, "movie/library", {"movies": movies})
    assert response.status_code == 413
    assert response.json()["status"] == "failure"
    assert (await _get(client, alice, "user/library/movies/collection.json/KEY/alice/min")).json() == []


async def test_an_unusable_last_played_counts_as_absent(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    movies = [TWELVE_MONKEYS, {**TWELVE_MONKEYS, "imdb_id": "tt0000001", "plays": 1, "last_played": 10**30}]
    response = await _post(client, alice, "movie/seen", {"movies": movies})
    assert response.status_code == 200
    assert len((await _get(client, alice, "user/library/movies/watched.json/KEY/alice/min")).json()) == 2


async def test_ten_thousand_episodes_in_one_request(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    episodes = [{"season": s, "episode": e} for s in range(1, 101) for e in range(1, 101)]
    body = {"title": "Long Runner", "year": 1990, "episodes": episodes}
    response = await _post(client, alice, "show/episode/seen", body)
    assert response.json() == {"status": "success", "message": "10000 episodes marked as seen"}
    watched = (await _get(client, alice, "user/library/shows/watched.json/KEY/alice/min")).json()
    assert sum(len(s["episodes"]) for s in watched[0]["seasons"]) == 10_000
