"""A user's profile counters, each family read by one aggregate query over the user's rows.

Meanings: ``watched`` counts plays, ``*_unique`` distinct items; ``scrobbles``, ``checkins`` and
``seen`` split plays by how they were recorded (``watched_trakt`` = scrobbles + check-ins,
``watched_elsewhere`` = seen); ``collection`` counts collected items; a movie's ``library`` is
every movie the user watched or collected, ``unwatched`` the collected ones never played;
``loved``/``hated`` split ratings at 5/6; ``shouts`` counts comments written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, case, distinct, exists, func, select, union
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.tables.comments import comments
from opentrakt.db.tables.network import follows
from opentrakt.db.tables.ratings import episode_ratings, movie_ratings, show_ratings
from opentrakt.db.tables.tracking import (
    ACTION_CHECKIN,
    ACTION_SCROBBLE,
    ACTION_SEEN,
    episode_collection,
    episode_plays,
    movie_collection,
    movie_plays,
)
from opentrakt.ratings.models import LOVED_FROM


@dataclass(frozen=True, slots=True)
class PlayCounts:
    watched: int = 0
    watched_unique: int = 0
    scrobbles: int = 0
    scrobbles_unique: int = 0
    checkins: int = 0
    checkins_unique: int = 0
    seen: int = 0
    seen_unique: int = 0
    watched_trakt: int = 0
    watched_trakt_unique: int = 0


@dataclass(frozen=True, slots=True)
class LoveCounts:
    loved: int = 0
    hated: int = 0


@dataclass(frozen=True, slots=True)
class ItemStats:
    """Counters of one kind of item (movies or episodes)."""

    plays: PlayCounts = field(default_factory=PlayCounts)
    collection: int = 0
    unwatched: int = 0
    library: int = 0
    shouts: int = 0
    ratings: LoveCounts = field(default_factory=LoveCounts)


@dataclass(frozen=True, slots=True)
class ShowStats:
    library: int = 0
    watched: int = 0
    collection: int = 0
    shouts: int = 0
    ratings: LoveCounts = field(default_factory=LoveCounts)


@dataclass(frozen=True, slots=True)
class ProfileStats:
    friends: int = 0
    shows: ShowStats = field(default_factory=ShowStats)
    episodes: ItemStats = field(default_factory=ItemStats)
    movies: ItemStats = field(default_factory=ItemStats)


EMPTY_STATS = ProfileStats()


async def profile_stats(conn: AsyncConnection, user_id: int) -> ProfileStats:
    shouts = await _shouts(conn, user_id)
    movie_collected, movie_unwatched = await _collection(
        conn, movie_collection, movie_plays, "movie_id", user_id
    )
    episode_collected, episode_unwatched = await _collection(
        conn, episode_collection, episode_plays, "episode_id", user_id
    )
    shows_watched, shows_collected, shows_library = await _show_counts(conn, user_id)
    return ProfileStats(
        friends=await _friends(conn, user_id),
        shows=ShowStats(
            library=shows_library,
            watched=shows_watched,
            collection=shows_collected,
            shouts=shouts.get("show", 0),
            ratings=await _loves(conn, show_ratings, user_id),
        ),
        episodes=ItemStats(
            plays=await _plays(conn, episode_plays, "episode_id", user_id),
            collection=episode_collected,
            unwatched=episode_unwatched,
            shouts=shouts.get("episode", 0),
            ratings=await _loves(conn, episode_ratings, user_id),
        ),
        movies=ItemStats(
            plays=await _plays(conn, movie_plays, "movie_id", user_id),
            collection=movie_collected,
            unwatched=movie_unwatched,
            library=await _movie_library(conn, user_id),
            shouts=shouts.get("movie", 0),
            ratings=await _loves(conn, movie_ratings, user_id),
        ),
    )


async def _plays(conn: AsyncConnection, table: Table, item: str, user_id: int) -> PlayCounts:
    """Every play counter of one kind in one pass over the user's plays (a play row may stand
    for several plays of a synced item: ``count``)."""
    item_id, action = table.c[item], table.c.action
    trakt = action.in_((ACTION_SCROBBLE, ACTION_CHECKIN))

    def total(condition: ColumnElement[bool] | None = None) -> ColumnElement[Any]:
        plays = table.c.count if condition is None else case((condition, table.c.count), else_=0)
        return func.coalesce(func.sum(plays), 0)

    def unique(condition: ColumnElement[bool] | None = None) -> ColumnElement[Any]:
        return func.count(distinct(item_id if condition is None else case((condition, item_id))))

    row = (
        await conn.execute(
            select(
                total(),
                unique(),
                total(action == ACTION_SCROBBLE),
                unique(action == ACTION_SCROBBLE),
                total(action == ACTION_CHECKIN),
                unique(action == ACTION_CHECKIN),
                total(action == ACTION_SEEN),
                unique(action == ACTION_SEEN),
                total(trakt),
                unique(trakt),
            ).where(table.c.user_id == user_id)
        )
    ).one()
    return PlayCounts(*(int(value) for value in row))


async def _collection(
    conn: AsyncConnection, collected: Table, plays: Table, item: str, user_id: int
) -> tuple[int, int]:
    """How many items the user collected, and how many of those they never played."""
    played = exists().where(plays.c.user_id == user_id, plays.c[item] == collected.c[item])
    row = (
        await conn.execute(
            select(func.count(), func.coalesce(func.sum(case((played, 0), else_=1)), 0)).where(
                collected.c.user_id == user_id
            )
        )
    ).one()
    return int(row[0]), int(row[1])


async def _movie_library(conn: AsyncConnection, user_id: int) -> int:
    movies = union(
        select(movie_plays.c.movie_id).where(movie_plays.c.user_id == user_id),
        select(movie_collection.c.movie_id).where(movie_collection.c.user_id == user_id),
    ).subquery()
    return int((await conn.execute(select(func.count()).select_from(movies))).scalar_one())


async def _show_counts(conn: AsyncConnection, user_id: int) -> tuple[int, int, int]:
    """Shows with plays, shows with collected episodes, and shows with either."""
    watched = select(episode_plays.c.show_id).where(episode_plays.c.user_id == user_id).distinct()
    collected = select(episode_collection.c.show_id).where(episode_collection.c.user_id == user_id).distinct()
    either = union(watched, collected).subquery()
    row = (
        await conn.execute(
            select(
                select(func.count()).select_from(watched.subquery()).scalar_subquery(),
                select(func.count()).select_from(collected.subquery()).scalar_subquery(),
                select(func.count()).select_from(either).scalar_subquery(),
            )
        )
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


async def _loves(conn: AsyncConnection, table: Table, user_id: int) -> LoveCounts:
    loved = func.coalesce(func.sum(case((table.c.rating >= LOVED_FROM, 1), else_=0)), 0)
    row = (await conn.execute(select(loved, func.count()).where(table.c.user_id == user_id))).one()
    return LoveCounts(loved=int(row[0]), hated=int(row[1]) - int(row[0]))


async def _shouts(conn: AsyncConnection, user_id: int) -> dict[str, int]:
    """Comments written, by the kind of item they are on."""
    rows = await conn.execute(
        select(comments.c.item_type, func.count())
        .where(comments.c.user_id == user_id)
        .group_by(comments.c.item_type)
    )
    return {kind: int(count) for kind, count in rows}


async def _friends(conn: AsyncConnection, user_id: int) -> int:
    back = follows.alias("back")
    mutual = exists().where(
        back.c.follower_id == follows.c.followed_id,
        back.c.followed_id == user_id,
        back.c.approved_at.is_not(None),
    )
    query = select(func.count()).where(
        and_(follows.c.follower_id == user_id, follows.c.approved_at.is_not(None), mutual)
    )
    return int((await conn.execute(query)).scalar_one())
