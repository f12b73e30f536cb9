"""Apply (and, for developers, generate) Alembic migrations from code; no alembic.ini needed."""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from opentrakt.db.engine import create_engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Arbitrary constant: serialises concurrent `serve` start-ups on one PostgreSQL database.
_PG_MIGRATION_LOCK = 7_311_020_114


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def upgrade(engine: AsyncEngine) -> None:
    """Bring the database to the newest schema; safe when several servers start at once."""
    async with engine.connect() as conn:
        await conn.run_sync(_upgrade_sync)
        await conn.commit()


def _upgrade_sync(connection: Connection) -> None:
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        connection.exec_driver_sql(f"SELECT pg_advisory_lock({_PG_MIGRATION_LOCK})")
    try:
        command.upgrade(alembic_config(connection), "head")
    finally:
        if postgres:
            connection.exec_driver_sql(f"SELECT pg_advisory_unlock({_PG_MIGRATION_LOCK})")


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())


async def autogenerate_revision(message: str, rev_id: str) -> None:
    """Write a new migration holding the difference between the tables and the migrated schema."""
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite+aiosqlite:///{scratch}/schema.db", null_pool=True)
        await upgrade(engine)
        async with engine.connect() as conn:
            await conn.run_sync(
                lambda c: command.revision(
                    alembic_config(c), message=message, autogenerate=True, rev_id=rev_id
                )
            )
        await engine.dispose()
