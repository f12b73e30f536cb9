"""Rating items, removing ratings, and reading a user's ratings back.

Ratings are stored on the 10-point scale (love = 10, hate = 1). Each write keeps the rated
items' community aggregates exact, records a ``rating`` activity event per changed item and
moves the user's last-activity time for ratings of that kind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts.service import get_settings
from opentrakt.catalog.models import Ratings
from opentrakt.db.tables.accounts import users
from opentrakt.errors import Invalid, NotFound
from opentrakt.ratings import store
from opentrakt.ratings.models import (
    ALL_RATINGS,
    HIGHEST,
    UNRATED,
    ItemKind,
    RatingChange,
    RatingRange,
    UserRating,
    is_loved,
)
from opentrakt.social.events import RATING, ActivityEvent, record_events
from opentrakt.tracking.lastactivity import touch_last_activity


async def rate(
    conn: AsyncConnection, user_id: int, kind: ItemKind, ratings: Mapping[int, int], now: int
) -> list[RatingChange]:
    """Set the user's rating of each item (``{item_id: 1-10, or 0 to remove}``).

    An existing rating is replaced. Returns one change per item, in the order given.
    """
    for rating in ratings.values():
        if not UNRATED <= rating <= HIGHEST:
            raise Invalid(f"rating {rating} is outside 0-10")
    if not ratings:
        return []
    ids = sorted(ratings)
    show_ids: dict[int, int] = {}
    if kind == "episode":
        show_ids = await store.episode_show_ids(conn, ids)
        if len(show_ids) < len(ids):
            raise NotFound("episode not found")
    await _lock_user(conn, user_id)
    previous = await store.read_ratings(conn, kind, user_id, ids)
    changes = [
        RatingChange(item_id, previous.get(item_id, UNRATED), rating) for item_id, rating in ratings.items()
    ]
    changed = [change for change in changes if change.changed]
    if not changed:
        # Re-sending unchanged ratings (as syncs do) writes nothing and keeps when they were given.
        return changes
    await store.delete_ratings(
        conn, kind, user_id, sorted(c.item_id for c in changed if c.previous != UNRATED)
    )
    new_rows = {c.item_id: c.rating for c in changed if c.rating != UNRATED}
    await store.put_ratings(conn, kind, user_id, new_rows, show_ids, now)
    await store.move_aggregates(conn, kind, changed)
    await _record(conn, user_id, kind, changed, show_ids, now)
    return changes


async def _lock_user(conn: AsyncConnection, user_id: int) -> None:
    """Serialise one user's concurrent rating writes (different users never wait on each other).

    Two requests of the same user could otherwise both read "not rated" and both count a new
    vote. FOR NO KEY UPDATE leaves rows that merely reference the user free to be written.
    SQLite needs nothing: its write transactions already run one at a time.
    """
    await conn.execute(select(users.c.id).where(users.c.id == user_id).with_for_update(key_share=True))


async def _record(
    conn: AsyncConnection,
    user_id: int,
    kind: ItemKind,
    changes: Sequence[RatingChange],
    show_ids: Mapping[int, int],
    now: int,
) -> None:
    advanced = (await get_settings(conn, user_id)).ratings_mode == "advanced"
    events = [_event(user_id, kind, change, show_ids, advanced, now) for change in changes]
    await record_events(conn, events)
    await touch_last_activity(conn, user_id, [(kind, RATING)], now)


def _event(
    user_id: int,
    kind: ItemKind,
    change: RatingChange,
    show_ids: Mapping[int, int],
    advanced: bool,
    now: int,
) -> ActivityEvent:
    payload = {
        "rating": _simple(change.rating),
        "rating_advanced": change.rating,
        "use_rating_advanced": advanced,
    }
    if kind == "movie":
        return ActivityEvent(user_id, now, RATING, kind, movie_id=change.item_id, payload=payload)
    if kind == "show":
        return ActivityEvent(user_id, now, RATING, kind, show_id=change.item_id, payload=payload)
    return ActivityEvent(
        user_id,
        now,
        RATING,
        kind,
        show_id=show_ids[change.item_id],
        episode_id=change.item_id,
        payload=payload,
    )


def _simple(rating: int) -> str | bool:
    """The love/hate view stored in activity payloads; False when the rating was removed."""
    if rating == UNRATED:
        return False
    return "love" if is_loved(rating) else "hate"


async def aggregates(conn: AsyncConnection, kind: ItemKind, item_ids: Sequence[int]) -> dict[int, Ratings]:
    """The community aggregate of each item, as this transaction sees it."""
    return await store.aggregates(conn, kind, item_ids)


async def user_ratings(
    conn: AsyncConnection, user_id: int, kind: ItemKind, ids: Sequence[int]
) -> dict[int, int]:
    """The user's 10-point rating of each of ``ids`` that they rated (unrated ids are absent)."""
    return await store.read_ratings(conn, kind, user_id, ids)


async def list_ratings(
    conn: AsyncConnection, user_id: int, kind: ItemKind, within: RatingRange = ALL_RATINGS
) -> list[UserRating]:
    """The user's ratings of one kind within a range, newest first."""
    tables = store.TABLES[kind]
    table = tables.ratings
    show_column = table.c.show_id if kind == "episode" else None
    columns = [tables.item_column, table.c.rating, table.c.rated_at]
    if show_column is not None:
        columns.append(show_column)
    query = select(*columns).where(table.c.user_id == user_id)
    if within != ALL_RATINGS:
        query = query.where(table.c.rating.between(within.low, within.high))
    rows = await conn.execute(query.order_by(table.c.rated_at.desc(), tables.item_column.desc()))
    return [
        UserRating(
            item_id=row[0],
            rating=row.rating,
            rated_at=row.rated_at,
            show_id=row.show_id if show_column is not None else None,
        )
        for row in rows
    ]
