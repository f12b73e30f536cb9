"""Episode writes for one show: seen/unseen, collection, watchlist and single plays."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.tables.social import activity_events
from opentrakt.db.tables.tracking import episode_collection, episode_plays, episode_unseen, episode_watchlist
from opentrakt.errors import Invalid, NotFound
from opentrakt.tracking import episodes as tracking
from opentrakt.tracking.batches import EpisodeSeen
from tests.conftest import START
from tests.tracking.factories import add_episodes, add_show, aired_season


@pytest.fixture
async def show(conn: AsyncConnection) -> tuple[int, dict[tuple[int, int], int]]:
    show_id = await add_show(conn, "The Big Bang Theory", 2007)
    return show_id, await add_episodes(conn, show_id, aired_season(1, 5))


async def _ids(conn: AsyncConnection, table: Table, user_id: int) -> set[int]:
    return set((await conn.scalars(select(table.c.episode_id).where(table.c.user_id == user_id))).all())


async def _plays(conn: AsyncConnection, user_id: int) -> list[tuple[int, int, int, str]]:
    rows = await conn.execute(
        select(
            episode_plays.c.episode_id,
            episode_plays.c.show_id,
            episode_plays.c.watched_at,
            episode_plays.c.action,
        )
        .where(episode_plays.c.user_id == user_id)
        .order_by(episode_plays.c.id)
    )
    return [tuple(row) for row in rows]


async def test_seen_inserts_and_reports_already_exist(conn: AsyncConnection, user_id: int, show) -> None:
    show_id, ep = show
    first = await tracking.mark_episodes_seen(
        conn,
        user_id,
        show_id,
        [EpisodeSeen(ep[1, 1], last_played=1_300_000_000), EpisodeSeen(ep[1, 2])],
        START,
    )
    assert first.changed == (True, True)
    second = await tracking.mark_episodes_seen(
        conn,
        user_id,
        show_id,
        [EpisodeSeen(ep[1, 2]), EpisodeSeen(ep[1, 3]), EpisodeSeen(ep[1, 3])],
        START + 5,
    )
    assert second.changed == (False, True, False)
    assert second.unchanged_positions == [0, 2]
    assert await _plays(conn, user_id) == [
        (ep[1, 1], show_id, 1_300_000_000, "seen"),
        (ep[1, 2], show_id, START, "seen"),
        (ep[1, 3], show_id, START + 5, "seen"),
    ]


async def test_episodes_of_another_show_are_refused(conn: AsyncConnection, user_id: int, show) -> None:
    show_id, ep = show
    other = await add_show(conn, "Community", 2009)
    other_ep = await add_episodes(conn, other, aired_season(1, 1))
    stray = f"episode {other_ep[1, 1]} is not an episode of show {show_id}"
    with pytest.raises(Invalid, match=stray):
        await tracking.mark_episodes_seen(
            conn,
            user_id,
            show_id,
            [EpisodeSeen(ep[1, 1]), EpisodeSeen(ep[1, 1]), EpisodeSeen(other_ep[1, 1])],
            START,
        )
    for write in (
        tracking.mark_episodes_unseen,
        tracking.add_episodes_to_collection,
        tracking.remove_episodes_from_collection,
        tracking.add_episodes_to_watchlist,
        tracking.remove_episodes_from_watchlist,
    ):
        with pytest.raises(Invalid):
            await write(conn, user_id, show_id, [ep[1, 2], other_ep[1, 1]], START)
    with pytest.raises(Invalid):
        await tracking.mark_episodes_seen(
            conn, user_id, show_id, [EpisodeSeen(ep[1, 1], last_played=2**63)], START
        )
    assert await _plays(conn, user_id) == []
    assert await _ids(conn, episode_unseen, user_id) == set()


async def test_unseen_removes_plays_sets_marks_and_seen_clears_them(
    conn: AsyncConnection, user_id: int, show
) -> None:
    show_id, ep = show
    await tracking.mark_episodes_seen(conn, user_id, show_id, [EpisodeSeen(ep[1, 1])], START)
    await tracking.record_episode_play(conn, user_id, ep[1, 1], START + 1, "scrobble")
    result = await tracking.mark_episodes_unseen(
        conn, user_id, show_id, [ep[1, 1], ep[1, 2], ep[1, 1]], START + 2
    )
    assert result.changed == (True, True, False)
    assert await _plays(conn, user_id) == []
    assert await _ids(conn, episode_unseen, user_id) == {ep[1, 1], ep[1, 2]}
    assert (await tracking.mark_episodes_unseen(conn, user_id, show_id, [ep[1, 2]], START + 3)).changed == (
        False,
    )

    await tracking.mark_episodes_seen(conn, user_id, show_id, [EpisodeSeen(ep[1, 2])], START + 4)
    assert await _ids(conn, episode_unseen, user_id) == {ep[1, 1]}
    await tracking.record_episode_play(conn, user_id, ep[1, 1], START + 5, "checkin")
    assert await _ids(conn, episode_unseen, user_id) == set()


async def test_collection_and_watchlist(conn: AsyncConnection, user_id: int, show) -> None:
    show_id, ep = show
    added = await tracking.add_episodes_to_collection(
        conn, user_id, show_id, [ep[1, 1], ep[1, 2], ep[1, 1]], START
    )
    assert added.changed == (True, True, False)
    again = await tracking.add_episodes_to_collection(conn, user_id, show_id, [ep[1, 2], ep[1, 3]], START)
    assert again.changed == (False, True)
    removed = await tracking.remove_episodes_from_collection(
        conn, user_id, show_id, [ep[1, 1], ep[1, 4]], START
    )
    assert removed.changed == (True, False)
    assert await _ids(conn, episode_collection, user_id) == {ep[1, 2], ep[1, 3]}

    listed = await tracking.add_episodes_to_watchlist(conn, user_id, show_id, [ep[1, 5]], START)
    assert listed.changed == (True,)
    assert (await tracking.add_episodes_to_watchlist(conn, user_id, show_id, [ep[1, 5]], START)).changed == (
        False,
    )
    unlisted = await tracking.remove_episodes_from_watchlist(
        conn, user_id, show_id, [ep[1, 5], ep[1, 5]], START
    )
    assert unlisted.changed == (True, False)
    assert await _ids(conn, episode_watchlist, user_id) == set()


async def test_record_play_adds_a_play_to_a_watched_episode(
    conn: AsyncConnection, user_id: int, show
) -> None:
    show_id, ep = show
    await tracking.mark_episodes_seen(conn, user_id, show_id, [EpisodeSeen(ep[1, 1])], START)
    await tracking.record_episode_play(conn, user_id, ep[1, 1], START + 60, "scrobble")
    assert [row[2:] for row in await _plays(conn, user_id)] == [(START, "seen"), (START + 60, "scrobble")]
    with pytest.raises(NotFound):
        await tracking.record_episode_play(conn, user_id, 999_999, START, "scrobble")
    with pytest.raises(Invalid):
        await tracking.record_episode_play(conn, user_id, ep[1, 1], START, "rating")


async def test_one_event_per_request_lists_the_changed_episodes(
    conn: AsyncConnection, user_id: int, show
) -> None:
    show_id, ep = show
    await tracking.mark_episodes_seen(
        conn, user_id, show_id, [EpisodeSeen(ep[1, n]) for n in (1, 2, 3, 2)], START
    )
    await tracking.mark_episodes_seen(conn, user_id, show_id, [EpisodeSeen(ep[1, 1])], START)  # no change
    await tracking.add_episodes_to_collection(conn, user_id, show_id, [ep[1, 4]], START)
    await tracking.mark_episodes_unseen(conn, user_id, show_id, [ep[1, 1], ep[1, 2]], START)
    rows = await conn.execute(
        select(
            activity_events.c.action,
            activity_events.c.item_type,
            activity_events.c.show_id,
            activity_events.c.episode_id,
            activity_events.c.payload,
        )
        .where(activity_events.c.user_id == user_id)
        .order_by(activity_events.c.id)
    )
    assert [(a, t, s, e, orjson.loads(p)) for a, t, s, e, p in rows] == [
        ("seen", "episode", show_id, None, {"episode_ids": [ep[1, 1], ep[1, 2], ep[1, 3]]}),
        ("collection", "episode", show_id, ep[1, 4], {"episode_ids": [ep[1, 4]]}),
        ("unseen", "episode", show_id, None, {"episode_ids": [ep[1, 1], ep[1, 2]]}),
    ]
