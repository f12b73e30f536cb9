"""``title.ratings``: IMDb's average rating and vote count onto movies, shows and episodes.

The file is read first, into a scratch table: the titles and episodes written afterwards take
their rating from it in the same write, so a fresh import writes each row once (on PostgreSQL an
UPDATE rewrites the whole row and every index entry, which would double the cost of rated titles).
Then ``apply`` updates, in key-ordered chunks, the stored titles whose numbers still differ:
titles this run did not write, or all of them when ``title.basics`` is not in the run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, func, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog.imdb import scratch
from opentrakt.catalog.imdb.report import FileReport
from opentrakt.catalog.imdb.rows import Rating
from opentrakt.catalog.imdb.scratch import rated
from opentrakt.db.sql import select_in
from opentrakt.db.tables.catalog import episodes, movies, shows

SKIP_NOT_STORED = "title not in the catalogue"
SKIP_DUPLICATE = "the same id twice in the file"
_TABLES = (movies, shows, episodes)


async def load(conn: AsyncConnection, batch: list[Rating], report: FileReport) -> None:
    """Keep a batch of ``title.ratings`` lines for the titles and ``apply``."""
    rows = [(r.imdb_id, r.rating, r.votes) for r in batch]
    repeated = len(rows) - await scratch.load(conn, rated, rows)
    if repeated:
        report.skip(SKIP_DUPLICATE, repeated)


async def lookup(conn: AsyncConnection, imdb_ids: list[str]) -> dict[str, tuple[float, int]]:
    query = select(rated.c.tconst, rated.c.rating, rated.c.votes)
    return {
        row.tconst: (row.rating, row.votes) for row in await select_in(conn, query, rated.c.tconst, imdb_ids)
    }


async def count_unchanged(conn: AsyncConnection) -> int:
    """How many loaded ratings the catalogue already holds exactly (asked before anything is written)."""
    return await _count(
        conn, lambda t: and_(t.c.imdb_rating == rated.c.rating, t.c.imdb_votes == rated.c.votes)
    )


async def apply(conn: AsyncConnection, now: int, chunk: int, report: FileReport, unchanged: int) -> None:
    """Bring every stored title's rating in line with the loaded file; one transaction per chunk."""
    low: str | None = None
    while True:
        async with conn.begin():
            high = await _chunk_end(conn, low, chunk)
            for table in _TABLES:
                await conn.execute(_update(table, low, high, now))
        if high is None:
            break
        low = high
    async with conn.begin():
        matched = await _count(conn, lambda _t: true())
        loaded = (await conn.execute(select(func.count()).select_from(rated))).scalar_one()
    report.unchanged += unchanged
    report.updated += matched - unchanged
    if loaded > matched:
        report.skip(SKIP_NOT_STORED, loaded - matched)


async def _chunk_end(conn: AsyncConnection, low: str | None, chunk: int) -> str | None:
    """The key ending the chunk that starts after ``low``; None when the rest fits in one chunk."""
    query = select(rated.c.tconst).order_by(rated.c.tconst).offset(chunk - 1).limit(1)
    if low is not None:
        query = query.where(rated.c.tconst > low)
    return (await conn.execute(query)).scalar()


def _update(table: Table, low: str | None, high: str | None, now: int) -> Any:
    part = select(rated)
    # The key range is stated for both sides, so that each chunk reads only its own slice of the
    # table's imdb_id index instead of the whole table.
    in_range: list[ColumnElement[bool]] = []
    if low is not None:
        part = part.where(rated.c.tconst > low)
        in_range.append(table.c.imdb_id > low)
    if high is not None:
        part = part.where(rated.c.tconst <= high)
        in_range.append(table.c.imdb_id <= high)
    source = part.subquery("r")
    return (
        update(table)
        .where(
            *in_range,
            table.c.imdb_id == source.c.tconst,
            or_(
                table.c.imdb_rating.is_distinct_from(source.c.rating),
                table.c.imdb_votes.is_distinct_from(source.c.votes),
            ),
        )
        .values(imdb_rating=source.c.rating, imdb_votes=source.c.votes, updated_at=now)
    )


async def _count(conn: AsyncConnection, condition: Callable[[Table], ColumnElement[bool]]) -> int:
    """Loaded ratings whose title is stored (and meets ``condition``) in one of the tables.

    One join per table rather than OR-ed EXISTS, which PostgreSQL can only run row by row;
    IMDb ids are unique across the three tables, so the counts add up.
    """
    total = 0
    for table in _TABLES:
        joined = rated.join(table, table.c.imdb_id == rated.c.tconst)
        query = select(func.count()).select_from(joined).where(condition(table))
        total += (await conn.execute(query)).scalar_one()
    return total
