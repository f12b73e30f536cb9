"""Finding the catalogue items a client names: the one resolution entry point.

Write bodies resolve here in batches, in the order the v1 contract gives:

* movies by ``imdb_id``, then ``tmdb_id``, then title and year;
* shows by ``tvdb_id``, then ``imdb_id``, then title and year;
* episodes of a known show by ``episode_tvdb_id``, then season and number.

Title matching is exact but insensitive to case, accents and spacing (the folded
``title_key``). Titles are not identifiers, so a title match is refused when the stored item
carries a different value for an id the client sent (a same-named film with another IMDb id is
another film). Among several matches for a title and year the one with the most IMDb votes wins;
a title sent without a year matches only when exactly one item has it.

Each step is one indexed query for the whole batch (``db.sql.select_in``; title and year pairs
go in chunks), never one per item. Path ``{title}``
segments (a slug or an external id) resolve through ``movie_id_for_ref`` / ``show_id_for_ref``
and their batch forms, re-exported here so callers need only this module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, select, tuple_
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog.identity import EpisodeRef, MovieIdentity, ShowIdentity
from opentrakt.catalog.resolve import movie_id_for_ref, movie_ids_for_refs, show_id_for_ref, show_ids_for_refs
from opentrakt.db.sql import select_in
from opentrakt.db.tables.catalog import episodes, movies, shows

__all__ = [
    "MOVIES",
    "SHOWS",
    "TitledKind",
    "match_episodes",
    "match_titled",
    "movie_id_for_ref",
    "movie_ids_for_refs",
    "resolve_episode",
    "resolve_episodes",
    "resolve_movie",
    "resolve_movies",
    "resolve_show",
    "resolve_shows",
    "show_id_for_ref",
    "show_ids_for_refs",
]

# Bound parameters per statement stay under old SQLite builds' limit of 999.
IN_CHUNK = 900

Identity = MovieIdentity | ShowIdentity


@dataclass(frozen=True)
class TitledKind:
    """What differs between movies and shows when resolving and auto-cataloguing them.

    Identity attributes are named after the table's columns, so ``getattr(identity, name)`` and
    ``row._mapping[name]`` read the same field on both sides.
    """

    table: Table
    ids: tuple[str, ...]  # unique external ids, in resolution order
    extra_ids: tuple[str, ...]  # unique ids that are stored but not resolved by
    details: tuple[str, ...]  # plain descriptive fields a client may supply

    def columns(self) -> list[ColumnElement[Any]]:
        names = ("id", "source", "title_key", "imdb_votes", *self.ids, *self.extra_ids, *self.details)
        return [self.table.c[name] for name in dict.fromkeys(names)]


MOVIES = TitledKind(movies, ids=("imdb_id", "tmdb_id"), extra_ids=(), details=("year", "runtime", "released"))
SHOWS = TitledKind(shows, ids=("tvdb_id", "imdb_id"), extra_ids=("tvrage_id",), details=("year", "runtime"))

EPISODE_COLUMNS = (
    episodes.c.id,
    episodes.c.show_id,
    episodes.c.season,
    episodes.c.number,
    episodes.c.tvdb_id,
    episodes.c.title,
    episodes.c.title_key,
    episodes.c.runtime,
    episodes.c.first_aired,
    episodes.c.source,
)
# What placing an episode needs (and ``ensure_episodes`` when the client offers no details): a
# bulk write matches thousands of episodes, and the fewer columns cross the driver the better.
EPISODE_SLOT_COLUMNS = (*EPISODE_COLUMNS[:5], episodes.c.source)


def _chunks(values: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


async def match_titled(
    conn: AsyncConnection, kind: TitledKind, identities: Sequence[Identity]
) -> list[Row[Any] | None]:
    """The stored row (``kind.columns()``) each identity names, in order; None when unknown."""
    found: list[Row[Any] | None] = [None] * len(identities)
    query = select(*kind.columns())
    for name in kind.ids:
        waiting = [
            i for i, ident in enumerate(identities) if found[i] is None and getattr(ident, name) is not None
        ]
        if not waiting:
            continue
        column = kind.table.c[name]
        values = (getattr(identities[i], name) for i in waiting)
        by_value = {row._mapping[name]: row for row in await select_in(conn, query, column, values)}
        for i in waiting:
            found[i] = by_value.get(getattr(identities[i], name))
    titled = [i for i, ident in enumerate(identities) if found[i] is None and ident.title_key]
    candidates = await _title_candidates(conn, kind, [identities[i] for i in titled])
    for i in titled:
        found[i] = _pick_by_title(kind, identities[i], candidates)
    return found


async def _title_candidates(
    conn: AsyncConnection, kind: TitledKind, identities: Sequence[Identity]
) -> dict[str, list[Row[Any]]]:
    """Stored rows by title key: those with the wanted title and year, and every row of a title
    sent without a year (to tell whether it is unambiguous)."""
    table, query = kind.table, select(*kind.columns())
    pairs = list(dict.fromkeys((i.title_key, i.year) for i in identities if i.year is not None))
    bare = list(dict.fromkeys(i.title_key for i in identities if i.year is None))
    rows: dict[int, Row[Any]] = {}
    for chunk in _chunks(pairs, IN_CHUNK // 2):
        result = await conn.execute(query.where(tuple_(table.c.title_key, table.c.year).in_(chunk)))
        rows.update((row.id, row) for row in result)
    rows.update((row.id, row) for row in await select_in(conn, query, table.c.title_key, bare))
    by_key: dict[str, list[Row[Any]]] = defaultdict(list)
    for row in rows.values():
        by_key[row.title_key].append(row)
    return by_key


def _pick_by_title(
    kind: TitledKind, identity: Identity, candidates: dict[str, list[Row[Any]]]
) -> Row[Any] | None:
    rows = [
        row
        for row in candidates.get(identity.title_key or "", ())
        if (identity.year is None or row.year == identity.year) and not _contradicts(kind, identity, row)
    ]
    if identity.year is None:
        return rows[0] if len(rows) == 1 else None
    if not rows:
        return None
    return min(rows, key=lambda row: (-(row.imdb_votes or 0), row.id))


def _contradicts(kind: TitledKind, identity: Identity, row: Row[Any]) -> bool:
    """True when the row holds another value for an id the client sent."""
    for name in (*kind.ids, *kind.extra_ids):
        sent, stored = getattr(identity, name), row._mapping[name]
        if sent is not None and stored is not None and sent != stored:
            return True
    return False


async def match_episodes(
    conn: AsyncConnection,
    show_id: int,
    refs: Sequence[EpisodeRef],
    columns: Sequence[ColumnElement[Any]] = EPISODE_COLUMNS,
) -> list[Row[Any] | None]:
    """The stored row of each ref within ``show_id``, in order: ``columns``, which start as
    ``EPISODE_SLOT_COLUMNS`` do (id, show_id, season, number, tvdb_id).

    A TVDB id held by an episode of another show is ignored: the show was named first, and the
    answer must belong to it.
    """
    found: list[Row[Any] | None] = [None] * len(refs)
    query = select(*columns)
    tvdb_ids = [ref.episode_tvdb_id for ref in refs if ref.episode_tvdb_id is not None]
    by_tvdb = {
        row.tvdb_id: row
        for row in await select_in(conn, query, episodes.c.tvdb_id, tvdb_ids)
        if row.show_id == show_id
    }
    for i, ref in enumerate(refs):
        if ref.episode_tvdb_id is not None:
            found[i] = by_tvdb.get(ref.episode_tvdb_id)
    waiting = [i for i in range(len(refs)) if found[i] is None]
    seasons = (refs[i].season for i in waiting)
    in_show = query.where(episodes.c.show_id == show_id)
    # Season → number → row: no key tuple per episode (a bulk write names thousands), and
    # positions rather than names (a row's attribute lookup costs more than the rest of this).
    by_slot: dict[int, dict[int, Row[Any]]] = defaultdict(dict)
    for row in await select_in(conn, in_show, episodes.c.season, seasons):
        by_slot[row[2]][row[3]] = row
    for i in waiting:
        in_season = by_slot.get(refs[i].season)
        found[i] = in_season.get(refs[i].episode) if in_season is not None else None
    return found


def _ids(rows: Sequence[Row[Any] | None]) -> list[int | None]:
    return [row.id if row is not None else None for row in rows]


async def resolve_movies(conn: AsyncConnection, identities: Sequence[MovieIdentity]) -> list[int | None]:
    """The movie id each identity names, in order; None for unknown movies."""
    return _ids(await match_titled(conn, MOVIES, identities))


async def resolve_shows(conn: AsyncConnection, identities: Sequence[ShowIdentity]) -> list[int | None]:
    """The show id each identity names, in order; None for unknown shows."""
    return _ids(await match_titled(conn, SHOWS, identities))


async def resolve_episodes(
    conn: AsyncConnection, show_id: int, refs: Sequence[EpisodeRef]
) -> list[int | None]:
    """The episode id each ref names within ``show_id``, in order; None for unknown episodes."""
    return _ids(await match_episodes(conn, show_id, refs))


async def resolve_movie(conn: AsyncConnection, identity: MovieIdentity) -> int | None:
    return (await resolve_movies(conn, [identity]))[0]


async def resolve_show(conn: AsyncConnection, identity: ShowIdentity) -> int | None:
    return (await resolve_shows(conn, [identity]))[0]


async def resolve_episode(conn: AsyncConnection, show_id: int, ref: EpisodeRef) -> int | None:
    return (await resolve_episodes(conn, show_id, [ref]))[0]
