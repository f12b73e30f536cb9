"""Users as network lists show them: followers, following, friends and follow requests."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from opentrakt.accounts.models import User
from opentrakt.config import Settings
from opentrakt.social.models import FollowRequest, NetworkEntry
from opentrakt.social.visibility import redacted
from opentrakt.v1.presenters.user import present_user


def present_listed_user(user: User, settings: Settings, *, visible: bool) -> dict[str, Any]:
    """The user object plus ``vip``; a protected user the caller may not see keeps only their name."""
    data = present_user(user if visible else redacted(user), settings)
    data["vip"] = user.vip
    return data


def present_network(
    entries: Sequence[NetworkEntry], settings: Settings, visible_ids: Collection[int], *, key: str = "since"
) -> list[dict[str, Any]]:
    """Each entry's user with when the relation began under ``key`` (``since``; ``approved``
    in the deprecated friends/all)."""
    return [
        {**present_listed_user(entry.user, settings, visible=entry.user.id in visible_ids), key: entry.since}
        for entry in entries
    ]


def present_requests(
    requests: Sequence[FollowRequest], settings: Settings, visible_ids: Collection[int]
) -> list[dict[str, Any]]:
    return [
        {
            **present_listed_user(request.user, settings, visible=request.user.id in visible_ids),
            "requested": request.requested,
        }
        for request in requests
    ]
