"""Engine creation with the per-backend settings the server relies on."""

from __future__ import annotations

import asyncio
import os
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from opentrakt.config import is_sqlite
from opentrakt.db.sql import is_postgres

try:
    import fcntl
except ImportError:  # not on Windows: there writers only queue within a process
    fcntl = None  # type: ignore[assignment]

# Execution option asking SQLite for a write lock at BEGIN, so that a transaction which
# reads and then writes cannot fail half-way with "database is locked".
WRITE_TRANSACTION = {"opentrakt_write": True}
PREPARED_STATEMENTS_PER_CONNECTION = 500


def create_engine(url: str, *, pool_size: int = 10, null_pool: bool = False) -> AsyncEngine:
    """An async engine for ``url`` (already normalised to an async driver)."""
    # Statement parameters carry API keys; keep them out of error messages and so out of logs.
    kwargs: dict[str, Any] = {"hide_parameters": True}
    if null_pool:
        kwargs["poolclass"] = NullPool
    if is_sqlite(url):
        _ensure_sqlite_dir(url)
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)
        _configure_sqlite(engine)
        return engine
    if not null_pool:
        kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=False)
    # Each connection keeps its prepared statements in an LRU cache; a miss costs an extra round
    # trip to prepare. The v1 API runs some 150 distinct statements in everyday traffic (more with
    # IN lists of varying length), so asyncpg's default of 100 kept evicting hot ones.
    kwargs["connect_args"] = {"prepared_statement_cache_size": PREPARED_STATEMENTS_PER_CONNECTION}
    engine = create_async_engine(url, **kwargs)
    _configure_postgres(engine)
    return engine


def _configure_postgres(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # JIT compilation pays off only for long analytical queries. The API's are short, and a
        # heavy user's progress, estimated at hundreds of thousands of rows, took 100+ ms longer
        # with it. A SET rather than a start-up parameter, which connection poolers may refuse;
        # sent on the driver's own connection, outside a transaction whose rollback would undo it.
        dbapi_connection.run_async(lambda connection: connection.execute("SET jit = off"))


def _ensure_sqlite_dir(url: str) -> None:
    path = url.split(":///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take BEGIN into our own hands (see _on_begin); pysqlite's implicit one can't lock early.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("opentrakt_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


async def write_connection(conn: AsyncConnection) -> AsyncConnection:
    """Mark a not-yet-begun connection as a writer (a no-op outside SQLite)."""
    return await conn.execution_options(**WRITE_TRANSACTION)


async def read_connection(conn: AsyncConnection) -> AsyncConnection:
    """Prepare a not-yet-begun connection for a request that only reads.

    On PostgreSQL it runs in autocommit: at READ COMMITTED every statement takes its own snapshot
    whether or not a transaction is open, so BEGIN and COMMIT would only add two round trips.
    SQLite keeps its transaction, which there gives the reads one snapshot and costs no round trip.
    """
    if is_postgres(conn):
        return await conn.execution_options(isolation_level="AUTOCOMMIT")
    return conn


# One queue of writers per SQLite engine (that is, per server process), and the open lock file
# through which the processes sharing the database take turns.
_sqlite_writer_turns: weakref.WeakKeyDictionary[Engine, asyncio.Lock] = weakref.WeakKeyDictionary()
_sqlite_writer_files: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()


@asynccontextmanager
async def writer_turn(engine: AsyncEngine, writes: bool) -> AsyncIterator[None]:
    """Hold this process's turn to write to a SQLite database (a no-op for reads and elsewhere).

    SQLite has one write lock. Writers left to fight for it each hold a connection and poll in
    SQLite's busy handler, which sleeps between tries, is unfair and gives up after
    ``busy_timeout``: a burst of concurrent writes on a loaded machine then fails with "database
    is locked", or waits seconds, even though every write is quick. Writers here take turns
    before connecting: first come, first served within a process, then across the processes
    serving the same file through an exclusive ``flock`` on a lock file beside it, which wakes the
    next waiter as soon as it is released.
    """
    if not writes or engine.dialect.name != "sqlite":
        yield
        return
    turn = _sqlite_writer_turns.setdefault(engine.sync_engine, asyncio.Lock())
    async with turn:
        lock_file = _writer_lock_file(engine)
        if lock_file is None:
            yield
            return
        acquiring = asyncio.ensure_future(asyncio.to_thread(fcntl.flock, lock_file, fcntl.LOCK_EX))
        try:
            await asyncio.shield(acquiring)
        except asyncio.CancelledError:
            # The thread still takes the lock: give it back as soon as it has.
            acquiring.add_done_callback(lambda _: fcntl.flock(lock_file, fcntl.LOCK_UN))
            raise
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _writer_lock_file(engine: AsyncEngine) -> int | None:
    """The engine's open lock file (None for an in-memory database or without ``fcntl``)."""
    found = _sqlite_writer_files.get(engine.sync_engine)
    if found is not None:
        return found
    database = engine.url.database
    if fcntl is None or not database or database == ":memory:" or database.startswith("file:"):
        return None
    descriptor = os.open(f"{database}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
    weakref.finalize(engine.sync_engine, os.close, descriptor)
    _sqlite_writer_files[engine.sync_engine] = descriptor
    return descriptor
