"""Nothing one test does to its database reaches the next: rows, seeded rows, sequences,
sessions left open and the locks they hold.

The two tests run in this order in one process (one xdist group), so on PostgreSQL the second
gets the very database the first dirtied, wiped in between.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest
from sqlalchemy import delete, func, insert, select, update

from opentrakt.db.tables import metadata
from opentrakt.db.tables.catalog import genres
from opentrakt.runtime import Runtime
from tests.catalog_fixtures import add_movie
from tests.postgres_databases import asyncpg_dsn
from tests.support import make_user

pytestmark = pytest.mark.xdist_group("database-isolation")

LOCK = 424_242
# What the first test saw and left behind, per backend, for the second to compare.
dirtied: dict[str, dict[str, Any]] = {}


def backend(runtime: Runtime) -> str:
    return runtime.engine.dialect.name


async def genre_rows(runtime: Runtime) -> list[tuple[Any, ...]]:
    async with runtime.engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(select(genres).order_by(genres.c.id))]


async def test_first_dirties_its_database(runtime: Runtime, database_url: str) -> None:
    seeded = await genre_rows(runtime)
    assert seeded
    await make_user(runtime, "alice")
    await make_user(runtime, "bob")
    async with runtime.engine.begin() as conn:
        await add_movie(conn, "Left Behind", 2014)
        await conn.execute(delete(genres).where(genres.c.id == seeded[0][0]))
        await conn.execute(update(genres).where(genres.c.id == seeded[1][0]).values(name="Renamed"))
        await conn.execute(
            insert(genres).values(slug="extra", name="Extra", for_movies=True, for_shows=False, position=99)
        )
    left_open = None
    if backend(runtime) == "postgresql":
        # A session the test never closes, holding an advisory lock and a row lock the wipe needs.
        left_open = await asyncpg.connect(asyncpg_dsn(database_url))
        await left_open.execute(f"SELECT pg_advisory_lock({LOCK})")
        await left_open.execute("BEGIN")
        await left_open.execute("SELECT * FROM users FOR UPDATE")
    dirtied[backend(runtime)] = {"url": database_url, "genres": seeded, "left_open": left_open}


async def test_second_starts_from_the_migrated_state(runtime: Runtime, database_url: str) -> None:
    before = dirtied.pop(backend(runtime), None)
    if before is not None and backend(runtime) == "postgresql":
        assert database_url == before["url"]  # the same database, reused
    async with runtime.engine.connect() as conn:
        counts = {
            table.name: await conn.scalar(select(func.count()).select_from(table))
            for table in metadata.sorted_tables
        }
    assert {name: count for name, count in counts.items() if count and name != genres.name} == {}
    assert counts[genres.name]
    if before is not None:
        assert await genre_rows(runtime) == before["genres"]
    # Sequences start over: the first user is 1 again, the next genre follows the seeded ones.
    assert (await make_user(runtime, "carol")).user_id == 1
    async with runtime.engine.begin() as conn:
        last_seeded = await conn.scalar(select(func.max(genres.c.id)))
        added = await conn.scalar(
            insert(genres)
            .values(slug="another", name="Another", for_movies=True, for_shows=True, position=100)
            .returning(genres.c.id)
        )
    assert added == last_seeded + 1
    if backend(runtime) != "postgresql":
        return
    if before is not None:
        before["left_open"].terminate()
    async with runtime.engine.connect() as conn:
        others = await conn.exec_driver_sql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        assert others.scalar() == 0
        assert (await conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({LOCK})")).scalar() is True
        await conn.exec_driver_sql(f"SELECT pg_advisory_unlock({LOCK})")
