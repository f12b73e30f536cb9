"""Typed results of the accounts services."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Permission(StrEnum):
    """Developer permissions an API key may carry."""

    SCROBBLE = "scrobble"
    CHECKIN = "checkin"
    CREATE_ACCOUNT = "create_account"


USER_PERMISSIONS = frozenset({Permission.SCROBBLE, Permission.CHECKIN})
ADMIN_PERMISSIONS = USER_PERMISSIONS | {Permission.CREATE_ACCOUNT}


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    email: str
    full_name: str | None
    gender: str | None
    age: int | None
    location: str | None
    about: str | None
    avatar_url: str | None
    protected: bool
    vip: bool
    is_admin: bool
    joined: int
    last_login: int


@dataclass(frozen=True, slots=True)
class ApiKey:
    key: str
    user_id: int
    permissions: frozenset[Permission]


@dataclass(frozen=True, slots=True)
class UserSettings:
    timezone: str
    use_24hr: bool
    ratings_mode: str
    shouts_show_badges: bool
    shouts_show_spoilers: bool
    sharing_text_watching: str
    sharing_text_watched: str
