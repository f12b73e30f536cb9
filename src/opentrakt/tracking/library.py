"""What a user has: the data behind user/library/* and user/watchlist/*.

Each read is one aggregating statement (two for the episode watchlist at most), ordered in
SQL, whatever the size of the library: a user with 100,000 plays over 2,000 shows costs the
same number of queries as a new user. Rows carry internal ids; the caller loads the catalogue
records in batches.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any, Literal

import orjson
from sqlalchemy import Select, and_, func, select, union
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.sql import json_list
from opentrakt.db.tables.catalog import episodes, movies, shows
from opentrakt.db.tables.tracking import (
    episode_collection,
    episode_plays,
    episode_unseen,
    episode_watchlist,
    movie_collection,
    movie_plays,
    movie_unseen,
    movie_watchlist,
    show_watchlist,
)

MovieSection = Literal["all", "collection", "watched"]
EpisodeSection = Literal["collection", "watched", "unseen"]


@dataclass(frozen=True, slots=True)
class LibraryMovie:
    movie_id: int
    plays: int
    in_collection: bool
    unseen: bool  # explicitly marked unseen


@dataclass(frozen=True, slots=True)
class LibraryShow:
    """A show in user/library/shows/all: its total plays and whether any episode is collected."""

    show_id: int
    plays: int
    in_collection: bool


@dataclass(frozen=True, slots=True)
class SeasonNumbers:
    season: int
    episodes: tuple[int, ...]  # episode numbers, ascending


@dataclass(frozen=True, slots=True)
class ShowEpisodes:
    """A show with the numbers of the episodes in one library section, newest season first."""

    show_id: int
    seasons: tuple[SeasonNumbers, ...]


@dataclass(frozen=True, slots=True)
class WatchlistItem:
    item_id: int  # movie or show id
    inserted: int


@dataclass(frozen=True, slots=True)
class WatchlistEpisode:
    episode_id: int
    season: int
    number: int
    inserted: int


@dataclass(frozen=True, slots=True)
class WatchlistShowEpisodes:
    show_id: int
    episodes: tuple[WatchlistEpisode, ...]  # by season, then number


async def library_movies(conn: AsyncConnection, user_id: int, section: MovieSection) -> list[LibraryMovie]:
    """The movies of one section, by title: ``all`` = watched, collected or marked unseen."""
    played = select(movie_plays.c.movie_id).where(movie_plays.c.user_id == user_id)
    collected = select(movie_collection.c.movie_id).where(movie_collection.c.user_id == user_id)
    marked = select(movie_unseen.c.movie_id).where(movie_unseen.c.user_id == user_id)
    members = {"all": union(played, collected, marked), "collection": collected, "watched": played.distinct()}
    chosen = members[section].subquery("chosen")
    plays = (
        select(movie_plays.c.movie_id, func.sum(movie_plays.c.count).label("plays"))
        .where(movie_plays.c.user_id == user_id)
        .group_by(movie_plays.c.movie_id)
        .subquery("plays")
    )
    query = (
        select(
            movies.c.id,
            func.coalesce(plays.c.plays, 0),
            movie_collection.c.movie_id.is_not(None),
            movie_unseen.c.movie_id.is_not(None),
        )
        .select_from(chosen)
        .join(movies, movies.c.id == chosen.c.movie_id)
        .outerjoin(plays, plays.c.movie_id == movies.c.id)
        .outerjoin(
            movie_collection,
            and_(movie_collection.c.user_id == user_id, movie_collection.c.movie_id == movies.c.id),
        )
        .outerjoin(
            movie_unseen, and_(movie_unseen.c.user_id == user_id, movie_unseen.c.movie_id == movies.c.id)
        )
        .order_by(movies.c.title_key, movies.c.year, movies.c.id)
    )
    return [
        LibraryMovie(movie_id, int(count), bool(in_collection), bool(unseen))
        for movie_id, count, in_collection, unseen in await conn.execute(query)
    ]


async def library_shows(conn: AsyncConnection, user_id: int) -> list[LibraryShow]:
    """Every show with watched or collected episodes, by title, with its total plays."""
    plays = (
        select(episode_plays.c.show_id, func.sum(episode_plays.c.count).label("plays"))
        .where(episode_plays.c.user_id == user_id)
        .group_by(episode_plays.c.show_id)
        .subquery("plays")
    )
    collected = (
        select(episode_collection.c.show_id)
        .where(episode_collection.c.user_id == user_id)
        .distinct()
        .subquery("collected")
    )
    chosen = union(select(plays.c.show_id), select(collected.c.show_id)).subquery("chosen")
    query = (
        select(shows.c.id, func.coalesce(plays.c.plays, 0), collected.c.show_id.is_not(None))
        .select_from(chosen)
        .join(shows, shows.c.id == chosen.c.show_id)
        .outerjoin(plays, plays.c.show_id == shows.c.id)
        .outerjoin(collected, collected.c.show_id == shows.c.id)
        .order_by(shows.c.title_key, shows.c.year, shows.c.id)
    )
    return [
        LibraryShow(show_id, int(count), bool(in_collection))
        for show_id, count, in_collection in await conn.execute(query)
    ]


_EPISODE_SOURCES = {"collection": episode_collection, "watched": episode_plays, "unseen": episode_unseen}


def show_episodes_query(conn: AsyncConnection, user_id: int, section: EpisodeSection) -> Select[Any]:
    """The statement behind ``library_show_episodes``: (show id, season, JSON array of numbers),
    shows by title, seasons newest first."""
    source = _EPISODE_SOURCES[section]
    # IN collapses several plays of one episode. One row per season, its numbers aggregated
    # as a JSON array: a heavy user's 100,000 episodes cross the driver as 10,000 short rows.
    chosen = select(source.c.episode_id).where(source.c.user_id == user_id)
    by_season = (
        select(episodes.c.show_id, episodes.c.season, json_list(conn, episodes.c.number).label("numbers"))
        .where(episodes.c.id.in_(chosen))
        .group_by(episodes.c.show_id, episodes.c.season)
        .subquery("by_season")
    )
    return (
        select(by_season.c.show_id, by_season.c.season, by_season.c.numbers)
        .join(shows, shows.c.id == by_season.c.show_id)
        .order_by(shows.c.title_key, shows.c.year, shows.c.id, by_season.c.season.desc())
    )


async def library_show_episodes(
    conn: AsyncConnection, user_id: int, section: EpisodeSection
) -> list[ShowEpisodes]:
    """Shows by title, each with the episodes of the section: seasons newest first, numbers ascending."""
    rows = (await conn.execute(show_episodes_query(conn, user_id, section))).all()
    return [
        ShowEpisodes(
            show_id,
            tuple(
                # Aggregates promise no order, so the numbers are sorted here (cheap: they come sorted).
                SeasonNumbers(season, tuple(sorted(orjson.loads(numbers))))
                for _, season, numbers in show_rows
            ),
        )
        for show_id, show_rows in groupby(rows, key=itemgetter(0))
    ]


async def watchlist_movies(conn: AsyncConnection, user_id: int) -> list[WatchlistItem]:
    """Watchlisted movies, newest addition first."""
    rows = await conn.execute(
        select(movie_watchlist.c.movie_id, movie_watchlist.c.listed_at)
        .where(movie_watchlist.c.user_id == user_id)
        .order_by(movie_watchlist.c.listed_at.desc(), movie_watchlist.c.movie_id)
    )
    return [WatchlistItem(movie_id, listed_at) for movie_id, listed_at in rows]


async def watchlist_shows(conn: AsyncConnection, user_id: int) -> list[WatchlistItem]:
    """Watchlisted shows, newest addition first."""
    rows = await conn.execute(
        select(show_watchlist.c.show_id, show_watchlist.c.listed_at)
        .where(show_watchlist.c.user_id == user_id)
        .order_by(show_watchlist.c.listed_at.desc(), show_watchlist.c.show_id)
    )
    return [WatchlistItem(show_id, listed_at) for show_id, listed_at in rows]


async def watchlist_episodes(conn: AsyncConnection, user_id: int) -> list[WatchlistShowEpisodes]:
    """Watchlisted episodes grouped by show; the show with the newest addition first."""
    rows = await conn.execute(
        select(
            episode_watchlist.c.show_id,
            episode_watchlist.c.episode_id,
            episodes.c.season,
            episodes.c.number,
            episode_watchlist.c.listed_at,
        )
        .join(episodes, episodes.c.id == episode_watchlist.c.episode_id)
        .where(episode_watchlist.c.user_id == user_id)
        .order_by(episode_watchlist.c.show_id, episodes.c.season, episodes.c.number)
    )
    grouped = [
        WatchlistShowEpisodes(
            show_id,
            tuple(WatchlistEpisode(row.episode_id, row.season, row.number, row.listed_at) for row in items),
        )
        for show_id, items in groupby(rows, key=lambda row: row.show_id)
    ]
    grouped.sort(key=lambda show: (-max(episode.inserted for episode in show.episodes), show.show_id))
    return grouped
