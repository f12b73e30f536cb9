"""Writing one batch of ``title.basics`` movies or shows: compare with what is stored, upsert what changed.

A batch costs a fixed number of statements: one lookup of the batch's IMDb ids, one of their genre
links, the slug queries for new rows, and one executemany each for the upsert and the link changes.
Rows whose imported fields and genres are already stored are not written, so a re-import leaves
``updated_at`` alone (``movies/updated`` and ``shows/updated`` read it).

IMDb gives a start year, never a date: ``year`` is set, while ``movies.released`` and
``shows.first_aired`` stay empty (presented as 0) rather than holding an invented 1 January.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog.imdb.genres import MINI_SERIES, GenreBook
from opentrakt.catalog.imdb.report import FileReport
from opentrakt.catalog.imdb.rows import Title
from opentrakt.catalog.imdb.slugs import allocate
from opentrakt.catalog.text import fold, movie_slug, show_slug
from opentrakt.db.sql import execute_many, insert_ignore, select_in, upsert
from opentrakt.db.tables.catalog import SOURCE_IMDB, movie_genres, movies, show_genres, shows

SKIP_DUPLICATE = "the same id twice in the file"


def _movie_fields(title: Title) -> dict[str, Any]:
    return {
        "title": title.title,
        "title_key": fold(title.title),
        "year": title.year,
        "runtime": title.runtime,
    }


def _show_fields(title: Title) -> dict[str, Any]:
    # IMDb gives an end year only once a series is over; without one the status is unknown, not "Continuing".
    return {**_movie_fields(title), "status": "Ended" if title.end_year else None}


def _movie_slugs(title: Title) -> list[str]:
    return [movie_slug(title.title, title.year)]


def _show_slugs(title: Title) -> list[str]:
    base = show_slug(title.title)
    return [base, f"{base}-{title.year}"] if title.year else [base]


def _movie_genres(title: Title) -> tuple[str, ...]:
    return title.genres


def _show_genres(title: Title) -> tuple[str, ...]:
    return (*title.genres, MINI_SERIES) if title.mini_series else title.genres


@dataclass(frozen=True)
class ItemKind:
    """How movies and shows differ for the importer: table, genre links, fields and slugs."""

    table: Table
    links: Table
    link_column: str
    for_shows: bool
    fields: Callable[[Title], dict[str, Any]]
    slugs: Callable[[Title], list[str]]
    genre_names: Callable[[Title], tuple[str, ...]]

    @property
    def compared(self) -> tuple[str, ...]:
        return (
            ("title", "title_key", "year", "runtime", "status")
            if self.for_shows
            else ("title", "title_key", "year", "runtime")
        )


MOVIES = ItemKind(movies, movie_genres, "movie_id", False, _movie_fields, _movie_slugs, _movie_genres)
SHOWS = ItemKind(shows, show_genres, "show_id", True, _show_fields, _show_slugs, _show_genres)


async def write_items(
    conn: AsyncConnection,
    kind: ItemKind,
    batch: list[Title],
    genres: GenreBook,
    now: int,
    report: FileReport,
    ratings: dict[str, tuple[float, int]] | None,
) -> None:
    """Upsert the batch; ``ratings`` (from a ``title.ratings`` in the same run) go in the same write."""
    table, links = kind.table, kind.links
    link_id = links.c[kind.link_column]
    titles = _unique(batch, report)
    stored = {
        row.imdb_id: row
        for row in await select_in(
            conn,
            select(
                table.c.id,
                table.c.imdb_id,
                table.c.slug,
                table.c.source,
                table.c.imdb_rating,
                table.c.imdb_votes,
                *(table.c[f] for f in kind.compared),
            ),
            table.c.imdb_id,
            titles,
        )
    }
    stored_links: dict[int, set[int]] = defaultdict(set)
    if stored:
        query = select(link_id, links.c.genre_id)
        for item_id, genre_id in await select_in(conn, query, link_id, [r.id for r in stored.values()]):
            stored_links[item_id].add(genre_id)

    await genres.prepare(
        conn, {n for t in titles.values() for n in kind.genre_names(t)}, for_shows=kind.for_shows
    )
    writes: list[dict[str, Any]] = []
    wanted_links: dict[str, frozenset[int]] = {}
    new: list[tuple[Title, dict[str, Any]]] = []
    for imdb_id, title in titles.items():
        fields = kind.fields(title)
        genre_ids = genres.ids(kind.genre_names(title))
        old = stored.get(imdb_id)
        if ratings is not None:
            # A title the ratings file leaves out keeps what it has.
            kept = (old.imdb_rating, old.imdb_votes) if old else (None, None)
            fields["imdb_rating"], fields["imdb_votes"] = ratings.get(imdb_id, kept)
        if old is None:
            new.append((title, fields))
        else:
            own_same = (
                old.source == SOURCE_IMDB
                and all(getattr(old, name) == fields[name] for name in kind.compared)
                and stored_links.get(old.id, set()) == genre_ids
            )
            if own_same and all(getattr(old, name) == value for name, value in fields.items()):
                report.unchanged += 1
                continue
            # A title whose only change is its rating is written now but counted by title.ratings.
            if own_same:
                report.unchanged += 1
            else:
                report.updated += 1
            writes.append({**fields, "imdb_id": imdb_id, "slug": old.slug})
        wanted_links[imdb_id] = genre_ids

    slugs = await allocate(conn, table, [(t.imdb_id, kind.slugs(t)) for t, _fields in new])
    writes.extend({**fields, "imdb_id": t.imdb_id, "slug": slugs[t.imdb_id]} for t, fields in new)
    report.added += len(new)
    if not writes:
        return
    for row in writes:
        row.update(source=SOURCE_IMDB, created_at=now, updated_at=now)
    # A plain executemany, then one query for the new ids: RETURNING would make SQLAlchemy
    # render multi-row VALUES statements, which costs more than it saves.
    written = [*kind.compared, "source", "updated_at"]
    if ratings is not None:
        written += ["imdb_rating", "imdb_votes"]
    await conn.execute(upsert(conn, table, ["imdb_id"], written), writes)
    ids = {r.imdb_id: r.id for r in stored.values()}
    query = select(table.c.imdb_id, table.c.id)
    ids.update(
        (row.imdb_id, row.id)
        for row in await select_in(conn, query, table.c.imdb_id, [t.imdb_id for t, _f in new])
    )
    await _relink(conn, kind, ids, wanted_links, stored_links)


async def _relink(
    conn: AsyncConnection,
    kind: ItemKind,
    ids: dict[str, int],
    wanted: dict[str, frozenset[int]],
    stored: dict[int, set[int]],
) -> None:
    links, column = kind.links, kind.link_column
    removed, added = [], []
    for imdb_id, genre_ids in wanted.items():
        item_id = ids[imdb_id]
        old = stored.get(item_id, set())
        removed.extend({"item": item_id, "genre": g} for g in old - genre_ids)
        added.extend({column: item_id, "genre_id": g} for g in genre_ids - old)
    drop = delete(links).where(
        and_(links.c[column] == bindparam("item"), links.c.genre_id == bindparam("genre"))
    )
    await execute_many(conn, drop, removed)
    await execute_many(conn, insert_ignore(conn, links), added)


def _unique(batch: list[Title], report: FileReport) -> dict[str, Title]:
    """The batch by IMDb id; a repeated id would make one upsert touch a row twice."""
    titles: dict[str, Title] = {}
    for title in batch:
        if title.imdb_id in titles:
            report.skip(SKIP_DUPLICATE)
        else:
            titles[title.imdb_id] = title
    return titles
