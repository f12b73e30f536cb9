"""The one rule for who may see a user's data.

A user's data is visible to everyone unless the user is protected; a protected user's data
is visible to that user and to their friends (mutual, approved follows) only. Pending
followers are not friends.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts.models import User
from opentrakt.db.sql import id_batches, in_ids
from opentrakt.db.tables.accounts import users
from opentrakt.db.tables.network import follows
from opentrakt.social.follows import are_friends


async def can_view(conn: AsyncConnection, viewer: User | None, owner: User) -> bool:
    """Whether ``viewer`` (None: an anonymous caller) may see ``owner``'s data."""
    if not owner.protected:
        return True
    if viewer is None:
        return False
    if viewer.id == owner.id:
        return True
    return await are_friends(conn, viewer.id, owner.id)


async def visible_user_ids(conn: AsyncConnection, viewer: User | None, owner_ids: Iterable[int]) -> set[int]:
    """The subset of ``owner_ids`` whose data ``viewer`` may see, in one query per batch."""
    visible: set[int] = set()
    for batch in id_batches(conn, list(owner_ids)):
        rows = await conn.execute(
            select(users.c.id).where(in_ids(conn, users.c.id, batch), visible_to(viewer))
        )
        visible.update(row.id for row in rows)
    return visible


def redacted(user: User) -> User:
    """What anyone may see of a user whose data they may not: who they are, nothing about them.

    Network lists name protected users to callers outside their friends; the listing keeps the
    username (and that the account is protected) and drops the personal profile fields.
    """
    return replace(user, full_name=None, gender=None, age=None, location=None, about=None, avatar_url=None)


def visible_to(viewer: User | None) -> ColumnElement[bool]:
    """A condition on ``users`` that holds for the users ``viewer`` may see."""
    public = users.c.protected.is_(False)
    if viewer is None:
        return public
    return or_(
        public,
        users.c.id == viewer.id,
        and_(_follow_exists(viewer.id, users.c.id), _follow_exists(users.c.id, viewer.id)),
    )


def _follow_exists(
    follower: ColumnElement[int] | int, followed: ColumnElement[int] | int
) -> ColumnElement[bool]:
    return exists().where(
        follows.c.follower_id == follower,
        follows.c.followed_id == followed,
        follows.c.approved_at.is_not(None),
    )
