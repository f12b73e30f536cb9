"""Reading catalogue records: by internal id, in batches, with genres and credits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from typing import Any, TypeVar

from sqlalchemy import Column, Select, Table, func, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog.models import Credit, Episode, Genre, Movie, People, Person, Ratings, Season, Show
from opentrakt.db.sql import id_batches, in_ids
from opentrakt.db.tables.catalog import (
    episodes,
    genres,
    movie_credits,
    movie_genres,
    movies,
    people,
    seasons,
    show_credits,
    show_genres,
    shows,
)

_Record = TypeVar("_Record")


def ratings_from_row(row: Row[Any]) -> Ratings:
    return _ratings(row._mapping)


_RATINGS_COLUMNS = (
    "rating_votes",
    "rating_total",
    "rating_loved",
    "rating_hated",
    "imdb_rating",
    "imdb_votes",
)


def _columns_in_field_order(table: Table, record: type) -> tuple[Column[Any], ...]:
    """``table``'s columns in the order of ``record``'s fields before ``ratings``, then the ratings
    aggregate's in ``Ratings``' order.

    A row of them builds the record positionally (``_from_columns``), twice as fast as reading
    each value by column name, which counts when a heavy user's list builds thousands.
    """
    names = [f.name for f in fields(record)]
    return tuple(table.c[name] for name in (*names[: names.index("ratings")], *_RATINGS_COLUMNS))


MOVIE_RECORD_COLUMNS = _columns_in_field_order(movies, Movie)
SHOW_RECORD_COLUMNS = _columns_in_field_order(shows, Show)
EPISODE_RECORD_COLUMNS = _columns_in_field_order(episodes, Episode)
_RATINGS_FROM = -len(_RATINGS_COLUMNS)


def _from_columns(record: Callable[..., _Record], row: Sequence[Any], *rest: Any) -> _Record:
    """A record from a row of its ``*_RECORD_COLUMNS``; ``rest`` are the fields after ``ratings``."""
    return record(*row[:_RATINGS_FROM], Ratings(*row[_RATINGS_FROM:]), *rest)


def _ratings(values: Mapping[str, Any]) -> Ratings:
    return Ratings(*(values[name] for name in _RATINGS_COLUMNS))


def movie_from_row(row: Row[Any], genre_names: tuple[str, ...] = ()) -> Movie:
    return Movie(
        id=row.id,
        slug=row.slug,
        title=row.title,
        year=row.year,
        released=row.released,
        runtime=row.runtime,
        tagline=row.tagline,
        overview=row.overview,
        certification=row.certification,
        trailer=row.trailer,
        imdb_id=row.imdb_id,
        tmdb_id=row.tmdb_id,
        rt_id=row.rt_id,
        poster_url=row.poster_url,
        fanart_url=row.fanart_url,
        source=row.source,
        updated_at=row.updated_at,
        ratings=ratings_from_row(row),
        genres=genre_names,
    )


def show_from_row(row: Row[Any], genre_names: tuple[str, ...] = ()) -> Show:
    # Through the row's mapping: several times faster than its attributes, which counts when a
    # heavy user's list builds 2,000 shows.
    return show_from_values(row._mapping, genre_names)


def show_from_values(values: Mapping[str, Any], genre_names: tuple[str, ...] = ()) -> Show:
    """A show from its column values by name."""
    return Show(
        id=values["id"],
        slug=values["slug"],
        title=values["title"],
        year=values["year"],
        first_aired=values["first_aired"],
        country=values["country"],
        overview=values["overview"],
        runtime=values["runtime"],
        network=values["network"],
        air_day=values["air_day"],
        air_time=values["air_time"],
        air_timezone=values["air_timezone"],
        certification=values["certification"],
        status=values["status"],
        imdb_id=values["imdb_id"],
        tvdb_id=values["tvdb_id"],
        tvrage_id=values["tvrage_id"],
        tmdb_id=values["tmdb_id"],
        poster_url=values["poster_url"],
        fanart_url=values["fanart_url"],
        banner_url=values["banner_url"],
        source=values["source"],
        updated_at=values["updated_at"],
        ratings=_ratings(values),
        genres=genre_names,
    )


def episode_from_row(row: Row[Any]) -> Episode:
    return Episode(
        id=row.id,
        show_id=row.show_id,
        season=row.season,
        number=row.number,
        title=row.title,
        overview=row.overview,
        first_aired=row.first_aired,
        runtime=row.runtime,
        tvdb_id=row.tvdb_id,
        imdb_id=row.imdb_id,
        tmdb_id=row.tmdb_id,
        screen_url=row.screen_url,
        ratings=ratings_from_row(row),
    )


def person_from_row(row: Row[Any]) -> Person:
    return Person(
        id=row.id,
        slug=row.slug,
        name=row.name,
        imdb_id=row.imdb_id,
        tmdb_id=row.tmdb_id,
        biography=row.biography,
        birthday=row.birthday,
        birthplace=row.birthplace,
        headshot_url=row.headshot_url,
    )


async def _genre_names(
    conn: AsyncConnection, link: Any, item_column: str, ids: Sequence[int]
) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = defaultdict(list)
    for batch in id_batches(conn, ids):
        rows = await conn.execute(
            select(link.c[item_column], genres.c.name)
            .join(genres, genres.c.id == link.c.genre_id)
            .where(in_ids(conn, link.c[item_column], batch))
            .order_by(link.c[item_column], genres.c.name)
        )
        for item_id, name in rows:
            found[item_id].append(name)
    return {item_id: tuple(names) for item_id, names in found.items()}


async def movies_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, Movie]:
    """Movies with their genres, keyed by id (missing ids are absent)."""
    ids = list(dict.fromkeys(ids))
    genre_map = await _genre_names(conn, movie_genres, "movie_id", ids)
    found: dict[int, Movie] = {}
    for batch in id_batches(conn, ids):
        for row in await conn.execute(select(*MOVIE_RECORD_COLUMNS).where(in_ids(conn, movies.c.id, batch))):
            found[row[0]] = _from_columns(Movie, row, genre_map.get(row[0], ()))
    return found


async def shows_by_ids(
    conn: AsyncConnection, ids: Sequence[int], *, with_genres: bool = True
) -> dict[int, Show]:
    """Shows with their genres (or none, unless ``with_genres``), keyed by id (missing ids are absent)."""
    ids = list(dict.fromkeys(ids))
    genre_map = await _genre_names(conn, show_genres, "show_id", ids) if with_genres else {}
    found: dict[int, Show] = {}
    for batch in id_batches(conn, ids):
        for row in await conn.execute(select(*SHOW_RECORD_COLUMNS).where(in_ids(conn, shows.c.id, batch))):
            found[row[0]] = _from_columns(Show, row, genre_map.get(row[0], ()))
    return found


async def movie_by_id(conn: AsyncConnection, movie_id: int) -> Movie | None:
    return (await movies_by_ids(conn, [movie_id])).get(movie_id)


async def show_by_id(conn: AsyncConnection, show_id: int) -> Show | None:
    return (await shows_by_ids(conn, [show_id])).get(show_id)


async def episodes_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, Episode]:
    ids = list(dict.fromkeys(ids))
    found: dict[int, Episode] = {}
    for batch in id_batches(conn, ids):
        for row in await conn.execute(
            select(*EPISODE_RECORD_COLUMNS).where(in_ids(conn, episodes.c.id, batch))
        ):
            found[row[0]] = _from_columns(Episode, row)
    return found


async def episode_at(conn: AsyncConnection, show_id: int, season: int, number: int) -> Episode | None:
    row = (
        await conn.execute(
            select(*EPISODE_RECORD_COLUMNS).where(
                episodes.c.show_id == show_id, episodes.c.season == season, episodes.c.number == number
            )
        )
    ).first()
    return _from_columns(Episode, row) if row else None


def _show_episodes_query(show_id: int) -> Select[Any]:
    return (
        select(*EPISODE_RECORD_COLUMNS)
        .where(episodes.c.show_id == show_id)
        .order_by(episodes.c.season, episodes.c.number)
    )


async def season_episodes(conn: AsyncConnection, show_id: int, season: int) -> list[Episode]:
    rows = await conn.execute(_show_episodes_query(show_id).where(episodes.c.season == season))
    return [_from_columns(Episode, row) for row in rows]


async def show_episodes(conn: AsyncConnection, show_id: int) -> list[Episode]:
    """Every episode of a show, by season then number."""
    return [_from_columns(Episode, row) for row in await conn.execute(_show_episodes_query(show_id))]


async def show_seasons(conn: AsyncConnection, show_id: int) -> list[Season]:
    """Seasons newest first with specials (season 0) last, as the original ordered them."""
    counts = (
        select(episodes.c.season, func.count().label("episode_count"))
        .where(episodes.c.show_id == show_id)
        .group_by(episodes.c.season)
        .subquery()
    )
    rows = await conn.execute(
        select(seasons.c.number, seasons.c.poster_url, func.coalesce(counts.c.episode_count, 0).label("n"))
        .select_from(seasons)
        .outerjoin(counts, counts.c.season == seasons.c.number)
        .where(seasons.c.show_id == show_id)
    )
    found = {row.number: Season(show_id, row.number, row.n, row.poster_url) for row in rows}
    # Episodes whose season row is missing still make a season.
    for row in await conn.execute(select(counts.c.season, counts.c.episode_count)):
        found.setdefault(row.season, Season(show_id, row.season, row.episode_count, None))
    return sorted(found.values(), key=lambda s: (s.number == 0, -s.number))


async def _people(conn: AsyncConnection, credits_table: Any, item_column: str, item_id: int) -> People:
    rows = await conn.execute(
        select(credits_table, people)
        .join(people, people.c.id == credits_table.c.person_id)
        .where(credits_table.c[item_column] == item_id)
        .order_by(credits_table.c.position, people.c.name)
    )
    grouped = People()
    buckets = {
        "director": grouped.directors,
        "writer": grouped.writers,
        "producer": grouped.producers,
        "actor": grouped.actors,
    }
    for row in rows:
        credit = Credit(
            person=person_from_row(row),
            role=row.role,
            character=row.character,
            job=row.job,
            executive=bool(row.executive),
        )
        buckets.get(row.role, grouped.actors).append(credit)
    return grouped


async def movie_people(conn: AsyncConnection, movie_id: int) -> People:
    return await _people(conn, movie_credits, "movie_id", movie_id)


async def show_people(conn: AsyncConnection, show_id: int) -> People:
    return await _people(conn, show_credits, "show_id", show_id)


async def list_genres(conn: AsyncConnection, *, for_shows: bool) -> list[Genre]:
    flag = genres.c.for_shows if for_shows else genres.c.for_movies
    rows = await conn.execute(
        select(genres.c.name, genres.c.slug).where(flag).order_by(genres.c.position, genres.c.name)
    )
    return [Genre(name=row.name, slug=row.slug) for row in rows]
