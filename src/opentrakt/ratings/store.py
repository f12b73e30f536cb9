"""The rating rows and the item aggregates they feed, for each kind of item.

Every change to a rating row moves the rated item's aggregate columns by the difference, with
atomic ``col = col + delta`` updates in the same transaction, so concurrent raters never lose
each other's votes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Column, Table, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.catalog.models import Ratings
from opentrakt.catalog.queries import ratings_from_row
from opentrakt.db.sql import id_batches, in_ids
from opentrakt.db.tables.catalog import episodes, movies, shows
from opentrakt.db.tables.ratings import episode_ratings, movie_ratings, show_ratings
from opentrakt.ratings.models import ItemKind, RatingChange, is_loved


@dataclass(frozen=True, slots=True)
class KindTables:
    ratings: Table  # the users' rating rows
    items: Table  # the catalogue table carrying the aggregate
    item_key: str  # the rating rows' column naming the item

    @property
    def item_column(self) -> Column[int]:
        return self.ratings.c[self.item_key]


TABLES: dict[ItemKind, KindTables] = {
    "movie": KindTables(movie_ratings, movies, "movie_id"),
    "show": KindTables(show_ratings, shows, "show_id"),
    "episode": KindTables(episode_ratings, episodes, "episode_id"),
}


async def read_ratings(
    conn: AsyncConnection, kind: ItemKind, user_id: int, item_ids: Sequence[int]
) -> dict[int, int]:
    """The user's rating of each of ``item_ids`` that they rated."""
    tables = TABLES[kind]
    found: dict[int, int] = {}
    for batch in id_batches(conn, item_ids):
        rows = await conn.execute(
            select(tables.item_column, tables.ratings.c.rating).where(
                tables.ratings.c.user_id == user_id, in_ids(conn, tables.item_column, batch)
            )
        )
        found.update((item_id, rating) for item_id, rating in rows)
    return found


async def delete_ratings(
    conn: AsyncConnection, kind: ItemKind, user_id: int, item_ids: Sequence[int]
) -> None:
    tables = TABLES[kind]
    for batch in id_batches(conn, item_ids):
        await conn.execute(
            delete(tables.ratings).where(
                tables.ratings.c.user_id == user_id, in_ids(conn, tables.item_column, batch)
            )
        )


async def put_ratings(
    conn: AsyncConnection,
    kind: ItemKind,
    user_id: int,
    rows: Mapping[int, int],
    show_ids: Mapping[int, int],
    now: int,
) -> None:
    """Insert ``{item_id: rating}`` rated at ``now``; episodes also need their show in ``show_ids``."""
    if not rows:
        return
    tables = TABLES[kind]
    values = []
    for item_id, rating in sorted(rows.items()):
        row = {"user_id": user_id, tables.item_key: item_id, "rating": rating, "rated_at": now}
        if kind == "episode":
            row["show_id"] = show_ids[item_id]
        values.append(row)
    await conn.execute(insert(tables.ratings), values)


async def episode_show_ids(conn: AsyncConnection, episode_ids: Sequence[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for batch in id_batches(conn, episode_ids):
        rows = await conn.execute(
            select(episodes.c.id, episodes.c.show_id).where(in_ids(conn, episodes.c.id, batch))
        )
        found.update((row.id, row.show_id) for row in rows)
    return found


async def move_aggregates(conn: AsyncConnection, kind: ItemKind, changes: Iterable[RatingChange]) -> None:
    """Apply each change's difference to its item's aggregate columns.

    Items are updated in id order so that two transactions touching the same items lock them
    in the same order and cannot deadlock.
    """
    deltas = [_delta(change) for change in sorted(changes, key=lambda c: c.item_id) if change.changed]
    if not deltas:
        return
    items = TABLES[kind].items
    statement = (
        update(items)
        .where(items.c.id == bindparam("b_item_id"))
        .values(
            rating_votes=items.c.rating_votes + bindparam("b_votes"),
            rating_total=items.c.rating_total + bindparam("b_total"),
            rating_loved=items.c.rating_loved + bindparam("b_loved"),
            rating_hated=items.c.rating_hated + bindparam("b_hated"),
        )
    )
    await conn.execute(statement, deltas)


def _delta(change: RatingChange) -> dict[str, int]:
    before, after = change.previous, change.rating

    def counted(rating: int, loved: bool) -> int:
        return int(rating > 0 and is_loved(rating) == loved)

    return {
        "b_item_id": change.item_id,
        "b_votes": int(after > 0) - int(before > 0),
        "b_total": after - before,
        "b_loved": counted(after, True) - counted(before, True),
        "b_hated": counted(after, False) - counted(before, False),
    }


async def aggregates(conn: AsyncConnection, kind: ItemKind, item_ids: Sequence[int]) -> dict[int, Ratings]:
    """The items' current aggregates (as this transaction sees them)."""
    items = TABLES[kind].items
    found: dict[int, Ratings] = {}
    for batch in id_batches(conn, item_ids):
        rows = await conn.execute(
            select(
                items.c.id,
                items.c.rating_votes,
                items.c.rating_total,
                items.c.rating_loved,
                items.c.rating_hated,
                items.c.imdb_rating,
                items.c.imdb_votes,
            ).where(in_ids(conn, items.c.id, batch))
        )
        found.update((row.id, ratings_from_row(row)) for row in rows)
    return found
