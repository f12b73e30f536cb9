"""The global calendars' shared rendering: reused within its time, each caller's fields laid over
it without leaking into it, and a bounded number of windows kept."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import update

from opentrakt.clock import FrozenClock
from opentrakt.db.tables.catalog import shows
from opentrakt.runtime import CALENDAR_WINDOWS_KEPT, Runtime
from tests.catalog.statements import recorded_statements
from tests.catalog_fixtures import add_episode, catalog_writer, local_time
from tests.discovery import activity as rows
from tests.support import Account, make_user
from tests.v1.shared_cache import TTL
from tests.v1.test_calendar import EASTERN, aired_episodes

WEEK = "20110415/7"


async def week_of_shows(runtime: Runtime) -> dict[str, Any]:
    """Two shows with episodes in the week from 2011-04-15, a season premiere among them."""
    async with catalog_writer(runtime) as conn:
        return {
            "Harbour Lights": await aired_episodes(
                conn, "Harbour Lights", EASTERN, (2, 1, "2011-04-16 21:00"), (2, 2, "2011-04-18 21:00")
            ),
            "Night Desk": await aired_episodes(
                conn, "Night Desk", EASTERN, (1, 4, "2011-04-16 22:00"), (1, 5, "2011-04-20 22:00")
            ),
        }


def titles(body: list[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    return [(day["date"], [entry["episode"]["title"] for entry in day["episodes"]]) for day in body]


def window_reads(sent: list[str]) -> list[str]:
    """Statements other than what every request sends: the API key (and caller) lookup, and on
    SQLite the read transaction's BEGIN and COMMIT."""
    return [
        statement
        for statement in sent
        if "api_keys" not in statement and statement.strip().upper() not in ("BEGIN", "COMMIT", "ROLLBACK")
    ]


async def test_a_second_anonymous_read_within_the_ttl_sends_only_the_key_lookup(
    cached_client: httpx.AsyncClient, cached_runtime: Runtime
) -> None:
    alice = await make_user(cached_runtime, "alice")
    await week_of_shows(cached_runtime)
    for method in ("shows", "premieres"):
        url = f"/calendar/{method}.json/{alice.key}/{WEEK}"
        with recorded_statements(cached_runtime.engine) as first_sent:
            first = await cached_client.get(url)
        with recorded_statements(cached_runtime.engine) as second_sent:
            second = await cached_client.get(url)
        assert first.status_code == second.status_code == 200
        assert window_reads(first_sent), method  # the first read did read the calendar
        assert window_reads(second_sent) == [], method
        assert any("api_keys" in statement for statement in second_sent)
        assert second.content == first.content
        assert first.json(), method


async def test_longer_windows_than_the_calendar_serves_share_the_longest(
    cached_client: httpx.AsyncClient, cached_runtime: Runtime
) -> None:
    alice = await make_user(cached_runtime, "alice")
    await week_of_shows(cached_runtime)
    longest = await cached_client.get(f"/calendar/shows.json/{alice.key}/20110415/31")
    with recorded_statements(cached_runtime.engine) as sent:
        longer = await cached_client.get(f"/calendar/shows.json/{alice.key}/20110415/400")
    assert window_reads(sent) == []
    assert longer.content == longest.content


async def test_catalogue_changes_show_once_the_ttl_has_passed(
    cached_client: httpx.AsyncClient,
    client: httpx.AsyncClient,
    cached_runtime: Runtime,
    clock: FrozenClock,
) -> None:
    alice = await make_user(cached_runtime, "alice")
    ids = await week_of_shows(cached_runtime)
    url = f"/calendar/shows.json/{alice.key}/{WEEK}"
    before = (await cached_client.get(url)).json()
    harbour_id = ids["Harbour Lights"][0]
    async with catalog_writer(cached_runtime) as conn:
        await conn.execute(update(shows).where(shows.c.id == harbour_id).values(title="Harbour Lights Redux"))
        await add_episode(
            conn,
            harbour_id,
            2,
            3,
            title="Harbour Lights 2x3",
            first_aired=local_time("2011-04-19 21:00", EASTERN),
        )
    fresh = (await client.get(url)).json()  # the uncached path sees both changes at once
    assert "Harbour Lights 2x3" in titles(fresh)[2][1]
    assert fresh[0]["episodes"][0]["show"]["title"] == "Harbour Lights Redux"

    clock.advance(TTL - 1)
    assert (await cached_client.get(url)).json() == before
    clock.advance(1)
    assert (await cached_client.get(url)).json() == fresh


async def caller_with_state(runtime: Runtime, username: str, ids: dict[str, Any], *, full: bool) -> Account:
    """A user who watched, collected, rated and watchlisted some of the week's shows and
    episodes (``full``), or just watchlisted one show."""
    account = await make_user(runtime, username)
    harbour, (harbour_premiere, harbour_next) = ids["Harbour Lights"]
    desk, (desk_first, desk_second) = ids["Night Desk"]
    async with catalog_writer(runtime) as conn:
        if not full:
            await rows.watchlist_show(conn, account.user_id, desk)
            return account
        await rows.play_episode(conn, account.user_id, harbour, harbour_premiere, count=2)
        await rows.collect_episode(conn, account.user_id, harbour, harbour_premiere)
        await rows.rate_episode(conn, account.user_id, harbour, harbour_next, 9)
        await rows.watchlist_episode(conn, account.user_id, desk, desk_second)
        await rows.rate_show(conn, account.user_id, harbour, 2)
        await rows.watchlist_show(conn, account.user_id, harbour)
        await rows.collect_episode(conn, account.user_id, desk, desk_first)
    return account


async def test_callers_get_their_own_fields_over_the_shared_rendering(
    cached_client: httpx.AsyncClient,
    client: httpx.AsyncClient,
    cached_runtime: Runtime,
) -> None:
    ids = await week_of_shows(cached_runtime)
    alice = await caller_with_state(cached_runtime, "alice", ids, full=True)
    bob = await caller_with_state(cached_runtime, "bob", ids, full=False)
    for method in ("shows", "premieres"):
        url = f"/calendar/{method}.json/{alice.key}/{WEEK}"
        anonymous = await cached_client.get(url)  # fills the shared rendering
        assert anonymous.status_code == 200
        assert anonymous.content == (await client.get(url)).content
        for caller in (alice, bob, alice):
            cached = await cached_client.post(url, json=caller.body)
            uncached = await client.post(url, json=caller.body)
            assert cached.status_code == uncached.status_code == 200
            # The same bytes: the same keys, in the same order, with the same values.
            assert cached.content == uncached.content, (method, caller.username)
            basic = await cached_client.get(url, headers=caller.basic)
            assert basic.content == uncached.content, (method, caller.username)

        # Served from the shared rendering, which no caller's fields reached.
        with recorded_statements(cached_runtime.engine) as sent:
            again = await cached_client.get(url)
        assert window_reads(sent) == []
        assert again.content == anonymous.content

    # What the comparisons above covered: alice's fields on shows and episodes, all kinds of them.
    body = (await cached_client.post(f"/calendar/shows.json/{alice.key}/{WEEK}", json=alice.body)).json()
    first_day = {entry["episode"]["title"]: entry for entry in body[0]["episodes"]}
    premiere = first_day["Harbour Lights 2x1"]
    assert (premiere["episode"]["watched"], premiere["episode"]["plays"]) == (True, 2)
    assert premiere["episode"]["in_collection"] is True
    assert (premiere["show"]["rating"], premiere["show"]["in_watchlist"]) == ("hate", True)
    assert "watched" not in premiere["show"]
    desk = first_day["Night Desk 1x4"]
    assert (desk["episode"]["in_collection"], desk["show"]["in_watchlist"]) == (True, False)
    later = {entry["episode"]["title"]: entry for day in body for entry in day["episodes"]}
    assert later["Harbour Lights 2x2"]["episode"]["rating_advanced"] == 9
    assert later["Night Desk 1x5"]["episode"]["in_watchlist"] is True
    anonymous_body = (await cached_client.get(f"/calendar/shows.json/{alice.key}/{WEEK}")).json()
    assert all(
        "rating" not in entry[kind] for day in anonymous_body for entry in day["episodes"] for kind in entry
    )


async def test_the_number_of_windows_kept_is_capped(
    cached_client: httpx.AsyncClient, cached_runtime: Runtime
) -> None:
    alice = await make_user(cached_runtime, "alice")
    await week_of_shows(cached_runtime)
    first = date(2011, 4, 1)
    urls = [
        f"/calendar/shows.json/{alice.key}/{first + timedelta(days=offset):%Y%m%d}/1"
        for offset in range(CALENDAR_WINDOWS_KEPT + 1)
    ]
    for url in urls:
        assert (await cached_client.get(url)).status_code == 200
    assert len(cached_runtime.calendar_cache) == CALENDAR_WINDOWS_KEPT
    with recorded_statements(cached_runtime.engine) as newest_sent:
        await cached_client.get(urls[-1])
    assert window_reads(newest_sent) == []
    with recorded_statements(cached_runtime.engine) as oldest_sent:
        await cached_client.get(urls[0])  # evicted first: read again
    assert window_reads(oldest_sent)
