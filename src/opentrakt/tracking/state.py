"""The caller's own relation to catalogue items: the source of v1's per-user fields.

One UNION ALL statement per id batch reads plays, collection, watchlist and rating together,
so a page of items costs one query whatever its length.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import Integer, String, and_, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts.models import User
from opentrakt.db.sql import id_batches, in_ids
from opentrakt.db.tables.catalog import episodes
from opentrakt.db.tables.ratings import episode_ratings, movie_ratings, show_ratings
from opentrakt.db.tables.tracking import (
    episode_collection,
    episode_plays,
    episode_watchlist,
    movie_collection,
    movie_plays,
    movie_watchlist,
    show_watchlist,
)
from opentrakt.errors import Invalid
from opentrakt.tracking.models import NO_STATE, ItemUserState

ItemKind = Literal["movie", "show", "episode"]

_PLAYS, _COLLECTED, _LISTED, _RATED = "p", "c", "w", "r"


def _part(tag: str, item: Any, value: Any) -> Any:
    return (item.label("item_id"), literal(tag, String).label("tag"), value.label("value"))


def _movie_reads(conn: AsyncConnection, user_id: int, batch: list[int]) -> list[Any]:
    return [
        select(*_part(_PLAYS, movie_plays.c.movie_id, func.sum(movie_plays.c.count)))
        .where(movie_plays.c.user_id == user_id, in_ids(conn, movie_plays.c.movie_id, batch))
        .group_by(movie_plays.c.movie_id),
        select(*_part(_COLLECTED, movie_collection.c.movie_id, literal(1, Integer))).where(
            movie_collection.c.user_id == user_id, in_ids(conn, movie_collection.c.movie_id, batch)
        ),
        select(*_part(_LISTED, movie_watchlist.c.movie_id, literal(1, Integer))).where(
            movie_watchlist.c.user_id == user_id, in_ids(conn, movie_watchlist.c.movie_id, batch)
        ),
        select(*_part(_RATED, movie_ratings.c.movie_id, movie_ratings.c.rating)).where(
            movie_ratings.c.user_id == user_id, in_ids(conn, movie_ratings.c.movie_id, batch)
        ),
    ]


def _show_reads(conn: AsyncConnection, user_id: int, batch: list[int]) -> list[Any]:
    # A show's plays are its episodes' plays; it is "collected" when any episode is.
    return [
        select(*_part(_PLAYS, episode_plays.c.show_id, func.sum(episode_plays.c.count)))
        .where(episode_plays.c.user_id == user_id, in_ids(conn, episode_plays.c.show_id, batch))
        .group_by(episode_plays.c.show_id),
        select(*_part(_COLLECTED, episode_collection.c.show_id, literal(1, Integer)))
        .where(episode_collection.c.user_id == user_id, in_ids(conn, episode_collection.c.show_id, batch))
        .distinct(),
        select(*_part(_LISTED, show_watchlist.c.show_id, literal(1, Integer))).where(
            show_watchlist.c.user_id == user_id, in_ids(conn, show_watchlist.c.show_id, batch)
        ),
        select(*_part(_RATED, show_ratings.c.show_id, show_ratings.c.rating)).where(
            show_ratings.c.user_id == user_id, in_ids(conn, show_ratings.c.show_id, batch)
        ),
    ]


def _episode_reads(conn: AsyncConnection, user_id: int, batch: list[int]) -> list[Any]:
    # Plays are indexed by (user, show, episode): reach them through each episode's show.
    plays = episodes.join(
        episode_plays,
        and_(
            episode_plays.c.user_id == user_id,
            episode_plays.c.show_id == episodes.c.show_id,
            episode_plays.c.episode_id == episodes.c.id,
        ),
    )
    return [
        select(*_part(_PLAYS, episodes.c.id, func.sum(episode_plays.c.count)))
        .select_from(plays)
        .where(in_ids(conn, episodes.c.id, batch))
        .group_by(episodes.c.id),
        select(*_part(_COLLECTED, episode_collection.c.episode_id, literal(1, Integer))).where(
            episode_collection.c.user_id == user_id, in_ids(conn, episode_collection.c.episode_id, batch)
        ),
        select(*_part(_LISTED, episode_watchlist.c.episode_id, literal(1, Integer))).where(
            episode_watchlist.c.user_id == user_id, in_ids(conn, episode_watchlist.c.episode_id, batch)
        ),
        select(*_part(_RATED, episode_ratings.c.episode_id, episode_ratings.c.rating)).where(
            episode_ratings.c.user_id == user_id, in_ids(conn, episode_ratings.c.episode_id, batch)
        ),
    ]


_READS = {"movie": _movie_reads, "show": _show_reads, "episode": _episode_reads}


async def item_states(
    conn: AsyncConnection, user: User, kind: ItemKind, ids: Sequence[int]
) -> dict[int, ItemUserState]:
    """Each of ``ids`` → ``user``'s state for it (``NO_STATE`` when the user has none)."""
    reads = _READS.get(kind)
    if reads is None:
        raise Invalid(f"unknown item kind {kind!r}")
    found: dict[int, dict[str, int]] = {}
    for batch in id_batches(conn, ids, lists=4):
        rows = await conn.execute(union_all(*reads(conn, user.id, batch)))
        for item_id, tag, value in rows:
            found.setdefault(item_id, {})[tag] = int(value)
    states = dict.fromkeys(ids, NO_STATE)
    for item_id, values in found.items():
        states[item_id] = ItemUserState(
            plays=values.get(_PLAYS, 0),
            in_collection=_COLLECTED in values,
            in_watchlist=_LISTED in values,
            rating=values.get(_RATED, 0),
        )
    return states
