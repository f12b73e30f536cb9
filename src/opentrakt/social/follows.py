"""Follows between users, follow requests to protected users, and friends (mutual follows).

A row in ``follows`` is a follow in effect when ``approved_at`` is set and a pending request
while it is NULL. Following a public user takes effect at once; a protected user approves.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from sqlalchemy import Select, and_, case, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts.models import User
from opentrakt.accounts.service import user_from_row
from opentrakt.db.tables.accounts import users
from opentrakt.db.tables.network import follows
from opentrakt.errors import Invalid, NotFound
from opentrakt.social.models import FollowRequest, FollowResult, NetworkEntry

# The user columns a User is built from (never the password hash).
USER_COLUMNS = tuple(users.c[f.name] for f in fields(User))


async def follow(conn: AsyncConnection, follower: User, target: User, now: int) -> FollowResult:
    """Follow ``target``: at once when it is public, as a pending request when it is protected.

    Following again is harmless: the existing follow or request is reported unchanged.
    """
    if follower.id == target.id:
        raise Invalid("you can't follow yourself")
    existing = await _approved_at(conn, follower.id, target.id)
    if existing is not None:
        return FollowResult(target=target, pending=existing[0] is None, created=False)
    approved_at = None if target.protected else now
    try:
        async with conn.begin_nested():
            await conn.execute(
                insert(follows).values(
                    follower_id=follower.id,
                    followed_id=target.id,
                    requested_at=now,
                    approved_at=approved_at,
                )
            )
    except IntegrityError:
        # The same follow arrived twice at once; the other request made it.
        existing = await _approved_at(conn, follower.id, target.id)
        if existing is None:
            raise
        return FollowResult(target=target, pending=existing[0] is None, created=False)
    return FollowResult(target=target, pending=approved_at is None, created=True)


async def unfollow(conn: AsyncConnection, follower: User, target: User) -> bool:
    """Stop following ``target``, or withdraw a pending request; True if it was pending."""
    removed = (
        await conn.execute(
            delete(follows)
            .where(follows.c.follower_id == follower.id, follows.c.followed_id == target.id)
            .returning(follows.c.approved_at)
        )
    ).first()
    if removed is None:
        raise NotFound(f"you are not following {target.username}")
    return removed.approved_at is None


async def approve(conn: AsyncConnection, owner: User, follower: User, now: int) -> None:
    """Let ``follower``'s pending request to follow ``owner`` take effect."""
    result = await conn.execute(
        update(follows)
        .where(_pending(follower.id, owner.id))
        .values(approved_at=now)
        .returning(follows.c.follower_id)
    )
    if result.first() is None:
        raise NotFound(f"there is no follow request from {follower.username}")


async def deny(conn: AsyncConnection, owner: User, follower: User) -> None:
    """Reject ``follower``'s pending request to follow ``owner``."""
    result = await conn.execute(
        delete(follows).where(_pending(follower.id, owner.id)).returning(follows.c.follower_id)
    )
    if result.first() is None:
        raise NotFound(f"there is no follow request from {follower.username}")


async def pending_requests(conn: AsyncConnection, owner_id: int) -> list[FollowRequest]:
    """Every request waiting for ``owner_id``'s approval, newest first."""
    rows = await conn.execute(
        select(*USER_COLUMNS, follows.c.requested_at)
        .join(follows, follows.c.follower_id == users.c.id)
        .where(follows.c.followed_id == owner_id, follows.c.approved_at.is_(None))
        .order_by(follows.c.requested_at.desc(), users.c.username_key)
    )
    return [FollowRequest(user=user_from_row(row), requested=row.requested_at) for row in rows]


async def followers(conn: AsyncConnection, user_id: int) -> list[NetworkEntry]:
    """Everyone whose follow of ``user_id`` is in effect, most recent first."""
    return await _entries(
        conn,
        select(*USER_COLUMNS, follows.c.approved_at.label("since"))
        .join(follows, follows.c.follower_id == users.c.id)
        .where(follows.c.followed_id == user_id, follows.c.approved_at.is_not(None)),
    )


async def following(conn: AsyncConnection, user_id: int) -> list[NetworkEntry]:
    """Everyone ``user_id`` follows (requests still pending excluded), most recent first."""
    return await _entries(
        conn,
        select(*USER_COLUMNS, follows.c.approved_at.label("since"))
        .join(follows, follows.c.followed_id == users.c.id)
        .where(follows.c.follower_id == user_id, follows.c.approved_at.is_not(None)),
    )


async def friends(conn: AsyncConnection, user_id: int) -> list[NetworkEntry]:
    """Mutual follows of ``user_id``; a friendship begins when the second follow took effect."""
    out = follows.alias("out_follow")
    back = follows.alias("back_follow")
    since = case(
        (out.c.approved_at >= back.c.approved_at, out.c.approved_at), else_=back.c.approved_at
    ).label("since")
    return await _entries(
        conn,
        select(*USER_COLUMNS, since)
        .join(out, and_(out.c.followed_id == users.c.id, out.c.follower_id == user_id))
        .join(back, and_(back.c.follower_id == users.c.id, back.c.followed_id == user_id))
        .where(out.c.approved_at.is_not(None), back.c.approved_at.is_not(None)),
    )


async def are_friends(conn: AsyncConnection, a_id: int, b_id: int) -> bool:
    """Whether each of the two users follows the other (approved both ways)."""
    if a_id == b_id:
        return False
    rows = await conn.execute(
        select(follows.c.follower_id).where(
            ((follows.c.follower_id == a_id) & (follows.c.followed_id == b_id))
            | ((follows.c.follower_id == b_id) & (follows.c.followed_id == a_id)),
            follows.c.approved_at.is_not(None),
        )
    )
    return len(rows.all()) == 2


def _pending(follower_id: int, followed_id: int) -> Any:
    return and_(
        follows.c.follower_id == follower_id,
        follows.c.followed_id == followed_id,
        follows.c.approved_at.is_(None),
    )


async def _approved_at(conn: AsyncConnection, follower_id: int, followed_id: int) -> tuple[int | None] | None:
    """``(approved_at,)`` of the follow or request, None when there is neither."""
    row = (
        await conn.execute(
            select(follows.c.approved_at).where(
                follows.c.follower_id == follower_id, follows.c.followed_id == followed_id
            )
        )
    ).first()
    return None if row is None else (row.approved_at,)


async def _entries(conn: AsyncConnection, query: Select[Any]) -> list[NetworkEntry]:
    rows = await conn.execute(query.order_by(query.selected_columns.since.desc(), users.c.username_key))
    return [NetworkEntry(user=user_from_row(row), since=row.since) for row in rows]
