"""Set-like personal tables (collection, watchlist, unseen marks, "has plays"): batched reads and writes.

Each helper reads which submitted ids are already there in one statement per id batch, or,
when ``show_id`` is given, the user's whole set for that show in one statement whatever the
batch size (served by the ``(user_id, show_id)`` indexes), then writes only what changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table, delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.sql import id_batches, in_ids, insert_rows
from opentrakt.tracking.batches import changed_ids, first_changes


async def present_ids(
    conn: AsyncConnection,
    table: Table,
    key: str,
    user_id: int,
    ids: Sequence[int],
    *,
    show_id: int | None = None,
) -> set[int]:
    """The ids among ``ids`` (or, with ``show_id``, among the show's) that the user has in ``table``."""
    column = table.c[key]
    query = select(column).where(table.c.user_id == user_id).distinct()
    if show_id is not None:
        return set((await conn.scalars(query.where(table.c.show_id == show_id))).all())
    found: set[int] = set()
    for batch in id_batches(conn, ids):
        found.update((await conn.scalars(query.where(in_ids(conn, column, batch)))).all())
    return found


async def delete_ids(
    conn: AsyncConnection,
    table: Table,
    key: str,
    user_id: int,
    ids: Sequence[int],
    *,
    show_id: int | None = None,
) -> None:
    for batch in id_batches(conn, ids):
        statement = delete(table).where(table.c.user_id == user_id, in_ids(conn, table.c[key], batch))
        if show_id is not None:
            statement = statement.where(table.c.show_id == show_id)
        await conn.execute(statement)


async def insert_ids(
    conn: AsyncConnection,
    table: Table,
    key: str,
    time_column: str,
    user_id: int,
    ids: Sequence[int],
    now: int,
    *,
    show_id: int | None = None,
) -> None:
    if show_id is None:
        rows = [(user_id, item_id, now) for item_id in ids]
        await insert_rows(conn, table, ("user_id", key, time_column), rows, ignore_conflicts=True)
    else:
        rows = [(user_id, item_id, now, show_id) for item_id in ids]
        await insert_rows(conn, table, ("user_id", key, time_column, "show_id"), rows, ignore_conflicts=True)


async def add_ids(
    conn: AsyncConnection,
    table: Table,
    key: str,
    time_column: str,
    user_id: int,
    ids: Sequence[int],
    now: int,
    *,
    show_id: int | None = None,
) -> tuple[bool, ...]:
    """Add the missing ids; per position, whether it was added."""
    present = await present_ids(conn, table, key, user_id, ids, show_id=show_id)
    flags = first_changes(ids, set(ids) - present)
    await insert_ids(conn, table, key, time_column, user_id, changed_ids(ids, flags), now, show_id=show_id)
    return flags


async def remove_ids(
    conn: AsyncConnection,
    table: Table,
    key: str,
    user_id: int,
    ids: Sequence[int],
    *,
    show_id: int | None = None,
) -> tuple[bool, ...]:
    """Remove the ids that are there; per position, whether it was removed."""
    present = await present_ids(conn, table, key, user_id, ids, show_id=show_id)
    flags = first_changes(ids, present)
    await delete_ids(conn, table, key, user_id, changed_ids(ids, flags), show_id=show_id)
    return flags
