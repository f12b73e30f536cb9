"""show/summary, show/summaries, show/season, show/seasons and show/episode/summary over HTTP."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from opentrakt.runtime import Runtime
from tests.catalog.statements import recorded_statements
from tests.catalog_fixtures import (
    WALKING_DEAD_S1,
    add_season,
    add_show,
    boardwalk_empire,
    catalog_writer,
    sparse_show,
    the_big_bang_theory,
    the_league,
    the_walking_dead,
)
from tests.spec_examples import example, is_subsequence, nulls, recorded
from tests.support import SPEC, Account, make_user

SHOW_USER_FIELDS = ["rating", "rating_advanced", "in_watchlist"]
EPISODE_USER_FIELDS = ["watched", "plays", "in_watchlist", "in_collection", "rating", "rating_advanced"]


@pytest.fixture
async def alice(runtime: Runtime) -> Account:
    return await make_user(runtime, "alice")


@pytest.fixture
async def shows(runtime: Runtime) -> dict[str, int]:
    async with catalog_writer(runtime) as conn:
        return {
            "twd": await the_walking_dead(conn),
            "league": await the_league(conn),
            "boardwalk": await boardwalk_empire(conn),
            "tbbt": await the_big_bang_theory(conn),
            "sparse": await sparse_show(conn),
        }


# --- show/summary -------------------------------------------------------------------------------


async def test_show_summary_extended_has_the_spec_example_shape(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int], shared_dir: Path
) -> None:
    spec = example(SPEC, "show", "show/summary")
    response = await client.get(
        f"/show/summary.json/{alice.key}/the-walking-dead/extended", headers=alice.basic
    )
    assert response.status_code == 200
    data = response.json()
    assert list(data) == list(spec)
    for key in ("images", "ratings", "stats", "people"):
        assert list(data[key]) == list(spec[key]), key
    assert list(data["people"]["actors"][0]) == list(spec["people"]["actors"][0])
    assert list(data["seasons"][0]) == list(spec["seasons"][0])
    assert (data["top_watchers"], data["top_episodes"]) == ([], [])
    assert set(data["stats"].values()) == {0}


async def test_show_summary_values_match_the_spec_example(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int], shared_dir: Path
) -> None:
    spec = example(SPEC, "show", "show/summary")
    data = (await client.get(f"/show/summary.json/{alice.key}/the-walking-dead")).json()
    for key in (
        "title", "year", "url", "first_aired", "first_aired_iso", "first_aired_utc", "country", "runtime",
        "status", "network", "air_day", "air_time", "air_day_utc", "air_time_utc", "certification",
        "imdb_id", "genres",
    ):  # fmt: skip
        assert data[key] == spec[key], key
    # Ids go out as strings, the 2012 convention (the example shows the later integers).
    assert (data["tvdb_id"], data["tvrage_id"]) == ("153021", "25056")
    assert data["people"]["actors"][0]["name"] == "Andrew Lincoln"
    assert data["people"]["actors"][0]["character"] == "Rick Grimes"
    assert "seasons" not in data
    assert not any(key in data for key in SHOW_USER_FIELDS)


@pytest.mark.parametrize("flag", ["extended", "full", "normal", "true"])
async def test_show_summary_extended_includes_every_season_and_episode(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int], flag: str
) -> None:
    data = (await client.get(f"/show/summary.json/{alice.key}/the-walking-dead/{flag}")).json()
    assert [s["season"] for s in data["seasons"]] == [2, 1]
    season_two, season_one = data["seasons"]
    assert [e["number"] for e in season_two["episodes"]] == list(range(1, 14))
    assert [e["title"] for e in season_one["episodes"]] == WALKING_DEAD_S1
    assert season_one["url"] == "http://trakt.tv/show/the-walking-dead/season/1"
    assert season_one["images"] == {"poster": "http://trakt.us/images/seasons/3-1.1.jpg"}
    assert all(e["season"] == 2 for e in season_two["episodes"])
    assert not any(key in e for s in data["seasons"] for e in s["episodes"] for key in EPISODE_USER_FIELDS)


async def test_show_summary_extended_puts_specials_last(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int]
) -> None:
    data = (await client.get(f"/show/summary.json/{alice.key}/80379/extended")).json()
    assert [s["season"] for s in data["seasons"]] == [6, 5, 4, 3, 2, 1, 0]
    assert [len(s["episodes"]) for s in data["seasons"]] == [11, 24, 24, 23, 23, 17, 3]
    assert data["seasons"][-1]["url"] == "http://trakt.tv/show/the-big-bang-theory/specials"


async def test_show_summary_per_user_fields_with_credentials(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int]
) -> None:
    url = f"/show/summary.json/{alice.key}/the-walking-dead/extended"
    for data in (
        (await client.get(url, headers=alice.basic)).json(),
        (await client.post(url, json=alice.body)).json(),
    ):
        keys = list(data)
        assert keys[keys.index("genres") + 1 :] == [*SHOW_USER_FIELDS, "seasons"]
        assert [data[key] for key in SHOW_USER_FIELDS] == [False, 0, False]
        episode = data["seasons"][0]["episodes"][0]
        assert list(episode)[-6:] == EPISODE_USER_FIELDS


@pytest.mark.parametrize("ref", ["the-walking-dead", "THE-WALKING-DEAD", "153021", "tt1520211"])
async def test_show_summary_by_slug_tvdb_or_imdb_id(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int], ref: str
) -> None:
    response = await client.get(f"/show/summary.json/{alice.key}/{ref}")
    assert response.status_code == 200
    assert response.json()["title"] == "The Walking Dead"


async def test_show_summary_air_times_of_boardwalk_empire(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int]
) -> None:
    """general.md's 2013 example: 9 pm Eastern on 2010-09-19, offsets without daylight saving."""
    data = (await client.get(f"/show/summary.json/{alice.key}/boardwalk-empire/extended")).json()
    assert data["first_aired"] == 1284955200  # 2010-09-19 21:00 read as Pacific
    assert data["first_aired_utc"] == 1284973200  # 2010-09-20 02:00 read as Pacific
    assert data["first_aired_iso"] == "2010-09-19T21:00:00-05:00"
    assert (data["air_day_utc"], data["air_time_utc"]) == ("Monday", "2:00am")
    pilot = data["seasons"][0]["episodes"][0]
    assert (pilot["first_aired"], pilot["first_aired_utc"], pilot["first_aired_iso"]) == (
        1284955200,
        1284973200,
        "2010-09-19T21:00:00-05:00",
    )


async def test_show_summary_of_an_auto_catalogued_show_has_no_nulls(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int]
) -> None:
    data = (
        await client.get(f"/show/summary.json/{alice.key}/local-access-hour/extended", headers=alice.basic)
    ).json()
    assert nulls(data) == []
    assert (data["year"], data["first_aired"], data["first_aired_utc"], data["runtime"]) == (0, 0, 0, 0)
    assert (data["first_aired_iso"], data["air_day_utc"], data["status"], data["tvdb_id"]) == ("", "", "", "")
    assert data["images"] == {
        "poster": "http://testserver/images/poster-small.jpg",
        "fanart": "http://testserver/images/fanart-summary.jpg",
        "banner": "http://testserver/images/banner.jpg",
    }
    episode = data["seasons"][0]["episodes"][0]
    assert (episode["title"], episode["first_aired"], episode["tvdb_id"]) == ("", 0, "")
    assert episode["images"] == {"screen": "http://testserver/images/episode-screen.jpg"}


async def test_show_summary_query_count_does_not_grow_with_the_show(
    client: httpx.AsyncClient, runtime: Runtime, alice: Account
) -> None:
    async with catalog_writer(runtime) as conn:
        small = await add_show(conn, "Small Show", 2020, tvdb_id=1)
        await add_season(conn, small, 1, 2)
        big = await add_show(conn, "Big Show", 1990, tvdb_id=2)
        for number in range(21):
            await add_season(conn, big, number, 22)

    async def count(ref: str, headers: dict[str, str]) -> tuple[int, int]:
        with recorded_statements(runtime.engine) as statements:
            data = (
                await client.get(f"/show/summary.json/{alice.key}/{ref}/extended", headers=headers)
            ).json()
        return len(statements), sum(len(s["episodes"]) for s in data["seasons"])

    small_queries, small_episodes = await count("1", {})
    big_queries, big_episodes = await count("2", {})
    assert (small_episodes, big_episodes) == (2, 21 * 22)
    assert big_queries == small_queries <= 11
    # The caller's episode states are one read per id batch: one on PostgreSQL, a few on SQLite,
    # whose statements take at most 900 bound parameters.
    small_auth, _ = await count("1", alice.basic)
    big_auth, _ = await count("2", alice.basic)
    assert small_auth <= big_auth <= small_auth + 3


async def test_unknown_show_is_404_show_not_found(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int]
) -> None:
    for path in (
        "show/summary.json/{key}/blah",
        "show/summary.json/{key}/999999/extended",
        "show/seasons.json/{key}/blah",
        "show/season.json/{key}/blah/1",
        "show/episode/summary.json/{key}/blah/1/1",
    ):
        response = await client.get("/" + path.format(key=alice.key))
        assert response.status_code == 404, path
        assert response.json() == {"status": "failure", "error": "show not found"}


# --- show/summaries -----------------------------------------------------------------------------


async def test_show_summaries_normal_level_has_the_recorded_show_shape(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int], shared_dir: Path
) -> None:
    recorded_show = recorded(SPEC, "should_get_premieres")["response_body"][0]["episodes"][0]["show"]
    data = (await client.get(f"/show/summaries.json/{alice.key}/the-league,80379,nope/normal")).json()
    assert [s["title"] for s in data] == ["The League", "The Big Bang Theory"]
    assert list(data[0]) == list(recorded_show)
    assert list(data[0]["images"]) == list(recorded_show["images"])


async def test_show_summaries_levels_and_per_user_fields(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int]
) -> None:
    url = f"/show/summaries.json/{alice.key}/the-league"
    assert (await client.get(url)).json() == [
        {
            "title": "The League",
            "year": 2009,
            "imdb_id": "tt1480684",
            "tvdb_id": "114701",
            "tvrage_id": "24173",
        }
    ]
    full = (await client.get(f"{url}/full", headers=alice.basic)).json()[0]
    assert {"status", "first_aired_iso", "air_day_utc", "last_updated", "poster"} <= set(full)
    assert list(full)[-3:] == SHOW_USER_FIELDS
    assert not {"seasons", "people", "top_episodes"} & set(full)


async def test_show_summaries_limit_the_number_of_titles(client: httpx.AsyncClient, alice: Account) -> None:
    response = await client.get(f"/show/summaries.json/{alice.key}/{','.join(str(n) for n in range(101))}")
    assert response.status_code == 400
    assert response.json()["status"] == "failure"


# --- show/seasons, show/season ------------------------------------------------------------------


async def test_show_seasons_equal_the_recording(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int], shared_dir: Path
) -> None:
    exchange = recorded(SPEC, "should_list_seasons_for_a_show")
    response = await client.get(exchange["path"].replace("APIKEY", alice.key))
    assert response.status_code == 200
    assert response.json() == exchange["response_body"]


async def test_show_seasons_of_a_show_without_artwork_use_the_placeholder(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int]
) -> None:
    data = (await client.post(f"/show/seasons.json/{alice.key}/local-access-hour", json=alice.body)).json()
    poster = "http://testserver/images/poster-small.jpg"
    assert data == [
        {
            "season": 1,
            "episodes": 1,
            "url": "http://trakt.tv/show/local-access-hour/season/1",
            "poster": poster,
            "images": {"poster": poster},
        }
    ]


async def test_show_season_lists_the_episodes(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int], shared_dir: Path
) -> None:
    spec = example(SPEC, "show", "show/season")[0]
    data = (await client.get(f"/show/season.json/{alice.key}/the-walking-dead/1")).json()
    assert [e["title"] for e in data] == WALKING_DEAD_S1
    first = data[0]
    spec_keys = [key for key in spec if key not in EPISODE_USER_FIELDS]
    assert set(spec_keys) <= set(first)
    for key in (
        "season",
        "number",
        "tvdb_id",
        "title",
        "url",
        "first_aired",
        "first_aired_iso",
        "first_aired_utc",
    ):
        expected = spec[key] if key != "tvdb_id" else str(spec[key])
        assert first[key] == expected, key
    assert first["screen"] == first["images"]["screen"] == "http://trakt.us/images/episodes/3-1-1.jpg"
    assert data[1]["screen"] == "http://testserver/images/episode-screen.jpg"
    assert not any(key in e for e in data for key in EPISODE_USER_FIELDS)


async def test_show_season_episode_key_order_follows_the_recorded_episode(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int], shared_dir: Path
) -> None:
    recorded_episode = recorded(SPEC, "should_get_premieres")["response_body"][0]["episodes"][0]["episode"]
    data = (await client.get(f"/show/season.json/{alice.key}/the-league/1")).json()
    assert is_subsequence(list(recorded_episode), list(data[0]))


async def test_show_season_per_user_fields_with_credentials(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int]
) -> None:
    url = f"/show/season.json/{alice.key}/153021/1"
    for data in (
        (await client.get(url, headers=alice.basic)).json(),
        (await client.post(url, json=alice.body)).json(),
    ):
        assert len(data) == 6
        assert all(list(e)[-6:] == EPISODE_USER_FIELDS for e in data)


@pytest.mark.parametrize("season", ["3", "0", "999999999", "9" * 30])
async def test_show_season_of_an_unknown_season_is_empty(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int], season: str
) -> None:
    response = await client.get(f"/show/season.json/{alice.key}/the-walking-dead/{season}")
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize("season", ["one", "-1", "1.5", "9" * 101])
async def test_show_season_needs_a_season_number(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int], season: str
) -> None:
    response = await client.get(f"/show/season.json/{alice.key}/the-walking-dead/{season}")
    assert response.status_code == 400
    assert response.json()["status"] == "failure"


# --- show/episode/summary -----------------------------------------------------------------------


async def test_episode_summary_of_the_league_matches_the_spec(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int], shared_dir: Path
) -> None:
    """The documentation's example request and what trakt-java's test of it asserts."""
    spec = example(SPEC, "show", "show/episode/summary")
    response = await client.get(f"/show/episode/summary.json/{alice.key}/the-league/1/1", headers=alice.basic)
    assert response.status_code == 200
    data = response.json()
    assert list(data) == ["show", "episode"]
    show, episode = data["show"], data["episode"]
    assert list(show) == list(spec["show"])
    assert is_subsequence(list(spec["episode"]), list(episode))
    for key in (
        "title", "year", "url", "first_aired", "country", "runtime", "network", "air_day", "air_time",
        "certification", "imdb_id", "tvdb_id", "tvrage_id", "images", "genres",
        "rating", "rating_advanced", "in_watchlist",
    ):  # fmt: skip
        assert show[key] == spec["show"][key], key
    for key in (
        "season",
        "number",
        "title",
        "url",
        "first_aired",
        "watched",
        "plays",
        "in_watchlist",
        "rating",
    ):
        assert episode[key] == spec["episode"][key], key
    assert episode["first_aired"] == 1256799600  # 2009-10-29 00:00 Pacific: a 2012 date-only air date


async def test_episode_summary_per_user_fields_only_with_credentials(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int]
) -> None:
    url = f"/show/episode/summary.json/{alice.key}/114701/1/2"
    anonymous = (await client.get(url)).json()
    assert not any(key in anonymous["show"] for key in SHOW_USER_FIELDS)
    assert not any(key in anonymous["episode"] for key in EPISODE_USER_FIELDS)
    posted = (await client.post(url, json=alice.body)).json()
    assert list(posted["show"])[-3:] == SHOW_USER_FIELDS
    assert list(posted["episode"])[-6:] == EPISODE_USER_FIELDS
    assert posted["episode"]["title"] == "The Marathon"


async def test_episode_summary_of_a_bare_episode_has_no_nulls(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int]
) -> None:
    data = (
        await client.get(f"/show/episode/summary.json/{alice.key}/local-access-hour/1/1", headers=alice.basic)
    ).json()
    assert nulls(data) == []
    assert (data["episode"]["title"], data["episode"]["first_aired"], data["episode"]["runtime"]) == (
        "",
        0,
        0,
    )


@pytest.mark.parametrize("where", ["1/7", "2/1", "0/1", "x/1", "1/y", "-1/1", "1/" + "9" * 20])
async def test_unknown_episode_is_400_episode_not_found(
    client: httpx.AsyncClient, alice: Account, shows: dict[str, int], where: str
) -> None:
    for response in (
        await client.get(f"/show/episode/summary.json/{alice.key}/the-league/{where}"),
        await client.post(f"/show/episode/summary.json/{alice.key}/the-league/{where}", json=alice.body),
    ):
        assert response.status_code == 400
        assert response.json() == {"status": "failure", "error": "episode not found"}
