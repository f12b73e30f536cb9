"""The statements recommendations are built from: everyone's likes, one user's seeds and
exclusions, and the catalogue filters a client may send.

A *like* is a play of an item or a rating of it in the loved range: the implicit and explicit
signs that someone valued it. For shows, a play of any episode is a play of the show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, Table, exists, func, select, union
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.tables.catalog import genres, movie_genres, movies, show_genres, shows
from opentrakt.db.tables.discovery import movie_dismissals, show_dismissals
from opentrakt.db.tables.ratings import movie_ratings, show_ratings
from opentrakt.db.tables.tracking import (
    episode_collection,
    episode_plays,
    movie_collection,
    movie_plays,
    movie_watchlist,
    show_watchlist,
)
from opentrakt.ratings.models import LOVED_FROM

TasteKind = Literal["movie", "show"]

# How much one seed counts for the user: loved ratings most, plays without a rating a little,
# hated ratings against (rating → weight: 10 → 7, 6 → 3, 5 → -1, 1 → -5).
PLAYED_WEIGHT = 2.0


def seed_weight(rating: int | None) -> float:
    if rating is None:
        return PLAYED_WEIGHT
    return float(rating - 3 if rating >= LOVED_FROM else rating - 6)


@dataclass(frozen=True, slots=True)
class Filters:
    """The optional narrowing recommendations accept: a genre slug and a year range."""

    genre: str | None = None
    start_year: int | None = None
    end_year: int | None = None


@dataclass(frozen=True, slots=True)
class KindTables:
    items: Table
    key: str
    plays: Table
    ratings: Table
    collection: Table
    watchlist: Table
    dismissals: Table
    genre_link: Table
    for_kind: str  # the genres column saying a genre applies to this kind


KINDS: dict[TasteKind, KindTables] = {
    "movie": KindTables(
        movies, "movie_id", movie_plays, movie_ratings, movie_collection, movie_watchlist,
        movie_dismissals, movie_genres, "for_movies",
    ),
    "show": KindTables(
        shows, "show_id", episode_plays, show_ratings, episode_collection, show_watchlist,
        show_dismissals, show_genres, "for_shows",
    ),
}  # fmt: skip


def likes(t: KindTables) -> Any:
    """Everyone's (user_id, item) likes, each pair once."""
    return union(
        select(t.plays.c.user_id, t.plays.c[t.key].label("item")),
        select(t.ratings.c.user_id, t.ratings.c[t.key].label("item")).where(t.ratings.c.rating >= LOVED_FROM),
    ).subquery()


def _seed_selects(t: KindTables, user_id: int) -> list[Any]:
    return [
        select(t.plays.c[t.key]).where(t.plays.c.user_id == user_id),
        select(t.ratings.c[t.key]).where(t.ratings.c.user_id == user_id),
    ]


def seed_items(t: KindTables, user_id: int) -> Any:
    """The items a user played or rated (either way)."""
    return union(*_seed_selects(t, user_id))


def taste_items(t: KindTables, user_id: int) -> Any:
    """The items a user showed interest in: played, loved, collected or watchlisted."""
    return union(
        select(t.plays.c[t.key]).where(t.plays.c.user_id == user_id),
        select(t.ratings.c[t.key]).where(t.ratings.c.user_id == user_id, t.ratings.c.rating >= LOVED_FROM),
        select(t.collection.c[t.key]).where(t.collection.c.user_id == user_id),
        select(t.watchlist.c[t.key]).where(t.watchlist.c.user_id == user_id),
    )


def excluded_items(t: KindTables, user_id: int) -> Any:
    """What never to recommend: anything the user played, rated, collected, listed or dismissed."""
    # One flat UNION: SQLite rejects a compound select nested inside another.
    return union(
        *_seed_selects(t, user_id),
        select(t.collection.c[t.key]).where(t.collection.c.user_id == user_id),
        select(t.watchlist.c[t.key]).where(t.watchlist.c.user_id == user_id),
        select(t.dismissals.c[t.key]).where(t.dismissals.c.user_id == user_id),
    )


def candidate_conditions(
    t: KindTables, item: ColumnElement[int], user_id: int, filters: Filters
) -> list[ColumnElement[bool]]:
    """Conditions on a candidate item column: not excluded, and inside the client's filters."""
    conditions = [item.not_in(excluded_items(t, user_id))]
    # Correlated on the candidate's id, so each check is a primary-key lookup.
    if filters.genre is not None:
        link = t.genre_link
        conditions.append(
            exists()
            .where(link.c[t.key] == item, genres.c.id == link.c.genre_id)
            .where(genres.c.slug == filters.genre, genres.c[t.for_kind].is_(True))
        )
    years: list[ColumnElement[bool]] = []
    if filters.start_year is not None:
        years.append(t.items.c.year >= filters.start_year)
    if filters.end_year is not None:
        years.append(t.items.c.year <= filters.end_year)
    if years:
        conditions.append(exists().where(t.items.c.id == item, *years))
    return conditions


async def user_seeds(conn: AsyncConnection, t: KindTables, user_id: int) -> dict[int, float]:
    """Each item the user played or rated → how much it speaks for their taste."""
    rated = {
        int(item): int(rating)
        for item, rating in await conn.execute(
            select(t.ratings.c[t.key], t.ratings.c.rating).where(t.ratings.c.user_id == user_id)
        )
    }
    played = await conn.execute(select(t.plays.c[t.key]).where(t.plays.c.user_id == user_id).distinct())
    weights = {int(item): seed_weight(None) for (item,) in played}
    weights.update((item, seed_weight(rating)) for item, rating in rated.items())
    return weights


async def seed_times(conn: AsyncConnection, t: KindTables, user_id: int) -> dict[int, int]:
    """Each item the user played or rated → when they last did either."""
    latest: dict[int, int] = {}
    queries = (
        select(t.plays.c[t.key], func.max(t.plays.c.watched_at))
        .where(t.plays.c.user_id == user_id)
        .group_by(t.plays.c[t.key]),
        select(t.ratings.c[t.key], t.ratings.c.rated_at).where(t.ratings.c.user_id == user_id),
    )
    for query in queries:
        for item, at in await conn.execute(query):
            latest[int(item)] = max(int(at), latest.get(int(item), 0))
    return latest
