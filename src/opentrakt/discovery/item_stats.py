"""Everyone's activity on one movie, show or episode: the counters of the */stats methods and
of the summaries' ``stats``, ``top_watchers`` and ``top_episodes``.

Every counter family is one aggregate query over the item's rows, whatever the number of users.
A show's plays, collection and ratings of its own are those of its episodes; its lists and
comments are those naming the show itself.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, Literal

from sqlalchemy import ColumnElement, Table, case, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts.models import User
from opentrakt.accounts.service import user_from_row
from opentrakt.catalog.queries import episode_from_row
from opentrakt.db.tables.accounts import users
from opentrakt.db.tables.catalog import episodes
from opentrakt.db.tables.comments import comments
from opentrakt.db.tables.lists import custom_list_items
from opentrakt.db.tables.ratings import episode_ratings, movie_ratings, show_ratings
from opentrakt.db.tables.tracking import (
    ACTION_CHECKIN,
    ACTION_SCROBBLE,
    episode_collection,
    episode_plays,
    episode_watchlist,
    movie_collection,
    movie_plays,
    movie_watchlist,
    show_watchlist,
)
from opentrakt.social.visibility import visible_to
from opentrakt.tracking.models import EpisodePlays, ItemActivity, Watcher

StatsKind = Literal["movie", "show", "episode"]

# How many users and episodes the summaries list.
TOP_WATCHERS = 10
TOP_EPISODES = 10

_USER_COLUMNS = tuple(users.c[f.name] for f in fields(User))


@dataclass(frozen=True, slots=True)
class Counted:
    """A counter with the number of distinct users behind it."""

    all: int = 0
    users: int = 0


@dataclass(frozen=True, slots=True)
class PlayTotals:
    watchers: int = 0  # distinct users with a play
    plays: int = 0
    scrobbles: Counted = Counted()
    checkins: Counted = Counted()


@dataclass(frozen=True, slots=True)
class ItemStats:
    """The Stats object of movie/stats, show/stats and show/episode/stats."""

    plays: PlayTotals
    collection: Counted
    ratings: dict[int, int]  # 10-point rating → votes, every rating 1-10 present
    watchlists: int
    custom_lists: int
    shouts: int
    reviews: int


@dataclass(frozen=True, slots=True)
class _Target:
    """Where one kind of item's rows live and which column names the item."""

    plays: Table
    plays_key: str
    collection: Table
    collection_key: str
    ratings: Table
    ratings_key: str
    watchlist: Table
    watchlist_key: str
    list_type: str
    list_key: str


_TARGETS: dict[StatsKind, _Target] = {
    "movie": _Target(
        movie_plays, "movie_id", movie_collection, "movie_id", movie_ratings, "movie_id",
        movie_watchlist, "movie_id", "movie", "movie_id",
    ),
    "show": _Target(
        episode_plays, "show_id", episode_collection, "show_id", show_ratings, "show_id",
        show_watchlist, "show_id", "show", "show_id",
    ),
    "episode": _Target(
        episode_plays, "episode_id", episode_collection, "episode_id", episode_ratings, "episode_id",
        episode_watchlist, "episode_id", "episode", "episode_id",
    ),
}  # fmt: skip


def _plays_of(action: str, plays: Table) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    mine = plays.c.action == action
    return (
        func.coalesce(func.sum(case((mine, plays.c["count"]), else_=0)), 0),
        func.count(distinct(case((mine, plays.c.user_id)))),
    )


async def _counters(conn: AsyncConnection, target: _Target, item_id: int) -> tuple[PlayTotals, Counted]:
    """Play and collection counters in one statement (the collection ones as subqueries)."""
    plays, collection = target.plays, target.collection
    scrobbles, scrobblers = _plays_of(ACTION_SCROBBLE, plays)
    checkins, checkers = _plays_of(ACTION_CHECKIN, plays)
    collected = collection.c[target.collection_key] == item_id
    row = (
        await conn.execute(
            select(
                func.count(distinct(plays.c.user_id)),
                func.coalesce(func.sum(plays.c["count"]), 0),
                scrobbles,
                scrobblers,
                checkins,
                checkers,
                select(func.count()).where(collected).scalar_subquery(),
                select(func.count(distinct(collection.c.user_id))).where(collected).scalar_subquery(),
            ).where(plays.c[target.plays_key] == item_id)
        )
    ).one()
    totals = PlayTotals(
        watchers=int(row[0]),
        plays=int(row[1]),
        scrobbles=Counted(int(row[2]), int(row[3])),
        checkins=Counted(int(row[4]), int(row[5])),
    )
    return totals, Counted(int(row[6]), int(row[7]))


async def play_activity(conn: AsyncConnection, kind: StatsKind, item_id: int) -> ItemActivity:
    """The eight counters the summaries embed, without the top lists."""
    target = _TARGETS[kind]
    plays, collection = await _counters(conn, target, item_id)
    return ItemActivity(
        watchers=plays.watchers,
        plays=plays.plays,
        scrobbles=plays.scrobbles.all,
        scrobbles_unique=plays.scrobbles.users,
        checkins=plays.checkins.all,
        checkins_unique=plays.checkins.users,
        collection=collection.all,
        collection_unique=collection.users,
    )


async def top_watchers(
    conn: AsyncConnection, kind: StatsKind, item_id: int, viewer: User | None, limit: int = TOP_WATCHERS
) -> tuple[Watcher, ...]:
    """The users with the most plays of the item, among those whose data ``viewer`` may see."""
    target = _TARGETS[kind]
    plays = target.plays
    per_user = (
        select(plays.c.user_id, func.sum(plays.c["count"]).label("plays"))
        .where(plays.c[target.plays_key] == item_id)
        .group_by(plays.c.user_id)
        .subquery()
    )
    rows = await conn.execute(
        select(*_USER_COLUMNS, per_user.c.plays)
        .select_from(per_user.join(users, users.c.id == per_user.c.user_id))
        .where(visible_to(viewer))
        .order_by(per_user.c.plays.desc(), users.c.id)
        .limit(limit)
    )
    return tuple(Watcher(user=user_from_row(row), plays=int(row.plays)) for row in rows)


async def top_episodes(
    conn: AsyncConnection, show_id: int, limit: int = TOP_EPISODES
) -> tuple[EpisodePlays, ...]:
    """The show's most played episodes, most plays first (earlier episodes first on ties)."""
    per_episode = (
        select(episode_plays.c.episode_id, func.sum(episode_plays.c["count"]).label("plays"))
        .where(episode_plays.c.show_id == show_id)
        .group_by(episode_plays.c.episode_id)
        .subquery()
    )
    rows = await conn.execute(
        select(episodes, per_episode.c.plays.label("episode_plays"))
        .select_from(per_episode.join(episodes, episodes.c.id == per_episode.c.episode_id))
        .order_by(per_episode.c.plays.desc(), episodes.c.season, episodes.c.number)
        .limit(limit)
    )
    return tuple(EpisodePlays(episode=episode_from_row(row), plays=int(row.episode_plays)) for row in rows)


async def public_activity(conn: AsyncConnection, kind: StatsKind, item_id: int) -> ItemActivity:
    """What a summary reports of an item that every viewer sees alike: the counters and, for a
    show, its most played episodes (not the top watchers: those depend on whom the viewer may see)."""
    counters = await play_activity(conn, kind, item_id)
    if kind != "show":
        return counters
    return replace(counters, top_episodes=await top_episodes(conn, item_id))


async def _ratings(conn: AsyncConnection, target: _Target, item_id: int) -> dict[int, int]:
    table = target.ratings
    rows = await conn.execute(
        select(table.c.rating, func.count())
        .where(table.c[target.ratings_key] == item_id)
        .group_by(table.c.rating)
    )
    distribution = dict.fromkeys(range(1, 11), 0)
    distribution.update({int(rating): int(votes) for rating, votes in rows})
    return distribution


async def _count(conn: AsyncConnection, table: Table, *where: ColumnElement[bool]) -> int:
    return int((await conn.execute(select(func.count()).select_from(table).where(*where))).scalar_one())


async def _comments(conn: AsyncConnection, target: _Target, item_id: int) -> tuple[int, int]:
    row = (
        await conn.execute(
            select(
                func.count(case((comments.c.review.is_(False), 1))),
                func.count(case((comments.c.review.is_(True), 1))),
            ).where(comments.c.item_type == target.list_type, comments.c[target.list_key] == item_id)
        )
    ).one()
    return int(row[0]), int(row[1])


async def item_stats(conn: AsyncConnection, kind: StatsKind, item_id: int) -> ItemStats:
    """Every counter of the Stats object; aggregates over all users (no one's data is named)."""
    target = _TARGETS[kind]
    shouts, reviews = await _comments(conn, target, item_id)
    plays, collection = await _counters(conn, target, item_id)
    return ItemStats(
        plays=plays,
        collection=collection,
        ratings=await _ratings(conn, target, item_id),
        watchlists=await _count(conn, target.watchlist, target.watchlist.c[target.watchlist_key] == item_id),
        custom_lists=await _count(
            conn,
            custom_list_items,
            custom_list_items.c.item_type == target.list_type,
            custom_list_items.c[target.list_key] == item_id,
        ),
        shouts=shouts,
        reviews=reviews,
    )
