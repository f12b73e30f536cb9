"""Engine creation with the per-backend settings the server relies on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from opentrakt.config import is_sqlite

# Execution option asking SQLite for a write lock at BEGIN, so that a transaction which
# reads and then writes cannot fail half-way with "database is locked".
WRITE_TRANSACTION = {"opentrakt_write": True}


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
    return create_async_engine(url, **kwargs)


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
