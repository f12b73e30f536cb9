"""network/follow, network/unfollow, network/approve, network/deny, network/requests.

The other user is named by ``user`` in the body. Following a protected user sends a request
that waits for approval (``"pending": true``); following a public user takes effect at once.
"""

from __future__ import annotations

from typing import Any

from opentrakt.accounts import service as accounts
from opentrakt.accounts.models import User
from opentrakt.social import follows
from opentrakt.social.models import FollowResult
from opentrakt.social.visibility import visible_user_ids
from opentrakt.v1.call import V1Call
from opentrakt.v1.envelopes import V1Error, success
from opentrakt.v1.presenters.network import present_requests
from opentrakt.v1.registry import WRITE, Auth, v1_method

_TRUE = frozenset({"true", "1", "yes", "on"})


async def named_user(call: V1Call, field: str) -> User:
    """The user a body field names: 400 when the field is missing, 404 when nobody has that name."""
    name = call.body.get(field)
    if not isinstance(name, str) or not name.strip():
        raise V1Error(400, f"{field} is required")
    return await accounts.require_user(call.conn, name.strip())


def follow_message(result: FollowResult) -> str:
    name = result.target.username
    if result.pending:
        return (
            f"follow request sent to {name}" if result.created else f"follow request to {name} already sent"
        )
    return f"now following {name}" if result.created else f"already following {name}"


def unfollow_message(target: User, was_pending: bool) -> str:
    if was_pending:
        return f"cancelled follow request to {target.username}"
    return f"stopped following {target.username}"


def flag(value: object) -> bool:
    """A loose boolean: JSON true, 1, or the strings clients use for them."""
    if isinstance(value, str):
        return value.strip().lower() in _TRUE
    return value is True or (isinstance(value, int | float) and value == 1)


async def approve_request(call: V1Call, follower: User, follow_back: bool) -> str:
    """Approve ``follower``'s request (and follow them back when asked); the success message."""
    await follows.approve(call.conn, call.caller, follower, call.now)
    if not follow_back:
        return f"approved {follower.username}"
    back = await follows.follow(call.conn, call.caller, follower, call.now)
    if back.pending:
        return f"approved {follower.username} and sent a follow request back"
    return f"approved {follower.username} and followed back"


async def request_list(call: V1Call) -> list[dict[str, Any]]:
    requests = await follows.pending_requests(call.conn, call.caller.id)
    visible = await visible_user_ids(call.conn, call.caller, [r.user.id for r in requests])
    return present_requests(requests, call.runtime.settings, visible)


@v1_method("network/follow", verbs=WRITE, auth=Auth.REQUIRED)
async def follow(call: V1Call) -> dict[str, Any]:
    target = await named_user(call, "user")
    result = await follows.follow(call.conn, call.caller, target, call.now)
    return success(follow_message(result), pending=result.pending)


@v1_method("network/unfollow", verbs=WRITE, auth=Auth.REQUIRED)
async def unfollow(call: V1Call) -> dict[str, Any]:
    target = await named_user(call, "user")
    was_pending = await follows.unfollow(call.conn, call.caller, target)
    return success(unfollow_message(target, was_pending))


@v1_method("network/approve", verbs=WRITE, auth=Auth.REQUIRED)
async def approve(call: V1Call) -> dict[str, Any]:
    follower = await named_user(call, "user")
    return success(await approve_request(call, follower, flag(call.body.get("follow_back"))))


@v1_method("network/deny", verbs=WRITE, auth=Auth.REQUIRED)
async def deny(call: V1Call) -> dict[str, Any]:
    follower = await named_user(call, "user")
    await follows.deny(call.conn, call.caller, follower)
    return success(f"denied {follower.username}")


@v1_method("network/requests", verbs=WRITE, auth=Auth.REQUIRED)
async def requests(call: V1Call) -> list[dict[str, Any]]:
    return await request_list(call)
