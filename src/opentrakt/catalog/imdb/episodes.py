"""Episodes: details from ``title.basics``, placement (show, season, number) from ``title.episode``.

``title.basics`` comes first and interleaves episodes with everything else, so its episode lines
go to a scratch table. Each ``title.episode`` batch then goes to another scratch table and is
joined, in the database, with the shows, the stored episodes and the staged details: the common
case (a new episode at a free slot of a known show) is one INSERT … SELECT; the few other lines
(moved or changed episodes, client-made ones to adopt, lines to skip) come back to Python.
Without ``title.episode`` in the run, episode lines of ``title.basics`` update the details of
episodes already stored.

IMDb gives an episode only a year, never an air date, so ``first_aired`` stays empty rather than
holding an invented 1 January that calendars would list as an airing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    and_,
    bindparam,
    false,
    literal,
    not_,
    null,
    select,
    true,
    update,
)
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog.imdb import scratch
from opentrakt.catalog.imdb.report import FileReport
from opentrakt.catalog.imdb.rows import EpisodeRef, Title
from opentrakt.catalog.imdb.scratch import placing, rated, staged
from opentrakt.catalog.text import fold
from opentrakt.db.sql import execute_many, insert_ignore, join_by_index, select_in
from opentrakt.db.tables import metadata
from opentrakt.db.tables.catalog import SOURCE_IMDB, episodes, seasons, shows

SKIP_NO_SHOW = "show not in the catalogue"
SKIP_SLOT_TAKEN = "another episode has this season and number"
SKIP_NOT_STORED = "episode not in the catalogue (title.episode places episodes)"
SKIP_NO_DETAILS = "episode not in title.basics (give both files in one run)"
SKIP_ADULT = "adult title"
SKIP_DUPLICATE = "the same id twice in the file"

_e = episodes.alias("e")  # the stored episode with the line's IMDb id
_slot = episodes.alias("slot")  # the stored episode at the line's show, season and number


def _details(title: Title) -> dict[str, Any]:
    return {"title": title.title, "title_key": fold(title.title), "runtime": title.runtime}


async def stage(conn: AsyncConnection, batch: list[Title], report: FileReport) -> None:
    """Keep episode details for ``title.episode`` later in the same run."""
    rows = [(t.imdb_id, t.title, fold(t.title), t.runtime, t.adult) for t in batch]
    repeated = len(rows) - await scratch.load(conn, staged, rows)
    if repeated:
        report.skip(SKIP_DUPLICATE, repeated)
    report.staged += len(rows) - repeated


async def update_details(
    conn: AsyncConnection, batch: list[Title], now: int, report: FileReport, *, include_adult: bool
) -> None:
    """Apply episode lines of ``title.basics`` to stored episodes (no ``title.episode`` in this run)."""
    wanted: dict[str, Title] = {}
    for title in batch:
        if title.adult and not include_adult:
            report.skip(SKIP_ADULT)
        elif title.imdb_id in wanted:
            report.skip(SKIP_DUPLICATE)
        else:
            wanted[title.imdb_id] = title
    query = select(
        episodes.c.id,
        episodes.c.imdb_id,
        episodes.c.title,
        episodes.c.title_key,
        episodes.c.runtime,
        episodes.c.source,
    )
    stored = {row.imdb_id: row for row in await select_in(conn, query, episodes.c.imdb_id, wanted)}
    writes = []
    for imdb_id, title in wanted.items():
        old = stored.get(imdb_id)
        details = _details(title)
        if old is None:
            report.skip(SKIP_NOT_STORED)
        elif old.source == SOURCE_IMDB and all(getattr(old, k) == v for k, v in details.items()):
            report.unchanged += 1
        else:
            report.updated += 1
            writes.append({"target": old.id, **details, "source": SOURCE_IMDB, "updated_at": now})
    await execute_many(conn, update(episodes).where(episodes.c.id == bindparam("target")), writes)


async def place(
    conn: AsyncConnection,
    batch: list[EpisodeRef],
    now: int,
    report: FileReport,
    *,
    with_details: bool,
    with_ratings: bool,
    include_adult: bool,
) -> None:
    """Insert or move the batch's episodes; details come from the staging table when it was filled,
    and ratings of new episodes from the loaded ``title.ratings``."""
    await join_by_index(conn)
    await scratch.empty(conn, placing)
    await scratch.load(conn, placing, _distinct(batch, report))
    simple = _simple(with_details, include_adult)
    # Read the lines needing a decision before the INSERT below changes what they would match.
    decisions = await _others(conn, simple, with_details)
    if with_details:
        report.added += (await conn.execute(_insert_simple(simple, now, with_ratings))).rowcount
    updates: list[dict[str, Any]] = []
    for row in decisions:
        reason = _refusal(row, include_adult=include_adult)
        if reason:
            report.skip(reason)
            continue
        fields: dict[str, Any] = {"show_id": row.show_id, "season": row.new_season, "number": row.new_number}
        if row.new_title is not None:
            fields.update(title=row.new_title, title_key=row.new_title_key, runtime=row.new_runtime)
        known = row.id is not None
        if known and row.source == SOURCE_IMDB and _same(row, fields):
            report.unchanged += 1
            continue
        # A stored episode that moved or changed, or a client-made one at this slot that IMDb now names.
        updates.append({
            "target": row.id if known else row.slot_id,
            "imdb_id": row.tconst,
            "title": row.title if known else row.slot_title,
            "title_key": row.title_key if known else row.slot_title_key,
            "runtime": row.runtime if known else row.slot_runtime,
            **fields,
            "source": SOURCE_IMDB,
            "updated_at": now,
        })  # fmt: skip
    report.updated += len(updates)
    await execute_many(conn, update(episodes).where(episodes.c.id == bindparam("target")), updates)
    moved = [
        {"moved": row.id, "to": row.show_id}
        for row in decisions
        if row.id is not None and row.show_id is not None and row.stored_show_id != row.show_id
    ]
    await _follow_moved_episodes(conn, moved)
    await _add_seasons(conn)


async def _follow_moved_episodes(conn: AsyncConnection, moved: list[dict[str, int]]) -> None:
    """Point every row that names a moved episode's show at its new show.

    Users' plays, collections, ratings and the rest keep the show of the episode beside it, and
    the reads per show rely on the two agreeing. Moves are rare (IMDb correcting a parent).
    """
    if not moved:
        return
    for table in metadata.sorted_tables:
        if table is not episodes and {"episode_id", "show_id"} <= set(table.c.keys()):
            statement = (
                update(table).where(table.c.episode_id == bindparam("moved")).values(show_id=bindparam("to"))
            )
            await execute_many(conn, statement, moved)


def _distinct(batch: list[EpisodeRef], report: FileReport) -> list[tuple[str, str, int, int]]:
    """The batch without repeated ids or slots: the first line for each wins."""
    ids: set[str] = set()
    slots: set[tuple[str, int, int]] = set()
    rows = []
    for ref in batch:
        slot = (ref.show_imdb_id, ref.season, ref.number)
        if ref.imdb_id in ids:
            report.skip(SKIP_DUPLICATE)
        elif slot in slots:
            report.skip(SKIP_SLOT_TAKEN)
        else:
            ids.add(ref.imdb_id)
            slots.add(slot)
            rows.append((ref.imdb_id, ref.show_imdb_id, ref.season, ref.number))
    return rows


def _joined(with_details: bool) -> Any:
    joined = (
        placing.outerjoin(shows, shows.c.imdb_id == placing.c.parent)
        .outerjoin(_e, _e.c.imdb_id == placing.c.tconst)
        .outerjoin(
            _slot,
            and_(
                _slot.c.show_id == shows.c.id,
                _slot.c.season == placing.c.season,
                _slot.c.number == placing.c.number,
            ),
        )
    )
    return joined.outerjoin(staged, staged.c.tconst == placing.c.tconst) if with_details else joined


def _simple(with_details: bool, include_adult: bool) -> ColumnElement[bool]:
    """A new episode, with details, at a free slot of a stored show."""
    if not with_details:
        return false()
    return and_(
        shows.c.id.is_not(None),
        _e.c.id.is_(None),
        _slot.c.id.is_(None),
        staged.c.tconst.is_not(None),
        true() if include_adult else not_(staged.c.adult),
    )


def _insert_simple(simple: ColumnElement[bool], now: int, with_ratings: bool) -> Any:
    joined = _joined(True)
    if with_ratings:
        joined = joined.outerjoin(rated, rated.c.tconst == placing.c.tconst)
        rating: list[Any] = [rated.c.rating, rated.c.votes]
    else:
        rating = [null(), null()]
    source = select(
        shows.c.id,
        placing.c.season,
        placing.c.number,
        staged.c.title,
        staged.c.title_key,
        staged.c.runtime,
        placing.c.tconst,
        literal(SOURCE_IMDB),
        literal(now, BigInteger),
        literal(now, BigInteger),
        *(literal(0) for _ in range(4)),
        *rating,
    )
    columns = ["show_id", "season", "number", "title", "title_key", "runtime", "imdb_id", "source"]
    columns += ["created_at", "updated_at", "rating_votes", "rating_total", "rating_loved", "rating_hated"]
    columns += ["imdb_rating", "imdb_votes"]
    return episodes.insert().from_select(columns, source.select_from(joined).where(simple))


async def _others(conn: AsyncConnection, simple: ColumnElement[bool], with_details: bool) -> list[Row[Any]]:
    """The batch lines that are not simple, with what the database holds for each."""
    columns: list[Any] = [
        placing.c.tconst,
        placing.c.season.label("new_season"),
        placing.c.number.label("new_number"),
        shows.c.id.label("show_id"),
        _e.c.id,
        _e.c.show_id.label("stored_show_id"),
        _e.c.season,
        _e.c.number,
        _e.c.title,
        _e.c.title_key,
        _e.c.runtime,
        _e.c.source,
        _slot.c.id.label("slot_id"),
        _slot.c.imdb_id.label("slot_imdb_id"),
        _slot.c.title.label("slot_title"),
        _slot.c.title_key.label("slot_title_key"),
        _slot.c.runtime.label("slot_runtime"),
    ]
    if with_details:
        columns += [
            staged.c.title.label("new_title"),
            staged.c.title_key.label("new_title_key"),
            staged.c.runtime.label("new_runtime"),
            staged.c.adult,
        ]
    else:
        columns += [null().label(name) for name in ("new_title", "new_title_key", "new_runtime", "adult")]
    query = select(*columns).select_from(_joined(with_details)).where(not_(simple)).order_by(placing.c.tconst)
    return list(await conn.execute(query))


def _refusal(row: Row[Any], *, include_adult: bool) -> str | None:
    if row.show_id is None:
        return SKIP_NO_SHOW
    if row.adult and not include_adult:
        return SKIP_ADULT
    if row.id is None and row.slot_id is None and row.new_title is None:
        return SKIP_NO_DETAILS
    # The slot must be free, this episode's own, or hold a client-made episode without an IMDb id.
    if row.slot_id is not None and row.slot_id != row.id and (row.id is not None or row.slot_imdb_id):
        return SKIP_SLOT_TAKEN
    return None


def _same(row: Row[Any], fields: dict[str, Any]) -> bool:
    stored = {
        "show_id": row.stored_show_id,
        "season": row.season,
        "number": row.number,
        "title": row.title,
        "title_key": row.title_key,
        "runtime": row.runtime,
    }
    return all(stored[name] == value for name, value in fields.items())


async def _add_seasons(conn: AsyncConnection) -> None:
    """A seasons row for every season the batch's placed episodes are in."""
    placed = (
        select(episodes.c.show_id, episodes.c.season)
        .distinct()
        .select_from(placing.join(episodes, episodes.c.imdb_id == placing.c.tconst))
        # SQLite needs a WHERE before ON CONFLICT to parse INSERT … SELECT … ON CONFLICT.
        .where(true())
    )
    await conn.execute(insert_ignore(conn, seasons).from_select(["show_id", "number"], placed))
