"""Completing client-made catalogue rows from what later writes send.

A row the auto-catalogue created holds only what its first client knew. When a later write
names the same item with a field the row still lacks (a runtime, a TMDB id), the field is
filled in; fields already set are never changed, and imported rows are never touched, since
an operator's dataset outranks whatever a media center believes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.db.sql import select_in
from opentrakt.db.tables.catalog import SOURCE_CLIENT

# Unique values (column name, value) already handed to some row in the current batch.
Claims = set[tuple[str, Any]]


async def free_values(
    conn: AsyncConnection, table: Table, name: str, values: Iterable[Any], claims: Claims
) -> set[Any]:
    """Those of ``values`` for unique column ``name`` that no stored row and no claim holds."""
    wanted = {value for value in values if value is not None and (name, value) not in claims}
    column = table.c[name]
    taken = {row[0] for row in await select_in(conn, select(column), column, wanted)}
    return wanted - taken


async def fill_client_rows(
    conn: AsyncConnection,
    table: Table,
    offers: Iterable[tuple[Row[Any], Mapping[str, Any]]],
    *,
    unique: Collection[str],
    claims: Claims,
    now: int,
) -> None:
    """Set each offered value on its client-sourced row where that column is still NULL.

    ``offers`` pairs a matched row (holding at least ``id``, ``source`` and the offered columns)
    with the values a client sent for it. Values of ``unique`` columns go to one row at most and
    only when no other row holds them; the ones given out are added to ``claims``.
    """
    mine = [(row, offer) for row, offer in offers if row.source == SOURCE_CLIENT]
    free: dict[str, set[Any]] = {}
    for name in unique:
        values = (offer.get(name) for row, offer in mine if row._mapping[name] is None)
        free[name] = await free_values(conn, table, name, values, claims)
    wanted: dict[int, dict[str, Any]] = {}
    for row, offer in mine:
        fills = wanted.setdefault(row.id, {})
        for name, value in offer.items():
            if value is None or row._mapping[name] is not None or name in fills:
                continue
            if name in free:
                if value not in free[name]:
                    continue
                free[name].discard(value)  # the first row offered it gets it
                claims.add((name, value))
            fills[name] = value
    wanted = {row_id: fills for row_id, fills in wanted.items() if fills}
    if not wanted:
        return
    names = sorted({name for fills in wanted.values() for name in fills})
    # Rows in id order, so two requests filling the same rows cannot deadlock on PostgreSQL.
    params = [
        {"row_id": row_id, "now": now, **{f"v_{n}": fills.get(n) for n in names}}
        for row_id, fills in sorted(wanted.items())
    ]
    statement = (
        update(table)
        .where(table.c.id == bindparam("row_id"), table.c.source == SOURCE_CLIENT)
        # COALESCE keeps a value another request stored since this one read the row.
        .values(
            {
                **{n: func.coalesce(table.c[n], bindparam(f"v_{n}", type_=table.c[n].type)) for n in names},
                "updated_at": bindparam("now"),
            }
        )
    )
    if not any(n in unique for n in names):
        await conn.execute(statement, params)
        return
    try:
        async with conn.begin_nested():
            await conn.execute(statement, params)
    except IntegrityError:
        # A concurrent request stored one of these ids on another row after we looked; the
        # ids are a bonus, so keep the plain fields and let a later write offer them again.
        plain = [n for n in names if n not in unique]
        rest = [p | {f"v_{n}": None for n in unique if n in names} for p in params]
        rest = [p for p in rest if any(p[f"v_{n}"] is not None for n in plain)]
        if rest:
            await conn.execute(statement, rest)
