"""Statement building blocks that behave the same on SQLite and PostgreSQL.

Batches of ids go to the database in as few statements as each backend allows: PostgreSQL
takes a whole batch as one array parameter, SQLite gets IN-lists of at most ``SQLITE_IN_BATCH``
bound parameters each.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Integer, Table, Text, any_, bindparam, cast, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

# Old SQLite builds cap a statement at 999 bound parameters; leave room for the others.
SQLITE_IN_BATCH = 900


def is_postgres(conn: AsyncConnection) -> bool:
    return conn.dialect.name == "postgresql"


def id_batches(conn: AsyncConnection, ids: Sequence[int], *, lists: int = 1) -> Iterator[list[int]]:
    """``ids`` without duplicates, split into the batches one statement can take.

    ``lists`` is how many times the statement binds the batch (e.g. a UNION of several reads).
    """
    unique = list(dict.fromkeys(ids))
    if not unique:
        return
    size = len(unique) if is_postgres(conn) else SQLITE_IN_BATCH // lists
    for start in range(0, len(unique), size):
        yield unique[start : start + size]


def in_ids(conn: AsyncConnection, column: ColumnElement[Any], batch: list[int]) -> ColumnElement[bool]:
    """``column IN batch``, as one array parameter on PostgreSQL (one prepared plan for any size)."""
    if is_postgres(conn):
        return column == any_(bindparam(None, batch, type_=postgresql.ARRAY(Integer)))
    return column.in_(batch)


def insert(conn: AsyncConnection, table: Table) -> Any:
    """The backend's INSERT, which knows ``ON CONFLICT``."""
    return (postgresql if is_postgres(conn) else sqlite).insert(table)


def insert_ignore(conn: AsyncConnection, table: Table) -> Any:
    """INSERT … ON CONFLICT DO NOTHING: concurrent adds of the same row never fail."""
    return insert(conn, table).on_conflict_do_nothing()


def greatest(conn: AsyncConnection, left: Any, right: Any) -> ColumnElement[Any]:
    """The larger of two values (SQLite's two-argument ``max`` is a scalar function)."""
    return func.greatest(left, right) if is_postgres(conn) else func.max(left, right)


def json_list(conn: AsyncConnection, value: ColumnElement[Any]) -> ColumnElement[str]:
    """Aggregate: the group's values as the text of a JSON array (NULLs included), in no set order.

    One row per group instead of one per value: at a heavy user's scale, decoding rows in the
    driver is what costs, and ``orjson.loads`` reads the array far faster.
    """
    if is_postgres(conn):
        # As text, so that the driver hands it over without decoding it with the json module.
        return cast(func.json_agg(value), Text)
    return func.json_group_array(value, type_=Text)
