"""Finding the catalogue item a client means.

Path ``{title}`` segments and write bodies both resolve here, in the order the v1 contract
gives: movies by IMDb id, TMDB id, then slug; shows by TVDB id, IMDb id, then slug.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.tables.catalog import movies, shows

_IMDB_ID = re.compile(r"^tt\d{1,10}$")
_NUMERIC = re.compile(r"^\d{1,10}$")


def is_imdb_id(text: str) -> bool:
    return bool(_IMDB_ID.match(text))


def is_numeric_id(text: str) -> bool:
    return bool(_NUMERIC.match(text)) and int(text) < 2**31


async def movie_id_for_ref(conn: AsyncConnection, ref: str) -> int | None:
    """The movie a path segment names: a slug, an IMDb id (``tt…``) or a TMDB id."""
    ref = ref.strip()
    if is_imdb_id(ref):
        found = (await conn.execute(select(movies.c.id).where(movies.c.imdb_id == ref))).scalar()
        if found is not None:
            return found
    elif is_numeric_id(ref):
        found = (await conn.execute(select(movies.c.id).where(movies.c.tmdb_id == int(ref)))).scalar()
        if found is not None:
            return found
    return (await conn.execute(select(movies.c.id).where(movies.c.slug == ref.lower()))).scalar()


async def show_id_for_ref(conn: AsyncConnection, ref: str) -> int | None:
    """The show a path segment names: a slug, a TVDB id or an IMDb id."""
    ref = ref.strip()
    if is_numeric_id(ref):
        found = (await conn.execute(select(shows.c.id).where(shows.c.tvdb_id == int(ref)))).scalar()
        if found is not None:
            return found
    elif is_imdb_id(ref):
        found = (await conn.execute(select(shows.c.id).where(shows.c.imdb_id == ref))).scalar()
        if found is not None:
            return found
    return (await conn.execute(select(shows.c.id).where(shows.c.slug == ref.lower()))).scalar()
