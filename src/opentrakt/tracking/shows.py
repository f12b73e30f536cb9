"""Writes whose unit is a show or a season: the show watchlist, and "every episode" writes.

``show/seen``, ``show/season/seen``, ``show/library``, ``show/season/library`` and
``show/unlibrary`` act on every episode of a show or season in a single INSERT … SELECT or
DELETE, whatever the number of episodes. Whole-show writes cover the aired regular episodes
(see ``aired``); season writes cover the season's aired episodes, specials included when
season 0 is asked for. Already watched episodes get no extra play, already collected ones
stay as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, Integer, String, delete, exists, func, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.sql import insert_ignore
from opentrakt.db.tables.catalog import episodes
from opentrakt.db.tables.tracking import (
    ACTION_SEEN,
    episode_collection,
    episode_plays,
    episode_unseen,
    show_watchlist,
)
from opentrakt.social import events
from opentrakt.social.events import ActivityEvent, record_events
from opentrakt.tracking.aired import SPECIALS, aired_clause
from opentrakt.tracking.batches import BatchResult, ScopeResult, changed_ids
from opentrakt.tracking.lastactivity import touch_last_activity
from opentrakt.tracking.membership import add_ids, remove_ids


def _scope(show_id: int, season: int | None, now: int) -> list[Any]:
    """WHERE terms selecting the aired episodes of a show (regular seasons) or of one season."""
    terms = [episodes.c.show_id == show_id, aired_clause(now)]
    terms.append(episodes.c.season != SPECIALS if season is None else episodes.c.season == season)
    return terms


async def _count(conn: AsyncConnection, terms: list[Any]) -> int:
    return int(await conn.scalar(select(func.count()).select_from(episodes).where(*terms)) or 0)


async def _record(
    conn: AsyncConnection, user_id: int, show_id: int, season: int | None, now: int, action: str, changed: int
) -> None:
    if not changed:
        return
    key = "seen" if action == events.SEEN else "collection"
    touched = [("episode", key), ("episode", "watched")] if key == "seen" else [("episode", key)]
    await touch_last_activity(conn, user_id, touched, now)
    event = ActivityEvent(
        user_id=user_id,
        created_at=now,
        action=action,
        item_type=events.SHOW if season is None else events.SEASON,
        show_id=show_id,
        season=season,
        payload={"episodes": changed},
    )
    await record_events(conn, [event])


async def _mark_seen(
    conn: AsyncConnection, user_id: int, show_id: int, season: int | None, now: int
) -> ScopeResult:
    terms = _scope(show_id, season, now)
    already = exists(
        select(episode_plays.c.id).where(
            episode_plays.c.user_id == user_id,
            episode_plays.c.show_id == show_id,
            episode_plays.c.episode_id == episodes.c.id,
        )
    )
    rows = select(
        literal(user_id, Integer),
        episodes.c.id,
        episodes.c.show_id,
        literal(now, BigInteger),
        literal(ACTION_SEEN, String),
        literal(1, Integer),
    ).where(*terms, ~already)
    names = ["user_id", "episode_id", "show_id", "watched_at", "action", "count"]
    result = await conn.execute(insert(episode_plays).from_select(names, rows))
    scope_ids = select(episodes.c.id).where(*terms)
    await conn.execute(
        delete(episode_unseen).where(
            episode_unseen.c.user_id == user_id,
            episode_unseen.c.show_id == show_id,
            episode_unseen.c.episode_id.in_(scope_ids),
        )
    )
    changed = max(result.rowcount, 0)
    await _record(conn, user_id, show_id, season, now, events.SEEN, changed)
    return ScopeResult(total=await _count(conn, terms), changed=changed)


async def mark_show_seen(conn: AsyncConnection, user_id: int, show_id: int, now: int) -> ScopeResult:
    """Record a play of every aired regular episode of the show that the user has not watched."""
    return await _mark_seen(conn, user_id, show_id, None, now)


async def mark_season_seen(
    conn: AsyncConnection, user_id: int, show_id: int, season: int, now: int
) -> ScopeResult:
    return await _mark_seen(conn, user_id, show_id, season, now)


async def _collect(
    conn: AsyncConnection, user_id: int, show_id: int, season: int | None, now: int
) -> ScopeResult:
    terms = _scope(show_id, season, now)
    rows = select(
        literal(user_id, Integer), episodes.c.id, episodes.c.show_id, literal(now, BigInteger)
    ).where(*terms)
    names = ["user_id", "episode_id", "show_id", "collected_at"]
    result = await conn.execute(insert_ignore(conn, episode_collection).from_select(names, rows))
    changed = max(result.rowcount, 0)
    await _record(conn, user_id, show_id, season, now, events.COLLECTION, changed)
    return ScopeResult(total=await _count(conn, terms), changed=changed)


async def add_show_to_collection(conn: AsyncConnection, user_id: int, show_id: int, now: int) -> ScopeResult:
    """Collect every aired regular episode of the show."""
    return await _collect(conn, user_id, show_id, None, now)


async def add_season_to_collection(
    conn: AsyncConnection, user_id: int, show_id: int, season: int, now: int
) -> ScopeResult:
    return await _collect(conn, user_id, show_id, season, now)


async def remove_show_from_collection(
    conn: AsyncConnection, user_id: int, show_id: int, now: int
) -> ScopeResult:
    """Remove every collected episode of the show, specials included."""
    result = await conn.execute(
        delete(episode_collection).where(
            episode_collection.c.user_id == user_id, episode_collection.c.show_id == show_id
        )
    )
    removed = max(result.rowcount, 0)
    await _record(conn, user_id, show_id, None, now, events.UNCOLLECTION, removed)
    return ScopeResult(total=removed, changed=removed)


async def _finish_watchlist(
    conn: AsyncConnection,
    user_id: int,
    now: int,
    flags: tuple[bool, ...],
    show_ids: Sequence[int],
    action: str,
) -> BatchResult:
    changed = changed_ids(show_ids, flags)
    if changed:
        await touch_last_activity(conn, user_id, [("show", "watchlist")], now)
        await record_events(
            conn,
            [
                ActivityEvent(
                    user_id=user_id, created_at=now, action=action, item_type=events.SHOW, show_id=show_id
                )
                for show_id in changed
            ],
        )
    return BatchResult(flags)


async def add_shows_to_watchlist(
    conn: AsyncConnection, user_id: int, show_ids: Sequence[int], now: int
) -> BatchResult:
    flags = await add_ids(conn, show_watchlist, "show_id", "listed_at", user_id, show_ids, now)
    return await _finish_watchlist(conn, user_id, now, flags, show_ids, events.WATCHLIST)


async def remove_shows_from_watchlist(
    conn: AsyncConnection, user_id: int, show_ids: Sequence[int], now: int
) -> BatchResult:
    flags = await remove_ids(conn, show_watchlist, "show_id", user_id, show_ids)
    return await _finish_watchlist(conn, user_id, now, flags, show_ids, events.UNWATCHLIST)
