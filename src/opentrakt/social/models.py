"""Typed results of the social services."""

from __future__ import annotations

from dataclasses import dataclass

from opentrakt.accounts.models import User


@dataclass(frozen=True, slots=True)
class NetworkEntry:
    """A user in someone's network, with when that relation began."""

    user: User
    since: int


@dataclass(frozen=True, slots=True)
class FollowRequest:
    """A pending follow request, with when it was made."""

    user: User
    requested: int


@dataclass(frozen=True, slots=True)
class FollowResult:
    """Where a follow stands after ``follow``: waiting for approval, or in effect."""

    target: User
    pending: bool
    created: bool  # False when the follow or request already existed
