"""Statement building blocks that behave the same on SQLite and PostgreSQL.

Two ways to restrict a statement to a set of values: ``in_ids`` over ``id_batches`` (PostgreSQL
takes a whole batch as one array parameter, SQLite gets IN-lists of at most ``SQLITE_IN_BATCH``
bound parameters each), for the request path's small sets; and ``values_in``/``select_in``,
which send any number of values as one parameter (a JSON array on SQLite), for the importer's
and the catalogue matching's large batches, whose statement text then never varies with the
batch size.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Integer, String, Table, Text, any_, bindparam, cast, func, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Select

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


def json_row(conn: AsyncConnection, *values: ColumnElement[Any]) -> ColumnElement[Any]:
    """The values as one JSON array, to aggregate with ``json_list``."""
    return func.json_build_array(*values) if is_postgres(conn) else func.json_array(*values)


def upsert(conn: AsyncConnection, table: Table, keys: Sequence[str], update: Iterable[str]) -> Any:
    """INSERT … ON CONFLICT (keys) DO UPDATE SET each of ``update`` to the inserted value."""
    statement = insert(conn, table)
    return statement.on_conflict_do_update(
        index_elements=list(keys), set_={name: statement.excluded[name] for name in update}
    )


def values_in(conn: AsyncConnection, column: ColumnElement[Any], values: list[Any]) -> ColumnElement[bool]:
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
    return list((await conn.execute(query.where(values_in(conn, column, unique)))).all())


async def join_by_index(conn: AsyncConnection) -> None:
    """Make this transaction's joins probe indexes row by row from the (small) batch side.

    A batch joins a few thousand scratch rows with tables of millions. PostgreSQL's planner
    would often hash the big table instead, reading all of it for every batch, which makes an
    import quadratic. SQLite only ever joins this way, so it needs nothing.
    """
    if is_postgres(conn):
        await conn.exec_driver_sql("SET LOCAL enable_hashjoin = off")
        await conn.exec_driver_sql("SET LOCAL enable_mergejoin = off")


async def insert_rows(
    conn: AsyncConnection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    ignore_conflicts: bool = False,
) -> None:
    """INSERT ``rows`` (each one's values in ``columns``' order) with one statement and one
    parameter whatever their number: a JSON array of rows on SQLite, an array per column on
    PostgreSQL (``unnest``). A driver's executemany binds every value of every row from Python,
    which took about half of a 10,000-row insert's time. Values must be JSON-able: numbers, strings, None.
    """
    if not rows:
        return
    source: Select[Any]
    if is_postgres(conn):
        source = select(
            *(
                func.unnest(
                    bindparam(None, [row[i] for row in rows], type_=postgresql.ARRAY(table.c[name].type))
                )
                for i, name in enumerate(columns)
            )
        )
    else:
        listed = func.json_each(bindparam(None, orjson.dumps(rows).decode(), type_=String)).table_valued(
            "value"
        )
        source = select(*(func.json_extract(listed.c.value, f"$[{i}]") for i in range(len(columns))))
        if ignore_conflicts:
            source = source.where(true())  # SQLite parses INSERT … SELECT … ON CONFLICT only after a WHERE
    statement = (insert_ignore if ignore_conflicts else insert)(conn, table).from_select(
        list(columns), source
    )
    await conn.execute(statement)


async def execute_many(conn: AsyncConnection, statement: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        await conn.execute(statement, rows)
