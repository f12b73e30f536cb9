"""Batch-sized SQL building blocks that work the same on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, String, Table, any_, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Select


def is_postgres(conn: AsyncConnection) -> bool:
    return conn.dialect.name == "postgresql"


def insert(conn: AsyncConnection, table: Table) -> Any:
    """The dialect's INSERT, which has ``on_conflict_do_update`` / ``on_conflict_do_nothing``."""
    return (postgresql if is_postgres(conn) else sqlite).insert(table)


def upsert(conn: AsyncConnection, table: Table, keys: Sequence[str], update: Iterable[str]) -> Any:
    """INSERT … ON CONFLICT (keys) DO UPDATE SET each of ``update`` to the inserted value."""
    statement = insert(conn, table)
    return statement.on_conflict_do_update(
        index_elements=list(keys), set_={name: statement.excluded[name] for name in update}
    )


def insert_ignore(conn: AsyncConnection, table: Table) -> Any:
    return insert(conn, table).on_conflict_do_nothing()


def _in(conn: AsyncConnection, column: ColumnElement[Any], values: list[Any]) -> ColumnElement[bool]:
    """``column IN values`` with the values as one parameter, whatever their number.

    One statement text for every batch size: no per-batch rendering of thousands of
    placeholders, one prepared statement, and no limit on bound parameters.
    """
    if is_postgres(conn):
        return column == any_(bindparam(None, values, type_=postgresql.ARRAY(column.type)))
    listed = func.json_each(bindparam(None, json.dumps(values), type_=String)).table_valued("value")
    return column.in_(select(listed.c.value))


async def select_in(
    conn: AsyncConnection, query: Select[Any], column: ColumnElement[Any], values: Iterable[Any]
) -> list[Row[Any]]:
    """``query`` restricted to ``column IN values``; no query at all when there are no values."""
    unique = list(dict.fromkeys(values))
    if not unique:
        return []
    return list((await conn.execute(query.where(_in(conn, column, unique)))).all())


async def join_by_index(conn: AsyncConnection) -> None:
    """Make this transaction's joins probe indexes row by row from the (small) batch side.

    A batch joins a few thousand scratch rows with tables of millions. PostgreSQL's planner
    would often hash the big table instead, reading all of it for every batch, which makes an
    import quadratic. SQLite only ever joins this way, so it needs nothing.
    """
    if is_postgres(conn):
        await conn.exec_driver_sql("SET LOCAL enable_hashjoin = off")
        await conn.exec_driver_sql("SET LOCAL enable_mergejoin = off")


async def execute_many(conn: AsyncConnection, statement: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        await conn.execute(statement, rows)
