"""One migrated PostgreSQL database per test process, wiped between tests instead of re-created.

Creating a database from a template and dropping it again costs ~300 ms a test (mostly file
system work and fsyncs); deleting the few rows a test wrote costs a few milliseconds. The wipe
is computed once from the freshly migrated database, so it puts back exactly what the
migrations left there (the seeded genres, the sequences' positions) and never touches
Alembic's version table.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import asyncpg
from sqlalchemy.engine import make_url


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def asyncpg_dsn(url: str) -> str:
    """The libpq-style URL asyncpg takes, from a SQLAlchemy ``postgresql+asyncpg://`` URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def database_name(worker: str) -> str:
    # Unique across concurrent test runs on one server, and says which worker owns it.
    return f"opentrakt_test_{worker}_{uuid.uuid4().hex[:8]}"


# Leftover sessions (an engine a test did not dispose, a killed live server's pool) would keep
# locks, advisory locks included, and could block the wipe; ending them also frees their slots.
_END_OTHER_SESSIONS = (
    "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
)


async def _deletion_order(conn: asyncpg.Connection) -> list[str]:
    """Every table but Alembic's, each after the tables whose foreign keys point at it."""
    tables = [
        row["tablename"]
        for row in await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename <> 'alembic_version' ORDER BY tablename"
        )
    ]
    referencing: dict[str, set[str]] = {table: set() for table in tables}
    for row in await conn.fetch(
        "SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent "
        "FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace"
    ):
        if row["child"] != row["parent"] and row["parent"] in referencing:
            referencing[row["parent"]].add(row["child"])
    order: list[str] = []
    visited: set[str] = set()

    def visit(table: str) -> None:
        if table in visited:
            return
        visited.add(table)
        for child in sorted(referencing[table]):
            visit(child)
        order.append(table)

    for table in tables:
        visit(table)
    return order


async def _reseed(conn: asyncpg.Connection, table: str) -> str | None:
    """An INSERT putting back the rows the migrations left in ``table``, or None if it is empty."""
    columns = [
        row["attname"]
        for row in await conn.fetch(
            "SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 "
            "AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
            _quote(table),
        )
    ]
    listed = ", ".join(_quote(column) for column in columns)
    rows = await conn.fetchval(f"SELECT json_agg(t)::text FROM (SELECT {listed} FROM {_quote(table)}) AS t")
    if rows is None:
        return None
    return (
        f"INSERT INTO {_quote(table)} ({listed}) OVERRIDING SYSTEM VALUE "
        f"SELECT {listed} FROM json_populate_recordset(NULL::{_quote(table)}, {_literal(rows)})"
    )


async def _sequence_positions(conn: asyncpg.Connection) -> list[str]:
    statements = []
    for row in await conn.fetch(
        "SELECT schemaname, sequencename, start_value, last_value FROM pg_sequences "
        "WHERE schemaname = current_schema() ORDER BY sequencename"
    ):
        sequence = _literal(f"{_quote(row['schemaname'])}.{_quote(row['sequencename'])}")
        if row["last_value"] is None:  # never used: the next value is the start value
            statements.append(f"SELECT setval({sequence}, {row['start_value']}, false)")
        else:
            statements.append(f"SELECT setval({sequence}, {row['last_value']}, true)")
    return statements


async def capture_wipe(url: str) -> str:
    """The SQL that returns the freshly migrated database at ``url`` to its current state."""
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        order = await _deletion_order(conn)
        reseeds = [statement for table in order if (statement := await _reseed(conn, table))]
        sequences = await _sequence_positions(conn)
    finally:
        await conn.close()
    # Tables empty at the start are the common case and DELETE on them is nearly free, which
    # is why this beats TRUNCATE (new files for every table and index) by a wide margin.
    statements = [
        "SET LOCAL synchronous_commit = off",
        *(f"DELETE FROM {_quote(table)}" for table in order),
        *reversed(reseeds),  # parents first
        *sequences,
    ]
    return ";\n".join(statements) + ";"


async def wipe(url: str, script: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.execute(_END_OTHER_SESSIONS)
        async with conn.transaction():
            await conn.execute(script)
    finally:
        await conn.close()


async def admin_sql(admin_url: str, statement: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(admin_url))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@dataclass(frozen=True)
class PostgresDatabase:
    """A worker's database: its SQLAlchemy URL and the SQL that wipes it."""

    url: str
    wipe_script: str

    async def wipe(self) -> None:
        await wipe(self.url, self.wipe_script)
