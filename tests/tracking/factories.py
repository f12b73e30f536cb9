"""Small catalogue and account builders for the tracking tests: real rows, no mocks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog.text import fold, movie_slug, slugify
from opentrakt.db.tables.catalog import episodes, movies, shows
from tests.conftest import START

DAY = 86_400


def _stamps() -> dict[str, Any]:
    return {"created_at": START, "updated_at": START}


async def add_movie(conn: AsyncConnection, title: str, year: int = 2000) -> int:
    result = await conn.execute(
        insert(movies).values(
            slug=movie_slug(title, year), title=title, year=year, title_key=fold(title), **_stamps()
        )
    )
    return int(result.inserted_primary_key[0])


async def add_show(conn: AsyncConnection, title: str, year: int = 2000) -> int:
    result = await conn.execute(
        insert(shows).values(slug=slugify(title), title=title, year=year, title_key=fold(title), **_stamps())
    )
    return int(result.inserted_primary_key[0])


async def add_episodes(
    conn: AsyncConnection, show_id: int, rows: Iterable[tuple[int, int, int | None]]
) -> dict[tuple[int, int], int]:
    """Insert (season, number, first_aired) rows; returns (season, number) → episode id."""
    values = [
        {"show_id": show_id, "season": season, "number": number, "first_aired": aired, **_stamps()}
        for season, number, aired in rows
    ]
    if values:
        await conn.execute(insert(episodes), values)
    found = await conn.execute(
        select(episodes.c.season, episodes.c.number, episodes.c.id).where(episodes.c.show_id == show_id)
    )
    return {(season, number): episode_id for season, number, episode_id in found}


def aired_season(
    season: int, count: int, first: int = START - 400 * DAY
) -> list[tuple[int, int, int | None]]:
    """``count`` weekly episodes of ``season``, all aired before the frozen clock's start."""
    return [(season, number, first + (number - 1) * 7 * DAY) for number in range(1, count + 1)]
