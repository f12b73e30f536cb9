"""Related movies and shows: the items most similar to one item, by what they share.

Similarity is a weighted sum of three signals, each one aggregate query joined into one:
genres in common, people in common (cast and crew, each person once), and co-watching (people
who played both). Co-watching weighs most, as it is what people actually pair; genres least,
as a genre is shared by many. Ties go to the older catalogue entry so the order is stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Table, distinct, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.tables.catalog import movie_credits, movie_genres, show_credits, show_genres
from opentrakt.db.tables.tracking import episode_plays, movie_plays

RelatedKind = Literal["movie", "show"]

RELATED_LIMIT = 10
GENRE_WEIGHT = 1
PERSON_WEIGHT = 2
COWATCH_WEIGHT = 3


@dataclass(frozen=True, slots=True)
class _Tables:
    genres: Table
    credits: Table
    plays: Table
    key: str


_TABLES: dict[RelatedKind, _Tables] = {
    "movie": _Tables(movie_genres, movie_credits, movie_plays, "movie_id"),
    "show": _Tables(show_genres, show_credits, episode_plays, "show_id"),
}


@dataclass(frozen=True, slots=True)
class RelatedItem:
    item_id: int
    score: int


def _shared(table: Table, key: str, link: str, item_id: int, weight: int) -> Any:
    """(candidate, weight × distinct shared ``link`` values) over one link table."""
    mine = select(table.c[link]).where(table.c[key] == item_id)
    return (
        select(table.c[key].label("item_id"), (func.count(distinct(table.c[link])) * weight).label("score"))
        .where(table.c[link].in_(mine), table.c[key] != item_id)
        .group_by(table.c[key])
    )


def _cowatched(plays: Table, key: str, item_id: int) -> Any:
    """(candidate, weight × people who played both)."""
    watchers = select(plays.c.user_id).where(plays.c[key] == item_id)
    return (
        select(
            plays.c[key].label("item_id"),
            (func.count(distinct(plays.c.user_id)) * COWATCH_WEIGHT).label("score"),
        )
        .where(plays.c.user_id.in_(watchers), plays.c[key] != item_id)
        .group_by(plays.c[key])
    )


async def related(
    conn: AsyncConnection,
    kind: RelatedKind,
    item_id: int,
    *,
    hide_watched_by: int | None = None,
    limit: int = RELATED_LIMIT,
) -> list[RelatedItem]:
    """The ``limit`` items most similar to ``item_id``, most similar first; ``hide_watched_by``
    leaves out the items that user has a play of."""
    tables = _TABLES[kind]
    key = tables.key
    signals = union_all(
        _shared(tables.genres, key, "genre_id", item_id, GENRE_WEIGHT),
        _shared(tables.credits, key, "person_id", item_id, PERSON_WEIGHT),
        _cowatched(tables.plays, key, item_id),
    ).subquery()
    score = func.sum(signals.c.score)
    query = select(signals.c.item_id, score).group_by(signals.c.item_id)
    if hide_watched_by is not None:
        plays = tables.plays
        watched = select(plays.c[key]).where(plays.c.user_id == hide_watched_by)
        query = query.where(signals.c.item_id.not_in(watched))
    rows = await conn.execute(query.order_by(score.desc(), signals.c.item_id).limit(limit))
    return [RelatedItem(item_id=int(i), score=int(s)) for i, s in rows]
