"""Who may read which of a user's lists.

A list is readable only when its owner's data is (a protected owner's lists reach the owner
and their friends alone). Beyond that, ``public`` lists reach everyone, ``friends`` lists the
owner and their friends, ``private`` lists the owner only. A pending follower is not a friend.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts.models import User
from opentrakt.lists.models import Privacy
from opentrakt.social.follows import are_friends
from opentrakt.social.visibility import can_view


async def readable_privacies(conn: AsyncConnection, viewer: User | None, owner: User) -> tuple[Privacy, ...]:
    """The privacy settings of ``owner``'s lists that ``viewer`` (None: anonymous) may read."""
    if viewer is not None and viewer.id == owner.id:
        return tuple(Privacy)
    if not await can_view(conn, viewer, owner):
        return ()
    if viewer is not None and await are_friends(conn, viewer.id, owner.id):
        return (Privacy.PUBLIC, Privacy.FRIENDS)
    return (Privacy.PUBLIC,)
