"""Auto-catalogue: resolve what a write names, adding the items the catalogue lacks.

A media center's first sync names thousands of items an empty (or partly imported) catalogue
does not hold. Rather than skip them, each unknown item with enough identity is created from
what the client sent, marked ``source = "client"``:

* a movie or show needs a title plus a year or an id (``can_create``). Ids alone are refused:
  without a title the row would show up everywhere as a bare number, and nothing in the server
  could ever name it properly; such items come back as None for the caller to skip;
* an episode needs its season and number (``EpisodeRef`` guarantees them), and gets its season
  row too (``autoepisodes``; re-exported here, so this module is the one to import).

Items named twice in one batch are created once. Existing client-made rows gain the fields
they still lack (``autofill``); imported rows are never changed. With auto-catalogue disabled
these functions only resolve.

Run them inside the write's transaction, begun on a ``db.engine.write_connection`` so SQLite
takes its lock up front. Two requests adding the same item at once both succeed: inserts are
``ON CONFLICT DO NOTHING``, and a row another request added meanwhile is found by matching
again; a slug taken meanwhile is replaced by a fresh one on the next attempt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog.autoepisodes import ensure_episode, ensure_episodes
from opentrakt.catalog.autofill import Claims, fill_client_rows, free_values
from opentrakt.catalog.identify import MOVIES, SHOWS, Identity, TitledKind, match_titled
from opentrakt.catalog.identity import MovieIdentity, ShowIdentity
from opentrakt.catalog.imdb.slugs import allocate
from opentrakt.catalog.text import movie_slug, show_slug
from opentrakt.db.sql import insert_ignore
from opentrakt.db.tables.catalog import SOURCE_CLIENT

# Inserts lost to concurrent requests are retried this many times in all; a later attempt
# leaves out ids that are not needed to find the item again.
_ATTEMPTS = 3


def _ids(rows: Sequence[Row[Any] | None]) -> list[int | None]:
    return [row.id if row is not None else None for row in rows]


@dataclass
class _NewItem:
    """One movie or show to create, possibly named by several entries of the batch."""

    identity: Identity  # everything the naming entries said, merged
    members: list[int] = field(default_factory=list)  # their positions in the batch
    id: int | None = None


def _movie_slugs(identity: Identity) -> list[str]:
    return [movie_slug(identity.title or "", identity.year)]


def _show_slugs(identity: Identity) -> list[str]:
    # As the importer does: the bare title first, then with the year.
    base = show_slug(identity.title or "")
    return [base, f"{base}-{identity.year}"] if identity.year else [base]


async def ensure_movies(
    conn: AsyncConnection, identities: Sequence[MovieIdentity], now: int, *, enabled: bool = True
) -> list[int | None]:
    """The movie id for each identity, in order, creating the unknown ones that ``can_create``.

    None marks an item to report as skipped: unknown and not creatable, or auto-catalogue is off.
    """
    return await _ensure_titled(conn, MOVIES, _movie_slugs, identities, now, enabled)


async def ensure_shows(
    conn: AsyncConnection, identities: Sequence[ShowIdentity], now: int, *, enabled: bool = True
) -> list[int | None]:
    """``ensure_movies`` for shows."""
    return await _ensure_titled(conn, SHOWS, _show_slugs, identities, now, enabled)


async def ensure_movie(
    conn: AsyncConnection, identity: MovieIdentity, now: int, *, enabled: bool = True
) -> int | None:
    return (await ensure_movies(conn, [identity], now, enabled=enabled))[0]


async def ensure_show(
    conn: AsyncConnection, identity: ShowIdentity, now: int, *, enabled: bool = True
) -> int | None:
    return (await ensure_shows(conn, [identity], now, enabled=enabled))[0]


async def _ensure_titled(
    conn: AsyncConnection,
    kind: TitledKind,
    slugs: Callable[[Identity], list[str]],
    identities: Sequence[Identity],
    now: int,
    enabled: bool,
) -> list[int | None]:
    rows = await match_titled(conn, kind, identities)
    found = _ids(rows)
    if not enabled:
        return found
    claims: Claims = set()
    offered = (*kind.ids, *kind.extra_ids, *kind.details)
    offers = [
        (row, {n: getattr(i, n) for n in offered}) for i, row in zip(identities, rows, strict=True) if row
    ]
    await fill_client_rows(
        conn, kind.table, offers, unique=(*kind.ids, *kind.extra_ids), claims=claims, now=now
    )
    items = _group_new(kind, identities, rows, claims)
    await _drop_taken_extra_ids(conn, kind, items, claims)
    await _insert_titled(conn, kind, slugs, items, now)
    for item in items:
        for position in item.members:
            found[position] = item.id
    return found


def _group_new(
    kind: TitledKind, identities: Sequence[Identity], rows: Sequence[Row[Any] | None], claims: Claims
) -> list[_NewItem]:
    """The unknown, creatable items, entries naming the same one merged as resolution would."""
    items: list[_NewItem] = []
    owners: dict[tuple[str, Any], _NewItem] = {}  # ("imdb_id", "tt…") or ("title", (key, year))
    # Entries too thin to create an item (an id alone) still name one another entry creates.
    thin: list[tuple[int, Identity]] = []
    for position, (identity, row) in enumerate(zip(identities, rows, strict=True)):
        if row is not None:
            continue
        if not identity.can_create:
            thin.append((position, identity))
            continue
        item = _owner(kind, identity, owners)
        if item is None:
            item = _NewItem(identity=_unclaimed(kind, identity, claims, owners, None))
            items.append(item)
        else:
            item.identity = _merged(kind, item, identity, claims, owners)
        item.members.append(position)
        for name in (*kind.ids, *kind.extra_ids):
            value = getattr(item.identity, name)
            if value is not None:
                owners.setdefault((name, value), item)
        if item.identity.year is not None:
            owners.setdefault(("title", (item.identity.title_key, item.identity.year)), item)
    for position, identity in thin:
        owner = _owner(kind, identity, owners)
        if owner is not None:
            owner.members.append(position)
    return items


def _owner(kind: TitledKind, identity: Identity, owners: dict[tuple[str, Any], _NewItem]) -> _NewItem | None:
    for name in kind.ids:
        value = getattr(identity, name)
        if value is not None and (name, value) in owners:
            return owners[(name, value)]
    if identity.year is None:
        return None
    item = owners.get(("title", (identity.title_key, identity.year)))
    if item is None or _contradicts(kind, identity, item.identity):
        return None
    return item


def _contradicts(kind: TitledKind, one: Identity, other: Identity) -> bool:
    for name in (*kind.ids, *kind.extra_ids):
        a, b = getattr(one, name), getattr(other, name)
        if a is not None and b is not None and a != b:
            return True
    return False


def _unclaimed(
    kind: TitledKind,
    identity: Identity,
    claims: Claims,
    owners: dict[tuple[str, Any], _NewItem],
    item: _NewItem | None,
) -> Identity:
    """``identity`` without the unique ids a stored row's fill or another new item already holds."""
    dropped = {}
    for name in (*kind.ids, *kind.extra_ids):
        value = getattr(identity, name)
        if value is None:
            continue
        owner = owners.get((name, value))
        if (name, value) in claims or (owner is not None and owner is not item):
            dropped[name] = None
    return replace(identity, **dropped) if dropped else identity


def _merged(
    kind: TitledKind,
    item: _NewItem,
    identity: Identity,
    claims: Claims,
    owners: dict[tuple[str, Any], _NewItem],
) -> Identity:
    """The item's identity with the fields it lacks taken from another entry naming it."""
    extra = _unclaimed(kind, identity, claims, owners, item)
    missing = {
        f.name: getattr(extra, f.name)
        for f in fields(item.identity)
        if getattr(item.identity, f.name) is None and getattr(extra, f.name) is not None
    }
    return replace(item.identity, **missing) if missing else item.identity


async def _drop_taken_extra_ids(
    conn: AsyncConnection, kind: TitledKind, items: list[_NewItem], claims: Claims
) -> None:
    """Extra ids (TVRage) were not looked up, so a stored row may hold them already."""
    for name in kind.extra_ids:
        free = await free_values(conn, kind.table, name, (getattr(i.identity, name) for i in items), claims)
        for item in items:
            value = getattr(item.identity, name)
            if value is not None and value not in free:
                item.identity = replace(item.identity, **{name: None})


def _titled_row(
    kind: TitledKind, identity: Identity, slug: str, now: int, *, extra_ids: bool
) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(identity, name) for name in (*kind.ids, *kind.details)}
    for name in kind.extra_ids:
        row[name] = getattr(identity, name) if extra_ids else None
    row.update(
        slug=slug,
        title=identity.title,
        title_key=identity.title_key,
        source=SOURCE_CLIENT,
        created_at=now,
        updated_at=now,
    )
    return row


async def _insert_titled(
    conn: AsyncConnection,
    kind: TitledKind,
    slugs: Callable[[Identity], list[str]],
    items: list[_NewItem],
    now: int,
) -> None:
    table = kind.table
    for attempt in range(_ATTEMPTS):
        waiting = [item for item in items if item.id is None]
        if not waiting:
            return
        chosen = await allocate(conn, table, [(n, slugs(item.identity)) for n, item in enumerate(waiting)])
        if await _added_meanwhile(conn, kind, slugs, waiting, chosen):
            waiting = [item for item in waiting if item.id is None]
            if not waiting:
                return
            chosen = await allocate(conn, table, [(n, slugs(i.identity)) for n, i in enumerate(waiting)])
        rows = [
            _titled_row(kind, item.identity, chosen[n], now, extra_ids=attempt == 0)
            for n, item in enumerate(waiting)
        ]
        # Slug order: two requests adding overlapping items then wait on each other in the same
        # order, never in a cycle (a deadlock on PostgreSQL).
        rows.sort(key=lambda row: row["slug"])
        result = await conn.execute(insert_ignore(conn, table).returning(table.c.id, table.c.slug), rows)
        by_slug = {slug: item_id for item_id, slug in result}
        for n, item in enumerate(waiting):
            item.id = by_slug.get(chosen[n])
        lost = [item for item in waiting if item.id is None]
        if lost:
            # Another request added the item (found now) or took the slug (new slug next round).
            for item, row in zip(
                lost, await match_titled(conn, kind, [i.identity for i in lost]), strict=True
            ):
                item.id = row.id if row is not None else None


async def _added_meanwhile(
    conn: AsyncConnection,
    kind: TitledKind,
    slugs: Callable[[Identity], list[str]],
    waiting: list[_NewItem],
    chosen: dict[int, str],
) -> bool:
    """Whether an item whose first slug was taken turned out to exist (its id is then set).

    A concurrent request may have committed the very item between this request's lookup and its
    slug allocation; creating it under the next free slug would make a second copy.
    """
    displaced = [item for n, item in enumerate(waiting) if chosen[n] != slugs(item.identity)[0]]
    if not displaced:
        return False
    rows = await match_titled(conn, kind, [item.identity for item in displaced])
    for item, row in zip(displaced, rows, strict=True):
        if row is not None:
            item.id = row.id
    return any(row is not None for row in rows)


__all__ = [
    "ensure_episode",
    "ensure_episodes",
    "ensure_movie",
    "ensure_movies",
    "ensure_show",
    "ensure_shows",
]
