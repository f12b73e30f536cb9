"""IMDb genre names → the catalogue's (trakt's) genres, creating the ones trakt never had.

A genre is matched by slug, so IMDb's ``Talk-Show`` lands on trakt's ``Talk Show``. Genres IMDb
has and trakt's recorded lists lack (``Biography``, ``Adult``, ``Short``, …) get a row of their own.
``for_movies`` / ``for_shows`` are switched on when an imported movie or show uses the genre
(never off), so genres/movies and genres/shows list every genre the catalogue's items carry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog.text import slugify
from opentrakt.db.sql import insert_ignore
from opentrakt.db.tables.catalog import genres

# Where IMDb's spelling differs from trakt's; every other IMDb genre keeps its name.
IMDB_TO_TRAKT = {
    "Sci-Fi": "Science Fiction",
    "Film-Noir": "Film Noir",
    "Game-Show": "Game Show",
    "Talk-Show": "Talk Show",
    "Reality-TV": "Reality",
}
# trakt's show genre for what IMDb calls a tvMiniSeries.
MINI_SERIES = "Mini Series"
_MAX_NAME = 50


def trakt_name(imdb_genre: str) -> str:
    return IMDB_TO_TRAKT.get(imdb_genre, imdb_genre.replace("-", " ").strip())


@dataclass
class _Genre:
    id: int
    for_movies: bool
    for_shows: bool


class GenreBook:
    """The genres table in memory (it has a few dozen rows), kept in step with what is written."""

    def __init__(self, by_slug: dict[str, _Genre]) -> None:
        self._by_slug = by_slug
        self._slug_of: dict[str, str | None] = {}  # IMDb name → slug; a few dozen names in all

    @classmethod
    async def load(cls, conn: AsyncConnection) -> GenreBook:
        rows = await conn.execute(select(genres.c.id, genres.c.slug, genres.c.for_movies, genres.c.for_shows))
        return cls({row.slug: _Genre(row.id, row.for_movies, row.for_shows) for row in rows})

    async def prepare(self, conn: AsyncConnection, names: Iterable[str], *, for_shows: bool) -> None:
        """Create the genres ``names`` (IMDb spelling) need and flag them for movies or shows.

        Runs inside the batch's transaction, before ``ids`` is asked about the same names.
        """
        flag = "for_shows" if for_shows else "for_movies"
        for imdb_name in set(names):
            name = trakt_name(imdb_name)
            slug = self._slug_of.setdefault(imdb_name, _slug(name))
            if slug is None:
                continue
            genre = self._by_slug.get(slug)
            if genre is None:
                await conn.execute(
                    insert_ignore(conn, genres).values(
                        slug=slug, name=name, for_movies=not for_shows, for_shows=for_shows
                    )
                )
                found = (await conn.execute(select(genres.c.id).where(genres.c.slug == slug))).scalar_one()
                self._by_slug[slug] = _Genre(found, not for_shows, for_shows)
            elif not getattr(genre, flag):
                await conn.execute(update(genres).where(genres.c.id == genre.id).values({flag: True}))
                setattr(genre, flag, True)

    def ids(self, names: Iterable[str]) -> frozenset[int]:
        """The genre ids for IMDb genre names already passed to ``prepare``."""
        found = (self._by_slug.get(self._slug_of[n] or "") for n in names)
        return frozenset(g.id for g in found if g is not None)


def _slug(name: str) -> str | None:
    if not name or len(name) > _MAX_NAME:
        return None
    return slugify(name)
