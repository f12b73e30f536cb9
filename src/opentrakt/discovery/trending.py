"""Trending movies and shows: what people are watching now, plus what they finished lately.

An item's ``watchers`` are the distinct people watching or checked in to it now, or with a
play of it inside the trending window. Counting recent plays keeps the lists meaningful on a
small server, where few people are mid-play at any one moment; ties go to the item with more
people watching right now, then to the older catalogue entry, so the order is stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, Table, case, distinct, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.tables.playback import STATE_IDLE
from opentrakt.db.tables.playback import playback_sessions as sessions
from opentrakt.db.tables.tracking import episode_plays, movie_plays

TrendingKind = Literal["movie", "show"]

TRENDING_WINDOW = 24 * 60 * 60  # seconds of recent plays that count
TRENDING_LIMIT = 100


@dataclass(frozen=True, slots=True)
class TrendingItem:
    item_id: int
    watchers: int  # watching now or played within the window
    watching_now: int


def _people(kind: TrendingKind, now: int, window: int) -> Any:
    """(user, item, watching-now flag) rows: live playback states and recent plays."""
    plays: Table = movie_plays if kind == "movie" else episode_plays
    key = "movie_id" if kind == "movie" else "show_id"
    live: ColumnElement[bool] = sessions.c[key].is_not(None)
    return union_all(
        select(sessions.c.user_id, sessions.c[key].label("item_id"), literal(1).label("live")).where(
            live, sessions.c.state != STATE_IDLE, sessions.c.ends_at > now
        ),
        select(plays.c.user_id, plays.c[key].label("item_id"), literal(0).label("live")).where(
            plays.c.watched_at > now - window, plays.c.watched_at <= now
        ),
    ).subquery()


async def trending(
    conn: AsyncConnection,
    kind: TrendingKind,
    *,
    now: int,
    window: int = TRENDING_WINDOW,
    limit: int = TRENDING_LIMIT,
) -> list[TrendingItem]:
    """The most watched movies or shows, most watchers first, in one aggregate query."""
    people = _people(kind, now, window)
    watchers = func.count(distinct(people.c.user_id))
    watching_now = func.count(distinct(case((people.c.live == 1, people.c.user_id))))
    rows = await conn.execute(
        select(people.c.item_id, watchers, watching_now)
        .group_by(people.c.item_id)
        .order_by(watchers.desc(), watching_now.desc(), people.c.item_id)
        .limit(limit)
    )
    return [TrendingItem(item_id=int(i), watchers=int(w), watching_now=int(n)) for i, w, n in rows]
