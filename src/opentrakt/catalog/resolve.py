"""Finding the catalogue item a client means.

Path ``{title}`` segments and write bodies both resolve here, in the order the v1 contract
gives: movies by IMDb id, TMDB id, then slug; shows by TVDB id, IMDb id, then slug.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import Table, select, union_all
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


async def _ids_for_refs(
    conn: AsyncConnection, table: Table, refs: Sequence[str], *, numeric_column: str
) -> dict[str, int]:
    """Several path refs at once, in one statement of up to three indexed lookups instead of
    one query per ref.

    Each ref keeps the single-ref order: its id form (IMDb id, or the numeric id in
    ``numeric_column``) first, then its slug.
    """
    refs = [ref.strip() for ref in refs if ref.strip()]
    if not refs:
        return {}
    number_col = table.c[numeric_column]
    columns = (table.c.id, table.c.imdb_id, number_col.label("number"), table.c.slug)
    imdb = {ref for ref in refs if is_imdb_id(ref)}
    numbers = {int(ref) for ref in refs if is_numeric_id(ref)}
    lookups = [select(*columns).where(table.c.slug.in_({ref.lower() for ref in refs}))]
    # Only non-empty lists: SQLite answers an empty IN with a full scan.
    if imdb:
        lookups.append(select(*columns).where(table.c.imdb_id.in_(imdb)))
    if numbers:
        lookups.append(select(*columns).where(number_col.in_(numbers)))
    rows = await conn.execute(union_all(*lookups) if len(lookups) > 1 else lookups[0])
    by_imdb: dict[str, int] = {}
    by_number: dict[int, int] = {}
    by_slug: dict[str, int] = {}
    for row in rows:
        if row.imdb_id is not None:
            by_imdb[row.imdb_id] = row.id
        if row.number is not None:
            by_number[row.number] = row.id
        by_slug[row.slug] = row.id
    found: dict[str, int] = {}
    for ref in refs:
        item_id = None
        if is_imdb_id(ref):
            item_id = by_imdb.get(ref)
        elif is_numeric_id(ref):
            item_id = by_number.get(int(ref))
        if item_id is None:
            item_id = by_slug.get(ref.lower())
        if item_id is not None:
            found[ref] = item_id
    return found


async def movie_ids_for_refs(conn: AsyncConnection, refs: Sequence[str]) -> dict[str, int]:
    """``movie_id_for_ref`` for many refs (keyed by the stripped ref; unknown refs are absent)."""
    return await _ids_for_refs(conn, movies, refs, numeric_column="tmdb_id")


async def show_ids_for_refs(conn: AsyncConnection, refs: Sequence[str]) -> dict[str, int]:
    """``show_id_for_ref`` for many refs (keyed by the stripped ref; unknown refs are absent)."""
    return await _ids_for_refs(conn, shows, refs, numeric_column="tvdb_id")
