"""A user's movies: plays ("seen"), unseen marks, collection and watchlist, written in bulk.

Every function works inside the caller's transaction, takes internal movie ids (resolving what
a client sent happens before), runs a fixed number of statements per id batch, and, when it
changed something, moves the user's last-activity times and appends activity events.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.sql import insert_rows
from opentrakt.db.tables.tracking import (
    ACTION_SEEN,
    movie_collection,
    movie_plays,
    movie_unseen,
    movie_watchlist,
)
from opentrakt.errors import Invalid
from opentrakt.social import events
from opentrakt.social.events import ActivityEvent, record_events
from opentrakt.tracking.batches import (
    PLAY_ACTIONS,
    BatchResult,
    MovieSeen,
    changed_ids,
    check_seen,
    first_changes,
    played_at,
)
from opentrakt.tracking.lastactivity import touch_last_activity
from opentrakt.tracking.membership import add_ids, delete_ids, insert_ids, present_ids, remove_ids


def _movie_events(user_id: int, now: int, action: str, movie_ids: Sequence[int]) -> list[ActivityEvent]:
    return [
        ActivityEvent(
            user_id=user_id, created_at=now, action=action, item_type=events.MOVIE, movie_id=movie_id
        )
        for movie_id in movie_ids
    ]


async def mark_movies_seen(
    conn: AsyncConnection, user_id: int, items: Sequence[MovieSeen], now: int
) -> BatchResult:
    """Record plays of movies watched elsewhere.

    A movie the user has already watched is left alone (no extra play), as the original
    service did; a new one gets one play row carrying the reported ``plays`` count and time,
    and loses its unseen mark.
    """
    check_seen(items)
    ids = [item.movie_id for item in items]
    watched = await present_ids(conn, movie_plays, "movie_id", user_id, ids)
    flags = first_changes(ids, set(ids) - watched)
    new = [item for item, flag in zip(items, flags, strict=True) if flag]
    if not new:
        return BatchResult(flags)
    await insert_rows(
        conn,
        movie_plays,
        ("user_id", "movie_id", "watched_at", "action", "count"),
        [(user_id, item.movie_id, played_at(item.last_played, now), ACTION_SEEN, item.plays) for item in new],
    )
    await delete_ids(conn, movie_unseen, "movie_id", user_id, [item.movie_id for item in new])
    await touch_last_activity(conn, user_id, [("movie", "seen"), ("movie", "watched")], now)
    await record_events(
        conn,
        [
            ActivityEvent(
                user_id=user_id,
                created_at=now,
                action=events.SEEN,
                item_type=events.MOVIE,
                movie_id=item.movie_id,
                payload={"watched_at": played_at(item.last_played, now), "plays": item.plays},
            )
            for item in new
        ],
    )
    return BatchResult(flags)


async def mark_movies_unseen(
    conn: AsyncConnection, user_id: int, movie_ids: Sequence[int], now: int
) -> BatchResult:
    """Remove every play of the movies and mark them unseen (so clients clear their watched state).

    A position counts as changed when plays were removed or the mark is new.
    """
    watched = await present_ids(conn, movie_plays, "movie_id", user_id, movie_ids)
    marked = await present_ids(conn, movie_unseen, "movie_id", user_id, movie_ids)
    unmarked = set(movie_ids) - marked
    flags = first_changes(movie_ids, watched | unmarked)
    changed = changed_ids(movie_ids, flags)
    if not changed:
        return BatchResult(flags)
    await delete_ids(conn, movie_plays, "movie_id", user_id, [i for i in changed if i in watched])
    await insert_ids(
        conn, movie_unseen, "movie_id", "marked_at", user_id, [i for i in changed if i in unmarked], now
    )
    await touch_last_activity(conn, user_id, [("movie", "seen"), ("movie", "watched")], now)
    await record_events(conn, _movie_events(user_id, now, events.UNSEEN, changed))
    return BatchResult(flags)


async def _finish(
    conn: AsyncConnection,
    user_id: int,
    now: int,
    flags: tuple[bool, ...],
    movie_ids: Sequence[int],
    action: str,
) -> BatchResult:
    changed = changed_ids(movie_ids, flags)
    if changed:
        key = "collection" if action in (events.COLLECTION, events.UNCOLLECTION) else "watchlist"
        await touch_last_activity(conn, user_id, [("movie", key)], now)
        await record_events(conn, _movie_events(user_id, now, action, changed))
    return BatchResult(flags)


async def add_movies_to_collection(
    conn: AsyncConnection, user_id: int, movie_ids: Sequence[int], now: int
) -> BatchResult:
    flags = await add_ids(conn, movie_collection, "movie_id", "collected_at", user_id, movie_ids, now)
    return await _finish(conn, user_id, now, flags, movie_ids, events.COLLECTION)


async def remove_movies_from_collection(
    conn: AsyncConnection, user_id: int, movie_ids: Sequence[int], now: int
) -> BatchResult:
    flags = await remove_ids(conn, movie_collection, "movie_id", user_id, movie_ids)
    return await _finish(conn, user_id, now, flags, movie_ids, events.UNCOLLECTION)


async def add_movies_to_watchlist(
    conn: AsyncConnection, user_id: int, movie_ids: Sequence[int], now: int
) -> BatchResult:
    flags = await add_ids(conn, movie_watchlist, "movie_id", "listed_at", user_id, movie_ids, now)
    return await _finish(conn, user_id, now, flags, movie_ids, events.WATCHLIST)


async def remove_movies_from_watchlist(
    conn: AsyncConnection, user_id: int, movie_ids: Sequence[int], now: int
) -> BatchResult:
    flags = await remove_ids(conn, movie_watchlist, "movie_id", user_id, movie_ids)
    return await _finish(conn, user_id, now, flags, movie_ids, events.UNWATCHLIST)


async def record_movie_play(
    conn: AsyncConnection,
    user_id: int,
    movie_id: int,
    watched_at: int,
    action: str,
    *,
    now: int | None = None,
) -> None:
    """One play from playback (``scrobble`` or ``checkin``); always a new play, even of a watched movie.

    ``now`` (default ``watched_at``) stamps the last-activity times and the event.
    """
    if action not in PLAY_ACTIONS:
        raise Invalid(f"unknown play action {action!r}")
    stamp = watched_at if now is None else now
    await conn.execute(
        insert(movie_plays).values(
            user_id=user_id, movie_id=movie_id, watched_at=watched_at, action=action, count=1
        )
    )
    await delete_ids(conn, movie_unseen, "movie_id", user_id, [movie_id])
    await touch_last_activity(conn, user_id, [("movie", action), ("movie", "watched")], stamp)
    await record_events(conn, _movie_events(user_id, stamp, action, [movie_id]))
