"""calendar/shows, calendar/premieres and user/calendar/shows: windows, buckets, time zones."""

from __future__ import annotations

import itertools

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.clock import FrozenClock
from opentrakt.db.tables.catalog import episodes
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import add_episode, add_show, catalog_writer, local_time
from tests.discovery import activity as rows
from tests.support import Account, make_user

PACIFIC = "America/Los_Angeles"
EASTERN = "America/New_York"
LONDON = "Europe/London"
_tvdb_ids = itertools.count(900_001)


async def aired_episodes(
    conn: AsyncConnection, title: str, zone: str | None, *airings: tuple[int, int, str]
) -> tuple[int, list[int]]:
    """A show in ``zone`` with episodes (season, number, local air time), and the episodes' ids."""
    show_id = await add_show(conn, title, 2011, air_timezone=zone, tvdb_id=next(_tvdb_ids))
    episode_ids = [
        await add_episode(
            conn,
            show_id,
            season,
            number,
            title=f"{title} {season}x{number}",
            first_aired=local_time(wall_clock, zone or PACIFIC),
        )
        for season, number, wall_clock in airings
    ]
    return show_id, episode_ids


async def aired(conn: AsyncConnection, title: str, zone: str | None, *airings: tuple[int, int, str]) -> int:
    """A show in ``zone`` with episodes (season, number, local air time)."""
    show_id, _ = await aired_episodes(conn, title, zone, *airings)
    return show_id


async def april(runtime: Runtime) -> dict[str, int]:
    """Airings around 2011-04-16/17 in three zones."""
    async with catalog_writer(runtime) as conn:
        return {
            # Late evening in New York: already the 17th in UTC, still the 16th where it airs.
            "east": await aired(conn, "Late East", EASTERN, (1, 5, "2011-04-16 23:30")),
            # Just after midnight in London: still the 16th in UTC, the 17th where it airs.
            "london": await aired(
                conn, "London Nights", LONDON, (3, 1, "2011-04-17 00:30"), (3, 2, "2011-04-24 00:30")
            ),
            # A show with no known zone airs in Pacific, at midnight like the 2012 dates.
            "pacific": await aired(
                conn,
                "Coast",
                None,
                (0, 1, "2011-04-16 00:00"),
                (2, 1, "2011-04-17 20:00"),
                (2, 2, "2011-04-18 20:00"),
            ),
        }


def listing(body: list[dict]) -> list[tuple[str, list[str]]]:
    return [(day["date"], [entry["episode"]["title"] for entry in day["episodes"]]) for day in body]


async def test_one_day_is_one_bucket_by_the_local_air_date(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    alice = await make_user(runtime, "alice")
    await april(runtime)
    response = await client.get(f"/calendar/shows.json/{alice.key}/20110416/1")
    assert response.status_code == 200
    body = response.json()
    assert listing(body) == [("2011-04-16", ["Coast 0x1", "Late East 1x5"])]
    coast = body[0]["episodes"][0]
    # The 2012 recordings: midnight Pacific of the bucket's date.
    assert coast["episode"]["first_aired"] == 1302937200
    assert coast["show"]["title"] == "Coast"
    assert coast["show"]["url"].endswith("/show/coast")
    assert "watched" not in coast["episode"]
    # Every episode's Pacific-encoded first_aired lies on its bucket's date.
    assert 1302937200 <= body[0]["episodes"][1]["episode"]["first_aired"] < 1302937200 + 86400


async def test_several_days_ascend_and_leave_out_empty_days(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    alice = await make_user(runtime, "alice")
    await april(runtime)
    body = (await client.get(f"/calendar/shows.json/{alice.key}/20110415/3")).json()
    assert listing(body) == [
        ("2011-04-16", ["Coast 0x1", "Late East 1x5"]),
        ("2011-04-17", ["London Nights 3x1", "Coast 2x1"]),
    ]
    assert (await client.get(f"/calendar/shows.json/{alice.key}/20100101/7")).json() == []


async def test_premieres_are_episode_one_of_any_season(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    await april(runtime)
    body = (await client.get(f"/calendar/premieres.json/{alice.key}/20110416/30")).json()
    assert listing(body) == [
        ("2011-04-16", ["Coast 0x1"]),
        ("2011-04-17", ["London Nights 3x1", "Coast 2x1"]),
    ]


async def test_windows_span_daylight_saving_changes(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    async with catalog_writer(runtime) as conn:
        # US clocks sprang forward on 2011-03-13 and fell back on 2011-11-06.
        await aired(
            conn,
            "Spring",
            PACIFIC,
            (1, 1, "2011-03-12 23:30"),
            (1, 2, "2011-03-13 23:30"),
            (1, 3, "2011-03-14 00:30"),
        )
        await aired(
            conn,
            "Autumn",
            EASTERN,
            (1, 1, "2011-11-06 00:30"),
            (1, 2, "2011-11-06 23:30"),
            (1, 3, "2011-11-07 00:00"),
        )
    spring = (await client.get(f"/calendar/shows.json/{alice.key}/20110312/2")).json()
    assert listing(spring) == [("2011-03-12", ["Spring 1x1"]), ("2011-03-13", ["Spring 1x2"])]
    autumn = (await client.get(f"/calendar/shows.json/{alice.key}/20111106/1")).json()
    assert listing(autumn) == [("2011-11-06", ["Autumn 1x1", "Autumn 1x2"])]


async def test_date_defaults_to_today_in_pacific_and_days_to_a_week(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock
) -> None:
    alice = await make_user(runtime, "alice")
    await april(runtime)
    # 02:00 UTC on the 17th is still the 16th in Pacific.
    clock.current = local_time("2011-04-17 02:00", "UTC")
    body = (await client.get(f"/calendar/shows.json/{alice.key}")).json()
    assert [day["date"] for day in body] == ["2011-04-16", "2011-04-17", "2011-04-18"]
    # The query-string form trakt-java 3.4.0 used.
    query = (await client.get(f"/calendar/shows.json/{alice.key}?date=20110417&days=1")).json()
    assert listing(query) == [("2011-04-17", ["London Nights 3x1", "Coast 2x1"])]


async def test_malformed_date_or_days_fail(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    for path in ("2011-04-16/1", "20111341/1", "20110416/zero", "20110416/0"):
        response = await client.get(f"/calendar/shows.json/{alice.key}/{path}")
        assert response.status_code == 400, path
        assert response.json()["status"] == "failure"


async def test_credentials_add_the_callers_fields(client: httpx.AsyncClient, runtime: Runtime) -> None:
    alice = await make_user(runtime, "alice")
    ids = await april(runtime)
    async with catalog_writer(runtime) as conn:
        await rows.watchlist_show(conn, alice.user_id, ids["east"])
    body = (await client.post(f"/calendar/shows.json/{alice.key}/20110416/1", json=alice.body)).json()
    east = body[0]["episodes"][1]
    assert (east["show"]["in_watchlist"], east["show"]["rating"]) == (True, False)
    assert (east["episode"]["watched"], east["episode"]["plays"], east["episode"]["in_collection"]) == (
        False,
        0,
        False,
    )


async def owner_with_shows(runtime: Runtime, ids: dict[str, int], **profile: bool) -> Account:
    """A user with one show watched (Late East) and one watchlisted (London Nights)."""
    owner = await make_user(runtime, "owner", **profile)
    async with catalog_writer(runtime) as conn:
        await rows.play_episode(conn, owner.user_id, ids["east"], await _first_episode(conn, ids["east"]))
        await rows.watchlist_show(conn, owner.user_id, ids["london"])
    return owner


async def _first_episode(conn: AsyncConnection, show_id: int) -> int:
    return (
        await conn.execute(select(episodes.c.id).where(episodes.c.show_id == show_id).limit(1))
    ).scalar_one()


async def test_user_calendar_keeps_the_users_shows(client: httpx.AsyncClient, runtime: Runtime) -> None:
    ids = await april(runtime)
    owner = await owner_with_shows(runtime, ids)
    body = (await client.get(f"/user/calendar/shows.json/{owner.key}/owner/20110415/14")).json()
    assert listing(body) == [
        ("2011-04-16", ["Late East 1x5"]),
        ("2011-04-17", ["London Nights 3x1"]),
        ("2011-04-24", ["London Nights 3x2"]),
    ]
    missing = await client.get(f"/user/calendar/shows.json/{owner.key}/nobody/20110415/14")
    assert missing.status_code == 404


async def test_user_calendar_follows_the_visibility_rule(client: httpx.AsyncClient, runtime: Runtime) -> None:
    ids = await april(runtime)
    owner = await owner_with_shows(runtime, ids, protected=True)
    stranger = await make_user(runtime, "stranger")
    friend = await make_user(runtime, "friend")
    async with catalog_writer(runtime) as conn:
        await rows.befriend(conn, owner.user_id, friend.user_id)
    url = f"/user/calendar/shows.json/{owner.key}/owner/20110416/1"
    assert (await client.get(url)).json() == []
    assert (await client.post(url, json=stranger.body)).json() == []
    assert listing((await client.post(url, json=friend.body)).json()) == [("2011-04-16", ["Late East 1x5"])]
    assert listing((await client.post(url, json=owner.body)).json()) == [("2011-04-16", ["Late East 1x5"])]
