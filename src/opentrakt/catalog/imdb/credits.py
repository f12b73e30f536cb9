"""Credits from ``title.principals`` and ``title.crew`` for the movies and shows in the catalogue.

``title.principals`` is the richer source (characters, jobs, billing order) and may update a
stored credit; ``title.crew`` runs after it and only adds the directors and writers principals
left out, so it never overwrites a principals credit with its plainer one. Credits are added and
updated, never deleted: one that a newer dump drops stays until the operator clears it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog.imdb.report import FileReport
from opentrakt.catalog.imdb.rows import Credit
from opentrakt.db.sql import execute_many, insert_ignore, select_in, upsert
from opentrakt.db.tables.catalog import movie_credits, movies, people, show_credits, shows

SKIP_NO_TITLE = "title not a movie or show in the catalogue"
SKIP_NO_PERSON = "person not in the catalogue"
SKIP_DUPLICATE = "the same person and role twice for a title"
_FIELDS = ("character", "job", "executive", "position")


@dataclass(frozen=True)
class _Target:
    table: Table
    item_column: str


_MOVIE = _Target(movie_credits, "movie_id")
_SHOW = _Target(show_credits, "show_id")


async def _ids(conn: AsyncConnection, table: Table, imdb_ids: Iterable[str]) -> dict[str, int]:
    query = select(table.c.imdb_id, table.c.id)
    return {imdb_id: id_ for imdb_id, id_ in await select_in(conn, query, table.c.imdb_id, imdb_ids)}


async def _stored(
    conn: AsyncConnection, target: _Target, item_ids: Iterable[int]
) -> dict[tuple[Any, ...], Any]:
    table, column = target.table, target.table.c[target.item_column]
    query = select(column.label("item_id"), table.c.person_id, table.c.role, *(table.c[f] for f in _FIELDS))
    return {
        (target, row.item_id, row.person_id, row.role): row
        for row in await select_in(conn, query, column, item_ids)
    }


async def write_credits(
    conn: AsyncConnection, batch: list[Credit], report: FileReport, *, update_stored: bool
) -> None:
    """Add the batch's credits; with ``update_stored``, also bring changed stored ones up to date."""
    movie_ids = await _ids(conn, movies, {c.title_imdb_id for c in batch})
    show_ids = await _ids(conn, shows, {c.title_imdb_id for c in batch} - movie_ids.keys())
    person_ids = await _ids(conn, people, {c.person_imdb_id for c in batch})
    stored = await _stored(conn, _MOVIE, movie_ids.values()) | await _stored(conn, _SHOW, show_ids.values())

    writes: dict[_Target, list[dict[str, Any]]] = {_MOVIE: [], _SHOW: []}
    seen: set[tuple[Any, ...]] = set()
    for credit in batch:
        target, item_id = (
            (_MOVIE, movie_ids[credit.title_imdb_id])
            if credit.title_imdb_id in movie_ids
            else (_SHOW, show_ids.get(credit.title_imdb_id))
        )
        person_id = person_ids.get(credit.person_imdb_id)
        key = (target, item_id, person_id, credit.role)
        if item_id is None:
            report.skip(SKIP_NO_TITLE)
            continue
        if person_id is None:
            report.skip(SKIP_NO_PERSON)
            continue
        if key in seen:
            report.skip(SKIP_DUPLICATE)
            continue
        seen.add(key)
        fields = {
            "character": credit.character,
            "job": credit.job,
            "executive": credit.executive,
            "position": credit.position,
        }
        old = stored.get(key)
        if old is not None and (not update_stored or all(getattr(old, k) == v for k, v in fields.items())):
            report.unchanged += 1
            continue
        if old is None:
            report.added += 1
        else:
            report.updated += 1
        writes[target].append(
            {target.item_column: item_id, "person_id": person_id, "role": credit.role, **fields}
        )

    for target, rows in writes.items():
        keys = [target.item_column, "person_id", "role"]
        statement = (
            upsert(conn, target.table, keys, _FIELDS) if update_stored else insert_ignore(conn, target.table)
        )
        await execute_many(conn, statement, rows)
