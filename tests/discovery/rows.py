"""Catalogue rows for the search tests, inserted straight into the tables.

Slugs get a running number so that tests can insert the same title many times.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog.text import fold, slugify
from opentrakt.db.engine import write_connection
from opentrakt.db.tables.catalog import (
    SOURCE_IMDB,
    episodes,
    genres,
    movie_genres,
    movies,
    people,
    seasons,
    show_genres,
    shows,
)
from opentrakt.runtime import Runtime

UPDATED_AT = 1_690_000_000
_serial = itertools.count(1)


@asynccontextmanager
async def writing(runtime: Runtime) -> AsyncIterator[AsyncConnection]:
    """A connection in a write transaction, committed on exit."""
    async with runtime.engine.connect() as conn:
        conn = await write_connection(conn)
        async with conn.begin():
            yield conn


def _slug(text: str) -> str:
    return f"{slugify(text)}-{next(_serial)}"


async def _insert(conn: AsyncConnection, table: Table, values: dict[str, Any]) -> int:
    return (await conn.execute(insert(table).values(values).returning(table.c.id))).scalar_one()


async def _link_genres(
    conn: AsyncConnection, link: Table, column: str, item_id: int, names: Sequence[str]
) -> None:
    if names:
        ids = (await conn.execute(select(genres.c.id).where(genres.c.name.in_(names)))).scalars().all()
        assert len(ids) == len(names), f"unknown genre among {names}"
        await conn.execute(insert(link), [{column: item_id, "genre_id": genre_id} for genre_id in ids])


async def add_movie(
    conn: AsyncConnection,
    title: str,
    *,
    votes: int | None = None,
    genre_names: Sequence[str] = (),
    **columns: Any,
) -> int:
    values = {
        "slug": _slug(title),
        "title": title,
        "title_key": fold(title),
        "imdb_votes": votes,
        "source": SOURCE_IMDB,
        "created_at": UPDATED_AT,
        "updated_at": UPDATED_AT,
        **columns,
    }
    movie_id = await _insert(conn, movies, values)
    await _link_genres(conn, movie_genres, "movie_id", movie_id, genre_names)
    return movie_id


async def add_show(
    conn: AsyncConnection,
    title: str,
    *,
    votes: int | None = None,
    genre_names: Sequence[str] = (),
    **columns: Any,
) -> int:
    values = {
        "slug": _slug(title),
        "title": title,
        "title_key": fold(title),
        "imdb_votes": votes,
        "source": SOURCE_IMDB,
        "created_at": UPDATED_AT,
        "updated_at": UPDATED_AT,
        **columns,
    }
    show_id = await _insert(conn, shows, values)
    await _link_genres(conn, show_genres, "show_id", show_id, genre_names)
    return show_id


async def add_season(conn: AsyncConnection, show_id: int, number: int) -> None:
    await conn.execute(insert(seasons).values(show_id=show_id, number=number))


async def add_episode(
    conn: AsyncConnection,
    show_id: int,
    season: int,
    number: int,
    title: str | None,
    *,
    votes: int | None = None,
    **columns: Any,
) -> int:
    values = {
        "show_id": show_id,
        "season": season,
        "number": number,
        "title": title,
        "title_key": fold(title) if title is not None else None,
        "imdb_votes": votes,
        "source": SOURCE_IMDB,
        "created_at": UPDATED_AT,
        "updated_at": UPDATED_AT,
        **columns,
    }
    return await _insert(conn, episodes, values)


async def add_person(conn: AsyncConnection, name: str, **columns: Any) -> int:
    values = {
        "slug": _slug(name),
        "name": name,
        "name_key": fold(name),
        "source": SOURCE_IMDB,
        "updated_at": UPDATED_AT,
        **columns,
    }
    return await _insert(conn, people, values)
