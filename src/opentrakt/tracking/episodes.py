"""A user's episodes of one show: plays ("seen"), unseen marks, collection and watchlist, in bulk.

Each call names one show and episodes of it, as v1's episode writes do. The user's existing
rows for that show are read in one statement per table whatever the batch size, so a
10,000-episode sync costs a handful of statements. A call that changes something moves the
last-activity times and appends one activity event listing the episodes it changed.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.sql import insert_rows, values_in
from opentrakt.db.tables.catalog import episodes
from opentrakt.db.tables.tracking import (
    ACTION_SEEN,
    episode_collection,
    episode_plays,
    episode_unseen,
    episode_watchlist,
)
from opentrakt.errors import Invalid, NotFound
from opentrakt.social import events
from opentrakt.social.events import ActivityEvent, record_events
from opentrakt.tracking.batches import (
    PLAY_ACTIONS,
    BatchResult,
    EpisodeSeen,
    changed_ids,
    check_seen,
    first_changes,
    played_at,
)
from opentrakt.tracking.lastactivity import touch_last_activity
from opentrakt.tracking.membership import add_ids, delete_ids, insert_ids, present_ids, remove_ids


async def _check_show(conn: AsyncConnection, show_id: int, episode_ids: Sequence[int]) -> None:
    """Refuse episodes of another show: the denormalised ``show_id`` columns must stay true."""
    unique = list(dict.fromkeys(episode_ids))
    if not unique:
        return
    # Counting is enough in the normal case: a bulk write names thousands of episodes, and
    # fetching them all back only to find each one is most of the check's cost.
    named = values_in(conn, episodes.c.id, unique)
    of_show = select(func.count()).select_from(episodes).where(episodes.c.show_id == show_id, named)
    if await conn.scalar(of_show) == len(unique):
        return
    known = set((await conn.scalars(select(episodes.c.id).where(episodes.c.show_id == show_id, named))).all())
    stray = next(episode_id for episode_id in unique if episode_id not in known)
    raise Invalid(f"episode {stray} is not an episode of show {show_id}")


def _event(user_id: int, now: int, action: str, show_id: int, episode_ids: Sequence[int]) -> ActivityEvent:
    return ActivityEvent(
        user_id=user_id,
        created_at=now,
        action=action,
        item_type=events.EPISODE,
        show_id=show_id,
        episode_id=episode_ids[0] if len(episode_ids) == 1 else None,
        payload={"episode_ids": list(episode_ids)},
    )


async def mark_episodes_seen(
    conn: AsyncConnection, user_id: int, show_id: int, items: Sequence[EpisodeSeen], now: int
) -> BatchResult:
    """Record a play of each episode not watched yet (watched ones are left alone); clears unseen marks."""
    check_seen(items)
    ids = [item.episode_id for item in items]
    await _check_show(conn, show_id, ids)
    watched = await present_ids(conn, episode_plays, "episode_id", user_id, ids, show_id=show_id)
    flags = first_changes(ids, set(ids) - watched)
    new = [item for item, flag in zip(items, flags, strict=True) if flag]
    if not new:
        return BatchResult(flags)
    await insert_rows(
        conn,
        episode_plays,
        ("user_id", "episode_id", "show_id", "watched_at", "action", "count"),
        [
            (user_id, item.episode_id, show_id, played_at(item.last_played, now), ACTION_SEEN, 1)
            for item in new
        ],
    )
    new_ids = [item.episode_id for item in new]
    marked = await present_ids(conn, episode_unseen, "episode_id", user_id, ids, show_id=show_id)
    await delete_ids(
        conn, episode_unseen, "episode_id", user_id, [i for i in new_ids if i in marked], show_id=show_id
    )
    await touch_last_activity(conn, user_id, [("episode", "seen"), ("episode", "watched")], now)
    await record_events(conn, [_event(user_id, now, events.SEEN, show_id, new_ids)])
    return BatchResult(flags)


async def mark_episodes_unseen(
    conn: AsyncConnection, user_id: int, show_id: int, episode_ids: Sequence[int], now: int
) -> BatchResult:
    """Remove the episodes' plays and mark them unseen; changed = plays removed or mark new."""
    await _check_show(conn, show_id, episode_ids)
    watched = await present_ids(conn, episode_plays, "episode_id", user_id, episode_ids, show_id=show_id)
    marked = await present_ids(conn, episode_unseen, "episode_id", user_id, episode_ids, show_id=show_id)
    unmarked = set(episode_ids) - marked
    flags = first_changes(episode_ids, watched | unmarked)
    changed = changed_ids(episode_ids, flags)
    if not changed:
        return BatchResult(flags)
    await delete_ids(
        conn, episode_plays, "episode_id", user_id, [i for i in changed if i in watched], show_id=show_id
    )
    await insert_ids(
        conn,
        episode_unseen,
        "episode_id",
        "marked_at",
        user_id,
        [i for i in changed if i in unmarked],
        now,
        show_id=show_id,
    )
    await touch_last_activity(conn, user_id, [("episode", "seen"), ("episode", "watched")], now)
    await record_events(conn, [_event(user_id, now, events.UNSEEN, show_id, changed)])
    return BatchResult(flags)


async def _finish(
    conn: AsyncConnection,
    user_id: int,
    show_id: int,
    now: int,
    flags: tuple[bool, ...],
    episode_ids: Sequence[int],
    action: str,
) -> BatchResult:
    changed = changed_ids(episode_ids, flags)
    if changed:
        key = "collection" if action in (events.COLLECTION, events.UNCOLLECTION) else "watchlist"
        await touch_last_activity(conn, user_id, [("episode", key)], now)
        await record_events(conn, [_event(user_id, now, action, show_id, changed)])
    return BatchResult(flags)


async def add_episodes_to_collection(
    conn: AsyncConnection, user_id: int, show_id: int, episode_ids: Sequence[int], now: int
) -> BatchResult:
    await _check_show(conn, show_id, episode_ids)
    flags = await add_ids(
        conn, episode_collection, "episode_id", "collected_at", user_id, episode_ids, now, show_id=show_id
    )
    return await _finish(conn, user_id, show_id, now, flags, episode_ids, events.COLLECTION)


async def remove_episodes_from_collection(
    conn: AsyncConnection, user_id: int, show_id: int, episode_ids: Sequence[int], now: int
) -> BatchResult:
    await _check_show(conn, show_id, episode_ids)
    flags = await remove_ids(conn, episode_collection, "episode_id", user_id, episode_ids, show_id=show_id)
    return await _finish(conn, user_id, show_id, now, flags, episode_ids, events.UNCOLLECTION)


async def add_episodes_to_watchlist(
    conn: AsyncConnection, user_id: int, show_id: int, episode_ids: Sequence[int], now: int
) -> BatchResult:
    await _check_show(conn, show_id, episode_ids)
    flags = await add_ids(
        conn, episode_watchlist, "episode_id", "listed_at", user_id, episode_ids, now, show_id=show_id
    )
    return await _finish(conn, user_id, show_id, now, flags, episode_ids, events.WATCHLIST)


async def remove_episodes_from_watchlist(
    conn: AsyncConnection, user_id: int, show_id: int, episode_ids: Sequence[int], now: int
) -> BatchResult:
    await _check_show(conn, show_id, episode_ids)
    flags = await remove_ids(conn, episode_watchlist, "episode_id", user_id, episode_ids, show_id=show_id)
    return await _finish(conn, user_id, show_id, now, flags, episode_ids, events.UNWATCHLIST)


async def record_episode_play(
    conn: AsyncConnection,
    user_id: int,
    episode_id: int,
    watched_at: int,
    action: str,
    *,
    now: int | None = None,
) -> None:
    """One play from playback (``scrobble`` or ``checkin``); always a new play, even of a watched episode.

    ``now`` (default ``watched_at``) stamps the last-activity times and the event.
    """
    if action not in PLAY_ACTIONS:
        raise Invalid(f"unknown play action {action!r}")
    show_id = await conn.scalar(select(episodes.c.show_id).where(episodes.c.id == episode_id))
    if show_id is None:
        raise NotFound("episode not found")
    stamp = watched_at if now is None else now
    await conn.execute(
        insert(episode_plays).values(
            user_id=user_id,
            episode_id=episode_id,
            show_id=show_id,
            watched_at=watched_at,
            action=action,
            count=1,
        )
    )
    await delete_ids(conn, episode_unseen, "episode_id", user_id, [episode_id], show_id=show_id)
    await touch_last_activity(conn, user_id, [("episode", action), ("episode", "watched")], stamp)
    await record_events(conn, [_event(user_id, stamp, action, show_id, [episode_id])])
