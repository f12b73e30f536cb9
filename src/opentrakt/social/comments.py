"""Comments on movies, shows and episodes: shouts (short) and reviews (long, 200 words or more).

The text is stored as the user sent it (rendering is the presenter's job), bounded in length.
Adding a comment appends a ``shout`` or ``review`` activity event and moves the author's
last-activity stamps for ``comment`` and for the comment's own kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from sqlalchemy import insert, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts.models import User
from opentrakt.accounts.service import user_from_row
from opentrakt.db.sql import id_batches, in_ids
from opentrakt.db.tables.accounts import users
from opentrakt.db.tables.comments import comments
from opentrakt.errors import Invalid
from opentrakt.ratings.store import TABLES
from opentrakt.social.events import REVIEW, SHOUT, ActivityEvent, record_events
from opentrakt.tracking.lastactivity import touch_last_activity

CommentKind = Literal["movie", "show", "episode"]

MAX_LENGTH = 50_000  # characters; a review runs to a few thousand
MIN_REVIEW_WORDS = 200
_WORD = re.compile(r"\S+")


class CommentFilter(StrEnum):
    ALL = "all"
    SHOUTS = "shouts"
    REVIEWS = "reviews"


@dataclass(frozen=True, slots=True)
class CommentTarget:
    """The item a comment is on; ``show_id`` is also set for episodes (their activity names it)."""

    kind: CommentKind
    item_id: int
    show_id: int | None = None


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    user_id: int
    text: str
    spoiler: bool
    review: bool
    created_at: int


def checked_text(text: str, *, review: bool) -> str:
    """The text to store; Invalid when it is empty, too long, or a review under 200 words."""
    # PostgreSQL text cannot hold NUL; nothing else is changed.
    text = text.replace("\x00", "")
    if not text.strip():
        raise Invalid("comment is required")
    if len(text) > MAX_LENGTH:
        raise Invalid(f"comment is too long (at most {MAX_LENGTH} characters)")
    if review and len(_WORD.findall(text)) < MIN_REVIEW_WORDS:
        raise Invalid(f"a review needs at least {MIN_REVIEW_WORDS} words")
    return text


def _item_column(target: CommentTarget) -> Any:
    return comments.c[f"{target.kind}_id"]


async def add_comment(
    conn: AsyncConnection,
    user_id: int,
    target: CommentTarget,
    text: str,
    *,
    spoiler: bool,
    review: bool,
    now: int,
) -> Comment:
    """Store a comment by ``user_id`` on ``target`` (Invalid, before any write, for bad text)."""
    text = checked_text(text, review=review)
    values = {
        "user_id": user_id,
        "item_type": target.kind,
        f"{target.kind}_id": target.item_id,
        "text": text,
        "spoiler": spoiler,
        "review": review,
        "created_at": now,
    }
    comment_id = (await conn.execute(insert(comments).values(values).returning(comments.c.id))).scalar_one()
    action = REVIEW if review else SHOUT
    event = ActivityEvent(
        user_id=user_id,
        created_at=now,
        action=action,
        item_type=target.kind,
        movie_id=target.item_id if target.kind == "movie" else None,
        show_id=target.item_id if target.kind == "show" else target.show_id,
        episode_id=target.item_id if target.kind == "episode" else None,
        payload={"comment_id": comment_id},
    )
    await record_events(conn, [event])
    await touch_last_activity(conn, user_id, [(target.kind, "comment"), (target.kind, action)], now)
    return Comment(id=comment_id, user_id=user_id, text=text, spoiler=spoiler, review=review, created_at=now)


def comment_from_row(row: Row[Any]) -> Comment:
    return Comment(
        id=row.id,
        user_id=row.user_id,
        text=row.text,
        spoiler=bool(row.spoiler),
        review=bool(row.review),
        created_at=row.created_at,
    )


async def comments_on(
    conn: AsyncConnection, target: CommentTarget, which: CommentFilter = CommentFilter.ALL
) -> list[Comment]:
    """The item's comments, newest first (ties: the later one first)."""
    query = select(comments).where(_item_column(target) == target.item_id)
    if which is CommentFilter.SHOUTS:
        query = query.where(comments.c.review.is_(False))
    elif which is CommentFilter.REVIEWS:
        query = query.where(comments.c.review.is_(True))
    rows = await conn.execute(query.order_by(comments.c.created_at.desc(), comments.c.id.desc()))
    return [comment_from_row(row) for row in rows]


async def authors(conn: AsyncConnection, user_ids: Iterable[int]) -> dict[int, User]:
    """The users with these ids, in one query per batch."""
    found: dict[int, User] = {}
    for batch in id_batches(conn, list(user_ids)):
        rows = await conn.execute(select(users).where(in_ids(conn, users.c.id, batch)))
        found.update((row.id, user_from_row(row)) for row in rows)
    return found


async def author_ratings(
    conn: AsyncConnection, target: CommentTarget, user_ids: Iterable[int]
) -> dict[int, int]:
    """Each author's own 10-point rating of the item (authors who didn't rate it are absent)."""
    tables = TABLES[target.kind]
    found: dict[int, int] = {}
    for batch in id_batches(conn, list(user_ids)):
        rows = await conn.execute(
            select(tables.ratings.c.user_id, tables.ratings.c.rating).where(
                tables.item_column == target.item_id, in_ids(conn, tables.ratings.c.user_id, batch)
            )
        )
        found.update((row.user_id, row.rating) for row in rows)
    return found
