"""Whole-show and whole-season writes, and the show watchlist."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.tables.social import activity_events
from opentrakt.db.tables.tracking import episode_collection, episode_plays, episode_unseen, show_watchlist
from opentrakt.tracking import episodes, shows
from opentrakt.tracking.batches import EpisodeSeen, ScopeResult
from tests.conftest import START
from tests.tracking.factories import DAY, add_episodes, add_show, aired_season

Episodes = dict[tuple[int, int], int]


@pytest.fixture
async def show(conn: AsyncConnection) -> tuple[int, Episodes]:
    """Specials 0x1-0x2, season 1 (5 aired), season 2 (3 aired, 2 upcoming, 1 announced without a date)."""
    show_id = await add_show(conn, "The Big Bang Theory", 2007)
    rows = [
        *aired_season(0, 2),
        *aired_season(1, 5),
        *aired_season(2, 3, first=START - 30 * DAY),
        (2, 4, START + DAY),
        (2, 5, START + 8 * DAY),
        (2, 6, None),
    ]
    return show_id, await add_episodes(conn, show_id, rows)


async def _ids(conn: AsyncConnection, table: Table, user_id: int) -> set[int]:
    return set((await conn.scalars(select(table.c.episode_id).where(table.c.user_id == user_id))).all())


async def _play_count(conn: AsyncConnection, user_id: int) -> int:
    return int(await conn.scalar(select(func.count()).where(episode_plays.c.user_id == user_id)))


async def test_show_seen_marks_the_aired_regular_episodes(conn: AsyncConnection, user_id: int, show) -> None:
    show_id, ep = show
    await episodes.mark_episodes_seen(conn, user_id, show_id, [EpisodeSeen(ep[1, 1])], START - 10)
    await episodes.mark_episodes_unseen(conn, user_id, show_id, [ep[1, 2], ep[0, 1]], START - 5)

    assert await shows.mark_show_seen(conn, user_id, show_id, START) == ScopeResult(total=8, changed=7)
    watched = await _ids(conn, episode_plays, user_id)
    assert watched == {ep[1, n] for n in range(1, 6)} | {ep[2, n] for n in range(1, 4)}
    # Marks inside the scope go, the special's stays.
    assert await _ids(conn, episode_unseen, user_id) == {ep[0, 1]}

    assert await shows.mark_show_seen(conn, user_id, show_id, START + 1) == ScopeResult(total=8, changed=0)
    assert await _play_count(conn, user_id) == 8


async def test_season_seen_covers_the_season_and_specials_on_request(
    conn: AsyncConnection, user_id: int, show
) -> None:
    show_id, ep = show
    assert await shows.mark_season_seen(conn, user_id, show_id, 2, START) == ScopeResult(total=3, changed=3)
    assert await shows.mark_season_seen(conn, user_id, show_id, 0, START) == ScopeResult(total=2, changed=2)
    assert await shows.mark_season_seen(conn, user_id, show_id, 7, START) == ScopeResult(total=0, changed=0)
    assert await _ids(conn, episode_plays, user_id) == {ep[2, 1], ep[2, 2], ep[2, 3], ep[0, 1], ep[0, 2]}


async def test_undated_episodes_count_when_the_show_has_no_dates(
    conn: AsyncConnection, user_id: int, show
) -> None:
    # The fixture's dated show sits beside this one: the rule looks at each show's own dates.
    show_id = await add_show(conn, "Home Videos", 2020)
    await add_episodes(conn, show_id, [(0, 1, None), (1, 1, None), (1, 2, None), (2, 1, None)])
    assert await shows.mark_show_seen(conn, user_id, show_id, START) == ScopeResult(total=3, changed=3)


async def test_show_and_season_library_then_unlibrary(conn: AsyncConnection, user_id: int, show) -> None:
    show_id, ep = show
    await episodes.add_episodes_to_collection(conn, user_id, show_id, [ep[1, 3]], START)
    assert await shows.add_show_to_collection(conn, user_id, show_id, START) == ScopeResult(
        total=8, changed=7
    )
    assert await shows.add_show_to_collection(conn, user_id, show_id, START) == ScopeResult(
        total=8, changed=0
    )
    assert await shows.add_season_to_collection(conn, user_id, show_id, 0, START) == ScopeResult(2, 2)
    assert len(await _ids(conn, episode_collection, user_id)) == 10

    assert await shows.remove_show_from_collection(conn, user_id, show_id, START) == ScopeResult(10, 10)
    assert await _ids(conn, episode_collection, user_id) == set()
    assert await shows.remove_show_from_collection(conn, user_id, show_id, START) == ScopeResult(0, 0)


async def test_scope_events(conn: AsyncConnection, user_id: int, show) -> None:
    show_id, _ = show
    await shows.mark_show_seen(conn, user_id, show_id, START)
    await shows.mark_show_seen(conn, user_id, show_id, START)  # nothing new: no event
    await shows.add_season_to_collection(conn, user_id, show_id, 1, START)
    await shows.remove_show_from_collection(conn, user_id, show_id, START)
    rows = await conn.execute(
        select(
            activity_events.c.action,
            activity_events.c.item_type,
            activity_events.c.show_id,
            activity_events.c.season,
            activity_events.c.payload,
        )
        .where(activity_events.c.user_id == user_id)
        .order_by(activity_events.c.id)
    )
    assert [(a, t, s, n, orjson.loads(p)) for a, t, s, n, p in rows] == [
        ("seen", "show", show_id, None, {"episodes": 8}),
        ("collection", "season", show_id, 1, {"episodes": 5}),
        ("uncollection", "show", show_id, None, {"episodes": 5}),
    ]


async def test_show_watchlist(conn: AsyncConnection, user_id: int) -> None:
    first = await add_show(conn, "Band of Brothers", 2001)
    second = await add_show(conn, "Community", 2009)
    added = await shows.add_shows_to_watchlist(conn, user_id, [first, second, first], START)
    assert added.changed == (True, True, False)
    assert (await shows.add_shows_to_watchlist(conn, user_id, [second], START)).changed == (False,)
    removed = await shows.remove_shows_from_watchlist(conn, user_id, [second, second], START)
    assert removed.changed == (True, False)
    listed = await conn.scalars(select(show_watchlist.c.show_id).where(show_watchlist.c.user_id == user_id))
    assert list(listed) == [first]
    actions = await conn.execute(
        select(activity_events.c.action, activity_events.c.item_type, activity_events.c.show_id).order_by(
            activity_events.c.id
        )
    )
    assert list(actions) == [
        ("watchlist", "show", first),
        ("watchlist", "show", second),
        ("unwatchlist", "show", second),
    ]
