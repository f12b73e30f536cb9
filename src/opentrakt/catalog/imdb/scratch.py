"""Temporary tables the importer joins batches against, and the fast way to fill them.

They are not part of the schema (their own MetaData, so migrations never see them), belong to
the import's connection only and vanish with it, even if an import is interrupted. Being the
importer's private working space, they are filled through the driver's bulk path (COPY on
PostgreSQL, a raw executemany on SQLite) rather than row-by-row parameter processing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Boolean, Column, Float, Integer, MetaData, String, Table
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.sql import is_postgres

_scratch = MetaData()

# Episode lines of title.basics, kept until title.episode says where each episode belongs.
staged = Table(
    "imdb_staged_episodes",
    _scratch,
    Column("tconst", String(16), primary_key=True),
    Column("title", String(500), nullable=False),
    Column("title_key", String(500), nullable=False),
    Column("runtime", Integer),
    Column("adult", Boolean, nullable=False),
    prefixes=["TEMPORARY"],
)

# One batch of title.episode lines (already free of repeated ids and slots).
placing = Table(
    "imdb_placing_episodes",
    _scratch,
    Column("tconst", String(16), primary_key=True),
    Column("parent", String(16), nullable=False),
    Column("season", Integer, nullable=False),
    Column("number", Integer, nullable=False),
    prefixes=["TEMPORARY"],
)

# The whole of title.ratings: read before the titles, so that ratings are written with them.
rated = Table(
    "imdb_rated_titles",
    _scratch,
    Column("tconst", String(16), primary_key=True),
    Column("rating", Float, nullable=False),
    Column("votes", Integer, nullable=False),
    prefixes=["TEMPORARY"],
)

# Tables whose lines may repeat an id across batches: PostgreSQL's COPY can't skip duplicates,
# so their rows are copied into a constraint-free twin and moved on with ON CONFLICT DO NOTHING.
_DEDUPLICATED = (staged, rated)


def _incoming(table: Table) -> str:
    return f"{table.name}_incoming"


async def create(conn: AsyncConnection) -> None:
    await drop(conn)
    await conn.run_sync(lambda sync: _scratch.create_all(sync))
    if is_postgres(conn):
        for table in _DEDUPLICATED:
            await conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {_incoming(table)} (LIKE {table.name})")


async def drop(conn: AsyncConnection) -> None:
    if is_postgres(conn):
        for table in _DEDUPLICATED:
            await conn.exec_driver_sql(f"DROP TABLE IF EXISTS {_incoming(table)}")
    await conn.run_sync(lambda sync: _scratch.drop_all(sync, checkfirst=True))


async def empty(conn: AsyncConnection, table: Table) -> None:
    """Empty a per-batch scratch table.

    On PostgreSQL, TRUNCATE: a DELETE would leave the rows behind as dead tuples that nothing
    vacuums (autovacuum skips temporary tables), so every batch would scan all earlier ones.
    """
    verb = "TRUNCATE" if is_postgres(conn) else "DELETE FROM"
    await conn.exec_driver_sql(f"{verb} {table.name}")


async def load(conn: AsyncConnection, table: Table, rows: Sequence[tuple[Any, ...]]) -> int:
    """Add ``rows`` (values in column order) to a scratch table; returns how many were new.

    Rows whose primary key is already there are dropped, so the difference is the number of
    repeated ids.
    """
    if not rows:
        return 0
    columns = [c.name for c in table.columns]
    if not is_postgres(conn):
        marks = ", ".join("?" * len(columns))
        sql = f"INSERT OR IGNORE INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"
        result = await conn.exec_driver_sql(sql, list(rows))
        return result.rowcount
    driver = (await conn.get_raw_connection()).driver_connection
    assert driver is not None
    if table not in _DEDUPLICATED:
        await driver.copy_records_to_table(table.name, records=rows, columns=columns)
        return len(rows)
    incoming = _incoming(table)
    await driver.copy_records_to_table(incoming, records=rows, columns=columns)
    moved = await conn.exec_driver_sql(
        f"INSERT INTO {table.name} SELECT * FROM {incoming} ON CONFLICT DO NOTHING"
    )
    await conn.exec_driver_sql(f"TRUNCATE {incoming}")
    return moved.rowcount
