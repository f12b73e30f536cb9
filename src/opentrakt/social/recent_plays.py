"""What several users watched last: the ``watched`` history of the friends view.

One query per kind of item for any number of users: each user's newest plays are picked with
a window function, so a long history costs no more than a short one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.sql import id_batches, in_ids
from opentrakt.db.tables.tracking import episode_plays, movie_plays


@dataclass(frozen=True, slots=True)
class RecentPlay:
    """One play: of a movie (``movie_id``) or of an episode (``episode_id`` and ``show_id``)."""

    kind: Literal["movie", "episode"]
    watched_at: int
    action: str  # scrobble, checkin or seen
    movie_id: int | None = None
    episode_id: int | None = None
    show_id: int | None = None


async def recent_plays(
    conn: AsyncConnection, user_ids: Sequence[int], limit: int
) -> dict[int, list[RecentPlay]]:
    """Each user's newest plays, newest first: up to ``limit`` movie plays and up to ``limit``
    episode plays, so the first ``limit`` of the list, and of either kind, are the newest.
    Users without plays are absent."""
    found: dict[int, list[RecentPlay]] = defaultdict(list)
    for batch in id_batches(conn, user_ids):
        for user_id, play in await _newest(conn, movie_plays, batch, limit):
            found[user_id].append(play)
        for user_id, play in await _newest(conn, episode_plays, batch, limit):
            found[user_id].append(play)
    return {user_id: sorted(plays, key=lambda p: (-p.watched_at, p.kind)) for user_id, plays in found.items()}


async def _newest(
    conn: AsyncConnection, table: Table, user_ids: list[int], limit: int
) -> list[tuple[int, RecentPlay]]:
    is_movie = table is movie_plays
    item_columns = [table.c.movie_id] if is_movie else [table.c.episode_id, table.c.show_id]
    rank = (
        func.row_number()
        .over(partition_by=table.c.user_id, order_by=(table.c.watched_at.desc(), table.c.id.desc()))
        .label("rank")
    )
    ranked = (
        select(table.c.user_id, table.c.watched_at, table.c.action, *item_columns, rank)
        .where(in_ids(conn, table.c.user_id, user_ids))
        .subquery()
    )
    rows = await conn.execute(select(ranked).where(ranked.c.rank <= limit))
    plays = []
    for row in rows:
        if is_movie:
            play = RecentPlay("movie", row.watched_at, row.action, movie_id=row.movie_id)
        else:
            play = RecentPlay(
                "episode", row.watched_at, row.action, episode_id=row.episode_id, show_id=row.show_id
            )
        plays.append((row.user_id, play))
    return plays
