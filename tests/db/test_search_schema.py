"""The hand-written search schema (migration 0004): kept out of autogenerate's way, kept
consistent by its triggers, and actually used by the search queries."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, delete, text, update

from opentrakt.catalog.text import fold
from opentrakt.db import migrate
from opentrakt.db.engine import create_engine
from opentrakt.db.tables.catalog import movies, people
from opentrakt.discovery import search, search_postgres
from opentrakt.discovery.search_targets import EPISODES, MOVIES, PEOPLE, SHOWS, USERS, Target, Tier
from opentrakt.discovery.search_text import parse
from opentrakt.runtime import Runtime
from tests.discovery.rows import add_episode, add_movie, add_person, add_show, writing
from tests.support import make_user

TARGETS = (MOVIES, SHOWS, EPISODES, PEOPLE, USERS)


async def test_autogenerate_leaves_search_tables_alone(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/schema.db", null_pool=True)
    await migrate.upgrade(engine)
    versions = tmp_path / "versions"
    versions.mkdir()

    def generate(conn: Connection) -> None:
        config = migrate.alembic_config(conn)
        config.set_main_option("path_separator", "os")
        config.set_main_option(
            "version_locations", os.pathsep.join((str(migrate.MIGRATIONS_DIR / "versions"), str(versions)))
        )
        command.revision(
            config, message="probe", autogenerate=True, rev_id="probe", version_path=str(versions)
        )

    async with engine.connect() as conn:
        await conn.run_sync(generate)
    await engine.dispose()
    (generated,) = versions.iterdir()
    assert "_fts" not in generated.read_text()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_sqlite_indexes_stay_consistent_through_writes(runtime: Runtime) -> None:
    async with writing(runtime) as conn:
        movie = await add_movie(conn, "Before")
        await add_movie(conn, "Kept")
        show = await add_show(conn, "Show")
        await add_episode(conn, show, 1, 1, None)
        await add_episode(conn, show, 1, 2, "Titled")
        person = await add_person(conn, "Someone")
    await make_user(runtime, "someone")
    async with writing(runtime) as conn:
        await conn.execute(update(movies).where(movies.c.id == movie).values(title_key=fold("After")))
        await conn.execute(update(movies).values(title_key=movies.c.title_key))  # unchanged keys
        await conn.execute(delete(people).where(people.c.id == person))
    async with writing(runtime) as conn:
        for target in TARGETS:
            await conn.exec_driver_sql(f"INSERT INTO {target.fts}({target.fts}) VALUES ('integrity-check')")
    async with runtime.engine.connect() as conn:
        assert await search.search_movies(conn, "after", 30) == [movie]
        assert await search.search_movies(conn, "before", 30) == []
        assert await search.search_people(conn, "someone", 30) == []


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.table.name)
@pytest.mark.parametrize(
    ("tier", "index"),
    [(Tier.EXACT, "search_joined"), (Tier.STARTS_WITH, "search_joined"), (Tier.ALL_WORDS, "search_vector")],
)
async def test_postgres_queries_use_the_indexes(
    runtime: Runtime, target: Target, tier: Tier, index: str
) -> None:
    """The query expressions must match the index expressions exactly, or every search scans."""
    text_query = parse("uncle buck")
    assert text_query is not None
    statement = search._ranked(search_postgres.candidates(target, tier, text_query, 100), 30)
    sql = str(statement.compile(runtime.engine, compile_kwargs={"literal_binds": True}))
    async with runtime.engine.connect() as conn:
        await conn.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(row[0] for row in await conn.execute(text(f"EXPLAIN {sql}")))
    assert f"ix_{target.table.name}_{index}" in plan, plan
