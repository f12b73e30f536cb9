"""user/network/followers, user/network/following, user/network/friends.

Each entry is a user object with ``since``, when the relation began (for friends, when the
second follow took effect). A protected listed user whom the caller may not see appears with
their name only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from opentrakt.accounts.models import User
from opentrakt.social import follows
from opentrakt.social.models import NetworkEntry
from opentrakt.social.visibility import visible_user_ids
from opentrakt.v1.call import V1Call
from opentrakt.v1.owner import visible_owner
from opentrakt.v1.presenters.network import present_network
from opentrakt.v1.registry import READ, Auth, v1_method

Lister = Callable[[AsyncConnection, int], Awaitable[list[NetworkEntry]]]


async def network_of(call: V1Call, lister: Lister) -> list[dict[str, Any]]:
    """The named user's network as listed by ``lister``; ``[]`` when the caller may not see it."""
    owner = await visible_owner(call)
    if owner is None:
        return []
    return await network_listing(call, owner, lister)


async def network_listing(
    call: V1Call, owner: User, lister: Lister, *, key: str = "since"
) -> list[dict[str, Any]]:
    """``owner``'s network, each entry's start under ``key``, protected strangers redacted."""
    entries = await lister(call.conn, owner.id)
    visible = await visible_user_ids(call.conn, call.user, [e.user.id for e in entries])
    return present_network(entries, call.runtime.settings, visible, key=key)


@v1_method("user/network/followers", verbs=READ, auth=Auth.OPTIONAL, required=("username",))
async def followers(call: V1Call) -> list[dict[str, Any]]:
    return await network_of(call, follows.followers)


@v1_method("user/network/following", verbs=READ, auth=Auth.OPTIONAL, required=("username",))
async def following(call: V1Call) -> list[dict[str, Any]]:
    return await network_of(call, follows.following)


@v1_method("user/network/friends", verbs=READ, auth=Auth.OPTIONAL, required=("username",))
async def friends(call: V1Call) -> list[dict[str, Any]]:
    return await network_of(call, follows.friends)
