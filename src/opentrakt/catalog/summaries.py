"""Combined catalogue reads behind item summaries: an item with its credits, a show with its
seasons and episodes. Each read takes a fixed number of queries, however large the show."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Table, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog import queries
from opentrakt.catalog.models import Episode, Movie, People, Season, Show
from opentrakt.db.tables.catalog import movies, seasons, shows

Item = TypeVar("Item", Movie, Show)


@dataclass(frozen=True, slots=True)
class MovieDetail:
    movie: Movie
    people: People


@dataclass(frozen=True, slots=True)
class SeasonEpisodes:
    season: Season
    episodes: list[Episode]


@dataclass(frozen=True, slots=True)
class ShowDetail:
    show: Show
    people: People
    seasons: list[SeasonEpisodes]  # newest first, specials last; empty unless asked for


@dataclass(frozen=True, slots=True)
class Updated(Generic[Item]):
    """One page of items changed since a moment, oldest change first."""

    items: list[Item]
    until: int | None  # where the next page starts when this one was cut at the limit


async def movie_detail(conn: AsyncConnection, movie_id: int) -> MovieDetail | None:
    movie = await queries.movie_by_id(conn, movie_id)
    if movie is None:
        return None
    return MovieDetail(movie, await queries.movie_people(conn, movie_id))


async def show_detail(conn: AsyncConnection, show_id: int, *, with_episodes: bool) -> ShowDetail | None:
    """The show and its cast; with every season and episode when ``with_episodes``."""
    show = await queries.show_by_id(conn, show_id)
    if show is None:
        return None
    people = await queries.show_people(conn, show_id)
    if not with_episodes:
        return ShowDetail(show, people, [])
    return ShowDetail(show, people, await seasons_with_episodes(conn, show_id))


async def seasons_with_episodes(conn: AsyncConnection, show_id: int) -> list[SeasonEpisodes]:
    """Every season with its episodes, from two queries: the season rows and all episodes."""
    posters = {
        row.number: row.poster_url
        for row in await conn.execute(
            select(seasons.c.number, seasons.c.poster_url).where(seasons.c.show_id == show_id)
        )
    }
    by_season: dict[int, list[Episode]] = defaultdict(list)
    for episode in await queries.show_episodes(conn, show_id):
        by_season[episode.season].append(episode)
    # A season row without episodes is still a season; episodes without a row make one.
    numbers = sorted(set(posters) | set(by_season), key=lambda n: (n == 0, -n))
    return [
        SeasonEpisodes(
            Season(show_id, number, len(by_season[number]), posters.get(number)),
            by_season[number],
        )
        for number in numbers
    ]


async def episode_detail(
    conn: AsyncConnection, show_id: int, season: int, number: int
) -> tuple[Show, Episode] | None:
    """The show and one of its episodes; None when either is unknown."""
    episode = await queries.episode_at(conn, show_id, season, number)
    if episode is None:
        return None
    show = await queries.show_by_id(conn, show_id)
    return (show, episode) if show is not None else None


async def movies_updated_since(conn: AsyncConnection, since: int, limit: int) -> Updated[Movie]:
    """Movies whose data changed at or after ``since`` (without genres, which the listing omits)."""
    rows, until = await _updated_rows(conn, movies, since, limit)
    return Updated([queries.movie_from_row(row) for row in rows], until)


async def shows_updated_since(conn: AsyncConnection, since: int, limit: int) -> Updated[Show]:
    """Shows whose data changed at or after ``since`` (without genres, which the listing omits)."""
    rows, until = await _updated_rows(conn, shows, since, limit)
    return Updated([queries.show_from_row(row) for row in rows], until)


async def _updated_rows(
    conn: AsyncConnection, table: Table, since: int, limit: int
) -> tuple[Sequence[Row[Any]], int | None]:
    """Up to ``limit`` rows by change time (one range scan of the ``updated_at`` index), and
    the resume point when more remain.

    A cut page ends before the second it would split, so asking again from ``until`` (the
    bound is inclusive) misses nothing. Only a single second holding more than ``limit``
    changes has to be cut inside; the next page then starts after that second.
    """
    rows = (
        await conn.execute(
            select(table)
            .where(table.c.updated_at >= since)
            .order_by(table.c.updated_at, table.c.id)
            .limit(limit + 1)
        )
    ).all()
    if len(rows) <= limit:
        return rows, None
    boundary = rows[limit].updated_at
    whole = [row for row in rows[:limit] if row.updated_at < boundary]
    if whole:
        return whole, boundary
    return rows[:limit], boundary + 1
