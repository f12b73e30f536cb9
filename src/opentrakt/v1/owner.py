"""What the user/* reads of my sections share: the user a path names, whether the caller may
see that user's data, and the detail level of listed items."""

from __future__ import annotations

from opentrakt.accounts.models import User
from opentrakt.social.visibility import can_view
from opentrakt.v1.call import V1Call
from opentrakt.v1.presenters.movie import Level


async def visible_owner(call: V1Call) -> User | None:
    """The user named by ``{username}`` (404 when there is none), or None when the caller may
    not see their data: protected users answer such callers with an empty list, never 401."""
    owner = await call.named_user(call.require("username"))
    return owner if await can_view(call.conn, call.user, owner) else None


def list_level(value: str | None) -> Level:
    """user/ratings, user/library and friends take ``min`` or ``extended`` (the full object);
    anything else, or nothing, gives the normal object."""
    word = (value or "").strip().lower()
    if word == "min":
        return Level.MIN
    if word in ("extended", "full"):
        return Level.FULL
    return Level.NORMAL
