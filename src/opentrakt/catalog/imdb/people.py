"""``name.basics``: people, upserted by IMDb id (``nm…``) with unique slugs for the new ones."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog.imdb.report import FileReport
from opentrakt.catalog.imdb.rows import Person
from opentrakt.catalog.imdb.slugs import allocate
from opentrakt.catalog.text import fold, person_slug
from opentrakt.db.sql import execute_many, select_in, upsert
from opentrakt.db.tables.catalog import SOURCE_IMDB, people

SKIP_DUPLICATE = "the same id twice in the file"
_FIELDS = ("name", "name_key", "birthday")


def _fields(person: Person) -> dict[str, Any]:
    # The dumps give a birth year only; the column holds YYYY-MM-DD or YYYY.
    birthday = str(person.birth_year) if person.birth_year else None
    return {"name": person.name, "name_key": fold(person.name), "birthday": birthday}


async def write_people(conn: AsyncConnection, batch: list[Person], now: int, report: FileReport) -> None:
    wanted: dict[str, Person] = {}
    for person in batch:
        if person.imdb_id in wanted:
            report.skip(SKIP_DUPLICATE)
        else:
            wanted[person.imdb_id] = person
    query = select(people.c.imdb_id, people.c.slug, people.c.source, *(people.c[f] for f in _FIELDS))
    stored = {row.imdb_id: row for row in await select_in(conn, query, people.c.imdb_id, wanted)}
    writes: list[dict[str, Any]] = []
    new: list[Person] = []
    for imdb_id, person in wanted.items():
        old = stored.get(imdb_id)
        fields = _fields(person)
        if old is None:
            new.append(person)
        elif old.source == SOURCE_IMDB and all(getattr(old, k) == v for k, v in fields.items()):
            report.unchanged += 1
        else:
            report.updated += 1
            writes.append({**fields, "imdb_id": imdb_id, "slug": old.slug})
    slugs = await allocate(conn, people, [(p.imdb_id, [person_slug(p.name)]) for p in new])
    writes.extend({**_fields(p), "imdb_id": p.imdb_id, "slug": slugs[p.imdb_id]} for p in new)
    report.added += len(new)
    for row in writes:
        row.update(source=SOURCE_IMDB, updated_at=now)
    await execute_many(conn, upsert(conn, people, ["imdb_id"], [*_FIELDS, "source", "updated_at"]), writes)
